//! What every area's HTML forms share: cookies, the same-origin check every
//! form post passes, and the plain responses (a page with a status, a 303).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

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
/// (`Secure` is added to every cookie over HTTPS by [`super::secure_cookies`];
/// on plain localhost browsers would drop it.)
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
        Html(app::pages::document::render_document(
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

/// An HTML page with a status.
pub fn page(status: StatusCode, html: String) -> Response {
    (status, Html(html)).into_response()
}

/// A 303 redirect (POST → GET).
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}
