//! The open-data API (`/api/v1/public/…`): the public pages' data as JSON,
//! for the systems that today scrape other sites past captchas.
//!
//! Every answer comes from the same functions the pages use
//! (`app::api::…::*_view`, `search_page`), so the masking, the "public
//! today" rule and the withdrawn records are the pages' own; the same
//! per-client limits apply (`limits::bucket`). Record fields are named by
//! their 双公示 column codes where the national standard has one.
//!
//! Lists page with an opaque cursor (`next_cursor`, passed back as
//! `cursor`). Every answer carries a strong `ETag` (of its body) and a
//! `Last-Modified` (the later of the last change to any record and the
//! start of today, when the "public today" rule last moved). A client
//! sending the ETag back (`If-None-Match`) gets 304 when the body is the
//! same. `If-Modified-Since` is not evaluated: an objection's mark or a
//! new measure version changes an answer without a record changing, and
//! only the ETag sees that. Errors are JSON `{"error": "中文说明"}` with
//! the page's status.

use std::sync::Arc;

use app::api::measures::measures_view;
use app::api::records::record_view;
use app::api::search::{search_page, MAX_PAGE};
use app::api::subjects::subject_view;
use app::api::transparency::{transparency_view, TransparencyView};
use app::api::PortalContext;
use app::domain::collection::SheetKind;
use app::domain::transparency::{CaseFigures, Figures, METHOD};
use app::error::AppError;
use app::model::{RecordKind, RecordView, SearchHit, SearchPage, SearchParams};
use app::store::FeedStore;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::http::tokens::sha256_hex;
use crate::store::refreshing::Refreshing;

/// What the open-data API reads.
#[derive(Clone)]
pub struct PublicApi {
    pub portal: PortalContext,
    pub feed: Arc<dyn FeedStore>,
    /// The last change's time, looked up at most once a second.
    last_change: Arc<Refreshing<(), Option<DateTime<Utc>>, u64>>,
}

impl PublicApi {
    pub fn new(portal: PortalContext, feed: Arc<dyn FeedStore>) -> Self {
        PublicApi {
            portal,
            feed,
            last_change: Refreshing::exact(1),
        }
    }
}

/// The routes, in the order the OpenAPI description lists them.
pub const PATHS: [&str; 6] = [
    "/api/v1/public/search",
    "/api/v1/public/records/{kind}/{id}",
    "/api/v1/public/subjects/{code}",
    "/api/v1/public/serious-list",
    "/api/v1/public/measures",
    "/api/v1/public/transparency",
];

pub fn routes(api: PublicApi) -> Router {
    Router::new()
        .route(PATHS[0], get(search))
        .route(PATHS[1], get(record))
        .route(PATHS[2], get(subject))
        .route(PATHS[3], get(serious_list))
        .route(PATHS[4], get(measures))
        .route(PATHS[5], get(transparency))
        // Any other address under the API is answered in the API's terms,
        // not with the site's HTML page.
        .route("/api/v1/{*rest}", axum::routing::any(no_such_operation))
        .with_state(api)
}

async fn no_such_operation() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "没有这个接口或信息：请核对地址；接口说明见 /api/v1/openapi.json",
    )
}

fn error(status: StatusCode, message: &str) -> Response {
    let mut r = (status, Json(json!({ "error": message }))).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn refusal(err: AppError) -> Response {
    if matches!(err, AppError::Internal) {
        tracing::error!("open-data API: internal error");
    }
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error(status, &err.to_string())
}

fn bad_query() -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "查询参数格式有误：每个参数只能出现一次，且须为文字",
    )
}

/// When the public data last changed: the last record change, or the
/// start of today (China time) if later — "public today" moves at midnight
/// without any record changing.
async fn last_modified(api: &PublicApi) -> Result<DateTime<Utc>, AppError> {
    let second = Utc::now().timestamp().max(0) as u64;
    let feed = api.feed.clone();
    let changed = api
        .last_change
        .get(
            (),
            second,
            move || async move { feed.last_change_at().await },
        )
        .await?;
    let today = app::domain::working_days::china_day_start(api.portal.today())
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    Ok(changed.map_or(today, |c| c.max(today)))
}

