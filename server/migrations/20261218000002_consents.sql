-- Personal-information notices and consents (DOMAIN.md §15,
-- app::domain::privacy_notice): each form's notice acknowledged, and the
-- optional consents (SMS), with the notice version, what it covered, when,
-- through which channel, and its withdrawal.
create table consents (
    id integer primary key,
    case_kind text not null check (case_kind in ('repair', 'objection', 'notice_answer')),
    case_id integer not null,
    purpose text not null check (purpose in ('notice', 'sms')),
    notice_version text not null,
    categories text not null,
    retention text not null,
    channel text not null,                -- 'web': the portal's form
    given_at text not null,
    withdrawn_at text,
    withdrawn_channel text
);
create index consents_case on consents(case_kind, case_id);

-- When an applicant's name and phone were deleted after the retention
-- period (the register holds an entry for each deletion).
alter table repair_applications add column contact_deleted_at text;
alter table objections add column contact_deleted_at text;

insert into settings (key, value, note) values
    ('privacy.contact_retention_days', '365', '办理终结后申请人、异议人姓名和联系电话的保存天数，到期自动删除并登记');
