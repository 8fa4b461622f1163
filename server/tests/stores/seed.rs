//! The demo generator through the seed writer: the same data set, the same
//! public projection, on every database.

use chrono::NaiveDate;
use server::demo::DemoSummary;

use super::{databases, Db, Raw};

/// Public projection rows, ordered by sort key: (sort key, kind, record id,
/// public name, normalised name, credit code, document number, summary,
/// decision date, last public day).
type Entry = (
    i64,
    String,
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    NaiveDate,
    NaiveDate,
);

const ENTRIES: &str = "select sort_key, record_kind, record_id, name, name_norm, credit_code,
                              doc_no, summary, decision_date, until
                       from public_entries order by sort_key";

async fn entries(db: &Db) -> Vec<Entry> {
    match &db.raw {
        Raw::Sqlite(s) => sqlx::query_as(ENTRIES).fetch_all(s.pool()).await.unwrap(),
        Raw::Pg(p) => sqlx::query_as(ENTRIES).fetch_all(p.pool()).await.unwrap(),
    }
}

/// What one database holds after generating.
#[derive(Debug, PartialEq)]
struct Snapshot {
    summary: DemoSummary,
    counts: Vec<(&'static str, i64)>,
    sort_key_sum: i64,
    entries: Vec<Entry>,
}

#[tokio::test]
async fn the_demo_data_is_the_same_on_every_database() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let mut snapshots = Vec::new();
    for db in databases().await {
        assert!(db.seed.is_empty().await.unwrap(), "{}", db.name);
        assert!(!db.seed.holds_demo_data().await.unwrap(), "{}", db.name);
        let summary = server::demo::generate(db.seed.as_ref(), 1500, today, false)
            .await
            .unwrap();
        assert!(!db.seed.is_empty().await.unwrap(), "{}", db.name);
        assert!(db.seed.holds_demo_data().await.unwrap(), "{}", db.name);

        let mut counts = Vec::new();
        for table in [
            "subjects",
            "penalties",
            "licenses",
            "serious_entries",
            "record_rules",
            "public_entries",
        ] {
            let n = db.count(&format!("select count(*) from {table}")).await;
            assert!(n > 0, "{}: no {table}", db.name);
            counts.push((table, n));
        }
        assert_eq!(counts[0].1, i64::from(summary.subjects), "{}", db.name);
        assert_eq!(counts[1].1, i64::from(summary.penalties), "{}", db.name);
        assert_eq!(counts[2].1, i64::from(summary.licenses), "{}", db.name);
        assert_eq!(counts[3].1, i64::from(summary.serious), "{}", db.name);
        // Some records are not public (minor, repaired, expired).
        assert!(
            counts[5].1 < counts[1].1 + counts[2].1 + counts[3].1,
            "{}",
            db.name
        );
        if db.name == "postgres" {
            // The search tokens hold the kind's and the department's filter tokens.
            assert_eq!(
                db.count(
                    "select count(*) from public_entries
                     where not tokens @> array['zzd' || department_id,
                                               'zzk' || case record_kind when 'penalty' then 1
                                                        when 'license' then 2 else 3 end]"
                )
                .await,
                0
            );
        }
        let sort_key_sum = db
            .count("select cast(sum(sort_key) as bigint) from public_entries")
            .await;
        eprintln!("{}: {summary:?} {counts:?}", db.name);
        snapshots.push((
            db.name,
            Snapshot {
                summary,
                counts,
                sort_key_sum,
                entries: entries(&db).await,
            },
        ));
    }
    let (first_name, first) = &snapshots[0];
    for (name, other) in &snapshots[1..] {
        assert_eq!(first, other, "{first_name} and {name} differ");
    }
}

#[tokio::test]
async fn a_writer_dropped_without_commit_writes_nothing() {
    for db in databases().await {
        let mut w = db.seed.writer().await.unwrap();
        w.district("230402", "向阳区").await.unwrap();
        drop(w);
        assert_eq!(
            db.count("select count(*) from districts").await,
            0,
            "{}",
            db.name
        );
        assert!(db.seed.is_empty().await.unwrap(), "{}", db.name);
    }
}
