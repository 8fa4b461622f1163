//! Storage of online repair applications: drafts in progress, evidence
//! files, submitted applications and their event timelines, the holiday
//! calendar and the time-limit settings.
//!
//! Like [`super::Store`], nothing database-specific crosses this trait.
//! Files themselves live on disk (see the server's `uploads`); the store
//! keeps their metadata and decides, in one transaction, which application
//! they belong to.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::StoreError;
use crate::domain::repair_application::{
    Action, ApplicantKind, ApplicationNumber, ApplicationState, DraftUsage, EvidenceKind, FileKind,
};
use crate::domain::working_days::CalendarEntry;

/// An application being filled in. `answers` is the form state so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub record_id: i64,
    pub answers: DraftAnswers,
    pub updated_at: DateTime<Utc>,
}

/// What the applicant has answered so far (each step fills its part).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DraftAnswers {
    pub applicant_kind: Option<ApplicantKind>,
    pub applicant_name: Option<String>,
    pub contact_phone: Option<String>,
    /// What matched the record's subject: "credit_code" or "id_number".
    pub identity_checked: Option<String>,
    pub pledge_signed_name: Option<String>,
    /// The personal-information notice acknowledged: its version, when.
    #[serde(default)]
    pub notice: Option<(String, DateTime<Utc>)>,
    /// The optional SMS consent, given on the same page.
    #[serde(default)]
    pub sms_consent: bool,
}

/// A stored evidence file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub id: i64,
    pub evidence_kind: EvidenceKind,
    pub display_name: String,
    pub stored_name: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub kind: FileKind,
    /// The timeline event a supplement file was sent with, if any.
    pub event_id: Option<i64>,
}

/// A file written to disk, to be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFile {
    pub evidence_kind: EvidenceKind,
    pub display_name: String,
    pub stored_name: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub kind: FileKind,
}

/// Everything a submission records, besides the draft's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApplication {
    pub draft_id: String,
    pub record_id: i64,
    pub department_id: i64,
    pub applicant_kind: ApplicantKind,
    pub applicant_name: String,
    pub contact_phone: String,
    pub identity_checked: String,
    pub pledge_text: String,
    pub pledge_signed_name: String,
    pub tracking_hash: String,
    pub submitted_at: DateTime<Utc>,
    /// Deadline for the authority's first answer (acceptance or supplement).
    pub deadline: NaiveDate,
    /// The notice acknowledged and any consents, recorded with it.
    pub consents: Vec<super::consent::NewConsent>,
}

/// The result of a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmitOutcome {
    Submitted {
        id: i64,
        number: ApplicationNumber,
    },
    /// Another application for the same record is still open.
    AlreadyOpen {
        number: String,
    },
    /// The draft is gone (submitted already, or abandoned and cleaned up).
    DraftMissing,
}

/// A submitted application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredApplication {
    pub id: i64,
    pub number: String,
    pub tracking_hash: String,
    pub record_id: i64,
    pub department_id: i64,
    pub state: ApplicationState,
    pub applicant_kind: ApplicantKind,
    pub applicant_name: String,
    pub contact_phone: String,
    pub pledge_text: String,
    pub pledge_signed_name: String,
    pub submitted_at: DateTime<Utc>,
}

/// One event of an application's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: Option<Action>,
    pub to_state: ApplicationState,
    pub reason: Option<String>,
    pub remedies: Option<String>,
    pub deadline: Option<NaiveDate>,
}

/// A change of state to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub actor: &'static str,
    pub action: Action,
    pub reason: Option<String>,
    pub remedies: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait RepairStore: Send + Sync + 'static {
    /// The holiday calendar (holidays and make-up working days).
    async fn calendar(&self) -> Result<Vec<CalendarEntry>, StoreError>;
    /// A time-limit setting in working days.
    async fn working_days_setting(&self, key: &str) -> Result<Option<u32>, StoreError>;

    /// The number of the open application for a record, if there is one.
    async fn open_application_for(&self, record_id: i64) -> Result<Option<String>, StoreError>;

    /// Opens a draft for `record_id`, counted against `client`.
    async fn create_draft(
        &self,
        id: &str,
        record_id: i64,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// What unsubmitted drafts hold, overall and for `client` (drafts it
    /// opened since `since`).
    async fn draft_usage(
        &self,
        client: &str,
        since: DateTime<Utc>,
    ) -> Result<DraftUsage, StoreError>;
    async fn draft(&self, id: &str) -> Result<Option<Draft>, StoreError>;
    async fn save_draft(
        &self,
        id: &str,
        answers: &DraftAnswers,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn add_draft_file(
        &self,
        draft_id: &str,
        file: &NewFile,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    /// Removes a draft's file; returns its stored name so the caller can
    /// delete it from disk, or `None` if it is not this draft's.
    async fn remove_draft_file(
        &self,
        draft_id: &str,
        file_id: i64,
    ) -> Result<Option<String>, StoreError>;
    async fn draft_files(&self, draft_id: &str) -> Result<Vec<StoredFile>, StoreError>;
    /// Deletes drafts untouched since `before`; returns the stored names of
    /// their files for the caller to delete from disk.
    async fn purge_drafts(&self, before: DateTime<Utc>) -> Result<Vec<String>, StoreError>;
    /// Every stored file name known to the database (for orphan cleanup).
    async fn known_file_names(&self) -> Result<Vec<String>, StoreError>;

    /// Creates the application, moves the draft's files to it, records the
    /// first event and deletes the draft, in one transaction.
    async fn submit(&self, app: &NewApplication) -> Result<SubmitOutcome, StoreError>;

    async fn application_by_number(
        &self,
        number: &str,
    ) -> Result<Option<StoredApplication>, StoreError>;
    async fn application_events(&self, application_id: i64)
        -> Result<Vec<StoredEvent>, StoreError>;
    async fn application_files(&self, application_id: i64) -> Result<Vec<StoredFile>, StoreError>;

    /// Applies `event.action` if the application is still in `expected`
    /// (checked inside the transaction), records the event and, for a
    /// supplement, attaches `files`. Returns the new state, or `None` when
    /// the state had changed meanwhile.
    async fn apply_action(
        &self,
        application_id: i64,
        expected: ApplicationState,
        event: &NewEvent,
        files: &[NewFile],
    ) -> Result<Option<ApplicationState>, StoreError>;

    /// Records a failed tracking lookup by `client` and returns how many it
    /// made since `since` (for rate limiting).
    async fn note_tracking_failure(
        &self,
        client: &str,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError>;
    async fn tracking_failures_since(
        &self,
        client: &str,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError>;

    /// The representative's ID number the department delivered with the
    /// record (never public), for the identity step.
    async fn representative_id(&self, record_id: i64) -> Result<Option<String>, StoreError>;
    /// Records a wrong answer at the identity step (of a repair
    /// application or an objection: one count per record).
    async fn note_identity_failure(
        &self,
        draft_id: &str,
        record_kind: crate::model::RecordKind,
        record_id: i64,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Wrong answers so far: by the draft (ever), about the record and by
    /// the client (since `since`).
    async fn identity_failures(
        &self,
        draft_id: &str,
        record_kind: crate::model::RecordKind,
        record_id: i64,
        client: &str,
        since: DateTime<Utc>,
    ) -> Result<IdentityFailures, StoreError>;
    /// Forgets wrong answers older than `before`; returns how many.
    async fn purge_identity_failures(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;
}

/// Wrong answers at the identity step, by what they are counted against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IdentityFailures {
    pub draft: u32,
    pub record: u32,
    pub client: u32,
}
