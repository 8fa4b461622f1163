-- The initial schema of the public credit portal.
-- Dates are ISO-8601 text ('2025-04-15'); timestamps are UTC text.
-- Money is integer fen (分): national sheets deliver 万元, the UI shows 元.

-- Districts of Hegang (administrative division codes 2304xx).
create table districts (
    code text primary key,            -- e.g. '230402'
    name text not null                -- e.g. '向阳区'
) without rowid;

-- Determining authorities (认定单位) and data-source departments.
create table departments (
    id integer primary key,
    code text not null unique,        -- short stable code, e.g. 'scjg'
    name text not null,               -- e.g. '鹤岗市市场监督管理局'
    short_name text not null,         -- used in document numbers, e.g. '鹤市监'
    credit_code text not null,        -- 统一社会信用代码 of the authority
    division_code text not null references districts(code)
);

-- The public credit information catalog (公共信用信息目录): nothing outside
-- it is recorded. The seven attributes of an item are the columns below plus
-- its publication rule (catalog_rules).
create table catalog_items (
    id integer primary key,
    code text not null unique,
    name text not null,                                  -- 信息项名称
    record_kind text not null check (record_kind in ('penalty', 'license', 'serious')),
    conduct text not null,                               -- the conduct it covers
    department_id integer not null references departments(id),  -- providing department
    data_source text not null,                           -- 数据来源
    classification text not null check (classification in ('basic', 'dishonesty', 'trust', 'other')),
    sharing text not null check (sharing in ('unconditional', 'conditional', 'none')),
    disclosure text not null check (disclosure in ('public', 'on_request', 'authorised', 'none'))
);

-- Publication rules of catalog items, versioned: a change creates a new
-- version with an effective date, and records keep the version they were
-- decided under (record_rules points at a version, not at the item).
create table catalog_rules (
    id integer primary key,
    item_id integer not null references catalog_items(id),
    version integer not null,
    tier text not null check (tier in ('minor', 'ordinary', 'serious')),
    published integer not null check (published in (0, 1)),
    min_months integer not null check (min_months >= 0),
    max_months integer not null check (max_months >= min_months),
    repairable integer not null check (repairable in (0, 1)),
    effective_from text not null,
    unique (item_id, version)
);

-- Credit subjects (信用主体). Personal data (names of natural persons and
-- individual business operators, ID numbers) is stored as delivered and
-- masked before any public response.
create table subjects (
    id integer primary key,
    kind text not null check (kind in ('legal', 'individual', 'person')),
    name text not null,
    credit_code text unique,          -- null for natural persons
    id_number text,                   -- natural persons only, never public
    representative text,              -- 法定代表人 / 经营者
    division_code text
);

-- Administrative penalties (行政处罚), 双公示 fields (national column codes in comments).
create table penalties (
    id integer primary key,
    subject_id integer not null references subjects(id),
    doc_no text not null,             -- CF_WSH 决定书文号
    violation_type text not null,     -- CF_WFXW
    facts text not null,              -- CF_SY
    basis text not null,              -- CF_YJ
    categories text not null,         -- CF_CFLB, '、'-separated
    content text not null,            -- CF_NR
    fine_fen integer,                 -- CF_NR_FK (delivered in 万元)
    confiscated_fen integer,          -- CF_NR_WFFF (delivered in 万元)
    license_action text,              -- CF_NR_ZKDX
    decision_date text not null,      -- CF_JDRQ
    valid_until text,                 -- CF_YXQ
    department_id integer not null references departments(id),        -- CF_CFJG / CF_CFJGDM
    source_department_id integer not null references departments(id), -- CF_SJLY / CF_SJLYDM
    note text,                        -- BZ
    repaired_on text,                 -- set when a repair is approved
    created_at text not null,
    unique (department_id, doc_no)
);
create index penalties_subject on penalties(subject_id);
create index penalties_doc_no on penalties(doc_no);

-- Administrative licences (行政许可), 双公示 fields.
create table licenses (
    id integer primary key,
    subject_id integer not null references subjects(id),
    doc_name text not null,           -- XK_XKWS
    doc_no text not null,             -- XK_WSH
    category text not null,           -- XK_XKLB
    cert_name text,                   -- XK_XKZS
    cert_no text,                     -- XK_XKBH
    content text not null,            -- XK_NR
    decision_date text not null,      -- XK_JDRQ
    valid_from text not null,         -- XK_YXQZ
    valid_to text,                    -- XK_YXQZI
    department_id integer not null references departments(id),        -- XK_XKJG / XK_XKJGDM
    source_department_id integer not null references departments(id), -- XK_LYDW / XK_LYDWDM
    state text not null,              -- XK_ZT
    note text,                        -- BZ
    created_at text not null,
    unique (department_id, doc_no)
);
create index licenses_subject on licenses(subject_id);
create index licenses_doc_no on licenses(doc_no);

-- Which catalog rule versions a record falls under (several penalty types
-- in one decision: the longest period rules).
create table record_rules (
    record_kind text not null check (record_kind in ('penalty', 'license')),
    record_id integer not null,
    rule_id integer not null references catalog_rules(id),
    primary key (record_kind, record_id, rule_id)
) without rowid;

-- Serious-dishonesty list entries (严重失信主体名单).
create table serious_entries (
    id integer primary key,
    subject_id integer not null references subjects(id),
    list_name text not null,          -- e.g. '市场监督管理严重违法失信名单'
    reason text not null,
    basis text not null,
    doc_no text not null,
    department_id integer not null references departments(id),
    listed_on text not null,
    until text not null,              -- removal at the end of the period
    measures text not null,
    removal_conditions text not null,
    remedies text not null,
    grounds_penalty_id integer references penalties(id),
    ended_on text,                    -- early removal (repair)
    created_at text not null
);
create index serious_entries_subject on serious_entries(subject_id);

-- The public projection: one row per record that is public now, already
-- masked. Public pages and search read only this and the FTS index below,
-- so an unpublished value cannot leak through a search.
-- sort_key = (days since 1970 of the decision date) << 32 | kind << 30 | record id:
-- it sorts newest first with ORDER BY sort_key DESC, a decision-date range
-- is a sort_key range, and it is also the rowid of the FTS row.
create table public_entries (
    sort_key integer primary key,
    record_kind text not null,
    record_id integer not null,
    subject_id integer not null,
    name text not null,               -- public (masked) name
    name_norm text not null,          -- normalised public name, for substring checks
    credit_code text,
    doc_no text not null,             -- normalised document number
    department_id integer not null,
    department text not null,
    decision_date text not null,
    until text not null,              -- last public day
    summary text not null
);
create unique index public_entries_record on public_entries(record_kind, record_id);
create index public_entries_credit_code on public_entries(credit_code, sort_key);
create index public_entries_doc_no on public_entries(doc_no);
create index public_entries_until on public_entries(until);
create index public_entries_subject on public_entries(subject_id, sort_key);

-- Name search: each public name as space-separated unigrams and bigrams
-- (1- and 2-character queries match a token exactly; longer ones AND their
-- bigrams and check the substring on public_entries.name_norm), plus
-- reserved tokens of three or more characters for filters: 'zzk1'..'zzk3'
-- (record kind) and 'zzd<department id>'. Contentless, no positions
-- (detail=none): small and fast; rowid = public_entries.sort_key.
create virtual table public_fts using fts5(
    tokens,
    content = '',
    contentless_delete = 1,
    detail = none,
    tokenize = 'unicode61'
);
