//! Transparency figures (`/transparency`): how departments handle repair
//! applications and objections, how punctually they deliver records, and
//! how systems report back on the joint check — per department and month.
//!
//! Everything is counted here from plain facts (each case's steps, the
//! deliveries' counts, the joint check's feedback), so both databases give
//! the same figures and a test can give a fixture and its known answers.
//!
//! How a case is counted:
//! - *received* in the month (China time) of its submission;
//! - *decided* in the month of its decision (repair: 同意修复 or 不予修复;
//!   objection: a written conclusion or 不予受理); withdrawn and voided
//!   cases are *closed without a decision* in the month they closed;
//! - *working days to a decision*: from the day of receipt (not counted)
//!   to the day of the decision, on the portal's holiday calendar, time the
//!   applicant took to supplement included;
//! - *within the limit*: every step the department took (acceptance,
//!   a request to supplement, an extension, the decision) came on or
//!   before the deadline the previous step had set for the department.
//!   While the applicant's clock runs (a supplement requested) the
//!   department cannot be late.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::objection::ObjectionAction;
use super::repair_application::Action;
use super::working_days::{china_date, HolidayCalendar};

/// The longest period the page and the API answer for, in months.
pub const MAX_MONTHS: u32 = 24;
/// The period when none is asked for: the last twelve months to this one.
pub const DEFAULT_MONTHS: u32 = 12;

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// The month `day` falls in.
    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// `YYYY-MM` (also `YYYY-M`), as months are written in forms and URLs.
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        ((1..=12).contains(&month) && (1900..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    /// `YYYY-MM`.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `2026年11月`.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// `11月` — short, for a chart's axis.
    pub fn short_label(self) -> String {
        format!("{}月", self.month)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month `n` months before this one.
    pub fn back(self, n: u32) -> Month {
        let index = self.year * 12 + self.month as i32 - 1 - n as i32;
        Month {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// Months from `self` to `to`, both counted (0 when `to` is earlier).
    pub fn count_to(self, to: Month) -> u32 {
        let diff = (to.year * 12 + to.month as i32) - (self.year * 12 + self.month as i32);
        u32::try_from(diff + 1).unwrap_or(0)
    }

    /// The month's first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }
}

/// The months the figures cover, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRange {
    pub from: Month,
    pub to: Month,
}

impl MonthRange {
    /// The period asked for (`YYYY-MM` each, empty for the default): at
    /// most [`MAX_MONTHS`], ending this month at the latest.
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<MonthRange, String> {
        let this_month = Month::of(today);
        let month = |text: &str, field: &str| -> Result<Option<Month>, String> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            Month::parse(text).map(Some).ok_or_else(|| {
                format!(
                    "{field}格式有误：请按“年-月”填写，例如 {}",
                    this_month.code()
                )
            })
        };
        let to_month = month(to, "统计截止月份")?.unwrap_or(this_month);
        let from_month =
            month(from, "统计起始月份")?.unwrap_or_else(|| to_month.back(DEFAULT_MONTHS - 1));
        if to_month > this_month {
            return Err(format!(
                "统计截止月份不能晚于本月（{}）：请改为本月或更早的月份",
                this_month.label()
            ));
        }
        if from_month > to_month {
            return Err("统计起始月份晚于截止月份：请对调或改正其中一个".into());
        }
        if from_month.count_to(to_month) > MAX_MONTHS {
            return Err(format!(
                "统计期最长 {MAX_MONTHS} 个月：请把起始月份改为 {} 或更晚",
                to_month.back(MAX_MONTHS - 1).label()
            ));
        }
        Ok(MonthRange {
            from: from_month,
            to: to_month,
        })
    }

    /// The months in order.
    pub fn months(self) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self.from;
        while m <= self.to {
            out.push(m);
            m = m.next();
        }
        out
    }

    pub fn contains(self, m: Month) -> bool {
        self.from <= m && m <= self.to
    }

    /// `2025年12月至2026年11月`.
    pub fn label(self) -> String {
        if self.from == self.to {
            self.from.label()
        } else {
            format!("{}至{}", self.from.label(), self.to.label())
        }
    }
}

/// Which procedure a case is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaseKind {
    /// 信用修复申请.
    Repair,
    /// 异议申诉.
    Objection,
}

