//! Objections: filing and its numbers, one open objection per record, the
//! steps taken in a write transaction, withdrawals and the lists.

use std::sync::Arc;

use app::domain::objection::{ObjectionAction, ObjectionGround, ObjectionOutcome, ObjectionState};
use app::domain::repair_application::{ApplicantKind, EvidenceKind, FileKind};
use app::model::RecordKind;
use app::store::objection::{FiledObjection, NewObjection, ObjectionChange, Withdrawal};
use app::store::repair::NewFile;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use super::{databases, departments, Db};

/// Subjects 51–53; penalties 51–53 (department 7, 53 of department 8) and
/// serious-list entry 61 about subject 51.
async fn records(db: &Db) {
    departments(db).await;
    for (id, department) in [(51, 7), (52, 7), (53, 8)] {
        db.exec(&format!(
            "insert into subjects (id, kind, name, credit_code)
             values ({id}, 'legal', '鹤岗市异议测试{id}有限公司（演示）', '9123040200000{id}X');
             insert into penalties (id, subject_id, doc_no, violation_type, facts, basis,
                                    categories, content, decision_date, department_id,
                                    source_department_id, created_at)
             values ({id}, {id}, '鹤市监罚〔2026〕{id}号', '虚假宣传', '经查', '《反不正当竞争法》',
                     '罚款', '罚款一万元', '2026-10-12', {department}, {department},
                     '2026-10-12T00:00:00Z');"
        ))
        .await;
    }
    db.exec(
        "insert into serious_domains (code, name, list_basis, standard_basis, listing_authority,
                                      listing_years, earliest_removal_years, removal_conditions,
                                      removal_procedure)
         values ('market_serious_violation', '市场监督管理严重违法失信名单', '《办法》', '《办法》',
                 '市场监督管理部门', 3, 1, '期满', '申请');
         insert into serious_entries (id, subject_id, list_name, reason, basis, doc_no,
                                      department_id, listed_on, until, measures,
                                      removal_conditions, remedies, created_at, domain_code)
         values (61, 51, '市场监督管理严重违法失信名单', '拒不履行', '《办法》', '鹤市监列〔2026〕1号',
                 7, '2026-10-01', '2029-10-01', '重点监管', '期满', '申请复议',
                 '2026-10-01T00:00:00Z', 'market_serious_violation');",
    )
    .await;
    // Outside a domain, no entry is stored, and none loses its domain.
    assert!(
        !db.try_exec(
            "insert into serious_entries (id, subject_id, list_name, reason, basis, doc_no,
                                          department_id, listed_on, until, measures,
                                          removal_conditions, remedies, created_at)
             values (62, 51, '某名单', '拒不履行', '《办法》', '鹤市监列〔2026〕2号',
                     7, '2026-10-01', '2029-10-01', '重点监管', '期满', '申请复议',
                     '2026-10-01T00:00:00Z');"
        )
        .await,
        "{}",
        db.name
    );
    assert!(
        !db.try_exec("update serious_entries set domain_code = null where id = 61")
            .await,
        "{}",
        db.name
    );
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// 2026-12-01 10:00:00.250 China time.
fn filed_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap() + Duration::milliseconds(250)
}

fn objection(
    kind: RecordKind,
    record_id: i64,
    subject_id: i64,
    department_id: i64,
) -> NewObjection {
    NewObjection {
        record_kind: kind,
        record_id,
        department_id,
        subject_id,
        grounds: vec![ObjectionGround::Wrong, ObjectionGround::Overdue],
        explanation: "处罚决定已被撤销（演示）".into(),
        objector_kind: ApplicantKind::Agent,
        objector_name: "李四".into(),
        contact_phone: "13800001234".into(),
        identity_checked: "credit_code".into(),
        pledge_text: "本人承诺所提交材料真实……".into(),
        pledge_signed_name: "李四".into(),
        tracking_hash: format!("hash-{}-{record_id}", kind.code()),
        submitted_at: filed_at(),
        submitted_on: day(2026, 12, 1),
        deadline: day(2026, 12, 2),
        consents: vec![],
    }
}

