-- The party's evidence sent with its statement on a prior notice (陈述、申辩
-- with materials), under server-chosen names in the evidence store like
-- repair and objection files.
create table listing_files (
    id integer primary key,
    listing_id integer not null references serious_listings(id),
    evidence_kind text not null,
    display_name text not null,
    stored_name text not null unique,
    sha256 text not null,
    size_bytes integer not null,
    mime text not null,
    created_at text not null,
    event_id integer references serious_listing_events(id)  -- the answer it came with
);
create index listing_files_listing on listing_files(listing_id);
