//! The department's review of repair applications: the queue, one
//! application, the reviewer's actions and the evidence files.
//!
//! "谁认定、谁修复": a reviewer sees and decides only applications about
//! records of their own department; any other application answers 404, the
//! same as one that does not exist, so numbers cannot be probed.

use app::domain::privacy_notice::NoticeForm;
use app::domain::repair_application::{
    deadline_setting, transition, Action, ApplicationNumber, ApplicationState,
};
use app::domain::staff::AuditAction;
use app::domain::working_days::{
    calendar_gap_notice, china_date, deadline_note, uncovered_years, HolidayCalendar,
};
use app::model::ConsentSummary;
use app::pages::admin::review::{
    ApplicationPage, ApplicationView, EvidenceLine, QueuePage, QueueRow,
};
use app::pages::repair::forms::{size_label, FieldError};
use app::pages::repair::track::TimelineEntry;
use app::store::repair::{NewEvent, StoredApplication};
use app::store::staff::Decision;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::session::Staff;
use super::{audit_entry, not_found, register, render, Halt, Handled, StaffState};
use crate::http::forms::see_other;

async fn calendar(state: &StaffState) -> Result<HolidayCalendar, Halt> {
    state
        .repair
        .repairs
        .calendar()
        .await
        .map(HolidayCalendar::new)
        .map_err(Halt::from)
}

/// Only reviewers have a queue.
fn reviewer_department(staff: &Staff) -> Result<i64, Box<Response>> {
    match staff.member.department_id {
        Some(d) if staff.member.may_review(d) => Ok(d),
        _ => Err(Box::new(super::forbidden(
            Some(staff.view()),
            "只有认定单位的审核人员可以办理信用修复申请。",
        ))),
    }
}

pub async fn queue(State(state): State<StaffState>, staff: Staff) -> Handled {
    let department = reviewer_department(&staff)?;
    let items = state.staff.review_queue(department).await?;
    let calendar = calendar(&state).await?;
    let entry = audit_entry(
        &staff,
        AuditAction::ViewQueue,
        format!(
            "{} 的待办列表（{} 件）",
            staff.department_name.clone().unwrap_or_default(),
            items.len()
        ),
        "审核信用修复申请",
    );
    register(&state, entry).await?;
    let today = state.repair.portal.today();
    let calendar_notice = calendar_gap_notice(&uncovered_years(
        &calendar,
        items.iter().filter_map(|i| i.deadline),
    ));
    let rows = items
        .into_iter()
        .map(|i| {
            let note = i.deadline.map(|d| deadline_note(&calendar, today, d));
            QueueRow {
                number: i.number,
                subject_name: i.subject_name,
                doc_no: i.doc_no,
                state: i.state.label().to_string(),
                submitted: china_date(i.submitted_at),
                deadline: i.deadline,
                overdue: note.as_ref().is_some_and(|n| n.0),
                remaining: note.map(|n| n.1),
            }
        })
        .collect();
    let view_data = staff.view();
    Ok(render(StatusCode::OK, "修复申请待办", move || {
        view! { <QueuePage staff=view_data rows calendar_notice/> }.into_any()
    }))
}

/// The application `number`, if it exists and belongs to the reviewer's
/// department; otherwise the 404 to send.
async fn own_application(
    state: &StaffState,
    staff: &Staff,
    number: &str,
) -> Result<StoredApplication, Halt> {
    let department = reviewer_department(staff)?;
    let Ok(number) = ApplicationNumber::parse(number) else {
        return Err(not_found(Some(staff.view())).into());
    };
    match state
        .repair
        .repairs
        .application_by_number(number.as_str())
        .await?
    {
        Some(app) if app.department_id == department => Ok(app),
        _ => Err(not_found(Some(staff.view())).into()),
    }
}

