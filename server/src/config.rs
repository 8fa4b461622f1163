//! Typed configuration from the environment.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `PORTAL_ADDR` (or `LEPTOS_SITE_ADDR`) | `127.0.0.1:3000` | listen address |
//! | `PORTAL_DATA_DIR` | `./data` | where the database and uploads live |
//! | `DATABASE_URL` | `sqlite://<data dir>/portal.db` | database |
//! | `PORTAL_DEMO` | `0` | `1`: generate demo data on first run (pages then say the data are fictional) |
//! | `PORTAL_DEMO_RECORDS` | `3000` | how many penalties/licences the demo has |
//! | `PORTAL_TODAY` | (real date, UTC+8) | fixed "today" for tests and demos |
//! | `PORTAL_SEARCH_RATE` | `120` | searches per minute per client (`0`: no limit, for load tests) |
//! | `PORTAL_PAGE_RATE` | `120` | record/subject pages per minute per client (`0`: no limit) |
//! | `PORTAL_HTTPS` | `1` unless on a loopback address with no proxy | served over HTTPS: `Secure` cookies, `__Host-` session cookie, HSTS |
//! | `PORTAL_TRUSTED_PROXIES` | (none) | addresses/networks of the TLS proxies whose forwarding header names the client |
//! | `PORTAL_FORWARDED_HEADER` | `x-forwarded-for` | the header those proxies write: `x-forwarded-for` or `forwarded` |
//! | `UPLOADS_S3_BUCKET` | (none: files in `<data dir>/uploads`) | keep evidence files in this S3 bucket instead, shared by every app server behind the proxy |
//! | `UPLOADS_S3_PREFIX` | (none) | key prefix inside the bucket, e.g. `evidence` |
//! | `UPLOADS_S3_ENDPOINT` | (AWS) | URL of an S3-compatible server, e.g. `https://minio.internal:9000` (path-style requests) |
//! | `UPLOADS_S3_REGION` | `us-east-1` with an endpoint; required without | the bucket's region |
//! | `UPLOADS_S3_ACCESS_KEY_ID` | (the instance's role) | access key; required with an endpoint |
//! | `UPLOADS_S3_SECRET_ACCESS_KEY` | (the instance's role) | its secret; set both or neither |
//! | `UPLOADS_S3_ALLOW_HTTP` | `0` | `1`: the endpoint may be plain `http://` (loopback test servers) |
//! | `PORTAL_PUBLIC_URL` | `http://<PORTAL_ADDR>` | the address the public reaches the site at (`https://…`): the report's QR code leads there |
//! | `PORTAL_REPORT_RATE` | `20` | credit reports (page or PDF) per minute per client (`0`: no limit) |
//! | `PORTAL_REPORT_FONT` | `/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc` | the CJK font the PDF report is set in (a subset is embedded); Debian `fonts-noto-cjk` |
//! | `PORTAL_REPORT_FONT_INDEX` | `2` | the face in that collection (2: Noto Sans CJK SC) |
//! | `RUST_LOG` | `info` | log filter |
//!
//! Evidence files in S3: the bucket needs a lifecycle rule that aborts
//! incomplete multipart uploads after a day (`AbortIncompleteMultipartUpload`,
//! `DaysAfterInitiation: 1`); see `repair::evidence_store`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::http::client::ClientSettings;

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub demo: bool,
    pub demo_records: u32,
    pub fixed_today: Option<NaiveDate>,
    /// Browsers reach the portal over HTTPS (a proxy terminates TLS):
    /// staff session cookies are `__Host-` and `Secure`. Only plain-HTTP
    /// loopback development may go without.
    pub secure_cookies: bool,
    /// Public searches a client may make per minute; 0 for no limit.
    pub search_rate: u32,
    /// Record, subject and serious-list pages a client may read per minute.
    pub page_rate: u32,
    /// Where clients' addresses come from (directly, or through proxies).
    pub clients: ClientSettings,
    /// Where evidence files of repair applications are kept.
    pub evidence: EvidenceStorage,
    /// The site's public address, no trailing slash.
    pub public_url: String,
    /// Credit reports a client may ask for per minute; 0 for no limit.
    pub report_rate: u32,
    /// The PDF report's font file and face.
    pub report_font: (PathBuf, u32),
}

/// Where evidence files are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceStorage {
    /// A directory of this machine: `<data dir>/uploads`.
    Local(PathBuf),
    /// An S3 bucket (AWS or S3-compatible), shared by several app servers.
    S3(S3Storage),
}

