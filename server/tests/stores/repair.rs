//! Repair drafts, submissions and the applicant's actions.

use std::sync::Arc;

use app::domain::repair_application::{
    Action, ApplicantKind, ApplicationState, EvidenceKind, FileKind,
};
use app::model::RecordKind;
use app::store::repair::{DraftAnswers, NewApplication, NewEvent, NewFile, SubmitOutcome};
use chrono::{Duration, NaiveDate, TimeZone, Utc};

use super::{databases, departments, Db};

/// Penalties 41–44 of department 7, each about its own fictional company.
async fn penalties(db: &Db) {
    departments(db).await;
    for id in 41..=44 {
        db.exec(&format!(
            "insert into subjects (id, kind, name, credit_code)
             values ({id}, 'legal', '鹤岗市测试商贸{id}有限公司（演示）', '9123040200000{id}X');
             insert into penalties (id, subject_id, doc_no, violation_type, facts, basis,
                                    categories, content, decision_date, department_id,
                                    source_department_id, created_at)
             values ({id}, {id}, '鹤市监罚〔2026〕{id}号', '虚假宣传', '经查', '《反不正当竞争法》',
                     '罚款', '罚款一万元', '2026-10-12', 7, 7, '2026-10-12T00:00:00Z');"
        ))
        .await;
    }
}

fn application(draft: &str, record_id: i64, at: chrono::DateTime<Utc>) -> NewApplication {
    NewApplication {
        draft_id: draft.into(),
        record_id,
        department_id: 7,
        applicant_kind: ApplicantKind::Subject,
        applicant_name: "张三".into(),
        contact_phone: "13800001234".into(),
        identity_checked: "credit_code".into(),
        pledge_text: "本单位承诺……".into(),
        pledge_signed_name: "张三".into(),
        tracking_hash: format!("hash-{draft}"),
        submitted_at: at,
        deadline: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        consents: vec![],
    }
}

fn file(name: &str) -> NewFile {
    NewFile {
        evidence_kind: EvidenceKind::FulfilmentProof,
        display_name: format!("{name}.pdf"),
        stored_name: format!("stored-{name}"),
        sha256: "0".repeat(64),
        size_bytes: 1000,
        kind: FileKind::Pdf,
    }
}

