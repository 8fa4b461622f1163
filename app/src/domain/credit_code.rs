//! Unified social credit code (统一社会信用代码), GB 32100-2015.
//!
//! 18 characters: registration authority (1) + entity category (1) +
//! administrative division (6) + subject identifier (9) + check char (1).
//! The alphabet has 31 characters (digits and capitals without I, O, S, V, Z,
//! which are easily confused with digits); a character's value is its index.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::search_text::to_halfwidth;

/// The 31-character alphabet of GB 32100-2015; a char's value is its index.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights for positions 1–17 (3^(i-1) mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Length of a code in characters.
pub const LEN: usize = 18;

/// Value of `c` in the alphabet, or None if it is not an alphabet char.
fn value_of(c: char) -> Option<u32> {
    ALPHABET.chars().position(|a| a == c).map(|p| p as u32)
}

/// Char for a value 0..31.
fn char_of(v: u32) -> Option<char> {
    ALPHABET.chars().nth(v as usize)
}

/// Normalises user input: trims, removes all whitespace (people paste codes
/// grouped with spaces), converts full-width ASCII to half-width and
/// uppercases ASCII letters.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(to_halfwidth)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Computes the check char for the first 17 characters of a code.
///
/// Expects already-normalised input (uppercase, half-width); returns None
/// unless `first17` is exactly 17 alphabet characters.
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum: u32 = 0;
    let mut n = 0usize;
    for c in first17.chars() {
        let w = WEIGHTS.get(n)?;
        sum += value_of(c)? * w;
        n += 1;
    }
    if n != 17 {
        return None;
    }
    char_of((31 - sum % 31) % 31)
}

/// A unified social credit code whose shape (18 alphabet chars) is valid.
///
/// Values built by [`CreditCode::parse`] also have a correct check char;
/// [`CreditCode::parse_lenient`] and deserialisation accept a wrong check
/// char because some early pilot codes that were really issued fail it.
/// Serialised as a plain string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// Why a string is not a unified social credit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreditCodeError {
    /// Nothing was entered.
    Empty,
    /// Not 18 characters after normalisation.
    WrongLength {
        /// Number of characters found.
        found: usize,
    },
    /// A character outside the alphabet.
    BadChar {
        /// 1-based position in the normalised input.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// The check char does not match the first 17 characters.
    CheckMismatch {
        /// The check char computed from the first 17 characters.
        expected: char,
        /// The check char that was entered.
        found: char,
    },
}

impl fmt::Display for CreditCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CreditCodeError::Empty => write!(f, "请输入统一社会信用代码（18 位）"),
            CreditCodeError::WrongLength { found } => write!(
                f,
                "统一社会信用代码应为 18 位，您输入了 {found} 位，请核对后重新输入"
            ),
            CreditCodeError::BadChar { position, ch } => write!(
                f,
                "第 {position} 位“{ch}”不是统一社会信用代码使用的字符（不使用 I、O、S、V、Z）"
            ),
            CreditCodeError::CheckMismatch { expected, found } => write!(
                f,
                "统一社会信用代码校验位不符：最后一位应为“{expected}”，您输入的是“{found}”，请核对是否输错"
            ),
        }
    }
}

impl std::error::Error for CreditCodeError {}

/// Checks length and alphabet of a normalised string.
fn check_shape(norm: &str) -> Result<(), CreditCodeError> {
    let len = norm.chars().count();
    if len == 0 {
        return Err(CreditCodeError::Empty);
    }
    if len != LEN {
        return Err(CreditCodeError::WrongLength { found: len });
    }
    for (i, ch) in norm.chars().enumerate() {
        if value_of(ch).is_none() {
            return Err(CreditCodeError::BadChar {
                position: i + 1,
                ch,
            });
        }
    }
    Ok(())
}

