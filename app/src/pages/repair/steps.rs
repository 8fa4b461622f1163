//! The pages of the application, one question per page.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::forms::{error_for, ErrorSummary, FieldCheck, FieldError, TextField, UploadProgress};
use crate::components::privacy_notice::PrivacyNotice;
use crate::domain::privacy_notice::NoticeForm;
use crate::domain::publication::format_date_cn;
use crate::domain::repair_application::{ApplicantKind, EvidenceKind, PLEDGE_TITLE};

/// What the flow shows about the record being repaired (public values only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordSummary {
    pub record_id: i64,
    pub doc_no: String,
    pub subject_name: String,
    pub authority: String,
    pub decision_date: NaiveDate,
}

impl RecordSummary {
    pub fn base(&self) -> String {
        format!("/repair/apply/{}", self.record_id)
    }
}

#[component]
fn RecordBox(record: RecordSummary) -> impl IntoView {
    view! {
        <dl class="facts panel">
            <div><dt>"申请修复的信息"</dt><dd>{format!("行政处罚决定 {}", record.doc_no)}</dd></div>
            <div><dt>"信用主体"</dt><dd>{record.subject_name.clone()}</dd></div>
            <div><dt>"认定单位"</dt><dd>{record.authority.clone()}</dd></div>
            <div><dt>"处罚决定日期"</dt><dd>{format_date_cn(record.decision_date)}</dd></div>
        </dl>
    }
}

#[component]
fn BackLink(href: String) -> impl IntoView {
    view! { <p><a class="back-link" href=href>"返回上一步"</a></p> }
}

/// The start page: what is needed, and the button that opens a draft. When
/// the record cannot be repaired online now, `blocked` says why.
#[component]
pub fn StartPage(record: RecordSummary, blocked: Option<String>) -> impl IntoView {
    let action = format!("{}/start", record.base());
    view! {
        <h1>"在线申请信用修复"</h1>
        <RecordBox record=record.clone()/>
        {match blocked {
            Some(reason) => view! {
                <div class="notice" role="status"><p>{reason}</p></div>
                <p><a href="/repair">"查看信用修复指南"</a></p>
            }
            .into_any(),
            None => view! {
                <p class="lead">"信用修复全程免费。在线填写约需 10 分钟，请准备好以下材料的电子版（PDF、JPG 或 PNG，每个文件不超过 10 MB）："</p>
                <ul>
                    <li>"罚款缴纳凭证等履行义务的证明"</li>
                    <li>"整改情况报告"</li>
                    <li>"营业执照或身份证件"</li>
                    <li>"由代理人办理的，另需授权委托书"</li>
                </ul>
                <p>"提交后您将获得申请编号和查询码，可随时查看办理进度。"</p>
                <form method="post" action=action>
                    <button type="submit" class="button">"开始申请"</button>
                </form>
            }
            .into_any(),
        }}
    }
}

