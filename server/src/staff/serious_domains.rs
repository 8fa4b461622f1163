//! The serious list's domains for the credit authority's administrators:
//! the list of domains, a new one, and changes to one. The rules of a
//! domain (a basis that cites a document, periods, mirrored lists) are the
//! domain's (`app::domain::serious_domain`); this only shows and saves.

use app::domain::serious_domain::NewSeriousDomain;
use app::domain::staff::AuditAction;
use app::pages::admin::serious_domains::{SeriousDomainPage, SeriousDomainsPage};
use app::pages::repair::forms::FieldError;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Form;
use leptos::prelude::*;
use serde::Deserialize;

use super::session::Staff;
use super::{audit_entry, not_found, render, Handled, StaffState};
use crate::http::forms::see_other;

/// A domain's form as posted (a checkbox sends `mirrored=yes` or nothing).
#[derive(Deserialize)]
pub struct DomainPost {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    list_basis: String,
    #[serde(default)]
    standard_basis: String,
    #[serde(default)]
    listing_authority: String,
    #[serde(default)]
    listing_years: String,
    #[serde(default)]
    earliest_removal_years: String,
    #[serde(default)]
    removal_conditions: String,
    #[serde(default)]
    removal_procedure: String,
    #[serde(default)]
    mirrored: Option<String>,
    #[serde(default)]
    mirror_contact: String,
}

impl DomainPost {
    fn form(&self, code: &str) -> NewSeriousDomain {
        NewSeriousDomain {
            code: code.to_string(),
            name: self.name.clone(),
            list_basis: self.list_basis.clone(),
            standard_basis: self.standard_basis.clone(),
            listing_authority: self.listing_authority.clone(),
            listing_years: self.listing_years.clone(),
            earliest_removal_years: self.earliest_removal_years.clone(),
            removal_conditions: self.removal_conditions.clone(),
            removal_procedure: self.removal_procedure.clone(),
            mirrored: self.mirrored.is_some(),
            mirror_contact: self.mirror_contact.clone(),
        }
    }
}

fn field_errors(errors: Vec<(&'static str, String)>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|(field, message)| FieldError::new(field, message))
        .collect()
}

async fn list_page(
    state: &StaffState,
    staff: &Staff,
    status: StatusCode,
    form: NewSeriousDomain,
    errors: Vec<FieldError>,
) -> Handled {
    let domains = state.serious.domains().await?;
    let view_data = staff.view();
    Ok(render(
        status,
        "严重失信主体名单领域",
        move || view! { <SeriousDomainsPage staff=view_data domains form errors/> }.into_any(),
    ))
}

pub async fn list(State(state): State<StaffState>, staff: Staff) -> Handled {
    staff.require_admin()?;
    list_page(&state, &staff, StatusCode::OK, Default::default(), vec![]).await
}

/// Adds a domain: refused, with every field's fault, unless it names the
/// documents that set the list and its standard up.
pub async fn add(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<DomainPost>,
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
    let form = f.form(f.code.trim());
    let domain = match form.check() {
        Ok(d) => d,
        Err(errors) => {
            let errors = field_errors(errors);
            return list_page(&state, &staff, StatusCode::BAD_REQUEST, form, errors).await;
        }
    };
    let audit = audit_entry(
        &staff,
        AuditAction::SeriousDomainChanged,
        format!("名单领域 {}", domain.code),
        format!(
            "新增名单领域：{}（依据：{}）",
            domain.name, domain.list_basis
        ),
    );
    if !state.serious.add_domain(&domain, &audit).await? {
        let errors = vec![FieldError::new(
            "code",
            "该领域编码或名单名称已存在，请核对后修改原领域",
        )];
        return list_page(&state, &staff, StatusCode::BAD_REQUEST, form, errors).await;
    }
    Ok(see_other(&format!(
        "/admin/serious-domains/{}?saved=added",
        domain.code
    )))
}

async fn domain_page(
    state: &StaffState,
    staff: &Staff,
    code: &str,
    status: StatusCode,
    form: Option<NewSeriousDomain>,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Handled {
    let Some(stored) = state.serious.domain(code).await? else {
        return Ok(not_found(Some(staff.view())));
    };
    let form = form.unwrap_or_else(|| NewSeriousDomain::from(&stored));
    let view_data = staff.view();
    let code = stored.code;
    Ok(render(status, "名单领域", move || {
        view! { <SeriousDomainPage staff=view_data code form errors notice/> }.into_any()
    }))
}

#[derive(Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn domain(
    State(state): State<StaffState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(saved): Query<Saved>,
) -> Handled {
    staff.require_admin()?;
    let notice = match saved.saved.as_deref() {
        Some("added") => Some("已新增名单领域。".to_string()),
        Some("changed") => Some("已保存修改。".to_string()),
        _ => None,
    };
    domain_page(&state, &staff, &code, StatusCode::OK, None, vec![], notice).await
}

/// Changes a domain's attributes; its code stays (listings name it).
pub async fn update(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<DomainPost>,
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
    let Some(before) = state.serious.domain(&code).await? else {
        return Ok(not_found(Some(staff.view())));
    };
    let form = f.form(&before.code);
    let domain = match form.check() {
        Ok(d) => d,
        Err(errors) => {
            let errors = field_errors(errors);
            return domain_page(
                &state,
                &staff,
                &code,
                StatusCode::BAD_REQUEST,
                Some(form),
                errors,
                None,
            )
            .await;
        }
    };
    let audit = audit_entry(
        &staff,
        AuditAction::SeriousDomainChanged,
        format!("名单领域 {}", domain.code),
        format!("修改名单领域：{}", domain.name),
    );
    if !state.serious.update_domain(&domain, &audit).await? {
        let errors = vec![FieldError::new("name", "该名单名称已被另一个领域使用")];
        return domain_page(
            &state,
            &staff,
            &code,
            StatusCode::BAD_REQUEST,
            Some(form),
            errors,
            None,
        )
        .await;
    }
    Ok(see_other(&format!(
        "/admin/serious-domains/{}?saved=changed",
        domain.code
    )))
}
