//! Import benchmark: a 100,000-row penalty (or licence) sheet through the
//! real pipeline, against a baseline of plain inserts, in one process and
//! one run, on SQLite or on PostgreSQL.
//!
//! ```text
//! cargo run --release -p server --bin bench_import -- [--rows 100000] [--kind penalty|license|push] [--baseline no] [--sheets N] [--dir /tmp/hegang-import-bench]
//!     [--postgres postgres://…/empty_database --postgres-baseline postgres://…/another_empty_database [--postgres-insert unnest|values]]
//! ```
//! (`--kind push` starts the release binary, `target/release/server` or
//! `BENCH_SERVER`: run `bash .ci/build` first.)
//! Creates two fresh databases with the small demo data set and writes a
//! sheet of `--rows` valid penalties (or licences) of the market regulator
//! (a tenth of them natural persons, every tenth subject delivered twice).
//! In the first database it times the dry run and the commit (staged in
//! chunks, published in one transaction) and reports how long the commit
//! held the write lock at most; or, with `--kind push`, it pushes the same
//! penalties to the running portal in requests of 1,000 records, then
//! again (corrections), printing requests/s, rows/s and latencies. In the
//! second database it times the baseline: the same rows' columns written
//! with plain prepared inserts — subject, penalty or licence, rule link,
//! projection row, its two index rows, change-log entry — in one
//! transaction, with nothing checked or looked up. It prints both times,
//! the ratios (targets: commit and push ≤ 3× the baseline, dry run ≤ 1.5×)
//! and the peak resident memory of each phase.
//!
//! With `--postgres` the two databases are PostgreSQL ones, both of which
//! must exist and be empty (the schema is migrated in): the sheet phases
//! (penalty or licence sheets; not `--kind push`, not `--sheets`) run in the
//! first, the baseline in the second (`--postgres-baseline`, required
//! unless `--baseline no`), each filled with the same demo data set first.
//! The PostgreSQL baseline writes the same rows into the same tables as
//! SQLite's (the projection row's search tokens are its own `text[]`
//! column there, no separate index tables), in one transaction, nothing
//! checked or looked up, as a bulk load would: the subjects' and records'
//! ids taken from their sequences first, then one multi-row insert per
//! table and batch. By default (`--postgres-insert unnest`) a statement is
//! `insert … select … from unnest($1::bigint[], …)` over 5,000 rows, each
//! column one array parameter; `values` sends `insert … values (…), (…)`
//! of 1,000 rows (sqlx `QueryBuilder::push_values`). UNNEST was the faster
//! (100,000 penalties: 9.3 s against 10.1 s; 20,000: 1.6 s against
//! 1.9–2.0 s; 1,000 to 20,000 rows a statement made no difference), so the
//! ratios compare with it.

use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};

use app::domain::collection::SheetKind;
use app::domain::credit_code::check_char;
use app::domain::id_number;
use app::domain::SubjectKind;
use chrono::NaiveDate;
use server::collect::import::{self, Mode};
use server::store::postgres::PgStore;
use server::store::projection;
use server::store::SqliteStore;
use sqlx::Row;

/// The portal's allocator (`server/src/main.rs`), so peak memory is what
/// the portal would use: with glibc's, every SQLite connection thread kept
/// its own arena's high point, and the RSS of several deliveries measured
/// those arenas (a plateau at ~390 MB over ~12 MB live), not the import.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut rows: u32 = 100_000;
    let mut dir = std::path::PathBuf::from("/tmp/hegang-import-bench");
    let mut bench = Bench::Sheet(SheetKind::Penalty);
    let mut with_baseline = true;
    let mut sheets: u32 = 1;
    let mut postgres: Option<String> = None;
    let mut postgres_baseline: Option<String> = None;
    let mut pg_insert = PgInsert::Unnest;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--rows" => rows = value.parse().expect("--rows takes a number"),
            "--dir" => dir = value.into(),
            "--baseline" => with_baseline = value != "no",
            "--sheets" => sheets = value.parse().expect("--sheets takes a number"),
            "--postgres" => postgres = Some(value),
            "--postgres-baseline" => postgres_baseline = Some(value),
            "--postgres-insert" => {
                pg_insert = match value.as_str() {
                    "unnest" => PgInsert::Unnest,
                    "values" => PgInsert::Values,
                    other => panic!("--postgres-insert takes unnest or values, not {other}"),
                }
            }
            "--kind" => {
                bench = match value.as_str() {
                    "penalty" => Bench::Sheet(SheetKind::Penalty),
                    "license" => Bench::Sheet(SheetKind::License),
                    "push" => Bench::Push,
                    other => panic!("--kind takes penalty, license or push, not {other}"),
                }
            }
            other => panic!("unknown flag {other}"),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match (postgres, bench) {
        (Some(url), Bench::Sheet(kind)) => {
            let baseline = match (with_baseline, postgres_baseline) {
                (false, _) => None,
                (true, Some(url)) => Some((url, pg_insert)),
                (true, None) => panic!(
                    "--postgres needs --postgres-baseline URL (a second empty database) \
                     or --baseline no"
                ),
            };
            runtime.block_on(run_postgres(&url, baseline, rows, dir, kind))
        }
        (Some(_), Bench::Push) => panic!("--postgres measures sheets only"),
        (None, _) => runtime.block_on(run(rows, dir, bench, with_baseline, sheets)),
    }
}

/// The sheet phases through the importer on an empty PostgreSQL database
/// (filled with the small demo data set first); then, unless `baseline`
/// is `None`, the PostgreSQL baseline in a second empty database (given
/// with the way it inserts), compared as [`run`] compares SQLite's.
async fn run_postgres(
    url: &str,
    baseline: Option<(String, PgInsert)>,
    rows: u32,
    dir: std::path::PathBuf,
    kind: SheetKind,
) {
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let (store, dept_id, authority) = pg_database(url, today).await;
    // The baseline's database is checked before minutes of importing.
    let second = match &baseline {
        Some((second, insert)) => {
            assert_ne!(url, second, "--postgres-baseline must be another database");
            let store = PgStore::connect(second).await.expect("PostgreSQL");
            assert!(
                store.is_empty().await.expect("query"),
                "{second} must be empty"
            );
            Some((store, *insert))
        }
        None => None,
    };
    let measured = sheet_phases(&store, &dir, kind, rows, dept_id, &authority, today).await;
    let Some((store, insert)) = second else {
        return;
    };
    let dept_id = pg_demo(&store, today).await.0;
    reset_peak();
    let baseline = baseline_postgres(&store, rows, dept_id, kind, insert).await;
    report(insert.describe(), rows, baseline, &measured);
}

