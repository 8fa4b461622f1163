//! Staff accounts, sessions, login limits and the access register's chain.

use std::sync::Arc;

use app::domain::staff::{AuditAction, Role, SESSION_IDLE};
use app::domain::working_days::{CalendarEntry, DayKind};
use app::store::staff::{AuditFilter, NewAccount, NewAuditEntry, StoredSession};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use server::store::register::verify_chain;

use super::{databases, departments};

fn account(username: &str, role: Role, department_id: Option<i64>) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: "王审核".into(),
        role,
        department_id,
        password_hash: "$argon2id$placeholder".into(),
        must_change_password: true,
        now: Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
    }
}

fn entry(n: usize) -> NewAuditEntry {
    NewAuditEntry {
        at: Utc::now(),
        account_id: None,
        actor: format!("user{n}"),
        action: AuditAction::LoginFailed,
        target: "工作台".into(),
        purpose: format!("第 {n} 次"),
        client: "127.0.0.1".into(),
    }
}

#[tokio::test]
async fn usernames_are_unique_whatever_their_case() {
    for db in databases().await {
        departments(&db).await;
        let id = db
            .staff
            .create_account(&account("wang.li", Role::Reviewer, Some(7)))
            .await
            .unwrap()
            .expect("a new name is taken");
        let refused = db
            .staff
            .create_account(&account("Wang.Li", Role::Admin, None))
            .await
            .unwrap();
        assert!(refused.is_err(), "{}: the same name in other case", db.name);
        let found = db
            .staff
            .account_by_username("WANG.LI")
            .await
            .unwrap()
            .expect("found whatever the case");
        assert_eq!(found.member.account_id, id, "{}", db.name);
        assert_eq!(found.member.department_id, Some(7));
        assert_eq!(
            found.department_name.as_deref(),
            Some("鹤岗市市场监督管理局")
        );
        assert!(found.must_change_password && !found.disabled, "{}", db.name);
        assert_eq!(db.staff.accounts().await.unwrap().len(), 1, "{}", db.name);
    }
}

#[tokio::test]
async fn sessions_end_with_the_account_and_expire_when_idle() {
    for db in databases().await {
        departments(&db).await;
        let id = db
            .staff
            .create_account(&account("admin", Role::Admin, None))
            .await
            .unwrap()
            .unwrap();
        let now = Utc::now();
        for token in ["a", "b"] {
            let session = StoredSession {
                token_hash: format!("hash-{token}"),
                account_id: id,
                csrf_token: format!("csrf-{token}"),
                created_at: now,
                last_seen_at: now,
            };
            db.staff.start_session(&session, "10.0.0.1").await.unwrap();
        }
        let stored = db.staff.session("hash-a").await.unwrap().unwrap();
        assert_eq!(stored.csrf_token, "csrf-a", "{}", db.name);
        // Changing one's password keeps this session and ends the others.
        db.staff
            .set_password(id, "new", "hash-a", now)
            .await
            .unwrap();
        assert!(
            db.staff.session("hash-b").await.unwrap().is_none(),
            "{}",
            db.name
        );
        let account = db.staff.account(id).await.unwrap().unwrap();
        assert!(!account.must_change_password, "{}", db.name);
        // Idle past the limit: purged.
        let later = now + SESSION_IDLE + Duration::minutes(1);
        assert!(
            db.staff.purge_expired(later).await.unwrap() >= 1,
            "{}",
            db.name
        );
        assert!(
            db.staff.session("hash-a").await.unwrap().is_none(),
            "{}",
            db.name
        );
        // Disabling an account ends its sessions, with a register entry.
        let session = StoredSession {
            token_hash: "hash-c".into(),
            account_id: id,
            csrf_token: "csrf-c".into(),
            created_at: later,
            last_seen_at: later,
        };
        db.staff.start_session(&session, "10.0.0.1").await.unwrap();
        db.staff.set_disabled(id, true, &entry(1)).await.unwrap();
        assert!(
            db.staff.session("hash-c").await.unwrap().is_none(),
            "{}",
            db.name
        );
        assert!(db.staff.account(id).await.unwrap().unwrap().disabled);
    }
}

