//! Following an objection with its number and tracking code: every step
//! with its date, the deadline of the next, the written answer; sending
//! the supplement the department asked for; withdrawing. Wrong codes count
//! with the repair tracking's failures (one bound per client for every
//! code a stranger might guess), and the answer never says whether a
//! number exists.

use app::domain::objection::{reply_sections, ObjectionAction, ObjectionNumber, ObjectionState};
use app::domain::privacy_notice::{ConsentPurpose, NoticeForm};
use app::domain::publication::format_date_cn;
use app::domain::repair_application::{normalize_tracking_code, EvidenceKind};
use app::domain::serious_listing::constant_time_eq;
use app::domain::working_days::china_time_label;
use app::model::ConsentSummary;
use app::pages::document::render_document;
use app::pages::objection_page::{
    HistoryLine, ObjectedRecord, ObjectionStatus, ObjectionStatusPage, ObjectionTrackPage,
};
use app::pages::repair::forms::FieldError;
use app::store::objection::{ObjectionEvent, StoredObjection};
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::file::MAX_EXPLANATION;
use super::{objected, Halt, Handled};
use crate::http::client::{client_of, ClientAddr};
use crate::http::forms::{page, same_origin};
use crate::http::tokens::sha256_hex;
use crate::repair::uploads::Collected;
use crate::services::objection::{is_open, take, Refused, Step};
use crate::staff::StaffState;

/// Wrong codes a client may send per window before 429 (with the repair
/// tracking's: one count).
const MAX_FAILURES: u32 = 10;
const WINDOW_MINUTES: i64 = 15;

fn form_page(status: StatusCode, number: String, errors: Vec<FieldError>) -> Response {
    page(
        status,
        render_document(None, "查询异议办理进度", move || {
            view! { <ObjectionTrackPage number errors/> }.into_any()
        }),
    )
}

pub async fn form() -> Response {
    form_page(StatusCode::OK, String::new(), vec![])
}

#[derive(Deserialize)]
pub struct TrackPost {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
}

/// The objection behind `number` + `code`, or the page to send.
async fn verify(
    state: &StaffState,
    client: &str,
    number: &str,
    code: &str,
) -> Result<StoredObjection, Halt> {
    let repairs = &state.repair.repairs;
    let now = Utc::now();
    let since = now - chrono::Duration::minutes(WINDOW_MINUTES);
    if repairs.tracking_failures_since(client, since).await? >= MAX_FAILURES {
        return Err(form_page(
            StatusCode::TOO_MANY_REQUESTS,
            number.to_string(),
            vec![FieldError::new(
                "number",
                format!("查询失败次数过多，请 {WINDOW_MINUTES} 分钟后再试"),
            )],
        )
        .into());
    }
    let mut errors = Vec::new();
    let parsed = ObjectionNumber::parse(number);
    if let Err(m) = &parsed {
        errors.push(FieldError::new("number", m.clone()));
    }
    let normalized = normalize_tracking_code(code);
    if normalized.is_none() {
        errors.push(FieldError::new(
            "code",
            "查询码应为 12 位字母和数字（不含 0、1、I、L、O），请核对后重新输入",
        ));
    }
    let (Ok(parsed), Some(normalized)) = (parsed, normalized) else {
        return Err(form_page(StatusCode::BAD_REQUEST, number.to_string(), errors).into());
    };
    let found = state
        .objections
        .objection_by_number(parsed.as_str())
        .await?;
    let given = sha256_hex(normalized.as_bytes());
    // Compared even when the number is unknown, so timing tells nothing.
    let stored = found
        .as_ref()
        .map(|o| o.tracking_hash.clone())
        .unwrap_or_else(|| "0".repeat(64));
    if let Some(o) = found.filter(|_| constant_time_eq(stored.as_bytes(), given.as_bytes())) {
        return Ok(o);
    }
    repairs.note_tracking_failure(client, now, since).await?;
    Err(form_page(
        StatusCode::NOT_FOUND,
        parsed.as_str().to_string(),
        vec![FieldError::new(
            "code",
            "异议编号或查询码不正确，请核对后重新输入（查询码不区分大小写）",
        )],
    )
    .into())
}

/// Who took a step, as the objector and the department read it.
fn who(actor: &str) -> String {
    match actor {
        "objector" => "提出人".to_string(),
        "system" => "系统".to_string(),
        _ => "认定单位".to_string(),
    }
}

