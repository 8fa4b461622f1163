//! Staff of the portal: roles and what each may do, password rules, the
//! login limits, session lifetimes, and what the access register records.
//!
//! "谁认定、谁修复" (DOMAIN.md §3): the department that made a decision
//! reviews repairs of it, so a reviewer is bound to one department and sees
//! only its applications. Administrators of the credit authority manage
//! accounts and the holiday calendar; auditors read the access register.
//! Nobody else sees non-public data.

use chrono::Duration;

/// A staff member's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// 认定单位审核员: reviews repair applications of one department.
    Reviewer,
    /// 信用主管部门管理员: accounts, holiday calendar.
    Admin,
    /// 审计员: reads the access register.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Reviewer, Role::Admin, Role::Auditor];

    pub fn code(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Reviewer => "审核员",
            Role::Admin => "管理员",
            Role::Auditor => "审计员",
        }
    }
}

/// Who is signed in, as every staff page sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The reviewer's department; `None` for other roles.
    pub department_id: Option<i64>,
}

impl StaffMember {
    /// Whether this member may see and decide repair applications of
    /// `department_id`: only a reviewer of that same department.
    pub fn may_review(&self, department_id: i64) -> bool {
        self.role == Role::Reviewer && self.department_id == Some(department_id)
    }

    pub fn may_administer(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn may_audit(&self) -> bool {
        self.role == Role::Auditor
    }
}

/// A session ends after this long without a request…
pub const SESSION_IDLE: Duration = Duration::minutes(30);
/// …and at the latest this long after login.
pub const SESSION_ABSOLUTE: Duration = Duration::hours(8);

/// Whether a session created at `created` and last used at `last_seen` is
/// still valid at `now`.
pub fn session_alive(
    created: chrono::DateTime<chrono::Utc>,
    last_seen: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    now - last_seen < SESSION_IDLE && now - created < SESSION_ABSOLUTE
}

// Failed logins are limited so that guessing a password online is hopeless
// while a stranger cannot keep the holder out of the addresses the holder
// uses (the README's staff console section has the arithmetic). Failures are counted per username as typed,
// whether or not an account has it, so the limits behave alike for both
// and tell nothing. Every refusal reads like a wrong password
// ([`LOGIN_FAILED`]), except the per-client limit, which a client reaches
// whatever usernames it tries.

/// Failed logins one client may make in `CLIENT_WINDOW`, whatever the
/// usernames; then it is answered 429.
pub const CLIENT_LOGIN_FAILURES: u32 = 20;
pub const CLIENT_WINDOW: Duration = Duration::minutes(15);

/// Failed logins one client may make for one username in `CLIENT_WINDOW`.
pub const CLIENT_USERNAME_FAILURES: u32 = 5;

/// Failed logins for one username from everywhere in `USERNAME_WINDOW`
/// before clients it is not [known](KNOWN_CLIENT_FOR) from are refused. A
/// stranger can reach this, so it never stops a known client.
pub const USERNAME_FAILURES: u32 = 50;
pub const USERNAME_WINDOW: Duration = Duration::hours(24);

/// A client an account signed in from successfully within this long is
/// known to it: the username's ceiling does not apply to it.
pub const KNOWN_CLIENT_FOR: Duration = Duration::days(30);

/// The one answer to every failed login below the per-client limit: a
/// wrong password, an unknown or disabled user, a limited attempt.
pub const LOGIN_FAILED: &str =
    "用户名或密码不正确。如确认输入无误，可能是登录失败次数过多，请稍后再试或联系管理员。";

/// What the limits know of an attempt before its password is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoginStanding {
    /// Failures of this username from this client in `CLIENT_WINDOW`.
    pub from_client: u32,
    /// Failures of this username from everywhere in `USERNAME_WINDOW`
    /// (counted up to `USERNAME_FAILURES`).
    pub everywhere: u32,
    /// The account signed in from this client within `KNOWN_CLIENT_FOR`.
    pub known_client: bool,
}