/// An empty PostgreSQL database at `url` with the small demo data set,
/// and the market regulator's id and credit code.
async fn pg_database(url: &str, today: NaiveDate) -> (PgStore, i64, String) {
    let store = PgStore::connect(url).await.expect("PostgreSQL");
    assert!(
        store.is_empty().await.expect("query"),
        "{url} must be empty"
    );
    let (dept_id, authority) = pg_demo(&store, today).await;
    (store, dept_id, authority)
}

/// Fills `store` with the small demo data set; the market regulator's id
/// and credit code.
async fn pg_demo(store: &PgStore, today: NaiveDate) -> (i64, String) {
    server::demo::generate(store, 1500, today, false)
        .await
        .expect("demo data");
    let dept = sqlx::query("select id, credit_code from departments where code = 'scjg'")
        .fetch_one(store.pool())
        .await
        .expect("department");
    (dept.get(0), dept.get(1))
}

/// What is timed against the baseline: a sheet of one kind through the
/// importer, or penalties through the push API of a running portal.
#[derive(Clone, Copy)]
enum Bench {
    Sheet(SheetKind),
    Push,
}

/// Starts measuring a phase's peak resident memory (Linux: resets the
/// high-water mark to the current size).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident memory since [`reset_peak`], in MB.
fn peak_mb() -> f64 {
    peak_mb_of("self")
}

