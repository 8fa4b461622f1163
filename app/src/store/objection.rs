//! Storage of objections (异议): the objection as filed, its steps and its
//! evidence files, and the records an outcome withdrew from publication.
//! The rules of each step are the domain's (`domain::objection`), applied
//! by the server's objection service; a store keeps what it is given.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::repair::NewFile;
use super::StoreError;
use crate::domain::objection::{ObjectionAction, ObjectionGround, ObjectionState};
use crate::domain::repair_application::ApplicantKind;
use crate::model::RecordKind;

/// An objection as the objector files it (identity already checked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewObjection {
    pub record_kind: RecordKind,
    pub record_id: i64,
    pub department_id: i64,
    pub subject_id: i64,
    pub grounds: Vec<ObjectionGround>,
    pub explanation: String,
    pub objector_kind: ApplicantKind,
    pub objector_name: String,
    pub contact_phone: String,
    pub identity_checked: String,
    pub pledge_text: String,
    pub pledge_signed_name: String,
    pub tracking_hash: String,
    pub submitted_at: DateTime<Utc>,
    /// The day the objection is filed (China date), for its number.
    pub submitted_on: NaiveDate,
    /// Last day for the platform's acceptance.
    pub deadline: NaiveDate,
    /// The notice acknowledged, recorded with the objection.
    pub consents: Vec<super::consent::NewConsent>,
}

/// What filing did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FiledObjection {
    Filed {
        number: String,
    },
    /// The record already has an objection being handled (its number is
    /// told only to someone who passed the identity check).
    AlreadyOpen {
        number: String,
    },
}

/// An objection as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredObjection {
    pub id: i64,
    pub number: String,
    pub tracking_hash: String,
    pub record_kind: RecordKind,
    pub record_id: i64,
    pub department_id: i64,
    pub subject_id: i64,
    pub state: ObjectionState,
    pub grounds: Vec<ObjectionGround>,
    pub explanation: String,
    pub objector_kind: ApplicantKind,
    pub objector_name: String,
    pub contact_phone: String,
    pub pledge_text: String,
    pub pledge_signed_name: String,
    pub submitted_at: DateTime<Utc>,
    pub deadline: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub supplement_requested: bool,
    pub supplement_deadline: Option<NaiveDate>,
    pub extended: bool,
    pub decided_on: Option<NaiveDate>,
}

/// One step of an objection's history. `action` is None for the filing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectionEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// A staff username, or `objector`.
    pub actor: String,
    pub action: Option<ObjectionAction>,
    pub to_state: ObjectionState,
    pub text: Option<String>,
    pub deadline: Option<NaiveDate>,
}

/// What a step changes, applied only if the objection is still in
/// `expected` (the page the actor saw).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectionChange {
    pub objection_id: i64,
    pub expected: ObjectionState,
    pub to: ObjectionState,
    pub actor: String,
    pub action: ObjectionAction,
    pub text: Option<String>,
    pub at: DateTime<Utc>,
    /// The next step's deadline (None: the clock stops).
    pub deadline: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub supplement_requested: bool,
    pub supplement_deadline: Option<NaiveDate>,
    pub extended: bool,
    pub decided_on: Option<NaiveDate>,
}

/// A record an objection's outcome withdrew from publication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withdrawal {
    pub kind: RecordKind,
    pub record_id: i64,
    pub on: NaiveDate,
    pub reason: String,
    pub objection_id: Option<i64>,
}

#[async_trait]
pub trait ObjectionStore: Send + Sync + 'static {
    /// Stores the objection with its first event and `files`, numbered the
    /// day's next, in one transaction; refused when the record already has
    /// an open objection.
    async fn file_objection(
        &self,
        o: &NewObjection,
        files: &[NewFile],
    ) -> Result<FiledObjection, StoreError>;
    async fn objection_by_number(
        &self,
        number: &str,
    ) -> Result<Option<StoredObjection>, StoreError>;
    async fn objection_events(&self, objection_id: i64) -> Result<Vec<ObjectionEvent>, StoreError>;
    async fn objection_files(
        &self,
        objection_id: i64,
    ) -> Result<Vec<super::repair::StoredFile>, StoreError>;
    /// A department's objections, newest first.
    async fn objections_of_department(
        &self,
        department_id: i64,
    ) -> Result<Vec<StoredObjection>, StoreError>;
    /// Every objection about one record, newest first (to judge a repeat).
    async fn objections_on_record(
        &self,
        kind: RecordKind,
        record_id: i64,
    ) -> Result<Vec<StoredObjection>, StoreError>;
    /// Every objection still being handled (for the oversight page).
    async fn open_objections(&self) -> Result<Vec<StoredObjection>, StoreError>;
    /// Whether a record shows 异议处理中: an objection about it is in
    /// `marked` state (the domain's `is_under_objection`).
    async fn record_marked(
        &self,
        kind: RecordKind,
        record_id: i64,
        marked: ObjectionState,
    ) -> Result<bool, StoreError>;
    /// Whether an objection's outcome withdrew the record from publication.
    async fn record_withdrawn(&self, kind: RecordKind, record_id: i64) -> Result<bool, StoreError>;
}
