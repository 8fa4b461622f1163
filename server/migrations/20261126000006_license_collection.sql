-- Licences delivered through collection (sheets and the push API), like
-- penalties: marked when delivered after the catalog item's reporting limit.
alter table licenses add column late integer not null default 0;
