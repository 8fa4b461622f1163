//! `/notices/{number}`: the party's side of the listing procedure. With the
//! access code served with the notice it reads the notice (and, later, the
//! reply and the decision) and states its case while the window is open.
//! Wrong codes are counted per client with the tracking lookups' failures
//! (one bound for every code a stranger might guess), and the answer never
//! says whether a number exists.

use app::domain::privacy_notice::{
    acknowledged, acknowledgement_missing, notice, NoticeForm, CONTACT_RETENTION_DAYS,
};
use app::domain::repair_application::EvidenceKind;
use app::domain::serious_listing::{
    constant_time_eq, normalize_access_code, ListingAction, NoticeNumber,
};
use app::pages::document::render_document;
use app::pages::notice_page::{NoticeAccessPage, NoticePage, NoticeView};
use app::pages::repair::forms::FieldError;
use app::store::consent::NewConsent;
use app::store::listing::StoredListing;
use axum::extract::{FromRequest, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use crate::http::client::{client_of, ClientAddr};
use crate::http::error::{Area, HandlerError};
use crate::http::forms::{page, same_origin};
use crate::http::tokens::sha256_hex;
use crate::repair::uploads::Collected;
use crate::services::listing::{answer, is_open, Refused};
use crate::staff::listings::{decision_of, domain_of, notice_of};
use crate::staff::StaffState;

/// Wrong codes a client may send per window before 429 (with the tracking
/// lookups': one count).
const MAX_FAILURES: u32 = 10;
const WINDOW_MINUTES: i64 = 15;
const MAX_STATEMENT: usize = 5000;

const WRONG: &str = "告知书编号或查询码不正确，请核对后重新输入（查询码不区分大小写）";

pub fn routes(state: StaffState) -> Router {
    Router::new()
        .route("/notices/{number}", get(access).post(open))
        .route(
            "/notices/{number}/answer",
            axum::routing::post(submit).layer(axum::extract::DefaultBodyLimit::max(
                usize::try_from(app::domain::repair_application::MAX_APPLICATION_BYTES)
                    .unwrap_or(usize::MAX)
                    + 256 * 1024,
            )),
        )
        .with_state(state)
}

fn access_page(status: StatusCode, number: String, errors: Vec<FieldError>) -> Response {
    page(
        status,
        render_document(None, "告知书", move || {
            view! { <NoticeAccessPage number errors/> }.into_any()
        }),
    )
}

/// The notice pages as an area: a failure is shown on the code form.
pub struct Notices;

impl Area for Notices {
    const NAME: &'static str = "prior notices";
    fn failure_page() -> Response {
        access_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            String::new(),
            vec![FieldError::new("code", "系统繁忙，请稍后再试")],
        )
    }
}

type Halt = HandlerError<Notices>;
type Handled = crate::http::error::Handled<Notices>;

pub async fn access(Path(number): Path<String>) -> Response {
    let shown = NoticeNumber::parse(&number)
        .map(|n| n.as_str().to_string())
        .unwrap_or_default();
    access_page(StatusCode::OK, shown, vec![])
}

/// What an answer's form sent besides its files (also the whole of a
/// statement sent as a plain form).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct Posted {
    code: String,
    statement: String,
    notice_ack: String,
    notice_version: String,
}

#[derive(Deserialize)]
pub struct CodePost {
    #[serde(default)]
    code: String,
}

