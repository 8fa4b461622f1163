//! The measures console, the joint-check report and the API's catch-all
//! called as a stranger with a script would: no cookie, another
//! department's cookie, a cross-site form, a forged token, bad input and
//! the same call many times in a row. Each is refused with nothing changed
//! and nothing it should not show in the answer.

use app::domain::staff::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

use super::collect::{count, issue_scoped_key, push_to};
use super::listing_strangers::cross_site;
use super::staff::{add_account, sign_in, Member};
use super::{portal, Portal};

struct Case {
    p: Portal,
    boss: Member,
    /// A reviewer of the market regulator, whose check is in the report.
    market: Member,
    /// A reviewer of the tax bureau.
    taxman: Member,
    auditor: Member,
}

const MATTER: &str = "陌生人测试事项（演示）";

async fn case() -> Case {
    let p = portal().await;
    let scjg = count(&p, "select id from departments where code = 'scjg'").await;
    let swj = count(&p, "select id from departments where code = 'swj'").await;
    add_account(&p, "boss", Role::Admin, None).await;
    add_account(&p, "market", Role::Reviewer, Some(scjg)).await;
    add_account(&p, "taxman", Role::Reviewer, Some(swj)).await;
    add_account(&p, "auditor", Role::Auditor, None).await;
    let boss = sign_in(&p, "boss").await;
    // One check with feedback by the market regulator, so the report has
    // a line the other department must not see.
    let key = issue_scoped_key(&p, &boss, "check", &scjg.to_string()).await;
    let code: String = p
        .rows(&format!(
            "select s.credit_code from serious_entries e join subjects s on s.id = e.subject_id
             where e.domain_code = 'market_serious_violation' and s.credit_code is not null
               and e.ended_on is null and e.listed_on <= '{0}' and e.until >= '{0}'
             order by e.id limit 1",
            p.today
        ))
        .await[0]
        .get(0);
    let asked = push_to(
        &p,
        "/api/v1/check",
        &key,
        &serde_json::json!({"credit_code": code, "matter_code": "M-1", "matter_name": MATTER, "purpose": "测试"})
            .to_string(),
    )
    .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let (market, taxman, auditor) = (
        sign_in(&p, "market").await,
        sign_in(&p, "taxman").await,
        sign_in(&p, "auditor").await,
    );
    Case {
        p,
        boss,
        market,
        taxman,
        auditor,
    }
}

