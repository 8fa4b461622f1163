//! Objections in the console, for the determining department's reviewers:
//! the objections about the department's records, one with its evidence
//! (each download registered) and the steps the rules allow now; and the
//! credit authority's oversight of objections past their deadlines.
//! Another department's objections answer 404.

use app::domain::objection::{ObjectionAction, ObjectionNumber, ObjectionState};
use app::domain::privacy_notice::NoticeForm;
use app::domain::publication::format_date_cn;
use app::domain::staff::AuditAction;
use app::model::ConsentSummary;
use app::pages::admin::objections::{
    ObjectionDetail, ObjectionLine, ObjectionOversightLine, ObjectionOversightPage, ObjectionPage,
    ObjectionsPage, OverdueObjection,
};
use app::pages::repair::forms::{size_label, FieldError};
use app::store::objection::StoredObjection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Form;
use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use serde::Deserialize;

use super::session::Staff;
use super::{audit_entry, forbidden, not_found, register, render, Halt, Handled, StaffState};
use crate::http::forms::see_other;
use crate::objections::track::{history, record_of, reply};
use crate::services::objection::{department_actions, take, Refused, Step};

const MAX_TEXT: usize = 2000;

fn department_of(staff: &Staff) -> Result<i64, Box<axum::response::Response>> {
    match staff.member.department_id {
        Some(d) if staff.member.may_review(d) => Ok(d),
        _ => Err(Box::new(forbidden(
            Some(staff.view()),
            "只有认定单位的审核人员可以办理异议。",
        ))),
    }
}

/// Whether the department owes the next step and its deadline has passed
/// (a supplement owed by the objector is not the department's delay).
pub(crate) fn overdue(o: &StoredObjection, today: NaiveDate) -> bool {
    matches!(
        o.state,
        ObjectionState::Submitted | ObjectionState::Accepted
    ) && o.deadline.is_some_and(|d| d < today)
}

pub async fn list(State(state): State<StaffState>, staff: Staff) -> Handled {
    let department = department_of(&staff)?;
    let today = state.repair.portal.today();
    let mut lines = Vec::new();
    for o in state
        .objections
        .objections_of_department(department)
        .await?
    {
        let record = record_of(&state, &o).await?;
        lines.push(ObjectionLine {
            number: o.number.clone(),
            kind_label: record.kind_label,
            doc_no: record.doc_no,
            state: o.state.label().to_string(),
            deadline: o
                .state
                .is_open()
                .then(|| o.deadline.map(format_date_cn))
                .flatten()
                .unwrap_or_default(),
            overdue: overdue(&o, today),
        });
    }
    let view_data = staff.view();
    Ok(render(StatusCode::OK, "异议处理", move || {
        view! { <ObjectionsPage staff=view_data objections=lines/> }.into_any()
    }))
}

async fn own_objection(
    state: &StaffState,
    staff: &Staff,
    number: &str,
) -> Result<StoredObjection, Halt> {
    let department = department_of(staff)?;
    let Ok(number) = ObjectionNumber::parse(number) else {
        return Err(not_found(Some(staff.view())).into());
    };
    match state
        .objections
        .objection_by_number(number.as_str())
        .await?
    {
        Some(o) if o.department_id == department => Ok(o),
        _ => Err(not_found(Some(staff.view())).into()),
    }
}

async fn objection_page(
    state: &StaffState,
    staff: &Staff,
    status: StatusCode,
    o: &StoredObjection,
    chosen: String,
    text: String,
    errors: Vec<FieldError>,
) -> Handled {
    let events = state.objections.objection_events(o.id).await?;
    let files = state
        .objections
        .objection_files(o.id)
        .await?
        .into_iter()
        .map(|f| {
            (
                format!("/admin/objections/{}/files/{}", o.number, f.id),
                format!(
                    "{}：{}（{}）",
                    f.evidence_kind.label(),
                    f.display_name,
                    size_label(f.size_bytes)
                ),
            )
        })
        .collect();
    let earlier = state
        .objections
        .objections_on_record(o.record_kind, o.record_id)
        .await?
        .into_iter()
        .filter(|x| x.id != o.id)
        .map(|x| (x.number, x.state.label().to_string(), x.explanation))
        .collect();
    let today = state.repair.portal.today();
    let detail = ObjectionDetail {
        number: o.number.clone(),
        state: o.state.label().to_string(),
        expected_state: o.state.code().to_string(),
        deadline: o
            .state
            .is_open()
            .then(|| o.deadline.map(format_date_cn))
            .flatten(),
        record: record_of(state, o).await?,
        grounds: o.grounds.iter().map(|g| g.label().to_string()).collect(),
        explanation: o.explanation.clone(),
        objector: format!("{}（{}）", o.objector_name, o.objector_kind.label()),
        contact_phone: o.contact_phone.clone(),
        sms: ConsentSummary::of(
            &state
                .repair
                .consents
                .consents(NoticeForm::Objection, o.id)
                .await?,
        )
        .sms_for_staff(),
        pledge: format!("已签署（签署人：{}）", o.pledge_signed_name),
        files,
        history: history(&events, true),
        reply: reply(o, &events),
        earlier,
        actions: department_actions(o, today)
            .into_iter()
            .map(|a| (a.code().to_string(), a.label().to_string()))
            .collect(),
    };
    let view_data = staff.view();
    Ok(render(status, "异议", move || {
        view! { <ObjectionPage staff=view_data objection=detail chosen text errors/> }.into_any()
    }))
}

