//! `GET /api/v1/feed/changes?after=N`: the export feed for the provincial
//! credit platform. Every change to a record (new, corrected, ended,
//! repaired) after the cursor, oldest first, as JSON lines; the last line's
//! `id` is the next cursor, also in `X-Next-Cursor`, and reading again from
//! it resumes exactly.
//!
//! Only feed keys read it: a department's push key is for writing its own
//! records, not for reading everyone's. What leaves is what the platform is
//! entitled to: the changes `store::columns::ENTITLED` admits (no record of an item
//! that is not shared), and of each only what the public pages would show
//! of its subject — names of natural persons and individual businesses
//! masked, a natural person's ID number masked — by the same functions the
//! public pages use. Every read is registered in the access register, with
//! the key, the cursor range and the number of lines.

use app::disclosure::public_subject;
use app::domain::collection::SheetKind;
use app::domain::masking::public_name;
use app::domain::staff::AuditAction;
use app::model::RecordKind;
use app::store::staff::NewAuditEntry;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::api::{error, keyed, Handled};
use crate::http::client::{client_of, ClientAddr};
use crate::staff::StaffState;
use app::store::feed::Change;
use app::store::keys::Grant;

/// Lines one read returns at most.
pub const MAX_LINES: i64 = 10_000;

#[derive(Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    after: i64,
    #[serde(default)]
    limit: Option<i64>,
}

pub async fn feed(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Handled {
    // Who asks comes first: a stranger learns nothing from how its
    // parameters are judged.
    let key = keyed(&state, &headers).await?;
    if key.grant != Grant::Feed {
        return Ok(error(
            StatusCode::FORBIDDEN,
            "此密钥不是共享读取密钥，不能读取记录变动；读取须使用管理员为省级信用平台签发的共享读取密钥",
        ));
    }
    let Ok(Query(q)) = query else {
        return Ok(error(
            StatusCode::BAD_REQUEST,
            "参数有误：after（游标）和 limit（条数）须为整数，例如 ?after=0&limit=1000",
        ));
    };
    let limit = q.limit.unwrap_or(1000).clamp(1, MAX_LINES);
    let changes = state.feed.entitled_changes(q.after, limit).await?;
    let next = changes.last().map_or(q.after, |c| c.id);
    // Registered before anything is sent: a read that cannot be registered
    // does not happen.
    let entry = NewAuditEntry {
        at: chrono::Utc::now(),
        account_id: None,
        actor: format!("api:{}", key.name),
        action: AuditAction::FeedRead,
        target: format!("接口密钥 #{}（{}…）", key.id, key.prefix),
        purpose: format!(
            "共享读取记录变动：游标 {} 之后至 {next}，共 {} 条",
            q.after,
            changes.len()
        ),
        client: client_of(addr),
    };
    state.staff.append_audit(&entry).await?;
    let mut body = String::new();
    for change in &changes {
        body.push_str(&line(change).to_string());
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
    Ok(response)
}

/// A change as it leaves. The change log keeps a record's 双公示 fields,
/// which its public page shows as they are, and its subject's name, which
/// is personal data for a natural person or an individual business: that
/// one is masked here as the public pages mask it. The log never keeps an
/// ID number; the subject's leaves masked, as on the public pages.
fn line(c: &Change) -> Value {
    let subject = public_subject(&c.subject);
    let name_column = RecordKind::from_code(&c.record_kind)
        .and_then(SheetKind::of_record)
        .map(SheetKind::subject_name_column);
    let fields = |logged: &Option<String>| {
        let mut fields: Map<String, Value> = serde_json::from_str(logged.as_deref()?).ok()?;
        if let Some(Value::String(name)) = name_column.and_then(|col| fields.get_mut(col)) {
            *name = public_name(c.subject.kind, name, c.subject.representative.as_deref());
        }
        Some(fields)
    };
    json!({
        "id": c.id,
        "at": c.at,
        "record_kind": c.record_kind,
        "record_id": c.record_id,
        "department_id": c.department_id,
        "change": c.change,
        "doc_no": c.doc_no,
        "subject": {
            "kind": subject.kind.code(),
            "name": subject.name,
            "credit_code": subject.credit_code,
            "representative": subject.representative,
            "id_number": subject.id_number,
        },
        "before": fields(&c.before),
        "after": fields(&c.after),
    })
}
