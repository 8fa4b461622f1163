//! What an import needs from the database: the importing department and
//! its catalog, whether a decision was delivered before, and writing a
//! checked row (subject found or created, penalty inserted or corrected,
//! projection kept in step). Everything takes a connection, so a dry run
//! reads in one transaction it rolls back and a commit writes in one.

use std::collections::HashMap;

use app::domain::collection::PenaltyRow;
use app::domain::{PublicationRule, SubjectKind};
use app::model::RecordKind;
use app::store::StoreError;
use chrono::NaiveDate;
use sqlx::{Row, SqliteConnection};

use super::sqlite::{db_err, rule_columns, rule_from_row_at};
use super::writes::{self, NewPenalty, NewSubject};

/// A catalog item as an import checks rows against it.
#[derive(Clone, Debug)]
pub struct CatalogEntry {
    pub name: String,
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
        ", i.name from catalog_items i join catalog_rules r on r.item_id = i.id
         order by i.id, r.version"
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
                record_kind,
                department_id: row.get(2),
                rules: Vec::new(),
            })
            .rules
            .push((row.get(3), rule));
    }
    Ok(ImportContext {
        department_id,
        department_name: dept.get(0),
        department_credit_code: dept.get(1),
        catalog,
    })
}

/// The penalty the department already delivered under `doc_no`, if any.
pub async fn existing_penalty(
    c: &mut SqliteConnection,
    department_id: i64,
    doc_no: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query("select id from penalties where department_id = ? and doc_no = ?")
            .bind(department_id)
            .bind(doc_no)
            .fetch_optional(&mut *c)
            .await
            .map_err(db_err)?
            .map(|r| r.get(0)),
    )
}

/// The subject the row is about: found by credit code or ID number, or
/// created. Returns its id.
async fn subject_for(c: &mut SqliteConnection, row: &PenaltyRow) -> Result<i64, StoreError> {
    let found = match (&row.credit_code, &row.id_number) {
        (Some(code), _) => sqlx::query("select id from subjects where credit_code = ?")
            .bind(code)
            .fetch_optional(&mut *c)
            .await
            .map_err(db_err)?,
        (None, Some(id)) => {
            sqlx::query("select id from subjects where kind = 'person' and id_number = ?")
                .bind(id)
                .fetch_optional(&mut *c)
                .await
                .map_err(db_err)?
        }
        (None, None) => None,
    };
    if let Some(r) = found {
        return Ok(r.get(0));
    }
    writes::insert_subject(
        c,
        &NewSubject {
            kind: row.subject_kind,
            name: &row.subject_name,
            credit_code: row.credit_code.as_deref(),
            id_number: row.id_number.as_deref(),
            representative: if row.subject_kind == SubjectKind::NaturalPerson {
                None
            } else {
                row.representative.as_deref()
            },
            division_code: None,
        },
    )
    .await
}

/// Writes a checked row under `rule_id`: inserts it, or corrects the
/// penalty `existing`.
pub async fn write_penalty(
    c: &mut SqliteConnection,
    ctx: &ImportContext,
    row: &PenaltyRow,
    rule_id: i64,
    existing: Option<i64>,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    let subject_id = subject_for(c, row).await?;
    let categories: Vec<&str> = row.categories.iter().map(String::as_str).collect();
    let rule_ids = [rule_id];
    let penalty = NewPenalty {
        subject_id,
        doc_no: &row.doc_no,
        violation_type: &row.violation_type,
        facts: &row.facts,
        basis: &row.basis,
        categories: &categories,
        content: &row.content,
        fine: row.fine,
        confiscated: row.confiscated,
        license_action: row.license_action.as_deref(),
        decision_date: row.decision_date,
        valid_until: row.valid_until,
        department_id: ctx.department_id,
        source_department_id: ctx.department_id,
        note: row.note.as_deref(),
        repaired_on: None,
        rule_ids: &rule_ids,
    };
    match existing {
        Some(id) => {
            writes::update_penalty(c, id, &penalty, today).await?;
            Ok(id)
        }
        None => writes::insert_penalty(c, &penalty, today).await,
    }
}
