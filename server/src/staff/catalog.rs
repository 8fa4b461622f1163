//! The catalog pages for the credit authority's administrators: the items,
//! a new item, an item's attributes, and a new rule version of one (the
//! only way a rule changes).

use app::domain::catalog::ItemAttributes;
use app::domain::publication::{PublicationRule, Tier};
use app::domain::staff::AuditAction;
use app::model::RecordKind;
use app::pages::admin::catalog::{
    AttributesForm, CatalogItemPage, CatalogPage, ItemForm, ItemView, RuleForm, RuleLine,
};
use app::pages::repair::forms::FieldError;
use app::store::catalog::{CatalogItem, NewItem};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Form;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::Deserialize;

use super::session::Staff;
use super::{audit_entry, not_found, render, Handled, StaffState};
use crate::http::forms::see_other;

fn item_view(i: CatalogItem) -> ItemView {
    ItemView {
        code: i.code,
        record_kind: i.record_kind.label().to_string(),
        department: i.department,
        attributes: i.attributes,
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
) -> Handled {
    let items = state.catalog.items().await?;
    let items = items.into_iter().map(item_view).collect();
    let departments = state.repair.portal.store.departments().await?;
    let view_data = staff.view();
    Ok(render(status, "公共信用信息目录", move || {
        view! { <CatalogPage staff=view_data items departments form errors/> }.into_any()
    }))
}

pub async fn list(State(state): State<StaffState>, staff: Staff) -> Handled {
    staff.require_admin()?;
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
    record_kind: String,
    #[serde(default)]
    department: String,
    #[serde(flatten)]
    attributes: AttributeFields,
    #[serde(flatten)]
    rule: VersionFields,
}

/// The attribute fields the new-item and change forms post.
#[derive(Deserialize)]
pub struct AttributeFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    conduct: String,
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
}

impl AttributeFields {
    fn form(&self) -> AttributesForm {
        AttributesForm {
            name: self.name.clone(),
            conduct: self.conduct.clone(),
            data_source: self.data_source.clone(),
            classification: self.classification.clone(),
            sharing: self.sharing.clone(),
            disclosure: self.disclosure.clone(),
            reporting_days: self.reporting_days.clone(),
        }
    }

    /// The checked attributes, or `None` with the faults added to `errors`.
    fn check(&self, errors: &mut Vec<FieldError>) -> Option<ItemAttributes> {
        ItemAttributes::check(
            &self.name,
            &self.conduct,
            &self.data_source,
            &self.classification,
            &self.sharing,
            &self.disclosure,
            &self.reporting_days,
        )
        .map_err(|faults| {
            errors.extend(faults.into_iter().map(|(f, m)| FieldError::new(f, m)));
        })
        .ok()
    }
}

pub async fn add_item(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<NewItemForm>,
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
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
    let kind = match f.record_kind.as_str() {
        "penalty" => Some(RecordKind::Penalty),
        "license" => Some(RecordKind::License),
        _ => None,
    };
    if kind.is_none() {
        errors.push(FieldError::new("record_kind", "请选择信息类别"));
    }
    let departments = state.repair.portal.store.departments().await?;
    let department = f
        .department
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| departments.iter().any(|d| d.id == *id));
    if department.is_none() {
        errors.push(FieldError::new("department", "请选择提供单位"));
    }
    let attributes = f.attributes.check(&mut errors);
    let rule = rule_from_form(&f.rule, None, state.repair.portal.today(), &mut errors);
    let form = ItemForm {
        code: f.code.clone(),
        record_kind: f.record_kind.clone(),
        department: f.department.clone(),
        attributes: f.attributes.form(),
        rule: f.rule.form(),
    };
    let (Some(kind), Some(department), Some(a), Some(rule), true) =
        (kind, department, attributes, rule, errors.is_empty())
    else {
        return list_page(&state, &staff, StatusCode::BAD_REQUEST, form, errors).await;
    };
    let audit = audit_entry(
        &staff,
        AuditAction::CatalogChanged,
        format!("目录项 {code}"),
        format!("新增目录项：{}", a.name),
    );
    let item = NewItem {
        code: code.clone(),
        record_kind: kind,
        department_id: department,
        attributes: a,
        first_rule: rule,
    };
    match state.catalog.add_item(&item, &audit).await? {
        Ok(()) => Ok(see_other(&format!("/admin/catalog/{code}"))),
        Err(taken) => {
            let errors = vec![FieldError::new("code", &taken)];
            list_page(&state, &staff, StatusCode::BAD_REQUEST, form, errors).await
        }
    }
}

