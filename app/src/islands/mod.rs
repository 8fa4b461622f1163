//! The interactive parts that ship to the browser as WebAssembly.
//!
//! Keep them few and small: every island adds to the WASM a public page
//! loads (budget ≤ 100 KB brotli, see README). Each island marks its root
//! with `data-hydrated="true"` once it is live, so browser tests can wait
//! for it (islands hydrate on idle, after `hydrate()`).

pub mod checked_field;
pub mod search_app;
