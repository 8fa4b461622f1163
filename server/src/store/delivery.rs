//! The delivery pipeline's view of the database (a committed sheet or a
//! push, `collect::import`): what it reads, how it stages accepted rows and
//! publishes them, and the backend-neutral pieces between — what a checked
//! row becomes (record, subject, projection row, change-log entry).
//!
//! The traits live here rather than in `app::store` because only the
//! server runs deliveries and their rows carry server-side types (the
//! projection). `store::collect` is the SQLite implementation.
//!
//! - [`DeliveryStore`] hands out a department's turn, readers and stagings.
//! - [`DeliveryReads`] reads what checking a row needs: a dry run reads in
//!   one snapshot it never commits, a commit reads outside the short write
//!   transactions that stage it.
//! - [`Stage`] collects accepted rows, writes them a chunk at a time where
//!   nothing else reads them, and publishes them all in one transaction
//!   (or drops them): the delivery's only visible step.

use std::collections::HashMap;

use app::domain::collection::{CheckedRow, LicenseRow, PenaltyRow, SheetKind, SubjectFields};
use app::domain::PublicationRule;
use app::model::RecordKind;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::projection::{self, ProjectionRow, RecordFacts};
use crate::store::projection::SubjectFacts;

#[async_trait]
pub trait DeliveryStore: Send + Sync + 'static {
    /// Waits for department `department_id`'s turn to deliver, first come
    /// first served. What a delivery found when checking (which document
    /// numbers are corrections, the fields a correction changes) must
    /// still hold when it is published, and only the department's own
    /// deliveries change those. Other departments deliver meanwhile: the
    /// one thing they can change under it, registering a subject it names,
    /// is settled at publication.
    async fn turn(&self, department_id: i64) -> Result<DeliveryTurn, StoreError>;

    /// A reader: with `snapshot`, every read sees the database as it was
    /// at the first one (a dry run); without, each sees it as it is now.
    async fn reads(&self, snapshot: bool) -> Result<Box<dyn DeliveryReads>, StoreError>;

    /// Starts staging a delivery of `kind` records for the department
    /// whose `turn` it is; `actor` is who delivers (for the change log).
    async fn stage(
        &self,
        turn: &DeliveryTurn,
        kind: SheetKind,
        actor: &str,
    ) -> Result<Box<dyn Stage>, StoreError>;

    /// Removes deliveries whose staging began before `before` and were
    /// never published (the importer died), with every staged row whose
    /// delivery is gone. At start-up `before` is now. Returns how many
    /// deliveries were removed.
    async fn discard_abandoned(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;
}

#[async_trait]
pub trait DeliveryReads: Send {
    /// The importing department and the catalog.
    async fn context(&mut self, department_id: i64) -> Result<ImportContext, StoreError>;

    /// What a row's numbers name: the record of `kind` the department
    /// already delivered under `doc_no` (a correction), and the registered
    /// subject of the row's identifier (credit code, or a natural person's
    /// ID number) with what the projection needs of it.
    async fn lookup_row(
        &mut self,
        kind: SheetKind,
        department_id: i64,
        doc_no: &str,
        subject: &SubjectFields,
    ) -> Result<(Option<i64>, Option<(i64, SubjectFacts)>), StoreError>;

    /// The stored values of the logged fields of record `id`
    /// ([`PENALTY_LOGGED`], [`LICENSE_LOGGED`]), in their order.
    async fn stored_fields(&mut self, kind: SheetKind, id: i64) -> Result<Fields, StoreError>;
}

#[async_trait]
pub trait Stage: Send {
    /// Notes a subject the delivery registers: number `no` in the
    /// delivery, named by `key` ([`subject_key`]).
    fn add_subject(&mut self, no: u32, key: String, fields: &SubjectFields);

    /// Adds an accepted row; written with the next chunk.
    fn add(&mut self, row: StagedRow);

    /// A chunk is ready to write ([`Stage::flush`]).
    fn is_full(&self) -> bool;

    /// Writes the rows and subjects added since the last chunk, in one
    /// short write transaction.
    async fn flush(&mut self) -> Result<(), StoreError>;

    /// Publishes the delivery in one transaction and records it
    /// (`channel`: sheet or api) with `counts`. `ctx` is what its rows were
    /// checked against; `today` the day they were checked for. Refused
    /// (nothing written) when the catalog changed meanwhile or the staged
    /// rows were cleaned away.
    async fn publish(
        self: Box<Self>,
        ctx: &ImportContext,
        counts: &DeliveryCounts,
        channel: &str,
        today: NaiveDate,
    ) -> Result<Published, StoreError>;

    /// Drops the staged delivery: nothing of it becomes visible.
    async fn discard(self: Box<Self>);

    /// How long the delivery has held the write lock so far.
    fn stats(&self) -> WriteStats;
}

/// How long a delivery held the write lock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Write transactions (the staging's start, chunks, the publication).
    pub transactions: u32,
    /// The longest staging transaction.
    pub longest_chunk: std::time::Duration,
    /// The publishing transaction.
    pub publish: std::time::Duration,
}

