//! What the transparency figures are counted from, on PostgreSQL.

use app::domain::transparency::{CaseKind, CaseStep, Month};
use app::domain::working_days::china_day_start;
use app::store::transparency::{delivery_months, Sources, TransparencyStore};
use app::store::{CollectStore, RepairStore, StoreError};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{db_err, PgStore};
use crate::store::columns::transparency_steps_sql;
use crate::store::sqlite::transparency::feedback_month;

impl PgStore {
    async fn steps_of(
        &self,
        kind: CaseKind,
        since: DateTime<Utc>,
    ) -> Result<Vec<CaseStep>, StoreError> {
        let sql = transparency_steps_sql(kind, "$1");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(since)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| CaseStep {
                kind,
                case_id: r.get(0),
                department: r.get(1),
                at: r.get(2),
                action: r.get(3),
                deadline: r.get(4),
            })
            .collect())
    }
}

#[async_trait]
impl TransparencyStore for PgStore {
    async fn sources(&self, since: Month) -> Result<Arc<Sources>, StoreError> {
        let start = china_day_start(since.first_day()).unwrap_or(DateTime::<Utc>::MIN_UTC);
        let mut steps = self.steps_of(CaseKind::Repair, start).await?;
        steps.extend(self.steps_of(CaseKind::Objection, start).await?);
        let sql = "select d.name, to_char(c.checked_on, 'YYYY-MM'), count(*), count(m.received_at),
                    count(*) filter (where m.late)
             from joint_check_measures m
             join joint_checks c on c.id = m.check_id
             join departments d on d.id = c.department_id
             where c.checked_on >= $1
             group by c.department_id, d.name, to_char(c.checked_on, 'YYYY-MM')";
        let feedback = sqlx::query(sql)
            .bind(since.first_day())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .filter_map(|r| {
                feedback_month(
                    r.get(0),
                    &r.get::<String, _>(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                )
            })
            .collect();
        Ok(Arc::new(Sources {
            read_at: Utc::now(),
            steps,
            deliveries: delivery_months(CollectStore::quality(self).await?),
            feedback,
            calendar: RepairStore::calendar(self).await?,
        }))
    }
}
