//! API keys for other systems, issued and revoked by administrators: a push
//! key for one department's system, a feed key for the provincial credit
//! platform. A key is 32 random bytes as hex after a `hgk_` prefix; only
//! its SHA-256 is stored, and it is shown once.

use app::domain::api_key::KeyScope;
use app::domain::staff::AuditAction;
use app::domain::working_days::china_time_label;
use app::pages::admin::api_keys::{ApiKeyForm, ApiKeyRow, ApiKeysPage};
use app::pages::repair::forms::FieldError;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::session::Staff;
use super::{audit_entry, render, Handled, StaffState};
use crate::http::forms::see_other;
use crate::http::tokens::{random_hex, sha256_hex};
use app::store::keys::{Grant, NewKey};

/// A new key (`hgk_` and 32 random bytes as hex) and what is stored of it.
pub fn fresh_key(
    grant: Grant,
    name: &str,
    created_by: i64,
) -> Result<(String, NewKey), getrandom::Error> {
    let key = format!("hgk_{}", random_hex(32)?);
    let new = NewKey {
        grant,
        name: name.to_string(),
        prefix: key[..12].to_string(),
        key_hash: sha256_hex(key.as_bytes()),
        created_by,
        now: Utc::now(),
    };
    Ok((key, new))
}

async fn page(
    state: &StaffState,
    staff: &Staff,
    status: StatusCode,
    form: ApiKeyForm,
    errors: Vec<FieldError>,
    issued: Option<(String, String)>,
) -> Handled {
    let keys = state.keys.keys().await?;
    let departments = state.measures.all_departments().await?;
    let rows = keys
        .into_iter()
        .map(|k| ApiKeyRow {
            id: k.id,
            scope: k.scope,
            department: k.department,
            name: k.name,
            prefix: k.prefix,
            created: china_time_label(k.created_at, false),
            revoked: k.revoked_at.map(|t| china_time_label(t, false)),
        })
        .collect();
    let view_data = staff.view();
    Ok(render(status, "接口密钥", move || {
        view! { <ApiKeysPage staff=view_data keys=rows departments form errors issued/> }.into_any()
    }))
}

pub async fn list(State(state): State<StaffState>, staff: Staff) -> Handled {
    staff.require_admin()?;
    page(
        &state,
        &staff,
        StatusCode::OK,
        ApiKeyForm::default(),
        vec![],
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    name: String,
}

pub async fn issue(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<IssueForm>,
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
    let departments = state.measures.all_departments().await?;
    let scope = KeyScope::from_code(f.scope.trim());
    let department = f
        .department
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| departments.iter().find(|d| d.id == id));
    let name = f.name.trim().to_string();
    let mut errors = Vec::new();
    // A push key writes one department's records, so it must name it; a
    // feed key reads for the provincial platform and must name none.
    let grant = match (scope, department) {
        (None, _) => {
            errors.push(FieldError::new(
                "scope",
                "请选择密钥用途：报送、共享读取或联合奖惩核查",
            ));
            None
        }
        (Some(KeyScope::Push), Some(d)) => Some((
            Grant::Push {
                department_id: d.id,
            },
            format!("{} 的报送接口密钥（{name}）", d.name),
        )),
        (Some(KeyScope::Push), None) => {
            errors.push(FieldError::new("department", "报送密钥须选择报送单位"));
            None
        }
        (Some(KeyScope::Feed), None) => Some((Grant::Feed, format!("共享读取接口密钥（{name}）"))),
        (Some(KeyScope::Check), Some(d)) => Some((
            Grant::Check {
                department_id: d.id,
            },
            format!("{} 的联合奖惩核查接口密钥（{name}）", d.name),
        )),
        (Some(KeyScope::Check), None) => {
            errors.push(FieldError::new(
                "department",
                "联合奖惩核查密钥须选择使用单位：核查结果只列该单位实施的措施",
            ));
            None
        }
        (Some(KeyScope::Feed), Some(_)) => {
            errors.push(FieldError::new(
                "department",
                "共享读取密钥不属于任何单位，使用单位请选“不属于任何单位”",
            ));
            None
        }
    };
    if name.is_empty() || name.chars().count() > 40 {
        errors.push(FieldError::new(
            "name",
            "请填写使用密钥的系统名称（不超过 40 个字）",
        ));
    }
    let Some((grant, target)) = grant.filter(|_| errors.is_empty()) else {
        let form = ApiKeyForm {
            scope: f.scope,
            department: f.department,
            name: f.name,
        };
        return page(&state, &staff, StatusCode::BAD_REQUEST, form, errors, None).await;
    };
    let audit = audit_entry(
        &staff,
        AuditAction::ApiKeysChanged,
        target,
        format!("签发{}接口密钥", grant.scope().label()),
    );
    let (key, new) = fresh_key(grant, &name, staff.member.account_id)?;
    state.keys.issue_key(&new, &audit).await?;
    let issued = Some((name, key));
    page(
        &state,
        &staff,
        StatusCode::OK,
        ApiKeyForm::default(),
        vec![],
        issued,
    )
    .await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    id: String,
}

pub async fn revoke(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<RevokeForm>,
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
    let Ok(id) = f.id.trim().parse::<i64>() else {
        return Ok(see_other("/admin/api-keys"));
    };
    let audit = audit_entry(
        &staff,
        AuditAction::ApiKeysChanged,
        format!("接口密钥 #{id}"),
        "吊销接口密钥",
    );
    state.keys.revoke_key(id, Utc::now(), &audit).await?;
    // The joint check keeps keys for a few seconds: not this one.
    state.checks.caches.forget_keys();
    Ok(see_other("/admin/api-keys"))
}
