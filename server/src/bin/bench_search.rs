//! Search benchmark over a large generated database.
//!
//! ```text
//! cargo run --release -p server --bin bench_search -- [--records 1000000] [--db /tmp/hegang-bench/bench.db] [--runs 200]
//! ```
//! Generates the database once (reused on later runs), then times, through
//! the real store, the first page of results for 1-, 2-, 3-, 4- and
//! 10-character queries cut from public names, their counts (computed), a
//! whole search asked for the first time and again (its count then kept),
//! the page and count narrowed to one department, and exact credit-code and
//! document-number lookups; prints p50/p95/p99 in milliseconds.

use std::time::Instant;

use app::domain::search_text::normalize;
use app::model::{SearchQuery, SearchTarget};
use app::store::Store;
use chrono::NaiveDate;
use server::store::SqliteStore;
use sqlx::Row;

struct Args {
    records: u32,
    db: String,
    runs: usize,
}

fn args() -> Args {
    let mut out = Args {
        records: 1_000_000,
        db: "/tmp/hegang-bench/bench.db".into(),
        runs: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--records" => out.records = value.parse().expect("--records takes a number"),
            "--db" => out.db = value,
            "--runs" => out.runs = value.parse().expect("--runs takes a number"),
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
    let pool = store.pool();
    let public: i64 = sqlx::query("select count(*) from public_entries")
        .fetch_one(pool)
        .await
        .expect("count")
        .get(0);
    println!("public records indexed: {public}");

    // Sample public names, codes and document numbers spread over the table.
    let step = (public / args.runs as i64).max(1);
    let rows = sqlx::query(
        "select name_norm, credit_code, doc_no from public_entries where sort_key % ? = 0 limit ?",
    )
    .bind(step.min(97))
    .bind(args.runs as i64)
    .fetch_all(pool)
    .await
    .expect("sample");
    let samples: Vec<(String, Option<String>, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();

    // Warm the cache once, as a running server would be.
    let _ = store.text_hits(&text("鹤岗"), today, 20).await;

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
            let hits = store.text_hits(&query, today, 20).await.expect("hits");
            page_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(
                !hits.is_empty(),
                "query {q} cut from a public name found nothing"
            );
            let t = Instant::now();
            let _ = store.text_count(&query, today).await.expect("count");
            count_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            // What a page request costs: the page, and the count (computed
            // by the first request, kept for the next).
            let target = SearchTarget::Text(query.clone());
            let t = Instant::now();
            let first = store.search(&target, today, 20).await.expect("search");
            first_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let again = store.search(&target, today, 20).await.expect("search");
            again_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(first.total, again.total);
            // The same query narrowed to one department (bigram index and
            // its department token).
            let narrowed = SearchQuery {
                department_id: Some(1 + (i as i64 % 12)),
                ..query
            };
            let t = Instant::now();
            let _ = store.text_hits(&narrowed, today, 20).await.expect("hits");
            let _ = store.text_count(&narrowed, today).await.expect("count");
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
            let page = store.search(&target, today, 20).await.expect("code");
            code_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(page.total > 0);
        }
        let target = SearchTarget::DocumentNumber(doc.clone(), text(""));
        let t = Instant::now();
        let page = store.search(&target, today, 20).await.expect("doc");
        doc_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(page.total > 0);
    }
    report("exact credit code", code_ms);
    report("exact document number", doc_ms);
}