/// Process `pid`'s peak resident memory in MB (Linux: "self" for this one).
fn peak_mb_of(pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// A fresh database in `dir` with the small demo data set, and the market
/// regulator's id and credit code.
async fn database(
    dir: &std::path::Path,
    name: &str,
    today: NaiveDate,
) -> (SqliteStore, i64, String) {
    let store = SqliteStore::connect(&format!("sqlite://{}/{name}", dir.display()))
        .await
        .expect("database");
    server::demo::generate(&store, 1500, today, false)
        .await
        .expect("demo data");
    let dept = sqlx::query("select id, credit_code from departments where code = 'scjg'")
        .fetch_one(store.pool())
        .await
        .expect("department");
    (store, dept.get(0), dept.get(1))
}

async fn run(rows: u32, dir: std::path::PathBuf, bench: Bench, with_baseline: bool, sheets: u32) {
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let (store, dept_id, authority) = database(&dir, "bench.db", today).await;
    let (kind, measured) = match bench {
        Bench::Sheet(kind) => (
            kind,
            sheet_phases(&store, &dir, kind, rows, dept_id, &authority, today).await,
        ),
        Bench::Push => {
            drop(store);
            let times = push_phases(&dir, rows, dept_id, &authority).await;
            (SheetKind::Penalty, times)
        }
    };
    if let (Bench::Sheet(SheetKind::Penalty), true) = (bench, sheets > 1) {
        let store = SqliteStore::connect(&format!("sqlite://{}/bench.db", dir.display()))
            .await
            .expect("database");
        further_sheets(&store, &dir, rows, sheets, dept_id, &authority, today).await;
    }
    if !with_baseline {
        return;
    }
    let (store, dept_id, _) = database(&dir, "baseline.db", today).await;
    reset_peak();
    let baseline = baseline(&store, rows, dept_id, kind).await;
    report(
        "plain prepared inserts of the same columns into the same tables, one transaction",
        rows,
        baseline,
        &measured,
    );
}

/// Prints the baseline's time (written as `how`), rows/s and peak memory
/// since [`reset_peak`], and each measured phase's ratio to it.
fn report(how: &str, rows: u32, baseline: Duration, measured: &[(&str, Duration, f64)]) {
    println!(
        "baseline ({how}): {:.1} s ({:.0} rows/s), peak RSS {:.0} MB",
        baseline.as_secs_f64(),
        f64::from(rows) / baseline.as_secs_f64(),
        peak_mb()
    );
    let ratios: Vec<String> = measured
        .iter()
        .map(|(phase, t, target)| {
            format!(
                "{phase} / baseline: {:.2}x (target <= {target}x)",
                t.as_secs_f64() / baseline.as_secs_f64()
            )
        })
        .collect();
    println!("{}", ratios.join("; "));
}

/// The dry run, the commit and the same sheet again (a correction of
/// every record) through the importer. Returns what is compared with the
/// baseline and its target ratio.
async fn sheet_phases(
    store: &dyn server::store::delivery::DeliveryStore,
    dir: &std::path::Path,
    kind: SheetKind,
    rows: u32,
    dept_id: i64,
    authority: &str,
    today: NaiveDate,
) -> Vec<(&'static str, Duration, f64)> {
    let sheet = dir.join("sheet.csv");
    let started = Instant::now();
    match kind {
        SheetKind::Penalty => write_sheet(&sheet, 0..rows, authority),
        SheetKind::License => write_license_sheet(&sheet, rows, authority),
    }
    let size = std::fs::metadata(&sheet).map(|m| m.len()).unwrap_or(0);
    println!(
        "sheet: {rows} rows, {:.1} MB, written in {:.1} s",
        size as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );
    let mut measured = vec![];
    for (phase, mode) in [
        ("dry run", Mode::DryRun),
        ("commit", Mode::Commit),
        ("commit again", Mode::Commit),
    ] {
        reset_peak();
        let started = Instant::now();
        let summary = import::run_sheet(
            store,
            dept_id,
            &sheet,
            today,
            mode,
            "bench",
            std::io::sink(),
        )
        .await
        .expect("import");
        let took = started.elapsed();
        let secs = took.as_secs_f64();
        println!(
            "{phase}: {secs:.1} s ({:.0} rows/s), peak RSS {:.0} MB; taken {} updated {} refused {} committed {}",
            f64::from(rows) / secs,
            peak_mb(),
            summary.taken,
            summary.updated,
            summary.refused,
            summary.committed
        );
        if summary.committed {
            let w = summary.writes;
            println!(
                "  write lock held by {} transactions: staging chunks at most {:.1} ms each, the publication {:.0} ms",
                w.transactions,
                w.longest_chunk.as_secs_f64() * 1000.0,
                w.publish.as_secs_f64() * 1000.0
            );
        }
        match phase {
            "dry run" => measured.push((phase, took, 1.5)),
            "commit" => measured.push((phase, took, 3.0)),
            _ => {}
        }
    }
    measured
}

/// Sheets 2..=`sheets` of `rows` new penalties each, committed one after
/// another into the same database (a delivery holds at most 200,000 rows):
/// the peak memory of each commit, and the process's memory after it,
/// show whether memory stays flat as the records grow.
async fn further_sheets(
    store: &SqliteStore,
    dir: &std::path::Path,
    rows: u32,
    sheets: u32,
    dept_id: i64,
    authority: &str,
    today: NaiveDate,
) {
    let sheet = dir.join("sheet.csv");
    for k in 1..sheets {
        write_sheet(&sheet, k * rows..(k + 1) * rows, authority);
        reset_peak();
        let started = Instant::now();
        let summary = import::run_sheet(
            store,
            dept_id,
            &sheet,
            today,
            Mode::Commit,
            "bench",
            std::io::sink(),
        )
        .await
        .expect("import");
        println!(
            "sheet {} of {sheets}: commit {:.1} s, taken {} committed {}, peak RSS {:.0} MB, {} records in all",
            k + 1,
            started.elapsed().as_secs_f64(),
            summary.taken,
            summary.committed,
            peak_mb(),
            (k + 1) * rows
        );
    }
}

/// The same penalties pushed to a running portal (the release binary, on
/// loopback) in requests of [`PUSH_BATCH`] records, one after another as
/// a department's system sends them, then all of them again (corrections).
/// Returns the total time of the first pass, compared with the baseline.
async fn push_phases(
    dir: &std::path::Path,
    rows: u32,
    dept_id: i64,
    authority: &str,
) -> Vec<(&'static str, Duration, f64)> {
    let db = dir.join("bench.db");
    let key = "hgk_bench0000000000000000000000000000000000000000000000000000000000";
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("database");
    sqlx::query(
        "insert into api_keys (scope, department_id, name, prefix, key_hash, created_at)
         values ('push', ?, '导入基准测试', ?, ?, ?)",
    )
    .bind(dept_id)
    .bind(&key[..12])
    .bind(server::http::tokens::sha256_hex(key.as_bytes()))
    .bind(chrono::Utc::now().to_rfc3339())
    .execute(&pool)
    .await
    .expect("key");
    pool.close().await;

    let addr = "127.0.0.1:3290";
    let binary = std::env::var("BENCH_SERVER").unwrap_or_else(|_| "target/release/server".into());
    let mut server = std::process::Command::new(&binary)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("PORTAL_DATA_DIR", dir)
        .env("PORTAL_ADDR", addr)
        .env("PORTAL_DEMO", "0")
        .env("PORTAL_TODAY", "2026-11-26")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("RUST_LOG", "warn")
        .spawn()
        .unwrap_or_else(|e| panic!("{binary}: {e} (run bash .ci/build first)"));
    let mut client = None;
    for _ in 0..100 {
        if let Ok(mut c) = Client::connect(addr).await {
            if c.request("GET", "/healthz", "", "").await.0 == 200 {
                client = Some(c);
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut client = client.expect("the portal did not start");
    let auth = format!("Bearer {key}");
    let mut first = Duration::ZERO;
    for phase in ["push", "push again"] {
        let mut latencies = vec![];
        let started = Instant::now();
        let (mut taken, mut updated) = (0, 0);
        for from in (0..rows).step_by(PUSH_BATCH as usize) {
            let body = push_body(from, (from + PUSH_BATCH).min(rows), authority);
            let sent = Instant::now();
            let (status, answer) = client
                .request("POST", "/api/v1/collect/penalties", &auth, &body)
                .await;
            latencies.push(sent.elapsed());
            assert_eq!(status, 200, "{answer}");
            let v: serde_json::Value = serde_json::from_str(&answer).expect("answer");
            assert_eq!(v["refused"], 0, "refused rows: {answer:.2000}");
            taken += v["taken"].as_u64().unwrap_or(0);
            updated += v["updated"].as_u64().unwrap_or(0);
        }
        let took = started.elapsed();
        if phase == "push" {
            first = took;
        }
        latencies.sort();
        let at =
            |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
        println!(
            "{phase}: {} requests of {PUSH_BATCH} in {:.1} s: {:.1} requests/s, {:.0} rows/s; per request p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms; taken {taken} updated {updated}; server peak RSS {:.0} MB",
            latencies.len(),
            took.as_secs_f64(),
            latencies.len() as f64 / took.as_secs_f64(),
            f64::from(rows) / took.as_secs_f64(),
            at(0.5),
            at(0.95),
            at(1.0),
            peak_mb_of(&server.id().to_string()),
        );
    }
    let _ = server.kill();
    let _ = server.wait();
    vec![("push", first, 3.0)]
}

/// Records per push request (the API's largest).
const PUSH_BATCH: u32 = 1000;

/// Rows `from..to` of the penalty sheet as a push request's JSON.
fn push_body(from: u32, to: u32, authority: &str) -> String {
    let records: Vec<serde_json::Value> = (from..to)
        .map(|i| {
            let (subject, kind, code, id) = subject(i);
            let p = penalty(i);
            let mut r = serde_json::json!({
                "CF_XDR_MC": subject_name(subject, SheetKind::Penalty), "CF_XDR_LB": kind,
                "CF_WSH": p.doc_no, "CF_WFXW": VIOLATION, "CF_SY": p.facts, "CF_YJ": BASIS,
                "CF_CFLB": "罚款", "CF_NR": p.content,
                "CF_NR_FK": format!("{}.{:02}", i % 5, i % 100),
                "CF_JDRQ": p.date.to_string(), "CF_CFJG": "鹤岗市市场监督管理局",
                "CF_CFJGDM": authority, "ML_BM": "scjg-ordinary",
            });
            if code.is_empty() {
                r["CF_XDR_ZJHM"] = id.into();
                r["GRXX_YJ"] = STATUTORY_DUTY.into();
            } else {
                r["CF_XDR_SHXYM"] = code.into();
            }
            r
        })
        .collect();
    serde_json::json!({ "records": records }).to_string()
}

/// Just enough HTTP/1.1 for the benchmark: one kept-alive connection,
/// requests one at a time, answers with a Content-Length.
struct Client {
    stream: tokio::io::BufReader<tokio::net::TcpStream>,
}

impl Client {
    async fn connect(addr: &str) -> std::io::Result<Client> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        Ok(Client {
            stream: tokio::io::BufReader::new(stream),
        })
    }

    /// Sends one request and returns the status and the body.
    async fn request(&mut self, method: &str, path: &str, auth: &str, body: &str) -> (u16, String) {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        if !auth.is_empty() {
            head.push_str(&format!("Authorization: {auth}\r\n"));
        }
        head.push_str("\r\n");
        let s = self.stream.get_mut();
        s.write_all(head.as_bytes()).await.expect("send");
        s.write_all(body.as_bytes()).await.expect("send");
        let mut line = String::new();
        self.stream.read_line(&mut line).await.expect("status line");
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let mut length = 0;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.expect("header");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut answer = vec![0; length];
        self.stream.read_exact(&mut answer).await.expect("body");
        (status, String::from_utf8_lossy(&answer).into_owned())
    }
}

/// Writes a sheet's rows as plainly as the tables allow: for each row,
/// prepared inserts of the subject (the first time it appears), the
/// penalty or licence, its rule link, its projection row and its two index
/// rows, and its change-log entry; then the delivery. One transaction,
/// nothing checked or looked up. Returns the time taken.
async fn baseline(store: &SqliteStore, rows: u32, dept_id: i64, sheet: SheetKind) -> Duration {
    let kind = sheet.record_kind();
    let item = match sheet {
        SheetKind::Penalty => "scjg-ordinary",
        SheetKind::License => "scjg-license",
    };
    let rule_id: i64 = sqlx::query(
        "select r.id from catalog_rules r join catalog_items i on i.id = r.item_id
         where i.code = ? order by r.version limit 1",
    )
    .bind(item)
    .fetch_one(store.pool())
    .await
    .expect("rule")
    .get(0);
    let department = "鹤岗市市场监督管理局";
    let started = Instant::now();
    let mut tx = store
        .pool()
        .begin_with("BEGIN IMMEDIATE")
        .await
        .expect("transaction");
    let mut subjects: HashMap<u32, i64> = HashMap::new();
    let at = chrono::Utc::now().to_rfc3339();
    for i in 0..rows {
        let (n, subject_kind, code, id) = subject(i);
        let person = subject_kind == "自然人";
        let name = subject_name(n, sheet);
        let subject_id = match subjects.get(&n) {
            Some(id) => *id,
            None => {
                let sid: i64 = sqlx::query(
                    "insert into subjects (kind, name, credit_code, id_number) values (?, ?, ?, ?)
                     returning id",
                )
                .bind(if person { "person" } else { "legal" })
                .bind(&name)
                .bind((!person).then_some(code.as_str()))
                .bind(person.then_some(id.as_str()))
                .fetch_one(&mut *tx)
                .await
                .expect("subject")
                .get(0);
                subjects.insert(n, sid);
                sid
            }
        };
        let record = match sheet {
            SheetKind::Penalty => insert_penalty(&mut tx, i, subject_id, dept_id, &at).await,
            SheetKind::License => insert_license(&mut tx, i, subject_id, dept_id, &at).await,
        };
        sqlx::query("insert into record_rules (record_kind, record_id, rule_id) values (?, ?, ?)")
            .bind(kind.code())
            .bind(record.id)
            .bind(rule_id)
            .execute(&mut *tx)
            .await
            .expect("rule link");
        let subject_kind = if person {
            SubjectKind::NaturalPerson
        } else {
            SubjectKind::LegalEntity
        };
        let (public, norm, tokens) =
            projection::subject_columns(kind, dept_id, subject_kind, &name, None);
        let key = projection::sort_key(record.date, kind, record.id);
        sqlx::query(
            "insert into public_entries (sort_key, record_kind, record_id, subject_id, name,
                                         name_norm, credit_code, doc_no, department_id, department,
                                         decision_date, until, summary)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(key)
        .bind(kind.code())
        .bind(record.id)
        .bind(subject_id)
        .bind(&public)
        .bind(&norm)
        .bind((!person).then_some(code.as_str()))
        .bind(&record.doc_no)
        .bind(dept_id)
        .bind(department)
        .bind(record.date)
        .bind(record.until)
        .bind(record.summary)
        .execute(&mut *tx)
        .await
        .expect("projection");
        sqlx::query("insert into public_fts (rowid, tokens) values (?, ?)")
            .bind(key)
            .bind(&tokens)
            .execute(&mut *tx)
            .await
            .expect("index");
        sqlx::query("insert into public_trgm (rowid, name) values (?, ?)")
            .bind(key)
            .bind(&norm)
            .execute(&mut *tx)
            .await
            .expect("trigram index");
        let mut after = record.after;
        after[kind_name_field(sheet)] = serde_json::Value::String(name);
        sqlx::query(
            "insert into record_changes (at, record_kind, record_id, department_id, change, actor,
                                         after)
             values (?, ?, ?, ?, 'new', 'bench', ?)",
        )
        .bind(&at)
        .bind(kind.code())
        .bind(record.id)
        .bind(dept_id)
        .bind(after.to_string())
        .execute(&mut *tx)
        .await
        .expect("change log");
    }
    sqlx::query(
        "insert into deliveries (department_id, at, channel, actor, taken, updated, refused, late)
         values (?, ?, 'sheet', 'bench', ?, 0, 0, 0)",
    )
    .bind(dept_id)
    .bind(&at)
    .bind(i64::from(rows))
    .execute(&mut *tx)
    .await
    .expect("delivery");
    tx.commit().await.expect("commit");
    started.elapsed()
}

/// How the PostgreSQL baseline sends its rows (`--postgres-insert`).
#[derive(Clone, Copy)]
enum PgInsert {
    /// Per table and batch of [`PgInsert::rows`] rows, one
    /// `insert … select … from unnest($1::bigint[], $2::text[], …)`: each
    /// column's values in one array parameter.
    Unnest,
    /// Per table and batch, one multi-row `insert … values (…), (…), …`
    /// (sqlx `QueryBuilder::push_values`), a parameter per value.
    Values,
}

impl PgInsert {
    /// Rows per statement.
    fn rows(self) -> u32 {
        match self {
            PgInsert::Unnest => 5000,
            PgInsert::Values => 1000,
        }
    }

    /// How the baseline line names the method.
    fn describe(self) -> &'static str {
        match self {
            PgInsert::Unnest => {
                "multi-row inserts (UNNEST of column arrays, 5,000 rows a statement) of the same columns into the same tables, one transaction"
            }
            PgInsert::Values => {
                "multi-row inserts (VALUES lists, 1,000 rows a statement) of the same columns into the same tables, one transaction"
            }
        }
    }
}

/// One sheet row as the PostgreSQL baseline writes it: ids taken from
/// the sequences beforehand, every other column computed as [`baseline`]
/// computes it.
struct PgBaseRow {
    id: i64,
    subject_id: i64,
    /// Whether this row's subject appears here first (and is inserted with it).
    new_subject: bool,
    subject_kind: &'static str,
    name: String,
    credit_code: Option<String>,
    id_number: Option<String>,
    record: PgRecord,
    doc_no: String,
    date: NaiveDate,
    until: NaiveDate,
    summary: String,
    sort_key: i64,
    public: String,
    norm: String,
    /// The projection's tokens, space-separated (split into `text[]` by
    /// the database, as the PostgreSQL store's `publish_row` does).
    tokens: String,
    after: String,
}

enum PgRecord {
    Penalty(Penalty),
    License(License),
}

impl PgBaseRow {
    fn penalty(&self) -> &Penalty {
        match &self.record {
            PgRecord::Penalty(p) => p,
            PgRecord::License(_) => unreachable!("a penalty sheet"),
        }
    }

    fn license(&self) -> &License {
        match &self.record {
            PgRecord::License(l) => l,
            PgRecord::Penalty(_) => unreachable!("a licence sheet"),
        }
    }
}

/// What every row of the PostgreSQL baseline shares.
struct PgShared<'a> {
    sheet: SheetKind,
    code: &'a str,
    dept_id: i64,
    department: &'a str,
    rule_id: i64,
    /// Records' creation time, to the second (as the importer writes it).
    created_at: chrono::DateTime<chrono::Utc>,
    /// The change log's and the delivery's time, to the millisecond.
    at: chrono::DateTime<chrono::Utc>,
}

