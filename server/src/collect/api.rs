//! The push API for departments' systems: `POST /api/v1/collect/penalties`
//! (and `/licenses`) with `Authorization: Bearer <key>` and
//! `{"records": [{"CF_XDR_MC": …}]}` (`XK_…` for licences), the same
//! columns and checks as a sheet (`import::process_row`). The
//! accepted records of one request are written in one transaction;
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

use super::import::{process_row, Delivery, Mode, Outcome, Summary};
use crate::http::client::{client_of, ClientAddr};
use crate::repair::http::sha256_hex;
use crate::staff::StaffState;
use crate::store::api_keys;
use crate::store::collect::{load_context, record_delivery};
use crate::store::sqlite::db_err;

/// Records one request may carry.
pub const MAX_RECORDS: usize = 1000;

pub fn routes(state: StaffState) -> Router {
    Router::new()
        .route(
            "/api/v1/collect/penalties",
            post(push_penalties).layer(DefaultBodyLimit::max(8 * 1024 * 1024)),
        )
        .route(
            "/api/v1/collect/licenses",
            post(push_licenses).layer(DefaultBodyLimit::max(8 * 1024 * 1024)),
        )
        .route("/api/v1/feed/changes", get(feed))
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

/// The department and name of the active key the request carries, or the
/// 401 to answer.
async fn keyed(state: &StaffState, headers: &HeaderMap) -> Result<(i64, String), Response> {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    if key.is_empty() {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "缺少接口密钥：请在请求头 Authorization 中写 Bearer 密钥",
        ));
    }
    match api_keys::department_of(&state.records, &sha256_hex(key.as_bytes())).await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(error(StatusCode::UNAUTHORIZED, "接口密钥无效或已吊销")),
        Err(e) => {
            tracing::error!(error = %e, "api key lookup failed");
            Err(error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统繁忙，请稍后重试",
            ))
        }
    }
}

pub async fn push_penalties(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Json<PushBody>, JsonRejection>,
) -> Response {
    push(SheetKind::Penalty, state, addr, headers, body).await
}

pub async fn push_licenses(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Json<PushBody>, JsonRejection>,
) -> Response {
    push(SheetKind::License, state, addr, headers, body).await
}

/// One push of `kind` records: checked and written like a sheet's rows,
/// all accepted ones in one transaction.
async fn push(
    kind: SheetKind,
    state: StaffState,
    addr: ClientAddr,
    headers: HeaderMap,
    body: Result<Json<PushBody>, JsonRejection>,
) -> Response {
    let (department, key_name) = match keyed(&state, &headers).await {
        Ok(k) => k,
        Err(r) => return r,
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
    let actor = format!("api:{key_name}");
    let result = async {
        let mut tx = state.records.write_tx().await.map_err(db_err)?;
        let ctx = load_context(&mut tx, department).await?;
        let mut delivery = Delivery::new(kind, today, Mode::Commit, &actor);
        let mut results = Vec::with_capacity(body.records.len());
        for (i, record) in body.records.iter().enumerate() {
            let value = |code: &str| {
                record
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(code))
                    .and_then(|(_, v)| cell(v))
            };
            let line = i as u64 + 1;
            results.push(process_row(&mut tx, &ctx, value, line, &mut delivery).await?);
        }
        let mut summary = Summary::default();
        for r in &results {
            summary.count(r);
        }
        let counts = summary.counts();
        record_delivery(&mut tx, &mut delivery.batch, department, "api", &counts).await?;
        tx.commit().await.map_err(db_err)?;
        Ok::<_, app::store::StoreError>((results, summary))
    }
    .await;
    let (results, summary) = match result {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "push failed");
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "系统繁忙，本次报送未写入，请稍后重试",
            );
        }
    };
    let (taken, updated, refused) = (summary.taken, summary.updated, summary.refused);
    let entry = NewAuditEntry {
        at: chrono::Utc::now(),
        account_id: None,
        actor,
        action: AuditAction::ImportCommitted,
        target: format!("接口报送{} {} 条", kind.label(), results.len()),
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

#[derive(Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    after: i64,
    #[serde(default)]
    limit: Option<i64>,
}

