-- The serious list's domains (严重失信主体名单 领域) as data. A list exists
-- only where a law or a central policy document sets it up, so each domain
-- keeps the document of the list and of its standard, its period and its
-- removal rules (shown on every decision). Entries name their domain; the
-- national domains are added at start-up from app::domain::serious_domain,
-- which also links existing entries by their list's name.
create table serious_domains (
    code text primary key,
    name text not null unique,
    list_basis text not null,
    standard_basis text not null,
    listing_authority text not null,
    listing_years integer not null check (listing_years between 1 and 10),
    earliest_removal_years integer check (earliest_removal_years >= 0),
    removal_conditions text not null,
    removal_procedure text not null,
    mirrored integer not null default 0,  -- court lists: shown, never deleted here
    mirror_contact text
);
alter table serious_entries add column domain_code text references serious_domains(code);
create index serious_entries_domain on serious_entries(domain_code);
