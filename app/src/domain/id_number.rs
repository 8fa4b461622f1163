//! Resident identity card number (公民身份号码), GB 11643-1999.
//!
//! 18 characters: address code (6) + birth date YYYYMMDD (8) + sequence (3) +
//! check char (1, `0`–`9` or `X`). The number is personal data: this type
//! deliberately has no `Display` and no `Serialize`, and its `Debug` prints
//! the masked form, so it cannot leak into pages, JSON or logs by accident.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use super::search_text::to_halfwidth;

/// Weights for the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check chars indexed by the weighted sum mod 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Earliest birth year accepted.
const MIN_BIRTH_YEAR: i32 = 1900;

/// A validated 18-character resident ID number (check char uppercase).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

/// Why a string is not a valid resident ID number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdNumberError {
    /// Nothing was entered.
    Empty,
    /// Not 18 characters after normalisation.
    WrongLength {
        /// Number of characters found.
        found: usize,
    },
    /// A non-digit in positions 1–17, or a last char other than a digit/X.
    BadChar {
        /// 1-based position.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// Positions 7–14 are not a real date from 1900 on.
    BadBirthDate,
    /// The check char does not match.
    CheckMismatch {
        /// The computed check char.
        expected: char,
        /// The check char entered.
        found: char,
    },
}

impl fmt::Display for IdNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdNumberError::Empty => write!(f, "请输入身份证号码（18 位）"),
            IdNumberError::WrongLength { found } => write!(
                f,
                "身份证号码应为 18 位，您输入了 {found} 位，请核对后重新输入"
            ),
            IdNumberError::BadChar { position, ch } => write!(
                f,
                "身份证号码第 {position} 位“{ch}”无效：前 17 位应为数字，最后一位为数字或 X"
            ),
            IdNumberError::BadBirthDate => write!(
                f,
                "身份证号码中的出生日期（第 7–14 位）不是有效日期，请核对后重新输入"
            ),
            IdNumberError::CheckMismatch { expected, found } => write!(
                f,
                "身份证号码校验位不符：最后一位应为“{expected}”，您输入的是“{found}”，请核对是否输错"
            ),
        }
    }
}

impl std::error::Error for IdNumberError {}

/// Normalises: full-width → half-width, drops whitespace, uppercases `x`.
fn normalize(s: &str) -> String {
    s.chars()
        .map(to_halfwidth)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Computes the check char of 17 ASCII digits (None otherwise).
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut n = 0usize;
    for c in first17.chars() {
        sum += c.to_digit(10)? * WEIGHTS.get(n)?;
        n += 1;
    }
    if n != 17 {
        return None;
    }
    CHECK.get((sum % 11) as usize).copied()
}

impl IdNumber {
    /// Normalises and validates length, characters, birth date and check char.
    pub fn parse(s: &str) -> Result<IdNumber, IdNumberError> {
        let norm = normalize(s);
        let chars: Vec<char> = norm.chars().collect();
        if chars.is_empty() {
            return Err(IdNumberError::Empty);
        }
        if chars.len() != 18 {
            return Err(IdNumberError::WrongLength { found: chars.len() });
        }
        for (i, &ch) in chars.iter().enumerate() {
            let ok = ch.is_ascii_digit() || (i == 17 && ch == 'X');
            if !ok {
                return Err(IdNumberError::BadChar {
                    position: i + 1,
                    ch,
                });
            }
        }
        // All 18 chars are ASCII now, so byte slicing via get() is exact.
        let birth = norm.get(6..14).unwrap_or("");
        if birth_date(birth).is_none() {
            return Err(IdNumberError::BadBirthDate);
        }
        let found = chars[17];
        match check_char(norm.get(..17).unwrap_or("")) {
            Some(expected) if expected == found => Ok(IdNumber(norm)),
            Some(expected) => Err(IdNumberError::CheckMismatch { expected, found }),
            None => Err(IdNumberError::WrongLength { found: 18 }),
        }
    }

