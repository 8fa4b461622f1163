//! Searching in place.
//!
//! Without JavaScript the search form (`components::search_form`) is a
//! plain GET form to `/search`, and the results below it (rendered by the
//! server, `components::search_results`) page with real links. Where
//! WebAssembly runs, this island, rendered inside the form, filters and
//! pages in place: it loads the same server-rendered page, swaps in its
//! results section and updates the address bar, so results are rendered by
//! one code path only. It also checks a credit code's check character as it
//! is typed, with the same domain code the server uses.
//!
//! The island has no props and renders only a marker: it listens on the
//! window, so the browser needs no copy of the form's markup or data.

use leptos::prelude::*;

use crate::domain::CreditCode;

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

#[island(lazy)]
pub fn SearchFlow() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::install();
        hydrated.set(true);
    });
    view! { <span hidden data-search-flow data-hydrated=move || hydrated.get().to_string()></span> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::{ev, prelude::*, task::spawn_local};
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlFormElement, HtmlInputElement, HtmlSelectElement};

    use super::{credit_code_hint, IN_PLACE_LINK_ATTR, RESULTS_ID};
    use crate::components::search_form::FORM_CLASS;
    use crate::islands::page_loader as loader;
    use crate::model::SearchParams;

    const HISTORY_MARK: &str = "search-flow";
    /// The form's fields, by name (the `SearchParams` keys).
    const FIELDS: [&str; 5] = ["q", "type", "dept", "from", "to"];

    pub fn install() {
        loader::mark_current_entry(HISTORY_MARK);
        window_event_listener(ev::submit, |ev| {
            if let Some(form) = search_form(ev.target()) {
                ev.prevent_default();
                submit(&form);
            }
        });
        // Choosing a filter searches at once.
        window_event_listener(ev::change, |ev| {
            let Some(target) = ev.target() else { return };
            let is_filter = target.dyn_ref::<Element>().is_some_and(|el| el.id() != "q");
            if is_filter {
                if let Some(form) = search_form(Some(target)) {
                    submit(&form);
                }
            }
        });
        window_event_listener(ev::input, |ev| {
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if input.id() == "q" && search_form(input.form().map(Into::into)).is_some() {
                if let Some(hint) = document().get_element_by_id("q-hint") {
                    let text = credit_code_hint(&input.value()).unwrap_or_default();
                    if hint.text_content().unwrap_or_default() != text {
                        hint.set_text_content(Some(&text));
                    }
                }
            }
        });
        // Pager and "clear" links in the results (outside the island).
        window_event_listener(ev::click, |ev| {
            if !loader::is_plain_click(&ev) {
                return;
            }
            let link = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| {
                    el.closest(&format!("a[{IN_PLACE_LINK_ATTR}]"))
                        .ok()
                        .flatten()
                });
            if let Some(href) = link.and_then(|a| a.get_attribute("href")) {
                ev.prevent_default();
                if href == "/search" {
                    fill_form(&SearchParams::default());
                }
                loader::push_url(&href, HISTORY_MARK);
                spawn_local(load_results(href, true));
            }
        });
        // Back/forward: restore the form and the results of that address.
        window_event_listener(ev::popstate, |ev| {
            if loader::is_marked(&ev, HISTORY_MARK) {
                let search = window().location().search().unwrap_or_default();
                if let Ok(query) = web_sys::UrlSearchParams::new_with_str(&search) {
                    fill_form(&SearchParams::from_lookup(|key| query.get(key)));
                }
                let href = window().location().href().unwrap_or_default();
                spawn_local(load_results(href, false));
            }
        });
    }

    /// The search form, when `target` is it or one of its fields.
    fn search_form(target: Option<web_sys::EventTarget>) -> Option<HtmlFormElement> {
        let el = target?.dyn_into::<Element>().ok()?;
        el.closest(&format!("form.{FORM_CLASS}"))
            .ok()
            .flatten()?
            .dyn_into::<HtmlFormElement>()
            .ok()
    }

    fn field_value(form: &HtmlFormElement, name: &str) -> Option<String> {
        let el = form.get_with_name(name)?;
        if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
            return Some(input.value());
        }
        el.dyn_ref::<HtmlSelectElement>().map(|s| s.value())
    }

    fn submit(form: &HtmlFormElement) {
        let params = SearchParams::from_lookup(|key| field_value(form, key));
        let url = params.url_for_page(1);
        loader::push_url(&url, HISTORY_MARK);
        spawn_local(load_results(url, false));
    }

    /// Puts `params` into the form's fields (back/forward, "clear").
    fn fill_form(params: &SearchParams) {
        let Some(form) = document()
            .query_selector(&format!("form.{FORM_CLASS}"))
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let values = [
            &params.q,
            &params.kind,
            &params.dept,
            &params.from,
            &params.to,
        ];
        for (name, value) in FIELDS.into_iter().zip(values) {
            let Some(el) = form.get_with_name(name) else {
                continue;
            };
            if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                input.set_value(value);
            } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
                select.set_value(value);
            }
        }
    }

    /// Loads `url` (a `/search` page) and swaps in its results section.
    /// Falls back to a normal navigation when anything goes wrong, so the
    /// user always gets the page.
    async fn load_results(url: String, focus_results: bool) {
        let section = document().get_element_by_id(RESULTS_ID);
        if let Some(s) = &section {
            let _ = s.set_attribute("aria-busy", "true");
        }
        let swapped = match loader::load("GET", &url, None, None).await {
            Ok(loaded) => loader::swap_in(RESULTS_ID, &loaded),
            Err(_) => None,
        };
        if let Some(s) = &section {
            let _ = s.remove_attribute("aria-busy");
        }
        match swapped {
            Some(_) if focus_results => {
                if let Some(heading) = document().get_element_by_id("results-heading") {
                    loader::focus(heading);
                }
            }
            Some(_) => {}
            None => {
                let _ = window().location().set_href(&url);
            }
        }
    }
}
