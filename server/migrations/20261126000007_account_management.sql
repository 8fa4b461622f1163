-- An account whose password an administrator set (a new account, or a
-- reset) must choose its own before doing anything else.
alter table staff_accounts add column must_change_password integer not null default 0;
