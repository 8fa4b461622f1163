//! Import benchmark: a 100,000-row penalty (or licence) sheet through the
//! real pipeline, against a baseline of plain inserts, in one process and
//! one run.
//!
//! ```text
//! cargo run --release -p server --bin bench_import -- [--rows 100000] [--kind penalty|license] [--dir /tmp/hegang-import-bench]
//! ```
//! Creates two fresh databases with the small demo data set and writes a
//! sheet of `--rows` valid penalties (or licences) of the market regulator
//! (a tenth of them natural persons, every tenth subject delivered twice).
//! In the first database it times the dry run and the commit (staged in
//! chunks, published in one transaction) and reports how long the commit
//! held the write lock at most. For penalties, in the second database it
//! times the baseline: the same rows' columns written with plain prepared
//! inserts — subject, penalty, rule link, projection row, index entry,
//! change-log entry — in one transaction, with nothing checked or looked
//! up. It prints both times, the ratios (targets: commit ≤ 3× the
//! baseline, dry run ≤ 1.5×) and the peak resident memory of each phase.

use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};

use app::domain::credit_code::check_char;
use app::domain::id_number;
use app::domain::SubjectKind;
use app::model::RecordKind;
use chrono::NaiveDate;
use server::collect::import::{self, Mode};
use server::store::projection;
use server::store::SqliteStore;
use sqlx::Row;

fn main() {
    let mut rows: u32 = 100_000;
    let mut dir = std::path::PathBuf::from("/tmp/hegang-import-bench");
    let mut licences = false;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--rows" => rows = value.parse().expect("--rows takes a number"),
            "--dir" => dir = value.into(),
            "--kind" => licences = value == "license",
            other => panic!("unknown flag {other}"),
        }
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(run(rows, dir, licences));
}

/// Starts measuring a phase's peak resident memory (Linux: resets the
/// high-water mark to the current size).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident memory since [`reset_peak`], in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
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

async fn run(rows: u32, dir: std::path::PathBuf, licences: bool) {
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let (store, dept_id, authority) = database(&dir, "bench.db", today).await;

    let sheet = dir.join("sheet.csv");
    let started = Instant::now();
    if licences {
        write_license_sheet(&sheet, rows, &authority);
    } else {
        write_sheet(&sheet, rows, &authority);
    }
    let size = std::fs::metadata(&sheet).map(|m| m.len()).unwrap_or(0);
    println!(
        "sheet: {rows} rows, {:.1} MB, written in {:.1} s",
        size as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );

    let mut times = HashMap::new();
    // The sheet committed a second time is a correction of every record.
    for (phase, mode) in [
        ("dry run", Mode::DryRun),
        ("commit", Mode::Commit),
        ("commit again", Mode::Commit),
    ] {
        reset_peak();
        let started = Instant::now();
        let summary = import::run_sheet(
            &store,
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
        times.entry(format!("{mode:?}")).or_insert(took);
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
    }
    if licences {
        println!("(the baseline is for penalty sheets)");
        return;
    }
    drop(store);
    let (store, dept_id, _) = database(&dir, "baseline.db", today).await;
    reset_peak();
    let baseline = baseline(&store, rows, dept_id).await;
    println!(
        "baseline (plain prepared inserts of the same columns into the same tables, one transaction): {:.1} s, peak RSS {:.0} MB",
        baseline.as_secs_f64(),
        peak_mb()
    );
    let ratio = |t: &Duration| t.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "commit / baseline: {:.2}x (target <= 3x); dry run / baseline: {:.2}x (target <= 1.5x)",
        ratio(&times["Commit"]),
        ratio(&times["DryRun"])
    );
}

