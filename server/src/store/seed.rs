//! Filling a store with a data set (the demo data, benchmark databases),
//! whichever database it is: the generator writes through a
//! [`RecordWriter`], one transaction, and each store implements it with
//! its own write helpers (`store::writes`, `store::postgres::writes`). The
//! records written here are the shapes those helpers take.

use app::domain::{Fen, PersonalBasis, PublicationRule, SubjectKind};
use app::model::RecordKind;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::NaiveDate;

/// A store a data set can be written into.
#[async_trait]
pub trait Seed: Send + Sync {
    /// A writer on a new transaction.
    async fn writer(&self) -> Result<Box<dyn RecordWriter>, StoreError>;
    /// True when the database holds no subjects yet (first run).
    async fn is_empty(&self) -> Result<bool, StoreError>;
    /// Whether the demo data set was generated into this database (its
    /// subjects and decisions are fictional, and every page must say so).
    async fn holds_demo_data(&self) -> Result<bool, StoreError>;
}

/// Writes reference data and records in one transaction: nothing is
/// written unless [`RecordWriter::commit`] is called (dropping the writer
/// rolls back). Records public on `today` get their projection row as they
/// are written.
#[async_trait]
pub trait RecordWriter: Send {
    async fn district(&mut self, code: &str, name: &str) -> Result<(), StoreError>;
    async fn department(&mut self, d: &NewDepartment<'_>) -> Result<i64, StoreError>;
    async fn catalog_item(&mut self, i: &NewCatalogItem<'_>) -> Result<i64, StoreError>;
    async fn catalog_rule(
        &mut self,
        item_id: i64,
        rule: &PublicationRule,
    ) -> Result<i64, StoreError>;
    async fn subject(&mut self, s: &NewSubject<'_>) -> Result<i64, StoreError>;
    async fn penalty(&mut self, p: &NewPenalty<'_>, today: NaiveDate) -> Result<i64, StoreError>;
    async fn license(&mut self, l: &NewLicense<'_>, today: NaiveDate) -> Result<i64, StoreError>;
    /// Adds a serious-list domain unless its code or name is stored.
    async fn serious_domain(
        &mut self,
        d: &app::domain::serious_domain::SeriousDomain,
    ) -> Result<(), StoreError>;
    async fn serious_entry(
        &mut self,
        e: &NewSeriousEntry<'_>,
        today: NaiveDate,
    ) -> Result<i64, StoreError>;
    /// Adds setting `key` (it must not exist yet).
    async fn setting(&mut self, key: &str, value: &str, note: &str) -> Result<(), StoreError>;
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

pub struct NewDepartment<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub credit_code: &'a str,
    pub division_code: &'a str,
}

pub struct NewCatalogItem<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub record_kind: RecordKind,
    pub conduct: &'a str,
    pub department_id: i64,
    pub data_source: &'a str,
    pub classification: &'a str,
    pub sharing: &'a str,
    pub disclosure: &'a str,
}

pub struct NewSubject<'a> {
    pub kind: SubjectKind,
    pub name: &'a str,
    pub credit_code: Option<&'a str>,
    pub id_number: Option<&'a str>,
    pub representative: Option<&'a str>,
    pub division_code: Option<&'a str>,
}

pub struct NewPenalty<'a> {
    pub subject_id: i64,
    pub doc_no: &'a str,
    pub violation_type: &'a str,
    pub facts: &'a str,
    pub basis: &'a str,
    pub categories: &'a [&'a str],
    pub content: &'a str,
    pub fine: Option<Fen>,
    pub confiscated: Option<Fen>,
    pub license_action: Option<&'a str>,
    pub decision_date: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub department_id: i64,
    pub source_department_id: i64,
    pub note: Option<&'a str>,
    pub repaired_on: Option<NaiveDate>,
    /// Catalog rule ids (versions) the decision falls under.
    pub rule_ids: &'a [i64],
    /// CF_FR_ZJHM: the representative's ID number, never public.
    pub representative_id: Option<&'a str>,
    /// A natural person's basis of processing (GRXX_YJ / GRXX_TYBH).
    pub personal_basis: Option<&'a PersonalBasis>,
}

pub struct NewLicense<'a> {
    pub subject_id: i64,
    pub doc_name: &'a str,
    pub doc_no: &'a str,
    pub category: &'a str,
    pub cert_name: Option<&'a str>,
    pub cert_no: Option<&'a str>,
    pub content: &'a str,
    pub decision_date: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub department_id: i64,
    pub source_department_id: i64,
    pub state: &'a str,
    pub note: Option<&'a str>,
    pub rule_ids: &'a [i64],
    /// A natural person's basis of processing (GRXX_YJ / GRXX_TYBH).
    pub personal_basis: Option<&'a PersonalBasis>,
}

pub struct NewSeriousEntry<'a> {
    pub subject_id: i64,
    /// The domain of the list (`serious_domains.code`): there is no entry
    /// outside one (the database refuses it too).
    pub domain_code: &'a str,
    pub list_name: &'a str,
    pub reason: &'a str,
    pub basis: &'a str,
    pub doc_no: &'a str,
    pub department_id: i64,
    pub listed_on: NaiveDate,
    pub until: NaiveDate,
    pub measures: &'a str,
    pub removal_conditions: &'a str,
    pub remedies: &'a str,
    pub grounds_penalty_id: Option<i64>,
}

/// A listing decision's entry, written like any other (both stores).
impl<'a> From<&'a app::store::write_tx::NewListedEntry> for NewSeriousEntry<'a> {
    fn from(e: &'a app::store::write_tx::NewListedEntry) -> Self {
        NewSeriousEntry {
            subject_id: e.subject_id,
            domain_code: &e.domain_code,
            list_name: &e.list_name,
            reason: &e.reason,
            basis: &e.basis,
            doc_no: &e.doc_no,
            department_id: e.department_id,
            listed_on: e.listed_on,
            until: e.until,
            measures: &e.measures,
            removal_conditions: &e.removal_conditions,
            remedies: &e.remedies,
            grounds_penalty_id: e.grounds_penalty_id,
        }
    }
}

/// The setting the demo data generator leaves (its value: the "today" it
/// generated for), which marks a database holding generated demo data.
pub const DEMO_DATA_SETTING: &str = "demo.generated";
