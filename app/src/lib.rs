//! 信用中国（黑龙江鹤岗）: the public credit portal.
//!
//! This crate holds everything that both the server and the browser need:
//! the domain rules (`domain`), the shared data shapes (`model`), the pages and
//! components (rendered on the server only, islands mode), the few interactive
//! islands that ship to the browser as WebAssembly, and the server functions.
//! Server-only parts are behind the `ssr` feature; the browser build uses
//! `hydrate`. The crate has no default features.

pub mod api;
pub mod components;
pub mod display;
pub mod domain;
pub mod error;
pub mod islands;
pub mod model;
pub mod pages;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod disclosure;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod store;

pub use routes::{shell, App};

/// Browser entry point: hydrates only the islands; the rest of the page is
/// server-rendered HTML that never needs WebAssembly.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
