//! The joint check for government systems (联合奖惩核查):
//! `POST /api/v1/check` and `POST /api/v1/check/{id}/feedback`, with a
//! check key issued to one department's system.
//!
//! The answer is exactly the subject's current serious-list entries and
//! the measures of the list the asking department applies to them
//! (`services::joint_check`), with a check id; no penalty, nothing
//! personal beyond what identifies the match. Every check is registered
//! with its purpose before it is answered (`register`, one transaction per
//! batch); feedback is taken once per measure and flagged when late.

pub mod cache;
pub mod openapi;
pub mod register;

use app::domain::joint_check::{is_check_id, is_late, CheckBody, CheckedSubject, FeedbackBody};
use app::domain::masking::public_name;
use app::domain::measure::MeasureVersion;
use app::domain::staff::AuditAction;
use app::store::keys::{ActiveKey, Grant};
use app::store::measures::{FedBack, NewCheck, NewFeedback, StoredFeedback};
use app::store::staff::NewAuditEntry;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::collect::api::{error, Handled};
use crate::http::client::{client_of, ClientAddr};
use crate::http::routes::Routes;
use crate::http::tokens::{random_hex, sha256_hex};
use crate::services::joint_check::{answer, AnsweredEntry};
use crate::staff::StaffState;

pub use cache::CheckCaches;
pub use register::CheckRegister;

/// What the check endpoints keep between requests.
#[derive(Clone)]
pub struct Checks {
    pub caches: CheckCaches,
    pub register: CheckRegister,
}

impl Checks {
    /// Starts the register's writer on the current runtime.
    pub fn start(measures: std::sync::Arc<dyn app::store::MeasureStore>) -> Self {
        Checks {
            caches: CheckCaches::default(),
            register: CheckRegister::start(measures),
        }
    }
}

/// Largest request body: a check is a few hundred bytes, feedback a few
/// kilobytes.
const MAX_BODY: usize = 256 * 1024;

fn keyed_routes() -> Routes<StaffState> {
    Routes::default()
        .route(
            "/api/v1/check",
            post(check).layer(DefaultBodyLimit::max(MAX_BODY)),
        )
        .route(
            "/api/v1/check/{id}/feedback",
            post(feedback).layer(DefaultBodyLimit::max(MAX_BODY)),
        )
}

/// The paths of the check API (all keyed).
pub fn keyed_paths() -> Vec<&'static str> {
    keyed_routes().paths().to_vec()
}

pub fn routes(state: StaffState) -> Router {
    keyed_routes().into_router().with_state(state)
}

/// A refusal naming each field: `{"error": …, "fields": [{field, message}]}`.
fn field_errors(errors: Vec<(String, String)>) -> Response {
    let summary = errors
        .iter()
        .map(|(_, m)| m.as_str())
        .collect::<Vec<_>>()
        .join("；");
    let fields: Vec<Value> = errors
        .iter()
        .map(|(f, m)| json!({ "field": f, "message": m }))
        .collect();
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": summary, "fields": fields })),
    )
        .into_response()
}

fn bad_json(rejection: &JsonRejection, shape: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        &format!("请求体须为 JSON 对象 {shape}：{}", rejection.body_text()),
    )
}

/// The check key the request carries (cached), or the answer to give.
async fn check_key(state: &StaffState, headers: &HeaderMap) -> Result<ActiveKey, Response> {
    let key = crate::collect::api::bearer(headers).map_err(|r| *r)?;
    let found = state
        .checks
        .caches
        .key(state.keys.clone(), sha256_hex(key.as_bytes()))
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "check key not looked up");
            error(StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙，请稍后重试")
        })?;
    let Some(key) = found else {
        return Err(error(StatusCode::UNAUTHORIZED, "接口密钥无效或已吊销"));
    };
    if !matches!(key.grant, Grant::Check { .. }) {
        return Err(error(
            StatusCode::FORBIDDEN,
            "此密钥不是联合奖惩核查密钥：核查和反馈须使用管理员为本单位审批系统签发的联合奖惩核查密钥",
        ));
    }
    Ok(key)
}

fn measure_json(m: &MeasureVersion) -> Value {
    json!({
        "code": m.code,
        "version": m.version,
        "name": m.name,
        "class": m.class.code(),
        "class_name": m.class.label(),
        "effect": m.effect,
        "basis": {
            "law": m.basis.law,
            "article": m.basis.article,
            "paragraph": m.basis.paragraph,
            "text": m.basis.text,
        },
        "implementer": m.implementer,
    })
}

