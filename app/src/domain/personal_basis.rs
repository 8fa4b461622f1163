//! The legal basis on which a department processes a natural person's data
//! in a record it delivers (DOMAIN.md §15; 个人信息保护法 art 13).
//!
//! Publishing 双公示 data rests on a statutory duty (art 13(1)(3)); a
//! department that collected a person's data on their consent instead
//! (art 13(1)(1)) names the consent by its reference, so the person can ask
//! about it or withdraw it. A natural person's row with neither is refused
//! at import: a record about a person must say why it may be processed.
//! Organisations' rows need no basis (their data are not personal).

use serde::{Deserialize, Serialize};

/// The longest consent reference kept (a document number, not a text).
pub const CONSENT_REF_MAX_CHARS: usize = 64;

/// Why a natural person's record may be processed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonalBasis {
    /// 履行法定职责或者法定义务所必需 (art 13(1)(3)).
    StatutoryDuty,
    /// 取得个人的同意 (art 13(1)(1)), with the consent's reference number.
    Consent(String),
}

/// Why a delivered basis was not accepted: which of the two cells is at
/// fault, and what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BasisError {
    /// Neither cell given.
    Missing,
    /// The basis cell holds something else.
    Unknown(String),
    /// "同意" without the consent's reference.
    ConsentWithoutReference,
    /// A reference longer than [`CONSENT_REF_MAX_CHARS`], or with control
    /// characters.
    BadReference,
}

impl BasisError {
    /// Whether the fault is in the reference cell (else the basis cell).
    pub fn in_reference(&self) -> bool {
        matches!(
            self,
            BasisError::ConsentWithoutReference | BasisError::BadReference
        )
    }

    /// The message, naming the fix.
    pub fn message(&self) -> String {
        match self {
            BasisError::Missing => "自然人的记录须说明个人信息处理依据：填写“法定职责”；\
                 如系取得本人同意而处理，填写“同意”并在“个人信息同意书编号”列填写同意书编号"
                .into(),
            BasisError::Unknown(raw) => {
                format!("“{raw}”不是有效的个人信息处理依据，应为“法定职责”或“同意”")
            }
            BasisError::ConsentWithoutReference => {
                "处理依据为“同意”时，须填写本人同意书的编号".into()
            }
            BasisError::BadReference => format!(
                "同意书编号应为不超过 {CONSENT_REF_MAX_CHARS} 个字符的编号，不含换行等控制字符"
            ),
        }
    }
}

impl PersonalBasis {
    /// Reads the two cells of a natural person's row: the basis (法定职责 /
    /// 同意, and the usual longer wordings of each) and the consent
    /// reference. A reference alone means consent. A reference beside
    /// 法定职责 is not kept, and the caller is told so (`Ok` with `true`).
    pub fn parse(
        basis: Option<&str>,
        reference: Option<&str>,
    ) -> Result<(PersonalBasis, bool), BasisError> {
        let basis = basis.map(str::trim).filter(|s| !s.is_empty());
        let reference = reference.map(str::trim).filter(|s| !s.is_empty());
        let consent = |reference: Option<&str>| match reference {
            None => Err(BasisError::ConsentWithoutReference),
            Some(r)
                if r.chars().count() > CONSENT_REF_MAX_CHARS || r.chars().any(char::is_control) =>
            {
                Err(BasisError::BadReference)
            }
            Some(r) => Ok((PersonalBasis::Consent(r.to_string()), false)),
        };
        match basis {
            None if reference.is_none() => Err(BasisError::Missing),
            None => consent(reference),
            Some(b) => {
                let b: String = b.chars().filter(|c| !c.is_whitespace()).collect();
                match b.as_str() {
                    "法定职责"
                    | "履行法定职责"
                    | "法定义务"
                    | "法定职责或法定义务"
                    | "履行法定职责或者法定义务"
                    | "法定职责或者法定义务" => {
                        Ok((PersonalBasis::StatutoryDuty, reference.is_some()))
                    }
                    "同意" | "本人同意" | "个人同意" | "取得个人同意" | "取得个人的同意" => {
                        consent(reference)
                    }
                    _ => Err(BasisError::Unknown(b)),
                }
            }
        }
    }

