//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the push API
//! and the feed, built from the same column lists the checks use. The two
//! kinds of key are two security schemes, so each path says which it takes.

use app::domain::collection::SheetKind;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::api::MAX_RECORDS;
use super::feed::MAX_LINES;

/// A response answered with the `Error` object.
fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn record_schema(kind: SheetKind) -> Value {
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
}

fn push_path(kind: SheetKind, schema_name: &str) -> Value {
    json!({
        "post": {
            "summary": format!("报送{}信息", kind.label()),
            "security": [{ "pushKey": [] }],
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
                "400": error_response("请求格式有误"),
                "401": error_response("缺少密钥，或密钥无效、已吊销"),
                "403": error_response("密钥是共享读取密钥，不能报送"),
                "409": error_response("报送期间信用信息目录有变更等，本次报送未写入任何记录，可重新报送")
            }
        }
    })
}

fn feed_path() -> Value {
    json!({
        "get": {
            "summary": "记录变动（新增、更正、公示期满、信用修复），按序号从游标之后读取",
            "description": "仅供省级信用平台使用共享读取密钥读取。目录项共享属性为“不予共享”的记录不在其中；自然人和个体工商户的姓名按公示页面的规则脱敏，自然人身份证号码只保留前 6 位和后 4 位。每次读取均记入查询使用登记（密钥、游标范围、条数）。",
            "security": [{ "feedKey": [] }],
            "parameters": [
                { "name": "after", "in": "query", "schema": { "type": "integer", "minimum": 0 }, "description": "上次读到的最后一条的 id（首次为 0）" },
                { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LINES } }
            ],
            "responses": {
                "200": {
                    "description": "每行一个 Change 对象；响应头 X-Next-Cursor 为下次的 after，没有新的变动时响应为空",
                    "headers": { "X-Next-Cursor": { "schema": { "type": "integer" } } },
                    "content": { "application/x-ndjson": { "schema": { "$ref": "#/components/schemas/Change" } } }
                },
                "401": error_response("缺少密钥，或密钥无效、已吊销"),
                "403": error_response("密钥是单位报送密钥，不能读取记录变动")
            }
        }
    })
}

fn change_schema() -> Value {
    let nullable_string = json!({ "type": ["string", "null"] });
    json!({
        "type": "object",
        "properties": {
            "id": { "type": "integer", "description": "变动序号，即游标" },
            "at": { "type": "string", "description": "变动时间（UTC）" },
            "record_kind": { "enum": ["penalty", "license", "serious"] },
            "record_id": { "type": "integer" },
            "department_id": { "type": ["integer", "null"] },
            "change": { "enum": ["new", "corrected", "ended", "repaired"] },
            "doc_no": nullable_string,
            "subject": {
                "type": "object",
                "description": "信用主体，与公示页面所示相同",
                "properties": {
                    "kind": { "enum": ["legal", "individual", "person"], "description": "法人及非法人组织、个体工商户、自然人" },
                    "name": { "type": "string", "description": "自然人、个体工商户的姓名已脱敏（如 张*）" },
                    "credit_code": nullable_string,
                    "representative": { "type": ["string", "null"], "description": "法定代表人或经营者（经营者姓名已脱敏）；自然人为空" },
                    "id_number": { "type": ["string", "null"], "description": "自然人身份证号码，只保留前 6 位和后 4 位" }
                },
                "required": ["kind", "name"]
            },
            "before": { "type": ["object", "null"], "description": "更正前被改动的字段（国家标准字段代码 → 值），行政相对人名称同样脱敏" },
            "after": { "type": ["object", "null"], "description": "新增记录的全部字段，或更正后被改动的字段" }
        },
        "required": ["id", "at", "record_kind", "record_id", "change", "subject"]
    })
}

/// The description, built once: it depends only on the column lists, and
/// anyone may ask for it as often as they like.
pub async fn openapi() -> Response {
    static SPEC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let spec = SPEC.get_or_init(spec);
    let mut response = Json(spec).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

fn spec() -> Value {
    let mut spec = keyed_spec();
    // The joint check and the open-data API describe their own paths.
    let parts = [
        (
            crate::checks::openapi::paths(),
            crate::checks::openapi::schemas(),
        ),
        (
            crate::public_api::openapi_paths(),
            crate::public_api::openapi_schemas(),
        ),
    ];
    for (paths, schemas) in parts {
        if let (Some(all), Value::Object(more)) = (spec["paths"].as_object_mut(), paths) {
            all.extend(more);
        }
        if let Some(all) = spec["components"]["schemas"].as_object_mut() {
            all.extend(schemas);
        }
    }
    spec
}

fn keyed_spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "信用中国（黑龙江鹤岗）数据接口：双公示报送与共享、联合奖惩核查、公共信用信息开放",
            "version": "1",
            "description": "公共信用信息开放接口（/api/v1/public/…）无需密钥，数据、脱敏和访问频率限制与公示页面相同。认定单位业务系统报送行政处罚和行政许可信息；省级信用平台读取记录变动；各单位审批系统进行联合奖惩核查并反馈。字段与表格导入相同（国家标准字段代码），校验规则相同；同一文书号再次报送即为更正。一次请求中被接收的记录全部写入或全部不写入；报送开始后即使连接中断也会执行完毕（记入查询使用登记），重发同一批记录即为更正，结果不变。密钥由管理员签发，分两种用途：报送密钥绑定一个单位，只能报送该单位的信息；共享读取密钥不属于任何单位，只能读取记录变动。"
        },
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": {
                "pushKey": { "type": "http", "scheme": "bearer", "description": "报送密钥（用途 push）：管理员为一个认定单位的业务系统签发，只能报送该单位的信息" },
                "feedKey": { "type": "http", "scheme": "bearer", "description": "共享读取密钥（用途 feed）：管理员为省级信用平台签发，只能读取记录变动" },
                "checkKey": { "type": "http", "scheme": "bearer", "description": "联合奖惩核查密钥（用途 check）：管理员为一个单位的审批系统签发，只能核查和反馈，答复列出该单位实施的措施" }
            },
            "schemas": {
                "Penalty": record_schema(SheetKind::Penalty),
                "License": record_schema(SheetKind::License),
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
                "Change": change_schema(),
                "Error": { "type": "object", "properties": { "error": { "type": "string", "description": "中文说明" } }, "required": ["error"] }
            }
        },
        "paths": {
            "/api/v1/feed/changes": feed_path(),
            "/api/v1/collect/penalties": push_path(SheetKind::Penalty, "Penalty"),
            "/api/v1/collect/licenses": push_path(SheetKind::License, "License")
        }
    })
}
