//! `/objections/new?record=…` and `/objections/track`: the subject of a
//! public record (or its agent) says the record is wrong, with its identity
//! checked as in a repair application, its grounds, an explanation,
//! evidence and the signed 异议申诉承诺书; then follows every step with its
//! date. Plain forms (the evidence goes with the one submission, so the
//! form works the same without scripts), handled by the server's
//! `objections` module, which decides what these pages show.

use crate::components::privacy_notice::{ConsentPanel, PrivacyNotice};
use crate::domain::privacy_notice::NoticeForm;
use crate::model::ConsentSummary;
use leptos::prelude::*;

use crate::pages::admin::listings::Sections;
use crate::pages::repair::forms::{
    error_for, textarea_text, ErrorSummary, FieldCheck, FieldError, TextField,
};

/// The record objected to, as the public sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectedRecord {
    /// `penalty-12`, `license-3`, `serious-7` (the form's `record`).
    pub key: String,
    pub kind_label: String,
    pub subject_name: String,
    pub doc_no: String,
    pub authority: String,
    pub href: String,
}

#[component]
fn RecordLine(record: ObjectedRecord) -> impl IntoView {
    view! {
        <dl class="fields panel">
            <dt>"异议信息"</dt><dd><a href=record.href.clone()>{record.kind_label.clone()}</a></dd>
            <dt>"信用主体"</dt><dd>{record.subject_name.clone()}</dd>
            <dt>"文号"</dt><dd>{record.doc_no.clone()}</dd>
            <dt>"认定单位"</dt><dd>{record.authority.clone()}</dd>
        </dl>
    }
}

/// What the objector typed, sent back with the errors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectionAnswers {
    pub objector_kind: String,
    pub objector_name: String,
    pub contact_phone: String,
    pub identity: String,
    pub identity_second: String,
    pub grounds: Vec<String>,
    pub explanation: String,
    pub signatory: String,
    /// The personal-information notice ticked, under the version posted.
    pub notice_ack: bool,
    pub notice_version: String,
    /// The separate, optional SMS consent ticked.
    pub sms_consent: bool,
}

