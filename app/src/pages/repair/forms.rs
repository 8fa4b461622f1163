//! Form building blocks in the GOV.UK pattern: an error summary linking to
//! each field, and fields that show their own error next to them.

use leptos::prelude::*;

/// A validation error on one field: its id (the link target) and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// Finds the error of `field`, if any.
pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
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

/// A labelled text input with an optional hint and error.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] value: String,
    #[prop(optional)] error: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = [
        hint.map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
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
                aria-describedby=(!described.is_empty()).then_some(described)
                aria-invalid=has_error.then_some("true")
            />
        </div>
    }
}
