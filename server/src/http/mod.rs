//! HTTP matters every area shares: who the client is (behind trusted
//! proxies), the connection loop and its timeouts, cookies over HTTPS,
//! form helpers (`forms`), random tokens and hashes (`tokens`) and the one
//! error type of the handlers (`error`).

pub mod client;
pub mod error;
pub mod forms;
pub mod routes;
pub mod serve;
pub mod tokens;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Over HTTPS every cookie the portal sets carries `Secure`, whichever
/// area set it (repair drafts, receipts, the display choice, staff
/// sessions): done once here so a cookie added later cannot forget it.
pub async fn secure_cookies(State(secure): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !secure {
        return response;
    }
    let cookies: Vec<HeaderValue> = response
        .headers_mut()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| match v.to_str() {
            Ok(s) if !has_secure(s) => {
                HeaderValue::from_str(&format!("{s}; Secure")).unwrap_or_else(|_| v.clone())
            }
            _ => v.clone(),
        })
        .collect();
    let headers = response.headers_mut();
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        headers.append(header::SET_COOKIE, cookie);
    }
    response
}

fn has_secure(cookie: &str) -> bool {
    cookie
        .split(';')
        .skip(1)
        .any(|attr| attr.trim().eq_ignore_ascii_case("secure"))
}
