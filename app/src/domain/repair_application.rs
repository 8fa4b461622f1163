//! The online credit-repair application (信用修复申请).
//!
//! Lives here: the application's life cycle ([`ApplicationState`], [`Action`],
//! [`transition`]), its public identifiers ([`ApplicationNumber`] and the
//! tracking code 查询码), who applies ([`ApplicantKind`]) and which evidence
//! they must supply ([`EvidenceKind`], [`required_evidence`]), checks on
//! uploaded files ([`check_upload`], [`sniff`]), contact details
//! ([`parse_mobile`], [`parse_person_name`]) and the generated pledge
//! (信用修复承诺书, [`pledge_text`]).
//!
//! Everything is pure and panic-free on any input, so it runs identically on
//! the server and in the browser. Error messages are Chinese, meant to be
//! shown to applicants as-is: they name the field and say how to fix it.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::daily_number::daily_number_type;
use super::search_text::to_halfwidth;

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

/// Dash-like characters people type between groups of digits or letters.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}')
}

// ---------------------------------------------------------------------------
// Life cycle
// ---------------------------------------------------------------------------

/// Where an application stands.
///
/// Serialised as its [`ApplicationState::code`]; the Rust variant names are
/// also accepted when deserialising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationState {
    /// 已提交: waiting for the department to look at it.
    #[serde(rename = "submitted", alias = "Submitted")]
    Submitted,
    /// 已受理: formally accepted, being examined.
    #[serde(rename = "accepted", alias = "Accepted")]
    Accepted,
    /// 待补正: the applicant must supply or correct materials.
    #[serde(rename = "needs_supplement", alias = "NeedsSupplement")]
    NeedsSupplement,
    /// 已修复: repair granted (final).
    #[serde(rename = "approved", alias = "Approved")]
    Approved,
    /// 不予修复: repair refused (final).
    #[serde(rename = "rejected", alias = "Rejected")]
    Rejected,
    /// 已撤回: withdrawn by the applicant (final).
    #[serde(rename = "withdrawn", alias = "Withdrawn")]
    Withdrawn,
    /// 已作废: the department found it was not made by or for the
    /// record's subject (final; the reason is shown to the applicant, and
    /// the record is free for the subject's own application).
    #[serde(rename = "voided", alias = "Voided")]
    Voided,
}

impl ApplicationState {
    /// All states, in life-cycle order.
    pub const ALL: [ApplicationState; 7] = [
        ApplicationState::Submitted,
        ApplicationState::Accepted,
        ApplicationState::NeedsSupplement,
        ApplicationState::Approved,
        ApplicationState::Rejected,
        ApplicationState::Withdrawn,
        ApplicationState::Voided,
    ];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            ApplicationState::Submitted => "submitted",
            ApplicationState::Accepted => "accepted",
            ApplicationState::NeedsSupplement => "needs_supplement",
            ApplicationState::Approved => "approved",
            ApplicationState::Rejected => "rejected",
            ApplicationState::Withdrawn => "withdrawn",
            ApplicationState::Voided => "voided",
        }
    }

    /// Inverse of [`ApplicationState::code`] (exact match).
    pub fn from_code(code: &str) -> Option<ApplicationState> {
        ApplicationState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Chinese label shown to applicants and staff.
    pub fn label(self) -> &'static str {
        match self {
            ApplicationState::Submitted => "已提交",
            ApplicationState::Accepted => "已受理",
            ApplicationState::NeedsSupplement => "待补正",
            ApplicationState::Approved => "已修复",
            ApplicationState::Rejected => "不予修复",
            ApplicationState::Withdrawn => "已撤回",
            ApplicationState::Voided => "已作废",
        }
    }

    /// Whether the application is still being handled (not approved,
    /// rejected, withdrawn or voided).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ApplicationState::Approved
                | ApplicationState::Rejected
                | ApplicationState::Withdrawn
                | ApplicationState::Voided
        )
    }

    /// Whether the department has made a decision (approved or rejected).
    pub fn is_decided(self) -> bool {
        matches!(
            self,
            ApplicationState::Approved | ApplicationState::Rejected
        )
    }
}

/// Something done to an application, by staff or by the applicant.
///
/// Serialised as its [`Action::code`]; the Rust variant names are also
/// accepted when deserialising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// 受理 (staff).
    #[serde(rename = "accept", alias = "Accept")]
    Accept,
    /// 要求补正 (staff).
    #[serde(rename = "request_supplement", alias = "RequestSupplement")]
    RequestSupplement,
    /// 提交补正材料: the applicant answers a request for supplement.
    #[serde(rename = "supplement", alias = "Supplement")]
    Supplement,
    /// 同意修复 (staff).
    #[serde(rename = "approve", alias = "Approve")]
    Approve,
    /// 不予修复 (staff).
    #[serde(rename = "reject", alias = "Reject")]
    Reject,
    /// 撤回申请 (applicant).
    #[serde(rename = "withdraw", alias = "Withdraw")]
    Withdraw,
    /// 作废 (staff): not the subject's application.
    #[serde(rename = "void", alias = "Void")]
    Void,
}

impl Action {
    /// All actions, in display order.
    pub const ALL: [Action; 7] = [
        Action::Accept,
        Action::RequestSupplement,
        Action::Supplement,
        Action::Approve,
        Action::Reject,
        Action::Withdraw,
        Action::Void,
    ];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::RequestSupplement => "request_supplement",
            Action::Supplement => "supplement",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Withdraw => "withdraw",
            Action::Void => "void",
        }
    }

    /// Inverse of [`Action::code`] (exact match).
    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Chinese label for buttons and the history log.
    pub fn label(self) -> &'static str {
        match self {
            Action::Accept => "受理",
            Action::RequestSupplement => "要求补正",
            Action::Supplement => "提交补正材料",
            Action::Approve => "同意修复",
            Action::Reject => "不予修复",
            Action::Withdraw => "撤回申请",
            Action::Void => "作废（非主体本人申请）",
        }
    }

    /// Whether staff must give a reason, which the applicant sees: a
    /// request to supplement (what is missing), a refusal and a voiding.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Action::RequestSupplement | Action::Reject | Action::Void
        )
    }

    /// Whether the applicant (rather than staff) performs this action.
    pub fn by_applicant(self) -> bool {
        matches!(self, Action::Supplement | Action::Withdraw)
    }

    /// Verb phrase used inside error sentences (“不能再撤回”), which reads
    /// better than the button label there.
    fn verb(self) -> &'static str {
        match self {
            Action::Accept => "受理",
            Action::RequestSupplement => "要求补正",
            Action::Supplement => "提交补正材料",
            Action::Approve => "同意修复",
            Action::Reject => "作出不予修复决定",
            Action::Withdraw => "撤回",
            Action::Void => "作废",
        }
    }
}

