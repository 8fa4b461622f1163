//! The public read limits' token buckets in PostgreSQL (`limits::Buckets`),
//! shared by every app server on the database: one statement per request
//! refills the client's bucket by the time passed and takes a token only
//! when one is there, atomically (the row is locked for the statement), so
//! requests to two servers at once draw on the same bucket.

use async_trait::async_trait;
use sqlx::Row;

use super::PgStore;
use crate::limits::{wait_for_token, Buckets, Rate};

/// The bucket's tokens now: what it held, refilled since, up to the burst.
const REFILLED: &str = "least($2, b.tokens + extract(epoch from clock_timestamp() - b.at) * $3)";

#[async_trait]
impl Buckets for PgStore {
    async fn take(&self, key: &str, rate: Rate) -> Result<(), u64> {
        let taken = sqlx::query(sqlx::AssertSqlSafe(format!(
            "insert into rate_buckets as b (key, tokens, at) values ($1, $2 - 1, clock_timestamp())
             on conflict (key) do update set tokens = {REFILLED} - 1, at = clock_timestamp()
             where {REFILLED} >= 1
             returning tokens"
        )))
        .bind(key)
        .bind(rate.burst)
        .bind(rate.per_second)
        .fetch_optional(&self.pool)
        .await;
        match taken {
            Ok(Some(_)) => Ok(()),
            Ok(None) => {
                let left = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "select {REFILLED} from rate_buckets b where key = $1"
                )))
                .bind(key)
                .bind(rate.burst)
                .bind(rate.per_second)
                .fetch_optional(&self.pool)
                .await
                .ok()
                .flatten()
                .map_or(0.0, |r| r.get::<f64, _>(0));
                Err(wait_for_token(left, rate))
            }
            // The database failing must not take public reads down with it:
            // the request goes through, and the failure is logged.
            Err(e) => {
                tracing::warn!(error = %e, "rate bucket not updated");
                Ok(())
            }
        }
    }
}