type PgTx<'a> = sqlx::Transaction<'a, sqlx::Postgres>;

/// The baseline on PostgreSQL: the same rows as [`baseline`] (subjects,
/// penalties or licences, rule links, projection rows — their search
/// tokens the row's own `text[]` column, PostgreSQL having no separate
/// index tables — change-log entries, the delivery) in one transaction,
/// nothing checked or looked up, written as a bulk load would be: the
/// subjects' and records' ids taken from their sequences first, then per
/// batch of rows one multi-row insert per table, by `insert` (UNNEST of
/// column arrays, the faster of the two in our runs, by default). Returns
/// the time taken.
async fn baseline_postgres(
    store: &PgStore,
    rows: u32,
    dept_id: i64,
    sheet: SheetKind,
    insert: PgInsert,
) -> Duration {
    let kind = sheet.record_kind();
    let (item, table) = match sheet {
        SheetKind::Penalty => ("scjg-ordinary", "penalties"),
        SheetKind::License => ("scjg-license", "licenses"),
    };
    let rule_id: i64 = sqlx::query(
        "select r.id from catalog_rules r join catalog_items i on i.id = r.item_id
         where i.code = $1 order by r.version limit 1",
    )
    .bind(item)
    .fetch_one(store.pool())
    .await
    .expect("rule")
    .get(0);
    let started = Instant::now();
    let mut tx = store.pool().begin().await.expect("transaction");
    let mut first_seen = std::collections::HashSet::new();
    let new_subjects = (0..rows)
        .filter(|&i| first_seen.insert(subject_no(i)))
        .count();
    drop(first_seen);
    let mut subject_ids = next_ids(&mut tx, "subjects", new_subjects)
        .await
        .into_iter();
    let mut record_ids = next_ids(&mut tx, table, rows as usize).await.into_iter();
    let now = chrono::Utc::now();
    let round = |unit| chrono::DurationRound::duration_trunc(now, unit).unwrap_or(now);
    let shared = PgShared {
        sheet,
        code: kind.code(),
        dept_id,
        department: "鹤岗市市场监督管理局",
        rule_id,
        created_at: round(chrono::TimeDelta::seconds(1)),
        at: round(chrono::TimeDelta::milliseconds(1)),
    };
    let mut subjects: HashMap<u32, i64> = HashMap::new();
    for from in (0..rows).step_by(insert.rows() as usize) {
        let batch: Vec<PgBaseRow> = (from..rows.min(from + insert.rows()))
            .map(|i| {
                let (n, subject_kind, code, id_no) = subject(i);
                let person = subject_kind == "自然人";
                let name = subject_name(n, sheet);
                let (subject_id, new_subject) = match subjects.get(&n) {
                    Some(id) => (*id, false),
                    None => {
                        let sid = subject_ids.next().expect("subject id");
                        subjects.insert(n, sid);
                        (sid, true)
                    }
                };
                let id = record_ids.next().expect("record id");
                let (record, doc_no, date, until, summary, mut after) = match sheet {
                    SheetKind::Penalty => {
                        let p = penalty(i);
                        let (doc_no, date, until) = (p.doc_no.clone(), p.date, penalty_until(&p));
                        let after = penalty_after(&p);
                        let summary = PENALTY_SUMMARY.to_string();
                        (PgRecord::Penalty(p), doc_no, date, until, summary, after)
                    }
                    SheetKind::License => {
                        let l = license(i);
                        let (doc_no, date, until) = (l.doc_no.clone(), l.date, l.until);
                        let after = license_after(&l);
                        (
                            PgRecord::License(l),
                            doc_no,
                            date,
                            until,
                            license_summary(),
                            after,
                        )
                    }
                };
                let (public, norm, tokens) = projection::subject_columns(
                    kind,
                    dept_id,
                    if person {
                        SubjectKind::NaturalPerson
                    } else {
                        SubjectKind::LegalEntity
                    },
                    &name,
                    None,
                );
                after[kind_name_field(sheet)] = serde_json::Value::String(name.clone());
                PgBaseRow {
                    id,
                    subject_id,
                    new_subject,
                    subject_kind: if person { "person" } else { "legal" },
                    name,
                    credit_code: (!person).then_some(code),
                    id_number: person.then_some(id_no),
                    record,
                    doc_no,
                    date,
                    until,
                    summary,
                    sort_key: projection::sort_key(date, kind, id),
                    public,
                    norm,
                    tokens,
                    after: after.to_string(),
                }
            })
            .collect();
        match insert {
            PgInsert::Unnest => pg_unnest(&mut tx, &batch, &shared).await,
            PgInsert::Values => pg_values(&mut tx, &batch, &shared).await,
        }
    }
    sqlx::query(
        "insert into deliveries (department_id, at, channel, actor, taken, updated, refused, late)
         values ($1, $2, 'sheet', 'bench', $3, 0, 0, 0)",
    )
    .bind(dept_id)
    .bind(shared.at)
    .bind(i64::from(rows))
    .execute(&mut *tx)
    .await
    .expect("delivery");
    tx.commit().await.expect("commit");
    started.elapsed()
}

