//! Issued credit reports, and what a report says of a subject's records
//! besides the records themselves (objections and repairs under way).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::StoreError;
use crate::domain::objection::ObjectionState;
use crate::model::RecordKind;

/// A report to issue: its content's hash and what the verify page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReport {
    pub content_hash: String,
    pub credit_code: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub cutoff: NaiveDate,
    /// The summary counts as JSON (`[{"label":…,"count":…}]`): no names.
    pub summary: String,
    /// The day whose sequence numbers it (China time).
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
}

/// A report as registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedReport {
    pub number: String,
    pub content_hash: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub cutoff: NaiveDate,
    pub summary: String,
    pub issued_at: DateTime<Utc>,
}

/// The outcome of issuing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Issued {
    /// Newly numbered, or the same content issued before (same number).
    Report(IssuedReport),
    /// The day's 99,999 numbers are used up.
    NumbersExhausted,
}

/// The records of one subject that are under way somewhere.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubjectCases {
    /// Records with an objection in the marked state (异议处理中).
    pub under_objection: Vec<(RecordKind, i64)>,
    /// Penalties with a repair application being handled.
    pub under_repair: Vec<i64>,
}

#[async_trait]
pub trait ReportStore: Send + Sync + 'static {
    /// Registers a report. The same content (same hash) gets the number it
    /// was first given: reloading a report does not make a new one.
    async fn issue_report(&self, report: &NewReport) -> Result<Issued, StoreError>;

    async fn report_by_number(&self, number: &str) -> Result<Option<IssuedReport>, StoreError>;

    /// The subject's records under objection (`marked`) or repair (an
    /// application in one of `open_repair_states`).
    async fn subject_cases(
        &self,
        subject_id: i64,
        marked: ObjectionState,
        open_repair_states: &[&str],
    ) -> Result<SubjectCases, StoreError>;
}
