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
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::Deserialization(detail) => {
                AppError::BadRequest(bad_arguments(&detail))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// The message for arguments a server function could not read. The
/// decoder's own words are English and name Rust types, so only the field
/// they name, if any, is kept, in the words the pages use for it.
fn bad_arguments(detail: &str) -> String {
    let field = detail
        .split_once("field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(name, _)| match name {
            "code" => "统一社会信用代码",
            "kind" => "信息类别",
            "id" => "信息编号",
            "params" => "查询条件",
            _ => "必要的参数",
        });
    match field {
        Some(label) if detail.contains("missing field") => format!("请求参数有误：缺少{label}。"),
        Some(label) => format!("请求参数有误：{label}有误。"),
        None => "请求参数有误：请求内容无法识别，请通过本站页面查询。".into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_arguments_are_named_in_chinese() {
        assert_eq!(
            bad_arguments("missing field `code`"),
            "请求参数有误：缺少统一社会信用代码。"
        );
        assert_eq!(
            bad_arguments("duplicate field `kind`"),
            "请求参数有误：信息类别有误。"
        );
        let syntax = bad_arguments("expected value at line 1 column 2");
        assert!(syntax.starts_with("请求参数有误") && !syntax.contains("line"));
    }
}
