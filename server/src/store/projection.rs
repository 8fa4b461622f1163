//! The public projection of a record: the masked, searchable row that
//! `public_entries` and `public_fts` hold while the record is public.

use app::domain::masking::public_name;
use app::domain::publication::is_listed;
use app::domain::search_text::{index_tokens, normalize};
use app::domain::{publication_window, status_on, PublicationRule, SubjectKind};
use app::model::RecordKind;
use chrono::{NaiveDate, NaiveTime};

use super::seed::{NewLicense, NewPenalty};

/// One row of the public projection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectionRow {
    pub sort_key: i64,
    pub kind: RecordKind,
    pub record_id: i64,
    pub subject_id: i64,
    pub name: String,
    pub name_norm: String,
    pub credit_code: Option<String>,
    pub doc_no: String,
    pub department_id: i64,
    pub department: String,
    pub decision_date: NaiveDate,
    pub until: NaiveDate,
    pub summary: String,
    /// The FTS document: name tokens plus the reserved filter tokens.
    pub tokens: String,
}

/// What a record contributes, whatever its kind.
pub struct RecordFacts<'a> {
    pub kind: RecordKind,
    pub record_id: i64,
    pub subject_id: i64,
    pub subject_kind: SubjectKind,
    pub subject_name: &'a str,
    pub representative: Option<&'a str>,
    pub credit_code: Option<&'a str>,
    pub doc_no: &'a str,
    pub department_id: i64,
    pub department: &'a str,
    pub decision_date: NaiveDate,
    pub summary: String,
}

/// Days since 1970-01-01 (negative before).
fn day_number(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN)
        .and_utc()
        .timestamp()
        .div_euclid(86_400)
}

/// The sort key: newest decision first under `ORDER BY sort_key DESC`; a
/// decision-date range is a key range. Record ids must stay below 2^30.
pub fn sort_key(date: NaiveDate, kind: RecordKind, record_id: i64) -> i64 {
    (day_number(date) << 32) | (kind.index_code() << 30) | (record_id & 0x3FFF_FFFF)
}

