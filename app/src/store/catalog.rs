//! Storage of the catalog as the credit authority edits it: items with
//! their seven attributes, and their rule versions. A change of rule is a
//! new version (records keep the version they point at); versions are
//! never edited. Every change is written with its register entry, in one
//! transaction.

use async_trait::async_trait;
use chrono::NaiveDate;

use super::staff::NewAuditEntry;
use super::StoreError;
use crate::domain::catalog::ItemAttributes;
use crate::domain::PublicationRule;
use crate::model::RecordKind;

/// An item with every rule version, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogItem {
    pub code: String,
    pub record_kind: RecordKind,
    /// The department that provides its records, by name.
    pub department: String,
    pub attributes: ItemAttributes,
    pub rules: Vec<PublicationRule>,
}

/// A new item and its first rule (stored as version 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewItem {
    pub code: String,
    pub record_kind: RecordKind,
    pub department_id: i64,
    pub attributes: ItemAttributes,
    pub first_rule: PublicationRule,
}

#[async_trait]
pub trait CatalogStore: Send + Sync + 'static {
    /// Every item, by department then code.
    async fn items(&self) -> Result<Vec<CatalogItem>, StoreError>;

    /// Item `code`, if there is one.
    async fn item(&self, code: &str) -> Result<Option<CatalogItem>, StoreError>;

    /// Adds an item with its first rule; `Ok(Err(message))` when the code
    /// is taken.
    async fn add_item(
        &self,
        item: &NewItem,
        audit: &NewAuditEntry,
    ) -> Result<Result<(), String>, StoreError>;

    /// Replaces the attributes of item `code`. When the disclosure
    /// attribute changes, the item's records enter or leave the public
    /// pages as of `today` in the same transaction. `Ok(None)` when there
    /// is no such item; otherwise how many records were re-published or
    /// withdrawn.
    async fn update_item(
        &self,
        code: &str,
        attributes: &ItemAttributes,
        today: NaiveDate,
        audit: &NewAuditEntry,
    ) -> Result<Option<u64>, StoreError>;

    /// Adds the next rule version of item `code` (numbered inside the
    /// transaction); `Ok(None)` when there is no such item.
    async fn add_version(
        &self,
        code: &str,
        rule: &PublicationRule,
        audit: &NewAuditEntry,
    ) -> Result<Option<u32>, StoreError>;
}
