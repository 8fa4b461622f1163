//! Filing an objection: one form, sent once with its evidence (multipart),
//! so it works the same without scripts. The text fields come first; they
//! are checked, and the identity compared, before any file is stored, and
//! the objection with its files is recorded in one transaction. A refusal
//! stores nothing and shows the form again with what was typed.

use app::domain::objection::{
    check_grounds, objection_pledge_text, ObjectionGround, ObjectionPledgeFacts,
};
use app::domain::privacy_notice::{acknowledged, acknowledgement_missing, notice, NoticeForm};
use app::domain::repair_application::{
    parse_mobile, parse_person_name, tracking_code_from_bytes, ApplicantKind, EvidenceKind,
    MAX_FILES,
};
use app::domain::repair_identity::{
    check_identity, not_on_file_message, IdentityAnswer, IdentityCheck, IdentityLimits, OnRecord,
};
use app::domain::SubjectKind;
use app::model::RecordKind;
use app::pages::document::render_document;
use app::pages::objection_page::{ObjectionAnswers, ObjectionFiledPage, ObjectionFormPage};
use app::pages::repair::forms::FieldError;
use app::store::consent::NewConsent;
use app::store::objection::{FiledObjection, NewObjection};
use app::store::repair::NewFile;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::{not_found, objected, parse_key, Handled, Objected};
use crate::http::client::{client_of, ClientAddr};
use crate::http::forms::{page, same_origin};
use crate::http::tokens::{random_16, sha256_hex};
use crate::repair::uploads;
use crate::services::objection::deadline_after;
use crate::staff::StaffState;

/// The longest explanation taken (the department answers every point).
pub const MAX_EXPLANATION: usize = 2000;

#[derive(Deserialize)]
pub struct RecordQuery {
    #[serde(default)]
    record: String,
}

/// The record to object to: public today, or 404 (the same answer for a
/// record that never existed).
async fn public_record(state: &StaffState, raw: &str) -> Result<Objected, super::Halt> {
    let (kind, id) = parse_key(raw).ok_or_else(not_found)?;
    match objected(state, kind, id).await? {
        Some(o) if o.public => Ok(o),
        _ => Err(not_found().into()),
    }
}

fn pledge(o: &Objected) -> Vec<String> {
    objection_pledge_text(&ObjectionPledgeFacts {
        subject_name: o.line().subject_name,
        target: o.target(),
        doc_no: o.doc_no.clone(),
        authority: o.authority.name.clone(),
    })
}

/// The form, stating the contact-data retention `retention_days` in its notice.
fn form_page(
    o: &Objected,
    status: StatusCode,
    answers: ObjectionAnswers,
    retention_days: u32,
    errors: Vec<FieldError>,
) -> Response {
    let record = o.line();
    let natural_person = o.subject.kind == SubjectKind::NaturalPerson;
    let grounds = ObjectionGround::for_target(o.target())
        .into_iter()
        .map(|g| (g.code().to_string(), g.label().to_string()))
        .collect();
    let pledge = pledge(o);
    let title = if errors.is_empty() {
        "提出异议申诉"
    } else {
        "提出异议申诉（有错误）"
    };
    page(
        status,
        render_document(None, title, move || {
            view! { <ObjectionFormPage record natural_person grounds pledge answers retention_days errors/> }
                .into_any()
        }),
    )
}

pub async fn form(State(state): State<StaffState>, Query(q): Query<RecordQuery>) -> Handled {
    let o = public_record(&state, &q.record).await?;
    let answers = ObjectionAnswers {
        objector_kind: "subject".into(),
        ..ObjectionAnswers::default()
    };
    let retention_days = retention_days(&state).await?;
    Ok(form_page(
        &o,
        StatusCode::OK,
        answers,
        retention_days,
        vec![],
    ))
}

/// The text fields, checked: what the objection records.
struct Checked {
    objector_kind: ApplicantKind,
    objector_name: String,
    contact_phone: String,
    grounds: Vec<ObjectionGround>,
    explanation: String,
}

