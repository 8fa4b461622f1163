//! The search form.
//!
//! Without JavaScript this is a plain GET form to `/search`, and the results
//! below it (rendered by the server, `components::search_results`) page with
//! real links. With WebAssembly the island filters and pages in place: it
//! fetches the same server-rendered page, swaps in its results section and
//! updates the address bar, so results are rendered by one code path only
//! and the WASM stays small. It also checks a credit code's check character
//! as it is typed, with the same domain code the server uses.

use leptos::prelude::*;

use crate::domain::CreditCode;
use crate::model::{DepartmentOption, RecordKind, SearchParams};

/// The id of the results section the island replaces.
pub const RESULTS_ID: &str = "search-results";
/// Marks links (pager, "clear") that the island follows in place.
pub const IN_PLACE_LINK_ATTR: &str = "data-search-link";

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

/// Browser-only plumbing: fetch a results page and swap it in.
#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    use super::RESULTS_ID;
    use crate::model::SearchParams;

    pub fn push_url(url: &str) {
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
        }
    }

    /// Reads search parameters back from the address bar (back/forward).
    pub fn params_from_location() -> SearchParams {
        let search = window().location().search().unwrap_or_default();
        let Ok(query) = web_sys::UrlSearchParams::new_with_str(&search) else {
            return SearchParams::default();
        };
        SearchParams::from_lookup(|key| query.get(key))
    }

    /// Fetches `url` (a `/search` page) and replaces the results section with
    /// the one the server rendered. Falls back to a normal navigation when
    /// anything goes wrong, so the user always gets the page.
    pub async fn load_results(url: String, focus_results: bool) {
        if swap_results(&url, focus_results).await.is_none() {
            let _ = window().location().set_href(&url);
        }
    }

    async fn swap_results(url: &str, focus_results: bool) -> Option<()> {
        let document = window().document()?;
        let current = document.get_element_by_id(RESULTS_ID)?;
        let _ = current.set_attribute("aria-busy", "true");
        let response: web_sys::Response = JsFuture::from(window().fetch_with_str(url))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        let text = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        let parsed = web_sys::DomParser::new()
            .ok()?
            .parse_from_string(&text, web_sys::SupportedType::TextHtml)
            .ok()?;
        let fresh = parsed.get_element_by_id(RESULTS_ID)?;
        current.replace_with_with_node_1(&fresh).ok()?;
        document.set_title(&parsed.title());
        if focus_results {
            if let Some(heading) = document
                .get_element_by_id("results-heading")
                .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = heading.focus();
            }
        }
        Some(())
    }
}

#[island]
pub fn SearchForm(params: SearchParams, departments: Vec<DepartmentOption>) -> impl IntoView {
    let q = RwSignal::new(params.q.clone());
    let kind = RwSignal::new(params.kind.clone());
    let dept = RwSignal::new(params.dept.clone());
    let from = RwSignal::new(params.from.clone());
    let to = RwSignal::new(params.to.clone());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    let code_hint = Memo::new(move |_| credit_code_hint(&q.get()));

    // Loads a results page in place and records it in the history.
    let go = move |url: String, push: bool, focus_results: bool| {
        #[cfg(feature = "hydrate")]
        {
            if push {
                browser::push_url(&url);
            }
            leptos::task::spawn_local(browser::load_results(url, focus_results));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, push, focus_results);
    };
    let submit = move || {
        let p = SearchParams {
            q: q.get_untracked(),
            kind: kind.get_untracked(),
            dept: dept.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            page: String::new(),
        };
        go(p.url_for_page(1), true, false);
    };

    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        // Back/forward: restore the form and the results of that address.
        let popstate = window_event_listener(leptos::ev::popstate, move |_| {
            let p = browser::params_from_location();
            q.set(p.q.clone());
            kind.set(p.kind.clone());
            dept.set(p.dept.clone());
            from.set(p.from.clone());
            to.set(p.to.clone());
            let href = window().location().href().unwrap_or_default();
            go(href, false, false);
        });
        // Pager and "clear" links in the results (outside the island).
        let clicks = window_event_listener(leptos::ev::click, move |ev| {
            if ev.default_prevented()
                || ev.button() != 0
                || ev.ctrl_key()
                || ev.meta_key()
                || ev.shift_key()
            {
                return;
            }
            let link = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| {
                    el.closest(&format!("a[{IN_PLACE_LINK_ATTR}]"))
                        .ok()
                        .flatten()
                });
            if let Some(href) = link.and_then(|a| a.get_attribute("href")) {
                ev.prevent_default();
                if href == "/search" {
                    q.set(String::new());
                    kind.set(String::new());
                    dept.set(String::new());
                    from.set(String::new());
                    to.set(String::new());
                }
                go(href, true, true);
            }
        });
        on_cleanup(move || {
            popstate.remove();
            clicks.remove();
        });
    }

    // `prop:value` keeps inputs in step once live; the `value` attributes
    // carry the same values in the server-rendered HTML (props are not
    // rendered on the server).
    let initial_kind = params.kind;
    let initial_dept = params.dept;

    view! {
        <form
            class="search-form panel"
            method="get"
            action="/search"
            role="search"
            aria-label="公示信息查询"
            data-island="search"
            data-hydrated=move || hydrated.get().to_string()
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
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
                    value=params.q
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
                            submit();
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
                            submit();
                        }
                    >
                        <option value="" selected=initial_dept.is_empty()>"全部机关"</option>
                        {departments
                            .into_iter()
                            .map(|d| {
                                let value = d.id.to_string();
                                let selected = initial_dept == value;
                                view! { <option value=value selected=selected>{d.name}</option> }
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
                        value=params.from
                        prop:value=move || from.get()
                        on:change=move |ev| {
                            from.set(event_target_value(&ev));
                            submit();
                        }
                    />
                </div>
                <div class="field">
                    <label for="to">"决定日期止"</label>
                    <input
                        id="to"
                        name="to"
                        type="date"
                        value=params.to
                        prop:value=move || to.get()
                        on:change=move |ev| {
                            to.set(event_target_value(&ev));
                            submit();
                        }
                    />
                </div>
            </div>
            <button type="submit" class="button">"查询"</button>
        </form>
    }
}
