//! Messages: errors (with the HTTP status set on the server) and hints.

use leptos::prelude::*;

use crate::error::AppError;

/// Sets the HTTP status of the page being rendered (server only).
pub fn set_http_status(status: u16) {
    #[cfg(feature = "ssr")]
    {
        if let (Some(options), Ok(code)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(status),
        ) {
            options.set_status(code);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// A page-level error: a heading, the message, and where to go next.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    set_http_status(error.status());
    let heading = match &error {
        AppError::NotFound(_) => "未找到",
        AppError::BadRequest(_) => "输入有误",
        _ => "暂时无法显示",
    };
    view! {
        <section class="panel error-panel" role="alert" aria-labelledby="error-heading">
            <h1 id="error-heading">{heading}</h1>
            <p>{error.to_string()}</p>
            <p>
                <a href="/search">"返回信息查询"</a>
                " · "
                <a href="/">"返回首页"</a>
            </p>
        </section>
    }
}
