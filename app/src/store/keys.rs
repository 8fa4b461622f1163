//! Storage of the API keys of other systems: issued and revoked by
//! administrators, kept as SHA-256 (the key itself is shown once and never
//! stored), looked up on every request. A key's scope says what it may do
//! (`crate::domain::api_key::KeyScope`); a push key names its department.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::staff::NewAuditEntry;
use super::StoreError;
use crate::domain::api_key::KeyScope;

/// What a key lets its holder do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Push the records of this department, and only of it.
    Push { department_id: i64 },
    /// Read the change feed.
    Feed,
    /// Ask the joint check for this department, and report back.
    Check { department_id: i64 },
}

impl Grant {
    pub fn scope(self) -> KeyScope {
        match self {
            Grant::Push { .. } => KeyScope::Push,
            Grant::Feed => KeyScope::Feed,
            Grant::Check { .. } => KeyScope::Check,
        }
    }

    /// The department a push key writes for, or a check key asks for.
    pub fn department_id(self) -> Option<i64> {
        match self {
            Grant::Push { department_id } | Grant::Check { department_id } => Some(department_id),
            Grant::Feed => None,
        }
    }

    /// The grant stored as a scope code and a department (a store keeps
    /// the two consistent; anything else is a broken database).
    pub fn from_columns(scope: &str, department_id: Option<i64>) -> Result<Grant, StoreError> {
        match (KeyScope::from_code(scope), department_id) {
            (Some(KeyScope::Push), Some(department_id)) => Ok(Grant::Push { department_id }),
            (Some(KeyScope::Feed), None) => Ok(Grant::Feed),
            (Some(KeyScope::Check), Some(department_id)) => Ok(Grant::Check { department_id }),
            _ => Err(StoreError(format!(
                "api key scope {scope} with department {department_id:?}"
            ))),
        }
    }
}

/// A key as the administrators' list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: i64,
    pub scope: KeyScope,
    /// The department of a push or check key.
    pub department: Option<String>,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An active key a request carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveKey {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub grant: Grant,
}

/// A key being issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewKey {
    pub grant: Grant,
    /// The system that will use it.
    pub name: String,
    /// The first characters of the key, to tell keys apart in lists.
    pub prefix: String,
    pub key_hash: String,
    pub created_by: i64,
    pub now: DateTime<Utc>,
}

#[async_trait]
pub trait KeyStore: Send + Sync + 'static {
    /// Every key ever issued, oldest first.
    async fn keys(&self) -> Result<Vec<ApiKey>, StoreError>;

    async fn issue_key(&self, key: &NewKey, audit: &NewAuditEntry) -> Result<(), StoreError>;

    /// Revokes key `id`; false when it was not active (nothing registered).
    async fn revoke_key(
        &self,
        id: i64,
        now: DateTime<Utc>,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError>;

    /// The active key with hash `key_hash`, if there is one.
    async fn active_key(&self, key_hash: &str) -> Result<Option<ActiveKey>, StoreError>;
}
