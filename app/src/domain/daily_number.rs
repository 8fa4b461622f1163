//! Numbers the public is given to quote, one sequence a day: a two-letter
//! prefix, the date (YYYYMMDD) and a 5-digit sequence — repair applications
//! (`XF2026112600042`), prior notices (`GZ…`) and objections (`YY…`). One
//! format, one parser, one set of messages naming the number.

use chrono::{Datelike, NaiveDate};

use super::search_text::to_halfwidth;

/// `prefix` (two ASCII capitals) + YYYYMMDD + 5-digit daily sequence; None
/// if the sequence is not in 1..=99999 or the year has not four digits.
pub fn daily_number(prefix: &str, date: NaiveDate, seq: u32) -> Option<String> {
    if !(1..=99_999).contains(&seq) || !(1000..=9999).contains(&date.year()) {
        return None;
    }
    Some(format!(
        "{prefix}{:04}{:02}{:02}{seq:05}",
        date.year(),
        date.month(),
        date.day()
    ))
}

/// Parses user input as a daily number with `prefix`; `what` names the
/// number in messages (e.g. `告知书编号`). Whitespace around it, lower case
/// and full-width characters are accepted.
pub fn parse_daily_number(s: &str, prefix: &str, what: &str) -> Result<String, String> {
    let norm: String = s
        .chars()
        .map(to_halfwidth)
        .collect::<String>()
        .trim()
        .to_ascii_uppercase();
    if norm.is_empty() {
        return Err(format!("请填写{what}"));
    }
    let hint =
        format!("{what}应为“{prefix}”加 13 位数字，例如 {prefix}2026120100001，请核对后重新输入");
    let digits = match norm.strip_prefix(prefix) {
        Some(d) if d.len() == 13 && d.bytes().all(|b| b.is_ascii_digit()) => d,
        _ => return Err(hint),
    };
    let num = |r: std::ops::Range<usize>| digits.get(r).and_then(|t| t.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d), Some(seq)) = (num(0..4), num(4..6), num(6..8), num(8..13))
    else {
        return Err(hint);
    };
    let Some(date) = i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
    else {
        return Err(format!(
            "{what}中的日期“{}”不存在，请核对后重新输入",
            digits.get(0..8).unwrap_or_default()
        ));
    };
    daily_number(prefix, date, seq)
        .ok_or_else(|| format!("{what}末尾的 5 位流水号不能是 00000，请核对后重新输入"))
}

/// The date part of a daily number.
pub fn daily_number_date(n: &str) -> Option<NaiveDate> {
    let part = |r: std::ops::Range<usize>| n.get(r).and_then(|t| t.parse::<u32>().ok());
    let y = i32::try_from(part(2..6)?).ok()?;
    NaiveDate::from_ymd_opt(y, part(6..8)?, part(8..10)?)
}

/// The sequence part of a daily number.
pub fn daily_number_sequence(n: &str) -> Option<u32> {
    n.get(10..15).and_then(|t| t.parse().ok())
}

/// Declares a daily-number type: `$name` holding a number with `$prefix`,
/// named `$what` in messages (e.g. `"申请编号"`). Serialised as the plain
/// string; deserialising validates it.
macro_rules! daily_number_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(
            Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The number for sequence `seq` (1..=99999) on `date`; None if
            /// the sequence is out of range or the year has not four digits.
            pub fn new(date: chrono::NaiveDate, seq: u32) -> Option<Self> {
                $crate::domain::daily_number::daily_number($prefix, date, seq).map($name)
            }

            /// Parses user input: surrounding whitespace is ignored, letters
            /// may be lower case and digits/letters full-width.
            pub fn parse(s: &str) -> Result<Self, String> {
                $crate::domain::daily_number::parse_daily_number(s, $prefix, $what).map($name)
            }

            /// The number as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The date part.
            pub fn date(&self) -> Option<chrono::NaiveDate> {
                $crate::domain::daily_number::daily_number_date(&self.0)
            }

            /// The daily sequence number.
            pub fn sequence(&self) -> Option<u32> {
                $crate::domain::daily_number::daily_number_sequence(&self.0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(n: $name) -> String {
                n.0
            }
        }
    };
}
pub(crate) use daily_number_type;
