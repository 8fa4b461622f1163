//! The online repair application and its status page, as plain HTML forms
//! handled here (they work without JavaScript). Rendering lives in
//! `app::pages::repair`; storage behind `app::store::RepairStore`; files
//! received in `uploads` and kept in `evidence_store`.

pub mod apply;
pub mod evidence_store;
pub mod track;
pub mod uploads;

use std::sync::Arc;

use app::api::PortalContext;
use app::domain::repair_application::{DraftLimits, MAX_APPLICATION_BYTES, MAX_FILE_BYTES};
use app::store::RepairStore;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// What the repair handlers need.
#[derive(Clone)]
pub struct RepairState {
    pub portal: PortalContext,
    pub repairs: Arc<dyn RepairStore>,
    /// The notice acknowledged and the SMS consent of each application.
    pub consents: Arc<dyn app::store::ConsentStore>,
    /// Evidence files: outside the web root (`<data dir>/uploads`, or S3).
    pub uploads: evidence_store::EvidenceStore,
    /// For the hydration scripts of the form pages' islands.
    pub leptos: leptos::prelude::LeptosOptions,
    /// What anonymous applicants may keep on the server before submitting.
    pub draft_limits: DraftLimits,
}

pub fn routes(state: RepairState) -> Router {
    // One file per upload request; leave room for the multipart framing.
    let upload_limit = usize::try_from(MAX_FILE_BYTES).unwrap_or(usize::MAX) + 64 * 1024;
    Router::new()
        .route("/repair/apply/done", get(apply::done))
        .route("/repair/apply/{id}", get(apply::start_page))
        .route("/repair/apply/{id}/start", post(apply::start))
        .route(
            "/repair/apply/{id}/applicant",
            get(apply::applicant_page).post(apply::applicant),
        )
        .route(
            "/repair/apply/{id}/identity",
            get(apply::identity_page).post(apply::identity),
        )
        .route(
            "/repair/apply/{id}/pledge",
            get(apply::pledge_page).post(apply::pledge),
        )
        .route(
            "/repair/apply/{id}/evidence",
            get(apply::evidence_page)
                .post(apply::evidence_upload)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/repair/apply/{id}/evidence/remove",
            post(apply::evidence_remove),
        )
        .route(
            "/repair/apply/{id}/evidence/done",
            post(apply::evidence_done),
        )
        .route("/repair/apply/{id}/check", get(apply::check_page))
        .route("/repair/apply/{id}/submit", post(apply::submit))
        .route("/repair/track", get(track::form).post(track::lookup))
        .route("/repair/track/withdraw", post(track::withdraw))
        .route("/repair/track/sms-withdraw", post(track::sms_withdraw))
        .route(
            "/repair/track/supplement",
            post(track::supplement).layer(DefaultBodyLimit::max(
                usize::try_from(MAX_APPLICATION_BYTES).unwrap_or(usize::MAX) + 256 * 1024,
            )),
        )
        .with_state(state)
}

/// The day by which the next step after `action` is due (`None` for the
/// submission itself), counted in working days from today on the holiday
/// calendar; `None` when the action ends the clock. The status page and the
/// staff queue both show this date (see `deadline_setting`).
pub async fn deadline_after(
    state: &RepairState,
    action: Option<app::domain::repair_application::Action>,
) -> Result<Option<chrono::NaiveDate>, app::store::StoreError> {
    let Some((key, default)) = app::domain::repair_application::deadline_setting(action) else {
        return Ok(None);
    };
    let calendar = app::domain::working_days::HolidayCalendar::new(state.repairs.calendar().await?);
    let days = state
        .repairs
        .working_days_setting(key)
        .await?
        .unwrap_or(default);
    Ok(Some(calendar.add_working_days(state.portal.today(), days)))
}