/// The time limit an action starts, as (setting key, default working
/// days): acceptance starts the decision limit, a request to supplement the
/// applicant's limit, supplemented materials (like a new submission) the
/// acceptance limit. Decisions and withdrawal end the clock.
pub fn deadline_setting(action: Option<Action>) -> Option<(&'static str, u32)> {
    match action {
        None | Some(Action::Supplement) => Some(("repair.accept_working_days", 3)),
        Some(Action::Accept) => Some(("repair.decide_working_days", 10)),
        Some(Action::RequestSupplement) => Some(("repair.supplement_working_days", 10)),
        Some(Action::Approve | Action::Reject | Action::Withdraw | Action::Void) => None,
    }
}

/// An action that is not allowed in the application's current state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransitionError {
    /// The state the application is in.
    pub from: ApplicationState,
    /// The action that was attempted.
    pub action: Action,
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // For a closed application “不能再…” tells the user nothing further
        // can happen; for an open one the action is merely out of order.
        let not = if self.from.is_open() {
            "不能"
        } else {
            "不能再"
        };
        write!(
            f,
            "该申请当前状态为“{}”，{}{}",
            self.from.label(),
            not,
            self.action.verb()
        )
    }
}

impl std::error::Error for TransitionError {}

/// The state after `action`, or an error if the action is not allowed now.
///
/// submitted → accepted (Accept) | needs_supplement (RequestSupplement) |
/// rejected (Reject) | withdrawn (Withdraw);
/// accepted → needs_supplement | approved | rejected | withdrawn;
/// needs_supplement → submitted (Supplement) | withdrawn | rejected;
/// any open state → voided (Void) when it is not the subject's;
/// approved, rejected, withdrawn and voided are final.
pub fn transition(
    from: ApplicationState,
    action: Action,
) -> Result<ApplicationState, TransitionError> {
    use Action as A;
    use ApplicationState as S;
    let to = match (from, action) {
        (S::Submitted, A::Accept) => S::Accepted,
        (S::Submitted, A::RequestSupplement) => S::NeedsSupplement,
        (S::Submitted, A::Reject) => S::Rejected,
        (S::Submitted, A::Withdraw) => S::Withdrawn,
        (S::Accepted, A::RequestSupplement) => S::NeedsSupplement,
        (S::Accepted, A::Approve) => S::Approved,
        (S::Accepted, A::Reject) => S::Rejected,
        (S::Accepted, A::Withdraw) => S::Withdrawn,
        // Supplemented materials go back to the start of the queue so they
        // are checked again before acceptance.
        (S::NeedsSupplement, A::Supplement) => S::Submitted,
        (S::NeedsSupplement, A::Withdraw) => S::Withdrawn,
        // Refusal is possible when the supplement deadline passes.
        (S::NeedsSupplement, A::Reject) => S::Rejected,
        // Whoever passed the identity step without being the subject (or
        // its agent) must not hold the record's one open application.
        (S::Submitted | S::Accepted | S::NeedsSupplement, A::Void) => S::Voided,
        _ => return Err(TransitionError { from, action }),
    };
    Ok(to)
}

// ---------------------------------------------------------------------------
// Application number
// ---------------------------------------------------------------------------

daily_number_type!(
    /// Public number of an application: `XF` (信修) + date (YYYYMMDD) +
    /// 5-digit daily sequence, e.g. `XF2026112600042`.
    ApplicationNumber,
    "XF",
    "申请编号"
);

// ---------------------------------------------------------------------------
// Tracking code
// ---------------------------------------------------------------------------

/// Characters of a tracking code (查询码): digits and capitals without the
/// easily confused 0, O, 1, I and L.
///
/// Only 31 such characters exist (8 digits + 23 letters), so the alphabet
/// has 31 rather than 32 characters; adding a symbol would make the code
/// hard to read out over the phone. 12 characters still give ~59 bits.
pub const TRACKING_ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Number of significant characters in a tracking code.
pub const TRACKING_CODE_LEN: usize = 12;

/// Turns 16 random bytes (from the OS random generator — the caller's job)
/// into a tracking code `XXXX-XXXX-XXXX`.
///
/// The bytes are read as one 128-bit number and written in base 31; the
/// modulo bias is below 2⁻⁶⁸, i.e. nil.
pub fn tracking_code_from_bytes(random: &[u8; 16]) -> String {
    let alphabet = TRACKING_ALPHABET.as_bytes();
    let base = alphabet.len() as u128;
    let mut v = u128::from_be_bytes(*random);
    let mut out = String::with_capacity(TRACKING_CODE_LEN + 2);
    for i in 0..TRACKING_CODE_LEN {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let idx = (v % base) as usize;
        v /= base;
        out.push(alphabet.get(idx).map_or('2', |&b| char::from(b)));
    }
    out
}

/// Normalises a tracking code typed by a user: trims, uppercases, converts
/// full-width to half-width and drops spaces and dashes. Returns the 12
/// bare characters (the form that is hashed and stored), or None if the
/// input is not a well-formed code.
pub fn normalize_tracking_code(s: &str) -> Option<String> {
    let norm: String = s
        .chars()
        .map(to_halfwidth)
        .filter(|c| !c.is_whitespace() && !is_dash(*c))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = norm.chars().count() == TRACKING_CODE_LEN
        && norm.chars().all(|c| TRACKING_ALPHABET.contains(c));
    ok.then_some(norm)
}

/// Compares two byte strings (e.g. hashes of tracking codes) in time that
/// depends only on their lengths, so a timing attacker cannot learn how many
/// leading bytes matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        // Lengths are public (hashes have a fixed size).
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // Keep the optimiser from turning the fold into an early exit.
    std::hint::black_box(diff) == 0
}

// ---------------------------------------------------------------------------
// Applicant and evidence
// ---------------------------------------------------------------------------

/// Who files the application.
///
/// Serialised as its [`ApplicantKind::code`]; the Rust variant names are
/// also accepted when deserialising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicantKind {
    /// The credit subject itself (the company, or the person).
    #[serde(rename = "subject", alias = "Subject")]
    Subject,
    /// An agent authorised by the subject.
    #[serde(rename = "agent", alias = "Agent")]
    Agent,
}

