//! Two app servers on one database and one evidence store, as behind a
//! proxy that sends each request wherever it likes: what one server wrote,
//! the other continues; a limit reached through one holds on the other.
//! (On SQLite the "second server" is a second process's pool on the same
//! file; on PostgreSQL it is what several machines do.)

use app::domain::staff::Role;
use axum::http::StatusCode;

use super::repair::{eligible_records_of_departments, fill_in, JPEG, PDF, PNG};
use super::staff::{add_account, sign_in};
use super::{portal, Portal};

/// Uploads the three files of an application and submits it on `p`; the
/// application number.
async fn upload_and_submit(p: &Portal, base: &str, cookie: &str) -> String {
    let evidence = format!("{base}/evidence");
    for (kind, name, bytes) in [
        ("fulfilment", "a.pdf", PDF),
        ("rectification", "b.png", PNG),
        ("identity", "c.jpg", JPEG),
    ] {
        let answer = p.upload(&evidence, cookie, kind, name, bytes).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    }
    let submitted = p.post_form(&format!("{base}/submit"), cookie, &[]).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    let receipt = submitted.cookie("repair_receipt").expect("receipt");
    let value = receipt.split('=').nth(1).unwrap().to_string();
    value.split('.').next().unwrap().to_string()
}

#[tokio::test]
async fn a_draft_started_on_one_server_is_finished_and_reviewed_on_the_other() {
    let one = portal().await;
    let two = one.second_server(Default::default()).await;
    let (id, code, department) = eligible_records_of_departments(&one).await[0].clone();
    let base = format!("/repair/apply/{id}");

    // Started and filled in on one, its files and submission on two.
    let cookie = fill_in(&one, &base, &code).await;
    let number = upload_and_submit(&two, &base, &cookie).await;
    assert!(number.starts_with("XF"), "{number}");

    // A reviewer signs in on two; the session holds on one, where the
    // evidence written through two is downloaded whole.
    add_account(&one, "reviewer2", Role::Reviewer, Some(department)).await;
    let reviewer = sign_in(&two, "reviewer2").await;
    let page = one
        .get_with_cookie(&format!("/admin/repairs/{number}"), &reviewer.cookie)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let file: i64 = one
        .rows(&format!(
            "select f.id from repair_files f join repair_applications a on a.id = f.application_id
             where a.number = '{number}' and f.display_name = 'a.pdf'"
        ))
        .await[0]
        .get(0);
    let download = one
        .get_with_cookie(
            &format!("/admin/repairs/{number}/files/{file}"),
            &reviewer.cookie,
        )
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_bytes(), PDF, "the file as uploaded");
}

/// One wrong number/code pair sent to `p`.
async fn guess(p: &Portal) -> StatusCode {
    p.post_form(
        "/repair/track",
        "",
        &[("number", "XF2026010100001"), ("code", "2345-6789-ABCD")],
    )
    .await
    .status
}

#[tokio::test]
async fn wrong_tracking_codes_counted_on_one_server_hold_on_the_other() {
    let one = portal().await;
    let two = one.second_server(Default::default()).await;
    for n in 0..10 {
        let server = if n % 2 == 0 { &one } else { &two };
        assert_eq!(guess(server).await, StatusCode::NOT_FOUND, "guess {n}");
    }
    assert_eq!(guess(&one).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(guess(&two).await, StatusCode::TOO_MANY_REQUESTS);
}