impl LoginStanding {
    /// Whether the attempt is refused whatever the password.
    pub fn refused(&self) -> bool {
        self.from_client >= CLIENT_USERNAME_FAILURES
            || (!self.known_client && self.everywhere >= USERNAME_FAILURES)
    }
}

/// The key failed logins of `username` are counted under: as typed,
/// trimmed, ASCII case folded like the accounts table compares usernames.
pub fn username_key(username: &str) -> String {
    username.trim().to_ascii_lowercase()
}

/// Checks a new password; the error names what to change.
/// Why an administrator may not disable an account, if so: not their own
/// (they would lock themselves out), and never the last administrator who
/// can still sign in (nobody could open or repair accounts again).
/// `active_admins`: enabled administrator accounts, the target included.
pub fn disable_refusal(
    actor_account: i64,
    target: &StaffMember,
    active_admins: usize,
) -> Option<&'static str> {
    if target.account_id == actor_account {
        return Some("不能停用自己的账号");
    }
    if target.role == Role::Admin && active_admins <= 1 {
        return Some("这是最后一个可用的管理员账号，不能停用");
    }
    None
}

/// The characters of a temporary password: no look-alikes (0/O, 1/l/I).
const TEMPORARY_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/// A temporary password from 16 random bytes, as four groups of four
/// characters joined by hyphens (`Kf7q-…`), easy to read out and type. The
/// first three characters are an upper-case letter, a digit and a
/// lower-case letter, so it always has the classes [`check_new_password`]
/// asks for; the caller checks it anyway and draws again in the rare case
/// it repeats too few characters or contains the username.
pub fn temporary_password(random: [u8; 16]) -> String {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const LOWER: &[u8] = b"abcdefghjkmnpqrstuvwxyz";
    let pick = |set: &[u8], b: u8| set[usize::from(b) % set.len()] as char;
    let mut out = String::with_capacity(19);
    for (i, b) in random.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(match i {
            0 => pick(UPPER, *b),
            1 => pick(DIGIT, *b),
            2 => pick(LOWER, *b),
            _ => pick(TEMPORARY_ALPHABET, *b),
        });
    }
    out
}

pub fn check_new_password(password: &str, username: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < 12 {
        return Err("新密码至少需要 12 个字符".into());
    }
    if chars > 128 {
        return Err("新密码不能超过 128 个字符".into());
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err("新密码不能包含用户名".into());
    }
    let distinct: std::collections::HashSet<char> = password.chars().collect();
    if distinct.len() < 6 {
        return Err("新密码过于简单，请使用至少 6 个不同的字符".into());
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .into_iter()
    .filter(|&b| b)
    .count();
    if classes < 3 {
        return Err("新密码需包含小写字母、大写字母、数字、符号中的至少三类".into());
    }
    Ok(())
}

/// Checks a username for a new account.
pub fn check_username(username: &str) -> Result<String, String> {
    let u = username.trim();
    if u.is_empty() {
        return Err("请输入用户名".into());
    }
    if !(3..=32).contains(&u.len())
        || !u
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
    {
        return Err("用户名须为 3 至 32 位字母、数字或 . _ -".into());
    }
    Ok(u.to_ascii_lowercase())
}

/// What the access register records (查询使用登记, DOMAIN.md §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    LoginSucceeded,
    LoginFailed,
    Logout,
    PasswordChanged,
    /// Opened the review queue (names of applicants are not public).
    ViewQueue,
    /// Opened one application: applicant's name, phone, identity.
    ViewApplication,
    /// Downloaded an evidence file.
    DownloadEvidence,
    /// A decision or request on an application.
    Decide,
    AccountCreated,
    CalendarChanged,
    ViewAudit,
    /// Records delivered by a department's sheet (or pushed) were written.
    ImportCommitted,
    /// A delivery's commit ended without writing anything (refused at
    /// publication, or failed), with the reason.
    ImportFailed,
    /// A catalog item or a rule version was added.
    CatalogChanged,
    /// An API key was issued or revoked.
    ApiKeysChanged,
    /// An account was disabled or enabled, or its password reset.
    AccountChanged,
    /// The provincial platform read the change feed: records, some not
    /// public, left the platform.
    FeedRead,
    /// A serious-list domain was added or changed.
    SeriousDomainChanged,
    /// A step of the listing procedure: a notice served, a reply, a
    /// decision to list, a withdrawn proposal.
    ListingStep,
    /// A step on an objection (异议): accepted, supplement asked, limit
    /// extended, decided, refused; and a look at its non-public details.
    ObjectionStep,
    /// A measure of the measures list was added or changed (a new version).
    MeasureChanged,
    /// A government system asked the joint check about a subject.
    JointCheck,
    /// A system reported what it did with the measures a check named.
    CheckFeedback,
    /// An applicant's name and phone were deleted after the retention
    /// period (the system's job, not a person).
    ContactDataDeleted,
}