impl ApplicantKind {
    /// Both kinds, in display order.
    pub const ALL: [ApplicantKind; 2] = [ApplicantKind::Subject, ApplicantKind::Agent];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            ApplicantKind::Subject => "subject",
            ApplicantKind::Agent => "agent",
        }
    }

    /// Inverse of [`ApplicantKind::code`] (exact match).
    pub fn from_code(code: &str) -> Option<ApplicantKind> {
        ApplicantKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ApplicantKind::Subject => "信用主体本人（单位）",
            ApplicantKind::Agent => "受托代理人",
        }
    }
}

/// A kind of supporting material.
///
/// Serialised as its [`EvidenceKind::code`]; the Rust variant names are also
/// accepted when deserialising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EvidenceKind {
    /// Proof that the obligations of the decision were fulfilled.
    #[serde(rename = "fulfilment", alias = "FulfilmentProof")]
    FulfilmentProof,
    /// Report on how the conduct was corrected.
    #[serde(rename = "rectification", alias = "RectificationReport")]
    RectificationReport,
    /// Identity of the subject.
    #[serde(rename = "identity", alias = "Identity")]
    Identity,
    /// Power of attorney (agents only).
    #[serde(rename = "authorisation", alias = "Authorisation")]
    Authorisation,
    /// What shows a record is wrong (an objection's evidence: a decision,
    /// its revocation, a review decision, a judgment, a certificate).
    #[serde(rename = "objection_proof", alias = "ObjectionProof")]
    ObjectionProof,
}

impl EvidenceKind {
    /// The kinds a repair application takes, in the order its upload
    /// form lists them.
    pub const ALL: [EvidenceKind; 4] = [
        EvidenceKind::FulfilmentProof,
        EvidenceKind::RectificationReport,
        EvidenceKind::Identity,
        EvidenceKind::Authorisation,
    ];

    /// Stable ASCII code for storage and URLs.
    pub fn code(self) -> &'static str {
        match self {
            EvidenceKind::FulfilmentProof => "fulfilment",
            EvidenceKind::RectificationReport => "rectification",
            EvidenceKind::Identity => "identity",
            EvidenceKind::Authorisation => "authorisation",
            EvidenceKind::ObjectionProof => "objection_proof",
        }
    }

    /// The kinds an objection takes, in the order its form lists them
    /// (DOMAIN.md §12: evidence, and who is objecting).
    pub const OBJECTION: [EvidenceKind; 3] = [
        EvidenceKind::ObjectionProof,
        EvidenceKind::Identity,
        EvidenceKind::Authorisation,
    ];

    /// Inverse of [`EvidenceKind::code`] (exact match).
    pub fn from_code(code: &str) -> Option<EvidenceKind> {
        EvidenceKind::ALL
            .into_iter()
            .chain([EvidenceKind::ObjectionProof])
            .find(|k| k.code() == code)
    }

    /// Chinese label for the upload form.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::FulfilmentProof => "履行义务证明（如罚款缴纳凭证）",
            EvidenceKind::RectificationReport => "整改情况报告",
            EvidenceKind::Identity => "主体身份证明（营业执照或身份证件）",
            EvidenceKind::Authorisation => "授权委托书",
            EvidenceKind::ObjectionProof => "异议证明材料",
        }
    }

    /// One-sentence hint shown under the upload field.
    pub fn hint(self) -> &'static str {
        match self {
            EvidenceKind::FulfilmentProof => {
                "请上传已履行行政处罚决定的凭证，例如罚款、没收违法所得的缴款收据或银行转账回单。"
            }
            EvidenceKind::RectificationReport => {
                "请上传加盖公章（个人为本人签名）的整改情况报告，说明违法行为已如何纠正及整改结果。"
            }
            EvidenceKind::Identity => "单位请上传营业执照等登记证照，个人请上传身份证件正反面。",
            EvidenceKind::Authorisation => {
                "委托他人代为申请的，请上传信用主体签章的授权委托书，写明委托事项和期限。"
            }
            EvidenceKind::ObjectionProof => {
                "请上传证明信息有误的材料，例如原决定书、撤销或变更决定、复议决定、生效判决或认定单位出具的证明。"
            }
        }
    }
}

/// The evidence an applicant of `applicant` kind must upload: all four
/// kinds for an agent, all but the power of attorney for the subject.
pub fn required_evidence(applicant: ApplicantKind) -> Vec<EvidenceKind> {
    EvidenceKind::ALL
        .into_iter()
        .filter(|k| applicant == ApplicantKind::Agent || *k != EvidenceKind::Authorisation)
        .collect()
}

// ---------------------------------------------------------------------------
// Uploaded files
// ---------------------------------------------------------------------------

/// File types accepted as evidence.
///
/// Serialised as its [`FileKind::extension`]-like code (`pdf`, `jpeg`,
/// `png`); the Rust variant names are also accepted when deserialising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// PDF document.
    #[serde(rename = "pdf", alias = "Pdf")]
    Pdf,
    /// JPEG image.
    #[serde(rename = "jpeg", alias = "Jpeg")]
    Jpeg,
    /// PNG image.
    #[serde(rename = "png", alias = "Png")]
    Png,
}

impl FileKind {
    /// MIME type to serve the file with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    /// Canonical file-name extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
        }
    }

    /// Chinese description, e.g. `PNG 图片`.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF 文档",
            FileKind::Jpeg => "JPG 图片",
            FileKind::Png => "PNG 图片",
        }
    }

    /// Whether a (lower-case) file-name extension belongs to this kind.
    fn matches_extension(self, ext: &str) -> bool {
        match self {
            FileKind::Pdf => ext == "pdf",
            FileKind::Jpeg => matches!(ext, "jpg" | "jpeg" | "jpe" | "jfif"),
            FileKind::Png => ext == "png",
        }
    }
}

/// The file type judged by its first bytes (magic numbers) only; the name
/// and any browser-supplied MIME type are not trusted.
pub fn sniff(head: &[u8]) -> Option<FileKind> {
    if head.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileKind::Png)
    } else {
        None
    }
}

/// Largest single file accepted.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// Largest total size of all files of one application.
pub const MAX_APPLICATION_BYTES: u64 = 40 * 1024 * 1024;
/// Most files one application may have.
pub const MAX_FILES: usize = 20;