/// Compares the check char of a shape-valid normalised code.
fn verify_check(norm: &str) -> Result<(), CreditCodeError> {
    // Shape-valid means 18 ASCII chars, so byte indices are char indices.
    let (first17, last) = (norm.get(..17).unwrap_or(""), norm.get(17..).unwrap_or(""));
    let found = last.chars().next().unwrap_or('?');
    match check_char(first17) {
        Some(expected) if expected == found => Ok(()),
        Some(expected) => Err(CreditCodeError::CheckMismatch { expected, found }),
        None => Err(CreditCodeError::WrongLength {
            found: norm.chars().count(),
        }),
    }
}

impl CreditCode {
    /// Normalises and fully validates a code (length, alphabet, check char).
    pub fn parse(s: &str) -> Result<CreditCode, CreditCodeError> {
        let norm = normalize(s);
        check_shape(&norm)?;
        verify_check(&norm)?;
        Ok(CreditCode(norm))
    }

    /// Like [`CreditCode::parse`] but a wrong check char is not an error:
    /// returns `(code, true)` when the check char is right and `(code, false)`
    /// when only the check char is wrong, so imports can warn instead of
    /// rejecting early pilot codes.
    pub fn parse_lenient(s: &str) -> Result<(CreditCode, bool), CreditCodeError> {
        let norm = normalize(s);
        check_shape(&norm)?;
        let ok = verify_check(&norm).is_ok();
        Ok((CreditCode(norm), ok))
    }

    /// Whether `s` has the shape of a code (18 alphabet chars after
    /// normalisation), regardless of the check char. Search uses this to
    /// decide that a query is a code.
    pub fn looks_like(s: &str) -> bool {
        check_shape(&normalize(s)).is_ok()
    }

    /// Whether the check char is correct (false only for leniently parsed codes).
    pub fn check_ok(&self) -> bool {
        verify_check(&self.0).is_ok()
    }

    /// The normalised code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit administrative division code (positions 3–8).
    pub fn division_code(&self) -> &str {
        self.0.get(2..8).unwrap_or("")
    }

    /// The registration authority char (position 1, e.g. `9` = 市场监管).
    pub fn authority(&self) -> char {
        self.0.chars().next().unwrap_or('?')
    }

    /// The entity category char (position 2).
    pub fn category(&self) -> char {
        self.0.chars().nth(1).unwrap_or('?')
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    /// Lenient: stored codes may be pilot codes with a wrong check char.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CreditCode::parse_lenient(&s).map(|(c, _)| c)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: [&str; 3] = [
        "914403001922038216",
        "91110108551385082Q",
        "91350100M000100Y43",
    ];

    #[test]
    fn valid_vectors() {
        for v in VALID {
            let c = CreditCode::parse(v).unwrap();
            assert_eq!(c.as_str(), v);
            assert_eq!(c.to_string(), v);
            assert!(CreditCode::looks_like(v));
            assert_eq!(CreditCode::parse_lenient(v).unwrap(), (c.clone(), true));
            assert!(c.check_ok());
            let last = v.chars().last().unwrap();
            assert_eq!(check_char(&v[..17]), Some(last));
        }
    }

    #[test]
    fn parts() {
        let c = CreditCode::parse("914403001922038216").unwrap();
        assert_eq!(c.division_code(), "440300");
        assert_eq!(c.authority(), '9');
        assert_eq!(c.category(), '1');
        let c = CreditCode::parse("91350100M000100Y43").unwrap();
        assert_eq!(c.division_code(), "350100");
    }

