//! What the transparency figures are counted from, on SQLite.

use app::domain::transparency::{CaseKind, CaseStep, FeedbackMonth, Month};
use app::domain::working_days::china_day_start;
use app::store::transparency::{delivery_months, Sources, TransparencyStore};
use app::store::{CollectStore, RepairStore, StoreError};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{db_err, SqliteStore};
use crate::store::columns::transparency_steps_sql;
use crate::store::register::{parse_ts, ts};

impl SqliteStore {
    async fn steps_of(
        &self,
        kind: CaseKind,
        since: DateTime<Utc>,
    ) -> Result<Vec<CaseStep>, StoreError> {
        let sql = transparency_steps_sql(kind, "?");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ts(since))
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(CaseStep {
                    kind,
                    case_id: r.get(0),
                    department: r.get(1),
                    at: parse_ts(&r.get::<String, _>(2))?,
                    action: r.get(3),
                    deadline: r.get(4),
                })
            })
            .collect()
    }
}

#[async_trait]
impl TransparencyStore for SqliteStore {
    async fn sources(&self, since: Month) -> Result<Arc<Sources>, StoreError> {
        let start = china_day_start(since.first_day()).unwrap_or(DateTime::<Utc>::MIN_UTC);
        let mut steps = self.steps_of(CaseKind::Repair, start).await?;
        steps.extend(self.steps_of(CaseKind::Objection, start).await?);
        let sql = "select d.name, substr(c.checked_on, 1, 7), count(*), count(m.received_at),
                    coalesce(sum(m.late), 0)
             from joint_check_measures m
             join joint_checks c on c.id = m.check_id
             join departments d on d.id = c.department_id
             where c.checked_on >= ?
             group by c.department_id, d.name, substr(c.checked_on, 1, 7)";
        let feedback = sqlx::query(sql)
            .bind(since.first_day())
            .fetch_all(self.pool())
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

/// One grouped feedback row, whichever database counted it.
pub(crate) fn feedback_month(
    department: String,
    month: &str,
    named: i64,
    received: i64,
    late: i64,
) -> Option<FeedbackMonth> {
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    Some(FeedbackMonth {
        department,
        month: Month::parse(month)?,
        named: count(named),
        received: count(received),
        late: count(late),
    })
}
