//! `/transparency` and its JSON: figures counted from a fixture of cases
//! with answers worked out by hand, a case made through the portal itself,
//! refused periods, and what a stranger can (not) get out of it.

use std::sync::Arc;

use app::domain::staff::Role;
use app::domain::working_days::china_date;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use serde_json::Value;

use super::repair::{eligible_record, submit_application};
use super::staff::{add_account, sign_in};
use super::{portal, portal_on, portal_with, Portal};

const DEPT: &str = "鹤岗市透明度演示局";
/// The fixture's applicants: never on a public page.
const APPLICANT: &str = "透明度申请人甲";
const PHONE: &str = "13900009999";

/// A department of the fixture's own, so the demo data cannot change its
/// figures; returns its id.
async fn fixture_department(p: &Portal) -> i64 {
    p.db.exec(&format!(
        "insert into departments (code, name, short_name, credit_code, division_code)
         select 'trdemo', '{DEPT}', '鹤透', credit_code, division_code from departments
         order by id limit 1"
    ))
    .await;
    p.rows("select id from departments where code = 'trdemo'")
        .await[0]
        .get(0)
}

/// `at` 10:00 China time on `day`.
fn at(day: &str) -> String {
    format!("{day}T02:00:00.000Z")
}

/// A repair application of the fixture with its steps: (action, day,
/// deadline the step set).
async fn repair(
    p: &Portal,
    id: i64,
    dept: i64,
    record: i64,
    state: &str,
    steps: &[(&str, &str, Option<&str>)],
) {
    p.db.exec(&format!(
        "insert into repair_applications (id, number, tracking_hash, record_kind, record_id,
             department_id, state, applicant_kind, applicant_name, contact_phone, identity_checked,
             pledge_text, pledge_signed_name, submitted_at)
         values ({id}, 'XFTR{id}', 'x', 'penalty', {record}, {dept}, '{state}', 'subject',
             '{APPLICANT}', '{PHONE}', 'credit_code', '承诺', '{APPLICANT}', '{}')",
        at(steps[0].1)
    ))
    .await;
    for (action, day, deadline) in steps {
        let deadline = deadline.map_or("null".to_string(), |d| format!("'{d}'"));
        p.db.exec(&format!(
            "insert into repair_events (application_id, at, actor, action, to_state, deadline)
             values ({id}, '{}', 'staff', '{action}', '{state}', {deadline})",
            at(day)
        ))
        .await;
    }
}

async fn objection(
    p: &Portal,
    id: i64,
    dept: i64,
    record: i64,
    subject: i64,
    state: &str,
    steps: &[(&str, &str, Option<&str>)],
) {
    p.db.exec(&format!(
        "insert into objections (id, number, tracking_hash, record_kind, record_id, department_id,
             subject_id, state, grounds, explanation, objector_kind, objector_name, contact_phone,
             identity_checked, pledge_text, pledge_signed_name, submitted_at)
         values ({id}, 'YYTR{id}', 'x', 'penalty', {record}, {dept}, {subject}, '{state}', 'wrong',
             '说明', 'subject', '{APPLICANT}', '{PHONE}', 'credit_code', '承诺', '{APPLICANT}', '{}')",
        at(steps[0].1)
    ))
    .await;
    for (action, day, deadline) in steps {
        let deadline = deadline.map_or("null".to_string(), |d| format!("'{d}'"));
        p.db.exec(&format!(
            "insert into objection_events (objection_id, at, actor, action, to_state, deadline)
             values ({id}, '{}', 'staff', '{action}', '{state}', {deadline})",
            at(day)
        ))
        .await;
    }
}

async fn figures(p: &Portal, query: &str) -> (StatusCode, Value) {
    let (status, body) = p.get(&format!("/api/v1/public/transparency{query}")).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn department<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["department"] == name)
        .unwrap_or_else(|| panic!("{name} not in {v}"))
}

