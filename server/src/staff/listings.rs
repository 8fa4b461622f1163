//! The listing procedure in the console, for the determining department's
//! reviewers: propose a listing grounded on one of the department's
//! penalties (the prior notice is served at once, with an access code for
//! the party, shown once), read the party's answer, reply to it, decide or
//! withdraw. Another department's listings answer 404.

use app::domain::measure::{of_domain, statement, MeasureVersion};
use app::domain::repair_application::tracking_code_from_bytes;
use app::domain::serious_domain::SeriousDomain;
use app::domain::serious_listing::{
    answer_deadline, decision_sections, normalize_access_code, notice_sections, step,
    DecisionFacts, ListingAction, ListingContext, ListingState, NoticeFacts, NoticeNumber, Removal,
    ANSWER_SETTING,
};
use app::domain::staff::AuditAction;
use app::domain::working_days::HolidayCalendar;
use app::pages::admin::listings::{
    GroundsLine, ListingLine, ListingPage, ListingView, ListingsPage, NewListingPage,
    OversightLine, OversightPage, OwedStep, ProposalForm,
};
use app::pages::repair::forms::FieldError;
use app::store::listing::{NewListing, StoredListing};
use app::store::StoreError;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::session::Staff;
use super::{audit_entry, forbidden, not_found, render, Halt, Handled, StaffState};
use crate::http::forms::see_other;
use crate::http::tokens::{random_16, sha256_hex};
use crate::services::joint_check::current_versions;
use crate::services::listing::{department_step, is_open, removal_of, Refused, DEPARTMENT_ACTIONS};

const MAX_TEXT: usize = 2000;

fn department_of(staff: &Staff) -> Result<i64, Box<Response>> {
    match staff.member.department_id {
        Some(d) if staff.member.may_review(d) => Ok(d),
        _ => Err(Box::new(forbidden(
            Some(staff.view()),
            "只有认定单位的审核人员可以办理严重失信主体名单认定。",
        ))),
    }
}

