//! Working days (工作日) on the Chinese State Council holiday calendar.
//!
//! Deadlines in credit repair (受理、补正、办结时限) are counted in working
//! days. In China these are not simply Monday–Friday: every year the General
//! Office of the State Council publishes which days are public holidays
//! (放假) and which weekend days are worked instead (调休上班). This module
//! holds that calendar as plain data ([`CalendarEntry`], seeded by
//! [`state_council_notices`] and editable by administrators) and does the
//! date arithmetic on top of it ([`HolidayCalendar`]).
//!
//! Everything is pure and total: no function panics or loops unboundedly,
//! whatever dates or counts it is given.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The calendar date in China (UTC+8, no daylight saving) at instant `t`:
/// decisions, deadlines and application numbers count days where they are made.
pub fn china_date(t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    (t + chrono::Duration::hours(8)).date_naive()
}

/// A moment as staff read it, in China time: `2026-11-26 09:30`.
pub fn china_time_label(t: chrono::DateTime<chrono::Utc>, seconds: bool) -> String {
    let format = if seconds {
        "%Y-%m-%d %H:%M:%S"
    } else {
        "%Y-%m-%d %H:%M"
    };
    (t + chrono::Duration::hours(8)).format(format).to_string()
}

/// The moment a China day begins, in UTC (for searching by date).
pub fn china_day_start(d: NaiveDate) -> Option<chrono::DateTime<chrono::Utc>> {
    d.and_hms_opt(0, 0, 0)
        .map(|t| (t - chrono::Duration::hours(8)).and_utc())
}

#[cfg(test)]
mod china_date_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn china_days_start_at_16_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let start = china_day_start(d).unwrap();
        assert_eq!(
            start,
            chrono::Utc
                .with_ymd_and_hms(2026, 11, 25, 16, 0, 0)
                .unwrap()
        );
        assert_eq!(china_date(start), d);
        assert_eq!(china_time_label(start, false), "2026-11-26 00:00");
    }

    #[test]
    fn utc_evening_is_the_next_day_in_china() {
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 16, 0, 0)
            .unwrap();
        assert_eq!(
            china_date(t),
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
        );
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 15, 59, 59)
            .unwrap();
        assert_eq!(
            china_date(t),
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
        );
    }
}

/// How a calendar entry overrides the ordinary Monday–Friday week.
///
/// Serialised as its [`DayKind::code`]; the Rust variant names are also
/// accepted when deserialising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayKind {
    /// 放假: a day off, even if it falls on a weekday.
    #[serde(rename = "holiday", alias = "Holiday")]
    Holiday,
    /// 调休上班: a weekend day that is worked to make up for a holiday.
    #[serde(rename = "workday", alias = "MakeUpWorkday")]
    MakeUpWorkday,
}

impl DayKind {
    /// Both kinds, in display order.
    pub const ALL: [DayKind; 2] = [DayKind::Holiday, DayKind::MakeUpWorkday];

