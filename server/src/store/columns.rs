//! SQL both stores run alike: the column lists of the rows they read in
//! the same order, the failed-attempt tables, the feed's query (written
//! with `$n` placeholders, which SQLite takes too), and decoding helpers.

use app::store::StoreError;

/// The columns `rule_from_row` reads, from `catalog_rules r` joined to
/// `catalog_items i`.
macro_rules! rule_columns {
    () => {
        "r.tier, r.published, r.min_months, r.max_months, r.repairable, r.version, r.effective_from, i.disclosure"
    };
}
pub(crate) use rule_columns;

/// The columns of an account, in the order both stores read them.
pub(crate) const ACCOUNT_COLUMNS: &str =
    "a.id, a.username, a.display_name, a.role, a.department_id,
    a.password_hash, a.disabled, d.name, a.must_change_password";

/// The columns of a register entry, in the order both stores read them.
pub(crate) const AUDIT_COLUMNS: &str =
    "id, at, account_id, actor, action, target, purpose, client, prev_hash, hash";

/// The columns of a stored file, in the order both stores read them.
pub(crate) const FILE_COLUMNS: &str =
    "id, evidence_kind, display_name, stored_name, sha256, size_bytes, mime, event_id";

/// The columns of a domain, in [`domain_from_row`]'s order (both stores).
pub(crate) const DOMAIN_COLUMNS: &str =
    "code, name, list_basis, standard_basis, listing_authority, listing_years,
     earliest_removal_years, removal_conditions, removal_procedure, mirrored, mirror_contact";

/// How many years a stored count is, refusing what no domain can have.
pub(crate) fn years(stored: i64, column: &str) -> Result<u32, StoreError> {
    u32::try_from(stored).map_err(|_| StoreError(format!("serious_domains.{column} = {stored}")))
}

pub(crate) fn bad(what: &str, value: &str) -> StoreError {
    StoreError(format!("unknown {what} {value}"))
}

/// The tables counting failed attempts per client, for rate limits (both
/// stores).
#[derive(Clone, Copy)]
pub(crate) enum Failures {
    /// Wrong application number / tracking code pairs.
    Tracking,
    /// Failed staff logins.
    Login,
}

impl Failures {
    pub(crate) fn table(self) -> &'static str {
        match self {
            Failures::Tracking => "tracking_failures",
            Failures::Login => "login_failures",
        }
    }
}

/// Which changes the provincial platform is entitled to, as a condition on
/// the change `c` and, for a serious-list entry, the entry `s`. This is the
/// one place the rule is written: it is plain SQL both stores run (the
/// PostgreSQL store's feed uses it too).
///
/// A change leaves unless its record falls under a catalog item whose
/// sharing attribute (共享属性) is 不予共享 (`none`): such an item's records
/// are kept from every other system, whatever their disclosure attribute.
/// Items shared unconditionally and conditionally both leave: the
/// provincial platform is where the city's collected credit information is
/// delivered, a feed key is issued to it alone by an administrator, and
/// every read is registered — that is the condition. Records that are not
/// public (依申请公开, 授权查询, 不予公开) leave under the same rule, since
/// sharing between platforms is not disclosure to the public; what leaves
/// is masked all the same (`collect::feed`).
///
/// A serious-list entry falls under the items of the penalty that grounds
/// it. One not grounded on a penalty falls under no item and leaves: a
/// decided list is for sharing with the credit platforms above the city.
pub(crate) const ENTITLED: &str = "not exists (
    select 1 from record_rules rr
    join catalog_rules r on r.id = rr.rule_id
    join catalog_items i on i.id = r.item_id
    where i.sharing = 'none'
      and rr.record_kind = case c.record_kind when 'serious' then 'penalty' else c.record_kind end
      and rr.record_id = case c.record_kind when 'serious' then s.grounds_penalty_id
                                            else c.record_id end)";

/// The changes after `$1` the platform is entitled to, at most `$2`, with
/// their records' document numbers and subjects (both stores run it).
pub(crate) fn changes_sql() -> String {
    format!(
        "select c.id, c.at, c.record_kind, c.record_id, c.department_id, c.change,
                coalesce(p.doc_no, l.doc_no, s.doc_no), c.before, c.after,
                sub.id, sub.kind, sub.name, sub.credit_code, sub.id_number, sub.representative
         from record_changes c
         left join penalties p on c.record_kind = 'penalty' and p.id = c.record_id
         left join licenses l on c.record_kind = 'license' and l.id = c.record_id
         left join serious_entries s on c.record_kind = 'serious' and s.id = c.record_id
         join subjects sub on sub.id = coalesce(p.subject_id, l.subject_id, s.subject_id)
         where c.id > $1 and {ENTITLED}
         order by c.id limit $2"
    )
}

