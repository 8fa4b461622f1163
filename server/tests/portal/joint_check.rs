//! The joint check and its feedback, called as a department's approval
//! system would (a check key, JSON), and the measures list behind it:
//! versions kept by the credit authority, the public page, the report.

use app::domain::staff::Role;
use axum::http::StatusCode;
use serde_json::{json, Value};

use super::collect::{issue_feed_key, issue_key, issue_scoped_key, push_to};
use super::staff::{add_account, sign_in, Member};
use super::{portal, Portal};

async fn dept_id(p: &Portal, name: &str) -> i64 {
    p.rows(&format!("select id from departments where name = '{name}'"))
        .await[0]
        .get(0)
}

const MARKET: &str = "鹤岗市市场监督管理局";
const FINANCE: &str = "鹤岗市财政局";

async fn check_key(p: &Portal, boss: &Member, department: &str) -> String {
    let id = dept_id(p, department).await;
    issue_scoped_key(p, boss, "check", &id.to_string()).await
}

/// A legal entity on the market regulator's list today: (credit code,
/// entry id, decision number).
async fn listed(p: &Portal, skip: usize) -> (String, i64, String) {
    let today = p.today;
    let rows = p
        .rows(&format!(
            "select s.credit_code, e.id, e.doc_no from serious_entries e
             join subjects s on s.id = e.subject_id
             where e.domain_code = 'market_serious_violation' and s.kind = 'legal'
               and s.credit_code is not null and e.ended_on is null
               and e.listed_on <= '{today}' and e.until >= '{today}'
               and (select count(*) from serious_entries o where o.subject_id = s.id) = 1
             order by e.id"
        ))
        .await;
    let r = &rows[skip];
    (r.get(0), r.get(1), r.get(2))
}

/// A legal entity with no serious-list entry at all.
async fn clear(p: &Portal) -> String {
    p.rows(
        "select credit_code from subjects s where kind = 'legal' and credit_code is not null
         and not exists (select 1 from serious_entries e where e.subject_id = s.id)
         order by id limit 1",
    )
    .await[0]
        .get(0)
}

fn ask(code: &str) -> String {
    json!({
        "credit_code": code,
        "matter_code": "SCJG-XK-2026-0001",
        "matter_name": "食品经营许可（演示）",
        "purpose": "办理食品经营许可前核查申请人是否被列入严重失信主体名单",
    })
    .to_string()
}

async fn check(p: &Portal, key: &str, body: &str) -> (StatusCode, Value) {
    let a = push_to(p, "/api/v1/check", key, body).await;
    (
        a.status,
        serde_json::from_str(&a.body).unwrap_or(Value::Null),
    )
}

async fn feedback(p: &Portal, key: &str, id: &str, body: Value) -> (StatusCode, Value) {
    let a = push_to(
        p,
        &format!("/api/v1/check/{id}/feedback"),
        key,
        &body.to_string(),
    )
    .await;
    (
        a.status,
        serde_json::from_str(&a.body).unwrap_or(Value::Null),
    )
}

fn codes(v: &Value) -> Vec<String> {
    v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap().to_string())
        .collect()
}

async fn count(p: &Portal, sql: &str) -> i64 {
    p.rows(sql).await[0].get(0)
}

