//! Objections (异议), DOMAIN.md §12: a subject (or its agent) says one of
//! its records is wrong; the platform accepts the objection, the
//! determining authority verifies it and the subject gets a written answer
//! with its remedies, all within time limits.
//!
//! Lives here: what may be objected to ([`ObjectionTarget`]) and on which
//! grounds ([`ObjectionGround`]), the life cycle ([`ObjectionState`],
//! [`ObjectionAction`], [`transition`]) and its time limits
//! ([`deadline_setting`], [`next_deadline`]), when a record shows
//! 异议处理中 ([`is_under_objection`]), the public number
//! ([`ObjectionNumber`]) and the written answer ([`reply_sections`]).
//!
//! Heilongjiang's own limits are not confirmed, so every limit is a setting
//! with a default taken from the provinces DOMAIN.md §12 names.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::daily_number::daily_number_type;
use super::publication::format_date_cn;
use super::working_days::HolidayCalendar;

// ---------------------------------------------------------------------------
// What is objected to, and why
// ---------------------------------------------------------------------------

/// The kind of record an objection is about.
///
/// Codes agree with `model::RecordKind` where the kinds overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ObjectionTarget {
    /// 行政处罚信息.
    #[serde(rename = "penalty", alias = "Penalty")]
    Penalty,
    /// 行政许可信息.
    #[serde(rename = "license", alias = "License")]
    License,
    /// 严重失信主体名单信息.
    #[serde(rename = "serious", alias = "SeriousEntry")]
    SeriousEntry,
    /// 拟列入严重失信主体名单告知 (not yet public).
    #[serde(rename = "notice", alias = "PriorNotice")]
    PriorNotice,
}

impl ObjectionTarget {
    /// All kinds, in display order.
    pub const ALL: [ObjectionTarget; 4] = [
        ObjectionTarget::Penalty,
        ObjectionTarget::License,
        ObjectionTarget::SeriousEntry,
        ObjectionTarget::PriorNotice,
    ];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            ObjectionTarget::Penalty => "penalty",
            ObjectionTarget::License => "license",
            ObjectionTarget::SeriousEntry => "serious",
            ObjectionTarget::PriorNotice => "notice",
        }
    }

    /// Inverse of [`ObjectionTarget::code`] (exact match).
    pub fn from_code(code: &str) -> Option<ObjectionTarget> {
        ObjectionTarget::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ObjectionTarget::Penalty => "行政处罚信息",
            ObjectionTarget::License => "行政许可信息",
            ObjectionTarget::SeriousEntry => "严重失信主体名单信息",
            ObjectionTarget::PriorNotice => "拟列入严重失信主体名单告知",
        }
    }

    /// Whether the record is published (a prior notice is only served).
    pub fn is_published(self) -> bool {
        self != ObjectionTarget::PriorNotice
    }
}

/// A ground of objection, as the national and provincial channels list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ObjectionGround {
    /// 信息错误.
    #[serde(rename = "wrong", alias = "Wrong")]
    Wrong,
    /// 信息遗漏.
    #[serde(rename = "missing", alias = "Missing")]
    Missing,
    /// 重复公示.
    #[serde(rename = "duplicate", alias = "Duplicate")]
    Duplicate,
    /// 不应公示.
    #[serde(rename = "not_publishable", alias = "NotPublishable")]
    NotPublishable,
    /// 超期公示.
    #[serde(rename = "overdue", alias = "Overdue")]
    Overdue,
    /// 与认定单位原始信息不一致.
    #[serde(rename = "inconsistent", alias = "Inconsistent")]
    Inconsistent,
    /// 不符合列入（或应移出）名单条件.
    #[serde(rename = "listing_conditions", alias = "ListingConditions")]
    ListingConditions,
}

impl ObjectionGround {
    /// All grounds, in display order.
    pub const ALL: [ObjectionGround; 7] = [
        ObjectionGround::Wrong,
        ObjectionGround::Missing,
        ObjectionGround::Duplicate,
        ObjectionGround::NotPublishable,
        ObjectionGround::Overdue,
        ObjectionGround::Inconsistent,
        ObjectionGround::ListingConditions,
    ];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            ObjectionGround::Wrong => "wrong",
            ObjectionGround::Missing => "missing",
            ObjectionGround::Duplicate => "duplicate",
            ObjectionGround::NotPublishable => "not_publishable",
            ObjectionGround::Overdue => "overdue",
            ObjectionGround::Inconsistent => "inconsistent",
            ObjectionGround::ListingConditions => "listing_conditions",
        }
    }

    /// Inverse of [`ObjectionGround::code`] (exact match).
    pub fn from_code(code: &str) -> Option<ObjectionGround> {
        ObjectionGround::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ObjectionGround::Wrong => "信息错误",
            ObjectionGround::Missing => "信息遗漏",
            ObjectionGround::Duplicate => "重复公示",
            ObjectionGround::NotPublishable => "不应公示",
            ObjectionGround::Overdue => "超期公示",
            ObjectionGround::Inconsistent => "与认定单位原始信息不一致",
            ObjectionGround::ListingConditions => "不符合列入（或应移出）名单条件",
        }
    }

    /// Whether the ground can be raised against a record of `target` kind:
    /// listing conditions only against list entries and prior notices;
    /// grounds about publication only against published records.
    pub fn applies_to(self, target: ObjectionTarget) -> bool {
        match self {
            ObjectionGround::ListingConditions => matches!(
                target,
                ObjectionTarget::SeriousEntry | ObjectionTarget::PriorNotice
            ),
            ObjectionGround::Duplicate
            | ObjectionGround::NotPublishable
            | ObjectionGround::Overdue => target.is_published(),
            ObjectionGround::Wrong | ObjectionGround::Missing | ObjectionGround::Inconsistent => {
                true
            }
        }
    }

    /// The grounds a form offers for `target`, in display order.
    pub fn for_target(target: ObjectionTarget) -> Vec<ObjectionGround> {
        ObjectionGround::ALL
            .into_iter()
            .filter(|g| g.applies_to(target))
            .collect()
    }
}

/// Checks the grounds ticked on a form for a record of `target` kind: at
/// least one, each applicable.
pub fn check_grounds(target: ObjectionTarget, grounds: &[ObjectionGround]) -> Result<(), String> {
    if grounds.is_empty() {
        return Err("请至少选择一项异议理由".into());
    }
    if let Some(g) = grounds.iter().find(|g| !g.applies_to(target)) {
        return Err(format!(
            "“{}”不适用于{}，请重新选择异议理由",
            g.label(),
            target.label()
        ));
    }
    Ok(())
}