/// Checks the text fields; the errors name each field and its fix.
fn check_fields(
    o: &Objected,
    a: &ObjectionAnswers,
    agree: bool,
    retention_days: u32,
) -> Result<Checked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let ticked = if a.notice_ack { "yes" } else { "" };
    let shown = notice(NoticeForm::Objection, retention_days).version;
    if !acknowledged(ticked, &a.notice_version, &shown) {
        errors.push(FieldError::new(
            "notice_ack",
            acknowledgement_missing(&a.notice_version, &shown),
        ));
    }
    let objector_kind = match ApplicantKind::from_code(a.objector_kind.trim()) {
        Some(k) => Some(k),
        None => {
            errors.push(FieldError::new(
                "objector_kind",
                "请选择提出人：信用主体本人或代理人",
            ));
            None
        }
    };
    let name = parse_person_name(&a.objector_name, "提出人姓名")
        .map_err(|m| errors.push(FieldError::new("objector_name", m)))
        .ok();
    let phone = parse_mobile(&a.contact_phone)
        .map_err(|m| errors.push(FieldError::new("contact_phone", m)))
        .ok();
    let mut grounds = Vec::new();
    for code in &a.grounds {
        match ObjectionGround::from_code(code.trim()) {
            Some(g) if !grounds.contains(&g) => grounds.push(g),
            Some(_) => {}
            None => {
                errors.push(FieldError::new("grounds", "异议理由不正确，请重新选择"));
                break;
            }
        }
    }
    if let Err(m) = check_grounds(o.target(), &grounds) {
        if !errors.iter().any(|e| e.field == "grounds") {
            errors.push(FieldError::new("grounds", m));
        }
    }
    let explanation = a.explanation.trim().to_string();
    if explanation.is_empty() {
        errors.push(FieldError::new(
            "explanation",
            "请填写异议说明：哪一项信息有误、正确的内容是什么",
        ));
    } else if explanation.chars().count() > MAX_EXPLANATION {
        errors.push(FieldError::new(
            "explanation",
            format!("异议说明不超过 {MAX_EXPLANATION} 字，请精简后重新提交"),
        ));
    }
    if !agree {
        errors.push(FieldError::new(
            "agree",
            "请勾选“我已阅读并同意以上承诺内容”",
        ));
    }
    match (parse_person_name(&a.signatory, "签署人姓名"), &name) {
        (Err(m), _) => errors.push(FieldError::new("signatory", m)),
        (Ok(s), Some(n)) if s != *n => errors.push(FieldError::new(
            "signatory",
            format!("签署人姓名须与提出人姓名“{n}”一致，请重新输入"),
        )),
        _ => {}
    }
    match (objector_kind, name, phone, errors.is_empty()) {
        (Some(objector_kind), Some(objector_name), Some(contact_phone), true) => Ok(Checked {
            objector_kind,
            objector_name,
            contact_phone,
            grounds,
            explanation,
        }),
        _ => Err(errors),
    }
}

/// Compares the identity answers within the guess limits; what matched,
/// or the error to show (with its status).
async fn check_who(
    state: &StaffState,
    o: &Objected,
    a: &ObjectionAnswers,
    client: &str,
) -> Result<Result<&'static str, (StatusCode, FieldError)>, super::Halt> {
    let repairs = &state.repair.repairs;
    let now = Utc::now();
    let since = now - chrono::Duration::hours(IdentityLimits::WINDOW_HOURS);
    let (kind, id) = o.limit_key;
    // No draft here: the per-record and per-client bounds are the ones
    // that matter (a new form buys nothing).
    let counted = repairs
        .identity_failures("", kind, id, client, since)
        .await?;
    if let Some(limit) = IdentityLimits::reached(0, counted.record, counted.client) {
        return Ok(Err((
            StatusCode::TOO_MANY_REQUESTS,
            FieldError::new("identity", limit.message(&o.authority.name)),
        )));
    }
    // Read only here, where it is compared (never for a page).
    let representative_id = match o.limit_key {
        (RecordKind::Penalty, penalty) => repairs.representative_id(penalty).await?,
        _ => None,
    };
    let on_record = OnRecord {
        kind: o.subject.kind,
        name: &o.subject.name,
        credit_code: o.subject.credit_code.as_deref(),
        id_number: o.subject.id_number.as_deref(),
        representative_id: representative_id.as_deref(),
    };
    let answer = IdentityAnswer {
        identifier: a.identity.clone(),
        second: a.identity_second.clone(),
    };
    Ok(match check_identity(&on_record, &answer) {
        IdentityCheck::Match(what) => Ok(what),
        IdentityCheck::Malformed(field, m) => {
            Err((StatusCode::BAD_REQUEST, FieldError::new(field, m)))
        }
        IdentityCheck::NotOnFile => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            FieldError::new("identity_second", not_on_file_message(&o.authority.name)),
        )),
        IdentityCheck::Mismatch(m) => {
            repairs
                .note_identity_failure("", kind, id, client, now)
                .await?;
            tracing::info!(
                record.kind = kind.code(),
                record.id = id,
                "objection: wrong identity answer"
            );
            Err((StatusCode::BAD_REQUEST, FieldError::new("identity", m)))
        }
    })
}