#[tokio::test]
async fn a_draft_keeps_its_answers_and_files_until_it_is_purged() {
    for db in databases().await {
        penalties(&db).await;
        let now = Utc::now();
        db.repair
            .create_draft("d1", 41, "10.0.0.1", now)
            .await
            .unwrap();
        let answers = DraftAnswers {
            applicant_kind: Some(ApplicantKind::Agent),
            applicant_name: Some("李四".into()),
            ..Default::default()
        };
        db.repair.save_draft("d1", &answers, now).await.unwrap();
        let draft = db.repair.draft("d1").await.unwrap().unwrap();
        assert_eq!(draft.answers, answers, "{}", db.name);
        assert_eq!(draft.record_id, 41);
        let a = db
            .repair
            .add_draft_file("d1", &file("a"), now)
            .await
            .unwrap();
        db.repair
            .add_draft_file("d1", &file("b"), now)
            .await
            .unwrap();
        let usage = db
            .repair
            .draft_usage("10.0.0.1", now - Duration::hours(1))
            .await
            .unwrap();
        assert_eq!(
            (
                usage.client_recent_drafts,
                usage.open_drafts,
                usage.client_bytes
            ),
            (1, 1, 2000),
            "{}",
            db.name
        );
        assert_eq!(
            db.repair
                .remove_draft_file("d1", a)
                .await
                .unwrap()
                .as_deref(),
            Some("stored-a"),
            "{}",
            db.name
        );
        assert_eq!(db.repair.remove_draft_file("other", a).await.unwrap(), None);
        let names = db
            .repair
            .purge_drafts(now + Duration::seconds(1))
            .await
            .unwrap();
        assert_eq!(names, vec!["stored-b".to_string()], "{}", db.name);
        assert!(
            db.repair.draft("d1").await.unwrap().is_none(),
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn submissions_are_numbered_per_day_and_one_per_record_is_open() {
    for db in databases().await {
        penalties(&db).await;
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        for draft in ["d1", "d2", "d3"] {
            db.repair.create_draft(draft, 41, "c", at).await.unwrap();
        }
        db.repair
            .add_draft_file("d1", &file("x"), at)
            .await
            .unwrap();
        let first = db.repair.submit(&application("d1", 41, at)).await.unwrap();
        let SubmitOutcome::Submitted { id, number } = first else {
            panic!("{}: {first:?}", db.name);
        };
        assert_eq!(number.as_str(), "XF2026113000001", "{}", db.name);
        assert_eq!(db.repair.application_files(id).await.unwrap().len(), 1);
        // Another draft of the same record while the first is open.
        let second = db.repair.submit(&application("d2", 41, at)).await.unwrap();
        assert_eq!(
            second,
            SubmitOutcome::AlreadyOpen {
                number: "XF2026113000001".into()
            },
            "{}",
            db.name
        );
        // The same draft again: it is gone.
        let again = db.repair.submit(&application("d1", 41, at)).await.unwrap();
        assert_eq!(again, SubmitOutcome::DraftMissing, "{}", db.name);
        // Withdrawn, the record can be applied for again: the next number.
        let withdraw = NewEvent {
            actor: "applicant",
            action: Action::Withdraw,
            reason: None,
            remedies: None,
            deadline: None,
            at,
        };
        let moved = db
            .repair
            .apply_action(id, ApplicationState::Submitted, &withdraw, &[])
            .await
            .unwrap();
        assert_eq!(moved, Some(ApplicationState::Withdrawn), "{}", db.name);
        let stale = db
            .repair
            .apply_action(id, ApplicationState::Submitted, &withdraw, &[])
            .await
            .unwrap();
        assert_eq!(stale, None, "{}: a stale state changes nothing", db.name);
        let third = db.repair.submit(&application("d3", 41, at)).await.unwrap();
        assert!(
            matches!(&third, SubmitOutcome::Submitted { number, .. } if number.as_str() == "XF2026113000002"),
            "{}: {third:?}",
            db.name
        );
        let events = db.repair.application_events(id).await.unwrap();
        let states: Vec<_> = events.iter().map(|e| e.to_state).collect();
        assert_eq!(
            states,
            vec![ApplicationState::Submitted, ApplicationState::Withdrawn],
            "{}",
            db.name
        );
    }
}

/// Submissions at the same moment still get distinct numbers, and of two
/// drafts of one record exactly one is submitted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_submissions_get_distinct_numbers() {
    for db in databases().await {
        penalties(&db).await;
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let drafts = [("a", 41), ("b", 42), ("c", 43), ("d", 44), ("e", 44)];
        for (draft, record) in drafts {
            db.repair
                .create_draft(draft, record, "c", at)
                .await
                .unwrap();
        }
        db.warm(8).await;
        let repair = Arc::clone(&db.repair);
        let tasks: Vec<_> = drafts
            .iter()
            .map(|(draft, record)| {
                let repair = Arc::clone(&repair);
                let app = application(draft, *record, at);
                tokio::spawn(async move { repair.submit(&app).await })
            })
            .collect();
        let mut numbers = Vec::new();
        let mut already_open = 0;
        for t in tasks {
            match t.await.unwrap().unwrap() {
                SubmitOutcome::Submitted { number, .. } => {
                    numbers.push(number.as_str().to_string())
                }
                SubmitOutcome::AlreadyOpen { .. } => already_open += 1,
                other => panic!("{}: {other:?}", db.name),
            }
        }
        numbers.sort();
        let expected: Vec<String> = (1..=4).map(|n| format!("XF20261130{n:05}")).collect();
        assert_eq!(numbers, expected, "{}", db.name);
        assert_eq!(
            already_open, 1,
            "{}: two drafts of record 44, one submitted",
            db.name
        );
    }
}

#[tokio::test]
async fn wrong_guesses_are_counted_per_client() {
    for db in databases().await {
        penalties(&db).await;
        let now = Utc::now();
        let since = now - Duration::minutes(15);
        for _ in 0..2 {
            db.repair
                .note_tracking_failure("10.0.0.9", now, since)
                .await
                .unwrap();
        }
        assert_eq!(
            db.repair
                .tracking_failures_since("10.0.0.9", since)
                .await
                .unwrap(),
            2,
            "{}",
            db.name
        );
        db.repair.create_draft("d1", 41, "c", now).await.unwrap();
        db.repair
            .note_identity_failure("d1", RecordKind::Penalty, 41, "10.0.0.9", now)
            .await
            .unwrap();
        let f = db
            .repair
            .identity_failures("d1", RecordKind::Penalty, 41, "10.0.0.9", since)
            .await
            .unwrap();
        assert_eq!((f.draft, f.record, f.client), (1, 1, 1), "{}", db.name);
        // A licence with the same id is another record: its count is its own.
        let other = db
            .repair
            .identity_failures("d2", RecordKind::License, 41, "10.0.0.8", since)
            .await
            .unwrap();
        assert_eq!(
            (other.draft, other.record, other.client),
            (0, 0, 0),
            "{}",
            db.name
        );
        assert_eq!(
            db.repair
                .purge_identity_failures(now + Duration::seconds(1))
                .await
                .unwrap(),
            1,
            "{}",
            db.name
        );
    }
}