/// The text of a notice's parts for pages.
pub(crate) fn sections(parts: Vec<(&'static str, String)>) -> Vec<(String, String)> {
    parts.into_iter().map(|(h, b)| (h.to_string(), b)).collect()
}

/// The prior notice of `l`, as the party and the department read it.
pub(crate) async fn notice_of(
    state: &StaffState,
    l: &StoredListing,
    domain: &SeriousDomain,
) -> Result<Vec<(String, String)>, StoreError> {
    let departments = state.repair.portal.store.departments().await?;
    let authority = departments
        .iter()
        .find(|d| d.id == l.department_id)
        .map(|d| d.name.clone())
        .unwrap_or_default();
    let number = NoticeNumber::parse(&l.number)
        .map_err(|e| StoreError(format!("stored notice number {}: {e}", l.number)))?;
    Ok(sections(notice_sections(
        domain,
        &NoticeFacts {
            number,
            authority,
            reason: l.reason.clone(),
            basis: l.basis.clone(),
            measures: l.measures.clone(),
            // A listing is not an administrative penalty: 陈述、申辩 in
            // writing or online, no hearing (行政处罚法 art 63 does not reach it).
            hearing: false,
            answer_deadline: l.answer_deadline,
        },
    )))
}

/// The decision's sections, once listed.
pub(crate) fn decision_of(l: &StoredListing, domain: &SeriousDomain) -> Vec<(String, String)> {
    match (l.state, l.decided_on) {
        (ListingState::Listed | ListingState::Removed, Some(on)) => {
            // The decision says whether the party was heard.
            let heard = if l.waived {
                "当事人在答复期限内未提出陈述、申辩，视为放弃陈述、申辩的权利。"
            } else {
                "当事人已提出陈述、申辩，认定单位已逐项答复（见上）。"
            };
            let mut parts = vec![("陈述、申辩", heard.to_string())];
            parts.extend(decision_sections(
                domain,
                &DecisionFacts {
                    reason: l.reason.clone(),
                    basis: l.basis.clone(),
                    measures: l.measures.clone(),
                    listed_on: on,
                },
            ));
            sections(parts)
        }
        _ => vec![],
    }
}

pub(crate) async fn domain_of(
    state: &StaffState,
    l: &StoredListing,
) -> Result<SeriousDomain, StoreError> {
    state
        .serious
        .domain(&l.domain_code)
        .await?
        .ok_or_else(|| StoreError(format!("listing {} without its domain", l.number)))
}

async fn subject_name(state: &StaffState, l: &StoredListing) -> Result<String, Halt> {
    Ok(match l.penalty_id {
        Some(id) => state
            .repair
            .portal
            .store
            .penalty(id)
            .await?
            .map(|p| p.subject.name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

pub async fn list(State(state): State<StaffState>, staff: Staff) -> Handled {
    let department = department_of(&staff)?;
    let names: std::collections::HashMap<String, String> = state
        .serious
        .domains()
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let mut listings = Vec::new();
    for l in state.listings.listings_of_department(department).await? {
        listings.push(ListingLine {
            number: l.number.clone(),
            subject_name: subject_name(&state, &l).await?,
            list_name: names.get(&l.domain_code).cloned().unwrap_or_default(),
            state: l.state.label().to_string(),
            answer_deadline: app::domain::publication::format_date_cn(l.answer_deadline),
        });
    }
    let view_data = staff.view();
    Ok(render(
        StatusCode::OK,
        "严重失信主体名单认定",
        move || view! { <ListingsPage staff=view_data listings/> }.into_any(),
    ))
}

#[derive(Deserialize)]
pub struct Grounds {
    #[serde(default)]
    penalty: String,
}

/// The department's own public penalty `id`, or 404.
async fn own_penalty(
    state: &StaffState,
    staff: &Staff,
    department: i64,
    id: &str,
) -> Result<GroundsLine, Halt> {
    let penalty = match id.trim().parse::<i64>() {
        Ok(id) => state.repair.portal.store.penalty(id).await?,
        Err(_) => None,
    };
    match penalty {
        Some(p) if p.authority.id == department => Ok(GroundsLine {
            penalty_id: p.id,
            doc_no: p.doc_no,
            subject_name: p.subject.name,
            subject_kind: p.subject.kind,
            facts: p.facts,
        }),
        _ => Err(not_found(Some(staff.view())).into()),
    }
}

/// The domains a department may list in: the portal's own lists (a
/// mirrored court list is the court's).
async fn domain_choices(state: &StaffState) -> Result<Vec<SeriousDomain>, Halt> {
    Ok(state
        .serious
        .domains()
        .await?
        .into_iter()
        .filter(|d| !d.mirrored)
        .collect())
}

async fn proposal_page(
    state: &StaffState,
    staff: &Staff,
    status: StatusCode,
    grounds: GroundsLine,
    form: ProposalForm,
    errors: Vec<FieldError>,
) -> Handled {
    let choices = domain_choices(state).await?;
    let list = current_measures(state).await?;
    let today = state.repair.portal.today();
    let measures = choices
        .iter()
        .map(|d| {
            let named = of_domain(&list, &d.code, grounds.subject_kind, today)
                .into_iter()
                .map(|m| format!("{}（依据{}）", m.name, m.basis.citation()))
                .collect();
            (d.name.clone(), named)
        })
        .collect();
    let domains = choices.into_iter().map(|d| (d.code, d.name)).collect();
    let view_data = staff.view();
    Ok(render(
        status,
        "拟列入严重失信主体名单",
        move || {
            view! { <NewListingPage staff=view_data grounds domains measures form errors/> }
                .into_any()
        },
    ))
}

pub async fn new(
    State(state): State<StaffState>,
    staff: Staff,
    Query(q): Query<Grounds>,
) -> Handled {
    let department = department_of(&staff)?;
    let grounds = own_penalty(&state, &staff, department, &q.penalty).await?;
    let form = ProposalForm {
        reason: grounds.facts.clone(),
        ..ProposalForm::default()
    };
    proposal_page(&state, &staff, StatusCode::OK, grounds, form, vec![]).await
}

#[derive(Deserialize)]
pub struct ProposalPost {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    penalty: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    basis: String,
}

/// The current version of each measure of the list.
async fn current_measures(state: &StaffState) -> Result<Vec<MeasureVersion>, StoreError> {
    Ok(current_versions(&state.measures.measure_versions().await?))
}

/// What a notice and its decision say of the measures: those of the list
/// for the domain and the party's kind, each with its basis.
fn named_measures(
    list: &[MeasureVersion],
    domain: &str,
    kind: app::domain::SubjectKind,
    today: chrono::NaiveDate,
) -> String {
    let named = of_domain(list, domain, kind, today);
    if named.is_empty() {
        "失信惩戒措施清单中暂无适用于该名单的措施；列入后依法公示。".to_string()
    } else {
        format!("依照失信惩戒措施清单实施：{}", statement(&named))
    }
}

fn required(errors: &mut Vec<FieldError>, field: &'static str, value: &str, what: &str) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, format!("请填写{what}")));
    } else if value.trim().chars().count() > MAX_TEXT {
        errors.push(FieldError::new(
            field,
            format!("{what}不能超过 {MAX_TEXT} 字"),
        ));
    }
}

/// Serves a prior notice: the proposal is stored in state 已告知 with the
/// answer window, and the access code is shown once.
pub async fn propose(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<ProposalPost>,
) -> Handled {
    staff.check_post(&headers, &f.csrf)?;
    let department = department_of(&staff)?;
    let grounds = own_penalty(&state, &staff, department, &f.penalty).await?;
    let form = ProposalForm {
        domain: f.domain.clone(),
        reason: f.reason.clone(),
        basis: f.basis.clone(),
    };
    let mut errors = Vec::new();
    let domains = domain_choices(&state).await?;
    let domain = domains.iter().find(|d| d.code == f.domain.trim());
    if domain.is_none() {
        errors.push(FieldError::new("domain", "请选择名单领域"));
    }
    required(&mut errors, "reason", &f.reason, "事由");
    required(&mut errors, "basis", &f.basis, "依据");
    let today = state.repair.portal.today();
    if let Some(d) = domain {
        if let Err(e) = step(
            ListingState::Proposed,
            ListingAction::SendNotice,
            &ListingContext::new(today, d),
        ) {
            errors.push(FieldError::new("domain", e.message));
        }
    }
    let (Some(domain), true) = (domain, errors.is_empty()) else {
        return proposal_page(
            &state,
            &staff,
            StatusCode::BAD_REQUEST,
            grounds,
            form,
            errors,
        )
        .await;
    };
    let penalty = state
        .repair
        .portal
        .store
        .penalty(grounds.penalty_id)
        .await?
        .ok_or_else(|| Halt::failed("the penalty vanished during a proposal"))?;
    let calendar = HolidayCalendar::new(state.repair.repairs.calendar().await?);
    let days = state
        .repair
        .repairs
        .working_days_setting(ANSWER_SETTING.0)
        .await?
        .unwrap_or(ANSWER_SETTING.1);
    let code = tracking_code_from_bytes(&random_16()?);
    // Stored as the hash of the form a typed code is compared in.
    let normalized = normalize_access_code(&code)
        .ok_or_else(|| Halt::failed("a generated access code does not normalise"))?;
    let listing = NewListing {
        domain_code: domain.code.clone(),
        department_id: department,
        penalty_id: Some(penalty.id),
        subject_id: penalty.subject.id,
        reason: f.reason.trim().to_string(),
        basis: f.basis.trim().to_string(),
        // Named from the measures list, never typed (seed §四(四)9).
        measures: named_measures(
            &current_measures(&state).await?,
            &domain.code,
            penalty.subject.kind,
            today,
        ),
        notice_date: today,
        answer_deadline: answer_deadline(today, days, &calendar),
        access_hash: sha256_hex(normalized.as_bytes()),
        actor: staff.member.username.clone(),
        at: Utc::now(),
    };
    let audit = audit_entry(
        &staff,
        AuditAction::ListingStep,
        format!("拟列入 {}", domain.name),
        format!(
            "送达告知书：{}（依据处罚 {}）",
            penalty.subject.name, penalty.doc_no
        ),
    );
    let Some(number) = state.listings.create_listing(&listing, &audit).await? else {
        let errors = vec![FieldError::new(
            "domain",
            "该处罚已有正在办理的列入程序，请在认定程序列表中办理",
        )];
        return proposal_page(&state, &staff, StatusCode::CONFLICT, grounds, form, errors).await;
    };
    let stored = state
        .listings
        .listing_by_number(&number)
        .await?
        .ok_or_else(|| Halt::failed("a listing vanished after it was stored"))?;
    listing_page(
        &state,
        &staff,
        StatusCode::CREATED,
        &stored,
        Some(code),
        String::new(),
        vec![],
    )
    .await
}

/// The department's actions allowed on `l` today.
fn actions(
    l: &StoredListing,
    domain: &SeriousDomain,
    today: chrono::NaiveDate,
    removal: Option<Removal>,
) -> Vec<(String, String)> {
    DEPARTMENT_ACTIONS
        .into_iter()
        .filter(|a| is_open(l, domain, today, *a, removal))
        .map(|a| (a.code().to_string(), a.label().to_string()))
        .collect()
}

async fn listing_page(
    state: &StaffState,
    staff: &Staff,
    status: StatusCode,
    l: &StoredListing,
    access_code: Option<String>,
    text: String,
    errors: Vec<FieldError>,
) -> Handled {
    let domain = domain_of(state, l).await?;
    let events = state
        .listings
        .listing_events(l.id)
        .await?
        .into_iter()
        .map(|e| {
            (
                app::domain::working_days::china_time_label(e.at, false),
                match e.actor.as_str() {
                    "party" => "当事人".to_string(),
                    "system" => "系统".to_string(),
                    _ => e.actor,
                },
                e.action.label().to_string(),
                e.text,
            )
        })
        .collect();
    let today = state.repair.portal.today();
    let listing = ListingView {
        number: l.number.clone(),
        state: l.state.label().to_string(),
        expected_state: l.state.code().to_string(),
        subject_name: subject_name(state, l).await?,
        list_name: domain.name.clone(),
        notice: notice_of(state, l, &domain).await?,
        answer: l.answer.clone(),
        files: state
            .listings
            .listing_files(l.id)
            .await?
            .into_iter()
            .map(|f| {
                (
                    format!("/admin/listings/{}/files/{}", l.number, f.id),
                    format!(
                        "{}（{}）",
                        f.display_name,
                        app::pages::repair::forms::size_label(f.size_bytes)
                    ),
                )
            })
            .collect(),
        reply: l.reply.clone(),
        events,
        decision: decision_of(l, &domain),
        entry_href: l.entry_id.map(|id| format!("/serious-list/{id}")),
        actions: actions(
            l,
            &domain,
            today,
            removal_of(state.listings.as_ref(), l).await?,
        ),
    };
    let view_data = staff.view();
    Ok(render(status, "告知书", move || {
        view! { <ListingPage staff=view_data listing access_code text errors/> }.into_any()
    }))
}

async fn own_listing(
    state: &StaffState,
    staff: &Staff,
    number: &str,
) -> Result<StoredListing, Halt> {
    let department = department_of(staff)?;
    let Ok(number) = NoticeNumber::parse(number) else {
        return Err(not_found(Some(staff.view())).into());
    };
    match state.listings.listing_by_number(number.as_str()).await? {
        Some(l) if l.department_id == department => Ok(l),
        _ => Err(not_found(Some(staff.view())).into()),
    }
}

pub async fn listing(
    State(state): State<StaffState>,
    staff: Staff,
    Path(number): Path<String>,
) -> Handled {
    let l = own_listing(&state, &staff, &number).await?;
    listing_page(
        &state,
        &staff,
        StatusCode::OK,
        &l,
        None,
        String::new(),
        vec![],
    )
    .await
}

/// A file the party sent, as an attachment; each download is registered.
pub async fn file(
    State(state): State<StaffState>,
    staff: Staff,
    Path((number, file_id)): Path<(String, i64)>,
) -> Handled {
    let l = own_listing(&state, &staff, &number).await?;
    let files = state.listings.listing_files(l.id).await?;
    let Some(file) = files.into_iter().find(|f| f.id == file_id) else {
        return Ok(not_found(Some(staff.view())));
    };
    let entry = audit_entry(
        &staff,
        AuditAction::DownloadEvidence,
        format!("告知书 {} 的材料 {}", l.number, file.display_name),
        "审查当事人陈述、申辩",
    );
    super::register(&state, entry).await?;
    super::review::attachment(&state, &file).await
}

#[derive(Deserialize)]
pub struct ActPost {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    expected_state: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    text: String,
}

pub async fn act(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    Form(f): Form<ActPost>,
) -> Handled {
    staff.check_post(&headers, &f.csrf)?;
    let l = own_listing(&state, &staff, &number).await?;
    let refuse = |field: &'static str, message: String| vec![FieldError::new(field, message)];
    if ListingState::from_code(f.expected_state.trim()) != Some(l.state) {
        let errors = refuse(
            "action",
            format!(
                "该程序的状态已变为“{}”，请查看最新情况后再办理",
                l.state.label()
            ),
        );
        return listing_page(
            &state,
            &staff,
            StatusCode::CONFLICT,
            &l,
            None,
            f.text,
            errors,
        )
        .await;
    }
    let Some(action) = ListingAction::from_code(f.action.trim()) else {
        let errors = refuse("action", "请选择办理结果".into());
        return listing_page(
            &state,
            &staff,
            StatusCode::BAD_REQUEST,
            &l,
            None,
            f.text,
            errors,
        )
        .await;
    };
    if f.text.trim().chars().count() > MAX_TEXT {
        let errors = refuse("text", format!("答复意见或理由不能超过 {MAX_TEXT} 字"));
        return listing_page(
            &state,
            &staff,
            StatusCode::BAD_REQUEST,
            &l,
            None,
            f.text,
            errors,
        )
        .await;
    }
    let domain = domain_of(&state, &l).await?;
    let today = state.repair.portal.today();
    let audit = audit_entry(
        &staff,
        AuditAction::ListingStep,
        format!("告知书 {}", l.number),
        if f.text.trim().is_empty() {
            action.label().to_string()
        } else {
            format!("{}：{}", action.label(), f.text.trim())
        },
    );
    let removal = removal_of(state.listings.as_ref(), &l).await?;
    match department_step(
        state.staff.as_ref(),
        &l,
        &domain,
        action,
        removal,
        &f.text,
        today,
        &staff.member.username,
        &audit,
    )
    .await?
    {
        Ok(_) => Ok(see_other(&format!("/admin/listings/{}", l.number))),
        Err(Refused::Rule(message)) => {
            let field = if message.starts_with("请填写") {
                "text"
            } else {
                "action"
            };
            let errors = refuse(field, message);
            listing_page(
                &state,
                &staff,
                StatusCode::BAD_REQUEST,
                &l,
                None,
                f.text,
                errors,
            )
            .await
        }
        Err(Refused::Stale(_)) => {
            let fresh = own_listing(&state, &staff, &number).await?;
            let errors = refuse(
                "action",
                format!(
                    "该程序的状态已变为“{}”，请查看最新情况后再办理",
                    fresh.state.label()
                ),
            );
            listing_page(
                &state,
                &staff,
                StatusCode::CONFLICT,
                &fresh,
                None,
                f.text,
                errors,
            )
            .await
        }
    }
}

/// The credit authority's oversight of every department's listings: what
/// is in progress and where the department owes the next step
/// (`serious_listing::awaiting_department`).
pub async fn oversight(State(state): State<StaffState>, staff: Staff) -> Handled {
    staff.require_admin()?;
    let today = state.repair.portal.today();
    let mut departments = Vec::new();
    let mut owed = Vec::new();
    for d in state.repair.portal.store.departments().await? {
        let listings = state.listings.listings_of_department(d.id).await?;
        if listings.is_empty() {
            continue;
        }
        let mut line = OversightLine {
            department: d.name.clone(),
            in_progress: 0,
            owed: 0,
            listed: 0,
        };
        for l in &listings {
            line.in_progress += usize::from(l.state.is_pending());
            line.listed += usize::from(l.state == ListingState::Listed);
            if let Some(what) =
                app::domain::serious_listing::awaiting_department(l.state, l.answer_deadline, today)
            {
                line.owed += 1;
                owed.push(OwedStep {
                    number: l.number.clone(),
                    department: d.name.clone(),
                    state: l.state.label().to_string(),
                    answer_deadline: app::domain::publication::format_date_cn(l.answer_deadline),
                    owed: what.to_string(),
                });
            }
        }
        departments.push(line);
    }
    let view_data = staff.view();
    Ok(render(StatusCode::OK, "名单认定督办", move || {
        view! { <OversightPage staff=view_data departments owed/> }.into_any()
    }))
}