    /// Chinese label as used in the State Council notices.
    pub fn label(self) -> &'static str {
        match self {
            DayKind::Holiday => "放假",
            DayKind::MakeUpWorkday => "调休上班",
        }
    }

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::MakeUpWorkday => "workday",
        }
    }

    /// Inverse of [`DayKind::code`] (exact match).
    pub fn from_code(code: &str) -> Option<DayKind> {
        DayKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One day that deviates from the ordinary week, as published in a notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEntry {
    /// The calendar day.
    pub date: NaiveDate,
    /// Whether the day is off or worked.
    pub kind: DayKind,
    /// The festival the entry belongs to, e.g. `春节`.
    pub name: String,
    /// The notice the entry was taken from, so administrators can check it.
    pub source: String,
}

/// A holiday calendar: the ordinary Monday–Friday week plus the published
/// exceptions.
///
/// An empty (default) calendar is the plain Monday–Friday week.
#[derive(Clone, Debug, Default)]
pub struct HolidayCalendar {
    /// Exceptions keyed by date. Ordered so that range queries over a period
    /// only touch the exceptions inside it.
    entries: BTreeMap<NaiveDate, CalendarEntry>,
    /// Years that have at least one entry (see [`HolidayCalendar::covers`]).
    years: BTreeSet<i32>,
}

impl HolidayCalendar {
    /// Builds a calendar from entries. If the same date occurs more than
    /// once, the later entry wins (an administrator's correction appended to
    /// the seed data overrides it).
    pub fn new(entries: impl IntoIterator<Item = CalendarEntry>) -> Self {
        let mut map = BTreeMap::new();
        let mut years = BTreeSet::new();
        for e in entries {
            years.insert(e.date.year());
            map.insert(e.date, e);
        }
        HolidayCalendar {
            entries: map,
            years,
        }
    }

    /// The calendar seeded with [`state_council_notices`].
    pub fn state_council() -> Self {
        HolidayCalendar::new(state_council_notices())
    }

    /// The entry for `date`, if that day deviates from the ordinary week
    /// (used to show e.g. “10月1日 国庆节 放假”).
    pub fn entry(&self, date: NaiveDate) -> Option<&CalendarEntry> {
        self.entries.get(&date)
    }

    /// All entries in date order.
    pub fn entries(&self) -> impl Iterator<Item = &CalendarEntry> {
        self.entries.values()
    }

    /// Whether any entry exists for `year`. When this is false the calendar
    /// for that year has probably not been entered yet and deadlines falling
    /// in it ignore holidays, so the UI should warn.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// Whether `date` is a working day: a make-up workday is one even on a
    /// weekend, a holiday is not one even on a weekday, otherwise Mon–Fri.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.entries.get(&date).map(|e| e.kind) {
            Some(DayKind::MakeUpWorkday) => true,
            Some(DayKind::Holiday) => false,
            None => is_weekday(date),
        }
    }

    /// Number of working days in the half-open period (`from`, `to`]:
    /// `from` itself does not count, `to` does. Negative if `to` < `from`
    /// (so a deadline in the past reads as “overdue by N working days”).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        // Plain weekdays by formula, then correct for the exceptions in the
        // period; this is O(exceptions) instead of O(days).
        let mut count = weekday_index(to) - weekday_index(from);
        let range = (Bound::Excluded(from), Bound::Included(to));
        for (date, entry) in self.entries.range(range) {
            match (entry.kind, is_weekday(*date)) {
                (DayKind::Holiday, true) => count -= 1,
                (DayKind::MakeUpWorkday, false) => count += 1,
                // A holiday on a weekend or a make-up day on a weekday
                // changes nothing.
                _ => {}
            }
        }
        count
    }

    /// The deadline `n` working days after `start`: counting begins the day
    /// after `start` (the day of receipt does not count) and the result is
    /// the n-th working day. `n` = 0 returns `start`.
    ///
    /// Saturates at [`NaiveDate::MAX`] if the deadline would lie beyond the
    /// representable range.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let n = i64::from(n);
        if n == 0 {
            return start;
        }
        let max_offset = NaiveDate::MAX.signed_duration_since(start).num_days();
        if max_offset < 1 || self.working_days_between(start, NaiveDate::MAX) < n {
            return NaiveDate::MAX;
        }
        // The working-day count since `start` grows by one exactly on working
        // days, so the first date where it reaches `n` is the n-th working
        // day. Binary search over the day offset takes at most ~27 steps for
        // the whole chrono range, so this can never loop for long.
        let (mut lo, mut hi) = (1_i64, max_offset);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.working_days_between(start, offset(start, mid)) >= n {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        offset(start, lo)
    }
}