/// Step 1: who is applying, and how to reach them.
#[component]
pub fn ApplicantStep(
    record: RecordSummary,
    kind: Option<ApplicantKind>,
    name: String,
    phone: String,
    acknowledged: bool,
    sms_consent: bool,
    /// The contact-data retention the notice states (the setting).
    retention_days: u32,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let notice_error = error_for(&errors, "notice_ack");
    let kind_error = error_for(&errors, "applicant_kind");
    let kind_error_shown = kind_error.is_some();
    let name_error = error_for(&errors, "applicant_name");
    let phone_error = error_for(&errors, "contact_phone");
    let action = format!("{}/applicant", record.base());
    view! {
        <p><a class="back-link" href=record.base()>"返回"</a></p>
        <ErrorSummary errors/>
        <h1>"申请人信息"</h1>
        <form method="post" action=action novalidate>
            <PrivacyNotice form=NoticeForm::Repair retention_days acknowledged offer_sms=true sms_consent error=notice_error/>
            <fieldset class="field" class:field-error=kind_error_shown>
                <legend>"由谁办理？"</legend>
                {kind_error.map(|e| view! { <p class="error-message" id="applicant_kind-error">"错误："{e}</p> })}
                {[ApplicantKind::Subject, ApplicantKind::Agent]
                    .into_iter()
                    .enumerate()
                    .map(|(i, k)| {
                        let id = if i == 0 { "applicant_kind" } else { "applicant_kind_agent" };
                        view! {
                            <div class="radio">
                                <input type="radio" id=id name="applicant_kind" value=k.code() checked=kind == Some(k)/>
                                <label for=id>{k.label()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <TextField
                id="applicant_name"
                label="申请人姓名"
                hint="填写办理人本人的姓名；单位办理的，填写经办人姓名。"
                value=name
                error=name_error.unwrap_or_default()
                check=FieldCheck::PersonName
                autocomplete="name"
            />
            <TextField
                id="contact_phone"
                label="联系电话（手机）"
                hint="认定单位将通过此号码联系您，不会公开。"
                value=phone
                error=phone_error.unwrap_or_default()
                check=FieldCheck::Mobile
                input_type="tel"
                autocomplete="tel"
            />
            <button type="submit" class="button">"继续"</button>
        </form>
    }
}

/// Step 2: prove the applicant acts for the record's subject, with what
/// the deciding department holds and the public pages never show
/// (`domain::repair_identity`).
#[component]
pub fn IdentityStep(
    record: RecordSummary,
    natural_person: bool,
    identifier: String,
    second: String,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let error = error_for(&errors, "identity");
    let second_error = error_for(&errors, "identity_second");
    let (label, hint, second_label, second_hint) = if natural_person {
        (
            "当事人身份证号码",
            "填写处罚决定书上当事人的 18 位身份证号码，用于核对身份，不会公开。",
            "当事人姓名",
            "与身份证一致的姓名全名，不会公开。",
        )
    } else {
        (
            "信用主体的统一社会信用代码",
            "填写营业执照上的 18 位统一社会信用代码。",
            "法定代表人（经营者）身份证号码",
            "处罚决定记载的法定代表人或个体工商户经营者的 18 位身份证号码。统一社会信用代码是公开信息，须同时核对此号码，以防他人冒名申请；不会公开。",
        )
    };
    let second_check = if natural_person {
        FieldCheck::PersonName
    } else {
        FieldCheck::IdNumber
    };
    let action = format!("{}/identity", record.base());
    view! {
        <BackLink href=format!("{}/applicant", record.base())/>
        <ErrorSummary errors/>
        <h1>"核对主体身份"</h1>
        <RecordBox record/>
        <p>"两项信息须同时与认定单位掌握的信息一致。连续填错将暂停在线核对，请仔细核对处罚决定书后填写。"</p>
        <form method="post" action=action novalidate>
            <TextField
                id="identity"
                label
                hint
                value=identifier
                error=error.unwrap_or_default()
                check=if natural_person { FieldCheck::IdNumber } else { FieldCheck::CreditCode }
            />
            <TextField
                id="identity_second"
                label=second_label
                hint=second_hint
                value=second
                error=second_error.unwrap_or_default()
                check=second_check
            />
            <button type="submit" class="button">"继续"</button>
        </form>
    }
}

/// Step 3: the pledge, in full, accepted by ticking and signing.
#[component]
pub fn PledgeStep(
    record: RecordSummary,
    paragraphs: Vec<String>,
    signed: String,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let agree_error = error_for(&errors, "agree");
    let agree_error_shown = agree_error.is_some();
    let sign_error = error_for(&errors, "signatory");
    let action = format!("{}/pledge", record.base());
    view! {
        <BackLink href=format!("{}/identity", record.base())/>
        <ErrorSummary errors/>
        <h1>"信用修复承诺"</h1>
        <article class="panel pledge" aria-labelledby="pledge-title">
            <h2 id="pledge-title">{PLEDGE_TITLE}</h2>
            {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
        </article>
        <form method="post" action=action novalidate>
            <div class="field" class:field-error=agree_error_shown>
                {agree_error.map(|e| view! { <p class="error-message" id="agree-error">"错误："{e}</p> })}
                <div class="checkbox">
                    <input type="checkbox" id="agree" name="agree" value="yes"/>
                    <label for="agree">"我已阅读并同意以上承诺内容"</label>
                </div>
            </div>
            <TextField
                id="signatory"
                label="签署人姓名"
                hint="输入您的姓名以签署承诺书，须与申请人姓名一致。"
                value=signed
                error=sign_error.unwrap_or_default()
            />
            <button type="submit" class="button">"签署并继续"</button>
        </form>
    }
}

/// One uploaded file as listed on the evidence page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLine {
    pub id: i64,
    pub kind: EvidenceKind,
    pub name: String,
    pub size: String,
}

/// Step 4: evidence uploads grouped by what the rules ask for.
#[component]
pub fn EvidenceStep(
    record: RecordSummary,
    required: Vec<EvidenceKind>,
    files: Vec<FileLine>,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let file_error = error_for(&errors, "file");
    let file_error_shown = file_error.is_some();
    let missing_error = error_for(&errors, "evidence");
    let base = record.base();
    let upload_action = format!("{base}/evidence");
    let remove_action = format!("{base}/evidence/remove");
    let continue_action = format!("{base}/evidence/done");
    let options = required.clone();
    view! {
        <BackLink href=format!("{base}/pledge")/>
        <ErrorSummary errors/>
        <h1>"上传证明材料"</h1>
        <p>"支持 PDF、JPG、PNG 格式，每个文件不超过 10 MB，全部文件合计不超过 40 MB。"</p>
        {missing_error.map(|e| view! { <p class="error-message" id="evidence">"错误："{e}</p> })}
        {required
            .into_iter()
            .map(|kind| {
                let mine: Vec<FileLine> = files.iter().filter(|f| f.kind == kind).cloned().collect();
                let remove_action = remove_action.clone();
                view! {
                    <section class="panel evidence-group" aria-labelledby=format!("group-{}", kind.code())>
                        <h2 id=format!("group-{}", kind.code())>{kind.label()}</h2>
                        <p class="hint">{kind.hint()}</p>
                        {if mine.is_empty() {
                            view! { <p>"尚未上传。"</p> }.into_any()
                        } else {
                            view! {
                                <ul class="file-list">
                                    {mine
                                        .into_iter()
                                        .map(|f| {
                                            let label = format!("删除 {}", f.name);
                                            view! {
                                                <li>
                                                    <span>{f.name.clone()}" （"{f.size.clone()}"）"</span>
                                                    <form method="post" action=remove_action.clone() class="inline-form">
                                                        <input type="hidden" name="file_id" value=f.id.to_string()/>
                                                        <button type="submit" class="button-secondary" aria-label=label>"删除"</button>
                                                    </form>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any()
                        }}
                    </section>
                }
            })
            .collect_view()}
        <form method="post" action=upload_action enctype="multipart/form-data" class="panel" novalidate>
            <h2>"添加文件"</h2>
            <div class="field">
                <label for="evidence_kind">"材料类别"</label>
                <select id="evidence_kind" name="evidence_kind">
                    {options
                        .into_iter()
                        .map(|k| view! { <option value=k.code()>{k.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field" class:field-error=file_error_shown>
                <label for="file">"选择文件"</label>
                {file_error.map(|e| view! { <p class="error-message" id="file-error">"错误："{e}</p> })}
                <input type="file" id="file" name="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"/>
            </div>
            <UploadProgress/>
            <button type="submit" class="button-secondary">"上传"</button>
        </form>
        <form method="post" action=continue_action>
            <button type="submit" class="button">"继续"</button>
        </form>
    }
}

/// One row of check-your-answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerRow {
    pub label: &'static str,
    pub value: String,
    pub change: String,
}

/// Step 5: check your answers, then submit.
#[component]
pub fn CheckStep(
    record: RecordSummary,
    rows: Vec<AnswerRow>,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let action = format!("{}/submit", record.base());
    view! {
        <BackLink href=format!("{}/evidence", record.base())/>
        <ErrorSummary errors/>
        <h1>"确认申请信息"</h1>
        <RecordBox record/>
        <dl class="fields panel check-answers">
            {rows
                .into_iter()
                .map(|r| {
                    let label = format!("修改{}", r.label);
                    view! {
                        <div>
                            <dt>{r.label}</dt>
                            <dd>{r.value}</dd>
                            <dd><a href=r.change aria-label=label>"修改"</a></dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <h2>"提交申请"</h2>
        <p>"提交即表示您确认以上信息和材料真实有效。信用修复不收取任何费用。"</p>
        <form method="post" action=action>
            <button type="submit" class="button">"提交申请"</button>
        </form>
    }
}

/// After submitting: the number and the tracking code, shown once.
#[component]
pub fn Confirmation(number: String, tracking_code: String, deadline: NaiveDate) -> impl IntoView {
    view! {
        <div class="panel confirmation" role="status">
            <h1>"申请已提交"</h1>
            <p>"申请编号"</p>
            <p class="big-code">{number.clone()}</p>
            <p>"查询码"</p>
            <p class="big-code">{tracking_code}</p>
        </div>
        <p><strong>"查询码只显示这一次，请打印本页或抄写保存。"</strong>"凭申请编号和查询码可随时查看办理进度。"</p>
        <h2>"接下来"</h2>
        <p>{format!(
            "认定单位将在 {} 前（{}）作出受理决定或告知需要补正的材料。",
            format_date_cn(deadline),
            "法定节假日不计入",
        )}</p>
        <p class="actions">
            <a class="button" href="/repair/track">"查看办理进度"</a>
            // Needs scripts to print; hidden until the FormFlow island runs.
            <button type="button" class="button-secondary" data-print data-needs-script hidden>"打印回执"</button>
        </p>
    }
}
