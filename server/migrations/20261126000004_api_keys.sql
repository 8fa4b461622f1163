-- Keys departments' systems use to push records (/api/v1/collect/…).
-- Only the key's SHA-256 is stored; the key is shown once when issued.
create table api_keys (
    id integer primary key,
    department_id integer not null references departments(id),
    name text not null,               -- which system uses it
    prefix text not null,             -- the first characters, to tell keys apart
    key_hash text not null unique,
    created_at text not null,
    created_by integer references staff_accounts(id),
    revoked_at text
);
create index api_keys_department on api_keys(department_id);
