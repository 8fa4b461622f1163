//! Storage side of collection that the console reads: the delivery
//! statistics. (The delivery pipeline itself — staging and publication —
//! is `server::store::collect`.)

use async_trait::async_trait;

use super::StoreError;

/// Delivery statistics of one department in one month (China time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualityRow {
    pub department: String,
    /// `YYYY-MM`.
    pub month: String,
    pub deliveries: i64,
    pub taken: i64,
    pub corrected: i64,
    pub refused: i64,
    pub late: i64,
}

#[async_trait]
pub trait CollectStore: Send + Sync + 'static {
    /// Per department and month: deliveries, and how many rows were taken,
    /// corrected (错报 put right), refused and late (迟报). Newest month
    /// first, then by department.
    async fn quality(&self) -> Result<Vec<QualityRow>, StoreError>;
}