/// The export feed for the provincial platform: every change to a record
/// (new, corrected, ended, repaired) after the cursor `after`, oldest
/// first, as JSON lines. The last line's `id` is the next cursor, also in
/// the `X-Next-Cursor` header; reading again from it resumes exactly.
pub async fn feed(
    State(state): State<StaffState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<FeedQuery>,
) -> Response {
    if let Err(r) = keyed(&state, &headers).await {
        return r;
    }
    let limit = q.limit.unwrap_or(1000).clamp(1, 10_000);
    let rows = sqlx::query(
        "select c.id, c.at, c.record_kind, c.record_id, c.department_id, c.change, c.before, c.after,
                coalesce(p.doc_no, l.doc_no, s.doc_no)
         from record_changes c
         left join penalties p on c.record_kind = 'penalty' and p.id = c.record_id
         left join licenses l on c.record_kind = 'license' and l.id = c.record_id
         left join serious_entries s on c.record_kind = 'serious' and s.id = c.record_id
         where c.id > ? order by c.id limit ?",
    )
    .bind(q.after)
    .bind(limit)
    .fetch_all(state.records.pool())
    .await;
    let rows = match rows {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "feed failed");
            return error(StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙，请稍后重试");
        }
    };
    use sqlx::Row;
    let parse = |v: Option<String>| v.and_then(|t| serde_json::from_str::<Value>(&t).ok());
    let mut next = q.after;
    let mut body = String::new();
    for r in rows {
        let id: i64 = r.get(0);
        next = id;
        let line = json!({
            "id": id,
            "at": r.get::<String, _>(1),
            "record_kind": r.get::<String, _>(2),
            "record_id": r.get::<i64, _>(3),
            "department_id": r.get::<Option<i64>, _>(4),
            "change": r.get::<String, _>(5),
            "doc_no": r.get::<Option<String>, _>(8),
            "before": parse(r.get(6)),
            "after": parse(r.get(7)),
        });
        body.push_str(&line.to_string());
        body.push('\n');
    }
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    if let Ok(v) = HeaderValue::from_str(&next.to_string()) {
        h.insert(header::HeaderName::from_static("x-next-cursor"), v);
    }
    response
}

/// The OpenAPI 3.1 description of the push API, built from the same column
/// list the checks use.
pub async fn openapi() -> Response {
    let schema = |kind: SheetKind| {
        let properties: Map<String, Value> = kind
            .columns()
            .iter()
            .map(|c| {
                (
                    c.code.to_string(),
                    json!({ "type": ["string", "number", "null"], "description": c.name }),
                )
            })
            .collect();
        let required: Vec<&str> = kind
            .columns()
            .iter()
            .filter(|c| c.mandatory)
            .map(|c| c.code)
            .collect();
        json!({ "type": "object", "properties": properties, "required": required })
    };
    let push_path = |kind: SheetKind, schema_name: &str| {
        json!({
            "post": {
                "summary": format!("报送{}信息", kind.label()),
                "requestBody": {
                    "required": true,
                    "content": { "application/json": { "schema": {
                        "type": "object",
                        "properties": { "records": { "type": "array", "minItems": 1, "maxItems": MAX_RECORDS, "items": { "$ref": format!("#/components/schemas/{schema_name}") } } },
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
        })
    };
    Json(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "信用中国（黑龙江鹤岗）双公示报送接口",
            "version": "1",
            "description": "认定单位业务系统报送行政处罚和行政许可信息。字段与表格导入相同（国家标准字段代码），校验规则相同；同一文书号再次报送即为更正。一次请求中被接收的记录在一个事务中写入。"
        },
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": { "key": { "type": "http", "scheme": "bearer", "description": "管理员签发的单位接口密钥" } },
            "schemas": {
                "Penalty": schema(SheetKind::Penalty),
                "License": schema(SheetKind::License),
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
            "/api/v1/feed/changes": {
                "get": {
                    "summary": "记录变动（新增、更正、公示期满、信用修复），按序号从游标之后读取",
                    "parameters": [
                        { "name": "after", "in": "query", "schema": { "type": "integer", "minimum": 0 }, "description": "上次读到的最后一条的 id（首次为 0）" },
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 10000 } }
                    ],
                    "responses": {
                        "200": { "description": "每行一个 JSON 对象（id, at, record_kind, record_id, department_id, change, doc_no, before, after）；响应头 X-Next-Cursor 为下次的 after", "content": { "application/x-ndjson": {} } },
                        "401": { "description": "缺少密钥，或密钥无效、已吊销" }
                    }
                }
            },
            "/api/v1/collect/penalties": push_path(SheetKind::Penalty, "Penalty"),
            "/api/v1/collect/licenses": push_path(SheetKind::License, "License")
        }
    }))
    .into_response()
}
