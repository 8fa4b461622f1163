//! Listing a subject on a serious list (严重失信主体名单认定), as a procedure.
//!
//! 国办发〔2020〕49号 (六)–(八) and 行政处罚法 arts 44, 63–64: before the
//! decision the authority tells the party the 事由, 依据 and its rights (a
//! prior notice, 告知书, [`notice_sections`]); the party may state its case
//! and defend itself (陈述、申辩) within a window ([`answer_deadline`]);
//! what it says is answered point by point; only then — or once the window
//! has passed in silence — may the decision (认定决定书,
//! [`decision_sections`]) be made. An entry leaves the list at the end of
//! its period or early (信用修复); an early removal obtained with false
//! materials is revoked and the entry is listed again.
//!
//! The rules live in [`step`] / [`transition`], which need the day and the
//! dates of the case ([`ListingContext`]): every refusal says why and, when
//! it depends on a date, from which day the action becomes possible.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::daily_number::daily_number_type;
use super::publication::format_date_cn;
use super::serious_domain::SeriousDomain;
use super::working_days::HolidayCalendar;

/// The party's access code (查询码) to its notice is a repair tracking code:
/// same alphabet, same length, same normalisation and comparison.
pub use super::repair_application::{
    constant_time_eq, normalize_tracking_code as normalize_access_code,
    tracking_code_from_bytes as access_code_from_bytes,
};

// ---------------------------------------------------------------------------
// Life cycle
// ---------------------------------------------------------------------------

/// Where a listing stands.
///
/// Serialised as its [`ListingState::code`]; the Rust variant names are
/// also accepted when deserialising. A revoked removal is not a state of
/// its own: the entry is `Listed` again, and [`ListingStep::restored`]
/// marks the step so the history shows 恢复列入.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListingState {
    /// 拟列入: the department intends to list; the party is not told yet.
    #[serde(rename = "proposed", alias = "Proposed")]
    Proposed,
    /// 已告知: the prior notice was served; the party's window is open.
    #[serde(rename = "notified", alias = "Notified")]
    Notified,
    /// 当事人已陈述申辩: the party stated its case; it must be answered.
    #[serde(rename = "answered", alias = "Answered")]
    Answered,
    /// 已逐项答复: every point the party made has been answered.
    #[serde(rename = "replied", alias = "Replied")]
    Replied,
    /// 已列入: the decision was made and published.
    #[serde(rename = "listed", alias = "Listed")]
    Listed,
    /// 已撤销拟列入: the department decided not to list (final).
    #[serde(rename = "withdrawn", alias = "Withdrawn")]
    Withdrawn,
    /// 已移出: the period ended, or the entry was removed early.
    #[serde(rename = "removed", alias = "Removed")]
    Removed,
}

impl ListingState {
    /// All states, in life-cycle order.
    pub const ALL: [ListingState; 7] = [
        ListingState::Proposed,
        ListingState::Notified,
        ListingState::Answered,
        ListingState::Replied,
        ListingState::Listed,
        ListingState::Withdrawn,
        ListingState::Removed,
    ];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            ListingState::Proposed => "proposed",
            ListingState::Notified => "notified",
            ListingState::Answered => "answered",
            ListingState::Replied => "replied",
            ListingState::Listed => "listed",
            ListingState::Withdrawn => "withdrawn",
            ListingState::Removed => "removed",
        }
    }

    /// Inverse of [`ListingState::code`] (exact match).
    pub fn from_code(code: &str) -> Option<ListingState> {
        ListingState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Chinese label shown to staff and the party.
    pub fn label(self) -> &'static str {
        match self {
            ListingState::Proposed => "拟列入",
            ListingState::Notified => "已告知",
            ListingState::Answered => "当事人已陈述申辩",
            ListingState::Replied => "已逐项答复",
            ListingState::Listed => "已列入",
            ListingState::Withdrawn => "已撤销拟列入",
            ListingState::Removed => "已移出",
        }
    }

    /// Whether no decision has been made yet (before listing or withdrawal).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            ListingState::Proposed
                | ListingState::Notified
                | ListingState::Answered
                | ListingState::Replied
        )
    }

    /// Whether the subject is on the list (published, measures apply).
    pub fn is_listed(self) -> bool {
        self == ListingState::Listed
    }
}

/// Something done in a listing, by the department or by the party.
///
/// Serialised as its [`ListingAction::code`]; the Rust variant names are
/// also accepted when deserialising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListingAction {
    /// 送达告知书 (department).
    #[serde(rename = "send_notice", alias = "SendNotice")]
    SendNotice,
    /// 提出陈述、申辩 (party).
    #[serde(rename = "party_answers", alias = "PartyAnswers")]
    PartyAnswers,
    /// 逐项答复 (department).
    #[serde(rename = "reply", alias = "Reply")]
    Reply,
    /// 作出列入决定 (department).
    #[serde(rename = "decide", alias = "Decide")]
    Decide,
    /// 撤销拟列入 (department decides not to list).
    #[serde(rename = "withdraw", alias = "Withdraw")]
    Withdraw,
    /// 期满移出.
    #[serde(rename = "remove_at_period_end", alias = "RemoveAtPeriodEnd")]
    RemoveAtPeriodEnd,
    /// 提前移出 (信用修复).
    #[serde(rename = "remove_early", alias = "RemoveEarly")]
    RemoveEarly,
    /// 撤销移出决定，恢复列入 (false materials).
    #[serde(rename = "revoke_removal", alias = "RevokeRemoval")]
    RevokeRemoval,
    /// 异议成立，移出名单: an objection about the entry was upheld.
    #[serde(rename = "remove_on_objection", alias = "RemoveOnObjection")]
    RemoveOnObjection,
}

