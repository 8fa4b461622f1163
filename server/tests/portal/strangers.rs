//! What a stranger learns and what bad input does: a subject with nothing
//! public reads like one that never existed, server functions answer
//! garbage with 400 or 404 (not 500), text posted back into a form stays
//! text, and only a database with demo data says it has some.

use std::sync::{Arc, Mutex};

use app::domain::staff::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode};

use super::repair::{eligible_record, submit_application};
use super::staff::{add_account, sign_in};
use super::{empty_portal, portal, today, Answer, Portal};

/// A credit code with a right check character that no subject has.
async fn unused_credit_code(p: &Portal, like: &str) -> String {
    for digit in '0'..='9' {
        let mut first17: String = like.chars().take(17).collect();
        first17.replace_range(16..17, &digit.to_string());
        let code = format!(
            "{first17}{}",
            app::domain::credit_code::check_char(&first17).unwrap()
        );
        let taken = !p
            .rows(&format!(
                "select 1 from subjects where credit_code = '{code}'"
            ))
            .await
            .is_empty();
        if !taken {
            return code;
        }
    }
    panic!("no unused code near {like}");
}

/// A page without what differs between any two answers: the code asked
/// for, and the per-response CSP nonce.
fn comparable(answer: &Answer, code: &str) -> String {
    answer
        .body
        .replace(code, "CODE")
        .replace(&answer.csp_nonce(), "NONCE")
}

#[tokio::test]
async fn a_subject_with_nothing_public_reads_like_an_unknown_code() {
    let p = portal().await;
    // An organisation whose records were all repaired or have ended.
    let rows = p
        .rows(&format!(
            "select s.credit_code, s.name, s.representative from subjects s
             where s.credit_code is not null and s.representative is not null
               and exists (select 1 from penalties x where x.subject_id = s.id
                           and x.repaired_on is not null)
               and not exists (select 1 from public_entries e where e.subject_id = s.id
                               and e.until >= '{}')
             limit 1",
            today()
        ))
        .await;
    let row = rows
        .first()
        .expect("demo data should hold a subject whose only records were repaired");
    let code: String = row.get(0);
    let name: String = row.get(1);
    let representative: String = row.get(2);
    let unknown = unused_credit_code(&p, &code).await;

    let known = p.get_with_cookie(&format!("/subjects/{code}"), "").await;
    let never = p.get_with_cookie(&format!("/subjects/{unknown}"), "").await;
    assert_eq!(never.status, StatusCode::NOT_FOUND);
    assert_eq!(known.status, never.status);
    assert!(!known.body.contains(&name) && !known.body.contains(&representative));
    assert_eq!(comparable(&known, &code), comparable(&never, &unknown));

    // The server function behind the page answers the same way.
    let api = |code: &str| {
        Request::post("/api/subject")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("code={code}")))
            .unwrap()
    };
    let known = p.send(api(&code)).await;
    let never = p.send(api(&unknown)).await;
    assert!(known.body.contains("未找到"), "{}", known.body);
    assert_eq!(known.status, StatusCode::NOT_FOUND);
    assert_eq!(known.status, never.status);
    assert_eq!(known.body, never.body);
}

