-- What the identity step of a repair application checks, and its limits.

-- The legal representative's (or operator's) ID number as the deciding
-- department delivered it (CF_FR_ZJHM). Never public: an organisation
-- proves it is the subject of a record with it, since its credit code is
-- printed on every public page.
alter table penalties add column representative_id_number text;

-- Wrong answers at the identity step, counted per draft, per record and
-- per client so that neither a new draft nor a new address buys guesses.
create table identity_failures (
    draft_id text not null,
    record_id integer not null,
    client text not null,
    at text not null                          -- UTC timestamp
);
create index identity_failures_record on identity_failures(record_id, at);
create index identity_failures_client on identity_failures(client, at);
create index identity_failures_draft on identity_failures(draft_id);