/// What verification found, and what was done about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ObjectionOutcome {
    /// 更正.
    #[serde(rename = "corrected", alias = "Corrected")]
    Corrected,
    /// 补充.
    #[serde(rename = "completed", alias = "Completed")]
    Completed,
    /// 删除.
    #[serde(rename = "deleted", alias = "Deleted")]
    Deleted,
    /// 停止公示.
    #[serde(rename = "publication_stopped", alias = "PublicationStopped")]
    PublicationStopped,
    /// 移出名单.
    #[serde(rename = "removed_from_list", alias = "RemovedFromList")]
    RemovedFromList,
    /// 维持: the objection does not hold; reasons and remedies are given.
    #[serde(rename = "kept", alias = "Kept")]
    Kept,
}

impl ObjectionOutcome {
    /// All outcomes, in display order.
    pub const ALL: [ObjectionOutcome; 6] = [
        ObjectionOutcome::Corrected,
        ObjectionOutcome::Completed,
        ObjectionOutcome::Deleted,
        ObjectionOutcome::PublicationStopped,
        ObjectionOutcome::RemovedFromList,
        ObjectionOutcome::Kept,
    ];

    /// Stable ASCII code.
    pub fn code(self) -> &'static str {
        match self {
            ObjectionOutcome::Corrected => "corrected",
            ObjectionOutcome::Completed => "completed",
            ObjectionOutcome::Deleted => "deleted",
            ObjectionOutcome::PublicationStopped => "publication_stopped",
            ObjectionOutcome::RemovedFromList => "removed_from_list",
            ObjectionOutcome::Kept => "kept",
        }
    }

    /// Inverse of [`ObjectionOutcome::code`] (exact match).
    pub fn from_code(code: &str) -> Option<ObjectionOutcome> {
        ObjectionOutcome::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Chinese label (the act).
    pub fn label(self) -> &'static str {
        match self {
            ObjectionOutcome::Corrected => "更正",
            ObjectionOutcome::Completed => "补充",
            ObjectionOutcome::Deleted => "删除",
            ObjectionOutcome::PublicationStopped => "停止公示",
            ObjectionOutcome::RemovedFromList => "移出名单",
            ObjectionOutcome::Kept => "维持",
        }
    }

    /// Whether the objection was upheld (anything but [`Self::Kept`]).
    pub fn upholds(self) -> bool {
        self != ObjectionOutcome::Kept
    }

    /// Whether the outcome can be given for a record of `target` kind:
    /// removal from the list only for list entries, stopping publication
    /// only for published records. For a prior notice, `Deleted` means the
    /// notice is withdrawn (the listing procedure is then withdrawn too).
    pub fn applies_to(self, target: ObjectionTarget) -> bool {
        match self {
            ObjectionOutcome::RemovedFromList => target == ObjectionTarget::SeriousEntry,
            ObjectionOutcome::PublicationStopped => target.is_published(),
            ObjectionOutcome::Corrected
            | ObjectionOutcome::Completed
            | ObjectionOutcome::Deleted
            | ObjectionOutcome::Kept => true,
        }
    }

    /// The first sentence of the written answer.
    fn finding(self) -> &'static str {
        match self {
            ObjectionOutcome::Corrected => "经核实，异议信息有误，已予更正。",
            ObjectionOutcome::Completed => "经核实，异议信息存在遗漏，已予补充。",
            ObjectionOutcome::Deleted => "经核实，该信息不应记录，已予删除。",
            ObjectionOutcome::PublicationStopped => "经核实，该信息不应继续公示，已停止公示。",
            ObjectionOutcome::RemovedFromList => {
                "经核实，不符合列入严重失信主体名单的条件（或已符合移出条件），已移出名单。"
            }
            ObjectionOutcome::Kept => "经核实，异议理由不成立，维持原信息。",
        }
    }
}

// ---------------------------------------------------------------------------
// Life cycle
// ---------------------------------------------------------------------------

/// Where an objection stands.
///
/// Serialised as its [`ObjectionState::code`] (a decided objection as
/// `decided_` + the outcome's code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ObjectionState {
    /// 已提交: waiting for acceptance.
    Submitted,
    /// 已受理: being verified; the record shows 异议处理中.
    Accepted,
    /// 待补正: the subject must supply materials (asked once only).
    NeedsSupplement,
    /// 已办结 with the outcome (final).
    Decided(ObjectionOutcome),
    /// 不予受理 (final), e.g. a repeated objection with no new facts.
    Refused,
    /// 已撤回 by the subject (final).
    Withdrawn,
}

impl ObjectionState {
    /// All states, in life-cycle order.
    pub const ALL: [ObjectionState; 11] = [
        ObjectionState::Submitted,
        ObjectionState::Accepted,
        ObjectionState::NeedsSupplement,
        ObjectionState::Decided(ObjectionOutcome::Corrected),
        ObjectionState::Decided(ObjectionOutcome::Completed),
        ObjectionState::Decided(ObjectionOutcome::Deleted),
        ObjectionState::Decided(ObjectionOutcome::PublicationStopped),
        ObjectionState::Decided(ObjectionOutcome::RemovedFromList),
        ObjectionState::Decided(ObjectionOutcome::Kept),
        ObjectionState::Refused,
        ObjectionState::Withdrawn,
    ];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            ObjectionState::Submitted => "submitted",
            ObjectionState::Accepted => "accepted",
            ObjectionState::NeedsSupplement => "needs_supplement",
            ObjectionState::Decided(ObjectionOutcome::Corrected) => "decided_corrected",
            ObjectionState::Decided(ObjectionOutcome::Completed) => "decided_completed",
            ObjectionState::Decided(ObjectionOutcome::Deleted) => "decided_deleted",
            ObjectionState::Decided(ObjectionOutcome::PublicationStopped) => {
                "decided_publication_stopped"
            }
            ObjectionState::Decided(ObjectionOutcome::RemovedFromList) => {
                "decided_removed_from_list"
            }
            ObjectionState::Decided(ObjectionOutcome::Kept) => "decided_kept",
            ObjectionState::Refused => "refused",
            ObjectionState::Withdrawn => "withdrawn",
        }
    }

    /// Inverse of [`ObjectionState::code`] (exact match).
    pub fn from_code(code: &str) -> Option<ObjectionState> {
        ObjectionState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Chinese label shown to the subject and staff.
    pub fn label(self) -> &'static str {
        match self {
            ObjectionState::Submitted => "已提交",
            ObjectionState::Accepted => "已受理",
            ObjectionState::NeedsSupplement => "待补正",
            ObjectionState::Decided(ObjectionOutcome::Corrected) => "已更正",
            ObjectionState::Decided(ObjectionOutcome::Completed) => "已补充",
            ObjectionState::Decided(ObjectionOutcome::Deleted) => "已删除",
            ObjectionState::Decided(ObjectionOutcome::PublicationStopped) => "已停止公示",
            ObjectionState::Decided(ObjectionOutcome::RemovedFromList) => "已移出名单",
            ObjectionState::Decided(ObjectionOutcome::Kept) => "维持原信息",
            ObjectionState::Refused => "不予受理",
            ObjectionState::Withdrawn => "已撤回",
        }
    }

    /// Whether the objection is still being handled.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ObjectionState::Submitted | ObjectionState::Accepted | ObjectionState::NeedsSupplement
        )
    }
}

