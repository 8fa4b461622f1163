//! What an import needs from the database: the importing department and
//! its catalog, whether a decision was delivered before, and writing a
//! checked row (subject found or created, record inserted or corrected,
//! projection kept in step, the change logged). Everything takes a
//! connection, so a dry run reads in one transaction it rolls back and a
//! commit writes in one. Penalties are written by [`penalty`], licences by
//! [`license`].

mod license;
mod penalty;

use std::collections::HashMap;

use app::domain::collection::{CheckedRow, SheetKind, SubjectFields};
use app::domain::{PublicationRule, SubjectKind};
use app::model::RecordKind;
use app::store::StoreError;
use chrono::NaiveDate;
use sqlx::{Row, SqliteConnection};

use super::sqlite::{db_err, rule_columns, rule_from_row_at};
use super::writes::{self, NewSubject, SubjectFacts};

/// A catalog item as an import checks rows against it.
#[derive(Clone, Debug)]
pub struct CatalogEntry {
    pub name: String,
    /// Working days after the decision within which it must be delivered.
    pub reporting_working_days: u32,
    pub record_kind: RecordKind,
    pub department_id: i64,
    /// Rule versions, oldest first: (rule id, rule).
    pub rules: Vec<(i64, PublicationRule)>,
}

impl CatalogEntry {
    /// The rule version in force on `date` (the first one for dates before
    /// any version: the item existed, its earliest rule applies).
    pub fn rule_on(&self, date: NaiveDate) -> Option<&(i64, PublicationRule)> {
        self.rules
            .iter()
            .rev()
            .find(|(_, r)| r.effective_from <= date)
            .or(self.rules.first())
    }
}

/// The importing department and the catalog, loaded once per import.
#[derive(Clone, Debug)]
pub struct ImportContext {
    pub department_id: i64,
    /// For the reporting limit (late deliveries).
    pub calendar: app::domain::working_days::HolidayCalendar,
    pub department_name: String,
    pub department_credit_code: String,
    pub catalog: HashMap<String, CatalogEntry>,
}

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

/// What a row's numbers name in the database: the record of `kind` the
/// department already delivered under `doc_no` (a correction), and the
/// registered subject of the row's identifier (credit code, or a natural
/// person's ID number) with what the projection needs of it. One query, as
/// every statement is a round trip to the database thread and an import
/// asks this for every row.
pub async fn lookup_row(
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

/// The subject the row is about: the registered one `found`, or a new one.
async fn subject_for(
    c: &mut SqliteConnection,
    subject: &SubjectFields,
    found: Option<&(i64, SubjectFacts)>,
) -> Result<(i64, SubjectFacts), StoreError> {
    if let Some(found) = found {
        return Ok(found.clone());
    }
    let id = writes::insert_subject(
        c,
        &NewSubject {
            kind: subject.kind,
            name: &subject.name,
            credit_code: subject.credit_code.as_deref(),
            id_number: subject.id_number.as_deref(),
            representative: subject.representative.as_deref(),
            division_code: None,
        },
    )
    .await?;
    Ok((
        id,
        SubjectFacts {
            kind: subject.kind,
            name: subject.name.clone(),
            representative: subject.representative.clone(),
            credit_code: subject.credit_code.clone(),
        },
    ))
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
    .bind(super::repair::ts(chrono::Utc::now()))
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

fn json_object(fields: &[(&str, Option<String>)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                v.clone()
                    .map(serde_json::Value::String)
                    .unwrap_or(serde_json::Value::Null),
            )
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// What the database says of a checked row: the rule version it falls
/// under, the record it corrects (if any) and the registered subject its
/// identifier names (if any).
pub struct Found<'a> {
    pub rule: (i64, &'a PublicationRule),
    pub existing: Option<i64>,
    pub subject: Option<(i64, SubjectFacts)>,
}

/// One delivery's writes: who delivers, on which day, and the change-log
/// entries not yet written. The entries are written in groups, one
/// statement per [`LOG_GROUP`] rows: every statement is a round trip to the
/// database thread, and those round trips are most of a large import's
/// time. [`record_delivery`] writes what is left, so the log is complete
/// in the transaction that records the delivery.
pub struct Batch<'a> {
    pub actor: &'a str,
    pub today: NaiveDate,
    pending: Vec<PendingChange>,
}

/// Change-log entries written per statement.
const LOG_GROUP: usize = 100;

struct PendingChange {
    kind: RecordKind,
    record_id: i64,
    department_id: i64,
    change: &'static str,
    before: Option<String>,
    after: Option<String>,
}

impl<'a> Batch<'a> {
    pub fn new(actor: &'a str, today: NaiveDate) -> Self {
        Batch {
            actor,
            today,
            pending: Vec::new(),
        }
    }

    async fn note(
        &mut self,
        c: &mut SqliteConnection,
        change: PendingChange,
    ) -> Result<(), StoreError> {
        self.pending.push(change);
        if self.pending.len() >= LOG_GROUP {
            self.flush(c).await?;
        }
        Ok(())
    }

    /// Writes the pending entries, in the order they were noted.
    async fn flush(&mut self, c: &mut SqliteConnection) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; self.pending.len()].join(", ");
        let sql = format!(
            "insert into record_changes (at, record_kind, record_id, department_id, change, actor,
                                         before, after) values {values}"
        );
        let at = super::repair::ts(chrono::Utc::now());
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in self.pending.drain(..) {
            query = query
                .bind(at.clone())
                .bind(p.kind.code())
                .bind(p.record_id)
                .bind(p.department_id)
                .bind(p.change)
                .bind(self.actor)
                .bind(p.before)
                .bind(p.after);
        }
        query.execute(&mut *c).await.map_err(db_err)?;
        Ok(())
    }
}