/// The answer `body` with its validators, or 304 when the client's copy
/// is current.
fn answer(headers: &HeaderMap, body: Value, modified: DateTime<Utc>) -> Response {
    let text = body.to_string();
    let etag = format!("\"{}\"", &sha256_hex(text.as_bytes())[..32]);
    let modified_text = modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.split(',').any(|x| x.trim() == etag || x.trim() == "*"));
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            text,
        )
            .into_response()
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&modified_text) {
        h.insert(header::LAST_MODIFIED, v);
    }
    // Cached copies are checked each time: the data are "public today".
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The page a cursor stands for: the cursor is opaque to clients; today
/// it is the page number, which the search's own bound limits.
fn page_of(cursor: Option<&str>) -> Result<String, AppError> {
    match cursor.map(str::trim) {
        None | Some("") => Ok(String::new()),
        Some(c) => c
            .strip_prefix('p')
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| (2..=MAX_PAGE).contains(n))
            .map(|n| n.to_string())
            .ok_or_else(|| {
                AppError::BadRequest(
                    "cursor（游标）无效：请使用上一页返回的 next_cursor，首页不传 cursor".into(),
                )
            }),
    }
}

fn next_cursor(page: &SearchPage) -> Value {
    if page.page < page.page_count() && page.page < MAX_PAGE {
        json!(format!("p{}", page.page + 1))
    } else {
        Value::Null
    }
}

fn record_path(kind: RecordKind, id: i64) -> String {
    let page = match kind {
        RecordKind::Penalty => "penalties",
        RecordKind::License => "licenses",
        RecordKind::Serious => "serious-list",
    };
    format!("/{page}/{id}")
}

fn hit_json(h: &SearchHit) -> Value {
    json!({
        "kind": h.kind.code(),
        "id": h.id,
        "name": h.name,
        "credit_code": h.credit_code,
        "doc_no": h.doc_no,
        "department": h.department,
        "decision_date": h.decision_date,
        "summary": h.summary,
        "page": record_path(h.kind, h.id),
        "json": format!("/api/v1/public/records/{}/{}", h.kind.code(), h.id),
    })
}

fn page_json(page: &SearchPage) -> Value {
    json!({
        "total": page.total,
        "total_exact": page.total_exact,
        "notice": page.notice,
        "items": page.hits.iter().map(hit_json).collect::<Vec<_>>(),
        "next_cursor": next_cursor(page),
    })
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    /// `type` as the search page's URL has it.
    #[serde(default, alias = "type")]
    kind: String,
    #[serde(default)]
    dept: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    cursor: Option<String>,
}

/// The page function's view as JSON with its validators, or its refusal.
async fn respond<T>(
    api: &PublicApi,
    headers: &HeaderMap,
    view: impl std::future::Future<Output = Result<T, AppError>>,
    json: impl FnOnce(&T) -> Value,
) -> Response {
    let result = async {
        let view = view.await?;
        let modified = last_modified(api).await?;
        Ok::<_, AppError>((view, modified))
    }
    .await;
    match result {
        Ok((view, modified)) => answer(headers, json(&view), modified),
        Err(err) => refusal(err),
    }
}

async fn run_search(api: &PublicApi, headers: &HeaderMap, params: SearchParams) -> Response {
    respond(api, headers, search_page(&api.portal, &params), page_json).await
}

/// `GET /api/v1/public/search`: the search page's results.
pub async fn search(
    State(api): State<PublicApi>,
    headers: HeaderMap,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return bad_query();
    };
    let page = match page_of(q.cursor.as_deref()) {
        Ok(p) => p,
        Err(err) => return refusal(err),
    };
    let params = SearchParams {
        q: q.q,
        kind: q.kind,
        dept: q.dept,
        from: q.from,
        to: q.to,
        page,
    };
    run_search(&api, &headers, params).await
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    cursor: Option<String>,
}

/// `GET /api/v1/public/serious-list`: the list page's entries.
pub async fn serious_list(
    State(api): State<PublicApi>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return bad_query();
    };
    let page = match page_of(q.cursor.as_deref()) {
        Ok(p) => p,
        Err(err) => return refusal(err),
    };
    let params = SearchParams {
        q: q.q,
        kind: "serious".into(),
        page,
        ..Default::default()
    };
    run_search(&api, &headers, params).await
}

