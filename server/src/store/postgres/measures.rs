//! The PostgreSQL implementation of `MeasureStore`.

use app::domain::measure::{MeasureVersion, NewMeasure};
use app::domain::SubjectKind;
use app::store::measures::{
    CheckMeasure, CheckReport, CheckedSubjectRow, EntryRow, FedBack, MeasureStore, NewCheck,
    NewFeedback, NotApplied, ReportLine, Saved, StoredCheck, StoredFeedback,
};
use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::staff::append_in_tx;
use super::{db_err, PgStore};
use crate::store::columns::{
    assemble_measures, bad, kinds_text, MeasureRow, CHECK_COUNTS_SQL, CHECK_REPORT_SQL,
    MEASURE_COLUMNS, NOT_APPLIED_SQL,
};

fn measure_row(r: &PgRow) -> MeasureRow {
    MeasureRow {
        id: r.get(0),
        code: r.get(1),
        version: r.get(2),
        name: r.get(3),
        class: r.get(4),
        effect: r.get(5),
        law: r.get(6),
        article: r.get(7),
        paragraph: r.get(8),
        text: r.get(9),
        kinds: r.get(10),
        implementer: r.get(11),
        from: r.get(12),
        to: r.get(13),
    }
}

/// Every version, or the one with id `only`.
async fn versions(
    c: &mut PgConnection,
    only: Option<i64>,
) -> Result<Vec<MeasureVersion>, StoreError> {
    let sql = format!(
        "select {MEASURE_COLUMNS} from measure_versions where $1::bigint is null or id = $1
         order by measure_code, version"
    );
    let rows: Vec<MeasureRow> = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(only)
        .fetch_all(&mut *c)
        .await
        .map_err(db_err)?
        .iter()
        .map(measure_row)
        .collect();
    let domains = sqlx::query_as::<_, (i64, String)>(
        "select version_id, domain_code from measure_version_domains order by domain_code",
    )
    .fetch_all(&mut *c)
    .await
    .map_err(db_err)?;
    let departments = sqlx::query_as::<_, (i64, i64)>(
        "select version_id, department_id from measure_version_departments order by department_id",
    )
    .fetch_all(&mut *c)
    .await
    .map_err(db_err)?;
    assemble_measures(rows, domains, departments)
}

fn feedback_of(r: &PgRow, at: usize) -> Result<Option<StoredFeedback>, StoreError> {
    let Some(applied) = r.get::<Option<bool>, _>(at) else {
        return Ok(None);
    };
    Ok(Some(StoredFeedback {
        applied,
        reason: r.get(at + 1),
        outcome: r.get::<Option<String>, _>(at + 2).unwrap_or_default(),
        operator_department: r.get::<Option<String>, _>(at + 3).unwrap_or_default(),
        decided_on: r
            .get::<Option<chrono::NaiveDate>, _>(at + 4)
            .ok_or_else(|| bad("feedback without a day", ""))?,
        received_at: r
            .get::<Option<chrono::DateTime<chrono::Utc>>, _>(at + 5)
            .ok_or_else(|| bad("feedback without a time", ""))?,
        late: r.get::<Option<bool>, _>(at + 6).unwrap_or(false),
    }))
}

