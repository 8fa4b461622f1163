//! API keys in SQLite (`app::store::keys`): stored as SHA-256, looked up
//! on every request.

use app::store::keys::{ActiveKey, ApiKey, Grant, KeyStore, NewKey};
use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::staff::append_in_tx;
use super::{db_err, SqliteStore};
use crate::store::register::{parse_ts, ts};

#[async_trait]
impl KeyStore for SqliteStore {
    async fn keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        let rows = sqlx::query(
            "select k.id, k.scope, k.department_id, d.name, k.name, k.prefix, k.created_at,
                k.revoked_at
         from api_keys k left join departments d on d.id = k.department_id order by k.id",
        )
        .fetch_all(self.pool())
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

    async fn issue_key(&self, key: &NewKey, audit: &NewAuditEntry) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await.map_err(db_err)?;
        sqlx::query(
            "insert into api_keys (scope, department_id, name, prefix, key_hash, created_at,
                               created_by)
         values (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(key.grant.scope().code())
        .bind(key.grant.department_id())
        .bind(&key.name)
        .bind(&key.prefix)
        .bind(&key.key_hash)
        .bind(ts(key.now))
        .bind(key.created_by)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn revoke_key(
        &self,
        id: i64,
        now: DateTime<Utc>,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await.map_err(db_err)?;
        let n =
            sqlx::query("update api_keys set revoked_at = ? where id = ? and revoked_at is null")
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

    async fn active_key(&self, key_hash: &str) -> Result<Option<ActiveKey>, StoreError> {
        let row = sqlx::query(
            "select id, name, prefix, scope, department_id from api_keys
         where key_hash = ? and revoked_at is null",
        )
        .bind(key_hash)
        .fetch_optional(self.pool())
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
}
