//! Publication periods and credit repair (信用修复) of administrative penalty
//! records, with the rules kept as data.
//!
//! Each penalty type of a decision has a [`PublicationRule`] (a tier with a
//! minimum and maximum publication period). Rules are versioned data rather
//! than code because the national rules change (the current defaults follow
//! 国办发〔2025〕22号) and local departments may tighten them.
//!
//! Every period is counted by [`period_end`], the civil code's rule for
//! periods in months; it saturates at the end of `NaiveDate`'s range, so no
//! input date or period can panic.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Longest publication period any rule may have, in months.
pub const MAX_PERIOD_MONTHS: u32 = 60;

/// Severity tier of a penalty; ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tier {
    /// 轻微 (warnings, small fines): not published by default.
    #[serde(rename = "minor", alias = "Minor")]
    Minor,
    /// 一般.
    #[serde(rename = "ordinary", alias = "Ordinary")]
    Ordinary,
    /// 严重.
    #[serde(rename = "serious", alias = "Serious")]
    Serious,
}

impl Tier {
    /// All tiers, least severe first.
    pub const ALL: [Tier; 3] = [Tier::Minor, Tier::Ordinary, Tier::Serious];

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Tier::Minor => "轻微",
            Tier::Ordinary => "一般",
            Tier::Serious => "严重",
        }
    }

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Tier::Minor => "minor",
            Tier::Ordinary => "ordinary",
            Tier::Serious => "serious",
        }
    }

    /// Inverse of [`Tier::code`].
    pub fn from_code(code: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Publication rule for one tier, as versioned data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationRule {
    /// Tier the rule applies to.
    pub tier: Tier,
    /// Whether records of this tier are published at all.
    pub published: bool,
    /// Minimum period before credit repair may be applied for, in months.
    pub min_months: u32,
    /// Maximum publication period, in months.
    pub max_months: u32,
    /// Whether credit repair may end publication before the maximum period.
    pub repairable: bool,
    /// Version of the rule set this rule belongs to.
    pub version: u32,
    /// First decision date the rule applies to.
    pub effective_from: NaiveDate,
}

/// National default rule for `tier` (国办发〔2025〕22号): minor not published
/// (0–3 months if a department publishes anyway), ordinary 3–12 months,
/// serious 12–36 months, all repairable.
pub fn defaults_for(tier: Tier, effective_from: NaiveDate) -> PublicationRule {
    let (published, min_months, max_months) = match tier {
        Tier::Minor => (false, 0, 3),
        Tier::Ordinary => (true, 3, 12),
        Tier::Serious => (true, 12, 36),
    };
    PublicationRule {
        tier,
        published,
        min_months,
        max_months,
        repairable: true,
        version: 1,
        effective_from,
    }
}

impl PublicationRule {
    /// Checks the rule is usable; the error is a Chinese message for the
    /// administrator editing the rule.
    pub fn validate(&self) -> Result<(), String> {
        let label = self.tier.label();
        if self.min_months > self.max_months {
            return Err(format!(
                "“{label}”类规则的最短公示期（{} 个月）不能长于最长公示期（{} 个月）",
                self.min_months, self.max_months
            ));
        }
        if self.published && self.max_months < 1 {
            return Err(format!("“{label}”类规则需公示时，最长公示期至少为 1 个月"));
        }
        if self.max_months > MAX_PERIOD_MONTHS {
            return Err(format!(
                "“{label}”类规则的最长公示期不能超过 {MAX_PERIOD_MONTHS} 个月，当前为 {} 个月",
                self.max_months
            ));
        }
        Ok(())
    }
}

/// The periods 国办发〔2025〕22号 allows per tier, in months: (least
/// minimum, greatest maximum). Minor: at most 3 months; ordinary: 3 months
/// to a year; serious: a year to three years.
pub fn tier_bounds(tier: Tier) -> (u32, u32) {
    match tier {
        Tier::Minor => (0, 3),
        Tier::Ordinary => (3, 12),
        Tier::Serious => (12, 36),
    }
}

impl PublicationRule {
    /// Checks a new version of an item's rule: usable, within the periods
    /// the rules in force allow for its tier, and taking effect from today
    /// or later and after the item's latest version (a version never
    /// reaches back: records keep the version they were decided under).
    /// The error names the form field at fault (`min_months`, `max_months`,
    /// `effective_from`) and what to fix.
    pub fn check_new_version(
        &self,
        latest_effective: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<(), (&'static str, String)> {
        self.validate().map_err(|m| {
            let field = if self.min_months > self.max_months {
                "min_months"
            } else {
                "max_months"
            };
            (field, m)
        })?;
        let (least, most) = tier_bounds(self.tier);
        let label = self.tier.label();
        if self.published && (self.min_months < least || self.max_months > most) {
            let field = if self.min_months < least {
                "min_months"
            } else {
                "max_months"
            };
            return Err((
                field,
                format!(
                    "“{label}”类信息的公示期应在 {least} 至 {most} 个月之间（国办发〔2025〕22号）"
                ),
            ));
        }
        if self.effective_from < today {
            return Err((
                "effective_from",
                "生效日期不能早于今天：新规则只适用于生效后作出的决定".into(),
            ));
        }
        if let Some(latest) = latest_effective {
            if self.effective_from <= latest {
                return Err((
                    "effective_from",
                    format!("生效日期须晚于现行最新版本的生效日期（{latest}）"),
                ));
            }
        }
        Ok(())
    }
}

/// The publication window of one decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First public day (the decision date).
    pub from: NaiveDate,
    /// Last public day, inclusive.
    pub until: NaiveDate,
    /// First day credit repair may be applied for; None when not repairable.
    pub repair_from: Option<NaiveDate>,
    /// Most severe tier among the published rules.
    pub tier: Tier,
    /// Whether every published rule allows repair.
    pub repairable: bool,
}

impl Window {
    /// Whether `date` is a public day of the window.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.until
    }
}