/// What an item page shows besides the item: the forms' values (the
/// item's own when `None`), errors and a notice.
struct ItemPageState {
    attributes: Option<AttributesForm>,
    rule: RuleForm,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

impl Default for ItemPageState {
    fn default() -> Self {
        ItemPageState {
            attributes: None,
            rule: RuleForm {
                published: true,
                repairable: true,
                ..RuleForm::default()
            },
            errors: Vec::new(),
            notice: None,
        }
    }
}

async fn item_page(
    state: &StaffState,
    staff: &Staff,
    code: &str,
    status: StatusCode,
    page: ItemPageState,
) -> Handled {
    let Some(item) = state.catalog.item(code).await? else {
        return Ok(not_found(Some(staff.view())));
    };
    let attributes = page
        .attributes
        .unwrap_or_else(|| AttributesForm::from(&item.attributes));
    let item = item_view(item);
    let view_data = staff.view();
    let (form, errors, notice) = (page.rule, page.errors, page.notice);
    Ok(render(status, "目录项", move || {
        view! { <CatalogItemPage staff=view_data item attributes form errors notice/> }.into_any()
    }))
}

/// What the redirect after a change says was saved.
#[derive(Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    records: Option<u64>,
}

pub async fn item(
    State(state): State<StaffState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(saved): Query<Saved>,
) -> Handled {
    staff.require_admin()?;
    let notice = match (saved.saved.as_deref(), saved.records) {
        (Some("version"), _) => Some("已新增规则版本。".to_string()),
        (Some("attributes"), Some(n)) => Some(format!(
            "已保存属性。开放属性已改变，本目录项下 {n} 条记录已按新属性公示或撤下。"
        )),
        (Some("attributes"), None) => Some("已保存属性。".to_string()),
        _ => None,
    };
    let page = ItemPageState {
        notice,
        ..ItemPageState::default()
    };
    item_page(&state, &staff, &code, StatusCode::OK, page).await
}

#[derive(Deserialize)]
pub struct AttributesPost {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    attributes: AttributeFields,
}

/// Saves an item's attributes. A change of the disclosure attribute moves
/// the item's records onto or off the public pages at once.
pub async fn update_item(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<AttributesPost>,
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
    let Some(current) = state.catalog.item(&code).await? else {
        return Ok(not_found(Some(staff.view())));
    };
    let mut errors = Vec::new();
    let Some(attributes) = f.attributes.check(&mut errors) else {
        let page = ItemPageState {
            attributes: Some(f.attributes.form()),
            errors,
            ..ItemPageState::default()
        };
        return item_page(&state, &staff, &code, StatusCode::BAD_REQUEST, page).await;
    };
    let changes = attributes.changes_from(&current.attributes);
    if changes.is_empty() {
        return Ok(see_other(&format!(
            "/admin/catalog/{code}?saved=attributes"
        )));
    }
    let audit = audit_entry(
        &staff,
        AuditAction::CatalogChanged,
        format!("目录项 {code}"),
        format!("修改属性：{}", changes.join("；")),
    );
    let today = state.repair.portal.today();
    // A count of records moved only when the disclosure changed (and some were).
    Ok(
        match state
            .catalog
            .update_item(&code, &attributes, today, &audit)
            .await?
        {
            Some(n) if n > 0 => see_other(&format!(
                "/admin/catalog/{code}?saved=attributes&records={n}"
            )),
            Some(_) => see_other(&format!("/admin/catalog/{code}?saved=attributes")),
            None => not_found(Some(staff.view())),
        },
    )
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
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
    let Some(item) = state.catalog.item(&code).await? else {
        return Ok(not_found(Some(staff.view())));
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
        return Ok(
            match state.catalog.add_version(&code, &rule, &audit).await? {
                Some(_) => see_other(&format!("/admin/catalog/{code}?saved=version")),
                None => not_found(Some(staff.view())),
            },
        );
    }
    let page = ItemPageState {
        rule: r.form(),
        errors,
        ..ItemPageState::default()
    };
    item_page(&state, &staff, &code, StatusCode::BAD_REQUEST, page).await
}