pub async fn objection(
    State(state): State<StaffState>,
    staff: Staff,
    Path(number): Path<String>,
) -> Handled {
    let o = own_objection(&state, &staff, &number).await?;
    // The objector's contact details and evidence are not public: reading
    // them is registered.
    let entry = audit_entry(
        &staff,
        AuditAction::ObjectionStep,
        format!("异议 {}", o.number),
        "查看异议材料",
    );
    register(&state, entry).await?;
    objection_page(
        &state,
        &staff,
        StatusCode::OK,
        &o,
        String::new(),
        String::new(),
        vec![],
    )
    .await
}

/// An evidence file, as an attachment; each download is registered.
pub async fn file(
    State(state): State<StaffState>,
    staff: Staff,
    Path((number, file_id)): Path<(String, i64)>,
) -> Handled {
    let o = own_objection(&state, &staff, &number).await?;
    let files = state.objections.objection_files(o.id).await?;
    let Some(file) = files.into_iter().find(|f| f.id == file_id) else {
        return Ok(not_found(Some(staff.view())));
    };
    let entry = audit_entry(
        &staff,
        AuditAction::DownloadEvidence,
        format!("异议 {} 的材料 {}", o.number, file.display_name),
        "核实异议",
    );
    register(&state, entry).await?;
    super::review::attachment(&state, &file).await
}

#[derive(Deserialize)]
pub struct ActPost {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    expected_state: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    text: String,
}

pub async fn act(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    Form(f): Form<ActPost>,
) -> Handled {
    staff.check_post(&headers, &f.csrf)?;
    let o = own_objection(&state, &staff, &number).await?;
    let again = |status: StatusCode, o: StoredObjection, field: &'static str, m: String| {
        let (state, staff, chosen, text) = (&state, &staff, f.action.clone(), f.text.clone());
        async move {
            objection_page(
                state,
                staff,
                status,
                &o,
                chosen,
                text,
                vec![FieldError::new(field, m)],
            )
            .await
        }
    };
    if ObjectionState::from_code(f.expected_state.trim()) != Some(o.state) {
        let m = format!(
            "该异议的状态已变为“{}”，请查看最新情况后再办理",
            o.state.label()
        );
        return again(StatusCode::CONFLICT, o, "action", m).await;
    }
    let action = match ObjectionAction::from_code(f.action.trim()) {
        Some(a) if !a.by_subject() => a,
        _ => {
            return again(
                StatusCode::BAD_REQUEST,
                o,
                "action",
                "请选择办理结果".into(),
            )
            .await
        }
    };
    if f.text.trim().chars().count() > MAX_TEXT {
        let m = format!("理由、补正要求或答复意见不能超过 {MAX_TEXT} 字");
        return again(StatusCode::BAD_REQUEST, o, "text", m).await;
    }
    let audit = audit_entry(
        &staff,
        AuditAction::ObjectionStep,
        format!("异议 {}", o.number),
        if f.text.trim().is_empty() {
            action.label().to_string()
        } else {
            format!("{}：{}", action.label(), f.text.trim())
        },
    );
    let outcome = take(
        crate::objections::stores(&state),
        &o,
        Step {
            action,
            text: &f.text,
            actor: &staff.member.username,
            today: state.repair.portal.today(),
            now: Utc::now(),
            files: &[],
            audit: Some(&audit),
        },
    )
    .await?;
    match outcome {
        Ok(_) => Ok(see_other(&format!("/admin/objections/{}", o.number))),
        Err(Refused::Rule(m)) => {
            let field = if m.starts_with("请填写") {
                "text"
            } else {
                "action"
            };
            again(StatusCode::BAD_REQUEST, o, field, m).await
        }
        Err(Refused::Stale(now)) => {
            let fresh = own_objection(&state, &staff, &number).await?;
            let m = format!(
                "该异议的状态已变为“{}”，请查看最新情况后再办理",
                now.label()
            );
            again(StatusCode::CONFLICT, fresh, "action", m).await
        }
    }
}

/// The credit authority's oversight: per department, the objections being
/// handled and those past the department's deadline.
pub async fn oversight(State(state): State<StaffState>, staff: Staff) -> Handled {
    staff.require_admin()?;
    let today = state.repair.portal.today();
    let open = state.objections.open_objections().await?;
    let mut departments = Vec::new();
    let mut late = Vec::new();
    for d in state.repair.portal.store.departments().await? {
        let mine: Vec<&StoredObjection> = open.iter().filter(|o| o.department_id == d.id).collect();
        if mine.is_empty() {
            continue;
        }
        let overdue_here: Vec<&&StoredObjection> =
            mine.iter().filter(|o| overdue(o, today)).collect();
        for o in &overdue_here {
            late.push(OverdueObjection {
                number: o.number.clone(),
                department: d.name.clone(),
                state: o.state.label().to_string(),
                deadline: o.deadline.map(format_date_cn).unwrap_or_default(),
            });
        }
        departments.push(ObjectionOversightLine {
            department: d.name.clone(),
            open: mine.len(),
            overdue: overdue_here.len(),
        });
    }
    let view_data = staff.view();
    Ok(render(StatusCode::OK, "异议督办", move || {
        view! { <ObjectionOversightPage staff=view_data departments overdue=late/> }.into_any()
    }))
}
