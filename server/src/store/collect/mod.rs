//! What an import needs from the database: the importing department and
//! its catalog, whether a decision was delivered before, and what a
//! checked row becomes (its record, subject, projection row and change-log
//! entry), staged by [`staging`] and published with the rest of its
//! delivery. Reads take a connection: a dry run reads in one transaction
//! it rolls back, a commit reads outside the short write transactions
//! that stage it. Penalties' columns are in [`penalty`], licences' in
//! [`license`].

mod license;
mod penalty;
pub mod staging;

use std::collections::HashMap;

use app::domain::collection::{CheckedRow, SheetKind, SubjectFields};
use app::domain::{PublicationRule, SubjectKind};
use app::model::RecordKind;
use app::store::collect::QualityRow;
use app::store::StoreError;
use chrono::NaiveDate;
use sqlx::{Row, SqliteConnection};

use super::projection::{self, ProjectionRow, RecordFacts};
use super::sqlite::{db_err, rule_columns, rule_from_row_at};
use super::writes::SubjectFacts;

/// A catalog item as an import checks rows against it.
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// Who a checked row is about: a registered subject, or one the delivery
/// registers (its number among the delivery's new subjects).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectRef {
    Registered(i64),
    New(u32),
}

/// How a row names its subject, as `lookup_row` finds it: by credit code,
/// or a natural person by ID number (`None`: neither, cannot happen for a
/// checked row).
pub fn subject_key(subject: &SubjectFields) -> Option<String> {
    match (&subject.credit_code, &subject.id_number) {
        (Some(code), _) => Some(format!("c:{code}")),
        (None, Some(id)) => Some(format!("p:{id}")),
        (None, None) => None,
    }
}

/// What the database says of a checked row: the rule version it falls
/// under, the record it corrects (if any) and the subject its identifier
/// names (if registered, or named by an earlier row of the delivery).
pub struct Found<'a> {
    pub rule: (i64, &'a PublicationRule),
    pub existing: Option<i64>,
    pub subject: Option<(SubjectRef, SubjectFacts)>,
}

/// The turn of one department to deliver (`SqliteStore::delivery_turn`):
/// staging and publishing a delivery need it, so two deliveries of a
/// department never overlap.
pub struct DeliveryTurn {
    pub department_id: i64,
    pub(crate) _guard: tokio::sync::OwnedMutexGuard<()>,
}

/// A checked and accepted row as it is staged: the record, the subject,
/// whether it is late, its projection row (if public today; its sort key
/// without the record id) and its change-log entry.
pub struct StagedRow {
    pub row: CheckedRow,
    pub existing: Option<i64>,
    pub subject: SubjectRef,
    pub rule_id: i64,
    pub late: bool,
    pub projection: Option<ProjectionRow>,
    pub change: Option<(&'static str, Option<String>, Option<String>)>,
}

/// Prepares an accepted row for staging: `subject` is the row's subject
/// as `found` (or the delivery) knows it. Reads the corrected record's
/// logged fields, for the change log.
pub async fn staged_row(
    c: &mut SqliteConnection,
    ctx: &ImportContext,
    row: CheckedRow,
    found: &Found<'_>,
    subject: (SubjectRef, &SubjectFacts),
    late: bool,
    today: NaiveDate,
) -> Result<StagedRow, StoreError> {
    let (kind, before, after, summary) = match &row {
        CheckedRow::Penalty(p) => {
            let before = match found.existing {
                Some(id) => Some(penalty::stored_fields(c, id).await?),
                None => None,
            };
            (
                RecordKind::Penalty,
                before,
                penalty::fields(p),
                p.categories.join("、"),
            )
        }
        CheckedRow::License(l) => {
            let before = match found.existing {
                Some(id) => Some(license::stored_fields(c, id).await?),
                None => None,
            };
            (
                RecordKind::License,
                before,
                license::fields(l),
                format!("{}：{}", l.category, l.doc_name),
            )
        }
    };
    let (subject_ref, facts) = subject;
    let key = row.key();
    let record = RecordFacts {
        kind,
        record_id: 0,
        subject_id: 0,
        subject_kind: facts.kind,
        subject_name: &facts.name,
        representative: facts.representative.as_deref(),
        credit_code: facts.credit_code.as_deref(),
        doc_no: key.doc_no,
        department_id: ctx.department_id,
        department: &ctx.department_name,
        decision_date: key.decision_date,
        summary,
    };
    // A correction of a repaired record stays off the public pages: that
    // is settled at publication, against the record as it is then.
    let projection =
        projection::for_record(record, std::slice::from_ref(found.rule.1), None, today);
    Ok(StagedRow {
        existing: found.existing,
        subject: subject_ref,
        rule_id: found.rule.0,
        late,
        projection,
        change: change_entry(before, after),
        row,
    })
}

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
