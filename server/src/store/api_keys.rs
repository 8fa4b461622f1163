//! API keys of departments' systems: issued and revoked by administrators,
//! stored as SHA-256, looked up on every push.

use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::repair::{parse_ts, ts};
use super::sqlite::{db_err, SqliteStore};
use super::staff::append_in_tx;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: i64,
    pub department_id: i64,
    pub department: String,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn list(store: &SqliteStore) -> Result<Vec<ApiKey>, StoreError> {
    let rows = sqlx::query(
        "select k.id, k.department_id, d.name, k.name, k.prefix, k.created_at, k.revoked_at
         from api_keys k join departments d on d.id = k.department_id order by k.id",
    )
    .fetch_all(store.pool())
    .await
    .map_err(db_err)?;
    rows.iter()
        .map(|r| {
            Ok(ApiKey {
                id: r.get(0),
                department_id: r.get(1),
                department: r.get(2),
                name: r.get(3),
                prefix: r.get(4),
                created_at: parse_ts(&r.get::<String, _>(5))?,
                revoked_at: r
                    .get::<Option<String>, _>(6)
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
    department_id: i64,
    name: &str,
    prefix: &str,
    key_hash: &str,
    created_by: i64,
    now: DateTime<Utc>,
    audit: &NewAuditEntry,
) -> Result<(), StoreError> {
    let mut tx = store.write_tx().await.map_err(db_err)?;
    sqlx::query(
        "insert into api_keys (department_id, name, prefix, key_hash, created_at, created_by)
         values (?, ?, ?, ?, ?, ?)",
    )
    .bind(department_id)
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

/// The department of an active key with hash `key_hash`, and the key's name.
pub async fn department_of(
    store: &SqliteStore,
    key_hash: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(sqlx::query(
        "select department_id, name from api_keys where key_hash = ? and revoked_at is null",
    )
    .bind(key_hash)
    .fetch_optional(store.pool())
    .await
    .map_err(db_err)?
    .map(|r| (r.get(0), r.get(1))))
}
