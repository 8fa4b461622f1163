//! What administrators maintain: staff accounts (`/admin/accounts`) and the
//! holiday calendar deadlines are counted on (`/admin/calendar`).

use leptos::prelude::*;

use super::{Choice, CsrfField, StaffBar, StaffView};
use crate::domain::publication::format_date_cn;
use crate::domain::staff::Role;
use crate::domain::working_days::CalendarEntry;
use crate::model::DepartmentOption;
use crate::pages::repair::forms::{error_for, ErrorSummary, FieldError, TextField};

/// An account as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    /// The administrator's own account (no actions on it here).
    pub own: bool,
}

impl AccountRow {
    fn status(&self) -> &'static str {
        if self.disabled {
            "已停用"
        } else if self.must_change_password {
            "待本人设置密码"
        } else {
            "正常"
        }
    }
}

/// What the accounts page says of the action just taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountNotice {
    Created(String),
    Disabled(String),
    Enabled(String),
    /// The temporary password, shown this once.
    PasswordReset {
        username: String,
        password: String,
    },
}

/// The create-account form's values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountForm {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department: String,
}

#[component]
pub fn AccountsPage(
    staff: StaffView,
    accounts: Vec<AccountRow>,
    departments: Vec<DepartmentOption>,
    form: AccountForm,
    errors: Vec<FieldError>,
    notice: Option<AccountNotice>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let row_csrf = staff.csrf.clone();
    let role_error = error_for(&errors, "role");
    let role_invalid = role_error.is_some();
    let dept_error = error_for(&errors, "department");
    let mut department_options = vec![(String::new(), "不属于认定单位".to_string())];
    department_options.extend(departments.into_iter().map(|d| (d.id.to_string(), d.name)));
    let username_error = error_for(&errors, "username");
    let name_error = error_for(&errors, "display_name");
    let password_error = error_for(&errors, "password");
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <h1>"账号管理"</h1>
        {notice.map(|n| match n {
            AccountNotice::PasswordReset { username, password } => view! {
                <div class="panel confirmation" role="status">
                    <h2>{format!("已重置 {username} 的密码")}</h2>
                    <p class="big-code temporary-password">{password}</p>
                    <p><strong>"临时密码只显示这一次。"</strong>"请当面或通过安全渠道告知本人；本人登录后须立即设置新密码，原有登录已退出。"</p>
                </div>
            }.into_any(),
            other => {
                let text = match other {
                    AccountNotice::Created(u) => format!("账号 {u} 已创建。请将初始密码当面或通过安全渠道告知本人；本人首次登录时须设置新密码。"),
                    AccountNotice::Disabled(u) => format!("账号 {u} 已停用，其登录已全部退出。"),
                    AccountNotice::Enabled(u) => format!("账号 {u} 已启用。"),
                    AccountNotice::PasswordReset { .. } => String::new(),
                };
                view! { <div class="notice" role="status"><p>{text}</p></div> }.into_any()
            }
        })}
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"工作人员账号"</caption>
                <thead><tr><th scope="col">"用户名"</th><th scope="col">"姓名"</th><th scope="col">"角色"</th><th scope="col">"所属单位"</th><th scope="col">"状态"</th><th scope="col">"操作"</th></tr></thead>
                <tbody>
                    {accounts.into_iter().map(|a| {
                        let status = a.status();
                        let (toggle, toggle_label) = if a.disabled { ("enable", "启用") } else { ("disable", "停用") };
                        let actions = (!a.own).then(|| {
                            let csrf = row_csrf.clone();
                            let username = a.username.clone();
                            view! {
                                <form method="post" action=format!("/admin/accounts/{}/{toggle}", a.id) class="inline-form">
                                    <CsrfField csrf=csrf.clone()/>
                                    <button type="submit" class="button-secondary" aria-label=format!("{toggle_label}账号 {username}")>{toggle_label}</button>
                                </form>
                                <form method="post" action=format!("/admin/accounts/{}/reset", a.id) class="inline-form">
                                    <CsrfField csrf/>
                                    <button type="submit" class="button-secondary" aria-label=format!("重置密码：账号 {username}")>"重置密码"</button>
                                </form>
                            }
                        });
                        view! {
                            <tr>
                                <td>{a.username}</td><td>{a.display_name}</td><td>{a.role.label()}</td>
                                <td>{a.department.unwrap_or_else(|| "—".into())}</td>
                                <td>{status}</td>
                                <td>{actions.map(IntoAny::into_any).unwrap_or_else(|| "本人".into_any())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"新建账号"</h2>
        <form method="post" action="/admin/accounts" class="panel" novalidate>
            <CsrfField csrf/>
            <TextField id="username" label="用户名" hint="3 至 32 位字母、数字或 . _ -" value=form.username error=username_error.unwrap_or_default() autocomplete="off"/>
            <TextField id="display_name" label="姓名" value=form.display_name error=name_error.unwrap_or_default() autocomplete="off"/>
            <fieldset class="field" class:field-error=role_invalid>
                <legend>"角色"</legend>
                {role_error.map(|e| view! { <p class="error-message" id="role-error">"错误："{e}</p> })}
                {Role::ALL.into_iter().enumerate().map(|(i, r)| {
                    let id = if i == 0 { "role".to_string() } else { format!("role_{}", r.code()) };
                    view! {
                        <div class="radio">
                            <input type="radio" id=id.clone() name="role" value=r.code() checked=form.role == r.code()/>
                            <label for=id>{r.label()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <Choice id="department" label="所属认定单位（审核员必选）" options=department_options selected=form.department error=dept_error/>
            <TextField
                id="password"
                label="初始密码"
                hint="至少 12 个字符，包含小写字母、大写字母、数字、符号中的至少三类。"
                input_type="password"
                error=password_error.unwrap_or_default()
                autocomplete="new-password"
            />
            <button type="submit" class="button">"创建账号"</button>
        </form>
    }
}

#[component]
pub fn CalendarPage(
    staff: StaffView,
    entries: Vec<CalendarEntry>,
    errors: Vec<FieldError>,
    date: String,
    name: String,
    /// Warns when open applications' deadlines fall in years not entered.
    gap_notice: Option<String>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let date_error = error_for(&errors, "date");
    let kind_error = error_for(&errors, "kind");
    let kind_invalid = kind_error.is_some();
    let name_error = error_for(&errors, "name");
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <h1>"节假日安排"</h1>
        {gap_notice.map(|n| view! { <div class="notice" role="status"><p>{n}</p></div> })}
        <p>"修复申请的办理期限按工作日计算：周一至周五为工作日，下表中的放假日不计入，调休上班日计入。请按国务院办公厅每年发布的放假通知维护。"</p>
        <form method="post" action="/admin/calendar" class="panel" novalidate>
            <CsrfField csrf=csrf.clone()/>
            <h2>"添加或修改一天"</h2>
            <TextField id="date" label="日期" input_type="date" value=date error=date_error.unwrap_or_default()/>
            <fieldset class="field" class:field-error=kind_invalid>
                <legend>"类型"</legend>
                {kind_error.map(|e| view! { <p class="error-message" id="kind-error">"错误："{e}</p> })}
                <div class="radio"><input type="radio" id="kind" name="kind" value="holiday"/><label for="kind">"放假"</label></div>
                <div class="radio"><input type="radio" id="kind_workday" name="kind" value="workday"/><label for="kind_workday">"调休上班"</label></div>
            </fieldset>
            <TextField id="name" label="节日名称" hint="如：春节" value=name error=name_error.unwrap_or_default()/>
            <TextField id="source" label="依据" hint="如：国务院办公厅关于2027年部分节假日安排的通知"/>
            <button type="submit" class="button">"保存"</button>
        </form>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"节假日和调休上班日"</caption>
                <thead><tr><th scope="col">"日期"</th><th scope="col">"类型"</th><th scope="col">"节日"</th><th scope="col">"依据"</th><th scope="col">"操作"</th></tr></thead>
                <tbody>
                    {entries.into_iter().rev().map(|e| {
                        let label = format!("删除 {}", format_date_cn(e.date));
                        view! {
                            <tr>
                                <td>{format_date_cn(e.date)}</td>
                                <td>{e.kind.label()}</td>
                                <td>{e.name}</td>
                                <td>{e.source}</td>
                                <td>
                                    <form method="post" action="/admin/calendar/remove" class="inline-form">
                                        <CsrfField csrf=csrf.clone()/>
                                        <input type="hidden" name="date" value=e.date.to_string()/>
                                        <button type="submit" class="button-secondary" aria-label=label>"删除"</button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
