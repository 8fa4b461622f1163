//! A text field of the repair application that checks its value as it is
//! typed, with the same domain code the server runs on submit (credit code
//! and ID number check characters, mobile numbers, names). Without
//! JavaScript it is the same plain field and the server's check answers.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::repair_application::{parse_mobile, parse_person_name};
use crate::domain::{CreditCode, IdNumber};

/// Which rule a field is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldCheck {
    Mobile,
    PersonName,
    CreditCode,
    IdNumber,
}

impl FieldCheck {
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

#[island]
pub fn CheckedField(
    id: String,
    label: String,
    hint: Option<String>,
    value: String,
    error: Option<String>,
    check: FieldCheck,
    input_type: String,
    autocomplete: Option<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let live_id = format!("{id}-live");
    let described = [
        hint.as_ref().map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
        Some(live_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let has_error = error.is_some();
    let text = RwSignal::new(value.clone());
    // Errors show once the field has been left (or was refused by the
    // server), so typing is not interrupted; success shows at once.
    let touched = RwSignal::new(has_error);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let label_for_check = label.clone();
    let live = Memo::new(move |_| {
        let raw = text.get();
        if raw.trim().is_empty() {
            return None;
        }
        match check.check(&raw, &label_for_check) {
            Ok(note) => note.map(|n| (true, n)),
            Err(message) if touched.get() => Some((false, message)),
            Err(_) => None,
        }
    });
    view! {
        <div class="field" class:field-error=has_error data-hydrated=move || hydrated.get().to_string()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="hint">{h}</p> })}
            {error.map(|e| view! { <p id=error_id.clone() class="error-message">"错误："{e}</p> })}
            <input
                id=id.clone()
                name=id.clone()
                type=input_type
                value=value
                autocomplete=autocomplete
                aria-describedby=described
                aria-invalid=has_error.then_some("true")
                on:input=move |ev| text.set(event_target_value(&ev))
                on:blur=move |_| touched.set(true)
            />
            <p id=live_id class="live-check" aria-live="polite">
                {move || {
                    live.get()
                        .map(|(ok, message)| {
                            view! {
                                <span class=if ok { "check-ok" } else { "error-message" }>
                                    {if ok { "✓ " } else { "请检查：" }}
                                    {message}
                                </span>
                            }
                        })
                }}
            </p>
        </div>
    }
}
