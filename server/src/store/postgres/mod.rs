//! The PostgreSQL store, for a portal that outgrows one machine: several
//! app servers on one database. It implements the same traits as the
//! embedded SQLite store (`store::sqlite`) and passes the same tests; the
//! rules stay in backend-neutral code, this module only stores.
//!
//! Where SQLite relied on being the single writer, PostgreSQL gets a
//! constraint or a lock: application numbers come from a per-day counter
//! row, appends to the access register take a transaction-scoped advisory
//! lock on the chain, and a department's delivery turn is an advisory lock
//! held by one connection, so it holds across app servers.
//!
//! Its schema is `server/migrations-pg` (dates as `date`, timestamps as
//! `timestamptz`, flags as `boolean`); the database must be UTF-8 with a
//! UTF-8 ctype, or `pg_trgm` cannot index Chinese names.

mod catalog;
mod collect;
mod consent;
mod delivery;
mod feed;
mod keys;
mod limits;
mod listing;
mod measures;
mod objection;
mod public;
mod repair;
mod reports;
pub(crate) mod serious;
mod staff;
mod transparency;
mod write_tx;
mod writes;

use std::time::Duration;

use app::store::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

/// Advisory lock keys (`pg_advisory_xact_lock`): the first number names
/// what is locked, the second which one.
pub(crate) mod locks {
    /// The access register's chain (one head at a time).
    pub const REGISTER: (i32, i32) = (0x4847, 1);
    /// A department's delivery turn: `(DELIVERY, department id)`, held by
    /// a session (`pg_advisory_lock`) for the whole delivery.
    pub const DELIVERY: i32 = 0x4848;
    /// The sweep of ended records: one app server at a time does it.
    pub const SWEEP: (i32, i32) = (0x484A, 1);
    /// Publishing a delivery (one at a time: the ids it computes).
    pub const PUBLICATION: (i32, i32) = (0x4849, 1);
    /// Numbering prior notices (the day's next sequence).
    pub const NOTICE_NUMBER: (i32, i32) = (0x484B, 1);
    /// Numbering objections (the day's next sequence).
    pub const OBJECTION_NUMBER: (i32, i32) = (0x484C, 1);
    /// Numbering credit reports (the day's next sequence).
    pub const REPORT_NUMBER: (i32, i32) = (0x484D, 1);
}

/// The PostgreSQL store.
pub struct PgStore {
    pool: PgPool,
    public: public::PublicCaches,
}

/// A database failure, as the store reports it (its text is for logs).
pub(crate) fn db_err(err: sqlx::Error) -> StoreError {
    StoreError(format!("postgres: {err}"))
}

impl PgStore {
    /// Connects to `url` (`postgres://…`) and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options: PgConnectOptions = url.parse().map_err(db_err)?;
        // Every statement is prepared; after five runs PostgreSQL would
        // switch to one generic plan that cannot know a search's pattern
        // or tokens, and walk the sort-key index for a rare name (measured:
        // 4-character searches p95 130 ms generic, a few ms planned for
        // their values). Planning each search costs a fraction of that.
        let options = options.options([("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            // No ping before every query. sqlx drops a connection whose
            // acquire is cancelled during that ping, and a page render
            // cancels the store reads it started but does not use: with
            // the ping, nearly every public page closed a connection and
            // the next read opened a new one (a connection per page view,
            // and a round trip more per read). sqlx still pings on
            // release, and a connection the server closed while idle fails
            // the one query that finds it so.
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(db_err)?;
        check_encoding(&pool).await?;
        sqlx::migrate!("./migrations-pg")
            .run(&pool)
            .await
            .map_err(|e| StoreError(format!("migration failed: {e}")))?;
        let store = PgStore {
            pool,
            public: public::PublicCaches::default(),
        };
        store.seed_calendar_if_empty().await?;
        Ok(store)
    }

    /// The connection pool, for tools and tests that inspect the database.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Refuses a database whose encoding or ctype is not UTF-8: Chinese names
/// would not be indexed for search.
async fn check_encoding(pool: &PgPool) -> Result<(), StoreError> {
    let (encoding, ctype): (String, String) = sqlx::query_as(
        "select pg_encoding_to_char(encoding), datctype from pg_database
         where datname = current_database()",
    )
    .fetch_one(pool)
    .await
    .map_err(db_err)?;
    let utf8 = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("utf8") || s.contains("utf-8")
    };
    if utf8(&encoding) && utf8(&ctype) {
        Ok(())
    } else {
        Err(StoreError(format!(
            "the database must be UTF-8 with a UTF-8 ctype (it is {encoding}, ctype {ctype}): \
             create it with `createdb -E UTF8 --locale=C.UTF-8 -T template0`"
        )))
    }
}

/// `t` to the millisecond, as every timestamp is stored: what the access
/// register hashes is what it keeps, and times read back compare equal to
/// the SQLite store's.
pub(crate) fn millis(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::{DurationRound, TimeDelta};
    t.duration_trunc(TimeDelta::milliseconds(1)).unwrap_or(t)
}
