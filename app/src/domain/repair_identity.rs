//! Who may open a repair application for a record: what the identity step
//! asks, how the answer is compared with the record, and how many wrong
//! answers anyone gets.
//!
//! The public pages print an organisation's credit code and a natural
//! person's ID number with all but 6 + 4 characters hidden, so neither can
//! prove anything on its own: a stranger knows the code, and the hidden
//! eight digits of an ID number are a birth date (about 2,600 candidates
//! once the check character is known). The step therefore asks for
//! something the deciding department holds and the pages never show:
//! - a natural person: the full ID number **and** the full name (the name
//!   is masked to its surname publicly), compared together;
//! - an organisation or individual business: its credit code **and** the
//!   legal representative's (operator's) ID number as the department
//!   delivered it (CF_FR_ZJHM), which is never published. A record whose
//!   department delivered no such number cannot be verified online; the
//!   applicant is sent to the department's window.
//!
//! Wrong answers are limited per draft, per record and per client (see
//! [`IdentityLimits`]); a malformed answer is not a guess and does not count.

use crate::domain::subject_kind::SubjectKind;
use crate::domain::{CreditCode, IdNumber};

/// How many wrong answers the identity step takes before it stops
/// comparing. Per record is the bound that matters: neither opening new
/// drafts nor changing address gets round it.
///
/// Arithmetic (natural person, the weakest case): the ID number alone
/// leaves about 2,600 candidates and the given name at least several
/// hundred common ones, so a guess must get both right at once: ≥ 10^6
/// pairs. At [`IdentityLimits::PER_RECORD`] = 10 wrong answers a day, a
/// stranger needs about 10^5 days for an even chance. An organisation's
/// representative ID number is wholly hidden (≥ 10^9 candidates). The real
/// subject, if a stranger has used up a record's answers, waits at most a
/// day or applies at the department's window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdentityLimits;

impl IdentityLimits {
    /// Wrong answers one draft may give in all (then it must start again,
    /// which counts against the record and the client anyway).
    pub const PER_DRAFT: u32 = 5;
    /// Wrong answers about one record in [`IdentityLimits::WINDOW_HOURS`],
    /// whoever gives them.
    pub const PER_RECORD: u32 = 10;
    /// Wrong answers from one client (an address; IPv6 per /64) in
    /// [`IdentityLimits::WINDOW_HOURS`], whatever the record.
    pub const PER_CLIENT: u32 = 20;
    /// The counting window.
    pub const WINDOW_HOURS: i64 = 24;

    /// Which limit, if any, is reached, given the wrong answers counted so
    /// far for the draft, the record and the client.
    pub fn reached(draft: u32, record: u32, client: u32) -> Option<IdentityLimit> {
        if record >= Self::PER_RECORD {
            Some(IdentityLimit::Record)
        } else if client >= Self::PER_CLIENT {
            Some(IdentityLimit::Client)
        } else if draft >= Self::PER_DRAFT {
            Some(IdentityLimit::Draft)
        } else {
            None
        }
    }
}

/// A limit the identity step has reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityLimit {
    Draft,
    Record,
    Client,
}

impl IdentityLimit {
    /// What the applicant is told, and what they can do.
    pub fn message(self, authority: &str) -> String {
        match self {
            IdentityLimit::Draft => format!(
                "身份信息核对错误次数过多，本次申请已不能继续核对。请核对处罚决定书后重新开始申请；如仍无法通过，请携带证件到{authority}窗口办理。"
            ),
            IdentityLimit::Record => format!(
                "该信息 {} 小时内身份核对错误次数过多，已暂停在线核对。请稍后再试，或携带证件到{authority}窗口办理。",
                IdentityLimits::WINDOW_HOURS
            ),
            IdentityLimit::Client => format!(
                "您的网络地址 {} 小时内身份核对错误次数过多，请稍后再试，或携带证件到{authority}窗口办理。",
                IdentityLimits::WINDOW_HOURS
            ),
        }
    }
}

/// What the record holds about its subject, to compare with (never shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnRecord<'a> {
    pub kind: SubjectKind,
    /// The subject's registered name (a natural person's full name).
    pub name: &'a str,
    pub credit_code: Option<&'a str>,
    pub id_number: Option<&'a str>,
    /// CF_FR_ZJHM as delivered (organisations and individual businesses).
    pub representative_id: Option<&'a str>,
}

/// The applicant's two answers, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdentityAnswer {
    /// Credit code (organisations) or ID number (natural persons).
    pub identifier: String,
    /// The representative's ID number (organisations) or the full name
    /// (natural persons).
    pub second: String,
}

/// The outcome of comparing an answer with the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentityCheck {
    /// Both answers match; the value names what matched (stored with the
    /// application).
    Match(&'static str),
    /// Well-formed answers that do not match: counts as a guess. The
    /// message does not say which of the two was wrong.
    Mismatch(String),
    /// An answer is malformed (field, message): not a guess.
    Malformed(&'static str, String),
    /// The record holds nothing to compare the second answer with.
    NotOnFile,
}

/// Whitespace (including full-width spaces and the middle dot of
/// transliterated names) does not make a name different.
fn same_name(given: &str, on_record: &str) -> bool {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '·' && *c != '•')
            .collect()
    };
    let given = clean(given);
    !given.is_empty() && given == clean(on_record)
}

fn same_id(given: &IdNumber, on_record: Option<&str>) -> bool {
    on_record
        .and_then(|s| IdNumber::parse(s).ok())
        .is_some_and(|n| n.as_str() == given.as_str())
}

