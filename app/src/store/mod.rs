//! The storage trait the server functions talk to.
//!
//! It lives in `app` (server-only, behind `ssr`) because the server functions
//! here call it; its implementations live in the `server` crate
//! (`server/src/store/`). Nothing database-specific crosses this trait: values
//! are the domain types and the plain records below, so a PostgreSQL
//! implementation can follow and run the same tests.
//!
//! The `Stored*` records hold *unmasked* data exactly as the determining
//! authority delivered it. They never leave the server: `disclosure` turns
//! them into the public views of `model`.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::domain::{CreditCode, Fen, PersonalBasis, PublicationRule, SubjectKind};
use crate::model::{DepartmentOption, HomeStats, RecordKind, SearchHit, SearchPage, SearchTarget};

/// A failure of the storage layer. Its text is for logs, never for users.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

/// The store as shared by request handlers.
pub type SharedStore = Arc<dyn Store>;

/// A determining authority (认定单位) or data-source department.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Department {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub credit_code: String,
    pub division_code: String,
}

/// A subject (信用主体) with every stored field, personal data included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSubject {
    pub id: i64,
    pub kind: SubjectKind,
    pub name: String,
    pub credit_code: Option<String>,
    /// Natural persons only. Never public.
    pub id_number: Option<String>,
    /// 法定代表人 (organisations) or 经营者 (individual businesses).
    pub representative: Option<String>,
}

/// A penalty decision (行政处罚) with its 双公示 fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPenalty {
    pub id: i64,
    pub subject: StoredSubject,
    pub doc_no: String,
    pub violation_type: String,
    pub facts: String,
    pub basis: String,
    /// 处罚类别, one per penalty type in the decision.
    pub categories: Vec<String>,
    pub content: String,
    pub fine: Option<Fen>,
    pub confiscated: Option<Fen>,
    pub license_action: Option<String>,
    pub decision_date: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub authority: Department,
    pub source: Department,
    pub note: Option<String>,
    /// The catalog item names the decision falls under.
    pub catalog_items: Vec<String>,
    /// The publication rules (with versions) the decision was made under.
    pub rules: Vec<PublicationRule>,
    pub repaired_on: Option<NaiveDate>,
    /// A natural person's basis of processing, as the department declared it.
    pub personal_basis: Option<PersonalBasis>,
}

/// A licence decision (行政许可) with its 双公示 fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredLicense {
    pub id: i64,
    pub subject: StoredSubject,
    pub doc_name: String,
    pub doc_no: String,
    pub category: String,
    pub cert_name: Option<String>,
    pub cert_no: Option<String>,
    pub content: String,
    pub decision_date: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub authority: Department,
    pub source: Department,
    pub state: String,
    pub note: Option<String>,
    pub catalog_items: Vec<String>,
    pub rules: Vec<PublicationRule>,
    /// A natural person's basis of processing, as the department declared it.
    pub personal_basis: Option<PersonalBasis>,
}

/// An entry of a serious-dishonesty list (严重失信主体名单).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSeriousEntry {
    pub id: i64,
    pub subject: StoredSubject,
    pub list_name: String,
    pub reason: String,
    pub basis: String,
    pub doc_no: String,
    pub authority: Department,
    pub listed_on: NaiveDate,
    pub until: NaiveDate,
    pub measures: String,
    pub removal_conditions: String,
    pub remedies: String,
    pub grounds_penalty_id: Option<i64>,
    pub ended_on: Option<NaiveDate>,
    /// The list's domain, with its basis and removal rules.
    pub domain: Option<crate::domain::serious_domain::SeriousDomain>,
}

/// A public record of a subject with the date it stops being public.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicEntry {
    pub hit: SearchHit,
    pub until: NaiveDate,
}

/// Everything the portal reads and writes.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// One page of public results for a query, newest decision first. Only
    /// records public on `today` are returned or counted.
    async fn search(
        &self,
        target: &SearchTarget,
        today: NaiveDate,
        per_page: u32,
    ) -> Result<SearchPage, StoreError>;

    async fn penalty(&self, id: i64) -> Result<Option<StoredPenalty>, StoreError>;
    async fn license(&self, id: i64) -> Result<Option<StoredLicense>, StoreError>;
    async fn serious_entry(&self, id: i64) -> Result<Option<StoredSeriousEntry>, StoreError>;

    async fn subject_by_code(&self, code: &CreditCode)
        -> Result<Option<StoredSubject>, StoreError>;

    /// All records of one subject that are public on `today`.
    async fn subject_public_entries(
        &self,
        subject_id: i64,
        today: NaiveDate,
    ) -> Result<Vec<PublicEntry>, StoreError>;

    async fn departments(&self) -> Result<Vec<DepartmentOption>, StoreError>;

    /// Counts of records public on `today`, per kind.
    async fn stats(&self, today: NaiveDate) -> Result<HomeStats, StoreError>;

    /// The newest public records of a kind.
    async fn latest(
        &self,
        kind: RecordKind,
        today: NaiveDate,
        limit: u32,
    ) -> Result<Vec<SearchHit>, StoreError>;

    /// Takes records whose publication ended before `today` out of the public
    /// index; returns how many left. Run at start-up and periodically; reads
    /// also filter by date, so a late sweep never shows an ended record.
    async fn sweep_ended(&self, today: NaiveDate) -> Result<u64, StoreError>;

    /// Liveness: the database answers.
    async fn ping(&self) -> Result<(), StoreError>;
}

pub mod catalog;
pub mod collect;
pub mod consent;
pub mod feed;
pub mod keys;
pub mod listing;
pub mod measures;
pub mod objection;
pub mod repair;
pub mod reports;
pub mod serious;
pub mod staff;
pub mod transparency;
pub mod write_tx;
pub use catalog::CatalogStore;
pub use collect::CollectStore;
pub use consent::ConsentStore;
pub use feed::FeedStore;
pub use keys::KeyStore;
pub use measures::MeasureStore;
pub use objection::ObjectionStore;
pub use repair::RepairStore;
pub use reports::ReportStore;
pub use staff::StaffStore;
pub use transparency::TransparencyStore;