/// The national column code of a field's name in a record of `kind`.
fn code_of(kind: RecordKind, label: &str) -> Option<&'static str> {
    let sheet = SheetKind::of_record(kind)?;
    sheet
        .columns()
        .iter()
        .find(|c| c.name == label)
        .map(|c| c.code)
}

fn record_json(v: &RecordView) -> Value {
    let mut coded = Map::new();
    let fields: Vec<Value> = v
        .fields
        .iter()
        .map(|f| {
            let code = code_of(v.kind, &f.label);
            if let Some(code) = code {
                coded.insert(code.to_string(), json!(f.value));
            }
            json!({ "code": code, "name": f.label, "value": f.value })
        })
        .collect();
    json!({
        "kind": v.kind.code(),
        "id": v.id,
        "title": v.title,
        "subject_name": v.subject_name,
        "credit_code": v.subject_code,
        "record": coded,
        "fields": fields,
        "public_from": v.window_from,
        "public_until": v.window_until,
        "status": v.status,
        "under_objection": v.under_objection,
        "repair": {
            "from": v.repair.from,
            "open_now": v.repair.open_now,
            "explanation": v.repair.explanation,
        },
        "page": record_path(v.kind, v.id),
    })
}

/// `GET /api/v1/public/records/{kind}/{id}`: one record page's data.
pub async fn record(
    State(api): State<PublicApi>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((kind, id))) = path else {
        return refusal(AppError::not_public());
    };
    respond(
        &api,
        &headers,
        record_view(&api.portal, &kind, &id),
        record_json,
    )
    .await
}

/// `GET /api/v1/public/subjects/{code}`: the subject page's data.
pub async fn subject(
    State(api): State<PublicApi>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(code)) = path else {
        return refusal(AppError::not_public());
    };
    respond(
        &api,
        &headers,
        subject_view(&api.portal, &code),
        subject_json,
    )
    .await
}

fn subject_json(view: &app::model::SubjectView) -> Value {
    json!({
        "name": view.name,
        "credit_code": view.credit_code,
        "kind": view.kind_label,
        "representative": view.representative,
        "records": view.records.iter().map(|l| json!({
            "kind": l.hit.kind.code(),
            "id": l.hit.id,
            "doc_no": l.hit.doc_no,
            "department": l.hit.department,
            "decision_date": l.hit.decision_date,
            "summary": l.hit.summary,
            "public_until": l.until,
            "repair": {
                "from": l.repair.from,
                "open_now": l.repair.open_now,
                "explanation": l.repair.explanation,
            },
            "json": format!("/api/v1/public/records/{}/{}", l.hit.kind.code(), l.hit.id),
        })).collect::<Vec<_>>(),
        "page": format!("/subjects/{}", view.credit_code),
    })
}

#[derive(Deserialize, Default)]
pub struct MeasuresQuery {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    department: String,
}

/// `GET /api/v1/public/measures`: the measures list in force today.
pub async fn measures(
    State(api): State<PublicApi>,
    headers: HeaderMap,
    query: Result<Query<MeasuresQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return bad_query();
    };
    respond(
        &api,
        &headers,
        measures_view(&api.portal, &q.domain, &q.department),
        measures_json,
    )
    .await
}

fn measures_json(view: &app::api::measures::MeasuresView) -> Value {
    json!({
        "items": view.measures.iter().map(|m| json!({
            "code": m.code,
            "version": m.version,
            "name": m.name,
            "class": m.class,
            "effect": m.effect,
            "basis": m.citation,
            "basis_text": m.basis_text,
            "lists": m.lists,
            "subject_kinds": m.subject_kinds,
            "implementer": m.implementer,
            "departments": m.departments,
            "effective_from": m.effective_from,
            "effective_to": m.effective_to,
        })).collect::<Vec<_>>(),
        "next_cursor": Value::Null,
    })
}

