//! The joint check's part of the OpenAPI description.

use serde_json::{json, Map, Value};

fn error(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn field_errors() -> Value {
    json!({ "description": "请求有误：fields 逐项说明哪个字段、如何改正", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FieldErrors" } } } })
}

pub fn paths() -> Value {
    json!({
        "/api/v1/check": { "post": {
            "summary": "联合奖惩核查：主体是否被列入严重失信主体名单，本单位应实施哪些惩戒措施",
            "description": "答复只含该主体在核查日被列入的名单（名单、认定单位、认定文书号、期限）和清单中由本单位实施的惩戒措施及其法律依据，不含行政处罚等其他信息。每次核查连同核查用途记入查询使用登记；答复中的 check_id 用于反馈。",
            "security": [{ "checkKey": [] }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CheckRequest" } } } },
            "responses": {
                "200": { "description": "核查结果（未列入时 listed 为 false，entries 和 measures 为空）", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CheckAnswer" } } } },
                "400": field_errors(),
                "401": error("缺少密钥，或密钥无效、已吊销"),
                "403": error("密钥不是联合奖惩核查密钥"),
                "500": error("系统繁忙")
            }
        }},
        "/api/v1/check/{id}/feedback": { "post": {
            "summary": "反馈惩戒措施实施情况：每项措施已实施或未实施（须写明理由），每项只能反馈一次",
            "description": "超过反馈期限（工作日，由管理员设置）的反馈照常接收，记为逾期。",
            "security": [{ "checkKey": [] }],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "minLength": 1, "pattern": "^[^/]+$" }, "description": "核查答复的 check_id" }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FeedbackRequest" } } } },
            "responses": {
                "200": { "description": "已收到", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FeedbackAnswer" } } } },
                "400": field_errors(),
                "401": error("缺少密钥，或密钥无效、已吊销"),
                "403": error("密钥不是联合奖惩核查密钥"),
                "404": error("没有本单位的这次核查"),
                "409": error("该措施已反馈过，或本次核查无需反馈"),
                "500": error("系统繁忙")
            }
        }}
    })
}

pub fn schemas() -> Map<String, Value> {
    let s = json!({ "type": "string" });
    let ns = json!({ "type": ["string", "null"] });
    let mut m = Map::new();
    m.insert("FieldErrors".into(), json!({
        "type": "object",
        "properties": { "error": s, "fields": { "type": "array", "items": { "type": "object", "properties": { "field": s, "message": s }, "required": ["field", "message"] } } },
        "required": ["error"],
        "description": "error 为中文说明；字段有误时 fields 逐项列出"
    }));
    m.insert("CheckRequest".into(), json!({
        "type": "object",
        "description": "credit_code 与 id_number 二选一",
        "properties": {
            "credit_code": { "type": ["string", "null"], "description": "统一社会信用代码" },
            "id_number": { "type": ["string", "null"], "description": "自然人身份证号码（登记时只保留前 6 位和后 4 位）" },
            "matter_code": { "type": "string", "description": "办理事项编码" },
            "matter_name": { "type": "string", "description": "办理事项名称" },
            "purpose": { "type": "string", "description": "核查用途" }
        },
        "required": ["matter_code", "matter_name", "purpose"]
    }));
    m.insert("CheckAnswer".into(), json!({
        "type": "object",
        "properties": {
            "check_id": s, "checked_at": s, "checked_on": s, "identifier": s,
            "listed": { "type": "boolean" }, "message": s,
            "subject": { "type": ["object", "null"], "properties": { "name": s, "kind": s } },
            "entries": { "type": "array", "items": { "type": "object", "properties": {
                "entry_id": { "type": "integer" }, "list": s, "domain": ns, "department": s,
                "decision_no": s, "listed_on": s, "until": s,
                "measures": { "type": "array", "items": s }
            }, "required": ["entry_id", "list", "department", "decision_no", "listed_on", "until", "measures"] } },
            "measures": { "type": "array", "items": { "type": "object", "properties": {
                "code": s, "version": { "type": "integer" }, "name": s, "class": s, "class_name": s, "effect": s,
                "basis": { "type": "object", "properties": { "law": s, "article": s, "paragraph": s, "text": s }, "required": ["law", "article", "paragraph", "text"] },
                "implementer": s
            }, "required": ["code", "version", "name", "class", "effect", "basis"] } },
            "feedback_due": { "type": "string", "description": "反馈期限（列出措施时）" }
        },
        "required": ["check_id", "checked_at", "listed", "message", "entries", "measures"]
    }));
    m.insert("FeedbackRequest".into(), json!({
        "type": "object",
        "properties": {
            "measures": { "type": "array", "items": { "type": "object", "properties": {
                "measure": { "type": "string", "description": "措施编码（核查答复中的 code）" },
                "applied": { "type": "boolean" },
                "reason": { "type": ["string", "null"], "description": "未实施时必填：理由和依据" }
            }, "required": ["measure", "applied"] } },
            "outcome": { "type": "string", "description": "事项办理结果" },
            "operator_department": { "type": "string", "description": "办理科室或单位" },
            "decided_on": { "type": ["string", "null"], "description": "办结日期 YYYY-MM-DD，不填为当日" }
        },
        "required": ["measures", "outcome", "operator_department"]
    }));
    m.insert("FeedbackAnswer".into(), json!({
        "type": "object",
        "properties": {
            "check_id": s, "accepted": { "type": "integer" }, "late": { "type": "boolean" }, "due": s,
            "awaiting": { "type": "array", "items": s }, "message": s
        },
        "required": ["check_id", "accepted", "late", "due", "awaiting", "message"]
    }));
    m
}
