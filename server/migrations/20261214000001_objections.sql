-- Objections (异议, DOMAIN.md §12): the subject of a public record (or its
-- agent, after the same identity check as a repair application) says the
-- record is wrong. The platform accepts it (the record then shows
-- 异议处理中), may ask once for more, the determining department verifies
-- and answers in writing with reasons and remedies. The rules are the
-- domain's (app::domain::objection); each step is an event.
create table objections (
    id integer primary key,
    number text not null unique,          -- YY + date + daily sequence
    tracking_hash text not null,          -- SHA-256 of the tracking code
    record_kind text not null check (record_kind in ('penalty', 'license', 'serious')),
    record_id integer not null,
    department_id integer not null references departments(id),
    subject_id integer not null references subjects(id),
    state text not null,                  -- ObjectionState codes
    grounds text not null,                -- ObjectionGround codes, comma-separated
    explanation text not null,
    objector_kind text not null check (objector_kind in ('subject', 'agent')),
    objector_name text not null,
    contact_phone text not null,
    identity_checked text not null,       -- what matched the record
    pledge_text text not null,            -- the 异议申诉承诺书 as shown and signed
    pledge_signed_name text not null,
    submitted_at text not null,
    deadline text,                        -- the next step's last day
    accepted_on text,
    supplement_requested integer not null default 0,
    supplement_deadline text,
    extended integer not null default 0,
    decided_on text
);
-- One open objection per record: a repeat waits for the answer to the first.
create unique index objections_one_open on objections(record_kind, record_id)
    where state in ('submitted', 'accepted', 'needs_supplement');
create index objections_record on objections(record_kind, record_id);
create index objections_department on objections(department_id, state);

create table objection_events (
    id integer primary key,
    objection_id integer not null references objections(id),
    at text not null,
    actor text not null,                  -- a staff username, or 'objector'
    action text not null,                 -- ObjectionAction codes ('submit' first)
    to_state text not null,
    text text,
    deadline text                         -- the deadline the step set
);
create index objection_events_objection on objection_events(objection_id, id);

-- Evidence of an objection (with the submission, or a supplement's event),
-- under server-chosen names in the evidence store, like repair_files.
create table objection_files (
    id integer primary key,
    objection_id integer not null references objections(id),
    event_id integer references objection_events(id),
    evidence_kind text not null,
    display_name text not null,
    stored_name text not null unique,
    sha256 text not null,
    size_bytes integer not null,
    mime text not null,
    created_at text not null
);
create index objection_files_objection on objection_files(objection_id);

-- Records an objection's outcome took off the public pages for good
-- (删除 or 停止公示): a correction delivered later or a rebuild of the
-- public projection does not bring them back.
create table record_withdrawals (
    record_kind text not null check (record_kind in ('penalty', 'license', 'serious')),
    record_id integer not null,
    withdrawn_on text not null,
    reason text not null,
    objection_id integer references objections(id),
    primary key (record_kind, record_id)
);

-- Wrong identity answers now count per record of any kind (objections are
-- about licences and list entries too), still one bound per record shared
-- by repair and objection.
alter table identity_failures add column record_kind text not null default 'penalty';
drop index if exists identity_failures_record;
create index identity_failures_record on identity_failures(record_kind, record_id, at);
