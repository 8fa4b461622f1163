-- The legal basis on which a natural person's record is processed
-- (DOMAIN.md §15, app::domain::personal_basis): 'statutory_duty' (个人信息
-- 保护法 art 13(1)(3)) or 'consent' with the consent's reference. Import
-- requires one on every natural person's row; organisations' records and
-- records collected before the rule have none (null), and none is invented
-- for them here: a basis is what the deciding department declares.
alter table penalties add column personal_basis text
    check (personal_basis in ('statutory_duty', 'consent'));
alter table penalties add column consent_ref text;
alter table licenses add column personal_basis text
    check (personal_basis in ('statutory_duty', 'consent'));
alter table licenses add column consent_ref text;

-- Staged rows carry them to publication.
alter table staged_penalties add column personal_basis text;
alter table staged_penalties add column consent_ref text;
alter table staged_licenses add column personal_basis text;
alter table staged_licenses add column consent_ref text;
