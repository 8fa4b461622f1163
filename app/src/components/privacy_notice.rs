//! The personal-information notice a form shows before its first field,
//! its acknowledgement, and the optional SMS consent
//! (`domain::privacy_notice`). The version shown is posted back with the
//! form, so an acknowledgement always names the text that was on screen.

use leptos::prelude::*;

use crate::domain::privacy_notice::{acknowledgement_label, notice, NoticeForm, SMS_CONSENT_LABEL};

/// The notice, in full, with the acknowledgement (`notice_ack`, required)
/// and, when `offer_sms`, the separate SMS consent (`sms_consent`).
/// `error` is the acknowledgement's error message, if any.
#[component]
pub fn PrivacyNotice(
    form: NoticeForm,
    acknowledged: bool,
    offer_sms: bool,
    sms_consent: bool,
    error: Option<String>,
) -> impl IntoView {
    let n = notice(form);
    let shown = error.is_some();
    view! {
        <section class="panel privacy-notice" aria-labelledby="privacy-notice-title">
            <h2 id="privacy-notice-title">{n.title}</h2>
            <p class="hint">{format!("版本 {}。请在填写前阅读。", n.version)}</p>
            <dl class="notice-parts">
                {n.parts.iter().map(|(heading, text)| view! {
                    <div><dt>{*heading}</dt><dd>{*text}</dd></div>
                }).collect_view()}
            </dl>
        </section>
        <input type="hidden" name="notice_version" value=n.version/>
        <div class="field" class:field-error=shown>
            {error.map(|e| view! { <p class="error-message" id="notice_ack-error">"错误："{e}</p> })}
            <div class="checkbox">
                <input type="checkbox" id="notice_ack" name="notice_ack" value="yes" checked=acknowledged/>
                <label for="notice_ack">{acknowledgement_label(form)}</label>
            </div>
        </div>
        {offer_sms.then(|| view! {
            <div class="field">
                <div class="checkbox">
                    <input type="checkbox" id="sms_consent" name="sms_consent" value="yes" checked=sms_consent/>
                    <label for="sms_consent">{SMS_CONSENT_LABEL}</label>
                </div>
            </div>
        })}
    }
}
