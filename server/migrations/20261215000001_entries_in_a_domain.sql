-- A listing outside a domain is impossible (DOMAIN.md §11): every
-- serious-list entry written from now on names its domain, and none loses
-- it. Triggers, because SQLite cannot make an existing column NOT NULL
-- without rebuilding the table; entries stored before domains were data
-- keep their place until they leave.
create trigger serious_entries_need_a_domain before insert on serious_entries
when new.domain_code is null
begin
    select raise(abort, 'a serious-list entry must name its domain');
end;
create trigger serious_entries_keep_their_domain before update of domain_code on serious_entries
when new.domain_code is null
begin
    select raise(abort, 'a serious-list entry must name its domain');
end;
