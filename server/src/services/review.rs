//! A reviewer's decision on a repair application, and what an approval
//! does to the record (DOMAIN.md: repair ends publication at once): the
//! penalty is marked repaired and leaves every public page and the search,
//! the serious-list entries it grounds end and leave with it, each change
//! goes to the change log (and so to the export feed), and the register
//! entry is written in the same transaction.

use app::domain::repair_application::{Action, ApplicationState};
use app::model::RecordKind;
use app::store::staff::{Decision, StaffStore};
use app::store::write_tx::{RecordChange, WriteTx};
use app::store::StoreError;

/// Applies `d` if the application is still in the state the reviewer saw;
/// the new state, or `None` when it had changed (nothing written).
pub async fn decide(
    staff: &dyn StaffStore,
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
        repair(tx.as_mut(), d).await?;
    }
    tx.append_audit(&d.audit).await?;
    tx.commit().await?;
    Ok(Some(next))
}

/// An approved repair's effects on the record and the lists it grounds.
async fn repair(tx: &mut dyn WriteTx, d: &Decision) -> Result<(), StoreError> {
    tx.mark_repaired(d.record_id, d.today).await?;
    let mut repaired = vec![(RecordKind::Penalty, d.record_id)];
    for entry in tx.end_listings_grounded_on(d.record_id, d.today).await? {
        repaired.push((RecordKind::Serious, entry));
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
