//! `/admin/objections`: the objections about a department's records, each
//! with what the objector said and sent, earlier objections on the same
//! record (to recognise a repeat), the history and the steps the rules
//! allow now; `/admin/objection-oversight`: the credit authority's view of
//! every department's objections past their deadlines. The rules are the
//! domain's (`domain::objection`); these pages show what the server's
//! `staff::objections` handlers decided.

use leptos::prelude::*;

use super::listings::{Sections, Text};
use super::{CsrfField, StaffBar, StaffView};
use crate::pages::objection_page::{HistoryLine, ObjectedRecord};
use crate::pages::repair::forms::{error_for, ErrorSummary, FieldError};

/// One line of a department's objections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectionLine {
    pub number: String,
    pub kind_label: String,
    pub doc_no: String,
    pub state: String,
    pub deadline: String,
    pub overdue: bool,
}

#[component]
pub fn ObjectionsPage(staff: StaffView, objections: Vec<ObjectionLine>) -> impl IntoView {
    view! {
        <StaffBar staff/>
        <h1>"异议处理"</h1>
        <p>"异议受理后，该信息页面即标注“异议处理中”。请在期限内核实并书面答复；需补正的，一次性告知。"</p>
        {if objections.is_empty() {
            view! { <p>"暂无异议。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap"><table class="records-table">
                    <caption>"本单位信息的异议"</caption>
                    <thead><tr><th scope="col">"异议编号"</th><th scope="col">"信息"</th><th scope="col">"文号"</th><th scope="col">"状态"</th><th scope="col">"办理期限"</th></tr></thead>
                    <tbody>
                        {objections.into_iter().map(|o| view! {
                            <tr>
                                <td><a href=format!("/admin/objections/{}", o.number)>{o.number.clone()}</a></td>
                                <td>{o.kind_label}</td>
                                <td>{o.doc_no}</td>
                                <td>{o.state}</td>
                                <td>{o.deadline}{o.overdue.then_some("（已逾期）")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}

/// One objection as the department handles it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectionDetail {
    pub number: String,
    pub state: String,
    pub expected_state: String,
    pub deadline: Option<String>,
    pub record: ObjectedRecord,
    pub grounds: Vec<String>,
    pub explanation: String,
    pub objector: String,
    pub contact_phone: String,
    /// Whether the objector agreed to SMS (and has not withdrawn).
    pub sms: String,
    pub pledge: String,
    /// (download href, name and size).
    pub files: Vec<(String, String)>,
    pub history: Vec<HistoryLine>,
    pub reply: Vec<(String, String)>,
    /// Earlier objections on the same record: (number, state, explanation).
    pub earlier: Vec<(String, String, String)>,
    /// (code, label) of the steps open now.
    pub actions: Vec<(String, String)>,
}

#[component]
pub fn ObjectionPage(
    staff: StaffView,
    objection: ObjectionDetail,
    chosen: String,
    text: String,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let action = format!("/admin/objections/{}/act", objection.number);
    let action_error = error_for(&errors, "action");
    let text_error = error_for(&errors, "text");
    let has_actions = !objection.actions.is_empty();
    let o = objection.clone();
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <p><a href="/admin/objections">"返回异议处理"</a></p>
        <h1>{format!("异议 {}", o.number)}</h1>
        <dl class="fields">
            <dt>"状态"</dt><dd>{o.state.clone()}</dd>
            {o.deadline.clone().map(|d| view! { <dt>"办理期限"</dt><dd>{d}</dd> })}
            <dt>"异议信息"</dt><dd><a href=o.record.href.clone()>{format!("{} {}", o.record.kind_label, o.record.doc_no)}</a></dd>
            <dt>"信用主体"</dt><dd>{o.record.subject_name.clone()}</dd>
            <dt>"提出人"</dt><dd>{o.objector.clone()}</dd>
            <dt>"联系电话"</dt><dd>{o.contact_phone.clone()}</dd>
            <dt>"短信通知"</dt><dd>{o.sms.clone()}</dd>
            <dt>"异议理由"</dt><dd>{o.grounds.join("、")}</dd>
            <dt>"异议说明"</dt><dd>{o.explanation.clone()}</dd>
            <dt>"异议申诉承诺书"</dt><dd>{o.pledge.clone()}</dd>
        </dl>
        <h2>"证明材料"</h2>
        <ul>
            {o.files.clone().into_iter().map(|(href, name)| view! { <li><a href=href>{name}</a></li> }).collect_view()}
        </ul>
        {(!o.earlier.is_empty()).then(|| view! {
            <h2>"该信息此前的异议"</h2>
            <ul>
                {o.earlier.clone().into_iter().map(|(n, s, x)| view! { <li>{format!("{n}（{s}）：{x}")}</li> }).collect_view()}
            </ul>
        })}
        {(!o.reply.is_empty()).then(|| view! {
            <h2>"异议处理答复"</h2>
            <Sections sections=o.reply.clone()/>
        })}
        <h2>"办理记录"</h2>
        <ol class="timeline">
            {o.history.clone().into_iter().map(|(at, who, what, text, deadline)| view! {
                <li>
                    <strong>{what}</strong>" · "{at}" · "{who}
                    {text.map(|t| view! { <p>{t}</p> })}
                    {deadline.map(|d| view! { <p class="hint">{format!("办理期限：{d}")}</p> })}
                </li>
            }).collect_view()}
        </ol>
        {has_actions.then(|| view! {
            <h2>"办理"</h2>
            <p class="hint">"更正、补充：请先通过数据报送提交更正后的信息，再作出结论。删除、停止公示、移出名单：提交后该信息即停止公示。每项结论均须写明理由，答复中将告知救济途径。"</p>
            <form method="post" action=action class="panel" novalidate>
                <CsrfField csrf/>
                <input type="hidden" name="expected_state" value=objection.expected_state.clone()/>
                <fieldset class="field" class:field-error=action_error.is_some()>
                    <legend>"办理结果"</legend>
                    {action_error.clone().map(|e| view! { <p class="error-message" id="action-error">"错误："{e}</p> })}
                    {objection.actions.iter().enumerate().map(|(i, (code, label))| {
                        let id = if i == 0 { "action".to_string() } else { format!("action_{code}") };
                        let on = *code == chosen;
                        view! {
                            <div class="radio">
                                <input type="radio" id=id.clone() name="action" value=code.clone() checked=on/>
                                <label for=id>{label.clone()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <Text id="text" label="理由、补正要求或答复意见" value=text error=text_error/>
                <button type="submit" class="button">"提交"</button>
            </form>
        })}
    }
}

/// A department's objections as the credit authority oversees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectionOversightLine {
    pub department: String,
    pub open: usize,
    pub overdue: usize,
}

/// An objection past its deadline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverdueObjection {
    pub number: String,
    pub department: String,
    pub state: String,
    pub deadline: String,
}

#[component]
pub fn ObjectionOversightPage(
    staff: StaffView,
    departments: Vec<ObjectionOversightLine>,
    overdue: Vec<OverdueObjection>,
) -> impl IntoView {
    view! {
        <StaffBar staff/>
        <h1>"异议督办"</h1>
        <div class="table-wrap"><table class="records-table">
            <caption>"各单位正在办理的异议"</caption>
            <thead><tr><th scope="col">"单位"</th><th scope="col">"办理中"</th><th scope="col">"已逾期"</th></tr></thead>
            <tbody>
                {departments.into_iter().map(|d| view! {
                    <tr><td>{d.department}</td><td>{d.open}</td><td>{d.overdue}</td></tr>
                }).collect_view()}
            </tbody>
        </table></div>
        <h2>"逾期未办结的异议"</h2>
        {if overdue.is_empty() {
            view! { <p>"没有逾期的异议。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap"><table class="records-table">
                    <caption>"逾期异议"</caption>
                    <thead><tr><th scope="col">"异议编号"</th><th scope="col">"单位"</th><th scope="col">"状态"</th><th scope="col">"期限"</th></tr></thead>
                    <tbody>
                        {overdue.into_iter().map(|o| view! {
                            <tr><td>{o.number}</td><td>{o.department}</td><td>{o.state}</td><td>{o.deadline}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}