/// The columns of a listing, in the order both stores read them.
pub(crate) const LISTING_COLUMNS: &str =
    "id, number, domain_code, department_id, penalty_id, subject_id, state, reason, basis,
     measures, doc_no, notice_date, answer_deadline, access_hash, answer, reply, waived,
     decided_on, entry_id";

/// The states of a listing still in progress (the party may be listed).
pub(crate) const OPEN_LISTING_STATES: &str = "('proposed', 'notified', 'answered', 'replied')";

/// The columns of an objection, in the order both stores read them.
pub(crate) const OBJECTION_COLUMNS: &str =
    "id, number, tracking_hash, record_kind, record_id, department_id, subject_id, state, \
     grounds, explanation, objector_kind, objector_name, contact_phone, pledge_text, \
     pledge_signed_name, submitted_at, deadline, accepted_on, supplement_requested, \
     supplement_deadline, extended, decided_on";

/// The states in which an objection is being handled (one per record).
pub(crate) const OPEN_OBJECTION_STATES: &str = "('submitted', 'accepted', 'needs_supplement')";

/// An objection event's stored action: `submit` (the filing) or an
/// `ObjectionAction` code.
pub(crate) fn objection_action(
    code: &str,
) -> Result<Option<app::domain::objection::ObjectionAction>, StoreError> {
    if code == "submit" {
        return Ok(None);
    }
    app::domain::objection::ObjectionAction::from_code(code)
        .map(Some)
        .ok_or_else(|| bad("objection action", code))
}

/// The columns of a measure version, in [`MeasureRow`]'s order (both
/// stores).
pub(crate) const MEASURE_COLUMNS: &str =
    "id, measure_code, version, name, class, effect, basis_law, basis_article, basis_paragraph,
     basis_text, subject_kinds, implementer, effective_from, effective_to";

/// A measure version's own row, before its domains and departments.
pub(crate) struct MeasureRow {
    pub id: i64,
    pub code: String,
    pub version: i64,
    pub name: String,
    pub class: String,
    pub effect: String,
    pub law: String,
    pub article: String,
    pub paragraph: String,
    pub text: String,
    pub kinds: String,
    pub implementer: String,
    pub from: chrono::NaiveDate,
    pub to: Option<chrono::NaiveDate>,
}

/// Subject kinds as a version stores them.
pub(crate) fn kinds_text(kinds: &[app::domain::SubjectKind]) -> String {
    kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
}

