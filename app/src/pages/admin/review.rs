//! The review queue (`/admin/repairs`) and one application
//! (`/admin/repairs/{number}`) with the reviewer's actions.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::{CsrfField, StaffBar, StaffView};
use crate::domain::publication::format_date_cn;
use crate::domain::repair_application::{Action, ApplicationState};
use crate::pages::repair::forms::{error_for, textarea_text, ErrorSummary, FieldError};
use crate::pages::repair::track::{Timeline, TimelineEntry};

/// One row of the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueRow {
    pub number: String,
    pub subject_name: String,
    pub doc_no: String,
    pub state: String,
    pub submitted: NaiveDate,
    pub deadline: Option<NaiveDate>,
    /// "还剩 2 个工作日" / "已超期 1 天".
    pub remaining: Option<String>,
    pub overdue: bool,
}

/// The queue; `calendar_notice` warns when deadlines fall in years the
/// holiday calendar does not cover.
#[component]
pub fn QueuePage(
    staff: StaffView,
    rows: Vec<QueueRow>,
    calendar_notice: Option<String>,
) -> impl IntoView {
    let overdue = rows.iter().filter(|r| r.overdue).count();
    view! {
        <StaffBar staff/>
        <h1>"信用修复申请待办"</h1>
        {calendar_notice.map(|n| view! { <div class="notice" role="status"><p>{n}</p></div> })}
        <p>
            {format!("共 {} 件待办", rows.len())}
            {(overdue > 0).then(|| view! { "，" <strong class="overdue">{format!("其中 {overdue} 件已超期")}</strong> })}
            "。按办理期限先后排列。"
        </p>
        {if rows.is_empty() {
            view! { <p class="empty-state">"目前没有待办的修复申请。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="records-table queue">
                        <caption class="visually-hidden">"待办修复申请"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"申请编号"</th>
                                <th scope="col">"信用主体"</th>
                                <th scope="col">"处罚决定书文号"</th>
                                <th scope="col">"状态"</th>
                                <th scope="col">"提交日期"</th>
                                <th scope="col">"办理期限"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|r| {
                                    let href = format!("/admin/repairs/{}", r.number);
                                    view! {
                                        <tr class:overdue-row=r.overdue>
                                            <td><a href=href>{r.number}</a></td>
                                            <td>{r.subject_name}</td>
                                            <td>{r.doc_no}</td>
                                            <td>{r.state}</td>
                                            <td>{format_date_cn(r.submitted)}</td>
                                            <td>
                                                {r.deadline.map(format_date_cn).unwrap_or_else(|| "—".into())}
                                                {r.remaining.map(|t| view! { <br/><span class:overdue=r.overdue>{t}</span> })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
}

/// An evidence file as the reviewer sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceLine {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub size: String,
    pub sha256: String,
}

/// Everything about one application a reviewer needs (non-public data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationView {
    pub number: String,
    pub state: ApplicationState,
    pub record_id: i64,
    pub doc_no: String,
    pub subject_name: String,
    pub applicant_kind: String,
    pub applicant_name: String,
    pub contact_phone: String,
    /// Whether the applicant agreed to SMS (and has not withdrawn).
    pub sms: String,
    pub pledge: String,
    pub pledge_signed_name: String,
    pub submitted: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub remaining: Option<String>,
    pub overdue: bool,
    pub timeline: Vec<TimelineEntry>,
    pub files: Vec<EvidenceLine>,
    /// Actions allowed in the current state (the domain's transitions).
    pub actions: Vec<Action>,
    /// Values of a refused action form, to show again with its errors.
    pub reason: String,
    pub remedies: String,
    pub errors: Vec<FieldError>,
}

/// The remedies a refusal names by default (the reviewer may edit them).
pub const DEFAULT_REMEDIES: &str = "如对本决定不服，可自收到本决定之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。";

#[component]
pub fn ApplicationPage(staff: StaffView, app: ApplicationView) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let action_url = format!("/admin/repairs/{}/decide", app.number);
    let reason_error = error_for(&app.errors, "reason");
    let reason_invalid = reason_error.is_some();
    let remedies_error = error_for(&app.errors, "remedies");
    let remedies_invalid = remedies_error.is_some();
    let errors = app.errors.clone();
    let number = app.number.clone();
    let state_code = app.state.code();
    let remedies_value = if app.remedies.is_empty() {
        DEFAULT_REMEDIES.to_string()
    } else {
        app.remedies.clone()
    };
    let needs_text = app.actions.iter().any(|a| a.needs_reason());
    view! {
        <StaffBar staff/>
        <p><a class="back-link" href="/admin/repairs">"返回待办列表"</a></p>
        <ErrorSummary errors/>
        <h1>{format!("修复申请 {}", app.number)}</h1>
        <section class="panel publication" aria-labelledby="state-heading">
            <h2 id="state-heading">"当前状态：" {app.state.label()}</h2>
            {app.deadline.map(|d| view! {
                <p class:overdue=app.overdue>
                    "办理期限：" {format_date_cn(d)}
                    {app.remaining.clone().map(|r| view! { "（" {r} "）" })}
                </p>
            })}
        </section>
        <h2>"申请信息"</h2>
        <dl class="fields panel">
            <div><dt>"申请修复的信息"</dt><dd><a href=format!("/penalties/{}", app.record_id)>{app.doc_no.clone()}</a></dd></div>
            <div><dt>"信用主体"</dt><dd>{app.subject_name.clone()}</dd></div>
            <div><dt>"办理人"</dt><dd>{format!("{}（{}）", app.applicant_name, app.applicant_kind)}</dd></div>
            <div><dt>"联系电话"</dt><dd>{app.contact_phone.clone()}</dd></div>
            <div><dt>"短信通知"</dt><dd>{app.sms.clone()}</dd></div>
            <div><dt>"提交日期"</dt><dd>{format_date_cn(app.submitted)}</dd></div>
        </dl>
        <h2>"证明材料"</h2>
        {if app.files.is_empty() {
            view! { <p>"没有材料。"</p> }.into_any()
        } else {
            let number = number.clone();
            view! {
                <ul class="file-list">
                    {app.files.into_iter().map(|f| {
                        let href = format!("/admin/repairs/{}/files/{}", number, f.id);
                        view! {
                            <li>
                                <span>{format!("{}：", f.kind)}<a href=href download>{f.name}</a>{format!("（{}）", f.size)}</span>
                                <span class="hint">"SHA-256 " <code>{f.sha256}</code></span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"信用修复承诺书"</h2>
        <div class="panel pledge">
            {app.pledge.split('\n').map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
            <p>"签署人：" {app.pledge_signed_name.clone()}</p>
        </div>
        <h2>"办理记录"</h2>
        <Timeline entries=app.timeline/>
        {(!app.actions.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="decide-heading">
                <h2 id="decide-heading">"办理"</h2>
                <form method="post" action=action_url novalidate>
                    <CsrfField csrf=csrf/>
                    <input type="hidden" name="expected_state" value=state_code/>
                    <fieldset class="field">
                        <legend>"办理结果"</legend>
                        {app.actions.iter().enumerate().map(|(i, a)| {
                            let id = if i == 0 { "action".to_string() } else { format!("action_{}", a.code()) };
                            view! {
                                <div class="radio">
                                    <input type="radio" id=id.clone() name="action" value=a.code()/>
                                    <label for=id>{a.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    {needs_text.then(|| view! {
                        <div class="field" class:field-error=reason_invalid>
                            <label for="reason">"理由或需补正的材料"</label>
                            <p class="hint" id="reason-hint">"要求补正和不予修复时必填，申请人将在办理进度页看到。"</p>
                            {reason_error.clone().map(|e| view! { <p class="error-message" id="reason-error">"错误："{e}</p> })}
                            <textarea id="reason" name="reason" rows="4" aria-describedby="reason-hint">{textarea_text(&app.reason)}</textarea>
                        </div>
                        <div class="field" class:field-error=remedies_invalid>
                            <label for="remedies">"救济途径（不予修复时）"</label>
                            {remedies_error.clone().map(|e| view! { <p class="error-message" id="remedies-error">"错误："{e}</p> })}
                            <textarea id="remedies" name="remedies" rows="3">{textarea_text(&remedies_value)}</textarea>
                        </div>
                    })}
                    <button type="submit" class="button">"提交办理结果"</button>
                </form>
            </section>
        })}
    }
}
