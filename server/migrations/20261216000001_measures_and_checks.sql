-- The measures list (失信惩戒措施清单) and the joint check (联合奖惩核查).
--
-- A measure is kept as versions: a change is a new row, so a check keeps
-- the version it was answered with. What a version applies to (domains,
-- the departments that apply it) are rows of their own.
create table measure_versions (
    id integer primary key,
    measure_code text not null,
    version integer not null check (version >= 1),
    name text not null,
    class text not null check (class in ('restricting', 'management', 'voluntary')),
    effect text not null,
    basis_law text not null check (basis_law <> ''),
    basis_article text not null check (basis_article <> ''),
    basis_paragraph text not null,    -- '' when the article has one
    basis_text text not null check (basis_text <> ''),
    subject_kinds text not null,      -- codes, comma-separated
    implementer text not null,
    effective_from text not null,
    effective_to text,
    created_at text not null,
    created_by integer references staff_accounts(id),
    unique (measure_code, version)
);
create table measure_version_domains (
    version_id integer not null references measure_versions(id),
    domain_code text not null references serious_domains(code),
    primary key (version_id, domain_code)
);
create table measure_version_departments (
    version_id integer not null references measure_versions(id),
    department_id integer not null references departments(id),
    primary key (version_id, department_id)
);

-- A check key belongs to one department's system, like a push key; a
-- feed key to none. SQLite cannot change a CHECK in place: the table is
-- rebuilt with the same rows.
create table api_keys_with_checks (
    id integer primary key,
    scope text not null check (scope in ('push', 'feed', 'check')),
    department_id integer references departments(id),
    name text not null,
    prefix text not null,
    key_hash text not null unique,
    created_at text not null,
    created_by integer references staff_accounts(id),
    revoked_at text,
    check ((scope in ('push', 'check')) = (department_id is not null))
);
insert into api_keys_with_checks
    (id, scope, department_id, name, prefix, key_hash, created_at, created_by, revoked_at)
select id, scope, department_id, name, prefix, key_hash, created_at, created_by, revoked_at
from api_keys;
drop table api_keys;
alter table api_keys_with_checks rename to api_keys;
create index api_keys_department on api_keys(department_id);

-- Every check, with what identified its subject (an ID number masked),
-- the matter and the purpose; the register entry is written with it.
create table joint_checks (
    id text primary key,
    key_id integer not null references api_keys(id),
    department_id integer not null references departments(id),
    subject_id integer references subjects(id),
    identifier text not null,
    matter_code text not null,
    matter_name text not null,
    purpose text not null,
    listed integer not null check (listed in (0, 1)),
    checked_at text not null,
    -- The day as the portal counts days (China time): feedback is due a
    -- number of working days after it.
    checked_on text not null
);
create index joint_checks_department on joint_checks(department_id, checked_at);
create table joint_check_entries (
    check_id text not null references joint_checks(id),
    entry_id integer not null references serious_entries(id),
    primary key (check_id, entry_id)
);
-- One row per measure an answer named; its feedback fills the rest, once.
create table joint_check_measures (
    check_id text not null references joint_checks(id),
    measure_code text not null,
    version_id integer not null references measure_versions(id),
    applied integer check (applied in (0, 1)),
    reason text,
    outcome text,
    operator_department text,
    decided_on text,
    received_at text,
    late integer check (late in (0, 1)),
    primary key (check_id, measure_code),
    -- Not applying a measure needs a reason.
    check (applied is null or applied = 1 or reason is not null)
);
