-- Failed logins limited per username as typed and client, instead of a
-- per-account lock any stranger could set off (app `domain::staff`).
alter table login_failures add column username text not null default '';
create index login_failures_username on login_failures(username, client, at);

-- The clients each account signed in from, and when last: the username's
-- daily ceiling does not stop a client its holder recently used.
create table staff_known_clients (
    account_id integer not null references staff_accounts(id) on delete cascade,
    client text not null,
    last_login_at text not null,
    primary key (account_id, client)
) without rowid;

alter table staff_accounts drop column failed_logins;
alter table staff_accounts drop column locked_until;
