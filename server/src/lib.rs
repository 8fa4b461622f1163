//! The portal server as a library, so integration tests and benchmarks use
//! the same router, store and demo generator as the binary.

pub mod checks;
pub mod collect;
pub mod config;
pub mod demo;
pub mod display;
pub mod http;
pub mod limits;
pub mod notices;
pub mod objections;
pub mod public_api;
pub mod repair;
pub mod reports;
pub mod router;
pub mod services;
pub mod staff;
pub mod store;
pub mod telemetry;
