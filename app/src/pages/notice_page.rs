//! `/notices/{number}`: the party reads its prior notice (告知书) with the
//! access code it was given, and states its case (陈述、申辩) online while
//! the window is open. Plain forms handled by the server's `notices`
//! handlers, which check the code (with the tracking lookups' limits).

use crate::components::privacy_notice::PrivacyNotice;
use crate::domain::privacy_notice::{NoticeForm, CONTACT_RETENTION_DAYS};
use leptos::prelude::*;

use crate::pages::admin::listings::Sections;
use crate::pages::repair::forms::{error_for, textarea_text, ErrorSummary, FieldError, TextField};

/// The form asking for the access code.
#[component]
pub fn NoticeAccessPage(number: String, errors: Vec<FieldError>) -> impl IntoView {
    let code_error = error_for(&errors, "code");
    view! {
        <ErrorSummary errors/>
        <h1>{format!("告知书 {number}")}</h1>
        <p>"请输入随告知书送达的查询码，查看告知书并在线陈述、申辩。"</p>
        <form method="post" action=format!("/notices/{number}") novalidate class="panel">
            <TextField id="code" label="查询码" hint="12 位字母和数字，如 ABCD-EFGH-JKMN。" error=code_error.unwrap_or_default() autocomplete="off"/>
            <button type="submit" class="button">"查看告知书"</button>
        </form>
    }
}

/// What the party sees once its code was right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeView {
    pub number: String,
    pub state: String,
    pub notice: Vec<(String, String)>,
    pub answer: Option<String>,
    pub reply: Option<String>,
    pub decision: Vec<(String, String)>,
    /// The evidence the party sent (name and size).
    pub files: Vec<String>,
    /// The window is open: the party may (still) state its case.
    pub may_answer: bool,
}

#[component]
pub fn NoticePage(
    view: NoticeView,
    code: String,
    text: String,
    saved: bool,
    /// The notice was ticked on the form being shown again.
    acknowledged: bool,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let notice_error = error_for(&errors, "notice_ack");
    let text_error = error_for(&errors, "statement");
    let evidence_error = error_for(&errors, "evidence");
    let action = format!("/notices/{}/answer", view.number);
    view! {
        <ErrorSummary errors=errors.clone()/>
        <h1>{format!("告知书 {}", view.number)}</h1>
        {saved.then(|| view! { <p class="notice" role="status">"已收到您的陈述、申辩。认定单位将逐项答复，答复前不会作出认定决定。"</p> })}
        <dl class="fields"><dt>"状态"</dt><dd>{view.state.clone()}</dd></dl>
        <Sections sections=view.notice.clone()/>
        {view.answer.clone().map(|a| view! { <h2>"您的陈述、申辩"</h2><p>{a}</p> })}
        {(!view.files.is_empty()).then(|| view! {
            <h2>"您提交的证明材料"</h2>
            <ul>{view.files.clone().into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
        })}
        {view.reply.clone().map(|r| view! { <h2>"认定单位的答复"</h2><p>{r}</p> })}
        {(!view.decision.is_empty()).then(|| view! {
            <h2>"认定决定书"</h2>
            <Sections sections=view.decision.clone()/>
        })}
        {view.may_answer.then(|| view! {
            <h2>"陈述、申辩"</h2>
            <form method="post" action=action enctype="multipart/form-data" novalidate class="panel">
                <input type="hidden" name="code" value=code/>
                <PrivacyNotice
                    form=NoticeForm::NoticeAnswer
                    // Its text keeps no contact data: no retention to state.
                    retention_days=CONTACT_RETENTION_DAYS
                    acknowledged
                    offer_sms=false
                    sms_consent=false
                    error=notice_error.clone()
                />
                <div class="field" class:field-error=text_error.is_some()>
                    <label for="statement">"陈述、申辩意见"</label>
                    {text_error.clone().map(|e| view! { <p class="error-message" id="statement-error">"错误："{e}</p> })}
                    <textarea id="statement" name="statement" rows="6">{textarea_text(&text)}</textarea>
                </div>
                <div class="field" class:field-error=evidence_error.is_some()>
                    <label for="evidence">"证明材料（可选，可多选）"</label>
                    <p class="hint" id="evidence-hint">"如已履行义务、已整改的凭证，或认为不应列入的依据。PDF、JPG 或 PNG，每个文件不超过 10 MB。"</p>
                    {evidence_error.clone().map(|e| view! { <p class="error-message" id="evidence-error">"错误："{e}</p> })}
                    <input type="file" id="evidence" name="evidence" multiple aria-describedby="evidence-hint" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"/>
                </div>
                <button type="submit" class="button">"提交陈述、申辩"</button>
            </form>
        })}
    }
}
