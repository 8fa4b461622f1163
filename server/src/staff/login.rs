//! Sign-in, sign-out and password change.
//!
//! Failed logins are limited per client (20 in 15 minutes, whatever the
//! usernames: 429), per client and username (5 in 15 minutes) and per
//! username (50 a day, except from clients the account recently signed in
//! from), as `app::domain::staff` sets out. Below the per-client limit
//! every failure — wrong password, unknown or disabled user, a limited
//! attempt — gets the same status and message and the same work (one
//! Argon2 verification), so neither the answer nor its time tells whether
//! an account exists or is being limited. A new session id is issued at
//! every login.

use app::domain::staff::{
    check_new_password, username_key, AuditAction, Role, CLIENT_LOGIN_FAILURES, CLIENT_WINDOW,
    LOGIN_FAILED,
};
use app::pages::admin::{LoginPage, PasswordPage};
use app::pages::repair::forms::FieldError;
use app::store::staff::{NewAuditEntry, StoredSession};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::session::{
    blocking, clear_session_cookie, hashed, new_tokens, session_cookie, session_token,
    verify_password, Staff,
};
use super::{audit_entry, register, render, Halt, Handled, StaffState};
use crate::http::client::{client_of, ClientAddr};
use crate::http::forms::{same_origin, see_other};
use crate::http::tokens::sha256_hex;

fn login_page(status: StatusCode, username: String, errors: Vec<FieldError>) -> Handled {
    Ok(render(status, "工作人员登录", move || {
        view! { <LoginPage username errors/> }.into_any()
    }))
}

/// `/admin`: where each role starts.
pub async fn home(staff: Staff) -> Handled {
    Ok(see_other(match staff.member.role {
        Role::Reviewer => "/admin/repairs",
        Role::Auditor => "/admin/audit",
        Role::Admin => "/admin/accounts",
    }))
}

pub async fn form() -> Handled {
    login_page(StatusCode::OK, String::new(), vec![])
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Handled {
    same_origin(&headers)?;
    let client = client_of(addr);
    let now = Utc::now();
    let username: String = f.username.trim().chars().take(64).collect();
    let mut errors = Vec::new();
    if username.is_empty() {
        errors.push(FieldError::new("username", "请输入用户名"));
    }
    if f.password.is_empty() {
        errors.push(FieldError::new("password", "请输入密码"));
    }
    if !errors.is_empty() {
        return login_page(StatusCode::BAD_REQUEST, username, errors);
    }
    let recent_failures = state
        .staff
        .client_login_failures_since(&client, now - CLIENT_WINDOW)
        .await?;
    if recent_failures >= CLIENT_LOGIN_FAILURES {
        return login_page(
            StatusCode::TOO_MANY_REQUESTS,
            username,
            vec![FieldError::new(
                "username",
                "登录失败次数过多，请 15 分钟后再试。",
            )],
        );
    }
    let account = state
        .staff
        .account_by_username(&username)
        .await?
        .filter(|a| !a.disabled);
    let account_id = account.as_ref().map(|a| a.member.account_id);
    let key = username_key(&username);
    let standing = state
        .staff
        .login_standing(&key, account_id, &client, now)
        .await?;
    // Verified even when the attempt is refused anyway, so that a limited
    // attempt takes as long as any other.
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let password = f.password.clone();
    let verified = blocking(move || verify_password(&password, stored.as_deref()))
        .await
        .unwrap_or(false);
    let Some(account) = account.filter(|_| verified && !standing.refused()) else {
        let entry = NewAuditEntry {
            at: now,
            account_id,
            actor: username.clone(),
            action: AuditAction::LoginFailed,
            target: "工作台".into(),
            purpose: if standing.refused() {
                "登录失败次数过多，本次未予登录"
            } else {
                "用户名或密码不正确"
            }
            .into(),
            client: client.clone(),
        };
        register(&state, entry).await?;
        state.staff.note_login_failure(&key, &client, now).await?;
        return login_page(
            StatusCode::BAD_REQUEST,
            username,
            vec![FieldError::new("password", LOGIN_FAILED)],
        );
    };
    let (token, csrf) = new_tokens()?;
    // A session id is never reused across logins: end the old one.
    if let Some(old) = session_token(&headers, state.secure_cookies) {
        let _ = state.staff.end_session(&sha256_hex(old.as_bytes())).await;
    }
    let session = StoredSession {
        token_hash: sha256_hex(token.as_bytes()),
        account_id: account.member.account_id,
        csrf_token: csrf,
        created_at: now,
        last_seen_at: now,
    };
    state.staff.start_session(&session, &client).await?;
    let entry = NewAuditEntry {
        at: now,
        account_id: Some(account.member.account_id),
        actor: account.member.username.clone(),
        action: AuditAction::LoginSucceeded,
        target: "工作台".into(),
        purpose: "登录".into(),
        client,
    };
    register(&state, entry).await?;
    let mut response = see_other("/admin");
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(state.secure_cookies, &token),
    );
    Ok(response)
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn logout(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Handled {
    staff.check_post(&headers, &f.csrf)?;
    state.staff.end_session(&staff.session.token_hash).await?;
    let entry = audit_entry(&staff, AuditAction::Logout, "工作台", "退出登录");
    register(&state, entry).await?;
    let mut response = see_other("/admin/login");
    response.headers_mut().insert(
        header::SET_COOKIE,
        clear_session_cookie(state.secure_cookies),
    );
    Ok(response)
}

pub async fn password_form(staff: Staff) -> Handled {
    let view_data = staff.view();
    let required = staff.must_change_password;
    Ok(render(StatusCode::OK, "修改密码", move || {
        view! { <PasswordPage staff=view_data errors=vec![] changed=false required/> }.into_any()
    }))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn change_password(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Handled {
    staff.check_post(&headers, &f.csrf)?;
    let Some(account) = state.staff.account(staff.member.account_id).await? else {
        return Err(Halt::failed("the signed-in account vanished"));
    };
    let mut errors = Vec::new();
    let current = f.current_password.clone();
    let stored = account.password_hash.clone();
    let current_ok = blocking(move || verify_password(&current, Some(&stored)))
        .await
        .unwrap_or(false);
    if !current_ok {
        errors.push(FieldError::new("current_password", "当前密码不正确"));
    }
    if let Err(m) = check_new_password(&f.new_password, &staff.member.username) {
        errors.push(FieldError::new("new_password", m));
    } else if f.new_password != f.confirm_password {
        errors.push(FieldError::new(
            "confirm_password",
            "两次输入的新密码不一致",
        ));
    }
    let view_data = staff.view();
    let required = staff.must_change_password;
    if !errors.is_empty() {
        return Ok(render(StatusCode::BAD_REQUEST, "修改密码", move || {
            view! { <PasswordPage staff=view_data errors changed=false required/> }.into_any()
        }));
    }
    let new_password = f.new_password.clone();
    let hash = hashed(new_password).await?;
    state
        .staff
        .set_password(
            staff.member.account_id,
            &hash,
            &staff.session.token_hash,
            Utc::now(),
        )
        .await?;
    let entry = audit_entry(&staff, AuditAction::PasswordChanged, "本人账号", "修改密码");
    register(&state, entry).await?;
    Ok(render(StatusCode::OK, "修改密码", move || {
        view! { <PasswordPage staff=view_data errors=vec![] changed=true/> }.into_any()
    }))
}