/// Everything logged at ERROR while it is held.
#[derive(Clone, Default)]
struct Errors(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Errors {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Errors {
    type Writer = Errors;
    fn make_writer(&'a self) -> Errors {
        self.clone()
    }
}

async fn call(p: &Portal, endpoint: &str, content_type: &str, body: &str) -> Answer {
    p.send(
        Request::post(endpoint)
            .header("content-type", content_type)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn server_functions_answer_garbage_as_bad_input_without_an_error_log() {
    let p = portal().await;
    let errors = Errors::default();
    // This test's thread only (a tokio test runs on one thread).
    let _logging = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_writer(errors.clone())
            .with_max_level(tracing::Level::ERROR)
            .with_ansi(false)
            .finish(),
    );
    let form = "application/x-www-form-urlencoded";
    let json = "application/json";
    for (endpoint, content_type, body, status, needle) in [
        (
            "/api/subject",
            form,
            "code=not-a-code",
            StatusCode::NOT_FOUND,
            "统一社会信用代码",
        ),
        (
            "/api/subject",
            form,
            "",
            StatusCode::BAD_REQUEST,
            "统一社会信用代码",
        ),
        (
            "/api/subject",
            form,
            "code=%FF%FE",
            StatusCode::NOT_FOUND,
            "统一社会信用代码",
        ),
        (
            "/api/record",
            form,
            "kind=nonsense&id=1",
            StatusCode::BAD_REQUEST,
            "信息类别",
        ),
        (
            "/api/record",
            form,
            "kind=penalty&id=abc",
            StatusCode::NOT_FOUND,
            "未找到",
        ),
        (
            "/api/record",
            form,
            "id=1",
            StatusCode::BAD_REQUEST,
            "信息类别",
        ),
        (
            "/api/search",
            json,
            "{not json",
            StatusCode::BAD_REQUEST,
            "请求参数有误",
        ),
        (
            "/api/search",
            json,
            r#"{"params":{"page":"0"}}"#,
            StatusCode::BAD_REQUEST,
            "页码",
        ),
        (
            "/api/search",
            json,
            r#"{"params":{"type":"<script>"}}"#,
            StatusCode::BAD_REQUEST,
            "信息类别",
        ),
    ] {
        let answer = call(&p, endpoint, content_type, body).await;
        assert_eq!(answer.status, status, "{endpoint} {body}: {}", answer.body);
        assert!(
            answer.body.contains(needle),
            "{endpoint} {body} should name {needle}: {}",
            answer.body
        );
        for internal in ["missing field", "expected", "line 1", "Error", "serde"] {
            assert!(
                !answer.body.contains(internal),
                "{endpoint} {body} leaks {internal}: {}",
                answer.body
            );
        }
    }
    // Good input still works.
    let ok = call(&p, "/api/search", json, r#"{"params":{"q":"鹤岗"}}"#).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let logged = String::from_utf8_lossy(&errors.0.lock().unwrap()).into_owned();
    assert!(logged.is_empty(), "logged at ERROR: {logged}");
}

#[tokio::test]
async fn text_posted_back_into_the_review_form_stays_text() {
    let p = portal().await;
    let (record_id, code) = eligible_record(&p).await;
    let (number, _) = submit_application(&p, record_id, &code).await;
    let department = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap()
        .department_id;
    add_account(&p, "right", Role::Reviewer, Some(department)).await;
    let right = sign_in(&p, "right").await;
    let attack = "</textarea><script>alert(1)</script>";
    // No action chosen: the form comes back with both texts in it.
    let refused = p
        .post_form(
            &format!("/admin/repairs/{number}/decide"),
            &right.cookie,
            &[
                ("_csrf", &right.csrf),
                ("expected_state", "submitted"),
                ("reason", attack),
                ("remedies", attack),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(!refused.body.contains("<script>"), "{}", refused.body);
    assert_eq!(
        refused
            .body
            .matches("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>")
            .count(),
        2,
        "{}",
        refused.body
    );
}

const BANNER: &str = "演示数据：";

#[tokio::test]
async fn only_a_database_with_demo_data_says_so() {
    let empty = empty_portal().await;
    for path in ["/", "/search", "/admin/login", "/repair/track"] {
        let answer = empty.get_with_cookie(path, "").await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(!answer.body.contains(BANNER), "{path}");
        assert!(!answer.body.contains("演示站"), "{path}");
    }
    let demo = portal().await;
    for path in ["/", "/admin/login"] {
        let answer = demo.get_with_cookie(path, "").await;
        assert!(answer.body.contains(BANNER), "{path}");
    }
}
