//! The credit record report (信用信息报告): the period a subject may ask
//! for, the report number, and the fixed text every report carries.
//!
//! The report follows the national format (公共信用信息报告标准 2022): a
//! number, the issuer, the issue time and data cut-off, the subject's basic
//! data, a summary of counts, then a chapter per kind of record, then notes.
//! It never carries a score or grade. It is free and needs no account.

use chrono::{Months, NaiveDate};

use super::daily_number::{daily_number, parse_daily_number};
use crate::model::plain_date;

/// Prefix of report numbers (`BG2026120200001`).
pub const NUMBER_PREFIX: &str = "BG";

/// The longest period a report covers (发改财金〔2025〕565号: at most 5 years).
pub const MAX_YEARS: u32 = 5;

/// Who issues the report.
pub const ISSUER: &str = "信用中国（黑龙江鹤岗）网站";

/// The days a report covers, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl ReportPeriod {
    /// The longest period ending `today`: the default.
    pub fn longest(today: NaiveDate) -> ReportPeriod {
        ReportPeriod {
            from: earliest_from(today),
            to: today,
        }
    }

    /// The period from the form's two dates (`YYYY-MM-DD`; empty means the
    /// default end of the longest period). Errors name the field and the fix.
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<ReportPeriod, String> {
        let date = |s: &str, field: &str| -> Result<Option<NaiveDate>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            plain_date::parse(s).map(Some).ok_or_else(|| {
                format!("{field}“{s}”不是有效日期，请按“年-月-日”填写，例如 2024-01-01")
            })
        };
        let to = date(to, "报告期截止日期")?.unwrap_or(today);
        if to > today {
            return Err(format!(
                "报告期截止日期不能晚于今天（{}），请改为今天或更早的日期",
                plain_date::iso(today)
            ));
        }
        let earliest = earliest_from(to);
        let from = date(from, "报告期起始日期")?.unwrap_or(earliest);
        if from > to {
            return Err("报告期起始日期不能晚于截止日期，请调换两个日期".into());
        }
        if from < earliest {
            return Err(format!(
                "报告期最长 {MAX_YEARS} 年：截止日期为 {} 时，起始日期不能早于 {}，请缩短报告期",
                plain_date::iso(to),
                plain_date::iso(earliest)
            ));
        }
        Ok(ReportPeriod { from, to })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// `2021年12月3日至2026年12月2日`.
    pub fn label(&self) -> String {
        format!(
            "{}至{}",
            super::publication::format_date_cn(self.from),
            super::publication::format_date_cn(self.to)
        )
    }
}

/// The first day of the longest period ending on `to`: five years back, the
/// day after the same date (so 2021-12-03 … 2026-12-02 is five years).
fn earliest_from(to: NaiveDate) -> NaiveDate {
    to.checked_sub_months(Months::new(12 * MAX_YEARS))
        .and_then(|d| d.succ_opt())
        .unwrap_or(to)
}

/// The report number for the `seq`-th report first issued on `day`.
pub fn report_number(day: NaiveDate, seq: u32) -> Option<String> {
    daily_number(NUMBER_PREFIX, day, seq)
}

/// A report number typed in by a reader, normalised.
pub fn parse_report_number(s: &str) -> Result<String, String> {
    parse_daily_number(s, NUMBER_PREFIX, "报告编号")
}

/// A content hash as typed in or scanned: 64 hexadecimal digits, spaces
/// and case ignored (the report prints it in groups of eight).
pub fn parse_content_hash(s: &str) -> Result<String, String> {
    let hex: String = s
        .chars()
        .map(super::search_text::to_halfwidth)
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if hex.is_empty() {
        return Err("请填写报告上的校验值（64 位，由数字 0–9 和字母 a–f 组成）".into());
    }
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "校验值应为 64 位，由数字 0–9 和字母 a–f 组成，您填写的是 {} 位，请核对后重新输入",
            hex.chars().count()
        ));
    }
    Ok(hex)
}