    /// The stored code (`personal_basis` column).
    pub fn code(&self) -> &'static str {
        match self {
            PersonalBasis::StatutoryDuty => "statutory_duty",
            PersonalBasis::Consent(_) => "consent",
        }
    }

    /// The consent reference (`consent_ref` column), if any.
    pub fn reference(&self) -> Option<&str> {
        match self {
            PersonalBasis::StatutoryDuty => None,
            PersonalBasis::Consent(r) => Some(r),
        }
    }

    /// Inverse of [`PersonalBasis::code`] with its reference; `None` for a
    /// record without a basis (organisations', and natural persons'
    /// collected before the rule).
    pub fn from_stored(code: Option<&str>, reference: Option<String>) -> Option<PersonalBasis> {
        match code? {
            "statutory_duty" => Some(PersonalBasis::StatutoryDuty),
            "consent" => Some(PersonalBasis::Consent(reference.unwrap_or_default())),
            _ => None,
        }
    }

    /// What the record page tells the person: the basis and its article.
    /// The consent's reference is not published (the person has it; anyone
    /// else has no use for it).
    pub fn public_label(&self) -> &'static str {
        match self {
            PersonalBasis::StatutoryDuty => {
                "履行法定职责（《中华人民共和国个人信息保护法》第十三条第一款第三项）"
            }
            PersonalBasis::Consent(_) => {
                "取得本人同意（《中华人民共和国个人信息保护法》第十三条第一款第一项），可向作出决定的部门查询或撤回"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statutory_duty_in_the_wordings_departments_use() {
        for raw in [
            "法定职责",
            " 履行法定职责 ",
            "法定职责或者法定义务",
            "法定 职责",
        ] {
            assert_eq!(
                PersonalBasis::parse(Some(raw), None),
                Ok((PersonalBasis::StatutoryDuty, false)),
                "{raw}"
            );
        }
        // A reference beside a statutory duty is not kept, and the caller hears of it.
        assert_eq!(
            PersonalBasis::parse(Some("法定职责"), Some("TY-1")),
            Ok((PersonalBasis::StatutoryDuty, true))
        );
    }

    #[test]
    fn consent_needs_its_reference() {
        assert_eq!(
            PersonalBasis::parse(Some("同意"), Some(" HG-TY-2026-001 ")),
            Ok((PersonalBasis::Consent("HG-TY-2026-001".into()), false))
        );
        assert_eq!(
            PersonalBasis::parse(None, Some("HG-TY-2026-001")),
            Ok((PersonalBasis::Consent("HG-TY-2026-001".into()), false))
        );
        let without = PersonalBasis::parse(Some("本人同意"), Some("  ")).unwrap_err();
        assert_eq!(without, BasisError::ConsentWithoutReference);
        assert!(without.in_reference());
        assert!(without.message().contains("同意书的编号"));
        let long = "号".repeat(CONSENT_REF_MAX_CHARS + 1);
        assert_eq!(
            PersonalBasis::parse(Some("同意"), Some(&long)),
            Err(BasisError::BadReference)
        );
        assert_eq!(
            PersonalBasis::parse(Some("同意"), Some("TY\n1")),
            Err(BasisError::BadReference)
        );
    }

    #[test]
    fn neither_or_anything_else_is_refused_with_the_fix() {
        let missing = PersonalBasis::parse(None, Some("")).unwrap_err();
        assert_eq!(missing, BasisError::Missing);
        assert!(!missing.in_reference());
        assert!(missing.message().contains("法定职责"));
        let other = PersonalBasis::parse(Some("公开"), None).unwrap_err();
        assert!(other.message().contains("“公开”不是有效的个人信息处理依据"));
    }

    #[test]
    fn stored_and_read_back() {
        for basis in [
            PersonalBasis::StatutoryDuty,
            PersonalBasis::Consent("HG-TY-7".into()),
        ] {
            let back = PersonalBasis::from_stored(
                Some(basis.code()),
                basis.reference().map(str::to_string),
            );
            assert_eq!(back, Some(basis));
        }
        assert_eq!(PersonalBasis::from_stored(None, None), None);
        assert!(!PersonalBasis::Consent("HG-TY-7".into())
            .public_label()
            .contains("HG-TY-7"));
    }
}
