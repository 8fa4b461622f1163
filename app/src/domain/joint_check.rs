//! The joint check (联合奖惩核查) and its feedback (触发反馈), as rules
//! (seed §四(四)11; 国发〔2016〕33号; DOMAIN.md §13).
//!
//! A department's approval system asks, before deciding a matter, whether
//! the applicant is on a serious list; the answer names the current
//! entries and the measures of the list that department applies. The
//! official applies each measure or records why not, and that outcome
//! comes back, once per measure. Feedback later than the setting's working
//! days is accepted but flagged, so late departments show in the report.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CreditCode, IdNumber};

/// The working days a department has to report back, as a setting.
pub const FEEDBACK_SETTING: (&str, u32) = ("check.feedback_working_days", 5);

/// Longest matter code, in characters.
pub const MAX_MATTER_CODE_CHARS: usize = 64;
/// Longest matter name, purpose, outcome or operator department.
pub const MAX_TEXT_CHARS: usize = 500;
/// Longest reason for not applying a measure.
pub const MAX_REASON_CHARS: usize = 1000;

/// Whom a check asks about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckedSubject {
    /// An organisation or individual business, by 统一社会信用代码.
    CreditCode(String),
    /// A natural person, by 公民身份号码 (checked).
    IdNumber(String),
}

impl CheckedSubject {
    /// The identifier as the register keeps it: a credit code in full (it
    /// is public), an ID number with only its first 6 and last 4 digits.
    pub fn registered(&self) -> String {
        match self {
            CheckedSubject::CreditCode(code) => code.clone(),
            CheckedSubject::IdNumber(id) => IdNumber::parse(id)
                .map(|n| n.masked())
                .unwrap_or_else(|_| crate::domain::masking::mask_id_like(id)),
        }
    }
}

/// A check as a system sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckBody {
    #[serde(default)]
    pub credit_code: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub matter_code: String,
    #[serde(default)]
    pub matter_name: String,
    #[serde(default)]
    pub purpose: String,
}

/// A checked request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRequest {
    pub subject: CheckedSubject,
    pub matter_code: String,
    pub matter_name: String,
    pub purpose: String,
}

fn text(
    value: &str,
    field: &'static str,
    label: &str,
    limit: usize,
    errors: &mut Vec<(&'static str, String)>,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push((field, format!("请填写 {field}（{label}）")));
    } else if value.chars().count() > limit {
        errors.push((field, format!("{field}（{label}）不能超过 {limit} 个字")));
    }
    value.to_string()
}

impl CheckBody {
    /// Checks the request, naming each fault by its JSON field.
    pub fn check(&self) -> Result<CheckRequest, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let code = self.credit_code.as_deref().map(str::trim).unwrap_or("");
        let id = self.id_number.as_deref().map(str::trim).unwrap_or("");
        let subject = match (code.is_empty(), id.is_empty()) {
            (true, true) => {
                errors.push((
                    "credit_code",
                    "请填写被核查主体：credit_code（统一社会信用代码）或 id_number（自然人身份证号码），二选一".into(),
                ));
                None
            }
            (false, false) => {
                errors.push((
                    "id_number",
                    "credit_code 和 id_number 只能填写一个：核查组织填统一社会信用代码，核查自然人填身份证号码".into(),
                ));
                None
            }
            (false, true) => match CreditCode::parse(code) {
                Ok(c) => Some(CheckedSubject::CreditCode(c.as_str().to_string())),
                Err(err) => {
                    errors.push((
                        "credit_code",
                        format!("credit_code（统一社会信用代码）有误：{err}"),
                    ));
                    None
                }
            },
            (true, false) => match IdNumber::parse(id) {
                Ok(n) => Some(CheckedSubject::IdNumber(n.as_str().to_string())),
                Err(err) => {
                    errors.push(("id_number", format!("id_number（身份证号码）有误：{err}")));
                    None
                }
            },
        };
        let matter_code = text(
            &self.matter_code,
            "matter_code",
            "办理事项编码",
            MAX_MATTER_CODE_CHARS,
            &mut errors,
        );
        let matter_name = text(
            &self.matter_name,
            "matter_name",
            "办理事项名称",
            MAX_TEXT_CHARS,
            &mut errors,
        );
        let purpose = text(
            &self.purpose,
            "purpose",
            "核查用途",
            MAX_TEXT_CHARS,
            &mut errors,
        );
        match subject {
            Some(subject) if errors.is_empty() => Ok(CheckRequest {
                subject,
                matter_code,
                matter_name,
                purpose,
            }),
            _ => Err(errors),
        }
    }
}

