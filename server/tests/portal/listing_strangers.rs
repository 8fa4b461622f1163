//! The listing procedure's routes called as a stranger with a script would:
//! no cookie, another department's cookie, a cross-site form, bad input and
//! the same call many times in a row. Each is refused with nothing changed
//! and no listing data in the answer.

use app::domain::staff::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode};

use super::collect::count;
use super::staff::{add_account, sign_in, Member};
use super::NOTICE_ACK;
use super::{encode, portal, Portal};

const REASON: &str = "以欺骗手段取得许可，受到较重行政处罚";

struct Case {
    p: Portal,
    lister: Member,
    taxman: Member,
    boss: Member,
    number: String,
    code: String,
}

/// A portal with one notice served by the market regulator, a reviewer of
/// another department and an administrator.
async fn case() -> Case {
    let p = portal().await;
    let scjg = count(&p, "select id from departments where code = 'scjg'").await;
    let swj = count(&p, "select id from departments where code = 'swj'").await;
    add_account(&p, "lister", Role::Reviewer, Some(scjg)).await;
    add_account(&p, "taxman", Role::Reviewer, Some(swj)).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let (lister, taxman, boss) = (
        sign_in(&p, "lister").await,
        sign_in(&p, "taxman").await,
        sign_in(&p, "boss").await,
    );
    let penalty = count(
        &p,
        "select e.record_id from public_entries e join penalties x on x.id = e.record_id
         join departments d on d.id = x.department_id
         where e.record_kind = 'penalty' and d.code = 'scjg' order by e.sort_key desc limit 1",
    )
    .await
    .to_string();
    let served = p
        .post_form(
            "/admin/listings",
            &lister.cookie,
            &[
                ("_csrf", lister.csrf.as_str()),
                ("penalty", penalty.as_str()),
                ("domain", "market_serious_violation"),
                ("reason", REASON),
                ("basis", "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第十条"),
                ("measures", "依法依规予以限制"),
            ],
        )
        .await;
    assert_eq!(served.status, StatusCode::CREATED, "{}", served.body);
    let from = served.body.find("<p class=\"issued-key\">").unwrap() + 22;
    let code = served.body[from..from + 14].to_string();
    let number: String = p.rows("select number from serious_listings").await[0].get(0);
    Case {
        p,
        lister,
        taxman,
        boss,
        number,
        code,
    }
}

fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A form posted from another site (the browser says so).
pub(super) async fn cross_site(
    p: &Portal,
    uri: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> StatusCode {
    p.send(
        Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookie)
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://evil.example")
            .body(Body::from(form_body(fields)))
            .unwrap(),
    )
    .await
    .status
}

async fn state_and_events(p: &Portal) -> (String, i64) {
    let state: String = p.rows("select state from serious_listings").await[0].get(0);
    (
        state,
        count(p, "select count(*) from serious_listing_events").await,
    )
}

