//! `/subjects/{code}/report.pdf`: the credit record report as a PDF,
//! made on the server from the same view as the printable page.
//!
//! The page and the PDF issue the same report: one content, one number.
//! A report that cannot be made (bad period, malformed code) answers with
//! the report page's message, as a page, with the same status.

pub mod pdf;

use std::sync::Arc;

use app::api::reports::report_view;
use app::api::PortalContext;
use app::components::notice::ErrorPanel;
use app::error::AppError;
use app::pages::document::render_document;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use serde::Deserialize;

use crate::http::forms::page;
pub use pdf::ReportFont;

#[derive(Clone)]
pub struct ReportState {
    pub portal: PortalContext,
    /// `None` when no font could be read: the printable page still works.
    pub font: Option<Arc<ReportFont>>,
}

pub fn routes(state: ReportState) -> Router {
    Router::new()
        .route("/subjects/{code}/report.pdf", get(report_pdf))
        .with_state(state)
}

#[derive(Deserialize)]
struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The site's error panel, with the error's status.
fn refusal(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let error = error.clone();
    page(
        status,
        render_document(None, "信用信息报告", move || {
            view! { <ErrorPanel error/> }.into_any()
        }),
    )
}

async fn report_pdf(
    State(state): State<ReportState>,
    Path(code): Path<String>,
    Query(period): Query<Period>,
) -> Response {
    let Some(font) = state.font.clone() else {
        return refusal(&AppError::NotFound(
            "PDF 报告暂不可用（服务器未配置报告字体），请使用报告页面的打印功能。".into(),
        ));
    };
    let report = match report_view(&state.portal, &code, &period.from, &period.to).await {
        Ok(report) => report,
        Err(error) => return refusal(&error),
    };
    let url = format!("{}{}", state.portal.site_url, report.verify_path);
    let number = report.number.clone();
    // Laying out and subsetting the font is CPU work: off the async threads.
    let made = tokio::task::spawn_blocking(move || pdf::render(&report, &font, &url)).await;
    let bytes = match made {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => {
            tracing::error!(error = %e, number, "report PDF");
            return refusal(&AppError::Internal);
        }
        Err(e) => {
            tracing::error!(error = %e, number, "report PDF task");
            return refusal(&AppError::Internal);
        }
    };
    let disposition = format!(
        "attachment; filename=\"credit-report-{number}.pdf\"; filename*=UTF-8''%E4%BF%A1%E7%94%A8%E4%BF%A1%E6%81%AF%E6%8A%A5%E5%91%8A-{number}.pdf"
    );
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
