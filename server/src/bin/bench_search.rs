//! Search benchmark over a large generated database.
//!
//! ```text
//! cargo run --release -p server --bin bench_search -- [--records 1000000] [--db /tmp/hegang-bench/bench.db] [--runs 200]
//!     [--postgres postgres://…]
//! ```
//! With `--postgres`, the same queries run on PostgreSQL: an empty database
//! there is first filled by copying the SQLite bench database
//! (`store::copy`), so both answer over the same records.
//! Generates the database once (reused on later runs), then times, through
//! the real store, the first page of results for 1-, 2-, 3-, 4- and
//! 10-character queries cut from public names, their counts (computed), a
//! whole search asked for the first time and again (its count then kept),
//! the page and count narrowed to one department, and exact credit-code and
//! document-number lookups; prints p50/p95/p99 in milliseconds.

use std::time::Instant;

use app::domain::search_text::normalize;
use app::model::SearchHit;
use app::model::{SearchQuery, SearchTarget};
use app::store::{Store, StoreError};
use chrono::NaiveDate;
use server::store::postgres::PgStore;
use server::store::SqliteStore;
use sqlx::Row;

/// The store benchmarked.
enum Bench {
    Sqlite(SqliteStore),
    Pg(PgStore),
}

impl Bench {
    fn store(&self) -> &dyn Store {
        match self {
            Bench::Sqlite(s) => s,
            Bench::Pg(p) => p,
        }
    }

    async fn text_hits(
        &self,
        q: &SearchQuery,
        today: NaiveDate,
    ) -> Result<Vec<SearchHit>, StoreError> {
        match self {
            Bench::Sqlite(s) => s.text_hits(q, today, 20).await,
            Bench::Pg(p) => p.text_hits(q, today, 20).await,
        }
    }

    async fn text_count(
        &self,
        q: &SearchQuery,
        today: NaiveDate,
    ) -> Result<(i64, bool), StoreError> {
        match self {
            Bench::Sqlite(s) => s.text_count(q, today).await,
            Bench::Pg(p) => p.text_count(q, today).await,
        }
    }

    /// Public names, credit codes and document numbers spread over the table.
    async fn samples(&self, runs: usize) -> (i64, Vec<(String, Option<String>, String)>) {
        const COUNT: &str = "select count(*) from public_entries";
        const SAMPLE: &str = "select name_norm, credit_code, doc_no from public_entries
                              where sort_key % $1 = 0 limit $2";
        let public: i64 = match self {
            Bench::Sqlite(s) => sqlx::query_scalar(COUNT).fetch_one(s.pool()).await,
            Bench::Pg(p) => sqlx::query_scalar(COUNT).fetch_one(p.pool()).await,
        }
        .expect("count");
        let step = (public / runs as i64).clamp(1, 97);
        let rows: Vec<(String, Option<String>, String)> = match self {
            Bench::Sqlite(s) => sqlx::query(SAMPLE)
                .bind(step)
                .bind(runs as i64)
                .fetch_all(s.pool())
                .await
                .expect("sample")
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect(),
            Bench::Pg(p) => sqlx::query(SAMPLE)
                .bind(step)
                .bind(runs as i64)
                .fetch_all(p.pool())
                .await
                .expect("sample")
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect(),
        };
        (public, rows)
    }
}

struct Args {
    records: u32,
    db: String,
    runs: usize,
    postgres: Option<String>,
}

fn args() -> Args {
    let mut out = Args {
        records: 1_000_000,
        db: "/tmp/hegang-bench/bench.db".into(),
        runs: 200,
        postgres: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--records" => out.records = value.parse().expect("--records takes a number"),
            "--db" => out.db = value,
            "--runs" => out.runs = value.parse().expect("--runs takes a number"),
            "--postgres" => out.postgres = Some(value),
            other => panic!("unknown flag {other}"),
        }
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn report(label: &str, mut samples: Vec<f64>) {
    samples.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{label:<28} n={:<5} p50={:>8.3} ms  p95={:>8.3} ms  p99={:>8.3} ms  max={:>8.3} ms",
        samples.len(),
        percentile(&samples, 50.0),
        percentile(&samples, 95.0),
        percentile(&samples, 99.0),
        samples.last().copied().unwrap_or(f64::NAN),
    );
}

