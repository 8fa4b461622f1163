//! Decision document number (决定书文号), e.g. `鹤市监罚〔2025〕123号`.
//!
//! Numbers are typed and exported with many bracket variants around the year;
//! normalising them to the official `〔〕` lets an exact lookup find a record
//! however the user typed the brackets.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::search_text::to_halfwidth;

/// Maximum length in characters after normalisation.
pub const MAX_CHARS: usize = 80;

/// Opening brackets seen around the year in the wild.
const OPEN: [char; 7] = ['〔', '[', '(', '（', '【', '［', '﹝'];
/// Closing brackets seen around the year in the wild.
const CLOSE: [char; 7] = ['〕', ']', ')', '）', '】', '］', '﹞'];

/// A normalised decision document number. Serialised as a plain string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentNumber(String);

/// Why a string is not accepted as a decision document number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentNumberError {
    /// Nothing was entered.
    Empty,
    /// Longer than [`MAX_CHARS`] characters.
    TooLong {
        /// Number of characters found.
        found: usize,
    },
    /// No digit at all (every real number has a year or serial number).
    NoDigit,
    /// Contains a control character (e.g. a pasted tab or line break
    /// survives as whitespace, but other control chars are rejected).
    ControlChar,
}

impl fmt::Display for DocumentNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentNumberError::Empty => write!(f, "请输入决定书文号"),
            DocumentNumberError::TooLong { found } => write!(
                f,
                "决定书文号不能超过 {MAX_CHARS} 个字符，您输入了 {found} 个，请核对后重新输入"
            ),
            DocumentNumberError::NoDigit => write!(
                f,
                "决定书文号应包含年份和编号，例如“鹤市监罚〔2025〕123号”，请核对后重新输入"
            ),
            DocumentNumberError::ControlChar => {
                write!(f, "决定书文号包含无法识别的控制字符，请删除后重新输入")
            }
        }
    }
}

impl std::error::Error for DocumentNumberError {}

