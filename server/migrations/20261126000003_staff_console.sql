-- The staff console: accounts, server-side sessions, and the access
-- register (查询使用登记) chained by hash so that any edit is detectable.

-- Staff accounts. A reviewer belongs to exactly one department (谁认定、谁修复);
-- administrators and auditors to none. Passwords are Argon2id PHC strings.
create table staff_accounts (
    id integer primary key,
    username text not null unique collate nocase,
    display_name text not null,
    role text not null check (role in ('reviewer', 'admin', 'auditor')),
    department_id integer references departments(id),
    password_hash text not null,
    -- Consecutive failed logins, and the time before which login is refused.
    failed_logins integer not null default 0,
    locked_until text,
    disabled integer not null default 0,
    created_at text not null,
    password_changed_at text not null,
    check ((role = 'reviewer') = (department_id is not null))
);

-- Server-side sessions. The cookie carries a random token; only its
-- SHA-256 is stored, so a copy of the database opens no session.
create table staff_sessions (
    token_hash text primary key,
    account_id integer not null references staff_accounts(id) on delete cascade,
    csrf_token text not null,
    created_at text not null,
    last_seen_at text not null
) without rowid;
create index staff_sessions_account on staff_sessions(account_id);

-- Failed logins per client, for the per-client limit (whatever the username).
create table login_failures (
    client text not null,
    at text not null
);
create index login_failures_client on login_failures(client, at);

-- The access register: every staff view of non-public data or evidence,
-- every decision, every login. Append-only: each entry's hash covers its
-- fields and the previous entry's hash (see server `staff::audit`).
create table audit_log (
    id integer primary key,
    at text not null,
    account_id integer,               -- null for failed logins of unknown users
    actor text not null,              -- username as given
    action text not null,
    target text not null,             -- e.g. 'application XF2026112600001'
    purpose text not null,            -- why (the task the view served)
    client text not null,
    prev_hash text not null,
    hash text not null unique
);
create index audit_log_at on audit_log(at);
create index audit_log_actor on audit_log(actor, at);

create trigger audit_log_no_update before update on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;
create trigger audit_log_no_delete before delete on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;

-- Who decided: staff events name the account.
alter table repair_events add column staff_account_id integer references staff_accounts(id);
