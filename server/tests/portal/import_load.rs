//! A large import beside the portal's other writes. While a 50,000-row
//! penalty sheet is committed, staff log in, citizens start repair
//! applications and look up their applications (each of them a write):
//! none is answered with a database error, and the import still commits
//! every row. A client that goes away in the middle of a commit leaves the
//! delivery whole or not at all, a log line and an entry in the access
//! register saying what happened.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use app::domain::credit_code::check_char;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::collect::{clerk, count, dept, token_of, upload, Dept};
use super::repair::eligible_record;
use super::staff::{add_account, login_as, PASSWORD};
use super::{portal, Portal};

/// Rows of the large sheet beside everyday writes (one correction of a
/// record the department delivered before, the rest new): before imports
/// were staged its commit held the write lock for well over the 10 s
/// busy timeout in a debug build.
const ROWS: u32 = 50_000;

/// Rows of the sheet whose client leaves mid-commit.
const LEAVING_ROWS: u32 = 20_000;

/// A valid credit code for load-test subject `n`.
fn credit_code(n: u32) -> String {
    let first17 = format!("91230407{n:09}");
    let check = check_char(&first17).expect("check char");
    format!("{first17}{check}")
}

/// A sheet of `rows` valid penalties of the department: the first row
/// corrects `d.existing_doc_no`, every tenth subject appears twice.
fn large_sheet(d: &Dept, rows: u32) -> String {
    let mut sheet = String::from(
        "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_XDR_ZJHM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_CFJG,CF_CFJGDM,ML_BM,BZ\n",
    );
    for i in 0..rows {
        let subject = i - i % 2 * u32::from(i % 10 == 1);
        let doc = if i == 0 {
            d.existing_doc_no.clone()
        } else {
            format!("鹤市监罚〔2026〕{}号", 300_000 + i)
        };
        let day = 1 + i % 28;
        sheet.push_str(&format!(
            "鹤岗市负载测试{subject}号商贸有限公司（演示）,法人及非法人组织,{},,{doc},销售不合格产品,经查当事人销售不合格产品，货值金额{}元,《产品质量法》第四十九条,罚款,罚款{}元,0.{:02},2026-10-{day:02},鹤岗市市场监督管理局,{},scjg-ordinary,{}\n",
            credit_code(subject),
            i % 9000 + 100,
            i % 900 + 100,
            i % 100,
            d.credit_code,
            if i == 0 { "负载测试更正" } else { "" },
        ));
    }
    sheet
}