/// A complete, valid new measure's form for `csrf`.
fn new_measure(csrf: &str, code: &str, department: &str) -> Vec<(String, String)> {
    [
        ("_csrf", csrf),
        ("code", code),
        ("name", "限制授予荣誉称号（测试）"),
        ("class", "management"),
        ("effect", "不予授予荣誉称号"),
        ("law", "《企业信息公示暂行条例》"),
        ("article", "第十八条"),
        ("paragraph", ""),
        (
            "basis_text",
            "……在授予荣誉称号等工作中……依法予以限制或者禁入。",
        ),
        ("domains", "market_serious_violation"),
        ("subject_kinds", "legal"),
        ("implementer", "县级以上地方人民政府及其有关部门"),
        ("departments", department),
        ("effective_from", "2026-01-01"),
        ("effective_to", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn with(fields: &[(String, String)], key: &str, value: &str) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| {
            let v = if k == key {
                value.to_string()
            } else {
                v.clone()
            };
            (k.clone(), v)
        })
        .collect()
}

async fn versions(p: &Portal) -> i64 {
    count(p, "select count(*) from measure_versions").await
}

#[tokio::test]
async fn the_measures_console_answers_only_administrators_and_changes_nothing_on_a_refusal() {
    let c = case().await;
    let p = &c.p;
    let scjg = count(p, "select id from departments where code = 'scjg'")
        .await
        .to_string();
    let before = versions(p).await;
    let valid = new_measure(&c.boss.csrf, "honour_ban", &scjg);

    // No cookie: sent to sign in, or refused.
    for path in ["/admin/measures", "/admin/measures/food_post_ban"] {
        let (status, body) = p.get(path).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
        assert!(!body.contains("食品生产经营许可和从业禁止"), "{path}");
    }
    let anonymous = p.post_form("/admin/measures", "", &pairs(&valid)).await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN);
    // Another role, another department: 403, for reading and for saving.
    for m in [&c.market, &c.taxman, &c.auditor] {
        for path in ["/admin/measures", "/admin/measures/food_post_ban"] {
            let a = p.get_with_cookie(path, &m.cookie).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
        }
        let own = with(&valid, "_csrf", &m.csrf);
        for path in ["/admin/measures", "/admin/measures/food_post_ban"] {
            let a = p.post_form(path, &m.cookie, &pairs(&own)).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    // Cross-site, and a forged token, with the administrator's cookie.
    assert_eq!(
        cross_site(p, "/admin/measures", &c.boss.cookie, &pairs(&valid)).await,
        StatusCode::FORBIDDEN
    );
    let forged = with(&valid, "_csrf", "0123456789abcdef0123456789abcdef");
    let a = p
        .post_form("/admin/measures", &c.boss.cookie, &pairs(&forged))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(versions(p).await, before);

    // Bad input: each fault named, nothing written, nothing echoed as markup.
    for (field, value, says) in [
        (
            "code",
            "<script>alert(1)</script>",
            "措施编码须以小写英文字母开头",
        ),
        ("name", &"名".repeat(101), "不能超过 100 个字"),
        ("domains", "made_up_list", "不存在的名单领域"),
        ("departments", "99999", "不存在的单位"),
        ("departments", "abc", "不存在的单位"),
        ("subject_kinds", "robot", "适用对象无效"),
        ("class", "punish", "请选择措施类别"),
        ("effective_from", "2026/01/01", "格式不正确"),
        ("law", "随便一条规定", "加书名号"),
    ] {
        let bad = with(&valid, field, value);
        let a = p
            .post_form("/admin/measures", &c.boss.cookie, &pairs(&bad))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{field}={value}");
        assert!(a.body.contains(says), "{field}: {}", a.body);
        assert!(!a.body.contains("<script>alert"), "{field}");
    }
    assert_eq!(versions(p).await, before);
    // Unknown and malformed measures: 404, nothing echoed.
    for code in ["no_such_measure", "%3Cscript%3E", "..", "a%00b"] {
        let path = format!("/admin/measures/{code}");
        let a = p.get_with_cookie(&path, &c.boss.cookie).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{code}");
        assert!(!a.body.contains("<script>"), "{code}");
        let saved = with(&valid, "expected_version", "1");
        let a = p.post_form(&path, &c.boss.cookie, &pairs(&saved)).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{code}");
    }
    let mut change = with(&valid, "code", "food_post_ban");
    change.push(("expected_version".into(), "abc".into()));
    let a = p
        .post_form(
            "/admin/measures/food_post_ban",
            &c.boss.cookie,
            &pairs(&change),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(versions(p).await, before);

    // The same new measure ten times: one is saved, nine told it exists.
    let mut saved = 0;
    for _ in 0..10 {
        let a = p
            .post_form("/admin/measures", &c.boss.cookie, &pairs(&valid))
            .await;
        match a.status {
            StatusCode::SEE_OTHER => saved += 1,
            StatusCode::BAD_REQUEST => assert!(a.body.contains("该措施编码已存在")),
            other => panic!("{other}"),
        }
    }
    assert_eq!(saved, 1);
    // The same change from one form ten times: one new version, nine 409.
    let mut change = with(&valid, "code", "honour_ban");
    change.push(("expected_version".into(), "1".into()));
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(
            p.post_form(
                "/admin/measures/honour_ban",
                &c.boss.cookie,
                &pairs(&change),
            )
            .await
            .status,
        );
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        9
    );
    assert_eq!(versions(p).await, before + 2);
    assert_eq!(
        count(
            p,
            "select count(*) from audit_log where action = 'measure_changed' and actor = 'boss'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn the_joint_check_report_shows_each_department_only_its_own() {
    let c = case().await;
    let p = &c.p;
    // No cookie: sent to sign in, no data.
    let (status, body) = p.get("/admin/joint-check").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!body.contains(MATTER) && !body.contains("鹤岗市市场监督管理局"));
    // An auditor is not shown it.
    let a = p
        .get_with_cookie("/admin/joint-check", &c.auditor.cookie)
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // The department that checked sees its line; another department does
    // not, and neither learns the other's checks by asking again.
    let own = p
        .get_with_cookie("/admin/joint-check", &c.market.cookie)
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("食品生产经营许可和从业禁止"));
    for _ in 0..20 {
        let other = p
            .get_with_cookie("/admin/joint-check", &c.taxman.cookie)
            .await;
        assert_eq!(other.status, StatusCode::OK);
        assert!(
            !other.body.contains("鹤岗市市场监督管理局"),
            "another department's line"
        );
        assert!(!other.body.contains("食品生产经营许可和从业禁止"));
    }
    // Query strings change nothing of whom it shows.
    let forged = p
        .get_with_cookie("/admin/joint-check?department=1&all=1", &c.taxman.cookie)
        .await;
    assert!(!forged.body.contains("鹤岗市市场监督管理局"));
    // The report only reads: a post is not a route, cross-site or not.
    let posted = cross_site(
        p,
        "/admin/joint-check",
        &c.boss.cookie,
        &[("_csrf", &c.boss.csrf)],
    )
    .await;
    assert!(
        matches!(
            posted,
            StatusCode::METHOD_NOT_ALLOWED | StatusCode::FORBIDDEN
        ),
        "{posted}"
    );
    let checks = count(p, "select count(*) from joint_checks").await;
    let admin = p
        .get_with_cookie("/admin/joint-check", &c.boss.cookie)
        .await;
    assert!(admin.body.contains("鹤岗市市场监督管理局"));
    assert_eq!(count(p, "select count(*) from joint_checks").await, checks);
}

#[tokio::test]
async fn unknown_api_addresses_are_a_json_404_that_shows_nothing() {
    let c = case().await;
    let p = &c.p;
    let call = |method: &'static str, uri: String, cookie: String| async move {
        let a = p
            .send(
                Request::builder()
                    .method(method)
                    .uri(uri)
                    .header("cookie", cookie)
                    .header("origin", "https://evil.example")
                    .header("sec-fetch-site", "cross-site")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        (a.status, a.headers, a.body)
    };
    for path in [
        "/api/v1/nothing",
        "/api/v1/public/records",
        "/api/v1/public/records/penalty/1/extra",
        "/api/v1/check/JC0123456789ABCDEF0123",
        "/api/v1/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/api/v1/admin/measures",
    ] {
        for method in ["GET", "POST", "DELETE"] {
            for cookie in ["", c.boss.cookie.as_str()] {
                let (status, headers, body) =
                    call(method, path.to_string(), cookie.to_string()).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
                assert_eq!(headers["content-type"], "application/json", "{path}");
                let v: Value = serde_json::from_str(&body).unwrap();
                assert!(v["error"].as_str().unwrap().contains("openapi.json"));
                // Nothing of the address, the console or a record comes back.
                assert!(
                    !body.contains("script") && !body.contains("已登录"),
                    "{body}"
                );
            }
        }
    }
    // Many times in a row: the same answer, and nothing written.
    let audit = count(p, "select count(*) from audit_log").await;
    for _ in 0..50 {
        let (status, _, _) = call("GET", "/api/v1/nothing".into(), String::new()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert_eq!(count(p, "select count(*) from audit_log").await, audit);
    // The real operations are not shadowed.
    let (status, _, spec) = call("GET", "/api/v1/openapi.json".into(), String::new()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(spec.contains("/api/v1/public/search"));
    let (status, _, _) = call("GET", "/api/v1/public/measures".into(), String::new()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = call("POST", "/api/v1/check".into(), String::new()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