/// An S3 bucket for evidence files.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Storage {
    pub bucket: String,
    /// Key prefix inside the bucket, without leading or trailing `/`.
    pub prefix: Option<String>,
    /// An S3-compatible server; `None` for AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    /// Static credentials; `None` for the instance's role.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// The endpoint may be plain HTTP.
    pub allow_http: bool,
}

/// Never prints the secret (the configuration may be logged).
impl std::fmt::Debug for S3Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Storage")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "(set)"),
            )
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl EvidenceStorage {
    /// The `UPLOADS_S3_*` variables, read through `var` (unset or blank is
    /// `None`); none set keeps the files in `<data_dir>/uploads`, where
    /// portals have always kept them.
    pub fn from_vars(
        var: impl Fn(&str) -> Option<String>,
        data_dir: &Path,
    ) -> Result<Self, String> {
        const NAMES: [&str; 7] = [
            "UPLOADS_S3_BUCKET",
            "UPLOADS_S3_PREFIX",
            "UPLOADS_S3_ENDPOINT",
            "UPLOADS_S3_REGION",
            "UPLOADS_S3_ACCESS_KEY_ID",
            "UPLOADS_S3_SECRET_ACCESS_KEY",
            "UPLOADS_S3_ALLOW_HTTP",
        ];
        let var = |name: &str| {
            var(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let Some(bucket) = var("UPLOADS_S3_BUCKET") else {
            // Half a configuration must not silently fall back to the local
            // disk: files would then exist on one app server only.
            if let Some(set) = NAMES.iter().find(|n| var(n).is_some()) {
                return Err(format!(
                    "{set} is set but UPLOADS_S3_BUCKET is not: set the bucket to keep evidence files in S3, or unset every UPLOADS_S3_* variable to keep them in {}",
                    data_dir.join("uploads").display()
                ));
            }
            return Ok(Self::Local(data_dir.join("uploads")));
        };
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !valid_bucket {
            return Err(format!(
                "UPLOADS_S3_BUCKET={bucket} is not a bucket name (3 to 63 lowercase letters, digits, '.' or '-')"
            ));
        }
        let prefix = var("UPLOADS_S3_PREFIX").map(|p| p.trim_matches('/').to_string());
        if let Some(p) = &prefix {
            let valid = !p.is_empty()
                && p.split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..")
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b));
            if !valid {
                return Err(format!(
                    "UPLOADS_S3_PREFIX={p} should be a key prefix like evidence or portal/evidence (letters, digits, '-', '_', '.', '/')"
                ));
            }
        }
        let allow_http = match var("UPLOADS_S3_ALLOW_HTTP").as_deref() {
            None | Some("0" | "false" | "no") => false,
            Some("1" | "true" | "yes") => true,
            Some(v) => return Err(format!("UPLOADS_S3_ALLOW_HTTP={v} should be 1 or 0")),
        };
        let endpoint = var("UPLOADS_S3_ENDPOINT").map(|e| e.trim_end_matches('/').to_string());
        match endpoint.as_deref() {
            Some(e) if e.starts_with("http://") && !allow_http => {
                return Err(format!(
                    "UPLOADS_S3_ENDPOINT={e} is plain HTTP: use https://, or set UPLOADS_S3_ALLOW_HTTP=1 for a test server on loopback"
                ))
            }
            Some(e) if !e.starts_with("http://") && !e.starts_with("https://") => {
                return Err(format!(
                    "UPLOADS_S3_ENDPOINT={e} is not a URL like https://s3.example.org"
                ))
            }
            Some(e) if allow_http && !e.starts_with("http://") => {
                return Err(format!(
                    "UPLOADS_S3_ALLOW_HTTP=1 but UPLOADS_S3_ENDPOINT={e} is not http://: unset UPLOADS_S3_ALLOW_HTTP"
                ))
            }
            None if allow_http => {
                return Err(
                    "UPLOADS_S3_ALLOW_HTTP=1 needs an http:// UPLOADS_S3_ENDPOINT (AWS itself is HTTPS only)".into(),
                )
            }
            _ => {}
        }
        let region = match (var("UPLOADS_S3_REGION"), &endpoint) {
            (Some(r), _) => r,
            // S3-compatible servers mostly ignore the region but sign with one.
            (None, Some(_)) => "us-east-1".into(),
            (None, None) => {
                return Err(
                    "UPLOADS_S3_REGION is required for a bucket on AWS (no UPLOADS_S3_ENDPOINT), e.g. cn-north-1".into(),
                )
            }
        };
        let access_key_id = var("UPLOADS_S3_ACCESS_KEY_ID");
        let secret_access_key = var("UPLOADS_S3_SECRET_ACCESS_KEY");
        match (&access_key_id, &secret_access_key) {
            (Some(_), None) => {
                return Err("UPLOADS_S3_ACCESS_KEY_ID is set but UPLOADS_S3_SECRET_ACCESS_KEY is not".into())
            }
            (None, Some(_)) => {
                return Err("UPLOADS_S3_SECRET_ACCESS_KEY is set but UPLOADS_S3_ACCESS_KEY_ID is not".into())
            }
            // Without keys the client asks AWS's instance metadata service,
            // which an S3-compatible server's machine does not have.
            (None, None) if endpoint.is_some() => {
                return Err(
                    "UPLOADS_S3_ENDPOINT is set: UPLOADS_S3_ACCESS_KEY_ID and UPLOADS_S3_SECRET_ACCESS_KEY are required too".into(),
                )
            }
            _ => {}
        }
        Ok(Self::S3(S3Storage {
            bucket,
            prefix,
            endpoint,
            region,
            access_key_id,
            secret_access_key,
            allow_http,
        }))
    }
}

