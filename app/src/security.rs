//! The Content Security Policy every page is served with, and the
//! per-request nonce its one inline script (the islands' hydration
//! bootstrap) carries. The server's middleware makes the nonce, runs the
//! request inside `CSP_NONCE.scope(..)` and sends the header; page renderers
//! call `provide_nonce()` so Leptos puts the same nonce on its script.

use leptos::prelude::*;

tokio::task_local! {
    /// The nonce of the request being served.
    pub static CSP_NONCE: String;
}

/// The policy for a response whose inline script carries `nonce`: scripts
/// and WebAssembly only from this origin (plus that one inline script), no
/// plugins, no framing, forms only to this origin.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Makes the request's nonce the one Leptos writes on inline scripts.
/// Outside a request (tests rendering a page alone) there is none.
pub fn provide_nonce() {
    if let Ok(nonce) = CSP_NONCE.try_with(Clone::clone) {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}
