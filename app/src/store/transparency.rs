//! What the transparency figures are counted from (`/transparency`): the
//! steps of repair applications and objections, the deliveries' counts,
//! the joint check's feedback and the holiday calendar. The counting is
//! `domain::transparency`'s; a store only reads.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::collect::QualityRow;
use super::StoreError;
use crate::domain::transparency::{CaseStep, DeliveryMonth, FeedbackMonth, Month};
use crate::domain::working_days::CalendarEntry;

/// The facts behind the figures from a month on, read together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sources {
    /// When they were read: the figures are as of then.
    pub read_at: DateTime<Utc>,
    /// The steps of every case with a step in or after the month, grouped
    /// by case (kind and id), each case's steps in order — from its
    /// submission, also when that came earlier.
    pub steps: Vec<CaseStep>,
    pub deliveries: Vec<DeliveryMonth>,
    pub feedback: Vec<FeedbackMonth>,
    pub calendar: Vec<CalendarEntry>,
}

#[async_trait]
pub trait TransparencyStore: Send + Sync + 'static {
    /// The facts from `since` (its first day, China time) on. Deliveries
    /// may include earlier months: the counting leaves them out.
    async fn sources(&self, since: Month) -> Result<Arc<Sources>, StoreError>;
}

/// The delivery statistics (`CollectStore::quality`) as the counting reads
/// them; a row whose month cannot be read is left out.
pub fn delivery_months(rows: Vec<QualityRow>) -> Vec<DeliveryMonth> {
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    rows.into_iter()
        .filter_map(|r| {
            Some(DeliveryMonth {
                month: Month::parse(&r.month)?,
                department: r.department,
                deliveries: count(r.deliveries),
                rows: count(r.taken),
                late: count(r.late),
            })
        })
        .collect()
}
