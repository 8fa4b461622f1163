//! The push API for departments' systems: `POST /api/v1/collect/penalties`
//! (and `/licenses`) with `Authorization: Bearer <push key>` (the key names
//! the department; a feed key is refused) and
//! `{"records": [{"CF_XDR_MC": …}]}` (`XK_…` for licences), the same
//! columns and checks as a sheet (`import::process_row`). The
//! accepted records of one request are written all or none (staged, then
//! published in one transaction, like a sheet's);
//! delivering a document number again corrects the record (idempotent). The
//! answer says, record by record, what was taken and why the rest was
//! refused. Described at `GET /api/v1/openapi.json`.

use app::domain::collection::SheetKind;
use app::domain::staff::AuditAction;
use app::store::staff::NewAuditEntry;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::import::{process_row, Delivery, Outcome, RowResult, Summary};
use crate::http::client::{client_of, ClientAddr};
use crate::http::error::{Area, HandlerError};
use crate::http::routes::Routes;
use crate::http::tokens::sha256_hex;
use crate::staff::StaffState;
use crate::store::delivery::Published;
use app::store::keys::{ActiveKey, Grant};
use app::store::StoreError;

/// Records one request may carry.
pub const MAX_RECORDS: usize = 1000;

/// Every route that needs a key. The router is built from this list, and
/// the tests walk it without one (`keyed_paths`).
fn keyed_routes() -> Routes<StaffState> {
    Routes::default()
        .route(
            "/api/v1/collect/penalties",
            post(push_penalties).layer(DefaultBodyLimit::max(8 * 1024 * 1024)),
        )
        .route(
            "/api/v1/collect/licenses",
            post(push_licenses).layer(DefaultBodyLimit::max(8 * 1024 * 1024)),
        )
        .route("/api/v1/feed/changes", get(super::feed::feed))
}

/// The paths of every keyed API route.
pub fn keyed_paths() -> Vec<&'static str> {
    keyed_routes().paths().to_vec()
}

pub fn routes(state: StaffState) -> Router {
    keyed_routes()
        .into_router()
        // The description of the API is public.
        .route("/api/v1/openapi.json", get(super::openapi::openapi))
        .with_state(state)
}

/// The keyed API as an area of the site: answers are JSON.
pub struct Api;

impl Area for Api {
    const NAME: &'static str = "keyed api";
    fn failure_page() -> Response {
        error(StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙，请稍后重试")
    }
}

/// Why a keyed API handler stopped early.
pub(crate) type Halt = HandlerError<Api>;
/// What a keyed API handler returns.
pub(crate) type Handled = crate::http::error::Handled<Api>;

/// A JSON refusal `{"error": message}`; a 401 says how to authenticate.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    let mut response = (status, Json(json!({ "error": message }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"collect\""),
        );
    }
    response
}

#[derive(Deserialize)]
pub struct PushBody {
    records: Vec<Map<String, Value>>,
}