/// The last day of a period of `months` months counted from `start`, as
/// 《中华人民共和国民法典》 arts 201–202 count periods: the day the period
/// starts from is not counted (art 201), and the period ends on the day of
/// its last month that corresponds to `start`'s day, or on that month's last
/// day when it has none (art 202). So a one-year period from 2026-11-30 ends
/// on 2027-11-30, and one month from 2025-01-31 ends on 2025-02-28.
///
/// This is the one place a period in months is counted: publication ends,
/// the end of the minimum period before repair, list periods. Saturates at
/// `NaiveDate::MAX`. (chrono's month addition already lands on the
/// corresponding day or the month's last day, which is art 202's rule.)
pub fn period_end(start: NaiveDate, months: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The day after `d`, saturating at `NaiveDate::MAX`.
fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX)
}

/// The first day repair may be applied for: the day after the minimum
/// period of `min_months` from the decision ends; with no minimum period,
/// the decision day itself.
fn repair_opens(decision: NaiveDate, min_months: u32) -> NaiveDate {
    if min_months == 0 {
        decision
    } else {
        next_day(period_end(decision, min_months))
    }
}

/// Computes the window of a decision from the rules of all its penalty types.
///
/// Only rules with `published` count (None if there are none). The longest
/// `max_months` decides `until`, the [`period_end`] of that many months
/// from the decision (public on it, gone the day after); the tier is the most
/// severe; the window is repairable only if every published rule is, and
/// then `repair_from` is the day after the largest minimum period ends.
/// Invalid rules cannot break the invariants: `until` is never before
/// `decision` and `repair_from` never after `until + 1 day`.
pub fn publication_window(decision: NaiveDate, rules: &[PublicationRule]) -> Option<Window> {
    let published: Vec<&PublicationRule> = rules.iter().filter(|r| r.published).collect();
    let max_months = published.iter().map(|r| r.max_months).max()?;
    let min_months = published.iter().map(|r| r.min_months).max().unwrap_or(0);
    let tier = published
        .iter()
        .map(|r| r.tier)
        .max()
        .unwrap_or(Tier::Minor);
    let repairable = published.iter().all(|r| r.repairable);

    let until = period_end(decision, max_months);
    let repair_from = repairable.then(|| repair_opens(decision, min_months).min(next_day(until)));
    Some(Window {
        from: decision,
        until,
        repair_from,
        tier,
        repairable,
    })
}

