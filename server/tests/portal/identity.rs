//! The identity step of a repair application, attacked from the outside:
//! guessing what masking hides, opening fresh drafts and changing address
//! to get more guesses, and holding a company's record with an
//! application that is not the company's.

use std::net::SocketAddr;

use app::domain::SubjectKind;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};

use super::repair::{eligible_record, repairable, representative_id, submit_application};
use super::staff::{add_account, sign_in};
use super::{encode, portal, Answer, Portal};
use app::domain::staff::Role;

/// A form post from client address `ip`.
pub(super) async fn post_from(
    p: &Portal,
    ip: &str,
    uri: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> Answer {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    p.send(
        Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookie)
            .header("sec-fetch-site", "same-origin")
            .extension(ConnectInfo(SocketAddr::new(ip.parse().unwrap(), 40000)))
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// The identity step's two answers, sent from `ip`.
async fn identify(
    p: &Portal,
    ip: &str,
    uri: &str,
    cookie: &str,
    first: &str,
    second: &str,
) -> Answer {
    post_from(
        p,
        ip,
        uri,
        cookie,
        &[("identity", first), ("identity_second", second)],
    )
    .await
}

/// A fresh draft for `id` from `ip`, up to the identity step.
async fn draft_at_identity(p: &Portal, ip: &str, id: i64) -> String {
    let base = format!("/repair/apply/{id}");
    let start = post_from(p, ip, &format!("{base}/start"), "", &[]).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    let cookie = start.cookie("repair_draft").expect("draft cookie");
    let ok = post_from(
        p,
        ip,
        &format!("{base}/applicant"),
        &cookie,
        &[
            ("applicant_kind", "subject"),
            ("applicant_name", "王五"),
            ("notice_ack", "yes"),
            (
                "notice_version",
                app::domain::privacy_notice::NOTICE_VERSION,
            ),
            ("contact_phone", "13800001234"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    cookie
}

/// A published, repairable penalty of a natural person: (id, ID number,
/// full name).
async fn person_record(p: &Portal) -> (i64, String, String) {
    let penalty = repairable(p, SubjectKind::NaturalPerson)
        .await
        .into_iter()
        .next()
        .expect("demo data should hold a repairable natural person's penalty");
    (
        penalty.id,
        penalty.subject.id_number.unwrap(),
        penalty.subject.name,
    )
}

/// The candidates a stranger would try for a masked ID number: the same
/// first six and last four characters, other birth dates, only those the
/// check character allows (about one in eleven).
fn candidates(id_number: &str) -> impl Iterator<Item = String> + '_ {
    (1950..2005)
        .flat_map(move |year| {
            (1..=12).flat_map(move |month| {
                (1..=28).map(move |day| {
                    format!(
                        "{}{year}{month:02}{day:02}{}",
                        &id_number[..6],
                        &id_number[14..]
                    )
                })
            })
        })
        .filter(|c| app::domain::IdNumber::parse(c).is_ok())
}

#[tokio::test]
async fn guessing_a_persons_hidden_digits_is_stopped_whatever_the_draft_or_address() {
    let p = portal().await;
    let (id, id_number, name) = person_record(&p).await;
    let uri = format!("/repair/apply/{id}/identity");
    let mut wrong = candidates(&id_number).filter(|c| *c != id_number);
    // The stranger opens a fresh draft from a fresh address for every
    // guess: the record's limit still stops it after ten.
    let mut last = StatusCode::OK;
    for i in 0..10 {
        let ip = format!("198.51.100.{i}");
        let cookie = draft_at_identity(&p, &ip, id).await;
        let guess = wrong.next().unwrap();
        last = identify(&p, &ip, &uri, &cookie, &guess, &name).await.status;
    }
    assert_ne!(last, StatusCode::TOO_MANY_REQUESTS);
    // Now even the right answer is not compared: nothing can be learnt.
    let cookie = draft_at_identity(&p, "203.0.113.9", id).await;
    let refused = identify(&p, "203.0.113.9", &uri, &cookie, &id_number, &name).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("窗口"), "{}", refused.body);
    assert!(refused.location().is_empty());
}

#[tokio::test]
async fn one_draft_and_one_address_get_few_guesses() {
    let p = portal().await;
    let (id, id_number, name) = person_record(&p).await;
    let uri = format!("/repair/apply/{id}/identity");
    let mut wrong = candidates(&id_number).filter(|c| *c != id_number);
    let cookie = draft_at_identity(&p, "198.51.100.1", id).await;
    for _ in 0..5 {
        let guess = wrong.next().unwrap();
        let answer = identify(&p, "198.51.100.1", &uri, &cookie, &guess, &name).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(answer.body.contains("不一致"));
    }
    // The sixth from this draft is not compared, even from elsewhere.
    let sixth = identify(&p, "198.51.100.200", &uri, &cookie, &id_number, &name).await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    // A malformed answer is not a guess and says what to fix.
    let fresh = draft_at_identity(&p, "198.51.100.2", id).await;
    let malformed = identify(&p, "198.51.100.2", &uri, &fresh, "2304041990", &name).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.body.contains("href=\"#identity\""));
    // The subject itself, with both answers right, goes on.
    let ok = identify(&p, "198.51.100.2", &uri, &fresh, &id_number, &name).await;
    assert_eq!(
        ok.location(),
        format!("/repair/apply/{id}/pledge"),
        "{}",
        ok.body
    );
}

#[tokio::test]
async fn the_public_credit_code_alone_opens_nothing() {
    let p = portal().await;
    let (id, code) = eligible_record(&p).await;
    let rep = representative_id(&p, id).await;
    let uri = format!("/repair/apply/{id}/identity");
    let cookie = draft_at_identity(&p, "198.51.100.7", id).await;
    // What the public page shows is not enough.
    let bare = post_from(&p, "198.51.100.7", &uri, &cookie, &[("identity", &code)]).await;
    assert_eq!(bare.status, StatusCode::BAD_REQUEST);
    assert!(
        bare.body.contains("href=\"#identity_second\""),
        "{}",
        bare.body
    );
    let guessed = identify(
        &p,
        "198.51.100.7",
        &uri,
        &cookie,
        &code,
        "230404199001011336",
    )
    .await;
    assert_eq!(guessed.status, StatusCode::BAD_REQUEST);
    // The representative's ID number is on no public page.
    let (_, record_page) = p.get(&format!("/penalties/{id}")).await;
    assert!(!record_page.contains(&rep));
    let ok = identify(&p, "198.51.100.7", &uri, &cookie, &code, &rep).await;
    assert_eq!(ok.location(), format!("/repair/apply/{id}/pledge"));
}

#[tokio::test]
async fn an_open_application_is_neither_shown_nor_a_lock_a_stranger_holds() {
    let p = portal().await;
    let (id, code) = eligible_record(&p).await;
    let (number, _) = submit_application(&p, id, &code).await;
    // Anyone may read the start page: it does not tell that an
    // application exists, let alone its number.
    let (status, start) = p.get(&format!("/repair/apply/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!start.contains(&number), "the start page shows the number");
    assert!(start.contains("开始申请"));
    assert!(!start.contains("已有正在办理"));
    // Someone who passes the identity step learns it is open, not its number.
    let rep = representative_id(&p, id).await;
    let cookie = draft_at_identity(&p, "198.51.100.8", id).await;
    let uri = format!("/repair/apply/{id}/identity");
    let fields = [
        ("identity", code.as_str()),
        ("identity_second", rep.as_str()),
    ];
    let open = post_from(&p, "198.51.100.8", &uri, &cookie, &fields).await;
    assert_eq!(open.status, StatusCode::CONFLICT);
    assert!(open.body.contains("已有正在办理") && !open.body.contains(&number));

    // The department finds it was not the subject's and voids it, with a
    // reason; the record is free again.
    let app = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    add_account(&p, "voider", Role::Reviewer, Some(app.department_id)).await;
    let reviewer = sign_in(&p, "voider").await;
    let decide = format!("/admin/repairs/{number}/decide");
    let no_reason = reviewer.decide(&p, &decide, "submitted", "void", &[]).await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(no_reason.body.contains("作废须写明理由"));
    let voided = reviewer
        .decide(
            &p,
            &decide,
            "submitted",
            "void",
            &[("reason", "经电话核实，申请人并非该企业或其代理人")],
        )
        .await;
    assert_eq!(voided.status, StatusCode::SEE_OTHER, "{}", voided.body);
    let app = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.state.label(), "已作废");
    let again = post_from(&p, "198.51.100.8", &uri, &cookie, &fields).await;
    assert_eq!(again.location(), format!("/repair/apply/{id}/pledge"));
}
