//! Import benchmark: a 100,000-row penalty (or licence) sheet through the
//! real pipeline.
//!
//! ```text
//! cargo run --release -p server --bin bench_import -- [--rows 100000] [--kind penalty|license] [--dir /tmp/hegang-import-bench]
//! ```
//! Creates a fresh database with the small demo data set, writes a sheet of
//! `--rows` valid penalties (or licences) of the market regulator (a tenth
//! of them natural persons, every tenth subject delivered twice), then
//! times the dry run and the commit (one transaction) and prints rows per
//! second.

use std::io::Write;
use std::time::Instant;

use app::domain::credit_code::check_char;
use app::domain::id_number;
use chrono::NaiveDate;
use server::collect::import::{self, Mode};
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

async fn run(rows: u32, dir: std::path::PathBuf, licences: bool) {
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
    let store = SqliteStore::connect(&format!("sqlite://{}/bench.db", dir.display()))
        .await
        .expect("database");
    server::demo::generate(&store, 1500, today, false)
        .await
        .expect("demo data");
    let dept = sqlx::query("select id, credit_code from departments where code = 'scjg'")
        .fetch_one(store.pool())
        .await
        .expect("department");
    let (dept_id, authority): (i64, String) = (dept.get(0), dept.get(1));

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

    for mode in [Mode::DryRun, Mode::Commit] {
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
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{mode:?}: {secs:.1} s ({:.0} rows/s) taken {} updated {} refused {} committed {}",
            f64::from(rows) / secs,
            summary.taken,
            summary.updated,
            summary.refused,
            summary.committed
        );
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
    let start = NaiveDate::from_ymd_opt(2025, 12, 1).expect("date");
    for i in 0..rows {
        let (subject, kind, code, id) = subject(i);
        let date = start + chrono::Days::new(u64::from(i % 300));
        writeln!(
            w,
            "鹤岗市导入测试{subject}号商贸有限公司（演示）,{kind},{code},{id},鹤市监罚〔2026〕{}号,销售不合格产品,经查当事人销售不合格产品，货值金额{}元,《产品质量法》第四十九条,罚款,罚款{}元,{}.{:02},{date},鹤岗市市场监督管理局,{authority},scjg-ordinary",
            100_000 + i,
            i % 9000 + 100,
            i % 900 + 100,
            i % 5,
            i % 100,
        )
        .expect("write");
    }
    w.flush().expect("flush");
}