impl WriteStats {
    /// Notes one staging transaction that took `took`.
    pub fn note(&mut self, took: std::time::Duration) {
        self.transactions += 1;
        self.longest_chunk = self.longest_chunk.max(took);
    }
}

/// What publishing did.
pub enum Published {
    /// The delivery is in the records, public where it should be.
    Done(WriteStats),
    /// Nothing was written: the reason, for the person delivering.
    Refused(String),
}

/// The delivered fields of a penalty the change log records, by column
/// code, in the order of [`penalty_fields`] and of
/// [`DeliveryReads::stored_fields`].
pub const PENALTY_LOGGED: [&str; 12] = [
    "CF_XDR_MC",
    "CF_WFXW",
    "CF_SY",
    "CF_YJ",
    "CF_CFLB",
    "CF_NR",
    "CF_NR_FK",
    "CF_NR_WFFF",
    "CF_NR_ZKDX",
    "CF_JDRQ",
    "CF_YXQ",
    "BZ",
];

/// A penalty row's values of [`PENALTY_LOGGED`] (amounts in fen, as stored).
pub fn penalty_fields(row: &PenaltyRow) -> Fields {
    let values = [
        Some(row.subject.name.clone()),
        Some(row.violation_type.clone()),
        Some(row.facts.clone()),
        Some(row.basis.clone()),
        Some(row.categories.join("、")),
        Some(row.content.clone()),
        row.fine.map(|f| f.0.to_string()),
        row.confiscated.map(|f| f.0.to_string()),
        row.license_action.clone(),
        Some(row.decision_date.to_string()),
        row.valid_until.map(|d| d.to_string()),
        row.note.clone(),
    ];
    PENALTY_LOGGED.into_iter().zip(values).collect()
}

/// The delivered fields of a licence the change log records, by column
/// code, in the order of [`license_fields`] and of
/// [`DeliveryReads::stored_fields`].
pub const LICENSE_LOGGED: [&str; 11] = [
    "XK_XDR_MC",
    "XK_XKWS",
    "XK_XKLB",
    "XK_XKZS",
    "XK_XKBH",
    "XK_NR",
    "XK_JDRQ",
    "XK_YXQZ",
    "XK_YXQZI",
    "XK_ZT",
    "BZ",
];

/// A licence row's values of [`LICENSE_LOGGED`], as stored.
pub fn license_fields(row: &LicenseRow) -> Fields {
    let values = [
        Some(row.subject.name.clone()),
        Some(row.doc_name.clone()),
        Some(row.category.clone()),
        row.cert_name.clone(),
        row.cert_no.clone(),
        Some(row.content.clone()),
        Some(row.decision_date.to_string()),
        Some(row.valid_from.to_string()),
        row.valid_to.map(|d| d.to_string()),
        Some(row.state.clone()),
        row.note.clone(),
    ];
    LICENSE_LOGGED.into_iter().zip(values).collect()
}

/// A catalog item as an import checks rows against it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogEntry {
    pub name: String,
    /// Working days after the decision within which it must be delivered.
    pub reporting_working_days: u32,
    pub record_kind: RecordKind,
    pub department_id: i64,
    /// Rule versions, oldest first: (rule id, rule).
    pub rules: Vec<(i64, PublicationRule)>,
}

impl CatalogEntry {
    /// The rule version in force on `date` (the first one for dates before
    /// any version: the item existed, its earliest rule applies).
    pub fn rule_on(&self, date: NaiveDate) -> Option<&(i64, PublicationRule)> {
        self.rules
            .iter()
            .rev()
            .find(|(_, r)| r.effective_from <= date)
            .or(self.rules.first())
    }
}

/// The importing department and the catalog, loaded once per import.
#[derive(Clone, Debug)]
pub struct ImportContext {
    pub department_id: i64,
    /// For the reporting limit (late deliveries).
    pub calendar: app::domain::working_days::HolidayCalendar,
    pub department_name: String,
    pub department_credit_code: String,
    pub catalog: HashMap<String, CatalogEntry>,
}

fn json_object(fields: &[(&str, Option<String>)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                v.clone()
                    .map(serde_json::Value::String)
                    .unwrap_or(serde_json::Value::Null),
            )
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Who a checked row is about: a registered subject, or one the delivery
/// registers (its number among the delivery's new subjects).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectRef {
    Registered(i64),
    New(u32),
}

/// How a row names its subject, as [`DeliveryReads::lookup_row`] finds it: by credit code,
/// or a natural person by ID number (`None`: neither, cannot happen for a
/// checked row).
pub fn subject_key(subject: &SubjectFields) -> Option<String> {
    match (&subject.credit_code, &subject.id_number) {
        (Some(code), _) => Some(format!("c:{code}")),
        (None, Some(id)) => Some(format!("p:{id}")),
        (None, None) => None,
    }
}

/// The stored `personal_basis` of a row's subject: a natural person's
/// basis of processing; `None` for organisations.
pub fn basis_code(subject: &SubjectFields) -> Option<&'static str> {
    subject.personal_basis.as_ref().map(|b| b.code())
}

