-- Reporting quality (迟报/错报/瞒报) and the export feed.

-- How many working days after the decision a department has to deliver a
-- record of the item (双公示: 7 working days).
alter table catalog_items add column reporting_working_days integer not null default 7;

-- A record delivered after its item's reporting limit.
alter table penalties add column late integer not null default 0;

-- Each delivery (a committed sheet or an API request) and what it did.
create table deliveries (
    id integer primary key,
    department_id integer not null references departments(id),
    at text not null,
    channel text not null check (channel in ('sheet', 'api')),
    actor text not null,
    taken integer not null,
    updated integer not null,
    refused integer not null,
    late integer not null
);
create index deliveries_department on deliveries(department_id, at);

-- Every change to a record that the provincial platform must hear about,
-- in order; the export feed reads it from a cursor (the id). Corrections
-- keep what changed (before/after as JSON objects of the changed fields)
-- and who changed it.
create table record_changes (
    id integer primary key,
    at text not null,
    record_kind text not null check (record_kind in ('penalty', 'license', 'serious')),
    record_id integer not null,
    department_id integer,
    change text not null check (change in ('new', 'corrected', 'ended', 'repaired')),
    actor text not null,
    before text,
    after text
);
create index record_changes_record on record_changes(record_kind, record_id);
