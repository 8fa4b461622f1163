//! The large-text display (适老化) on the server: `/display` keeps the
//! visitor's choice in a cookie and sends them back to the page they came
//! from; a middleware makes every request's choice and address known to
//! the page frame (`app::display`).

use app::display::{safe_return, DisplayContext, DisplayMode, COOKIE, DISPLAY};
use axum::extract::{Query, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::http::forms::see_other;

#[derive(Deserialize)]
pub struct Switch {
    #[serde(default)]
    mode: String,
    #[serde(default)]
    back: String,
}

/// `GET /display?mode=large|standard&back=/path`: remembers the mode for a
/// year and returns to `back` (a local path; the home page otherwise). An
/// unknown mode changes nothing.
pub async fn switch(Query(q): Query<Switch>) -> Response {
    let mut response = see_other(safe_return(&q.back)).into_response();
    if let Some(mode) = DisplayMode::from_code(&q.mode) {
        let cookie = format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
            mode.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

/// Runs the request with its display mode and address known to the pages.
pub async fn scope(request: Request, next: Next) -> Response {
    let mode = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(DisplayMode::from_cookie_header)
        .find(|m| *m != DisplayMode::Standard)
        .unwrap_or_default();
    let here = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    DISPLAY
        .scope(DisplayContext { mode, here }, next.run(request))
        .await
}
