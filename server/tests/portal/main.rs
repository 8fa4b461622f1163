//! Integration tests: the real router and a real database with the demo
//! data set, exercised over HTTP (tower `oneshot`) and through the store.
//! Public disclosure is tested here; the repair application in `repair`.
//!
//! The database is the one `DATABASE_URL` chooses, as for the server:
//! unset or `sqlite://…`, a SQLite file per portal; `postgres://…`, a
//! database per portal on that server (`db`). Tests of SQLite itself
//! (migrations from its older schemas, data steps correcting old SQLite
//! data) say so and pass on PostgreSQL.

mod accounts;
mod catalog;
mod collect;
mod collect_license;
mod crash;
mod db;
mod display;
mod drafts;
mod edge;
mod evidence_s3;
mod feed;
mod identity;
mod import_load;
mod joint_check;
mod listing_strangers;
mod listings;
mod measure_strangers;
mod objection_strangers;
mod objections;
mod periods;
mod personal_basis;
mod privacy;
mod public_api;
mod repair;
mod reports;
mod serious_domains;
mod staff;
mod staging;
mod strangers;
mod transparency;
mod two_servers;

use std::sync::Arc;

use app::domain::publication::period_end;
use app::domain::search_text::normalize;
use app::model::{RecordKind, SearchQuery, SearchTarget};
use app::store::Store;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use db::{Db, TestRow};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::store::backend::Backend;
use server::store::SqliteStore;
use tower::ServiceExt;

pub struct Portal {
    router: axum::Router,
    /// Every store, as the server binary holds them.
    pub backend: Backend,
    /// Raw SQL on the portal's database, for fixtures and assertions.
    pub db: Db,
    /// The day the portal takes for today.
    pub today: NaiveDate,
    pub dir: std::path::PathBuf,
    /// What the server's `DATABASE_URL` is.
    database_url: String,
    /// Where its evidence files are.
    uploads: server::repair::evidence_store::EvidenceStore,
    // Dropped in this order: the database (PostgreSQL: dropped on the
    // server; none for a second server on another's), then the directory.
    _database: Option<db::TestDatabase>,
    _dir: TempDir,
}

/// A temporary directory removed on drop.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the portal logged since [`capture_logs`] (the collection
/// modules' lines, `info` and up).
static LOGS: std::sync::OnceLock<Arc<std::sync::Mutex<Vec<u8>>>> = std::sync::OnceLock::new();

