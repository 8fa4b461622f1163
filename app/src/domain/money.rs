//! Money as an integer number of fen (分), shown in yuan (元).
//!
//! Integers avoid floating-point rounding in sums and comparisons. National
//! data sheets give fines in 万元 (ten thousand yuan) with up to 6 decimals,
//! which is exactly 1 fen of precision.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::search_text::to_halfwidth;

/// Largest accepted amount: 1 万亿元 (10^12 yuan). Anything larger in a
/// penalty sheet is a unit or typing mistake.
pub const MAX_FEN: i64 = 100_000_000_000_000;

/// An amount in fen (1 元 = 100 分). Serialised as a plain integer.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Fen(pub i64);

/// Parses a non-negative decimal with at most `max_decimals` decimals into
/// an integer scaled by 10^`scale_digits` (scale_digits ≥ max_decimals).
/// `unit` names the unit in messages and is also accepted as a suffix.
fn parse_decimal(
    s: &str,
    max_decimals: usize,
    scale_digits: u32,
    unit: &str,
) -> Result<i64, String> {
    let norm: String = s
        .chars()
        .map(to_halfwidth)
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let norm = norm.strip_suffix(unit).unwrap_or(&norm);
    if norm.is_empty() {
        return Err(format!("请输入金额（单位：{unit}）"));
    }
    let body = norm.strip_prefix('+').unwrap_or(norm);
    if body.starts_with('-') {
        return Err("金额不能为负数".to_string());
    }
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty())
        || !all_digits(int_part)
        || !all_digits(frac_part)
    {
        return Err(format!(
            "“{}”不是有效的金额，请输入数字（单位：{unit}）",
            s.trim()
        ));
    }
    if frac_part.len() > max_decimals {
        return Err(format!(
            "金额最多保留 {max_decimals} 位小数（单位：{unit}）"
        ));
    }
    let too_large = || format!("金额过大（超过 1 万亿元），请核对单位是否为{unit}");
    let int_trimmed = int_part.trim_start_matches('0');
    // 19 digits already overflow i64 after scaling; checking length first keeps
    // parse() away from huge inputs.
    if int_trimmed.len() > 18 {
        return Err(too_large());
    }
    let int_val: i64 = if int_trimmed.is_empty() {
        0
    } else {
        int_trimmed.parse().map_err(|_| too_large())?
    };
    let mut frac_val: i64 = 0;
    for b in frac_part.bytes() {
        frac_val = frac_val * 10 + i64::from(b - b'0');
    }
    let missing = scale_digits.saturating_sub(frac_part.len() as u32);
    let frac_scaled = frac_val
        .checked_mul(10i64.pow(missing))
        .ok_or_else(too_large)?;
    let total = int_val
        .checked_mul(10i64.pow(scale_digits))
        .and_then(|v| v.checked_add(frac_scaled))
        .ok_or_else(too_large)?;
    if total > MAX_FEN {
        return Err(too_large());
    }
    Ok(total)
}

impl Fen {
    /// Zero.
    pub const ZERO: Fen = Fen(0);

    /// Parses an amount in 万元 with up to 6 decimals (`0.5` → 500000 fen).
    /// Accepts full-width digits, thousands commas, a leading `+` and a
    /// trailing `万元`; rejects negatives, more than 6 decimals, non-numbers
    /// (including exponent notation) and amounts above 1 万亿元.
    pub fn from_wanyuan_str(s: &str) -> Result<Fen, String> {
        parse_decimal(s, 6, 6, "万元").map(Fen)
    }

    /// Parses an amount in 元 with up to 2 decimals (`12.3` → 1230 fen);
    /// same rules as [`Fen::from_wanyuan_str`], trailing `元` accepted.
    pub fn from_yuan_str(s: &str) -> Result<Fen, String> {
        parse_decimal(s, 2, 2, "元").map(Fen)
    }

    /// Sum that saturates instead of overflowing.
    pub fn saturating_add(self, other: Fen) -> Fen {
        Fen(self.0.saturating_add(other.0))
    }

