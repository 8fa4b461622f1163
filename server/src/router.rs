//! The axum router: pages, server functions, static files, `/healthz`, and
//! the layers every response passes through.

use std::sync::Arc;

use app::api::PortalContext;
use app::{shell, App};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::http::{self, client::ClientSettings};
use crate::limits::{self, PublicLimits};
use crate::repair::RepairState;
use crate::staff::StaffState;
use crate::telemetry;

/// Router state: the Leptos options and the portal context.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub portal: PortalContext,
}

/// Liveness and database check.
async fn healthz(State(portal): State<PortalContext>) -> impl IntoResponse {
    match portal.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({"status": "ok", "database": "ok"})),
        ),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "error", "database": "unavailable"})),
            )
        }
    }
}

/// What stands between the internet and the pages: where client
/// addresses come from, and the per-client limits.
#[derive(Clone, Default)]
pub struct Edge {
    pub clients: ClientSettings,
    pub limits: PublicLimits,
}

pub fn build(
    leptos_options: LeptosOptions,
    portal: PortalContext,
    repair: RepairState,
    staff: StaffState,
    edge: Edge,
    report_font: Option<Arc<crate::reports::ReportFont>>,
) -> Router {
    let routes = generate_route_list(App);
    let state = AppState {
        leptos_options: leptos_options.clone(),
        portal: portal.clone(),
    };
    let context = {
        let portal = portal.clone();
        move || provide_context(portal.clone())
    };
    // Static WASM/JS/CSS are served precompressed (.br/.gz next to them);
    // HTML and JSON are compressed on the fly.
    let compress_when = SizeAbove::new(1024)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::const_new("text/javascript"))
        .and(NotForContentType::const_new("application/javascript"))
        .and(NotForContentType::const_new("text/css"));

    let pages = Router::new()
        .route("/healthz", get(healthz))
        .route("/display", get(crate::display::switch))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn(server_fn_status))
        .with_state(state);

    let secure = staff.secure_cookies;
    crate::repair::routes(repair)
        .merge(crate::collect::api::routes(staff.clone()))
        .merge(crate::checks::routes(staff.clone()))
        .merge(crate::public_api::routes(
            crate::public_api::PublicApi::new(portal.clone(), staff.feed.clone()),
        ))
        .merge(crate::reports::routes(crate::reports::ReportState {
            portal: portal.clone(),
            font: report_font,
        }))
        .merge(crate::notices::routes(staff.clone()))
        .merge(crate::objections::routes(staff.clone()))
        .merge(crate::staff::routes(staff))
        .merge(pages)
        .layer(CompressionLayer::new().compress_when(compress_when))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(middleware::from_fn(crate::display::scope))
        .layer(middleware::from_fn_with_state(
            portal.demo_data,
            demo_data_scope,
        ))
        .layer(middleware::from_fn_with_state(secure, security_headers))
        .layer(middleware::from_fn_with_state(secure, http::secure_cookies))
        .layer(middleware::from_fn_with_state(
            edge.limits,
            limits::limit_public_reads,
        ))
        .layer(middleware::from_fn_with_state(
            edge.clients,
            http::client::identify,
        ))
        .layer(middleware::from_fn(telemetry::request_span))
}

/// Runs the request knowing whether the database holds demo data, which
/// the page frame says (`app::components::layout::DEMO_DATA`).
async fn demo_data_scope(
    State(demo): State<bool>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    app::components::layout::DEMO_DATA
        .scope(demo, next.run(request))
        .await
}

/// Server functions answer every error with 500 (server_fn never asks the
/// error for a status), so a caller's bad input would read as our failure
/// and be logged as one. The error body says which error it is: the
/// response gets that error's status (400 bad input, 404 not found).
async fn server_fn_status(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error body is one short message; anything else stays a 500.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return axum::response::Response::from_parts(parts, axum::body::Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The security headers of every response. The Content-Security-Policy
/// carries a fresh nonce, which the request runs with (`CSP_NONCE`) so the
/// page renderers put it on the one inline script they write.
async fn security_headers(
    State(secure): State<bool>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let nonce = crate::http::tokens::random_hex(16).unwrap_or_default();
    let mut response = app::security::CSP_NONCE
        .scope(nonce.clone(), next.run(request))
        .await;
    let headers = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&app::security::content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// The portal context over `backend`'s stores.
pub fn portal_context(
    backend: &crate::store::backend::Backend,
    fixed_today: Option<chrono::NaiveDate>,
    demo_data: bool,
) -> PortalContext {
    PortalContext {
        store: backend.public.clone(),
        objections: backend.objections.clone(),
        measures: backend.measures.clone(),
        domains: backend.serious.clone(),
        reports: backend.reports.clone(),
        transparency: backend.transparency.clone(),
        site_url: String::new(),
        fixed_today,
        demo_data,
    }
}