#[tokio::test]
async fn a_check_answers_the_current_listings_and_the_askers_measures_and_is_registered() {
    let p = portal().await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let market = check_key(&p, &boss, MARKET).await;
    let finance = check_key(&p, &boss, FINANCE).await;
    let (code, entry, doc_no) = listed(&p, 0).await;

    // Who asks comes first.
    let body = ask(&code);
    assert_eq!(check(&p, "", &body).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        check(&p, "hgk_wrong", &body).await.0,
        StatusCode::UNAUTHORIZED
    );
    let push = issue_key(&p, &boss, dept_id(&p, MARKET).await).await;
    let (status, refused) = check(&p, &push, &body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(refused["error"]
        .as_str()
        .unwrap()
        .contains("联合奖惩核查密钥"));
    let feed = issue_feed_key(&p, &boss).await;
    assert_eq!(check(&p, &feed, &body).await.0, StatusCode::FORBIDDEN);
    // A check key cannot push or read the feed either.
    assert_eq!(
        push_to(
            &p,
            "/api/v1/collect/penalties",
            &market,
            r#"{"records":[]}"#
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // Bad requests name the field, and are not registered.
    let registered = count(&p, "select count(*) from joint_checks").await;
    let (status, bad) = check(
        &p,
        &market,
        &json!({"credit_code": code, "matter_code": "X", "matter_name": "Y"}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["fields"][0]["field"], "purpose");
    let (status, bad) = check(
        &p,
        &market,
        &json!({"credit_code": code, "id_number": "110101199003074514", "matter_code": "X", "matter_name": "Y", "purpose": "Z"}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["fields"][0]["field"], "id_number");
    assert_eq!(check(&p, &market, "{oops").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        count(&p, "select count(*) from joint_checks").await,
        registered
    );

    // Listed: the entry and the measures the market regulator applies.
    let (status, a) = check(&p, &market, &body).await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["listed"], true);
    let entries = a["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["entry_id"], entry);
    assert_eq!(entries[0]["decision_no"], doc_no);
    assert_eq!(entries[0]["domain"], "market_serious_violation");
    assert_eq!(codes(&a), ["food_post_ban", "public_notice"]);
    assert!(a["measures"][0]["basis"]["law"]
        .as_str()
        .unwrap()
        .contains("食品安全法"));
    assert!(a["feedback_due"].is_string());
    // Nothing else: no penalty, no representative, no ID number.
    let text = a.to_string();
    for leak in ["CF_", "罚款", "representative", "id_number"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
    let id = a["check_id"].as_str().unwrap().to_string();
    assert!(id.starts_with("JC") && id.len() == 22, "{id}");

    // Every check is registered with its purpose.
    let row = &p
        .rows(&format!(
            "select purpose, matter_code, listed from joint_checks where id = '{id}'"
        ))
        .await[0];
    assert!(row.get::<String, _>(0).contains("食品经营许可前核查"));
    assert_eq!(row.get::<String, _>(1), "SCJG-XK-2026-0001");
    let audit = p
        .rows(&format!(
            "select purpose, actor from audit_log where action = 'joint_check' and target like '%{id}%'"
        ))
        .await;
    assert_eq!(audit.len(), 1);
    assert!(audit[0].get::<String, _>(0).contains("食品经营许可前核查"));

    // The finance bureau is told of the same entry with its own measures.
    let (_, f) = check(&p, &finance, &body).await;
    assert_eq!(f["listed"], true);
    assert_eq!(codes(&f), ["procurement_ban", "public_notice"]);

    // Not listed: a clear answer, with its check id, registered too.
    let (status, n) = check(&p, &market, &ask(&clear(&p).await)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(n["listed"], false);
    assert!(n["message"].as_str().unwrap().contains("未被列入"));
    assert!(n["entries"].as_array().unwrap().is_empty());
    assert!(n["measures"].as_array().unwrap().is_empty());
    assert!(n["subject"].is_null());
    let clear_id = n["check_id"].as_str().unwrap();
    assert_eq!(
        count(
            &p,
            &format!("select count(*) from joint_checks where id = '{clear_id}'")
        )
        .await,
        1
    );
    // A code no subject has: the same answer.
    let (_, unknown) = check(&p, &market, &ask("91110108551385082Q")).await;
    assert_eq!(unknown["listed"], false);
    // A person by ID number: registered masked.
    let (status, person) = check(
        &p,
        &market,
        &json!({"id_number": "110101199003074514", "matter_code": "X", "matter_name": "Y", "purpose": "Z"}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(person["identifier"], "110101********4514");
    assert_eq!(
        count(
            &p,
            "select count(*) from joint_checks where identifier like '%199003074%'"
        )
        .await,
        0
    );

    // Taken off the list yesterday: no longer listed today.
    let yesterday = p.today.pred_opt().unwrap();
    p.rows(&format!(
        "update serious_entries set ended_on = '{yesterday}' where id = {entry} returning id"
    ))
    .await;
    let (_, gone) = check(&p, &market, &body).await;
    assert_eq!(gone["listed"], false, "{gone}");

    // A revoked key stops at once on this server.
    let key_id: i64 = p
        .rows("select id from api_keys where scope = 'check' order by id limit 1")
        .await[0]
        .get(0);
    let revoked = p
        .post_form(
            "/admin/api-keys/revoke",
            &boss.cookie,
            &[("_csrf", &boss.csrf), ("id", &key_id.to_string())],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    assert_eq!(check(&p, &market, &body).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn feedback_is_taken_once_per_measure_with_reasons_and_lateness_is_counted() {
    let p = portal().await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let market = check_key(&p, &boss, MARKET).await;
    let finance = check_key(&p, &boss, FINANCE).await;
    let (code, _, _) = listed(&p, 0).await;
    let (_, a) = check(&p, &market, &ask(&code)).await;
    let id = a["check_id"].as_str().unwrap().to_string();

    let item = |measure: &str, applied: Value, reason: Value| json!({"measure": measure, "applied": applied, "reason": reason});
    let body = |items: Vec<Value>| json!({"measures": items, "outcome": "不予许可", "operator_department": "鹤岗市市场监督管理局行政审批科"});
    // Not applying needs a reason; nothing is written on a refusal.
    let (status, bad) = feedback(
        &p,
        &market,
        &id,
        body(vec![item("food_post_ban", json!(false), Value::Null)]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["fields"][0]["field"], "measures[0].reason");
    let (status, _) = feedback(
        &p,
        &market,
        &id,
        body(vec![item("procurement_ban", json!(true), Value::Null)]),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a measure the check did not name"
    );
    assert_eq!(
        count(&p, &format!("select count(*) from joint_check_measures where check_id = '{id}' and applied is not null")).await,
        0
    );
    // Another department's check is not found; a malformed id neither.
    assert_eq!(
        feedback(
            &p,
            &finance,
            &id,
            body(vec![item("food_post_ban", json!(true), Value::Null)])
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        feedback(&p, &market, "JC123", body(vec![])).await.0,
        StatusCode::NOT_FOUND
    );

    let (status, ok) = feedback(
        &p,
        &market,
        &id,
        body(vec![item("food_post_ban", json!(true), Value::Null)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ok}");
    assert_eq!(ok["late"], false);
    assert_eq!(ok["awaiting"], json!(["public_notice"]));
    // Once per measure.
    let (status, again) = feedback(
        &p,
        &market,
        &id,
        body(vec![item("food_post_ban", json!(false), json!("重复"))]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(again["error"].as_str().unwrap().contains("food_post_ban"));
    // The other one, not applied with its reason.
    let (status, _) = feedback(
        &p,
        &market,
        &id,
        body(vec![item(
            "public_notice",
            json!(false),
            json!("该事项不属于限制范围"),
        )]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        count(
            &p,
            "select count(*) from audit_log where action = 'check_feedback'"
        )
        .await,
        2
    );

    // A check made three weeks ago: its feedback is late, and counted so.
    let (_, old) = check(&p, &market, &ask(&code)).await;
    let old_id = old["check_id"].as_str().unwrap().to_string();
    let weeks_ago = p.today - chrono::Duration::days(21);
    p.rows(&format!(
        "update joint_checks set checked_on = '{weeks_ago}' where id = '{old_id}' returning id"
    ))
    .await;
    let (status, late) = feedback(
        &p,
        &market,
        &old_id,
        body(vec![item("food_post_ban", json!(true), Value::Null)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{late}");
    assert_eq!(late["late"], true);
    assert!(late["message"].as_str().unwrap().contains("逾期"));

    // A check of a subject not listed needs no feedback.
    let (_, n) = check(&p, &market, &ask(&clear(&p).await)).await;
    assert_eq!(
        feedback(
            &p,
            &market,
            n["check_id"].as_str().unwrap(),
            body(vec![item("food_post_ban", json!(true), Value::Null)])
        )
        .await
        .0,
        StatusCode::CONFLICT
    );

    // The report: per department and measure, applied, not applied with
    // the reason, awaiting and late.
    let page = p.get_with_cookie("/admin/joint-check", &boss.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("该事项不属于限制范围"), "{}", page.body);
    let line = |measure: &str| {
        let at = page
            .body
            .find(&format!("<td>{measure}</td>"))
            .expect(measure);
        let rest = &page.body[at..];
        rest[..rest.find("</tr>").unwrap()].to_string()
    };
    // 食品 measure: two checks, two applied, one of them late.
    let food = line("食品生产经营许可和从业禁止");
    assert!(food.contains("<td>2</td><td>2</td><td>0</td>"), "{food}");
    // 公示 measure: two checks, one not applied, one awaiting.
    let notice = line("通过国家企业信用信息公示系统公示");
    assert!(
        notice.contains("<td>2</td><td>0</td><td>1</td>"),
        "{notice}"
    );
}

#[tokio::test]
async fn a_changed_measure_is_a_new_version_and_old_checks_keep_theirs() {
    let p = portal().await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let market = check_key(&p, &boss, MARKET).await;
    let (code, _, _) = listed(&p, 0).await;
    let (_, before) = check(&p, &market, &ask(&code)).await;
    let before_id = before["check_id"].as_str().unwrap().to_string();

    let page = p
        .get_with_cookie("/admin/measures/food_post_ban", &boss.cookie)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let market_id = dept_id(&p, MARKET).await.to_string();
    let form = |name: &str, law: &str, expected: &str| {
        vec![
            ("_csrf".to_string(), boss.csrf.clone()),
            ("expected_version".into(), expected.into()),
            ("name".into(), name.into()),
            ("class".into(), "restricting".into()),
            ("effect".into(), "五年内不得申请食品生产经营许可".into()),
            ("law".into(), law.into()),
            ("article".into(), "第一百三十五条".into()),
            ("paragraph".into(), "第一款".into()),
            (
                "basis_text".into(),
                "被吊销许可证的食品生产经营者……五年内不得申请食品生产经营许可".into(),
            ),
            ("domains".into(), "market_serious_violation".into()),
            ("subject_kinds".into(), "legal".into()),
            ("subject_kinds".into(), "individual".into()),
            ("implementer".into(), "市场监督管理部门".into()),
            ("departments".into(), market_id.clone()),
            ("effective_from".into(), "2022-01-01".into()),
            ("effective_to".into(), String::new()),
        ]
    };
    let cookie = boss.cookie.clone();
    let post = |fields: Vec<(String, String)>| {
        let (p, cookie) = (&p, cookie.clone());
        async move {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            p.post_form("/admin/measures/food_post_ban", &cookie, &pairs)
                .await
        }
    };
    // No basis, no save.
    let versions = count(&p, "select count(*) from measure_versions").await;
    let refused = post(form("食品行业从业禁止", "", "1")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("请填写“法律依据（法律法规名称）”"),
        "{}",
        refused.body
    );
    assert_eq!(
        count(&p, "select count(*) from measure_versions").await,
        versions
    );

    let saved = post(form(
        "食品行业从业禁止",
        "《中华人民共和国食品安全法》",
        "1",
    ))
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // A form read before that change is refused, not applied over it.
    let stale = post(form("另一个名称", "《中华人民共和国食品安全法》", "1")).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(
        count(&p, "select count(*) from measure_versions").await,
        versions + 1
    );

    let (_, after) = check(&p, &market, &ask(&code)).await;
    let food = |v: &Value| {
        v["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == "food_post_ban")
            .cloned()
            .unwrap()
    };
    assert_eq!(food(&after)["version"], 2);
    assert_eq!(food(&after)["name"], "食品行业从业禁止");
    // The earlier check keeps version 1.
    let kept = &p
        .rows(&format!(
            "select v.version from joint_check_measures m join measure_versions v on v.id = m.version_id
             where m.check_id = '{before_id}' and m.measure_code = 'food_post_ban'"
        ))
        .await[0];
    assert_eq!(kept.get::<i64, _>(0), 1);

    // The public list shows the current version, and filters.
    let (status, public) = p.get("/measures?domain=market_serious_violation").await;
    assert_eq!(status, StatusCode::OK);
    assert!(public.contains("食品行业从业禁止"));
    assert!(public.contains("《中华人民共和国食品安全法》第一百三十五条第一款"));
    assert!(
        !public.contains("阻止出境"),
        "a tax measure under the market list"
    );
    let (_, tax) = p.get("/measures?domain=tax_major_violation").await;
    assert!(tax.contains("阻止出境"));
    let (status, bad) = p.get("/measures?domain=nonsense").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("适用名单"));

    // Only administrators keep the list.
    let market_dept = dept_id(&p, MARKET).await;
    add_account(&p, "clerk", Role::Reviewer, Some(market_dept)).await;
    let clerk = sign_in(&p, "clerk").await;
    assert_eq!(
        p.get_with_cookie("/admin/measures", &clerk.cookie)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let pairs = form("审核人员改的", "《中华人民共和国食品安全法》", "2");
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut pairs = pairs;
    pairs[0] = ("_csrf", &clerk.csrf);
    assert_eq!(
        p.post_form("/admin/measures/food_post_ban", &clerk.cookie, &pairs)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        count(&p, "select count(*) from measure_versions").await,
        versions + 1
    );
    // A reviewer sees the report of their own department.
    assert_eq!(
        p.get_with_cookie("/admin/joint-check", &clerk.cookie)
            .await
            .status,
        StatusCode::OK
    );
    // Every change is registered.
    assert!(
        count(
            &p,
            "select count(*) from audit_log where action = 'measure_changed'"
        )
        .await
            > 0
    );
}

#[tokio::test]
async fn feedback_sent_many_times_at_once_is_taken_once() {
    let p = portal().await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let market = check_key(&p, &boss, MARKET).await;
    let (code, _, _) = listed(&p, 0).await;
    let (_, a) = check(&p, &market, &ask(&code)).await;
    let id = a["check_id"].as_str().unwrap().to_string();
    let body = json!({
        "measures": [{"measure": "food_post_ban", "applied": true}],
        "outcome": "不予许可",
        "operator_department": "行政审批科",
    });
    let sends = (0..10).map(|_| feedback(&p, &market, &id, body.clone()));
    let answers = futures_util::future::join_all(sends).await;
    let taken = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let refused = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .count();
    assert_eq!((taken, refused), (1, 9), "{answers:?}");
    assert_eq!(
        count(
            &p,
            "select count(*) from audit_log where action = 'check_feedback'"
        )
        .await,
        1
    );
    // Many checks at once are each registered, in batches.
    let asking = ask(&code);
    let asks = (0..40).map(|_| check(&p, &market, &asking));
    let answered = futures_util::future::join_all(asks).await;
    assert!(answered.iter().all(|(s, _)| *s == StatusCode::OK));
    let mut ids: Vec<&str> = answered
        .iter()
        .map(|(_, v)| v["check_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 40);
    assert_eq!(count(&p, "select count(*) from joint_checks").await, 41);
    assert_eq!(
        count(
            &p,
            "select count(*) from audit_log where action = 'joint_check'"
        )
        .await,
        41
    );
    // The batches kept the register's chain whole.
    assert!(
        server::store::register::verify_chain(&p.backend.staff.audit_chain().await.unwrap())
            .is_ok()
    );
}
