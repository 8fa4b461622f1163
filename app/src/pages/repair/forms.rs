//! Form building blocks in the GOV.UK pattern: an error summary linking to
//! each field, and fields that show their own error next to them.

use leptos::prelude::*;

use crate::domain::repair_application::{parse_mobile, parse_person_name};
use crate::domain::{CreditCode, IdNumber};

/// A validation error on one field: its id (the link target) and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

/// Finds the error of `field`, if any.
pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

/// The text of a `<textarea>` as it must be written into the page. Leptos
/// writes a textarea's children unescaped (as it does a `<script>`'s), so
/// a value sent back with `</textarea>` in it would end the element and
/// the rest would be markup. For pages the server renders whole: a
/// hydrated view would show the entities literally.
pub fn textarea_text(value: &str) -> String {
    crate::pages::document::escape(value)
}

/// The summary at the top of a page with errors; each links to its field.
#[component]
pub fn ErrorSummary(errors: Vec<FieldError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
                <h2 id="error-summary-title">"请修改以下内容后再继续"</h2>
                <ul>
                    {errors
                        .into_iter()
                        .map(|e| view! { <li><a href=format!("#{}", e.field)>{e.message}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// A labelled text input with an optional hint and error. With `check`,
/// the field is also checked as it is typed where WebAssembly runs (the
/// `FormFlow` island finds it by `data-check` and writes to `{id}-live`);
/// without scripts it is the same plain field the server checks.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] value: String,
    #[prop(optional)] error: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] check: Option<FieldCheck>,
) -> impl IntoView {
    // Callers pass `error_for(..).unwrap_or_default()`: no message, no error.
    let error = error.filter(|e| !e.is_empty());
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let live_id = format!("{id}-live");
    let described = [
        hint.map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
        check.map(|_| live_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let has_error = error.is_some();
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="hint">{h}</p> })}
            {error.map(|e| view! { <p id=error_id.clone() class="error-message">"错误："{e}</p> })}
            <input
                id=id
                name=id
                type=input_type
                value=value
                autocomplete=autocomplete
                data-check=check.map(FieldCheck::code)
                aria-describedby=(!described.is_empty()).then_some(described)
                aria-invalid=has_error.then_some("true")
            />
            {check.map(|_| view! { <p id=live_id.clone() class="live-check" aria-live="polite"></p> })}
        </div>
    }
}

/// Which rule a checked field follows. The server checks every field on
/// submit; with WebAssembly the `FormFlow` island runs the same check as the
/// field is typed (it finds the field by its `data-check` code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldCheck {
    Mobile,
    PersonName,
    CreditCode,
    IdNumber,
}

impl FieldCheck {
    pub const ALL: [FieldCheck; 4] = [
        FieldCheck::Mobile,
        FieldCheck::PersonName,
        FieldCheck::CreditCode,
        FieldCheck::IdNumber,
    ];

    /// The value of the field's `data-check` attribute.
    pub fn code(self) -> &'static str {
        match self {
            FieldCheck::Mobile => "mobile",
            FieldCheck::PersonName => "person-name",
            FieldCheck::CreditCode => "credit-code",
            FieldCheck::IdNumber => "id-number",
        }
    }

    pub fn from_code(code: &str) -> Option<FieldCheck> {
        FieldCheck::ALL.into_iter().find(|c| c.code() == code)
    }

    /// `Ok(Some(note))` when valid with something worth saying, `Ok(None)`
    /// when valid, `Err(message)` with the fix otherwise.
    pub fn check(self, raw: &str, label: &str) -> Result<Option<String>, String> {
        match self {
            FieldCheck::Mobile => parse_mobile(raw).map(|_| None),
            FieldCheck::PersonName => parse_person_name(raw, label).map(|_| None),
            FieldCheck::CreditCode => CreditCode::parse_lenient(raw)
                .map_err(|e| e.to_string())
                .and_then(|(code, check_ok)| {
                    if check_ok {
                        Ok(Some(format!("{code} 格式和校验位正确")))
                    } else {
                        CreditCode::parse(raw)
                            .map(|_| None)
                            .map_err(|e| e.to_string())
                    }
                }),
            FieldCheck::IdNumber => IdNumber::parse(raw)
                .map(|_| Some("身份证号码格式和校验位正确".to_string()))
                .map_err(|e| e.to_string()),
        }
    }
}

/// "1.2 MB", "350 KB": file sizes as the upload list and its progress show them.
///
/// Integer arithmetic on purpose: formatting floats would pull several KB of
/// code into the browser's WASM, which shows these sizes too.
pub fn size_label(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        let tenths = (bytes * 10 + MB / 2) / MB;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Shown in an upload form while its files are sent (WebAssembly only: a
/// plain form post has the browser's own progress). Hidden until then.
#[component]
pub fn UploadProgress() -> impl IntoView {
    view! {
        <div class="upload-progress" data-upload-progress hidden>
            <label>"上传进度 "<progress max="100" value="0"></progress></label>
            " "<span data-progress-text></span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{size_label, FieldCheck};

    #[test]
    fn sizes_read_like_a_file_list() {
        assert_eq!(size_label(0), "0 KB");
        assert_eq!(size_label(1500), "2 KB");
        assert_eq!(size_label(3 * 1024 * 1024 + 200 * 1024), "3.2 MB");
        assert_eq!(size_label(1024 * 1024), "1.0 MB");
        assert_eq!(size_label(10 * 1024 * 1024 - 1), "10.0 MB");
    }

    #[test]
    fn check_codes_round_trip() {
        for check in FieldCheck::ALL {
            assert_eq!(FieldCheck::from_code(check.code()), Some(check));
        }
        assert_eq!(FieldCheck::from_code("other"), None);
    }

    #[test]
    fn checks_say_what_to_fix() {
        assert!(FieldCheck::Mobile.check("1380000", "联系电话").is_err());
        assert_eq!(
            FieldCheck::Mobile.check("13800001234", "联系电话"),
            Ok(None)
        );
        let id = FieldCheck::IdNumber.check("11010519491231002X", "身份证号码");
        assert_eq!(id, Ok(Some("身份证号码格式和校验位正确".to_string())));
        assert!(FieldCheck::CreditCode
            .check("91230400MA1234567", "代码")
            .is_err());
    }
}