impl ListingAction {
    /// All actions, in display order.
    pub const ALL: [ListingAction; 9] = [
        ListingAction::SendNotice,
        ListingAction::PartyAnswers,
        ListingAction::Reply,
        ListingAction::Decide,
        ListingAction::Withdraw,
        ListingAction::RemoveAtPeriodEnd,
        ListingAction::RemoveEarly,
        ListingAction::RevokeRemoval,
        ListingAction::RemoveOnObjection,
    ];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            ListingAction::SendNotice => "send_notice",
            ListingAction::PartyAnswers => "party_answers",
            ListingAction::Reply => "reply",
            ListingAction::Decide => "decide",
            ListingAction::Withdraw => "withdraw",
            ListingAction::RemoveAtPeriodEnd => "remove_at_period_end",
            ListingAction::RemoveEarly => "remove_early",
            ListingAction::RevokeRemoval => "revoke_removal",
            ListingAction::RemoveOnObjection => "remove_on_objection",
        }
    }

    /// Inverse of [`ListingAction::code`] (exact match).
    pub fn from_code(code: &str) -> Option<ListingAction> {
        ListingAction::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Chinese label for buttons and the history log.
    pub fn label(self) -> &'static str {
        match self {
            ListingAction::SendNotice => "送达告知书",
            ListingAction::PartyAnswers => "提出陈述、申辩",
            ListingAction::Reply => "逐项答复",
            ListingAction::Decide => "作出列入决定",
            ListingAction::Withdraw => "撤销拟列入",
            ListingAction::RemoveAtPeriodEnd => "期满移出",
            ListingAction::RemoveEarly => "提前移出",
            ListingAction::RevokeRemoval => "撤销移出决定，恢复列入",
            ListingAction::RemoveOnObjection => "异议成立，移出名单",
        }
    }

    /// Whether the party (rather than the department) performs it.
    pub fn by_party(self) -> bool {
        self == ListingAction::PartyAnswers
    }

    /// What text the action needs, for the message when it is blank: the
    /// party's statement, the department's answers and the reasons of a
    /// withdrawal, an early removal or a revocation. None when it needs none.
    pub fn required_text(self) -> Option<&'static str> {
        match self {
            ListingAction::PartyAnswers => Some("陈述、申辩意见"),
            ListingAction::Reply => Some("对当事人陈述、申辩的逐项答复意见"),
            ListingAction::Withdraw => Some("撤销拟列入的理由"),
            ListingAction::RemoveEarly => Some("提前移出的核实意见"),
            ListingAction::RevokeRemoval => {
                Some("撤销移出决定的理由（当事人提供虚假材料等事实和证据）")
            }
            ListingAction::RemoveOnObjection => Some("异议核查结论"),
            ListingAction::SendNotice
            | ListingAction::Decide
            | ListingAction::RemoveAtPeriodEnd => None,
        }
    }

    /// Verb phrase used inside error sentences.
    fn verb(self) -> &'static str {
        match self {
            ListingAction::SendNotice => "送达告知书",
            ListingAction::PartyAnswers => "提出陈述、申辩",
            ListingAction::Reply => "答复陈述、申辩",
            ListingAction::Decide => "作出列入决定",
            ListingAction::Withdraw => "撤销拟列入",
            ListingAction::RemoveAtPeriodEnd => "期满移出",
            ListingAction::RemoveEarly => "提前移出",
            ListingAction::RevokeRemoval => "撤销移出决定",
            ListingAction::RemoveOnObjection => "因异议成立移出名单",
        }
    }
}

/// How an entry left the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Removal {
    /// 期满移出.
    #[serde(rename = "period_end", alias = "AtPeriodEnd")]
    AtPeriodEnd,
    /// 提前移出 (may be revoked for false materials).
    #[serde(rename = "early", alias = "Early")]
    Early,
    /// 异议成立后移出.
    #[serde(rename = "objection", alias = "OnObjection")]
    OnObjection,
}

impl Removal {
    /// Stable ASCII code for storage.
    pub fn code(self) -> &'static str {
        match self {
            Removal::AtPeriodEnd => "period_end",
            Removal::Early => "early",
            Removal::OnObjection => "objection",
        }
    }

    /// Inverse of [`Removal::code`].
    pub fn from_code(code: &str) -> Option<Removal> {
        [Removal::AtPeriodEnd, Removal::Early, Removal::OnObjection]
            .into_iter()
            .find(|r| r.code() == code)
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Removal::AtPeriodEnd => "期满移出",
            Removal::Early => "提前移出",
            Removal::OnObjection => "异议成立后移出",
        }
    }
}

/// What the rules need to know about the case on the day of the action.
#[derive(Clone, Copy, Debug)]
pub struct ListingContext<'a> {
    /// The day of the action (China date).
    pub today: NaiveDate,
    /// The domain of the list.
    pub domain: &'a SeriousDomain,
    /// Last day the party may answer ([`answer_deadline`]); None before
    /// the notice is served.
    pub answer_deadline: Option<NaiveDate>,
    /// Day of the listing decision; None before it.
    pub listed_on: Option<NaiveDate>,
    /// How the entry left the list; None while it has not (or after a
    /// revoked removal).
    pub removal: Option<Removal>,
    /// The statement, answers or reasons that go with the action (see
    /// [`ListingAction::required_text`]).
    pub text: &'a str,
}

impl<'a> ListingContext<'a> {
    /// A context for `today` in `domain` with no dates recorded and no text.
    pub fn new(today: NaiveDate, domain: &'a SeriousDomain) -> Self {
        ListingContext {
            today,
            domain,
            answer_deadline: None,
            listed_on: None,
            removal: None,
            text: "",
        }
    }
}

/// The result of an allowed action: the next state and what the history
/// must record about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListingStep {
    /// The state after the action.
    pub to: ListingState,
    /// The decision was made after the party let its window pass in
    /// silence: it waived 陈述、申辩 (and a hearing).
    pub waived: bool,
    /// A removal was revoked and the entry is listed again (恢复列入).
    pub restored: bool,
    /// The entry left the list, and how.
    pub removal: Option<Removal>,
}

impl ListingStep {
    fn to(to: ListingState) -> Self {
        ListingStep {
            to,
            waived: false,
            restored: false,
            removal: None,
        }
    }
}

/// An action that is not allowed now, with the reason in Chinese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitionError {
    /// The state the listing is in.
    pub from: ListingState,
    /// The action that was attempted.
    pub action: ListingAction,
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

/// The day after `d`, saturating at `NaiveDate::MAX`.
fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX)
}