/// Normalises: trims, collapses whitespace runs to one space, converts
/// full-width letters and digits to half-width, and rewrites a bracketed
/// 4-digit year (any bracket variant, optional spaces inside) to `〔YYYY〕`.
pub fn normalize(s: &str) -> String {
    // Full-width letters/digits only: full-width brackets are handled below
    // and other full-width punctuation is left as typed.
    let chars: Vec<char> = s
        .chars()
        .map(|c| {
            let h = to_halfwidth(c);
            if h.is_ascii_alphanumeric() || h == ' ' {
                h
            } else {
                c
            }
        })
        .collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut pending_space = false;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            pending_space = true;
            i += 1;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        if OPEN.contains(&c) {
            if let Some((year, next)) = bracketed_year(&chars, i + 1) {
                out.push('〔');
                out.push_str(&year);
                out.push('〕');
                i = next;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// If `chars[start..]` is `␣* dddd ␣* <close>`, returns the year and the index
/// after the closing bracket.
fn bracketed_year(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut i = start;
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    let mut year = String::new();
    while let Some(&c) = chars.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        year.push(c);
        i += 1;
    }
    if year.len() != 4 {
        return None;
    }
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    if CLOSE.contains(chars.get(i)?) {
        Some((year, i + 1))
    } else {
        None
    }
}

impl DocumentNumber {
    /// Normalises and checks: 1..=80 chars, at least one digit, no control chars.
    pub fn parse(s: &str) -> Result<DocumentNumber, DocumentNumberError> {
        let norm = normalize(s);
        let n = norm.chars().count();
        if n == 0 {
            return Err(DocumentNumberError::Empty);
        }
        if n > MAX_CHARS {
            return Err(DocumentNumberError::TooLong { found: n });
        }
        if norm.chars().any(char::is_control) {
            return Err(DocumentNumberError::ControlChar);
        }
        if !norm.chars().any(|c| c.is_ascii_digit()) {
            return Err(DocumentNumberError::NoDigit);
        }
        Ok(DocumentNumber(norm))
    }

    /// Whether `s` looks like a full document number worth an exact lookup:
    /// after normalisation it contains `〔YYYY〕`, ends with `号` and parses.
    pub fn looks_like(s: &str) -> bool {
        let norm = normalize(s);
        if !norm.ends_with('号') || DocumentNumber::parse(&norm).is_err() {
            return false;
        }
        let chars: Vec<char> = norm.chars().collect();
        chars
            .windows(6)
            .any(|w| w[0] == '〔' && w[1..5].iter().all(|c| c.is_ascii_digit()) && w[5] == '〕')
    }

    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The year in `〔YYYY〕`, if present.
    pub fn year(&self) -> Option<i32> {
        let start = self.0.find('〔')? + '〔'.len_utf8();
        let rest = self.0.get(start..)?;
        let end = rest.find('〕')?;
        let y = rest.get(..end)?;
        if y.len() == 4 {
            y.parse().ok()
        } else {
            None
        }
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DocumentNumber {
    type Error = DocumentNumberError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        DocumentNumber::parse(&s)
    }
}

impl From<DocumentNumber> for String {
    fn from(d: DocumentNumber) -> String {
        d.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_form_unchanged() {
        let d = DocumentNumber::parse("鹤市监罚〔2025〕123号").unwrap();
        assert_eq!(d.as_str(), "鹤市监罚〔2025〕123号");
        assert_eq!(d.to_string(), "鹤市监罚〔2025〕123号");
        assert_eq!(d.year(), Some(2025));
    }

    #[test]
    fn bracket_variants_normalised() {
        for s in [
            "鹤市监罚[2025]123号",
            "鹤市监罚(2025)123号",
            "鹤市监罚（2025）123号",
            "鹤市监罚【2025】123号",
            "鹤市监罚［2025］123号",
            "鹤市监罚﹝2025﹞123号",
            "鹤市监罚（２０２５）１２３号",
            "  鹤市监罚〔 2025 〕123号 ",
        ] {
            assert_eq!(
                DocumentNumber::parse(s).unwrap().as_str(),
                "鹤市监罚〔2025〕123号",
                "{s}"
            );
            assert!(DocumentNumber::looks_like(s), "{s}");
        }
    }

    #[test]
    fn whitespace_collapsed_other_brackets_kept() {
        assert_eq!(normalize(" a  \t b\u{3000}c "), "a b c");
        // Not a 4-digit year: left alone.
        assert_eq!(normalize("罚字(12)号"), "罚字(12)号");
        assert_eq!(normalize("罚字(20251)号"), "罚字(20251)号");
        assert_eq!(normalize("罚字(2025号"), "罚字(2025号");
        assert_eq!(normalize("（"), "（");
    }

    #[test]
    fn errors() {
        assert_eq!(
            DocumentNumber::parse("   "),
            Err(DocumentNumberError::Empty)
        );
        assert_eq!(
            DocumentNumber::parse("鹤市监罚号"),
            Err(DocumentNumberError::NoDigit)
        );
        let long = "鹤".repeat(80) + "1";
        assert_eq!(
            DocumentNumber::parse(&long),
            Err(DocumentNumberError::TooLong { found: 81 })
        );
        assert!(DocumentNumber::parse(&("鹤".repeat(79) + "1")).is_ok());
        assert_eq!(
            DocumentNumber::parse("鹤\u{0}1号"),
            Err(DocumentNumberError::ControlChar)
        );
        for e in [
            DocumentNumberError::Empty,
            DocumentNumberError::TooLong { found: 81 },
            DocumentNumberError::NoDigit,
            DocumentNumberError::ControlChar,
        ] {
            assert!(e.to_string().contains("决定书文号"));
        }
    }

    #[test]
    fn looks_like_rules() {
        assert!(DocumentNumber::looks_like("淇监罚〔2024〕7号"));
        assert!(!DocumentNumber::looks_like("淇监罚〔2024〕7"));
        assert!(!DocumentNumber::looks_like("淇监罚2024第7号"));
        assert!(!DocumentNumber::looks_like("〔202〕7号"));
        assert!(!DocumentNumber::looks_like("鹤壁市某某公司"));
        assert!(!DocumentNumber::looks_like(""));
        assert!(!DocumentNumber::looks_like(
            &("鹤".repeat(80) + "〔2024〕7号")
        ));
    }

    #[test]
    fn no_year_still_accepted() {
        let d = DocumentNumber::parse("鹤监罚字第123号").unwrap();
        assert_eq!(d.year(), None);
    }

    #[test]
    fn serde_roundtrip_via_string() {
        let d = DocumentNumber::try_from("鹤市监罚(2025)1号".to_string()).unwrap();
        assert_eq!(String::from(d), "鹤市监罚〔2025〕1号");
        assert!(DocumentNumber::try_from(String::new()).is_err());
    }
}
