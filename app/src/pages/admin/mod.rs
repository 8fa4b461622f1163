//! The staff console (`/admin/…`): sign-in, the review queue, one
//! application with its actions, the access register, accounts and the
//! holiday calendar. Plain HTML forms handled by the server's `staff`
//! module, which checks who is asking on every request; these components
//! only render what it decided to show.

pub mod api_keys;
pub mod catalog;
pub mod import;
pub mod listings;
pub mod measures;
pub mod objections;
pub mod register;
pub mod review;
pub mod serious_domains;
pub mod settings;

use leptos::prelude::*;

use super::repair::forms::{error_for, ErrorSummary, FieldError, TextField};
use crate::domain::staff::{Role, StaffMember};

/// Who is signed in, and the form fields every staff form carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffView {
    pub member: StaffMember,
    pub department_name: Option<String>,
    /// Posted back by every form (`_csrf`), with the same-origin check.
    pub csrf: String,
}

/// A labelled select over (code, label) options.
#[component]
pub fn Choice(
    id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    selected: String,
    error: Option<String>,
) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-error=invalid>
            <label for=id>{label}</label>
            {error.map(|e| view! { <p class="error-message" id=format!("{id}-error")>"错误："{e}</p> })}
            <select id=id name=id>
                {options.into_iter().map(|(code, text)| {
                    let is = code == selected;
                    view! { <option value=code selected=is>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The hidden field carrying the session's anti-forgery token.
#[component]
pub fn CsrfField(csrf: String) -> impl IntoView {
    view! { <input type="hidden" name="_csrf" value=csrf/> }
}

/// The bar at the top of every console page: who, where, sign out.
#[component]
pub fn StaffBar(staff: StaffView) -> impl IntoView {
    let role = staff.member.role;
    let who = match &staff.department_name {
        Some(d) => format!("{}（{} · {}）", staff.member.display_name, role.label(), d),
        None => format!("{}（{}）", staff.member.display_name, role.label()),
    };
    view! {
        <nav class="staff-bar panel" aria-label="工作台">
            <p>"已登录：" {who}</p>
            <ul>
                {(role == Role::Reviewer).then(|| view! {
                    <li><a href="/admin/repairs">"修复申请待办"</a></li>
                    <li><a href="/admin/import">"导入双公示信息"</a></li>
                    <li><a href="/admin/listings">"名单认定"</a></li>
                    <li><a href="/admin/objections">"异议处理"</a></li>
                    <li><a href="/admin/joint-check">"联合奖惩核查"</a></li>
                })}
                {(role == Role::Auditor).then(|| view! { <li><a href="/admin/audit">"查询使用登记"</a></li> })}
                {(role == Role::Admin).then(|| view! {
                    <li><a href="/admin/accounts">"账号管理"</a></li>
                    <li><a href="/admin/catalog">"信用信息目录"</a></li>
                    <li><a href="/admin/serious-domains">"名单领域"</a></li>
                    <li><a href="/admin/measures">"惩戒措施清单"</a></li>
                    <li><a href="/admin/joint-check">"联合奖惩核查"</a></li>
                    <li><a href="/admin/listing-oversight">"名单认定督办"</a></li>
                    <li><a href="/admin/objection-oversight">"异议督办"</a></li>
                    <li><a href="/admin/api-keys">"接口密钥"</a></li>
                    <li><a href="/admin/quality">"报送质量"</a></li>
                    <li><a href="/admin/calendar">"节假日安排"</a></li>
                })}
                <li><a href="/admin/password">"修改密码"</a></li>
                <li>
                    <form method="post" action="/admin/logout" class="inline-form">
                        <CsrfField csrf=staff.csrf.clone()/>
                        <button type="submit" class="button-secondary">"退出登录"</button>
                    </form>
                </li>
            </ul>
        </nav>
    }
}

/// `/admin/login`.
#[component]
pub fn LoginPage(username: String, errors: Vec<FieldError>) -> impl IntoView {
    let username_error = error_for(&errors, "username");
    let password_error = error_for(&errors, "password");
    view! {
        <ErrorSummary errors/>
        <h1>"工作人员登录"</h1>
        <p>"本入口仅供认定单位审核人员、信用主管部门管理员和审计人员使用。所有登录和查阅均会登记。"</p>
        <form method="post" action="/admin/login" class="panel" novalidate>
            <TextField id="username" label="用户名" value=username error=username_error.unwrap_or_default() autocomplete="username"/>
            <TextField id="password" label="密码" input_type="password" error=password_error.unwrap_or_default() autocomplete="current-password"/>
            <button type="submit" class="button">"登录"</button>
        </form>
    }
}

/// `/admin/password`.
#[component]
pub fn PasswordPage(
    staff: StaffView,
    errors: Vec<FieldError>,
    changed: bool,
    /// The password was set by an administrator and must be replaced first.
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let current_error = error_for(&errors, "current_password");
    let new_error = error_for(&errors, "new_password");
    let confirm_error = error_for(&errors, "confirm_password");
    view! {
        <StaffBar staff=staff.clone()/>
        <ErrorSummary errors/>
        <h1>"修改密码"</h1>
        {changed.then(|| view! { <div class="notice" role="status"><p>"密码已修改，其他设备上的登录已退出。"</p></div> })}
        {(required && !changed).then(|| view! { <div class="notice" role="status"><p>"您的密码由管理员设置（新账号或重置），请先设置只有您知道的新密码，再使用其他功能。“当前密码”填写管理员告知的密码。"</p></div> })}
        <form method="post" action="/admin/password" class="panel" novalidate>
            <CsrfField csrf=staff.csrf/>
            <TextField id="current_password" label="当前密码" input_type="password" error=current_error.unwrap_or_default() autocomplete="current-password"/>
            <TextField
                id="new_password"
                label="新密码"
                hint="至少 12 个字符，包含小写字母、大写字母、数字、符号中的至少三类，不能包含用户名。"
                input_type="password"
                error=new_error.unwrap_or_default()
                autocomplete="new-password"
            />
            <TextField id="confirm_password" label="再次输入新密码" input_type="password" error=confirm_error.unwrap_or_default() autocomplete="new-password"/>
            <button type="submit" class="button">"修改密码"</button>
        </form>
    }
}

/// A page a signed-in member may not see.
#[component]
pub fn ForbiddenPage(staff: Option<StaffView>, message: String) -> impl IntoView {
    view! {
        {staff.map(|staff| view! { <StaffBar staff/> })}
        <h1>"无权访问"</h1>
        <div class="error-panel" role="alert"><p>{message}</p></div>
    }
}
