//! The provincial feed and the scopes of API keys: administrators choose a
//! key's scope (keys issued before are push keys); a department's push key
//! reads nothing of the feed, a feed key pushes nothing; what the feed
//! gives is masked as the public pages mask it, leaves out records of items
//! that are not shared, and every read is in the access register.

use app::domain::credit_code::check_char;
use app::domain::staff::Role;
use axum::http::StatusCode;
use serde_json::{json, Value};

use super::collect::{count, dept, issue_feed_key, issue_key, push_to, read_feed, Dept};
use super::staff::{add_account, sign_in, Member};
use super::{portal, Portal};

const PENALTIES: &str = "/api/v1/collect/penalties";
const LICENSES: &str = "/api/v1/collect/licenses";

/// The natural person the pushed penalty is about.
const PERSON: &str = "张三丰";
const PERSON_ID: &str = "11010519491231002X";

/// A penalty of department `d` about `subject` (its name, kind and
/// identifier columns).
fn penalty(d: &Dept, doc: &str, subject: Value) -> Value {
    let mut record = json!({
        "CF_WSH": doc, "CF_WFXW": "销售不合格产品", "CF_SY": "经查", "CF_YJ": "《产品质量法》",
        "CF_CFLB": "罚款", "CF_NR": "罚款", "CF_NR_FK": 0.2, "CF_JDRQ": "2026-10-01",
        "CF_CFJG": d.name, "CF_CFJGDM": d.credit_code, "ML_BM": "scjg-ordinary"
    });
    for (k, v) in subject.as_object().unwrap() {
        record[k] = v.clone();
    }
    record
}

fn person(name: &str) -> Value {
    json!({
        "CF_XDR_MC": name, "CF_XDR_LB": "自然人", "CF_XDR_ZJHM": PERSON_ID, "GRXX_YJ": "法定职责"
    })
}

fn records(records: &[Value]) -> String {
    json!({ "records": records }).to_string()
}

