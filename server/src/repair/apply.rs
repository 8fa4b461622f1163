//! The application flow: start → applicant → identity → pledge → evidence →
//! check → submit → confirmation. Each step is a GET that renders the page
//! and a POST that validates, saves the draft and redirects to the next
//! step, or answers 400 with the same page, the errors and the input.

use app::disclosure::subject_public_name;
use app::domain::privacy_notice::{acknowledged, acknowledgement_missing, notice, NoticeForm};
use app::domain::repair_application::{
    normalize_tracking_code, parse_mobile, parse_person_name, pledge_text, required_evidence,
    tracking_code_from_bytes, ApplicantKind, DraftRefusal, DraftUsage, EvidenceKind, PledgeFacts,
};
use app::domain::repair_identity::{
    check_identity, not_on_file_message, IdentityAnswer, IdentityCheck, IdentityLimits, OnRecord,
};
use app::domain::{repair_eligibility, RepairEligibility, SubjectKind};
use app::model::RecordKind;
use app::pages::document::render_document;
use app::pages::repair::forms::{size_label, FieldError};
use app::pages::repair::steps::{
    AnswerRow, ApplicantStep, CheckStep, Confirmation, EvidenceStep, FileLine, IdentityStep,
    PledgeStep, RecordSummary, StartPage,
};
use app::store::consent::NewConsent;
use app::store::repair::{Draft, NewApplication, SubmitOutcome};
use app::store::StoredPenalty;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use leptos::prelude::*;
use serde::Deserialize;

use super::{uploads, RepairState};
use crate::http::client::{client_of, ClientAddr};
use crate::http::error::{Area, HandlerError};
use crate::http::forms::{clear_cookie, cookie, page, same_origin, see_other, set_cookie};
use crate::http::tokens::{random_16, random_hex, sha256_hex, valid_token};

/// The cookie holding the id of the application being filled in.
pub const DRAFT_COOKIE: &str = "repair_draft";
/// The one-time cookie carrying number and tracking code to the confirmation.
pub const RECEIPT_COOKIE: &str = "repair_receipt";

/// The application flow as an area of the site: a failure tells the
/// applicant that what they already confirmed is kept.
pub struct Apply;

impl Area for Apply {
    const NAME: &'static str = "repair application";
    fn failure_page() -> Response {
        page(
            StatusCode::INTERNAL_SERVER_ERROR,
            render_document(None, "系统繁忙", || {
                view! { <h1>"系统繁忙"</h1><p>"请稍后再试。您已填写的内容已保存。"</p> }.into_any()
            }),
        )
    }
}

type Halt = HandlerError<Apply>;
type Handled = crate::http::error::Handled<Apply>;
/// A step of a handler, or why it stopped.
type Step<T> = Result<T, Halt>;

fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        render_document(None, "未找到", || {
            view! {
                <h1>"未找到"</h1>
                <p>"未找到该信息：它可能不存在，或已超出公示期限、已信用修复、依规不予公示。"</p>
                <p><a href="/repair">"查看信用修复指南"</a></p>
            }
            .into_any()
        }),
    )
}

/// The record being repaired, with its public summary.
struct Target {
    penalty: StoredPenalty,
    summary: RecordSummary,
}

async fn load_target(state: &RepairState, raw_id: &str) -> Step<Target> {
    let id = app::api::records::parse_id(raw_id).map_err(|_| not_found())?;
    let today = state.portal.today();
    let penalty = state
        .portal
        .store
        .penalty(id)
        .await?
        .ok_or_else(not_found)?;
    if app::disclosure::penalty_view(&penalty, today).is_none() {
        return Err(not_found().into());
    }
    let summary = RecordSummary {
        record_id: penalty.id,
        doc_no: penalty.doc_no.clone(),
        subject_name: subject_public_name(&penalty.subject),
        authority: penalty.authority.name.clone(),
        decision_date: penalty.decision_date,
    };
    Ok(Target { penalty, summary })
}