/// The state and record of `action` taken in state `from`, or why not.
///
/// proposed → notified (SendNotice); notified → answered (PartyAnswers,
/// while the window is open) | listed (Decide, once it has passed: waived);
/// answered → answered (PartyAnswers, more points) | replied (Reply);
/// replied → answered (PartyAnswers, new points) | listed (Decide);
/// proposed, notified, answered, replied → withdrawn (Withdraw);
/// listed → removed (RemoveAtPeriodEnd after the period; RemoveEarly from
/// the domain's earliest date); removed → listed (RevokeRemoval, only of an
/// early removal). Mirrored (court) lists are never listed or removed early
/// here. Withdrawn is final.
pub fn step(
    from: ListingState,
    action: ListingAction,
    ctx: &ListingContext<'_>,
) -> Result<ListingStep, TransitionError> {
    use ListingAction as A;
    use ListingState as S;
    let refuse = |message: String, possible_from: Option<NaiveDate>| TransitionError {
        from,
        action,
        message,
        possible_from,
    };
    let today = ctx.today;
    let domain = ctx.domain;

    // The portal only mirrors court lists: nobody here may list on one or
    // take an entry off early, so say where to go instead.
    if domain.mirrored
        && matches!(
            action,
            A::SendNotice | A::Decide | A::RemoveEarly | A::RemoveOnObjection
        )
    {
        return Err(refuse(
            format!(
                "“{}”由{}依法认定和删除，本平台只同步展示，不能在本平台{}；如有疑问，请联系{}",
                domain.name,
                domain.listing_authority,
                action.verb(),
                domain.mirror_contact.as_deref().unwrap_or("原认定机关")
            ),
            None,
        ));
    }

    let missing = |what: &str| refuse(format!("未记录{what}，不能{}", action.verb()), None);

    let result = match (from, action) {
        (S::Proposed, A::SendNotice) => ListingStep::to(S::Notified),

        (S::Notified | S::Answered | S::Replied, A::PartyAnswers) => {
            let Some(deadline) = ctx.answer_deadline else {
                return Err(missing("陈述、申辩期限"));
            };
            if today > deadline {
                return Err(refuse(
                    format!(
                        "陈述、申辩期限已于{}届满，不能再在线提出；如认为列入有误，可以在列入后提出异议",
                        format_date_cn(deadline)
                    ),
                    None,
                ));
            }
            // New points after a reply must be answered again.
            ListingStep::to(S::Answered)
        }

        (S::Answered, A::Reply) => ListingStep::to(S::Replied),

        (S::Notified, A::Decide) => {
            let Some(deadline) = ctx.answer_deadline else {
                return Err(missing("陈述、申辩期限"));
            };
            if today <= deadline {
                let opens = next_day(deadline);
                return Err(refuse(
                    format!(
                        "当事人陈述、申辩期限至{}届满，届满前不能作出列入决定；当事人未提出意见的，自{}起可以作出决定",
                        format_date_cn(deadline),
                        format_date_cn(opens)
                    ),
                    Some(opens),
                ));
            }
            ListingStep {
                waived: true,
                ..ListingStep::to(S::Listed)
            }
        }
        (S::Proposed, A::Decide) => {
            return Err(refuse(
                "尚未向当事人送达告知书，不能作出列入决定：须先告知作出决定的事由、依据和当事人依法享有的权利".into(),
                None,
            ));
        }
        (S::Answered, A::Decide) => {
            return Err(refuse(
                "当事人已提出陈述、申辩，须先对其提出的事实、理由和证据逐项答复，才能作出列入决定"
                    .into(),
                None,
            ));
        }
        (S::Replied, A::Decide) => ListingStep::to(S::Listed),

        (S::Proposed | S::Notified | S::Answered | S::Replied, A::Withdraw) => {
            ListingStep::to(S::Withdrawn)
        }

        (S::Listed, A::RemoveAtPeriodEnd) => {
            let Some(listed_on) = ctx.listed_on else {
                return Err(missing("列入日期"));
            };
            let end = domain.listing_ends(listed_on);
            if today <= end {
                let opens = next_day(end);
                return Err(refuse(
                    format!(
                        "列入期限至{}届满，自{}起方可期满移出",
                        format_date_cn(end),
                        format_date_cn(opens)
                    ),
                    Some(opens),
                ));
            }
            ListingStep {
                removal: Some(Removal::AtPeriodEnd),
                ..ListingStep::to(S::Removed)
            }
        }

        (S::Listed, A::RemoveEarly) => {
            let Some(listed_on) = ctx.listed_on else {
                return Err(missing("列入日期"));
            };
            let Some(earliest) = domain.earliest_removal(listed_on) else {
                return Err(refuse(
                    format!("“{}”依规不得提前移出，列入期限届满后移出", domain.name),
                    None,
                ));
            };
            let end = domain.listing_ends(listed_on);
            if today > end {
                // Past the period an early removal (revocable for false
                // materials) would misstate why the entry left.
                return Err(refuse(
                    format!(
                        "列入期限已于{}届满，应当期满移出，不再适用提前移出",
                        format_date_cn(end)
                    ),
                    None,
                ));
            }
            if today < earliest {
                return Err(refuse(
                    format!(
                        "列入未满{}年，自{}起方可申请提前移出",
                        domain.earliest_removal_years.unwrap_or_default(),
                        format_date_cn(earliest)
                    ),
                    Some(earliest),
                ));
            }
            ListingStep {
                removal: Some(Removal::Early),
                ..ListingStep::to(S::Removed)
            }
        }

        (S::Listed, A::RemoveOnObjection) => ListingStep {
            removal: Some(Removal::OnObjection),
            ..ListingStep::to(S::Removed)
        },

        (S::Removed, A::RevokeRemoval) => match ctx.removal {
            Some(Removal::Early) => ListingStep {
                restored: true,
                ..ListingStep::to(S::Listed)
            },
            Some(Removal::AtPeriodEnd) => {
                return Err(refuse(
                    "该主体系列入期满移出，不是提前移出，不能以提供虚假材料为由撤销移出决定".into(),
                    None,
                ));
            }
            Some(Removal::OnObjection) => {
                return Err(refuse(
                    "该主体系异议成立后移出，不是提前移出；如认为异议结论有误，应当依法重新作出决定".into(),
                    None,
                ));
            }
            None => return Err(missing("移出方式")),
        },

        _ => {
            let not = if matches!(from, S::Proposed | S::Notified | S::Answered | S::Replied) {
                "不能"
            } else {
                "不能再"
            };
            return Err(refuse(
                format!(
                    "该列入事项当前状态为“{}”，{not}{}",
                    from.label(),
                    action.verb()
                ),
                None,
            ));
        }
    };

    if let Some(what) = action.required_text() {
        if ctx.text.trim().is_empty() {
            return Err(refuse(format!("请填写{what}"), None));
        }
    }
    Ok(result)
}

/// The state after `action`, or why it is not allowed now (see [`step`]
/// for what the history must also record).
pub fn transition(
    from: ListingState,
    action: ListingAction,
    ctx: &ListingContext<'_>,
) -> Result<ListingState, TransitionError> {
    step(from, action, ctx).map(|s| s.to)
}

