//! Kind of administrative counterpart (行政相对人类别).
//!
//! The kind decides what may be published about a subject: organisations are
//! published in full, while personal names of individual businesses and
//! natural persons are masked.

use serde::{Deserialize, Serialize};

/// The three kinds of subject used by the national credit data standard.
///
/// Serialised as its [`SubjectKind::code`]; the Rust variant names are also
/// accepted when deserialising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SubjectKind {
    /// 法人及非法人组织 (companies, associations, public institutions…).
    #[serde(rename = "legal", alias = "LegalEntity")]
    LegalEntity,
    /// 个体工商户.
    #[serde(rename = "individual", alias = "IndividualBusiness")]
    IndividualBusiness,
    /// 自然人.
    #[serde(rename = "person", alias = "NaturalPerson")]
    NaturalPerson,
}

impl SubjectKind {
    /// All kinds, in display order.
    pub const ALL: [SubjectKind; 3] = [
        SubjectKind::LegalEntity,
        SubjectKind::IndividualBusiness,
        SubjectKind::NaturalPerson,
    ];

    /// Chinese label as used in the national sheets.
    pub fn label(self) -> &'static str {
        match self {
            SubjectKind::LegalEntity => "法人及非法人组织",
            SubjectKind::IndividualBusiness => "个体工商户",
            SubjectKind::NaturalPerson => "自然人",
        }
    }

    /// Stable ASCII code for URLs and storage.
    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::LegalEntity => "legal",
            SubjectKind::IndividualBusiness => "individual",
            SubjectKind::NaturalPerson => "person",
        }
    }

    /// Inverse of [`SubjectKind::code`] (exact match).
    pub fn from_code(code: &str) -> Option<SubjectKind> {
        SubjectKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Parses a Chinese label as found in imported sheets (surrounding
    /// whitespace ignored). Besides the exact labels it accepts `法人`,
    /// `非法人组织`, `法人和非法人组织`, `法人或非法人组织` and `个体户`.
    pub fn from_label(label: &str) -> Option<SubjectKind> {
        match label.trim() {
            "法人及非法人组织"
            | "法人"
            | "非法人组织"
            | "法人和非法人组织"
            | "法人或非法人组织" => Some(SubjectKind::LegalEntity),
            "个体工商户" | "个体户" => Some(SubjectKind::IndividualBusiness),
            "自然人" => Some(SubjectKind::NaturalPerson),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_codes_roundtrip() {
        for k in SubjectKind::ALL {
            assert_eq!(SubjectKind::from_code(k.code()), Some(k));
            assert_eq!(SubjectKind::from_label(k.label()), Some(k));
        }
        assert_eq!(SubjectKind::LegalEntity.label(), "法人及非法人组织");
        assert_eq!(SubjectKind::IndividualBusiness.label(), "个体工商户");
        assert_eq!(SubjectKind::NaturalPerson.label(), "自然人");
        assert_eq!(SubjectKind::LegalEntity.code(), "legal");
        assert_eq!(SubjectKind::IndividualBusiness.code(), "individual");
        assert_eq!(SubjectKind::NaturalPerson.code(), "person");
    }

    #[test]
    fn label_variants() {
        assert_eq!(
            SubjectKind::from_label("法人"),
            Some(SubjectKind::LegalEntity)
        );
        assert_eq!(
            SubjectKind::from_label(" 非法人组织 "),
            Some(SubjectKind::LegalEntity)
        );
        assert_eq!(
            SubjectKind::from_label("个体户"),
            Some(SubjectKind::IndividualBusiness)
        );
        assert_eq!(SubjectKind::from_label("公司"), None);
        assert_eq!(SubjectKind::from_label(""), None);
        assert_eq!(SubjectKind::from_code("Legal"), None);
        assert_eq!(SubjectKind::from_code(""), None);
    }
}
