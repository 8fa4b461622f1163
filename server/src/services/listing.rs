//! The listing procedure's steps (国办发〔2020〕49号 (六)–(八); DOMAIN.md §11),
//! once for both databases: which step is allowed is the domain's
//! (`serious_listing::step`); this applies it. Nothing reaches the public
//! list before the decision, and the decision only after the party could
//! answer (its window passed in silence, or its answer was replied to).

use app::domain::serious_domain::SeriousDomain;
use app::domain::serious_listing::{
    step, ListingAction, ListingContext, ListingState, Removal, REMEDIES,
};
use app::model::RecordKind;
use app::store::listing::{ListingChange, ListingEvent, ListingStore, StoredListing};
use app::store::repair::NewFile;
use app::store::serious::SeriousDomainStore;
use app::store::staff::{NewAuditEntry, StaffStore};
use app::store::write_tx::{NewListedEntry, RecordChange};
use app::store::StoreError;
use chrono::{Datelike, NaiveDate, Utc};

/// Why a step was not taken: the rule's reason (for the user, as is), or
/// the listing had moved on since the page was shown.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Rule(String),
    Stale(ListingState),
}

/// Whether `action` is open on `l` today, text aside (the pages offer
/// what the rules allow: the department's actions, the party's form).
pub fn is_open(
    l: &StoredListing,
    domain: &SeriousDomain,
    today: NaiveDate,
    action: ListingAction,
    removal: Option<Removal>,
) -> bool {
    let ctx = ListingContext {
        removal,
        ..context(l, domain, today, "-")
    };
    step(l.state, action, &ctx).is_ok()
}

fn context<'a>(
    l: &StoredListing,
    domain: &'a SeriousDomain,
    today: NaiveDate,
    text: &'a str,
) -> ListingContext<'a> {
    ListingContext {
        today,
        domain,
        answer_deadline: Some(l.answer_deadline),
        listed_on: l.decided_on,
        removal: None,
        text,
    }
}

/// How `l` left the list, from its history: the last removal, unless a
/// revocation came after it.
pub async fn removal_of(
    listings: &dyn ListingStore,
    l: &StoredListing,
) -> Result<Option<Removal>, StoreError> {
    if l.state != ListingState::Removed {
        return Ok(None);
    }
    Ok(listings
        .listing_events(l.id)
        .await?
        .iter()
        .rev()
        .find_map(|e| match e.action {
            ListingAction::RemoveEarly => Some(Some(Removal::Early)),
            ListingAction::RemoveAtPeriodEnd => Some(Some(Removal::AtPeriodEnd)),
            ListingAction::RemoveOnObjection => Some(Some(Removal::OnObjection)),
            ListingAction::RevokeRemoval => Some(None),
            _ => None,
        })
        .flatten())
}

/// The party's statement (陈述、申辩) with its evidence, while its window
/// is open.
pub async fn answer(
    listings: &dyn ListingStore,
    l: &StoredListing,
    domain: &SeriousDomain,
    today: NaiveDate,
    text: &str,
    files: &[NewFile],
    consents: &[app::store::consent::NewConsent],
) -> Result<Result<(), Refused>, StoreError> {
    let allowed = match step(
        l.state,
        ListingAction::PartyAnswers,
        &context(l, domain, today, text),
    ) {
        Ok(s) => s,
        Err(e) => return Ok(Err(Refused::Rule(e.message))),
    };
    // A second answer adds to the first: every point must be replied to.
    let answer = match &l.answer {
        Some(before) => format!("{before}\n\n（{today} 补充）{text}"),
        None => text.to_string(),
    };
    let change = ListingChange {
        listing_id: l.id,
        expected: l.state,
        to: allowed.to,
        event: ListingEvent {
            at: Utc::now(),
            actor: "party".into(),
            action: ListingAction::PartyAnswers,
            text: Some(text.to_string()),
        },
        answer: Some(answer),
        reply: None,
        waived: false,
        decided_on: None,
        doc_no: None,
        entry_id: None,
    };
    Ok(if listings.record_answer(&change, files, consents).await? {
        Ok(())
    } else {
        Err(Refused::Stale(l.state))
    })
}

/// The actions a department takes on a listing in its console.
pub const DEPARTMENT_ACTIONS: [ListingAction; 4] = [
    ListingAction::Reply,
    ListingAction::Decide,
    ListingAction::Withdraw,
    ListingAction::RevokeRemoval,
];