/// What a listing in progress waits for from its department on `today`,
/// for the credit authority's oversight: `None` while the party's window
/// is open (or the listing is decided). An answered party is owed a reply;
/// a replied one, or one whose window passed in silence, a decision.
pub fn awaiting_department(
    state: ListingState,
    answer_deadline: NaiveDate,
    today: NaiveDate,
) -> Option<&'static str> {
    match state {
        ListingState::Notified if today > answer_deadline => {
            Some("答复期限已过，待作出认定决定或撤销拟列入")
        }
        ListingState::Answered => Some("当事人已陈述、申辩，待逐项答复"),
        ListingState::Replied => Some("已逐项答复，待作出认定决定或撤销拟列入"),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------

/// Setting key and default of the party's window, in working days. 行政处罚法
/// art 64 gives five days to ask for a hearing and art 85 makes such
/// "五日" working days; the same window serves 陈述、申辩.
pub const ANSWER_SETTING: (&str, u32) = ("listing.answer_working_days", 5);

/// Working days within which publication stops after a removal decision.
/// DOMAIN.md §11 cites seed §四(六)15 for it, whose text says "及时"; the
/// three working days are 总局令第44号's (and the courts' for 失信被执行人).
pub const PUBLICATION_STOP_WORKING_DAYS: u32 = 3;

/// The time limit an action starts that is a setting, as (setting key,
/// default working days): serving the notice opens the party's window.
pub fn deadline_setting(action: ListingAction) -> Option<(&'static str, u32)> {
    match action {
        ListingAction::SendNotice => Some(ANSWER_SETTING),
        _ => None,
    }
}

/// The last day the party may answer a notice served on `notice_date`: the
/// `working_days`-th working day after it (the day of service does not
/// count). At least one working day is always given, whatever the setting.
pub fn answer_deadline(
    notice_date: NaiveDate,
    working_days: u32,
    calendar: &HolidayCalendar,
) -> NaiveDate {
    calendar.add_working_days(notice_date, working_days.max(1))
}

/// The last day publication and sharing must stop after a removal decided
/// on `decided_on` (see [`PUBLICATION_STOP_WORKING_DAYS`]).
pub fn publication_stop_deadline(decided_on: NaiveDate, calendar: &HolidayCalendar) -> NaiveDate {
    calendar.add_working_days(decided_on, PUBLICATION_STOP_WORKING_DAYS)
}

daily_number_type!(
    /// Public number of a prior notice: `GZ` (告知) + date + 5-digit daily
    /// sequence, e.g. `GZ2026120100001`.
    NoticeNumber,
    "GZ",
    "告知书编号"
);

impl NoticeNumber {
    /// The public page where the party answers the notice.
    pub fn href(&self) -> String {
        format!("/notices/{}", self.0)
    }
}

// ---------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------

/// The remedies every listing decision states (行政复议法 art 20; 行政诉讼法
/// art 46).
pub const REMEDIES: &str = "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。";

/// What a prior notice (告知书) is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeFacts {
    /// The notice's number.
    pub number: NoticeNumber,
    /// The department giving notice, e.g. `鹤岗市市场监督管理局`.
    pub authority: String,
    /// 事由: the conduct found.
    pub reason: String,
    /// 依据: the provisions relied on.
    pub basis: String,
    /// The measures that listing would bring.
    pub measures: String,
    /// Whether the party may ask for a hearing (行政处罚法 art 63).
    pub hearing: bool,
    /// Last day to answer ([`answer_deadline`]).
    pub answer_deadline: NaiveDate,
}

/// The sections of a prior notice, in order, as (heading, body): 事由,
/// 依据, 拟采取的失信惩戒措施, 当事人权利, 答复期限, 答复方式. The access
/// code is not in the text: it is handed to the party with the notice and
/// must not be stored or shown with it.
pub fn notice_sections(domain: &SeriousDomain, f: &NoticeFacts) -> Vec<(&'static str, String)> {
    let rights = if f.hearing {
        "你（单位）对上述拟列入事项享有陈述、申辩的权利，可以提交证据材料；根据《中华人民共和国行政处罚法》第六十三条、第六十四条，你（单位）有权要求听证。"
    } else {
        "你（单位）对上述拟列入事项享有陈述、申辩的权利，可以提交证据材料。"
    };
    let what = if f.hearing {
        "陈述、申辩或者听证要求"
    } else {
        "陈述、申辩"
    };
    vec![
        (
            "事由",
            format!(
                "{} 据此，本机关拟将你（单位）列入“{}”，列入期限为{}年。",
                f.reason.trim(),
                domain.name,
                domain.listing_years
            ),
        ),
        ("依据", f.basis.trim().to_string()),
        ("拟采取的失信惩戒措施", f.measures.trim().to_string()),
        ("当事人权利", rights.to_string()),
        (
            "答复期限",
            format!(
                "请于{}（含当日）前提出{what}。逾期未提出的，视为放弃上述权利。",
                format_date_cn(f.answer_deadline)
            ),
        ),
        (
            "答复方式",
            format!(
                "请登录信用中国（黑龙江鹤岗）网站 {} 页面，凭随本告知书送达的查询码在线提交{what}及证据材料；也可以在上述期限内以书面形式向{}提出。",
                f.number.href(),
                f.authority.trim()
            ),
        ),
    ]
}

/// What a listing decision (认定决定书) is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionFacts {
    /// 事由.
    pub reason: String,
    /// 依据.
    pub basis: String,
    /// The measures that follow from the listing (from the measures list).
    pub measures: String,
    /// Day of the decision, from which the period runs.
    pub listed_on: NaiveDate,
}

