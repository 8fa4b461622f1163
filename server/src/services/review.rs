//! A reviewer's decision on a repair application, and what an approval
//! does to the record (DOMAIN.md: repair ends publication at once): the
//! penalty is marked repaired and leaves every public page and the search;
//! the serious-list entries it grounds leave with it when their domain
//! allows early removal on that day (列入满一年 and the like), their listing
//! procedures recorded as removed early; each change goes to the change log
//! (and so to the export feed), and the register entry is written in the
//! same transaction.

use app::domain::repair_application::{Action, ApplicationState};
use app::domain::serious_listing::{step, ListingAction, ListingContext, ListingState};
use app::model::RecordKind;
use app::store::listing::{ListingChange, ListingEvent};
use app::store::serious::SeriousDomainStore;
use app::store::staff::{Decision, StaffStore};
use app::store::write_tx::{RecordChange, WriteTx};
use app::store::StoreError;

/// Applies `d` if the application is still in the state the reviewer saw;
/// the new state, or `None` when it had changed (nothing written).
pub async fn decide(
    staff: &dyn StaffStore,
    serious: &dyn SeriousDomainStore,
    d: &Decision,
) -> Result<Option<ApplicationState>, StoreError> {
    let mut tx = staff.begin_write().await?;
    let Some(next) = tx
        .repair_event(d.application_id, d.expected, &d.event, d.staff_account_id)
        .await?
    else {
        return Ok(None); // dropped: rolled back
    };
    if d.event.action == Action::Approve {
        repair(tx.as_mut(), serious, d).await?;
    }
    tx.append_audit(&d.audit).await?;
    tx.commit().await?;
    Ok(Some(next))
}

/// An approved repair's effects on the record and the lists it grounds.
async fn repair(
    tx: &mut dyn WriteTx,
    serious: &dyn SeriousDomainStore,
    d: &Decision,
) -> Result<(), StoreError> {
    tx.mark_repaired(d.record_id, d.today).await?;
    let mut repaired = vec![(RecordKind::Penalty, d.record_id)];
    for entry in tx.entries_grounded_on(d.record_id).await? {
        let domain = match &entry.domain_code {
            Some(code) => serious.domain(code).await?,
            None => None,
        };
        // An entry without a domain on record leaves with its penalty, as
        // before domains were data; one in a domain only as its rules allow.
        if let Some(domain) = &domain {
            let ctx = ListingContext {
                listed_on: Some(entry.listed_on),
                text: "信用修复",
                ..ListingContext::new(d.today, domain)
            };
            if let Err(e) = step(ListingState::Listed, ListingAction::RemoveEarly, &ctx) {
                tracing::info!(entry = entry.id, reason = %e, "entry stays listed after a repair");
                continue;
            }
        }
        tx.end_entry(entry.id, d.today).await?;
        if let Some(listing_id) = entry.listing_id {
            tx.change_listing(&ListingChange {
                listing_id,
                expected: ListingState::Listed,
                to: ListingState::Removed,
                event: ListingEvent {
                    at: d.event.at,
                    actor: d.audit.actor.clone(),
                    action: ListingAction::RemoveEarly,
                    text: Some(
                        "信用修复申请经核准（守信承诺及材料已审核），提前移出名单，停止公示".into(),
                    ),
                },
                answer: None,
                reply: None,
                waived: false,
                decided_on: None,
                doc_no: None,
                entry_id: None,
            })
            .await?;
        }
        repaired.push((RecordKind::Serious, entry.id));
    }
    for (kind, record_id) in repaired {
        tx.unpublish(kind, record_id).await?;
        tx.log_change(&RecordChange {
            kind,
            record_id,
            change: "repaired",
            actor: d.audit.actor.clone(),
        })
        .await?;
    }
    Ok(())
}
