//! The interactive parts that ship to the browser as WebAssembly.
//!
//! Keep them few and small: every island adds to the WASM a page loads
//! (budget ≤ 100 KB brotli, see README). Islands only some pages need are
//! lazy (`#[island(lazy)]`): the build splits them into their own chunks.
//! Each island marks its root with `data-hydrated="true"` once it is live,
//! so browser tests can wait for it (islands hydrate on idle, after
//! `hydrate()`).

pub mod form_flow;
#[cfg(feature = "hydrate")]
pub mod page_loader;
pub mod search_flow;
