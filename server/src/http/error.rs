//! The one error type of the request handlers.
//!
//! A handler ends early in one of two ways: with a page it chose (a refusal,
//! a form shown again with its errors, a redirect), or because something
//! below it failed (the database, the random source). The first is shown as
//! it is; the second is logged once, here, with its cause, and the user sees
//! the failure page of the handler's *area*, which says what happened to
//! their work without naming the cause.
//!
//! Handlers return [`Handled<A>`] and use `?`: a `StoreError` or a failed
//! random draw becomes a logged failure, a `Response` (or a boxed one, as the
//! staff checks return) passes through untouched.

use std::fmt::Display;
use std::marker::PhantomData;

use app::store::StoreError;
use axum::response::{IntoResponse, Response};

/// A part of the site with its own failure page.
pub trait Area: 'static {
    /// Names the area in the log line of a failure.
    const NAME: &'static str;
    /// What the user sees (status 500) when something below the handler
    /// failed.
    fn failure_page() -> Response;
}

/// Why a handler stopped before its normal answer.
pub enum HandlerError<A: Area> {
    /// A finished response the handler chose (boxed: a `Result` that
    /// carries it stays small on the happy path).
    Respond(Box<Response>),
    /// A failure below the handler; the text is for the log only.
    Failed(String, PhantomData<A>),
}

/// What a handler of area `A` returns.
pub type Handled<A> = Result<Response, HandlerError<A>>;

impl<A: Area> HandlerError<A> {
    /// A failure with `cause` written to the log.
    pub fn failed(cause: impl Display) -> Self {
        Self::Failed(cause.to_string(), PhantomData)
    }
}

impl<A: Area> From<Response> for HandlerError<A> {
    fn from(response: Response) -> Self {
        Self::Respond(Box::new(response))
    }
}

impl<A: Area> From<Box<Response>> for HandlerError<A> {
    fn from(response: Box<Response>) -> Self {
        Self::Respond(response)
    }
}

impl<A: Area> From<StoreError> for HandlerError<A> {
    fn from(err: StoreError) -> Self {
        Self::failed(err)
    }
}

impl<A: Area> From<getrandom::Error> for HandlerError<A> {
    fn from(err: getrandom::Error) -> Self {
        Self::failed(format!("random source: {err}"))
    }
}

impl<A: Area> From<std::io::Error> for HandlerError<A> {
    fn from(err: std::io::Error) -> Self {
        Self::failed(format!("file: {err}"))
    }
}

impl<A: Area> IntoResponse for HandlerError<A> {
    fn into_response(self) -> Response {
        match self {
            Self::Respond(response) => *response,
            Self::Failed(cause, _) => {
                tracing::error!(area = A::NAME, error = %cause, "request failed");
                A::failure_page()
            }
        }
    }
}

impl<A: Area> std::fmt::Debug for HandlerError<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Respond(r) => write!(f, "Respond({})", r.status()),
            Self::Failed(cause, _) => write!(f, "Failed({}: {cause})", A::NAME),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    struct Test;
    impl Area for Test {
        const NAME: &'static str = "test";
        fn failure_page() -> Response {
            (StatusCode::INTERNAL_SERVER_ERROR, "系统繁忙").into_response()
        }
    }

    fn store_fails() -> Result<(), StoreError> {
        Err(StoreError("disk I/O error at /var/lib/secret.db".into()))
    }

    async fn handler(fail: bool) -> Handled<Test> {
        if fail {
            store_fails()?;
        }
        Err((StatusCode::FORBIDDEN, "无权访问").into_response().into())
    }

    async fn body(response: Response) -> String {
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .expect("body")
            .to_bytes();
        String::from_utf8(bytes.to_vec()).expect("utf-8")
    }

    #[tokio::test]
    async fn a_store_failure_shows_the_area_page_without_its_cause() {
        let response = handler(true).await.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let text = body(response).await;
        assert_eq!(text, "系统繁忙");
        assert!(!text.contains("secret"), "cause leaked: {text}");
    }

    #[tokio::test]
    async fn a_chosen_response_passes_through() {
        let response = handler(false).await.into_response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(body(response).await, "无权访问");
    }

    #[test]
    fn a_boxed_response_passes_through() {
        let boxed = Box::new(StatusCode::NOT_FOUND.into_response());
        let err: HandlerError<Test> = boxed.into();
        assert_eq!(err.into_response().status(), StatusCode::NOT_FOUND);
    }
}