#[derive(Deserialize, Default)]
pub struct TransparencyQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /api/v1/public/transparency`: the transparency page's figures.
pub async fn transparency(
    State(api): State<PublicApi>,
    headers: HeaderMap,
    query: Result<Query<TransparencyQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return bad_query();
    };
    respond(
        &api,
        &headers,
        transparency_view(&api.portal, &q.from, &q.to),
        transparency_json,
    )
    .await
}

fn case_json(f: &CaseFigures) -> Value {
    json!({
        "received": f.received,
        "decided": f.decided,
        "closed_without_decision": f.closed_otherwise,
        "decided_within_limit": f.within_limit,
        "share_within_limit": f.share_within_limit(),
        "median_working_days": f.median_working_days,
    })
}

fn figures_json(f: &Figures) -> Value {
    json!({
        "repair": case_json(&f.repair),
        "objection": case_json(&f.objection),
        "deliveries": {
            "deliveries": f.deliveries.deliveries,
            "rows": f.deliveries.rows,
            "late_rows": f.deliveries.late,
            "share_late": f.deliveries.share_late(),
        },
        "joint_check_feedback": {
            "measures_named": f.feedback.named,
            "feedback_received": f.feedback.received,
            "feedback_late": f.feedback.late,
            "share_received": f.feedback.share_received(),
            "share_in_time": f.feedback.share_in_time(),
        },
    })
}

fn transparency_json(view: &TransparencyView) -> Value {
    let t = &view.figures;
    json!({
        "from": t.range.from.code(),
        "to": t.range.to.code(),
        "counted_at": view.counted_at,
        "total": figures_json(&t.total),
        "months": t.months.iter().map(|m| json!({
            "month": m.month.code(),
            "figures": figures_json(&m.figures),
        })).collect::<Vec<_>>(),
        "departments": t.departments.iter().map(|d| json!({
            "department": d.department,
            "figures": figures_json(&d.figures),
            "overdue_open_repairs": d.overdue_repairs,
            "overdue_open_objections": d.overdue_objections,
        })).collect::<Vec<_>>(),
        "rows": t.rows.iter().map(|r| json!({
            "department": r.department,
            "month": r.month.code(),
            "figures": figures_json(&r.figures),
        })).collect::<Vec<_>>(),
        "method": METHOD,
        "page": format!("/transparency?from={}&to={}", t.range.from.code(), t.range.to.code()),
    })
}

/// The open-data paths of the OpenAPI description.
pub fn openapi_paths() -> Value {
    let error = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let ok = |d: &str, schema: &str| {
        json!({
            "description": d,
            "headers": {
                "ETag": { "schema": { "type": "string" }, "description": "响应内容的实体标签；再次请求时放在 If-None-Match 中，内容未变则返回 304" },
                "Last-Modified": { "schema": { "type": "string" }, "description": "记录最近一次变动的时间（不早于当日零时）" }
            },
            "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } }
        })
    };
    let common = |mut responses: Map<String, Value>| {
        responses.insert(
            "304".into(),
            json!({ "description": "内容未变（If-None-Match 与 ETag 相同）" }),
        );
        responses.insert("400".into(), error("参数有误（说明哪个参数、如何改正）"));
        responses.insert("429".into(), error("查询过于频繁，请稍后再试"));
        responses.insert("500".into(), error("系统繁忙"));
        Value::Object(responses)
    };
    let text = |name: &str, description: &str| json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" }, "description": description });
    let cursor = text("cursor", "上一页返回的 next_cursor；首页不传");
    let mut paths = Map::new();
    let mut r = Map::new();
    r.insert(
        "200".into(),
        ok(
            "查询结果（与信息查询页面相同，自然人和个体工商户的姓名已脱敏）",
            "SearchPage",
        ),
    );
    paths.insert(PATHS[0].into(), json!({ "get": {
        "summary": "信息查询：行政处罚、行政许可、严重失信主体名单",
        "parameters": [
            text("q", "名称、18 位统一社会信用代码或决定书文号，最多 40 个字"),
            text("kind", "penalty（行政处罚）、license（行政许可）或 serious（严重失信主体名单）；不填为全部"),
            text("dept", "决定机关编号"),
            text("from", "决定日期起，YYYY-MM-DD"),
            text("to", "决定日期止，YYYY-MM-DD"),
            cursor.clone()
        ],
        "responses": common(r)
    }}));
    let mut r = Map::new();
    r.insert(
        "200".into(),
        ok("一条公示信息（字段名为双公示国家标准字段代码）", "Record"),
    );
    r.insert(
        "404".into(),
        error("不存在，或今日不在公示期内（两者答复相同）"),
    );
    let segment = |name: &str, description: &str| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string", "minLength": 1, "pattern": "^[^/]+$" }, "description": description });
    paths.insert(PATHS[1].into(), json!({ "get": {
        "summary": "一条公示信息",
        "parameters": [segment("kind", "penalty、license 或 serious"), segment("id", "信息编号")],
        "responses": common(r)
    }}));
    let mut r = Map::new();
    r.insert(
        "200".into(),
        ok("该主体今日公示的全部信息及各自的公示截止日期", "Subject"),
    );
    r.insert("404".into(), error("没有今日公示的信息"));
    paths.insert(
        PATHS[2].into(),
        json!({ "get": {
            "summary": "一个主体的公示信息",
            "parameters": [segment("code", "统一社会信用代码")],
            "responses": common(r)
        }}),
    );
    let mut r = Map::new();
    r.insert("200".into(), ok("名单中的主体", "SearchPage"));
    paths.insert(
        PATHS[3].into(),
        json!({ "get": {
            "summary": "严重失信主体名单",
            "parameters": [text("q", "主体名称或统一社会信用代码"), cursor],
            "responses": common(r)
        }}),
    );
    let mut r = Map::new();
    r.insert("200".into(), ok("今日施行的失信惩戒措施", "MeasureList"));
    paths.insert(PATHS[4].into(), json!({ "get": {
        "summary": "失信惩戒措施清单",
        "parameters": [text("domain", "名单领域编码，如 market_serious_violation"), text("department", "实施单位编号")],
        "responses": common(r)
    }}));
    let mut r = Map::new();
    r.insert(
        "200".into(),
        ok(
            "统计期内按认定单位和月份的办理、报送和反馈情况（与信用工作透明度页面相同）",
            "Transparency",
        ),
    );
    paths.insert(
        PATHS[5].into(),
        json!({ "get": {
            "summary": "信用工作透明度：信用修复、异议申诉、迟报和联合奖惩核查反馈",
            "parameters": [
                text("from", "统计起始月份，YYYY-MM；不填为截止月份前 11 个月"),
                text("to", "统计截止月份，YYYY-MM，不晚于本月；不填为本月。统计期最长 24 个月")
            ],
            "responses": common(r)
        }}),
    );
    Value::Object(paths)
}

/// The schemas of the open-data answers.
pub fn openapi_schemas() -> Map<String, Value> {
    let s = json!({ "type": "string" });
    let ns = json!({ "type": ["string", "null"] });
    let repair = json!({
        "type": "object",
        "properties": { "from": ns, "open_now": { "type": "boolean" }, "explanation": s },
        "required": ["from", "open_now", "explanation"]
    });
    let mut m = Map::new();
    m.insert("Hit".into(), json!({
        "type": "object",
        "properties": {
            "kind": { "enum": ["penalty", "license", "serious"] }, "id": { "type": "integer" },
            "name": s, "credit_code": ns, "doc_no": s, "department": s, "decision_date": s,
            "summary": s, "page": s, "json": s
        },
        "required": ["kind", "id", "name", "doc_no", "department", "decision_date", "page", "json"]
    }));
    m.insert(
        "SearchPage".into(),
        json!({
            "type": "object",
            "properties": {
                "total": { "type": "integer" }, "total_exact": { "type": "boolean" }, "notice": ns,
                "items": { "type": "array", "items": { "$ref": "#/components/schemas/Hit" } },
                "next_cursor": ns
            },
            "required": ["total", "total_exact", "items", "next_cursor"]
        }),
    );
    m.insert("Record".into(), json!({
        "type": "object",
        "properties": {
            "kind": { "enum": ["penalty", "license", "serious"] }, "id": { "type": "integer" },
            "title": s, "subject_name": s, "credit_code": ns,
            "record": { "type": "object", "additionalProperties": s, "description": "有国家标准字段代码的字段：代码 → 公示值" },
            "fields": { "type": "array", "items": { "type": "object", "properties": { "code": ns, "name": s, "value": s }, "required": ["code", "name", "value"] } },
            "public_from": s, "public_until": s, "status": s, "under_objection": { "type": "boolean" },
            "repair": repair.clone(), "page": s
        },
        "required": ["kind", "id", "title", "subject_name", "record", "fields", "public_from", "public_until", "status", "under_objection", "repair", "page"]
    }));
    m.insert("Subject".into(), json!({
        "type": "object",
        "properties": {
            "name": s, "credit_code": s, "kind": s, "representative": ns, "page": s,
            "records": { "type": "array", "items": { "type": "object", "properties": {
                "kind": { "enum": ["penalty", "license", "serious"] }, "id": { "type": "integer" },
                "doc_no": s, "department": s, "decision_date": s, "summary": s,
                "public_until": s, "repair": repair, "json": s
            }, "required": ["kind", "id", "doc_no", "public_until", "repair", "json"] } }
        },
        "required": ["name", "credit_code", "kind", "records", "page"]
    }));
    m.insert("MeasureList".into(), json!({
        "type": "object",
        "properties": {
            "items": { "type": "array", "items": { "type": "object", "properties": {
                "code": s, "version": { "type": "integer" }, "name": s, "class": s, "effect": s,
                "basis": s, "basis_text": s,
                "lists": { "type": "array", "items": s }, "subject_kinds": { "type": "array", "items": s },
                "implementer": s, "departments": { "type": "array", "items": s },
                "effective_from": s, "effective_to": ns
            }, "required": ["code", "version", "name", "basis", "basis_text", "lists", "effective_from"] } },
            "next_cursor": { "type": "null" }
        },
        "required": ["items", "next_cursor"]
    }));
    let count = json!({ "type": "integer", "minimum": 0 });
    let share = json!({ "type": ["number", "null"], "minimum": 0, "maximum": 100, "description": "百分比，保留一位小数；分母为 0 时为 null" });
    let case = json!({
        "type": "object",
        "properties": {
            "received": count, "decided": count, "closed_without_decision": count,
            "decided_within_limit": count, "share_within_limit": share,
            "median_working_days": { "type": ["number", "null"], "minimum": 0 }
        },
        "required": ["received", "decided", "closed_without_decision", "decided_within_limit", "share_within_limit", "median_working_days"]
    });
    m.insert("TransparencyFigures".into(), json!({
        "type": "object",
        "properties": {
            "repair": case, "objection": case,
            "deliveries": { "type": "object", "properties": {
                "deliveries": count, "rows": count, "late_rows": count, "share_late": share
            }, "required": ["deliveries", "rows", "late_rows", "share_late"] },
            "joint_check_feedback": { "type": "object", "properties": {
                "measures_named": count, "feedback_received": count, "feedback_late": count,
                "share_received": share, "share_in_time": share
            }, "required": ["measures_named", "feedback_received", "feedback_late", "share_received", "share_in_time"] }
        },
        "required": ["repair", "objection", "deliveries", "joint_check_feedback"]
    }));
    let figures = json!({ "$ref": "#/components/schemas/TransparencyFigures" });
    let month = json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" });
    m.insert("Transparency".into(), json!({
        "type": "object",
        "properties": {
            "from": month, "to": month, "counted_at": s, "total": figures,
            "months": { "type": "array", "items": { "type": "object", "properties": { "month": month, "figures": figures }, "required": ["month", "figures"] } },
            "departments": { "type": "array", "items": { "type": "object", "properties": {
                "department": s, "figures": figures,
                "overdue_open_repairs": count, "overdue_open_objections": count
            }, "required": ["department", "figures", "overdue_open_repairs", "overdue_open_objections"] } },
            "rows": { "type": "array", "items": { "type": "object", "properties": { "department": s, "month": month, "figures": figures }, "required": ["department", "month", "figures"] } },
            "method": { "type": "array", "items": s },
            "page": s
        },
        "required": ["from", "to", "counted_at", "total", "months", "departments", "rows", "method", "page"]
    }));
    m
}
