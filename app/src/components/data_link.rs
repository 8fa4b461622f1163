//! The link from a public page to the same data as JSON (the open-data
//! API), visible and as `<link rel="alternate">` for programs.

use leptos::prelude::*;
use leptos_meta::Link;

#[component]
pub fn DataLink(href: String) -> impl IntoView {
    view! {
        <Link rel="alternate" type_="application/json" href=href.clone()/>
        <p class="data-link">
            <a href=href type="application/json">"本页数据（JSON 开放接口）"</a>
            " · "
            <a href="/api/v1/openapi.json">"接口说明"</a>
        </p>
    }
}