/// Versions from their rows and the (version id, domain code) and
/// (version id, department id) rows that belong to them.
pub(crate) fn assemble_measures(
    rows: Vec<MeasureRow>,
    domains: Vec<(i64, String)>,
    departments: Vec<(i64, i64)>,
) -> Result<Vec<app::domain::measure::MeasureVersion>, StoreError> {
    use app::domain::measure::{LegalBasis, MeasureClass, MeasureVersion};
    use app::domain::SubjectKind;
    rows.into_iter()
        .map(|r| {
            let subject_kinds = r
                .kinds
                .split(',')
                .filter(|k| !k.is_empty())
                .map(|k| SubjectKind::from_code(k).ok_or_else(|| bad("subject kind", k)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(MeasureVersion {
                id: r.id,
                code: r.code,
                version: u32::try_from(r.version)
                    .map_err(|_| bad("measure version", &r.version.to_string()))?,
                name: r.name,
                class: MeasureClass::from_code(&r.class)
                    .ok_or_else(|| bad("measure class", &r.class))?,
                effect: r.effect,
                basis: LegalBasis {
                    law: r.law,
                    article: r.article,
                    paragraph: r.paragraph,
                    text: r.text,
                },
                domains: domains
                    .iter()
                    .filter(|(v, _)| *v == r.id)
                    .map(|(_, d)| d.clone())
                    .collect(),
                subject_kinds,
                implementer: r.implementer,
                departments: departments
                    .iter()
                    .filter(|(v, _)| *v == r.id)
                    .map(|(_, d)| *d)
                    .collect(),
                effective_from: r.from,
                effective_to: r.to,
            })
        })
        .collect()
}

/// The joint-check report per department and measure, both stores: `$1`
/// is a department id or null for all.
pub(crate) const CHECK_REPORT_SQL: &str = "
    select c.department_id, d.name, m.measure_code, v.name,
           count(*),
           sum(case when m.applied is null then 0 when m.applied then 1 else 0 end),
           sum(case when m.applied is null then 0 when m.applied then 0 else 1 end),
           sum(case when m.applied is null then 1 else 0 end),
           sum(case when m.late is null then 0 when m.late then 1 else 0 end)
    from joint_check_measures m
    join joint_checks c on c.id = m.check_id
    join departments d on d.id = c.department_id
    join measure_versions v on v.id = m.version_id
    where $1 is null or c.department_id = $1
    group by c.department_id, d.name, m.measure_code, v.name
    order by d.name, m.measure_code, v.name";

/// Checks per department and whether the subject was listed (`$1` as
/// above).
pub(crate) const CHECK_COUNTS_SQL: &str = "
    select d.name, c.listed, count(*)
    from joint_checks c join departments d on d.id = c.department_id
    where $1 is null or c.department_id = $1
    group by d.name, c.listed
    order by d.name";

/// The latest reasons for not applying a measure (`$1` as above).
pub(crate) const NOT_APPLIED_SQL: &str = "
    select c.id, d.name, v.name, c.matter_name, m.reason, m.received_at
    from joint_check_measures m
    join joint_checks c on c.id = m.check_id
    join departments d on d.id = c.department_id
    join measure_versions v on v.id = m.version_id
    where m.applied is not null and not m.applied and ($1 is null or c.department_id = $1)
    order by m.received_at desc
    limit 200";

/// The columns of `credit_reports` both report stores read, in the order
/// their row readers take them.
pub(crate) const REPORT_COLUMNS: &str =
    "number, content_hash, period_from, period_to, cutoff, summary, issued_at";

/// The steps of every case of `kind` with a step at or after the bound
/// parameter (`placeholder`: `?` or `$1`), each case from its submission,
/// in (case, step) order: id, department, at, action, deadline.
pub(crate) fn transparency_steps_sql(
    kind: app::domain::transparency::CaseKind,
    placeholder: &str,
) -> String {
    let (events, case, cases) = match kind {
        app::domain::transparency::CaseKind::Repair => {
            ("repair_events", "application_id", "repair_applications")
        }
        app::domain::transparency::CaseKind::Objection => {
            ("objection_events", "objection_id", "objections")
        }
    };
    format!(
        "select e.{case}, d.name, e.at, e.action, e.deadline
         from {events} e
         join {cases} c on c.id = e.{case}
         join departments d on d.id = c.department_id
         where e.{case} in (select {case} from {events} where at >= {placeholder})
         order by e.{case}, e.id"
    )
}

/// The columns of a consent, in the order both stores read them.
pub(crate) const CONSENT_COLUMNS: &str =
    "id, purpose, notice_version, categories, retention, channel, given_at, withdrawn_at";

/// Per kind of case, the cases whose contact data are due for deletion:
/// closed, the last step before `$1`, not deleted yet (id, number).
pub(crate) const ENDED_CASES: [(app::domain::privacy_notice::NoticeForm, &str); 2] = [
    (
        app::domain::privacy_notice::NoticeForm::Repair,
        "select a.id, a.number from repair_applications a
         where a.state not in ('submitted', 'accepted', 'needs_supplement')
           and a.contact_deleted_at is null
           and (select max(e.at) from repair_events e where e.application_id = a.id) < $1
         order by a.id",
    ),
    (
        app::domain::privacy_notice::NoticeForm::Objection,
        "select o.id, o.number from objections o
         where o.state not in ('submitted', 'accepted', 'needs_supplement')
           and o.contact_deleted_at is null
           and (select max(e.at) from objection_events e where e.objection_id = o.id) < $1
         order by o.id",
    ),
];

/// What deleting a case's name and phone takes: the update (`$1` the
/// deleted name, `$2` the time, `$3` the id), the register entry's target
/// prefix (as the console's entries name the case) and purpose.
pub(crate) struct ContactDeletion {
    pub update: &'static str,
    pub target: &'static str,
    pub purpose: &'static str,
}

pub(crate) fn contact_deletion(form: app::domain::privacy_notice::NoticeForm) -> ContactDeletion {
    match form {
        app::domain::privacy_notice::NoticeForm::Objection => ContactDeletion {
            update: "update objections set objector_name = $1, pledge_signed_name = $1,
                 contact_phone = '', contact_deleted_at = $2 where id = $3 and contact_deleted_at is null",
            target: "异议",
            purpose: "异议办理终结满保存期限，删除异议人姓名和联系电话",
        },
        _ => ContactDeletion {
            update: "update repair_applications set applicant_name = $1, pledge_signed_name = $1,
                 contact_phone = '', contact_deleted_at = $2 where id = $3 and contact_deleted_at is null",
            target: "修复申请",
            purpose: "信用修复申请办理终结满保存期限，删除申请人姓名和联系电话",
        },
    }
}

/// With the phone gone, an SMS consent still in force ends (`$1` the
/// time, `$2` the case kind, `$3` the case id).
pub(crate) const END_SMS_CONSENT: &str =
    "update consents set withdrawn_at = $1, withdrawn_channel = 'retention'
     where case_kind = $2 and case_id = $3 and purpose = 'sms' and withdrawn_at is null";