fn file(name: &str) -> NewFile {
    NewFile {
        evidence_kind: EvidenceKind::ObjectionProof,
        display_name: format!("{name}.pdf"),
        stored_name: format!("objection-{name}"),
        sha256: "1".repeat(64),
        size_bytes: 2048,
        kind: FileKind::Pdf,
    }
}

fn filed(outcome: FiledObjection) -> String {
    match outcome {
        FiledObjection::Filed { number } => number,
        other => panic!("not filed: {other:?}"),
    }
}

/// A step from `expected` to `to` by `action`, at `filed_at` + `hours`.
fn change(
    objection_id: i64,
    expected: ObjectionState,
    to: ObjectionState,
    action: ObjectionAction,
    hours: i64,
) -> ObjectionChange {
    ObjectionChange {
        objection_id,
        expected,
        to,
        actor: "platform1".into(),
        action,
        text: Some(format!("{} 说明", action.code())),
        at: filed_at() + Duration::hours(hours),
        deadline: None,
        accepted_on: None,
        supplement_requested: false,
        supplement_deadline: None,
        extended: false,
        decided_on: None,
    }
}

/// Applies `ch` with `files` in a write transaction of its own.
async fn apply(db: &Db, ch: &ObjectionChange, files: &[NewFile]) -> bool {
    let mut tx = db.staff.begin_write().await.unwrap();
    let done = tx.change_objection(ch, files).await.unwrap();
    tx.commit().await.unwrap();
    done
}

async fn id_of(db: &Db, number: &str) -> i64 {
    db.objections
        .objection_by_number(number)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{}: {number} stored", db.name))
        .id
}

#[tokio::test]
async fn filings_are_numbered_by_day_and_read_back_whole() {
    for db in databases().await {
        records(&db).await;
        let o = objection(RecordKind::Penalty, 51, 51, 7);
        let first = filed(
            db.objections
                .file_objection(&o, &[file("a"), file("b")])
                .await
                .unwrap(),
        );
        assert_eq!(first, "YY2026120100001", "{}", db.name);
        let second = filed(
            db.objections
                .file_objection(&objection(RecordKind::Penalty, 52, 52, 7), &[])
                .await
                .unwrap(),
        );
        assert_eq!(second, "YY2026120100002", "{}", db.name);
        let mut next_day = objection(RecordKind::Penalty, 53, 53, 8);
        next_day.submitted_on = day(2026, 12, 2);
        let third = filed(db.objections.file_objection(&next_day, &[]).await.unwrap());
        assert_eq!(third, "YY2026120200001", "{}", db.name);

        let stored = db
            .objections
            .objection_by_number(&first)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.number, first);
        assert_eq!(stored.tracking_hash, o.tracking_hash);
        assert_eq!(stored.record_kind, RecordKind::Penalty);
        assert_eq!(stored.record_id, 51);
        assert_eq!(stored.department_id, 7);
        assert_eq!(stored.subject_id, 51);
        assert_eq!(stored.state, ObjectionState::Submitted, "{}", db.name);
        assert_eq!(stored.grounds, o.grounds, "{}", db.name);
        assert_eq!(stored.explanation, o.explanation);
        assert_eq!(stored.objector_kind, ApplicantKind::Agent, "{}", db.name);
        assert_eq!(stored.objector_name, o.objector_name);
        assert_eq!(stored.contact_phone, o.contact_phone);
        assert_eq!(stored.pledge_text, o.pledge_text);
        assert_eq!(stored.pledge_signed_name, o.pledge_signed_name);
        assert_eq!(stored.submitted_at, filed_at(), "{}", db.name);
        assert_eq!(stored.deadline, Some(day(2026, 12, 2)), "{}", db.name);
        assert_eq!(stored.accepted_on, None);
        assert!(!stored.supplement_requested, "{}", db.name);
        assert_eq!(stored.supplement_deadline, None);
        assert!(!stored.extended, "{}", db.name);
        assert_eq!(stored.decided_on, None);
        assert!(db
            .objections
            .objection_by_number("YY2026120100009")
            .await
            .unwrap()
            .is_none());

        let events = db.objections.objection_events(stored.id).await.unwrap();
        assert_eq!(events.len(), 1, "{}", db.name);
        assert_eq!(events[0].actor, "objector");
        assert_eq!(
            events[0].action, None,
            "{}: the filing has no action",
            db.name
        );
        assert_eq!(events[0].to_state, ObjectionState::Submitted);
        assert_eq!(events[0].at, filed_at(), "{}", db.name);
        assert_eq!(events[0].deadline, Some(day(2026, 12, 2)), "{}", db.name);
        assert_eq!(events[0].text, None);

        let files = db.objections.objection_files(stored.id).await.unwrap();
        let names: Vec<_> = files.iter().map(|f| f.stored_name.as_str()).collect();
        assert_eq!(names, ["objection-a", "objection-b"], "{}", db.name);
        assert!(files.iter().all(|f| f.event_id.is_none()), "{}", db.name);
        assert_eq!(files[0].display_name, "a.pdf");
        assert_eq!(files[0].evidence_kind, EvidenceKind::ObjectionProof);
        assert_eq!(files[0].size_bytes, 2048);
        assert_eq!(files[0].kind, FileKind::Pdf);
        assert_eq!(files[0].sha256, "1".repeat(64));

        let known = db.repair.known_file_names().await.unwrap();
        for name in ["objection-a", "objection-b"] {
            assert!(known.iter().any(|k| k == name), "{}: {name} known", db.name);
        }
    }
}

