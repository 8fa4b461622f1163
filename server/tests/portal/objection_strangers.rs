//! The objection routes called as a stranger with a script would: no
//! cookie, another department's cookie, a cross-site form, bad input and
//! the same call many times in a row. Each is refused with nothing changed
//! and no objection data in the answer.

use app::domain::staff::Role;
use axum::http::StatusCode;

use super::collect::count;
use super::listing_strangers::cross_site;
use super::objections::{act, filed, objectable_penalty, reviewers, track};
use super::portal;
use super::staff::{add_account, sign_in};

const PHONE: &str = "13800001234";

async fn state_and_events(p: &super::Portal, number: &str) -> (String, i64) {
    let state: String = p
        .rows(&format!(
            "select state from objections where number = '{number}'"
        ))
        .await[0]
        .get(0);
    (
        state,
        count(p, "select count(*) from objection_events").await,
    )
}

#[tokio::test]
async fn the_console_objection_routes_answer_only_the_department_and_the_authority() {
    let p = portal().await;
    let (verifier, taxman) = reviewers(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let (id, code, rep) = objectable_penalty(&p, 5).await;
    let (number, _) = filed(&p, id, &code, &rep).await;
    let page = format!("/admin/objections/{number}");
    let act_path = format!("{page}/act");
    let before = state_and_events(&p, &number).await;

    // No cookie: sent to sign in, no data.
    for path in [
        "/admin/objections",
        "/admin/objection-oversight",
        page.as_str(),
    ] {
        let (status, body) = p.get(path).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "anonymous {path}");
        assert!(!body.contains(&number) && !body.contains(PHONE), "{path}");
    }
    let anonymous = p
        .post_form(
            &act_path,
            "",
            &[("expected_state", "submitted"), ("action", "accept")],
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

    // Another department: the objection does not exist for it; its own
    // list does not show it; the oversight is the authority's alone.
    let other = p.get_with_cookie(&page, &taxman.cookie).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.body.contains(PHONE));
    let other_list = p.get_with_cookie("/admin/objections", &taxman.cookie).await;
    assert_eq!(other_list.status, StatusCode::OK);
    assert!(!other_list.body.contains(&number));
    assert_eq!(
        act(&p, &taxman, &number, "accept", "").await.status,
        StatusCode::NOT_FOUND
    );
    let oversight = p
        .get_with_cookie("/admin/objection-oversight", &taxman.cookie)
        .await;
    assert_eq!(oversight.status, StatusCode::FORBIDDEN);
    for path in ["/admin/objections", page.as_str()] {
        let answer = p.get_with_cookie(path, &boss.cookie).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "administrators do not verify: {path}"
        );
        assert!(!answer.body.contains(PHONE));
    }

    // Cross-site, and a form without the page's token.
    let fields = [
        ("_csrf", verifier.csrf.as_str()),
        ("expected_state", "submitted"),
        ("action", "accept"),
    ];
    assert_eq!(
        cross_site(&p, &act_path, &verifier.cookie, &fields).await,
        StatusCode::FORBIDDEN
    );
    let forged = p
        .post_form(
            &act_path,
            &verifier.cookie,
            &[
                ("_csrf", "forged"),
                ("expected_state", "submitted"),
                ("action", "accept"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Bad input: unknown or malformed numbers are 404; an unknown action,
    // the objector's own action or an overlong text is a 400 naming it.
    for path in [
        "/admin/objections/YY2026112699999",
        "/admin/objections/..%2F..%2Fetc",
        "/admin/objections/%3Cscript%3E",
        "/admin/objections/XF2026112600001",
    ] {
        let answer = p.get_with_cookie(path, &verifier.cookie).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!answer.body.contains("<script>"), "{path}");
    }
    for action in ["delete_everything", "withdraw", "supplement"] {
        let bogus = act(&p, &verifier, &number, action, "x").await;
        assert_eq!(bogus.status, StatusCode::BAD_REQUEST, "{action}");
        assert!(bogus.body.contains("请选择办理结果"), "{action}");
    }
    let long = "长".repeat(2001);
    let overlong = act(&p, &verifier, &number, "refuse", &long).await;
    assert_eq!(overlong.status, StatusCode::BAD_REQUEST);
    assert!(overlong.body.contains("不能超过 2000 字"));
    assert_eq!(
        state_and_events(&p, &number).await,
        before,
        "nothing changed"
    );

    // Many times in a row: the first acceptance is taken, the rest are
    // answered as a page that moved on, and one event is written.
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let answer = p
            .post_form(
                &act_path,
                &verifier.cookie,
                &[
                    ("_csrf", verifier.csrf.as_str()),
                    ("expected_state", "submitted"),
                    ("action", "accept"),
                ],
            )
            .await;
        statuses.push(answer.status);
    }
    assert_eq!(statuses[0], StatusCode::SEE_OTHER);
    assert!(
        statuses[1..].iter().all(|s| *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(
        count(
            &p,
            "select count(*) from objection_events where action = 'accept'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_tracking_routes_give_nothing_to_a_stranger() {
    let p = portal().await;
    let (verifier, _) = reviewers(&p).await;
    let (id, code, rep) = objectable_penalty(&p, 6).await;
    let (number, tracking) = filed(&p, id, &code, &rep).await;
    let before = state_and_events(&p, &number).await;

    // The form is public and shows nothing of any objection.
    let (status, body) = p.get("/objections/track").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains(&number));

    // Cross-site posts are refused even with the right code.
    let right = [("number", number.as_str()), ("code", tracking.as_str())];
    for path in ["/objections/track", "/objections/track/withdraw"] {
        assert_eq!(
            cross_site(&p, path, "", &right).await,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // A staff cookie opens nothing: only the code does.
    let staff = p
        .post_form(
            "/objections/track/withdraw",
            &verifier.cookie,
            &[("number", &number)],
        )
        .await;
    assert_eq!(staff.status, StatusCode::BAD_REQUEST);
    assert!(!staff.body.contains("王红"));

    // Bad input names the field; a wrong code and an unknown number get
    // the same answer; nothing is withdrawn.
    let malformed = p
        .post_form(
            "/objections/track/withdraw",
            "",
            &[
                ("number", "'; drop table objections; --"),
                ("code", "<script>"),
            ],
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.body.contains("异议编号") && !malformed.body.contains("<script>"));
    let wrong = p
        .post_form(
            "/objections/track/withdraw",
            "",
            &[("number", &number), ("code", "ABCD-EFGH-JKMN")],
        )
        .await;
    let unknown = track(&p, "YY2026112699999", "ABCD-EFGH-JKMN").await;
    assert_eq!(
        (wrong.status, unknown.status),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    assert!(
        wrong.body.contains("异议编号或查询码不正确")
            && unknown.body.contains("异议编号或查询码不正确")
    );
    assert_eq!(
        state_and_events(&p, &number).await,
        before,
        "nothing changed"
    );

    // The right code withdraws once; the same call again changes nothing.
    let done = p
        .post_form(
            "/objections/track/withdraw",
            "",
            &[("number", &number), ("code", &tracking)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    let again = p
        .post_form(
            "/objections/track/withdraw",
            "",
            &[("number", &number), ("code", &tracking)],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("不能再撤回"), "{}", again.body);
    assert_eq!(
        count(
            &p,
            "select count(*) from objection_events where action = 'withdraw'"
        )
        .await,
        1
    );

    // Many wrong codes in a row: limited per client, whichever route.
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last = p
            .post_form(
                "/objections/track/withdraw",
                "",
                &[("number", &number), ("code", "ABCD-EFGH-JKMN")],
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        track(&p, &number, &tracking).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}
