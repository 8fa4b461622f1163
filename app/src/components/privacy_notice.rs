//! The personal-information notice a form shows before its first field,
//! its acknowledgement, and the optional SMS consent
//! (`domain::privacy_notice`). The version shown is posted back with the
//! form, so an acknowledgement always names the text that was on screen.

use leptos::prelude::*;

use crate::domain::privacy_notice::{acknowledgement_label, notice, sms_consent_label, NoticeForm};
use crate::model::ConsentSummary;

/// The notice, in full, with the acknowledgement (`notice_ack`, required)
/// and, when `offer_sms`, the separate SMS consent (`sms_consent`).
/// `error` is the acknowledgement's error message, if any;
/// `retention_days` the setting the notice states.
#[component]
pub fn PrivacyNotice(
    form: NoticeForm,
    retention_days: u32,
    acknowledged: bool,
    offer_sms: bool,
    sms_consent: bool,
    error: Option<String>,
) -> impl IntoView {
    let n = notice(form, retention_days);
    let label = acknowledgement_label(&n);
    let shown = error.is_some();
    view! {
        <section class="panel privacy-notice" aria-labelledby="privacy-notice-title">
            <h2 id="privacy-notice-title">{n.title}</h2>
            <p class="hint">{format!("版本 {}。请在填写前阅读。", n.version)}</p>
            <dl class="notice-parts">
                {n.parts.clone().into_iter().map(|(heading, text)| view! {
                    <div><dt>{heading}</dt><dd>{text}</dd></div>
                }).collect_view()}
            </dl>
        </section>
        <input type="hidden" name="notice_version" value=n.version.clone()/>
        <div class="field" class:field-error=shown>
            {error.map(|e| view! { <p class="error-message" id="notice_ack-error">"错误："{e}</p> })}
            <div class="checkbox">
                <input type="checkbox" id="notice_ack" name="notice_ack" value="yes" checked=acknowledged/>
                <label for="notice_ack">{label}</label>
            </div>
        </div>
        {offer_sms.then(|| view! {
            <div class="field">
                <div class="checkbox">
                    <input type="checkbox" id="sms_consent" name="sms_consent" value="yes" checked=sms_consent/>
                    <label for="sms_consent">{sms_consent_label(form)}</label>
                </div>
            </div>
        })}
    }
}

/// The tracking page's panel on the case's personal data: the notice
/// acknowledged, and the SMS consent with a button withdrawing it (posted
/// to `withdraw_action` with the case's number and code, as every step of
/// a page without a session is). `what` names the case (申请, 异议).
#[component]
pub fn ConsentPanel(
    consents: ConsentSummary,
    withdraw_action: &'static str,
    number: String,
    /// The tracking code entered; `None` hides the button.
    code: Option<String>,
    what: &'static str,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">"个人信息与短信通知"</h2>
            {consents.notice.clone().map(|(version, at)| view! {
                <p>{format!("您于 {at} 阅读并知悉个人信息处理告知（版本 {version}）。")}</p>
            })}
            {match consents.sms.clone() {
                None => view! { <p>"短信通知：未同意（仅在办理需要时由认定单位电话联系）。"</p> }.into_any(),
                Some((_, Some(withdrawn))) => view! {
                    <p>{format!("短信通知：已于 {withdrawn} 撤回同意，不再发送。")}</p>
                }.into_any(),
                Some((given, None)) => view! {
                    <p>{format!("短信通知：您于 {given} 同意接收办理进度短信。")}</p>
                    {code.map(|code| view! {
                        <form method="post" action=withdraw_action>
                            <input type="hidden" name="number" value=number.clone()/>
                            <input type="hidden" name="code" value=code/>
                            <button type="submit" class="button-secondary">"撤回短信通知同意"</button>
                        </form>
                        <p class="hint">{format!("撤回不影响{what}的办理。")}</p>
                    })}
                }.into_any(),
            }}
        </section>
    }
}