/// Compares the applicant's answers with the record.
pub fn check_identity(record: &OnRecord<'_>, answer: &IdentityAnswer) -> IdentityCheck {
    if record.kind == SubjectKind::NaturalPerson {
        let id = match IdNumber::parse(&answer.identifier) {
            Ok(id) => id,
            Err(e) => return IdentityCheck::Malformed("identity", e.to_string()),
        };
        if answer.second.trim().is_empty() {
            return IdentityCheck::Malformed(
                "identity_second",
                "请填写当事人的姓名（与身份证一致）".into(),
            );
        }
        if same_id(&id, record.id_number) && same_name(&answer.second, record.name) {
            IdentityCheck::Match("id_number_and_name")
        } else {
            IdentityCheck::Mismatch(
                "身份证号码或姓名与处罚决定记载的当事人不一致，请核对后重新输入".into(),
            )
        }
    } else {
        let code = match CreditCode::parse_lenient(&answer.identifier) {
            Ok((code, _)) => code,
            Err(e) => return IdentityCheck::Malformed("identity", e.to_string()),
        };
        let rep = match IdNumber::parse(&answer.second) {
            Ok(rep) => rep,
            Err(e) => {
                return IdentityCheck::Malformed(
                    "identity_second",
                    format!("法定代表人（经营者）身份证号码有误：{e}"),
                )
            }
        };
        if record.representative_id.is_none() {
            return IdentityCheck::NotOnFile;
        }
        if record.credit_code == Some(code.as_str()) && same_id(&rep, record.representative_id) {
            IdentityCheck::Match("credit_code_and_representative_id")
        } else {
            IdentityCheck::Mismatch(
                "统一社会信用代码或法定代表人（经营者）身份证号码与处罚决定记载的不一致，请核对后重新输入".into(),
            )
        }
    }
}

/// What an applicant whose record holds no representative ID number is
/// told to do instead.
pub fn not_on_file_message(authority: &str) -> String {
    format!(
        "该处罚信息未登记法定代表人（经营者）身份证件号码，无法在线核对主体身份。请携带营业执照和法定代表人身份证件到{authority}办理，或请该单位补报后再在线申请。"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERSON_ID: &str = "11010519491231002X";
    const CODE: &str = "91350100M000100Y43";

    fn person() -> OnRecord<'static> {
        OnRecord {
            kind: SubjectKind::NaturalPerson,
            name: "张三丰",
            credit_code: None,
            id_number: Some(PERSON_ID),
            representative_id: None,
        }
    }

    fn company(rep: Option<&'static str>) -> OnRecord<'static> {
        OnRecord {
            kind: SubjectKind::LegalEntity,
            name: "鹤岗某某商贸有限公司（演示）",
            credit_code: Some(CODE),
            id_number: None,
            representative_id: rep,
        }
    }

    fn answer(identifier: &str, second: &str) -> IdentityAnswer {
        IdentityAnswer {
            identifier: identifier.into(),
            second: second.into(),
        }
    }

    #[test]
    fn a_person_needs_the_id_number_and_the_name_together() {
        assert_eq!(
            check_identity(&person(), &answer(PERSON_ID, "张 三丰")),
            IdentityCheck::Match("id_number_and_name")
        );
        // The right number with a guessed name is a wrong answer, and the
        // message does not say which half was wrong.
        let wrong_name = check_identity(&person(), &answer(PERSON_ID, "张三"));
        let wrong_id = check_identity(&person(), &answer("110105195001010012", "张三丰"));
        assert!(matches!(wrong_name, IdentityCheck::Mismatch(_)));
        assert_eq!(wrong_name, wrong_id);
        // Malformed input is not a guess.
        assert!(matches!(
            check_identity(&person(), &answer("1101051949", "张三丰")),
            IdentityCheck::Malformed("identity", _)
        ));
        assert!(matches!(
            check_identity(&person(), &answer(PERSON_ID, " ")),
            IdentityCheck::Malformed("identity_second", _)
        ));
    }

    #[test]
    fn an_organisation_needs_the_unpublished_representative_id() {
        let rep = "11010519491231002X";
        assert_eq!(
            check_identity(&company(Some(rep)), &answer(CODE, rep)),
            IdentityCheck::Match("credit_code_and_representative_id")
        );
        // The public credit code alone proves nothing.
        assert!(matches!(
            check_identity(&company(Some(rep)), &answer(CODE, "230404199001011336")),
            IdentityCheck::Mismatch(_)
        ));
        assert_eq!(
            check_identity(&company(None), &answer(CODE, rep)),
            IdentityCheck::NotOnFile
        );
        assert!(matches!(
            check_identity(&company(Some(rep)), &answer(CODE, "12345")),
            IdentityCheck::Malformed("identity_second", _)
        ));
    }

    #[test]
    fn the_record_limit_comes_first() {
        assert_eq!(IdentityLimits::reached(0, 0, 0), None);
        assert_eq!(
            IdentityLimits::reached(4, 10, 0),
            Some(IdentityLimit::Record)
        );
        assert_eq!(
            IdentityLimits::reached(5, 9, 19),
            Some(IdentityLimit::Draft)
        );
        assert_eq!(
            IdentityLimits::reached(0, 0, 20),
            Some(IdentityLimit::Client)
        );
        assert!(IdentityLimit::Record
            .message("市市场监督管理局")
            .contains("窗口"));
    }
}
