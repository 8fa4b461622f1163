//! API keys of other systems: issued and revoked by administrators, stored
//! as SHA-256, looked up on every request. A key's scope says what it may
//! do (`app::domain::api_key::KeyScope`); a push key names its department.

use app::domain::api_key::KeyScope;
use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::repair::{parse_ts, ts};
use super::sqlite::{db_err, SqliteStore};
use super::staff::append_in_tx;

/// What a key lets its holder do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Push the records of this department, and only of it.
    Push { department_id: i64 },
    /// Read the change feed.
    Feed,
}

impl Grant {
    pub fn scope(self) -> KeyScope {
        match self {
            Grant::Push { .. } => KeyScope::Push,
            Grant::Feed => KeyScope::Feed,
        }
    }

    fn department_id(self) -> Option<i64> {
        match self {
            Grant::Push { department_id } => Some(department_id),
            Grant::Feed => None,
        }
    }

    /// The grant stored as `scope` and `department_id` (the schema's check
    /// keeps the two consistent; anything else is a broken database).
    fn from_columns(scope: &str, department_id: Option<i64>) -> Result<Grant, StoreError> {
        match (KeyScope::from_code(scope), department_id) {
            (Some(KeyScope::Push), Some(department_id)) => Ok(Grant::Push { department_id }),
            (Some(KeyScope::Feed), None) => Ok(Grant::Feed),
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
    /// The department of a push key.
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

pub async fn list(store: &SqliteStore) -> Result<Vec<ApiKey>, StoreError> {
    let rows = sqlx::query(
        "select k.id, k.scope, k.department_id, d.name, k.name, k.prefix, k.created_at,
                k.revoked_at
         from api_keys k left join departments d on d.id = k.department_id order by k.id",
    )
    .fetch_all(store.pool())
    .await
    .map_err(db_err)?;
    rows.iter()
        .map(|r| {
            let grant = Grant::from_columns(&r.get::<String, _>(1), r.get(2))?;
            Ok(ApiKey {
                id: r.get(0),
                scope: grant.scope(),
                department: r.get(3),
                name: r.get(4),
                prefix: r.get(5),
                created_at: parse_ts(&r.get::<String, _>(6))?,
                revoked_at: r
                    .get::<Option<String>, _>(7)
                    .as_deref()
                    .map(parse_ts)
                    .transpose()?,
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub async fn issue(
    store: &SqliteStore,
    grant: Grant,
    name: &str,
    prefix: &str,
    key_hash: &str,
    created_by: i64,
    now: DateTime<Utc>,
    audit: &NewAuditEntry,
) -> Result<(), StoreError> {
    let mut tx = store.write_tx().await.map_err(db_err)?;
    sqlx::query(
        "insert into api_keys (scope, department_id, name, prefix, key_hash, created_at,
                               created_by)
         values (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(grant.scope().code())
    .bind(grant.department_id())
    .bind(name)
    .bind(prefix)
    .bind(key_hash)
    .bind(ts(now))
    .bind(created_by)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    append_in_tx(&mut tx, audit).await?;
    tx.commit().await.map_err(db_err)
}

/// Revokes key `id`; false when it was not active.
pub async fn revoke(
    store: &SqliteStore,
    id: i64,
    now: DateTime<Utc>,
    audit: &NewAuditEntry,
) -> Result<bool, StoreError> {
    let mut tx = store.write_tx().await.map_err(db_err)?;
    let n = sqlx::query("update api_keys set revoked_at = ? where id = ? and revoked_at is null")
        .bind(ts(now))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?
        .rows_affected();
    if n == 0 {
        return Ok(false);
    }
    append_in_tx(&mut tx, audit).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(true)
}

/// The active key with hash `key_hash`, if there is one.
pub async fn active(store: &SqliteStore, key_hash: &str) -> Result<Option<ActiveKey>, StoreError> {
    let row = sqlx::query(
        "select id, name, prefix, scope, department_id from api_keys
         where key_hash = ? and revoked_at is null",
    )
    .bind(key_hash)
    .fetch_optional(store.pool())
    .await
    .map_err(db_err)?;
    row.map(|r| {
        Ok(ActiveKey {
            id: r.get(0),
            name: r.get(1),
            prefix: r.get(2),
            grant: Grant::from_columns(&r.get::<String, _>(3), r.get(4))?,
        })
    })
    .transpose()
}
