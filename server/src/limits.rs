//! Per-client rate limits on public reads (searches, and record and subject
//! pages): bulk harvesting of credit data is what the policy forbids, and a
//! person browsing never needs more than a couple of pages a second. A
//! token bucket per client address, keyed by [`Client`] (the address behind
//! trusted proxies, IPv6 per /64). Over the limit: 429 with a Chinese page
//! and `Retry-After`. Tracking-code lookups and logins have their own
//! limits on failures.
//!
//! Where the buckets live is a [`Buckets`]: in memory for one machine
//! (embedded SQLite), in the database when several app servers share one
//! PostgreSQL (`store::postgres::limits`), so a client cannot multiply its
//! allowance by the number of servers behind the proxy.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_trait::async_trait;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::http::client::Client;

/// How many requests a client may burst, and how fast it may go on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    pub burst: f64,
    pub per_second: f64,
}

impl Rate {
    /// `PORTAL_SEARCH_RATE` requests a minute (default 120; 0 switches the
    /// limit off, e.g. for load tests), with a burst of half a minute's worth.
    pub fn per_minute(n: u32) -> Option<Rate> {
        (n > 0).then(|| Rate {
            burst: f64::from(n.max(2)) / 2.0,
            per_second: f64::from(n) / 60.0,
        })
    }
}

/// Where token buckets are kept.
#[async_trait]
pub trait Buckets: Send + Sync + 'static {
    /// Takes one token from the bucket `key` filling at `rate`;
    /// `Err(seconds to wait)` when there is none.
    async fn take(&self, key: &str, rate: Rate) -> Result<(), u64>;
}

/// The seconds until a bucket holding `tokens` has one again.
pub fn wait_for_token(tokens: f64, rate: Rate) -> u64 {
    ((1.0 - tokens) / rate.per_second).ceil().max(1.0) as u64
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Buckets in this process's memory (one machine).
#[derive(Default)]
pub struct MemoryBuckets {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl MemoryBuckets {
    /// [`Buckets::take`] at `now`.
    pub fn take_at(&self, key: &str, rate: Rate, now: Instant) -> Result<(), u64> {
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(()); // a poisoned lock must not take search down
        };
        if buckets.len() > 50_000 {
            // Forget clients whose buckets have refilled anyway.
            let full = rate.burst / rate.per_second;
            buckets.retain(|_, b| now.duration_since(b.at).as_secs_f64() < full);
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: rate.burst,
            at: now,
        });
        let elapsed = now.duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate.per_second).min(rate.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(wait_for_token(bucket.tokens, rate))
        }
    }
}

#[async_trait]
impl Buckets for MemoryBuckets {
    async fn take(&self, key: &str, rate: Rate) -> Result<(), u64> {
        self.take_at(key, rate, Instant::now())
    }
}

/// One kind of request's limit: its rate, and where its buckets are.
#[derive(Clone)]
pub struct RateLimiter {
    name: &'static str,
    rate: Rate,
    buckets: Arc<dyn Buckets>,
}

impl RateLimiter {
    /// The limit `name` (a bucket per client under it) at `rate`.
    pub fn new(name: &'static str, rate: Rate, buckets: Arc<dyn Buckets>) -> Self {
        RateLimiter {
            name,
            rate,
            buckets,
        }
    }

    /// Takes one token for `client`; `Err(seconds to wait)` when there is
    /// none.
    pub async fn take(&self, client: &str) -> Result<(), u64> {
        self.buckets
            .take(&format!("{}:{client}", self.name), self.rate)
            .await
    }
}

/// The two buckets of public reads. A person browsing reads a page every
/// few seconds and searches now and then; harvesting the database needs
/// thousands of either, so each has its own bucket and neither can be
/// used to go round the other.
#[derive(Clone, Default)]
pub struct PublicLimits {
    /// `/search` and the server functions behind the pages.
    pub search: Option<RateLimiter>,
    /// One record or subject per request: record, subject and serious-list
    /// entry pages, and the repair start page and the objection form (they
    /// show the record); the transparency figures (counted per request).
    pub pages: Option<RateLimiter>,
    /// Credit reports (page, PDF, server function): each new content is
    /// numbered and registered, so asking for many periods costs more
    /// than reading a page.
    pub reports: Option<RateLimiter>,
}

/// Whether `path` asks for a credit report.
fn is_report(path: &str) -> bool {
    path == "/api/report"
        || path
            .strip_prefix("/subjects/")
            .is_some_and(|rest| rest.ends_with("/report") || rest.ends_with("/report.pdf"))
}