/// Why this record cannot be applied for online now, if it cannot. Whether
/// an application is already open is not said here: anyone can read this
/// page, and only the subject may learn it (after the identity step).
fn blocked_reason(state: &RepairState, target: &Target) -> Option<String> {
    let p = &target.penalty;
    let eligibility = repair_eligibility(
        p.decision_date,
        &p.rules,
        p.repaired_on,
        state.portal.today(),
    );
    (!matches!(eligibility, RepairEligibility::Eligible { .. })).then(|| eligibility.explain())
}

/// The draft for this record from the cookie, or a redirect to the start.
async fn load_draft(state: &RepairState, headers: &HeaderMap, target: &Target) -> Step<Draft> {
    let start = target.summary.base();
    let token = cookie(headers, DRAFT_COOKIE)
        .filter(|t| valid_token(t))
        .ok_or_else(|| see_other(&start))?;
    let draft = state
        .repairs
        .draft(&token)
        .await?
        .ok_or_else(|| see_other(&start))?;
    if draft.record_id != target.penalty.id {
        return Err(see_other(&start).into());
    }
    Ok(draft)
}

fn render(
    state: &RepairState,
    status: StatusCode,
    title: &'static str,
    body: impl FnOnce() -> AnyView + Send + 'static,
) -> Response {
    page(status, render_document(Some(&state.leptos), title, body))
}

// ----- start ---------------------------------------------------------------

pub async fn start_page(State(state): State<RepairState>, Path(id): Path<String>) -> Handled {
    let target = load_target(&state, &id).await?;
    let blocked = blocked_reason(&state, &target);
    let record = target.summary;
    Ok(render(
        &state,
        StatusCode::OK,
        "在线申请信用修复",
        move || view! { <StartPage record blocked/> }.into_any(),
    ))
}

/// A refusal of a draft or an upload on the page it came from: 429 when
/// it is the client's own limit, 503 when the portal's.
fn draft_refusal(refusal: DraftRefusal) -> (StatusCode, String) {
    match refusal {
        DraftRefusal::Client(m) => (StatusCode::TOO_MANY_REQUESTS, m),
        DraftRefusal::Portal(m) => (StatusCode::SERVICE_UNAVAILABLE, m),
    }
}

async fn draft_usage(state: &RepairState, client: &str) -> Step<DraftUsage> {
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    state
        .repairs
        .draft_usage(client, since)
        .await
        .map_err(Halt::from)
}

pub async fn start(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    addr: ClientAddr,
    headers: HeaderMap,
) -> Handled {
    same_origin(&headers)?;
    let target = load_target(&state, &id).await?;
    if blocked_reason(&state, &target).is_some() {
        return Ok(see_other(&target.summary.base()));
    }
    let client = client_of(addr);
    let usage = draft_usage(&state, &client).await?;
    if let Err(refusal) = state.draft_limits.new_draft(&usage) {
        let (status, message) = draft_refusal(refusal);
        let record = target.summary;
        return Ok(render(
            &state,
            status,
            "暂时不能开始申请",
            move || view! { <StartPage record blocked=Some(message)/> }.into_any(),
        ));
    }
    let token = random_hex(16)?;
    state
        .repairs
        .create_draft(&token, target.penalty.id, &client, chrono::Utc::now())
        .await?;
    let mut response = see_other(&format!("{}/applicant", target.summary.base()));
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(DRAFT_COOKIE, &token, "/repair/apply", 86_400),
    );
    Ok(response)
}

// ----- applicant -----------------------------------------------------------

