//! `/admin/api-keys`: administrators issue keys to other systems — a push
//! key to a department's system, a feed key to the provincial credit
//! platform — and revoke them.

use leptos::prelude::*;

use super::{Choice, CsrfField, StaffBar, StaffView};
use crate::domain::api_key::KeyScope;
use crate::model::DepartmentOption;
use crate::pages::repair::forms::{error_for, ErrorSummary, FieldError, TextField};

/// An API key as listed (the key itself is never shown again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyRow {
    pub id: i64,
    pub scope: KeyScope,
    /// The department of a push key.
    pub department: Option<String>,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub revoked: Option<String>,
}

/// The issuing form's values, given back when it is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiKeyForm {
    pub scope: String,
    pub department: String,
    pub name: String,
}

#[component]
pub fn ApiKeysPage(
    staff: StaffView,
    keys: Vec<ApiKeyRow>,
    departments: Vec<DepartmentOption>,
    form: ApiKeyForm,
    errors: Vec<FieldError>,
    /// A key just issued: (system name, the key), shown this once.
    issued: Option<(String, String)>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let form_csrf = staff.csrf.clone();
    let scope_error = error_for(&errors, "scope");
    let scope_invalid = scope_error.is_some();
    let dept_error = error_for(&errors, "department");
    let mut department_options =
        vec![(String::new(), "不属于任何单位（共享读取密钥）".to_string())];
    department_options.extend(departments.into_iter().map(|d| (d.id.to_string(), d.name)));
    let name_error = error_for(&errors, "name");
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <h1>"接口密钥"</h1>
        <p>"各单位业务系统使用报送密钥，通过 " <code>"POST /api/v1/collect/penalties"</code> " 和 "
            <code>"/api/v1/collect/licenses"</code> " 报送本单位的信息；省级信用平台使用共享读取密钥，通过 "
            <code>"GET /api/v1/feed/changes"</code> " 读取记录变动。请求头均为 "
            <code>"Authorization: Bearer 密钥"</code> "。接口说明见 " <a href="/api/v1/openapi.json">"OpenAPI 描述"</a> "。"</p>
        {issued.map(|(name, key)| view! {
            <div class="panel confirmation" role="status">
                <h2>{format!("已为“{name}”签发密钥")}</h2>
                <p class="big-code issued-key">{key}</p>
                <p><strong>"密钥只显示这一次，请立即交给对方系统管理员妥善保存。"</strong>"系统只保存其哈希值，遗失后只能吊销并重新签发。"</p>
            </div>
        })}
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"接口密钥"</caption>
                <thead><tr><th scope="col">"用途"</th><th scope="col">"单位"</th><th scope="col">"系统"</th><th scope="col">"密钥开头"</th><th scope="col">"签发时间"</th><th scope="col">"状态"</th></tr></thead>
                <tbody>
                    {keys.into_iter().map(|k| {
                        let label = format!("吊销 {} 的密钥", k.name);
                        let csrf = csrf.clone();
                        view! {
                            <tr>
                                <td>{k.scope.label()}</td>
                                <td>{k.department.unwrap_or_else(|| "—".into())}</td>
                                <td>{k.name}</td><td><code>{k.prefix}"…"</code></td><td>{k.created}</td>
                                <td>{match k.revoked {
                                    Some(when) => view! { {format!("已于 {when} 吊销")} }.into_any(),
                                    None => view! {
                                        <form method="post" action="/admin/api-keys/revoke" class="inline-form">
                                            <CsrfField csrf/>
                                            <input type="hidden" name="id" value=k.id.to_string()/>
                                            <button type="submit" class="button-secondary" aria-label=label>"吊销"</button>
                                        </form>
                                    }.into_any(),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"签发新密钥"</h2>
        <form method="post" action="/admin/api-keys" class="panel" novalidate>
            <CsrfField csrf=form_csrf/>
            <fieldset class="field" class:field-error=scope_invalid>
                <legend>"用途"</legend>
                {scope_error.map(|e| view! { <p class="error-message" id="scope-error">"错误："{e}</p> })}
                {KeyScope::ALL.into_iter().enumerate().map(|(i, s)| {
                    // The first radio carries the field's id, so the error
                    // summary's link lands on the group.
                    let id = if i == 0 { "scope".to_string() } else { format!("scope_{}", s.code()) };
                    view! {
                        <div class="radio">
                            <input type="radio" id=id.clone() name="scope" value=s.code() checked=form.scope == s.code()/>
                            <label for=id>{s.label()}"：" {s.explanation()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <Choice id="department" label="使用单位（报送密钥、联合奖惩核查密钥）" options=department_options selected=form.department error=dept_error/>
            <TextField id="name" label="系统名称" hint="如：市场监管执法办案系统、省信用信息共享平台" value=form.name error=name_error.unwrap_or_default()/>
            <button type="submit" class="button">"签发"</button>
        </form>
    }
}
