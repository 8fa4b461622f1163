-- Licences delivered through collection (sheets and the push API), like
-- penalties: marked when delivered after the catalog item's reporting limit.
alter table licenses add column late integer not null default 0;

-- A delivered row names its subject by credit code (unique index above) or,
-- for a natural person, by ID number: look that up by index too.
create index subjects_id_number on subjects(id_number) where id_number is not null;