/// Which bucket a path draws on, if any (the keyed `/api/v1/` API has its
/// own keys; static files, forms and the console are not public reads).
/// The open-data API draws on the same buckets as the pages it mirrors.
fn bucket<'a>(limits: &'a PublicLimits, path: &str) -> Option<&'a RateLimiter> {
    if is_report(path) {
        limits.reports.as_ref()
    } else if path == "/search"
        || (path.starts_with("/api/") && !path.starts_with("/api/v1/"))
        || path == "/api/v1/public/search"
        || path == "/api/v1/public/serious-list"
    {
        limits.search.as_ref()
    } else if [
        "/penalties/",
        "/licenses/",
        "/subjects/",
        "/serious-list/",
        "/api/v1/public/records/",
        "/api/v1/public/subjects/",
    ]
    .iter()
    .any(|p| path.starts_with(p))
        || (path.starts_with("/repair/apply/") && path[14..].bytes().all(|b| b.is_ascii_digit()))
        || path == "/objections/new"
        // Counted afresh from the cached reading on every request.
        || path == "/transparency"
        || path == "/api/v1/public/transparency"
    {
        limits.pages.as_ref()
    } else {
        None
    }
}

pub async fn limit_public_reads(
    State(limits): State<PublicLimits>,
    request: Request,
    next: Next,
) -> Response {
    let Some(limiter) = bucket(&limits, request.uri().path()) else {
        return next.run(request).await;
    };
    // Requests without a socket (the tests' direct calls) are not limited.
    let Some(client) = request
        .extensions()
        .get::<Client>()
        .filter(|c| c.key != "local")
        .map(|c| c.key.clone())
    else {
        return next.run(request).await;
    };
    let json = request.uri().path().starts_with("/api/v1/public/");
    match limiter.take(&client).await {
        Ok(()) => next.run(request).await,
        Err(wait) if json => too_many_json(wait),
        Err(wait) => too_many(wait),
    }
}

/// The open-data API's 429: the same words, as JSON.
fn too_many_json(wait: u64) -> Response {
    let body = serde_json::json!({
        "error": format!("查询过于频繁，请 {wait} 秒后再试。为保护信用信息不被批量获取，每个网络地址每分钟的查询次数有限。"),
    });
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

fn too_many(wait: u64) -> Response {
    use leptos::prelude::*;
    let html = app::pages::document::render_document(None, "查询过于频繁", move || {
        IntoAny::into_any(view! {
            <h1>"查询过于频繁"</h1>
            <div class="error-panel" role="alert">
                <p>{format!("您的查询过于频繁，请 {wait} 秒后再试。")}</p>
                <p>"为保护信用信息不被批量获取，每个网络地址每分钟的查询次数有限。如需批量使用公示数据，请联系市社会信用体系建设领导小组办公室。"</p>
            </div>
        })
    });
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::response::Html(html)).into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_the_steady_rate() {
        let buckets = MemoryBuckets::default();
        let rate = Rate::per_minute(120).unwrap();
        let ip = "search:127.0.0.1";
        let other = "search:127.0.0.2";
        let t0 = Instant::now();
        for _ in 0..60 {
            assert!(buckets.take_at(ip, rate, t0).is_ok());
        }
        assert_eq!(buckets.take_at(ip, rate, t0), Err(1));
        assert!(
            buckets.take_at(other, rate, t0).is_ok(),
            "clients are counted apart"
        );
        // Two requests a second come back.
        let later = t0 + Duration::from_secs(1);
        assert!(buckets.take_at(ip, rate, later).is_ok());
        assert!(buckets.take_at(ip, rate, later).is_ok());
        assert!(buckets.take_at(ip, rate, later).is_err());
        assert_eq!(Rate::per_minute(0), None);
    }

    #[test]
    fn pages_that_show_one_record_draw_on_the_pages_bucket() {
        let rate = Rate::per_minute(120).unwrap();
        let buckets: Arc<dyn Buckets> = Arc::new(MemoryBuckets::default());
        let limits = PublicLimits {
            search: Some(RateLimiter::new("search", rate, buckets.clone())),
            pages: Some(RateLimiter::new("pages", rate, buckets.clone())),
            reports: Some(RateLimiter::new("reports", rate, buckets)),
        };
        let name = |path: &str| bucket(&limits, path).map(|l| l.name);
        for path in [
            "/subjects/91230400MA1234567X/report",
            "/subjects/91230400MA1234567X/report.pdf",
            "/api/report",
        ] {
            assert_eq!(name(path), Some("reports"), "{path}");
        }
        assert_eq!(name("/subjects/91230400MA1234567X"), Some("pages"));
        for path in ["/penalties/12", "/repair/apply/12", "/objections/new"] {
            assert_eq!(name(path), Some("pages"), "{path}");
        }
        assert_eq!(name("/search"), Some("search"));
        for path in [
            "/objections/track",
            "/repair/apply/12/identity",
            "/admin/objections",
        ] {
            assert_eq!(name(path), None, "{path}");
        }
    }
}