/// The unit test's fixture (`domain::transparency`) stored in the
/// database, answered by the page and the API. Today is 2026-11-26.
#[tokio::test]
async fn figures_are_counted_from_the_stored_cases_with_known_answers() {
    let p = portal().await;
    let dept = fixture_department(&p).await;
    let records = p
        .rows("select id, subject_id from penalties order by id limit 7")
        .await;
    let record = |i: usize| -> (i64, i64) { (records[i].get(0), records[i].get(1)) };
    // Received in September (outside the period), decided in October in
    // time: 7 working days (National Day holiday, Saturday 10-10 worked).
    repair(
        &p,
        900001,
        dept,
        record(0).0,
        "approved",
        &[
            ("submit", "2026-09-28", Some("2026-09-30")),
            ("accept", "2026-09-29", Some("2026-10-20")),
            ("approve", "2026-10-13", None),
        ],
    )
    .await;
    // October, in time, 2 working days.
    repair(
        &p,
        900002,
        dept,
        record(1).0,
        "rejected",
        &[
            ("submit", "2026-10-19", Some("2026-10-22")),
            ("reject", "2026-10-21", None),
        ],
    )
    .await;
    // Received in October, decided late in November: 14 working days.
    repair(
        &p,
        900003,
        dept,
        record(2).0,
        "approved",
        &[
            ("submit", "2026-10-26", Some("2026-10-29")),
            ("accept", "2026-10-28", Some("2026-11-11")),
            ("approve", "2026-11-13", None),
        ],
    )
    .await;
    // Withdrawn in November.
    repair(
        &p,
        900004,
        dept,
        record(3).0,
        "withdrawn",
        &[
            ("submit", "2026-11-02", Some("2026-11-05")),
            ("withdraw", "2026-11-03", None),
        ],
    )
    .await;
    // Open; acceptance was due 11-24: overdue today.
    repair(
        &p,
        900005,
        dept,
        record(4).0,
        "submitted",
        &[("submit", "2026-11-20", Some("2026-11-24"))],
    )
    .await;
    // An objection received in October, decided in time in November
    // (5 working days), and one received in August, decided late in
    // October (44 working days).
    let (r, s) = record(5);
    objection(
        &p,
        900001,
        dept,
        r,
        s,
        "decided_kept",
        &[
            ("submit", "2026-10-30", Some("2026-11-02")),
            ("accept", "2026-11-02", Some("2026-11-09")),
            ("decide_kept", "2026-11-06", None),
        ],
    )
    .await;
    let (r, s) = record(6);
    objection(
        &p,
        900002,
        dept,
        r,
        s,
        "decided_deleted",
        &[
            ("submit", "2026-08-03", Some("2026-08-04")),
            ("accept", "2026-08-04", Some("2026-08-11")),
            ("decide_deleted", "2026-10-09", None),
        ],
    )
    .await;
    // Deliveries: 10 of 40 rows late in November; August's are outside.
    for (day, taken, late) in [("2026-11-10", 40, 10), ("2026-08-10", 9, 9)] {
        p.db.exec(&format!(
            "insert into deliveries (department_id, at, channel, actor, taken, updated, refused, late)
             values ({dept}, '{}', 'sheet', 'fixture', {taken}, 0, 0, {late})",
            at(day)
        ))
        .await;
    }

    let (status, v) = figures(&p, "?from=2026-10&to=2026-11").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2026-10"), Some("2026-11"))
    );
    let d = department(&v, DEPT);
    let repair = &d["figures"]["repair"];
    assert_eq!(repair["received"], 4);
    assert_eq!(repair["decided"], 3);
    assert_eq!(repair["closed_without_decision"], 1);
    assert_eq!(repair["decided_within_limit"], 2);
    assert_eq!(repair["share_within_limit"], 66.7);
    assert_eq!(repair["median_working_days"], 7.0);
    assert_eq!(d["overdue_open_repairs"], 1);
    let objection = &d["figures"]["objection"];
    assert_eq!(objection["received"], 1);
    assert_eq!(objection["decided"], 2);
    assert_eq!(objection["share_within_limit"], 50.0);
    assert_eq!(objection["median_working_days"], 24.5);
    let deliveries = &d["figures"]["deliveries"];
    assert_eq!(
        (
            deliveries["rows"].as_u64(),
            deliveries["late_rows"].as_u64()
        ),
        (Some(40), Some(10))
    );
    assert_eq!(deliveries["share_late"], 25.0);
    // The department's months.
    let month = |m: &str| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["department"] == DEPT && r["month"] == m)
            .unwrap()["figures"]["repair"]
            .clone()
    };
    assert_eq!(
        (
            month("2026-10")["received"].as_u64(),
            month("2026-10")["decided"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(month("2026-10")["median_working_days"], 4.5);
    assert_eq!(
        (
            month("2026-11")["received"].as_u64(),
            month("2026-11")["decided"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(month("2026-11")["share_within_limit"], 0.0);

    // The page shows the same, with a chart and a table for each part,
    // and nothing of the applicants.
    let (status, html) = p.get("/transparency?from=2026-10&to=2026-11").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(DEPT) && html.contains("66.7%") && html.contains("24.5"));
    assert!(html.matches("<svg").count() >= 4, "charts");
    assert!(html.matches("<table").count() >= 6, "tables");
    assert!(html.contains("演示数据"));
    for (status, body) in [
        (status, html),
        p.get("/api/v1/public/transparency?from=2026-10&to=2026-11")
            .await,
    ] {
        assert_eq!(status, StatusCode::OK);
        assert!(
            !body.contains(APPLICANT) && !body.contains(PHONE),
            "personal data"
        );
    }
    // Twelve months to this one when none is asked for.
    let (status, v) = figures(&p, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2025-12"), Some("2026-11"))
    );
    assert_eq!(v["months"].as_array().unwrap().len(), 12);
    assert_eq!(department(&v, DEPT)["figures"]["objection"]["received"], 2);
}

/// A repair application made and decided through the portal's own forms
/// is counted, in the month it happened (today: the real day, as the
/// steps are stamped with the real time).
#[tokio::test]
async fn a_case_made_through_the_portal_is_counted() {
    let p = portal_on(china_date(chrono::Utc::now())).await;
    let (record, code) = eligible_record(&p).await;
    let (number, _) = submit_application(&p, record, &code).await;
    let app = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    add_account(&p, "reviewer", Role::Reviewer, Some(app.department_id)).await;
    let reviewer = sign_in(&p, "reviewer").await;
    let decide = format!("/admin/repairs/{number}/decide");
    assert_eq!(
        reviewer
            .decide(&p, &decide, "submitted", "accept", &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        reviewer
            .decide(&p, &decide, "accepted", "approve", &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let name: String = p
        .rows(&format!(
            "select name from departments where id = {}",
            app.department_id
        ))
        .await[0]
        .get(0);
    let (status, v) = figures(&p, "").await;
    assert_eq!(status, StatusCode::OK);
    let repair = &department(&v, &name)["figures"]["repair"];
    assert_eq!(
        (repair["received"].as_u64(), repair["decided"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(repair["share_within_limit"], 100.0);
    assert_eq!(repair["median_working_days"], 0.0);
    let this_month = v["months"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(this_month["figures"]["repair"]["decided"], 1);
}

/// Bad periods are refused with the field and the fix named, on the page
/// and in the API; the routes take no writes and no cross-site requests
/// change anything (there is nothing to change).
#[tokio::test]
async fn bad_periods_are_refused_and_strangers_get_only_the_public_figures() {
    let p = portal().await;
    for (query, said) in [
        ("?from=2026-13", "统计起始月份格式有误"),
        ("?to=2026-1x", "统计截止月份格式有误"),
        ("?to=2026-12", "不能晚于本月"),
        ("?from=2024-11&to=2026-11", "最长 24 个月"),
        ("?from=2026-11&to=2026-10", "起始月份晚于截止月份"),
        ("?from=%3Cscript%3E", "统计起始月份格式有误"),
    ] {
        let (status, html) = p.get(&format!("/transparency{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(html.contains(said), "{query}: {said}");
        assert!(!html.contains("<script>"), "{query}: echoed as markup");
        assert!(html.contains("name=\"from\""), "{query}: the form stays");
        let (status, v) = figures(&p, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(v["error"].as_str().unwrap().contains(said), "{query}: {v}");
    }
    let (status, v) = figures(&p, "?from=a&from=b").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    // Not a thing to post to.
    let post = p
        .send(
            Request::post("/api/v1/public/transparency")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    // Cross-site with a cookie of someone else: the same public answer.
    let cross = p
        .send(
            Request::get("/api/v1/public/transparency")
                .header("origin", "https://evil.example")
                .header("cookie", "hegang_staff=forged")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(cross.status, StatusCode::OK);
    assert!(cross.headers.get("access-control-allow-origin").is_none());
    // An answer carries its ETag; the same figures again are a 304.
    let etag = cross.headers["etag"].to_str().unwrap().to_string();
    let again = p
        .send(
            Request::get("/api/v1/public/transparency")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

/// Each request counts the figures afresh (from a reading at most a
/// minute old): a script asking in a loop meets the per-client limit.
#[tokio::test]
async fn asking_in_a_loop_meets_the_limit() {
    let limiter = server::limits::RateLimiter::new(
        "pages",
        server::limits::Rate::per_minute(20).unwrap(),
        Arc::new(server::limits::MemoryBuckets::default()),
    );
    let p = portal_with(server::router::Edge {
        limits: server::limits::PublicLimits {
            search: None,
            pages: Some(limiter),
            reports: None,
        },
        ..Default::default()
    })
    .await;
    let from = |ip: &str| ConnectInfo(std::net::SocketAddr::new(ip.parse().unwrap(), 40000));
    let ask = |path: &str, ip: &str| {
        Request::get(path)
            .extension(from(ip))
            .body(Body::empty())
            .unwrap()
    };
    let mut answered = 0;
    for i in 0..40 {
        let path = if i % 2 == 0 {
            "/transparency"
        } else {
            "/api/v1/public/transparency"
        };
        let a = p.send(ask(path, "10.0.0.7")).await;
        if a.status == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        assert_eq!(a.status, StatusCode::OK);
        answered += 1;
    }
    assert!(answered < 40, "never limited");
    assert_eq!(
        p.send(ask("/transparency", "10.0.0.8")).await.status,
        StatusCode::OK,
        "another client"
    );
}
