//! Personal-information notices and consents (DOMAIN.md §15; 个人信息保护法
//! arts 13–17, 28–31).
//!
//! A form that collects an applicant's own data (a repair application, an
//! objection, an answer to a listing notice) shows the notice of its
//! purpose before the first field, and the applicant acknowledges it. That
//! processing rests on the departments' statutory duty (art 13(3)), so the
//! acknowledgement records that the notice was given, not a consent.
//! Anything beyond the duty — being told of progress by SMS — is a separate,
//! optional consent, withdrawable from the tracking page.
//!
//! Notice texts are versioned: a changed text is a new version (never an
//! edit of an old one), and each acknowledgement and consent stores the
//! version it was given under, so what the person read can be shown later.
//! The retention of contact data is a setting, and the notices of the forms
//! that collect them state it: a setting other than the default makes their
//! own version (`2026-12-v1-180d`), so the version still names the text.

use serde::{Deserialize, Serialize};

/// The version of every notice below, under the default retention. Change
/// it with any change of text.
pub const NOTICE_VERSION: &str = "2026-12-v1";

/// The version of the notices shown while contact data are kept
/// `retention_days` after a case ends.
pub fn notice_version(retention_days: u32) -> String {
    if retention_days == CONTACT_RETENTION_DAYS {
        NOTICE_VERSION.to_string()
    } else {
        format!("{NOTICE_VERSION}-{retention_days}d")
    }
}

/// How a notice says the retention: whole years as years, else days.
fn retention_span(days: u32) -> String {
    if days > 0 && days.is_multiple_of(365) {
        format!("{} 年", days / 365)
    } else {
        format!("{days} 日")
    }
}

/// The setting: days after a case ends (decided, withdrawn, voided) that the
/// applicant's name and phone number are kept; then they are deleted.
pub const CONTACT_RETENTION_SETTING: &str = "privacy.contact_retention_days";
/// Its default: one year, long enough for an administrative review (60
/// days) or suit (6 months) against the decision to be answered.
pub const CONTACT_RETENTION_DAYS: u32 = 365;

/// Which form a notice is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeForm {
    /// 信用修复申请.
    Repair,
    /// 异议申诉.
    Objection,
    /// 对拟列入严重失信主体名单告知的陈述申辩.
    NoticeAnswer,
}

impl NoticeForm {
    /// Stable code for storage.
    pub fn code(self) -> &'static str {
        match self {
            NoticeForm::Repair => "repair",
            NoticeForm::Objection => "objection",
            NoticeForm::NoticeAnswer => "notice_answer",
        }
    }

    pub fn from_code(code: &str) -> Option<NoticeForm> {
        [
            NoticeForm::Repair,
            NoticeForm::Objection,
            NoticeForm::NoticeAnswer,
        ]
        .into_iter()
        .find(|f| f.code() == code)
    }
}

/// What a consent record is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConsentPurpose {
    /// The notice of the form was given and acknowledged (processing on
    /// statutory duty; not withdrawable, the case is handled by law).
    Notice,
    /// Progress of the case by SMS to the phone given (optional,
    /// withdrawable).
    Sms,
}

impl ConsentPurpose {
    pub fn code(self) -> &'static str {
        match self {
            ConsentPurpose::Notice => "notice",
            ConsentPurpose::Sms => "sms",
        }
    }

    pub fn from_code(code: &str) -> Option<ConsentPurpose> {
        [ConsentPurpose::Notice, ConsentPurpose::Sms]
            .into_iter()
            .find(|p| p.code() == code)
    }
}

/// One notice: the parts PIPL art 17 asks for, as the form shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub version: String,
    pub title: &'static str,
    /// (heading, text) in the order shown.
    pub parts: [(&'static str, String); 6],
}

impl Notice {
    /// The categories part, stored with each record of it.
    pub fn categories(&self) -> &str {
        &self.parts[2].1
    }

    /// The retention part, stored with each record of it.
    pub fn retention(&self) -> &str {
        &self.parts[3].1
    }
}

const WHO: &str = "鹤岗市社会信用体系建设主管部门（“信用中国（黑龙江鹤岗）”网站运营单位），以及作出原决定的认定单位。";
const RIGHTS: &str = "您可以查阅、复制、更正您提供的信息；办理终结后可要求删除；可撤回短信通知同意（在办理进度页面操作），撤回不影响办理。对处理方式有异议的，可向主管部门投诉。";
const CONTACT: &str = "鹤岗市社会信用体系建设主管部门，或拨打 12345 政务服务便民热线。";

/// The notice shown on `form`'s first page while contact data are kept
/// `retention_days` after a case ends (the setting).
pub fn notice(form: NoticeForm, retention_days: u32) -> Notice {
    let span = retention_span(retention_days);
    let (title, purpose, categories, retention) = match form {
        NoticeForm::Repair => (
            "个人信息处理告知（信用修复申请）",
            "办理您的信用修复申请：核对申请人与信用主体的关系、与您联系、作出并送达决定。依据为《个人信息保护法》第十三条第一款第三项（履行法定职责）和信用修复的有关规定。",
            "申请人姓名、联系电话；核对身份时填写的统一社会信用代码或身份证号码（仅用于比对，比对后不保存号码本身）；承诺书签名；您上传的证明材料。",
            format!("姓名和联系电话在办理终结后保存 {span}（用于答复复议、诉讼），到期自动删除并登记；申请记录和证明材料按档案管理规定保存。"),
        ),
        NoticeForm::Objection => (
            "个人信息处理告知（异议申诉）",
            "办理您的异议申诉：核对异议人与信用主体的关系、核查异议信息、与您联系、书面答复。依据为《个人信息保护法》第十三条第一款第三项（履行法定职责）和异议处理的有关规定。",
            "异议人姓名、联系电话；核对身份时填写的号码（仅用于比对，不保存号码本身）；异议说明、承诺书签名和证明材料。",
            format!("姓名和联系电话在办理终结后保存 {span}，到期自动删除并登记；异议记录和证明材料按档案管理规定保存。"),
        ),
        NoticeForm::NoticeAnswer => (
            "个人信息处理告知（陈述申辩）",
            "听取您对拟列入严重失信主体名单的陈述和申辩，并在作出决定时予以考虑。依据为《个人信息保护法》第十三条第一款第三项（履行法定职责）和严重失信主体名单管理的有关规定。",
            "陈述、申辩内容和您上传的证明材料（其中可能含有您的个人信息）。",
            "随名单认定案卷按档案管理规定保存。".to_string(),
        ),
    };
    Notice {
        // A listing notice's answer keeps no contact data: one text.
        version: match form {
            NoticeForm::NoticeAnswer => NOTICE_VERSION.to_string(),
            _ => notice_version(retention_days),
        },
        title,
        parts: [
            ("处理者", WHO.into()),
            ("目的和依据", purpose.into()),
            ("处理的信息", categories.into()),
            ("保存期限", retention),
            ("您的权利", RIGHTS.into()),
            ("联系方式", CONTACT.into()),
        ],
    }
}

/// The separate, optional consent to SMS about the case, as `form` offers it
/// (a listing notice's answer offers none: its case is the department's).
pub fn sms_consent_label(form: NoticeForm) -> &'static str {
    match form {
        NoticeForm::Objection => {
            "同意通过短信接收本异议的办理进度通知（可选；不同意不影响办理，可随时在办理进度页面撤回）"
        }
        _ => "同意通过短信接收本申请的办理进度通知（可选；不同意不影响办理，可随时在办理进度页面撤回）",
    }
}

