//! The HTML document around a page: its head, shared by the router's
//! shell (`routes::shell`) and by the documents the server's form handlers
//! render to a string (repair steps, the console, refusals), which answer
//! outside the Leptos router.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::components::layout::Layout;
#[cfg(feature = "ssr")]
use crate::islands::form_flow::{FormFlow, PAGE_ID};

/// What every page's `<head>` holds before its scripts and title.
#[component]
pub fn SiteHead() -> impl IntoView {
    view! {
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light"/>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
        <link rel="stylesheet" href="/pkg/hegang_credit.css"/>
    }
}

/// Renders `body` in the site frame with `title`. With `options`, the page
/// loads the islands bundle and the `FormFlow` island, which checks fields
/// as they are typed and moves between steps without full reloads (it
/// swaps the `PAGE_ID` container, which every repair page has).
#[cfg(feature = "ssr")]
pub fn render_document(
    options: Option<&LeptosOptions>,
    title: &str,
    body: impl FnOnce() -> AnyView + Send + 'static,
) -> String {
    let owner = Owner::new();
    let title = format!("{title} - 信用中国（黑龙江鹤岗）");
    let options = options.cloned();
    let (head, scripts, html) = owner.with(move || {
        crate::security::provide_nonce();
        let flow = options.is_some().then(|| view! { <FormFlow/> });
        let head = view! { <SiteHead/> }.to_html();
        let scripts = options
            .map(|options| view! { <HydrationScripts options islands=true/> }.to_html())
            .unwrap_or_default();
        let page = view! {
            <Layout>
                <div id=PAGE_ID>{body()}</div>
                {flow}
            </Layout>
        };
        (head, scripts, page.to_html())
    });
    let class = crate::display::current()
        .mode
        .html_class()
        .map(|c| format!(" class=\"{c}\""))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"{class}><head>{head}{scripts}<title>{}</title></head>\
         <body>{html}</body></html>",
        escape(&title)
    )
}

/// Escapes text for an HTML text node or attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