/// Pushes with `key` and returns the answer's JSON.
async fn pushed(p: &Portal, path: &str, key: &str, body: &str) -> Value {
    let answer = push_to(p, path, key, body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

fn lines(body: &str) -> Vec<Value> {
    body.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A portal with a department that pushes with `push_key` and the
/// provincial platform that reads with `feed_key`.
struct Keyed {
    p: Portal,
    d: Dept,
    boss: Member,
    push_key: String,
    feed_key: String,
}

async fn keyed() -> Keyed {
    let p = portal().await;
    let d = dept(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let push_key = issue_key(&p, &boss, d.id).await;
    let feed_key = issue_feed_key(&p, &boss).await;
    Keyed {
        p,
        d,
        boss,
        push_key,
        feed_key,
    }
}

fn cursor(answer: &super::Answer) -> String {
    answer.headers["x-next-cursor"]
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_push_key_reads_nothing_of_the_feed_and_a_feed_key_pushes_nothing() {
    let Keyed {
        p,
        d,
        push_key,
        feed_key,
        boss,
    } = keyed().await;
    let doc = "鹤市监罚〔2026〕711号";
    let json = pushed(
        &p,
        PENALTIES,
        &push_key,
        &records(&[penalty(&d, doc, person(PERSON))]),
    )
    .await;
    assert_eq!(json["taken"], 1, "{json}");

    // The push key on the feed: refused, and nothing of any record with it.
    let refused = read_feed(&p, &push_key, "0").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let message: Value = serde_json::from_str(&refused.body).unwrap();
    assert!(
        message["error"].as_str().unwrap().contains("共享读取密钥"),
        "{}",
        refused.body
    );
    for leak in [PERSON, PERSON_ID, doc, "record_kind"] {
        assert!(!refused.body.contains(leak), "{leak} in {}", refused.body);
    }
    assert!(refused.headers.get("x-next-cursor").is_none());

    // The feed key on the push endpoints: refused, nothing written.
    let before = count(&p, "select count(*) from penalties").await;
    let other = penalty(&d, "鹤市监罚〔2026〕712号", person(PERSON));
    for path in [PENALTIES, LICENSES] {
        let answer = push_to(&p, path, &feed_key, &records(std::slice::from_ref(&other))).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
        assert!(answer.body.contains("报送密钥"), "{}", answer.body);
    }
    assert_eq!(count(&p, "select count(*) from penalties").await, before);

    // A push key pushes its own department's records only: another
    // department's decision or catalog item is refused.
    let elsewhere = penalty(&d, "鹤市监罚〔2026〕713号", person(PERSON));
    let mut authority = elsewhere.clone();
    authority["CF_CFJGDM"] = json!(d.other_credit_code);
    let mut item = elsewhere;
    item["ML_BM"] = json!("sthj-ordinary");
    let json = pushed(&p, PENALTIES, &push_key, &records(&[authority, item])).await;
    assert_eq!(json["refused"], 2, "{json}");
    assert_eq!(json["results"][0]["column"], "CF_CFJGDM");
    assert_eq!(json["results"][1]["column"], "ML_BM");
    assert_eq!(count(&p, "select count(*) from penalties").await, before);

    // Without a key, or with a revoked feed key: 401 as before.
    assert_eq!(
        read_feed(&p, "", "0").await.status,
        StatusCode::UNAUTHORIZED
    );
    let feed_id = p.rows("select id from api_keys where scope = 'feed'").await[0]
        .get::<i64, _>(0)
        .to_string();
    p.post_form(
        "/admin/api-keys/revoke",
        &boss.cookie,
        &[("_csrf", &boss.csrf), ("id", &feed_id)],
    )
    .await;
    assert_eq!(
        read_feed(&p, &feed_key, "0").await.status,
        StatusCode::UNAUTHORIZED
    );

    // The description says which key each path takes, and the 403s.
    let (_, spec) = p.get("/api/v1/openapi.json").await;
    let spec: Value = serde_json::from_str(&spec).unwrap();
    let feed = &spec["paths"]["/api/v1/feed/changes"]["get"];
    assert_eq!(feed["security"], json!([{ "feedKey": [] }]));
    assert!(feed["responses"]["403"]["description"].is_string());
    let push = &spec["paths"]["/api/v1/collect/penalties"]["post"];
    assert_eq!(push["security"], json!([{ "pushKey": [] }]));
    assert!(push["responses"]["403"]["description"].is_string());
    assert!(spec["components"]["schemas"]["Change"]["properties"]["subject"].is_object());
}

#[tokio::test]
async fn the_feed_masks_personal_names_and_id_numbers() {
    let Keyed {
        p,
        d,
        push_key,
        feed_key,
        ..
    } = keyed().await;
    let shop_code = format!(
        "92230402MA1234567{}",
        check_char("92230402MA1234567").unwrap()
    );
    let shop = json!({
        "CF_XDR_MC": "鹤岗市向阳区李四烧烤店", "CF_XDR_LB": "个体工商户",
        "CF_XDR_SHXYM": shop_code, "CF_FRDB": "李四"
    });
    let company = json!({
        "CF_XDR_MC": "鹤岗市脱敏测试有限公司（演示）", "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": "914403001922038216", "CF_FRDB": "王五"
    });
    let json = pushed(
        &p,
        PENALTIES,
        &push_key,
        &records(&[
            penalty(&d, "鹤市监罚〔2026〕721号", person(PERSON)),
            penalty(&d, "鹤市监罚〔2026〕722号", shop),
            penalty(&d, "鹤市监罚〔2026〕723号", company),
        ]),
    )
    .await;
    assert_eq!(json["taken"], 3, "{json}");
    // A correction that changes the person's name: both names are logged.
    let json = pushed(
        &p,
        PENALTIES,
        &push_key,
        &records(&[penalty(&d, "鹤市监罚〔2026〕721号", person("张三峰"))]),
    )
    .await;
    assert_eq!(json["updated"], 1, "{json}");

    let feed = read_feed(&p, &feed_key, "0").await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    for clear in [PERSON, "张三峰", PERSON_ID, "李四"] {
        assert!(!feed.body.contains(clear), "{clear} leaves unmasked");
    }
    let lines = lines(&feed.body);
    assert_eq!(lines.len(), 4, "{}", feed.body);
    let (new, corrected, shop, company) = (&lines[0], &lines[3], &lines[1], &lines[2]);
    assert_eq!(new["subject"]["kind"], "person");
    assert_eq!(new["subject"]["name"], "张**");
    assert_eq!(new["subject"]["id_number"], "110105********002X");
    assert_eq!(new["after"]["CF_XDR_MC"], "张**");
    assert_eq!(corrected["change"], "corrected");
    assert_eq!(corrected["before"]["CF_XDR_MC"], "张**");
    assert_eq!(corrected["after"]["CF_XDR_MC"], "张**");
    assert_eq!(shop["subject"]["name"], "鹤岗市向阳区李*烧烤店");
    assert_eq!(shop["subject"]["representative"], "李*");
    assert_eq!(shop["subject"]["credit_code"], shop_code.as_str());
    assert_eq!(shop["after"]["CF_XDR_MC"], "鹤岗市向阳区李*烧烤店");
    // Organisations and their representatives are public.
    assert_eq!(
        company["after"]["CF_XDR_MC"],
        "鹤岗市脱敏测试有限公司（演示）"
    );
    assert_eq!(company["subject"]["representative"], "王五");
    assert!(company["subject"]["id_number"].is_null());
}

#[tokio::test]
async fn records_of_an_item_not_shared_never_leave() {
    let Keyed {
        p,
        d,
        push_key,
        feed_key,
        ..
    } = keyed().await;
    let penalty_doc = "鹤市监罚〔2026〕731号";
    pushed(
        &p,
        PENALTIES,
        &push_key,
        &records(&[penalty(&d, penalty_doc, person(PERSON))]),
    )
    .await;
    let license_doc = "鹤市监许〔2026〕731号";
    let license = json!({
        "XK_XDR_MC": "鹤岗市不共享许可有限公司（演示）", "XK_XDR_LB": "法人及非法人组织",
        "XK_XDR_SHXYM": "91110108551385082Q", "XK_XKWS": "准予行政许可决定书",
        "XK_WSH": license_doc, "XK_XKLB": "普通", "XK_NR": "食品销售",
        "XK_JDRQ": "2026-11-25", "XK_YXQZ": "2026-11-25",
        "XK_XKJG": d.name, "XK_XKJGDM": d.credit_code, "ML_BM": "scjg-license"
    });
    let json = pushed(&p, LICENSES, &push_key, &records(&[license])).await;
    assert_eq!(json["taken"], 1, "{json}");
    // The department's licences are 不予共享 from now on.
    p.db.exec("update catalog_items set sharing = 'none' where code = 'scjg-license'")
        .await;
    // And every record whose publication ends is in the change log too.
    p.backend
        .public
        .sweep_ended(chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap())
        .await
        .unwrap();
    let withheld: Vec<(String, i64)> = p
        .rows(
            "select rr.record_kind, rr.record_id from record_rules rr
             join catalog_rules r on r.id = rr.rule_id
             join catalog_items i on i.id = r.item_id where i.sharing = 'none'",
        )
        .await
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(withheld.len() > 1, "the demo's licences and the new one");

    let feed = read_feed(&p, &feed_key, "0&limit=10000").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(!feed.body.contains(license_doc));
    let lines = lines(&feed.body);
    assert_eq!(lines[0]["doc_no"], penalty_doc);
    assert!(lines.len() > 100, "the ended records of shared items");
    for line in &lines {
        let record = (
            line["record_kind"].as_str().unwrap().to_string(),
            line["record_id"].as_i64().unwrap(),
        );
        assert!(!withheld.contains(&record), "{line}");
    }
    let logged = count(&p, "select count(*) from record_changes").await;
    assert!(logged > lines.len() as i64, "some changes were withheld");
    // Read to the end: nothing more, withheld changes included.
    let rest = read_feed(&p, &feed_key, &cursor(&feed)).await;
    assert_eq!(rest.status, StatusCode::OK);
    assert!(rest.body.is_empty(), "{}", rest.body);
}

#[tokio::test]
async fn every_feed_read_is_registered() {
    let Keyed {
        p,
        d,
        push_key,
        feed_key,
        ..
    } = keyed().await;
    pushed(
        &p,
        PENALTIES,
        &push_key,
        &records(&[
            penalty(&d, "鹤市监罚〔2026〕741号", person(PERSON)),
            penalty(&d, "鹤市监罚〔2026〕742号", person(PERSON)),
        ]),
    )
    .await;

    let first = read_feed(&p, &feed_key, "0&limit=1").await;
    let c1 = cursor(&first);
    let second = read_feed(&p, &feed_key, &c1).await;
    let c2 = cursor(&second);
    let empty = read_feed(&p, &feed_key, &c2).await;
    assert_eq!(
        (lines(&first.body).len(), lines(&second.body).len()),
        (1, 1)
    );
    assert!(empty.body.is_empty());
    // A refused read is not a read.
    assert_eq!(
        read_feed(&p, &push_key, "0").await.status,
        StatusCode::FORBIDDEN
    );

    let register = p.backend.staff.audit_chain().await.unwrap();
    let reads: Vec<_> = register
        .iter()
        .filter(|e| e.action == "feed_read")
        .collect();
    let key = &p
        .rows("select id, prefix from api_keys where scope = 'feed'")
        .await[0];
    let (id, prefix): (i64, String) = (key.get(0), key.get(1));
    assert_eq!(reads.len(), 3);
    for (entry, (from, to, n)) in reads.iter().zip([
        ("0", c1.as_str(), 1),
        (c1.as_str(), c2.as_str(), 1),
        (c2.as_str(), c2.as_str(), 0),
    ]) {
        assert_eq!(entry.actor, "api:执法办案系统（演示）");
        assert_eq!(entry.target, format!("接口密钥 #{id}（{prefix}…）"));
        assert_eq!(
            entry.purpose,
            format!("共享读取记录变动：游标 {from} 之后至 {to}，共 {n} 条")
        );
    }
    assert!(server::store::register::verify_chain(&register).is_ok());
}

#[tokio::test]
async fn keys_issued_before_scopes_become_push_keys() {
    // A SQLite database migrated from an earlier schema; PostgreSQL
    // databases start from the current one (its scope constraint is in the
    // store tests).
    if super::db::sqlite_only("API keys kept through a SQLite migration") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("hegang-scopes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/portal.db", dir.display());
    // The database as it was before keys had scopes, with a key in it.
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < 20261201000009)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.join("portal.db"))
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    before.run(&pool).await.unwrap();
    sqlx::raw_sql(
        "insert into districts (code, name) values ('230402', '向阳区');
         insert into departments (id, code, name, short_name, credit_code, division_code)
         values (7, 'scjg', '鹤岗市市场监督管理局', '鹤市监', '11230400MB0000000X', '230402');
         insert into api_keys (department_id, name, prefix, key_hash, created_at)
         values (7, '执法办案系统', 'hgk_01234567', 'hash-of-the-key', '2026-11-30T00:00:00Z');",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let store = server::store::SqliteStore::connect(&url).await.unwrap();
    let key = app::store::KeyStore::active_key(&store, "hash-of-the-key")
        .await
        .unwrap()
        .expect("the key still works");
    assert_eq!(
        key.grant,
        app::store::keys::Grant::Push { department_id: 7 }
    );
    // A push key without a department, or a feed key with one, cannot be
    // stored; a feed key without one can.
    for (scope, department, ok) in [
        ("push", "null", false),
        ("feed", "7", false),
        ("feed", "null", true),
    ] {
        let stored = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "insert into api_keys (scope, department_id, name, prefix, key_hash, created_at)
             values ('{scope}', {department}, 'x', 'hgk_x', 'h-{scope}', '2026-12-01T00:00:00Z')"
        )))
        .execute(store.pool())
        .await;
        assert_eq!(stored.is_ok(), ok, "{scope} with department {department}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn administrators_choose_the_scope_when_issuing_a_key() {
    let p = portal().await;
    let d = dept(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let department = d.id.to_string();
    let issue = |scope: &'static str, department: String| {
        let boss = &boss;
        let p = &p;
        async move {
            p.post_form(
                "/admin/api-keys",
                &boss.cookie,
                &[
                    ("_csrf", &boss.csrf),
                    ("scope", scope),
                    ("department", &department),
                    ("name", "省信用信息共享平台"),
                ],
            )
            .await
        }
    };
    for (scope, department, message) in [
        ("", department.clone(), "请选择密钥用途"),
        ("push", String::new(), "报送密钥须选择报送单位"),
        ("feed", department.clone(), "共享读取密钥不属于任何单位"),
    ] {
        let refused = issue(scope, department).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{scope}");
        assert!(refused.body.contains(message), "{scope}: {message}");
        assert!(!refused.body.contains("hgk_"), "no key issued");
    }
    assert_eq!(count(&p, "select count(*) from api_keys").await, 0);

    issue_key(&p, &boss, d.id).await;
    issue_feed_key(&p, &boss).await;
    let listed = p.get_with_cookie("/admin/api-keys", &boss.cookie).await;
    let rows: Vec<&str> = listed.body.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].contains("<td>报送</td>") && rows[0].contains(&d.name));
    assert!(
        rows[1].contains("<td>共享读取</td><td>—</td>"),
        "{}",
        rows[1]
    );
    let scopes: Vec<(String, Option<i64>)> = p
        .rows("select scope, department_id from api_keys order by id")
        .await
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        scopes,
        vec![("push".to_string(), Some(d.id)), ("feed".to_string(), None)]
    );
}