/// What anyone, without an account, may keep on the server before
/// submitting: drafts and their uploads. Without these bounds one address
/// filled the disk at 100 MB a second by opening drafts. A person applying
/// opens one or two drafts and uploads a few files; the caps are far above
/// that and far below what hurts the machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DraftLimits {
    /// New drafts one client may open in an hour.
    pub drafts_per_client_per_hour: u32,
    /// Drafts open at once, from everyone (they expire after a day).
    pub open_drafts: u32,
    /// Bytes of uploads in one client's unsubmitted drafts.
    pub bytes_per_client: u64,
    /// Bytes of uploads in all unsubmitted drafts.
    pub bytes_total: u64,
}

impl Default for DraftLimits {
    fn default() -> Self {
        DraftLimits {
            drafts_per_client_per_hour: 20,
            open_drafts: 5_000,
            bytes_per_client: 100 * 1024 * 1024,
            bytes_total: 4 * 1024 * 1024 * 1024,
        }
    }
}

/// What drafts hold now, as the limits count it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DraftUsage {
    /// Drafts the client opened in the last hour.
    pub client_recent_drafts: u32,
    pub open_drafts: u32,
    pub client_bytes: u64,
    pub total_bytes: u64,
}

/// Why a draft or an upload is refused: the applicant's own limit (come
/// back later) or the portal's (busy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftRefusal {
    Client(String),
    Portal(String),
}

impl DraftLimits {
    /// May the client open another draft?
    pub fn new_draft(&self, usage: &DraftUsage) -> Result<(), DraftRefusal> {
        if usage.open_drafts >= self.open_drafts {
            return Err(DraftRefusal::Portal(
                "在线申请人数较多，暂时不能开始新的申请，请稍后再试，或到认定单位窗口办理。".into(),
            ));
        }
        if usage.client_recent_drafts >= self.drafts_per_client_per_hour {
            return Err(DraftRefusal::Client(format!(
                "您的网络地址一小时内已开始 {} 份申请，请先完成已开始的申请，或一小时后再试。",
                self.drafts_per_client_per_hour
            )));
        }
        Ok(())
    }

    /// May the client upload another file (of at most [`MAX_FILE_BYTES`])?
    pub fn upload(&self, usage: &DraftUsage) -> Result<(), DraftRefusal> {
        if usage.total_bytes.saturating_add(MAX_FILE_BYTES) > self.bytes_total {
            return Err(DraftRefusal::Portal(
                "系统暂时不能接收更多材料，请稍后再试，或到认定单位窗口提交纸质材料。".into(),
            ));
        }
        if usage.client_bytes.saturating_add(MAX_FILE_BYTES) > self.bytes_per_client {
            return Err(DraftRefusal::Client(format!(
                "您的网络地址在未提交的申请中已上传 {} MB 材料，已达上限。请先提交或删除已上传的材料后再上传。",
                mb(usage.client_bytes)
            )));
        }
        Ok(())
    }
}

/// Size in MB with one decimal, e.g. `12.3`, in integer arithmetic so the
/// server and the browser print the same.
fn mb(bytes: u64) -> String {
    let tenths = (u128::from(bytes) * 10 + 524_288) / 1_048_576;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The last path component of a client-supplied file name (browsers on
/// Windows used to send the full path).
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Lower-case half-width extension of a file name, if it has one.
fn extension_of(name: &str) -> Option<String> {
    let base = base_name(name).trim();
    let (stem, ext) = base.rsplit_once(['.', '．'])?;
    if stem.is_empty() || ext.is_empty() {
        return None;
    }
    Some(
        ext.trim()
            .chars()
            .map(to_halfwidth)
            .map(|c| c.to_ascii_lowercase())
            .collect(),
    )
}

/// Checks one uploaded file before it is stored: `name` as sent by the
/// browser, `head` its first bytes (at least 8 are needed to recognise all
/// types), `size` its size and `already` the bytes already uploaded for the
/// same application. Returns the type judged from the content.
///
/// The extension must agree with the content: a PNG named `x.pdf` is
/// refused, because staff would open it with the wrong program and because
/// a mismatch often means the wrong file was picked.
pub fn check_upload(name: &str, head: &[u8], size: u64, already: u64) -> Result<FileKind, String> {
    let shown = safe_display_name(name);
    if size == 0 || head.is_empty() {
        return Err(format!("文件“{shown}”是空文件，请重新选择"));
    }
    let Some(kind) = sniff(head) else {
        return Err(format!(
            "文件“{shown}”不是 PDF、JPG 或 PNG 格式，请将材料扫描或转换为这三种格式之一后重新上传"
        ));
    };
    // A name without an extension says nothing, so only a present,
    // different extension counts as a mismatch.
    if let Some(ext) = extension_of(name) {
        if !kind.matches_extension(&ext) {
            return Err(format!(
                "文件“{shown}”的内容是 {}，与扩展名不符，请确认后重新上传",
                kind.label()
            ));
        }
    }
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "文件“{shown}”大小为 {} MB，超过 10 MB 的上限，请压缩或分成几个文件后重新上传",
            mb(size)
        ));
    }
    if already.saturating_add(size) > MAX_APPLICATION_BYTES {
        return Err(format!(
            "本申请已上传 {} MB 材料，再加上文件“{shown}”（{} MB）将超过 40 MB 的总上限，请删除不必要的文件或压缩后再上传",
            mb(already),
            mb(size)
        ));
    }
    Ok(kind)
}

/// Checks that one more file may be added to an application that already
/// has `already_files` files.
pub fn check_file_count(already_files: usize) -> Result<(), String> {
    if already_files >= MAX_FILES {
        Err(format!(
            "每份申请最多上传 {MAX_FILES} 个文件，请删除不必要的文件，或将多页材料合并为一个 PDF 后再上传"
        ))
    } else {
        Ok(())
    }
}

/// Maximum length of a displayed file name, in characters.
const MAX_NAME_CHARS: usize = 80;

