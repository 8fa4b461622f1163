//! `/serious-list`: the serious-dishonesty list, searchable by name or code.
//! Plain server-rendered form and paging: it needs no WebAssembly.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::search::search;
use crate::components::data_link::DataLink;
use crate::components::hit_list::HitList;
use crate::components::notice::set_http_status;
use crate::model::SearchParams;

#[component]
pub fn SeriousListPage() -> impl IntoView {
    let params = use_query_map().with_untracked(|q| SearchParams {
        q: q.get("q").unwrap_or_default(),
        kind: "serious".into(),
        page: q.get("page").unwrap_or_default(),
        ..Default::default()
    });
    let q_value = params.q.clone();
    view! {
        <Title text="严重失信主体名单"/>
        <h1>"严重失信主体名单"</h1>
        <p class="lead">
            "依法依规认定的严重失信主体。名单期满或经信用修复后移出，移出后不再公示。列入前已依法告知当事人认定理由、依据和救济途径。"
        </p>
        <form class="panel search-form" method="get" action="/serious-list" role="search" aria-label="名单查询">
            <label for="serious-q">"主体名称或统一社会信用代码"</label>
            <div class="inline-field">
                <input id="serious-q" name="q" type="search" maxlength="40" value=q_value autocomplete="off"/>
                <button type="submit" class="button">"查询"</button>
            </div>
        </form>
        <Suspense fallback=|| view! { <p>"正在加载…"</p> }>
            {move || {
                let params = params.clone();
                Suspend::new(async move {
                    match search(params.clone()).await {
                        Err(err) => {
                            set_http_status(err.status());
                            view! {
                                <div class="error-summary" role="alert">
                                    <p>{err.to_string()}</p>
                                </div>
                            }
                            .into_any()
                        }
                        Ok(page) => {
                            let data_href = match params.q.trim() {
                                "" => "/api/v1/public/serious-list".to_string(),
                                q => format!(
                                    "/api/v1/public/serious-list?q={}",
                                    crate::model::encode_query_value(q)
                                ),
                            };
                            let pages = page.page_count();
                            let current = page.page;
                            let link = |n: u32| {
                                let mut p = params.clone();
                                p.kind.clear();
                                let query = p.url_for_page(n);
                                query.replacen("/search", "/serious-list", 1)
                            };
                            view! {
                                <section aria-labelledby="serious-results">
                                    <h2 id="serious-results">
                                        {format!("名单中的主体（共 {} 条）", page.total)}
                                    </h2>
                                    {page.notice.clone().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                                    <DataLink href=data_href.clone()/>
                                    {if page.hits.is_empty() {
                                        view! { <p class="empty-state">"没有符合条件的名单信息。"</p> }.into_any()
                                    } else {
                                        view! { <HitList hits=page.hits/> }.into_any()
                                    }}
                                    <nav class="pager" aria-label="分页">
                                        <ul>
                                            {(current > 1).then(|| view! { <li><a href=link(current - 1)>"上一页"</a></li> })}
                                            <li>{format!("第 {current} / {} 页", pages.max(1))}</li>
                                            {(current < pages).then(|| view! { <li><a href=link(current + 1)>"下一页"</a></li> })}
                                        </ul>
                                    </nav>
                                </section>
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
