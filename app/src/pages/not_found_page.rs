//! The 404 page for any path the portal does not know.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::notice::ErrorPanel;
use crate::error::AppError;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="页面不存在"/>
        <ErrorPanel error=AppError::NotFound(
            "您访问的页面不存在，可能是地址输入有误，或该页面已调整。".into(),
        )/>
    }
}