/// The whole form: who objects, identity, grounds, explanation, pledge,
/// and the evidence last — the server checks every text field before it
/// stores a file, so the files must come after them.
#[component]
pub fn ObjectionFormPage(
    record: ObjectedRecord,
    natural_person: bool,
    /// (code, label) of the grounds that apply to this kind of record.
    grounds: Vec<(String, String)>,
    pledge: Vec<String>,
    answers: ObjectionAnswers,
    /// The contact-data retention the notice states (the setting).
    retention_days: u32,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let e = |f: &str| error_for(&errors, f);
    let kind_error = e("objector_kind");
    let grounds_error = e("grounds");
    let explanation_error = e("explanation");
    let files_error = e("proof");
    let agree_error = e("agree");
    let (id_label, id_hint, second_label, second_hint, second_check) = if natural_person {
        (
            "当事人身份证号码",
            "18 位身份证号码，用于核对身份，不会公开。",
            "当事人姓名",
            "与身份证一致的姓名全名，不会公开。",
            FieldCheck::PersonName,
        )
    } else {
        (
            "信用主体的统一社会信用代码",
            "营业执照上的 18 位统一社会信用代码。",
            "法定代表人（经营者）身份证号码",
            "认定单位记载的法定代表人或经营者的 18 位身份证号码。统一社会信用代码是公开信息，须同时核对此号码，以防他人冒名提出异议；不会公开。",
            FieldCheck::IdNumber,
        )
    };
    let agent = answers.objector_kind == "agent";
    let checked = answers.grounds.clone();
    view! {
        <ErrorSummary errors=errors.clone()/>
        <h1>"提出异议申诉"</h1>
        <p>"认为公示信息有误、遗漏、重复、超期或不应公示的，信用主体（或其代理人）可在线提出异议。受理后该信息页面将标注“异议处理中”，认定单位核实后书面答复。"</p>
        <RecordLine record=record.clone()/>
        <form method="post" action="/objections/new" enctype="multipart/form-data" novalidate>
            <input type="hidden" name="record" value=record.key.clone()/>
            <PrivacyNotice
                form=NoticeForm::Objection
                retention_days
                acknowledged=answers.notice_ack
                offer_sms=true
                sms_consent=answers.sms_consent
                error=e("notice_ack")
            />
            <fieldset class="field" class:field-error=kind_error.is_some()>
                <legend>"提出人"</legend>
                {kind_error.clone().map(|m| view! { <p class="error-message" id="objector_kind-error">"错误："{m}</p> })}
                <div class="radio">
                    <input type="radio" id="objector_kind" name="objector_kind" value="subject" checked=!agent/>
                    <label for="objector_kind">"信用主体本人（本单位）"</label>
                </div>
                <div class="radio">
                    <input type="radio" id="objector_kind_agent" name="objector_kind" value="agent" checked=agent/>
                    <label for="objector_kind_agent">"受委托的代理人（须上传授权委托书）"</label>
                </div>
            </fieldset>
            <TextField id="objector_name" label="提出人姓名" hint="用于联系和签署承诺书。" value=answers.objector_name.clone() error=e("objector_name").unwrap_or_default() autocomplete="name" check=FieldCheck::PersonName/>
            <TextField id="contact_phone" label="联系电话" hint="11 位手机号码，用于认定单位联系您，不会公开。" value=answers.contact_phone.clone() error=e("contact_phone").unwrap_or_default() input_type="tel" autocomplete="tel" check=FieldCheck::Mobile/>
            <h2>"核对主体身份"</h2>
            <p>"两项信息须同时与认定单位掌握的信息一致；连续填错将暂停在线核对。"</p>
            <TextField id="identity" label=id_label hint=id_hint value=answers.identity.clone() error=e("identity").unwrap_or_default() check=if natural_person { FieldCheck::IdNumber } else { FieldCheck::CreditCode }/>
            <TextField id="identity_second" label=second_label hint=second_hint value=answers.identity_second.clone() error=e("identity_second").unwrap_or_default() check=second_check/>
            <h2>"异议内容"</h2>
            <fieldset class="field" class:field-error=grounds_error.is_some()>
                <legend>"异议理由（可多选）"</legend>
                {grounds_error.clone().map(|m| view! { <p class="error-message" id="grounds-error">"错误："{m}</p> })}
                {grounds.into_iter().enumerate().map(|(i, (code, label))| {
                    let id = if i == 0 { "grounds".to_string() } else { format!("grounds_{code}") };
                    let on = checked.contains(&code);
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name="grounds" value=code checked=on/>
                            <label for=id>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field" class:field-error=explanation_error.is_some()>
                <label for="explanation">"异议说明"</label>
                <p class="hint" id="explanation-hint">"写明哪一项信息有误、正确的内容是什么，以及所依据的材料。"</p>
                {explanation_error.clone().map(|m| view! { <p class="error-message" id="explanation-error">"错误："{m}</p> })}
                <textarea id="explanation" name="explanation" rows="6" aria-describedby="explanation-hint">{textarea_text(&answers.explanation)}</textarea>
            </div>
            <h2>{crate::domain::objection::OBJECTION_PLEDGE_TITLE}</h2>
            <div class="panel pledge">
                {pledge.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            </div>
            <div class="field" class:field-error=agree_error.is_some()>
                {agree_error.clone().map(|m| view! { <p class="error-message" id="agree-error">"错误："{m}</p> })}
                <div class="checkbox">
                    <input type="checkbox" id="agree" name="agree" value="yes"/>
                    <label for="agree">"我已阅读并同意以上承诺内容"</label>
                </div>
            </div>
            <TextField id="signatory" label="签署人姓名" hint="与提出人姓名一致。" value=answers.signatory.clone() error=e("signatory").unwrap_or_default()/>
            <h2>"证明材料"</h2>
            <p class="hint">"PDF、JPG 或 PNG，每个文件不超过 10 MB。出错时须重新选择文件。"</p>
            <div class="field" class:field-error=files_error.is_some()>
                <label for="proof">"异议证明材料（必传，可多选）"</label>
                <p class="hint">"如原决定书、撤销或变更决定、复议决定、生效判决或认定单位出具的证明。"</p>
                {files_error.clone().map(|m| view! { <p class="error-message" id="proof-error">"错误："{m}</p> })}
                <input type="file" id="proof" name="proof" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"/>
            </div>
            <div class="field" class:field-error=e("identity_file").is_some()>
                <label for="identity_file">"主体身份证明（必传）"</label>
                {e("identity_file").map(|m| view! { <p class="error-message" id="identity_file-error">"错误："{m}</p> })}
                <input type="file" id="identity_file" name="identity_file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"/>
            </div>
            <div class="field" class:field-error=e("authorisation").is_some()>
                <label for="authorisation">"授权委托书（代理人提出时必传）"</label>
                {e("authorisation").map(|m| view! { <p class="error-message" id="authorisation-error">"错误："{m}</p> })}
                <input type="file" id="authorisation" name="authorisation" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"/>
            </div>
            <button type="submit" class="button">"提交异议"</button>
        </form>
    }
}

/// The receipt: number and tracking code, shown once.
#[component]
pub fn ObjectionFiledPage(number: String, code: String, deadline: String) -> impl IntoView {
    view! {
        <h1>"异议已提交"</h1>
        <div class="panel notice" role="status">
            <p>"请记下异议编号和查询码，查询码只显示这一次："</p>
            <dl class="fields">
                <dt>"异议编号"</dt><dd class="issued-key">{number}</dd>
                <dt>"查询码"</dt><dd class="issued-key">{code}</dd>
            </dl>
            <p>{format!("平台将于{deadline}前决定是否受理；受理后该信息页面标注“异议处理中”，认定单位核实后书面答复。")}</p>
        </div>
        <p><a href="/objections/track">"查询异议办理进度"</a></p>
    }
}

/// The tracking form.
#[component]
pub fn ObjectionTrackPage(number: String, errors: Vec<FieldError>) -> impl IntoView {
    let number_error = error_for(&errors, "number");
    let code_error = error_for(&errors, "code");
    view! {
        <ErrorSummary errors=errors.clone()/>
        <h1>"查询异议办理进度"</h1>
        <form method="post" action="/objections/track" novalidate class="panel">
            <TextField id="number" label="异议编号" hint="如 YY2026120100001。" value=number error=number_error.unwrap_or_default() autocomplete="off"/>
            <TextField id="code" label="查询码" hint="提交时显示的 12 位字母和数字。" error=code_error.unwrap_or_default() autocomplete="off"/>
            <button type="submit" class="button">"查询"</button>
        </form>
    }
}

/// One step of the history: (time, who, what, text, deadline).
pub type HistoryLine = (String, String, String, Option<String>, Option<String>);

/// What the objector sees once number and code matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectionStatus {
    pub number: String,
    pub state: String,
    pub record: ObjectedRecord,
    pub grounds: Vec<String>,
    pub explanation: String,
    pub deadline: Option<String>,
    pub history: Vec<HistoryLine>,
    /// The written answer, once decided: (heading, body).
    pub reply: Vec<(String, String)>,
    pub files: Vec<String>,
    /// What the department asked to supplement, while it may be sent.
    pub supplement_request: Option<String>,
    pub may_withdraw: bool,
    /// The notice acknowledged and the SMS consent.
    pub consents: ConsentSummary,
}

#[component]
pub fn ObjectionStatusPage(
    status: ObjectionStatus,
    code: String,
    text: String,
    notice: Option<String>,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let text_error = error_for(&errors, "text");
    let files_error = error_for(&errors, "proof");
    let number = status.number.clone();
    view! {
        <ErrorSummary errors=errors.clone()/>
        <h1>{format!("异议 {}", status.number)}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <dl class="fields">
            <dt>"办理状态"</dt><dd>{status.state.clone()}</dd>
            {status.deadline.clone().map(|d| view! { <dt>"下一步办理期限"</dt><dd>{d}</dd> })}
            <dt>"异议理由"</dt><dd>{status.grounds.join("、")}</dd>
            <dt>"异议说明"</dt><dd>{status.explanation.clone()}</dd>
            <dt>"已提交材料"</dt><dd>{status.files.join("；")}</dd>
        </dl>
        <RecordLine record=status.record.clone()/>
        {(!status.reply.is_empty()).then(|| view! {
            <h2>"异议处理答复"</h2>
            <Sections sections=status.reply.clone()/>
        })}
        <h2>"办理记录"</h2>
        <ol class="timeline">
            {status.history.clone().into_iter().map(|(at, who, what, text, deadline)| view! {
                <li>
                    <strong>{what}</strong>" · "{at}" · "{who}
                    {text.map(|t| view! { <p>{t}</p> })}
                    {deadline.map(|d| view! { <p class="hint">{format!("办理期限：{d}")}</p> })}
                </li>
            }).collect_view()}
        </ol>
        {status.supplement_request.clone().map(|request| view! {
            <h2>"提交补正材料"</h2>
            <p>{format!("认定单位要求补正：{request}")}</p>
            <form method="post" action="/objections/track/supplement" enctype="multipart/form-data" novalidate class="panel">
                <input type="hidden" name="number" value=number.clone()/>
                <input type="hidden" name="code" value=code.clone()/>
                <div class="field" class:field-error=text_error.is_some()>
                    <label for="text">"补正说明"</label>
                    {text_error.clone().map(|e| view! { <p class="error-message" id="text-error">"错误："{e}</p> })}
                    <textarea id="text" name="text" rows="4">{textarea_text(&text)}</textarea>
                </div>
                <div class="field" class:field-error=files_error.is_some()>
                    <label for="proof">"补正材料（可多选）"</label>
                    {files_error.clone().map(|e| view! { <p class="error-message" id="proof-error">"错误："{e}</p> })}
                    <input type="file" id="proof" name="proof" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"/>
                </div>
                <button type="submit" class="button">"提交补正材料"</button>
            </form>
        })}
        <ConsentPanel
            consents=status.consents.clone()
            withdraw_action="/objections/track/sms-withdraw"
            number=number.clone()
            code=Some(code.clone())
            what="异议"
        />
        {status.may_withdraw.then(|| view! {
            <form method="post" action="/objections/track/withdraw" class="panel">
                <input type="hidden" name="number" value=number.clone()/>
                <input type="hidden" name="code" value=code.clone()/>
                <p>"撤回后本异议办结；如有新的事实和理由，可重新提出。"</p>
                <button type="submit" class="button-secondary">"撤回异议"</button>
            </form>
        })}
    }
}