impl TryFrom<String> for ObjectionState {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ObjectionState::from_code(&s).ok_or_else(|| format!("未知的异议状态“{s}”"))
    }
}

impl From<ObjectionState> for String {
    fn from(s: ObjectionState) -> String {
        s.code().to_string()
    }
}

/// Whether a record with an objection in `state` shows 异议处理中.
///
/// From acceptance until the decision. DOMAIN.md §12 says "mark at once"
/// and Shanghai "within 1 working day"; acceptance itself is due within one
/// working day (`objection.accept_working_days`), so marking on acceptance
/// meets both, while a bare submission — possibly incomplete, repeated or
/// not the subject's — cannot put a mark on a public record by itself.
pub fn is_under_objection(state: ObjectionState) -> bool {
    state == MARKED_STATE
}

/// The one state in which a record shows 异议处理中 (see
/// [`is_under_objection`]), for a store's lookup.
pub const MARKED_STATE: ObjectionState = ObjectionState::Accepted;

/// Something done to an objection, by staff or by the subject.
///
/// Serialised as its [`ObjectionAction::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ObjectionAction {
    /// 受理 (platform).
    Accept,
    /// 要求补正 (platform, once, before acceptance).
    RequestSupplement,
    /// 提交补正材料 (subject).
    Supplement,
    /// 延长核查期限 (authority, once, complex cases).
    Extend,
    /// 作出核查结论 (authority).
    Decide(ObjectionOutcome),
    /// 不予受理 (platform).
    Refuse,
    /// 撤回异议 (subject).
    Withdraw,
}

impl ObjectionAction {
    /// All actions, in display order.
    pub const ALL: [ObjectionAction; 12] = [
        ObjectionAction::Accept,
        ObjectionAction::RequestSupplement,
        ObjectionAction::Supplement,
        ObjectionAction::Extend,
        ObjectionAction::Decide(ObjectionOutcome::Corrected),
        ObjectionAction::Decide(ObjectionOutcome::Completed),
        ObjectionAction::Decide(ObjectionOutcome::Deleted),
        ObjectionAction::Decide(ObjectionOutcome::PublicationStopped),
        ObjectionAction::Decide(ObjectionOutcome::RemovedFromList),
        ObjectionAction::Decide(ObjectionOutcome::Kept),
        ObjectionAction::Refuse,
        ObjectionAction::Withdraw,
    ];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            ObjectionAction::Accept => "accept",
            ObjectionAction::RequestSupplement => "request_supplement",
            ObjectionAction::Supplement => "supplement",
            ObjectionAction::Extend => "extend",
            ObjectionAction::Decide(ObjectionOutcome::Corrected) => "decide_corrected",
            ObjectionAction::Decide(ObjectionOutcome::Completed) => "decide_completed",
            ObjectionAction::Decide(ObjectionOutcome::Deleted) => "decide_deleted",
            ObjectionAction::Decide(ObjectionOutcome::PublicationStopped) => {
                "decide_publication_stopped"
            }
            ObjectionAction::Decide(ObjectionOutcome::RemovedFromList) => {
                "decide_removed_from_list"
            }
            ObjectionAction::Decide(ObjectionOutcome::Kept) => "decide_kept",
            ObjectionAction::Refuse => "refuse",
            ObjectionAction::Withdraw => "withdraw",
        }
    }

    /// Inverse of [`ObjectionAction::code`] (exact match).
    pub fn from_code(code: &str) -> Option<ObjectionAction> {
        ObjectionAction::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Chinese label for buttons and the history log.
    pub fn label(self) -> &'static str {
        match self {
            ObjectionAction::Accept => "受理",
            ObjectionAction::RequestSupplement => "要求补正",
            ObjectionAction::Supplement => "提交补正材料",
            ObjectionAction::Extend => "延长核查期限",
            ObjectionAction::Decide(ObjectionOutcome::Corrected) => "予以更正",
            ObjectionAction::Decide(ObjectionOutcome::Completed) => "予以补充",
            ObjectionAction::Decide(ObjectionOutcome::Deleted) => "予以删除",
            ObjectionAction::Decide(ObjectionOutcome::PublicationStopped) => "停止公示",
            ObjectionAction::Decide(ObjectionOutcome::RemovedFromList) => "移出名单",
            ObjectionAction::Decide(ObjectionOutcome::Kept) => "维持原信息",
            ObjectionAction::Refuse => "不予受理",
            ObjectionAction::Withdraw => "撤回异议",
        }
    }

    /// Whether the subject (rather than staff) performs it.
    pub fn by_subject(self) -> bool {
        matches!(
            self,
            ObjectionAction::Supplement | ObjectionAction::Withdraw
        )
    }

    /// What text the action needs, for the message when it is blank: what
    /// to supplement, why the limit is extended, the reasons of a decision
    /// (every outcome is answered in writing) or of a refusal.
    pub fn required_text(self) -> Option<&'static str> {
        match self {
            ObjectionAction::RequestSupplement => Some("需要补正的材料及要求"),
            ObjectionAction::Extend => Some("延长核查期限的理由"),
            ObjectionAction::Decide(_) => Some("核查结论的理由"),
            ObjectionAction::Refuse => Some("不予受理的理由（如重复异议且无新的事实和理由）"),
            ObjectionAction::Accept | ObjectionAction::Supplement | ObjectionAction::Withdraw => {
                None
            }
        }
    }

    /// Verb phrase used inside error sentences.
    fn verb(self) -> &'static str {
        match self {
            ObjectionAction::Accept => "受理",
            ObjectionAction::RequestSupplement => "要求补正",
            ObjectionAction::Supplement => "提交补正材料",
            ObjectionAction::Extend => "延长核查期限",
            ObjectionAction::Decide(_) => "作出核查结论",
            ObjectionAction::Refuse => "作出不予受理决定",
            ObjectionAction::Withdraw => "撤回",
        }
    }
}