/// Deletes files stored for a filing that did not go through.
async fn discard(state: &StaffState, files: Vec<NewFile>) {
    for f in files {
        uploads::delete(&state.repair.uploads, &f.stored_name).await;
    }
}

/// Where a form's file input goes.
fn evidence_of(field: &str) -> Option<EvidenceKind> {
    match field {
        "proof" => Some(EvidenceKind::ObjectionProof),
        "identity_file" => Some(EvidenceKind::Identity),
        "authorisation" => Some(EvidenceKind::Authorisation),
        _ => None,
    }
}

/// What the fields and files ended as, before recording.
enum Reading {
    /// Still reading text fields.
    Fields,
    /// Checked and matched: files are being stored.
    Accepted(Checked, &'static str),
    /// Refused: the rest is read and dropped.
    Refused(StatusCode, Vec<FieldError>),
}

pub async fn submit(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Handled {
    same_origin(&headers)?;
    let client = client_of(addr);
    let retention_days = retention_days(&state).await?;
    let mut raw_record = String::new();
    let mut answers = ObjectionAnswers::default();
    let mut agree = false;
    let mut target: Option<Objected> = None;
    let mut reading = Reading::Fields;
    let mut files: Vec<NewFile> = Vec::new();
    let mut already: u64 = 0;
    let mut file_error: Option<(&'static str, String)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "malformed objection form");
                file_error = Some((
                    "proof",
                    "上传未完成或文件过大（每个文件不超过 10 MB，合计不超过 40 MB），请重新提交。"
                        .into(),
                ));
                break;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if let Some(kind) = evidence_of(&name) {
            if matches!(reading, Reading::Fields) {
                // The first file: everything typed is known now.
                let o = match target.take() {
                    Some(o) => o,
                    None => public_record(&state, &raw_record).await?,
                };
                reading = judge(&state, &o, &answers, agree, retention_days, &client).await?;
                target = Some(o);
            }
            if !matches!(reading, Reading::Accepted(..)) || file_error.is_some() {
                continue; // dropped unread: axum skips the rest of the part
            }
            if field.file_name().unwrap_or("").is_empty() {
                continue; // an input left empty
            }
            if files.len() >= MAX_FILES {
                file_error = Some((
                    "proof",
                    format!("材料最多 {MAX_FILES} 个文件，请合并后重新提交。"),
                ));
                continue;
            }
            match uploads::receive(&state.repair.uploads, field, kind, already).await {
                Ok(f) => {
                    already += f.size_bytes;
                    files.push(f);
                }
                Err(refused) => file_error = Some((name_field(kind), refused.0)),
            }
            continue;
        }
        let value = field.text().await.unwrap_or_default();
        match name.as_str() {
            "record" => raw_record = value,
            "objector_kind" => answers.objector_kind = value,
            "objector_name" => answers.objector_name = value,
            "contact_phone" => answers.contact_phone = value,
            "identity" => answers.identity = value,
            "identity_second" => answers.identity_second = value,
            "grounds" => answers.grounds.push(value),
            "explanation" => answers.explanation = value,
            "agree" => agree = value == "yes",
            "signatory" => answers.signatory = value,
            "notice_ack" => answers.notice_ack = value == "yes",
            "notice_version" => answers.notice_version = value,
            "sms_consent" => answers.sms_consent = value == "yes",
            _ => {}
        }
    }
    let o = match target.take() {
        Some(o) => o,
        None => public_record(&state, &raw_record).await?,
    };
    if matches!(reading, Reading::Fields) {
        reading = judge(&state, &o, &answers, agree, retention_days, &client).await?;
    }
    // Identity answers are never sent back.
    let shown = ObjectionAnswers {
        identity: String::new(),
        identity_second: String::new(),
        ..answers.clone()
    };
    let (checked, identity_checked) = match reading {
        Reading::Accepted(c, what) => (c, what),
        Reading::Refused(status, errors) => {
            discard(&state, files).await;
            return Ok(form_page(&o, status, shown, retention_days, errors));
        }
        Reading::Fields => unreachable!("judged above"),
    };
    let mut errors = Vec::new();
    if let Some((field, m)) = file_error {
        errors.push(FieldError::new(field, m));
    }
    let has = |k: EvidenceKind| files.iter().any(|f| f.evidence_kind == k);
    if !has(EvidenceKind::ObjectionProof) && errors.is_empty() {
        errors.push(FieldError::new("proof", "请上传异议证明材料"));
    }
    if !has(EvidenceKind::Identity) && errors.is_empty() {
        errors.push(FieldError::new("identity_file", "请上传主体身份证明"));
    }
    if checked.objector_kind == ApplicantKind::Agent
        && !has(EvidenceKind::Authorisation)
        && errors.is_empty()
    {
        errors.push(FieldError::new(
            "authorisation",
            "代理人提出异议的，请上传信用主体签章的授权委托书",
        ));
    }
    if !errors.is_empty() {
        discard(&state, files).await;
        return Ok(form_page(
            &o,
            StatusCode::BAD_REQUEST,
            shown,
            retention_days,
            errors,
        ));
    }
    let today = state.repair.portal.today();
    let deadline = deadline_after(state.repair.repairs.as_ref(), None, today, None)
        .await?
        .unwrap_or(today);
    let code = tracking_code_from_bytes(&random_16()?);
    let normalized = app::domain::repair_application::normalize_tracking_code(&code)
        .ok_or_else(|| super::Halt::failed("a generated tracking code does not normalise"))?;
    let new = NewObjection {
        record_kind: o.kind,
        record_id: o.id,
        department_id: o.authority.id,
        subject_id: o.subject.id,
        grounds: checked.grounds,
        explanation: checked.explanation,
        objector_kind: checked.objector_kind,
        objector_name: checked.objector_name,
        contact_phone: checked.contact_phone,
        identity_checked: identity_checked.to_string(),
        pledge_text: pledge(&o).join("\n"),
        pledge_signed_name: answers.signatory.trim().to_string(),
        tracking_hash: sha256_hex(normalized.as_bytes()),
        submitted_at: Utc::now(),
        submitted_on: today,
        deadline,
        consents: consents_of(&answers, retention_days, Utc::now()),
    };
    let filed = match state.objections.file_objection(&new, &files).await {
        Ok(f) => f,
        Err(e) => {
            discard(&state, files).await;
            return Err(e.into());
        }
    };
    match filed {
        FiledObjection::Filed { number } => {
            tracing::info!(objection = %number, "objection filed");
            let deadline = app::domain::publication::format_date_cn(deadline);
            Ok(page(
                StatusCode::CREATED,
                render_document(None, "异议已提交", move || {
                    view! { <ObjectionFiledPage number code deadline/> }.into_any()
                }),
            ))
        }
        FiledObjection::AlreadyOpen { .. } => {
            discard(&state, files).await;
            Ok(form_page(
                &o,
                StatusCode::CONFLICT,
                shown,
                retention_days,
                vec![already_open(&o)],
            ))
        }
    }
}

/// The notice acknowledged (checked before) and, when ticked, the separate
/// SMS consent, recorded with the objection.
fn consents_of(
    answers: &ObjectionAnswers,
    retention_days: u32,
    at: chrono::DateTime<Utc>,
) -> Vec<NewConsent> {
    let mut out = vec![NewConsent::notice(
        NoticeForm::Objection,
        retention_days,
        at,
    )];
    if answers.sms_consent {
        out.push(NewConsent::sms(at));
    }
    out
}

/// The days contact data are kept, which the notice states.
async fn retention_days(state: &StaffState) -> Result<u32, super::Halt> {
    Ok(crate::services::privacy::retention_days(state.repair.repairs.as_ref()).await?)
}

fn name_field(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Identity => "identity_file",
        EvidenceKind::Authorisation => "authorisation",
        _ => "proof",
    }
}

fn already_open(o: &Objected) -> FieldError {
    FieldError::new(
        "grounds",
        format!(
            "该信息已有正在办理的异议，办结前不能重复提出。请凭提交时获得的异议编号和查询码查看进度；如该异议并非您（贵单位）或您的代理人提出，请联系{}。",
            o.authority.name
        ),
    )
}

/// The text fields checked and the identity compared (only once the rest
/// is right, so a guess is never spent on a form that fails anyway).
async fn judge(
    state: &StaffState,
    o: &Objected,
    answers: &ObjectionAnswers,
    agree: bool,
    retention_days: u32,
    client: &str,
) -> Result<Reading, super::Halt> {
    let checked = match check_fields(o, answers, agree, retention_days) {
        Ok(c) => c,
        Err(errors) => return Ok(Reading::Refused(StatusCode::BAD_REQUEST, errors)),
    };
    let what = match check_who(state, o, answers, client).await? {
        Ok(what) => what,
        Err((status, e)) => return Ok(Reading::Refused(status, vec![e])),
    };
    // Told only now, to someone who passed the identity check.
    let open = state
        .objections
        .objections_on_record(o.kind, o.id)
        .await?
        .into_iter()
        .any(|x| x.state.is_open());
    if open {
        return Ok(Reading::Refused(
            StatusCode::CONFLICT,
            vec![already_open(o)],
        ));
    }
    Ok(Reading::Accepted(checked, what))
}