/// The sections a listing decision must state, in order, as (heading,
/// body): 事由, 依据, 失信惩戒措施提示, 移出条件和程序 (the period and the
/// domain's conditions and procedure), 救济措施 ([`REMEDIES`]).
pub fn decision_sections(domain: &SeriousDomain, f: &DecisionFacts) -> Vec<(&'static str, String)> {
    let end = domain.listing_ends(f.listed_on);
    let mut removal = format!(
        "列入期限为{}年，自{}起至{}止，期满移出。",
        domain.listing_years,
        format_date_cn(f.listed_on),
        format_date_cn(end)
    );
    match domain.earliest_removal(f.listed_on) {
        Some(from) => removal.push_str(&format!(
            "自{}起，符合移出条件的，可以申请提前移出。",
            format_date_cn(from)
        )),
        None => removal.push_str("本名单不适用提前移出。"),
    }
    removal.push_str(&format!(
        "移出条件：{} 移出程序：{}",
        domain.removal_conditions, domain.removal_procedure
    ));
    vec![
        ("事由", f.reason.trim().to_string()),
        ("依据", f.basis.trim().to_string()),
        ("失信惩戒措施提示", f.measures.trim().to_string()),
        ("移出条件和程序", removal),
        ("救济措施", REMEDIES.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::serious_domain::national_domains;
    use crate::domain::working_days::{CalendarEntry, DayKind};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn domain(code: &str) -> SeriousDomain {
        national_domains()
            .into_iter()
            .find(|x| x.code == code)
            .expect("seeded")
    }

    fn market() -> SeriousDomain {
        domain("market_serious_violation")
    }

    use ListingAction as A;
    use ListingState as S;

    /// A context with every date set so that the date rules pass, and a
    /// text: only the state and action decide. Listed 2026-01-05 on a
    /// 3-year list with early removal after 1 year; today 2027-06-01.
    fn open_ctx(dom: &SeriousDomain) -> ListingContext<'_> {
        ListingContext {
            today: d(2027, 6, 1),
            domain: dom,
            answer_deadline: Some(d(2027, 5, 1)),
            listed_on: Some(d(2026, 1, 5)),
            removal: Some(Removal::Early),
            text: "理由",
        }
    }

    #[test]
    fn codes_and_labels() {
        let states = [
            ("proposed", "拟列入"),
            ("notified", "已告知"),
            ("answered", "当事人已陈述申辩"),
            ("replied", "已逐项答复"),
            ("listed", "已列入"),
            ("withdrawn", "已撤销拟列入"),
            ("removed", "已移出"),
        ];
        for (s, (code, label)) in S::ALL.into_iter().zip(states) {
            assert_eq!((s.code(), s.label()), (code, label));
            assert_eq!(S::from_code(code), Some(s));
        }
        for a in A::ALL {
            assert_eq!(A::from_code(a.code()), Some(a));
            assert!(!a.label().is_empty());
        }
        assert_eq!(A::from_code("Decide"), None);
        for r in [Removal::AtPeriodEnd, Removal::Early, Removal::OnObjection] {
            assert_eq!(Removal::from_code(r.code()), Some(r));
        }
        use serde::de::value::{Error, StrDeserializer};
        for s in S::ALL {
            assert_eq!(
                S::deserialize(StrDeserializer::<Error>::new(s.code())).ok(),
                Some(s)
            );
        }
        for a in A::ALL {
            assert_eq!(
                A::deserialize(StrDeserializer::<Error>::new(a.code())).ok(),
                Some(a)
            );
        }
        let pending: Vec<S> = S::ALL.into_iter().filter(|s| s.is_pending()).collect();
        assert_eq!(pending, [S::Proposed, S::Notified, S::Answered, S::Replied]);
    }

    #[test]
    fn transition_table_exhaustive() {
        // With every date in favour, exactly these pairs are allowed.
        let allowed = [
            (S::Proposed, A::SendNotice, S::Notified),
            (S::Notified, A::Decide, S::Listed),
            (S::Replied, A::Decide, S::Listed),
            (S::Answered, A::Reply, S::Replied),
            (S::Proposed, A::Withdraw, S::Withdrawn),
            (S::Notified, A::Withdraw, S::Withdrawn),
            (S::Answered, A::Withdraw, S::Withdrawn),
            (S::Replied, A::Withdraw, S::Withdrawn),
            (S::Listed, A::RemoveEarly, S::Removed),
            (S::Listed, A::RemoveOnObjection, S::Removed),
            (S::Removed, A::RevokeRemoval, S::Listed),
        ];
        let dom = market();
        let ctx = open_ctx(&dom);
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
        // Withdrawn admits nothing, whatever the dates.
        assert!(A::ALL
            .into_iter()
            .all(|a| step(S::Withdrawn, a, &ctx).is_err()));
        let e = transition(S::Withdrawn, A::Decide, &ctx).unwrap_err();
        assert_eq!(
            e.to_string(),
            "该列入事项当前状态为“已撤销拟列入”，不能再作出列入决定"
        );
        let e = transition(S::Notified, A::Reply, &ctx).unwrap_err();
        assert_eq!(
            e.to_string(),
            "该列入事项当前状态为“已告知”，不能答复陈述、申辩"
        );
    }

    #[test]
    fn party_answers_only_while_the_window_is_open() {
        let dom = market();
        let deadline = d(2026, 12, 7);
        let ctx = |today| ListingContext {
            answer_deadline: Some(deadline),
            text: "我方已整改",
            ..ListingContext::new(today, &dom)
        };
        for from in [S::Notified, S::Answered, S::Replied] {
            assert_eq!(
                transition(from, A::PartyAnswers, &ctx(deadline)),
                Ok(S::Answered)
            );
            assert_eq!(
                transition(from, A::PartyAnswers, &ctx(d(2026, 12, 1))),
                Ok(S::Answered)
            );
            let e = transition(from, A::PartyAnswers, &ctx(d(2026, 12, 8))).unwrap_err();
            assert_eq!(
                e.message,
                "陈述、申辩期限已于2026年12月7日届满，不能再在线提出；如认为列入有误，可以在列入后提出异议"
            );
        }
        for from in [S::Proposed, S::Listed, S::Removed, S::Withdrawn] {
            assert!(
                transition(from, A::PartyAnswers, &ctx(deadline)).is_err(),
                "{from:?}"
            );
        }
        // A blank statement is not an answer.
        let blank = ListingContext {
            text: "  ",
            ..ctx(deadline)
        };
        assert_eq!(
            transition(S::Notified, A::PartyAnswers, &blank)
                .unwrap_err()
                .message,
            "请填写陈述、申辩意见"
        );
        // No recorded window: refused, not guessed.
        let none = ListingContext {
            answer_deadline: None,
            ..ctx(deadline)
        };
        assert!(transition(S::Notified, A::PartyAnswers, &none).is_err());
    }

    #[test]
    fn decision_waits_for_the_window_or_a_reply() {
        let dom = market();
        let deadline = d(2026, 12, 7);
        let ctx = |today| ListingContext {
            answer_deadline: Some(deadline),
            ..ListingContext::new(today, &dom)
        };
        // Silent party: not on or before the deadline, from the day after.
        let e = step(S::Notified, A::Decide, &ctx(deadline)).unwrap_err();
        assert_eq!(
            e.message,
            "当事人陈述、申辩期限至2026年12月7日届满，届满前不能作出列入决定；当事人未提出意见的，自2026年12月8日起可以作出决定"
        );
        assert_eq!(e.possible_from, Some(d(2026, 12, 8)));
        let s = step(S::Notified, A::Decide, &ctx(d(2026, 12, 8))).expect("allowed");
        assert_eq!(
            s,
            ListingStep {
                to: S::Listed,
                waived: true,
                restored: false,
                removal: None
            }
        );
        // Answered: never before the reply, even after the window.
        let e = step(S::Answered, A::Decide, &ctx(d(2027, 1, 1))).unwrap_err();
        assert!(e.message.contains("逐项答复"), "{e}");
        // Replied: at any time, and not waived.
        let s = step(S::Replied, A::Decide, &ctx(d(2026, 12, 2))).expect("allowed");
        assert_eq!((s.to, s.waived), (S::Listed, false));
        // Never without a notice.
        let e = step(S::Proposed, A::Decide, &ctx(d(2027, 1, 1))).unwrap_err();
        assert!(e.message.contains("告知书"), "{e}");
        let none = ListingContext {
            answer_deadline: None,
            ..ctx(d(2027, 1, 1))
        };
        assert!(step(S::Notified, A::Decide, &none).is_err());
    }

    #[test]
    fn reply_and_withdraw_need_text() {
        let dom = market();
        let ctx = ListingContext::new(d(2026, 12, 1), &dom);
        assert_eq!(
            transition(S::Answered, A::Reply, &ctx).unwrap_err().message,
            "请填写对当事人陈述、申辩的逐项答复意见"
        );
        assert_eq!(
            transition(S::Notified, A::Withdraw, &ctx)
                .unwrap_err()
                .message,
            "请填写撤销拟列入的理由"
        );
        let with = ListingContext {
            text: "经核实，不符合列入条件",
            ..ctx
        };
        assert_eq!(transition(S::Answered, A::Reply, &with), Ok(S::Replied));
        assert_eq!(
            transition(S::Notified, A::Withdraw, &with),
            Ok(S::Withdrawn)
        );
        // Sending the notice needs no text.
        assert_eq!(
            transition(S::Proposed, A::SendNotice, &ctx),
            Ok(S::Notified)
        );
    }

    #[test]
    fn removal_at_period_end() {
        let dom = market();
        let listed = d(2026, 11, 30);
        let ctx = |today| ListingContext {
            listed_on: Some(listed),
            ..ListingContext::new(today, &dom)
        };
        let e = step(S::Listed, A::RemoveAtPeriodEnd, &ctx(d(2029, 11, 30))).unwrap_err();
        assert_eq!(
            e.message,
            "列入期限至2029年11月30日届满，自2029年12月1日起方可期满移出"
        );
        assert_eq!(e.possible_from, Some(d(2029, 12, 1)));
        let s = step(S::Listed, A::RemoveAtPeriodEnd, &ctx(d(2029, 12, 1))).expect("allowed");
        assert_eq!((s.to, s.removal), (S::Removed, Some(Removal::AtPeriodEnd)));
        let no_date = ListingContext {
            listed_on: None,
            ..ctx(d(2030, 1, 1))
        };
        assert!(step(S::Listed, A::RemoveAtPeriodEnd, &no_date).is_err());
        // Mirrored lists leave at their end too (the court's data decides).
        let court = domain("court_dishonest_debtor");
        let c = ListingContext {
            listed_on: Some(listed),
            ..ListingContext::new(d(2028, 12, 1), &court)
        };
        assert_eq!(
            transition(S::Listed, A::RemoveAtPeriodEnd, &c),
            Ok(S::Removed)
        );
    }

    #[test]
    fn early_removal() {
        let dom = market();
        let listed = d(2026, 11, 30);
        let ctx = |today| ListingContext {
            listed_on: Some(listed),
            text: "已履行义务，经核实符合条件",
            ..ListingContext::new(today, &dom)
        };
        let e = step(S::Listed, A::RemoveEarly, &ctx(d(2027, 11, 30))).unwrap_err();
        assert_eq!(e.message, "列入未满1年，自2027年12月1日起方可申请提前移出");
        assert_eq!(e.possible_from, Some(d(2027, 12, 1)));
        let s = step(S::Listed, A::RemoveEarly, &ctx(d(2027, 12, 1))).expect("allowed");
        assert_eq!((s.to, s.removal), (S::Removed, Some(Removal::Early)));
        // Past the period it is a removal at period end.
        let e = step(S::Listed, A::RemoveEarly, &ctx(d(2029, 12, 1))).unwrap_err();
        assert!(e.message.contains("应当期满移出"), "{e}");
        // The verification must be written down.
        let blank = ListingContext {
            text: "",
            ..ctx(d(2028, 1, 1))
        };
        assert_eq!(
            step(S::Listed, A::RemoveEarly, &blank).unwrap_err().message,
            "请填写提前移出的核实意见"
        );
        // A domain without early removal.
        let strict = SeriousDomain {
            earliest_removal_years: None,
            ..market()
        };
        let c = ListingContext {
            domain: &strict,
            ..ctx(d(2028, 1, 1))
        };
        let e = step(S::Listed, A::RemoveEarly, &c).unwrap_err();
        assert!(e.message.contains("依规不得提前移出"), "{e}");
        assert_eq!(e.possible_from, None);
    }

    #[test]
    fn mirrored_lists_are_not_listed_or_removed_early_here() {
        let court = domain("court_dishonest_debtor");
        let ctx = ListingContext {
            answer_deadline: Some(d(2026, 1, 1)),
            listed_on: Some(d(2026, 1, 1)),
            text: "x",
            ..ListingContext::new(d(2027, 6, 1), &court)
        };
        for (from, action) in [
            (S::Proposed, A::SendNotice),
            (S::Notified, A::Decide),
            (S::Replied, A::Decide),
            (S::Listed, A::RemoveEarly),
        ] {
            let e = step(from, action, &ctx).unwrap_err();
            assert!(e.message.contains("只同步展示"), "{from:?} {action:?}: {e}");
            assert!(e.message.contains("中国执行信息公开网"), "{e}");
        }
        // Even a domain whose data claims early removal, once mirrored.
        let odd = SeriousDomain {
            earliest_removal_years: Some(0),
            ..court.clone()
        };
        let c = ListingContext {
            domain: &odd,
            ..ctx
        };
        assert!(step(S::Listed, A::RemoveEarly, &c).is_err());
    }

    #[test]
    fn only_an_early_removal_is_revoked() {
        let dom = market();
        let ctx = |removal| ListingContext {
            removal,
            text: "当事人提交的完税证明系伪造",
            ..ListingContext::new(d(2028, 3, 1), &dom)
        };
        let s = step(S::Removed, A::RevokeRemoval, &ctx(Some(Removal::Early))).expect("allowed");
        assert_eq!(
            s,
            ListingStep {
                to: S::Listed,
                waived: false,
                restored: true,
                removal: None
            }
        );
        let e = step(
            S::Removed,
            A::RevokeRemoval,
            &ctx(Some(Removal::AtPeriodEnd)),
        )
        .unwrap_err();
        assert!(e.message.contains("期满移出"), "{e}");
        assert!(step(S::Removed, A::RevokeRemoval, &ctx(None)).is_err());
        let blank = ListingContext {
            text: " ",
            ..ctx(Some(Removal::Early))
        };
        assert!(step(S::Removed, A::RevokeRemoval, &blank)
            .unwrap_err()
            .message
            .starts_with("请填写撤销移出决定的理由"));
        assert!(step(S::Listed, A::RevokeRemoval, &ctx(Some(Removal::Early))).is_err());
    }

    #[test]
    fn deadlines_on_the_state_council_calendar() {
        let cal = HolidayCalendar::state_council();
        // Served Thu 2026-09-24: Sep 25–27 off (中秋), Sep 28 (1), 29 (2),
        // 30 (3), Oct 1–7 off (国庆), Oct 8 (4), Oct 9 (5).
        assert_eq!(answer_deadline(d(2026, 9, 24), 5, &cal), d(2026, 10, 9));
        assert_eq!(
            deadline_setting(A::SendNotice),
            Some(("listing.answer_working_days", 5))
        );
        assert!(A::ALL
            .into_iter()
            .filter(|a| *a != A::SendNotice)
            .all(|a| deadline_setting(a).is_none()));
        // Zero in the setting still leaves a day.
        assert_eq!(answer_deadline(d(2026, 3, 2), 0, &cal), d(2026, 3, 3));
        // Removal decided Wed 2026-09-30: Oct 8, 9, 10 (Sat, worked).
        assert_eq!(
            publication_stop_deadline(d(2026, 9, 30), &cal),
            d(2026, 10, 10)
        );
    }

    #[test]
    fn notice_numbers() {
        let n = NoticeNumber::new(d(2026, 12, 1), 1).expect("valid");
        assert_eq!(n.as_str(), "GZ2026120100001");
        assert_eq!(n.href(), "/notices/GZ2026120100001");
        assert_eq!((n.date(), n.sequence()), (Some(d(2026, 12, 1)), Some(1)));
        assert_eq!(NoticeNumber::parse(" gz2026120100001 "), Ok(n.clone()));
        assert_eq!(
            NoticeNumber::parse("ＧＺ２０２６１２０１００００１"),
            Ok(n.clone())
        );
        assert!(NoticeNumber::new(d(2026, 1, 1), 0).is_none());
        assert!(NoticeNumber::new(d(2026, 1, 1), 100_000).is_none());
        assert_eq!(NoticeNumber::parse("").unwrap_err(), "请填写告知书编号");
        for bad in [
            "XF2026120100001",
            "GZ202612010001",
            "GZ20261201000011",
            "GZ20261201000a1",
        ] {
            assert!(
                NoticeNumber::parse(bad)
                    .unwrap_err()
                    .contains("“GZ”加 13 位数字"),
                "{bad}"
            );
        }
        assert!(NoticeNumber::parse("GZ2026023000001")
            .unwrap_err()
            .contains("20260230"));
        assert!(NoticeNumber::parse("GZ2026120100000")
            .unwrap_err()
            .contains("00000"));
        use serde::de::value::{Error, StringDeserializer};
        let de =
            |s: &str| NoticeNumber::deserialize(StringDeserializer::<Error>::new(s.to_string()));
        assert!(de("GZ2026120100001").is_ok());
        assert!(de("GZ2026123200001").is_err());
    }

    #[test]
    fn access_codes_are_tracking_codes() {
        let code = access_code_from_bytes(&[7; 16]);
        assert_eq!(
            normalize_access_code(&code.to_lowercase()),
            Some(code.replace('-', ""))
        );
        assert!(constant_time_eq(code.as_bytes(), code.as_bytes()));
    }

    #[test]
    fn notice_has_every_section_in_order() {
        let dom = market();
        let facts = NoticeFacts {
            number: NoticeNumber::new(d(2026, 12, 1), 3).expect("valid"),
            authority: "鹤岗市市场监督管理局".into(),
            reason: "你单位生产销售不符合食品安全标准的食品，情节严重。".into(),
            basis: "《市场监督管理严重违法失信名单管理办法》第十条".into(),
            measures: "在国家企业信用信息公示系统公示；实施重点监管。".into(),
            hearing: true,
            answer_deadline: d(2026, 12, 8),
        };
        let s = notice_sections(&dom, &facts);
        let heads: Vec<&str> = s.iter().map(|(h, _)| *h).collect();
        assert_eq!(
            heads,
            [
                "事由",
                "依据",
                "拟采取的失信惩戒措施",
                "当事人权利",
                "答复期限",
                "答复方式"
            ]
        );
        assert!(s[0].1.contains("市场监督管理严重违法失信名单") && s[0].1.contains("3年"));
        assert!(s[3].1.contains("陈述、申辩") && s[3].1.contains("听证"));
        assert!(s[4].1.contains("2026年12月8日") && s[4].1.contains("视为放弃"));
        assert!(s[5].1.contains("/notices/GZ2026120100003") && s[5].1.contains("查询码"));
        assert!(s[5].1.contains("鹤岗市市场监督管理局"));
        let no_hearing = notice_sections(
            &dom,
            &NoticeFacts {
                hearing: false,
                ..facts
            },
        );
        assert!(!no_hearing[3].1.contains("听证") && !no_hearing[4].1.contains("听证"));
    }

    #[test]
    fn decision_has_every_section_in_order() {
        let dom = market();
        let facts = DecisionFacts {
            reason: "事由甲".into(),
            basis: "依据乙".into(),
            measures: "措施丙".into(),
            listed_on: d(2026, 12, 10),
        };
        let s = decision_sections(&dom, &facts);
        let heads: Vec<&str> = s.iter().map(|(h, _)| *h).collect();
        assert_eq!(
            heads,
            [
                "事由",
                "依据",
                "失信惩戒措施提示",
                "移出条件和程序",
                "救济措施"
            ]
        );
        assert_eq!(
            (s[0].1.as_str(), s[1].1.as_str(), s[2].1.as_str()),
            ("事由甲", "依据乙", "措施丙")
        );
        let removal = &s[3].1;
        assert!(
            removal.contains("自2026年12月10日起至2029年12月10日止"),
            "{removal}"
        );
        assert!(removal.contains("自2027年12月11日起"), "{removal}");
        assert!(
            removal.contains(&dom.removal_conditions) && removal.contains(&dom.removal_procedure)
        );
        assert_eq!(
            s[4].1,
            "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
        );
        let strict = SeriousDomain {
            earliest_removal_years: None,
            ..market()
        };
        assert!(decision_sections(&strict, &facts)[3]
            .1
            .contains("不适用提前移出"));
    }

    // -----------------------------------------------------------------
    // Properties
    // -----------------------------------------------------------------

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0u64..1095).prop_map(|k| d(2025, 1, 1) + Days::new(k))
    }

    /// A random calendar over 2025–2028: holidays on any day, make-up
    /// workdays on weekends (as the State Council publishes them).
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
        fn answer_deadline_counts_exactly_n_working_days(
            notice in any_date(), n in 1u32..=20, cal in any_calendar(),
        ) {
            let deadline = answer_deadline(notice, n, &cal);
            prop_assert!(deadline > notice);
            prop_assert!(cal.is_working_day(deadline));
            // Count day by day, independently of the calendar's arithmetic.
            let counted = notice
                .iter_days()
                .skip(1)
                .take_while(|x| *x <= deadline)
                .filter(|x| cal.is_working_day(*x))
                .count();
            prop_assert_eq!(counted, n as usize);
            let stop = publication_stop_deadline(notice, &cal);
            prop_assert!(stop > notice && cal.is_working_day(stop));
            prop_assert_eq!(cal.working_days_between(notice, stop), 3);
        }

        /// Random walks through the procedure: whatever happens, a decision
        /// on or before the deadline needs an answer that was replied to,
        /// an early removal is never before the domain's date, and only an
        /// early removal is revoked.
        #[test]
        fn walks_keep_the_rules(
            start in any_date(),
            n in 1u32..=10,
            years in 1u32..=5,
            early in proptest::option::of(0u32..=5),
            cal in any_calendar(),
            moves in proptest::collection::vec((0usize..8, 0u64..200), 1..40),
        ) {
            let dom = SeriousDomain {
                listing_years: years,
                earliest_removal_years: early.map(|e| e.min(years)),
                ..market()
            };
            let mut state = S::Proposed;
            let mut today = start;
            let mut deadline: Option<NaiveDate> = None;
            let mut listed_on: Option<NaiveDate> = None;
            let mut removal: Option<Removal> = None;
            // Whether the party's last answer has been replied to.
            let mut answered = false;
            let mut replied = false;
            let mut noticed = false;
            for (a, wait) in moves {
                today = today + Days::new(wait);
                let action = A::ALL[a];
                let ctx = ListingContext {
                    today, domain: &dom, answer_deadline: deadline,
                    listed_on, removal, text: "说明",
                };
                let Ok(s) = step(state, action, &ctx) else { continue };
                match action {
                    A::SendNotice => {
                        noticed = true;
                        deadline = Some(answer_deadline(today, n, &cal));
                    }
                    A::PartyAnswers => {
                        prop_assert!(deadline.is_some_and(|dl| today <= dl));
                        answered = true;
                        replied = false;
                    }
                    A::Reply => {
                        prop_assert!(answered);
                        replied = true;
                    }
                    A::Decide => {
                        prop_assert!(noticed);
                        let dl = deadline.expect("noticed");
                        if today <= dl {
                            prop_assert!(answered && replied);
                        }
                        prop_assert_eq!(s.waived, !answered);
                        listed_on = Some(today);
                    }
                    A::RemoveEarly => {
                        let first = dom.earliest_removal(listed_on.expect("listed"));
                        prop_assert!(first.is_some_and(|f| today >= f));
                        prop_assert_eq!(s.removal, Some(Removal::Early));
                    }
                    A::RemoveAtPeriodEnd => {
                        prop_assert!(today > dom.listing_ends(listed_on.expect("listed")));
                    }
                    A::RevokeRemoval => {
                        prop_assert_eq!(removal, Some(Removal::Early));
                        prop_assert!(s.restored);
                    }
                    A::RemoveOnObjection => {
                        prop_assert_eq!(s.removal, Some(Removal::OnObjection));
                    }
                    A::Withdraw => {}
                }
                removal = if s.to == S::Removed { s.removal } else { None };
                state = s.to;
            }
        }

        #[test]
        fn early_removal_exactly_from_the_domains_date(
            listed in any_date(), years in 1u32..=10, early in 0u32..=10, after in 0u64..4000,
        ) {
            let dom = SeriousDomain { listing_years: years, earliest_removal_years: Some(early.min(years)), ..market() };
            let today = listed + Days::new(after);
            let ctx = ListingContext { listed_on: Some(listed), text: "核实", ..ListingContext::new(today, &dom) };
            let first = dom.earliest_removal(listed).expect("allowed");
            let end = dom.listing_ends(listed);
            let got = transition(S::Listed, A::RemoveEarly, &ctx);
            prop_assert_eq!(got.is_ok(), first <= today && today <= end);
            if today < first {
                prop_assert_eq!(got.unwrap_err().possible_from, Some(first));
            }
        }

        #[test]
        fn silent_party_decision_exactly_after_the_deadline(
            notice in any_date(), n in 1u32..=10, after in 0u64..40, cal in any_calendar(),
        ) {
            let dom = market();
            let deadline = answer_deadline(notice, n, &cal);
            let today = notice + Days::new(after);
            let ctx = ListingContext { answer_deadline: Some(deadline), ..ListingContext::new(today, &dom) };
            prop_assert_eq!(transition(S::Notified, A::Decide, &ctx).is_ok(), today > deadline);
            prop_assert!(transition(S::Answered, A::Decide, &ctx).is_err());
            prop_assert!(transition(S::Proposed, A::Decide, &ctx).is_err());
        }

        #[test]
        fn notice_numbers_roundtrip(days in 0u64..40_000, seq in 1u32..=99_999) {
            let date = d(2000, 1, 1) + Days::new(days);
            let n = NoticeNumber::new(date, seq).expect("valid");
            prop_assert_eq!(NoticeNumber::parse(n.as_str()), Ok(n.clone()));
            prop_assert_eq!((n.date(), n.sequence()), (Some(date), Some(seq)));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = NoticeNumber::parse(&s);
        }
    }

    #[test]
    fn the_department_owes_a_step_only_once_the_party_could_answer() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let day = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        assert_eq!(awaiting_department(ListingState::Notified, d, day(3)), None);
        assert!(awaiting_department(ListingState::Notified, d, day(4)).is_some());
        assert!(awaiting_department(ListingState::Answered, d, day(1)).is_some());
        assert!(awaiting_department(ListingState::Replied, d, day(1)).is_some());
        assert_eq!(awaiting_department(ListingState::Listed, d, day(9)), None);
        assert_eq!(
            awaiting_department(ListingState::Withdrawn, d, day(9)),
            None
        );
    }
}