    /// The full number. Handle with care: never show it publicly.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 6 and last 4 characters with 8 stars between,
    /// e.g. `110105********002X`.
    pub fn masked(&self) -> String {
        let head = self.0.get(..6).unwrap_or("");
        let tail = self.0.get(14..).unwrap_or("");
        format!("{head}********{tail}")
    }

    /// The birth date encoded in positions 7–14.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        birth_date(self.0.get(6..14).unwrap_or(""))
    }
}

/// Parses YYYYMMDD (8 ASCII digits) as a real date from 1900 on.
fn birth_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s.get(0..4)?.parse().ok()?;
    let m: u32 = s.get(4..6)?.parse().ok()?;
    let d: u32 = s.get(6..8)?.parse().ok()?;
    if y < MIN_BIRTH_YEAR {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

impl fmt::Debug for IdNumber {
    /// Prints the masked form so logs never carry the full number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdNumber").field(&self.masked()).finish()
    }
}

impl<'de> Deserialize<'de> for IdNumber {
    /// Validates like [`IdNumber::parse`] so form input can be typed.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        IdNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_vector() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(check_char("11010519491231002"), Some('X'));
    }

    #[test]
    fn lowercase_and_fullwidth_accepted() {
        assert_eq!(
            IdNumber::parse(" 11010519491231002x ").unwrap().as_str(),
            "11010519491231002X"
        );
        assert_eq!(
            IdNumber::parse("１１０１０５１９４９１２３１００２ｘ")
                .unwrap()
                .as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn debug_is_masked() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        let dbg = format!("{id:?}");
        assert!(!dbg.contains("19491231"));
        assert!(dbg.contains("110105********002X"));
    }

    #[test]
    fn invalid_vectors() {
        assert_eq!(IdNumber::parse(""), Err(IdNumberError::Empty));
        assert_eq!(
            IdNumber::parse("110105194912310"),
            Err(IdNumberError::WrongLength { found: 15 })
        );
        assert_eq!(
            IdNumber::parse("11010519491231002Y"),
            Err(IdNumberError::BadChar {
                position: 18,
                ch: 'Y'
            })
        );
        assert_eq!(
            IdNumber::parse("1101051949123100XX"),
            Err(IdNumberError::BadChar {
                position: 17,
                ch: 'X'
            })
        );
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::CheckMismatch {
                expected: 'X',
                found: '1'
            })
        );
        // 1949-02-30 does not exist.
        assert_eq!(
            IdNumber::parse("110105194902300021"),
            Err(IdNumberError::BadBirthDate)
        );
        // Year before 1900.
        assert_eq!(
            IdNumber::parse("110105189912310021"),
            Err(IdNumberError::BadBirthDate)
        );
        assert!(IdNumber::parse("鹤鹤鹤鹤鹤鹤鹤鹤鹤鹤鹤鹤鹤鹤鹤鹤鹤鹤").is_err());
    }

    #[test]
    fn messages_name_the_field() {
        for e in [
            IdNumberError::Empty,
            IdNumberError::WrongLength { found: 3 },
            IdNumberError::BadChar {
                position: 1,
                ch: 'a',
            },
            IdNumberError::BadBirthDate,
            IdNumberError::CheckMismatch {
                expected: 'X',
                found: '1',
            },
        ] {
            assert!(e.to_string().contains("身份证号码"), "{e}");
        }
    }

    #[test]
    fn leap_day_birth() {
        let first17 = "11010520000229001";
        let c = check_char(first17).unwrap();
        assert!(IdNumber::parse(&format!("{first17}{c}")).is_ok());
        let first17 = "11010519000229001"; // 1900 is not a leap year
        let c = check_char(first17).unwrap();
        assert_eq!(
            IdNumber::parse(&format!("{first17}{c}")),
            Err(IdNumberError::BadBirthDate)
        );
    }
}