/// The categories and retention of the SMS consent, as stored with it.
pub const SMS_CATEGORIES: &str = "联系电话";
pub const SMS_RETENTION: &str = "至撤回同意或办理终结";

/// The acknowledgement's label on every form.
pub fn acknowledgement_label(notice: &Notice) -> String {
    format!(
        "我已阅读并知悉《{}》（版本 {}）",
        notice.title, notice.version
    )
}

/// The message when a form was posted without its acknowledgement, or
/// under another version of the notice than the one shown now.
pub fn acknowledgement_missing(version_posted: &str, current: &str) -> String {
    if version_posted.trim().is_empty() || version_posted == current {
        "请阅读个人信息处理告知，并勾选“我已阅读并知悉”后继续".into()
    } else {
        "个人信息处理告知已更新，请阅读新版本后重新勾选".into()
    }
}

/// Whether a form's posted acknowledgement counts: ticked, under the
/// notice version shown now (`current`).
pub fn acknowledged(ticked: &str, version_posted: &str, current: &str) -> bool {
    matches!(ticked, "yes" | "on") && version_posted == current
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_names_what_the_law_asks_for() {
        for form in [
            NoticeForm::Repair,
            NoticeForm::Objection,
            NoticeForm::NoticeAnswer,
        ] {
            let n = notice(form, CONTACT_RETENTION_DAYS);
            let headings: Vec<&str> = n.parts.iter().map(|p| p.0).collect();
            assert_eq!(
                headings,
                [
                    "处理者",
                    "目的和依据",
                    "处理的信息",
                    "保存期限",
                    "您的权利",
                    "联系方式"
                ]
            );
            assert!(n.parts.iter().all(|p| !p.1.is_empty()));
            assert_eq!(NoticeForm::from_code(form.code()), Some(form));
        }
    }

    #[test]
    fn an_acknowledgement_counts_only_ticked_under_the_current_version() {
        assert!(acknowledged("yes", NOTICE_VERSION, NOTICE_VERSION));
        assert!(!acknowledged("", NOTICE_VERSION, NOTICE_VERSION));
        assert!(!acknowledged("yes", "2025-01-v0", NOTICE_VERSION));
        assert!(acknowledgement_missing("2025-01-v0", NOTICE_VERSION).contains("已更新"));
        assert!(acknowledgement_missing("", NOTICE_VERSION).contains("勾选"));
    }

    #[test]
    fn the_notice_states_the_retention_set_and_is_a_version_of_its_own() {
        let default = notice(NoticeForm::Repair, CONTACT_RETENTION_DAYS);
        assert_eq!(default.version, NOTICE_VERSION);
        assert!(default.retention().contains("办理终结后保存 1 年"));
        let shorter = notice(NoticeForm::Objection, 180);
        assert_eq!(shorter.version, "2026-12-v1-180d");
        assert!(shorter.retention().contains("办理终结后保存 180 日"));
        assert!(notice(NoticeForm::Repair, 730)
            .retention()
            .contains("保存 2 年"));
        // Read under one setting, posted under another: read again.
        assert!(!acknowledged("yes", NOTICE_VERSION, &shorter.version));
        assert!(acknowledgement_missing(NOTICE_VERSION, &shorter.version).contains("已更新"));
        assert!(acknowledged("yes", "2026-12-v1-180d", &shorter.version));
        // A listing notice's answer keeps no contact data of its own.
        assert_eq!(
            notice(NoticeForm::NoticeAnswer, 180),
            notice(NoticeForm::NoticeAnswer, 365)
        );
    }
}