    /// The amount in yuan with two decimals and thousands separators, without
    /// the unit: `12,345.67`.
    pub fn yuan_string(self) -> String {
        let abs = self.0.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let fen = abs % 100;
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3 + 4);
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{grouped}.{fen:02}")
    }
}

impl fmt::Display for Fen {
    /// `12,345.67 元`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} 元", self.yuan_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanyuan() {
        assert_eq!(Fen::from_wanyuan_str("0.5"), Ok(Fen(500_000)));
        assert_eq!(Fen::from_wanyuan_str("1.234567"), Ok(Fen(1_234_567)));
        assert_eq!(Fen::from_wanyuan_str("1"), Ok(Fen(1_000_000)));
        assert_eq!(Fen::from_wanyuan_str("0.000001"), Ok(Fen(1)));
        assert_eq!(Fen::from_wanyuan_str(" 2.5万元 "), Ok(Fen(2_500_000)));
        assert_eq!(Fen::from_wanyuan_str("１．５"), Ok(Fen(1_500_000)));
        assert_eq!(Fen::from_wanyuan_str("1,000"), Ok(Fen(1_000_000_000)));
        assert_eq!(Fen::from_wanyuan_str(".5"), Ok(Fen(500_000)));
        assert_eq!(Fen::from_wanyuan_str("3."), Ok(Fen(3_000_000)));
        assert_eq!(Fen::from_wanyuan_str("0"), Ok(Fen(0)));
        assert_eq!(Fen::from_wanyuan_str("+1"), Ok(Fen(1_000_000)));
        assert_eq!(Fen::from_wanyuan_str("100000000"), Ok(Fen(MAX_FEN)));
    }

    #[test]
    fn wanyuan_rejects() {
        assert!(Fen::from_wanyuan_str("-1").unwrap_err().contains("负数"));
        assert!(Fen::from_wanyuan_str("1.2345678")
            .unwrap_err()
            .contains("6 位小数"));
        for bad in [
            "abc", "1.2.3", ".", "1e3", "一万", "1 2x", "--1", "+-1", "0x10",
        ] {
            assert!(Fen::from_wanyuan_str(bad).is_err(), "{bad}");
        }
        assert!(Fen::from_wanyuan_str("")
            .unwrap_err()
            .contains("请输入金额"));
        assert!(Fen::from_wanyuan_str("100000000.000001")
            .unwrap_err()
            .contains("过大"));
        assert!(Fen::from_wanyuan_str("99999999999999999999999999")
            .unwrap_err()
            .contains("过大"));
        assert!(Fen::from_wanyuan_str("9223372036854775807").is_err());
    }

    #[test]
    fn yuan() {
        assert_eq!(Fen::from_yuan_str("12.3"), Ok(Fen(1230)));
        assert_eq!(Fen::from_yuan_str("12,345.67元"), Ok(Fen(1_234_567)));
        assert_eq!(Fen::from_yuan_str("0.01"), Ok(Fen(1)));
        assert!(Fen::from_yuan_str("0.001").is_err());
        assert!(Fen::from_yuan_str("-0.01").is_err());
        assert!(Fen::from_yuan_str("1000000000000.01").is_err());
        assert_eq!(Fen::from_yuan_str("1000000000000"), Ok(Fen(MAX_FEN)));
    }

    #[test]
    fn display() {
        assert_eq!(Fen(0).to_string(), "0.00 元");
        assert_eq!(Fen(1).to_string(), "0.01 元");
        assert_eq!(Fen(1_234_567).to_string(), "12,345.67 元");
        assert_eq!(Fen(100_000).to_string(), "1,000.00 元");
        assert_eq!(Fen(99_999).to_string(), "999.99 元");
        assert_eq!(Fen(12_345_678_900).to_string(), "123,456,789.00 元");
        assert_eq!(Fen(-150).to_string(), "-1.50 元");
        assert_eq!(Fen(i64::MIN).to_string(), "-92,233,720,368,547,758.08 元");
        assert_eq!(Fen(500_000).yuan_string(), "5,000.00");
    }

    #[test]
    fn saturating() {
        assert_eq!(Fen(i64::MAX).saturating_add(Fen(1)), Fen(i64::MAX));
    }
}