/// Keeps the log lines of the whole test binary in memory, for tests that
/// look for a line; installed once, the first time it is asked for.
pub fn capture_logs() {
    LOGS.get_or_init(|| {
        let buffer = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_env_filter(tracing_subscriber::EnvFilter::new("server::collect=info"))
            .with_writer(move || CapturedLog(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one log subscriber");
        buffer
    });
}

/// The captured log lines.
pub fn logs() -> String {
    LOGS.get()
        .map(|b| String::from_utf8_lossy(&b.lock().unwrap()).into_owned())
        .unwrap_or_default()
}

struct CapturedLog(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The personal-information notice acknowledged, as every form that
/// collects personal data posts it.
pub const NOTICE_ACK: [(&str, &str); 2] = [
    ("notice_ack", "yes"),
    (
        "notice_version",
        app::domain::privacy_notice::NOTICE_VERSION,
    ),
];

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

pub async fn portal() -> Portal {
    portal_with(server::router::Edge::default()).await
}

/// A portal with its own edge settings (proxies, per-client limits).
pub async fn portal_with(edge: server::router::Edge) -> Portal {
    portal_configured(edge, false).await
}

/// A portal as deployed: edge settings, and whether browsers reach it
/// over HTTPS.
pub async fn portal_configured(edge: server::router::Edge, https: bool) -> Portal {
    portal_built(edge, https, Default::default(), today(), true).await
}

/// A portal on an empty database, as `PORTAL_DEMO=0` starts one.
pub async fn empty_portal() -> Portal {
    portal_built(
        server::router::Edge::default(),
        false,
        Default::default(),
        today(),
        false,
    )
    .await
}

/// A portal whose drafts and uploads are bounded by `limits`.
pub async fn portal_with_draft_limits(
    limits: app::domain::repair_application::DraftLimits,
) -> Portal {
    portal_built(
        server::router::Edge::default(),
        false,
        limits,
        today(),
        true,
    )
    .await
}

/// A portal whose today is `day` (its demo data generated as of that day).
pub async fn portal_on(day: NaiveDate) -> Portal {
    portal_built(
        server::router::Edge::default(),
        false,
        Default::default(),
        day,
        true,
    )
    .await
}

async fn portal_built(
    edge: server::router::Edge,
    https: bool,
    draft_limits: app::domain::repair_application::DraftLimits,
    today: NaiveDate,
    demo: bool,
) -> Portal {
    portal_assembled(edge, https, draft_limits, today, demo, None).await
}

/// A portal on a database of its own, assembled as `server/src/main.rs`
/// assembles it from the backend; its evidence files in `uploads`, or in
/// its directory's `uploads`.
pub(crate) async fn portal_assembled(
    edge: server::router::Edge,
    https: bool,
    draft_limits: app::domain::repair_application::DraftLimits,
    today: NaiveDate,
    demo: bool,
    uploads: Option<server::repair::evidence_store::EvidenceStore>,
) -> Portal {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("hegang-it-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (backend, database) = db::portal_database(&dir, demo, today).await;
    // As the server does at start-up, after its demo data.
    server::services::serious_domains::ensure_national(backend.serious.as_ref())
        .await
        .unwrap();
    if demo {
        let departments = backend.measures.all_departments().await.unwrap();
        server::services::measures::seed_national(
            backend.measures.as_ref(),
            backend.serious.as_ref(),
            &departments,
        )
        .await
        .unwrap();
    }
    let uploads = uploads.unwrap_or_else(|| {
        server::repair::evidence_store::EvidenceStore::local(&dir.join("uploads")).unwrap()
    });
    let url = database.url.clone();
    assemble(
        backend,
        url,
        Some(database),
        dir,
        edge,
        https,
        draft_limits,
        today,
        uploads,
    )
    .await
}

/// The PDF report's font, read once for every test portal (Debian's
/// `fonts-noto-cjk`, which `.ci/install` installs).
pub fn report_font() -> Option<Arc<server::reports::ReportFont>> {
    static FONT: std::sync::OnceLock<Option<Arc<server::reports::ReportFont>>> =
        std::sync::OnceLock::new();
    FONT.get_or_init(|| {
        server::reports::ReportFont::load(
            std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
            2,
        )
        .ok()
        .map(Arc::new)
    })
    .clone()
}

/// A portal's router over `backend`, as `server/src/main.rs` assembles it.
#[allow(clippy::too_many_arguments)]
async fn assemble(
    backend: Backend,
    database_url: String,
    database: Option<db::TestDatabase>,
    dir: std::path::PathBuf,
    edge: server::router::Edge,
    https: bool,
    draft_limits: app::domain::repair_application::DraftLimits,
    today: NaiveDate,
    uploads: server::repair::evidence_store::EvidenceStore,
) -> Portal {
    let options = LeptosOptions::builder()
        .output_name("hegang_credit")
        .site_root(dir.display().to_string())
        .build();
    let context = server::router::portal_context(
        &backend,
        Some(today),
        backend.seed.holds_demo_data().await.unwrap(),
    );
    let repair = server::repair::RepairState {
        portal: context.clone(),
        repairs: backend.repair.clone(),
        consents: backend.consents.clone(),
        uploads: uploads.clone(),
        leptos: options.clone(),
        draft_limits,
    };
    let staff = server::staff::StaffState {
        repair: repair.clone(),
        staff: backend.staff.clone(),
        catalog: backend.catalog.clone(),
        keys: backend.keys.clone(),
        feed: backend.feed.clone(),
        collect: backend.collect.clone(),
        serious: backend.serious.clone(),
        listings: backend.listings.clone(),
        objections: backend.objections.clone(),
        measures: backend.measures.clone(),
        checks: server::checks::Checks::start(backend.measures.clone()),
        secure_cookies: https,
        deliveries: backend.deliveries.clone(),
        imports: dir.join("imports"),
    };
    Portal {
        router: server::router::build(options, context, repair, staff, edge, report_font()),
        db: Db::of(&backend),
        backend,
        today,
        dir: dir.clone(),
        database_url,
        uploads,
        _database: database,
        _dir: TempDir(dir),
    }
}

impl Portal {
    /// A second app server on this portal's database and evidence store:
    /// its own connections, caches and memory, as another machine behind
    /// the proxy would have (`edge` gives its limits).
    pub async fn second_server(&self, edge: server::router::Edge) -> Portal {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("hegang-it2-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let backend = Backend::connect(&self.database_url).await.unwrap();
        assemble(
            backend,
            self.database_url.clone(),
            None,
            dir,
            edge,
            false,
            Default::default(),
            self.today,
            self.uploads.clone(),
        )
        .await
    }
}

/// A response as the tests look at it.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    /// The nonce this response's Content-Security-Policy allows scripts by.
    pub fn csp_nonce(&self) -> String {
        let csp = self.headers["content-security-policy"].to_str().unwrap();
        csp.split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string()
    }

    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    /// `name=value` of a cookie the response sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .find(|kv| kv.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }
}

impl Portal {
    /// The router, to serve it on a real socket.
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub async fn get_with_cookie(&self, uri: &str, cookie: &str) -> Answer {
        self.send(
            Request::get(uri)
                .header("cookie", cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A form post as a browser sends it from this site.
    pub async fn post_form(&self, uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Answer {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(uri)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", cookie)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// A multipart upload: the evidence kind, then one file.
    pub async fn upload(
        &self,
        uri: &str,
        cookie: &str,
        kind: &str,
        name: &str,
        bytes: &[u8],
    ) -> Answer {
        let boundary = "----hegangtestboundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"evidence_kind\"\r\n\r\n{kind}\r\n").as_bytes(),
        );
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(uri)
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header("cookie", cookie)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// A multipart form post: text fields first, then files.
    pub async fn post_multipart(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Answer {
        self.post_multipart_with_cookie(uri, "", fields, files)
            .await
    }

    /// The same, from a browser holding `cookie`.
    pub async fn post_multipart_with_cookie(
        &self,
        uri: &str,
        cookie: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Answer {
        let boundary = "----hegangtestboundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, filename, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(uri)
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header("cookie", cookie)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, String) {
        let response = self
            .router
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Rows of `sql` (SQL both databases take, no parameters).
    pub async fn rows(&self, sql: &str) -> Vec<TestRow> {
        self.db.rows(sql).await
    }

    /// The number of results of a text query, counted afresh (no cache).
    pub async fn text_count(&self, q: &SearchQuery, today: NaiveDate) -> (i64, bool) {
        match (self.backend.as_sqlite(), self.backend.as_postgres()) {
            (Some(store), _) => store.text_count(q, today).await.unwrap(),
            (_, Some(store)) => store.text_count(q, today).await.unwrap(),
            _ => unreachable!("a backend is one of the two"),
        }
    }
}

pub fn encode(s: &str) -> String {
    app::model::encode_query_value(s)
}

fn text_query(text: &str, page: u32) -> SearchTarget {
    SearchTarget::Text(SearchQuery {
        text: normalize(text),
        kind: None,
        department_id: None,
        from: None,
        to: None,
        page,
    })
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let p = portal().await;
    for path in [
        "/",
        "/search?q=鹤岗",
        "/repair/track",
        "/admin/login",
        "/nowhere",
    ] {
        let answer = p.get_with_cookie(path, "").await;
        let csp = answer
            .headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(
            answer.headers.get("x-content-type-options").unwrap(),
            "nosniff"
        );
        // The one inline script carries this response's nonce.
        let nonce = answer.csp_nonce();
        if answer.body.contains("<script") {
            assert!(
                answer.body.contains(&format!("nonce=\"{nonce}\"")),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn bulk_searching_is_answered_with_429() {
    use axum::extract::ConnectInfo;
    let limiter = server::limits::RateLimiter::new(
        "search",
        server::limits::Rate::per_minute(20).unwrap(),
        Arc::new(server::limits::MemoryBuckets::default()),
    );
    let p = portal_with(server::router::Edge {
        limits: server::limits::PublicLimits {
            search: Some(limiter),
            pages: None,
            reports: None,
        },
        ..Default::default()
    })
    .await;
    let from = |ip: &str| ConnectInfo(std::net::SocketAddr::new(ip.parse().unwrap(), 40000));
    let search = |ip: &'static str| {
        Request::get("/search?q=%E9%B9%A4%E5%B2%97")
            .extension(from(ip))
            .body(Body::empty())
            .unwrap()
    };
    for _ in 0..10 {
        assert_eq!(p.send(search("10.0.0.1")).await.status, StatusCode::OK);
    }
    let refused = p.send(search("10.0.0.1")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains("查询过于频繁"));
    assert!(refused.headers.get("retry-after").is_some());
    // Another client, and record pages, are not affected.
    assert_eq!(p.send(search("10.0.0.2")).await.status, StatusCode::OK);
    let record = Request::get("/")
        .extension(from("10.0.0.1"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(p.send(record).await.status, StatusCode::OK);
}

#[tokio::test]
async fn harvesting_record_pages_is_as_limited_as_searching() {
    use axum::extract::ConnectInfo;
    let buckets: Arc<dyn server::limits::Buckets> =
        Arc::new(server::limits::MemoryBuckets::default());
    let rate = |name| {
        Some(server::limits::RateLimiter::new(
            name,
            server::limits::Rate::per_minute(20).unwrap(),
            buckets.clone(),
        ))
    };
    let p = portal_with(server::router::Edge {
        limits: server::limits::PublicLimits {
            search: rate("search"),
            pages: rate("pages"),
            reports: None,
        },
        ..Default::default()
    })
    .await;
    let ids: Vec<i64> = p
        .rows("select record_id from public_entries where record_kind = 'penalty' limit 40")
        .await
        .iter()
        .map(|r| r.get(0))
        .collect();
    let get = |path: String, ip: &str| {
        Request::get(path)
            .extension(ConnectInfo(std::net::SocketAddr::new(
                ip.parse().unwrap(),
                40000,
            )))
            .body(Body::empty())
            .unwrap()
    };
    // Sequential ids from one address: the burst, then 429.
    let mut statuses = Vec::new();
    for id in &ids[..11] {
        statuses.push(
            p.send(get(format!("/penalties/{id}"), "10.0.0.1"))
                .await
                .status,
        );
    }
    assert!(
        statuses[..10].iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    // Subject pages draw on the same bucket; search has its own.
    let code: String = p
        .rows("select credit_code from public_entries where credit_code is not null limit 1")
        .await[0]
        .get(0);
    let subject = p.send(get(format!("/subjects/{code}"), "10.0.0.1")).await;
    assert_eq!(subject.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(subject.headers.get("retry-after").is_some());
    let search = p
        .send(get("/search?q=%E9%B9%A4%E5%B2%97".into(), "10.0.0.1"))
        .await;
    assert_eq!(search.status, StatusCode::OK);
    // A person elsewhere reads on, and static pages are never counted.
    let other = p
        .send(get(format!("/penalties/{}", ids[20]), "10.0.0.2"))
        .await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(
        p.send(get("/".into(), "10.0.0.1")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        p.send(get("/repair".into(), "10.0.0.1")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn health_check_answers() {
    let p = portal().await;
    let (status, body) = p.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"database\":\"ok\""), "{body}");
}

/// PostgreSQL: public pages are served from the connections the store
/// keeps. A page render drops store reads it has started (the record page
/// starts its read more than once); had a dropped read cost its connection,
/// as it did while the pool pinged before every query, each page view
/// would open a new one.
#[tokio::test]
async fn page_views_do_not_open_database_connections() {
    let p = portal().await;
    if !p.db.is_postgres() {
        println!("skipped on SQLite: PostgreSQL's connections");
        return;
    }
    // Connections opened to this database so far (a backend's count is
    // in once it has ended, or soon after it began).
    let sessions = || async {
        p.rows("select sessions from pg_stat_database where datname = current_database()")
            .await[0]
            .get::<i64, _>(0)
    };
    let ids: Vec<i64> = p
        .rows("select record_id from public_entries where record_kind = 'penalty' limit 100")
        .await
        .iter()
        .map(|r| r.get(0))
        .collect();
    // The pool grows to what one reader needs first.
    for id in &ids[..10] {
        p.get(&format!("/penalties/{id}")).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let before = sessions().await;
    for id in &ids {
        assert_eq!(p.get(&format!("/penalties/{id}")).await.0, StatusCode::OK);
    }
    p.get("/").await;
    p.get("/search?q=%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let opened = sessions().await - before;
    assert!(
        opened < 20,
        "{opened} connections opened for {} page views",
        ids.len() + 2
    );
}

/// The public names as a brute-force scan sees them, newest first:
/// (sort key, normalised name, kind).
async fn public_names(p: &Portal) -> Vec<(i64, String, String)> {
    p.rows(
        "select sort_key, name_norm, record_kind from public_entries
         where until >= '2026-11-26' order by sort_key desc",
    )
    .await
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect()
}

/// Checks a name query (optionally of one kind) against a brute-force scan:
/// the first page, the count the page reports and a count made afresh (the
/// page's count may come from the cache, or from a short first page).
async fn check_against_scan(
    p: &Portal,
    all: &[(i64, String, String)],
    q: &str,
    kind: Option<RecordKind>,
) {
    let expected: Vec<i64> = all
        .iter()
        .filter(|(_, name, k)| name.contains(q) && kind.is_none_or(|kind| kind.code() == k))
        .map(|(key, _, _)| *key)
        .collect();
    let query = SearchQuery {
        text: normalize(q),
        kind,
        department_id: None,
        from: None,
        to: None,
        page: 1,
    };
    let page = p
        .backend
        .public
        .search(&SearchTarget::Text(query.clone()), today(), 20)
        .await
        .unwrap();
    assert_eq!(
        page.total as usize,
        expected.len(),
        "count for {q} ({kind:?})"
    );
    assert!(
        page.total_exact,
        "count for {q} should be exact at this size"
    );
    let counted = p.text_count(&query, today()).await;
    assert_eq!(
        counted,
        (expected.len() as i64, true),
        "fresh count for {q} ({kind:?})"
    );
    let got: Vec<i64> = page
        .hits
        .iter()
        .map(|h| server::store::projection::sort_key(h.decision_date, h.kind, h.id))
        .collect();
    assert_eq!(
        got,
        expected.iter().take(20).copied().collect::<Vec<_>>(),
        "first page for {q} ({kind:?})"
    );
    for hit in &page.hits {
        assert!(
            normalize(&hit.name).contains(q),
            "{} does not contain {q}",
            hit.name
        );
    }
}

/// Search results and counts equal a brute-force scan of the public
/// projection: 1- and 2-character queries through the bigram index; 3, 4,
/// 5 and 10 characters through the trigram index (up to four as one
/// phrase, longer ones by their rarest trigrams and the substring check);
/// a kind filter through the bigram index's filter tokens. Then again
/// after records leave the projection, so an index that kept a removed
/// name, or lost one, fails.
#[tokio::test]
async fn name_search_matches_a_full_scan() {
    let p = portal().await;
    let all = public_names(&p).await;
    assert!(
        all.len() > 500,
        "demo data should publish hundreds of records"
    );
    // Queries cut from real public names at several lengths, plus common
    // ones that many names share.
    let mut queries: Vec<String> = vec!["有限公司".into(), "鹤岗市".into(), "公司".into()];
    for (i, (_, name, _)) in all.iter().enumerate().step_by(97).take(6) {
        let chars: Vec<char> = name.chars().collect();
        for len in [1usize, 2, 3, 4, 5, 10] {
            if chars.len() > len + 2 {
                let start = (i * 7) % (chars.len() - len);
                queries.push(chars[start..start + len].iter().collect::<String>());
            }
        }
    }
    // Some of them must reach past a page, so the count is really counted.
    assert!(
        queries.iter().filter(|q| q.chars().count() >= 3).any(|q| {
            all.iter()
                .filter(|(_, name, _)| name.contains(q.as_str()))
                .count()
                > 20
        }),
        "a query of three or more characters should fill more than a page"
    );
    for q in &queries {
        check_against_scan(&p, &all, q, None).await;
    }
    for kind in [RecordKind::Penalty, RecordKind::License] {
        check_against_scan(&p, &all, "有限公司", Some(kind)).await;
    }

    // Both name indexes hold exactly the projection's rows. SQLite keeps
    // them in tables of their own; PostgreSQL's index the projection's own
    // columns (`tokens`, `name_norm`), so there every row has its tokens.
    let keys: Vec<i64> = all.iter().map(|(k, _, _)| *k).collect();
    let indexes = if p.db.is_postgres() {
        vec![(
            "tokens",
            "select sort_key from public_entries where cardinality(tokens) > 0
             order by sort_key desc",
        )]
    } else {
        vec![
            (
                "public_fts",
                "select rowid from public_fts order by rowid desc",
            ),
            (
                "public_trgm",
                "select rowid from public_trgm order by rowid desc",
            ),
        ]
    };
    for (index, sql) in indexes {
        let indexed: Vec<i64> = p.rows(sql).await.iter().map(|r| r.get(0)).collect();
        assert_eq!(indexed, keys, "{index} holds the public rows");
    }

    // Publication periods end for part of the records: searched again, the
    // indexes must have lost exactly those names.
    let removed = p
        .backend
        .public
        .sweep_ended(NaiveDate::from_ymd_opt(2027, 6, 1).unwrap())
        .await
        .unwrap();
    let left = public_names(&p).await;
    assert!(
        removed > 50 && left.len() > 200,
        "the sweep should remove part of the records ({removed} removed, {} left)",
        left.len()
    );
    for q in &queries {
        check_against_scan(&p, &left, q, None).await;
    }
    check_against_scan(&p, &left, "有限公司", Some(RecordKind::Penalty)).await;
}

/// A database from before the trigram index gets it filled from its
/// projection when the portal starts: its 3+-character searches find the
/// names already public.
#[tokio::test]
async fn the_trigram_index_is_filled_from_an_existing_projection() {
    // A SQLite database migrated from an earlier schema; PostgreSQL
    // databases start from the current one.
    if db::sqlite_only("the trigram index filled by a SQLite migration") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("hegang-it-trgm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let _cleanup = TempDir(dir.clone());
    let url = format!("sqlite://{}/portal.db", dir.display());
    let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(&url)
        .unwrap()
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    sqlx::migrate::Migrator::new(migrations)
        .await
        .unwrap()
        .run_to(20261201000014, &pool)
        .await
        .unwrap();
    let names = [
        "鹤岗市恒泰商贸有限公司",
        "萝北县恒泰商贸有限公司",
        "鹤岗市星福石墨科技有限公司",
    ];
    for (i, name) in names.iter().enumerate() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1 + i as u32).unwrap();
        let key = server::store::projection::sort_key(day, RecordKind::Penalty, i as i64 + 1);
        sqlx::query(
            "insert into public_entries (sort_key, record_kind, record_id, subject_id, name, name_norm,
                 credit_code, doc_no, department_id, department, decision_date, until, summary)
             values (?, 'penalty', ?, 1, ?, ?, null, ?, 1, '鹤岗市市场监督管理局', ?, '2027-06-30', '罚款')",
        )
        .bind(key)
        .bind(i as i64 + 1)
        .bind(name)
        .bind(normalize(name))
        .bind(format!("鹤市监罚〔2026〕{}号", i + 1))
        .bind(day)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    let store = SqliteStore::connect(&url).await.unwrap();
    for (q, expected) in [
        ("恒泰商贸", 2),
        ("有限公司", 3),
        ("鹤岗市星福石墨", 1),
        ("星福石墨科技", 1),
    ] {
        let page = store.search(&text_query(q, 1), today(), 20).await.unwrap();
        assert_eq!(page.hits.len(), expected, "{q}");
        let SearchTarget::Text(query) = text_query(q, 1) else {
            unreachable!()
        };
        assert_eq!(
            store.text_count(&query, today()).await.unwrap(),
            (expected as i64, true),
            "{q}"
        );
    }
}

#[tokio::test]
async fn credit_codes_and_document_numbers_are_exact() {
    let p = portal().await;
    let row = &p
        .rows(
            "select credit_code, count(*) from public_entries where credit_code is not null
             group by credit_code order by count(*) desc limit 1",
        )
        .await[0];
    let code: String = row.get(0);
    let count: i64 = row.get(1);
    let (status, html) = p.get(&format!("/search?q={code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("共 {count} 条公示信息")),
        "count for {code}"
    );

    let doc: String = p
        .rows("select doc_no from public_entries limit 1 offset 7")
        .await[0]
        .get(0);
    // Half-width brackets as people type them find the same record.
    let typed = doc.replace('〔', "[").replace('〕', "]");
    let (_, html) = p.get(&format!("/search?q={}", encode(&typed))).await;
    assert!(html.contains("共 1 条公示信息"), "document number {typed}");
    assert!(html.contains(&doc));

    // A code with a wrong check character: a hint, no crash.
    let mut wrong = code.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    let (status, html) = p.get(&format!("/search?q={wrong}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("校验位不符"), "hint for {wrong}");
}

#[tokio::test]
async fn filters_narrow_results() {
    let p = portal().await;
    let (_, html) = p.get("/search?type=license").await;
    assert!(html.contains("kind-license"));
    assert!(!html.contains("kind-tag kind-penalty"));
    let dept: i64 = p
        .rows("select department_id from public_entries limit 1")
        .await[0]
        .get(0);
    let expected: i64 = p
        .rows(&format!(
            "select count(*) from public_entries where department_id = {dept} and record_kind = 'penalty'
             and decision_date between '2025-01-01' and '2025-12-31'"
        ))
        .await[0]
        .get(0);
    let (status, html) = p
        .get(&format!(
            "/search?type=penalty&dept={dept}&from=2025-01-01&to=2025-12-31"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("共 {expected} 条公示信息")) || expected == 0,
        "filtered count {expected}"
    );
}

/// Whether a penalty or licence is public on `today`, stated from the
/// domain's own period count: a published rule, decided by today, not
/// repaired by today, and today no later than the last day of the longest
/// period ([`period_end`]).
fn public_by_period(
    decided: NaiveDate,
    rules: &[app::domain::PublicationRule],
    repaired_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<bool> {
    let months = rules
        .iter()
        .filter(|r| r.published)
        .map(|r| r.max_months)
        .max()?;
    Some(
        decided <= today
            && repaired_on.is_none_or(|r| r > today)
            && today <= period_end(decided, months),
    )
}

/// Every penalty and licence of the fixture is public exactly when its
/// period says so: nothing hidden (repaired, ended, never published) is
/// returned — not on its page, not by its document number, not in the
/// projection — and nothing public is missing from any of them.
#[tokio::test]
async fn hidden_records_are_never_returned() {
    let p = portal().await;
    let projected: std::collections::HashSet<(String, i64)> = p
        .rows(&format!(
            "select record_kind, record_id from public_entries where until >= '{}'",
            today()
        ))
        .await
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let records = p
        .rows("select 'penalty', id from penalties union all select 'license', id from licenses")
        .await;
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    for row in &records {
        let (kind, id): (String, i64) = (row.get(0), row.get(1));
        let (doc, decided, rules, repaired_on, path) = if kind == "penalty" {
            let r = p.backend.public.penalty(id).await.unwrap().unwrap();
            (
                r.doc_no,
                r.decision_date,
                r.rules,
                r.repaired_on,
                "penalties",
            )
        } else {
            let r = p.backend.public.license(id).await.unwrap().unwrap();
            (r.doc_no, r.decision_date, r.rules, None, "licenses")
        };
        let public = public_by_period(decided, &rules, repaired_on, today());
        *seen
            .entry(match (public, repaired_on) {
                (Some(true), _) => "public",
                (None, _) => "never published",
                (Some(false), Some(_)) => "repaired",
                (Some(false), None) => "ended",
            })
            .or_default() += 1;
        let public = public.unwrap_or(false);
        let (status, html) = p.get(&format!("/{path}/{id}")).await;
        let expected = if public {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(status, expected, "{kind} {id} decided {decided}");
        assert_eq!(html.contains(&doc), public, "{kind} {id} page");
        assert_eq!(
            projected.contains(&(kind.clone(), id)),
            public,
            "{kind} {id} in the projection"
        );
        let (_, html) = p.get(&format!("/search?q={}", encode(&doc))).await;
        assert_eq!(
            html.contains(&format!("/{path}/{id}\"")),
            public,
            "{kind} {id} found by document number"
        );
    }
    assert_eq!(
        seen.len(),
        4,
        "the fixture should hold public, ended, repaired and unpublished records: {seen:?}"
    );
}

/// Natural persons' names and ID numbers, and individual business operators'
/// names, are masked in every public response.
#[tokio::test]
async fn personal_data_is_masked_in_html() {
    let p = portal().await;
    let mut people = Vec::new();
    for kind in ["person", "individual"] {
        let rows = p
            .rows(&format!(
                "select e.record_kind, e.record_id, s.name, s.id_number, s.kind, s.representative
                 from public_entries e join subjects s on s.id = e.subject_id
                 where s.kind = '{kind}' and e.record_kind = 'penalty' limit 5"
            ))
            .await;
        assert!(
            !rows.is_empty(),
            "demo data should publish {kind} penalties"
        );
        people.extend(rows);
    }
    let mut checked_person = false;
    for row in people {
        let id: i64 = row.get(1);
        let name: String = row.get(2);
        let id_number: Option<String> = row.get(3);
        let kind: String = row.get(4);
        let rep: Option<String> = row.get(5);
        let (status, html) = p.get(&format!("/penalties/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        if kind == "person" {
            checked_person = true;
            assert!(!html.contains(&name), "person name {name} unmasked");
            let id_number = id_number.unwrap();
            assert!(!html.contains(&id_number), "ID number unmasked");
            assert!(html.contains(&format!("{}********{}", &id_number[..6], &id_number[14..])));
            let surname: String = name.chars().take(1).collect();
            assert!(html.contains(&format!("{surname}*")));
        } else {
            let operator = rep.unwrap();
            assert!(!html.contains(&operator), "operator {operator} unmasked");
        }
        // Search by the masked name's surname works; the full name finds nothing.
        let (_, html) = p.get(&format!("/search?q={}", encode(&name))).await;
        assert!(
            !html.contains(&format!("/penalties/{id}\"")),
            "full personal name must not find the record"
        );
    }
    assert!(checked_person);
}

#[tokio::test]
async fn record_pages_show_period_status_and_repair() {
    let p = portal().await;
    let rows = p
        .rows("select record_id from public_entries where record_kind = 'penalty' order by sort_key limit 5")
        .await;
    for row in rows {
        let id: i64 = row.get(0);
        let (status, html) = p.get(&format!("/penalties/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        for needle in [
            "公示期",
            "当前状态",
            "公示中",
            "可申请信用修复日期",
            "决定书文号",
            "处罚机关",
            "演示数据",
        ] {
            assert!(html.contains(needle), "penalty {id} page lacks {needle}");
        }
    }
    let license: i64 = p
        .rows("select record_id from public_entries where record_kind = 'license' limit 1")
        .await[0]
        .get(0);
    let (status, html) = p.get(&format!("/licenses/{license}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("许可内容") && html.contains("无需信用修复"));
    let serious: i64 = p
        .rows("select record_id from public_entries where record_kind = 'serious' limit 1")
        .await[0]
        .get(0);
    let (status, html) = p.get(&format!("/serious-list/{serious}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("列入原因"));
}

#[tokio::test]
async fn bad_input_gets_a_message_never_a_500() {
    let p = portal().await;
    let long = "鹤".repeat(5000);
    for (uri, expected, needle) in [
        (
            format!("/search?q={}", encode(&long)),
            StatusCode::BAD_REQUEST,
            "查询内容",
        ),
        (
            "/search?page=0".to_string(),
            StatusCode::BAD_REQUEST,
            "页码",
        ),
        (
            "/search?page=99999999999999999999".to_string(),
            StatusCode::BAD_REQUEST,
            "页码",
        ),
        (
            "/search?type=%3Cscript%3E".to_string(),
            StatusCode::BAD_REQUEST,
            "信息类别",
        ),
        (
            "/search?from=yesterday".to_string(),
            StatusCode::BAD_REQUEST,
            "决定日期起",
        ),
        (
            "/search?q=%22%20OR%20*".to_string(),
            StatusCode::OK,
            "查询结果",
        ),
        (
            "/search?q=%F0%9F%98%80NEAR".to_string(),
            StatusCode::OK,
            "查询结果",
        ),
        ("/penalties/-1".to_string(), StatusCode::NOT_FOUND, "未找到"),
        (
            "/penalties/99999999999999999999999".to_string(),
            StatusCode::NOT_FOUND,
            "未找到",
        ),
        ("/licenses/abc".to_string(), StatusCode::NOT_FOUND, "未找到"),
        (
            "/subjects/not-a-code".to_string(),
            StatusCode::NOT_FOUND,
            "统一社会信用代码",
        ),
        (
            "/no/such/page".to_string(),
            StatusCode::NOT_FOUND,
            "页面不存在",
        ),
    ] {
        let (status, html) = p.get(&uri).await;
        assert_eq!(status, expected, "{uri}");
        assert!(html.contains(needle), "{uri} should mention {needle}");
    }
}

#[tokio::test]
async fn subject_page_lists_public_records_with_dates() {
    let p = portal().await;
    let row = &p
        .rows(
            "select credit_code, count(*) from public_entries where credit_code like '91%'
             group by credit_code order by count(*) desc limit 1",
        )
        .await[0];
    let code: String = row.get(0);
    let count: i64 = row.get(1);
    let (status, html) = p.get(&format!("/subjects/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("公示中的信息（{count} 条）")));
    assert!(html.contains("公示截止"));
}

#[tokio::test]
async fn sweep_takes_ended_records_out_of_search() {
    let p = portal().await;
    let before = p
        .backend
        .public
        .search(&text_query("", 1), today(), 20)
        .await
        .unwrap()
        .total;
    let later = today() + chrono::Days::new(400);
    let removed = p.backend.public.sweep_ended(later).await.unwrap();
    assert!(removed > 0);
    let after = p
        .backend
        .public
        .search(&text_query("", 1), later, 20)
        .await
        .unwrap()
        .total;
    assert_eq!(after, before - removed);
    let stale: i64 = p
        .rows(&format!(
            "select count(*) from public_entries where until < '{later}'"
        ))
        .await[0]
        .get(0);
    assert_eq!(stale, 0);
    let kinds = p.backend.public.stats(later).await.unwrap();
    assert_eq!(kinds.penalties + kinds.licenses + kinds.serious, after);
}