impl TryFrom<String> for ObjectionAction {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ObjectionAction::from_code(&s).ok_or_else(|| format!("未知的异议操作“{s}”"))
    }
}

impl From<ObjectionAction> for String {
    fn from(a: ObjectionAction) -> String {
        a.code().to_string()
    }
}

/// What the rules need to know about the objection on the day of the action.
#[derive(Clone, Copy, Debug)]
pub struct ObjectionContext<'a> {
    /// The day of the action (China date).
    pub today: NaiveDate,
    /// The kind of record objected to.
    pub target: ObjectionTarget,
    /// Whether a supplement has been asked for before (it may be asked
    /// once: everything missing is named at the first request).
    pub supplement_requested: bool,
    /// Last day of the subject's supplement; None when none was asked.
    pub supplement_deadline: Option<NaiveDate>,
    /// Whether the verification limit has already been extended.
    pub extended: bool,
    /// The text that goes with the action (see
    /// [`ObjectionAction::required_text`]).
    pub text: &'a str,
}

impl<'a> ObjectionContext<'a> {
    /// A context for `today` on a record of `target` kind, with nothing
    /// asked or extended yet and no text.
    pub fn new(today: NaiveDate, target: ObjectionTarget) -> Self {
        ObjectionContext {
            today,
            target,
            supplement_requested: false,
            supplement_deadline: None,
            extended: false,
            text: "",
        }
    }
}

/// An action that is not allowed now, with the reason in Chinese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitionError {
    /// The state the objection is in.
    pub from: ObjectionState,
    /// The action that was attempted.
    pub action: ObjectionAction,
    /// Why, for the user, as-is.
    pub message: String,
    /// The first day the action becomes possible, when only time stands
    /// in the way.
    pub possible_from: Option<NaiveDate>,
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransitionError {}

/// The state after `action`, or why it is not allowed now.
///
/// submitted → accepted (Accept) | needs_supplement (RequestSupplement,
/// once) | refused (Refuse) | withdrawn;
/// needs_supplement → submitted (Supplement: checked again before
/// acceptance) | refused (Refuse, once the supplement limit has passed) |
/// withdrawn;
/// accepted → accepted (Extend, once) | decided (Decide, with an outcome
/// that fits the record) | withdrawn;
/// decided, refused and withdrawn are final.
///
/// Supplement is asked before acceptance only: once accepted, the
/// authority verifies with what it has and answers (keeping the record,
/// with reasons, when the evidence is not enough).
pub fn transition(
    from: ObjectionState,
    action: ObjectionAction,
    ctx: &ObjectionContext<'_>,
) -> Result<ObjectionState, TransitionError> {
    use ObjectionAction as A;
    use ObjectionState as S;
    let refuse = |message: String, possible_from: Option<NaiveDate>| TransitionError {
        from,
        action,
        message,
        possible_from,
    };
    let to = match (from, action) {
        (S::Submitted, A::Accept) => S::Accepted,
        (S::Submitted, A::RequestSupplement) => {
            if ctx.supplement_requested {
                return Err(refuse(
                    "补正材料只能一次性告知，已经要求过补正；请根据现有材料受理或者不予受理".into(),
                    None,
                ));
            }
            S::NeedsSupplement
        }
        (S::NeedsSupplement, A::Supplement) => S::Submitted,
        (S::Submitted, A::Refuse) => S::Refused,
        (S::NeedsSupplement, A::Refuse) => {
            let Some(deadline) = ctx.supplement_deadline else {
                return Err(refuse("未记录补正期限，不能作出不予受理决定".into(), None));
            };
            if ctx.today <= deadline {
                let opens = deadline
                    .checked_add_days(Days::new(1))
                    .unwrap_or(NaiveDate::MAX);
                return Err(refuse(
                    format!(
                        "补正期限至{}届满，届满前不能作出不予受理决定；逾期未补正的，自{}起可以不予受理",
                        format_date_cn(deadline),
                        format_date_cn(opens)
                    ),
                    Some(opens),
                ));
            }
            S::Refused
        }
        (S::Accepted, A::Extend) => {
            if ctx.extended {
                return Err(refuse("核查期限已经延长过一次，不能再次延长".into(), None));
            }
            S::Accepted
        }
        (S::Accepted, A::Decide(outcome)) => {
            if !outcome.applies_to(ctx.target) {
                return Err(refuse(
                    format!(
                        "{}不适用“{}”的处理结果，请选择其他结论",
                        ctx.target.label(),
                        outcome.label()
                    ),
                    None,
                ));
            }
            S::Decided(outcome)
        }
        (S::Submitted | S::Accepted | S::NeedsSupplement, A::Withdraw) => S::Withdrawn,
        _ => {
            let not = if from.is_open() {
                "不能"
            } else {
                "不能再"
            };
            return Err(refuse(
                format!("该异议当前状态为“{}”，{not}{}", from.label(), action.verb()),
                None,
            ));
        }
    };
    if let Some(what) = action.required_text() {
        if ctx.text.trim().is_empty() {
            return Err(refuse(format!("请填写{what}"), None));
        }
    }
    Ok(to)
}

// ---------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------

/// Acceptance: 1 working day (Shanghai's limit for marking the record).
pub const ACCEPT_SETTING: (&str, u32) = ("objection.accept_working_days", 1);
/// Verification by the authority after acceptance: 7 working days
/// (Henan's overall limit; Shanghai 2+5).
pub const VERIFY_SETTING: (&str, u32) = ("objection.verify_working_days", 7);
/// The subject's supplement: 10 working days, as for repair applications
/// (no figure in DOMAIN.md §12).
pub const SUPPLEMENT_SETTING: (&str, u32) = ("objection.supplement_working_days", 10);
/// Verification of a complex case, extension included, in total from
/// acceptance: 20 working days (Zhejiang).
pub const EXTENDED_TOTAL_SETTING: (&str, u32) = ("objection.extended_total_working_days", 20);

