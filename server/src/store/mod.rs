//! The stores: the traits' implementations for each database, and what
//! they share.
//!
//! - `sqlite` is the embedded default; `postgres` implements the same
//!   traits for several app servers on one database. Both only store: the
//!   rules are in `app::domain` and `crate::services`. `backend` picks one
//!   by `DATABASE_URL`.
//! - Backend-neutral: `projection` (what a record contributes to the
//!   public pages and search), `delivery` (the delivery pipeline's traits
//!   and what a checked row becomes), `seed` (the writer the demo data go
//!   through), `search` (count cap, cache key, hit columns),
//!   `refreshing` (the caches), `register` (the access register's hash
//!   chain), `columns` (SQL both run alike) and `copy` (SQLite to
//!   PostgreSQL).

pub mod backend;
pub mod columns;
pub mod copy;
pub mod delivery;
pub mod postgres;
pub mod projection;
pub mod refreshing;
pub mod register;
pub mod search;
pub mod seed;
pub mod sqlite;
pub mod transparency;

pub use sqlite::SqliteStore;
