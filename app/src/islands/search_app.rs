//! The search form and its results.
//!
//! Without JavaScript this is a plain GET form to `/search` with real links
//! for paging. With WebAssembly the same markup filters and pages in place
//! (calling the `search` server function and updating the address bar), and
//! checks a credit code's check character as it is typed, with the same
//! domain code the server uses.

use leptos::prelude::*;

use crate::api::search::search;
use crate::components::hit_list::HitList;
use crate::domain::CreditCode;
use crate::error::AppError;
use crate::model::{DepartmentOption, RecordKind, SearchPage, SearchParams};

/// A hint for a query that looks like a credit code, or `None`.
pub fn credit_code_hint(q: &str) -> Option<String> {
    let trimmed = q.trim();
    let ascii_code_like = (15..=20).contains(&trimmed.chars().count())
        && trimmed.chars().all(|c| c.is_ascii_alphanumeric());
    if CreditCode::looks_like(trimmed) || ascii_code_like {
        Some(match CreditCode::parse(trimmed) {
            Ok(code) => format!("统一社会信用代码 {code} 校验通过，将精确查找该主体。"),
            Err(err) => format!("{err}。"),
        })
    } else {
        None
    }
}

#[cfg(feature = "hydrate")]
fn push_url(url: &str) {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

#[cfg(not(feature = "hydrate"))]
fn push_url(_url: &str) {}

/// Reads search parameters back from the address bar (back/forward buttons).
#[cfg(feature = "hydrate")]
fn params_from_location() -> SearchParams {
    let search = window().location().search().unwrap_or_default();
    let Ok(query) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return SearchParams::default();
    };
    let get = |key: &str| query.get(key).unwrap_or_default();
    SearchParams {
        q: get("q"),
        kind: get("type"),
        dept: get("dept"),
        from: get("from"),
        to: get("to"),
        page: get("page"),
    }
}