fn entry_json(e: &AnsweredEntry) -> Value {
    json!({
        "entry_id": e.entry.id,
        "list": e.entry.list_name,
        "domain": e.entry.domain_code,
        "department": e.entry.department,
        "decision_no": e.entry.doc_no,
        "listed_on": e.entry.listed_on,
        "until": e.entry.until,
        "measures": e.measures,
    })
}

fn internal(err: impl std::fmt::Display) -> Response {
    tracing::error!(error = %err, "joint check failed");
    error(StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙，请稍后重试")
}

/// `POST /api/v1/check`.
pub async fn check(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Json<CheckBody>, JsonRejection>,
) -> Handled {
    // Who asks comes first: a stranger learns nothing from how its
    // request is judged.
    let key = match check_key(&state, &headers).await {
        Ok(k) => k,
        Err(refusal) => return Ok(refusal),
    };
    let department_id = key.grant.department_id().unwrap_or_default();
    let Json(body) =
        match body {
            Ok(b) => b,
            Err(rejection) => return Ok(bad_json(
                &rejection,
                "{\"credit_code\" 或 \"id_number\", \"matter_code\", \"matter_name\", \"purpose\"}",
            )),
        };
    let request = match body.check() {
        Ok(r) => r,
        Err(errors) => {
            return Ok(field_errors(
                errors
                    .into_iter()
                    .map(|(f, m)| (f.to_string(), m))
                    .collect(),
            ))
        }
    };
    let today = state.repair.portal.today();
    let snapshot = state
        .checks
        .caches
        .snapshot(state.measures.clone(), state.repair.repairs.clone())
        .await
        .map_err(internal);
    let snapshot = match snapshot {
        Ok(s) => s,
        Err(r) => return Ok(r),
    };
    let (code, id_number) = match &request.subject {
        CheckedSubject::CreditCode(c) => (Some(c.as_str()), None),
        CheckedSubject::IdNumber(n) => (None, Some(n.as_str())),
    };
    let found = state
        .measures
        .checked_subject(code, id_number, today)
        .await?;
    let answered = answer(found.as_ref(), &snapshot.current, department_id, today);
    let now = chrono::Utc::now();
    let check_id = match random_hex(10) {
        Ok(hex) => format!("JC{}", hex.to_ascii_uppercase()),
        Err(err) => return Ok(internal(err)),
    };
    let identifier = request.subject.registered();
    let outcome = if answered.listed() {
        format!(
            "列入 {} 个名单，提示措施 {} 项",
            answered.entries.len(),
            answered.measures.len()
        )
    } else {
        "未列入严重失信主体名单".to_string()
    };
    let registered = NewCheck {
        id: check_id.clone(),
        key_id: key.id,
        department_id,
        subject_id: found.as_ref().map(|(s, _)| s.id),
        identifier: identifier.clone(),
        matter_code: request.matter_code.clone(),
        matter_name: request.matter_name.clone(),
        purpose: request.purpose.clone(),
        at: now,
        on: today,
        entries: answered.entries.iter().map(|e| e.entry.id).collect(),
        measures: answered
            .measures
            .iter()
            .map(|m| (m.code.clone(), m.id))
            .collect(),
        audit: NewAuditEntry {
            at: now,
            account_id: None,
            actor: format!("api:{}", key.name),
            action: AuditAction::JointCheck,
            target: format!("核查 {check_id}：{identifier}"),
            purpose: format!(
                "{}（事项 {} {}）；结果：{outcome}",
                request.purpose, request.matter_code, request.matter_name
            ),
            client: client_of(addr),
        },
    };
    // Registered before the answer leaves: a check that cannot be
    // registered is not answered.
    if let Err(err) = state.checks.register.record(registered).await {
        return Ok(internal(err));
    }
    let due = snapshot
        .calendar
        .add_working_days(today, snapshot.feedback_days);
    let subject = found.as_ref().filter(|_| answered.listed()).map(|(s, _)| {
        // The name as the public list shows it (a person's masked).
        json!({
            "name": public_name(s.kind, &s.name, s.representative.as_deref()),
            "kind": s.kind.code(),
        })
    });
    let message = if answered.listed() {
        format!(
            "该主体在核查日（{today}）被列入 {} 个严重失信主体名单；本单位应依法实施所列 {} 项惩戒措施，或说明不实施的理由，并于 {due} 前反馈实施情况。",
            answered.entries.len(),
            answered.measures.len()
        )
    } else {
        format!("该主体在核查日（{today}）未被列入严重失信主体名单。")
    };
    let mut body = json!({
        "check_id": check_id,
        "checked_at": now,
        "checked_on": today,
        "identifier": identifier,
        "listed": answered.listed(),
        "message": message,
        "subject": subject,
        "entries": answered.entries.iter().map(entry_json).collect::<Vec<_>>(),
        "measures": answered.measures.iter().map(measure_json).collect::<Vec<_>>(),
    });
    if answered.listed() && !answered.measures.is_empty() {
        body["feedback_due"] = json!(due);
    }
    Ok((StatusCode::OK, Json(body)).into_response())
}

/// `POST /api/v1/check/{id}/feedback`.
pub async fn feedback(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<FeedbackBody>, JsonRejection>,
) -> Handled {
    let key = match check_key(&state, &headers).await {
        Ok(k) => k,
        Err(refusal) => return Ok(refusal),
    };
    let department_id = key.grant.department_id().unwrap_or_default();
    let not_found = || {
        error(
            StatusCode::NOT_FOUND,
            "未找到该核查：请核对核查编号（check_id）；只能反馈本单位的核查",
        )
    };
    if !is_check_id(&id) {
        return Ok(not_found());
    }
    // Another department's check is answered as one that does not exist.
    let Some(stored) = state
        .measures
        .check(&id)
        .await?
        .filter(|c| c.department_id == department_id)
    else {
        return Ok(not_found());
    };
    let Json(body) = match body {
        Ok(b) => b,
        Err(rejection) => {
            return Ok(bad_json(
                &rejection,
                "{\"measures\": [{\"measure\", \"applied\", \"reason\"}], \"outcome\", \"operator_department\"}",
            ))
        }
    };
    if stored.measures.is_empty() {
        return Ok(error(
            StatusCode::CONFLICT,
            "本次核查未列出惩戒措施，无需反馈",
        ));
    }
    let today = state.repair.portal.today();
    let checked_on = stored.on;
    let answered: Vec<String> = stored.measures.iter().map(|m| m.code.clone()).collect();
    let checked = match body.check(&answered, checked_on, today.max(checked_on)) {
        Ok(f) => f,
        Err(errors) => return Ok(field_errors(errors)),
    };
    if let Some(done) = checked.items.iter().find(|i| {
        stored
            .measures
            .iter()
            .any(|m| m.code == i.measure && m.feedback.is_some())
    }) {
        return Ok(already(&done.measure));
    }
    let snapshot = match state
        .checks
        .caches
        .snapshot(state.measures.clone(), state.repair.repairs.clone())
        .await
    {
        Ok(s) => s,
        Err(err) => return Ok(internal(err)),
    };
    let due = snapshot
        .calendar
        .add_working_days(checked_on, snapshot.feedback_days);
    let late = is_late(due, today);
    let now = chrono::Utc::now();
    let items = checked
        .items
        .iter()
        .map(|i| {
            (
                i.measure.clone(),
                StoredFeedback {
                    applied: i.applied,
                    reason: i.reason.clone(),
                    outcome: checked.outcome.clone(),
                    operator_department: checked.operator_department.clone(),
                    decided_on: checked.decided_on,
                    received_at: now,
                    late,
                },
            )
        })
        .collect::<Vec<_>>();
    let summary = checked
        .items
        .iter()
        .map(|i| {
            format!(
                "{}：{}",
                i.measure,
                if i.applied { "已实施" } else { "未实施" }
            )
        })
        .collect::<Vec<_>>()
        .join("，");
    let stored_feedback = NewFeedback {
        check_id: stored.id.clone(),
        items,
        audit: NewAuditEntry {
            at: now,
            account_id: None,
            actor: format!("api:{}", key.name),
            action: AuditAction::CheckFeedback,
            target: format!("核查 {}", stored.id),
            purpose: format!(
                "{}；办理结果：{}（{}）{}",
                summary,
                checked.outcome,
                checked.operator_department,
                if late { "；逾期反馈" } else { "" }
            ),
            client: client_of(addr),
        },
    };
    match state.measures.record_feedback(&stored_feedback).await? {
        FedBack::Stored => {}
        FedBack::Already(code) => return Ok(already(&code)),
    }
    let left: Vec<&str> = stored
        .measures
        .iter()
        .filter(|m| m.feedback.is_none() && !checked.items.iter().any(|i| i.measure == m.code))
        .map(|m| m.code.as_str())
        .collect();
    Ok((
        StatusCode::OK,
        Json(json!({
            "check_id": stored.id,
            "accepted": checked.items.len(),
            "late": late,
            "due": due,
            "awaiting": left,
            "message": if late {
                format!("已收到反馈。反馈期限为 {due}，本次反馈已逾期，将计入逾期反馈统计。")
            } else {
                "已收到反馈。".to_string()
            },
        })),
    )
        .into_response())
}

fn already(code: &str) -> Response {
    error(
        StatusCode::CONFLICT,
        &format!("措施“{code}”已经反馈过，每项措施只能反馈一次；本次反馈未写入"),
    )
}
