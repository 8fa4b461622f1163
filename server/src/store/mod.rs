//! The stores: the traits' implementations for each database, and what
//! they share.
//!
//! - `sqlite` (with `repair`, `staff`, `catalog`, `api_keys`, `feed`,
//!   `collect`, `writes`, `data_steps`) is the embedded default;
//!   `postgres` implements the same traits for several app servers on one
//!   database. `backend` picks one by `DATABASE_URL`.
//! - Backend-neutral: `projection` (what a record contributes to the
//!   public pages and search), `delivery` (the delivery pipeline's traits
//!   and what a checked row becomes), `seed` (the writer the demo data go
//!   through), `search` (count cap, cache key, hit columns) and
//!   `refreshing` (the caches).

pub mod api_keys;
pub mod backend;
pub mod catalog;
pub mod collect;
pub mod copy;
pub mod data_steps;
pub mod delivery;
pub mod feed;
pub mod postgres;
pub mod projection;
pub mod refreshing;
pub mod repair;
pub mod search;
pub mod seed;
pub mod serious;
pub mod sqlite;
pub mod staff;
pub mod write_tx;
pub mod writes;

pub use sqlite::SqliteStore;
