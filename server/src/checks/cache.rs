//! What every check reads and almost never changes, kept in memory: the
//! keys that ask, and the measures list with the feedback deadline's
//! setting and calendar. Both through [`Refreshing`], so when a value
//! expires one request reloads it and the others wait for that one
//! (no stampede on the database).
//!
//! A value is good for [`TTL_SECS`]: a key revoked on another app server,
//! or a measure saved there, takes effect here within that time; on this
//! server at once (`forget`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use app::domain::joint_check::FEEDBACK_SETTING;
use app::domain::measure::MeasureVersion;
use app::domain::working_days::HolidayCalendar;
use app::store::keys::ActiveKey;
use app::store::measures::MeasureStore;
use app::store::{KeyStore, RepairStore, StoreError};

use crate::services::joint_check::current_versions;
use crate::store::refreshing::Refreshing;

/// How long a cached key or measures list is used, in seconds.
pub const TTL_SECS: u64 = 10;
/// Keys held at most (each system has one or two).
const KEYS_HELD: usize = 4096;

/// The TTL window now falls in: a value computed in this window is fresh
/// for the rest of it.
fn window() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / TTL_SECS)
}

/// The measures list as checks use it.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The current version of each measure.
    pub current: Vec<MeasureVersion>,
    /// Working days a department has to report back.
    pub feedback_days: u32,
    pub calendar: HolidayCalendar,
}

#[derive(Clone)]
pub struct CheckCaches {
    keys: Arc<Refreshing<String, Option<ActiveKey>, u64>>,
    snapshot: Arc<Refreshing<(), Arc<Snapshot>, (u64, u64)>>,
    /// Bumped by a save on this server, so its next check reloads.
    generation: Arc<AtomicU64>,
}

impl Default for CheckCaches {
    fn default() -> Self {
        CheckCaches {
            keys: Refreshing::exact(KEYS_HELD),
            snapshot: Refreshing::exact(1),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl CheckCaches {
    /// The active key with this hash, if any.
    pub async fn key(
        &self,
        store: Arc<dyn KeyStore>,
        key_hash: String,
    ) -> Result<Option<ActiveKey>, StoreError> {
        let lookup = key_hash.clone();
        self.keys
            .get(key_hash, window(), move || async move {
                store.active_key(&lookup).await
            })
            .await
    }

    /// The measures list, setting and calendar.
    pub async fn snapshot(
        &self,
        measures: Arc<dyn MeasureStore>,
        repairs: Arc<dyn RepairStore>,
    ) -> Result<Arc<Snapshot>, StoreError> {
        let version = (self.generation.load(Ordering::SeqCst), window());
        self.snapshot
            .get((), version, move || async move {
                let all = measures.measure_versions().await?;
                let feedback_days = repairs
                    .working_days_setting(FEEDBACK_SETTING.0)
                    .await?
                    .unwrap_or(FEEDBACK_SETTING.1);
                let calendar = HolidayCalendar::new(repairs.calendar().await?);
                Ok(Arc::new(Snapshot {
                    current: current_versions(&all),
                    feedback_days,
                    calendar,
                }))
            })
            .await
    }

    /// Forgets every key (one was revoked here).
    pub fn forget_keys(&self) {
        self.keys.mark_stale();
    }

    /// Reloads the measures list at the next check (one was saved, or the
    /// calendar or a setting changed, here).
    pub fn forget_measures(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}
