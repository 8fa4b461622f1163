//! The results section of `/search`: count, hits, pager, helpful empty
//! state or the error. Rendered on the server only; the search island swaps
//! in a fresh copy of this section when it filters or pages in place.

use leptos::prelude::*;

use crate::components::hit_list::HitList;
use crate::error::AppError;
use crate::islands::search_flow::RESULTS_ID;
use crate::model::{SearchPage, SearchParams};

#[component]
pub fn SearchResults(params: SearchParams, result: Result<SearchPage, AppError>) -> impl IntoView {
    let body = match result {
        Err(err) => view! {
            <div class="error-summary" role="alert">
                <p>{err.to_string()}</p>
            </div>
        }
        .into_any(),
        Ok(page) if page.hits.is_empty() => {
            let query = params.q.trim().to_string();
            view! {
                {page.notice.clone().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                <div class="empty-state">
                    <p>
                        {if query.is_empty() {
                            "没有符合筛选条件的公示信息。".to_string()
                        } else {
                            format!("未找到与“{query}”相关的公示信息。")
                        }}
                    </p>
                    <ul>
                        <li>"检查是否有错别字，或只输入企业字号中的两三个字。"</li>
                        <li>"按 18 位统一社会信用代码或决定书文号查询，结果更准确。"</li>
                        <li>"清除信息类别、决定机关或日期筛选后再试。"</li>
                        <li>"公示期满或已完成信用修复的信息依规不再公示，因此查不到。"</li>
                    </ul>
                    <p>
                        <a href="/search" data-search-link="">"清除全部条件"</a>
                    </p>
                </div>
            }
            .into_any()
        }
        Ok(page) => {
            let count = if page.total_exact {
                format!("共 {} 条公示信息", page.total)
            } else {
                format!(
                    "{} 条以上公示信息，请输入更完整的名称以缩小范围",
                    page.total
                )
            };
            let pages = page.page_count();
            let current = page.page;
            view! {
                {page.notice.clone().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                <p class="result-count">{count} {format!("，第 {current} / {pages} 页")}</p>
                <HitList hits=page.hits/>
                <Pager params current pages/>
            }
            .into_any()
        }
    };
    view! {
        <section id=RESULTS_ID class="results" aria-labelledby="results-heading">
            <h2 id="results-heading" tabindex="-1">"查询结果"</h2>
            {body}
        </section>
    }
}

#[component]
fn Pager(params: SearchParams, current: u32, pages: u32) -> impl IntoView {
    if pages <= 1 {
        return ().into_any();
    }
    let first = current.saturating_sub(3).max(1);
    let last = (current + 3).min(pages);
    let link = |n: u32, label: String, aria: String| {
        view! {
            <li>
                <a
                    href=params.url_for_page(n)
                    aria-label=aria
                    aria-current=(n == current).then_some("page")
                    data-search-link=""
                >
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <nav class="pager" aria-label="分页">
            <ul>
                {(current > 1).then(|| link(current - 1, "上一页".into(), "上一页".into()))}
                {(first..=last).map(|n| link(n, n.to_string(), format!("第 {n} 页"))).collect_view()}
                {(current < pages).then(|| link(current + 1, "下一页".into(), "下一页".into()))}
            </ul>
        </nav>
    }
    .into_any()
}