/// One stored step of a case, as the store gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseStep {
    pub kind: CaseKind,
    pub case_id: i64,
    /// The department the case is addressed to (the record's).
    pub department: String,
    pub at: DateTime<Utc>,
    /// The step's action code (`submit` for the first).
    pub action: String,
    /// The deadline the step set, if any.
    pub deadline: Option<NaiveDate>,
}

/// A delivery month of one department (`app::store::CollectStore::quality`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryMonth {
    pub department: String,
    pub month: Month,
    pub deliveries: u32,
    /// Rows taken.
    pub rows: u32,
    /// Rows delivered after their time limit (迟报).
    pub late: u32,
}

/// The joint check's measures named in one department's checks of a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackMonth {
    pub department: String,
    pub month: Month,
    /// Measures the answers named.
    pub named: u32,
    /// Of which feedback came back.
    pub received: u32,
    /// Of which feedback came after its due day.
    pub late: u32,
}

/// What a step means for the clocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Received,
    /// A step of the department that does not end the case.
    Department,
    /// A step of the applicant that does not end the case.
    Applicant,
    Decision,
    /// Withdrawn (applicant) or voided (department): no decision.
    Closed,
}

/// Whose clock a step starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Clock {
    Department,
    Applicant,
    Stopped,
}

fn repair_role(code: &str) -> Option<(Role, Clock)> {
    if code == "submit" {
        return Some((Role::Received, Clock::Department));
    }
    Some(match Action::from_code(code)? {
        Action::Accept => (Role::Department, Clock::Department),
        Action::RequestSupplement => (Role::Department, Clock::Applicant),
        Action::Supplement => (Role::Applicant, Clock::Department),
        Action::Approve | Action::Reject => (Role::Decision, Clock::Stopped),
        Action::Withdraw | Action::Void => (Role::Closed, Clock::Stopped),
    })
}

fn objection_role(code: &str) -> Option<(Role, Clock)> {
    if code == "submit" {
        return Some((Role::Received, Clock::Department));
    }
    Some(match ObjectionAction::from_code(code)? {
        ObjectionAction::Accept | ObjectionAction::Extend => (Role::Department, Clock::Department),
        ObjectionAction::RequestSupplement => (Role::Department, Clock::Applicant),
        ObjectionAction::Supplement => (Role::Applicant, Clock::Department),
        ObjectionAction::Decide(_) | ObjectionAction::Refuse => (Role::Decision, Clock::Stopped),
        ObjectionAction::Withdraw => (Role::Closed, Clock::Stopped),
    })
}

/// What one case comes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFacts {
    pub kind: CaseKind,
    pub department: String,
    pub received: NaiveDate,
    /// The decision's day and whether every department step was in time.
    pub decided: Option<(NaiveDate, bool)>,
    /// Closed without a decision (withdrawn, voided) on this day.
    pub closed: Option<NaiveDate>,
    /// Open, and the department's deadline has passed (as of `today`).
    pub overdue_now: bool,
}

/// The facts of one case from its steps in order; `None` when the steps do
/// not start with a submission (a case the store gave only in part).
pub fn case_facts(steps: &[CaseStep], today: NaiveDate) -> Option<CaseFacts> {
    let first = steps.first()?;
    let role_of = match first.kind {
        CaseKind::Repair => repair_role,
        CaseKind::Objection => objection_role,
    };
    let mut facts = CaseFacts {
        kind: first.kind,
        department: first.department.clone(),
        received: china_date(first.at),
        decided: None,
        closed: None,
        overdue_now: false,
    };
    if role_of(&first.action)?.0 != Role::Received {
        return None;
    }
    let mut department_deadline = first.deadline;
    let mut in_time = true;
    for step in &steps[1..] {
        // An unknown action (a code newer than this build) changes no clock.
        let Some((role, clock)) = role_of(&step.action) else {
            continue;
        };
        let day = china_date(step.at);
        if matches!(role, Role::Department | Role::Decision)
            && department_deadline.is_some_and(|d| day > d)
        {
            in_time = false;
        }
        match role {
            Role::Decision => {
                facts.decided = Some((day, in_time));
                return Some(facts);
            }
            Role::Closed => {
                facts.closed = Some(day);
                return Some(facts);
            }
            Role::Received | Role::Department | Role::Applicant => {}
        }
        department_deadline = match clock {
            Clock::Department => step.deadline,
            Clock::Applicant | Clock::Stopped => None,
        };
    }
    facts.overdue_now = department_deadline.is_some_and(|d| today > d);
    Some(facts)
}