#[tokio::test]
async fn one_open_objection_per_record_until_it_is_decided() {
    for db in databases().await {
        records(&db).await;
        let o = objection(RecordKind::Penalty, 51, 51, 7);
        let first = filed(db.objections.file_objection(&o, &[]).await.unwrap());
        let again = db
            .objections
            .file_objection(&o, &[file("repeat")])
            .await
            .unwrap();
        assert_eq!(
            again,
            FiledObjection::AlreadyOpen {
                number: first.clone()
            },
            "{}",
            db.name
        );
        assert_eq!(
            db.count("select count(*) from objections").await,
            1,
            "{}: nothing written by the refused filing",
            db.name
        );
        assert_eq!(db.count("select count(*) from objection_files").await, 0);

        // Another kind of record with the same id is another record.
        let license = filed(
            db.objections
                .file_objection(&objection(RecordKind::License, 51, 51, 7), &[])
                .await
                .unwrap(),
        );
        assert_ne!(license, first);

        let id = id_of(&db, &first).await;
        let mut accept = change(
            id,
            ObjectionState::Submitted,
            ObjectionState::Accepted,
            ObjectionAction::Accept,
            1,
        );
        accept.accepted_on = Some(day(2026, 12, 1));
        accept.deadline = Some(day(2026, 12, 15));
        assert!(apply(&db, &accept, &[]).await, "{}", db.name);
        // Still open once accepted.
        assert!(matches!(
            db.objections.file_objection(&o, &[]).await.unwrap(),
            FiledObjection::AlreadyOpen { .. }
        ));
        let decided = ObjectionState::Decided(ObjectionOutcome::Kept);
        let mut decide = change(
            id,
            ObjectionState::Accepted,
            decided,
            ObjectionAction::Decide(ObjectionOutcome::Kept),
            2,
        );
        decide.decided_on = Some(day(2026, 12, 3));
        assert!(apply(&db, &decide, &[]).await, "{}", db.name);
        let repeat = filed(db.objections.file_objection(&o, &[]).await.unwrap());
        assert_eq!(repeat, "YY2026120100003", "{}", db.name);
        let on_record = db
            .objections
            .objections_on_record(RecordKind::Penalty, 51)
            .await
            .unwrap();
        let numbers: Vec<_> = on_record.iter().map(|o| o.number.as_str()).collect();
        assert_eq!(
            numbers,
            [repeat.as_str(), first.as_str()],
            "{}: newest first",
            db.name
        );
        assert_eq!(on_record[1].state, decided);
    }
}

