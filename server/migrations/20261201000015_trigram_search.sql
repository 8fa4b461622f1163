-- Name search for queries of three or more characters: the normalised
-- public names (public_entries.name_norm) under FTS5's trigram tokenizer,
-- rowid = public_entries.sort_key like public_fts, so a query read in rowid
-- order stops at its first page. Kept with public_fts by the same code
-- (store/writes.rs), which writes both or neither.
--
-- detail=full (positions) because a query of three or four characters is
-- then one phrase that means exactly "the name contains it", answered and
-- counted from the index alone; at 1M records (521,900 public names) it
-- takes 23.3 MB + 8 MB of sizes against 13.7 MB + 8 MB with detail=none,
-- whose AND of trigrams needs a substring check on every candidate row
-- (4-character counts p50 0.13 ms vs 0.50 ms, p95 0.46 vs 2.0 ms).
-- case_sensitive 1: names and queries are normalised by the same code
-- (app::domain::search_text::normalize), so no folding is wanted.
create virtual table public_trgm using fts5(
    name,
    content = '',
    contentless_delete = 1,
    detail = full,
    tokenize = 'trigram case_sensitive 1'
);
insert into public_trgm (rowid, name) select sort_key, name_norm from public_entries;

-- A number that changes with every change to the projection (a row added,
-- removed or altered), so that what is derived from it (the counts of
-- search results) is reused exactly until it is out of date. Kept by
-- triggers, so no write can forget it, whichever process makes it; it is
-- read in the same statement as a page of results.
create table projection_generation (
    id integer primary key check (id = 1),
    generation integer not null
);
insert into projection_generation (id, generation) values (1, 0);

create trigger public_entries_added after insert on public_entries
begin
    update projection_generation set generation = generation + 1 where id = 1;
end;
create trigger public_entries_removed after delete on public_entries
begin
    update projection_generation set generation = generation + 1 where id = 1;
end;
create trigger public_entries_changed after update on public_entries
begin
    update projection_generation set generation = generation + 1 where id = 1;
end;
