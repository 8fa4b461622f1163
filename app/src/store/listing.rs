//! Storage of the listing procedure: a proposal with its prior notice, the
//! party's answer, the department's reply and the decision. The rules of
//! each step are the domain's (`domain::serious_listing`), applied by the
//! server's listing service; a store keeps what it is given.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::staff::NewAuditEntry;
use super::StoreError;
use crate::domain::serious_listing::{ListingAction, ListingState};

/// A proposal, served as a prior notice at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewListing {
    pub domain_code: String,
    pub department_id: i64,
    pub penalty_id: Option<i64>,
    pub subject_id: i64,
    pub reason: String,
    pub basis: String,
    pub measures: String,
    pub notice_date: NaiveDate,
    pub answer_deadline: NaiveDate,
    /// SHA-256 of the party's access code (the code is shown once).
    pub access_hash: String,
    /// The staff member's username, for the first event.
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A listing as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredListing {
    pub id: i64,
    pub number: String,
    pub domain_code: String,
    pub department_id: i64,
    pub penalty_id: Option<i64>,
    pub subject_id: i64,
    pub state: ListingState,
    pub reason: String,
    pub basis: String,
    pub measures: String,
    pub doc_no: String,
    pub notice_date: NaiveDate,
    pub answer_deadline: NaiveDate,
    pub access_hash: String,
    pub answer: Option<String>,
    pub reply: Option<String>,
    pub waived: bool,
    pub decided_on: Option<NaiveDate>,
    pub entry_id: Option<i64>,
}

/// One step of a listing's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingEvent {
    pub at: DateTime<Utc>,
    /// A staff username, or `party`.
    pub actor: String,
    pub action: ListingAction,
    pub text: Option<String>,
}

/// What a step changes, applied only if the listing is still in
/// `expected` (the page the actor saw).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingChange {
    pub listing_id: i64,
    pub expected: ListingState,
    pub to: ListingState,
    pub event: ListingEvent,
    pub answer: Option<String>,
    pub reply: Option<String>,
    pub waived: bool,
    pub decided_on: Option<NaiveDate>,
    pub doc_no: Option<String>,
    pub entry_id: Option<i64>,
}

#[async_trait]
pub trait ListingStore: Send + Sync + 'static {
    /// Stores a proposal served as a notice, with its first event and the
    /// register entry; its number (the day's next). `Ok(None)` when the
    /// penalty already has a listing in progress.
    async fn create_listing(
        &self,
        listing: &NewListing,
        audit: &NewAuditEntry,
    ) -> Result<Option<String>, StoreError>;
    async fn listing_by_number(&self, number: &str) -> Result<Option<StoredListing>, StoreError>;
    /// The listing procedure that created serious-list entry `entry_id`.
    async fn listing_of_entry(&self, entry_id: i64) -> Result<Option<StoredListing>, StoreError>;
    /// A department's listings, newest first.
    async fn listings_of_department(
        &self,
        department_id: i64,
    ) -> Result<Vec<StoredListing>, StoreError>;
    async fn listing_events(&self, listing_id: i64) -> Result<Vec<ListingEvent>, StoreError>;
    /// A party's answer with the evidence files sent with it and the
    /// form's notice acknowledged (no register entry: the party is not
    /// staff); false when the listing's state had changed (nothing written).
    async fn record_answer(
        &self,
        change: &ListingChange,
        files: &[super::repair::NewFile],
        consents: &[super::consent::NewConsent],
    ) -> Result<bool, StoreError>;
    /// The evidence the party sent, oldest first.
    async fn listing_files(
        &self,
        listing_id: i64,
    ) -> Result<Vec<super::repair::StoredFile>, StoreError>;
}