/// Repair applications or objections of a department in a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseFigures {
    pub received: u32,
    pub decided: u32,
    /// Withdrawn or voided: closed without a decision.
    pub closed_otherwise: u32,
    /// Decided with every department step in time.
    pub within_limit: u32,
    /// Median working days from receipt to decision (`None`: no decision).
    pub median_working_days: Option<f64>,
}

impl CaseFigures {
    /// Share of decisions within the limit, in per cent.
    pub fn share_within_limit(&self) -> Option<f64> {
        percent(self.within_limit, self.decided)
    }
}

/// Deliveries of records: how many rows, how many late (迟报).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryFigures {
    pub deliveries: u32,
    pub rows: u32,
    pub late: u32,
}

impl DeliveryFigures {
    pub fn share_late(&self) -> Option<f64> {
        percent(self.late, self.rows)
    }
}

/// The joint check's feedback: measures named, feedback received, late.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackFigures {
    pub named: u32,
    pub received: u32,
    pub late: u32,
}

impl FeedbackFigures {
    /// Share of named measures with feedback, in per cent.
    pub fn share_received(&self) -> Option<f64> {
        percent(self.received, self.named)
    }

    /// Share of named measures with feedback in time, in per cent.
    pub fn share_in_time(&self) -> Option<f64> {
        percent(self.received.saturating_sub(self.late), self.named)
    }
}

/// Everything counted for one group (a department-month, a department, a
/// month, or the whole period).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub repair: CaseFigures,
    pub objection: CaseFigures,
    pub deliveries: DeliveryFigures,
    pub feedback: FeedbackFigures,
}

/// A department's figures in one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentMonth {
    pub department: String,
    pub month: Month,
    pub figures: Figures,
}

/// A department's figures over the whole period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentTotal {
    pub department: String,
    pub figures: Figures,
    /// Cases open today whose department deadline has passed (repair,
    /// objection) — the cases the period's decisions do not show yet.
    pub overdue_repairs: u32,
    pub overdue_objections: u32,
}

/// All departments' figures in one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthTotal {
    pub month: Month,
    pub figures: Figures,
}

/// The figures of a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transparency {
    pub range: MonthRange,
    /// Every month of the period, in order (also months with nothing).
    pub months: Vec<MonthTotal>,
    /// Every department with anything to count, by name.
    pub departments: Vec<DepartmentTotal>,
    /// Department-months with anything to count, by department then month.
    pub rows: Vec<DepartmentMonth>,
    pub total: Figures,
}

/// Counts and the working days of decisions, before the medians.
#[derive(Default)]
struct CaseTally {
    received: u32,
    decided: u32,
    closed_otherwise: u32,
    within_limit: u32,
    days: Vec<i64>,
}

impl CaseTally {
    fn add(&mut self, other: &CaseTally) {
        self.received += other.received;
        self.decided += other.decided;
        self.closed_otherwise += other.closed_otherwise;
        self.within_limit += other.within_limit;
        self.days.extend_from_slice(&other.days);
    }

    fn figures(&self) -> CaseFigures {
        CaseFigures {
            received: self.received,
            decided: self.decided,
            closed_otherwise: self.closed_otherwise,
            within_limit: self.within_limit,
            median_working_days: median(&self.days),
        }
    }
}

#[derive(Default)]
struct Tally {
    repair: CaseTally,
    objection: CaseTally,
    deliveries: DeliveryFigures,
    feedback: FeedbackFigures,
}

impl Tally {
    fn case(&mut self, kind: CaseKind) -> &mut CaseTally {
        match kind {
            CaseKind::Repair => &mut self.repair,
            CaseKind::Objection => &mut self.objection,
        }
    }