/// The listing behind `number` + `code`, or the response to send.
async fn verify(
    state: &StaffState,
    client: &str,
    number: &str,
    code: &str,
) -> Result<StoredListing, Halt> {
    let repairs = &state.repair.repairs;
    let now = Utc::now();
    let since = now - chrono::Duration::minutes(WINDOW_MINUTES);
    let shown = NoticeNumber::parse(number)
        .map(|n| n.as_str().to_string())
        .unwrap_or_default();
    if repairs.tracking_failures_since(client, since).await? >= MAX_FAILURES {
        return Err(access_page(
            StatusCode::TOO_MANY_REQUESTS,
            shown,
            vec![FieldError::new(
                "code",
                format!("查询失败次数过多，请 {WINDOW_MINUTES} 分钟后再试"),
            )],
        )
        .into());
    }
    let Some(code) = normalize_access_code(code) else {
        return Err(access_page(
            StatusCode::BAD_REQUEST,
            shown,
            vec![FieldError::new(
                "code",
                "查询码应为 12 位字母和数字（不含 0、1、I、L、O），请核对后重新输入",
            )],
        )
        .into());
    };
    let found = match NoticeNumber::parse(number) {
        Ok(n) => state.listings.listing_by_number(n.as_str()).await?,
        Err(_) => None,
    };
    let given = sha256_hex(code.as_bytes());
    // Compared even when the number is unknown, so timing tells nothing.
    let stored = found
        .as_ref()
        .map(|l| l.access_hash.clone())
        .unwrap_or_else(|| "0".repeat(64));
    if let Some(l) = found.filter(|_| constant_time_eq(stored.as_bytes(), given.as_bytes())) {
        return Ok(l);
    }
    repairs.note_tracking_failure(client, now, since).await?;
    Err(access_page(
        StatusCode::NOT_FOUND,
        shown,
        vec![FieldError::new("code", WRONG)],
    )
    .into())
}

async fn notice_page(
    state: &StaffState,
    status: StatusCode,
    l: &StoredListing,
    code: String,
    text: String,
    saved: bool,
    errors: Vec<FieldError>,
) -> Handled {
    // The box stays ticked when the page comes back for another fault.
    let acknowledged = !errors.is_empty() && errors.iter().all(|e| e.field != "notice_ack");
    let domain = domain_of(state, l).await?;
    let today = state.repair.portal.today();
    let view_data = NoticeView {
        number: l.number.clone(),
        state: l.state.label().to_string(),
        notice: notice_of(state, l, &domain).await?,
        answer: l.answer.clone(),
        reply: l.reply.clone(),
        decision: decision_of(l, &domain),
        files: state
            .listings
            .listing_files(l.id)
            .await?
            .into_iter()
            .map(|f| {
                format!(
                    "{}（{}）",
                    f.display_name,
                    app::pages::repair::forms::size_label(f.size_bytes)
                )
            })
            .collect(),
        may_answer: is_open(l, &domain, today, ListingAction::PartyAnswers, None),
    };
    Ok(page(
        status,
        render_document(None, "告知书", move || {
            view! { <NoticePage view=view_data code text saved acknowledged errors/> }.into_any()
        }),
    ))
}

pub async fn open(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(number): Path<String>,
    Form(f): Form<CodePost>,
) -> Handled {
    same_origin(&headers)?;
    let l = verify(&state, &client_of(addr), &number, &f.code).await?;
    notice_page(
        &state,
        StatusCode::OK,
        &l,
        f.code,
        String::new(),
        false,
        vec![],
    )
    .await
}

/// The party's statement with its evidence (multipart: the code and the
/// statement first; nothing is stored for a caller who has not shown the
/// code, and the files are recorded with the answer in one transaction).
pub async fn submit(
    State(state): State<StaffState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(number): Path<String>,
    request: axum::extract::Request,
) -> Handled {
    same_origin(&headers)?;
    let client = client_of(addr);
    let multipart = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    // A statement without files may also come as a plain form.
    let mut multipart = if multipart {
        Multipart::from_request(request, &())
            .await
            .map_err(|e| Halt::from(Box::new(e.into_response())))?
    } else {
        let Form(posted) = Form::<Posted>::from_request(request, &())
            .await
            .map_err(|e| Halt::from(Box::new(e.into_response())))?;
        let none = Collected::new(0);
        return answer_with(&state, &client, &number, posted, none, None).await;
    };
    let mut posted = Posted::default();
    let mut found: Option<StoredListing> = None;
    let mut collected = Collected::new(0);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "malformed notice answer");
                collected.broken();
                break;
            }
        };
        match field.name().unwrap_or("") {
            "code" => posted.code = field.text().await.unwrap_or_default(),
            "statement" => posted.statement = field.text().await.unwrap_or_default(),
            "notice_ack" => posted.notice_ack = field.text().await.unwrap_or_default(),
            "notice_version" => posted.notice_version = field.text().await.unwrap_or_default(),
            "evidence" => {
                // Nothing is stored for someone who has not shown the code.
                if found.is_none() {
                    let l = match verify(&state, &client, &number, &posted.code).await {
                        Ok(l) => l,
                        Err(halt) => {
                            collected.discard(&state.repair.uploads).await;
                            return Err(halt);
                        }
                    };
                    // What was sent before counts against the total.
                    let before = state.listings.listing_files(l.id).await?;
                    collected = Collected::new(before.iter().map(|f| f.size_bytes).sum());
                    found = Some(l);
                }
                collected
                    .take(&state.repair.uploads, field, EvidenceKind::ObjectionProof)
                    .await;
            }
            _ => {}
        }
    }
    answer_with(&state, &client, &number, posted, collected, found).await
}

