-- Publication periods counted as 《民法典》 arts 201–202 count periods
-- (DOMAIN.md §10): the decision day is not counted and a period of N months
-- ends on the corresponding day of its last month (or that month's last day).
-- Until now the last public day was the decision date plus N months minus
-- one day, a day short, and the minimum before repair ended a day early.
--
-- Stored end dates are the public projection's (public_entries.until, for
-- penalties and licences; repair-from dates are not stored). They are not
-- re-derived here: records whose new last day is today or later but that the
-- sweeper has already taken out must come back into the projection, masked
-- and tokenised for search, which only the domain's Rust code does. So the
-- server re-derives them once at start-up (server/src/store/data_steps.rs),
-- writing to the change log, for every end date it moves, the end date
-- before and after and the convention each was made under, and records here
-- that the step is done. Serious-list ends (serious_entries.until) are the
-- listing decision's own dates, not derived by the portal, and stay as
-- stored.

-- One-time data steps the server runs after the migrations, each once: the
-- step's name, when it finished (UTC) and what it did.
create table data_steps (
    name text primary key,
    done_at text not null,
    outcome text not null
) without rowid;
