//! Deliveries on PostgreSQL (`store::delivery`), ported from the SQLite
//! store (`store::collect`): the reads a delivery's checks make, the
//! departments' turns, and staging and publication in [`staging`].
//!
//! Where SQLite has one process and one writer, PostgreSQL may serve
//! several app servers: a department's turn is a session-level advisory
//! lock held by a connection of its own, so it holds across them; a dry
//! run reads in a repeatable-read, read-only transaction (one snapshot);
//! publication serialises on a transaction-scoped advisory lock
//! (`staging`).

mod staging;

use std::collections::HashMap;

use app::domain::collection::{SheetKind, SubjectFields};
use app::domain::working_days::{CalendarEntry, DayKind, HolidayCalendar};
use app::domain::SubjectKind;
use app::model::RecordKind;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::{Connection, PgConnection, Postgres, Row, Transaction};

use super::writes::rule_from_row;
use super::{db_err, locks, PgStore};
use crate::store::columns::rule_columns;
use crate::store::delivery::{
    CatalogEntry, DeliveryReads, DeliveryStore, DeliveryTurn, Fields, ImportContext, Stage,
    LICENSE_LOGGED, PENALTY_LOGGED,
};
use crate::store::projection::SubjectFacts;

#[async_trait]
impl DeliveryStore for PgStore {
    async fn turn(&self, department_id: i64) -> Result<DeliveryTurn, StoreError> {
        let key = i32::try_from(department_id)
            .map_err(|_| StoreError(format!("department id {department_id} out of range")))?;
        // A connection of its own, out of the pool: the lock belongs to
        // its session, and a waiting turn must not hold a pool connection
        // others need (it may wait for a whole delivery).
        let mut conn = self.pool.acquire().await.map_err(db_err)?.detach();
        // Keepalives a minute apart: if the app server holding the turn
        // vanishes without closing its socket (a machine or network lost),
        // the server ends its session, and the turn, within two minutes
        // rather than the system's default two hours.
        sqlx::query(
            "select set_config('tcp_keepalives_idle', '60', false),
                    set_config('tcp_keepalives_interval', '10', false),
                    set_config('tcp_keepalives_count', '6', false),
                    pg_advisory_lock($1, $2)",
        )
        .bind(locks::DELIVERY)
        .bind(key)
        .execute(&mut conn)
        .await
        .map_err(db_err)?;
        Ok(DeliveryTurn::new(
            department_id,
            TurnLock {
                conn: std::sync::Mutex::new(Some(conn)),
            },
        ))
    }

    async fn reads(&self, snapshot: bool) -> Result<Box<dyn DeliveryReads>, StoreError> {
        Ok(Box::new(if snapshot {
            // Repeatable read: every statement sees the snapshot of the
            // first, as a dry run promises.
            PgReads::Snapshot(
                self.pool
                    .begin_with("begin isolation level repeatable read, read only")
                    .await
                    .map_err(db_err)?,
            )
        } else {
            PgReads::Now(self.pool.acquire().await.map_err(db_err)?)
        }))
    }

    async fn stage(
        &self,
        turn: &DeliveryTurn,
        kind: SheetKind,
        actor: &str,
    ) -> Result<Box<dyn Stage>, StoreError> {
        Ok(Box::new(
            staging::Staging::open(&self.pool, turn, kind, actor).await?,
        ))
    }

    async fn discard_abandoned(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        staging::discard_abandoned(&self.pool, before).await
    }
}

/// Holds a department's turn: the connection whose session holds the
/// advisory lock. Dropped, the connection is closed rather than unlocked
/// and returned to the pool: ending the session releases its locks
/// whatever state the connection is in (even mid-query), so no pooled
/// connection can ever keep a turn. (`Mutex` only makes it `Sync`.)
struct TurnLock {
    conn: std::sync::Mutex<Option<PgConnection>>,
}

impl Drop for TurnLock {
    fn drop(&mut self) {
        let conn = self
            .conn
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        let Some(conn) = conn else { return };
        // Drop cannot wait: a graceful close on the runtime; without one,
        // dropping the connection closes its socket, and the server ends
        // the session (and the lock) all the same.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(e) = conn.close().await {
                    tracing::warn!(error = %e, "delivery turn connection not closed cleanly");
                }
            });
        }
    }
}

