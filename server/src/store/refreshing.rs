//! A cached value that refreshes without a stampede.
//!
//! The home page's counts take over a second at a million records. With a
//! plain time-to-live, every request that arrives after the value expires
//! recomputes it at once, and all of them wait. Here a stale value is still
//! served while exactly one background task computes the next; only the
//! very first value (nothing to serve yet) is computed in a request, once,
//! with any others waiting for that one computation.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

struct Entry<K, V> {
    at: Instant,
    key: K,
    value: V,
    /// The data behind it changed since it was computed.
    stale: bool,
}

/// A value computed for a key (the home page's counts for a day), fresh for
/// `ttl`, then served stale until its refresh lands.
pub struct Refreshing<K, V> {
    ttl: Duration,
    slot: RwLock<Option<Entry<K, V>>>,
    refreshing: AtomicBool,
    first: tokio::sync::Mutex<()>,
}

impl<K, V> Refreshing<K, V>
where
    K: Clone + PartialEq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new(ttl: Duration) -> Arc<Self> {
        Arc::new(Refreshing {
            ttl,
            slot: RwLock::new(None),
            refreshing: AtomicBool::new(false),
            first: tokio::sync::Mutex::new(()),
        })
    }

    /// The value for `key`. A value for another key (yesterday's counts)
    /// or an old one is served while `compute` runs in the background.
    pub async fn get<F, Fut, E>(self: &Arc<Self>, key: K, compute: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
        E: std::fmt::Display + Send + 'static,
    {
        if let Some((value, fresh)) = self.read(&key) {
            if !fresh && !self.refreshing.swap(true, Ordering::AcqRel) {
                let me = Arc::clone(self);
                tokio::spawn(async move {
                    match compute().await {
                        Ok(value) => me.store(key, value),
                        // The stale value stays; the next request retries.
                        Err(err) => tracing::warn!(error = %err, "cached value not refreshed"),
                    }
                    me.refreshing.store(false, Ordering::Release);
                });
            }
            return Ok(value);
        }
        // Nothing to serve yet: one request computes, the rest wait for it.
        let _only_one = self.first.lock().await;
        if let Some((value, _)) = self.read(&key) {
            return Ok(value);
        }
        let value = compute().await?;
        self.store(key, value.clone());
        Ok(value)
    }

    /// Marks the value stale (the data behind it changed): the next request
    /// still gets it, and starts its refresh.
    pub fn mark_stale(&self) {
        if let Ok(mut slot) = self.slot.write() {
            if let Some(entry) = slot.as_mut() {
                entry.stale = true;
            }
        }
    }

    /// The value and whether it is fresh for `key`.
    fn read(&self, key: &K) -> Option<(V, bool)> {
        let slot = self.slot.read().ok()?;
        let entry = slot.as_ref()?;
        let fresh = entry.key == *key && !entry.stale && entry.at.elapsed() < self.ttl;
        Some((entry.value.clone(), fresh))
    }

    fn store(&self, key: K, value: V) {
        if let Ok(mut slot) = self.slot.write() {
            *slot = Some(Entry {
                at: Instant::now(),
                key,
                value,
                stale: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    fn slow(
        calls: &Arc<AtomicU32>,
        value: u32,
        ms: u64,
    ) -> impl FnOnce() -> std::pin::Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
        let calls = Arc::clone(calls);
        move || {
            Box::pin(async move {
                calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(ms)).await;
                Ok(value)
            })
        }
    }

    #[tokio::test]
    async fn many_first_requests_compute_once() {
        let cache = Refreshing::<u8, u32>::new(Duration::from_secs(60));
        let calls = Arc::new(AtomicU32::new(0));
        let waiting: Vec<_> = (0..20)
            .map(|_| {
                let cache = Arc::clone(&cache);
                let compute = slow(&calls, 7, 100);
                tokio::spawn(async move { cache.get(1, compute).await })
            })
            .collect();
        for w in waiting {
            assert_eq!(w.await.unwrap(), Ok(7));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_stale_value_is_served_while_one_refresh_runs() {
        let cache = Refreshing::<u8, u32>::new(Duration::from_millis(200));
        let calls = Arc::new(AtomicU32::new(0));
        assert_eq!(cache.get(1, slow(&calls, 1, 0)).await, Ok(1));
        tokio::time::sleep(Duration::from_millis(250)).await;
        // Expired: every request gets the old value at once, one refresh
        // (which takes 300 ms) starts.
        for _ in 0..20 {
            let started = Instant::now();
            assert_eq!(cache.get(1, slow(&calls, 2, 300)).await, Ok(1));
            assert!(started.elapsed() < Duration::from_millis(100));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(calls.load(Ordering::SeqCst), 2, "one refresh, not twenty");
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(cache.get(1, slow(&calls, 3, 0)).await, Ok(2));
        // A new key (a new day) is also served stale, then refreshed.
        assert_eq!(cache.get(2, slow(&calls, 4, 0)).await, Ok(2));
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(cache.get(2, slow(&calls, 5, 0)).await, Ok(4));
    }
}