/// The history as pages show it. Staff usernames are shown to staff only.
pub(crate) fn history(events: &[ObjectionEvent], staff: bool) -> Vec<HistoryLine> {
    events
        .iter()
        .map(|e| {
            let what = match e.action {
                None => "提交异议".to_string(),
                Some(a) => a.label().to_string(),
            };
            let by = if staff && !matches!(e.actor.as_str(), "objector" | "system") {
                e.actor.clone()
            } else {
                who(&e.actor)
            };
            (
                china_time_label(e.at, false),
                by,
                what,
                e.text.clone(),
                e.deadline.map(format_date_cn),
            )
        })
        .collect()
}

/// The written answer, once decided or refused.
pub(crate) fn reply(o: &StoredObjection, events: &[ObjectionEvent]) -> Vec<(String, String)> {
    let last = events.last();
    let reasons = last.and_then(|e| e.text.clone()).unwrap_or_default();
    match o.state {
        ObjectionState::Decided(outcome) => reply_sections(outcome, &reasons)
            .into_iter()
            .map(|(h, b)| (h.to_string(), b))
            .collect(),
        ObjectionState::Refused => vec![
            ("处理结果".to_string(), "不予受理。".to_string()),
            ("理由".to_string(), reasons),
            (
                "救济途径".to_string(),
                app::domain::objection::OBJECTION_REMEDIES.to_string(),
            ),
        ],
        _ => vec![],
    }
}

/// The record line for an objection's pages (the record may no longer be
/// public: then it is named without a link's promise).
pub(crate) async fn record_of(
    state: &StaffState,
    o: &StoredObjection,
) -> Result<ObjectedRecord, app::store::StoreError> {
    Ok(match objected(state, o.record_kind, o.record_id).await? {
        Some(r) => r.line(),
        None => ObjectedRecord {
            key: String::new(),
            kind_label: o.record_kind.label().to_string(),
            subject_name: String::new(),
            doc_no: String::new(),
            authority: String::new(),
            href: "/".into(),
        },
    })
}

async fn status_page(
    state: &StaffState,
    status: StatusCode,
    o: &StoredObjection,
    code: String,
    text: String,
    notice: Option<String>,
    errors: Vec<FieldError>,
) -> Handled {
    let events = state.objections.objection_events(o.id).await?;
    let files = state
        .objections
        .objection_files(o.id)
        .await?
        .into_iter()
        .map(|f| format!("{}（{}）", f.display_name, f.evidence_kind.label()))
        .collect();
    let today = state.repair.portal.today();
    let supplement_request = is_open(o, today, ObjectionAction::Supplement)
        .then(|| {
            events
                .iter()
                .rev()
                .find(|e| e.action == Some(ObjectionAction::RequestSupplement))
                .and_then(|e| e.text.clone())
        })
        .flatten();
    let view_data = ObjectionStatus {
        number: o.number.clone(),
        state: o.state.label().to_string(),
        record: record_of(state, o).await?,
        grounds: o.grounds.iter().map(|g| g.label().to_string()).collect(),
        explanation: o.explanation.clone(),
        deadline: o
            .state
            .is_open()
            .then(|| o.deadline.map(format_date_cn))
            .flatten(),
        history: history(&events, false),
        reply: reply(o, &events),
        files,
        supplement_request,
        may_withdraw: is_open(o, today, ObjectionAction::Withdraw),
        consents: ConsentSummary::of(
            &state
                .repair
                .consents
                .consents(NoticeForm::Objection, o.id)
                .await?,
        ),
    };
    Ok(page(
        status,
        render_document(None, "异议办理进度", move || {
            view! { <ObjectionStatusPage status=view_data code text notice errors/> }.into_any()
        }),
    ))
}

pub async fn lookup(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<TrackPost>,
) -> Handled {
    same_origin(&headers)?;
    let o = verify(&state, &client_of(addr), &f.number, &f.code).await?;
    status_page(
        &state,
        StatusCode::OK,
        &o,
        f.code,
        String::new(),
        None,
        vec![],
    )
    .await
}

/// Reads `number` back after a step and shows it with `notice`.
async fn after_step(
    state: &StaffState,
    o: &StoredObjection,
    code: String,
    outcome: Result<ObjectionState, Refused>,
    done: &str,
    text: String,
) -> Handled {
    let fresh = state
        .objections
        .objection_by_number(&o.number)
        .await?
        .ok_or_else(|| Halt::failed("an objection vanished after a step"))?;
    match outcome {
        Ok(_) => {
            status_page(
                state,
                StatusCode::OK,
                &fresh,
                code,
                String::new(),
                Some(done.to_string()),
                vec![],
            )
            .await
        }
        Err(Refused::Rule(m)) => {
            status_page(
                state,
                StatusCode::BAD_REQUEST,
                &fresh,
                code,
                text,
                None,
                vec![FieldError::new("text", m)],
            )
            .await
        }
        Err(Refused::Stale(now)) => {
            let m = format!("该异议的状态已变为“{}”，请查看最新情况", now.label());
            status_page(
                state,
                StatusCode::CONFLICT,
                &fresh,
                code,
                text,
                None,
                vec![FieldError::new("text", m)],
            )
            .await
        }
    }
}

