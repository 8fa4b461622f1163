//! Objections (异议, DOMAIN.md §12), once for both databases: which step is
//! allowed is the domain's (`objection::transition`); this applies it with
//! its deadline and, for a decision, what the outcome does to the record —
//! all in one transaction with the register entry.
//!
//! What each outcome does:
//! - 更正 / 补充: the department delivers the corrected or completed record
//!   through its data channel (import or API), which writes the change log
//!   and the feed like every correction; the decision is only taken once
//!   such a correction has arrived since the objection was accepted, so the
//!   objector is never told "corrected" about a record that reads the same.
//! - 删除 / 停止公示: the record leaves every public page and the search for
//!   good (a withdrawal that later deliveries respect), with a change-log line.
//! - 移出名单: the serious-list entry ends today and leaves the list; the
//!   listing procedure that created it records 异议成立，移出名单. A court's
//!   (mirrored) list is not the portal's to change.
//! - 维持: nothing changes; the answer gives the reasons and the remedies.

use app::domain::objection::{
    deadline_setting, next_deadline, transition, ObjectionAction, ObjectionContext,
    ObjectionOutcome, ObjectionState, ObjectionTarget,
};
use app::domain::serious_listing::{ListingAction, ListingState};
use app::domain::working_days::HolidayCalendar;
use app::model::RecordKind;
use app::store::feed::FeedStore;
use app::store::listing::{ListingChange, ListingEvent, ListingStore};
use app::store::objection::{ObjectionChange, ObjectionStore, StoredObjection, Withdrawal};
use app::store::repair::{NewFile, RepairStore};
use app::store::staff::{NewAuditEntry, StaffStore};
use app::store::write_tx::{RecordChange, WriteTx};
use app::store::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};

/// Why a step was not taken: the rule's reason (for the user, as is), or
/// the objection had moved on since the page was shown.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Rule(String),
    Stale(ObjectionState),
}

/// The deadline `action` (None: the filing) taken on `acted_on` sets,
/// from its setting and the holiday calendar.
pub async fn deadline_after(
    repairs: &dyn RepairStore,
    action: Option<ObjectionAction>,
    acted_on: NaiveDate,
    accepted_on: Option<NaiveDate>,
) -> Result<Option<NaiveDate>, StoreError> {
    let Some((key, default)) = deadline_setting(action) else {
        return Ok(None);
    };
    let days = repairs.working_days_setting(key).await?.unwrap_or(default);
    let calendar = HolidayCalendar::new(repairs.calendar().await?);
    Ok(next_deadline(
        action,
        acted_on,
        accepted_on,
        days,
        &calendar,
    ))
}

fn context<'a>(o: &StoredObjection, today: NaiveDate, text: &'a str) -> ObjectionContext<'a> {
    ObjectionContext {
        today,
        target: ObjectionTarget::of_record(o.record_kind),
        supplement_requested: o.supplement_requested,
        supplement_deadline: o.supplement_deadline,
        extended: o.extended,
        text,
    }
}

/// Whether `action` is open on `o` today, text aside (the pages offer
/// only what the rules allow).
pub fn is_open(o: &StoredObjection, today: NaiveDate, action: ObjectionAction) -> bool {
    transition(o.state, action, &context(o, today, "-")).is_ok()
}

/// The actions the determining department may take on `o` today.
pub fn department_actions(o: &StoredObjection, today: NaiveDate) -> Vec<ObjectionAction> {
    ObjectionAction::ALL
        .into_iter()
        .filter(|a| !a.by_subject() && is_open(o, today, *a))
        .collect()
}

/// One step on an objection. Staff steps carry their register entry;
/// the objector's (supplement, withdrawal) do not.
pub struct Step<'a> {
    pub action: ObjectionAction,
    pub text: &'a str,
    /// A staff username, or `objector`.
    pub actor: &'a str,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    /// Files sent with a supplement.
    pub files: &'a [NewFile],
    pub audit: Option<&'a NewAuditEntry>,
}

/// The stores an objection's steps read and write.
pub struct Stores<'a> {
    pub staff: &'a dyn StaffStore,
    pub repairs: &'a dyn RepairStore,
    pub objections: &'a dyn ObjectionStore,
    pub feed: &'a dyn FeedStore,
    pub listings: &'a dyn ListingStore,
    pub public: &'a dyn Store,
}

