//! `/search`: results, filters and paging, rendered in full on the server
//! with the `SearchFlow` island filtering and paging in place.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::home::departments;
use crate::api::search::search;
use crate::components::data_link::DataLink;
use crate::components::notice::set_http_status;
use crate::components::search_form::SearchForm;
use crate::components::search_results::SearchResults;
use crate::model::SearchParams;

/// The open-data API's URL for the same results (its cursor `pN` is page N).
fn data_href(params: &SearchParams) -> String {
    let first = params
        .url_for_page(1)
        .replacen("/search", "/api/v1/public/search", 1);
    match params.page.trim().parse::<u32>() {
        Ok(page) if page > 1 => {
            let joiner = if first.contains('?') { '&' } else { '?' };
            format!("{first}{joiner}cursor=p{page}")
        }
        _ => first,
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = query.with_untracked(|q| SearchParams::from_lookup(|key| q.get(key)));
    view! {
        <Title text="信息查询"/>
        <h1>"信用信息查询"</h1>
        <p class="lead">
            "查询鹤岗市公示中的行政处罚、行政许可和严重失信主体名单信息。公示期满或已信用修复的信息不再显示。"
        </p>
        <Suspense fallback=|| view! { <p>"正在查询…"</p> }>
            {move || {
                let params = params.clone();
                Suspend::new(async move {
                    let result = search(params.clone()).await;
                    if let Err(err) = &result {
                        set_http_status(err.status());
                    }
                    let departments = departments().await.unwrap_or_default();
                    view! {
                        <SearchForm params=params.clone() departments/>
                        <DataLink href=data_href(&params)/>
                        <SearchResults params result/>
                    }
                })
            }}
        </Suspense>
    }
}