#[tokio::test]
async fn the_console_routes_answer_only_the_department_and_the_authority() {
    let c = case().await;
    let p = &c.p;
    let page = format!("/admin/listings/{}", c.number);
    let act = format!("{page}/act");
    let new = "/admin/listings/new?penalty=1";
    let before = state_and_events(p).await;

    // No cookie: sent to sign in (GET) or refused (POST), no data.
    for path in ["/admin/listing-oversight", new, page.as_str()] {
        let (status, body) = p.get(path).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "anonymous {path}");
        assert!(
            !body.contains(REASON) && !body.contains(&c.number),
            "{path}"
        );
    }
    let anonymous = p
        .post_form(
            &act,
            "",
            &[
                ("expected_state", "notified"),
                ("action", "withdraw"),
                ("text", "x"),
            ],
        )
        .await;
    assert!(
        matches!(
            anonymous.status,
            StatusCode::SEE_OTHER | StatusCode::FORBIDDEN
        ),
        "{}",
        anonymous.status
    );

    // Another department: the listing does not exist for it; the
    // oversight is the authority's alone.
    let other = p.get_with_cookie(&page, &c.taxman.cookie).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.body.contains(REASON));
    let other_act = p
        .post_form(
            &act,
            &c.taxman.cookie,
            &[
                ("_csrf", &c.taxman.csrf),
                ("expected_state", "notified"),
                ("action", "withdraw"),
                ("text", "不列入"),
            ],
        )
        .await;
    assert_eq!(other_act.status, StatusCode::NOT_FOUND);
    let oversight = p
        .get_with_cookie("/admin/listing-oversight", &c.taxman.cookie)
        .await;
    assert_eq!(oversight.status, StatusCode::FORBIDDEN);
    let admin_page = p.get_with_cookie(&page, &c.boss.cookie).await;
    assert_eq!(
        admin_page.status,
        StatusCode::FORBIDDEN,
        "administrators do not list"
    );

    // Cross-site, and a form without the page's token.
    let fields = [
        ("_csrf", c.lister.csrf.as_str()),
        ("expected_state", "notified"),
        ("action", "withdraw"),
        ("text", "不列入"),
    ];
    assert_eq!(
        cross_site(p, &act, &c.lister.cookie, &fields).await,
        StatusCode::FORBIDDEN
    );
    let forged = p
        .post_form(
            &act,
            &c.lister.cookie,
            &[
                ("_csrf", "forged"),
                ("expected_state", "notified"),
                ("action", "withdraw"),
                ("text", "不列入"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let proposal = [
        ("_csrf", c.lister.csrf.as_str()),
        ("penalty", "1"),
        ("domain", "market_serious_violation"),
    ];
    assert_eq!(
        cross_site(p, "/admin/listings", &c.lister.cookie, &proposal).await,
        StatusCode::FORBIDDEN
    );

    // Bad input: unknown or malformed numbers and penalties are 404;
    // an unknown action or an overlong text is a 400 naming the field.
    for path in [
        "/admin/listings/GZ2026112699999",
        "/admin/listings/..%2F..%2Fetc",
        "/admin/listings/%3Cscript%3E",
        "/admin/listings/new?penalty=abc",
        "/admin/listings/new?penalty=-1",
        "/admin/listings/new?penalty=99999999999999999999",
    ] {
        let answer = p.get_with_cookie(path, &c.lister.cookie).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!answer.body.contains("<script>"), "{path}");
    }
    let bogus = p
        .post_form(
            &act,
            &c.lister.cookie,
            &[
                ("_csrf", &c.lister.csrf),
                ("expected_state", "notified"),
                ("action", "delete_everything"),
            ],
        )
        .await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST);
    assert!(bogus.body.contains("请选择办理结果"));
    let long = "长".repeat(2001);
    let overlong = p
        .post_form(
            &act,
            &c.lister.cookie,
            &[
                ("_csrf", &c.lister.csrf),
                ("expected_state", "notified"),
                ("action", "withdraw"),
                ("text", &long),
            ],
        )
        .await;
    assert_eq!(overlong.status, StatusCode::BAD_REQUEST);
    assert!(overlong.body.contains("不能超过 2000 字"));

    // Many times in a row: a decision refused while the window is open
    // stays refused, and nothing is written however often it is asked.
    for _ in 0..25 {
        let early = p
            .post_form(
                &act,
                &c.lister.cookie,
                &[
                    ("_csrf", &c.lister.csrf),
                    ("expected_state", "notified"),
                    ("action", "decide"),
                ],
            )
            .await;
        assert_eq!(early.status, StatusCode::BAD_REQUEST);
        let again = p
            .get_with_cookie("/admin/listing-oversight", &c.boss.cookie)
            .await;
        assert_eq!(again.status, StatusCode::OK);
    }
    assert_eq!(
        state_and_events(p).await,
        before,
        "a refused call changed the listing"
    );
    assert_eq!(
        count(
            p,
            "select count(*) from serious_entries where domain_code is null"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_notice_routes_give_nothing_to_a_stranger() {
    let c = case().await;
    let p = &c.p;
    let notice = format!("/notices/{}", c.number);
    let answer = format!("{notice}/answer");
    let before = state_and_events(p).await;

    // The code form is public and shows nothing of the notice.
    let (status, body) = p.get(&notice).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains(REASON));
    let (status, body) = p.get("/notices/%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !body.contains("<script>alert"),
        "the number is not echoed raw"
    );

    // Cross-site posts are refused even with the right code.
    let right = [("code", c.code.as_str())];
    assert_eq!(
        cross_site(p, &notice, "", &right).await,
        StatusCode::FORBIDDEN
    );
    let answered = [("code", c.code.as_str()), ("statement", "已整改")];
    assert_eq!(
        cross_site(p, &answer, "", &answered).await,
        StatusCode::FORBIDDEN
    );

    // A staff cookie opens nothing: only the code does.
    let staff = p
        .post_form(&notice, &c.lister.cookie, &[("code", "")])
        .await;
    assert_eq!(staff.status, StatusCode::BAD_REQUEST);
    assert!(!staff.body.contains(REASON));

    // Bad input: a malformed code names the field; a wrong one and an
    // unknown number get the same answer; an empty or overlong statement
    // is refused with the right code, nothing stored.
    let malformed = p
        .post_form(
            &notice,
            "",
            &[("code", "'; drop table serious_listings; --")],
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.body.contains("查询码应为 12 位字母和数字"));
    let wrong = p
        .post_form(
            &answer,
            "",
            &[("code", "ABCD-EFGH-JKMN"), ("statement", "篡改")],
        )
        .await;
    let unknown = p
        .post_form(
            "/notices/GZ2026112699999/answer",
            "",
            &[("code", "ABCD-EFGH-JKMN"), ("statement", "篡改")],
        )
        .await;
    assert_eq!(
        (wrong.status, unknown.status),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    assert!(
        wrong.body.contains("告知书编号或查询码不正确")
            && unknown.body.contains("告知书编号或查询码不正确")
    );
    let empty = p
        .post_form(
            &answer,
            "",
            &[
                ("code", &c.code),
                ("statement", "  "),
                NOTICE_ACK[0],
                NOTICE_ACK[1],
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(
        empty.body.contains("请填写陈述、申辩意见"),
        "{}",
        empty.body
    );
    let long = "长".repeat(5001);
    let overlong = p
        .post_form(
            &answer,
            "",
            &[
                ("code", &c.code),
                ("statement", &long),
                NOTICE_ACK[0],
                NOTICE_ACK[1],
            ],
        )
        .await;
    assert_eq!(overlong.status, StatusCode::BAD_REQUEST);
    assert!(overlong.body.contains("不能超过 5000 字"));
    assert_eq!(
        state_and_events(p).await,
        before,
        "a refused call changed the listing"
    );

    // Many wrong codes in a row: limited per client, and then even the
    // right code is not compared.
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(
            p.post_form(&notice, "", &[("code", "ABCD-EFGH-JKMN")])
                .await
                .status,
        );
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let limited = p.post_form(&notice, "", &right).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!limited.body.contains(REASON));
    let limited = p.post_form(&answer, "", &answered).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(state_and_events(p).await, before);
}