/// `n` ids from `table`'s id sequence.
async fn next_ids(tx: &mut PgTx<'_>, table: &str, n: usize) -> Vec<i64> {
    sqlx::query_scalar(
        "select nextval(pg_get_serial_sequence($1, 'id')) from generate_series(1, $2)",
    )
    .bind(table)
    .bind(n as i64)
    .fetch_all(&mut **tx)
    .await
    .expect("ids")
}

/// A batch of the PostgreSQL baseline as `insert … select … from unnest(…)`,
/// one statement per table.
async fn pg_unnest(tx: &mut PgTx<'_>, batch: &[PgBaseRow], s: &PgShared<'_>) {
    fn col<'a, T>(
        rows: impl Iterator<Item = &'a PgBaseRow>,
        f: impl Fn(&'a PgBaseRow) -> T,
    ) -> Vec<T> {
        rows.map(f).collect()
    }
    let new = || batch.iter().filter(|r| r.new_subject);
    sqlx::query(
        "insert into subjects (id, kind, name, credit_code, id_number)
         select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])",
    )
    .bind(col(new(), |r| r.subject_id))
    .bind(col(new(), |r| r.subject_kind))
    .bind(col(new(), |r| r.name.as_str()))
    .bind(col(new(), |r| r.credit_code.as_deref()))
    .bind(col(new(), |r| r.id_number.as_deref()))
    .execute(&mut **tx)
    .await
    .expect("subjects");
    let all = || batch.iter();
    let ids = col(all(), |r| r.id);
    let subject_ids = col(all(), |r| r.subject_id);
    let doc_nos = col(all(), |r| r.doc_no.as_str());
    let dates = col(all(), |r| r.date);
    match s.sheet {
        SheetKind::Penalty => {
            sqlx::query(
                "insert into penalties (id, subject_id, doc_no, violation_type, facts, basis,
                                        categories, content, fine_fen, decision_date,
                                        department_id, source_department_id, created_at, late)
                 select u.id, u.subject_id, u.doc_no, u.violation_type, u.facts, u.basis,
                        u.categories, u.content, u.fine_fen, u.decision_date, $11, $11, $12, $13
                 from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
                             $6::text[], $7::text[], $8::text[], $9::bigint[], $10::date[])
                   as u(id, subject_id, doc_no, violation_type, facts, basis, categories,
                        content, fine_fen, decision_date)",
            )
            .bind(&ids)
            .bind(&subject_ids)
            .bind(&doc_nos)
            .bind(col(all(), |_| VIOLATION))
            .bind(col(all(), |r| r.penalty().facts.as_str()))
            .bind(col(all(), |_| BASIS))
            .bind(col(all(), |_| "罚款"))
            .bind(col(all(), |r| r.penalty().content.as_str()))
            .bind(col(all(), |r| r.penalty().fine_fen))
            .bind(&dates)
            .bind(s.dept_id)
            .bind(s.created_at)
            .bind(true)
            .execute(&mut **tx)
            .await
            .expect("penalties");
        }
        SheetKind::License => {
            sqlx::query(
                "insert into licenses (id, subject_id, doc_name, doc_no, category, cert_name,
                                       cert_no, content, decision_date, valid_from, valid_to,
                                       department_id, source_department_id, state, note,
                                       created_at, late)
                 select u.id, u.subject_id, u.doc_name, u.doc_no, u.category, u.cert_name,
                        u.cert_no, u.content, u.decision_date, u.valid_from, u.valid_to,
                        $12, $12, u.state, u.note, $13, false
                 from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
                             $6::text[], $7::text[], $8::text[], $9::date[], $10::date[],
                             $11::date[], $14::text[], $15::text[])
                   as u(id, subject_id, doc_name, doc_no, category, cert_name, cert_no,
                        content, decision_date, valid_from, valid_to, state, note)",
            )
            .bind(&ids)
            .bind(&subject_ids)
            .bind(col(all(), |_| LICENSE_DOC))
            .bind(&doc_nos)
            .bind(col(all(), |_| LICENSE_CATEGORY))
            .bind(col(all(), |_| LICENSE_CERT))
            .bind(col(all(), |r| r.license().cert_no.as_str()))
            .bind(col(all(), |_| LICENSE_CONTENT))
            .bind(&dates)
            .bind(&dates)
            .bind(col(all(), |r| r.license().until))
            .bind(s.dept_id)
            .bind(s.created_at)
            .bind(col(all(), |_| "有效"))
            .bind(col(all(), |_| None::<&str>))
            .execute(&mut **tx)
            .await
            .expect("licences");
        }
    }
    sqlx::query(
        "insert into record_rules (record_kind, record_id, rule_id)
         select $1, u.id, u.rule_id from unnest($2::bigint[], $3::bigint[]) as u(id, rule_id)",
    )
    .bind(s.code)
    .bind(&ids)
    .bind(col(all(), |_| s.rule_id))
    .execute(&mut **tx)
    .await
    .expect("rule links");
    sqlx::query(
        "insert into public_entries (sort_key, record_kind, record_id, subject_id, name,
                                     name_norm, credit_code, doc_no, department_id, department,
                                     decision_date, until, summary, tokens)
         select u.sort_key, $1, u.id, u.subject_id, u.name, u.name_norm, u.credit_code,
                u.doc_no, $2, $3, u.decision_date, u.until, u.summary,
                string_to_array(u.tokens, ' ')
         from unnest($4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::date[], $12::date[], $13::text[],
                     $14::text[])
           as u(sort_key, id, subject_id, name, name_norm, credit_code, doc_no,
                decision_date, until, summary, tokens)",
    )
    .bind(s.code)
    .bind(s.dept_id)
    .bind(s.department)
    .bind(col(all(), |r| r.sort_key))
    .bind(&ids)
    .bind(&subject_ids)
    .bind(col(all(), |r| r.public.as_str()))
    .bind(col(all(), |r| r.norm.as_str()))
    .bind(col(all(), |r| r.credit_code.as_deref()))
    .bind(&doc_nos)
    .bind(&dates)
    .bind(col(all(), |r| r.until))
    .bind(col(all(), |r| r.summary.as_str()))
    .bind(col(all(), |r| r.tokens.as_str()))
    .execute(&mut **tx)
    .await
    .expect("projection");
    sqlx::query(
        "insert into record_changes (at, record_kind, record_id, department_id, change, actor,
                                     after)
         select $1, $2, u.id, $3, 'new', 'bench', u.after
         from unnest($4::bigint[], $5::text[]) as u(id, after)",
    )
    .bind(s.at)
    .bind(s.code)
    .bind(s.dept_id)
    .bind(&ids)
    .bind(col(all(), |r| r.after.as_str()))
    .execute(&mut **tx)
    .await
    .expect("change log");
}

