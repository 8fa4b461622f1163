//! The staff console (`/admin/…`), as plain HTML forms like the repair
//! flow: sign-in and sessions (`session`, `login`), the department's review
//! queue and decisions (`review`), accounts, the holiday calendar and the
//! access register (`admin`), and the server commands that create the
//! first administrator and verify the register (`cli`).
//!
//! Every handler takes the `Staff` extractor, so none runs for an anonymous
//! visitor, and checks the member's role or department itself; every form
//! post checks the origin and the session's anti-forgery token; every look
//! at non-public data is written to the access register.

pub mod admin;
pub mod catalog;
pub mod cli;
pub mod keys;
pub mod listings;
pub mod login;
pub mod measures;
pub mod objections;
pub mod review;
pub mod serious_domains;
pub mod session;

use std::sync::Arc;

use app::domain::staff::AuditAction;
use app::pages::admin::{ForbiddenPage, StaffView};
use app::pages::document::render_document;
use app::store::staff::NewAuditEntry;
use app::store::{CatalogStore, CollectStore, FeedStore, KeyStore, StaffStore};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::http::error::{Area, HandlerError};
use crate::http::forms::page;
use crate::http::routes::Routes;
use crate::repair::RepairState;

/// What the console handlers need.
#[derive(Clone)]
pub struct StaffState {
    pub repair: RepairState,
    pub staff: Arc<dyn StaffStore>,
    pub catalog: Arc<dyn CatalogStore>,
    pub keys: Arc<dyn KeyStore>,
    pub feed: Arc<dyn FeedStore>,
    pub collect: Arc<dyn CollectStore>,
    pub serious: Arc<dyn app::store::serious::SeriousDomainStore>,
    pub listings: Arc<dyn app::store::listing::ListingStore>,
    pub objections: Arc<dyn app::store::ObjectionStore>,
    pub measures: Arc<dyn app::store::MeasureStore>,
    /// The joint check's caches and register writer.
    pub checks: crate::checks::Checks,
    /// Served over HTTPS: `__Host-` + `Secure` session cookies.
    pub secure_cookies: bool,
    /// Where delivered records are checked, staged and published.
    pub deliveries: Arc<dyn crate::store::delivery::DeliveryStore>,
    /// Uploaded sheets and their reports (`<data dir>/imports`).
    pub imports: std::path::PathBuf,
}

/// Every console route. The router is built from this list, and the
/// tests walk it as a stranger (`console_paths`).
fn console() -> Routes<StaffState> {
    Routes::default()
        .route("/admin", get(login::home))
        .route("/admin/login", get(login::form).post(login::login))
        .route("/admin/logout", post(login::logout))
        .route(
            "/admin/password",
            get(login::password_form).post(login::change_password),
        )
        .route("/admin/repairs", get(review::queue))
        .route("/admin/repairs/{number}", get(review::application))
        .route("/admin/repairs/{number}/decide", post(review::decide))
        .route("/admin/repairs/{number}/files/{file_id}", get(review::file))
        .route("/admin/audit", get(admin::register))
        .route(
            "/admin/accounts",
            get(admin::accounts).post(admin::create_account),
        )
        .route("/admin/accounts/{id}/disable", post(admin::disable_account))
        .route("/admin/accounts/{id}/enable", post(admin::enable_account))
        .route("/admin/accounts/{id}/reset", post(admin::reset_password))
        .route(
            "/admin/calendar",
            get(admin::calendar).post(admin::set_calendar_day),
        )
        .route("/admin/calendar/remove", post(admin::remove_calendar_day))
        .route("/admin/api-keys", get(keys::list).post(keys::issue))
        .route("/admin/api-keys/revoke", post(keys::revoke))
        .route("/admin/quality", get(crate::collect::quality))
        .route("/admin/catalog", get(catalog::list).post(catalog::add_item))
        .route(
            "/admin/catalog/{code}",
            get(catalog::item).post(catalog::update_item),
        )
        .route("/admin/catalog/{code}/rules", post(catalog::add_version))
        .route(
            "/admin/listings",
            get(listings::list).post(listings::propose),
        )
        .route("/admin/listings/new", get(listings::new))
        .route("/admin/listing-oversight", get(listings::oversight))
        .route("/admin/listings/{number}", get(listings::listing))
        .route("/admin/listings/{number}/act", post(listings::act))
        .route(
            "/admin/listings/{number}/files/{file_id}",
            get(listings::file),
        )
        .route("/admin/objections", get(objections::list))
        .route("/admin/objection-oversight", get(objections::oversight))
        .route("/admin/objections/{number}", get(objections::objection))
        .route("/admin/objections/{number}/act", post(objections::act))
        .route(
            "/admin/objections/{number}/files/{file_id}",
            get(objections::file),
        )
        .route("/admin/measures", get(measures::list).post(measures::add))
        .route(
            "/admin/measures/{code}",
            get(measures::measure).post(measures::update),
        )
        .route("/admin/joint-check", get(measures::report))
        .route(
            "/admin/serious-domains",
            get(serious_domains::list).post(serious_domains::add),
        )
        .route(
            "/admin/serious-domains/{code}",
            get(serious_domains::domain).post(serious_domains::update),
        )
        .route(
            "/admin/import",
            get(crate::collect::form)
                .post(crate::collect::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    usize::try_from(crate::collect::MAX_SHEET_BYTES).unwrap_or(usize::MAX)
                        + 64 * 1024,
                )),
        )
        .route("/admin/import/{token}/commit", post(crate::collect::commit))
        .route(
            "/admin/import/{token}/report.csv",
            get(crate::collect::report),
        )
}