/// Publication status of a record on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// 公示中.
    #[serde(rename = "published", alias = "Published")]
    Published,
    /// 公示期满.
    #[serde(rename = "ended", alias = "Ended")]
    Ended,
    /// 已信用修复.
    #[serde(rename = "repaired", alias = "Repaired")]
    Repaired,
    /// 不予公示 (no published rule, or decision not yet effective).
    #[serde(rename = "not_public", alias = "NotPublic")]
    NotPublic,
}

impl Status {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Published => "公示中",
            Status::Ended => "公示期满",
            Status::Repaired => "已信用修复",
            Status::NotPublic => "不予公示",
        }
    }

    /// Stable ASCII code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Ended => "ended",
            Status::Repaired => "repaired",
            Status::NotPublic => "not_public",
        }
    }

    /// Whether the record may be shown publicly.
    pub fn is_public(self) -> bool {
        self == Status::Published
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Status on `today`: NotPublic without a published rule or before the
/// decision date; Repaired once `repaired_on <= today`; Ended after `until`;
/// otherwise Published.
pub fn status_on(
    decision: NaiveDate,
    rules: &[PublicationRule],
    repaired_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Status {
    let Some(w) = publication_window(decision, rules) else {
        return Status::NotPublic;
    };
    if decision > today {
        return Status::NotPublic;
    }
    if repaired_on.is_some_and(|r| r <= today) {
        return Status::Repaired;
    }
    if today > w.until {
        return Status::Ended;
    }
    Status::Published
}

/// Whether a serious-list entry listed on `listed_on` with period end
/// `until` (last day, inclusive) is on the list on `today`: it leaves at the
/// end of its period, or earlier on `ended_on` (repair, revocation).
pub fn is_listed(
    listed_on: NaiveDate,
    until: NaiveDate,
    ended_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    listed_on <= today && today <= until && ended_on.is_none_or(|d| d > today)
}

/// Whether credit repair may be applied for on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RepairEligibility {
    /// May apply; the minimum period ended on `since`.
    Eligible {
        /// First eligible day.
        since: NaiveDate,
    },
    /// Minimum period not over; may apply from `from`.
    NotYet {
        /// First eligible day.
        from: NaiveDate,
    },
    /// The rules do not allow early repair.
    NotRepairable,
    /// Nothing to repair: the record is not currently published.
    NotPublished(Status),
}

impl RepairEligibility {
    /// Chinese explanation for the public page.
    pub fn explain(&self) -> String {
        match self {
            RepairEligibility::Eligible { since } => {
                format!("可申请信用修复（自 {} 起）", format_date_cn(*since))
            }
            RepairEligibility::NotYet { from } => format!(
                "最短公示期未满，自 {} 起可申请信用修复",
                format_date_cn(*from)
            ),
            RepairEligibility::NotRepairable => {
                "该类信息依规不得提前修复，公示期满后自动停止公示".to_string()
            }
            RepairEligibility::NotPublished(Status::Repaired) => {
                "该记录已完成信用修复，已停止公示".to_string()
            }
            RepairEligibility::NotPublished(_) => "该记录当前不在公示期内，无需修复".to_string(),
        }
    }
}

/// Repair eligibility on `today` (see [`RepairEligibility`]).
pub fn repair_eligibility(
    decision: NaiveDate,
    rules: &[PublicationRule],
    repaired_on: Option<NaiveDate>,
    today: NaiveDate,
) -> RepairEligibility {
    let status = status_on(decision, rules, repaired_on, today);
    if !status.is_public() {
        return RepairEligibility::NotPublished(status);
    }
    match publication_window(decision, rules).and_then(|w| w.repair_from) {
        None => RepairEligibility::NotRepairable,
        Some(from) if today < from => RepairEligibility::NotYet { from },
        Some(since) => RepairEligibility::Eligible { since },
    }
}

/// Formats a date the Chinese way without zero padding: `2025年4月15日`.
pub fn format_date_cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn eff() -> NaiveDate {
        date(2025, 1, 1)
    }

    fn rule(tier: Tier, published: bool, min: u32, max: u32, repairable: bool) -> PublicationRule {
        PublicationRule {
            tier,
            published,
            min_months: min,
            max_months: max,
            repairable,
            version: 1,
            effective_from: eff(),
        }
    }

    #[test]
    fn tier_codes() {
        for t in Tier::ALL {
            assert_eq!(Tier::from_code(t.code()), Some(t));
        }
        assert_eq!(Tier::from_code("x"), None);
        assert_eq!(Tier::Minor.label(), "轻微");
        assert_eq!(Tier::Ordinary.label(), "一般");
        assert_eq!(Tier::Serious.label(), "严重");
        assert!(Tier::Serious > Tier::Ordinary && Tier::Ordinary > Tier::Minor);
    }

    #[test]
    fn defaults_match_national_rules() {
        let m = defaults_for(Tier::Minor, eff());
        assert!(!m.published && m.min_months == 0 && m.max_months == 3 && m.repairable);
        let o = defaults_for(Tier::Ordinary, eff());
        assert!(o.published && o.min_months == 3 && o.max_months == 12 && o.repairable);
        let s = defaults_for(Tier::Serious, eff());
        assert!(s.published && s.min_months == 12 && s.max_months == 36 && s.repairable);
        for t in Tier::ALL {
            assert_eq!(defaults_for(t, eff()).validate(), Ok(()));
        }
    }

    #[test]
    fn validation_messages() {
        let e = rule(Tier::Ordinary, true, 13, 12, true)
            .validate()
            .unwrap_err();
        assert!(e.contains("最短公示期"), "{e}");
        let e = rule(Tier::Ordinary, true, 0, 0, true)
            .validate()
            .unwrap_err();
        assert!(e.contains("至少为 1 个月"), "{e}");
        assert_eq!(rule(Tier::Minor, false, 0, 0, true).validate(), Ok(()));
        let e = rule(Tier::Serious, true, 12, 61, true)
            .validate()
            .unwrap_err();
        assert!(e.contains("60"), "{e}");
        assert_eq!(rule(Tier::Serious, true, 12, 60, true).validate(), Ok(()));
    }

    #[test]
    fn ordinary_window() {
        let d = date(2025, 1, 15);
        let w = publication_window(d, &[defaults_for(Tier::Ordinary, eff())]).unwrap();
        assert_eq!(w.from, d);
        // Public through the corresponding day a year on; the three-month
        // minimum ends on 2025-04-15, so repair opens the day after.
        assert_eq!(w.until, date(2026, 1, 15));
        assert_eq!(w.repair_from, Some(date(2025, 4, 16)));
        assert_eq!(w.tier, Tier::Ordinary);
        assert!(w.repairable);
        assert!(w.contains(d) && w.contains(date(2026, 1, 15)));
        assert!(!w.contains(date(2026, 1, 16)) && !w.contains(date(2025, 1, 14)));
    }

    /// The examples of DOMAIN.md §10.
    #[test]
    fn civil_code_examples() {
        let d = date(2026, 11, 30);
        let w = publication_window(d, &[defaults_for(Tier::Ordinary, eff())]).unwrap();
        assert_eq!(w.until, date(2027, 11, 30));
        assert_eq!(period_end(d, 3), date(2027, 2, 28));
        assert_eq!(w.repair_from, Some(date(2027, 3, 1)));
        let rules = [defaults_for(Tier::Ordinary, eff())];
        assert_eq!(
            status_on(d, &rules, None, date(2027, 11, 30)),
            Status::Published
        );
        assert_eq!(status_on(d, &rules, None, date(2027, 12, 1)), Status::Ended);
        assert_eq!(
            repair_eligibility(d, &rules, None, date(2027, 2, 28)),
            RepairEligibility::NotYet {
                from: date(2027, 3, 1)
            }
        );
        assert_eq!(
            repair_eligibility(d, &rules, None, date(2027, 3, 1)),
            RepairEligibility::Eligible {
                since: date(2027, 3, 1)
            }
        );
    }

    #[test]
    fn periods_end_on_the_corresponding_day_or_the_months_last() {
        // January's last days a month on: February has no 29th–31st in 2025.
        for day in [28, 29, 30, 31] {
            assert_eq!(
                period_end(date(2025, 1, day), 1),
                date(2025, 2, 28),
                "{day}"
            );
        }
        // In a leap year the 29th has its corresponding day.
        assert_eq!(period_end(date(2024, 1, 28), 1), date(2024, 2, 28));
        assert_eq!(period_end(date(2024, 1, 29), 1), date(2024, 2, 29));
        assert_eq!(period_end(date(2024, 1, 30), 1), date(2024, 2, 29));
        assert_eq!(period_end(date(2024, 1, 31), 1), date(2024, 2, 29));
        // Leap day: a year on there is none; four years on there is.
        assert_eq!(period_end(date(2024, 2, 29), 12), date(2025, 2, 28));
        assert_eq!(period_end(date(2024, 2, 29), 36), date(2027, 2, 28));
        assert_eq!(period_end(date(2024, 2, 29), 48), date(2028, 2, 29));
        // Half a year from the end of August.
        assert_eq!(period_end(date(2025, 8, 31), 6), date(2026, 2, 28));
        assert_eq!(period_end(date(2023, 8, 31), 6), date(2024, 2, 29));
        // A month without a 31st, and a short month's end that is not the
        // longer month's end (the corresponding day, not the month's last).
        assert_eq!(period_end(date(2025, 3, 31), 1), date(2025, 4, 30));
        assert_eq!(period_end(date(2025, 2, 28), 1), date(2025, 3, 28));
        assert_eq!(period_end(date(2025, 4, 30), 1), date(2025, 5, 30));
        // Across a year end, and a zero period.
        assert_eq!(period_end(date(2025, 12, 31), 2), date(2026, 2, 28));
        assert_eq!(period_end(date(2025, 5, 20), 0), date(2025, 5, 20));
        assert_eq!(period_end(NaiveDate::MAX, 1), NaiveDate::MAX);
    }

    #[test]
    fn month_ends_in_a_window() {
        let w = publication_window(date(2025, 1, 31), &[rule(Tier::Ordinary, true, 1, 1, true)])
            .unwrap();
        assert_eq!(w.until, date(2025, 2, 28));
        assert_eq!(w.repair_from, Some(date(2025, 3, 1)));
        // No minimum period: repair may be applied for from the decision day.
        let w =
            publication_window(date(2025, 1, 31), &[rule(Tier::Minor, true, 0, 3, true)]).unwrap();
        assert_eq!(w.until, date(2025, 4, 30));
        assert_eq!(w.repair_from, Some(date(2025, 1, 31)));
    }

    #[test]
    fn several_rules_combine() {
        let d = date(2025, 3, 1);
        let rules = [
            rule(Tier::Serious, true, 6, 12, true),
            rule(Tier::Ordinary, true, 3, 24, true),
            rule(Tier::Minor, false, 0, 48, false),
        ];
        let w = publication_window(d, &rules).unwrap();
        assert_eq!(w.until, date(2027, 3, 1));
        assert_eq!(w.tier, Tier::Serious);
        assert_eq!(w.repair_from, Some(date(2025, 9, 2)));
        assert!(w.repairable);

        let rules = [
            rule(Tier::Ordinary, true, 3, 12, true),
            rule(Tier::Serious, true, 12, 36, false),
        ];
        let w = publication_window(d, &rules).unwrap();
        assert!(!w.repairable);
        assert_eq!(w.repair_from, None);
    }

    #[test]
    fn no_published_rule() {
        let d = date(2025, 3, 1);
        assert_eq!(publication_window(d, &[]), None);
        let minor = [defaults_for(Tier::Minor, eff())];
        assert_eq!(publication_window(d, &minor), None);
        assert_eq!(status_on(d, &minor, None, d), Status::NotPublic);
        assert_eq!(
            repair_eligibility(d, &minor, None, d),
            RepairEligibility::NotPublished(Status::NotPublic)
        );
    }

    #[test]
    fn statuses() {
        let d = date(2025, 1, 15);
        let rules = [defaults_for(Tier::Ordinary, eff())];
        assert_eq!(
            status_on(d, &rules, None, date(2025, 1, 14)),
            Status::NotPublic
        );
        assert_eq!(status_on(d, &rules, None, d), Status::Published);
        assert_eq!(
            status_on(d, &rules, None, date(2026, 1, 15)),
            Status::Published
        );
        assert_eq!(status_on(d, &rules, None, date(2026, 1, 16)), Status::Ended);
        let rep = Some(date(2025, 6, 1));
        assert_eq!(
            status_on(d, &rules, rep, date(2025, 5, 31)),
            Status::Published
        );
        assert_eq!(
            status_on(d, &rules, rep, date(2025, 6, 1)),
            Status::Repaired
        );
        assert_eq!(
            status_on(d, &rules, rep, date(2027, 1, 1)),
            Status::Repaired
        );
        assert!(Status::Published.is_public());
        for s in [Status::Ended, Status::Repaired, Status::NotPublic] {
            assert!(!s.is_public());
        }
        assert_eq!(Status::Published.label(), "公示中");
        assert_eq!(Status::Ended.label(), "公示期满");
        assert_eq!(Status::Repaired.label(), "已信用修复");
        assert_eq!(Status::NotPublic.label(), "不予公示");
    }

    #[test]
    fn eligibility_and_explanations() {
        let d = date(2025, 1, 15);
        let rules = [defaults_for(Tier::Ordinary, eff())];
        let e = repair_eligibility(d, &rules, None, date(2025, 2, 1));
        assert_eq!(
            e,
            RepairEligibility::NotYet {
                from: date(2025, 4, 16)
            }
        );
        assert_eq!(
            e.explain(),
            "最短公示期未满，自 2025年4月16日 起可申请信用修复"
        );
        let e = repair_eligibility(d, &rules, None, date(2025, 4, 16));
        assert_eq!(
            e,
            RepairEligibility::Eligible {
                since: date(2025, 4, 16)
            }
        );
        assert_eq!(e.explain(), "可申请信用修复（自 2025年4月16日 起）");
        let e = repair_eligibility(d, &rules, None, date(2026, 2, 1));
        assert_eq!(e, RepairEligibility::NotPublished(Status::Ended));
        assert_eq!(e.explain(), "该记录当前不在公示期内，无需修复");
        let e = repair_eligibility(d, &rules, Some(d), date(2025, 5, 1));
        assert_eq!(e, RepairEligibility::NotPublished(Status::Repaired));
        assert!(e.explain().contains("信用修复"));
        let fixed = [rule(Tier::Serious, true, 36, 36, false)];
        let e = repair_eligibility(d, &fixed, None, date(2025, 5, 1));
        assert_eq!(e, RepairEligibility::NotRepairable);
        assert_eq!(
            e.explain(),
            "该类信息依规不得提前修复，公示期满后自动停止公示"
        );
    }

    #[test]
    fn date_format() {
        assert_eq!(format_date_cn(date(2025, 4, 15)), "2025年4月15日");
        assert_eq!(format_date_cn(date(2025, 12, 1)), "2025年12月1日");
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let big = [rule(Tier::Serious, true, u32::MAX, u32::MAX, true)];
        for d in [NaiveDate::MIN, NaiveDate::MAX] {
            let w = publication_window(d, &big).unwrap();
            assert!(w.until >= w.from);
            let _ = status_on(d, &big, Some(NaiveDate::MIN), NaiveDate::MAX);
            let _ = repair_eligibility(d, &big, None, d);
        }
        let zero = [rule(Tier::Ordinary, true, 0, 0, true)];
        let w = publication_window(NaiveDate::MIN, &zero).unwrap();
        assert_eq!(w.until, NaiveDate::MIN);
        let w = publication_window(NaiveDate::MAX, &zero).unwrap();
        assert_eq!(w.until, NaiveDate::MAX);
    }

    // ---- property tests ----

    fn tier_strategy() -> impl Strategy<Value = Tier> {
        prop_oneof![Just(Tier::Minor), Just(Tier::Ordinary), Just(Tier::Serious)]
    }

    /// Rules that pass `validate`.
    fn valid_rule() -> impl Strategy<Value = PublicationRule> {
        (
            tier_strategy(),
            any::<bool>(),
            1u32..=MAX_PERIOD_MONTHS,
            any::<bool>(),
        )
            .prop_flat_map(|(tier, published, max, repairable)| {
                (0u32..=max).prop_map(move |min| rule(tier, published, min, max, repairable))
            })
    }

    /// Rules that pass `validate` and are published.
    fn published_rule() -> impl Strategy<Value = PublicationRule> {
        valid_rule().prop_map(|mut r| {
            r.published = true;
            r
        })
    }

    /// Decision dates 1990-01-01 ..= 2099-12-31.
    fn decision_date() -> impl Strategy<Value = NaiveDate> {
        let lo = date(1990, 1, 1).num_days_from_ce();
        let hi = date(2099, 12, 31).num_days_from_ce();
        (lo..=hi).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
    }

    /// Any representable date.
    fn any_date() -> impl Strategy<Value = NaiveDate> {
        let lo = NaiveDate::MIN.num_days_from_ce();
        let hi = NaiveDate::MAX.num_days_from_ce();
        (lo..=hi).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
    }

    /// Any rule, valid or not.
    fn any_rule() -> impl Strategy<Value = PublicationRule> {
        (
            tier_strategy(),
            any::<bool>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
        )
            .prop_map(|(t, p, min, max, r)| rule(t, p, min, max, r))
    }

    proptest! {
        #[test]
        fn until_not_before_from(d in decision_date(), rules in prop::collection::vec(valid_rule(), 0..5)) {
            if let Some(w) = publication_window(d, &rules) {
                prop_assert_eq!(w.from, d);
                prop_assert!(w.until >= w.from);
                prop_assert!(w.contains(d));
            } else {
                prop_assert!(rules.iter().all(|r| !r.published));
            }
        }

        #[test]
        fn window_equals_longest_rule(d in decision_date(), rules in prop::collection::vec(published_rule(), 1..5)) {
            let w = publication_window(d, &rules).unwrap();
            let longest = rules.iter().max_by_key(|r| r.max_months).unwrap().clone();
            let lw = publication_window(d, &[longest]).unwrap();
            prop_assert_eq!(w.from, lw.from);
            prop_assert_eq!(w.until, lw.until);
            prop_assert_eq!(w.tier, rules.iter().map(|r| r.tier).max().unwrap());
            prop_assert_eq!(w.repairable, rules.iter().all(|r| r.repairable));
        }

        #[test]
        fn published_exactly_within_window(
            d in decision_date(),
            rules in prop::collection::vec(valid_rule(), 0..5),
            offset in -400i64..(62 * 31),
        ) {
            let today = d.checked_add_signed(chrono::Duration::days(offset)).unwrap();
            let status = status_on(d, &rules, None, today);
            match publication_window(d, &rules) {
                Some(w) => {
                    prop_assert_eq!(status == Status::Published, w.contains(today));
                    if today > w.until {
                        prop_assert_eq!(status, Status::Ended);
                    }
                    if today < d {
                        prop_assert_eq!(status, Status::NotPublic);
                    }
                }
                None => prop_assert_eq!(status, Status::NotPublic),
            }
        }

        #[test]
        fn repair_from_within_window(d in decision_date(), rules in prop::collection::vec(valid_rule(), 0..5)) {
            if let Some(w) = publication_window(d, &rules) {
                prop_assert_eq!(w.repair_from.is_some(), w.repairable);
                if let Some(rf) = w.repair_from {
                    prop_assert!(rf >= w.from);
                    prop_assert!(rf <= w.until.succ_opt().unwrap());
                }
            }
        }

        #[test]
        fn not_yet_iff_before_repair_from(
            d in decision_date(),
            rules in prop::collection::vec(published_rule(), 1..5),
            offset in 0i64..(62 * 31),
        ) {
            let today = d.checked_add_signed(chrono::Duration::days(offset)).unwrap();
            let w = publication_window(d, &rules).unwrap();
            let e = repair_eligibility(d, &rules, None, today);
            if !w.contains(today) {
                prop_assert_eq!(e, RepairEligibility::NotPublished(Status::Ended));
            } else {
                match w.repair_from {
                    None => prop_assert_eq!(e, RepairEligibility::NotRepairable),
                    Some(rf) => {
                        prop_assert_eq!(matches!(e, RepairEligibility::NotYet { .. }), today < rf);
                        prop_assert_eq!(matches!(e, RepairEligibility::Eligible { .. }), today >= rf);
                    }
                }
            }
        }

        #[test]
        fn repaired_is_never_public(
            d in decision_date(),
            rules in prop::collection::vec(published_rule(), 1..5),
            rep_off in 0i64..2000,
            today_off in 0i64..2000,
        ) {
            let rep = d.checked_add_signed(chrono::Duration::days(rep_off)).unwrap();
            let today = d.checked_add_signed(chrono::Duration::days(today_off)).unwrap();
            let s = status_on(d, &rules, Some(rep), today);
            if rep <= today {
                prop_assert_eq!(s, Status::Repaired);
            }
        }

        #[test]
        fn never_panics(
            d in any_date(),
            rules in prop::collection::vec(any_rule(), 0..4),
            rep in prop::option::of(any_date()),
            today in any_date(),
        ) {
            let w = publication_window(d, &rules);
            if let Some(w) = w {
                prop_assert!(w.until >= w.from);
                if let Some(rf) = w.repair_from {
                    prop_assert!(rf >= w.from);
                }
            }
            let _ = status_on(d, &rules, rep, today);
            let e = repair_eligibility(d, &rules, rep, today);
            let _ = e.explain();
        }

        #[test]
        fn period_end_is_the_corresponding_day_or_month_end(d in decision_date(), months in 0u32..=MAX_PERIOD_MONTHS) {
            let end = period_end(d, months);
            prop_assert!(end >= d);
            let total = d.year() * 12 + d.month0() as i32 + months as i32;
            prop_assert_eq!(end.year(), total.div_euclid(12));
            prop_assert_eq!(end.month0() as i32, total.rem_euclid(12));
            let month_end = end.with_day(1).unwrap().checked_add_months(Months::new(1)).unwrap().pred_opt().unwrap();
            prop_assert_eq!(end.day(), d.day().min(month_end.day()));
        }

        #[test]
        fn adding_a_rule_never_shortens(
            d in decision_date(),
            rules in prop::collection::vec(valid_rule(), 0..4),
            extra in valid_rule(),
        ) {
            let mut more = rules.clone();
            more.push(extra);
            if let Some(w) = publication_window(d, &rules) {
                let w2 = publication_window(d, &more).unwrap();
                prop_assert_eq!(w2.from, w.from);
                prop_assert!(w2.until >= w.until);
                prop_assert!(w2.tier >= w.tier);
            }
        }
    }
}

#[cfg(test)]
mod listing_tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn listed_between_listing_and_period_end_unless_ended_early() {
        let (on, until) = (d(2025, 1, 10), d(2028, 1, 9));
        assert!(!is_listed(on, until, None, d(2025, 1, 9)));
        assert!(is_listed(on, until, None, d(2025, 1, 10)));
        assert!(is_listed(on, until, None, d(2028, 1, 9)));
        assert!(!is_listed(on, until, None, d(2028, 1, 10)));
        assert!(is_listed(on, until, Some(d(2026, 3, 1)), d(2026, 2, 28)));
        assert!(!is_listed(on, until, Some(d(2026, 3, 1)), d(2026, 3, 1)));
    }
}