    fn add(&mut self, other: &Tally) {
        self.repair.add(&other.repair);
        self.objection.add(&other.objection);
        let (d, o) = (&mut self.deliveries, &other.deliveries);
        d.deliveries += o.deliveries;
        d.rows += o.rows;
        d.late += o.late;
        let (f, o) = (&mut self.feedback, &other.feedback);
        f.named += o.named;
        f.received += o.received;
        f.late += o.late;
    }

    fn figures(&self) -> Figures {
        Figures {
            repair: self.repair.figures(),
            objection: self.objection.figures(),
            deliveries: self.deliveries.clone(),
            feedback: self.feedback.clone(),
        }
    }
}

/// The period's figures from the cases' steps (grouped by case, each in
/// order), the deliveries and the feedback. Facts outside `range` are
/// left out; cases overdue today count whatever month they began.
pub fn count(
    range: MonthRange,
    today: NaiveDate,
    calendar: &HolidayCalendar,
    steps: &[CaseStep],
    deliveries: &[DeliveryMonth],
    feedback: &[FeedbackMonth],
) -> Transparency {
    let mut cells: BTreeMap<(String, Month), Tally> = BTreeMap::new();
    let mut overdue: BTreeMap<(String, CaseKind), u32> = BTreeMap::new();
    let cases = steps.chunk_by(|a, b| a.kind == b.kind && a.case_id == b.case_id);
    for facts in cases.filter_map(|c| case_facts(c, today)) {
        let dept = facts.department.clone();
        let received = Month::of(facts.received);
        if range.contains(received) {
            cells
                .entry((dept.clone(), received))
                .or_default()
                .case(facts.kind)
                .received += 1;
        }
        if let Some((day, in_time)) = facts.decided {
            if range.contains(Month::of(day)) {
                let tally = cells.entry((dept.clone(), Month::of(day))).or_default();
                let t = tally.case(facts.kind);
                t.decided += 1;
                t.within_limit += u32::from(in_time);
                t.days
                    .push(calendar.working_days_between(facts.received, day));
            }
        }
        if let Some(day) = facts.closed {
            if range.contains(Month::of(day)) {
                cells
                    .entry((dept.clone(), Month::of(day)))
                    .or_default()
                    .case(facts.kind)
                    .closed_otherwise += 1;
            }
        }
        if facts.overdue_now {
            *overdue.entry((dept.clone(), facts.kind)).or_default() += 1;
        }
    }
    for d in deliveries.iter().filter(|d| range.contains(d.month)) {
        let t = &mut cells
            .entry((d.department.clone(), d.month))
            .or_default()
            .deliveries;
        t.deliveries += d.deliveries;
        t.rows += d.rows;
        t.late += d.late;
    }
    for f in feedback.iter().filter(|f| range.contains(f.month)) {
        let t = &mut cells
            .entry((f.department.clone(), f.month))
            .or_default()
            .feedback;
        t.named += f.named;
        t.received += f.received;
        t.late += f.late;
    }

    // Every department with a figure in the period, or a case overdue now.
    let departments: BTreeSet<String> = cells
        .keys()
        .map(|(d, _)| d.clone())
        .chain(overdue.keys().map(|(d, _)| d.clone()))
        .collect();
    let mut by_month: BTreeMap<Month, Tally> = BTreeMap::new();
    let mut by_department: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for ((dept, month), tally) in &cells {
        by_month.entry(*month).or_default().add(tally);
        by_department.entry(dept.clone()).or_default().add(tally);
        total.add(tally);
    }
    Transparency {
        range,
        months: range
            .months()
            .into_iter()
            .map(|month| MonthTotal {
                month,
                figures: by_month.get(&month).map(Tally::figures).unwrap_or_default(),
            })
            .collect(),
        departments: departments
            .into_iter()
            .map(|department| DepartmentTotal {
                figures: by_department
                    .get(&department)
                    .map(Tally::figures)
                    .unwrap_or_default(),
                overdue_repairs: overdue
                    .get(&(department.clone(), CaseKind::Repair))
                    .copied()
                    .unwrap_or(0),
                overdue_objections: overdue
                    .get(&(department.clone(), CaseKind::Objection))
                    .copied()
                    .unwrap_or(0),
                department,
            })
            .collect(),
        rows: cells
            .iter()
            .map(|((department, month), tally)| DepartmentMonth {
                department: department.clone(),
                month: *month,
                figures: tally.figures(),
            })
            .collect(),
        total: total.figures(),
    }
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid] as f64
    } else {
        (v[mid - 1] + v[mid]) as f64 / 2.0
    })
}

