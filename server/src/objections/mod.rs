//! Objections (异议) for the public: `/objections/new?record=penalty-12`
//! files one (identity checked as in a repair application, with the same
//! limits, counted against the same record), `/objections/track` follows
//! it with its number and tracking code (wrong codes counted with the
//! repair tracking's), supplements it or withdraws it. The rules are in
//! `services::objection` and the domain.

pub mod file;
pub mod track;

use app::disclosure::subject_public_name;
use app::domain::objection::ObjectionTarget;
use app::model::RecordKind;
use app::pages::document::render_document;
use app::pages::objection_page::ObjectedRecord;
use app::store::{Department, StoreError, StoredSubject};
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;

use crate::http::error::Area;
use crate::http::forms::page;
use crate::staff::StaffState;

pub fn routes(state: StaffState) -> Router {
    let limit = usize::try_from(app::domain::repair_application::MAX_APPLICATION_BYTES)
        .unwrap_or(usize::MAX)
        + 256 * 1024;
    Router::new()
        .route(
            "/objections/new",
            get(file::form)
                .post(file::submit)
                .layer(DefaultBodyLimit::max(limit)),
        )
        .route("/objections/track", get(track::form).post(track::lookup))
        .route("/objections/track/withdraw", post(track::withdraw))
        .route("/objections/track/sms-withdraw", post(track::sms_withdraw))
        .route(
            "/objections/track/supplement",
            post(track::supplement).layer(DefaultBodyLimit::max(limit)),
        )
        .with_state(state)
}

/// The objection pages as an area: a failure keeps nothing half-done (a
/// filing is one transaction) and says so.
pub struct Objections;

impl Area for Objections {
    const NAME: &'static str = "objections";
    fn failure_page() -> Response {
        page(
            StatusCode::INTERNAL_SERVER_ERROR,
            render_document(None, "系统繁忙", || {
                view! { <h1>"系统繁忙"</h1><p>"请稍后再试。未完成提交的异议不会被记录，已提交的异议不受影响。"</p> }.into_any()
            }),
        )
    }
}

/// The stores an objection's steps use, from the handlers' state.
pub(crate) fn stores(state: &StaffState) -> crate::services::objection::Stores<'_> {
    crate::services::objection::Stores {
        staff: state.staff.as_ref(),
        repairs: state.repair.repairs.as_ref(),
        objections: state.objections.as_ref(),
        feed: state.feed.as_ref(),
        listings: state.listings.as_ref(),
        public: state.repair.portal.store.as_ref(),
    }
}

pub(crate) type Halt = crate::http::error::HandlerError<Objections>;
pub(crate) type Handled = crate::http::error::Handled<Objections>;

pub(crate) fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        render_document(None, "未找到", || {
            view! {
                <h1>"未找到"</h1>
                <p>"未找到该公示信息：它可能不存在，或已不再公示。对未公示信息有异议的，请向认定单位提出。"</p>
            }
            .into_any()
        }),
    )
}

/// A record objections are about, with what the identity check compares
/// (never shown).
pub(crate) struct Objected {
    pub kind: RecordKind,
    pub id: i64,
    pub subject: StoredSubject,
    pub authority: Department,
    pub doc_no: String,
    /// Whether the public can see it today.
    pub public: bool,
    /// Which record wrong identity answers are counted against: the
    /// penalty an entry is grounded on, so that objecting to the entry
    /// buys no more guesses than repairing or objecting to the penalty.
    /// A penalty here is also where the identity step reads the
    /// representative's ID number (CF_FR_ZJHM); a licence has none.
    pub limit_key: (RecordKind, i64),
}

impl Objected {
    pub fn key(&self) -> String {
        format!("{}-{}", self.kind.code(), self.id)
    }

    pub fn target(&self) -> ObjectionTarget {
        ObjectionTarget::of_record(self.kind)
    }

    pub fn href(&self) -> String {
        match self.kind {
            RecordKind::Penalty => format!("/penalties/{}", self.id),
            RecordKind::License => format!("/licenses/{}", self.id),
            RecordKind::Serious => format!("/serious-list/{}", self.id),
        }
    }

    /// The record as the public pages show it.
    pub fn line(&self) -> ObjectedRecord {
        ObjectedRecord {
            key: self.key(),
            kind_label: self.target().label().to_string(),
            subject_name: subject_public_name(&self.subject),
            doc_no: self.doc_no.clone(),
            authority: self.authority.name.clone(),
            href: self.href(),
        }
    }
}

/// Parses `penalty-12`, `license-3`, `serious-7`.
pub(crate) fn parse_key(raw: &str) -> Option<(RecordKind, i64)> {
    let (kind, id) = raw.trim().split_once('-')?;
    let kind = RecordKind::from_code(kind)?;
    let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
    Some((kind, id))
}

/// The record `kind`/`id`, public or not (staff pages show both), or None.
pub(crate) async fn objected(
    state: &StaffState,
    kind: RecordKind,
    id: i64,
) -> Result<Option<Objected>, StoreError> {
    let portal = &state.repair.portal;
    let today = portal.today();
    let withdrawn = state.objections.record_withdrawn(kind, id).await?;
    let found = match kind {
        RecordKind::Penalty => portal.store.penalty(id).await?.map(|p| Objected {
            kind,
            id,
            public: app::disclosure::penalty_view(&p, today).is_some(),
            subject: p.subject,
            authority: p.authority,
            doc_no: p.doc_no,
            limit_key: (kind, id),
        }),
        RecordKind::License => portal.store.license(id).await?.map(|l| Objected {
            kind,
            id,
            public: app::disclosure::license_view(&l, today).is_some(),
            subject: l.subject,
            authority: l.authority,
            doc_no: l.doc_no,
            // A licence is delivered without the representative's number:
            // an organisation is sent to the department's window.
            limit_key: (kind, id),
        }),
        RecordKind::Serious => portal.store.serious_entry(id).await?.map(|e| Objected {
            kind,
            id,
            public: app::disclosure::serious_view(&e, today).is_some(),
            limit_key: match e.grounds_penalty_id {
                Some(p) => (RecordKind::Penalty, p),
                None => (kind, id),
            },
            subject: e.subject,
            authority: e.authority,
            doc_no: e.doc_no,
        }),
    };
    Ok(found.map(|mut o| {
        o.public &= !withdrawn;
        o
    }))
}
