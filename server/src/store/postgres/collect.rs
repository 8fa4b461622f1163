//! Delivery statistics on PostgreSQL (`app::store::collect`).

use app::store::collect::{CollectStore, QualityRow};
use app::store::StoreError;
use async_trait::async_trait;
use sqlx::Row;

use super::{db_err, PgStore};

#[async_trait]
impl CollectStore for PgStore {
    async fn quality(&self) -> Result<Vec<QualityRow>, StoreError> {
        // Months in China time, like the SQLite store's `+8 hours`.
        let rows = sqlx::query(
            "select d.name, to_char(v.at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
                    count(*), sum(v.taken)::bigint, sum(v.updated)::bigint,
                    sum(v.refused)::bigint, sum(v.late)::bigint
             from deliveries v join departments d on d.id = v.department_id
             group by v.department_id, d.id, d.name, month order by month desc, d.id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| QualityRow {
                department: r.get(0),
                month: r.get(1),
                deliveries: r.get(2),
                taken: r.get(3),
                corrected: r.get(4),
                refused: r.get(5),
                late: r.get(6),
            })
            .collect())
    }
}
