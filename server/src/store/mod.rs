//! Storage implementations of `app::store::Store`.
//!
//! `sqlite` is the embedded default. The public projection (what a record
//! contributes to search) is computed in `projection`, independent of the
//! database, so a PostgreSQL implementation builds the same rows.

pub mod api_keys;
pub mod catalog;
pub mod collect;
pub mod data_steps;
pub mod delivery;
pub mod feed;
pub mod postgres;
pub mod projection;
pub mod refreshing;
pub mod repair;
pub mod search;
pub mod seed;
pub mod sqlite;
pub mod staff;
pub mod writes;

pub use sqlite::SqliteStore;