/// A GET of `path` with the given headers.
async fn get_with(p: &Portal, path: &str, headers: &[(&str, &str)]) -> super::Answer {
    let mut request = axum::http::Request::get(path);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    p.send(request.body(axum::body::Body::empty()).unwrap())
        .await
}

#[tokio::test]
async fn the_feed_asked_as_a_stranger_would_gives_nothing_away() {
    let p = portal().await;
    let d = dept(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    add_account(&p, "clerk", Role::Reviewer, Some(d.id)).await;
    let boss = sign_in(&p, "boss").await;
    let clerk = sign_in(&p, "clerk").await;
    let feed_key = issue_feed_key(&p, &boss).await;
    let feed = "/api/v1/feed/changes?after=0";
    let refused_as = |answer: &super::Answer, status: StatusCode| {
        assert_eq!(answer.status, status, "{}", answer.body);
        let json: Value = serde_json::from_str(&answer.body).expect("a JSON answer");
        assert!(json["error"].is_string(), "{}", answer.body);
        assert!(answer.headers.get("x-next-cursor").is_none());
        assert!(answer.headers.get("access-control-allow-origin").is_none());
        for leak in ["record_kind", "subject", PERSON] {
            assert!(!answer.body.contains(leak), "{leak} in {}", answer.body);
        }
    };
    // No key; a staff member's session (a department's, or the
    // administrator's) instead of a key; a forged key.
    refused_as(&get_with(&p, feed, &[]).await, StatusCode::UNAUTHORIZED);
    for cookie in [&clerk.cookie, &boss.cookie] {
        refused_as(
            &get_with(&p, feed, &[("cookie", cookie)]).await,
            StatusCode::UNAUTHORIZED,
        );
    }
    let forged = format!("Bearer hgk_{}", "0".repeat(64));
    refused_as(
        &get_with(&p, feed, &[("authorization", &forged)]).await,
        StatusCode::UNAUTHORIZED,
    );
    // From another site's page, with the administrator's cookie riding
    // along: the feed takes keys, never cookies, and sends no CORS grant.
    refused_as(
        &get_with(
            &p,
            feed,
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
                ("cookie", &boss.cookie),
            ],
        )
        .await,
        StatusCode::UNAUTHORIZED,
    );
    // Bad input: a stranger is refused before its parameters are judged;
    // the key holder gets a Chinese message naming them.
    let bad = "/api/v1/feed/changes?after=abc&limit=-";
    refused_as(&get_with(&p, bad, &[]).await, StatusCode::UNAUTHORIZED);
    let bearer = format!("Bearer {feed_key}");
    let answer = get_with(&p, bad, &[("authorization", &bearer)]).await;
    refused_as(&answer, StatusCode::BAD_REQUEST);
    assert!(answer.body.contains("after"), "{}", answer.body);
    // Many in a row: a stranger's failures lock nobody out, and every
    // read of the holder is answered and registered.
    for _ in 0..100 {
        let answer = get_with(&p, feed, &[("authorization", &forged)]).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let registered = "select count(*) from audit_log where action = 'feed_read'";
    let before = count(&p, registered).await;
    for _ in 0..20 {
        let answer = get_with(&p, feed, &[("authorization", &bearer)]).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    }
    assert_eq!(count(&p, registered).await, before + 20);
}

#[tokio::test]
async fn the_api_description_is_public_and_the_same_for_everyone() {
    let p = portal().await;
    let d = dept(&p).await;
    add_account(&p, "clerk", Role::Reviewer, Some(d.id)).await;
    let clerk = sign_in(&p, "clerk").await;
    let path = "/api/v1/openapi.json";
    let plain = get_with(&p, path, &[]).await;
    assert_eq!(plain.status, StatusCode::OK);
    let spec: Value = serde_json::from_str(&plain.body).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    // Cookies, another site and query junk change nothing: it is the
    // same public document, and it holds no record and no key.
    for headers in [
        vec![("cookie", clerk.cookie.as_str())],
        vec![
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ],
    ] {
        let answer = get_with(&p, path, &headers).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body, plain.body);
        assert!(answer.headers.get("access-control-allow-origin").is_none());
    }
    assert_eq!(
        get_with(&p, "/api/v1/openapi.json?x=%ff", &[]).await.body,
        plain.body
    );
    for leak in ["hgk_", PERSON, "鹤市监罚"] {
        assert!(!plain.body.contains(leak), "{leak}");
    }
    // Writing to it is not a thing.
    let post = push_to(&p, path, "", "{}").await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    // Asked many times in a row: the same answer each time, cacheable.
    for _ in 0..200 {
        let answer = get_with(&p, path, &[]).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body.len(), plain.body.len());
    }
    assert_eq!(plain.headers["cache-control"], "public, max-age=3600");
}
