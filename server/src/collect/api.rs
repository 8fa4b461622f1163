//! The push API for departments' systems: `POST /api/v1/collect/penalties`
//! with `Authorization: Bearer <key>` and `{"records": [{"CF_XDR_MC": …}]}`,
//! the same columns and checks as a sheet (`import::process_row`). The
//! accepted records of one request are written in one transaction;
//! delivering a document number again corrects the record (idempotent). The
//! answer says, record by record, what was taken and why the rest was
//! refused. Described at `GET /api/v1/openapi.json`.

use std::collections::HashMap;

use app::domain::collection::PENALTY_COLUMNS;
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

use super::import::{process_row, Mode, Outcome};
use crate::repair::http::{client_of, sha256_hex, ClientAddr};
use crate::staff::StaffState;
use crate::store::api_keys;
use crate::store::collect::load_context;
use crate::store::sqlite::db_err;

/// Records one request may carry.
pub const MAX_RECORDS: usize = 1000;

pub fn routes(state: StaffState) -> Router {
    Router::new()
        .route(
            "/api/v1/collect/penalties",
            post(push_penalties).layer(DefaultBodyLimit::max(8 * 1024 * 1024)),
        )
        .route("/api/v1/openapi.json", get(openapi))
        .with_state(state)
}

fn error(status: StatusCode, message: &str) -> Response {
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

pub async fn push_penalties(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Json<PushBody>, JsonRejection>,
) -> Response {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    if key.is_empty() {
        return error(
            StatusCode::UNAUTHORIZED,
            "缺少接口密钥：请在请求头 Authorization 中写 Bearer 密钥",
        );
    }
    let (department, key_name) =
        match api_keys::department_of(&state.records, &sha256_hex(key.as_bytes())).await {
            Ok(Some(found)) => found,
            Ok(None) => return error(StatusCode::UNAUTHORIZED, "接口密钥无效或已吊销"),
            Err(e) => {
                tracing::error!(error = %e, "api key lookup failed");
                return error(StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙，请稍后重试");
            }
        };
    let Json(body) = match body {
        Ok(b) => b,
        Err(rejection) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "请求体须为 JSON 对象 {{\"records\": [...]}}：{}",
                    rejection.body_text()
                ),
            )
        }
    };
    if body.records.is_empty() || body.records.len() > MAX_RECORDS {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("records 须包含 1 至 {MAX_RECORDS} 条记录"),
        );
    }
    let today = state.repair.portal.today();
    let result = async {
        let mut tx = state.records.write_tx().await.map_err(db_err)?;
        let ctx = load_context(&mut tx, department).await?;
        let mut seen = HashMap::new();
        let mut results = Vec::with_capacity(body.records.len());
        for (i, record) in body.records.iter().enumerate() {
            let value = |code: &str| {
                record
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(code))
                    .and_then(|(_, v)| cell(v))
            };
            let line = i as u64 + 1;
            results.push(
                process_row(&mut tx, &ctx, value, line, today, Mode::Commit, &mut seen).await?,
            );
        }
        tx.commit().await.map_err(db_err)?;
        Ok::<_, app::store::StoreError>(results)
    }
    .await;
    let results = match result {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "push failed");
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统繁忙，本次报送未写入，请稍后重试",
            );
        }
    };
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|r| f(&r.outcome)).count();
    let taken = count(|o| matches!(o, Outcome::Taken));
    let updated = count(|o| matches!(o, Outcome::Updated));
    let refused = count(|o| matches!(o, Outcome::Refused(_)));
    let entry = NewAuditEntry {
        at: chrono::Utc::now(),
        account_id: None,
        actor: format!("api:{key_name}"),
        action: AuditAction::ImportCommitted,
        target: format!("接口报送 {} 条", results.len()),
        purpose: format!("新增 {taken} 条，更正 {updated} 条，拒收 {refused} 条"),
        client: client_of(addr),
    };
    if let Err(e) = state.staff.append_audit(&entry).await {
        tracing::error!(error = %e, "push not registered");
    }
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
    Json(json!({
        "taken": taken,
        "updated": updated,
        "refused": refused,
        "results": items,
    }))
    .into_response()
}

/// The OpenAPI 3.1 description of the push API, built from the same column
/// list the checks use.
pub async fn openapi() -> Response {
    let properties: Map<String, Value> = PENALTY_COLUMNS
        .iter()
        .map(|c| {
            (
                c.code.to_string(),
                json!({ "type": ["string", "number", "null"], "description": c.name }),
            )
        })
        .collect();
    let required: Vec<&str> = PENALTY_COLUMNS
        .iter()
        .filter(|c| c.mandatory)
        .map(|c| c.code)
        .collect();
    Json(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "信用中国（黑龙江鹤岗）双公示报送接口",
            "version": "1",
            "description": "认定单位业务系统报送行政处罚信息。字段与表格导入相同（国家标准字段代码），校验规则相同；同一决定书文号再次报送即为更正。一次请求中被接收的记录在一个事务中写入。"
        },
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": { "key": { "type": "http", "scheme": "bearer", "description": "管理员签发的单位接口密钥" } },
            "schemas": {
                "Penalty": { "type": "object", "properties": properties, "required": required },
                "Result": {
                    "type": "object",
                    "properties": {
                        "index": { "type": "integer", "description": "记录在 records 中的位置（从 0 开始）" },
                        "doc_no": { "type": "string" },
                        "outcome": { "enum": ["taken", "updated", "refused"] },
                        "column": { "type": "string", "description": "拒收时：有问题的字段代码" },
                        "column_name": { "type": "string" },
                        "reason": { "type": "string", "description": "拒收原因及修改方法" },
                        "warnings": { "type": "array", "items": { "type": "string" } }
                    },
                    "required": ["index", "doc_no", "outcome", "warnings"]
                },
                "Error": { "type": "object", "properties": { "error": { "type": "string" } }, "required": ["error"] }
            }
        },
        "security": [{ "key": [] }],
        "paths": {
            "/api/v1/collect/penalties": {
                "post": {
                    "summary": "报送行政处罚信息",
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": {
                            "type": "object",
                            "properties": { "records": { "type": "array", "minItems": 1, "maxItems": MAX_RECORDS, "items": { "$ref": "#/components/schemas/Penalty" } } },
                            "required": ["records"]
                        } } }
                    },
                    "responses": {
                        "200": { "description": "逐条处理结果", "content": { "application/json": { "schema": {
                            "type": "object",
                            "properties": {
                                "taken": { "type": "integer" }, "updated": { "type": "integer" }, "refused": { "type": "integer" },
                                "results": { "type": "array", "items": { "$ref": "#/components/schemas/Result" } }
                            }
                        } } } },
                        "400": { "description": "请求格式有误", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                        "401": { "description": "缺少密钥，或密钥无效、已吊销", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                    }
                }
            }
        }
    }))
    .into_response()
}