/// The sort-key range `[lo, hi]` for decisions between `from` and `to` inclusive.
pub fn key_range(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (i64, i64) {
    let lo = from.map(|d| day_number(d) << 32).unwrap_or(i64::MIN);
    let hi = to
        .map(|d| ((day_number(d) + 1) << 32) - 1)
        .unwrap_or(i64::MAX);
    (lo, hi)
}

/// The reserved FTS token for a record kind (three or more characters, so it
/// never collides with the one- and two-character name tokens).
pub fn kind_token(kind: RecordKind) -> String {
    format!("zzk{}", kind.index_code())
}

/// The reserved FTS token for a department.
pub fn department_token(department_id: i64) -> String {
    format!("zzd{department_id}")
}

/// The projection row of a penalty or licence under `rules`, or `None` when
/// it is not public on `today`.
pub fn for_record(
    facts: RecordFacts<'_>,
    rules: &[PublicationRule],
    repaired_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<ProjectionRow> {
    if !status_on(facts.decision_date, rules, repaired_on, today).is_public() {
        return None;
    }
    let until = publication_window(facts.decision_date, rules)?.until;
    Some(build(facts, until))
}

/// The projection row of a serious-list entry listed from `listed_on` to `until`.
pub fn for_listing(
    facts: RecordFacts<'_>,
    until: NaiveDate,
    ended_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<ProjectionRow> {
    is_listed(facts.decision_date, until, ended_on, today).then(|| build(facts, until))
}

/// What a projection row takes from its subject: the public (masked)
/// name, its normalised form and the FTS document (name tokens plus the
/// record kind's and the department's reserved tokens).
pub fn subject_columns(
    kind: RecordKind,
    department_id: i64,
    subject_kind: SubjectKind,
    subject_name: &str,
    representative: Option<&str>,
) -> (String, String, String) {
    let name = public_name(subject_kind, subject_name, representative);
    let name_norm = normalize(&name);
    let tokens = format!(
        "{} {} {}",
        index_tokens(&name),
        kind_token(kind),
        department_token(department_id)
    );
    (name, name_norm, tokens)
}

/// The projection row of penalty or licence `r` under what `known` says
/// of its rules, department and subject, or `None` when it is not public
/// on `today`. Both stores build a record's row here, however they looked
/// the facts up.
pub(crate) fn of_record(
    r: &Publishable<'_>,
    known: Known<'_>,
    today: NaiveDate,
) -> Option<ProjectionRow> {
    let facts = RecordFacts {
        kind: r.kind,
        record_id: r.record_id,
        subject_id: r.subject_id,
        subject_kind: known.subject.kind,
        subject_name: &known.subject.name,
        representative: known.subject.representative.as_deref(),
        credit_code: known.subject.credit_code.as_deref(),
        doc_no: r.doc_no,
        department_id: r.department_id,
        department: known.department,
        decision_date: r.decision_date,
        summary: r.summary.clone(),
    };
    for_record(facts, known.rules, r.repaired_on, today)
}

/// A serious-list entry as stored, for its projection row.
pub struct Listing<'a> {
    pub id: i64,
    pub subject_id: i64,
    pub subject: &'a SubjectFacts,
    pub doc_no: &'a str,
    pub department_id: i64,
    pub department: &'a str,
    pub listed_on: NaiveDate,
    pub list_name: String,
    pub until: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

/// The projection row of a serious-list entry, or `None` when it is not
/// listed on `today`. Both stores build an entry's row here.
pub fn of_listing(e: Listing<'_>, today: NaiveDate) -> Option<ProjectionRow> {
    let facts = RecordFacts {
        kind: RecordKind::Serious,
        record_id: e.id,
        subject_id: e.subject_id,
        subject_kind: e.subject.kind,
        subject_name: &e.subject.name,
        representative: e.subject.representative.as_deref(),
        credit_code: e.subject.credit_code.as_deref(),
        doc_no: e.doc_no,
        department_id: e.department_id,
        department: e.department,
        decision_date: e.listed_on,
        summary: e.list_name,
    };
    for_listing(facts, e.until, e.ended_on, today)
}

fn build(facts: RecordFacts<'_>, until: NaiveDate) -> ProjectionRow {
    let (name, name_norm, tokens) = subject_columns(
        facts.kind,
        facts.department_id,
        facts.subject_kind,
        facts.subject_name,
        facts.representative,
    );
    ProjectionRow {
        sort_key: sort_key(facts.decision_date, facts.kind, facts.record_id),
        kind: facts.kind,
        record_id: facts.record_id,
        subject_id: facts.subject_id,
        name,
        name_norm,
        credit_code: facts.credit_code.map(str::to_string),
        doc_no: facts.doc_no.to_string(),
        department_id: facts.department_id,
        department: facts.department.to_string(),
        decision_date: facts.decision_date,
        until,
        summary: facts.summary,
        tokens,
    }
}

/// What the projection needs of a subject.
#[derive(Clone, Debug)]
pub struct SubjectFacts {
    pub kind: SubjectKind,
    pub name: String,
    pub representative: Option<String>,
    pub credit_code: Option<String>,
}

/// A penalty or licence as the projection sees it (the PostgreSQL store
/// builds the same, so both summarise a record alike).
pub(crate) struct Publishable<'a> {
    pub(crate) kind: RecordKind,
    pub(crate) record_id: i64,
    pub(crate) subject_id: i64,
    pub(crate) doc_no: &'a str,
    pub(crate) department_id: i64,
    pub(crate) decision_date: NaiveDate,
    pub(crate) summary: String,
    pub(crate) repaired_on: Option<NaiveDate>,
    pub(crate) rule_ids: &'a [i64],
}

impl NewPenalty<'_> {
    pub(crate) fn publishable(&self, record_id: i64) -> Publishable<'_> {
        Publishable {
            kind: RecordKind::Penalty,
            record_id,
            subject_id: self.subject_id,
            doc_no: self.doc_no,
            department_id: self.department_id,
            decision_date: self.decision_date,
            summary: self.categories.join("、"),
            repaired_on: self.repaired_on,
            rule_ids: self.rule_ids,
        }
    }
}

impl NewLicense<'_> {
    pub(crate) fn publishable(&self, record_id: i64) -> Publishable<'_> {
        Publishable {
            kind: RecordKind::License,
            record_id,
            subject_id: self.subject_id,
            doc_no: self.doc_no,
            department_id: self.department_id,
            decision_date: self.decision_date,
            summary: format!("{}：{}", self.category, self.doc_name),
            repaired_on: None,
            rule_ids: self.rule_ids,
        }
    }
}

/// What the projection needs besides the record, when the caller already
/// knows it — an import, which would otherwise look it up for every row:
/// the record's rules (item disclosure applied), the department's name and
/// the subject.
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub rules: &'a [PublicationRule],
    pub department: &'a str,
    pub subject: &'a SubjectFacts,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn sort_keys_order_by_date_then_id() {
        let a = sort_key(d(2025, 1, 1), RecordKind::Penalty, 999_999);
        let b = sort_key(d(2025, 1, 2), RecordKind::Penalty, 1);
        assert!(a < b);
        let (lo, hi) = key_range(Some(d(2025, 1, 2)), Some(d(2025, 1, 2)));
        assert!(lo <= b && b <= hi);
        assert!(!(lo <= a && a <= hi));
    }

    #[test]
    fn natural_person_names_are_masked_before_indexing() {
        let facts = RecordFacts {
            kind: RecordKind::Penalty,
            record_id: 7,
            subject_id: 1,
            subject_kind: SubjectKind::NaturalPerson,
            subject_name: "王小明",
            representative: None,
            credit_code: None,
            doc_no: "鹤环罚〔2025〕1号",
            department_id: 3,
            department: "鹤岗市生态环境局",
            decision_date: d(2025, 1, 1),
            summary: "罚款".into(),
        };
        let row = build(facts, d(2026, 1, 1));
        assert_eq!(row.name, "王**");
        assert!(!row.tokens.contains('小') && !row.tokens.contains('明'));
        assert!(row.tokens.contains("zzk1") && row.tokens.contains("zzd3"));
    }
}
