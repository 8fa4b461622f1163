//! What a stranger learns and what bad input does: server functions
//! answer garbage with 400 or 404 (not 500).

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};

use super::{portal, Answer, Portal};

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
