-- Credit record reports (信用信息报告, DOMAIN.md §14): each distinct content
-- gets one number, so reloading a report shows the same number. The
-- verify page reads number, hash, period, cut-off and the summary counts;
-- no name or record is kept here, only the subject's credit code.
create table credit_reports (
    number text primary key,            -- BG + date + daily sequence
    day text not null,                  -- the date of the number
    seq integer not null,
    content_hash text not null unique,  -- SHA-256 of the content, hex
    credit_code text not null,
    period_from text not null,
    period_to text not null,
    cutoff text not null,
    summary text not null,              -- [{"label":…,"count":…}]
    issued_at text not null,
    unique (day, seq)
);