/// A JSON value as the text a sheet cell would hold.
fn cell(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// The key in `Authorization: Bearer …`, or the 401 to answer.
pub(crate) fn bearer(headers: &HeaderMap) -> Result<&str, Box<Response>> {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    if key.is_empty() {
        return Err(Box::new(error(
            StatusCode::UNAUTHORIZED,
            "缺少接口密钥：请在请求头 Authorization 中写 Bearer 密钥",
        )));
    }
    Ok(key)
}

/// The active key the request carries, or the 401 to answer. What the key
/// may do is for the caller to check.
pub(super) async fn keyed(state: &StaffState, headers: &HeaderMap) -> Result<ActiveKey, Halt> {
    let key = bearer(headers).map_err(Halt::from)?;
    state
        .keys
        .active_key(&sha256_hex(key.as_bytes()))
        .await?
        .ok_or_else(|| error(StatusCode::UNAUTHORIZED, "接口密钥无效或已吊销").into())
}

pub async fn push_penalties(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Json<PushBody>, JsonRejection>,
) -> Handled {
    push(SheetKind::Penalty, state, addr, headers, body).await
}

pub async fn push_licenses(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Json<PushBody>, JsonRejection>,
) -> Handled {
    push(SheetKind::License, state, addr, headers, body).await
}

/// One push of `kind` records: checked and written like a sheet's rows,
/// all accepted ones or none.
async fn push(
    kind: SheetKind,
    state: StaffState,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Json<PushBody>, JsonRejection>,
) -> Handled {
    let key = keyed(&state, &headers).await?;
    // The department is the key's, never the request's: a system pushes
    // its own department's records only.
    let Grant::Push {
        department_id: department,
    } = key.grant
    else {
        return Ok(error(
            StatusCode::FORBIDDEN,
            "此密钥不是报送密钥，不能报送；报送须使用管理员为本单位签发的报送密钥",
        ));
    };
    let Json(body) = match body {
        Ok(b) => b,
        Err(rejection) => {
            return Ok(error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "请求体须为 JSON 对象 {{\"records\": [...]}}：{}",
                    rejection.body_text()
                ),
            ))
        }
    };
    if body.records.is_empty() || body.records.len() > MAX_RECORDS {
        return Ok(error(
            StatusCode::BAD_REQUEST,
            &format!("records 须包含 1 至 {MAX_RECORDS} 条记录"),
        ));
    }
    let today = state.repair.portal.today();
    let actor = format!("api:{}", key.name);
    let client = client_of(addr);
    let records = body.records;
    // The push runs to its end in a task of its own, like a sheet's commit:
    // a system that hangs up mid-way leaves it whole, logged and registered.
    let ended = super::to_the_end(move |watch| async move {
        let result = push_records(&state, kind, department, today, &actor, &records).await;
        let left = watch.gone();
        let note = if left {
            "；报送过程中客户端断开连接，报送照常执行完毕"
        } else {
            ""
        };
        let (action, purpose) = match &result {
            Ok(Ok((_, s))) => (
                AuditAction::ImportCommitted,
                format!(
                    "新增 {} 条，更正 {} 条，拒收 {} 条{note}",
                    s.taken, s.updated, s.refused
                ),
            ),
            Ok(Err(reason)) => (AuditAction::ImportFailed, format!("未入库：{reason}{note}")),
            Err(_) => (
                AuditAction::ImportFailed,
                format!("未入库：系统错误，未写入任何记录{note}"),
            ),
        };
        if let Err(e) = &result {
            tracing::error!(error = %e, "push failed");
        }
        if left {
            tracing::warn!(
                department,
                records = records.len(),
                "the client disconnected during a push; the push ran to its end"
            );
        }
        let entry = NewAuditEntry {
            at: chrono::Utc::now(),
            account_id: None,
            actor,
            action,
            target: format!("接口报送{} {} 条", kind.label(), records.len()),
            purpose,
            client,
        };
        if let Err(e) = state.staff.append_audit(&entry).await {
            tracing::error!(error = %e, "push not registered");
        }
        result
    })
    .await;
    let (results, summary) = match ended {
        Some(Ok(Ok(r))) => r,
        Some(Ok(Err(reason))) => {
            return Ok(error(
                StatusCode::CONFLICT,
                &format!("本次报送未写入：{reason}"),
            ))
        }
        // Logged in the task, with its cause.
        Some(Err(_)) | None => {
            return Ok(error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统繁忙，本次报送未写入，请稍后重试",
            ));
        }
    };
    let (taken, updated, refused) = (summary.taken, summary.updated, summary.refused);
    let items: Vec<Value> = results
        .into_iter()
        .map(|r| {
            let mut item = json!({
                "index": r.line - 1,
                "doc_no": r.doc_no,
                "warnings": r.warnings,
            });
            match r.outcome {
                Outcome::Taken => item["outcome"] = json!("taken"),
                Outcome::Updated => item["outcome"] = json!("updated"),
                Outcome::Refused(f) => {
                    item["outcome"] = json!("refused");
                    item["column"] = json!(f.column);
                    item["column_name"] = json!(f.column_name);
                    item["reason"] = json!(f.reason);
                }
            }
            item
        })
        .collect();
    Ok(Json(json!({
        "taken": taken,
        "updated": updated,
        "refused": refused,
        "results": items,
    }))
    .into_response())
}

/// Checks, stages and publishes one push in the department's turn: each
/// record's result and the counts, or the reason nothing was written.
async fn push_records(
    state: &StaffState,
    kind: SheetKind,
    department: i64,
    today: chrono::NaiveDate,
    actor: &str,
    records: &[Map<String, Value>],
) -> Result<Result<(Vec<RowResult>, Summary), String>, StoreError> {
    let store = state.deliveries.as_ref();
    let turn = store.turn(department).await?;
    let mut reads = store.reads(false).await?;
    let ctx = reads.context(department).await?;
    let staging = store.stage(&turn, kind, actor).await?;
    let mut delivery = Delivery::commit(kind, today, staging);
    let mut results = Vec::with_capacity(records.len());
    for (i, record) in records.iter().enumerate() {
        let value = |code: &str| {
            record
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(code))
                .and_then(|(_, v)| cell(v))
        };
        let line = i as u64 + 1;
        results.push(process_row(reads.as_mut(), &ctx, value, line, &mut delivery).await?);
    }
    let mut summary = Summary::default();
    for r in &results {
        summary.count(r);
    }
    let counts = summary.counts();
    Ok(match delivery.publish(&ctx, &counts, "api").await? {
        Published::Done(_) => Ok((results, summary)),
        Published::Refused(reason) => Err(reason),
    })
}
