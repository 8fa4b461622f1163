//! Import benchmark: a 100,000-row penalty (or licence) sheet through the
//! real pipeline, against a baseline of plain inserts, in one process and
//! one run.
//!
//! ```text
//! cargo run --release -p server --bin bench_import -- [--rows 100000] [--kind penalty|license|push] [--baseline no] [--sheets N] [--dir /tmp/hegang-import-bench]
//!     [--postgres postgres://…/empty_database]   (sheets only: the importer on PostgreSQL, no baseline)
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

use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};

use app::domain::collection::SheetKind;
use app::domain::credit_code::check_char;
use app::domain::id_number;
use app::domain::SubjectKind;
use chrono::NaiveDate;
use server::collect::import::{self, Mode};
use server::store::projection;
use server::store::SqliteStore;
use sqlx::Row;

fn main() {
    let mut rows: u32 = 100_000;
    let mut dir = std::path::PathBuf::from("/tmp/hegang-import-bench");
    let mut bench = Bench::Sheet(SheetKind::Penalty);
    let mut with_baseline = true;
    let mut sheets: u32 = 1;
    let mut postgres: Option<String> = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--rows" => rows = value.parse().expect("--rows takes a number"),
            "--dir" => dir = value.into(),
            "--baseline" => with_baseline = value != "no",
            "--sheets" => sheets = value.parse().expect("--sheets takes a number"),
            "--postgres" => postgres = Some(value),
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
        (Some(url), Bench::Sheet(kind)) => runtime.block_on(run_postgres(&url, rows, dir, kind)),
        (Some(_), Bench::Push) => panic!("--postgres measures sheets only"),
        (None, _) => runtime.block_on(run(rows, dir, bench, with_baseline, sheets)),
    }
}

/// The sheet phases through the importer on an empty PostgreSQL database
/// (filled with the small demo data set first).
async fn run_postgres(url: &str, rows: u32, dir: std::path::PathBuf, kind: SheetKind) {
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let store = server::store::postgres::PgStore::connect(url)
        .await
        .expect("PostgreSQL");
    assert!(
        store.is_empty().await.expect("query"),
        "{url} must be empty"
    );
    server::demo::generate(&store, 1500, today, false)
        .await
        .expect("demo data");
    let dept = sqlx::query("select id, credit_code from departments where code = 'scjg'")
        .fetch_one(store.pool())
        .await
        .expect("department");
    let (dept_id, authority): (i64, String) = (dept.get(0), dept.get(1));
    sheet_phases(&store, &dir, kind, rows, dept_id, &authority, today).await;
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
    println!(
        "baseline (plain prepared inserts of the same columns into the same tables, one transaction): {:.1} s ({:.0} rows/s), peak RSS {:.0} MB",
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
    let after = serde_json::json!({
        "CF_WFXW": VIOLATION, "CF_SY": p.facts, "CF_YJ": BASIS,
        "CF_CFLB": "罚款", "CF_NR": p.content, "CF_NR_FK": p.fine_fen.to_string(),
        "CF_NR_WFFF": null, "CF_NR_ZKDX": null, "CF_JDRQ": p.date.to_string(),
        "CF_YXQ": null, "BZ": null,
    });
    Written {
        id,
        doc_no: p.doc_no,
        date: p.date,
        until: p.date + chrono::Days::new(3 * 365),
        summary: "罚款".into(),
        after,
    }
}

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
    let after = serde_json::json!({
        "XK_XKWS": LICENSE_DOC, "XK_XKLB": LICENSE_CATEGORY, "XK_XKZS": LICENSE_CERT,
        "XK_XKBH": l.cert_no, "XK_NR": LICENSE_CONTENT, "XK_JDRQ": l.date.to_string(),
        "XK_YXQZ": l.date.to_string(), "XK_YXQZI": l.until.to_string(), "XK_ZT": "有效",
        "BZ": null,
    });
    Written {
        id,
        doc_no: l.doc_no,
        date: l.date,
        until: l.until,
        summary: format!("{LICENSE_CATEGORY}：{LICENSE_DOC}"),
        after,
    }
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
    let subject = i - i % 2 * (i % 10 == 1) as u32;
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

fn write_license_sheet(path: &std::path::Path, rows: u32, authority: &str) {
    let file = std::fs::File::create(path).expect("sheet");
    let mut w = std::io::BufWriter::new(file);
    writeln!(
        w,
        "XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_XDR_ZJHM,XK_XKWS,XK_WSH,XK_XKLB,XK_XKZS,XK_XKBH,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG,XK_XKJGDM,ML_BM"
    )
    .expect("write");
    for i in 0..rows {
        let (subject, kind, code, id) = subject(i);
        let l = license(i);
        writeln!(
            w,
            "{},{kind},{code},{id},{LICENSE_DOC},{},{LICENSE_CATEGORY},{LICENSE_CERT},{},{LICENSE_CONTENT},{},{},{},鹤岗市市场监督管理局,{authority},scjg-license",
            subject_name(subject, SheetKind::License),
            l.doc_no,
            l.cert_no,
            l.date,
            l.date,
            l.until,
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
        "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_CFJG,CF_CFJGDM,ML_BM"
    )
    .expect("write");
    for i in rows {
        let (subject, kind, code, id) = subject(i);
        let p = penalty(i);
        writeln!(
            w,
            "{},{kind},{code},{id},{},{VIOLATION},{},{BASIS},罚款,{},{}.{:02},{},鹤岗市市场监督管理局,{authority},scjg-ordinary",
            subject_name(subject, SheetKind::Penalty),
            p.doc_no,
            p.facts,
            p.content,
            i % 5,
            i % 100,
            p.date,
        )
        .expect("write");
    }
    w.flush().expect("flush");
}