/// A client-supplied file name made safe to display and store: any path is
/// stripped, control and bidirectional-override characters are removed (the
/// latter can disguise `exe.pdf` as `fdp.exe`), the result is limited to 80
/// characters keeping the extension, and never empty (`未命名文件`).
pub fn safe_display_name(name: &str) -> String {
    let cleaned: String = base_name(name)
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.chars().all(|c| c == '.') {
        // Empty, or only “.”/“..”, which are path tricks rather than names.
        return "未命名文件".to_string();
    }
    let len = trimmed.chars().count();
    if len <= MAX_NAME_CHARS {
        return trimmed.to_string();
    }
    // Too long: keep a short extension so the type stays visible.
    match trimmed.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.chars().count() <= 10 => {
            let keep = MAX_NAME_CHARS - 2 - ext.chars().count(); // “…” and “.”
            let head: String = stem.chars().take(keep).collect();
            format!("{}….{ext}", head.trim_end())
        }
        _ => {
            let head: String = trimmed.chars().take(MAX_NAME_CHARS - 1).collect();
            format!("{}…", head.trim_end())
        }
    }
}

// ---------------------------------------------------------------------------
// Contact details
// ---------------------------------------------------------------------------

/// Parses a mainland mobile number: 11 digits starting with 13–19. Spaces,
/// dashes, a `+86`/`0086` prefix and full-width digits are accepted.
/// Returns the bare 11 digits.
pub fn parse_mobile(s: &str) -> Result<String, String> {
    let compact: String = s
        .chars()
        .map(to_halfwidth)
        .filter(|c| !c.is_whitespace() && !is_dash(*c))
        .collect();
    if compact.is_empty() {
        return Err("请填写联系电话（手机号码）".to_string());
    }
    let digits = if let Some(rest) = compact.strip_prefix("+86") {
        rest
    } else if let Some(rest) = compact.strip_prefix("0086") {
        rest
    } else if compact.len() == 13 && compact.starts_with("86") {
        compact.get(2..).unwrap_or_default()
    } else {
        compact.as_str()
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("联系电话只能填写数字，请去掉其中的字母或符号".to_string());
    }
    let b = digits.as_bytes();
    if b.len() != 11 {
        return Err(format!(
            "联系电话应为 11 位中国大陆手机号码，您填写的是 {} 位，请检查是否多输或少输了数字",
            b.len()
        ));
    }
    if !(b.first() == Some(&b'1') && matches!(b.get(1), Some(b'3'..=b'9'))) {
        // Landlines (e.g. 010-12345678) land here too: SMS notices need a
        // mobile.
        return Err("联系电话应为以 13–19 开头的手机号码，不能填写固定电话，请核对".to_string());
    }
    Ok(digits.to_string())
}

/// Masks a mobile number for display, e.g. `138****5678`. Input that is not
/// a valid number is masked as well (never shown in full).
pub fn mask_mobile(s: &str) -> String {
    match parse_mobile(s) {
        Ok(m) => format!(
            "{}****{}",
            m.get(..3).unwrap_or_default(),
            m.get(7..).unwrap_or_default()
        ),
        Err(_) => {
            let chars: Vec<char> = s.trim().chars().collect();
            if chars.len() < 8 {
                "****".to_string()
            } else {
                let head: String = chars.iter().take(3).collect();
                let tail: String = chars.iter().skip(chars.len() - 4).collect();
                format!("{head}****{tail}")
            }
        }
    }
}

/// Parses a person's name for the field labelled `field_label` (e.g.
/// `联系人姓名`): trimmed, 2–30 characters, no digits or control characters.
/// The middle dot of minority and foreign names (`·`) is allowed; the
/// look-alikes people type instead (`•`, `・`, `．`) are turned into it.
pub fn parse_person_name(s: &str, field_label: &str) -> Result<String, String> {
    let norm: String = s
        .chars()
        .map(|c| match c {
            '•' | '・' | '．' | '\u{2027}' | '\u{FF65}' => '·',
            '\u{3000}' => ' ',
            // Full-width Latin letters as typed with an IME.
            '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => to_halfwidth(c),
            _ => c,
        })
        .collect();
    let name = norm.trim();
    if name.is_empty() {
        return Err(format!("请填写{field_label}"));
    }
    if name
        .chars()
        .any(|c| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c))
    {
        return Err(format!("{field_label}中不能包含数字，请填写证件上的姓名"));
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "{field_label}中含有无法显示的字符，请删除后重新输入"
        ));
    }
    let len = name.chars().count();
    if len < 2 {
        return Err(format!("{field_label}至少应有 2 个字，请填写完整姓名"));
    }
    if len > 30 {
        return Err(format!("{field_label}不能超过 30 个字，请核对"));
    }
    if name.starts_with('·') || name.ends_with('·') || name.contains("··") {
        return Err(format!(
            "{field_label}中的间隔号“·”只能用在两个名字部分之间，请核对"
        ));
    }
    Ok(name.to_string())
}

// ---------------------------------------------------------------------------
// Pledge
// ---------------------------------------------------------------------------

/// Title of the pledge document.
pub const PLEDGE_TITLE: &str = "信用修复承诺书";

/// The facts from the record that the pledge is generated from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeFacts {
    /// Name of the credit subject (company or person).
    pub subject_name: String,
    /// 统一社会信用代码, if the subject has one.
    pub credit_code: Option<String>,
    /// Document number of the penalty decision (行政处罚决定书文号).
    pub doc_no: String,
    /// Authority that made the decision.
    pub authority: String,
    /// Date of the decision.
    pub decision_date: NaiveDate,
}

