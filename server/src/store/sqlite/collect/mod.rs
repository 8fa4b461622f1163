//! Deliveries in SQLite (`store::delivery`): the reads a delivery's checks
//! make, on one connection (a dry run's in one transaction it rolls back),
//! staging and publication in [`staging`], the departments' turns, and the
//! change log and delivery statistics. Penalties' columns are in
//! [`penalty`], licences' in [`license`].

mod license;
mod penalty;
pub mod staging;

use std::collections::HashMap;

use app::domain::collection::{SheetKind, SubjectFields};
use app::domain::SubjectKind;
use app::model::RecordKind;
use app::store::collect::QualityRow;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::{Row, Sqlite, SqliteConnection, Transaction};

use super::{db_err, rule_from_row_at, SqliteStore};
use crate::store::columns::rule_columns;
use crate::store::delivery::{
    CatalogEntry, DeliveryReads, DeliveryStore, DeliveryTurn, Fields, ImportContext, Stage,
};
use crate::store::projection::SubjectFacts;

#[async_trait]
impl DeliveryStore for SqliteStore {
    async fn turn(&self, department_id: i64) -> Result<DeliveryTurn, StoreError> {
        Ok(self.delivery_turn(department_id).await)
    }

    async fn reads(&self, snapshot: bool) -> Result<Box<dyn DeliveryReads>, StoreError> {
        Ok(Box::new(if snapshot {
            SqliteReads::Snapshot(self.pool().begin().await.map_err(db_err)?)
        } else {
            SqliteReads::Now(self.pool().acquire().await.map_err(db_err)?)
        }))
    }

    async fn stage(
        &self,
        turn: &DeliveryTurn,
        kind: SheetKind,
        actor: &str,
    ) -> Result<Box<dyn Stage>, StoreError> {
        Ok(Box::new(
            staging::Staging::open(self.pool(), turn, kind, actor).await?,
        ))
    }

    async fn discard_abandoned(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        staging::discard_abandoned(self.pool(), before).await
    }
}

/// A delivery's reads on one connection: in a transaction that is never
/// committed (dropping it rolls back), or as the database is now.
pub enum SqliteReads {
    Snapshot(Transaction<'static, Sqlite>),
    Now(PoolConnection<Sqlite>),
}

impl SqliteReads {
    fn conn(&mut self) -> &mut SqliteConnection {
        match self {
            SqliteReads::Snapshot(tx) => tx,
            SqliteReads::Now(c) => c,
        }
    }
}

#[async_trait]
impl DeliveryReads for SqliteReads {
    async fn context(&mut self, department_id: i64) -> Result<ImportContext, StoreError> {
        load_context(self.conn(), department_id).await
    }

    async fn lookup_row(
        &mut self,
        kind: SheetKind,
        department_id: i64,
        doc_no: &str,
        subject: &SubjectFields,
    ) -> Result<(Option<i64>, Option<(i64, SubjectFacts)>), StoreError> {
        lookup_row(self.conn(), kind, department_id, doc_no, subject).await
    }

