-- no-transaction
-- SQLite cannot change a CHECK constraint in place, so the applications
-- table is rebuilt with foreign keys off, inside our own transaction (the
-- documented twelve-step procedure). Run again after a crash between its
-- COMMIT and the migration's bookkeeping, it rebuilds the same table.
pragma foreign_keys = off;
begin immediate;

-- 已作废: a reviewer finds an application was not made by (or for) the
-- record's subject and voids it, with a reason the applicant sees.
create table repair_applications_new (
    id integer primary key,
    number text not null unique,
    tracking_hash text not null,
    record_kind text not null check (record_kind in ('penalty')),
    record_id integer not null references penalties(id),
    department_id integer not null references departments(id),
    state text not null check (state in ('submitted', 'accepted', 'needs_supplement', 'approved', 'rejected', 'withdrawn', 'voided')),
    applicant_kind text not null check (applicant_kind in ('subject', 'agent')),
    applicant_name text not null,
    contact_phone text not null,
    identity_checked text not null,
    pledge_text text not null,
    pledge_signed_name text not null,
    submitted_at text not null,
    decided_at text
);
insert into repair_applications_new
    select id, number, tracking_hash, record_kind, record_id, department_id, state,
           applicant_kind, applicant_name, contact_phone, identity_checked,
           pledge_text, pledge_signed_name, submitted_at, decided_at
    from repair_applications;
drop table repair_applications;
alter table repair_applications_new rename to repair_applications;
-- One open application per record at a time (voided ones are closed).
create unique index repair_applications_one_open on repair_applications(record_kind, record_id)
    where state in ('submitted', 'accepted', 'needs_supplement');
create index repair_applications_department on repair_applications(department_id, state);

commit;
pragma foreign_keys = on;