/// A delivery's reads on one connection: in a read-only snapshot that is
/// never committed (dropping it rolls back), or as the database is now.
enum PgReads {
    Snapshot(Transaction<'static, Postgres>),
    Now(PoolConnection<Postgres>),
}

impl PgReads {
    fn conn(&mut self) -> &mut PgConnection {
        match self {
            PgReads::Snapshot(tx) => tx,
            PgReads::Now(c) => c,
        }
    }
}

#[async_trait]
impl DeliveryReads for PgReads {
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
        // Amounts and dates as text, exactly as SQLite stores them (fen;
        // YYYY-MM-DD, whatever the session's DateStyle): the change log's
        // before and after must not depend on the database.
        let (sql, codes): (&str, &[&'static str]) = match kind {
            SheetKind::Penalty => (
                "select s.name, p.violation_type, p.facts, p.basis, p.categories, p.content,
                        p.fine_fen::text, p.confiscated_fen::text, p.license_action,
                        to_char(p.decision_date, 'YYYY-MM-DD'),
                        to_char(p.valid_until, 'YYYY-MM-DD'), p.note
                 from penalties p join subjects s on s.id = p.subject_id where p.id = $1",
                &PENALTY_LOGGED,
            ),
            SheetKind::License => (
                "select s.name, l.doc_name, l.category, l.cert_name, l.cert_no, l.content,
                        to_char(l.decision_date, 'YYYY-MM-DD'),
                        to_char(l.valid_from, 'YYYY-MM-DD'),
                        to_char(l.valid_to, 'YYYY-MM-DD'), l.state, l.note
                 from licenses l join subjects s on s.id = l.subject_id where l.id = $1",
                &LICENSE_LOGGED,
            ),
        };
        let r = sqlx::query(sql)
            .bind(id)
            .fetch_one(self.conn())
            .await
            .map_err(db_err)?;
        Ok(codes
            .iter()
            .enumerate()
            .map(|(i, code)| (*code, r.get::<Option<String>, _>(i)))
            .collect())
    }
}

/// The importing department and the catalog, as `c` sees them.
pub(super) async fn load_context(
    c: &mut PgConnection,
    department_id: i64,
) -> Result<ImportContext, StoreError> {
    let dept = sqlx::query("select name, credit_code from departments where id = $1")
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
        let rule = rule_from_row(&row, 4)?;
        let days: i64 = row.get(13);
        let reporting_working_days = u32::try_from(days)
            .map_err(|_| StoreError(format!("reporting days of {code} out of range: {days}")))?;
        catalog
            .entry(code)
            .or_insert_with(|| CatalogEntry {
                name: row.get(12),
                reporting_working_days,
                record_kind,
                department_id: row.get(2),
                rules: Vec::new(),
            })
            .rules
            .push((row.get(3), rule));
    }
    let calendar = sqlx::query("select date, kind, name, source from calendar_days")
        .fetch_all(&mut *c)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| {
            let kind: String = r.get(1);
            Ok(CalendarEntry {
                date: r.get(0),
                kind: DayKind::from_code(&kind)
                    .ok_or_else(|| StoreError(format!("day kind {kind}")))?,
                name: r.get(2),
                source: r.get(3),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(ImportContext {
        calendar: HolidayCalendar::new(calendar),
        department_id,
        department_name: dept.get(0),
        department_credit_code: dept.get(1),
        catalog,
    })
}

/// [`DeliveryReads::lookup_row`] in one query (one round trip per row of
/// an import).
async fn lookup_row(
    c: &mut PgConnection,
    kind: SheetKind,
    department_id: i64,
    doc_no: &str,
    subject: &SubjectFields,
) -> Result<(Option<i64>, Option<(i64, SubjectFacts)>), StoreError> {
    let table = match kind {
        SheetKind::Penalty => "penalties",
        SheetKind::License => "licenses",
    };
    // $3 is bound in every case: a parameter the text does not use is
    // allowed, as its type is given.
    let (join, identifier) = match (&subject.credit_code, &subject.id_number) {
        (Some(code), _) => ("s.credit_code = $3", code.as_str()),
        (None, Some(id)) => ("s.kind = 'person' and s.id_number = $3", id.as_str()),
        (None, None) => ("false", ""),
    };
    let sql = format!(
        "select (select id from {table} where department_id = $1 and doc_no = $2),
                s.id, s.kind, s.name, s.representative, s.credit_code
         from (select 1) as one left join subjects s on {join}"
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
