//! One import of a 双公示 sheet (penalties or licences): a dry run that reports row by row what
//! would be taken, corrected or refused and why, and a commit that writes
//! the taken and corrected rows in one transaction — all of them or none.
//!
//! Both run the same checks in the same order (`check_row`), so the commit
//! does what the dry run said, unless the database changed in between (then
//! the commit's own report is the truth, and it is what the page shows).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use app::domain::collection::{
    self, catalog_refusal, map_headers, other_department, registered_under_another_name,
    repeated_in_delivery, unknown_item, CheckedRow, Refusal, SheetKind,
};
use app::store::StoreError;
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::sheet::{self, SheetEvent};
use crate::store::collect::{
    load_context, lookup_row, record_delivery, write_record, Batch, DeliveryCounts, Found,
    ImportContext,
};
use crate::store::sqlite::db_err;
use crate::store::SqliteStore;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    DryRun,
    Commit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new record.
    Taken,
    /// A correction of a record the department delivered before (same
    /// document number and authority).
    Updated,
    Refused(Refusal),
}

/// One row of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowResult {
    pub line: u64,
    pub doc_no: String,
    pub outcome: Outcome,
    pub warnings: Vec<String>,
    /// Taken after the catalog item's reporting limit (迟报).
    pub late: bool,
}

/// How many problem rows the report page shows (the CSV has them all).
pub const SHOWN_ROWS: usize = 200;

/// What an import found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// What the sheet holds, told from its headers.
    pub kind: Option<SheetKind>,
    pub encoding: String,
    pub rows: u64,
    pub taken: u64,
    pub updated: u64,
    pub refused: u64,
    pub warned: u64,
    /// Taken rows delivered after their reporting limit.
    pub late: u64,
    pub unknown_headers: Vec<String>,
    /// The whole sheet was refused (headers, unreadable file); for a
    /// commit, nothing was written.
    pub sheet_error: Option<String>,
    /// The first refused or warned rows, for the page.
    pub shown: Vec<RowResult>,
    /// A commit that wrote its rows.
    pub committed: bool,
}

/// The checks of one row, database ones included; on success what the
/// database says of it and the item's reporting limit in working days.
async fn check_row<'c>(
    c: &mut SqliteConnection,
    ctx: &'c ImportContext,
    kind: SheetKind,
    value: &impl Fn(&str) -> Option<String>,
    today: NaiveDate,
    warnings: &mut Vec<String>,
) -> Result<(CheckedRow, Found<'c>, u32), Result<Refusal, StoreError>> {
    let row = collection::check_row(kind, value, today, warnings).map_err(Ok)?;
    let key = row.key();
    if key.authority_code != ctx.department_credit_code {
        return Err(Ok(other_department(kind, key.authority_name)));
    }
    let entry = ctx
        .catalog
        .get(key.catalog_item)
        .filter(|e| e.department_id == ctx.department_id && e.record_kind == kind.record_kind())
        .ok_or_else(|| Ok(unknown_item(kind, key.catalog_item)))?;
    let Some((rule_id, rule)) = entry.rule_on(key.decision_date) else {
        return Err(Ok(unknown_item(kind, key.catalog_item)));
    };
    if let Some(refusal) = catalog_refusal(&row, rule) {
        return Err(Ok(refusal));
    }
    let (existing, subject) = lookup_row(c, kind, ctx.department_id, key.doc_no, row.subject())
        .await
        .map_err(Err)?;
    if let Some((_, registered)) = &subject {
        warnings.extend(registered_under_another_name(
            row.subject(),
            &registered.name,
        ));
    }
    let found = Found {
        rule: (*rule_id, rule),
        existing,
        subject,
    };
    Ok((row, found, entry.reporting_working_days))
}

impl Summary {
    /// Counts one row's outcome.
    pub fn count(&mut self, r: &RowResult) {
        match &r.outcome {
            Outcome::Taken => self.taken += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Refused(_) => self.refused += 1,
        }
        if !r.warnings.is_empty() {
            self.warned += 1;
        }
        if r.late {
            self.late += 1;
        }
    }

    /// What the delivery table records of it.
    pub fn counts(&self) -> DeliveryCounts {
        DeliveryCounts {
            taken: self.taken,
            updated: self.updated,
            refused: self.refused,
            late: self.late,
        }
    }
}

/// One delivery in progress: what, how, when and by whom (with its
/// writes), and the document numbers taken so far (with the line they
/// came from).
pub struct Delivery<'a> {
    pub kind: SheetKind,
    pub mode: Mode,
    pub batch: Batch<'a>,
    pub seen: HashMap<String, u64>,
}

impl<'a> Delivery<'a> {
    pub fn new(kind: SheetKind, today: NaiveDate, mode: Mode, actor: &'a str) -> Self {
        Delivery {
            kind,
            mode,
            batch: Batch::new(actor, today),
            seen: HashMap::new(),
        }
    }
}

