-- API keys carry a scope. A 'push' key lets a department's system push
-- that department's records, so it names the department; a 'feed' key lets
-- the provincial credit platform read the change feed, and names none: it
-- belongs to no department and can push nothing. Every key issued so far
-- was issued to a department for pushing, so each becomes a push key.
--
-- SQLite cannot relax a column's NOT NULL in place, so the table is
-- rebuilt with the same ids, hashes and history.
create table api_keys_scoped (
    id integer primary key,
    scope text not null check (scope in ('push', 'feed')),
    department_id integer references departments(id),
    name text not null,               -- which system uses it
    prefix text not null,             -- the first characters, to tell keys apart
    key_hash text not null unique,
    created_at text not null,
    created_by integer references staff_accounts(id),
    revoked_at text,
    -- A push key is bound to one department; a feed key to none.
    check ((scope = 'push') = (department_id is not null))
);
insert into api_keys_scoped
    (id, scope, department_id, name, prefix, key_hash, created_at, created_by, revoked_at)
select id, 'push', department_id, name, prefix, key_hash, created_at, created_by, revoked_at
from api_keys;
drop table api_keys;
alter table api_keys_scoped rename to api_keys;
create index api_keys_department on api_keys(department_id);