/// The commit request of upload `token`, as the clerk's browser sends it.
fn commit_request(token: &str, cookie: &str, csrf: &str) -> Request<Body> {
    Request::post(format!("/admin/import/{token}/commit"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(format!("_csrf={csrf}")))
        .unwrap()
}

/// One round of the portal's everyday writes, each from its own client
/// address: a staff login (a session and a register entry), the start of
/// a repair application (a draft) and a tracking lookup with a wrong code
/// (a counted failure). Returns what each was answered and how long it took.
async fn everyday_writes(
    p: &Portal,
    round: u32,
    record: i64,
) -> Vec<(&'static str, StatusCode, Duration)> {
    let from = |n: u32| {
        ConnectInfo(SocketAddr::new(
            format!("10.{}.{}.{}", n / 65_536 % 256, n / 256 % 256, n % 256)
                .parse()
                .unwrap(),
            40000,
        ))
    };
    let mut answers = Vec::new();

    let started = Instant::now();
    let login = login_as(p, "desk", PASSWORD).await;
    answers.push(("staff login", login.status, started.elapsed()));

    let started = Instant::now();
    let start = p
        .send(
            Request::post(format!("/repair/apply/{record}/start"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .extension(from(3 * round + 1))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    answers.push(("repair draft start", start.status, started.elapsed()));

    let started = Instant::now();
    let track = p
        .send(
            Request::post("/repair/track")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .extension(from(3 * round + 2))
                .body(Body::from("number=XF2026010100001&code=2345-6789-ABCD"))
                .unwrap(),
        )
        .await;
    answers.push(("tracking lookup", track.status, started.elapsed()));
    answers
}

async fn body_text(response: axum::response::Response) -> (StatusCode, String) {
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_import_does_not_make_the_portals_other_writes_fail() {
    let p = portal().await;
    let d = dept(&p).await;
    let m = clerk(&p, &d).await;
    add_account(&p, "desk", app::domain::staff::Role::Auditor, None).await;
    let (record, _) = eligible_record(&p).await;
    let before = count(&p, "select count(*) from penalties").await;

    let sheet = large_sheet(&d, ROWS);
    let dry = upload(&p, &m, "large.csv", sheet.as_bytes()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    let expected = format!("可新增 {} 条，可更正 1 条，拒收 0 条", ROWS - 1);
    assert!(dry.body.contains(&expected), "{}", dry.body);
    let token = token_of(&dry.body);

    let router = p.router();
    let request = commit_request(&token, &m.cookie, &m.csrf);
    let started = Instant::now();
    let commit =
        tokio::spawn(async move { body_text(router.oneshot(request).await.unwrap()).await });

    // The portal's other writes go on while the commit runs.
    let mut rounds = 0;
    let mut slowest = Duration::ZERO;
    let mut failures = Vec::new();
    while !commit.is_finished() {
        rounds += 1;
        for (what, status, took) in everyday_writes(&p, rounds, record).await {
            slowest = slowest.max(took);
            let expected = match what {
                "tracking lookup" => StatusCode::NOT_FOUND,
                _ => StatusCode::SEE_OTHER,
            };
            if status != expected {
                failures.push(format!(
                    "round {rounds}: {what} answered {status} after {took:?}"
                ));
            }
        }
    }
    let (status, body) = commit.await.unwrap();
    let took = started.elapsed();
    assert!(
        failures.is_empty(),
        "writes beside a {ROWS}-row import failed (commit took {took:?}): {failures:#?}"
    );
    assert!(
        rounds >= 3,
        "the other writes should have run while the commit ran ({rounds} rounds in {took:?})"
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    let done = format!("已入库：新增 {} 条，更正 1 条；拒收 0 条", ROWS - 1);
    assert!(body.contains(&done), "{body}");
    assert_eq!(
        count(&p, "select count(*) from penalties").await,
        before + i64::from(ROWS) - 1
    );
    assert_eq!(
        count(
            &p,
            "select count(*) from penalties where note = '负载测试更正'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &p,
            "select count(*) from public_entries e join penalties p on p.id = e.record_id
             where e.record_kind = 'penalty' and p.doc_no like '鹤市监罚〔2026〕3_____号'"
        )
        .await,
        i64::from(ROWS) - 1,
        "every new record is public"
    );
    eprintln!(
        "{ROWS}-row commit took {took:?}; {rounds} rounds of other writes, the slowest {slowest:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_leaves_mid_commit_leaves_a_whole_import_a_log_line_and_a_register_entry() {
    super::capture_logs();
    let p = portal().await;
    let d = dept(&p).await;
    let m = clerk(&p, &d).await;
    let before = count(&p, "select count(*) from penalties").await;
    let deliveries = count(&p, "select count(*) from deliveries").await;
    let sheet = large_sheet(&d, LEAVING_ROWS);
    let dry = upload(&p, &m, "large.csv", sheet.as_bytes()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    let token = token_of(&dry.body);

    let router = p.router();
    let request = commit_request(&token, &m.cookie, &m.csrf);
    let commit =
        tokio::spawn(async move { body_text(router.oneshot(request).await.unwrap()).await });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!commit.is_finished(), "the commit should still be running");
    assert_eq!(
        count(&p, "select count(*) from deliveries").await,
        deliveries,
        "not committed yet"
    );
    // The client goes away: the request's future is dropped.
    commit.abort();
    assert!(commit.await.unwrap_err().is_cancelled());

    // What happened is registered (the import ran to its end, or was
    // abandoned), and the database holds the delivery whole or not at all.
    let deadline = Instant::now() + Duration::from_secs(90);
    let entry = loop {
        let chain = p.backend.staff.audit_chain().await.unwrap();
        if let Some(e) = chain.into_iter().find(|e| e.target.contains(&token)) {
            break e;
        }
        assert!(
            Instant::now() < deadline,
            "no register entry names the interrupted import {token}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        entry.purpose.contains("断开"),
        "the entry says the client left: {entry:?}"
    );
    let penalties = count(&p, "select count(*) from penalties").await;
    let corrected = count(
        &p,
        "select count(*) from penalties where note = '负载测试更正'",
    )
    .await;
    let delivered = count(&p, "select count(*) from deliveries").await;
    if delivered > deliveries {
        assert_eq!(penalties, before + i64::from(LEAVING_ROWS) - 1, "all rows");
        assert_eq!(corrected, 1, "the correction with them");
        assert!(
            entry
                .purpose
                .contains(&format!("新增 {} 条", LEAVING_ROWS - 1)),
            "{entry:?}"
        );
    } else {
        assert_eq!(penalties, before, "or none");
        assert_eq!(corrected, 0);
    }
    assert_eq!(
        count(
            &p,
            "select count(*) from record_changes where change = 'new' and record_id in
               (select id from penalties where doc_no like '鹤市监罚〔2026〕3_____号')"
        )
        .await,
        penalties - before,
        "the change log agrees with the records"
    );
    let logs = super::logs();
    assert!(
        logs.lines()
            .any(|l| l.contains(&token) && l.contains("disconnected")),
        "a log line names the import and the disconnect:\n{logs}"
    );
}
