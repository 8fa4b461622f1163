//! The repair forms, made smoother where WebAssembly runs.
//!
//! Without JavaScript the repair pages are plain HTML forms the server
//! answers with whole pages (`pages::repair`, the server's `repair` module).
//! This island is the only browser code they load, and it changes none of
//! that: it listens on the window and, for the forms and links inside the
//! repair page container,
//! - sends the form itself (XMLHttpRequest, so uploads report progress),
//!   takes the page the server answers (after its redirect) and swaps in
//!   its container, updating the title, the address bar and the focus: no
//!   full reloads, and a second click cannot submit twice;
//! - checks a field with a `data-check` rule as it is typed, with the same
//!   domain code the server runs on submit (`forms::FieldCheck`);
//! - reveals the controls that only work with scripts (the receipt's print
//!   button).
//!
//! Listening on the window rather than on each element keeps working after
//! a swap: the new page's fields need no hydration of their own.
//!
//! The island is lazy (`#[island(lazy)]`): its code is a separate WASM
//! chunk loaded only by pages that contain it, so public pages do not pay
//! for it.

use leptos::prelude::*;

/// The id of the element whose content a navigation replaces.
pub const PAGE_ID: &str = "repair-page";

#[island(lazy)]
pub fn FormFlow() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    // Said to screen readers: what is happening while a page loads.
    let announcement = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::install(announcement);
        hydrated.set(true);
    });
    view! {
        <div
            class="visually-hidden"
            role="status"
            data-form-flow
            data-hydrated=move || hydrated.get().to_string()
        >
            {move || announcement.get()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;
    use std::rc::Rc;

    use leptos::{ev, prelude::*, task::spawn_local};
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{Element, HtmlAnchorElement, HtmlFormElement, HtmlInputElement};

    use super::PAGE_ID;
    use crate::islands::page_loader::{self as loader, Body};
    use crate::pages::repair::forms::{size_label, FieldCheck};

    /// Marks the history entries this island manages.
    const HISTORY_MARK: &str = "form-flow";

    pub fn install(announce: RwSignal<String>) {
        let busy = Rc::new(Cell::new(false));
        loader::mark_current_entry(HISTORY_MARK);
        reveal_script_controls();

        let submit_busy = busy.clone();
        window_event_listener(ev::submit, move |ev| on_submit(ev, announce, &submit_busy));
        window_event_listener(ev::click, move |ev| on_click(ev, announce, &busy));
        window_event_listener(ev::input, |ev| {
            if let Some(input) = target_input(&ev) {
                check_field(&input);
            }
        });
        window_event_listener(ev::focusout, |ev| {
            if let Some(input) = target_input(&ev) {
                // Errors wait until the field is left, so typing is not
                // interrupted; from then on they follow every keystroke.
                let _ = input.set_attribute("data-touched", "");
                check_field(&input);
            }
        });
        window_event_listener(ev::popstate, move |ev| {
            if loader::is_marked(&ev, HISTORY_MARK) {
                let url = window().location().href().unwrap_or_default();
                spawn_local(go(Request::get(url), false, announce));
            }
        });
    }

    fn in_page(el: &Element) -> bool {
        el.closest(&format!("#{PAGE_ID}")).ok().flatten().is_some()
    }

    fn target_input(ev: &web_sys::Event) -> Option<HtmlInputElement> {
        ev.target()?
            .dyn_into::<HtmlInputElement>()
            .ok()
            .filter(|i| i.has_attribute("data-check"))
    }

    /// Writes the field's check into its `{id}-live` region.
    fn check_field(input: &HtmlInputElement) {
        let Some(check) = input
            .get_attribute("data-check")
            .and_then(|c| FieldCheck::from_code(&c))
        else {
            return;
        };
        let document = document();
        let id = input.id();
        let Some(live) = document.get_element_by_id(&format!("{id}-live")) else {
            return;
        };
        let label = document
            .query_selector(&format!("label[for='{id}']"))
            .ok()
            .flatten()
            .and_then(|l| l.text_content())
            .unwrap_or_default();
        let show_errors = input.has_attribute("data-touched")
            || input.get_attribute("aria-invalid").as_deref() == Some("true");
        let raw = input.value();
        let (class, text) = if raw.trim().is_empty() {
            ("live-check", String::new())
        } else {
            match check.check(&raw, &label) {
                Ok(Some(note)) => ("live-check check-ok", format!("✓ {note}")),
                Err(message) if show_errors => {
                    ("live-check error-message", format!("请检查：{message}"))
                }
                _ => ("live-check", String::new()),
            }
        };
        // Unchanged text is not rewritten, so screen readers do not repeat it.
        if live.text_content().unwrap_or_default() != text {
            live.set_class_name(class);
            live.set_text_content(Some(&text));
        }
    }

    fn reveal_script_controls() {
        if let Ok(list) = document().query_selector_all("[data-needs-script]") {
            for i in 0..list.length() {
                if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    let _ = el.remove_attribute("hidden");
                }
            }
        }
    }

    fn on_submit(ev: web_sys::SubmitEvent, announce: RwSignal<String>, busy: &Rc<Cell<bool>>) {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if !in_page(&form) || !form.method().eq_ignore_ascii_case("post") {
            return;
        }
        ev.prevent_default();
        if busy.replace(true) {
            return;
        }
        // The forms' buttons carry no name, so the form's fields are all
        // that a plain post would send.
        let Some(body) = Body::of(&form) else {
            busy.set(false);
            let _ = form.submit();
            return;
        };
        let request = Request {
            method: "POST",
            url: form.action(),
            body: Some(body),
            progress: form.query_selector("[data-upload-progress]").ok().flatten(),
        };
        let busy = busy.clone();
        spawn_local(async move {
            go(request, true, announce).await;
            busy.set(false);
        });
    }

    fn on_click(ev: web_sys::MouseEvent, announce: RwSignal<String>, busy: &Rc<Cell<bool>>) {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if target.closest("[data-print]").ok().flatten().is_some() {
            let _ = window().print();
            return;
        }
        if !loader::is_plain_click(&ev) {
            return;
        }
        let Some(anchor) = target
            .closest("a[href]")
            .ok()
            .flatten()
            .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
        else {
            return;
        };
        let path = anchor.pathname();
        let ours = path.starts_with("/repair/apply/") || path.starts_with("/repair/track");
        if !in_page(&anchor)
            || !ours
            || !anchor.hash().is_empty()
            || !anchor.target().is_empty()
            || anchor.has_attribute("download")
            || anchor.origin() != window().location().origin().unwrap_or_default()
        {
            return;
        }
        ev.prevent_default();
        if busy.replace(true) {
            return;
        }
        let busy = busy.clone();
        spawn_local(async move {
            go(Request::get(anchor.href()), true, announce).await;
            busy.set(false);
        });
    }

    struct Request {
        method: &'static str,
        url: String,
        body: Option<Body>,
        /// The form's `UploadProgress` element, when it has one.
        progress: Option<Element>,
    }

    impl Request {
        fn get(url: String) -> Self {
            Request {
                method: "GET",
                url,
                body: None,
                progress: None,
            }
        }
    }

    /// Sends the request, swaps in the page the server answered and, when
    /// `push`, records it in the history. Anything unexpected falls back to
    /// what the browser would have done without scripts.
    async fn go(request: Request, push: bool, announce: RwSignal<String>) {
        let container = document().get_element_by_id(PAGE_ID);
        if let Some(c) = &container {
            let _ = c.set_attribute("aria-busy", "true");
        }
        announce.set(
            if request.method == "GET" {
                "正在加载…"
            } else {
                "正在提交…"
            }
            .into(),
        );
        let on_progress = request.progress.clone().map(|el| {
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                show_progress(&el, e.loaded(), e.total(), e.length_computable());
            })
        });
        let result = loader::load(
            request.method,
            &request.url,
            request.body.as_ref(),
            on_progress.as_ref().map(|cb| cb.as_ref().unchecked_ref()),
        )
        .await;
        drop(on_progress);
        if let Some(c) = &container {
            let _ = c.remove_attribute("aria-busy");
        }
        announce.set(String::new());
        let Ok(loaded) = result else {
            if let Some(p) = &request.progress {
                let _ = p.set_attribute("hidden", "");
            }
            show_failure(
                "网络连接中断，本次操作没有完成。已填写的内容仍在页面上，请检查网络后再试一次。",
            );
            return;
        };
        // A redirect means the server moved on (the next step); a page
        // answered in place (errors to fix, the status page) keeps the
        // address the form was on.
        let moved = loaded.url != request.url;
        if let Some(page) = loader::swap_in(PAGE_ID, &loaded) {
            reveal_script_controls();
            window().scroll_to_with_x_and_y(0.0, 0.0);
            // Focus where a reader of the new page starts: the errors to
            // fix, or else the heading.
            let start = page
                .query_selector(".error-summary")
                .ok()
                .flatten()
                .or_else(|| page.query_selector("h1").ok().flatten());
            if let Some(el) = start {
                loader::focus(el);
            }
            if push && (request.method == "GET" || moved) {
                loader::push_url(&loaded.url, HISTORY_MARK);
            }
        } else if request.method == "GET" || moved {
            let _ = window().location().assign(&loaded.url);
        } else {
            show_failure("服务器返回了无法显示的内容，本次操作可能没有完成。请刷新页面后查看。");
        }
    }

    fn show_progress(el: &Element, loaded: f64, total: f64, computable: bool) {
        let _ = el.remove_attribute("hidden");
        // Whole numbers only: float formatting would add KBs to this chunk.
        let (loaded, total) = (loaded as u64, total as u64);
        let percent = if computable && total > 0 {
            (loaded * 100 / total).min(100)
        } else {
            0
        };
        if let Ok(Some(bar)) = el.query_selector("progress") {
            let _ = bar.set_attribute("value", &percent.to_string());
        }
        if let Ok(Some(text)) = el.query_selector("[data-progress-text]") {
            let said = if computable {
                format!(
                    "已上传 {} / {}（{percent}%）",
                    size_label(loaded),
                    size_label(total)
                )
            } else {
                format!("已上传 {}", size_label(loaded))
            };
            text.set_text_content(Some(&said));
        }
    }

    /// Puts a message the user cannot miss at the top of the page.
    fn show_failure(message: &str) {
        let document = document();
        let Some(container) = document.get_element_by_id(PAGE_ID) else {
            return;
        };
        let Ok(panel) = document.create_element("div") else {
            return;
        };
        panel.set_class_name("error-summary");
        let _ = panel.set_attribute("role", "alert");
        panel.set_text_content(Some(message));
        let _ = container.prepend_with_node_1(&panel);
        loader::focus(panel);
    }
}
