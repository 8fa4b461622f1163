//! Storage side of the provincial feed: the change log (`record_changes`
//! in the SQL stores) read in order, with the subject of each record still
//! unmasked — the server masks them before anything leaves.

use async_trait::async_trait;

use super::{StoreError, StoredSubject};

/// One change as the change log and the record tables hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    /// When it was written (RFC 3339, UTC).
    pub at: String,
    pub record_kind: String,
    pub record_id: i64,
    pub department_id: Option<i64>,
    pub change: String,
    pub doc_no: Option<String>,
    /// The subject the record is about, unmasked.
    pub subject: StoredSubject,
    /// The changed fields as JSON objects of column code → value, unmasked.
    pub before: Option<String>,
    pub after: Option<String>,
}

#[async_trait]
pub trait FeedStore: Send + Sync + 'static {
    /// Up to `limit` changes after the cursor `after` that the provincial
    /// platform is entitled to, oldest first. A change falls outside when
    /// its record comes under a catalog item whose sharing attribute
    /// (共享属性) is 不予共享; a serious-list entry comes under the items
    /// of the penalty that grounds it. Changes outside are skipped as if
    /// they were not there, so the cursor still moves on past them.
    async fn entitled_changes(&self, after: i64, limit: i64) -> Result<Vec<Change>, StoreError>;

    /// Whether the change log holds a correction of the record made at or
    /// after `since` (an objection is answered 更正 or 补充 only once the
    /// department has delivered the corrected record).
    async fn corrected_since(
        &self,
        kind: crate::model::RecordKind,
        record_id: i64,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError>;

    /// When the change log was last written: the public data changed then
    /// (a new, corrected, ended or repaired record), or never (`None`).
    async fn last_change_at(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError>;
}
