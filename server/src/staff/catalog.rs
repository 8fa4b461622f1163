//! The catalog pages for the credit authority's administrators: the items
//! and a new rule version of one (the only way a rule changes).

use app::domain::catalog::{is_code, CLASSIFICATIONS, DISCLOSURE, SHARING};
use app::domain::publication::{PublicationRule, Tier};
use app::domain::staff::AuditAction;
use app::model::RecordKind;
use app::pages::admin::catalog::{
    CatalogItemPage, CatalogPage, ItemForm, ItemView, RuleForm, RuleLine,
};
use app::pages::repair::forms::FieldError;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::Deserialize;

use super::session::Staff;
use super::{audit_entry, internal, not_found, render, StaffState};
use crate::repair::http::see_other;
use crate::store::catalog::{self, CatalogItem};
use crate::store::writes::NewCatalogItem;

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

async fn list_page(
    state: &StaffState,
    staff: &Staff,
    status: StatusCode,
    form: ItemForm,
    errors: Vec<FieldError>,
) -> Response {
    let items = match catalog::items(&state.records).await {
        Ok(i) => i.into_iter().map(item_view).collect(),
        Err(e) => return internal(e),
    };
    let departments = match state.repair.portal.store.departments().await {
        Ok(d) => d,
        Err(e) => return internal(e),
    };
    let view_data = staff.view();
    render(status, "公共信用信息目录", move || {
        view! { <CatalogPage staff=view_data items departments form errors/> }.into_any()
    })
}

pub async fn list(State(state): State<StaffState>, staff: Staff) -> Response {
    if let Err(r) = staff.require_admin() {
        return *r;
    }
    list_page(&state, &staff, StatusCode::OK, ItemForm::default(), vec![]).await
}

/// The rule of a form, or the errors to show (fields `tier`, `min_months`,
/// `max_months`, `effective_from`).
fn rule_from_form(
    fields: &VersionFields,
    latest: Option<NaiveDate>,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<PublicationRule> {
    let published = fields.published == "yes";
    let repairable = fields.repairable == "yes";
    let tier = Tier::from_code(fields.tier.trim());
    if tier.is_none() {
        errors.push(FieldError::new("tier", "请选择严重程度"));
    }
    let mut months = |raw: &str, field: &'static str| {
        let v = raw.trim().parse::<u32>().ok();
        if v.is_none() {
            errors.push(FieldError::new(field, "请填写月数（0 或正整数）"));
        }
        v
    };
    let min = months(&fields.min_months, "min_months");
    let max = months(&fields.max_months, "max_months");
    let effective = NaiveDate::parse_from_str(fields.effective_from.trim(), "%Y-%m-%d").ok();
    if effective.is_none() {
        errors.push(FieldError::new(
            "effective_from",
            "请填写生效日期，格式如 2027-01-01",
        ));
    }
    let (tier, min, max, effective) = (tier?, min?, max?, effective?);
    let rule = PublicationRule {
        tier,
        published,
        min_months: min,
        max_months: max,
        repairable,
        version: 0,
        effective_from: effective,
    };
    match rule.check_new_version(latest, today) {
        Ok(()) => Some(rule),
        Err((field, message)) => {
            errors.push(FieldError::new(field, message));
            None
        }
    }
}

#[derive(Deserialize)]
pub struct NewItemForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    record_kind: String,
    #[serde(default)]
    conduct: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    data_source: String,
    #[serde(default)]
    classification: String,
    #[serde(default)]
    sharing: String,
    #[serde(default)]
    disclosure: String,
    #[serde(default)]
    reporting_days: String,
    #[serde(flatten)]
    rule: VersionFields,
}

