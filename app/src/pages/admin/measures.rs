//! `/admin/measures` and `/admin/joint-check`: the measures list (失信惩戒
//! 措施清单) as the credit authority keeps it, and what departments did
//! with the measures the joint check named. A measure cannot be saved
//! without its legal basis; a change is a new version, and a check keeps
//! the version it was answered with.

use leptos::prelude::*;

use super::serious_domains::TextArea;
use super::{CsrfField, StaffBar, StaffView};
use crate::domain::measure::{MeasureClass, MeasureForm, MeasureVersion};
use crate::domain::SubjectKind;
use crate::model::DepartmentOption;
use crate::pages::repair::forms::{error_for, ErrorSummary, FieldError, TextField};

/// What the form offers to choose from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasureChoices {
    /// (code, name) of each serious-list domain.
    pub domains: Vec<(String, String)>,
    pub departments: Vec<DepartmentOption>,
}

/// A group of checkboxes; the first carries the field's id, so the error
/// summary's link lands on the group.
#[component]
fn Checkboxes(
    id: &'static str,
    legend: &'static str,
    options: Vec<(String, String)>,
    chosen: Vec<String>,
    error: Option<String>,
) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <fieldset class="field" class:field-error=invalid>
            <legend>{legend}</legend>
            {error.map(|e| view! { <p class="error-message" id=format!("{id}-error")>"错误："{e}</p> })}
            {options.into_iter().enumerate().map(|(i, (value, label))| {
                let box_id = if i == 0 { id.to_string() } else { format!("{id}_{i}") };
                let checked = chosen.contains(&value);
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=box_id.clone() name=id value=value checked=checked/>
                        <label for=box_id>{label}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn MeasureFields(
    form: MeasureForm,
    errors: Vec<FieldError>,
    choices: MeasureChoices,
    adding: bool,
) -> impl IntoView {
    let e = |f: &str| error_for(&errors, f);
    let class_error = e("class");
    let class_invalid = class_error.is_some();
    let kinds = SubjectKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    let departments = choices
        .departments
        .iter()
        .map(|d| (d.id.to_string(), d.name.clone()))
        .collect();
    view! {
        {adding.then(|| view! {
            <TextField id="code" label="措施编码" hint="小写字母开头，小写字母、数字和下划线，2 至 40 位，如 procurement_ban；保存后不可修改" value=form.code.clone() error=e("code").unwrap_or_default()/>
        })}
        <TextField id="name" label="措施名称" value=form.name.clone() error=e("name").unwrap_or_default()/>
        <fieldset class="field" class:field-error=class_invalid>
            <legend>"措施类别"</legend>
            {class_error.map(|m| view! { <p class="error-message" id="class-error">"错误："{m}</p> })}
            {MeasureClass::ALL.into_iter().enumerate().map(|(i, c)| {
                let id = if i == 0 { "class".to_string() } else { format!("class_{}", c.code()) };
                view! {
                    <div class="radio">
                        <input type="radio" id=id.clone() name="class" value=c.code() checked=form.class == c.code()/>
                        <label for=id>{c.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <TextArea id="effect" label="措施内容" hint="措施对主体的具体影响，如 一至三年内禁止参加政府采购活动" value=form.effect.clone() error=e("effect")/>
        <TextField id="law" label="法律依据：法律法规名称" hint="加书名号，如 《中华人民共和国政府采购法》" value=form.law.clone() error=e("law").unwrap_or_default()/>
        <TextField id="article" label="条" hint="如 第七十七条" value=form.article.clone() error=e("article").unwrap_or_default()/>
        <TextField id="paragraph" label="款、项" hint="如 第一款、第一款第五项；只有一款的留空" value=form.paragraph.clone() error=e("paragraph").unwrap_or_default()/>
        <TextArea id="basis_text" label="条文内容" hint="照录条文原文" value=form.basis_text.clone() error=e("basis_text")/>
        <Checkboxes id="domains" legend="适用的严重失信主体名单" options=choices.domains.clone() chosen=form.domains.clone() error=e("domains")/>
        <Checkboxes id="subject_kinds" legend="适用对象" options=kinds chosen=form.subject_kinds.clone() error=e("subject_kinds")/>
        <TextField id="implementer" label="实施主体" hint="如 各级财政部门" value=form.implementer.clone() error=e("implementer").unwrap_or_default()/>
        <Checkboxes id="departments" legend="本市实施单位（联合奖惩核查时向这些单位提示该措施）" options=departments chosen=form.departments.clone() error=e("departments")/>
        <TextField id="effective_from" label="生效日期" hint="如 2026-01-01" input_type="date" value=form.effective_from.clone() error=e("effective_from").unwrap_or_default()/>
        <TextField id="effective_to" label="失效日期" hint="长期有效的留空" input_type="date" value=form.effective_to.clone() error=e("effective_to").unwrap_or_default()/>
    }
}

fn in_force(m: &MeasureVersion) -> String {
    match m.effective_to {
        Some(to) => format!("{} 至 {}", m.effective_from, to),
        None => format!("{} 起", m.effective_from),
    }
}

#[component]
pub fn MeasuresPage(
    staff: StaffView,
    current: Vec<MeasureVersion>,
    choices: MeasureChoices,
    form: MeasureForm,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let domain_names = choices.domains.clone();
    let name_of = move |code: &str| {
        domain_names
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_string(), |(_, n)| n.clone())
    };
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <h1>"失信惩戒措施清单"</h1>
        <p>"不得在清单之外实施失信惩戒措施。每项措施写明法律依据（法律法规名称、条、款、条文内容）、适用的名单和对象、实施单位；修改即生成新版本，已作出的联合奖惩核查保留当时的版本。公众可在 "<a href="/measures">"失信惩戒措施清单"</a>" 页面查阅。"</p>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"现行措施"</caption>
                <thead><tr>
                    <th scope="col">"措施"</th><th scope="col">"类别"</th><th scope="col">"法律依据"</th>
                    <th scope="col">"适用名单"</th><th scope="col">"有效期"</th><th scope="col">"版本"</th>
                </tr></thead>
                <tbody>
                    {current.into_iter().map(|m| {
                        let lists = m.domains.iter().map(|d| name_of(d)).collect::<Vec<_>>().join("、");
                        let period = in_force(&m);
                        view! {
                            <tr>
                                <td><a href=format!("/admin/measures/{}", m.code)>{m.name.clone()}</a></td>
                                <td>{m.class.short_label()}</td>
                                <td>{m.basis.citation()}</td>
                                <td>{lists}</td>
                                <td>{period}</td>
                                <td>{format!("第 {} 版", m.version)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2 id="new-measure">"新增措施"</h2>
        <form method="post" action="/admin/measures" class="panel" novalidate>
            <CsrfField csrf/>
            <MeasureFields form errors choices adding=true/>
            <button type="submit" class="button">"新增措施"</button>
        </form>
    }
}

#[component]
pub fn MeasurePage(
    staff: StaffView,
    code: String,
    versions: Vec<MeasureVersion>,
    choices: MeasureChoices,
    form: MeasureForm,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let current = versions.last().map_or(0, |v| v.version);
    let action = format!("/admin/measures/{code}");
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <p><a href="/admin/measures">"返回失信惩戒措施清单"</a></p>
        <h1>{format!("惩戒措施：{}", form.name)}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <p>"措施编码 "<code>{code.clone()}</code>"（不可修改）。保存修改即生成第 "{current + 1}" 版；此前的核查保留其版本。"</p>
        <h2>"版本"</h2>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"各版本"</caption>
                <thead><tr><th scope="col">"版本"</th><th scope="col">"名称"</th><th scope="col">"法律依据"</th><th scope="col">"有效期"</th></tr></thead>
                <tbody>
                    {versions.iter().rev().map(|v| view! {
                        <tr>
                            <td>{format!("第 {} 版", v.version)}</td>
                            <td>{v.name.clone()}</td>
                            <td>{v.basis.citation()}</td>
                            <td>{in_force(v)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"修改（生成新版本）"</h2>
        <form method="post" action=action class="panel" novalidate>
            <CsrfField csrf/>
            <input type="hidden" name="expected_version" value=current.to_string()/>
            <MeasureFields form errors choices adding=false/>
            <button type="submit" class="button">"保存为新版本"</button>
        </form>
    }
}

/// One line of the report as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    pub department: String,
    pub measure: String,
    pub checks: u64,
    pub applied: u64,
    pub not_applied: u64,
    pub pending: u64,
    pub late: u64,
}

/// A measure not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonRow {
    pub check_id: String,
    pub department: String,
    pub measure: String,
    pub matter: String,
    pub reason: String,
    pub received: String,
}

#[component]
pub fn JointCheckPage(
    staff: StaffView,
    rows: Vec<ReportRow>,
    /// (department, checks of listed subjects, checks of subjects not listed)
    totals: Vec<(String, u64, u64)>,
    reasons: Vec<ReasonRow>,
) -> impl IntoView {
    view! {
        <StaffBar staff/>
        <h1>"联合奖惩核查与反馈"</h1>
        <p>"各单位审批系统在办理事项前核查主体是否被列入严重失信主体名单；核查结果列出的每项惩戒措施，均须反馈已实施或未实施的理由。超过反馈期限的反馈计为逾期。"</p>
        <h2>"核查次数"</h2>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"各单位核查次数"</caption>
                <thead><tr><th scope="col">"单位"</th><th scope="col">"核查到列入名单"</th><th scope="col">"核查未列入"</th></tr></thead>
                <tbody>
                    {totals.into_iter().map(|(d, listed, clear)| view! {
                        <tr><td>{d}</td><td>{listed}</td><td>{clear}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"按单位和措施"</h2>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"各单位各措施的实施和反馈"</caption>
                <thead><tr>
                    <th scope="col">"单位"</th><th scope="col">"措施"</th><th scope="col">"提示次数"</th>
                    <th scope="col">"已实施"</th><th scope="col">"未实施"</th><th scope="col">"未反馈"</th><th scope="col">"逾期反馈"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.department}</td><td>{r.measure}</td><td>{r.checks}</td>
                            <td>{r.applied}</td><td>{r.not_applied}</td>
                            <td class:overdue=r.pending != 0>{r.pending}</td>
                            <td>{r.late}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"未实施的理由（最近 200 条）"</h2>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"未实施的理由"</caption>
                <thead><tr><th scope="col">"核查编号"</th><th scope="col">"单位"</th><th scope="col">"措施"</th><th scope="col">"办理事项"</th><th scope="col">"理由"</th><th scope="col">"反馈时间"</th></tr></thead>
                <tbody>
                    {reasons.into_iter().map(|r| view! {
                        <tr><td>{r.check_id}</td><td>{r.department}</td><td>{r.measure}</td><td>{r.matter}</td><td>{r.reason}</td><td>{r.received}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