    #[test]
    fn normalisation() {
        let c = CreditCode::parse(" 91110108551385082q ").unwrap();
        assert_eq!(c.as_str(), "91110108551385082Q");
        let c = CreditCode::parse("9135 0100 M000 100Y 43").unwrap();
        assert_eq!(c.as_str(), "91350100M000100Y43");
        let c = CreditCode::parse("９１３５０１００ｍ０００１００ｙ４３").unwrap();
        assert_eq!(c.as_str(), "91350100M000100Y43");
        let c = CreditCode::parse("91350100M000100Y43\u{3000}").unwrap();
        assert_eq!(c.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn wrong_check_char() {
        let e = CreditCode::parse("914403001922038217").unwrap_err();
        assert_eq!(
            e,
            CreditCodeError::CheckMismatch {
                expected: '6',
                found: '7'
            }
        );
        assert_eq!(
            e.to_string(),
            "统一社会信用代码校验位不符：最后一位应为“6”，您输入的是“7”，请核对是否输错"
        );
        let (c, ok) = CreditCode::parse_lenient("914403001922038217").unwrap();
        assert!(!ok);
        assert!(!c.check_ok());
        assert_eq!(c.as_str(), "914403001922038217");
        assert!(CreditCode::looks_like("914403001922038217"));
        assert!(CreditCode::parse("91110108551385082A").is_err());
        assert!(CreditCode::parse("91350100M000100Y44").is_err());
    }

    #[test]
    fn bad_chars() {
        let e = CreditCode::parse("91440300I922038216").unwrap_err();
        assert_eq!(
            e,
            CreditCodeError::BadChar {
                position: 9,
                ch: 'I'
            }
        );
        assert_eq!(
            e.to_string(),
            "第 9 位“I”不是统一社会信用代码使用的字符（不使用 I、O、S、V、Z）"
        );
        // Lowercase o becomes O, which is still not allowed.
        assert!(matches!(
            CreditCode::parse("9144030o1922038216"),
            Err(CreditCodeError::BadChar {
                position: 8,
                ch: 'O'
            })
        ));
        assert!(matches!(
            CreditCode::parse("91440300-922038216"),
            Err(CreditCodeError::BadChar {
                position: 9,
                ch: '-'
            })
        ));
        assert!(matches!(
            CreditCode::parse("91440300鹤922038216"),
            Err(CreditCodeError::BadChar {
                position: 9,
                ch: '鹤'
            })
        ));
        assert!(!CreditCode::looks_like("91440300S922038216"));
        assert!(CreditCode::parse_lenient("91440300Z922038216").is_err());
    }

    #[test]
    fn wrong_length_and_empty() {
        let e = CreditCode::parse("91440300192203821").unwrap_err();
        assert_eq!(e, CreditCodeError::WrongLength { found: 17 });
        assert_eq!(
            e.to_string(),
            "统一社会信用代码应为 18 位，您输入了 17 位，请核对后重新输入"
        );
        assert_eq!(
            CreditCode::parse("9144030019220382160"),
            Err(CreditCodeError::WrongLength { found: 19 })
        );
        assert_eq!(CreditCode::parse("   "), Err(CreditCodeError::Empty));
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::Empty));
        assert!(CreditCode::parse("")
            .unwrap_err()
            .to_string()
            .contains("统一社会信用代码"));
        // Multi-byte chars count as one position each.
        assert_eq!(
            CreditCode::parse("鹤鹤鹤"),
            Err(CreditCodeError::WrongLength { found: 3 })
        );
        assert!(!CreditCode::looks_like("鹤壁市某某公司"));
        assert!(!CreditCode::looks_like(""));
    }

    #[test]
    fn check_char_rejects_bad_input() {
        assert_eq!(check_char(""), None);
        assert_eq!(check_char("9144030019220382"), None);
        assert_eq!(check_char("914403001922038216"), None);
        assert_eq!(check_char("91440300I92203821"), None);
        assert_eq!(check_char("91440300鹤92203821"), None);
    }

    #[test]
    fn every_first17_has_a_check_char_that_parses() {
        // Derive fresh codes by changing one char and recomputing the check.
        for a in ALPHABET.chars() {
            let first17 = format!("9144030{a}192203821");
            let c = check_char(&first17).unwrap();
            let code = format!("{first17}{c}");
            assert!(CreditCode::parse(&code).is_ok(), "{code}");
        }
    }

    #[test]
    fn serde_plain_string_lenient() {
        let c = CreditCode::parse("91350100M000100Y43").unwrap();
        let s: String = c.clone().into();
        assert_eq!(s, "91350100M000100Y43");
        assert_eq!(CreditCode::try_from(s).unwrap(), c);
        assert!(CreditCode::try_from("914403001922038217".to_string()).is_ok());
        assert!(CreditCode::try_from("bad".to_string()).is_err());
    }
}