/// Records the answer with the files `collected` once the code is known
/// to be right (`checked`), or checks it first; an upload that failed
/// refuses it.
async fn answer_with(
    state: &StaffState,
    client: &str,
    number: &str,
    posted: Posted,
    collected: Collected,
    checked: Option<StoredListing>,
) -> Handled {
    let Posted {
        code,
        statement,
        notice_ack,
        notice_version,
    } = posted;
    let uploads = &state.repair.uploads;
    let l = match checked {
        Some(l) => l,
        None => match verify(state, client, number, &code).await {
            Ok(l) => l,
            Err(halt) => {
                collected.discard(uploads).await;
                return Err(halt);
            }
        },
    };
    let text = statement.trim().to_string();
    let mut errors = Vec::new();
    // Checked after the code: a wrong code gets the same answer as ever.
    // Its text keeps no contact data: one version whatever the setting.
    let shown = notice(NoticeForm::NoticeAnswer, CONTACT_RETENTION_DAYS).version;
    if !acknowledged(&notice_ack, &notice_version, &shown) {
        errors.push(FieldError::new(
            "notice_ack",
            acknowledgement_missing(&notice_version, &shown),
        ));
    }
    if let Some(m) = &collected.error {
        errors.push(FieldError::new("evidence", m.clone()));
    }
    if text.chars().count() > MAX_STATEMENT {
        errors.push(FieldError::new(
            "statement",
            format!("陈述、申辩意见不能超过 {MAX_STATEMENT} 字，可分次提交"),
        ));
    }
    if !errors.is_empty() {
        collected.discard(uploads).await;
        return notice_page(
            state,
            StatusCode::BAD_REQUEST,
            &l,
            code,
            statement,
            false,
            errors,
        )
        .await;
    }
    let domain = domain_of(state, &l).await?;
    let today = state.repair.portal.today();
    let outcome = answer(
        state.listings.as_ref(),
        &l,
        &domain,
        today,
        &text,
        &collected.files,
        &[NewConsent::notice(
            NoticeForm::NoticeAnswer,
            CONTACT_RETENTION_DAYS,
            Utc::now(),
        )],
    )
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            collected.discard(uploads).await;
            return Err(e.into());
        }
    };
    match outcome {
        Ok(()) => {
            // Read back, not verified again: the code was checked above.
            let fresh = state
                .listings
                .listing_by_number(&l.number)
                .await?
                .ok_or_else(|| Halt::failed("a listing vanished after its answer"))?;
            notice_page(
                state,
                StatusCode::OK,
                &fresh,
                code,
                String::new(),
                true,
                vec![],
            )
            .await
        }
        Err(refused) => {
            collected.discard(uploads).await;
            let message = match refused {
                Refused::Rule(m) => m,
                Refused::Stale(_) => "告知书的办理状态已变化，请重新查看后再提交".to_string(),
            };
            let errors = vec![FieldError::new("statement", message)];
            notice_page(
                state,
                StatusCode::BAD_REQUEST,
                &l,
                code,
                statement,
                false,
                errors,
            )
            .await
        }
    }
}