/// `part` of `whole` in per cent, rounded to one decimal; `None` of nothing.
pub fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0)
}

/// A share as the page writes it: `87.5%`, or `—` when there is nothing.
pub fn percent_label(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_string(), |p| format!("{}%", trim_number(p)))
}

/// A median as the page writes it: `4`, `4.5`, or `—`.
pub fn days_label(days: Option<f64>) -> String {
    days.map_or_else(|| "—".to_string(), trim_number)
}

fn trim_number(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// What the page and the API say about how the figures are counted.
pub const METHOD: [&str; 6] = [
    "信用修复申请和异议申诉按收到（提交）的月份计入“收到”，按作出决定的月份计入“办结”；撤回或作废的按结束的月份单独计数，不计入办结。",
    "办结用时：自收到之日的次日起至作出决定之日，按工作日计算（扣除法定节假日，计入调休上班日），含申请人补正材料的时间；取中位数。",
    "按时办结：受理、要求补正、延长期限和作出决定的每一步，都在上一步为认定单位设定的期限内完成；等待申请人补正期间不计认定单位超期。",
    "目前超期未办：统计时仍在办理、且认定单位期限已过的件数，不限统计期。",
    "迟报：认定单位报送的行政处罚、行政许可信息晚于规定报送时限的条数；报送条数为采用的条数。",
    "联合奖惩核查反馈：核查结果列明的每项惩戒措施，实施单位是否反馈了采取与否；按核查发生的月份计入，逾期反馈单独计数。",
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    /// A step at 10:00 China time on `d`.
    fn step(
        kind: CaseKind,
        id: i64,
        dept: &str,
        d: NaiveDate,
        action: &str,
        deadline: Option<NaiveDate>,
    ) -> CaseStep {
        CaseStep {
            kind,
            case_id: id,
            department: dept.into(),
            at: Utc.from_utc_datetime(&d.and_hms_opt(2, 0, 0).unwrap()),
            action: action.into(),
            deadline,
        }
    }

    fn range(from: &str, to: &str) -> MonthRange {
        MonthRange::parse(from, to, day(12, 2)).unwrap()
    }

    #[test]
    fn months_parse_count_and_step() {
        assert_eq!(
            Month::parse("2026-11"),
            Some(Month {
                year: 2026,
                month: 11
            })
        );
        assert_eq!(
            Month::parse("2026-1"),
            Some(Month {
                year: 2026,
                month: 1
            })
        );
        for bad in [
            "2026-13", "2026-00", "26-11", "2026/11", "", "2026-111", "abcd-ef",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        let nov = Month {
            year: 2026,
            month: 11,
        };
        assert_eq!(
            nov.back(11),
            Month {
                year: 2025,
                month: 12
            }
        );
        assert_eq!(nov.back(10).count_to(nov), 11);
        assert_eq!(
            Month {
                year: 2026,
                month: 12
            }
            .next(),
            Month {
                year: 2027,
                month: 1
            }
        );
        assert_eq!(nov.label(), "2026年11月");
        assert_eq!(nov.code(), "2026-11");
    }

    #[test]
    fn the_period_defaults_to_twelve_months_and_refuses_with_the_field_named() {
        let today = day(12, 2);
        let r = MonthRange::parse("", "", today).unwrap();
        assert_eq!(r.from.code(), "2026-01");
        assert_eq!(r.to.code(), "2026-12");
        assert_eq!(r.months().len(), 12);
        assert_eq!(
            MonthRange::parse("2025-01", "2026-12", today)
                .unwrap()
                .months()
                .len(),
            24
        );
        let e = MonthRange::parse("2024-12", "2026-12", today).unwrap_err();
        assert!(e.contains("最长 24 个月") && e.contains("2025年1月"), "{e}");
        let e = MonthRange::parse("", "2027-01", today).unwrap_err();
        assert!(e.contains("截止月份不能晚于本月"), "{e}");
        let e = MonthRange::parse("2026-13", "", today).unwrap_err();
        assert!(e.starts_with("统计起始月份格式有误"), "{e}");
        let e = MonthRange::parse("2026-10", "2026-09", today).unwrap_err();
        assert!(e.contains("起始月份晚于截止月份"), "{e}");
    }

    #[test]
    fn medians_and_shares() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5]), Some(5.0));
        assert_eq!(median(&[9, 1, 4]), Some(4.0));
        assert_eq!(median(&[1, 4, 5, 9]), Some(4.5));
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent_label(Some(100.0)), "100%");
        assert_eq!(percent_label(Some(66.7)), "66.7%");
        assert_eq!(days_label(Some(4.5)), "4.5");
        assert_eq!(days_label(None), "—");
    }

    #[test]
    fn a_late_acceptance_makes_the_decision_late_even_when_the_decision_is_in_time() {
        use CaseKind::Repair as R;
        let steps = [
            step(R, 1, "市场监管局", day(11, 2), "submit", Some(day(11, 5))),
            step(R, 1, "市场监管局", day(11, 6), "accept", Some(day(11, 20))),
            step(R, 1, "市场监管局", day(11, 10), "approve", None),
        ];
        let f = case_facts(&steps, day(12, 2)).unwrap();
        assert_eq!(f.decided, Some((day(11, 10), false)));
    }

    #[test]
    fn the_applicants_time_to_supplement_never_makes_the_department_late() {
        use CaseKind::Objection as O;
        let steps = [
            step(O, 7, "税务局", day(11, 2), "submit", Some(day(11, 3))),
            step(
                O,
                7,
                "税务局",
                day(11, 3),
                "request_supplement",
                Some(day(11, 17)),
            ),
            // The applicant takes two weeks; the department refuses a day after.
            step(O, 7, "税务局", day(11, 16), "supplement", Some(day(11, 17))),
            step(O, 7, "税务局", day(11, 17), "accept", Some(day(11, 24))),
            step(O, 7, "税务局", day(11, 24), "decide_corrected", None),
        ];
        let f = case_facts(&steps, day(12, 2)).unwrap();
        assert_eq!(f.decided, Some((day(11, 24), true)));
        // Waiting for the applicant: not overdue however long it lasts.
        let f = case_facts(&steps[..2], day(12, 30)).unwrap();
        assert!(!f.overdue_now && f.decided.is_none());
        // Waiting for the department past its deadline: overdue now.
        let f = case_facts(&steps[..4], day(11, 25)).unwrap();
        assert!(f.overdue_now);
    }

    /// A fixture with answers worked out by hand (the 2026 calendar: 10-01
    /// to 10-07 are the National Day holiday, Saturday 10-10 a make-up
    /// working day).
    #[test]
    fn figures_from_a_fixture_with_known_answers() {
        use CaseKind::{Objection as O, Repair as R};
        let cal = HolidayCalendar::state_council();
        let a = "鹤岗市市场监督管理局";
        let b = "鹤岗市税务局";
        let steps = vec![
            // A: received 09-28, accepted in time, approved 10-13 — working
            // days (09-28, 10-13]: 09-29, 09-30, 10-08, 10-09, 10-10, 10-12,
            // 10-13 = 7.
            step(R, 1, a, day(9, 28), "submit", Some(day(9, 30))),
            step(R, 1, a, day(9, 29), "accept", Some(day(10, 20))),
            step(R, 1, a, day(10, 13), "approve", None),
            // A: received and rejected in October, 2 working days, in time.
            step(R, 2, a, day(10, 19), "submit", Some(day(10, 22))),
            step(R, 2, a, day(10, 21), "reject", None),
            // A: received in October, decided late in November.
            step(R, 3, a, day(10, 26), "submit", Some(day(10, 29))),
            step(R, 3, a, day(10, 28), "accept", Some(day(11, 11))),
            step(R, 3, a, day(11, 13), "approve", None),
            // A: withdrawn in November.
            step(R, 4, a, day(11, 2), "submit", Some(day(11, 5))),
            step(R, 4, a, day(11, 3), "withdraw", None),
            // A: open, acceptance due 11-27: overdue on 12-02.
            step(R, 5, a, day(11, 24), "submit", Some(day(11, 27))),
            // B: an objection received in October, decided in time in November.
            step(O, 1, b, day(10, 30), "submit", Some(day(11, 2))),
            step(O, 1, b, day(11, 2), "accept", Some(day(11, 9))),
            step(O, 1, b, day(11, 6), "decide_kept", None),
            // B: received in August, outside the period, decided in October.
            step(O, 2, b, day(8, 3), "submit", Some(day(8, 4))),
            step(O, 2, b, day(8, 4), "accept", Some(day(8, 11))),
            step(O, 2, b, day(10, 9), "decide_deleted", None),
        ];
        let deliveries = vec![
            DeliveryMonth {
                department: b.into(),
                month: Month::parse("2026-11").unwrap(),
                deliveries: 3,
                rows: 40,
                late: 10,
            },
            DeliveryMonth {
                department: b.into(),
                month: Month::parse("2026-08").unwrap(),
                deliveries: 9,
                rows: 9,
                late: 9,
            },
        ];
        let feedback = vec![FeedbackMonth {
            department: a.into(),
            month: Month::parse("2026-10").unwrap(),
            named: 4,
            received: 3,
            late: 1,
        }];
        let t = count(
            range("2026-10", "2026-11"),
            day(12, 2),
            &cal,
            &steps,
            &deliveries,
            &feedback,
        );

        assert_eq!(t.months.len(), 2);
        let (oct, nov) = (&t.months[0].figures, &t.months[1].figures);
        assert_eq!(oct.repair.received, 2); // cases 2 and 3; case 1 came in September
        assert_eq!(oct.repair.decided, 2); // cases 1 and 2
        assert_eq!(oct.repair.median_working_days, Some(4.5)); // (7 + 2) / 2
        assert_eq!(oct.repair.within_limit, 2);
        assert_eq!(nov.repair.received, 2); // cases 4 and 5
        assert_eq!(nov.repair.decided, 1);
        assert_eq!(nov.repair.within_limit, 0);
        assert_eq!(nov.repair.closed_otherwise, 1);
        // Case 3: (10-26, 11-13] = 14 working days.
        assert_eq!(nov.repair.median_working_days, Some(14.0));
        assert_eq!(oct.objection.received, 1);
        assert_eq!(oct.objection.decided, 1);
        assert_eq!(oct.objection.within_limit, 0); // decided 10-09, due 08-11
        assert_eq!(nov.objection.decided, 1);
        assert_eq!(nov.objection.within_limit, 1);
        assert_eq!(
            nov.deliveries,
            DeliveryFigures {
                deliveries: 3,
                rows: 40,
                late: 10
            }
        );
        assert_eq!(oct.feedback.share_received(), Some(75.0));
        assert_eq!(oct.feedback.share_in_time(), Some(50.0));

        // By department, over the period.
        assert_eq!(t.departments.len(), 2);
        let da = t.departments.iter().find(|d| d.department == a).unwrap();
        assert_eq!(da.figures.repair.decided, 3);
        assert_eq!(da.figures.repair.median_working_days, Some(7.0)); // 2, 7, 14
        assert_eq!(da.figures.repair.share_within_limit(), Some(66.7));
        assert_eq!(da.overdue_repairs, 1);
        let db = t.departments.iter().find(|d| d.department == b).unwrap();
        assert_eq!(db.figures.objection.share_within_limit(), Some(50.0));
        assert_eq!(db.figures.deliveries.share_late(), Some(25.0)); // August left out
        assert_eq!(db.overdue_objections, 0);
        assert_eq!(t.total.repair.received, 4);
        assert_eq!(t.total.objection.decided, 2);
        // Department-months: A in October and November, B in October and November.
        assert_eq!(t.rows.len(), 4);
    }
}
