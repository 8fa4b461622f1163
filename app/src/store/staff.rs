//! Storage of the staff console: accounts, sessions, the access register
//! and the review queue with its decisions.
//!
//! Like [`super::Store`], nothing database-specific crosses this trait.
//! Password hashing, tokens and the register's hash chain are computed by
//! the server; the store keeps what it is given. A decision, with its
//! effects and its register entry, is one [`WriteTx`] that the server's
//! review service takes step by step.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::repair::NewEvent;
use super::write_tx::WriteTx;
use super::StoreError;
use crate::domain::repair_application::ApplicationState;
use crate::domain::staff::{AuditAction, LoginStanding, Role, StaffMember};

/// An account as stored (the password hash never leaves the server).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAccount {
    pub member: StaffMember,
    pub password_hash: String,
    pub disabled: bool,
    /// The password was set by an administrator: the member must choose
    /// their own before anything else.
    pub must_change_password: bool,
    /// The reviewer's department name, for display.
    pub department_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub password_hash: String,
    /// Set by an administrator for someone else (not chosen by its holder).
    pub must_change_password: bool,
    pub now: DateTime<Utc>,
}

/// A signed-in session. `token_hash` is the SHA-256 of the cookie's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSession {
    pub token_hash: String,
    pub account_id: i64,
    /// Posted back by every staff form (with the same-origin check).
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// An entry for the access register; the store chains it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub at: DateTime<Utc>,
    pub account_id: Option<i64>,
    pub actor: String,
    pub action: AuditAction,
    pub target: String,
    pub purpose: String,
    pub client: String,
}

/// An entry as stored, with its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub account_id: Option<i64>,
    pub actor: String,
    /// The stored code (kept as text so a verifier reads any row).
    pub action: String,
    pub target: String,
    pub purpose: String,
    pub client: String,
    pub prev_hash: String,
    pub hash: String,
}

/// What an auditor searches the register by (all optional, combined).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    /// Matches anywhere in the target (an application number, a file).
    pub target: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: u32,
}

/// One open application in a department's queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    pub application_id: i64,
    pub number: String,
    pub state: ApplicationState,
    pub submitted_at: DateTime<Utc>,
    pub record_id: i64,
    pub doc_no: String,
    pub subject_name: String,
    /// When the next step is due (the latest event's deadline).
    pub deadline: Option<NaiveDate>,
}

/// A reviewer's action on an application, with what it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub application_id: i64,
    /// The state the reviewer saw; the decision applies only if unchanged.
    pub expected: ApplicationState,
    pub event: NewEvent,
    pub staff_account_id: i64,
    /// The penalty the application is about.
    pub record_id: i64,
    /// The day in China the decision is made (a repaired record stops
    /// being public on it).
    pub today: NaiveDate,
    pub audit: NewAuditEntry,
}

#[async_trait]
pub trait StaffStore: Send + Sync + 'static {
    /// Creates an account; `Ok(Err(message))` when the username is taken.
    async fn create_account(&self, account: &NewAccount)
        -> Result<Result<i64, String>, StoreError>;
    async fn account_by_username(
        &self,
        username: &str,
    ) -> Result<Option<StoredAccount>, StoreError>;
    async fn account(&self, id: i64) -> Result<Option<StoredAccount>, StoreError>;
    async fn accounts(&self) -> Result<Vec<StoredAccount>, StoreError>;

    /// Failed logins by `client` since `since`, whatever the usernames.
    async fn client_login_failures_since(
        &self,
        client: &str,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError>;
    /// How the login limits stand at `now` for `username` (a
    /// [`crate::domain::staff::username_key`]) tried from `client`;
    /// `account_id` is the account with that username, if there is one.
    async fn login_standing(
        &self,
        username: &str,
        account_id: Option<i64>,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<LoginStanding, StoreError>;
    /// Records a failed login of `username` (a key, as above) from `client`.
    async fn note_login_failure(
        &self,
        username: &str,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Starts a session, and remembers `client` as one the account signs
    /// in from.
    async fn start_session(&self, session: &StoredSession, client: &str) -> Result<(), StoreError>;
    async fn session(&self, token_hash: &str) -> Result<Option<StoredSession>, StoreError>;
    async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Deletes sessions that can no longer be used at `now`, failed
    /// attempts no limit counts any more, and clients no longer known;
    /// returns how many rows went.
    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Sets a new password hash and ends every other session of the account.
    /// Disables an account (ending its sessions) or enables it again, with
    /// its register entry, in one transaction.
    async fn set_disabled(
        &self,
        account_id: i64,
        disabled: bool,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError>;
    /// Replaces a password an administrator resets: the holder must change
    /// it at the next sign-in and its sessions end; with its register
    /// entry, in one transaction.
    async fn reset_password(
        &self,
        account_id: i64,
        password_hash: &str,
        now: DateTime<Utc>,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError>;
    async fn set_password(
        &self,
        account_id: i64,
        password_hash: &str,
        keep_session: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Appends to the access register.
    async fn append_audit(&self, entry: &NewAuditEntry) -> Result<(), StoreError>;
    /// The newest entries matching `filter`, newest first.
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;
    /// Every entry in order, for verifying the chain.
    async fn audit_chain(&self) -> Result<Vec<AuditEntry>, StoreError>;

    /// Open applications of a department.
    async fn review_queue(&self, department_id: i64) -> Result<Vec<QueueItem>, StoreError>;
    /// The deadlines of every department's open applications, each once.
    async fn open_deadlines(&self) -> Result<Vec<NaiveDate>, StoreError>;
    /// A write transaction for a decision's steps (see [`WriteTx`]).
    async fn begin_write(&self) -> Result<Box<dyn WriteTx>, StoreError>;

    /// Adds or replaces a calendar day (holiday or make-up working day).
    async fn set_calendar_day(
        &self,
        entry: &crate::domain::working_days::CalendarEntry,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError>;
    /// Removes a calendar day; false when there was none.
    async fn remove_calendar_day(
        &self,
        date: NaiveDate,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError>;
}