/// The paths of every console route.
pub fn console_paths() -> Vec<&'static str> {
    console().paths().to_vec()
}

pub fn routes(state: StaffState) -> Router {
    console()
        .into_router()
        // Console pages hold non-public data: never cached anywhere.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}

/// A console page in the site frame.
pub fn render(
    status: StatusCode,
    title: &str,
    body: impl FnOnce() -> AnyView + Send + 'static,
) -> Response {
    page(status, render_document(None, title, body))
}

/// Refuses (403) a member for whom `allowed` is false: only `who` may use
/// the page.
pub fn require(staff: &session::Staff, allowed: bool, who: &str) -> Result<(), Box<Response>> {
    if allowed {
        Ok(())
    } else {
        Err(Box::new(forbidden(
            Some(staff.view()),
            &format!("只有{who}可以使用此功能。"),
        )))
    }
}

pub fn forbidden(staff: Option<StaffView>, message: &str) -> Response {
    let message = message.to_string();
    render(StatusCode::FORBIDDEN, "无权访问", move || {
        view! { <ForbiddenPage staff message/> }.into_any()
    })
}

pub fn not_found(staff: Option<StaffView>) -> Response {
    render(StatusCode::NOT_FOUND, "未找到", move || {
        view! {
            {staff.map(|staff| view! { <app::pages::admin::StaffBar staff/> })}
            <h1>"未找到"</h1>
            <p>"没有这项内容，或它不属于您的单位。"</p>
        }
        .into_any()
    })
}

/// The console as an area of the site: its failure page.
pub struct Console;

impl Area for Console {
    const NAME: &'static str = "staff console";
    fn failure_page() -> Response {
        render(StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙", || {
            view! { <h1>"系统繁忙"</h1><p>"请稍后再试。"</p> }.into_any()
        })
    }
}

/// What a console handler returns.
pub type Handled = crate::http::error::Handled<Console>;
/// Why a console handler stopped early.
pub type Halt = HandlerError<Console>;

/// An access-register entry for `staff` doing `action` on `target`.
pub fn audit_entry(
    staff: &session::Staff,
    action: AuditAction,
    target: impl Into<String>,
    purpose: impl Into<String>,
) -> NewAuditEntry {
    NewAuditEntry {
        at: chrono::Utc::now(),
        account_id: Some(staff.member.account_id),
        actor: staff.member.username.clone(),
        action,
        target: target.into(),
        purpose: purpose.into(),
        client: staff.client.clone(),
    }
}

/// Writes `entry` to the register; if that fails the request fails, since
/// a look at non-public data that is not registered must not happen.
pub async fn register(state: &StaffState, entry: NewAuditEntry) -> Result<(), Halt> {
    Ok(state.staff.append_audit(&entry).await?)
}