/// Takes `step` on `o` if the rules allow it and `o` is still as read.
pub async fn take(
    stores: Stores<'_>,
    o: &StoredObjection,
    step: Step<'_>,
) -> Result<Result<ObjectionState, Refused>, StoreError> {
    let Stores {
        staff,
        repairs,
        objections,
        feed,
        listings,
        public,
    } = stores;
    let action = step.action;
    // The objector's steps have no register entry; staff steps must.
    if action.by_subject() == step.audit.is_some() {
        return Ok(Err(Refused::Rule("无权办理该事项".into())));
    }
    let to = match transition(o.state, action, &context(o, step.today, step.text)) {
        Ok(to) => to,
        Err(e) => return Ok(Err(Refused::Rule(e.message))),
    };
    if let ObjectionAction::Decide(
        outcome @ (ObjectionOutcome::Corrected | ObjectionOutcome::Completed),
    ) = action
    {
        let since = accepted_at(objections, o).await?;
        if !feed
            .corrected_since(o.record_kind, o.record_id, since)
            .await?
        {
            return Ok(Err(Refused::Rule(format!(
                "作出“{}”结论前，请先通过数据报送（导入或接口）提交{}后的信息；公示页面和数据共享将显示报送后的内容",
                outcome.label(),
                outcome.label()
            ))));
        }
    }
    // A list entry leaves only where the portal keeps the list (a court's
    // list is the court's), and the procedure that listed it says why.
    let mut listing = None;
    if let ObjectionAction::Decide(outcome) = action {
        if o.record_kind == RecordKind::Serious && leaves_the_list(outcome) {
            let domain = public
                .serious_entry(o.record_id)
                .await?
                .and_then(|e| e.domain);
            if let Some(d) = domain.as_ref().filter(|d| d.mirrored) {
                return Ok(Err(Refused::Rule(format!(
                    "“{}”由{}依法认定和删除，本平台只同步展示，不能在本平台移出；请将异议转{}处理",
                    d.name,
                    d.listing_authority,
                    d.mirror_contact.as_deref().unwrap_or("原认定机关")
                ))));
            }
            listing = listings
                .listing_of_entry(o.record_id)
                .await?
                .filter(|l| l.state == ListingState::Listed);
        }
    }
    let accepted_on = (action == ObjectionAction::Accept)
        .then_some(step.today)
        .or(o.accepted_on);
    let deadline = deadline_after(repairs, Some(action), step.today, accepted_on).await?;
    let text = step.text.trim();
    let change = ObjectionChange {
        objection_id: o.id,
        expected: o.state,
        to,
        actor: step.actor.to_string(),
        action,
        text: (!text.is_empty()).then(|| text.to_string()),
        at: step.now,
        deadline,
        accepted_on: (action == ObjectionAction::Accept).then_some(step.today),
        supplement_requested: action == ObjectionAction::RequestSupplement,
        supplement_deadline: (action == ObjectionAction::RequestSupplement)
            .then_some(deadline)
            .flatten(),
        extended: action == ObjectionAction::Extend,
        decided_on: matches!(
            action,
            ObjectionAction::Decide(_) | ObjectionAction::Refuse | ObjectionAction::Withdraw
        )
        .then_some(step.today),
    };
    let mut tx = staff.begin_write().await?;
    if !tx.change_objection(&change, step.files).await? {
        let now = objections
            .objection_by_number(&o.number)
            .await?
            .map_or(o.state, |fresh| fresh.state);
        return Ok(Err(Refused::Stale(now)));
    }
    if let ObjectionAction::Decide(outcome) = action {
        apply_outcome(tx.as_mut(), o, outcome, step.today, step.actor, text).await?;
    }
    if let Some(l) = listing {
        let recorded = tx
            .change_listing(&ListingChange {
                listing_id: l.id,
                expected: ListingState::Listed,
                to: ListingState::Removed,
                event: ListingEvent {
                    at: step.now,
                    actor: step.actor.to_string(),
                    action: ListingAction::RemoveOnObjection,
                    text: Some(format!("异议 {}：{}", o.number, text)),
                },
                answer: None,
                reply: None,
                waived: false,
                decided_on: None,
                doc_no: None,
                entry_id: None,
            })
            .await?;
        if !recorded {
            return Ok(Err(Refused::Stale(o.state))); // dropped: nothing written
        }
    }
    if let Some(audit) = step.audit {
        tx.append_audit(audit).await?;
    }
    tx.commit().await?;
    Ok(Ok(to))
}

/// When the objection was accepted (its acceptance event), or when it was
/// filed if no acceptance is on record.
async fn accepted_at(
    objections: &dyn ObjectionStore,
    o: &StoredObjection,
) -> Result<DateTime<Utc>, StoreError> {
    Ok(objections
        .objection_events(o.id)
        .await?
        .into_iter()
        .rev()
        .find(|e| e.action == Some(ObjectionAction::Accept))
        .map_or(o.submitted_at, |e| e.at))
}

/// Whether `outcome` takes a list entry off the list.
fn leaves_the_list(outcome: ObjectionOutcome) -> bool {
    matches!(
        outcome,
        ObjectionOutcome::Deleted
            | ObjectionOutcome::PublicationStopped
            | ObjectionOutcome::RemovedFromList
    )
}

/// What a decision's outcome does to the record (see the module's text).
async fn apply_outcome(
    tx: &mut dyn WriteTx,
    o: &StoredObjection,
    outcome: ObjectionOutcome,
    today: NaiveDate,
    actor: &str,
    reasons: &str,
) -> Result<(), StoreError> {
    let leaves = match outcome {
        ObjectionOutcome::Deleted | ObjectionOutcome::PublicationStopped => {
            tx.withdraw_record(&Withdrawal {
                kind: o.record_kind,
                record_id: o.record_id,
                on: today,
                reason: format!("异议 {}：{}。{}", o.number, outcome.label(), reasons),
                objection_id: Some(o.id),
            })
            .await?;
            if o.record_kind == RecordKind::Serious {
                tx.end_entry(o.record_id, today).await?;
            }
            true
        }
        ObjectionOutcome::RemovedFromList => tx.end_entry(o.record_id, today).await?,
        ObjectionOutcome::Corrected | ObjectionOutcome::Completed | ObjectionOutcome::Kept => false,
    };
    if leaves {
        tx.unpublish(o.record_kind, o.record_id).await?;
        tx.log_change(&RecordChange {
            kind: o.record_kind,
            record_id: o.record_id,
            change: "ended",
            actor: actor.to_string(),
        })
        .await?;
    }
    Ok(())
}