/// The time limit an action starts, as (setting key, default working
/// days): a submission (None) or supplemented materials start the
/// acceptance limit, acceptance the verification limit, a request to
/// supplement the subject's limit, an extension the total limit — counted
/// from acceptance, not from the extension (see [`next_deadline`]).
/// Decisions, refusals and withdrawal end the clock.
pub fn deadline_setting(action: Option<ObjectionAction>) -> Option<(&'static str, u32)> {
    match action {
        None | Some(ObjectionAction::Supplement) => Some(ACCEPT_SETTING),
        Some(ObjectionAction::Accept) => Some(VERIFY_SETTING),
        Some(ObjectionAction::RequestSupplement) => Some(SUPPLEMENT_SETTING),
        Some(ObjectionAction::Extend) => Some(EXTENDED_TOTAL_SETTING),
        Some(ObjectionAction::Decide(_) | ObjectionAction::Refuse | ObjectionAction::Withdraw) => {
            None
        }
    }
}

/// The deadline `action` (None: the submission) taken on `acted_on` starts,
/// with `working_days` read from its setting ([`deadline_setting`]): an
/// extension counts from `accepted_on`, everything else from the day of the
/// action. None when the action ends the clock, or for an extension without
/// an acceptance date. An extension never shortens the time: it is at
/// least the day the action was taken.
pub fn next_deadline(
    action: Option<ObjectionAction>,
    acted_on: NaiveDate,
    accepted_on: Option<NaiveDate>,
    working_days: u32,
    calendar: &HolidayCalendar,
) -> Option<NaiveDate> {
    deadline_setting(action)?;
    let days = working_days.max(1);
    if action == Some(ObjectionAction::Extend) {
        let total = calendar.add_working_days(accepted_on?, days);
        return Some(total.max(acted_on));
    }
    Some(calendar.add_working_days(acted_on, days))
}

// ---------------------------------------------------------------------------
// Objection number
// ---------------------------------------------------------------------------

daily_number_type!(
    /// Public number of an objection: `YY` (异议) + date + 5-digit daily
    /// sequence, e.g. `YY2026120100001`.
    ObjectionNumber,
    "YY",
    "异议编号"
);

// ---------------------------------------------------------------------------
// The written answer
// ---------------------------------------------------------------------------

/// The remedies every answer states.
pub const OBJECTION_REMEDIES: &str = "如对本异议处理结果不服，可以自收到本答复之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。";

/// The sections of the written answer, in order, as (heading, body):
/// 处理结果, 理由 (the staff's `reasons`), 救济途径.
pub fn reply_sections(outcome: ObjectionOutcome, reasons: &str) -> Vec<(&'static str, String)> {
    vec![
        ("处理结果", outcome.finding().to_string()),
        ("理由", reasons.trim().to_string()),
        ("救济途径", OBJECTION_REMEDIES.to_string()),
    ]
}

// ---------------------------------------------------------------------------
// The objector's pledge
// ---------------------------------------------------------------------------

/// Title of the pledge an objector signs.
pub const OBJECTION_PLEDGE_TITLE: &str = "异议申诉承诺书";

/// What the pledge names: the subject and the record objected to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectionPledgeFacts {
    /// The subject's public name.
    pub subject_name: String,
    pub target: ObjectionTarget,
    /// The record's document number (决定书文号 or 许可文书号).
    pub doc_no: String,
    /// The department that made the record.
    pub authority: String,
}

/// The paragraphs of the 异议申诉承诺书 (without its title), generated
/// from the record so the objector signs what it objects to.
pub fn objection_pledge_text(f: &ObjectionPledgeFacts) -> Vec<String> {
    vec![
        format!(
            "承诺人就{authority}公示的{name}{kind}（文号：{doc_no}）提出异议申诉，并郑重承诺：",
            authority = f.authority.trim(),
            name = f.subject_name.trim(),
            kind = f.target.label(),
            doc_no = f.doc_no.trim(),
        ),
        "一、本人（本单位）是该信息的信用主体或者经其合法授权的代理人。".to_string(),
        "二、所陈述的异议事实和理由以及提交的证明材料均真实、准确、完整，不存在虚构、隐瞒、篡改或者伪造的情形。".to_string(),
        "三、自愿接受认定单位和信用信息管理部门的核实。如有不实，愿意承担由此产生的法律责任，虚假申诉行为将依法依规记入信用记录。".to_string(),
        "特此承诺。".to_string(),
    ]
}

impl ObjectionTarget {
    /// The kind of a published record objected to (a prior notice is
    /// not a public record).
    pub fn of_record(kind: crate::model::RecordKind) -> ObjectionTarget {
        match kind {
            crate::model::RecordKind::Penalty => ObjectionTarget::Penalty,
            crate::model::RecordKind::License => ObjectionTarget::License,
            crate::model::RecordKind::Serious => ObjectionTarget::SeriousEntry,
        }
    }
}