pub async fn add_item(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<NewItemForm>,
) -> Response {
    if let Err(r) = staff.check_post(&headers, &f.csrf) {
        return *r;
    }
    if let Err(r) = staff.require_admin() {
        return *r;
    }
    let mut errors = Vec::new();
    let code = f.code.trim().to_string();
    let code_ok = (3..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !code_ok {
        errors.push(FieldError::new(
            "code",
            "目录项编码须为 3 至 40 位小写字母、数字或连字符",
        ));
    }
    for (field, value, label) in [
        ("name", &f.name, "请填写信息项名称"),
        ("conduct", &f.conduct, "请填写涵盖的行为"),
        ("data_source", &f.data_source, "请填写数据来源"),
    ] {
        if value.trim().is_empty() || value.chars().count() > 100 {
            errors.push(FieldError::new(field, label));
        }
    }
    let kind = match f.record_kind.as_str() {
        "penalty" => Some(RecordKind::Penalty),
        "license" => Some(RecordKind::License),
        _ => None,
    };
    if kind.is_none() {
        errors.push(FieldError::new("record_kind", "请选择信息类别"));
    }
    let departments = match state.repair.portal.store.departments().await {
        Ok(d) => d,
        Err(e) => return internal(e),
    };
    let department = f
        .department
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| departments.iter().any(|d| d.id == *id));
    if department.is_none() {
        errors.push(FieldError::new("department", "请选择提供单位"));
    }
    for (field, list, value, label) in [
        (
            "classification",
            &CLASSIFICATIONS[..],
            &f.classification,
            "请选择信息分类",
        ),
        ("sharing", &SHARING[..], &f.sharing, "请选择共享属性"),
        (
            "disclosure",
            &DISCLOSURE[..],
            &f.disclosure,
            "请选择开放属性",
        ),
    ] {
        if !is_code(list, value) {
            errors.push(FieldError::new(field, label));
        }
    }
    let reporting_days = f
        .reporting_days
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=60).contains(d));
    if reporting_days.is_none() {
        errors.push(FieldError::new(
            "reporting_days",
            "报送时限须为 1 至 60 个工作日",
        ));
    }
    let rule = rule_from_form(&f.rule, None, state.repair.portal.today(), &mut errors);
    let form = ItemForm {
        code: f.code.clone(),
        name: f.name.clone(),
        record_kind: f.record_kind.clone(),
        conduct: f.conduct.clone(),
        department: f.department.clone(),
        data_source: f.data_source.clone(),
        classification: f.classification.clone(),
        sharing: f.sharing.clone(),
        disclosure: f.disclosure.clone(),
        reporting_days: f.reporting_days.clone(),
        rule: f.rule.form(),
    };
    let (Some(kind), Some(department), Some(days), Some(rule), true) =
        (kind, department, reporting_days, rule, errors.is_empty())
    else {
        return list_page(&state, &staff, StatusCode::BAD_REQUEST, form, errors).await;
    };
    let item = NewCatalogItem {
        code: &code,
        name: f.name.trim(),
        record_kind: kind,
        conduct: f.conduct.trim(),
        department_id: department,
        data_source: f.data_source.trim(),
        classification: &f.classification,
        sharing: &f.sharing,
        disclosure: &f.disclosure,
    };
    let audit = audit_entry(
        &staff,
        AuditAction::CatalogChanged,
        format!("目录项 {code}"),
        format!("新增目录项：{}", f.name.trim()),
    );
    match catalog::add_item(&state.records, &item, days, &rule, &audit).await {
        Ok(Ok(())) => see_other(&format!("/admin/catalog/{code}")),
        Ok(Err(taken)) => {
            list_page(
                &state,
                &staff,
                StatusCode::BAD_REQUEST,
                form,
                vec![FieldError::new("code", &taken)],
            )
            .await
        }
        Err(e) => internal(e),
    }
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
    if let Err(r) = staff.require_admin() {
        return *r;
    }
    let form = RuleForm {
        published: true,
        repairable: true,
        ..RuleForm::default()
    };
    item_page(&state, &staff, &code, StatusCode::OK, form, vec![], None).await
}

/// The rule fields every rule form posts.
#[derive(Deserialize)]
pub struct VersionFields {
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

impl VersionFields {
    fn form(&self) -> RuleForm {
        RuleForm {
            tier: self.tier.clone(),
            published: self.published == "yes",
            min_months: self.min_months.clone(),
            max_months: self.max_months.clone(),
            repairable: self.repairable == "yes",
            effective_from: self.effective_from.clone(),
        }
    }
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    rule: VersionFields,
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
    if let Err(r) = staff.require_admin() {
        return *r;
    }
    let items = match catalog::items(&state.records).await {
        Ok(i) => i,
        Err(e) => return internal(e),
    };
    let Some(item) = items.iter().find(|i| i.code == code) else {
        return not_found(Some(staff.view()));
    };
    let mut errors = Vec::new();
    let r = &f.rule;
    let rule = rule_from_form(
        r,
        item.rules.last().map(|r| r.effective_from),
        state.repair.portal.today(),
        &mut errors,
    );
    if let Some(rule) = rule {
        let audit = audit_entry(
            &staff,
            AuditAction::CatalogChanged,
            format!("目录项 {code}"),
            format!(
                "新增规则版本：{} {}–{} 个月，{}起",
                rule.tier.label(),
                rule.min_months,
                rule.max_months,
                rule.effective_from
            ),
        );
        return match catalog::add_version(&state.records, &code, &rule, &audit).await {
            Ok(Some(_)) => see_other(&format!("/admin/catalog/{code}")),
            Ok(None) => not_found(Some(staff.view())),
            Err(e) => internal(e),
        };
    }
    item_page(
        &state,
        &staff,
        &code,
        StatusCode::BAD_REQUEST,
        r.form(),
        errors,
        None,
    )
    .await
}
