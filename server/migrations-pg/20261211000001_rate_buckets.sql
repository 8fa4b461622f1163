-- Token buckets of the public read limits (server/src/limits.rs), shared by
-- every app server on this database: one row per limit and client. Unlogged:
-- after a crash the buckets start full again, which costs nothing.
create unlogged table rate_buckets (
    key text primary key,             -- '<limit>:<client>', e.g. 'search:10.0.0.1'
    tokens double precision not null, -- tokens left at `at`
    at timestamptz not null
);
create index rate_buckets_at on rate_buckets (at);