/// What the application page shows, with `errors` and the values of a
/// refused action form.
async fn application_view(
    state: &StaffState,
    app: &StoredApplication,
    reason: String,
    remedies: String,
    errors: Vec<FieldError>,
) -> Result<ApplicationView, Halt> {
    let events = state.repair.repairs.application_events(app.id).await?;
    let files = state.repair.repairs.application_files(app.id).await?;
    let penalty = state.repair.portal.store.penalty(app.record_id).await?;
    let calendar = calendar(state).await?;
    let today = state.repair.portal.today();
    let deadline = app
        .state
        .is_open()
        .then(|| events.last().and_then(|e| e.deadline))
        .flatten();
    let note = deadline.map(|d| deadline_note(&calendar, today, d));
    let actions = Action::ALL
        .into_iter()
        .filter(|a| !a.by_applicant() && transition(app.state, *a).is_ok())
        .collect();
    Ok(ApplicationView {
        number: app.number.clone(),
        state: app.state,
        record_id: app.record_id,
        doc_no: penalty
            .as_ref()
            .map(|p| p.doc_no.clone())
            .unwrap_or_default(),
        subject_name: penalty.map(|p| p.subject.name).unwrap_or_default(),
        applicant_kind: app.applicant_kind.label().to_string(),
        applicant_name: app.applicant_name.clone(),
        contact_phone: app.contact_phone.clone(),
        sms: ConsentSummary::of(
            &state
                .repair
                .consents
                .consents(NoticeForm::Repair, app.id)
                .await?,
        )
        .sms_for_staff(),
        pledge: app.pledge_text.clone(),
        pledge_signed_name: app.pledge_signed_name.clone(),
        submitted: china_date(app.submitted_at),
        deadline,
        overdue: note.as_ref().is_some_and(|n| n.0),
        remaining: note.map(|n| n.1),
        timeline: events.into_iter().map(TimelineEntry::from).collect(),
        files: files
            .into_iter()
            .map(|f| EvidenceLine {
                id: f.id,
                kind: f.evidence_kind.label().to_string(),
                name: f.display_name,
                size: size_label(f.size_bytes),
                sha256: f.sha256,
            })
            .collect(),
        actions,
        reason,
        remedies,
        errors,
    })
}

pub async fn application(
    State(state): State<StaffState>,
    staff: Staff,
    Path(number): Path<String>,
) -> Handled {
    let app = own_application(&state, &staff, &number).await?;
    let entry = audit_entry(
        &staff,
        AuditAction::ViewApplication,
        format!("修复申请 {}", app.number),
        "审核信用修复申请",
    );
    register(&state, entry).await?;
    let view_data = application_view(&state, &app, String::new(), String::new(), vec![]).await?;
    let staff_view = staff.view();
    Ok(render(StatusCode::OK, "修复申请", move || {
        view! { <ApplicationPage staff=staff_view app=view_data/> }.into_any()
    }))
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    expected_state: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    remedies: String,
}

const MAX_TEXT: usize = 2000;