#[island]
pub fn SearchApp(
    params: SearchParams,
    initial: Result<SearchPage, AppError>,
    departments: Vec<DepartmentOption>,
) -> impl IntoView {
    let q = RwSignal::new(params.q.clone());
    let kind = RwSignal::new(params.kind.clone());
    let dept = RwSignal::new(params.dept.clone());
    let from = RwSignal::new(params.from.clone());
    let to = RwSignal::new(params.to.clone());
    // The parameters the shown results belong to, and the results.
    let shown = RwSignal::new((params, initial));
    let pending = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    let code_hint = Memo::new(move |_| credit_code_hint(&q.get()));

    let form_params = move |page: u32| SearchParams {
        q: q.get_untracked(),
        kind: kind.get_untracked(),
        dept: dept.get_untracked(),
        from: from.get_untracked(),
        to: to.get_untracked(),
        page: if page > 1 {
            page.to_string()
        } else {
            String::new()
        },
    };
    let run = move |p: SearchParams, push: bool| {
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = search(p.clone()).await;
            if push {
                let page = p.page.parse().unwrap_or(1);
                push_url(&p.url_for_page(page));
            }
            shown.set((p, result));
            pending.set(false);
        });
    };
    let go_to_page = move |page: u32| {
        let mut p = shown.get_untracked().0;
        p.page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        run(p, true);
    };

    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            let p = params_from_location();
            q.set(p.q.clone());
            kind.set(p.kind.clone());
            dept.set(p.dept.clone());
            from.set(p.from.clone());
            to.set(p.to.clone());
            run(p, false);
        });
        on_cleanup(move || handle.remove());
    }

    // `prop:value` keeps inputs in step once live; the `value` attributes
    // carry the same values in the server-rendered HTML (props are not
    // rendered on the server).
    let initial_kind = kind.get_untracked();
    let initial_dept = dept.get_untracked();
    let initial_q = q.get_untracked();
    let initial_from = from.get_untracked();
    let initial_to = to.get_untracked();

    view! {
        <div class="search-app" data-island="search" data-hydrated=move || hydrated.get().to_string()>
            <form
                class="search-form panel"
                method="get"
                action="/search"
                role="search"
                aria-label="公示信息查询"
                on:submit=move |ev| {
                    ev.prevent_default();
                    run(form_params(1), true);
                }
            >
                <div class="field field-q">
                    <label for="q">"名称、统一社会信用代码或决定书文号"</label>
                    <input
                        id="q"
                        name="q"
                        type="search"
                        maxlength="40"
                        autocomplete="off"
                        placeholder="如：鹤岗、91230400…、鹤市监罚〔2025〕12号"
                        aria-describedby="q-hint"
                        value=initial_q
                        prop:value=move || q.get()
                        on:input=move |ev| q.set(event_target_value(&ev))
                    />
                    <p id="q-hint" class="hint" aria-live="polite">
                        {move || code_hint.get()}
                    </p>
                </div>
                <div class="filters">
                    <div class="field">
                        <label for="type">"信息类别"</label>
                        <select
                            id="type"
                            name="type"
                            on:change=move |ev| {
                                kind.set(event_target_value(&ev));
                                run(form_params(1), true);
                            }
                        >
                            <option value="" selected=initial_kind.is_empty()>"全部"</option>
                            {RecordKind::ALL
                                .into_iter()
                                .map(|k| {
                                    view! {
                                        <option value=k.code() selected=initial_kind == k.code()>
                                            {k.label()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="dept">"决定机关"</label>
                        <select
                            id="dept"
                            name="dept"
                            on:change=move |ev| {
                                dept.set(event_target_value(&ev));
                                run(form_params(1), true);
                            }
                        >
                            <option value="" selected=initial_dept.is_empty()>"全部机关"</option>
                            {departments
                                .into_iter()
                                .map(|d| {
                                    let value = d.id.to_string();
                                    let selected = initial_dept == value;
                                    view! {
                                        <option value=value selected=selected>{d.name}</option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="from">"决定日期起"</label>
                        <input
                            id="from"
                            name="from"
                            type="date"
                            value=initial_from
                            prop:value=move || from.get()
                            on:change=move |ev| {
                                from.set(event_target_value(&ev));
                                run(form_params(1), true);
                            }
                        />
                    </div>
                    <div class="field">
                        <label for="to">"决定日期止"</label>
                        <input
                            id="to"
                            name="to"
                            type="date"
                            value=initial_to
                            prop:value=move || to.get()
                            on:change=move |ev| {
                                to.set(event_target_value(&ev));
                                run(form_params(1), true);
                            }
                        />
                    </div>
                </div>
                <button type="submit" class="button">"查询"</button>
            </form>
            <section
                class="results"
                aria-labelledby="results-heading"
                aria-busy=move || pending.get().to_string()
            >
                {move || {
                    let (p, result) = shown.get();
                    results_view(p, result, go_to_page)
                }}
            </section>
        </div>
    }
}

fn results_view(
    p: SearchParams,
    result: Result<SearchPage, AppError>,
    go_to_page: impl Fn(u32) + Copy + Send + Sync + 'static,
) -> AnyView {
    match result {
        Err(err) => view! {
            <h2 id="results-heading">"查询结果"</h2>
            <div class="error-summary" role="alert">
                <p>{err.to_string()}</p>
            </div>
        }
        .into_any(),
        Ok(page) if page.hits.is_empty() => {
            let query = p.q.trim().to_string();
            view! {
                <h2 id="results-heading">"查询结果"</h2>
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
                        <a href="/search">"清除全部条件"</a>
                    </p>
                </div>
            }
            .into_any()
        }
        Ok(page) => {
            let count = if page.total_exact {
                format!("共 {} 条公示信息", page.total)
            } else {
                format!("约 {} 条公示信息", page.total)
            };
            let pages = page.page_count();
            let current = page.page;
            view! {
                <h2 id="results-heading">"查询结果"</h2>
                {page.notice.clone().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                <p class="result-count">
                    {count} {format!("，第 {current} / {pages} 页")}
                </p>
                <HitList hits=page.hits/>
                <Pager params=p current pages go_to_page/>
            }
            .into_any()
        }
    }
}

#[component]
fn Pager<F>(params: SearchParams, current: u32, pages: u32, go_to_page: F) -> impl IntoView
where
    F: Fn(u32) + Copy + Send + Sync + 'static,
{
    if pages <= 1 {
        return ().into_any();
    }
    let first = current.saturating_sub(3).max(1);
    let last = (current + 3).min(pages);
    let link = move |n: u32, label: String, aria: String| {
        let href = params.url_for_page(n);
        view! {
            <li>
                <a
                    href=href
                    aria-label=aria
                    aria-current=(n == current).then_some("page")
                    on:click=move |ev| {
                        ev.prevent_default();
                        go_to_page(n);
                    }
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
                {(first..=last)
                    .map(|n| link(n, n.to_string(), format!("第 {n} 页")))
                    .collect_view()}
                {(current < pages).then(|| link(current + 1, "下一页".into(), "下一页".into()))}
            </ul>
        </nav>
    }
    .into_any()
}
