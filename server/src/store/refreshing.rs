//! Cached values that refresh without a stampede.
//!
//! The home page's counts take over a second at a million records, and a
//! search's count of results up to tens of milliseconds. With a plain
//! time-to-live, every request that arrives after a value expires
//! recomputes it at once, and all of them wait. Here a missing value is
//! computed by exactly one request, any others asking for the same key
//! waiting for that one computation (other keys are not held up).
//!
//! A value is computed for a key at a *version* (the day and the
//! projection's generation): a value is fresh for its version and later
//! ones until marked stale (a value served stale also for a minimum
//! interval after it was computed, so it is not recounted on every change). What happens when
//! only an out-of-date value is there is the cache's policy:
//! [`Refreshing::serving_stale`] serves it while one background task
//! computes the next (the home page's counts: yesterday's are fine for a
//! moment), [`Refreshing::exact`] never serves it (a search's count after
//! the records changed), so the first request computes and the rest wait.
//!
//! Bounded: past `capacity` keys the least recently used one (a clock over
//! the keys in insertion order, each hit setting a used mark) is dropped.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What to do with a value that is no longer fresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Policy {
    /// Serve it while one background task computes the next.
    ServeStale,
    /// Never serve it: compute in the request (one per key at a time).
    Exact,
}

struct Value<G, V> {
    version: G,
    at: Instant,
    value: V,
}

struct Slot<G, V> {
    value: Option<Value<G, V>>,
    /// The data behind the value changed since it was computed.
    stale: bool,
    /// A background refresh is running (`ServeStale`).
    refreshing: bool,
    /// Hit since the clock hand last passed.
    used: bool,
    /// Held while the value is computed in a request: the others wait here.
    computing: Arc<tokio::sync::Mutex<()>>,
}

struct Slots<K, G, V> {
    map: HashMap<K, Slot<G, V>>,
    /// Keys in insertion order: the clock's hand is the front.
    order: VecDeque<K>,
}

/// Values computed per key and version, fresh for `ttl`; see the module.
pub struct Refreshing<K, V, G = ()> {
    ttl: Option<Duration>,
    capacity: usize,
    policy: Policy,
    slots: Mutex<Slots<K, G, V>>,
}

