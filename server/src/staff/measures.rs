//! The measures list for the credit authority's administrators, and the
//! joint-check report. A measure's rules are the domain's
//! (`app::domain::measure`); saving is `services::measures`.

use app::domain::measure::{MeasureForm, MeasureVersion};
use app::domain::staff::{AuditAction, Role};
use app::domain::working_days::china_time_label;
use app::pages::admin::measures::{
    JointCheckPage, MeasureChoices, MeasurePage, MeasuresPage, ReasonRow, ReportRow,
};
use app::pages::repair::forms::FieldError;
use app::store::measures::Saved;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Form;
use leptos::prelude::*;
use serde::Deserialize;

use super::session::Staff;
use super::{audit_entry, not_found, render, Handled, StaffState};
use crate::http::forms::see_other;
use crate::services::joint_check::current_versions;
use crate::services::measures::{save, Outcome};

/// A posted form: pairs, since checkboxes repeat their name.
type Pairs = Vec<(String, String)>;

fn one(pairs: &Pairs, name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn all(pairs: &Pairs, name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

fn form_of(pairs: &Pairs, code: &str) -> MeasureForm {
    MeasureForm {
        code: code.to_string(),
        name: one(pairs, "name"),
        class: one(pairs, "class"),
        effect: one(pairs, "effect"),
        law: one(pairs, "law"),
        article: one(pairs, "article"),
        paragraph: one(pairs, "paragraph"),
        basis_text: one(pairs, "basis_text"),
        domains: all(pairs, "domains"),
        subject_kinds: all(pairs, "subject_kinds"),
        implementer: one(pairs, "implementer"),
        departments: all(pairs, "departments"),
        effective_from: one(pairs, "effective_from"),
        effective_to: one(pairs, "effective_to"),
    }
}

async fn choices(state: &StaffState) -> Result<MeasureChoices, app::store::StoreError> {
    Ok(MeasureChoices {
        domains: state
            .serious
            .domains()
            .await?
            .into_iter()
            .map(|d| (d.code, d.name))
            .collect(),
        departments: state.measures.all_departments().await?,
    })
}

fn field_errors(errors: Vec<(&'static str, String)>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|(f, m)| FieldError::new(f, m))
        .collect()
}

async fn list_page(
    state: &StaffState,
    staff: &Staff,
    status: StatusCode,
    form: MeasureForm,
    errors: Vec<FieldError>,
) -> Handled {
    let current = current_versions(&state.measures.measure_versions().await?);
    let choices = choices(state).await?;
    let view_data = staff.view();
    Ok(render(status, "失信惩戒措施清单", move || {
        view! { <MeasuresPage staff=view_data current choices form errors/> }.into_any()
    }))
}

pub async fn list(State(state): State<StaffState>, staff: Staff) -> Handled {
    staff.require_admin()?;
    let form = MeasureForm {
        effective_from: state.repair.portal.today().to_string(),
        ..Default::default()
    };
    list_page(&state, &staff, StatusCode::OK, form, vec![]).await
}

fn audit_of<'a>(
    staff: &'a Staff,
    verb: &str,
) -> impl FnOnce(&app::domain::measure::NewMeasure) -> app::store::staff::NewAuditEntry + 'a {
    let verb = verb.to_string();
    move |m| {
        audit_entry(
            staff,
            AuditAction::MeasureChanged,
            format!("惩戒措施 {}", m.code),
            format!("{verb}：{}（依据{}）", m.name, m.basis.citation()),
        )
    }
}

/// Adds a measure (version 1).
pub async fn add(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(pairs): Form<Pairs>,
) -> Handled {
    staff.check_admin_post(&headers, &one(&pairs, "_csrf"))?;
    let form = form_of(&pairs, one(&pairs, "code").trim());
    let departments = state.measures.all_departments().await?;
    let outcome = save(
        state.measures.as_ref(),
        state.serious.as_ref(),
        &departments,
        &form,
        None,
        audit_of(&staff, "新增惩戒措施"),
    )
    .await?;
    let errors = match outcome {
        Outcome::Saved(Saved::Version(v)) => {
            state.checks.caches.forget_measures();
            return Ok(see_other(&format!(
                "/admin/measures/{}?saved=added",
                v.code
            )));
        }
        Outcome::Saved(_) => vec![FieldError::new(
            "code",
            "该措施编码已存在：修改已有措施请打开该措施，保存为新版本",
        )],
        Outcome::Refused(errors) => field_errors(errors),
    };
    list_page(&state, &staff, StatusCode::BAD_REQUEST, form, errors).await
}

#[allow(clippy::too_many_arguments)]
async fn measure_page(
    state: &StaffState,
    staff: &Staff,
    code: &str,
    status: StatusCode,
    form: Option<MeasureForm>,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Handled {
    let versions: Vec<MeasureVersion> = state
        .measures
        .measure_versions()
        .await?
        .into_iter()
        .filter(|v| v.code == code)
        .collect();
    let Some(last) = versions.last() else {
        return Ok(not_found(Some(staff.view())));
    };
    let form = form.unwrap_or_else(|| MeasureForm::from(last));
    let choices = choices(state).await?;
    let view_data = staff.view();
    let code = last.code.clone();
    Ok(render(status, "惩戒措施", move || {
        view! { <MeasurePage staff=view_data code versions choices form errors notice/> }.into_any()
    }))
}

#[derive(Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn measure(
    State(state): State<StaffState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Handled {
    staff.require_admin()?;
    let notice = match q.saved.as_deref() {
        Some("added") => Some("已新增措施（第 1 版）。".to_string()),
        Some("changed") => Some("已保存为新版本。".to_string()),
        _ => None,
    };
    measure_page(&state, &staff, &code, StatusCode::OK, None, vec![], notice).await
}

/// Saves a change as the next version; a form read before someone else's
/// change is refused (409) rather than overwriting it.
pub async fn update(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Handled {
    staff.check_admin_post(&headers, &one(&pairs, "_csrf"))?;
    let versions = state.measures.measure_versions().await?;
    if !versions.iter().any(|v| v.code == code) {
        return Ok(not_found(Some(staff.view())));
    }
    let form = form_of(&pairs, &code);
    let Ok(expected) = one(&pairs, "expected_version").trim().parse::<u32>() else {
        let errors = vec![FieldError::new(
            "name",
            "表单已过期：请重新打开该措施后再修改",
        )];
        return measure_page(
            &state,
            &staff,
            &code,
            StatusCode::BAD_REQUEST,
            Some(form),
            errors,
            None,
        )
        .await;
    };
    let departments = state.measures.all_departments().await?;
    let outcome = save(
        state.measures.as_ref(),
        state.serious.as_ref(),
        &departments,
        &form,
        Some(expected),
        audit_of(&staff, "修改惩戒措施（新版本）"),
    )
    .await?;
    let (status, errors) = match outcome {
        Outcome::Saved(Saved::Version(_)) => {
            state.checks.caches.forget_measures();
            return Ok(see_other(&format!("/admin/measures/{code}?saved=changed")));
        }
        Outcome::Saved(_) => (
            StatusCode::CONFLICT,
            vec![FieldError::new(
                "name",
                "该措施已被他人修改为新版本：请查看最新版本后重新修改，本次未保存",
            )],
        ),
        Outcome::Refused(errors) => (StatusCode::BAD_REQUEST, field_errors(errors)),
    };
    measure_page(&state, &staff, &code, status, Some(form), errors, None).await
}

/// `/admin/joint-check`: the credit authority sees every department, a
/// reviewer their own.
pub async fn report(State(state): State<StaffState>, staff: Staff) -> Handled {
    let department = match staff.member.role {
        Role::Admin => None,
        Role::Reviewer => Some(staff.member.department_id.unwrap_or(-1)),
        _ => {
            return Ok(super::forbidden(
                Some(staff.view()),
                "联合奖惩核查统计仅供管理员和各单位审核人员查看",
            ))
        }
    };
    let report = state.measures.check_report(department).await?;
    let rows = report
        .lines
        .into_iter()
        .map(|l| ReportRow {
            department: l.department,
            measure: l.measure_name,
            checks: l.checks,
            applied: l.applied,
            not_applied: l.not_applied,
            pending: l.pending,
            late: l.late,
        })
        .collect();
    let mut totals: Vec<(String, u64, u64)> = Vec::new();
    for (d, n) in report.listed_checks {
        totals.push((d, n, 0));
    }
    for (d, n) in report.clear_checks {
        match totals.iter_mut().find(|t| t.0 == d) {
            Some(t) => t.2 = n,
            None => totals.push((d, 0, n)),
        }
    }
    totals.sort();
    let reasons = report
        .not_applied
        .into_iter()
        .map(|r| ReasonRow {
            check_id: r.check_id,
            department: r.department,
            measure: r.measure_name,
            matter: r.matter_name,
            reason: r.reason,
            received: china_time_label(r.received_at, false),
        })
        .collect();
    let view_data = staff.view();
    Ok(render(
        StatusCode::OK,
        "联合奖惩核查与反馈",
        move || view! { <JointCheckPage staff=view_data rows totals reasons/> }.into_any(),
    ))
}
