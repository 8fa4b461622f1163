//! HTTP details of the repair forms: cookies, the same-origin check every
//! form post passes, random tokens and hashes.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The cookie holding the id of the application being filled in.
pub const DRAFT_COOKIE: &str = "repair_draft";
/// The one-time cookie carrying number and tracking code to the confirmation.
pub const RECEIPT_COOKIE: &str = "repair_receipt";

/// A cookie value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, scoped to `path`.
/// (`Secure` and the `__Host-` prefix come with the session work for
/// HTTPS deployments; on plain localhost browsers would drop them.)
pub fn set_cookie(name: &str, value: &str, path: &str, max_age_secs: u64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age_secs}; HttpOnly; SameSite=Strict"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_cookie(name: &str, path: &str) -> HeaderValue {
    set_cookie(name, "", path, 0)
}

/// Rejects form posts from other sites: a browser sends `Sec-Fetch-Site`
/// (and `Origin`) with every POST; anything cross-site is refused.
pub fn same_origin(headers: &HeaderMap) -> Result<(), Box<Response>> {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(site, Some("cross-site" | "same-site")) {
        return Err(Box::new(forbidden()));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        // `Origin: null` comes from sandboxed frames, `data:` pages and
        // cross-site redirects: never from a form on this site.
        if origin == "null" || origin_host != host {
            return Err(Box::new(forbidden()));
        }
    }
    Ok(())
}

fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        Html(app::pages::repair::document::render_document(
            None,
            "请求被拒绝",
            || {
                leptos::prelude::IntoAny::into_any(
                    "该请求来自其他网站，已被拒绝。请在本站页面上直接填写和提交。",
                )
            },
        )),
    )
        .into_response()
}

/// `n` random bytes from the operating system, as lowercase hex.
pub fn random_hex(n: usize) -> Result<String, getrandom::Error> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes)?;
    Ok(hex(&bytes))
}

pub fn random_16() -> Result<[u8; 16], getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// A draft id from a cookie: exactly 32 lowercase hex characters.
pub fn valid_token(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// An HTML page with a status.
pub fn page(status: StatusCode, html: String) -> Response {
    (status, Html(html)).into_response()
}

/// A 303 redirect (POST → GET).
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}
