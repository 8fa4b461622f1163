//! `/repair/track`: number + tracking code → the status page.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::forms::{error_for, ErrorSummary, FieldError, TextField, UploadProgress};
use crate::components::privacy_notice::ConsentPanel;
use crate::domain::publication::format_date_cn;
use crate::model::ConsentSummary;

/// The form asking for the application number and tracking code.
#[component]
pub fn TrackForm(number: String, errors: Vec<FieldError>) -> impl IntoView {
    let number_error = error_for(&errors, "number");
    let code_error = error_for(&errors, "code");
    view! {
        <ErrorSummary errors/>
        <h1>"查询信用修复办理进度"</h1>
        <form method="post" action="/repair/track" novalidate class="panel">
            <TextField
                id="number"
                label="申请编号"
                hint="提交申请时获得，如 XF2026112600001。"
                value=number
                error=number_error.unwrap_or_default()
            />
            <TextField
                id="code"
                label="查询码"
                hint="12 位字母和数字，如 ABCD-EFGH-JKMN。"
                error=code_error.unwrap_or_default()
                autocomplete="off"
            />
            <button type="submit" class="button">"查询"</button>
        </form>
    }
}

/// One event on the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    pub date: NaiveDate,
    pub label: String,
    pub state: String,
    pub reason: Option<String>,
    pub remedies: Option<String>,
}

#[cfg(feature = "ssr")]
impl From<crate::store::repair::StoredEvent> for TimelineEntry {
    fn from(e: crate::store::repair::StoredEvent) -> Self {
        TimelineEntry {
            date: crate::domain::working_days::china_date(e.at),
            label: e
                .action
                .map(|a| a.label().to_string())
                .unwrap_or_else(|| "提交申请".into()),
            state: e.to_state.label().to_string(),
            reason: e.reason,
            remedies: e.remedies,
        }
    }
}

/// An application's events, oldest first, as applicant and staff see them.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    view! {
        <ol class="timeline">
            {entries
                .into_iter()
                .map(|e| view! {
                    <li>
                        <p class="timeline-date">{format_date_cn(e.date)}</p>
                        <p class="timeline-label"><strong>{e.label}</strong>" · "{e.state}</p>
                        {e.reason.map(|r| view! { <p>"理由：" {r}</p> })}
                        {e.remedies.map(|r| view! { <p>"救济途径：" {r}</p> })}
                    </li>
                })
                .collect_view()}
        </ol>
    }
}

/// What the status page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusView {
    pub number: String,
    pub state: String,
    pub record_doc_no: String,
    /// The contact number on file with its middle digits hidden: the
    /// applicant can check it, someone who learnt the code cannot read it.
    pub contact_phone: String,
    pub timeline: Vec<TimelineEntry>,
    /// The next step, who takes it and by when.
    pub next_step: String,
    pub deadline: Option<NaiveDate>,
    /// "还剩 3 个工作日", "今日到期" or "已超期 2 天".
    pub remaining: Option<String>,
    /// Whether the deadline has passed (a calendar day after it).
    pub overdue: bool,
    pub can_withdraw: bool,
    /// The tracking code the applicant entered; the withdraw and supplement
    /// forms post it back, since the status page has no session.
    pub tracking_code: Option<String>,
    pub files: Vec<String>,
    /// When the authority asked for more: what it asked for. The page then
    /// offers the supplement form.
    pub supplement_request: Option<String>,
    /// Evidence kinds the supplement form offers (code, label).
    pub evidence_options: Vec<(&'static str, &'static str)>,
    /// The notice acknowledged and the SMS consent.
    pub consents: ConsentSummary,
    pub errors: Vec<FieldError>,
}

#[component]
pub fn StatusPage(status: StatusView) -> impl IntoView {
    let number = status.number.clone();
    let supplement_number = status.number.clone();
    let supplement_code = status.tracking_code.clone().unwrap_or_default();
    let text_error = error_for(&status.errors, "supplement_text");
    let file_error = error_for(&status.errors, "supplement_file");
    let errors = status.errors.clone();
    let options = status.evidence_options.clone();
    let sms_number = status.number.clone();
    view! {
        <ErrorSummary errors/>
        <h1>{format!("申请编号 {}", status.number)}</h1>
        <section class="panel publication" aria-labelledby="state-heading">
            <h2 id="state-heading">"当前状态：" {status.state.clone()}</h2>
            <p>{format!("申请修复的信息：行政处罚决定 {}", status.record_doc_no)}</p>
            <p>{format!("联系电话：{}（如需更改，请联系认定单位）", status.contact_phone)}</p>
            <p>"下一步：" {status.next_step.clone()}</p>
            {status.deadline.map(|d| view! {
                <p class:overdue=status.overdue>
                    "办理期限：" {format_date_cn(d)}
                    {status.remaining.clone().map(|r| view! { " （" {r} "）" })}
                </p>
            })}
        </section>
        {status.supplement_request.clone().map(|request| view! {
            <section class="panel" aria-labelledby="supplement-heading">
                <h2 id="supplement-heading">"补正材料"</h2>
                <p>"认定单位要求补正：" {request}</p>
                <form method="post" action="/repair/track/supplement" enctype="multipart/form-data" novalidate>
                    <input type="hidden" name="number" value=supplement_number/>
                    <input type="hidden" name="code" value=supplement_code/>
                    <div class="field">
                        <label for="supplement_text">"补正说明"</label>
                        {text_error.map(|e| view! { <p class="error-message" id="supplement_text-error">"错误："{e}</p> })}
                        <textarea id="supplement_text" name="supplement_text" rows="4"></textarea>
                    </div>
                    <div class="field">
                        <label for="supplement_kind">"材料类别"</label>
                        <select id="supplement_kind" name="evidence_kind">
                            {options
                                .into_iter()
                                .map(|(code, label)| view! { <option value=code>{label}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="supplement_file">"补正文件（PDF、JPG 或 PNG，可多选）"</label>
                        {file_error.map(|e| view! { <p class="error-message" id="supplement_file-error">"错误："{e}</p> })}
                        <input type="file" id="supplement_file" name="file" multiple accept=".pdf,.jpg,.jpeg,.png"/>
                    </div>
                    <UploadProgress/>
                    <button type="submit" class="button">"提交补正材料"</button>
                </form>
            </section>
        })}
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"办理记录"</h2>
            <Timeline entries=status.timeline/>
        </section>
        <section aria-labelledby="files-heading">
            <h2 id="files-heading">"已提交的材料"</h2>
            <ul>{status.files.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
        </section>
        <ConsentPanel
            consents=status.consents.clone()
            withdraw_action="/repair/track/sms-withdraw"
            number=sms_number
            code=status.tracking_code.clone()
            what="申请"
        />
        {(status.can_withdraw && status.tracking_code.is_some()).then(|| {
            let token = status.tracking_code.clone().unwrap_or_default();
            view! {
                <section class="panel" aria-labelledby="withdraw-heading">
                    <h2 id="withdraw-heading">"撤回申请"</h2>
                    <p>"作出决定前可以撤回。撤回后如需修复，可重新申请。"</p>
                    <form method="post" action="/repair/track/withdraw">
                        <input type="hidden" name="number" value=number/>
                        <input type="hidden" name="code" value=token/>
                        <div class="checkbox">
                            <input type="checkbox" id="confirm_withdraw" name="confirm" value="yes"/>
                            <label for="confirm_withdraw">"我确认撤回本申请"</label>
                        </div>
                        <button type="submit" class="button-secondary">"撤回申请"</button>
                    </form>
                </section>
            }
        })}
    }
}
