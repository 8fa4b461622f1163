-- Online credit repair: the holiday calendar for working-day deadlines,
-- administrator-editable time limits, applications with their event
-- timeline, uploaded evidence, and drafts of applications in progress.

-- Days that differ from the Monday–Friday week: holidays (放假) and make-up
-- working days (调休上班), from the State Council notices.
create table calendar_days (
    date text primary key,
    kind text not null check (kind in ('holiday', 'workday')),
    name text not null,               -- e.g. '春节'
    source text not null              -- the notice it comes from
) without rowid;

-- Settings an administrator may change. Time limits are kept here, not in
-- code: sources disagree on which step each limit binds (DOMAIN.md §3).
create table settings (
    key text primary key,
    value text not null,
    note text not null
) without rowid;

insert into settings (key, value, note) values
    ('repair.accept_working_days', '3', '认定单位收到申请后作出受理或补正告知的时限（工作日）'),
    ('repair.decide_working_days', '10', '材料齐全后作出修复决定并反馈申请人的时限（工作日）'),
    ('repair.share_working_days', '3', '修复结果共享至相关平台的时限（工作日）'),
    ('repair.supplement_working_days', '10', '申请人补正材料的期限（工作日）');

-- Repair applications. Personal data here (names, phone numbers) is never
-- public; the tracking code is stored only as a SHA-256 hash.
create table repair_applications (
    id integer primary key,
    number text not null unique,              -- XF + date + sequence
    tracking_hash text not null,
    record_kind text not null check (record_kind in ('penalty')),
    record_id integer not null references penalties(id),
    department_id integer not null references departments(id),
    state text not null check (state in ('submitted', 'accepted', 'needs_supplement', 'approved', 'rejected', 'withdrawn')),
    applicant_kind text not null check (applicant_kind in ('subject', 'agent')),
    applicant_name text not null,
    contact_phone text not null,
    identity_checked text not null,           -- 'credit_code' or 'id_number': what matched the record
    pledge_text text not null,                -- the pledge exactly as shown and accepted
    pledge_signed_name text not null,
    submitted_at text not null,               -- UTC timestamp
    decided_at text
);
-- One open application per record at a time.
create unique index repair_applications_one_open on repair_applications(record_kind, record_id)
    where state in ('submitted', 'accepted', 'needs_supplement');
create index repair_applications_department on repair_applications(department_id, state);

-- The timeline: every change of state, who made it, why, and the deadline it sets.
create table repair_events (
    id integer primary key,
    application_id integer not null references repair_applications(id),
    at text not null,                         -- UTC timestamp
    actor text not null check (actor in ('applicant', 'staff', 'system')),
    action text not null,
    from_state text,
    to_state text not null,
    reason text,
    remedies text,
    deadline text                             -- date by which the next step is due
);
create index repair_events_application on repair_events(application_id, id);

-- Evidence files, stored outside the web root under server-chosen names.
-- A file belongs to a draft until the application is submitted, then to
-- the application; drafts and their files are removed when abandoned.
create table repair_files (
    id integer primary key,
    draft_id text references repair_drafts(id) on delete cascade,
    application_id integer references repair_applications(id),
    event_id integer references repair_events(id),
    evidence_kind text not null,
    display_name text not null,
    stored_name text not null unique,
    sha256 text not null,
    size_bytes integer not null,
    mime text not null,
    created_at text not null,
    check ((draft_id is null) != (application_id is null))
);
create index repair_files_draft on repair_files(draft_id);
create index repair_files_application on repair_files(application_id);

-- Applications in progress (one per browser, identified by a random token
-- in a cookie), with the answers given so far as JSON.
create table repair_drafts (
    id text primary key,
    record_id integer not null references penalties(id),
    answers text not null default '{}',
    created_at text not null,
    updated_at text not null
) without rowid;
create index repair_drafts_updated on repair_drafts(updated_at);

-- Failed tracking-code lookups per client, for rate limiting.
create table tracking_failures (
    client text not null,
    at text not null
);
create index tracking_failures_client on tracking_failures(client, at);