/// The grounds of an objection as stored: their codes, comma-separated.
pub fn grounds_code(grounds: &[ObjectionGround]) -> String {
    grounds
        .iter()
        .map(|g| g.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// Inverse of [`grounds_code`]; unknown codes are an error.
pub fn parse_grounds_code(s: &str) -> Result<Vec<ObjectionGround>, String> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .map(|c| ObjectionGround::from_code(c).ok_or_else(|| format!("未知的异议理由“{c}”")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::working_days::{CalendarEntry, DayKind};
    use proptest::prelude::*;

    use ObjectionAction as A;
    use ObjectionOutcome as O;
    use ObjectionState as S;
    use ObjectionTarget as T;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    /// Every condition in favour: only state and action decide.
    fn open_ctx() -> ObjectionContext<'static> {
        ObjectionContext {
            today: d(2026, 12, 20),
            target: T::SeriousEntry,
            supplement_requested: false,
            supplement_deadline: Some(d(2026, 12, 10)),
            extended: false,
            text: "理由",
        }
    }

    #[test]
    fn codes_and_labels() {
        for t in T::ALL {
            assert_eq!(T::from_code(t.code()), Some(t));
        }
        assert_eq!(
            T::SeriousEntry.code(),
            crate::model::RecordKind::Serious.code()
        );
        assert_eq!(T::Penalty.code(), crate::model::RecordKind::Penalty.code());
        assert_eq!(T::License.code(), crate::model::RecordKind::License.code());
        let grounds = [
            "信息错误",
            "信息遗漏",
            "重复公示",
            "不应公示",
            "超期公示",
            "与认定单位原始信息不一致",
            "不符合列入（或应移出）名单条件",
        ];
        for (g, label) in ObjectionGround::ALL.into_iter().zip(grounds) {
            assert_eq!(g.label(), label);
            assert_eq!(ObjectionGround::from_code(g.code()), Some(g));
        }
        let outcomes = ["更正", "补充", "删除", "停止公示", "移出名单", "维持"];
        for (o, label) in O::ALL.into_iter().zip(outcomes) {
            assert_eq!(o.label(), label);
            assert_eq!(O::from_code(o.code()), Some(o));
        }
        let mut codes: Vec<&str> = S::ALL.into_iter().map(S::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), S::ALL.len());
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
            assert!(!s.label().is_empty());
        }
        for a in A::ALL {
            assert_eq!(A::from_code(a.code()), Some(a));
        }
        assert_eq!(S::Submitted.label(), "已提交");
        assert_eq!(S::NeedsSupplement.label(), "待补正");
        assert_eq!(S::Refused.label(), "不予受理");
        assert_eq!(S::Withdrawn.label(), "已撤回");
    }

    #[test]
    fn serde_uses_codes() {
        use serde::de::value::{Error, StringDeserializer};
        for s in S::ALL {
            let back = S::deserialize(StringDeserializer::<Error>::new(s.code().to_string()));
            assert_eq!(back.ok(), Some(s));
            assert_eq!(String::from(s), s.code());
        }
        for a in A::ALL {
            let back = A::deserialize(StringDeserializer::<Error>::new(a.code().to_string()));
            assert_eq!(back.ok(), Some(a));
        }
        assert!(S::deserialize(StringDeserializer::<Error>::new("decided".to_string())).is_err());
    }

    #[test]
    fn grounds_by_record_kind() {
        use ObjectionGround as G;
        // Listing conditions: list entries and notices only.
        assert!(G::ListingConditions.applies_to(T::SeriousEntry));
        assert!(G::ListingConditions.applies_to(T::PriorNotice));
        assert!(!G::ListingConditions.applies_to(T::Penalty));
        assert!(!G::ListingConditions.applies_to(T::License));
        // A notice is not published: no publication grounds.
        assert_eq!(
            G::for_target(T::PriorNotice),
            [G::Wrong, G::Missing, G::Inconsistent, G::ListingConditions]
        );
        assert_eq!(G::for_target(T::Penalty).len(), 6);
        assert_eq!(G::for_target(T::SeriousEntry).len(), 7);
        assert_eq!(check_grounds(T::Penalty, &[G::Wrong, G::Overdue]), Ok(()));
        assert_eq!(
            check_grounds(T::Penalty, &[]).unwrap_err(),
            "请至少选择一项异议理由"
        );
        assert_eq!(
            check_grounds(T::License, &[G::Wrong, G::ListingConditions]).unwrap_err(),
            "“不符合列入（或应移出）名单条件”不适用于行政许可信息，请重新选择异议理由"
        );
        assert!(check_grounds(T::PriorNotice, &[G::Overdue]).is_err());
    }

    #[test]
    fn transition_table_exhaustive() {
        let allowed: Vec<(S, A, S)> = {
            let mut v = vec![
                (S::Submitted, A::Accept, S::Accepted),
                (S::Submitted, A::RequestSupplement, S::NeedsSupplement),
                (S::Submitted, A::Refuse, S::Refused),
                (S::Submitted, A::Withdraw, S::Withdrawn),
                (S::NeedsSupplement, A::Supplement, S::Submitted),
                (S::NeedsSupplement, A::Refuse, S::Refused),
                (S::NeedsSupplement, A::Withdraw, S::Withdrawn),
                (S::Accepted, A::Extend, S::Accepted),
                (S::Accepted, A::Withdraw, S::Withdrawn),
            ];
            v.extend(
                O::ALL
                    .into_iter()
                    .map(|o| (S::Accepted, A::Decide(o), S::Decided(o))),
            );
            v
        };
        let ctx = open_ctx();
        for from in S::ALL {
            for action in A::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                let got = transition(from, action, &ctx);
                match expected {
                    Some(to) => assert_eq!(got, Ok(to), "{from:?} {action:?}"),
                    None => assert!(got.is_err(), "{from:?} {action:?} → {got:?}"),
                }
            }
        }
        for from in S::ALL.into_iter().filter(|s| !s.is_open()) {
            assert!(A::ALL
                .into_iter()
                .all(|a| transition(from, a, &ctx).is_err()));
        }
        let e = transition(S::Decided(O::Kept), A::Withdraw, &ctx).unwrap_err();
        assert_eq!(e.to_string(), "该异议当前状态为“维持原信息”，不能再撤回");
        let e = transition(S::Submitted, A::Decide(O::Kept), &ctx).unwrap_err();
        assert_eq!(e.to_string(), "该异议当前状态为“已提交”，不能作出核查结论");
    }

    #[test]
    fn supplement_is_asked_once() {
        let ctx = ObjectionContext {
            text: "请补充法院生效判决书",
            ..ObjectionContext::new(d(2026, 12, 1), T::Penalty)
        };
        assert_eq!(
            transition(S::Submitted, A::RequestSupplement, &ctx),
            Ok(S::NeedsSupplement)
        );
        let again = ObjectionContext {
            supplement_requested: true,
            ..ctx
        };
        let e = transition(S::Submitted, A::RequestSupplement, &again).unwrap_err();
        assert!(e.message.contains("一次性告知"), "{e}");
        // After the supplement, it can still be accepted.
        assert_eq!(transition(S::Submitted, A::Accept, &again), Ok(S::Accepted));
        // And once accepted there is no supplement at all.
        assert!(transition(S::Accepted, A::RequestSupplement, &ctx).is_err());
        let blank = ObjectionContext { text: " ", ..ctx };
        assert_eq!(
            transition(S::Submitted, A::RequestSupplement, &blank)
                .unwrap_err()
                .message,
            "请填写需要补正的材料及要求"
        );
    }

    #[test]
    fn refusal_of_an_unsupplemented_objection_waits_for_its_deadline() {
        let ctx = |today| ObjectionContext {
            supplement_requested: true,
            supplement_deadline: Some(d(2026, 12, 14)),
            text: "逾期未补正",
            ..ObjectionContext::new(today, T::Penalty)
        };
        let e = transition(S::NeedsSupplement, A::Refuse, &ctx(d(2026, 12, 14))).unwrap_err();
        assert_eq!(
            e.message,
            "补正期限至2026年12月14日届满，届满前不能作出不予受理决定；逾期未补正的，自2026年12月15日起可以不予受理"
        );
        assert_eq!(e.possible_from, Some(d(2026, 12, 15)));
        assert_eq!(
            transition(S::NeedsSupplement, A::Refuse, &ctx(d(2026, 12, 15))),
            Ok(S::Refused)
        );
        let none = ObjectionContext {
            supplement_deadline: None,
            ..ctx(d(2027, 1, 1))
        };
        assert!(transition(S::NeedsSupplement, A::Refuse, &none).is_err());
        // A repeated objection is refused on submission, with reasons.
        let c = ObjectionContext::new(d(2026, 12, 1), T::Penalty);
        assert!(transition(S::Submitted, A::Refuse, &c)
            .unwrap_err()
            .message
            .starts_with("请填写不予受理的理由"));
        let c = ObjectionContext {
            text: "重复异议，无新的事实和理由",
            ..c
        };
        assert_eq!(transition(S::Submitted, A::Refuse, &c), Ok(S::Refused));
    }

    #[test]
    fn extension_is_once() {
        let ctx = ObjectionContext {
            text: "需调取原始案卷",
            ..ObjectionContext::new(d(2026, 12, 1), T::Penalty)
        };
        assert_eq!(transition(S::Accepted, A::Extend, &ctx), Ok(S::Accepted));
        let again = ObjectionContext {
            extended: true,
            ..ctx
        };
        assert!(transition(S::Accepted, A::Extend, &again)
            .unwrap_err()
            .message
            .contains("不能再次延长"));
        let blank = ObjectionContext { text: "", ..ctx };
        assert!(transition(S::Accepted, A::Extend, &blank).is_err());
    }

    #[test]
    fn outcomes_fit_the_record() {
        let ctx = |target| ObjectionContext {
            text: "经核实",
            ..ObjectionContext::new(d(2026, 12, 1), target)
        };
        assert_eq!(
            transition(
                S::Accepted,
                A::Decide(O::RemovedFromList),
                &ctx(T::SeriousEntry)
            ),
            Ok(S::Decided(O::RemovedFromList))
        );
        for t in [T::Penalty, T::License, T::PriorNotice] {
            assert!(
                transition(S::Accepted, A::Decide(O::RemovedFromList), &ctx(t)).is_err(),
                "{t:?}"
            );
        }
        let e = transition(
            S::Accepted,
            A::Decide(O::PublicationStopped),
            &ctx(T::PriorNotice),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "拟列入严重失信主体名单告知不适用“停止公示”的处理结果，请选择其他结论"
        );
        // Every decision needs reasons, a kept record above all.
        let blank = ObjectionContext {
            text: "\u{3000}",
            ..ctx(T::Penalty)
        };
        assert_eq!(
            transition(S::Accepted, A::Decide(O::Kept), &blank)
                .unwrap_err()
                .message,
            "请填写核查结论的理由"
        );
        assert!(O::ALL
            .into_iter()
            .filter(|o| o.upholds())
            .all(|o| o != O::Kept));
    }

    #[test]
    fn marked_from_acceptance_until_the_decision() {
        let marked: Vec<S> = S::ALL
            .into_iter()
            .filter(|s| is_under_objection(*s))
            .collect();
        assert_eq!(marked, [S::Accepted]);
    }

    #[test]
    fn deadline_settings() {
        assert_eq!(
            deadline_setting(None),
            Some(("objection.accept_working_days", 1))
        );
        assert_eq!(
            deadline_setting(Some(A::Supplement)),
            Some(("objection.accept_working_days", 1))
        );
        assert_eq!(
            deadline_setting(Some(A::Accept)),
            Some(("objection.verify_working_days", 7))
        );
        assert_eq!(
            deadline_setting(Some(A::RequestSupplement)),
            Some(("objection.supplement_working_days", 10))
        );
        assert_eq!(
            deadline_setting(Some(A::Extend)),
            Some(("objection.extended_total_working_days", 20))
        );
        for a in [
            A::Refuse,
            A::Withdraw,
            A::Decide(O::Kept),
            A::Decide(O::Corrected),
        ] {
            assert_eq!(deadline_setting(Some(a)), None);
        }
    }

    #[test]
    fn next_deadlines_on_the_state_council_calendar() {
        let cal = HolidayCalendar::state_council();
        // Submitted Wed 2026-09-30: accepted by Thu 2026-10-08.
        assert_eq!(
            next_deadline(None, d(2026, 9, 30), None, 1, &cal),
            Some(d(2026, 10, 8))
        );
        // Accepted Thu 2026-10-08: Oct 9 (1), Oct 10 Sat worked (2),
        // Oct 12–16 (3–7).
        let accepted = d(2026, 10, 8);
        assert_eq!(
            next_deadline(Some(A::Accept), accepted, None, 7, &cal),
            Some(d(2026, 10, 16))
        );
        // Extended on Oct 14: twenty working days from acceptance, not
        // from the extension: Oct 16 is the 7th, so 13 more to Nov 4.
        assert_eq!(
            next_deadline(Some(A::Extend), d(2026, 10, 14), Some(accepted), 20, &cal),
            Some(d(2026, 11, 4))
        );
        assert_eq!(
            next_deadline(Some(A::Extend), d(2026, 10, 14), None, 20, &cal),
            None
        );
        assert_eq!(
            next_deadline(Some(A::Decide(O::Kept)), accepted, Some(accepted), 7, &cal),
            None
        );
    }

    #[test]
    fn reply_states_result_reasons_and_remedies() {
        let s = reply_sections(O::Kept, " 原处罚决定合法有效 ");
        let heads: Vec<&str> = s.iter().map(|(h, _)| *h).collect();
        assert_eq!(heads, ["处理结果", "理由", "救济途径"]);
        assert!(s[0].1.contains("维持"));
        assert_eq!(s[1].1, "原处罚决定合法有效");
        assert!(s[2].1.contains("行政复议") && s[2].1.contains("行政诉讼"));
        for o in O::ALL {
            assert!(reply_sections(o, "x")[0].1.starts_with("经核实"));
        }
    }

    #[test]
    fn objection_numbers() {
        let n = ObjectionNumber::new(d(2026, 12, 1), 1).expect("valid");
        assert_eq!(n.as_str(), "YY2026120100001");
        assert_eq!((n.date(), n.sequence()), (Some(d(2026, 12, 1)), Some(1)));
        assert_eq!(ObjectionNumber::parse(" yy2026120100001 "), Ok(n.clone()));
        assert_eq!(ObjectionNumber::parse("").unwrap_err(), "请填写异议编号");
        assert!(ObjectionNumber::parse("GZ2026120100001")
            .unwrap_err()
            .contains("“YY”加 13 位数字"));
        assert!(ObjectionNumber::parse("YY2026120100000")
            .unwrap_err()
            .contains("00000"));
        assert!(ObjectionNumber::parse("YY2026130100001")
            .unwrap_err()
            .contains("不存在"));
    }

    #[test]
    fn the_pledge_names_the_record_and_the_grounds_are_stored_by_code() {
        let p = objection_pledge_text(&ObjectionPledgeFacts {
            subject_name: " 鹤岗市某某有限公司（演示） ".into(),
            target: T::License,
            doc_no: "鹤市监许〔2026〕1号".into(),
            authority: "鹤岗市市场监督管理局".into(),
        });
        assert!(p[0].contains("鹤岗市市场监督管理局公示的鹤岗市某某有限公司（演示）行政许可信息（文号：鹤市监许〔2026〕1号）"), "{}", p[0]);
        assert!(p.iter().any(|x| x.contains("真实、准确、完整")));
        assert_eq!(p.last().map(String::as_str), Some("特此承诺。"));
        let all = ObjectionGround::ALL.to_vec();
        assert_eq!(parse_grounds_code(&grounds_code(&all)), Ok(all));
        assert_eq!(parse_grounds_code(""), Ok(vec![]));
        assert!(parse_grounds_code("wrong,nonsense").is_err());
        for kind in [
            crate::model::RecordKind::Penalty,
            crate::model::RecordKind::License,
            crate::model::RecordKind::Serious,
        ] {
            let t = T::of_record(kind);
            assert_eq!(t.code(), kind.code());
            assert!(t.is_published());
        }
        assert!(is_under_objection(MARKED_STATE));
        use crate::domain::repair_application::EvidenceKind;
        for k in EvidenceKind::OBJECTION {
            assert_eq!(EvidenceKind::from_code(k.code()), Some(k));
        }
        assert!(
            !EvidenceKind::ALL.contains(&EvidenceKind::ObjectionProof),
            "not on the repair form"
        );
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0u64..1095).prop_map(|k| d(2025, 1, 1) + Days::new(k))
    }

    fn any_calendar() -> impl Strategy<Value = HolidayCalendar> {
        proptest::collection::vec((0u64..1460, any::<bool>()), 0..120).prop_map(|days| {
            HolidayCalendar::new(days.into_iter().map(|(k, holiday)| CalendarEntry {
                date: d(2025, 1, 1) + Days::new(k),
                kind: if holiday {
                    DayKind::Holiday
                } else {
                    DayKind::MakeUpWorkday
                },
                name: "测试".into(),
                source: "测试".into(),
            }))
        })
    }

    proptest! {
        #[test]
        fn deadlines_count_exactly_n_working_days(
            start in any_date(), n in 1u32..=30, cal in any_calendar(), a in 0usize..12,
        ) {
            let action = A::ALL[a];
            if action == A::Extend {
                return Ok(());
            }
            let Some(deadline) = next_deadline(Some(action), start, None, n, &cal) else {
                prop_assert!(deadline_setting(Some(action)).is_none());
                return Ok(());
            };
            prop_assert!(deadline > start);
            prop_assert!(cal.is_working_day(deadline));
            let counted = start
                .iter_days()
                .skip(1)
                .take_while(|x| *x <= deadline)
                .filter(|x| cal.is_working_day(*x))
                .count();
            prop_assert_eq!(counted, n as usize);
        }

        #[test]
        fn extension_counts_from_acceptance(
            accepted in any_date(), verify in 1u32..=10, total in 10u32..=30,
            later in 0u64..10, cal in any_calendar(),
        ) {
            let extended_on = accepted + Days::new(later);
            let normal = next_deadline(Some(A::Accept), accepted, None, verify, &cal).expect("deadline");
            let extended = next_deadline(Some(A::Extend), extended_on, Some(accepted), total, &cal).expect("deadline");
            prop_assert!(extended >= normal);
            prop_assert!(extended >= extended_on);
            if extended > extended_on {
                prop_assert_eq!(cal.working_days_between(accepted, extended), i64::from(total));
            }
        }

        /// Random walks: at most one request to supplement, decisions only
        /// after acceptance, the mark only between acceptance and the end.
        #[test]
        fn walks_keep_the_rules(
            moves in proptest::collection::vec((0usize..12, 0u64..15), 1..30),
            t in 0usize..4, start in any_date(),
        ) {
            let target = T::ALL[t];
            let mut state = S::Submitted;
            let mut today = start;
            let mut requested = 0u32;
            let mut deadline: Option<NaiveDate> = None;
            let mut extended = false;
            let mut accepted = false;
            let cal = HolidayCalendar::default();
            for (a, wait) in moves {
                today = today + Days::new(wait);
                let action = A::ALL[a];
                let ctx = ObjectionContext {
                    today, target, supplement_requested: requested > 0,
                    supplement_deadline: deadline, extended, text: "说明",
                };
                let Ok(to) = transition(state, action, &ctx) else { continue };
                match action {
                    A::RequestSupplement => {
                        requested += 1;
                        prop_assert!(!accepted);
                        deadline = next_deadline(Some(action), today, None, 10, &cal);
                    }
                    A::Refuse if state == S::NeedsSupplement => {
                        prop_assert!(deadline.is_some_and(|dl| today > dl));
                    }
                    A::Accept => accepted = true,
                    A::Extend => extended = true,
                    A::Decide(o) => {
                        prop_assert_eq!(state, S::Accepted);
                        prop_assert!(o.applies_to(target));
                    }
                    _ => {}
                }
                prop_assert!(requested <= 1);
                prop_assert_eq!(is_under_objection(to), accepted && to.is_open());
                state = to;
            }
        }

        #[test]
        fn numbers_roundtrip(days in 0u64..40_000, seq in 1u32..=99_999, s in "\\PC{0,30}") {
            let date = d(2000, 1, 1) + Days::new(days);
            let n = ObjectionNumber::new(date, seq).expect("valid");
            prop_assert_eq!(ObjectionNumber::parse(n.as_str()), Ok(n.clone()));
            prop_assert_eq!((n.date(), n.sequence()), (Some(date), Some(seq)));
            let _ = ObjectionNumber::parse(&s);
        }
    }
}