/// One measure's feedback as a system sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackItemBody {
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub applied: Option<bool>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// The feedback on a check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackBody {
    #[serde(default)]
    pub measures: Vec<FeedbackItemBody>,
    /// The outcome of the matter (准予、不予、附条件…).
    #[serde(default)]
    pub outcome: String,
    /// Who decided, e.g. `鹤岗市财政局政府采购监督管理科`.
    #[serde(default)]
    pub operator_department: String,
    /// When the matter was decided, `YYYY-MM-DD`; today when absent.
    #[serde(default)]
    pub decided_on: Option<String>,
}

/// One measure's checked feedback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackItem {
    pub measure: String,
    pub applied: bool,
    /// Why it was not applied (required then), or a note.
    pub reason: Option<String>,
}

/// Checked feedback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback {
    pub items: Vec<FeedbackItem>,
    pub outcome: String,
    pub operator_department: String,
    pub decided_on: NaiveDate,
}

/// Measures one feedback may carry.
pub const MAX_FEEDBACK_ITEMS: usize = 100;

impl FeedbackBody {
    /// Checks the feedback against the measures the check answered
    /// (`answered`, codes); `today` is the default decision day and the
    /// latest one allowed.
    pub fn check(
        &self,
        answered: &[String],
        checked_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Feedback, Vec<(String, String)>> {
        let mut errors: Vec<(String, String)> = Vec::new();
        if self.measures.is_empty() {
            errors.push((
                "measures".into(),
                "measures 不能为空：请对核查结果中的每项措施逐项反馈是否实施".into(),
            ));
        }
        if self.measures.len() > MAX_FEEDBACK_ITEMS {
            errors.push((
                "measures".into(),
                format!("measures 一次不能超过 {MAX_FEEDBACK_ITEMS} 项"),
            ));
        }
        let mut items: Vec<FeedbackItem> = Vec::new();
        for (i, item) in self.measures.iter().enumerate() {
            let at = |f: &str| format!("measures[{i}].{f}");
            let code = item.measure.trim();
            if !answered.iter().any(|a| a == code) {
                errors.push((
                    at("measure"),
                    format!("措施“{code}”不在本次核查结果中：只能反馈核查结果列出的措施"),
                ));
                continue;
            }
            if items.iter().any(|x| x.measure == code) {
                errors.push((at("measure"), format!("措施“{code}”重复反馈")));
                continue;
            }
            let reason = item
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty());
            if reason.is_some_and(|r| r.chars().count() > MAX_REASON_CHARS) {
                errors.push((
                    at("reason"),
                    format!("reason（理由）不能超过 {MAX_REASON_CHARS} 个字"),
                ));
            }
            match item.applied {
                None => errors.push((
                    at("applied"),
                    "请填写 applied：true 表示已实施该措施，false 表示未实施（须写明理由）".into(),
                )),
                Some(false) if reason.is_none() => errors.push((
                    at("reason"),
                    format!("措施“{code}”未实施：请在 reason 中写明未实施的理由和依据"),
                )),
                Some(applied) => items.push(FeedbackItem {
                    measure: code.to_string(),
                    applied,
                    reason: reason.map(str::to_string),
                }),
            }
        }
        let mut texts = |value: &str, field: &str, label: &str| {
            let value = value.trim();
            if value.is_empty() {
                errors.push((field.into(), format!("请填写 {field}（{label}）")));
            } else if value.chars().count() > MAX_TEXT_CHARS {
                errors.push((
                    field.into(),
                    format!("{field}（{label}）不能超过 {MAX_TEXT_CHARS} 个字"),
                ));
            }
            value.to_string()
        };
        let outcome = texts(&self.outcome, "outcome", "办理结果");
        let operator_department = texts(
            &self.operator_department,
            "operator_department",
            "办理科室或单位",
        );
        let decided_on = match self.decided_on.as_deref().map(str::trim) {
            None | Some("") => today,
            Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) if d < checked_on => {
                    errors.push((
                        "decided_on".into(),
                        "decided_on（办结日期）不能早于核查日期".into(),
                    ));
                    d
                }
                Ok(d) if d > today => {
                    errors.push((
                        "decided_on".into(),
                        "decided_on（办结日期）不能晚于今天".into(),
                    ));
                    d
                }
                Ok(d) => d,
                Err(_) => {
                    errors.push((
                        "decided_on".into(),
                        "decided_on（办结日期）格式不正确：请按 2026-12-01 的格式填写".into(),
                    ));
                    today
                }
            },
        };
        if errors.is_empty() {
            Ok(Feedback {
                items,
                outcome,
                operator_department,
                decided_on,
            })
        } else {
            Err(errors)
        }
    }
}

/// Whether feedback received on `received` is late for a check made on
/// `checked_on`: later than the last day the setting allows (`due`).
pub fn is_late(due: NaiveDate, received: NaiveDate) -> bool {
    received > due
}

