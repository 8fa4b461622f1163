//! Browser-only plumbing the islands share: load a page the server renders
//! (GET, or a form post with its redirect followed) and swap one element of
//! it into the current page. The server keeps rendering every page by one
//! code path; the islands never build HTML of their own.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, FormData, HtmlFormElement, XmlHttpRequest};

/// A form's fields as the browser would post them.
pub enum Body {
    /// `enctype="multipart/form-data"`: files and fields.
    Multipart(FormData),
    /// Everything else: `application/x-www-form-urlencoded`.
    UrlEncoded(String),
}

impl Body {
    pub fn of(form: &HtmlFormElement) -> Option<Body> {
        let data = FormData::new_with_form(form).ok()?;
        if form.enctype().eq_ignore_ascii_case("multipart/form-data") {
            return Some(Body::Multipart(data));
        }
        let encoded = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        Some(Body::UrlEncoded(String::from(encoded.to_string())))
    }
}

/// What came back: the address after redirects, and the parsed page.
pub struct Loaded {
    pub url: String,
    pub page: Document,
}

/// Sends a request with XMLHttpRequest (unlike `fetch`, it reports upload
/// progress to `on_upload_progress`, called with `ProgressEvent`s).
pub async fn load(
    method: &str,
    url: &str,
    body: Option<&Body>,
    on_upload_progress: Option<&js_sys::Function>,
) -> Result<Loaded, JsValue> {
    let xhr = XmlHttpRequest::new()?;
    xhr.open(method, url)?;
    if let Some(cb) = on_upload_progress {
        xhr.upload()?.set_onprogress(Some(cb));
    }
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
    });
    match body {
        Some(Body::Multipart(data)) => xhr.send_with_opt_form_data(Some(data))?,
        Some(Body::UrlEncoded(text)) => {
            xhr.set_request_header("Content-Type", "application/x-www-form-urlencoded")?;
            xhr.send_with_opt_str(Some(text))?;
        }
        None => xhr.send()?,
    }
    JsFuture::from(done).await?;
    let html = xhr.response_text()?.unwrap_or_default();
    let page =
        web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
    Ok(Loaded {
        url: xhr.response_url(),
        page,
    })
}

/// Replaces the content of the element `id` with that of the same element
/// in `loaded`, and takes its title. `None` (nothing changed) when either
/// page lacks the element.
pub fn swap_in(id: &str, loaded: &Loaded) -> Option<Element> {
    let document = leptos::prelude::document();
    let current = document.get_element_by_id(id)?;
    let fresh = loaded.page.get_element_by_id(id)?;
    current.set_inner_html(&fresh.inner_html());
    document.set_title(&loaded.page.title());
    Some(current)
}

/// Records `url` as a new history entry marked `mark`, so the island that
/// made it can tell its entries apart on back/forward.
pub fn push_url(url: &str, mark: &str) {
    if let Ok(history) = leptos::prelude::window().history() {
        let _ = history.push_state_with_url(&JsValue::from_str(mark), "", Some(url));
    }
}

/// Marks the entry the page was loaded with, so going back to it is
/// handled like the island's own entries.
pub fn mark_current_entry(mark: &str) {
    if let Ok(history) = leptos::prelude::window().history() {
        let _ = history.replace_state(&JsValue::from_str(mark), "");
    }
}

/// Whether a popstate event is for an entry marked `mark` (entries added by
/// in-page `#fragment` links carry no mark and need no reload).
pub fn is_marked(ev: &web_sys::PopStateEvent, mark: &str) -> bool {
    ev.state().as_string().as_deref() == Some(mark)
}

/// Moves focus to `el`, making it focusable if it is not.
pub fn focus(el: Element) {
    if !el.has_attribute("tabindex") {
        let _ = el.set_attribute("tabindex", "-1");
    }
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// True for a plain left click without modifier keys (others open new tabs).
pub fn is_plain_click(ev: &web_sys::MouseEvent) -> bool {
    !(ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key())
}
