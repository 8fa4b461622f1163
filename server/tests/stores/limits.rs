//! The public read limits: a client's bucket empties and refills the same
//! way wherever it is kept, and on PostgreSQL two app servers share it.

use std::sync::Arc;

use server::limits::{Buckets, MemoryBuckets, Rate};
use server::store::postgres::PgStore;

use super::databases;

#[tokio::test]
async fn a_limit_hit_on_one_server_holds_on_the_other() {
    let rate = Rate::per_minute(20).unwrap(); // a burst of 10
    for db in databases().await {
        let (first, second): (Arc<dyn Buckets>, Arc<dyn Buckets>) = match &db.url {
            // Two app servers: two stores, each with its own pool.
            Some(url) => (
                Arc::new(PgStore::connect(url).await.unwrap()),
                Arc::new(PgStore::connect(url).await.unwrap()),
            ),
            // One machine: one process's buckets.
            None => {
                let one: Arc<dyn Buckets> = Arc::new(MemoryBuckets::default());
                (one.clone(), one)
            }
        };
        for n in 0..10 {
            let server = if n % 2 == 0 { &first } else { &second };
            assert_eq!(
                server.take("search:10.0.0.1", rate).await,
                Ok(()),
                "{}: request {n}",
                db.name
            );
        }
        // Empty on both.
        let wait = first.take("search:10.0.0.1", rate).await.unwrap_err();
        assert!((1..=3).contains(&wait), "{}: wait {wait}", db.name);
        assert!(
            second.take("search:10.0.0.1", rate).await.is_err(),
            "{}",
            db.name
        );
        // Other clients and other limits are counted apart.
        assert_eq!(second.take("search:10.0.0.2", rate).await, Ok(()));
        assert_eq!(first.take("pages:10.0.0.1", rate).await, Ok(()));
        // A token comes back after three seconds (20 a minute).
        tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
        assert_eq!(
            second.take("search:10.0.0.1", rate).await,
            Ok(()),
            "{}",
            db.name
        );
        assert!(
            first.take("search:10.0.0.1", rate).await.is_err(),
            "{}",
            db.name
        );
    }
}
