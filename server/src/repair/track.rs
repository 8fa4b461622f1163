//! `/repair/track`: the status page behind an application number and its
//! tracking code, and withdrawal. Wrong answers are counted per client and
//! limited; the message never tells whether a number exists.

use app::domain::privacy_notice::{ConsentPurpose, NoticeForm};
use app::domain::repair_application::{
    check_file_count, constant_time_eq, mask_mobile, normalize_tracking_code, Action,
    ApplicationNumber, ApplicationState, EvidenceKind,
};
use app::domain::working_days::{deadline_note, HolidayCalendar};
use app::model::ConsentSummary;
use app::pages::document::render_document;
use app::pages::repair::forms::FieldError;
use app::pages::repair::track::{StatusPage, StatusView, TimelineEntry, TrackForm};
use app::store::repair::{NewEvent, StoredApplication};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::RepairState;
use crate::http::client::{client_of, ClientAddr};
use crate::http::error::{Area, HandlerError};
use crate::http::forms::{page, same_origin};
use crate::http::tokens::sha256_hex;

/// Wrong number/code pairs a client may send per window before 429.
const MAX_FAILURES: u32 = 10;
const WINDOW_MINUTES: i64 = 15;

const WRONG: &str = "申请编号或查询码不正确，请核对后重新输入（查询码不区分大小写）";

fn form_page(status: StatusCode, number: String, errors: Vec<FieldError>) -> Response {
    page(
        status,
        render_document(None, "查询办理进度", move || {
            view! { <TrackForm number errors/> }.into_any()
        }),
    )
}

pub async fn form() -> Response {
    form_page(StatusCode::OK, String::new(), vec![])
}

/// The tracking page as an area of the site: a failure is shown on the
/// lookup form.
pub struct Track;

impl Area for Track {
    const NAME: &'static str = "repair tracking";
    fn failure_page() -> Response {
        form_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            String::new(),
            vec![FieldError::new("number", "系统繁忙，请稍后再试")],
        )
    }
}

type Halt = HandlerError<Track>;
type Handled = crate::http::error::Handled<Track>;

#[derive(Deserialize)]
pub struct TrackRequest {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    confirm: String,
}

/// Verifies number + code; `Err` is the response to send.
async fn verify(
    state: &RepairState,
    client: &str,
    req: &TrackRequest,
) -> Result<StoredApplication, Halt> {
    let now = Utc::now();
    let since = now - chrono::Duration::minutes(WINDOW_MINUTES);
    let failures = state.repairs.tracking_failures_since(client, since).await?;
    if failures >= MAX_FAILURES {
        return Err(form_page(
            StatusCode::TOO_MANY_REQUESTS,
            req.number.clone(),
            vec![FieldError::new(
                "number",
                format!("查询失败次数过多，请 {WINDOW_MINUTES} 分钟后再试"),
            )],
        )
        .into());
    }
    let mut errors = Vec::new();
    let number = ApplicationNumber::parse(&req.number);
    if let Err(m) = &number {
        errors.push(FieldError {
            field: "number",
            message: m.clone(),
        });
    }
    let code = normalize_tracking_code(&req.code);
    if code.is_none() {
        errors.push(FieldError::new(
            "code",
            "查询码应为 12 位字母和数字（不含 0、1、I、L、O），请核对后重新输入",
        ));
    }
    if !errors.is_empty() {
        return Err(form_page(StatusCode::BAD_REQUEST, req.number.clone(), errors).into());
    }
    let (Ok(number), Some(code)) = (number, code) else {
        return Err(form_page(StatusCode::BAD_REQUEST, req.number.clone(), vec![]).into());
    };
    let found = state.repairs.application_by_number(number.as_str()).await?;
    let given = sha256_hex(code.as_bytes());
    // Compare even when the number is unknown, so timing tells nothing.
    let stored = found
        .as_ref()
        .map(|a| a.tracking_hash.clone())
        .unwrap_or_else(|| "0".repeat(64));
    if let Some(app) = found.filter(|_| constant_time_eq(stored.as_bytes(), given.as_bytes())) {
        return Ok(app);
    }
    state
        .repairs
        .note_tracking_failure(client, now, since)
        .await?;
    Err(form_page(
        StatusCode::NOT_FOUND,
        req.number.clone(),
        vec![FieldError::new("number", WRONG)],
    )
    .into())
}

