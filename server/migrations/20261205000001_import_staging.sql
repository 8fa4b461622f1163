-- Deliveries (sheet commits and pushes) are written in two steps, so that
-- no write transaction holds SQLite's write lock for long whatever the
-- size of the delivery (server/src/store/collect/staging.rs):
--
-- 1. staging: the checked rows, with everything the records, the public
--    projection and the change log will need (masked name, index tokens,
--    change-log fields before and after), go into the tables below in
--    chunks of a few hundred rows, each chunk its own short transaction;
-- 2. publishing: one transaction turns the staged rows into subjects,
--    records, rule links, projection rows and change-log entries with a
--    handful of set-based statements, and records the delivery.
--
-- Nothing reads these tables but the importer: staged rows are invisible
-- to every page, search, feed and report until they are published, and a
-- delivery that is refused, fails or dies half-way leaves nothing but
-- staged rows, which are removed (by the importer, at start-up, hourly).

-- A delivery being staged. Deleted when it is published (in the publishing
-- transaction) or discarded; staged rows whose delivery is gone are
-- garbage.
create table import_stagings (
    id integer primary key,
    department_id integer not null references departments(id),
    record_kind text not null check (record_kind in ('penalty', 'license')),
    actor text not null,
    started_at text not null,
    -- subjects.id was at most this when staging began: a subject with a
    -- higher id may have been registered by another delivery meanwhile.
    subjects_before integer not null
);

-- Subjects a staged delivery names that were not registered when it was
-- checked; registered when it is published. `key` is how a row names its
-- subject: 'c:' + credit code, or 'p:' + a natural person's ID number.
create table staged_subjects (
    staging_id integer not null,
    no integer not null,
    key text not null,
    kind text not null,
    name text not null,
    credit_code text,
    id_number text,
    representative text,
    -- Set at publication when another delivery registered the subject
    -- meanwhile: the rows go to that subject.
    subject_id integer,
    primary key (staging_id, no)
) without rowid;
create index staged_subjects_key on staged_subjects(staging_id, key);

-- The columns every staged row has, besides its record's own:
--   seq             its place in the delivery (change-log order)
--   new_no          for a new record, its number among the delivery's new
--                   records (the record id is the highest id at
--                   publication plus new_no); null for a correction
--   existing_id     the record a correction replaces
--   subject_id      the registered subject, or
--   new_subject_no  the staged subject (staged_subjects.no)
--   rule_id         the catalog rule version the decision falls under
--   pub_*           the public projection row if the record is public on
--                   the day of the import (pub_key: the sort key without
--                   the record id), null when it is not
--   change, before, after   the change-log entry (null: nothing changed)
create table staged_penalties (
    staging_id integer not null,
    seq integer not null,
    new_no integer,
    existing_id integer,
    subject_id integer,
    new_subject_no integer,
    rule_id integer not null,
    doc_no text not null,
    violation_type text not null,
    facts text not null,
    basis text not null,
    categories text not null,
    content text not null,
    fine_fen integer,
    confiscated_fen integer,
    license_action text,
    decision_date text not null,
    valid_until text,
    note text,
    late integer not null,
    representative_id_number text,
    pub_key integer,
    pub_name text,
    pub_name_norm text,
    pub_credit_code text,
    pub_until text,
    pub_summary text,
    pub_tokens text,
    change text,
    before text,
    after text
);
create unique index staged_penalties_seq on staged_penalties(staging_id, seq);
create index staged_penalties_subject on staged_penalties(staging_id, new_subject_no)
    where new_subject_no is not null;
create index staged_penalties_corrects on staged_penalties(staging_id, existing_id)
    where existing_id is not null;
create index staged_penalties_public on staged_penalties(staging_id, pub_key, seq)
    where pub_key is not null;

create table staged_licenses (
    staging_id integer not null,
    seq integer not null,
    new_no integer,
    existing_id integer,
    subject_id integer,
    new_subject_no integer,
    rule_id integer not null,
    doc_name text not null,
    doc_no text not null,
    category text not null,
    cert_name text,
    cert_no text,
    content text not null,
    decision_date text not null,
    valid_from text not null,
    valid_to text,
    state text not null,
    note text,
    late integer not null,
    pub_key integer,
    pub_name text,
    pub_name_norm text,
    pub_credit_code text,
    pub_until text,
    pub_summary text,
    pub_tokens text,
    change text,
    before text,
    after text
);
create unique index staged_licenses_seq on staged_licenses(staging_id, seq);
create index staged_licenses_subject on staged_licenses(staging_id, new_subject_no)
    where new_subject_no is not null;
create index staged_licenses_corrects on staged_licenses(staging_id, existing_id)
    where existing_id is not null;
create index staged_licenses_public on staged_licenses(staging_id, pub_key, seq)
    where pub_key is not null;