impl AuditAction {
    pub const ALL: [AuditAction; 24] = [
        AuditAction::LoginSucceeded,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::PasswordChanged,
        AuditAction::ViewQueue,
        AuditAction::ViewApplication,
        AuditAction::DownloadEvidence,
        AuditAction::Decide,
        AuditAction::AccountCreated,
        AuditAction::CalendarChanged,
        AuditAction::ViewAudit,
        AuditAction::ImportCommitted,
        AuditAction::ImportFailed,
        AuditAction::CatalogChanged,
        AuditAction::ApiKeysChanged,
        AuditAction::AccountChanged,
        AuditAction::FeedRead,
        AuditAction::SeriousDomainChanged,
        AuditAction::ListingStep,
        AuditAction::ObjectionStep,
        AuditAction::MeasureChanged,
        AuditAction::JointCheck,
        AuditAction::CheckFeedback,
        AuditAction::ContactDataDeleted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::LoginSucceeded => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::ViewQueue => "view_queue",
            AuditAction::ViewApplication => "view_application",
            AuditAction::DownloadEvidence => "download_evidence",
            AuditAction::Decide => "decide",
            AuditAction::AccountCreated => "account_created",
            AuditAction::CalendarChanged => "calendar_changed",
            AuditAction::ViewAudit => "view_audit",
            AuditAction::ImportCommitted => "import_committed",
            AuditAction::ImportFailed => "import_failed",
            AuditAction::CatalogChanged => "catalog_changed",
            AuditAction::ApiKeysChanged => "api_keys_changed",
            AuditAction::AccountChanged => "account_changed",
            AuditAction::FeedRead => "feed_read",
            AuditAction::SeriousDomainChanged => "serious_domain_changed",
            AuditAction::ListingStep => "listing_step",
            AuditAction::ObjectionStep => "objection_step",
            AuditAction::MeasureChanged => "measure_changed",
            AuditAction::JointCheck => "joint_check",
            AuditAction::CheckFeedback => "check_feedback",
            AuditAction::ContactDataDeleted => "contact_data_deleted",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditAction::LoginSucceeded => "登录",
            AuditAction::LoginFailed => "登录失败",
            AuditAction::Logout => "退出",
            AuditAction::PasswordChanged => "修改密码",
            AuditAction::ViewQueue => "查看待办列表",
            AuditAction::ViewApplication => "查看修复申请",
            AuditAction::DownloadEvidence => "下载证明材料",
            AuditAction::Decide => "办理修复申请",
            AuditAction::AccountCreated => "创建账号",
            AuditAction::CalendarChanged => "修改节假日安排",
            AuditAction::ViewAudit => "查阅使用登记",
            AuditAction::ImportCommitted => "导入双公示数据",
            AuditAction::ImportFailed => "导入未入库",
            AuditAction::CatalogChanged => "修改信用信息目录",
            AuditAction::ApiKeysChanged => "签发或吊销接口密钥",
            AuditAction::AccountChanged => "停用、启用账号或重置密码",
            AuditAction::FeedRead => "共享读取记录变动",
            AuditAction::SeriousDomainChanged => "修改严重失信主体名单领域",
            AuditAction::ListingStep => "办理严重失信主体名单认定",
            AuditAction::ObjectionStep => "办理异议",
            AuditAction::MeasureChanged => "修改失信惩戒措施清单",
            AuditAction::JointCheck => "联合奖惩核查",
            AuditAction::CheckFeedback => "反馈惩戒措施实施情况",
            AuditAction::ContactDataDeleted => "到期删除申请人联系信息",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn temporary_passwords_meet_the_password_rules() {
        let mut seen = std::collections::HashSet::new();
        let mut accepted = 0;
        // xorshift64: varied bytes without a dependency.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            let mut random = [0u8; 16];
            for b in random.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = (state >> 24) as u8;
            }
            let p = temporary_password(random);
            assert_eq!(p.len(), 19, "{p}");
            assert_eq!(p.matches('-').count(), 3);
            if check_new_password(&p, "reviewer").is_ok() {
                accepted += 1;
            }
            seen.insert(p);
        }
        assert!(accepted >= 1990, "nearly all pass at once: {accepted}");
        assert!(seen.len() > 1900, "they differ");
    }

    #[test]
    fn an_admin_cannot_disable_themselves_or_the_last_admin() {
        let admin = StaffMember {
            account_id: 2,
            username: "wang".into(),
            display_name: "王管理".into(),
            role: Role::Admin,
            department_id: None,
        };
        assert!(disable_refusal(2, &admin, 3).is_some(), "self");
        assert!(disable_refusal(1, &admin, 1).is_some(), "last admin");
        assert_eq!(disable_refusal(1, &admin, 2), None);
        assert_eq!(disable_refusal(9, &reviewer(4), 1), None);
    }

    fn reviewer(dept: i64) -> StaffMember {
        StaffMember {
            account_id: 1,
            username: "li".into(),
            display_name: "李审核".into(),
            role: Role::Reviewer,
            department_id: Some(dept),
        }
    }

    #[test]
    fn only_a_reviewer_of_the_deciding_department_reviews() {
        assert!(reviewer(7).may_review(7));
        assert!(!reviewer(7).may_review(8));
        let admin = StaffMember {
            role: Role::Admin,
            department_id: None,
            ..reviewer(7)
        };
        assert!(!admin.may_review(7));
        assert!(admin.may_administer() && !admin.may_audit());
    }

    #[test]
    fn only_a_known_client_passes_the_username_ceiling() {
        let fresh = LoginStanding::default();
        assert!(!fresh.refused());
        let from_client = LoginStanding {
            from_client: CLIENT_USERNAME_FAILURES,
            known_client: true,
            ..fresh
        };
        assert!(
            from_client.refused(),
            "known or not, one client's guesses stop"
        );
        let ceiling = LoginStanding {
            everywhere: USERNAME_FAILURES,
            ..fresh
        };
        assert!(ceiling.refused());
        assert!(!LoginStanding {
            known_client: true,
            ..ceiling
        }
        .refused());
        assert_eq!(username_key(" Admin "), "admin");
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 26, 1, 0, 0).unwrap();
        assert!(session_alive(t0, t0, t0 + Duration::minutes(29)));
        assert!(!session_alive(t0, t0, t0 + Duration::minutes(31)));
        let recent = t0 + Duration::hours(8);
        assert!(!session_alive(t0, recent, recent + Duration::minutes(1)));
    }

    #[test]
    fn passwords_must_be_long_and_varied() {
        assert!(check_new_password("short1A!", "li").is_err());
        assert!(check_new_password("aaaaaaaaaaaaaaaa", "li").is_err());
        assert!(check_new_password("lowercaseonly!!", "li").is_err());
        assert!(check_new_password("Reviewer-2026-zhang", "zhang").is_err());
        assert!(check_new_password("Hegang-Credit-2026", "li").is_ok());
    }

    #[test]
    fn usernames_are_plain_ascii() {
        assert_eq!(check_username(" Li.Ming "), Ok("li.ming".into()));
        assert!(check_username("李明").is_err());
        assert!(check_username("ab").is_err());
    }

    #[test]
    fn audit_codes_round_trip() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(a.code()), Some(a));
        }
    }
}