/// The hash in groups of eight, as the report prints it.
pub fn grouped_hash(hash: &str) -> String {
    hash.as_bytes()
        .chunks(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The notes every report ends with (说明).
pub const NOTES: [&str; 6] = [
    "本报告依据信用中国（黑龙江鹤岗）网站截至数据截止日公示的信息生成，内容与网站主体页面一致；个人信息已依法遮蔽。",
    "本报告不含信用评分或评级，不作为对主体信用状况的综合评价。",
    "报告仅列出报告期内作出且截至数据截止日仍在公示期内的信息。已超出公示期限、已信用修复或依规撤下的信息不再公示，不列入本报告。",
    "主体认为所列信息有误的，可在网站该条信息页面点击“提出异议申诉”；符合条件的行政处罚信息，可在网站申请信用修复。信用修复和异议申诉均不收取任何费用。",
    "本报告免费提供。报告真伪可扫描二维码或登录网站“报告核验”页面，输入报告编号和校验值核验；报告内容被改动的，校验值将不符。",
    "本报告中“公示截止”指该信息依规停止公示的日期，到期后网站自动停止公示。",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        plain_date::parse(s).unwrap()
    }

    #[test]
    fn the_default_is_five_years_to_today() {
        let p = ReportPeriod::parse("", "", d("2026-12-02")).unwrap();
        assert_eq!(p.from, d("2021-12-03"));
        assert_eq!(p.to, d("2026-12-02"));
        assert_eq!(p, ReportPeriod::longest(d("2026-12-02")));
    }

    #[test]
    fn a_chosen_period_within_five_years() {
        let p = ReportPeriod::parse("2025-01-01", "2025-12-31", d("2026-12-02")).unwrap();
        assert!(p.contains(d("2025-01-01")) && p.contains(d("2025-12-31")));
        assert!(!p.contains(d("2024-12-31")) && !p.contains(d("2026-01-01")));
        // Exactly five years is allowed; a day more is not.
        assert!(ReportPeriod::parse("2020-01-01", "2024-12-31", d("2026-12-02")).is_ok());
        let err = ReportPeriod::parse("2019-12-31", "2024-12-31", d("2026-12-02")).unwrap_err();
        assert!(
            err.contains("最长 5 年") && err.contains("2020-01-01"),
            "{err}"
        );
    }

    #[test]
    fn faults_name_the_field() {
        let today = d("2026-12-02");
        let err = ReportPeriod::parse("2025/01/01", "", today).unwrap_err();
        assert!(err.starts_with("报告期起始日期"), "{err}");
        let err = ReportPeriod::parse("", "2027-01-01", today).unwrap_err();
        assert!(err.contains("不能晚于今天"), "{err}");
        let err = ReportPeriod::parse("2026-06-01", "2026-05-01", today).unwrap_err();
        assert!(err.contains("起始日期不能晚于截止日期"), "{err}");
        let err = ReportPeriod::parse("", "2026-02-30", today).unwrap_err();
        assert!(err.starts_with("报告期截止日期"), "{err}");
    }

    #[test]
    fn numbers_and_hashes_as_typed() {
        assert_eq!(
            report_number(d("2026-12-02"), 7).as_deref(),
            Some("BG2026120200007")
        );
        assert_eq!(
            parse_report_number(" bg2026120200007 ").unwrap(),
            "BG2026120200007"
        );
        assert!(parse_report_number("XF2026120200007").is_err());
        let hash = "AB".repeat(32);
        let grouped = grouped_hash(&hash.to_ascii_lowercase());
        assert_eq!(grouped.split(' ').count(), 8);
        assert_eq!(parse_content_hash(&grouped).unwrap(), "ab".repeat(32));
        assert!(parse_content_hash(&hash[..63])
            .unwrap_err()
            .contains("63 位"));
        assert!(parse_content_hash(&"g".repeat(64)).is_err());
        assert!(parse_content_hash("").unwrap_err().contains("请填写"));
    }
}
