//! Storage of the measures list, of joint checks and of their feedback.
//!
//! The rules (which measures apply, what feedback is acceptable, when it is
//! late) are the domain's (`crate::domain::measure`, `joint_check`); a
//! store only keeps versions, rows and register entries, each write in one
//! transaction.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::staff::NewAuditEntry;
use super::StoreError;
use crate::domain::measure::{MeasureVersion, NewMeasure};
use crate::domain::SubjectKind;

/// What saving a measure did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Stored as this version.
    Version(Box<MeasureVersion>),
    /// A new measure's code is another measure's.
    CodeTaken,
    /// The measure was changed by someone else since the form was read:
    /// its current version is no longer `expected`.
    Stale { current: u32 },
}

/// A subject a check found, with what identifies the match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedSubjectRow {
    pub id: i64,
    pub kind: SubjectKind,
    pub name: String,
    pub credit_code: Option<String>,
    pub representative: Option<String>,
}

/// A serious-list entry of a checked subject, as stored: whether it is
/// current on the day is the domain's question (`publication::is_listed`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub domain_code: Option<String>,
    pub list_name: String,
    pub department_id: i64,
    pub department: String,
    pub doc_no: String,
    pub listed_on: NaiveDate,
    pub until: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// An objection's decision took it off for good.
    pub withdrawn: bool,
}

/// A check to register, with what it answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCheck {
    pub id: String,
    pub key_id: i64,
    pub department_id: i64,
    pub subject_id: Option<i64>,
    /// The identifier asked about, as the register keeps it (an ID number
    /// masked).
    pub identifier: String,
    pub matter_code: String,
    pub matter_name: String,
    pub purpose: String,
    pub at: DateTime<Utc>,
    /// The day of the check as the portal counts days.
    pub on: NaiveDate,
    /// The entries the answer named.
    pub entries: Vec<i64>,
    /// The measures the answer named: (code, version id).
    pub measures: Vec<(String, i64)>,
    pub audit: NewAuditEntry,
}

/// One measure of a stored check, with its feedback once given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckMeasure {
    pub code: String,
    pub version_id: i64,
    pub version: u32,
    pub name: String,
    pub feedback: Option<StoredFeedback>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFeedback {
    pub applied: bool,
    pub reason: Option<String>,
    pub outcome: String,
    pub operator_department: String,
    pub decided_on: NaiveDate,
    pub received_at: DateTime<Utc>,
    pub late: bool,
}

/// A registered check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCheck {
    pub id: String,
    pub key_id: i64,
    pub department_id: i64,
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    pub matter_name: String,
    pub measures: Vec<CheckMeasure>,
}

/// Feedback on some measures of a check, to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFeedback {
    pub check_id: String,
    /// (measure code, feedback).
    pub items: Vec<(String, StoredFeedback)>,
    pub audit: NewAuditEntry,
}

/// What storing feedback did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FedBack {
    Stored,
    /// This measure already had its feedback: nothing was written.
    Already(String),
}

/// One line of the joint-check report: a department and a measure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportLine {
    pub department_id: i64,
    pub department: String,
    pub measure_code: String,
    pub measure_name: String,
    /// Checks whose answer named the measure.
    pub checks: u64,
    pub applied: u64,
    pub not_applied: u64,
    /// Answered checks with no feedback on it yet.
    pub pending: u64,
    pub late: u64,
}

/// A measure a department did not apply, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotApplied {
    pub check_id: String,
    pub department: String,
    pub measure_name: String,
    pub matter_name: String,
    pub reason: String,
    pub received_at: DateTime<Utc>,
}

/// The report's parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub lines: Vec<ReportLine>,
    /// Checks of a listed subject, per department: (department, checks).
    pub listed_checks: Vec<(String, u64)>,
    /// Checks of subjects not listed, per department.
    pub clear_checks: Vec<(String, u64)>,
    /// The latest reasons for not applying, newest first.
    pub not_applied: Vec<NotApplied>,
}

#[async_trait]
pub trait MeasureStore: Send + Sync + 'static {
    /// Every department, also those that deliver no records (a finance
    /// bureau applies measures): whom a measure may name.
    async fn all_departments(&self) -> Result<Vec<crate::model::DepartmentOption>, StoreError>;

    /// Every version of every measure, by code then version.
    async fn measure_versions(&self) -> Result<Vec<MeasureVersion>, StoreError>;

    /// Saves `m` as a new measure (`expected` is `None`) or as the version
    /// after `expected`, with its register entry; nothing is written
    /// unless it returns [`Saved::Version`].
    async fn save_measure(
        &self,
        m: &NewMeasure,
        expected: Option<u32>,
        audit: &NewAuditEntry,
    ) -> Result<Saved, StoreError>;

    /// The subject with this credit code (`by_code`) or ID number, and its
    /// serious-list entries that were listed on or before `today` and end
    /// on or after it.
    async fn checked_subject(
        &self,
        credit_code: Option<&str>,
        id_number: Option<&str>,
        today: NaiveDate,
    ) -> Result<Option<(CheckedSubjectRow, Vec<EntryRow>)>, StoreError>;

    /// Registers checks, their answers and their register entries in one
    /// transaction (a batch: see `server::checks::register`).
    async fn record_checks(&self, checks: &[NewCheck]) -> Result<(), StoreError>;

    async fn check(&self, id: &str) -> Result<Option<StoredCheck>, StoreError>;

    /// Stores feedback on measures of a check, all or none.
    async fn record_feedback(&self, f: &NewFeedback) -> Result<FedBack, StoreError>;

    /// The report for one department, or all (`None`).
    async fn check_report(&self, department_id: Option<i64>) -> Result<CheckReport, StoreError>;
}