/// A batch of the PostgreSQL baseline as multi-row `insert … values`, one
/// statement per table.
async fn pg_values(tx: &mut PgTx<'_>, batch: &[PgBaseRow], s: &PgShared<'_>) {
    use sqlx::{Postgres, QueryBuilder};
    let new: Vec<&PgBaseRow> = batch.iter().filter(|r| r.new_subject).collect();
    if !new.is_empty() {
        let mut q = QueryBuilder::<Postgres>::new(
            "insert into subjects (id, kind, name, credit_code, id_number) ",
        );
        q.push_values(new, |mut v, r| {
            v.push_bind(r.subject_id)
                .push_bind(r.subject_kind)
                .push_bind(&r.name)
                .push_bind(&r.credit_code)
                .push_bind(&r.id_number);
        });
        q.build().execute(&mut **tx).await.expect("subjects");
    }
    let mut q = QueryBuilder::<Postgres>::new(match s.sheet {
        SheetKind::Penalty => {
            "insert into penalties (id, subject_id, doc_no, violation_type, facts, basis,
                                    categories, content, fine_fen, decision_date, department_id,
                                    source_department_id, created_at, late) "
        }
        SheetKind::License => {
            "insert into licenses (id, subject_id, doc_name, doc_no, category, cert_name, cert_no,
                                   content, decision_date, valid_from, valid_to, department_id,
                                   source_department_id, state, note, created_at, late) "
        }
    });
    q.push_values(batch, |mut v, r| match &r.record {
        PgRecord::Penalty(p) => {
            v.push_bind(r.id)
                .push_bind(r.subject_id)
                .push_bind(&p.doc_no)
                .push_bind(VIOLATION)
                .push_bind(&p.facts)
                .push_bind(BASIS)
                .push_bind("罚款")
                .push_bind(&p.content)
                .push_bind(p.fine_fen)
                .push_bind(p.date)
                .push_bind(s.dept_id)
                .push_bind(s.dept_id)
                .push_bind(s.created_at)
                .push_bind(true);
        }
        PgRecord::License(l) => {
            v.push_bind(r.id)
                .push_bind(r.subject_id)
                .push_bind(LICENSE_DOC)
                .push_bind(&l.doc_no)
                .push_bind(LICENSE_CATEGORY)
                .push_bind(LICENSE_CERT)
                .push_bind(&l.cert_no)
                .push_bind(LICENSE_CONTENT)
                .push_bind(l.date)
                .push_bind(l.date)
                .push_bind(l.until)
                .push_bind(s.dept_id)
                .push_bind(s.dept_id)
                .push("'有效'")
                .push("null")
                .push_bind(s.created_at)
                .push_bind(false);
        }
    });
    q.build().execute(&mut **tx).await.expect("records");
    let mut q = QueryBuilder::<Postgres>::new(
        "insert into record_rules (record_kind, record_id, rule_id) ",
    );
    q.push_values(batch, |mut v, r| {
        v.push_bind(s.code).push_bind(r.id).push_bind(s.rule_id);
    });
    q.build().execute(&mut **tx).await.expect("rule links");
    let mut q = QueryBuilder::<Postgres>::new(
        "insert into public_entries (sort_key, record_kind, record_id, subject_id, name,
                                     name_norm, credit_code, doc_no, department_id, department,
                                     decision_date, until, summary, tokens) ",
    );
    q.push_values(batch, |mut v, r| {
        v.push_bind(r.sort_key)
            .push_bind(s.code)
            .push_bind(r.id)
            .push_bind(r.subject_id)
            .push_bind(&r.public)
            .push_bind(&r.norm)
            .push_bind(&r.credit_code)
            .push_bind(&r.doc_no)
            .push_bind(s.dept_id)
            .push_bind(s.department)
            .push_bind(r.date)
            .push_bind(r.until)
            .push_bind(&r.summary)
            .push("string_to_array(")
            .push_bind_unseparated(&r.tokens)
            .push_unseparated(", ' ')");
    });
    q.build().execute(&mut **tx).await.expect("projection");
    let mut q = QueryBuilder::<Postgres>::new(
        "insert into record_changes (at, record_kind, record_id, department_id, change, actor,
                                     after) ",
    );
    q.push_values(batch, |mut v, r| {
        v.push_bind(s.at)
            .push_bind(s.code)
            .push_bind(r.id)
            .push_bind(s.dept_id)
            .push("'new'")
            .push("'bench'")
            .push_bind(&r.after);
    });
    q.build().execute(&mut **tx).await.expect("change log");
}

