//! The large-text, high-contrast display (适老化) a visitor can switch on
//! from any page: a link in the header to `/display`, which keeps the
//! choice in a cookie and sends the visitor back. No script is needed; the
//! server renders `<html class="large-text">` and the stylesheet does the
//! rest (larger type everywhere, since every size is in `rem`, stronger
//! contrast, thicker underlines and focus rings).
//!
//! The server's middleware reads the cookie and the address of the page
//! being served and runs the request inside `DISPLAY.scope(..)`; the page
//! frame reads it from there, like the CSP nonce.

/// The cookie that keeps the choice (a year; not personal data).
pub const COOKIE: &str = "hegang_display";

/// How pages are displayed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DisplayMode {
    #[default]
    Standard,
    /// 大字版: larger text and stronger contrast.
    Large,
}

impl DisplayMode {
    /// The value in the cookie and in `/display?mode=`.
    pub fn code(self) -> &'static str {
        match self {
            DisplayMode::Standard => "standard",
            DisplayMode::Large => "large",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [DisplayMode::Standard, DisplayMode::Large]
            .into_iter()
            .find(|m| m.code() == code)
    }

    /// The mode a `Cookie` header chose (standard when none).
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .and_then(|(_, value)| DisplayMode::from_code(value.trim()))
            .unwrap_or_default()
    }

    /// The class on `<html>`, if any.
    pub fn html_class(self) -> Option<&'static str> {
        (self == DisplayMode::Large).then_some("large-text")
    }
}

/// The request being served: its display mode and its local address
/// (path and query), for the switch to come back to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisplayContext {
    pub mode: DisplayMode,
    pub here: String,
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    pub static DISPLAY: DisplayContext;
}

/// The display of the request being served (standard outside a request).
pub fn current() -> DisplayContext {
    #[cfg(feature = "ssr")]
    if let Ok(context) = DISPLAY.try_with(Clone::clone) {
        return context;
    }
    DisplayContext {
        mode: DisplayMode::Standard,
        here: "/".into(),
    }
}

/// Where `/display` may send the visitor back to: a path on this site, or
/// the home page (never another site: `//host` or `https://…`). Addresses
/// as browsers send them are ASCII (the rest percent-encoded).
pub fn safe_return(back: &str) -> &str {
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && back.bytes().all(|b| b.is_ascii_graphic());
    if local {
        back
    } else {
        "/"
    }
}

/// The header link that switches to the other mode and back here.
pub fn switch_link(context: &DisplayContext) -> (String, &'static str) {
    let (to, label) = match context.mode {
        DisplayMode::Standard => (DisplayMode::Large, "大字版"),
        DisplayMode::Large => (DisplayMode::Standard, "标准版"),
    };
    let href = format!(
        "/display?mode={}&back={}",
        to.code(),
        crate::model::encode_query_value(safe_return(&context.here))
    );
    (href, label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_chooses_the_mode() {
        assert_eq!(
            DisplayMode::from_cookie_header("a=1; hegang_display=large; b=2"),
            DisplayMode::Large
        );
        assert_eq!(
            DisplayMode::from_cookie_header("hegang_display=huge"),
            DisplayMode::Standard
        );
        assert_eq!(DisplayMode::from_cookie_header(""), DisplayMode::Standard);
    }

    #[test]
    fn only_local_addresses_are_returned_to() {
        assert_eq!(safe_return("/search?q=%E9%B9%A4"), "/search?q=%E9%B9%A4");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "",
            "search",
            "/search?q=鹤",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(safe_return(bad), "/", "{bad}");
        }
    }

    #[test]
    fn the_switch_leads_to_the_other_mode_and_back() {
        let here = DisplayContext {
            mode: DisplayMode::Standard,
            here: "/search?q=a&page=2".into(),
        };
        let (href, label) = switch_link(&here);
        assert_eq!(label, "大字版");
        assert_eq!(
            href,
            "/display?mode=large&back=%2Fsearch%3Fq%3Da%26page%3D2"
        );
    }
}