/// A department's step: reply to the party, withdraw the proposal, decide
/// to list (which creates the public entry), or revoke an early removal
/// obtained with false materials (the entry is listed and public again).
/// Registered with `audit`.
#[allow(clippy::too_many_arguments)]
pub async fn department_step(
    staff: &dyn StaffStore,
    l: &StoredListing,
    domain: &SeriousDomain,
    action: ListingAction,
    removal: Option<Removal>,
    text: &str,
    today: NaiveDate,
    actor: &str,
    audit: &NewAuditEntry,
) -> Result<Result<ListingState, Refused>, StoreError> {
    if action.by_party() || !DEPARTMENT_ACTIONS.contains(&action) {
        return Ok(Err(Refused::Rule("请选择办理结果".into())));
    }
    let ctx = ListingContext {
        removal,
        ..context(l, domain, today, text)
    };
    let allowed = match step(l.state, action, &ctx) {
        Ok(s) => s,
        Err(e) => return Ok(Err(Refused::Rule(e.message))),
    };
    let mut tx = staff.begin_write().await?;
    let mut change = ListingChange {
        listing_id: l.id,
        expected: l.state,
        to: allowed.to,
        event: ListingEvent {
            at: Utc::now(),
            actor: actor.to_string(),
            action,
            text: (!text.trim().is_empty()).then(|| text.trim().to_string()),
        },
        answer: None,
        reply: (action == ListingAction::Reply).then(|| text.trim().to_string()),
        waived: allowed.waived,
        decided_on: None,
        doc_no: None,
        entry_id: None,
    };
    if action == ListingAction::Decide {
        let doc_no = format!("认定〔{}〕{}号", today.year(), l.number);
        let entry = NewListedEntry {
            subject_id: l.subject_id,
            domain_code: domain.code.clone(),
            list_name: domain.name.clone(),
            reason: l.reason.clone(),
            basis: l.basis.clone(),
            doc_no: doc_no.clone(),
            department_id: l.department_id,
            listed_on: today,
            until: domain.listing_ends(today),
            measures: l.measures.clone(),
            removal_conditions: format!(
                "{}{}",
                domain.removal_conditions, domain.removal_procedure
            ),
            remedies: REMEDIES.to_string(),
            grounds_penalty_id: l.penalty_id,
        };
        change.entry_id = Some(tx.list_entry(&entry, today).await?);
        change.decided_on = Some(today);
        change.doc_no = Some(doc_no);
    }
    if !tx.change_listing(&change).await? {
        return Ok(Err(Refused::Stale(l.state))); // dropped: nothing written
    }
    if action == ListingAction::RevokeRemoval {
        if let Some(entry) = l.entry_id {
            if tx.restore_entry(entry, today).await? {
                tx.log_change(&RecordChange {
                    kind: RecordKind::Serious,
                    record_id: entry,
                    change: "new",
                    actor: actor.to_string(),
                })
                .await?;
            }
        }
    }
    tx.append_audit(audit).await?;
    tx.commit().await?;
    Ok(Ok(allowed.to))
}

/// Removes at the period's end every listing of `departments` whose period
/// is over: the listing becomes 已移出 with the system's event and its entry
/// ends. The public side — off the list, the feed's `ended` line — is the
/// sweeper's (`Store::sweep_ended`), which takes every entry whose last day
/// has passed, so this runs after it and writes no second line. Returns how
/// many listings it removed.
pub async fn remove_at_period_end(
    staff: &dyn StaffStore,
    listings: &dyn ListingStore,
    serious: &dyn SeriousDomainStore,
    departments: &[i64],
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let mut removed = 0;
    for department in departments {
        for l in listings.listings_of_department(*department).await? {
            if l.state != ListingState::Listed {
                continue;
            }
            let Some(domain) = serious.domain(&l.domain_code).await? else {
                continue;
            };
            let Ok(allowed) = step(
                l.state,
                ListingAction::RemoveAtPeriodEnd,
                &context(&l, &domain, today, ""),
            ) else {
                continue; // still within its period
            };
            let ended = l.decided_on.map(|on| domain.listing_ends(on));
            let mut tx = staff.begin_write().await?;
            let change = ListingChange {
                listing_id: l.id,
                expected: l.state,
                to: allowed.to,
                event: ListingEvent {
                    at: Utc::now(),
                    actor: "system".into(),
                    action: ListingAction::RemoveAtPeriodEnd,
                    text: ended.map(|d| {
                        format!(
                            "列入期限至{}届满，自动移出名单，停止公示",
                            app::domain::publication::format_date_cn(d)
                        )
                    }),
                },
                answer: None,
                reply: None,
                waived: false,
                decided_on: None,
                doc_no: None,
                entry_id: None,
            };
            if !tx.change_listing(&change).await? {
                continue; // moved on meanwhile: dropped, nothing written
            }
            if let Some(entry) = l.entry_id {
                tx.end_entry(entry, today).await?;
            }
            tx.commit().await?;
            removed += 1;
        }
    }
    Ok(removed)
}
