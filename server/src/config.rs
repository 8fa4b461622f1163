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
//! | `RUST_LOG` | `info` | log filter |

use std::net::SocketAddr;
use std::path::PathBuf;

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
        let page_rate = rate("PORTAL_PAGE_RATE")?;
        Ok(Self {
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