fn text(q: &str) -> SearchQuery {
    SearchQuery {
        text: normalize(q),
        kind: None,
        department_id: None,
        from: None,
        to: None,
        page: 1,
    }
}

#[tokio::main]
async fn main() {
    let args = args();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date");
    if let Some(dir) = std::path::Path::new(&args.db).parent() {
        std::fs::create_dir_all(dir).expect("create bench dir");
    }
    let store = SqliteStore::connect(&format!("sqlite://{}", args.db))
        .await
        .expect("open bench database");
    if store.is_empty().await.expect("query") {
        println!("generating {} records into {} …", args.records, args.db);
        let started = Instant::now();
        let summary = server::demo::generate(&store, args.records, today, true)
            .await
            .expect("generate");
        println!(
            "generated {summary:?} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let bench = match &args.postgres {
        None => Bench::Sqlite(store),
        Some(url) => {
            let pg = PgStore::connect(url).await.expect("open PostgreSQL");
            if pg.is_empty().await.expect("query") {
                println!("copying {} into PostgreSQL …", args.db);
                let started = Instant::now();
                let report = server::store::copy::sqlite_to_postgres(&store, &pg)
                    .await
                    .expect("copy");
                println!(
                    "copied {} rows in {:.1} s",
                    report.rows.iter().map(|(_, n)| n).sum::<i64>(),
                    started.elapsed().as_secs_f64()
                );
                sqlx::query("analyze")
                    .execute(pg.pool())
                    .await
                    .expect("analyze");
            }
            Bench::Pg(pg)
        }
    };
    let (public, samples) = bench.samples(args.runs).await;
    println!("public records indexed: {public}");

    // Warm the cache once, as a running server would be.
    let _ = bench.text_hits(&text("鹤岗"), today).await;

    for len in [1usize, 2, 3, 4, 10] {
        let mut page_ms = Vec::new();
        let mut count_ms = Vec::new();
        let mut first_ms = Vec::new();
        let mut again_ms = Vec::new();
        let mut dept_ms = Vec::new();
        for (i, (name, _, _)) in samples.iter().enumerate() {
            let chars: Vec<char> = name.chars().collect();
            if chars.len() < len {
                continue;
            }
            let start = (i * 7) % (chars.len() - len + 1);
            let q: String = chars[start..start + len].iter().collect();
            let query = text(&q);
            let t = Instant::now();
            let hits = bench.text_hits(&query, today).await.expect("hits");
            page_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(
                !hits.is_empty(),
                "query {q} cut from a public name found nothing"
            );
            let t = Instant::now();
            let _ = bench.text_count(&query, today).await.expect("count");
            count_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            // What a page request costs: the page, and the count (computed
            // by the first request, kept for the next).
            let target = SearchTarget::Text(query.clone());
            let t = Instant::now();
            let first = bench
                .store()
                .search(&target, today, 20)
                .await
                .expect("search");
            first_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let again = bench
                .store()
                .search(&target, today, 20)
                .await
                .expect("search");
            again_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(first.total, again.total);
            // The same query narrowed to one department (bigram index and
            // its department token).
            let narrowed = SearchQuery {
                department_id: Some(1 + (i as i64 % 12)),
                ..query
            };
            let t = Instant::now();
            let _ = bench.text_hits(&narrowed, today).await.expect("hits");
            let _ = bench.text_count(&narrowed, today).await.expect("count");
            dept_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        report(&format!("{len}-char first page"), page_ms);
        report(&format!("{len}-char count"), count_ms);
        report(&format!("{len}-char search, new"), first_ms);
        report(&format!("{len}-char search, again"), again_ms);
        report(&format!("{len}-char + dept page+count"), dept_ms);
    }

    let mut code_ms = Vec::new();
    let mut doc_ms = Vec::new();
    for (_, code, doc) in &samples {
        if let Some(code) = code {
            let target = SearchTarget::CreditCode(code.clone(), text(""));
            let t = Instant::now();
            let page = bench
                .store()
                .search(&target, today, 20)
                .await
                .expect("code");
            code_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(page.total > 0);
        }
        let target = SearchTarget::DocumentNumber(doc.clone(), text(""));
        let t = Instant::now();
        let page = bench.store().search(&target, today, 20).await.expect("doc");
        doc_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(page.total > 0);
    }
    report("exact credit code", code_ms);
    report("exact document number", doc_ms);
}