/// `start` + `days` (non-negative), saturating at [`NaiveDate::MAX`].
fn offset(start: NaiveDate, days: i64) -> NaiveDate {
    u64::try_from(days)
        .ok()
        .and_then(|d| start.checked_add_days(Days::new(d)))
        .unwrap_or(NaiveDate::MAX)
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A running count of Monday–Friday days, such that
/// `weekday_index(b) - weekday_index(a)` is the number of weekdays in
/// (a, b]. Day 1 of the common era (0001-01-01) is a Monday; Euclidean
/// division keeps the formula right for years before it too.
fn weekday_index(date: NaiveDate) -> i64 {
    let t = i64::from(date.num_days_from_ce()) - 1; // 0 = a Monday
    5 * t.div_euclid(7) + (t.rem_euclid(7) + 1).min(5)
}

/// Source line of the 2025 notice.
pub const NOTICE_2025: &str =
    "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）";
/// Source line of the 2026 notice.
pub const NOTICE_2026: &str = "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）";

/// Seed data: the days off and make-up workdays published by the State
/// Council for 2025 and 2026. This is data, not logic — administrators can
/// edit or extend the stored table; add the next year's notice when it is
/// published (usually in November).
pub fn state_council_notices() -> Vec<CalendarEntry> {
    use DayKind::{Holiday as H, MakeUpWorkday as W};
    // (year, month, first day, number of consecutive days, kind, festival)
    const Y2025: &[(i32, u32, u32, u32, DayKind, &str)] = &[
        (2025, 1, 1, 1, H, "元旦"),
        (2025, 1, 26, 1, W, "春节"),
        (2025, 1, 28, 8, H, "春节"),
        (2025, 2, 8, 1, W, "春节"),
        (2025, 4, 4, 3, H, "清明节"),
        (2025, 4, 27, 1, W, "劳动节"),
        (2025, 5, 1, 5, H, "劳动节"),
        (2025, 5, 31, 3, H, "端午节"),
        (2025, 9, 28, 1, W, "国庆节、中秋节"),
        (2025, 10, 1, 8, H, "国庆节、中秋节"),
        (2025, 10, 11, 1, W, "国庆节、中秋节"),
    ];
    const Y2026: &[(i32, u32, u32, u32, DayKind, &str)] = &[
        (2026, 1, 1, 3, H, "元旦"),
        (2026, 1, 4, 1, W, "元旦"),
        (2026, 2, 14, 1, W, "春节"),
        (2026, 2, 15, 9, H, "春节"),
        (2026, 2, 28, 1, W, "春节"),
        (2026, 4, 4, 3, H, "清明节"),
        (2026, 5, 1, 5, H, "劳动节"),
        (2026, 5, 9, 1, W, "劳动节"),
        (2026, 6, 19, 3, H, "端午节"),
        (2026, 9, 20, 1, W, "国庆节"),
        (2026, 9, 25, 3, H, "中秋节"),
        (2026, 10, 1, 7, H, "国庆节"),
        (2026, 10, 10, 1, W, "国庆节"),
    ];
    let mut out = Vec::new();
    for (table, source) in [(Y2025, NOTICE_2025), (Y2026, NOTICE_2026)] {
        for &(y, m, d, len, kind, name) in table {
            // An impossible date in the table is skipped rather than
            // panicking; the tests count the entries, so a typo shows there.
            let Some(first) = NaiveDate::from_ymd_opt(y, m, d) else {
                continue;
            };
            for date in first.iter_days().take(len as usize) {
                out.push(CalendarEntry {
                    date,
                    kind,
                    name: name.to_string(),
                    source: source.to_string(),
                });
            }
        }
    }
    out
}

/// Whether a deadline is missed on `today`: the step was due on
/// `deadline` at the latest, so any later calendar day is late, working or
/// not (the weekend after a Friday deadline, a holiday week after it).
pub fn is_overdue(today: NaiveDate, deadline: NaiveDate) -> bool {
    today > deadline
}

/// How a deadline reads on `today`, for the applicant's status page and the
/// staff queue alike: `(overdue, text)`. Before it, the working days left to
/// act (`还剩 3 个工作日`; on the day, `今日到期`); after it, the calendar
/// days since (`已超期 2 天`), since a day off after a deadline does not
/// make it any less missed.
pub fn deadline_note(
    calendar: &HolidayCalendar,
    today: NaiveDate,
    deadline: NaiveDate,
) -> (bool, String) {
    if is_overdue(today, deadline) {
        let late = today.signed_duration_since(deadline).num_days();
        return (true, format!("已超期 {late} 天"));
    }
    if today == deadline {
        return (false, "今日到期".to_string());
    }
    let left = calendar.working_days_between(today, deadline);
    (false, format!("还剩 {left} 个工作日"))
}

/// The years among `deadlines` the calendar has no entry for, in order:
/// deadlines there were counted as plain Monday–Friday weeks, because that
/// year's holidays have not been entered.
pub fn uncovered_years(
    calendar: &HolidayCalendar,
    deadlines: impl IntoIterator<Item = NaiveDate>,
) -> Vec<i32> {
    let years: BTreeSet<i32> = deadlines
        .into_iter()
        .map(|d| d.year())
        .filter(|y| !calendar.covers(*y))
        .collect();
    years.into_iter().collect()
}

/// The notice administrators see when deadlines fall in years the calendar
/// does not cover, or `None` when it covers them all.
pub fn calendar_gap_notice(years: &[i32]) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    let list: Vec<String> = years.iter().map(|y| format!("{y} 年")).collect();
    Some(format!(
        "节假日安排尚未录入 {}：办理期限落在该年的申请只按周一至周五计算工作日，可能与实际放假安排不符。请管理员在“节假日安排”中按国务院办公厅的放假通知录入。",
        list.join("、")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn cal() -> HolidayCalendar {
        HolidayCalendar::state_council()
    }

    #[test]
    fn day_kind_codes() {
        for k in DayKind::ALL {
            assert_eq!(DayKind::from_code(k.code()), Some(k));
        }
        assert_eq!(DayKind::Holiday.code(), "holiday");
        assert_eq!(DayKind::MakeUpWorkday.code(), "workday");
        assert_eq!(DayKind::Holiday.label(), "放假");
        assert_eq!(DayKind::MakeUpWorkday.label(), "调休上班");
        assert_eq!(DayKind::from_code("Holiday"), None);
    }

    #[test]
    fn day_kind_serde_uses_code() {
        use serde::de::value::{Error, StrDeserializer};
        let de = |s: &'static str| DayKind::deserialize(StrDeserializer::<Error>::new(s)).ok();
        for k in DayKind::ALL {
            assert_eq!(de(k.code()), Some(k));
        }
        assert_eq!(de("MakeUpWorkday"), Some(DayKind::MakeUpWorkday));
        assert_eq!(de("weekend"), None);
    }

    #[test]
    fn seed_data_is_consistent() {
        let entries = state_council_notices();
        // 2025: 28 days off, 5 make-up days; 2026: 33 days off, 6 make-up
        // days. A typo that makes a date impossible would drop entries.
        let count = |y: i32, k: DayKind| {
            entries
                .iter()
                .filter(|e| e.date.year() == y && e.kind == k)
                .count()
        };
        assert_eq!(count(2025, DayKind::Holiday), 28);
        assert_eq!(count(2025, DayKind::MakeUpWorkday), 5);
        assert_eq!(count(2026, DayKind::Holiday), 33);
        assert_eq!(count(2026, DayKind::MakeUpWorkday), 6);
        assert_eq!(entries.len(), 72);

        let mut seen = BTreeSet::new();
        for e in &entries {
            // No date listed twice (so none is both a holiday and a workday).
            assert!(seen.insert(e.date), "duplicate date {}", e.date);
            if e.kind == DayKind::MakeUpWorkday {
                assert!(
                    !is_weekday(e.date),
                    "make-up workday {} is not a weekend day",
                    e.date
                );
            }
            let expected_source = if e.date.year() == 2025 {
                NOTICE_2025
            } else {
                NOTICE_2026
            };
            assert_eq!(e.source, expected_source);
            assert!(!e.name.is_empty());
        }
    }

    #[test]
    fn seed_dates_by_hand() {
        let c = cal();
        // 2025 Spring Festival: Jan 28 – Feb 4 off, Jan 26 (Sun) and
        // Feb 8 (Sat) worked.
        assert!(c.is_working_day(d(2025, 1, 26)));
        assert!(!c.is_working_day(d(2025, 1, 28)));
        assert!(!c.is_working_day(d(2025, 2, 4)));
        assert!(c.is_working_day(d(2025, 2, 5)));
        assert!(c.is_working_day(d(2025, 2, 8)));
        assert!(!c.is_working_day(d(2025, 2, 9)));
        // 2026 New Year: Jan 1–3 off, Jan 4 (Sun) worked.
        assert!(!c.is_working_day(d(2026, 1, 2)));
        assert!(c.is_working_day(d(2026, 1, 4)));
        // Ordinary days.
        assert!(c.is_working_day(d(2026, 3, 2))); // Monday
        assert!(!c.is_working_day(d(2026, 3, 7))); // Saturday
        assert_eq!(
            c.entry(d(2026, 2, 17)).map(|e| e.name.as_str()),
            Some("春节")
        );
        assert_eq!(c.entry(d(2026, 3, 2)), None);
    }

    #[test]
    fn a_friday_deadline_is_missed_on_the_weekend() {
        let c = cal();
        let friday = d(2026, 3, 6);
        assert_eq!(
            deadline_note(&c, d(2026, 3, 5), friday),
            (false, "还剩 1 个工作日".to_string())
        );
        assert_eq!(
            deadline_note(&c, friday, friday),
            (false, "今日到期".to_string())
        );
        assert_eq!(
            deadline_note(&c, d(2026, 3, 7), friday),
            (true, "已超期 1 天".to_string())
        );
        assert_eq!(
            deadline_note(&c, d(2026, 3, 8), friday),
            (true, "已超期 2 天".to_string())
        );
        assert_eq!(
            deadline_note(&c, d(2026, 3, 9), friday),
            (true, "已超期 3 天".to_string())
        );
        assert!(!is_overdue(friday, friday));
        assert!(is_overdue(d(2026, 3, 7), friday));
    }

    #[test]
    fn a_deadline_before_national_day_is_missed_all_week() {
        // Deadline Wed 2026-09-30; Oct 1–7 are off, Oct 10 (Sat) is worked.
        let c = cal();
        let deadline = d(2026, 9, 30);
        for day in 1..=7 {
            let (overdue, text) = deadline_note(&c, d(2026, 10, day), deadline);
            assert!(overdue, "10-{day}");
            assert_eq!(text, format!("已超期 {day} 天"));
        }
        // A deadline after the holiday, seen during it: working days left.
        assert_eq!(
            deadline_note(&c, d(2026, 10, 2), d(2026, 10, 9)),
            (false, "还剩 2 个工作日".to_string())
        );
    }

    #[test]
    fn years_the_calendar_misses_are_named() {
        let c = cal();
        let deadlines = [d(2026, 12, 30), d(2027, 1, 8), d(2027, 2, 3), d(2024, 5, 6)];
        assert_eq!(uncovered_years(&c, deadlines), vec![2024, 2027]);
        assert_eq!(uncovered_years(&c, [d(2026, 1, 5)]), Vec::<i32>::new());
        assert_eq!(calendar_gap_notice(&[]), None);
        let notice = calendar_gap_notice(&[2027]).unwrap();
        assert!(notice.contains("尚未录入 2027 年"), "{notice}");
        assert!(calendar_gap_notice(&[2024, 2027])
            .unwrap()
            .contains("2024 年、2027 年"));
    }

    #[test]
    fn covers_years() {
        let c = cal();
        assert!(c.covers(2025));
        assert!(c.covers(2026));
        assert!(!c.covers(2024));
        assert!(!c.covers(2027));
        assert!(!HolidayCalendar::default().covers(2025));
    }

    #[test]
    fn national_day_2025() {
        // From Fri 2025-09-26: Sep 27 Sat off; Sep 28 Sun worked (1);
        // Sep 29 (2), Sep 30 (3); Oct 1–8 off; Oct 9 (4), Oct 10 (5),
        // Oct 11 Sat worked (6); Oct 12 Sun off; Oct 13 (7), 14 (8), 15 (9),
        // 16 (10).
        let c = cal();
        let start = d(2025, 9, 26);
        assert_eq!(c.add_working_days(start, 1), d(2025, 9, 28));
        assert_eq!(c.add_working_days(start, 3), d(2025, 9, 30));
        assert_eq!(c.add_working_days(start, 4), d(2025, 10, 9));
        assert_eq!(c.add_working_days(start, 6), d(2025, 10, 11));
        assert_eq!(c.add_working_days(start, 7), d(2025, 10, 13));
        assert_eq!(c.add_working_days(start, 10), d(2025, 10, 16));
        assert_eq!(c.working_days_between(start, d(2025, 10, 16)), 10);
        assert_eq!(c.working_days_between(d(2025, 10, 16), start), -10);
        // Without the calendar it would be plain weekdays: Oct 10.
        assert_eq!(
            HolidayCalendar::default().add_working_days(start, 10),
            d(2025, 10, 10)
        );
    }

    #[test]
    fn spring_festival_2026() {
        // From Thu 2026-02-12: Feb 13 Fri (1), Feb 14 Sat worked (2),
        // Feb 15–23 off, Feb 24 (3), 25 (4), 26 (5), 27 (6), Feb 28 Sat
        // worked (7), Mar 1 Sun off, Mar 2 (8), Mar 3 (9), Mar 4 (10).
        let c = cal();
        let start = d(2026, 2, 12);
        assert_eq!(c.add_working_days(start, 1), d(2026, 2, 13));
        assert_eq!(c.add_working_days(start, 2), d(2026, 2, 14));
        assert_eq!(c.add_working_days(start, 3), d(2026, 2, 24));
        assert_eq!(c.add_working_days(start, 5), d(2026, 2, 26));
        assert_eq!(c.add_working_days(start, 7), d(2026, 2, 28));
        assert_eq!(c.add_working_days(start, 8), d(2026, 3, 2));
        assert_eq!(c.add_working_days(start, 10), d(2026, 3, 4));
        // Receipt on a holiday: counting starts on the next working day.
        assert_eq!(c.add_working_days(d(2026, 2, 16), 1), d(2026, 2, 24));
    }

    #[test]
    fn zero_and_extremes() {
        let c = cal();
        let start = d(2026, 2, 16);
        assert_eq!(c.add_working_days(start, 0), start);
        assert_eq!(c.working_days_between(start, start), 0);
        assert_eq!(c.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(c.add_working_days(NaiveDate::MAX, 0), NaiveDate::MAX);
        // u32::MAX working days is ~16 million years: saturates.
        assert_eq!(c.add_working_days(d(2026, 1, 1), u32::MAX), NaiveDate::MAX);
        let far = c.add_working_days(NaiveDate::MIN, 1_000_000);
        assert_eq!(c.working_days_between(NaiveDate::MIN, far), 1_000_000);
        assert!(c.working_days_between(NaiveDate::MIN, NaiveDate::MAX) > 0);
    }

    #[test]
    fn later_entry_wins() {
        let date = d(2026, 3, 2);
        let entry = |kind| CalendarEntry {
            date,
            kind,
            name: "测试".into(),
            source: "测试".into(),
        };
        let c = HolidayCalendar::new([entry(DayKind::MakeUpWorkday), entry(DayKind::Holiday)]);
        assert!(!c.is_working_day(date));
        assert_eq!(c.entries().count(), 1);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 2020–2030 spans the seeded years and plain years on both sides.
        (0i64..4018).prop_map(|k| offset(d(2020, 1, 1), k))
    }

    proptest! {
        #[test]
        fn result_is_a_later_working_day(start in any_date(), n in 1u32..2000) {
            let c = cal();
            let r = c.add_working_days(start, n);
            prop_assert!(c.is_working_day(r));
            prop_assert!(r > start);
        }

        #[test]
        fn additive(start in any_date(), a in 0u32..600, b in 0u32..600) {
            let c = cal();
            prop_assert_eq!(
                c.add_working_days(start, a + b),
                c.add_working_days(c.add_working_days(start, a), b)
            );
        }

        #[test]
        fn between_inverts_add(start in any_date(), n in 0u32..3000) {
            let c = cal();
            let r = c.add_working_days(start, n);
            prop_assert_eq!(c.working_days_between(start, r), i64::from(n));
            prop_assert_eq!(c.working_days_between(r, start), -i64::from(n));
        }

        #[test]
        fn between_matches_day_by_day(a in any_date(), len in 0u64..120) {
            let c = cal();
            let b = a.checked_add_days(Days::new(len)).unwrap_or(a);
            let counted = a
                .iter_days()
                .skip(1)
                .take_while(|x| *x <= b)
                .filter(|x| c.is_working_day(*x))
                .count();
            prop_assert_eq!(c.working_days_between(a, b), counted as i64);
        }

        #[test]
        fn five_days_from_monday(week in 0i64..5000) {
            let monday = offset(d(2000, 1, 3), week * 7); // 2000-01-03 is a Monday
            prop_assert_eq!(monday.weekday(), Weekday::Mon);
            let next = HolidayCalendar::default().add_working_days(monday, 5);
            prop_assert_eq!(next, offset(monday, 7));
        }
    }
}
