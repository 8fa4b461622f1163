//! Moving a SQLite portal to PostgreSQL (`store::copy`): everything copied
//! and checked, and the copy answers as the original does.

use app::model::{SearchQuery, SearchTarget};
use app::store::staff::NewAuditEntry;
use chrono::{NaiveDate, Utc};
use server::store::copy::sqlite_to_postgres;

use super::{databases, Raw};

/// A table added by a migration is copied, or deliberately not: a move to
/// PostgreSQL never silently leaves data behind.
#[tokio::test]
async fn every_sqlite_table_is_copied_or_named_as_not_copied() {
    let dir = std::env::temp_dir().join(format!("hegang-copy-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = server::store::SqliteStore::connect(&format!("sqlite://{}/t.db", dir.display()))
        .await
        .unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("select name from sqlite_master where type = 'table' order by name")
            .fetch_all(store.pool())
            .await
            .unwrap();
    for t in &tables {
        let copied = server::store::copy::TABLES.contains(&t.as_str());
        let skipped = server::store::copy::NOT_COPIED.contains(&t.as_str())
            || server::store::copy::is_text_index(t);
        assert!(
            copied != skipped,
            "table {t}: copied {copied}, skipped {skipped}"
        );
    }
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_sqlite_portal_copied_to_postgresql_answers_the_same() {
    let mut all = databases().await;
    if all.len() < 2 {
        return; // noted by `databases`
    }
    let pg_db = all.pop().unwrap();
    let sqlite_db = all.pop().unwrap();
    let (Raw::Sqlite(sqlite), Raw::Pg(pg)) = (&sqlite_db.raw, &pg_db.raw) else {
        panic!("SQLite first, then PostgreSQL");
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    server::demo::generate(sqlite_db.seed.as_ref(), 900, today, false)
        .await
        .unwrap();
    for n in 0..5 {
        let entry = NewAuditEntry {
            at: Utc::now(),
            account_id: None,
            actor: format!("user{n}"),
            action: app::domain::staff::AuditAction::LoginFailed,
            target: "工作台".into(),
            purpose: "测试".into(),
            client: "127.0.0.1".into(),
        };
        sqlite_db.staff.append_audit(&entry).await.unwrap();
    }
    let report = sqlite_to_postgres(sqlite, pg).await.unwrap();
    assert_eq!(report.register_entries, 5);
    let count = |t: &str| report.rows.iter().find(|(n, _)| *n == t).unwrap().1;
    assert!(count("penalties") > 0 && count("public_entries") > 0);

    // Searches answer the same on the copy.
    for text in ["", "鹤", "有限", "商贸有限", "有限公司（演示）"] {
        let q = SearchQuery {
            text: app::domain::search_text::normalize(text),
            kind: None,
            department_id: None,
            from: None,
            to: None,
            page: 1,
        };
        let target = SearchTarget::Text(q);
        let a = sqlite_db.store.search(&target, today, 20).await.unwrap();
        let b = pg_db.store.search(&target, today, 20).await.unwrap();
        assert_eq!(a, b, "search {text:?}");
    }
    for id in 1..=20 {
        assert_eq!(
            format!("{:?}", sqlite_db.store.penalty(id).await.unwrap()),
            format!("{:?}", pg_db.store.penalty(id).await.unwrap()),
            "penalty {id}"
        );
    }
    // New rows after the copy take new ids (the sequences moved on).
    let mut w = pg_db.seed.writer().await.unwrap();
    let id = w
        .subject(&server::store::seed::NewSubject {
            kind: app::domain::SubjectKind::LegalEntity,
            name: "鹤岗市复制后新增商贸有限公司（演示）",
            credit_code: None,
            id_number: None,
            representative: None,
            division_code: None,
        })
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert_eq!(id, count("subjects") + 1);
    // A second copy into the same database is refused.
    assert!(sqlite_to_postgres(sqlite, pg).await.is_err());
}