/// Checks one delivered row (`value(code)` gives its cells) and, in a
/// commit, writes it.
pub async fn process_row(
    tx: &mut SqliteConnection,
    ctx: &ImportContext,
    value: impl Fn(&str) -> Option<String>,
    line: u64,
    d: &mut Delivery<'_>,
) -> Result<RowResult, StoreError> {
    let (kind, today, mode) = (d.kind, d.batch.today, d.mode);
    let seen = &mut d.seen;
    let mut warnings = Vec::new();
    let mut late = false;
    let checked = check_row(tx, ctx, kind, &value, today, &mut warnings).await;
    let doc_no = match &checked {
        Ok((row, ..)) => row.key().doc_no.to_string(),
        Err(_) => value(kind.doc_column())
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    let outcome = match checked {
        Err(Err(store_error)) => return Err(store_error),
        Err(Ok(refusal)) => Outcome::Refused(refusal),
        Ok((row, found, reporting_days)) => {
            let key = row.key();
            if let Some(first) = seen.get(key.doc_no) {
                Outcome::Refused(repeated_in_delivery(kind, *first))
            } else {
                seen.insert(key.doc_no.to_string(), line);
                let due = ctx
                    .calendar
                    .add_working_days(key.decision_date, reporting_days);
                late = found.existing.is_none() && today > due;
                if late {
                    warnings.push(format!(
                        "迟报：应在 {due} 前（决定后 {reporting_days} 个工作日内）报送，已接收并计入迟报"
                    ));
                }
                if mode == Mode::Commit {
                    write_record(tx, ctx, &row, &found, late, &mut d.batch).await?;
                }
                if found.existing.is_some() {
                    Outcome::Updated
                } else {
                    Outcome::Taken
                }
            }
        }
    };
    Ok(RowResult {
        line,
        doc_no,
        outcome,
        warnings,
        late,
    })
}

/// Runs an import of the sheet at `path` for `department_id`, writing the
/// full report as CSV to `report`.
pub async fn run(
    store: &SqliteStore,
    department_id: i64,
    path: &Path,
    today: NaiveDate,
    mode: Mode,
    actor: &str,
    report: impl Write,
) -> Result<Summary, StoreError> {
    let mut tx = match mode {
        Mode::DryRun => store.pool().begin().await.map_err(db_err)?,
        Mode::Commit => store.write_tx().await.map_err(db_err)?,
    };
    let ctx = load_context(&mut tx, department_id).await?;
    let mut report = csv::Writer::from_writer(report);
    // A byte-order mark so that Excel opens the report as UTF-8.
    let _ = report.write_field("\u{feff}行号");
    let _ = report.write_record(["结果", "文书号", "列", "列名", "原因", "提示"]);
    let mut summary = Summary::default();
    let mut columns: Vec<Option<&'static collection::Column>> = Vec::new();
    let mut delivery = Delivery::new(SheetKind::Penalty, today, mode, actor);
    let mut events = sheet::read(path);
    while let Some(event) = events.recv().await {
        match event {
            SheetEvent::Header(headers, encoding) => {
                summary.encoding = encoding.to_string();
                let kind = SheetKind::detect(&headers);
                summary.kind = Some(kind);
                delivery.kind = kind;
                match map_headers(kind, &headers) {
                    Ok(map) => {
                        columns = map.positions;
                        summary.unknown_headers = map.unknown;
                    }
                    Err(message) => {
                        summary.sheet_error = Some(message);
                        break;
                    }
                }
            }
            SheetEvent::Broken(message) => {
                summary.sheet_error = Some(message);
                break;
            }
            SheetEvent::Row(line, cells) => {
                summary.rows += 1;
                let value = |code: &str| {
                    columns
                        .iter()
                        .position(|c| c.is_some_and(|c| c.code == code))
                        .and_then(|i| cells.get(i).cloned())
                };
                let result = process_row(&mut tx, &ctx, value, line, &mut delivery).await?;
                summary.count(&result);
                write_report_row(&mut report, &result);
                let notable =
                    matches!(result.outcome, Outcome::Refused(_)) || !result.warnings.is_empty();
                if notable && summary.shown.len() < SHOWN_ROWS {
                    summary.shown.push(result);
                }
            }
        }
    }
    let _ = report.flush();
    if mode == Mode::Commit && summary.sheet_error.is_none() {
        let counts = summary.counts();
        record_delivery(
            &mut tx,
            &mut delivery.batch,
            department_id,
            "sheet",
            &counts,
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        summary.committed = true;
    }
    // A dry run, or a commit of a broken sheet, drops `tx`: nothing stays.
    Ok(summary)
}

fn write_report_row(report: &mut csv::Writer<impl Write>, r: &RowResult) {
    let (result, column, column_name, reason) = match &r.outcome {
        Outcome::Taken => ("新增", "", "", String::new()),
        Outcome::Updated => ("更正", "", "", String::new()),
        Outcome::Refused(f) => ("拒收", f.column, f.column_name, f.reason.clone()),
    };
    let line = r.line.to_string();
    let warnings = r.warnings.join("；");
    let _ = report.write_record([
        line.as_str(),
        result,
        r.doc_no.as_str(),
        column,
        column_name,
        reason.as_str(),
        warnings.as_str(),
    ]);
}