#[tokio::test]
async fn failed_logins_are_counted_per_client_and_per_name() {
    for db in databases().await {
        let now = Utc::now();
        for n in 0..3 {
            let at = now - Duration::minutes(n);
            db.staff
                .note_login_failure("admin", "10.0.0.1", at)
                .await
                .unwrap();
        }
        db.staff
            .note_login_failure("admin", "10.0.0.2", now)
            .await
            .unwrap();
        let standing = db
            .staff
            .login_standing("admin", None, "10.0.0.1", now)
            .await
            .unwrap();
        assert_eq!(standing.from_client, 3, "{}", db.name);
        assert_eq!(standing.everywhere, 4, "{}", db.name);
        assert!(!standing.known_client, "{}", db.name);
        let since = now - Duration::minutes(1) - Duration::seconds(30);
        assert_eq!(
            db.staff
                .client_login_failures_since("10.0.0.1", since)
                .await
                .unwrap(),
            2,
            "{}",
            db.name
        );
    }
}

/// How many appends race (enough that, without the register's lock, two
/// PostgreSQL transactions read the same head: seen to fail at 200).
const APPENDS: usize = 200;

/// Appends from many tasks at once still make one unbroken chain: on
/// SQLite the single writer, on PostgreSQL the register's lock (and the
/// unique previous hash) see to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_keep_one_chain() {
    for db in databases().await {
        db.warm(8).await;
        let staff = db.staff.clone();
        let tasks: Vec<_> = (0..APPENDS)
            .map(|n| {
                let staff = Arc::clone(&staff);
                tokio::spawn(async move { staff.append_audit(&entry(n)).await })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let chain = db.staff.audit_chain().await.unwrap();
        assert_eq!(chain.len(), APPENDS, "{}", db.name);
        assert_eq!(
            verify_chain(&chain),
            Ok(APPENDS),
            "{}: the chain verifies",
            db.name
        );
        let ids: Vec<i64> = chain.iter().map(|e| e.id).collect();
        assert_eq!(ids, (1..=APPENDS as i64).collect::<Vec<_>>(), "{}", db.name);
        // The register refuses changes.
        assert!(
            !db.try_exec("update audit_log set purpose = 'x' where id = 3")
                .await,
            "{}: an entry cannot be changed",
            db.name
        );
        assert!(
            !db.try_exec("delete from audit_log where id = 40").await,
            "{}: nor removed",
            db.name
        );
        let filter = AuditFilter {
            actor: Some("user7".into()),
            action: Some(AuditAction::LoginFailed),
            target: Some("工作".into()),
            from: Some(Utc::now() - Duration::hours(1)),
            until: None,
            limit: 10,
        };
        let found = db.staff.audit_entries(&filter).await.unwrap();
        assert_eq!(found.len(), 1, "{}", db.name);
        assert_eq!(found[0].purpose, "第 7 次", "{}", db.name);
    }
}

#[tokio::test]
async fn calendar_days_are_set_replaced_and_removed() {
    for db in databases().await {
        let day = NaiveDate::from_ymd_opt(2031, 2, 3).unwrap();
        let mut e = CalendarEntry {
            date: day,
            kind: DayKind::Holiday,
            name: "春节".into(),
            source: "测试".into(),
        };
        db.staff.set_calendar_day(&e, &entry(1)).await.unwrap();
        e.kind = DayKind::MakeUpWorkday;
        db.staff.set_calendar_day(&e, &entry(2)).await.unwrap();
        let n = db
            .count("select count(*) from calendar_days where date = '2031-02-03'")
            .await;
        assert_eq!(n, 1, "{}: replaced, not added", db.name);
        let kind = db
            .count(
                "select count(*) from calendar_days where date = '2031-02-03' and kind = 'workday'",
            )
            .await;
        assert_eq!(kind, 1, "{}", db.name);
        assert!(db.staff.remove_calendar_day(day, &entry(3)).await.unwrap());
        assert!(!db.staff.remove_calendar_day(day, &entry(4)).await.unwrap());
        assert_eq!(
            db.count("select count(*) from audit_log").await,
            3,
            "{}: a removal of nothing is not registered",
            db.name
        );
    }
}