/// Writes a checked row: inserts it (marked `late` when delivered after
/// the item's reporting limit), or corrects the record `found.existing`,
/// and notes in the change log what changed and who changed it.
pub async fn write_record(
    c: &mut SqliteConnection,
    ctx: &ImportContext,
    row: &CheckedRow,
    found: &Found<'_>,
    late: bool,
    batch: &mut Batch<'_>,
) -> Result<i64, StoreError> {
    let w = Write {
        ctx,
        found,
        late,
        today: batch.today,
    };
    let (kind, id, before, after) = match row {
        CheckedRow::Penalty(p) => {
            let (id, before, after) = penalty::write(c, &w, p).await?;
            (RecordKind::Penalty, id, before, after)
        }
        CheckedRow::License(l) => {
            let (id, before, after) = license::write(c, &w, l).await?;
            (RecordKind::License, id, before, after)
        }
    };
    if let Some((change, before, after)) = change_entry(before, after) {
        let entry = PendingChange {
            kind,
            record_id: id,
            department_id: ctx.department_id,
            change,
            before,
            after,
        };
        batch.note(c, entry).await?;
    }
    Ok(id)
}

/// How a checked row is to be written.
struct Write<'a> {
    ctx: &'a ImportContext,
    found: &'a Found<'a>,
    late: bool,
    today: NaiveDate,
}

/// What a writer of one kind of record returns: the record's id, its
/// logged fields before (for a correction) and after.
type Written = (i64, Option<Fields>, Fields);

/// A record's delivered fields as the change log keeps them: column code
/// and value (as stored).
type Fields = Vec<(&'static str, Option<String>)>;

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

/// The change-log entry of a write: a new record with all its fields, or a
/// correction with the fields that changed, before and after (none when
/// nothing did).
fn change_entry(
    before: Option<Fields>,
    after: Fields,
) -> Option<(&'static str, Option<String>, Option<String>)> {
    let Some(before) = before else {
        return Some(("new", None, Some(json_object(&after))));
    };
    let changed: Vec<usize> = (0..after.len())
        .filter(|&i| before[i].1 != after[i].1)
        .collect();
    if changed.is_empty() {
        return None;
    }
    let pick = |f: &Fields| json_object(&changed.iter().map(|&i| f[i].clone()).collect::<Vec<_>>());
    Some(("corrected", Some(pick(&before)), Some(pick(&after))))
}

/// What one delivery did, for the quality statistics.
pub struct DeliveryCounts {
    pub taken: u64,
    pub updated: u64,
    pub refused: u64,
    pub late: u64,
}

/// Records a delivery, after writing what is left of its change log.
pub async fn record_delivery(
    c: &mut SqliteConnection,
    batch: &mut Batch<'_>,
    department_id: i64,
    channel: &str,
    n: &DeliveryCounts,
) -> Result<(), StoreError> {
    batch.flush(c).await?;
    let int = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    sqlx::query(
        "insert into deliveries (department_id, at, channel, actor, taken, updated, refused, late)
         values (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(department_id)
    .bind(super::repair::ts(chrono::Utc::now()))
    .bind(channel)
    .bind(batch.actor)
    .bind(int(n.taken))
    .bind(int(n.updated))
    .bind(int(n.refused))
    .bind(int(n.late))
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Delivery statistics of one department in one month (China time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualityRow {
    pub department: String,
    pub month: String,
    pub deliveries: i64,
    pub taken: i64,
    pub corrected: i64,
    pub refused: i64,
    pub late: i64,
}

/// Per department and month: deliveries, and how many rows were taken,
/// corrected (错报 put right), refused and late (迟报). Newest month first.
pub async fn quality(store: &super::SqliteStore) -> Result<Vec<QualityRow>, StoreError> {
    let rows = sqlx::query(
        "select d.name, strftime('%Y-%m', v.at, '+8 hours') as month, count(*), sum(v.taken),
                sum(v.updated), sum(v.refused), sum(v.late)
         from deliveries v join departments d on d.id = v.department_id
         group by v.department_id, month order by month desc, d.id",
    )
    .fetch_all(store.pool())
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
