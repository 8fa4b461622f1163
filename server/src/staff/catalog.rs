//! The catalog pages for the credit authority's administrators: the items
//! and a new rule version of one (the only way a rule changes).

use app::domain::publication::{PublicationRule, Tier};
use app::domain::staff::AuditAction;
use app::pages::admin::catalog::{CatalogItemPage, CatalogPage, ItemView, RuleForm, RuleLine};
use app::pages::repair::forms::FieldError;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::Deserialize;

use super::session::Staff;
use super::{audit_entry, internal, not_found, render, require, StaffState};
use crate::repair::http::see_other;
use crate::store::catalog::{self, CatalogItem};

fn item_view(i: CatalogItem) -> ItemView {
    ItemView {
        code: i.code,
        name: i.name,
        record_kind: i.record_kind.label().to_string(),
        conduct: i.conduct,
        department: i.department,
        data_source: i.data_source,
        classification: i.classification,
        sharing: i.sharing,
        disclosure: i.disclosure,
        rules: i
            .rules
            .into_iter()
            .map(|r| RuleLine {
                version: r.version,
                effective_from: r.effective_from,
                tier: r.tier,
                published: r.published,
                min_months: r.min_months,
                max_months: r.max_months,
                repairable: r.repairable,
            })
            .collect(),
    }
}

pub async fn list(State(state): State<StaffState>, staff: Staff) -> Response {
    if let Err(r) = require(&staff, staff.member.may_administer(), "管理员") {
        return *r;
    }
    let items = match catalog::items(&state.records).await {
        Ok(i) => i.into_iter().map(item_view).collect(),
        Err(e) => return internal(e),
    };
    let view_data = staff.view();
    render(StatusCode::OK, "公共信用信息目录", move || {
        view! { <CatalogPage staff=view_data items/> }.into_any()
    })
}

async fn item_page(
    state: &StaffState,
    staff: &Staff,
    code: &str,
    status: StatusCode,
    form: RuleForm,
    errors: Vec<FieldError>,
    added: Option<u32>,
) -> Response {
    let item = match catalog::items(&state.records).await {
        Ok(items) => items.into_iter().find(|i| i.code == code),
        Err(e) => return internal(e),
    };
    let Some(item) = item else {
        return not_found(Some(staff.view()));
    };
    let item = item_view(item);
    let view_data = staff.view();
    render(status, "目录项", move || {
        view! { <CatalogItemPage staff=view_data item form errors added/> }.into_any()
    })
}

pub async fn item(
    State(state): State<StaffState>,
    staff: Staff,
    Path(code): Path<String>,
) -> Response {
    if let Err(r) = require(&staff, staff.member.may_administer(), "管理员") {
        return *r;
    }
    let form = RuleForm {
        published: true,
        repairable: true,
        ..RuleForm::default()
    };
    item_page(&state, &staff, &code, StatusCode::OK, form, vec![], None).await
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    published: String,
    #[serde(default)]
    min_months: String,
    #[serde(default)]
    max_months: String,
    #[serde(default)]
    repairable: String,
    #[serde(default)]
    effective_from: String,
}

pub async fn add_version(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<VersionForm>,
) -> Response {
    if let Err(r) = staff.check_post(&headers, &f.csrf) {
        return *r;
    }
    if let Err(r) = require(&staff, staff.member.may_administer(), "管理员") {
        return *r;
    }
    let form = RuleForm {
        tier: f.tier.clone(),
        published: f.published == "yes",
        min_months: f.min_months.clone(),
        max_months: f.max_months.clone(),
        repairable: f.repairable == "yes",
        effective_from: f.effective_from.clone(),
    };
    let mut errors = Vec::new();
    let err = |field: &'static str, message: &str| FieldError {
        field,
        message: message.to_string(),
    };
    let tier = Tier::from_code(f.tier.trim());
    if tier.is_none() {
        errors.push(err("tier", "请选择严重程度"));
    }
    let months = |raw: &str, field: &'static str, errors: &mut Vec<FieldError>| {
        raw.trim().parse::<u32>().ok().or_else(|| {
            errors.push(err(field, "请填写月数（0 或正整数）"));
            None
        })
    };
    let min = months(&f.min_months, "min_months", &mut errors);
    let max = months(&f.max_months, "max_months", &mut errors);
    let effective = NaiveDate::parse_from_str(f.effective_from.trim(), "%Y-%m-%d").ok();
    if effective.is_none() {
        errors.push(err("effective_from", "请填写生效日期，格式如 2027-01-01"));
    }
    let items = match catalog::items(&state.records).await {
        Ok(i) => i,
        Err(e) => return internal(e),
    };
    let Some(item) = items.iter().find(|i| i.code == code) else {
        return not_found(Some(staff.view()));
    };
    if let (Some(tier), Some(min), Some(max), Some(effective)) = (tier, min, max, effective) {
        let rule = PublicationRule {
            tier,
            published: f.published == "yes",
            min_months: min,
            max_months: max,
            repairable: f.repairable == "yes",
            version: 0,
            effective_from: effective,
        };
        let latest = item.rules.last().map(|r| r.effective_from);
        match rule.check_new_version(latest, state.repair.portal.today()) {
            Err(message) => {
                let field = if message.contains("生效日期") {
                    "effective_from"
                } else if message.contains("最短") {
                    "min_months"
                } else {
                    "max_months"
                };
                errors.push(err(field, &message));
            }
            Ok(()) if errors.is_empty() => {
                let audit = audit_entry(
                    &staff,
                    AuditAction::CatalogChanged,
                    format!("目录项 {code}"),
                    format!(
                        "新增规则版本：{} {}–{} 个月，{}起",
                        tier.label(),
                        min,
                        max,
                        effective
                    ),
                );
                return match catalog::add_version(&state.records, &code, &rule, &audit).await {
                    Ok(Some(_)) => see_other(&format!("/admin/catalog/{code}")),
                    Ok(None) => not_found(Some(staff.view())),
                    Err(e) => internal(e),
                };
            }
            Ok(()) => {}
        }
    }
    item_page(
        &state,
        &staff,
        &code,
        StatusCode::BAD_REQUEST,
        form,
        errors,
        None,
    )
    .await
}
