//! One write transaction taken step by step, for the services that change
//! several things at once (a reviewer's decision and what it does to the
//! record today; listings, removals and objections next). The service
//! (`server/src/services/`) decides which steps a rule takes; each store
//! only carries them out. Nothing is visible to anyone else until
//! [`WriteTx::commit`]; a transaction dropped without it undoes every step.

use async_trait::async_trait;
use chrono::NaiveDate;

use super::listing::ListingChange;
use super::objection::{ObjectionChange, Withdrawal};
use super::repair::NewEvent;
use super::repair::NewFile;
use super::staff::NewAuditEntry;
use super::StoreError;
use crate::domain::repair_application::ApplicationState;
use crate::model::RecordKind;

/// One line of the record change log, which the export feed reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordChange {
    pub kind: RecordKind,
    pub record_id: i64,
    /// `new`, `corrected`, `ended`, `repaired` … (the feed's names).
    pub change: &'static str,
    /// The staff account's username, or the process that made the change.
    pub actor: String,
}

/// An open serious-list entry grounded on a penalty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroundedEntry {
    pub id: i64,
    pub domain_code: Option<String>,
    pub listed_on: NaiveDate,
    /// The listing procedure that created it, if one did: its id.
    pub listing_id: Option<i64>,
}

/// A serious-list entry a listing decision creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewListedEntry {
    pub subject_id: i64,
    pub domain_code: String,
    pub list_name: String,
    pub reason: String,
    pub basis: String,
    pub doc_no: String,
    pub department_id: i64,
    pub listed_on: NaiveDate,
    /// The last day on the list.
    pub until: NaiveDate,
    pub measures: String,
    pub removal_conditions: String,
    pub remedies: String,
    pub grounds_penalty_id: Option<i64>,
}

#[async_trait]
pub trait WriteTx: Send {
    /// Records a staff member's event on a repair application, if the
    /// application is still in state `expected` and the event may follow
    /// it; the new state, or `None` (nothing written).
    async fn repair_event(
        &mut self,
        application_id: i64,
        expected: ApplicationState,
        event: &NewEvent,
        staff_account_id: i64,
    ) -> Result<Option<ApplicationState>, StoreError>;

    /// Marks a penalty repaired on `on`: it is never public again.
    async fn mark_repaired(&mut self, penalty_id: i64, on: NaiveDate) -> Result<(), StoreError>;

    /// The serious-list entries still open that a penalty grounds, with
    /// what decides whether its repair takes them off early.
    async fn entries_grounded_on(
        &mut self,
        penalty_id: i64,
    ) -> Result<Vec<GroundedEntry>, StoreError>;

    /// Puts an ended entry back on the list (a removal revoked) and on the
    /// public pages when it is listed on `today`; false when it had not
    /// ended.
    async fn restore_entry(&mut self, entry_id: i64, today: NaiveDate) -> Result<bool, StoreError>;

    /// Takes a record off every public page and out of the search.
    async fn unpublish(&mut self, kind: RecordKind, record_id: i64) -> Result<(), StoreError>;

    async fn log_change(&mut self, change: &RecordChange) -> Result<(), StoreError>;

    /// Adds a serious-list entry, public from `today` when listed then;
    /// its id.
    async fn list_entry(&mut self, e: &NewListedEntry, today: NaiveDate)
        -> Result<i64, StoreError>;

    /// Applies a listing's step if it is still in `change.expected`, with
    /// its event; false (nothing written) when it had moved on.
    async fn change_listing(&mut self, change: &ListingChange) -> Result<bool, StoreError>;

    /// Applies an objection's step if it is still in `change.expected`,
    /// with its event and the files sent with it; false (nothing written)
    /// when it had moved on.
    async fn change_objection(
        &mut self,
        change: &ObjectionChange,
        files: &[NewFile],
    ) -> Result<bool, StoreError>;

    /// Records that a record is withdrawn from publication for good (an
    /// objection's 删除 or 停止公示); the caller unpublishes it.
    async fn withdraw_record(&mut self, w: &Withdrawal) -> Result<(), StoreError>;

    /// Ends one serious-list entry as of `on` (removed after an
    /// objection); false when it had already ended.
    async fn end_entry(&mut self, entry_id: i64, on: NaiveDate) -> Result<bool, StoreError>;

    /// Appends to the access register (its chain continued in order).
    async fn append_audit(&mut self, entry: &NewAuditEntry) -> Result<(), StoreError>;

    /// Makes every step visible at once.
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}