    async fn stored_fields(&mut self, kind: SheetKind, id: i64) -> Result<Fields, StoreError> {
        match kind {
            SheetKind::Penalty => penalty::stored_fields(self.conn(), id).await,
            SheetKind::License => license::stored_fields(self.conn(), id).await,
        }
    }
}

/// The importing department and the catalog, as `c` sees them.
pub async fn load_context(
    c: &mut SqliteConnection,
    department_id: i64,
) -> Result<ImportContext, StoreError> {
    let dept = sqlx::query("select name, credit_code from departments where id = ?")
        .bind(department_id)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
    let rows = sqlx::query(concat!(
        "select i.code, i.record_kind, i.department_id, r.id, ",
        rule_columns!(),
        ", i.name, i.reporting_working_days from catalog_items i
         join catalog_rules r on r.item_id = i.id order by i.id, r.version"
    ))
    .fetch_all(&mut *c)
    .await
    .map_err(db_err)?;
    let mut catalog: HashMap<String, CatalogEntry> = HashMap::new();
    for row in rows {
        let code: String = row.get(0);
        let kind: String = row.get(1);
        let record_kind = RecordKind::from_code(&kind)
            .ok_or_else(|| StoreError(format!("unknown record kind {kind}")))?;
        // The rule columns follow the four item columns.
        let rule = rule_from_row_at(&row, 4)?;
        catalog
            .entry(code)
            .or_insert_with(|| CatalogEntry {
                name: row.get(12),
                reporting_working_days: row.get(13),
                record_kind,
                department_id: row.get(2),
                rules: Vec::new(),
            })
            .rules
            .push((row.get(3), rule));
    }
    let calendar_rows = sqlx::query("select date, kind, name, source from calendar_days")
        .fetch_all(&mut *c)
        .await
        .map_err(db_err)?;
    let calendar = calendar_rows
        .iter()
        .map(|r| {
            let kind: String = r.get(1);
            Ok(app::domain::working_days::CalendarEntry {
                date: r.get(0),
                kind: app::domain::working_days::DayKind::from_code(&kind)
                    .ok_or_else(|| StoreError(format!("day kind {kind}")))?,
                name: r.get(2),
                source: r.get(3),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(ImportContext {
        calendar: app::domain::working_days::HolidayCalendar::new(calendar),
        department_id,
        department_name: dept.get(0),
        department_credit_code: dept.get(1),
        catalog,
    })
}

/// [`DeliveryReads::lookup_row`] in one query, as every statement is a
/// round trip to the database thread and an import asks this for every row.
async fn lookup_row(
    c: &mut SqliteConnection,
    kind: SheetKind,
    department_id: i64,
    doc_no: &str,
    subject: &SubjectFields,
) -> Result<(Option<i64>, Option<(i64, SubjectFacts)>), StoreError> {
    let table = match kind {
        SheetKind::Penalty => "penalties",
        SheetKind::License => "licenses",
    };
    let (join, identifier) = match (&subject.credit_code, &subject.id_number) {
        (Some(code), _) => ("s.credit_code = ?3", code.as_str()),
        (None, Some(id)) => ("s.kind = 'person' and s.id_number = ?3", id.as_str()),
        (None, None) => ("0", ""),
    };
    let sql = format!(
        "select (select id from {table} where department_id = ?1 and doc_no = ?2),
                s.id, s.kind, s.name, s.representative, s.credit_code
         from (select 1) left join subjects s on {join}"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(department_id)
        .bind(doc_no)
        .bind(identifier)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
    let existing: Option<i64> = r.get(0);
    let Some(subject_id) = r.get::<Option<i64>, _>(1) else {
        return Ok((existing, None));
    };
    let kind: String = r.get(2);
    let facts = SubjectFacts {
        kind: SubjectKind::from_code(&kind)
            .ok_or_else(|| StoreError(format!("subject kind {kind}")))?,
        name: r.get(3),
        representative: r.get(4),
        credit_code: r.get(5),
    };
    Ok((existing, Some((subject_id, facts))))
}

/// Appends to the change log the export feed reads.
#[allow(clippy::too_many_arguments)]
pub async fn record_change(
    c: &mut SqliteConnection,
    kind: RecordKind,
    record_id: i64,
    department_id: Option<i64>,
    change: &str,
    actor: &str,
    before: Option<String>,
    after: Option<String>,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into record_changes (at, record_kind, record_id, department_id, change, actor,
                                     before, after)
         values (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(crate::store::register::ts(chrono::Utc::now()))
    .bind(kind.code())
    .bind(record_id)
    .bind(department_id)
    .bind(change)
    .bind(actor)
    .bind(before)
    .bind(after)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// A record's stored values of the logged fields `codes`, read by `sql`
/// (one row, one column per code, in their order).
async fn stored(
    c: &mut SqliteConnection,
    sql: &'static str,
    id: i64,
    codes: &[&'static str],
) -> Result<Fields, StoreError> {
    let r = sqlx::query(sql)
        .bind(id)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(codes
        .iter()
        .enumerate()
        .map(|(i, code)| (*code, r.get::<Option<String>, _>(i)))
        .collect())
}

#[async_trait::async_trait]
impl app::store::CollectStore for super::SqliteStore {
    async fn quality(&self) -> Result<Vec<QualityRow>, StoreError> {
        let rows = sqlx::query(
            "select d.name, strftime('%Y-%m', v.at, '+8 hours') as month, count(*), sum(v.taken),
                sum(v.updated), sum(v.refused), sum(v.late)
         from deliveries v join departments d on d.id = v.department_id
         group by v.department_id, month order by month desc, d.id",
        )
        .fetch_all(self.pool())
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
