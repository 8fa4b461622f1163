//! The rules that change state, written once for both databases: each
//! service composes the steps of a [`app::store::write_tx::WriteTx`] (or
//! calls a store trait) and never sees SQL. Handlers parse, call a service
//! and render.

pub mod joint_check;
pub mod listing;
pub mod measures;
pub mod objection;
pub mod privacy;
pub mod review;
pub mod serious_domains;
