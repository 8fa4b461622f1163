-- Which client opened a draft, so that drafts and their unsubmitted
-- uploads can be bounded per client (IPv4 address or IPv6 /64).
alter table repair_drafts add column client text not null default '';
create index repair_drafts_client on repair_drafts(client, created_at);