impl Config {
    /// Reads the configuration; a malformed value is an error naming the variable.
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr_raw = var("PORTAL_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr_raw
            .parse()
            .map_err(|_| format!("PORTAL_ADDR={addr_raw} is not an address like 127.0.0.1:3000"))?;
        let data_dir = PathBuf::from(var("PORTAL_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = var("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}/portal.db", data_dir.display()));
        // Off unless asked for: a deployment must never fill its database
        // with fictional decisions because a variable was forgotten.
        let demo = match var("PORTAL_DEMO").as_deref() {
            None | Some("0" | "false" | "no") => false,
            Some("1" | "true" | "yes") => true,
            Some(v) => return Err(format!("PORTAL_DEMO={v} should be 1 or 0")),
        };
        let demo_records = match var("PORTAL_DEMO_RECORDS") {
            None => 3000,
            Some(v) => v
                .parse()
                .map_err(|_| format!("PORTAL_DEMO_RECORDS={v} is not a number"))?,
        };
        let fixed_today = match var("PORTAL_TODAY") {
            None => None,
            Some(v) => Some(
                NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|_| format!("PORTAL_TODAY={v} is not a date like 2026-11-26"))?,
            ),
        };
        let clients = ClientSettings::behind(
            &var("PORTAL_TRUSTED_PROXIES").unwrap_or_default(),
            &var("PORTAL_FORWARDED_HEADER").unwrap_or_default(),
        )
        .map_err(|e| format!("PORTAL_TRUSTED_PROXIES / PORTAL_FORWARDED_HEADER: {e}"))?;
        // Behind a proxy the portal listens on loopback but browsers reach
        // it over HTTPS at the proxy.
        let secure_cookies = match var("PORTAL_HTTPS").as_deref() {
            None => !addr.ip().is_loopback() || clients.behind_proxy(),
            Some("1" | "true" | "yes") => true,
            Some("0" | "false" | "no") => false,
            Some(v) => return Err(format!("PORTAL_HTTPS={v} should be 1 or 0")),
        };
        let rate = |name: &str| match var(name) {
            None => Ok(120),
            Some(v) => v
                .parse::<u32>()
                .map_err(|_| format!("{name}={v} is not a number")),
        };
        let search_rate = rate("PORTAL_SEARCH_RATE")?;
        let report_rate = match var("PORTAL_REPORT_RATE") {
            None => 20,
            Some(v) => v
                .parse::<u32>()
                .map_err(|_| format!("PORTAL_REPORT_RATE={v} is not a number"))?,
        };
        let public_url = var("PORTAL_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        if !(public_url.starts_with("https://") || public_url.starts_with("http://")) {
            return Err(format!(
                "PORTAL_PUBLIC_URL={public_url} should start with https:// (or http://)"
            ));
        }
        let report_font = (
            PathBuf::from(var("PORTAL_REPORT_FONT").unwrap_or_else(|| {
                "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc".into()
            })),
            match var("PORTAL_REPORT_FONT_INDEX") {
                None => 2,
                Some(v) => v
                    .parse()
                    .map_err(|_| format!("PORTAL_REPORT_FONT_INDEX={v} is not a number"))?,
            },
        );
        let page_rate = rate("PORTAL_PAGE_RATE")?;
        let evidence = EvidenceStorage::from_vars(var, &data_dir)?;
        Ok(Self {
            public_url,
            report_rate,
            report_font,
            evidence,
            clients,
            search_rate,
            page_rate,
            secure_cookies,
            addr,
            data_dir,
            database_url,
            demo,
            demo_records,
            fixed_today,
        })
    }
}