/// Filings about one record at the same moment: one is filed, the others
/// are told its number; filings about other records all get numbers.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_filings_file_one_per_record() {
    for db in databases().await {
        records(&db).await;
        db.warm(8).await;
        let filings = [51, 51, 51, 52, 53];
        let tasks: Vec<_> = filings
            .iter()
            .map(|&record| {
                let store = Arc::clone(&db.objections);
                let o = objection(RecordKind::Penalty, record, record, 7);
                tokio::spawn(async move { (record, store.file_objection(&o, &[]).await) })
            })
            .collect();
        let mut numbers = Vec::new();
        let mut already = Vec::new();
        for t in tasks {
            let (record, outcome) = t.await.unwrap();
            match outcome.unwrap_or_else(|e| panic!("{}: {e:?}", db.name)) {
                FiledObjection::Filed { number } => numbers.push((record, number)),
                FiledObjection::AlreadyOpen { number } => already.push(number),
            }
        }
        let mut all: Vec<_> = numbers.iter().map(|(_, n)| n.clone()).collect();
        all.sort();
        let expected: Vec<String> = (1..=3).map(|n| format!("YY20261201{n:05}")).collect();
        assert_eq!(all, expected, "{}", db.name);
        let of_51 = &numbers.iter().find(|(r, _)| *r == 51).unwrap().1;
        assert_eq!(already, [of_51.clone(), of_51.clone()], "{}", db.name);
    }
}

#[tokio::test]
async fn a_step_applies_only_from_the_state_it_expects() {
    for db in databases().await {
        records(&db).await;
        let number = filed(
            db.objections
                .file_objection(&objection(RecordKind::Penalty, 51, 51, 7), &[file("first")])
                .await
                .unwrap(),
        );
        let id = id_of(&db, &number).await;
        let mut ask = change(
            id,
            ObjectionState::Submitted,
            ObjectionState::NeedsSupplement,
            ObjectionAction::RequestSupplement,
            1,
        );
        ask.supplement_requested = true;
        ask.supplement_deadline = Some(day(2026, 12, 8));
        ask.deadline = Some(day(2026, 12, 8));
        assert!(apply(&db, &ask, &[]).await, "{}", db.name);
        // The same page sent again: it had moved on.
        assert!(!apply(&db, &ask, &[file("stale")]).await, "{}", db.name);
        let events = db.objections.objection_events(id).await.unwrap();
        assert_eq!(events.len(), 2, "{}: no event for the stale step", db.name);
        assert_eq!(db.count("select count(*) from objection_files").await, 1);

        let mut supplement = change(
            id,
            ObjectionState::NeedsSupplement,
            ObjectionState::Submitted,
            ObjectionAction::Supplement,
            2,
        );
        supplement.actor = "objector".into();
        supplement.deadline = Some(day(2026, 12, 9));
        assert!(
            apply(&db, &supplement, &[file("more1"), file("more2")]).await,
            "{}",
            db.name
        );
        let mut accept = change(
            id,
            ObjectionState::Submitted,
            ObjectionState::Accepted,
            ObjectionAction::Accept,
            3,
        );
        accept.accepted_on = Some(day(2026, 12, 2));
        accept.deadline = Some(day(2026, 12, 16));
        assert!(apply(&db, &accept, &[]).await);
        let mut extend = change(
            id,
            ObjectionState::Accepted,
            ObjectionState::Accepted,
            ObjectionAction::Extend,
            4,
        );
        extend.extended = true;
        extend.deadline = Some(day(2026, 12, 30));
        assert!(apply(&db, &extend, &[]).await);

        let stored = db
            .objections
            .objection_by_number(&number)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.state, ObjectionState::Accepted, "{}", db.name);
        assert_eq!(stored.deadline, Some(day(2026, 12, 30)), "{}", db.name);
        assert_eq!(stored.accepted_on, Some(day(2026, 12, 2)), "{}", db.name);
        assert!(stored.supplement_requested, "{}: kept once asked", db.name);
        assert_eq!(
            stored.supplement_deadline,
            Some(day(2026, 12, 8)),
            "{}",
            db.name
        );
        assert!(stored.extended, "{}", db.name);
        assert_eq!(stored.decided_on, None);

        let mut decide = change(
            id,
            ObjectionState::Accepted,
            ObjectionState::Decided(ObjectionOutcome::Deleted),
            ObjectionAction::Decide(ObjectionOutcome::Deleted),
            5,
        );
        decide.decided_on = Some(day(2026, 12, 20));
        assert!(apply(&db, &decide, &[]).await);
        let stored = db
            .objections
            .objection_by_number(&number)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            stored.state,
            ObjectionState::Decided(ObjectionOutcome::Deleted)
        );
        assert_eq!(stored.deadline, None, "{}: the clock stops", db.name);
        assert_eq!(stored.decided_on, Some(day(2026, 12, 20)), "{}", db.name);
        assert_eq!(
            stored.accepted_on,
            Some(day(2026, 12, 2)),
            "{}: kept",
            db.name
        );

        let events = db.objections.objection_events(id).await.unwrap();
        let steps: Vec<_> = events
            .iter()
            .map(|e| (e.actor.as_str(), e.action, e.to_state, e.deadline))
            .collect();
        assert_eq!(
            steps,
            [
                (
                    "objector",
                    None,
                    ObjectionState::Submitted,
                    Some(day(2026, 12, 2))
                ),
                (
                    "platform1",
                    Some(ObjectionAction::RequestSupplement),
                    ObjectionState::NeedsSupplement,
                    Some(day(2026, 12, 8))
                ),
                (
                    "objector",
                    Some(ObjectionAction::Supplement),
                    ObjectionState::Submitted,
                    Some(day(2026, 12, 9))
                ),
                (
                    "platform1",
                    Some(ObjectionAction::Accept),
                    ObjectionState::Accepted,
                    Some(day(2026, 12, 16))
                ),
                (
                    "platform1",
                    Some(ObjectionAction::Extend),
                    ObjectionState::Accepted,
                    Some(day(2026, 12, 30))
                ),
                (
                    "platform1",
                    Some(ObjectionAction::Decide(ObjectionOutcome::Deleted)),
                    ObjectionState::Decided(ObjectionOutcome::Deleted),
                    None
                ),
            ],
            "{}",
            db.name
        );
        assert_eq!(events[1].text.as_deref(), Some("request_supplement 说明"));
        assert_eq!(events[2].at, filed_at() + Duration::hours(2), "{}", db.name);

        let files = db.objections.objection_files(id).await.unwrap();
        let attached: Vec<_> = files
            .iter()
            .map(|f| (f.stored_name.as_str(), f.event_id))
            .collect();
        assert_eq!(
            attached,
            [
                ("objection-first", None),
                ("objection-more1", Some(events[2].id)),
                ("objection-more2", Some(events[2].id)),
            ],
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn a_dropped_transaction_writes_no_step() {
    for db in databases().await {
        records(&db).await;
        let number = filed(
            db.objections
                .file_objection(&objection(RecordKind::Penalty, 51, 51, 7), &[])
                .await
                .unwrap(),
        );
        let id = id_of(&db, &number).await;
        {
            let mut tx = db.staff.begin_write().await.unwrap();
            let accept = change(
                id,
                ObjectionState::Submitted,
                ObjectionState::Accepted,
                ObjectionAction::Accept,
                1,
            );
            assert!(tx.change_objection(&accept, &[file("x")]).await.unwrap());
        }
        let stored = db
            .objections
            .objection_by_number(&number)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.state, ObjectionState::Submitted, "{}", db.name);
        assert_eq!(db.objections.objection_events(id).await.unwrap().len(), 1);
        assert_eq!(db.objections.objection_files(id).await.unwrap().len(), 0);
    }
}

