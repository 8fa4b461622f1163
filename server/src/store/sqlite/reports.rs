//! Issued credit reports and a subject's cases under way, on SQLite.

use app::domain::credit_report::report_number;
use app::domain::objection::ObjectionState;
use app::model::RecordKind;
use app::store::reports::{Issued, IssuedReport, NewReport, ReportStore, SubjectCases};
use app::store::StoreError;
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::{db_err, SqliteStore};
use crate::store::columns::REPORT_COLUMNS;
use crate::store::register::{parse_ts, ts};

fn issued(r: &SqliteRow) -> Result<IssuedReport, StoreError> {
    let at: String = r.get(6);
    Ok(IssuedReport {
        number: r.get(0),
        content_hash: r.get(1),
        period_from: r.get(2),
        period_to: r.get(3),
        cutoff: r.get(4),
        summary: r.get(5),
        issued_at: parse_ts(&at)?,
    })
}

#[async_trait]
impl ReportStore for SqliteStore {
    async fn issue_report(&self, report: &NewReport) -> Result<Issued, StoreError> {
        let by_hash = format!("select {REPORT_COLUMNS} from credit_reports where content_hash = ?");
        // Most loads are of a report already issued: answered without the
        // write lock.
        if let Some(row) = sqlx::query(sqlx::AssertSqlSafe(by_hash.clone()))
            .bind(&report.content_hash)
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)?
        {
            return Ok(Issued::Report(issued(&row)?));
        }
        // One writer at a time (BEGIN IMMEDIATE): the hash is looked at
        // again and the day's next sequence taken without a race.
        let mut tx = self.write_tx().await.map_err(db_err)?;
        if let Some(row) = sqlx::query(sqlx::AssertSqlSafe(by_hash))
            .bind(&report.content_hash)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
        {
            return Ok(Issued::Report(issued(&row)?));
        }
        let last: i64 =
            sqlx::query("select coalesce(max(seq), 0) from credit_reports where day = ?")
                .bind(report.day)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?
                .get(0);
        let Some((seq, number)) = u32::try_from(last + 1)
            .ok()
            .and_then(|seq| Some((seq, report_number(report.day, seq)?)))
        else {
            return Ok(Issued::NumbersExhausted);
        };
        sqlx::query(
            "insert into credit_reports (number, day, seq, content_hash, credit_code,
                    period_from, period_to, cutoff, summary, issued_at)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&number)
        .bind(report.day)
        .bind(i64::from(seq))
        .bind(&report.content_hash)
        .bind(&report.credit_code)
        .bind(report.period_from)
        .bind(report.period_to)
        .bind(report.cutoff)
        .bind(&report.summary)
        .bind(ts(report.at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(Issued::Report(IssuedReport {
            number,
            content_hash: report.content_hash.clone(),
            period_from: report.period_from,
            period_to: report.period_to,
            cutoff: report.cutoff,
            summary: report.summary.clone(),
            issued_at: parse_ts(&ts(report.at))?,
        }))
    }

    async fn report_by_number(&self, number: &str) -> Result<Option<IssuedReport>, StoreError> {
        let sql = format!("select {REPORT_COLUMNS} from credit_reports where number = ?");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(number)
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)?
            .as_ref()
            .map(issued)
            .transpose()
    }

    async fn subject_cases(
        &self,
        subject_id: i64,
        marked: ObjectionState,
        open_repair_states: &[&str],
    ) -> Result<SubjectCases, StoreError> {
        let objected = sqlx::query_as::<_, (String, i64)>(
            "select record_kind, record_id from objections
             where subject_id = ? and state = ? order by record_kind, record_id",
        )
        .bind(subject_id)
        .bind(marked.code())
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        let states =
            serde_json::to_string(open_repair_states).map_err(|e| StoreError(e.to_string()))?;
        let repairing = sqlx::query_as::<_, (i64,)>(
            "select a.record_id from repair_applications a
             join penalties p on p.id = a.record_id
             where p.subject_id = ? and a.state in (select value from json_each(?))
             order by a.record_id",
        )
        .bind(subject_id)
        .bind(states)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(SubjectCases {
            under_objection: objected
                .into_iter()
                .filter_map(|(kind, id)| Some((RecordKind::from_code(&kind)?, id)))
                .collect(),
            under_repair: repairing.into_iter().map(|(id,)| id).collect(),
        })
    }
}
