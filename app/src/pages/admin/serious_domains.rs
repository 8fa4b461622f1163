//! `/admin/serious-domains`: the domains of the serious list as the credit
//! authority keeps them. A list exists only where a law or a central
//! policy document sets it up, so a domain cannot be saved without the
//! documents of the list and of its standard; every listing names one.

use leptos::prelude::*;

use super::{CsrfField, StaffBar, StaffView};
use crate::domain::serious_domain::{NewSeriousDomain, SeriousDomain};
use crate::pages::repair::forms::{error_for, textarea_text, ErrorSummary, FieldError, TextField};

/// A long text field (basis, conditions, procedure; a measure's effect and text).
#[component]
pub fn TextArea(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    let invalid = error.is_some();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = [
        hint.map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    view! {
        <div class="field" class:field-error=invalid>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.map(|e| view! { <p class="error-message" id=error_id.clone()>"错误："{e}</p> })}
            <textarea id=id name=id rows="3" aria-describedby=(!described.is_empty()).then_some(described)>{textarea_text(&value)}</textarea>
        </div>
    }
}

/// The fields of a domain; the code only when adding one (it is fixed).
#[component]
fn DomainFields(form: NewSeriousDomain, errors: Vec<FieldError>, adding: bool) -> impl IntoView {
    let e = |f: &str| error_for(&errors, f);
    view! {
        {adding.then(|| view! {
            <TextField id="code" label="领域编码" hint="小写字母开头，小写字母、数字和下划线，2 至 40 位，如 market_serious_violation" value=form.code.clone() error=e("code").unwrap_or_default()/>
        })}
        <TextField id="name" label="名单名称" value=form.name error=e("name").unwrap_or_default()/>
        <TextArea id="list_basis" label="设列依据" hint="设立该名单的法律、行政法规或党中央、国务院政策文件，写明名称或文号" value=form.list_basis error=e("list_basis")/>
        <TextArea id="standard_basis" label="认定标准依据" hint="规定列入标准的文件，写明名称或文号" value=form.standard_basis error=e("standard_basis")/>
        <TextField id="listing_authority" label="认定单位" hint="依法有权列入的部门，如 市场监督管理部门" value=form.listing_authority error=e("listing_authority").unwrap_or_default()/>
        <TextField id="listing_years" label="列入期限（年）" input_type="number" value=form.listing_years error=e("listing_years").unwrap_or_default()/>
        <TextField id="earliest_removal_years" label="列入满几年可申请提前移出" hint="不允许提前移出的留空；0 表示整改后随时可申请" input_type="number" value=form.earliest_removal_years error=e("earliest_removal_years").unwrap_or_default()/>
        <TextArea id="removal_conditions" label="移出条件" hint="将写入每份认定决定书" value=form.removal_conditions error=e("removal_conditions")/>
        <TextArea id="removal_procedure" label="移出程序" hint="将写入每份认定决定书" value=form.removal_procedure error=e("removal_procedure")/>
        <div class="checkbox">
            <input type="checkbox" id="mirrored" name="mirrored" value="yes" checked=form.mirrored/>
            <label for="mirrored">"本平台仅转载（如人民法院的失信被执行人名单）：删除和更正由原认定机关办理"</label>
        </div>
        <TextField id="mirror_contact" label="转载名单的咨询途径" hint="仅转载的名单必填，如 作出决定的执行法院；中国执行信息公开网" value=form.mirror_contact error=e("mirror_contact").unwrap_or_default()/>
    }
}

fn early_removal(d: &SeriousDomain) -> String {
    match (d.mirrored, d.earliest_removal_years) {
        (true, _) => "由原认定机关办理".to_string(),
        (false, None) => "不得提前移出".to_string(),
        (false, Some(0)) => "整改后可申请".to_string(),
        (false, Some(y)) => format!("列入满 {y} 年可申请"),
    }
}

#[component]
pub fn SeriousDomainsPage(
    staff: StaffView,
    domains: Vec<SeriousDomain>,
    form: NewSeriousDomain,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <h1>"严重失信主体名单领域"</h1>
        <p>"严重失信主体名单只能依据法律、行政法规或党中央、国务院政策文件设立，地方不得自行增设。每次列入都须属于下列领域之一，认定决定书载明其依据和移出条件。"</p>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"名单领域"</caption>
                <thead><tr>
                    <th scope="col">"名单"</th><th scope="col">"认定单位"</th><th scope="col">"设列依据"</th>
                    <th scope="col">"列入期限"</th><th scope="col">"提前移出"</th>
                </tr></thead>
                <tbody>
                    {domains.into_iter().map(|d| {
                        let removal = early_removal(&d);
                        view! {
                            <tr>
                                <td><a href=format!("/admin/serious-domains/{}", d.code)>{d.name.clone()}</a></td>
                                <td>{d.listing_authority.clone()}</td>
                                <td>{d.list_basis.clone()}</td>
                                <td>{format!("{} 年", d.listing_years)}</td>
                                <td>{removal}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2 id="new-domain">"新增名单领域"</h2>
        <form method="post" action="/admin/serious-domains" class="panel" novalidate>
            <CsrfField csrf/>
            <DomainFields form errors adding=true/>
            <button type="submit" class="button">"新增名单领域"</button>
        </form>
    }
}

#[component]
pub fn SeriousDomainPage(
    staff: StaffView,
    code: String,
    form: NewSeriousDomain,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let action = format!("/admin/serious-domains/{code}");
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <p><a href="/admin/serious-domains">"返回名单领域"</a></p>
        <h1>{format!("名单领域：{}", form.name)}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <p>"领域编码 "<code>{code}</code>"（不可修改）。修改后，新作出的认定决定书载明新的依据和移出条件；已公示的决定不变。"</p>
        <form method="post" action=action class="panel" novalidate>
            <CsrfField csrf/>
            <DomainFields form errors adding=false/>
            <button type="submit" class="button">"保存修改"</button>
        </form>
    }
}