/// A check id: `JC` and 20 hexadecimal digits, random (a check is not
/// found by counting).
pub fn is_check_id(raw: &str) -> bool {
    raw.len() == 22
        && raw.starts_with("JC")
        && raw[2..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> CheckBody {
        CheckBody {
            credit_code: Some("91110108551385082Q".into()),
            id_number: None,
            matter_code: "CG-2026-001".into(),
            matter_name: "政府采购供应商资格审查".into(),
            purpose: "审查投标供应商是否被列入严重失信主体名单".into(),
        }
    }

    fn fields(b: &CheckBody) -> Vec<&'static str> {
        b.check()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn a_check_names_one_subject_a_matter_and_a_purpose() {
        let ok = body().check().unwrap();
        assert_eq!(
            ok.subject,
            CheckedSubject::CreditCode("91110108551385082Q".into())
        );
        assert_eq!(
            fields(&CheckBody {
                credit_code: None,
                ..body()
            }),
            ["credit_code"]
        );
        assert_eq!(
            fields(&CheckBody {
                id_number: Some("110101199003074514".into()),
                ..body()
            }),
            ["id_number"]
        );
        assert_eq!(
            fields(&CheckBody {
                credit_code: Some("123".into()),
                ..body()
            }),
            ["credit_code"]
        );
        assert_eq!(
            fields(&CheckBody {
                purpose: " ".into(),
                ..body()
            }),
            ["purpose"]
        );
        assert_eq!(
            fields(&CheckBody {
                matter_code: "x".repeat(65),
                ..body()
            }),
            ["matter_code"]
        );
        assert_eq!(
            fields(&CheckBody {
                matter_name: String::new(),
                ..body()
            }),
            ["matter_name"]
        );
        let person = CheckBody {
            credit_code: None,
            id_number: Some("110101199003074514".into()),
            ..body()
        };
        let checked = person.check().unwrap();
        assert_eq!(checked.subject.registered(), "110101********4514");
        assert_eq!(
            fields(&CheckBody {
                id_number: Some("110101199003074515".into()),
                ..person
            }),
            ["id_number"]
        );
    }

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    fn item(code: &str, applied: Option<bool>, reason: Option<&str>) -> FeedbackItemBody {
        FeedbackItemBody {
            measure: code.into(),
            applied,
            reason: reason.map(str::to_string),
        }
    }

    fn feedback(items: Vec<FeedbackItemBody>) -> FeedbackBody {
        FeedbackBody {
            measures: items,
            outcome: "不予通过资格审查".into(),
            operator_department: "鹤岗市财政局政府采购监督管理科".into(),
            decided_on: None,
        }
    }

    fn faults(f: &FeedbackBody) -> Vec<String> {
        let answered = ["procurement_ban".to_string(), "bid_ban".to_string()];
        f.check(&answered, d(1), d(3))
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn a_measure_not_applied_needs_a_reason() {
        let ok = feedback(vec![
            item("procurement_ban", Some(true), None),
            item(
                "bid_ban",
                Some(false),
                Some("该项目不属于依法必须招标的项目"),
            ),
        ]);
        let answered = ["procurement_ban".to_string(), "bid_ban".to_string()];
        let checked = ok.check(&answered, d(1), d(3)).unwrap();
        assert_eq!(checked.decided_on, d(3));
        assert_eq!(checked.items.len(), 2);
        assert_eq!(
            faults(&feedback(vec![item("bid_ban", Some(false), Some("  "))])),
            ["measures[0].reason"]
        );
        assert_eq!(
            faults(&feedback(vec![item("bid_ban", None, None)])),
            ["measures[0].applied"]
        );
        assert_eq!(
            faults(&feedback(vec![item("exit_ban", Some(true), None)])),
            ["measures[0].measure"]
        );
        assert_eq!(
            faults(&feedback(vec![
                item("bid_ban", Some(true), None),
                item("bid_ban", Some(true), None)
            ])),
            ["measures[1].measure"]
        );
        assert_eq!(faults(&feedback(vec![])), ["measures"]);
        let mut f = feedback(vec![item("bid_ban", Some(true), None)]);
        f.outcome = String::new();
        f.decided_on = Some("2026-11-30".into());
        assert_eq!(faults(&f), ["outcome", "decided_on"]);
        f.outcome = "准予".into();
        f.decided_on = Some("2026-12-04".into());
        assert_eq!(faults(&f), ["decided_on"]);
        f.decided_on = Some("12/02".into());
        assert_eq!(faults(&f), ["decided_on"]);
    }

    #[test]
    fn late_is_after_the_due_day() {
        assert!(!is_late(d(8), d(8)));
        assert!(is_late(d(8), d(9)));
    }

    #[test]
    fn check_ids_have_one_shape() {
        assert!(is_check_id("JC0123456789ABCDEF0123"));
        assert!(!is_check_id("JC0123456789abcdef0123"));
        assert!(!is_check_id("JC0123456789ABCDEF012"));
        assert!(!is_check_id("XF0123456789ABCDEF0123"));
        assert!(!is_check_id("JC0123456789ABCDEF012\u{4e00}"));
    }
}
