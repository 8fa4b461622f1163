-- A listing outside a domain is impossible (DOMAIN.md §11): every
-- serious-list entry written from now on names its domain, and none loses
-- it. A trigger rather than NOT NULL, as on SQLite, so that entries stored
-- before domains were data keep their place until they leave.
create function serious_entries_need_a_domain() returns trigger
language plpgsql as $$
begin
    if new.domain_code is null then
        raise exception 'a serious-list entry must name its domain';
    end if;
    return new;
end;
$$;
create trigger serious_entries_need_a_domain before insert on serious_entries
    for each row execute function serious_entries_need_a_domain();
create trigger serious_entries_keep_their_domain before update of domain_code on serious_entries
    for each row execute function serious_entries_need_a_domain();