/// Writes the penalty sheet's rows as plainly as the tables allow: for
/// each row, prepared inserts of the subject (the first time it appears),
/// the penalty, its rule link, its projection row and index entry, and its
/// change-log entry; then the delivery. One transaction, nothing checked
/// or looked up. Returns the time taken.
async fn baseline(store: &SqliteStore, rows: u32, dept_id: i64) -> Duration {
    let rule_id: i64 = sqlx::query(
        "select r.id from catalog_rules r join catalog_items i on i.id = r.item_id
         where i.code = 'scjg-ordinary' order by r.version limit 1",
    )
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
        let (n, kind, code, id) = subject(i);
        let p = penalty(i);
        let person = kind == "自然人";
        let name = subject_name(n);
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
        let record_id: i64 = sqlx::query(
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
        .bind(dept_id)
        .bind(dept_id)
        .bind(&at)
        .bind(true)
        .fetch_one(&mut *tx)
        .await
        .expect("penalty")
        .get(0);
        sqlx::query(
            "insert into record_rules (record_kind, record_id, rule_id) values ('penalty', ?, ?)",
        )
        .bind(record_id)
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
            projection::subject_columns(RecordKind::Penalty, dept_id, subject_kind, &name, None);
        let key = projection::sort_key(p.date, RecordKind::Penalty, record_id);
        sqlx::query(
            "insert into public_entries (sort_key, record_kind, record_id, subject_id, name,
                                         name_norm, credit_code, doc_no, department_id, department,
                                         decision_date, until, summary)
             values (?, 'penalty', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '罚款')",
        )
        .bind(key)
        .bind(record_id)
        .bind(subject_id)
        .bind(&public)
        .bind(&norm)
        .bind((!person).then_some(code.as_str()))
        .bind(&p.doc_no)
        .bind(dept_id)
        .bind(department)
        .bind(p.date)
        .bind(p.date + chrono::Days::new(3 * 365))
        .execute(&mut *tx)
        .await
        .expect("projection");
        sqlx::query("insert into public_fts (rowid, tokens) values (?, ?)")
            .bind(key)
            .bind(&tokens)
            .execute(&mut *tx)
            .await
            .expect("index");
        let after = serde_json::json!({
            "CF_XDR_MC": name, "CF_WFXW": VIOLATION, "CF_SY": p.facts, "CF_YJ": BASIS,
            "CF_CFLB": "罚款", "CF_NR": p.content, "CF_NR_FK": p.fine_fen.to_string(),
            "CF_NR_WFFF": null, "CF_NR_ZKDX": null, "CF_JDRQ": p.date.to_string(),
            "CF_YXQ": null, "BZ": null,
        })
        .to_string();
        sqlx::query(
            "insert into record_changes (at, record_kind, record_id, department_id, change, actor,
                                         after)
             values (?, 'penalty', ?, ?, 'new', 'bench', ?)",
        )
        .bind(&at)
        .bind(record_id)
        .bind(dept_id)
        .bind(after)
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

const VIOLATION: &str = "销售不合格产品";
const BASIS: &str = "《产品质量法》第四十九条";

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

fn subject_name(n: u32) -> String {
    format!("鹤岗市导入测试{n}号商贸有限公司（演示）")
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
    let start = NaiveDate::from_ymd_opt(2025, 12, 1).expect("date");
    for i in 0..rows {
        let (subject, kind, code, id) = subject(i);
        let date = start + chrono::Days::new(u64::from(i % 300));
        let until = date + chrono::Days::new(5 * 365);
        writeln!(
            w,
            "鹤岗市导入测试{subject}号食品有限公司（演示）,{kind},{code},{id},准予行政许可决定书,鹤市监许〔2026〕{}号,普通,食品经营许可证,JY{:014},预包装食品销售,{date},{date},{until},鹤岗市市场监督管理局,{authority},scjg-license",
            100_000 + i,
            i,
        )
        .expect("write");
    }
    w.flush().expect("flush");
}

fn write_sheet(path: &std::path::Path, rows: u32, authority: &str) {
    let file = std::fs::File::create(path).expect("sheet");
    let mut w = std::io::BufWriter::new(file);
    writeln!(
        w,
        "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_CFJG,CF_CFJGDM,ML_BM"
    )
    .expect("write");
    for i in 0..rows {
        let (subject, kind, code, id) = subject(i);
        let p = penalty(i);
        writeln!(
            w,
            "{},{kind},{code},{id},{},{VIOLATION},{},{BASIS},罚款,{},{}.{:02},{},鹤岗市市场监督管理局,{authority},scjg-ordinary",
            subject_name(subject),
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
