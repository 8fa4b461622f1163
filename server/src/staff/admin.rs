//! The credit authority's pages: accounts and the holiday calendar
//! (administrators), the access register (auditors).

use app::domain::staff::{
    check_new_password, check_username, disable_refusal, temporary_password, AuditAction, Role,
};
use app::domain::working_days::{
    calendar_gap_notice, china_day_start, china_time_label, uncovered_years, CalendarEntry,
    DayKind, HolidayCalendar,
};
use app::model::DepartmentOption;
use app::pages::admin::register::{RegisterPage, RegisterQuery, RegisterRow};
use app::pages::admin::settings::{
    AccountForm, AccountNotice, AccountRow, AccountsPage, CalendarPage,
};
use app::pages::repair::forms::FieldError;
use app::store::staff::{AuditFilter, NewAccount};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Form;
use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use serde::Deserialize;

use super::session::{hashed, Staff};
use super::{
    audit_entry, forbidden, not_found, register as write_register, render, require, Halt, Handled,
    StaffState,
};
use crate::http::forms::see_other;
use crate::store::register::verify_chain;

// ----- access register --------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct RegisterParams {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn register(
    State(state): State<StaffState>,
    staff: Staff,
    Query(p): Query<RegisterParams>,
) -> Handled {
    require(&staff, staff.member.may_audit(), "审计人员")?;
    let mut error = None;
    let date = |raw: &str, label: &str, error: &mut Option<String>| {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                *error = Some(format!("{label}格式应为 2026-11-26"));
                None
            }
        }
    };
    let from = date(&p.from, "日期起", &mut error);
    let to = date(&p.to, "日期止", &mut error);
    let filter = AuditFilter {
        actor: Some(p.actor.trim().to_string()).filter(|s| !s.is_empty()),
        action: AuditAction::from_code(p.action.trim()),
        target: Some(p.target.trim().to_string()).filter(|s| !s.is_empty()),
        from: from.and_then(china_day_start),
        until: to.and_then(|d| d.succ_opt()).and_then(china_day_start),
        limit: 200,
    };
    // Reading the register is itself registered.
    let entry = audit_entry(&staff, AuditAction::ViewAudit, "使用登记", "审计检查");
    write_register(&state, entry).await?;
    let entries = state.staff.audit_entries(&filter).await?;
    let chain = match state.staff.audit_chain().await {
        Ok(all) => verify_chain(&all).map_err(|b| format!("第 {} 条{}", b.id, b.reason)),
        Err(e) => return Err(e.into()),
    };
    let rows = entries
        .into_iter()
        .map(|e| RegisterRow {
            id: e.id,
            at: china_time_label(e.at, true),
            actor: e.actor,
            action: AuditAction::from_code(&e.action)
                .map(|a| a.label().to_string())
                .unwrap_or(e.action),
            target: e.target,
            purpose: e.purpose,
            client: e.client,
        })
        .collect();
    let query = RegisterQuery {
        actor: p.actor,
        action: p.action,
        target: p.target,
        from: p.from,
        to: p.to,
    };
    let view_data = staff.view();
    Ok(render(StatusCode::OK, "查询使用登记", move || {
        view! { <RegisterPage staff=view_data query rows chain error/> }.into_any()
    }))
}

// ----- accounts -----------------------------------------------------------------

async fn accounts_page(
    state: &StaffState,
    staff: &Staff,
    status: StatusCode,
    form: AccountForm,
    errors: Vec<FieldError>,
    notice: Option<AccountNotice>,
) -> Handled {
    let accounts = state.staff.accounts().await?;
    let departments: Vec<DepartmentOption> = state.repair.portal.store.departments().await?;
    let rows = accounts
        .into_iter()
        .map(|a| AccountRow {
            id: a.member.account_id,
            username: a.member.username,
            display_name: a.member.display_name,
            role: a.member.role,
            department: a.department_name,
            disabled: a.disabled,
            must_change_password: a.must_change_password,
            own: a.member.account_id == staff.member.account_id,
        })
        .collect();
    let view_data = staff.view();
    Ok(render(status, "账号管理", move || {
        view! { <AccountsPage staff=view_data accounts=rows departments form errors notice/> }
            .into_any()
    }))
}

