//! The one error type a user may see.
//!
//! Server functions and pages return [`AppError`]. Its messages are written
//! for the public, in Chinese; internal causes (database errors, I/O) are
//! logged where they happen and reach the user only as a generic message.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// An error a user may see, with the HTTP status it maps to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The input was wrong; the message names the field and the fix.
    #[error("{0}")]
    BadRequest(String),
    /// The thing does not exist or is not public (the two are not told apart).
    #[error("{0}")]
    NotFound(String),
    /// Something failed on our side; details are in the server log only.
    #[error("系统繁忙，请稍后再试。如持续出现，请联系鹤岗市社会信用主管部门。")]
    Internal,
    /// The request did not reach the function (network, encoding).
    #[error("请求未能完成，请检查网络后重试。")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::NotFound(_) => 404,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }

    /// The standard "not found or not public" message: a record that ended,
    /// was repaired or was never public is answered exactly like one that
    /// never existed, so the answer reveals nothing.
    pub fn not_public() -> Self {
        AppError::NotFound(
            "未找到该信息：它可能不存在，或已超出公示期限、已信用修复、依规不予公示。".into(),
        )
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                AppError::BadRequest(format!("请求参数有误：{msg}"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::StoreError> for AppError {
    fn from(err: crate::store::StoreError) -> Self {
        // Logged once here, where it is turned into what the user sees.
        tracing::error!(error = %err, "store error");
        AppError::Internal
    }
}