pub async fn decide(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    Form(f): Form<DecideForm>,
) -> Handled {
    staff.check_post(&headers, &f.csrf)?;
    let app = own_application(&state, &staff, &number).await?;
    let reason = f.reason.trim().to_string();
    let remedies = f.remedies.trim().to_string();
    let mut errors = Vec::new();
    let action = Action::from_code(f.action.trim()).filter(|a| !a.by_applicant());
    match action {
        None => errors.push(FieldError::new("action", "请选择办理结果")),
        Some(a) => {
            if let Err(e) = transition(app.state, a) {
                errors.push(FieldError::new("action", e.to_string()));
            }
            if a.needs_reason() && reason.is_empty() {
                errors.push(FieldError::new(
                    "reason",
                    match a {
                        Action::Reject => "不予修复须写明理由",
                        Action::Void => "作废须写明理由（申请人可以看到），例如“经核实，申请人并非该信息的主体或其代理人”",
                        _ => "要求补正须写明需补正的材料",
                    },
                ));
            }
            if a == Action::Reject && remedies.is_empty() {
                errors.push(FieldError::new("remedies", "不予修复须告知救济途径"));
            }
        }
    }
    if reason.chars().count() > MAX_TEXT {
        errors.push(FieldError::new(
            "reason",
            format!("理由不能超过 {MAX_TEXT} 字"),
        ));
    }
    if remedies.chars().count() > MAX_TEXT {
        errors.push(FieldError::new(
            "remedies",
            format!("救济途径不能超过 {MAX_TEXT} 字"),
        ));
    }
    // The page the reviewer acted on must still be current.
    if ApplicationState::from_code(f.expected_state.trim()) != Some(app.state) && errors.is_empty()
    {
        errors.push(FieldError::new(
            "action",
            format!(
                "该申请的状态已变为“{}”，请查看最新情况后再办理",
                app.state.label()
            ),
        ));
    }
    let (Some(action), true) = (action, errors.is_empty()) else {
        return refused(&state, &staff, &app, reason, remedies, errors).await;
    };
    let deadline = match deadline_setting(Some(action)) {
        None => None,
        Some(_) => crate::repair::deadline_after(&state.repair, Some(action)).await?,
    };
    let today = state.repair.portal.today();
    let event = NewEvent {
        actor: "staff",
        action,
        reason: (!reason.is_empty()).then(|| reason.clone()),
        remedies: (action == Action::Reject).then(|| remedies.clone()),
        deadline,
        at: Utc::now(),
    };
    let purpose = if reason.is_empty() {
        action.label().to_string()
    } else {
        format!("{}：{}", action.label(), reason)
    };
    let decision = Decision {
        application_id: app.id,
        expected: app.state,
        event,
        staff_account_id: staff.member.account_id,
        record_id: app.record_id,
        today,
        audit: audit_entry(
            &staff,
            AuditAction::Decide,
            format!("修复申请 {}", app.number),
            purpose,
        ),
    };
    match crate::services::review::decide(state.staff.as_ref(), state.serious.as_ref(), &decision)
        .await?
    {
        Some(_) => Ok(see_other(&format!("/admin/repairs/{}", app.number))),
        None => {
            let Some(fresh) = state
                .repair
                .repairs
                .application_by_number(&app.number)
                .await?
            else {
                return Err(Halt::failed("the application vanished during a decision"));
            };
            let errors = vec![FieldError::new(
                "action",
                format!(
                    "该申请的状态已变为“{}”，请查看最新情况后再办理",
                    fresh.state.label()
                ),
            )];
            refused(&state, &staff, &fresh, reason, remedies, errors).await
        }
    }
}

async fn refused(
    state: &StaffState,
    staff: &Staff,
    app: &StoredApplication,
    reason: String,
    remedies: String,
    errors: Vec<FieldError>,
) -> Handled {
    let view_data = application_view(state, app, reason, remedies, errors).await?;
    let staff_view = staff.view();
    Ok(render(StatusCode::BAD_REQUEST, "修复申请", move || {
        view! { <ApplicationPage staff=staff_view app=view_data/> }.into_any()
    }))
}

/// An evidence file, as an attachment (never rendered by the browser).
pub async fn file(
    State(state): State<StaffState>,
    staff: Staff,
    Path((number, file_id)): Path<(String, i64)>,
) -> Handled {
    let app = own_application(&state, &staff, &number).await?;
    let files = state.repair.repairs.application_files(app.id).await?;
    let Some(file) = files.into_iter().find(|f| f.id == file_id) else {
        return Ok(not_found(Some(staff.view())));
    };
    let entry = audit_entry(
        &staff,
        AuditAction::DownloadEvidence,
        format!("修复申请 {} 的材料 {}", app.number, file.display_name),
        "审核信用修复申请",
    );
    register(&state, entry).await?;
    attachment(&state, &file).await
}

/// A stored evidence file as an attachment (never rendered by the
/// browser), streamed from the evidence store.
pub(crate) async fn attachment(
    state: &StaffState,
    file: &app::store::repair::StoredFile,
) -> Handled {
    let stored = state
        .repair
        .uploads
        .open(&file.stored_name)
        .await
        .map_err(Halt::failed)?;
    if stored.size != file.size_bytes {
        tracing::warn!(
            file = file.id,
            stored = stored.size,
            recorded = file.size_bytes,
            "evidence file changed size"
        );
    }
    // The length of what is streamed, or the response would be cut short.
    let length = stored.size;
    let body = Body::from_stream(stored.bytes);
    let disposition = format!(
        "attachment; filename=\"evidence-{}.{}\"; filename*=UTF-8''{}",
        file.id,
        file.kind.extension(),
        app::model::encode_query_value(&file.display_name)
    );
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.kind.mime()),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&length.to_string()) {
        headers.insert(header::CONTENT_LENGTH, v);
    }
    Ok(response)
}