pub async fn applicant_page(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Handled {
    let (target, draft) = target_and_draft(&state, &id, &headers).await?;
    let retention_days = retention_days(&state).await?;
    let a = draft.answers;
    let record = target.summary;
    Ok(render(
        &state,
        StatusCode::OK,
        "申请人信息",
        move || {
            view! {
                <ApplicantStep
                    record
                    kind=a.applicant_kind
                    name=a.applicant_name.unwrap_or_default()
                    phone=a.contact_phone.unwrap_or_default()
                    acknowledged=a.notice.is_some()
                    sms_consent=a.sms_consent
                    retention_days
                    errors=vec![]
                />
            }
            .into_any()
        },
    ))
}

#[derive(Deserialize)]
pub struct ApplicantForm {
    #[serde(default)]
    applicant_kind: String,
    #[serde(default)]
    applicant_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    notice_ack: String,
    #[serde(default)]
    notice_version: String,
    #[serde(default)]
    sms_consent: String,
}

pub async fn applicant(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ApplicantForm>,
) -> Handled {
    let (target, mut draft) = posted(&state, &id, &headers).await?;
    let mut errors = Vec::new();
    let retention_days = retention_days(&state).await?;
    let shown = notice(NoticeForm::Repair, retention_days).version;
    let acknowledged = acknowledged(&form.notice_ack, &form.notice_version, &shown);
    if !acknowledged {
        errors.push(FieldError::new(
            "notice_ack",
            acknowledgement_missing(&form.notice_version, &shown),
        ));
    }
    let sms_consent = form.sms_consent == "yes";
    let kind = ApplicantKind::from_code(&form.applicant_kind);
    if kind.is_none() {
        errors.push(FieldError::new(
            "applicant_kind",
            "请选择由谁办理：信用主体本人（单位）或受托代理人",
        ));
    }
    let name = parse_person_name(&form.applicant_name, "申请人姓名");
    if let Err(m) = &name {
        errors.push(FieldError::new("applicant_name", m.clone()));
    }
    let phone = parse_mobile(&form.contact_phone);
    if let Err(m) = &phone {
        errors.push(FieldError::new("contact_phone", m.clone()));
    }
    if !errors.is_empty() {
        let record = target.summary;
        return Ok(render(
            &state,
            StatusCode::BAD_REQUEST,
            "申请人信息（有错误）",
            move || {
                view! {
                    <ApplicantStep
                        record kind name=form.applicant_name phone=form.contact_phone
                        acknowledged sms_consent retention_days errors
                    />
                }
                .into_any()
            },
        ));
    }
    draft.answers.applicant_kind = kind;
    draft.answers.applicant_name = name.ok();
    draft.answers.contact_phone = phone.ok();
    // Acknowledged again on each pass through the page: the version is
    // the one on screen this time.
    draft.answers.notice = Some((shown, chrono::Utc::now()));
    draft.answers.sms_consent = sms_consent;
    save_and_go(
        &state,
        &draft,
        &format!("{}/identity", target.summary.base()),
    )
    .await
}

/// A form post on a step: from this site, for a public record, with this
/// browser's draft of it.
async fn posted(state: &RepairState, id: &str, headers: &HeaderMap) -> Step<(Target, Draft)> {
    same_origin(headers)?;
    target_and_draft(state, id, headers).await
}

async fn target_and_draft(
    state: &RepairState,
    id: &str,
    headers: &HeaderMap,
) -> Step<(Target, Draft)> {
    let target = load_target(state, id).await?;
    let draft = load_draft(state, headers, &target).await?;
    Ok((target, draft))
}

async fn save_and_go(state: &RepairState, draft: &Draft, next: &str) -> Handled {
    state
        .repairs
        .save_draft(&draft.id, &draft.answers, chrono::Utc::now())
        .await?;
    Ok(see_other(next))
}

// ----- identity ------------------------------------------------------------

pub async fn identity_page(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Handled {
    let (target, draft) = target_and_draft(&state, &id, &headers).await?;
    if draft.answers.applicant_name.is_none() {
        return Ok(see_other(&format!("{}/applicant", target.summary.base())));
    }
    identity_form(
        &state,
        target,
        IdentityAnswer::default(),
        vec![],
        StatusCode::OK,
    )
}

fn identity_form(
    state: &RepairState,
    target: Target,
    value: IdentityAnswer,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Handled {
    let person = target.penalty.subject.kind == SubjectKind::NaturalPerson;
    let record = target.summary;
    let title = if errors.is_empty() {
        "核对主体身份"
    } else {
        "核对主体身份（有错误）"
    };
    Ok(render(state, status, title, move || {
        view! {
            <IdentityStep record natural_person=person identifier=value.identifier
                second=value.second errors/>
        }
        .into_any()
    }))
}

#[derive(Deserialize)]
pub struct IdentityForm {
    #[serde(default)]
    identity: String,
    #[serde(default)]
    identity_second: String,
}

/// The identity step: both answers are compared with what the deciding
/// department holds, within the guess limits of
/// [`IdentityLimits`](app::domain::repair_identity::IdentityLimits). Only
/// after a match does the applicant learn whether an application for the
/// record is already open.
pub async fn identity(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<IdentityForm>,
) -> Handled {
    let (target, mut draft) = posted(&state, &id, &headers).await?;
    let client = client_of(addr);
    let answer = IdentityAnswer {
        identifier: form.identity,
        second: form.identity_second,
    };
    let authority = target.penalty.authority.name.clone();
    let refuse = |target: Target, field: &'static str, message: String, status: StatusCode| {
        identity_form(
            &state,
            target,
            answer.clone(),
            vec![FieldError::new(field, message)],
            status,
        )
    };
    let now = chrono::Utc::now();
    let since = now - chrono::Duration::hours(IdentityLimits::WINDOW_HOURS);
    let counted = state
        .repairs
        .identity_failures(
            &draft.id,
            RecordKind::Penalty,
            target.penalty.id,
            &client,
            since,
        )
        .await?;
    // Over a limit nothing is compared, so the answer teaches nothing.
    if let Some(limit) = IdentityLimits::reached(counted.draft, counted.record, counted.client) {
        let message = limit.message(&authority);
        return refuse(target, "identity", message, StatusCode::TOO_MANY_REQUESTS);
    }
    let representative_id = state.repairs.representative_id(target.penalty.id).await?;
    let subject = &target.penalty.subject;
    let on_record = OnRecord {
        kind: subject.kind,
        name: &subject.name,
        credit_code: subject.credit_code.as_deref(),
        id_number: subject.id_number.as_deref(),
        representative_id: representative_id.as_deref(),
    };
    match check_identity(&on_record, &answer) {
        IdentityCheck::Malformed(field, message) => {
            refuse(target, field, message, StatusCode::BAD_REQUEST)
        }
        IdentityCheck::NotOnFile => refuse(
            target,
            "identity_second",
            not_on_file_message(&authority),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        IdentityCheck::Mismatch(message) => {
            state
                .repairs
                .note_identity_failure(
                    &draft.id,
                    RecordKind::Penalty,
                    target.penalty.id,
                    &client,
                    now,
                )
                .await?;
            tracing::info!(record.id = target.penalty.id, "identity step: wrong answer");
            refuse(target, "identity", message, StatusCode::BAD_REQUEST)
        }
        IdentityCheck::Match(checked) => {
            match state.repairs.open_application_for(target.penalty.id).await {
                Err(e) => return Err(e.into()),
                Ok(Some(_)) => {
                    let message = format!(
                        "该信息已有正在办理的信用修复申请，办结前不能重复申请。请凭提交时获得的申请编号和查询码查看进度；如该申请并非您（贵单位）或您的代理人提出，请联系{authority}核实，认定单位可将其作废。"
                    );
                    return refuse(target, "identity", message, StatusCode::CONFLICT);
                }
                Ok(None) => {}
            }
            draft.answers.identity_checked = Some(checked.to_string());
            save_and_go(&state, &draft, &format!("{}/pledge", target.summary.base())).await
        }
    }
}

// ----- pledge --------------------------------------------------------------

fn pledge_paragraphs(p: &StoredPenalty) -> Vec<String> {
    pledge_text(&PledgeFacts {
        subject_name: subject_public_name(&p.subject),
        credit_code: p.subject.credit_code.clone(),
        doc_no: p.doc_no.clone(),
        authority: p.authority.name.clone(),
        decision_date: p.decision_date,
    })
}

pub async fn pledge_page(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Handled {
    let (target, draft) = target_and_draft(&state, &id, &headers).await?;
    if draft.answers.identity_checked.is_none() {
        return Ok(see_other(&format!("{}/identity", target.summary.base())));
    }
    let paragraphs = pledge_paragraphs(&target.penalty);
    let record = target.summary;
    Ok(render(
        &state,
        StatusCode::OK,
        "信用修复承诺",
        move || {
            view! { <PledgeStep record paragraphs signed=String::new() errors=vec![]/> }.into_any()
        },
    ))
}

#[derive(Deserialize)]
pub struct PledgeForm {
    #[serde(default)]
    agree: String,
    #[serde(default)]
    signatory: String,
}

pub async fn pledge(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<PledgeForm>,
) -> Handled {
    let (target, mut draft) = posted(&state, &id, &headers).await?;
    let mut errors = Vec::new();
    if form.agree != "yes" {
        errors.push(FieldError::new(
            "agree",
            "请勾选“我已阅读并同意以上承诺内容”",
        ));
    }
    let applicant = draft.answers.applicant_name.clone().unwrap_or_default();
    match parse_person_name(&form.signatory, "签署人姓名") {
        Err(m) => errors.push(FieldError::new("signatory", m)),
        Ok(name) if name != applicant => errors.push(FieldError::new(
            "signatory",
            format!("签署人姓名须与申请人姓名“{applicant}”一致，请重新输入"),
        )),
        Ok(_) => {}
    }
    if !errors.is_empty() {
        let paragraphs = pledge_paragraphs(&target.penalty);
        let record = target.summary;
        return Ok(render(
            &state,
            StatusCode::BAD_REQUEST,
            "信用修复承诺（有错误）",
            move || {
                view! { <PledgeStep record paragraphs signed=form.signatory errors/> }.into_any()
            },
        ));
    }
    draft.answers.pledge_signed_name = Some(applicant);
    save_and_go(
        &state,
        &draft,
        &format!("{}/evidence", target.summary.base()),
    )
    .await
}

// ----- evidence ------------------------------------------------------------

async fn evidence_response(
    state: &RepairState,
    target: Target,
    draft: &Draft,
    status: StatusCode,
    errors: Vec<FieldError>,
) -> Handled {
    let files = state.repairs.draft_files(&draft.id).await?;
    let lines: Vec<FileLine> = files
        .into_iter()
        .map(|f| FileLine {
            id: f.id,
            kind: f.evidence_kind,
            name: f.display_name,
            size: size_label(f.size_bytes),
        })
        .collect();
    let required = required_evidence(
        draft
            .answers
            .applicant_kind
            .unwrap_or(ApplicantKind::Subject),
    );
    let record = target.summary;
    let title = if errors.is_empty() {
        "上传证明材料"
    } else {
        "上传证明材料（有错误）"
    };
    Ok(render(state, status, title, move || {
        view! { <EvidenceStep record required files=lines errors/> }.into_any()
    }))
}

pub async fn evidence_page(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Handled {
    let (target, draft) = target_and_draft(&state, &id, &headers).await?;
    if draft.answers.pledge_signed_name.is_none() {
        return Ok(see_other(&format!("{}/pledge", target.summary.base())));
    }
    evidence_response(&state, target, &draft, StatusCode::OK, vec![]).await
}

pub async fn evidence_upload(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    addr: ClientAddr,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Handled {
    let (target, draft) = posted(&state, &id, &headers).await?;
    // Bounded before a byte is read: per client and for the whole portal.
    let usage = draft_usage(&state, &client_of(addr)).await?;
    if let Err(refusal) = state.draft_limits.upload(&usage) {
        let (status, message) = draft_refusal(refusal);
        return evidence_response(
            &state,
            target,
            &draft,
            status,
            vec![FieldError::new("file", message)],
        )
        .await;
    }
    let existing = state.repairs.draft_files(&draft.id).await?;
    if let Err(m) = app::domain::repair_application::check_file_count(existing.len()) {
        return evidence_response(
            &state,
            target,
            &draft,
            StatusCode::BAD_REQUEST,
            vec![FieldError::new("file", m)],
        )
        .await;
    }
    let already: u64 = existing.iter().map(|f| f.size_bytes).sum();
    let mut kind: Option<EvidenceKind> = None;
    let mut outcome: Option<Result<app::store::repair::NewFile, String>> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "malformed upload form");
                outcome = Some(Err(
                    "上传未完成或文件过大（每个文件不超过 10 MB），请重新选择文件上传。".into(),
                ));
                break;
            }
        };
        match field.name() {
            Some("evidence_kind") => {
                let text = field.text().await.unwrap_or_default();
                kind = EvidenceKind::from_code(text.trim());
            }
            Some("file") => {
                // The kind field comes first in the form; without it, refuse.
                let Some(k) = kind else {
                    outcome = Some(Err("请先选择材料类别，再选择文件。".into()));
                    break;
                };
                outcome = Some(
                    uploads::receive(&state.uploads, field, k, already)
                        .await
                        .map_err(|r| r.0),
                );
                break;
            }
            _ => {}
        }
    }
    match outcome {
        Some(Ok(file)) => {
            if let Err(e) = state
                .repairs
                .add_draft_file(&draft.id, &file, chrono::Utc::now())
                .await
            {
                uploads::delete(&state.uploads, &file.stored_name).await;
                return Err(e.into());
            }
            Ok(see_other(&format!("{}/evidence", target.summary.base())))
        }
        Some(Err(message)) => {
            evidence_response(
                &state,
                target,
                &draft,
                StatusCode::BAD_REQUEST,
                vec![FieldError::new("file", message)],
            )
            .await
        }
        None => {
            evidence_response(
                &state,
                target,
                &draft,
                StatusCode::BAD_REQUEST,
                vec![FieldError::new("file", "请选择要上传的文件。")],
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    file_id: String,
}

pub async fn evidence_remove(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RemoveForm>,
) -> Handled {
    let (target, draft) = posted(&state, &id, &headers).await?;
    if let Ok(file_id) = form.file_id.trim().parse::<i64>() {
        if let Some(name) = state.repairs.remove_draft_file(&draft.id, file_id).await? {
            uploads::delete(&state.uploads, &name).await;
        }
    }
    Ok(see_other(&format!("{}/evidence", target.summary.base())))
}

/// Which required kinds have no file yet.
async fn missing_evidence(state: &RepairState, draft: &Draft) -> Step<Vec<EvidenceKind>> {
    let files = state.repairs.draft_files(&draft.id).await?;
    let required = required_evidence(
        draft
            .answers
            .applicant_kind
            .unwrap_or(ApplicantKind::Subject),
    );
    Ok(required
        .into_iter()
        .filter(|k| !files.iter().any(|f| f.evidence_kind == *k))
        .collect())
}

pub async fn evidence_done(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Handled {
    let (target, draft) = posted(&state, &id, &headers).await?;
    let missing = missing_evidence(&state, &draft).await?;
    match missing {
        missing if missing.is_empty() => Ok(see_other(&format!("{}/check", target.summary.base()))),
        missing => {
            let names: Vec<&str> = missing.iter().map(|k| k.label()).collect();
            let message = format!("还缺少以下材料：{}。请上传后再继续", names.join("；"));
            evidence_response(
                &state,
                target,
                &draft,
                StatusCode::BAD_REQUEST,
                vec![FieldError::new("evidence", message)],
            )
            .await
        }
    }
}

// ----- check and submit ----------------------------------------------------

/// The days contact data are kept, which the notice states.
async fn retention_days(state: &RepairState) -> Result<u32, Halt> {
    Ok(crate::services::privacy::retention_days(state.repairs.as_ref()).await?)
}

/// The first step still unanswered, if any, while the notice shown is
/// version `notice_version`.
fn first_missing(target: &Target, draft: &Draft, notice_version: &str) -> Option<String> {
    let a = &draft.answers;
    let base = target.summary.base();
    // A notice acknowledged under another version (an older text, or
    // another retention setting) is acknowledged again.
    let notice_current = a.notice.as_ref().is_some_and(|(v, _)| v == notice_version);
    if a.applicant_kind.is_none()
        || a.applicant_name.is_none()
        || a.contact_phone.is_none()
        || !notice_current
    {
        Some(format!("{base}/applicant"))
    } else if a.identity_checked.is_none() {
        Some(format!("{base}/identity"))
    } else if a.pledge_signed_name.is_none() {
        Some(format!("{base}/pledge"))
    } else {
        None
    }
}

/// The notice acknowledged on the applicant page, and the SMS consent if
/// given there, as recorded with the application.
fn consents_of(a: &app::store::repair::DraftAnswers, retention_days: u32) -> Vec<NewConsent> {
    // `first_missing` sent another version back to be read again, so the
    // version acknowledged is the one shown now.
    let Some((_, at)) = a.notice.clone() else {
        return vec![];
    };
    let mut out = vec![NewConsent::notice(NoticeForm::Repair, retention_days, at)];
    if a.sms_consent {
        out.push(NewConsent::sms(at));
    }
    out
}

async fn check_response(
    state: &RepairState,
    target: Target,
    draft: &Draft,
    status: StatusCode,
    errors: Vec<FieldError>,
) -> Handled {
    let files = state.repairs.draft_files(&draft.id).await?;
    let a = &draft.answers;
    let base = target.summary.base();
    let mut rows = vec![
        AnswerRow {
            label: "由谁办理",
            value: a
                .applicant_kind
                .map(|k| k.label().to_string())
                .unwrap_or_default(),
            change: format!("{base}/applicant"),
        },
        AnswerRow {
            label: "申请人姓名",
            value: a.applicant_name.clone().unwrap_or_default(),
            change: format!("{base}/applicant"),
        },
        AnswerRow {
            label: "联系电话",
            value: a.contact_phone.clone().unwrap_or_default(),
            change: format!("{base}/applicant"),
        },
        AnswerRow {
            label: "个人信息处理告知",
            value: a
                .notice
                .as_ref()
                .map(|(v, _)| format!("已阅读并知悉（版本 {v}）"))
                .unwrap_or_default(),
            change: format!("{base}/applicant"),
        },
        AnswerRow {
            label: "短信通知办理进度",
            value: if a.sms_consent { "同意" } else { "不同意" }.into(),
            change: format!("{base}/applicant"),
        },
        AnswerRow {
            label: "主体身份",
            value: "已核对一致".into(),
            change: format!("{base}/identity"),
        },
        AnswerRow {
            label: "信用修复承诺书",
            value: format!(
                "已由 {} 签署",
                a.pledge_signed_name.clone().unwrap_or_default()
            ),
            change: format!("{base}/pledge"),
        },
    ];
    for f in files {
        rows.push(AnswerRow {
            label: f.evidence_kind.label(),
            value: format!("{}（{}）", f.display_name, size_label(f.size_bytes)),
            change: format!("{base}/evidence"),
        });
    }
    let record = target.summary;
    Ok(render(state, status, "确认申请信息", move || {
        view! { <CheckStep record rows errors/> }.into_any()
    }))
}

pub async fn check_page(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Handled {
    let (target, draft) = target_and_draft(&state, &id, &headers).await?;
    let shown = notice(NoticeForm::Repair, retention_days(&state).await?).version;
    if let Some(step) = first_missing(&target, &draft, &shown) {
        return Ok(see_other(&step));
    }
    check_response(&state, target, &draft, StatusCode::OK, vec![]).await
}

pub async fn submit(
    State(state): State<RepairState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Handled {
    let (target, draft) = posted(&state, &id, &headers).await?;
    let retention_days = retention_days(&state).await?;
    let shown = notice(NoticeForm::Repair, retention_days).version;
    if let Some(step) = first_missing(&target, &draft, &shown) {
        return Ok(see_other(&step));
    }
    if !missing_evidence(&state, &draft).await?.is_empty() {
        return Ok(see_other(&format!("{}/evidence", target.summary.base())));
    }
    // Eligibility may have changed since the draft was opened.
    let p = &target.penalty;
    let eligibility = repair_eligibility(
        p.decision_date,
        &p.rules,
        p.repaired_on,
        state.portal.today(),
    );
    if !matches!(eligibility, RepairEligibility::Eligible { .. }) {
        let message = eligibility.explain();
        return check_response(
            &state,
            target,
            &draft,
            StatusCode::CONFLICT,
            vec![FieldError::new("submit", message)],
        )
        .await;
    }
    let code = tracking_code_from_bytes(&random_16()?);
    let Some(normalized) = normalize_tracking_code(&code) else {
        return Err(Halt::failed("generated tracking code does not normalise"));
    };
    let Some(deadline) = super::deadline_after(&state, None).await? else {
        return Err(Halt::failed(
            "a submission always starts the acceptance limit",
        ));
    };
    let a = draft.answers.clone();
    let new = NewApplication {
        draft_id: draft.id.clone(),
        record_id: p.id,
        department_id: p.authority.id,
        applicant_kind: a.applicant_kind.unwrap_or(ApplicantKind::Subject),
        applicant_name: a.applicant_name.unwrap_or_default(),
        contact_phone: a.contact_phone.unwrap_or_default(),
        identity_checked: a.identity_checked.unwrap_or_default(),
        pledge_text: pledge_paragraphs(p).join("\n"),
        pledge_signed_name: a.pledge_signed_name.unwrap_or_default(),
        tracking_hash: sha256_hex(normalized.as_bytes()),
        submitted_at: chrono::Utc::now(),
        deadline,
        consents: consents_of(&draft.answers, retention_days),
    };
    match state.repairs.submit(&new).await? {
        SubmitOutcome::DraftMissing => Ok(see_other(&target.summary.base())),
        SubmitOutcome::AlreadyOpen { number } => {
            let message =
                format!("该信息已有正在办理的信用修复申请（申请编号 {number}），不能重复提交");
            check_response(
                &state,
                target,
                &draft,
                StatusCode::CONFLICT,
                vec![FieldError::new("submit", message)],
            )
            .await
        }
        SubmitOutcome::Submitted { number, .. } => {
            tracing::info!(application.number = %number, "repair application submitted");
            let mut response = see_other("/repair/apply/done");
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                clear_cookie(DRAFT_COOKIE, "/repair/apply"),
            );
            headers.append(
                header::SET_COOKIE,
                set_cookie(
                    RECEIPT_COOKIE,
                    &format!("{number}.{normalized}.{deadline}"),
                    "/repair/apply/done",
                    600,
                ),
            );
            Ok(response)
        }
    }
}

/// The confirmation, shown once from the receipt cookie.
pub async fn done(State(state): State<RepairState>, headers: HeaderMap) -> Handled {
    let receipt = cookie(&headers, RECEIPT_COOKIE).unwrap_or_default();
    let mut parts = receipt.splitn(3, '.');
    let (Some(number), Some(code), Some(deadline)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(see_other("/repair/track"));
    };
    let Some(deadline) = app::model::plain_date::parse(deadline) else {
        return Ok(see_other("/repair/track"));
    };
    let number = number.to_string();
    // Shown grouped for reading aloud or copying: XXXX-XXXX-XXXX.
    let grouped: String = code
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-");
    let mut response = render(&state, StatusCode::OK, "申请已提交", move || {
        view! { <Confirmation number tracking_code=grouped deadline/> }.into_any()
    });
    let h = response.headers_mut();
    h.append(
        header::SET_COOKIE,
        clear_cookie(RECEIPT_COOKIE, "/repair/apply/done"),
    );
    h.insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}
