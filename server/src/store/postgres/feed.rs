//! The change log read for the provincial feed, on PostgreSQL. Which
//! changes leave is the rule both stores share, in the query they share
//! (`store::feed::changes_sql`).

use app::domain::SubjectKind;
use app::store::feed::{Change, FeedStore};
use app::store::{StoreError, StoredSubject};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{db_err, PgStore};
use crate::store::columns::changes_sql;
use crate::store::register::ts;

#[async_trait]
impl FeedStore for PgStore {
    async fn entitled_changes(&self, after: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
        let sql = changes_sql();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
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
                    at: ts(r.get::<DateTime<Utc>, _>(1)),
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
                           where record_kind = $1 and record_id = $2
                             and change = 'corrected' and at >= $3)",
        )
        .bind(kind.code())
        .bind(record_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?
        .get(0))
    }

    async fn last_change_at(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        sqlx::query_scalar("select at from record_changes order by id desc limit 1")
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)
    }
}
