-- The transparency figures (/transparency) read the cases with a step in
-- the last two years: find those steps by time, not by reading them all.
create index repair_events_at on repair_events(at);
create index objection_events_at on objection_events(at);