#[async_trait]
impl MeasureStore for PgStore {
    async fn all_departments(&self) -> Result<Vec<app::model::DepartmentOption>, StoreError> {
        sqlx::query_as::<_, (i64, String)>("select id, name from departments order by id")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)
            .map(|rows| {
                rows.into_iter()
                    .map(|(id, name)| app::model::DepartmentOption { id, name })
                    .collect()
            })
    }

    async fn measure_versions(&self) -> Result<Vec<MeasureVersion>, StoreError> {
        let mut c = self.pool.acquire().await.map_err(db_err)?;
        versions(&mut c, None).await
    }

    async fn save_measure(
        &self,
        m: &NewMeasure,
        expected: Option<u32>,
        audit: &NewAuditEntry,
    ) -> Result<Saved, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let current: Option<i64> =
            sqlx::query_scalar("select max(version) from measure_versions where measure_code = $1")
                .bind(&m.code)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
        let current = current.map(|v| u32::try_from(v).unwrap_or(u32::MAX));
        let version = match (expected, current) {
            (None, Some(_)) => return Ok(Saved::CodeTaken),
            (None, None) => 1,
            (Some(e), Some(c)) if e == c => c + 1,
            (Some(_), c) => {
                return Ok(Saved::Stale {
                    current: c.unwrap_or(0),
                })
            }
        };
        let id: i64 = sqlx::query_scalar(
            "insert into measure_versions
                (measure_code, version, name, class, effect, basis_law, basis_article,
                 basis_paragraph, basis_text, subject_kinds, implementer, effective_from,
                 effective_to, created_at, created_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning id",
        )
        .bind(&m.code)
        .bind(i64::from(version))
        .bind(&m.name)
        .bind(m.class.code())
        .bind(&m.effect)
        .bind(&m.basis.law)
        .bind(&m.basis.article)
        .bind(&m.basis.paragraph)
        .bind(&m.basis.text)
        .bind(kinds_text(&m.subject_kinds))
        .bind(&m.implementer)
        .bind(m.effective_from)
        .bind(m.effective_to)
        .bind(audit.at)
        .bind(audit.account_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        for d in &m.domains {
            sqlx::query(
                "insert into measure_version_domains (version_id, domain_code) values ($1, $2)",
            )
            .bind(id)
            .bind(d)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        for d in &m.departments {
            sqlx::query(
                "insert into measure_version_departments (version_id, department_id) values ($1, $2)",
            )
            .bind(id)
            .bind(d)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        append_in_tx(&mut tx, audit).await?;
        let saved = versions(&mut tx, Some(id))
            .await?
            .pop()
            .ok_or_else(|| StoreError("saved measure version not read back".into()))?;
        tx.commit().await.map_err(db_err)?;
        Ok(Saved::Version(Box::new(saved)))
    }

    async fn checked_subject(
        &self,
        credit_code: Option<&str>,
        id_number: Option<&str>,
        today: chrono::NaiveDate,
    ) -> Result<Option<(CheckedSubjectRow, Vec<EntryRow>)>, StoreError> {
        let mut c = self.pool.acquire().await.map_err(db_err)?;
        let subject = sqlx::query(
            "select id, kind, name, credit_code, representative from subjects
             where ($1 is not null and credit_code = $2) or ($3 is not null and id_number = $4)
             order by id limit 1",
        )
        .bind(credit_code)
        .bind(credit_code)
        .bind(id_number)
        .bind(id_number)
        .fetch_optional(&mut *c)
        .await
        .map_err(db_err)?;
        let Some(s) = subject else {
            return Ok(None);
        };
        let kind: String = s.get(1);
        let subject = CheckedSubjectRow {
            id: s.get(0),
            kind: SubjectKind::from_code(&kind).ok_or_else(|| bad("subject kind", &kind))?,
            name: s.get(2),
            credit_code: s.get(3),
            representative: s.get(4),
        };
        let entries = sqlx::query(
            "select e.id, e.domain_code, coalesce(sd.name, e.list_name), e.department_id, d.name,
                    e.doc_no, e.listed_on, e.until, e.ended_on,
                    exists(select 1 from record_withdrawals w
                           where w.record_kind = 'serious' and w.record_id = e.id)
             from serious_entries e
             join departments d on d.id = e.department_id
             left join serious_domains sd on sd.code = e.domain_code
             where e.subject_id = $1 and e.listed_on <= $2 and e.until >= $3
             order by e.listed_on, e.id",
        )
        .bind(subject.id)
        .bind(today)
        .bind(today)
        .fetch_all(&mut *c)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| EntryRow {
            id: r.get(0),
            domain_code: r.get(1),
            list_name: r.get(2),
            department_id: r.get(3),
            department: r.get(4),
            doc_no: r.get(5),
            listed_on: r.get(6),
            until: r.get(7),
            ended_on: r.get(8),
            withdrawn: r.get(9),
        })
        .collect();
        Ok(Some((subject, entries)))
    }

    async fn record_checks(&self, checks: &[NewCheck]) -> Result<(), StoreError> {
        if checks.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        for k in checks {
            sqlx::query(
                "insert into joint_checks
                    (id, key_id, department_id, subject_id, identifier, matter_code, matter_name,
                     purpose, listed, checked_at, checked_on)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&k.id)
            .bind(k.key_id)
            .bind(k.department_id)
            .bind(k.subject_id)
            .bind(&k.identifier)
            .bind(&k.matter_code)
            .bind(&k.matter_name)
            .bind(&k.purpose)
            .bind(!k.entries.is_empty())
            .bind(k.at)
            .bind(k.on)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            for e in &k.entries {
                sqlx::query("insert into joint_check_entries (check_id, entry_id) values ($1, $2)")
                    .bind(&k.id)
                    .bind(e)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            for (code, version_id) in &k.measures {
                sqlx::query(
                    "insert into joint_check_measures (check_id, measure_code, version_id)
                     values ($1, $2, $3)",
                )
                .bind(&k.id)
                .bind(code)
                .bind(version_id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            }
            append_in_tx(&mut tx, &k.audit).await?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn check(&self, id: &str) -> Result<Option<StoredCheck>, StoreError> {
        let mut c = self.pool.acquire().await.map_err(db_err)?;
        let Some(row) = sqlx::query(
            "select id, key_id, department_id, checked_at, matter_name, checked_on from joint_checks where id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await
        .map_err(db_err)?
        else {
            return Ok(None);
        };
        let measures = sqlx::query(
            "select m.measure_code, m.version_id, v.version, v.name,
                    m.applied, m.reason, m.outcome, m.operator_department, m.decided_on,
                    m.received_at, m.late
             from joint_check_measures m join measure_versions v on v.id = m.version_id
             where m.check_id = $1 order by m.measure_code",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| {
            Ok(CheckMeasure {
                code: r.get(0),
                version_id: r.get(1),
                version: u32::try_from(r.get::<i64, _>(2)).unwrap_or(0),
                name: r.get(3),
                feedback: feedback_of(r, 4)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(StoredCheck {
            id: row.get(0),
            key_id: row.get(1),
            department_id: row.get(2),
            at: row.get(3),
            matter_name: row.get(4),
            on: row.get(5),
            measures,
        }))
    }

    async fn record_feedback(&self, f: &NewFeedback) -> Result<FedBack, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        for (code, fb) in &f.items {
            // Only a measure without feedback takes it: the second of two
            // at once finds it taken and the whole feedback is undone.
            let done = sqlx::query(
                "update joint_check_measures
                 set applied = $1, reason = $2, outcome = $3, operator_department = $4,
                     decided_on = $5, received_at = $6, late = $7
                 where check_id = $8 and measure_code = $9 and applied is null",
            )
            .bind(fb.applied)
            .bind(&fb.reason)
            .bind(&fb.outcome)
            .bind(&fb.operator_department)
            .bind(fb.decided_on)
            .bind(fb.received_at)
            .bind(fb.late)
            .bind(&f.check_id)
            .bind(code)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
            if done != 1 {
                tx.rollback().await.map_err(db_err)?;
                return Ok(FedBack::Already(code.clone()));
            }
        }
        append_in_tx(&mut tx, &f.audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(FedBack::Stored)
    }

    async fn check_report(&self, department_id: Option<i64>) -> Result<CheckReport, StoreError> {
        let mut c = self.pool.acquire().await.map_err(db_err)?;
        let count = |r: &PgRow, i: usize| u64::try_from(r.get::<i64, _>(i)).unwrap_or(0);
        let lines = sqlx::query(CHECK_REPORT_SQL)
            .bind(department_id)
            .fetch_all(&mut *c)
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| ReportLine {
                department_id: r.get(0),
                department: r.get(1),
                measure_code: r.get(2),
                measure_name: r.get(3),
                checks: count(r, 4),
                applied: count(r, 5),
                not_applied: count(r, 6),
                pending: count(r, 7),
                late: count(r, 8),
            })
            .collect();
        let mut report = CheckReport {
            lines,
            ..Default::default()
        };
        for r in sqlx::query(CHECK_COUNTS_SQL)
            .bind(department_id)
            .fetch_all(&mut *c)
            .await
            .map_err(db_err)?
        {
            let line = (r.get::<String, _>(0), count(&r, 2));
            if r.get::<bool, _>(1) {
                report.listed_checks.push(line);
            } else {
                report.clear_checks.push(line);
            }
        }
        report.not_applied = sqlx::query(NOT_APPLIED_SQL)
            .bind(department_id)
            .fetch_all(&mut *c)
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                Ok(NotApplied {
                    check_id: r.get(0),
                    department: r.get(1),
                    measure_name: r.get(2),
                    matter_name: r.get(3),
                    reason: r.get::<Option<String>, _>(4).unwrap_or_default(),
                    received_at: r.get(5),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(report)
    }
}
