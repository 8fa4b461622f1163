//! Publication periods counted as 民法典 arts 201–202 count them, through
//! the real router and store: a record is public through its last day and
//! the sweeper ends it the day after; the start-up step re-derives end
//! dates stored under the old count, brings back what the sweeper took out
//! a day early and says so in the change log, once. And an individual
//! business with no operator on file is never published under its whole name.

use app::domain::credit_code::check_char;
use app::domain::publication_window;
use axum::http::StatusCode;

use super::collect::{count, dept, issue_key, push_to};
use super::staff::{add_account, sign_in};
use super::{encode, portal, today, Portal};
use app::domain::staff::Role;

/// A valid credit code for the 17 characters `first17`.
fn credit_code(first17: &str) -> String {
    format!("{first17}{}", check_char(first17).unwrap())
}

/// Pushes one market-regulation penalty (ordinary item: 3 to 12 months)
/// through the collection API; returns its id.
async fn push_penalty(p: &Portal, subject: &str, decided: &str, doc: &str) -> i64 {
    let d = dept(p).await;
    add_account(p, "boss", Role::Admin, None).await;
    let boss = sign_in(p, "boss").await;
    let key = issue_key(p, &boss, d.id).await;
    let body = format!(
        r#"{{"records":[{{{subject},"CF_WSH":"{doc}","CF_WFXW":"销售不合格产品","CF_SY":"经查","CF_YJ":"《产品质量法》","CF_CFLB":"罚款","CF_NR":"罚款","CF_NR_FK":0.5,"CF_JDRQ":"{decided}","CF_CFJG":"{}","CF_CFJGDM":"{}","ML_BM":"scjg-ordinary"}}]}}"#,
        d.name, d.credit_code
    );
    let answer = push_to(p, "/api/v1/collect/penalties", &key, &body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(json["taken"], 1, "{}", answer.body);
    p.rows(&format!("select id from penalties where doc_no = '{doc}'"))
        .await[0]
        .get(0)
}

/// An organisation decided on against a year ago today: its one-year
/// period ends today.
async fn ending_today(p: &Portal) -> (i64, &'static str) {
    let doc = "鹤市监罚〔2025〕901号";
    let subject = format!(
        r#""CF_XDR_MC":"鹤岗市期限测试有限公司（演示）","CF_XDR_LB":"法人及非法人组织","CF_XDR_SHXYM":"{}""#,
        credit_code("91230402MA0000001")
    );
    (push_penalty(p, &subject, "2025-11-26", doc).await, doc)
}

async fn stored_until(p: &Portal, id: i64) -> Option<String> {
    p.rows(&format!(
        "select until from public_entries where record_kind = 'penalty' and record_id = {id}"
    ))
    .await
    .first()
    .map(|r| r.get(0))
}

#[tokio::test]
async fn a_record_is_public_through_its_last_day_and_ended_the_day_after() {
    let p = portal().await;
    let (id, doc) = ending_today(&p).await;
    assert_eq!(stored_until(&p, id).await.as_deref(), Some("2026-11-26"));
    let (status, html) = p.get(&format!("/penalties/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("2026年11月26日"),
        "the last public day is shown"
    );
    let (_, html) = p.get(&format!("/search?q={}", encode(doc))).await;
    assert!(html.contains(&format!("/penalties/{id}\"")));

    // The sweeper of the last day leaves it; the next day's takes it out.
    p.backend.public.sweep_ended(today()).await.unwrap();
    assert!(stored_until(&p, id).await.is_some());
    p.backend
        .public
        .sweep_ended(today().succ_opt().unwrap())
        .await
        .unwrap();
    assert_eq!(stored_until(&p, id).await, None);
    let ended = count(
        &p,
        &format!(
            "select count(*) from record_changes
             where record_kind = 'penalty' and record_id = {id} and change = 'ended'"
        ),
    )
    .await;
    assert_eq!(ended, 1);
}

#[tokio::test]
async fn the_start_up_step_re_derives_old_end_dates_once_and_logs_them() {
    // Data steps correct what earlier SQLite versions wrote: a PostgreSQL
    // database starts from the current schema and count, and runs none.
    if super::db::sqlite_only("data steps correcting old SQLite end dates") {
        return;
    }
    let p = portal().await;
    let (id, doc) = ending_today(&p).await;
    // The database as the old count left it: every end a day earlier, and
    // the sweeper has run today.
    p.db.exec(
        "update public_entries set until = date(until, '-1 day')
         where record_kind in ('penalty', 'license')",
    )
    .await;
    p.backend.public.sweep_ended(today()).await.unwrap();
    assert_eq!(stored_until(&p, id).await, None);
    let projected = count(
        &p,
        "select count(*) from public_entries where record_kind in ('penalty', 'license')",
    )
    .await;
    let logged_before = count(&p, "select count(*) from record_changes").await;

    let outcomes = p.backend.run_data_steps(today()).await.unwrap();
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");

    // Back in public view through today, found by its number.
    assert_eq!(stored_until(&p, id).await.as_deref(), Some("2026-11-26"));
    let (_, html) = p.get(&format!("/search?q={}", encode(doc))).await;
    assert!(html.contains(&format!("/penalties/{id}\"")));
    // Every stored end is the domain's, and each one moved is logged with
    // the convention before and after.
    let rows = p
        .rows("select record_kind, record_id, until from public_entries where record_kind in ('penalty', 'license')")
        .await;
    assert!(rows.len() as i64 > projected);
    for row in &rows {
        let (kind, record, until): (String, i64, chrono::NaiveDate) =
            (row.get(0), row.get(1), row.get(2));
        let (decided, rules) = if kind == "penalty" {
            let r = p.backend.public.penalty(record).await.unwrap().unwrap();
            (r.decision_date, r.rules)
        } else {
            let r = p.backend.public.license(record).await.unwrap().unwrap();
            (r.decision_date, r.rules)
        };
        assert_eq!(
            publication_window(decided, &rules).unwrap().until,
            until,
            "{kind} {record}"
        );
    }
    let logged = count(&p, "select count(*) from record_changes").await;
    assert_eq!(logged - logged_before, rows.len() as i64);
    let line = &p
        .rows(&format!(
            "select before, after, actor from record_changes
             where record_kind = 'penalty' and record_id = {id} and change = 'corrected'"
        ))
        .await[0];
    let before: serde_json::Value = serde_json::from_str(&line.get::<String, _>(0)).unwrap();
    let after: serde_json::Value = serde_json::from_str(&line.get::<String, _>(1)).unwrap();
    assert_eq!(line.get::<String, _>(2), "system");
    assert_eq!(before["CF_GSJZQ"], serde_json::Value::Null);
    assert!(before["period_convention"]
        .as_str()
        .unwrap()
        .contains("再减一日"));
    assert_eq!(after["CF_GSJZQ"], "2026-11-26");
    assert!(after["period_convention"]
        .as_str()
        .unwrap()
        .contains("民法典"));
    let moved = &p
        .rows(
            "select before, after from record_changes
             where change = 'corrected' and actor = 'system' and before like '%-%'
             limit 1",
        )
        .await[0];
    let before: serde_json::Value = serde_json::from_str(&moved.get::<String, _>(0)).unwrap();
    let after: serde_json::Value = serde_json::from_str(&moved.get::<String, _>(1)).unwrap();
    let day = |v: &serde_json::Value| {
        let field = v
            .get("CF_GSJZQ")
            .or_else(|| v.get("公示截止期"))
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();
        chrono::NaiveDate::parse_from_str(&field, "%Y-%m-%d").unwrap()
    };
    assert_eq!(day(&before).succ_opt().unwrap(), day(&after));

    // Recorded: a second start does nothing.
    assert_eq!(
        p.backend.run_data_steps(today()).await.unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        count(&p, "select count(*) from record_changes").await,
        logged
    );
    assert_eq!(count(&p, "select count(*) from data_steps").await, 2);
}

#[tokio::test]
async fn an_individual_business_without_an_operator_is_never_published_whole() {
    let p = portal().await;
    let name = "向阳区张三水果店";
    let code = credit_code("92230402MA0000001");
    let subject =
        format!(r#""CF_XDR_MC":"{name}","CF_XDR_LB":"个体工商户","CF_XDR_SHXYM":"{code}""#);
    let doc = "鹤市监罚〔2026〕911号";
    let id = push_penalty(&p, &subject, "2026-10-01", doc).await;
    let representative: Option<String> = p
        .rows(&format!(
            "select s.representative from penalties p join subjects s on s.id = p.subject_id
             where p.id = {id}"
        ))
        .await[0]
        .get(0);
    assert_eq!(representative, None, "no operator on file");

    let masked = "向阳区张***店";
    let (status, html) = p.get(&format!("/penalties/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(masked), "{html}");
    let (status, html) = p.get(&format!("/subjects/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(masked));
    let link = format!("/penalties/{id}\"");
    for q in [doc, code.as_str()] {
        let (status, html) = p.get(&format!("/search?q={}", encode(q))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&link) && html.contains(masked), "search {q}");
        assert!(!html.contains("张三"), "search {q} shows the name");
    }
    // Nor can the name be searched for (the page repeats the query itself).
    for q in [name, "张三水果店", "张三"] {
        let (_, html) = p.get(&format!("/search?q={}", encode(q))).await;
        assert!(!html.contains(&link), "found by {q}");
    }
    for page in [format!("/penalties/{id}"), format!("/subjects/{code}")] {
        assert!(!p.get(&page).await.1.contains("张三"), "{page}");
    }

    // A projection row written under the old rule (the name whole) is
    // masked by the start-up step: a correction of old SQLite data
    // (PostgreSQL runs no data steps).
    if super::db::sqlite_only("the data step masking old SQLite projection rows") {
        return;
    }
    p.db.exec(&format!(
        "update public_entries set name = '{name}', name_norm = '{name}'
         where record_id = {id} and record_kind = 'penalty'"
    ))
    .await;
    p.backend.run_data_steps(today()).await.unwrap();
    let (_, html) = p.get(&format!("/search?q={}", encode(doc))).await;
    assert!(!html.contains("张三") && html.contains(masked));
}