/// The stored `consent_ref` of a row's subject, when the basis is consent.
pub fn consent_ref(subject: &SubjectFields) -> Option<String> {
    subject
        .personal_basis
        .as_ref()
        .and_then(|b| b.reference())
        .map(str::to_string)
}

/// What the database says of a checked row: the rule version it falls
/// under, the record it corrects (if any) and the subject its identifier
/// names (if registered, or named by an earlier row of the delivery).
pub struct Found<'a> {
    pub rule: (i64, &'a PublicationRule),
    pub existing: Option<i64>,
    pub subject: Option<(SubjectRef, SubjectFacts)>,
}

/// The turn of one department to deliver ([`DeliveryStore::turn`]):
/// staging and publishing a delivery need it, so two deliveries of a
/// department never overlap. Held until dropped.
pub struct DeliveryTurn {
    pub department_id: i64,
    _guard: Box<dyn Send + Sync>,
}

impl DeliveryTurn {
    /// Department `department_id`'s turn, held as long as `guard` lives.
    pub fn new(department_id: i64, guard: impl Send + Sync + 'static) -> Self {
        DeliveryTurn {
            department_id,
            _guard: Box::new(guard),
        }
    }
}

/// A checked and accepted row as it is staged: the record, the subject,
/// whether it is late, its projection row (if public today; its sort key
/// without the record id) and its change-log entry.
pub struct StagedRow {
    pub row: CheckedRow,
    pub existing: Option<i64>,
    pub subject: SubjectRef,
    pub rule_id: i64,
    pub late: bool,
    pub projection: Option<ProjectionRow>,
    pub change: Option<(&'static str, Option<String>, Option<String>)>,
}

/// Prepares an accepted row for staging: `subject` is the row's subject
/// as `found` (or the delivery) knows it. Reads the corrected record's
/// logged fields, for the change log.
pub async fn staged_row(
    reads: &mut dyn DeliveryReads,
    ctx: &ImportContext,
    row: CheckedRow,
    found: &Found<'_>,
    subject: (SubjectRef, &SubjectFacts),
    late: bool,
    today: NaiveDate,
) -> Result<StagedRow, StoreError> {
    let (kind, before, after, summary) = match &row {
        CheckedRow::Penalty(p) => {
            let before = match found.existing {
                Some(id) => Some(reads.stored_fields(SheetKind::Penalty, id).await?),
                None => None,
            };
            (
                RecordKind::Penalty,
                before,
                penalty_fields(p),
                p.categories.join("、"),
            )
        }
        CheckedRow::License(l) => {
            let before = match found.existing {
                Some(id) => Some(reads.stored_fields(SheetKind::License, id).await?),
                None => None,
            };
            (
                RecordKind::License,
                before,
                license_fields(l),
                format!("{}：{}", l.category, l.doc_name),
            )
        }
    };
    let (subject_ref, facts) = subject;
    let key = row.key();
    let record = RecordFacts {
        kind,
        record_id: 0,
        subject_id: 0,
        subject_kind: facts.kind,
        subject_name: &facts.name,
        representative: facts.representative.as_deref(),
        credit_code: facts.credit_code.as_deref(),
        doc_no: key.doc_no,
        department_id: ctx.department_id,
        department: &ctx.department_name,
        decision_date: key.decision_date,
        summary,
    };
    // A correction of a repaired record stays off the public pages: that
    // is settled at publication, against the record as it is then.
    let projection =
        projection::for_record(record, std::slice::from_ref(found.rule.1), None, today);
    Ok(StagedRow {
        existing: found.existing,
        subject: subject_ref,
        rule_id: found.rule.0,
        late,
        projection,
        change: change_entry(before, after),
        row,
    })
}

/// A record's delivered fields as the change log keeps them: column code
/// and value (as stored).
pub type Fields = Vec<(&'static str, Option<String>)>;

/// The change-log entry of a write: a new record with all its fields, or a
/// correction with the fields that changed, before and after (none when
/// nothing did).
fn change_entry(
    before: Option<Fields>,
    after: Fields,
) -> Option<(&'static str, Option<String>, Option<String>)> {
    let Some(before) = before else {
        return Some(("new", None, Some(json_object(&after))));
    };
    let changed: Vec<usize> = (0..after.len())
        .filter(|&i| before[i].1 != after[i].1)
        .collect();
    if changed.is_empty() {
        return None;
    }
    let pick = |f: &Fields| json_object(&changed.iter().map(|&i| f[i].clone()).collect::<Vec<_>>());
    Some(("corrected", Some(pick(&before)), Some(pick(&after))))
}

/// What one delivery did, for the quality statistics.
pub struct DeliveryCounts {
    pub taken: u64,
    pub updated: u64,
    pub refused: u64,
    pub late: u64,
}

/// Rows staged per write transaction: a few milliseconds of the write
/// lock in a release build (the checks of the next chunk run without it).
pub const CHUNK_ROWS: usize = 500;