pub async fn accounts(State(state): State<StaffState>, staff: Staff) -> Handled {
    staff.require_admin()?;
    accounts_page(
        &state,
        &staff,
        StatusCode::OK,
        AccountForm::default(),
        vec![],
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct CreateAccountForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    password: String,
}

pub async fn create_account(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<CreateAccountForm>,
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
    let form = AccountForm {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        role: f.role.clone(),
        department: f.department.clone(),
    };
    let mut errors = Vec::new();
    let username = check_username(&f.username)
        .map_err(|m| errors.push(FieldError::new("username", m)))
        .ok();
    let display_name = f.display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > 32 {
        errors.push(FieldError::new(
            "display_name",
            "请填写姓名（不超过 32 个字）",
        ));
    }
    let role = Role::from_code(f.role.trim());
    if role.is_none() {
        errors.push(FieldError::new("role", "请选择角色"));
    }
    let department = f.department.trim().parse::<i64>().ok();
    let departments = state.repair.portal.store.departments().await?;
    let department = department.filter(|id| departments.iter().any(|d| d.id == *id));
    match (role, department) {
        (Some(Role::Reviewer), None) => {
            errors.push(FieldError::new("department", "审核员须选择所属认定单位"))
        }
        (Some(Role::Admin | Role::Auditor), Some(_)) => errors.push(FieldError::new(
            "department",
            "管理员和审计员不属于认定单位，请选择“不属于认定单位”",
        )),
        _ => {}
    }
    if let Err(m) = check_new_password(&f.password, username.as_deref().unwrap_or("")) {
        errors.push(FieldError::new("password", m));
    }
    let (Some(username), Some(role), true) = (username, role, errors.is_empty()) else {
        return accounts_page(&state, &staff, StatusCode::BAD_REQUEST, form, errors, None).await;
    };
    let password = f.password.clone();
    let hash = hashed(password).await?;
    let account = NewAccount {
        username: username.clone(),
        display_name,
        role,
        department_id: department,
        password_hash: hash,
        // The administrator knows it: its holder must choose their own.
        must_change_password: true,
        now: Utc::now(),
    };
    match state.staff.create_account(&account).await {
        Ok(Ok(_)) => {}
        Ok(Err(taken)) => {
            return accounts_page(
                &state,
                &staff,
                StatusCode::BAD_REQUEST,
                form,
                vec![FieldError::new("username", taken)],
                None,
            )
            .await
        }
        Err(e) => return Err(e.into()),
    }
    let entry = audit_entry(
        &staff,
        AuditAction::AccountCreated,
        format!("账号 {username}（{}）", role.label()),
        "开设工作人员账号",
    );
    write_register(&state, entry).await?;
    accounts_page(
        &state,
        &staff,
        StatusCode::OK,
        AccountForm::default(),
        vec![],
        Some(AccountNotice::Created(username)),
    )
    .await
}

#[derive(Deserialize)]
pub struct AccountAction {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// The account `id` an administrator acts on, after the checks every
/// account action shares; or the answer to give.
async fn account_to_change(
    state: &StaffState,
    staff: &Staff,
    headers: &HeaderMap,
    csrf: &str,
    id: i64,
) -> Result<app::store::staff::StoredAccount, Halt> {
    staff.check_admin_post(headers, csrf)?;
    match state.staff.account(id).await? {
        Some(a) => Ok(a),
        None => Err(not_found(Some(staff.view())).into()),
    }
}

async fn set_disabled(
    state: StaffState,
    staff: Staff,
    headers: HeaderMap,
    id: i64,
    csrf: String,
    disabled: bool,
) -> Handled {
    let account = account_to_change(&state, &staff, &headers, &csrf, id).await?;
    if disabled {
        let active_admins = match state.staff.accounts().await {
            Ok(all) => all
                .iter()
                .filter(|a| a.member.role == Role::Admin && !a.disabled)
                .count(),
            Err(e) => return Err(e.into()),
        };
        if let Some(reason) =
            disable_refusal(staff.member.account_id, &account.member, active_admins)
        {
            return Ok(forbidden(Some(staff.view()), reason));
        }
    }
    let username = account.member.username.clone();
    let entry = audit_entry(
        &staff,
        AuditAction::AccountChanged,
        format!("账号 {username}"),
        if disabled {
            "停用账号"
        } else {
            "启用账号"
        },
    );
    state.staff.set_disabled(id, disabled, &entry).await?;
    let notice = if disabled {
        AccountNotice::Disabled(username)
    } else {
        AccountNotice::Enabled(username)
    };
    let form = AccountForm::default();
    accounts_page(&state, &staff, StatusCode::OK, form, vec![], Some(notice)).await
}

/// Disables an account: its sessions end and it cannot sign in.
pub async fn disable_account(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<AccountAction>,
) -> Handled {
    set_disabled(state, staff, headers, id, f.csrf, true).await
}

pub async fn enable_account(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<AccountAction>,
) -> Handled {
    set_disabled(state, staff, headers, id, f.csrf, false).await
}

/// Resets a forgotten password to a temporary one, shown once to the
/// administrator, which its holder must replace at the next sign-in.
pub async fn reset_password(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<AccountAction>,
) -> Handled {
    let account = account_to_change(&state, &staff, &headers, &f.csrf, id).await?;
    if account.member.account_id == staff.member.account_id {
        return Ok(forbidden(
            Some(staff.view()),
            "自己的密码请在“修改密码”中修改。",
        ));
    }
    let username = account.member.username.clone();
    let password = loop {
        let random = crate::http::tokens::random_16()?;
        let candidate = temporary_password(random);
        if check_new_password(&candidate, &username).is_ok() {
            break candidate;
        }
    };
    let for_hash = password.clone();
    let hash = hashed(for_hash).await?;
    let entry = audit_entry(
        &staff,
        AuditAction::AccountChanged,
        format!("账号 {username}"),
        "重置密码（须在下次登录时修改）",
    );
    state
        .staff
        .reset_password(id, &hash, Utc::now(), &entry)
        .await?;
    let notice = AccountNotice::PasswordReset { username, password };
    let form = AccountForm::default();
    accounts_page(&state, &staff, StatusCode::OK, form, vec![], Some(notice)).await
}

// ----- holiday calendar -----------------------------------------------------------

async fn calendar_page(
    state: &StaffState,
    staff: &Staff,
    status: StatusCode,
    errors: Vec<FieldError>,
    date: String,
    name: String,
) -> Handled {
    let entries = state.repair.repairs.calendar().await?;
    let deadlines = state.staff.open_deadlines().await?;
    let calendar = HolidayCalendar::new(entries.iter().cloned());
    let gap_notice = calendar_gap_notice(&uncovered_years(&calendar, deadlines));
    let view_data = staff.view();
    Ok(render(status, "节假日安排", move || {
        view! { <CalendarPage staff=view_data entries errors date name gap_notice/> }.into_any()
    }))
}

pub async fn calendar(State(state): State<StaffState>, staff: Staff) -> Handled {
    staff.require_admin()?;
    calendar_page(
        &state,
        &staff,
        StatusCode::OK,
        vec![],
        String::new(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct CalendarForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    source: String,
}

pub async fn set_calendar_day(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<CalendarForm>,
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
    let mut errors = Vec::new();
    let date = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d")
        .map_err(|_| errors.push(FieldError::new("date", "请填写日期，格式如 2027-02-06")))
        .ok();
    let kind = DayKind::from_code(f.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "请选择放假或调休上班"));
    }
    let name = f.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 20 {
        errors.push(FieldError::new(
            "name",
            "请填写节日名称（不超过 20 个字），如：春节",
        ));
    }
    let (Some(date), Some(kind), true) = (date, kind, errors.is_empty()) else {
        return calendar_page(
            &state,
            &staff,
            StatusCode::BAD_REQUEST,
            errors,
            f.date,
            f.name,
        )
        .await;
    };
    let source = Some(f.source.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("管理员 {} 录入", staff.member.username));
    let entry = CalendarEntry {
        date,
        kind,
        name: name.clone(),
        source,
    };
    let audit = audit_entry(
        &staff,
        AuditAction::CalendarChanged,
        format!("{date} {}（{name}）", kind.label()),
        "维护节假日安排",
    );
    state.staff.set_calendar_day(&entry, &audit).await?;
    Ok(see_other("/admin/calendar"))
}

#[derive(Deserialize)]
pub struct RemoveDayForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    date: String,
}

pub async fn remove_calendar_day(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<RemoveDayForm>,
) -> Handled {
    staff.check_admin_post(&headers, &f.csrf)?;
    let Ok(date) = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d") else {
        return calendar_page(
            &state,
            &staff,
            StatusCode::BAD_REQUEST,
            vec![FieldError::new("date", "要删除的日期格式不正确")],
            String::new(),
            String::new(),
        )
        .await;
    };
    let audit = audit_entry(
        &staff,
        AuditAction::CalendarChanged,
        format!("删除 {date}"),
        "维护节假日安排",
    );
    state.staff.remove_calendar_day(date, &audit).await?;
    Ok(see_other("/admin/calendar"))
}