fn next_step(state: ApplicationState) -> &'static str {
    match state {
        ApplicationState::Submitted => "认定单位审核材料，作出受理决定或一次性告知需要补正的材料",
        ApplicationState::Accepted => "认定单位作出是否同意信用修复的决定",
        ApplicationState::NeedsSupplement => {
            "请按告知的内容补正材料（可携带申请编号到认定单位窗口办理）"
        }
        ApplicationState::Approved => "办理完毕：该信息已停止公示",
        ApplicationState::Rejected => "办理完毕：可按告知的救济途径申请行政复议或提起行政诉讼",
        ApplicationState::Withdrawn => "办理完毕：申请已撤回",
        ApplicationState::Voided => {
            "办理完毕：认定单位核实该申请并非信用主体本人或其代理人提出，已作废（理由见办理记录）。如有异议，请联系认定单位"
        }
    }
}

async fn status_response(
    state: &RepairState,
    app: StoredApplication,
    code: &str,
    errors: Vec<FieldError>,
) -> Handled {
    let events = state.repairs.application_events(app.id).await?;
    let files = state.repairs.application_files(app.id).await?;
    let calendar = HolidayCalendar::new(state.repairs.calendar().await?);
    let doc_no = state
        .portal
        .store
        .penalty(app.record_id)
        .await?
        .map(|p| p.doc_no)
        .unwrap_or_default();
    let today = state.portal.today();
    let deadline = if app.state.is_open() {
        events.last().and_then(|e| e.deadline)
    } else {
        None
    };
    let note = deadline.map(|d| deadline_note(&calendar, today, d));
    let overdue = note.as_ref().is_some_and(|n| n.0);
    let remaining = note.map(|n| n.1);
    let supplement_request = (app.state == ApplicationState::NeedsSupplement).then(|| {
        events
            .iter()
            .rev()
            .find_map(|e| e.reason.clone())
            .unwrap_or_default()
    });
    let timeline = events.into_iter().map(TimelineEntry::from).collect();
    let consents = ConsentSummary::of(&state.consents.consents(NoticeForm::Repair, app.id).await?);
    let can_withdraw = app.state.is_open();
    let status = StatusView {
        number: app.number.clone(),
        state: app.state.label().to_string(),
        record_doc_no: doc_no,
        contact_phone: if app.contact_phone.is_empty() {
            app::store::consent::DELETED_NAME.to_string()
        } else {
            mask_mobile(&app.contact_phone)
        },
        timeline,
        next_step: next_step(app.state).to_string(),
        deadline,
        remaining,
        overdue,
        can_withdraw,
        tracking_code: Some(code.to_string()),
        files: files
            .into_iter()
            .map(|f| format!("{}：{}", f.evidence_kind.label(), f.display_name))
            .collect(),
        supplement_request,
        evidence_options: EvidenceKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        consents,
        errors,
    };
    let status_code = if status.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut response = page(
        status_code,
        render_document(None, "办理进度", move || {
            view! { <StatusPage status/> }.into_any()
        }),
    );
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

pub async fn lookup(
    State(state): State<RepairState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(req): Form<TrackRequest>,
) -> Handled {
    same_origin(&headers)?;
    let client = client_of(addr);
    let app = verify(&state, &client, &req).await?;
    let code = normalize_tracking_code(&req.code).unwrap_or_default();
    status_response(&state, app, &code, vec![]).await
}

pub async fn withdraw(
    State(state): State<RepairState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(req): Form<TrackRequest>,
) -> Handled {
    same_origin(&headers)?;
    let client = client_of(addr);
    let app = verify(&state, &client, &req).await?;
    let code = normalize_tracking_code(&req.code).unwrap_or_default();
    if req.confirm != "yes" {
        // Nothing changes; the page says what is missing.
        let mut response = status_response(&state, app, &code, vec![]).await?;
        *response.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(response);
    }
    let event = NewEvent {
        actor: "applicant",
        action: Action::Withdraw,
        reason: Some("申请人撤回申请".into()),
        remedies: None,
        deadline: None,
        at: Utc::now(),
    };
    state
        .repairs
        .apply_action(app.id, app.state, &event, &[])
        .await?;
    refreshed(&state, &app.number, &code).await
}

/// The applicant withdraws the SMS consent: as easily as it was given, one
/// button on the status page (behind the same number and code, with the
/// same limit on wrong ones). Withdrawing twice changes nothing more.
pub async fn sms_withdraw(
    State(state): State<RepairState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(req): Form<TrackRequest>,
) -> Handled {
    same_origin(&headers)?;
    let client = client_of(addr);
    let app = verify(&state, &client, &req).await?;
    let code = normalize_tracking_code(&req.code).unwrap_or_default();
    if state
        .consents
        .withdraw_consent(
            NoticeForm::Repair,
            app.id,
            ConsentPurpose::Sms,
            Utc::now(),
            "web",
        )
        .await?
    {
        tracing::info!(application.number = %app.number, "sms consent withdrawn");
    }
    refreshed(&state, &app.number, &code).await
}

/// The applicant answers a request to supplement: an explanation and files.
pub async fn supplement(
    State(state): State<RepairState>,
    addr: ClientAddr,
    headers: HeaderMap,
    mut multipart: axum::extract::Multipart,
) -> Handled {
    same_origin(&headers)?;
    let client = client_of(addr);
    // Text fields come first in the form; files are streamed to disk as
    // they arrive and recorded only if everything is accepted.
    let mut req = TrackRequest {
        number: String::new(),
        code: String::new(),
        confirm: String::new(),
    };
    let mut text = String::new();
    let mut kind = EvidenceKind::FulfilmentProof;
    let mut files = Vec::new();
    let mut file_error: Option<String> = None;
    let mut app: Option<StoredApplication> = None;
    let mut already: u64 = 0;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "malformed supplement form");
                file_error =
                    Some("上传未完成或文件过大（每个文件不超过 10 MB），请重新提交。".into());
                break;
            }
        };
        match field.name().unwrap_or("") {
            "number" => req.number = field.text().await.unwrap_or_default(),
            "code" => req.code = field.text().await.unwrap_or_default(),
            "supplement_text" => text = field.text().await.unwrap_or_default(),
            "evidence_kind" => {
                let code = field.text().await.unwrap_or_default();
                kind = EvidenceKind::from_code(code.trim()).unwrap_or(kind);
            }
            "file" => {
                if app.is_none() {
                    let a = verify(&state, &client, &req).await?;
                    let existing = state
                        .repairs
                        .application_files(a.id)
                        .await
                        .unwrap_or_default();
                    already = existing.iter().map(|f| f.size_bytes).sum();
                    app = Some(a);
                }
                if field.file_name().unwrap_or("").is_empty() {
                    continue; // the file input was left empty
                }
                if let Err(m) = check_file_count(files.len()) {
                    file_error = Some(m);
                    break;
                }
                match super::uploads::receive(&state.uploads, field, kind, already).await {
                    Ok(f) => {
                        already += f.size_bytes;
                        files.push(f);
                    }
                    Err(refused) => {
                        file_error = Some(refused.0);
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    let app = match app {
        Some(a) => a,
        None => verify(&state, &client, &req).await?,
    };
    let code = normalize_tracking_code(&req.code).unwrap_or_default();
    let mut errors = Vec::new();
    if let Some(m) = file_error {
        errors.push(FieldError {
            field: "supplement_file",
            message: m,
        });
    }
    let text = text.trim().to_string();
    if text.is_empty() {
        errors.push(FieldError::new(
            "supplement_text",
            "请填写补正说明：说明补充了哪些材料或作了哪些更正",
        ));
    } else if text.chars().count() > 2000 {
        errors.push(FieldError::new(
            "supplement_text",
            "补正说明不超过 2000 字，请精简后重新提交",
        ));
    }
    if app.state != ApplicationState::NeedsSupplement {
        errors.push(FieldError::new(
            "supplement_text",
            format!("该申请当前状态为“{}”，无需补正", app.state.label()),
        ));
    }
    if !errors.is_empty() {
        discard(&state, files).await;
        return status_response(&state, app, &code, errors).await;
    }
    let deadline = super::deadline_after(&state, Some(Action::Supplement)).await?;
    let event = NewEvent {
        actor: "applicant",
        action: Action::Supplement,
        reason: Some(text),
        remedies: None,
        deadline,
        at: Utc::now(),
    };
    let applied = state
        .repairs
        .apply_action(app.id, ApplicationState::NeedsSupplement, &event, &files)
        .await;
    match applied {
        Ok(Some(_)) => refreshed(&state, &app.number, &code).await,
        Ok(None) => {
            discard(&state, files).await;
            Err(Halt::failed("state changed during supplement"))
        }
        Err(e) => {
            discard(&state, files).await;
            Err(e.into())
        }
    }
}

/// The status page of application `number` as it is now, after a change.
async fn refreshed(state: &RepairState, number: &str, code: &str) -> Handled {
    let Some(fresh) = state.repairs.application_by_number(number).await? else {
        return Err(Halt::failed("the application vanished after a change"));
    };
    status_response(state, fresh, code, vec![]).await
}

/// Deletes files received for a supplement that was not accepted.
async fn discard(state: &RepairState, files: Vec<app::store::repair::NewFile>) {
    for f in files {
        super::uploads::delete(&state.uploads, &f.stored_name).await;
    }
}