pub async fn withdraw(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<TrackPost>,
) -> Handled {
    same_origin(&headers)?;
    let o = verify(&state, &client_of(addr), &f.number, &f.code).await?;
    let outcome = take(
        crate::objections::stores(&state),
        &o,
        Step {
            action: ObjectionAction::Withdraw,
            text: "提出人撤回异议",
            actor: "objector",
            today: state.repair.portal.today(),
            now: Utc::now(),
            files: &[],
            audit: None,
        },
    )
    .await?;
    after_step(&state, &o, f.code, outcome, "已撤回异议。", String::new()).await
}

/// The objector withdraws the SMS consent: one button on the tracking page,
/// behind the same number, code and limit on wrong codes as every step.
/// Withdrawing twice changes nothing more.
pub async fn sms_withdraw(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<TrackPost>,
) -> Handled {
    same_origin(&headers)?;
    let o = verify(&state, &client_of(addr), &f.number, &f.code).await?;
    let withdrawn = state
        .repair
        .consents
        .withdraw_consent(
            NoticeForm::Objection,
            o.id,
            ConsentPurpose::Sms,
            Utc::now(),
            "web",
        )
        .await?;
    if withdrawn {
        tracing::info!(objection = %o.number, "sms consent withdrawn");
    }
    status_page(
        &state,
        StatusCode::OK,
        &o,
        f.code,
        String::new(),
        withdrawn.then(|| "已撤回短信通知同意，不再发送办理进度短信。".to_string()),
        vec![],
    )
    .await
}

/// The objector answers a request to supplement: an explanation and files.
pub async fn supplement(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Handled {
    same_origin(&headers)?;
    let client = client_of(addr);
    let (mut number, mut code, mut text) = (String::new(), String::new(), String::new());
    let mut found: Option<StoredObjection> = None;
    let mut collected = Collected::new(0);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "malformed objection supplement");
                collected.broken();
                break;
            }
        };
        match field.name().unwrap_or("") {
            "number" => number = field.text().await.unwrap_or_default(),
            "code" => code = field.text().await.unwrap_or_default(),
            "text" => text = field.text().await.unwrap_or_default(),
            "proof" => {
                // Nothing is stored for someone who has not shown the code.
                if found.is_none() {
                    let o = match verify(&state, &client, &number, &code).await {
                        Ok(o) => o,
                        Err(halt) => {
                            collected.discard(&state.repair.uploads).await;
                            return Err(halt);
                        }
                    };
                    // What was sent before counts against the total.
                    let before = state.objections.objection_files(o.id).await?;
                    collected = Collected::new(before.iter().map(|f| f.size_bytes).sum());
                    found = Some(o);
                }
                collected
                    .take(&state.repair.uploads, field, EvidenceKind::ObjectionProof)
                    .await;
            }
            _ => {}
        }
    }
    let o = match found {
        Some(o) => o,
        None => verify(&state, &client, &number, &code).await?,
    };
    let mut errors = Vec::new();
    if let Some(m) = &collected.error {
        errors.push(FieldError::new("proof", m.clone()));
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        errors.push(FieldError::new(
            "text",
            "请填写补正说明：补充了哪些材料或作了哪些更正",
        ));
    } else if trimmed.chars().count() > MAX_EXPLANATION {
        errors.push(FieldError::new(
            "text",
            format!("补正说明不超过 {MAX_EXPLANATION} 字，请精简后重新提交"),
        ));
    }
    if !errors.is_empty() {
        collected.discard(&state.repair.uploads).await;
        return status_page(
            &state,
            StatusCode::BAD_REQUEST,
            &o,
            code,
            text,
            None,
            errors,
        )
        .await;
    }
    let outcome = take(
        crate::objections::stores(&state),
        &o,
        Step {
            action: ObjectionAction::Supplement,
            text: trimmed,
            actor: "objector",
            today: state.repair.portal.today(),
            now: Utc::now(),
            files: &collected.files,
            audit: None,
        },
    )
    .await;
    match outcome {
        Ok(Ok(to)) => {
            after_step(
                &state,
                &o,
                code,
                Ok(to),
                "已提交补正材料，平台将重新审查是否受理。",
                String::new(),
            )
            .await
        }
        Ok(Err(refused)) => {
            collected.discard(&state.repair.uploads).await;
            after_step(&state, &o, code, Err(refused), "", text).await
        }
        Err(e) => {
            collected.discard(&state.repair.uploads).await;
            Err(e.into())
        }
    }
}