fn kind_name_field(sheet: SheetKind) -> &'static str {
    match sheet {
        SheetKind::Penalty => "CF_XDR_MC",
        SheetKind::License => "XK_XDR_MC",
    }
}

/// What the baseline wrote of one record, for its projection row and its
/// change-log entry.
struct Written {
    id: i64,
    doc_no: String,
    date: NaiveDate,
    until: NaiveDate,
    summary: String,
    after: serde_json::Value,
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Sqlite>;

async fn insert_penalty(tx: &mut Tx<'_>, i: u32, subject_id: i64, dept: i64, at: &str) -> Written {
    let p = penalty(i);
    let id: i64 = sqlx::query(
        "insert into penalties (subject_id, doc_no, violation_type, facts, basis, categories,
                                content, fine_fen, decision_date, department_id,
                                source_department_id, created_at, late)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
    )
    .bind(subject_id)
    .bind(&p.doc_no)
    .bind(VIOLATION)
    .bind(&p.facts)
    .bind(BASIS)
    .bind("罚款")
    .bind(&p.content)
    .bind(p.fine_fen)
    .bind(p.date)
    .bind(dept)
    .bind(dept)
    .bind(at)
    .bind(true)
    .fetch_one(&mut **tx)
    .await
    .expect("penalty")
    .get(0);
    let after = penalty_after(&p);
    let until = penalty_until(&p);
    Written {
        id,
        doc_no: p.doc_no,
        date: p.date,
        until,
        summary: PENALTY_SUMMARY.into(),
        after,
    }
}

/// A penalty's change-log fields (its subject's name added by the caller).
fn penalty_after(p: &Penalty) -> serde_json::Value {
    serde_json::json!({
        "CF_WFXW": VIOLATION, "CF_SY": p.facts, "CF_YJ": BASIS,
        "CF_CFLB": "罚款", "CF_NR": p.content, "CF_NR_FK": p.fine_fen.to_string(),
        "CF_NR_WFFF": null, "CF_NR_ZKDX": null, "CF_JDRQ": p.date.to_string(),
        "CF_YXQ": null, "BZ": null,
    })
}

/// A penalty's last public day (the market regulator's ordinary penalties
/// are public for three years).
fn penalty_until(p: &Penalty) -> NaiveDate {
    p.date + chrono::Days::new(3 * 365)
}

/// A penalty's projection summary.
const PENALTY_SUMMARY: &str = "罚款";

async fn insert_license(tx: &mut Tx<'_>, i: u32, subject_id: i64, dept: i64, at: &str) -> Written {
    let l = license(i);
    let id: i64 = sqlx::query(
        "insert into licenses (subject_id, doc_name, doc_no, category, cert_name, cert_no, content,
                               decision_date, valid_from, valid_to, department_id,
                               source_department_id, state, note, created_at, late)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '有效', null, ?, 0) returning id",
    )
    .bind(subject_id)
    .bind(LICENSE_DOC)
    .bind(&l.doc_no)
    .bind(LICENSE_CATEGORY)
    .bind(LICENSE_CERT)
    .bind(&l.cert_no)
    .bind(LICENSE_CONTENT)
    .bind(l.date)
    .bind(l.date)
    .bind(l.until)
    .bind(dept)
    .bind(dept)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
    .expect("licence")
    .get(0);
    let after = license_after(&l);
    Written {
        id,
        doc_no: l.doc_no,
        date: l.date,
        until: l.until,
        summary: license_summary(),
        after,
    }
}