#[tokio::test]
async fn a_record_is_marked_only_in_the_given_state() {
    for db in databases().await {
        records(&db).await;
        let number = filed(
            db.objections
                .file_objection(&objection(RecordKind::Penalty, 51, 51, 7), &[])
                .await
                .unwrap(),
        );
        let id = id_of(&db, &number).await;
        let marked = |kind, record| {
            let store = Arc::clone(&db.objections);
            async move {
                store
                    .record_marked(kind, record, ObjectionState::Accepted)
                    .await
                    .unwrap()
            }
        };
        assert!(
            !marked(RecordKind::Penalty, 51).await,
            "{}: submitted",
            db.name
        );
        let accept = change(
            id,
            ObjectionState::Submitted,
            ObjectionState::Accepted,
            ObjectionAction::Accept,
            1,
        );
        assert!(apply(&db, &accept, &[]).await);
        assert!(
            marked(RecordKind::Penalty, 51).await,
            "{}: accepted",
            db.name
        );
        assert!(!marked(RecordKind::License, 51).await, "{}", db.name);
        assert!(!marked(RecordKind::Penalty, 52).await, "{}", db.name);
        let decide = change(
            id,
            ObjectionState::Accepted,
            ObjectionState::Decided(ObjectionOutcome::Corrected),
            ObjectionAction::Decide(ObjectionOutcome::Corrected),
            2,
        );
        assert!(apply(&db, &decide, &[]).await);
        assert!(
            !marked(RecordKind::Penalty, 51).await,
            "{}: decided",
            db.name
        );
    }
}