/// The paragraphs of the 信用修复承诺书 (without the title, see
/// [`PLEDGE_TITLE`]), generated from the record so the applicant signs
/// exactly what the decision says.
pub fn pledge_text(f: &PledgeFacts) -> Vec<String> {
    let name = f.subject_name.trim();
    let code = f
        .credit_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| format!("（统一社会信用代码：{c}）"))
        .unwrap_or_default();
    let date = format!(
        "{}年{}月{}日",
        f.decision_date.year(),
        f.decision_date.month(),
        f.decision_date.day()
    );
    vec![
        format!(
            "承诺人{name}{code}因{authority}于{date}作出的行政处罚决定（决定书文号：{doc_no}），现向信用修复受理部门申请对相关行政处罚信息进行信用修复，并郑重作出如下承诺：",
            authority = f.authority.trim(),
            doc_no = f.doc_no.trim(),
        ),
        "一、本承诺人已全面履行上述行政处罚决定所确定的全部义务，相关违法行为已经纠正，整改措施已落实到位，不存在仍在持续的违法状态。".to_string(),
        "二、本承诺人在本次申请中提交的全部材料和填写的信息均真实、准确、完整、有效，不存在虚构、隐瞒、篡改或者伪造的情形。".to_string(),
        "三、本承诺人自愿接受信用修复受理部门及有关行政机关的核实和检查。如所作承诺不实或者违背承诺，同意将虚假承诺行为作为失信信息记入信用记录并依法公示，由有关部门撤销信用修复决定、恢复公示相关行政处罚信息，并依法承担相应的法律责任。".to_string(),
        "四、本承诺人今后将严格遵守法律、法规和规章，依法诚信经营和从事各项活动，自觉接受政府部门和社会的监督。".to_string(),
        "特此承诺。".to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn state_codes_and_labels() {
        let expected = [
            ("submitted", "已提交"),
            ("accepted", "已受理"),
            ("needs_supplement", "待补正"),
            ("approved", "已修复"),
            ("rejected", "不予修复"),
            ("withdrawn", "已撤回"),
        ];
        for (s, (code, label)) in ApplicationState::ALL.into_iter().zip(expected) {
            assert_eq!(s.code(), code);
            assert_eq!(s.label(), label);
            assert_eq!(ApplicationState::from_code(code), Some(s));
        }
        assert_eq!(ApplicationState::from_code("Submitted"), None);
        let open: Vec<_> = ApplicationState::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(
            open,
            [
                ApplicationState::Submitted,
                ApplicationState::Accepted,
                ApplicationState::NeedsSupplement
            ]
        );
        let decided: Vec<_> = ApplicationState::ALL
            .into_iter()
            .filter(|s| s.is_decided())
            .collect();
        assert_eq!(
            decided,
            [ApplicationState::Approved, ApplicationState::Rejected]
        );
    }

    #[test]
    fn action_codes_and_labels() {
        let expected = [
            ("accept", "受理", false),
            ("request_supplement", "要求补正", false),
            ("supplement", "提交补正材料", true),
            ("approve", "同意修复", false),
            ("reject", "不予修复", false),
            ("withdraw", "撤回申请", true),
        ];
        for (a, (code, label, applicant)) in Action::ALL.into_iter().zip(expected) {
            assert_eq!(a.code(), code);
            assert_eq!(a.label(), label);
            assert_eq!(a.by_applicant(), applicant);
            assert_eq!(Action::from_code(code), Some(a));
        }
        assert_eq!(Action::from_code(""), None);
    }

    #[test]
    fn serde_uses_codes() {
        use serde::de::value::{Error, StrDeserializer};
        fn de<T: for<'a> Deserialize<'a>>(s: &'static str) -> Option<T> {
            T::deserialize(StrDeserializer::<Error>::new(s)).ok()
        }
        for s in ApplicationState::ALL {
            assert_eq!(de::<ApplicationState>(s.code()), Some(s));
        }
        for a in Action::ALL {
            assert_eq!(de::<Action>(a.code()), Some(a));
        }
        for k in EvidenceKind::ALL {
            assert_eq!(de::<EvidenceKind>(k.code()), Some(k));
        }
        for k in ApplicantKind::ALL {
            assert_eq!(de::<ApplicantKind>(k.code()), Some(k));
        }
        assert_eq!(
            de::<ApplicationState>("NeedsSupplement"),
            Some(ApplicationState::NeedsSupplement)
        );
        assert_eq!(de::<FileKind>("png"), Some(FileKind::Png));
    }

    #[test]
    fn transition_table_exhaustive() {
        use Action as A;
        use ApplicationState as S;
        let allowed = [
            (S::Submitted, A::Accept, S::Accepted),
            (S::Submitted, A::RequestSupplement, S::NeedsSupplement),
            (S::Submitted, A::Reject, S::Rejected),
            (S::Submitted, A::Withdraw, S::Withdrawn),
            (S::Accepted, A::RequestSupplement, S::NeedsSupplement),
            (S::Accepted, A::Approve, S::Approved),
            (S::Accepted, A::Reject, S::Rejected),
            (S::Accepted, A::Withdraw, S::Withdrawn),
            (S::NeedsSupplement, A::Supplement, S::Submitted),
            (S::NeedsSupplement, A::Withdraw, S::Withdrawn),
            (S::NeedsSupplement, A::Reject, S::Rejected),
            (S::Submitted, A::Void, S::Voided),
            (S::Accepted, A::Void, S::Voided),
            (S::NeedsSupplement, A::Void, S::Voided),
        ];
        let mut ok = 0;
        for from in S::ALL {
            for action in A::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => {
                        assert_eq!(transition(from, action), Ok(to), "{from:?} {action:?}");
                        ok += 1;
                    }
                    None => assert_eq!(
                        transition(from, action),
                        Err(TransitionError { from, action }),
                        "{from:?} {action:?}"
                    ),
                }
            }
        }
        assert_eq!(ok, allowed.len());
        // Final states admit nothing.
        for from in [S::Approved, S::Rejected, S::Withdrawn, S::Voided] {
            assert!(A::ALL.into_iter().all(|a| transition(from, a).is_err()));
        }
    }

    #[test]
    fn transition_error_messages() {
        let e = transition(ApplicationState::Approved, Action::Withdraw).unwrap_err();
        assert_eq!(e.to_string(), "该申请当前状态为“已修复”，不能再撤回");
        let e = transition(ApplicationState::Submitted, Action::Supplement).unwrap_err();
        assert_eq!(e.to_string(), "该申请当前状态为“已提交”，不能提交补正材料");
        let e = transition(ApplicationState::Rejected, Action::Reject).unwrap_err();
        assert_eq!(
            e.to_string(),
            "该申请当前状态为“不予修复”，不能再作出不予修复决定"
        );
    }

    #[test]
    fn application_number() {
        let n = ApplicationNumber::new(d(2026, 11, 26), 42).expect("valid");
        assert_eq!(n.as_str(), "XF2026112600042");
        assert_eq!(n.to_string(), "XF2026112600042");
        assert_eq!(n.date(), Some(d(2026, 11, 26)));
        assert_eq!(n.sequence(), Some(42));
        assert_eq!(ApplicationNumber::parse(" xf2026112600042 "), Ok(n.clone()));
        assert_eq!(
            ApplicationNumber::parse("ＸＦ２０２６１１２６０００４２"),
            Ok(n.clone())
        );
        assert_eq!(
            ApplicationNumber::try_from("XF2026112600042".to_string()),
            Ok(n.clone())
        );
        assert_eq!(String::from(n), "XF2026112600042");

        assert!(ApplicationNumber::new(d(2026, 1, 1), 0).is_none());
        assert!(ApplicationNumber::new(d(2026, 1, 1), 100_000).is_none());
        assert!(ApplicationNumber::new(d(2026, 1, 1), 99_999).is_some());
        assert!(ApplicationNumber::new(d(999, 1, 1), 1).is_none());

        for bad in [
            "",
            "  ",
            "XF202611260004",
            "XF20261126000420",
            "XX2026112600042",
            "XF20261126000A2",
            "XF2026112600042号",
        ] {
            let e = ApplicationNumber::parse(bad).unwrap_err();
            assert!(e.contains("申请编号"), "{bad}: {e}");
        }
        let e = ApplicationNumber::parse("XF2026022900001").unwrap_err();
        assert!(e.contains("20260229") && e.contains("不存在"), "{e}");
        let e = ApplicationNumber::parse("XF2026112600000").unwrap_err();
        assert!(e.contains("00000"), "{e}");
    }

    #[test]
    fn application_number_serde_validates() {
        use serde::de::value::{Error, StringDeserializer};
        let de = |s: &str| {
            ApplicationNumber::deserialize(StringDeserializer::<Error>::new(s.to_string()))
        };
        assert_eq!(
            de("XF2026112600042").map(|n| n.to_string()).ok().as_deref(),
            Some("XF2026112600042")
        );
        assert!(de("XF2026113100042").is_err());
    }

    #[test]
    fn tracking_alphabet_is_unambiguous() {
        assert_eq!(TRACKING_ALPHABET.len(), 31);
        for bad in ['0', 'O', '1', 'I', 'L'] {
            assert!(!TRACKING_ALPHABET.contains(bad));
        }
        let mut chars: Vec<char> = TRACKING_ALPHABET.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        assert_eq!(chars.len(), 31);
        assert!(chars
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    }

    #[test]
    fn tracking_code_examples() {
        assert_eq!(tracking_code_from_bytes(&[0; 16]), "2222-2222-2222");
        let code = tracking_code_from_bytes(&[0xFF; 16]);
        assert_eq!(code.len(), 14);
        assert_eq!(
            normalize_tracking_code(" abcd-efgh-jkmn "),
            Some("ABCDEFGHJKMN".to_string())
        );
        assert_eq!(
            normalize_tracking_code("ＡＢＣＤ　ＥＦＧＨ－ＪＫＭＮ"),
            Some("ABCDEFGHJKMN".to_string())
        );
        assert_eq!(normalize_tracking_code("ABCD-EFGH-JKM0"), None); // 0
        assert_eq!(normalize_tracking_code("ABCD-EFGH-JKM"), None); // short
        assert_eq!(normalize_tracking_code("ABCD-EFGH-JKMNP"), None); // long
        assert_eq!(normalize_tracking_code(""), None);
        assert_eq!(normalize_tracking_code("ABCD_EFGH_JKMN"), None);
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn applicant_and_evidence() {
        assert_eq!(ApplicantKind::Subject.label(), "信用主体本人（单位）");
        assert_eq!(ApplicantKind::Agent.label(), "受托代理人");
        for k in ApplicantKind::ALL {
            assert_eq!(ApplicantKind::from_code(k.code()), Some(k));
        }
        let expected = [
            ("fulfilment", "履行义务证明（如罚款缴纳凭证）"),
            ("rectification", "整改情况报告"),
            ("identity", "主体身份证明（营业执照或身份证件）"),
            ("authorisation", "授权委托书"),
        ];
        for (k, (code, label)) in EvidenceKind::ALL.into_iter().zip(expected) {
            assert_eq!(k.code(), code);
            assert_eq!(k.label(), label);
            assert_eq!(EvidenceKind::from_code(code), Some(k));
            assert!(k.hint().ends_with('。'));
        }
        assert_eq!(
            required_evidence(ApplicantKind::Agent),
            EvidenceKind::ALL.to_vec()
        );
        assert_eq!(
            required_evidence(ApplicantKind::Subject),
            [
                EvidenceKind::FulfilmentProof,
                EvidenceKind::RectificationReport,
                EvidenceKind::Identity
            ]
        );
    }

    const PDF: &[u8] = b"%PDF-1.7\n";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F'];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0];

    #[test]
    fn sniffing() {
        assert_eq!(sniff(PDF), Some(FileKind::Pdf));
        assert_eq!(sniff(JPEG), Some(FileKind::Jpeg));
        assert_eq!(sniff(PNG), Some(FileKind::Png));
        assert_eq!(sniff(b"%PDF"), None);
        assert_eq!(sniff(b"PK\x03\x04"), None);
        assert_eq!(sniff(&[]), None);
        assert_eq!(FileKind::Png.mime(), "image/png");
        assert_eq!(FileKind::Jpeg.extension(), "jpg");
        assert_eq!(FileKind::Pdf.label(), "PDF 文档");
    }

    #[test]
    fn upload_checks() {
        assert_eq!(check_upload("x.pdf", PDF, 1000, 0), Ok(FileKind::Pdf));
        assert_eq!(check_upload("照片.JPEG", JPEG, 1000, 0), Ok(FileKind::Jpeg));
        assert_eq!(
            check_upload("C:\\扫描\\a.png", PNG, 1000, 0),
            Ok(FileKind::Png)
        );
        assert_eq!(check_upload("scan", PNG, 1000, 0), Ok(FileKind::Png));

        assert_eq!(
            check_upload("x.pdf", &[], 0, 0).unwrap_err(),
            "文件“x.pdf”是空文件，请重新选择"
        );
        let e = check_upload("x.doc", b"\xD0\xCF\x11\xE0", 1000, 0).unwrap_err();
        assert!(e.starts_with("文件“x.doc”不是 PDF、JPG 或 PNG 格式"), "{e}");
        assert_eq!(
            check_upload("x.pdf", PNG, 1000, 0).unwrap_err(),
            "文件“x.pdf”的内容是 PNG 图片，与扩展名不符，请确认后重新上传"
        );
        let e = check_upload("x.doc", PDF, 1000, 0).unwrap_err();
        assert!(e.contains("PDF 文档") && e.contains("扩展名不符"), "{e}");

        assert_eq!(
            check_upload("x.pdf", PDF, MAX_FILE_BYTES, 0),
            Ok(FileKind::Pdf)
        );
        let e = check_upload("x.pdf", PDF, MAX_FILE_BYTES + 1, 0).unwrap_err();
        assert!(e.contains("超过 10 MB") && e.contains("10.0 MB"), "{e}");

        let already = MAX_APPLICATION_BYTES - 1000;
        assert_eq!(check_upload("x.pdf", PDF, 1000, already), Ok(FileKind::Pdf));
        let e = check_upload("x.pdf", PDF, 1001, already).unwrap_err();
        assert!(e.contains("40 MB") && e.contains("x.pdf"), "{e}");
        assert!(check_upload("x.pdf", PDF, 1, u64::MAX).is_err());

        assert!(check_file_count(MAX_FILES - 1).is_ok());
        assert!(check_file_count(MAX_FILES)
            .unwrap_err()
            .contains("20 个文件"));
    }

    #[test]
    fn display_names() {
        assert_eq!(
            safe_display_name("C:\\Users\\张三\\罚款收据.pdf"),
            "罚款收据.pdf"
        );
        assert_eq!(safe_display_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_display_name("a\u{0}b\nc.pdf"), "abc.pdf");
        assert_eq!(safe_display_name("x\u{202E}fdp.exe"), "xfdp.exe");
        assert_eq!(safe_display_name(""), "未命名文件");
        assert_eq!(safe_display_name("dir/"), "未命名文件");
        assert_eq!(safe_display_name(".."), "未命名文件");
        let long = format!("{}.pdf", "很".repeat(200));
        let shown = safe_display_name(&long);
        assert_eq!(shown.chars().count(), 80);
        assert!(shown.ends_with("….pdf"));
        let shown = safe_display_name(&"a".repeat(200));
        assert_eq!(shown.chars().count(), 80);
    }

    #[test]
    fn mobiles() {
        for ok in [
            "13812345678",
            " 138 1234 5678 ",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "008613812345678",
            "8613812345678",
            "１３８１２３４５６７８",
            "＋８６　１３８－１２３４－５６７８",
        ] {
            assert_eq!(parse_mobile(ok).as_deref(), Ok("13812345678"), "{ok}");
        }
        for bad in [
            "",
            "12812345678",
            "1381234567",
            "138123456789",
            "1381234567a",
            "010-12345678",
            "+8612812345678",
        ] {
            let e = parse_mobile(bad).unwrap_err();
            assert!(e.contains("联系电话"), "{bad}: {e}");
        }
        assert_eq!(mask_mobile("138 1234 5678"), "138****5678");
        assert_eq!(mask_mobile("+86 13812345678"), "138****5678");
        assert_eq!(mask_mobile("123"), "****");
        assert_eq!(mask_mobile("010-12345678"), "010****5678");
    }

    #[test]
    fn person_names() {
        let p = |s: &str| parse_person_name(s, "联系人姓名");
        assert_eq!(p(" 张三 ").as_deref(), Ok("张三"));
        assert_eq!(p("买买提·艾力").as_deref(), Ok("买买提·艾力"));
        assert_eq!(p("买买提•艾力").as_deref(), Ok("买买提·艾力"));
        assert_eq!(p("John Smith").as_deref(), Ok("John Smith"));
        for bad in [
            "",
            "  ",
            "张",
            "张3",
            "张３",
            "张\u{7}三",
            "·张三",
            "张三·",
            "张··三",
        ] {
            let e = p(bad).unwrap_err();
            assert!(e.contains("联系人姓名"), "{bad:?}: {e}");
        }
        assert!(p(&"张".repeat(30)).is_ok());
        assert!(p(&"张".repeat(31)).unwrap_err().contains("30"));
    }

    #[test]
    fn pledge() {
        let facts = PledgeFacts {
            subject_name: "某某市某某商贸有限公司".into(),
            credit_code: Some("91410600MA0000000X".into()),
            doc_no: "某市监罚〔2025〕123号".into(),
            authority: "某某市市场监督管理局".into(),
            decision_date: d(2025, 3, 8),
        };
        let text = pledge_text(&facts);
        let all = text.concat();
        assert!(all.contains("某某市某某商贸有限公司"));
        assert!(all.contains("某市监罚〔2025〕123号"));
        assert!(all.contains("某某市市场监督管理局"));
        assert!(all.contains("2025年3月8日"));
        assert!(all.contains("91410600MA0000000X"));
        assert!(all.contains("真实"));
        assert!(all.contains("撤销信用修复决定"));
        assert_eq!(text.last().map(String::as_str), Some("特此承诺。"));
        let without_code = pledge_text(&PledgeFacts {
            credit_code: None,
            ..facts
        });
        assert!(!without_code.concat().contains("统一社会信用代码"));
    }

    proptest! {
        #[test]
        fn tracking_codes_roundtrip(bytes in any::<[u8; 16]>()) {
            let code = tracking_code_from_bytes(&bytes);
            prop_assert_eq!(code.len(), 14);
            let groups: Vec<&str> = code.split('-').collect();
            prop_assert_eq!(groups.len(), 3);
            prop_assert!(groups.iter().all(|g| g.len() == 4));
            let norm = normalize_tracking_code(&code);
            prop_assert_eq!(norm.clone(), Some(code.replace('-', "")));
            let lower = code.to_lowercase();
            prop_assert_eq!(normalize_tracking_code(&lower), norm);
        }

        #[test]
        fn application_numbers_roundtrip(days in 0u64..40_000, seq in 1u32..=99_999) {
            let date = d(2000, 1, 1)
                .checked_add_days(chrono::Days::new(days))
                .expect("in range");
            let n = ApplicationNumber::new(date, seq).expect("valid");
            prop_assert_eq!(ApplicationNumber::parse(n.as_str()), Ok(n.clone()));
            prop_assert_eq!(n.date(), Some(date));
            prop_assert_eq!(n.sequence(), Some(seq));
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}", bytes in proptest::collection::vec(any::<u8>(), 0..16), size in any::<u64>(), already in any::<u64>()) {
            let _ = ApplicationNumber::parse(&s);
            let _ = normalize_tracking_code(&s);
            let _ = parse_mobile(&s);
            let _ = mask_mobile(&s);
            let _ = parse_person_name(&s, "姓名");
            let shown = safe_display_name(&s);
            prop_assert!(!shown.is_empty() && shown.chars().count() <= 80);
            let _ = check_upload(&s, &bytes, size, already);
        }

        #[test]
        fn masked_mobile_hides_middle(s in "1[3-9][0-9]{9}") {
            let m = mask_mobile(&s);
            prop_assert_eq!(m.len(), 11);
            prop_assert_eq!(&m[3..7], "****");
        }
    }
}