/// A licence's change-log fields (its subject's name added by the caller).
fn license_after(l: &License) -> serde_json::Value {
    serde_json::json!({
        "XK_XKWS": LICENSE_DOC, "XK_XKLB": LICENSE_CATEGORY, "XK_XKZS": LICENSE_CERT,
        "XK_XKBH": l.cert_no, "XK_NR": LICENSE_CONTENT, "XK_JDRQ": l.date.to_string(),
        "XK_YXQZ": l.date.to_string(), "XK_YXQZI": l.until.to_string(), "XK_ZT": "有效",
        "BZ": null,
    })
}

/// A licence's projection summary.
fn license_summary() -> String {
    format!("{LICENSE_CATEGORY}：{LICENSE_DOC}")
}

const VIOLATION: &str = "销售不合格产品";
const BASIS: &str = "《产品质量法》第四十九条";
const LICENSE_DOC: &str = "准予行政许可决定书";
const LICENSE_CATEGORY: &str = "普通";
const LICENSE_CERT: &str = "食品经营许可证";
const LICENSE_CONTENT: &str = "预包装食品销售";

/// Row `i`'s licence columns, as the sheet has them.
struct License {
    doc_no: String,
    cert_no: String,
    date: NaiveDate,
    until: NaiveDate,
}

fn license(i: u32) -> License {
    let date =
        NaiveDate::from_ymd_opt(2025, 12, 1).expect("date") + chrono::Days::new(u64::from(i % 300));
    License {
        doc_no: format!("鹤市监许〔2026〕{}号", 100_000 + i),
        cert_no: format!("JY{i:014}"),
        date,
        until: date + chrono::Days::new(5 * 365),
    }
}

/// Row `i`'s penalty columns, as the sheet has them (amounts in fen).
struct Penalty {
    doc_no: String,
    facts: String,
    content: String,
    fine_fen: i64,
    date: NaiveDate,
}

fn penalty(i: u32) -> Penalty {
    let start = NaiveDate::from_ymd_opt(2025, 12, 1).expect("date");
    Penalty {
        doc_no: format!("鹤市监罚〔2026〕{}号", 100_000 + i),
        facts: format!("经查当事人销售不合格产品，货值金额{}元", i % 9000 + 100),
        content: format!("罚款{}元", i % 900 + 100),
        // 万元 with two decimals: i % 5 and i % 100 hundredths.
        fine_fen: i64::from(i % 5) * 1_000_000 + i64::from(i % 100) * 10_000,
        date: start + chrono::Days::new(u64::from(i % 300)),
    }
}

fn subject_name(n: u32, sheet: SheetKind) -> String {
    match sheet {
        SheetKind::Penalty => format!("鹤岗市导入测试{n}号商贸有限公司（演示）"),
        SheetKind::License => format!("鹤岗市导入测试{n}号食品有限公司（演示）"),
    }
}

/// A valid credit code for subject `n` (Hegang division, digits only).
fn credit_code(n: u32) -> String {
    let first17 = format!("91230400{n:09}");
    let check = check_char(&first17).expect("check char");
    format!("{first17}{check}")
}

/// A valid ID number for person `n`.
fn id_number(n: u32) -> String {
    let first17 = format!("230402198{}0101{:03}", n % 10, n % 1000);
    let check = id_number::check_char(&first17).expect("check char");
    format!("{first17}{check}")
}

/// Row `i`'s subject: its number, kind, credit code and ID number (every
/// tenth subject delivered twice, a tenth of them natural persons).
fn subject(i: u32) -> (u32, &'static str, String, String) {
    let subject = subject_no(i);
    if i % 10 == 3 {
        (subject, "自然人", String::new(), id_number(subject))
    } else {
        (
            subject,
            "法人及非法人组织",
            credit_code(subject),
            String::new(),
        )
    }
}

/// A natural person's row declares its basis of processing (GRXX_YJ).
const STATUTORY_DUTY: &str = "法定职责";

fn basis_of(kind: &str) -> &'static str {
    if kind == "自然人" {
        STATUTORY_DUTY
    } else {
        ""
    }
}

/// Row `i`'s subject number (row `10k + 1` names row `10k`'s subject).
fn subject_no(i: u32) -> u32 {
    i - i % 2 * (i % 10 == 1) as u32
}

fn write_license_sheet(path: &std::path::Path, rows: u32, authority: &str) {
    let file = std::fs::File::create(path).expect("sheet");
    let mut w = std::io::BufWriter::new(file);
    writeln!(
        w,
        "XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_XDR_ZJHM,XK_XKWS,XK_WSH,XK_XKLB,XK_XKZS,XK_XKBH,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG,XK_XKJGDM,ML_BM,GRXX_YJ"
    )
    .expect("write");
    for i in 0..rows {
        let (subject, kind, code, id) = subject(i);
        let l = license(i);
        writeln!(
            w,
            "{},{kind},{code},{id},{LICENSE_DOC},{},{LICENSE_CATEGORY},{LICENSE_CERT},{},{LICENSE_CONTENT},{},{},{},鹤岗市市场监督管理局,{authority},scjg-license,{}",
            subject_name(subject, SheetKind::License),
            l.doc_no,
            l.cert_no,
            l.date,
            l.date,
            l.until,
            basis_of(kind),
        )
        .expect("write");
    }
    w.flush().expect("flush");
}

fn write_sheet(path: &std::path::Path, rows: std::ops::Range<u32>, authority: &str) {
    let file = std::fs::File::create(path).expect("sheet");
    let mut w = std::io::BufWriter::new(file);
    writeln!(
        w,
        "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_CFJG,CF_CFJGDM,ML_BM,GRXX_YJ"
    )
    .expect("write");
    for i in rows {
        let (subject, kind, code, id) = subject(i);
        let p = penalty(i);
        writeln!(
            w,
            "{},{kind},{code},{id},{},{VIOLATION},{},{BASIS},罚款,{},{}.{:02},{},鹤岗市市场监督管理局,{authority},scjg-ordinary,{}",
            subject_name(subject, SheetKind::Penalty),
            p.doc_no,
            p.facts,
            p.content,
            i % 5,
            i % 100,
            p.date,
            basis_of(kind),
        )
        .expect("write");
    }
    w.flush().expect("flush");
}
