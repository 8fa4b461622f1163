-- The listing procedure (国办发〔2020〕49号 (六)–(八)): a department proposes
-- to list a party in a domain, grounded on a decision on the platform; the
-- prior notice (告知书) is served with a number and an access code for the
-- party (stored as SHA-256); the party answers within a window of working
-- days; the department answers every point; then decides. Only the decision
-- creates a serious-list entry (entry_id), so nothing reaches the public
-- before the party could answer. Each step is an event.
create table serious_listings (
    id integer primary key,
    number text not null unique,          -- GZ + date + daily sequence
    domain_code text not null references serious_domains(code),
    department_id integer not null references departments(id),
    penalty_id integer references penalties(id),
    subject_id integer not null references subjects(id),
    state text not null,                  -- app::domain::serious_listing::ListingState codes
    reason text not null,                 -- 事由
    basis text not null,                  -- 依据
    measures text not null,               -- the measures that will follow
    doc_no text not null,                 -- the decision's number once listed
    notice_date text not null,
    answer_deadline text not null,
    access_hash text not null,
    answer text,                          -- the party's statement (陈述、申辩)
    reply text,                           -- the department's answer to every point
    waived integer not null default 0,    -- decided after a silent window
    decided_on text,
    entry_id integer references serious_entries(id),
    created_at text not null
);
create index serious_listings_department on serious_listings(department_id, state);
create unique index serious_listings_open_penalty on serious_listings(penalty_id)
    where state in ('proposed', 'notified', 'answered', 'replied');

create table serious_listing_events (
    id integer primary key,
    listing_id integer not null references serious_listings(id),
    at text not null,
    actor text not null,                  -- a staff username, or 'party'
    action text not null,                 -- ListingAction codes
    text text
);
create index serious_listing_events_listing on serious_listing_events(listing_id);
