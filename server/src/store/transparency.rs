//! The transparency figures' sources, read at most once a minute.
//!
//! Counting reads every step of the last two years' cases. The page is
//! public and the figures are monthly, so a minute-old reading is as good
//! as a new one: one request reads, the others are served the reading
//! (or the previous one while the next is read), and a crowd arriving at
//! once reads the database once, not once each.

use std::sync::Arc;
use std::time::Duration;

use app::domain::transparency::Month;
use app::store::transparency::{Sources, TransparencyStore};
use app::store::StoreError;
use async_trait::async_trait;
use chrono::Utc;

use super::refreshing::Refreshing;

/// How long a reading is served before the next is read.
const READ_EVERY: Duration = Duration::from_secs(60);

pub struct CachedTransparency {
    inner: Arc<dyn TransparencyStore>,
    /// One reading, versioned by the minute it was read in. The month it
    /// starts from only moves forward (it is two years before today), and
    /// an earlier start holds more, so a reading answers any later start.
    reading: Arc<Refreshing<(), Arc<Sources>, u64>>,
}

impl CachedTransparency {
    pub fn new(inner: Arc<dyn TransparencyStore>) -> Self {
        CachedTransparency {
            inner,
            reading: Refreshing::serving_stale(READ_EVERY),
        }
    }
}

#[async_trait]
impl TransparencyStore for CachedTransparency {
    async fn sources(&self, since: Month) -> Result<Arc<Sources>, StoreError> {
        let minute = Utc::now().timestamp().max(0) as u64 / READ_EVERY.as_secs();
        let inner = self.inner.clone();
        self.reading
            .get(
                (),
                minute,
                move || async move { inner.sources(since).await },
            )
            .await
    }
}