impl<K, V, G> Refreshing<K, V, G>
where
    K: Clone + Eq + Hash + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    G: Clone + Ord + Send + Sync + 'static,
{
    /// One value (the home page's counts), fresh while its version is
    /// current, and for `min_interval` after it was computed whatever the
    /// version; an out-of-date value is served while its refresh runs.
    /// Unchanged data cost nothing, and data changing all day are counted
    /// at most once per `min_interval`.
    pub fn serving_stale(min_interval: Duration) -> Arc<Self> {
        Self::build(Some(min_interval), 1, Policy::ServeStale)
    }

    /// Up to `capacity` values, each served only at its version or a later
    /// one (a search's count at the projection's generation).
    pub fn exact(capacity: usize) -> Arc<Self> {
        Self::build(None, capacity, Policy::Exact)
    }

    fn build(ttl: Option<Duration>, capacity: usize, policy: Policy) -> Arc<Self> {
        Arc::new(Refreshing {
            ttl,
            capacity: capacity.max(1),
            policy,
            slots: Mutex::new(Slots {
                map: HashMap::new(),
                order: VecDeque::new(),
            }),
        })
    }

    /// The value for `key` at `version` (or later); see the module for what
    /// happens when there is none.
    pub async fn get<F, Fut, E>(self: &Arc<Self>, key: K, version: G, compute: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<V, E>> + Send + 'static,
        E: std::fmt::Display + Send + 'static,
    {
        let computing = {
            let mut slots = self.lock();
            let slot = slots.slot(&key, self.capacity);
            let fresh = self.is_fresh(slot, &version);
            match &slot.value {
                Some(v) if fresh => {
                    let value = v.value.clone();
                    slot.used = true;
                    return Ok(value);
                }
                Some(v) if self.policy == Policy::ServeStale => {
                    let value = v.value.clone();
                    slot.used = true;
                    if !slot.refreshing {
                        slot.refreshing = true;
                        let me = Arc::clone(self);
                        tokio::spawn(async move {
                            let outcome = compute().await;
                            let mut slots = me.lock();
                            match outcome {
                                Ok(value) => me.put(&mut slots, key.clone(), version, value),
                                // The stale value stays; the next request retries.
                                Err(err) => {
                                    tracing::warn!(error = %err, "cached value not refreshed")
                                }
                            }
                            if let Some(slot) = slots.map.get_mut(&key) {
                                slot.refreshing = false;
                            }
                        });
                    }
                    return Ok(value);
                }
                _ => Arc::clone(&slot.computing),
            }
        };
        // Nothing to serve: one request computes, the rest wait for it.
        let _only_one = computing.lock().await;
        {
            let mut slots = self.lock();
            if let Some(slot) = slots.map.get_mut(&key) {
                if self.is_fresh(slot, &version) {
                    if let Some(v) = &slot.value {
                        return Ok(v.value.clone());
                    }
                }
            }
        }
        let value = compute().await?;
        let mut slots = self.lock();
        self.put(&mut slots, key, version, value.clone());
        Ok(value)
    }

    /// The value for `key` if it was computed within the minimum interval
    /// and not marked stale, whatever its version (`serving_stale`): lets a
    /// caller skip finding out the current version when it cannot matter.
    pub fn recent(&self, key: &K) -> Option<V> {
        let slots = self.lock();
        let slot = slots.map.get(key)?;
        let v = slot.value.as_ref()?;
        (self.policy == Policy::ServeStale && !slot.stale && self.recent_at(v.at))
            .then(|| v.value.clone())
    }

    /// Marks every value stale (the data behind it changed): a stale value
    /// is served or recomputed as the policy says.
    pub fn mark_stale(&self) {
        for slot in self.lock().map.values_mut() {
            slot.stale = true;
        }
    }

    /// How many keys are held (at most the capacity).
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// True when no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots<K, G, V>> {
        // A panic while holding the lock leaves plain data: keep using it.
        self.slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Computed at `at`, within the minimum interval.
    fn recent_at(&self, at: Instant) -> bool {
        self.ttl.is_some_and(|ttl| at.elapsed() < ttl)
    }

    fn is_fresh(&self, slot: &Slot<G, V>, version: &G) -> bool {
        slot.value.as_ref().is_some_and(|v| {
            let current = v.version >= *version;
            let recent = self.recent_at(v.at);
            !slot.stale
                && match self.policy {
                    Policy::Exact => current,
                    // Refreshed when its version moved on, but not more
                    // often than every `ttl`, however often the data change.
                    Policy::ServeStale => current || recent,
                }
        })
    }

    /// Keeps `value` unless the slot already holds one of a later version.
    fn put(&self, slots: &mut Slots<K, G, V>, key: K, version: G, value: V) {
        let slot = slots.slot(&key, self.capacity);
        if slot.value.as_ref().is_some_and(|v| v.version > version) {
            return;
        }
        slot.value = Some(Value {
            version,
            at: Instant::now(),
            value,
        });
        slot.stale = false;
    }
}

impl<K: Clone + Eq + Hash, G, V> Slots<K, G, V> {
    /// The slot of `key`, made (and another dropped past `capacity`) if new.
    fn slot(&mut self, key: &K, capacity: usize) -> &mut Slot<G, V> {
        if !self.map.contains_key(key) {
            while self.map.len() >= capacity {
                self.evict_one();
            }
            self.order.push_back(key.clone());
            self.map.insert(
                key.clone(),
                Slot {
                    value: None,
                    stale: false,
                    refreshing: false,
                    used: false,
                    computing: Arc::new(tokio::sync::Mutex::new(())),
                },
            );
        }
        self.map.get_mut(key).expect("slot just made")
    }

    /// Drops the first key in clock order not used since the hand passed.
    fn evict_one(&mut self) {
        while let Some(key) = self.order.pop_front() {
            match self.map.get_mut(&key) {
                Some(slot) if slot.used => {
                    slot.used = false;
                    self.order.push_back(key);
                }
                Some(_) => {
                    self.map.remove(&key);
                    return;
                }
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    type Compute = std::pin::Pin<Box<dyn Future<Output = Result<u32, String>> + Send>>;

    fn slow(calls: &Arc<AtomicU32>, value: u32, ms: u64) -> impl FnOnce() -> Compute {
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
        let cache = Refreshing::<(), u32, u8>::serving_stale(Duration::from_secs(60));
        let calls = Arc::new(AtomicU32::new(0));
        let waiting: Vec<_> = (0..20)
            .map(|_| {
                let cache = Arc::clone(&cache);
                let compute = slow(&calls, 7, 100);
                tokio::spawn(async move { cache.get((), 1, compute).await })
            })
            .collect();
        for w in waiting {
            assert_eq!(w.await.unwrap(), Ok(7));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_stale_value_is_served_while_one_refresh_runs() {
        let cache = Refreshing::<(), u32, u8>::serving_stale(Duration::from_millis(200));
        let calls = Arc::new(AtomicU32::new(0));
        assert_eq!(cache.get((), 1, slow(&calls, 1, 0)).await, Ok(1));
        // The data changed (version 2) within the interval: still served.
        assert_eq!(cache.get((), 2, slow(&calls, 9, 0)).await, Ok(1));
        tokio::time::sleep(Duration::from_millis(250)).await;
        // Past it, every request gets the old value at once and one refresh
        // (which takes 300 ms) starts.
        for _ in 0..20 {
            let started = Instant::now();
            assert_eq!(cache.get((), 2, slow(&calls, 2, 300)).await, Ok(1));
            assert!(started.elapsed() < Duration::from_millis(100));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(calls.load(Ordering::SeqCst), 2, "one refresh, not twenty");
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(cache.get((), 2, slow(&calls, 3, 0)).await, Ok(2));
        // Marked stale: served once more while it refreshes.
        cache.mark_stale();
        assert_eq!(cache.get((), 2, slow(&calls, 6, 0)).await, Ok(2));
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(cache.get((), 2, slow(&calls, 7, 0)).await, Ok(6));
    }

    #[tokio::test]
    async fn a_recent_value_is_known_without_its_version() {
        let cache = Refreshing::<(), u32, u8>::serving_stale(Duration::from_millis(50));
        let calls = Arc::new(AtomicU32::new(0));
        assert_eq!(cache.recent(&()), None);
        assert_eq!(cache.get((), 1, slow(&calls, 1, 0)).await, Ok(1));
        assert_eq!(cache.recent(&()), Some(1));
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert_eq!(
            cache.recent(&()),
            None,
            "past the interval the version decides"
        );
        assert_eq!(cache.get((), 1, slow(&calls, 2, 0)).await, Ok(1));
        cache.mark_stale();
        assert_eq!(cache.recent(&()), None);
    }

    #[tokio::test]
    async fn unchanged_data_are_not_counted_again() {
        let cache = Refreshing::<(), u32, u8>::serving_stale(Duration::from_millis(50));
        let calls = Arc::new(AtomicU32::new(0));
        assert_eq!(cache.get((), 1, slow(&calls, 1, 0)).await, Ok(1));
        tokio::time::sleep(Duration::from_millis(120)).await;
        // Long past the interval, at the same version: no refresh.
        for _ in 0..5 {
            assert_eq!(cache.get((), 1, slow(&calls, 2, 0)).await, Ok(1));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn exact_values_are_never_served_for_a_later_version() {
        let cache = Refreshing::<&str, u32, u64>::exact(10);
        let calls = Arc::new(AtomicU32::new(0));
        assert_eq!(cache.get("q", 1, slow(&calls, 10, 0)).await, Ok(10));
        assert_eq!(cache.get("q", 1, slow(&calls, 11, 0)).await, Ok(10));
        // The data changed (generation 2): computed again, in the request.
        assert_eq!(cache.get("q", 2, slow(&calls, 12, 0)).await, Ok(12));
        // A request that saw generation 1 may get generation 2's value.
        assert_eq!(cache.get("q", 1, slow(&calls, 13, 0)).await, Ok(12));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn exact_misses_compute_once_per_key_and_keys_do_not_wait_for_each_other() {
        let cache = Refreshing::<u32, u32, u64>::exact(100);
        let calls = Arc::new(AtomicU32::new(0));
        let started = Instant::now();
        let waiting: Vec<_> = (0..40)
            .map(|i| {
                let cache = Arc::clone(&cache);
                let key = i % 4;
                let compute = slow(&calls, key * 100, 200);
                tokio::spawn(async move { (key, cache.get(key, 5, compute).await) })
            })
            .collect();
        for w in waiting {
            let (key, got) = w.await.unwrap();
            assert_eq!(got, Ok(key * 100));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 4, "one computation per key");
        assert!(
            started.elapsed() < Duration::from_millis(600),
            "four keys computed side by side, not one after another"
        );
    }

    #[tokio::test]
    async fn a_failed_computation_is_retried_by_the_next_request() {
        let cache = Refreshing::<u8, u32, u64>::exact(10);
        let failing = || async { Err::<u32, String>("busy".into()) };
        assert_eq!(cache.get(1, 1, failing).await, Err("busy".to_string()));
        let calls = Arc::new(AtomicU32::new(0));
        assert_eq!(cache.get(1, 1, slow(&calls, 3, 0)).await, Ok(3));
    }

    #[tokio::test]
    async fn the_cache_is_bounded_and_keeps_what_is_used() {
        let cache = Refreshing::<u32, u32, u64>::exact(3);
        let calls = Arc::new(AtomicU32::new(0));
        for key in 0..3 {
            cache.get(key, 1, slow(&calls, key, 0)).await.unwrap();
        }
        // Key 0 is asked again (hit); keys 3 and 4 push out 1 and 2.
        cache.get(0, 1, slow(&calls, 99, 0)).await.unwrap();
        for key in 3..5 {
            cache.get(key, 1, slow(&calls, key, 0)).await.unwrap();
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(calls.load(Ordering::SeqCst), 5);
        assert_eq!(cache.get(0, 1, slow(&calls, 99, 0)).await, Ok(0), "kept");
        assert_eq!(
            cache.get(1, 1, slow(&calls, 42, 0)).await,
            Ok(42),
            "dropped"
        );
    }
}