#[tokio::test]
async fn withdrawals_and_ended_entries() {
    for db in databases().await {
        records(&db).await;
        let number = filed(
            db.objections
                .file_objection(&objection(RecordKind::Serious, 61, 51, 7), &[])
                .await
                .unwrap(),
        );
        let id = id_of(&db, &number).await;
        assert!(!db
            .objections
            .record_withdrawn(RecordKind::Serious, 61)
            .await
            .unwrap());
        let w = Withdrawal {
            kind: RecordKind::Serious,
            record_id: 61,
            on: day(2026, 12, 20),
            reason: "异议核查：予以删除".into(),
            objection_id: Some(id),
        };
        for _ in 0..2 {
            let mut tx = db.staff.begin_write().await.unwrap();
            tx.withdraw_record(&w).await.unwrap();
            tx.commit().await.unwrap();
        }
        assert!(
            db.objections
                .record_withdrawn(RecordKind::Serious, 61)
                .await
                .unwrap(),
            "{}",
            db.name
        );
        assert!(!db
            .objections
            .record_withdrawn(RecordKind::Penalty, 61)
            .await
            .unwrap());
        assert_eq!(db.count("select count(*) from record_withdrawals").await, 1);

        let mut tx = db.staff.begin_write().await.unwrap();
        assert!(
            tx.end_entry(61, day(2026, 12, 20)).await.unwrap(),
            "{}",
            db.name
        );
        assert!(
            !tx.end_entry(61, day(2026, 12, 21)).await.unwrap(),
            "{}: already ended",
            db.name
        );
        assert!(!tx.end_entry(999, day(2026, 12, 21)).await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(
            db.count(
                "select count(*) from serious_entries
                 where id = 61 and ended_on = '2026-12-20'"
            )
            .await,
            1,
            "{}: ended on the first day given",
            db.name
        );
    }
}

#[tokio::test]
async fn lists_by_department_record_and_openness() {
    for db in databases().await {
        records(&db).await;
        let mut numbers = Vec::new();
        for o in [
            objection(RecordKind::Penalty, 51, 51, 7),
            objection(RecordKind::Penalty, 52, 52, 7),
            objection(RecordKind::Penalty, 53, 53, 8),
            objection(RecordKind::Serious, 61, 51, 7),
        ] {
            numbers.push(filed(db.objections.file_objection(&o, &[]).await.unwrap()));
        }
        // The second is refused: no longer open.
        let id = id_of(&db, &numbers[1]).await;
        let refuse = change(
            id,
            ObjectionState::Submitted,
            ObjectionState::Refused,
            ObjectionAction::Refuse,
            1,
        );
        assert!(apply(&db, &refuse, &[]).await);

        let of = |list: Vec<app::store::objection::StoredObjection>| {
            list.into_iter().map(|o| o.number).collect::<Vec<_>>()
        };
        let n = |i: usize| numbers[i].clone();
        assert_eq!(
            of(db.objections.objections_of_department(7).await.unwrap()),
            [n(3), n(1), n(0)],
            "{}: department 7, newest first",
            db.name
        );
        assert_eq!(
            of(db.objections.objections_of_department(8).await.unwrap()),
            [n(2)],
            "{}",
            db.name
        );
        assert!(db
            .objections
            .objections_of_department(99)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            of(db
                .objections
                .objections_on_record(RecordKind::Penalty, 51)
                .await
                .unwrap()),
            [n(0)],
            "{}",
            db.name
        );
        assert_eq!(
            of(db
                .objections
                .objections_on_record(RecordKind::Serious, 61)
                .await
                .unwrap()),
            [n(3)],
            "{}",
            db.name
        );
        assert!(db
            .objections
            .objections_on_record(RecordKind::License, 51)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            of(db.objections.open_objections().await.unwrap()),
            [n(3), n(2), n(0)],
            "{}: the refused one is not open",
            db.name
        );
    }
}
