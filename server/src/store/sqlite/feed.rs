//! Reading the change log (`record_changes`) for the provincial feed: the
//! changes the provincial platform is entitled to, with the subject each
//! record is about, still unmasked — `collect::feed` masks them before
//! anything leaves.

use app::domain::SubjectKind;
use app::store::feed::{Change, FeedStore};
use app::store::{StoreError, StoredSubject};
use async_trait::async_trait;
use sqlx::Row;

use super::{db_err, SqliteStore};
use crate::store::columns::changes_sql;
#[cfg(doc)]
use crate::store::columns::ENTITLED;

#[async_trait]
impl FeedStore for SqliteStore {
    /// The changes after `after` that pass [`ENTITLED`]. (Every change is
    /// about a record, and records are never deleted, so each has its subject.)
    async fn entitled_changes(&self, after: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
        let sql = changes_sql();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(limit)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let kind: String = r.get(10);
                let subject = StoredSubject {
                    id: r.get(9),
                    kind: SubjectKind::from_code(&kind)
                        .ok_or_else(|| StoreError(format!("subject kind {kind}")))?,
                    name: r.get(11),
                    credit_code: r.get(12),
                    id_number: r.get(13),
                    representative: r.get(14),
                };
                Ok(Change {
                    id: r.get(0),
                    at: r.get(1),
                    record_kind: r.get(2),
                    record_id: r.get(3),
                    department_id: r.get(4),
                    change: r.get(5),
                    doc_no: r.get(6),
                    before: r.get(7),
                    after: r.get(8),
                    subject,
                })
            })
            .collect()
    }

    async fn corrected_since(
        &self,
        kind: app::model::RecordKind,
        record_id: i64,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "select exists(select 1 from record_changes
                           where record_kind = ? and record_id = ?
                             and change = 'corrected' and at >= ?)",
        )
        .bind(kind.code())
        .bind(record_id)
        .bind(crate::store::register::ts(since))
        .fetch_one(self.pool())
        .await
        .map_err(db_err)?
        .get(0))
    }

    async fn last_change_at(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        let at: Option<String> =
            sqlx::query_scalar("select at from record_changes order by id desc limit 1")
                .fetch_optional(self.pool())
                .await
                .map_err(db_err)?;
        at.map(|t| crate::store::register::parse_ts(&t)).transpose()
    }
}
