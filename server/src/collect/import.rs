//! One import of a 双公示 sheet (penalties or licences): a dry run that
//! reports row by row what would be taken, corrected or refused and why,
//! and a commit that writes the taken and corrected rows — all of them or
//! none.
//!
//! Both run the same checks in the same order (`check_row`), so the commit
//! does what the dry run said, unless the database changed in between (then
//! the commit's own report is the truth, and it is what the page shows).
//! A dry run reads in one transaction it rolls back. A commit reads outside
//! any write transaction and stages its rows in chunks, each a short write
//! transaction, then publishes them in one (`store::collect::staging`):
//! however large the sheet, the portal's other writes wait for the write
//! lock a fraction of a second, never the whole import.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use app::domain::collection::{
    self, catalog_refusal, map_headers, other_department, registered_under_another_name,
    repeated_in_delivery, unknown_item, CheckedRow, Refusal, SheetKind,
};
use app::store::StoreError;
use chrono::NaiveDate;

use super::sheet::{self, SheetEvent};
use crate::store::delivery::{
    staged_row, subject_key, DeliveryCounts, DeliveryReads, DeliveryStore, DeliveryTurn, Found,
    ImportContext, Published, Stage, SubjectRef, WriteStats,
};
use crate::store::projection::SubjectFacts;

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
    /// The whole sheet was refused (headers, unreadable file, or the
    /// database changed under the commit); for a commit, nothing was
    /// written.
    pub sheet_error: Option<String>,
    /// The first refused or warned rows, for the page.
    pub shown: Vec<RowResult>,
    /// A commit that wrote its rows.
    pub committed: bool,
    /// How long a commit held the write lock.
    pub writes: WriteStats,
}

/// The subjects a delivery names that are not registered yet, by how rows
/// name them (`subject_key`): their number in the delivery and what the
/// first row said of them. A later row naming the same subject is about
/// that subject, in a dry run as in a commit.
type NewSubjects = HashMap<String, (u32, SubjectFacts)>;

/// The checks of one row, database ones included; on success what the
/// database (or an earlier row of the delivery) says of it and the item's
/// reporting limit in working days.
async fn check_row<'c>(
    reads: &mut dyn DeliveryReads,
    ctx: &'c ImportContext,
    kind: SheetKind,
    value: &impl Fn(&str) -> Option<String>,
    today: NaiveDate,
    new_subjects: &NewSubjects,
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
    let (existing, registered) = reads
        .lookup_row(kind, ctx.department_id, key.doc_no, row.subject())
        .await
        .map_err(Err)?;
    let subject = match registered {
        Some((id, facts)) => Some((SubjectRef::Registered(id), facts)),
        None => subject_key(row.subject())
            .and_then(|k| new_subjects.get(&k))
            .map(|(no, facts)| (SubjectRef::New(*no), facts.clone())),
    };
    if let Some((_, known)) = &subject {
        warnings.extend(registered_under_another_name(row.subject(), &known.name));
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

/// One delivery in progress: what, when, the document numbers taken so
/// far (with the line they came from), the subjects it registers, and in
/// a commit where its rows are staged.
pub struct Delivery {
    pub kind: SheetKind,
    pub today: NaiveDate,
    seen: HashMap<String, u64>,
    new_subjects: NewSubjects,
    staging: Option<Box<dyn Stage>>,
}

impl Delivery {
    /// A delivery that is only checked.
    pub fn dry_run(kind: SheetKind, today: NaiveDate) -> Self {
        Delivery {
            kind,
            today,
            seen: HashMap::new(),
            new_subjects: HashMap::new(),
            staging: None,
        }
    }

    /// A delivery whose accepted rows go to `staging`.
    pub fn commit(kind: SheetKind, today: NaiveDate, staging: Box<dyn Stage>) -> Self {
        Delivery {
            staging: Some(staging),
            ..Delivery::dry_run(kind, today)
        }
    }

    /// Publishes a committed delivery (`channel`: sheet or api), checked
    /// against `ctx`, with its `counts`.
    pub async fn publish(
        mut self,
        ctx: &ImportContext,
        counts: &DeliveryCounts,
        channel: &str,
    ) -> Result<Published, StoreError> {
        let staging = self
            .staging
            .take()
            .ok_or_else(|| StoreError("a dry run is not published".into()))?;
        staging.publish(ctx, counts, channel, self.today).await
    }

    /// Drops a committed delivery's staged rows (nothing was published).
    pub async fn discard(mut self) {
        if let Some(staging) = self.staging.take() {
            staging.discard().await;
        }
    }
}

/// Checks one delivered row (`value(code)` gives its cells) and, in a
/// commit, stages it (a chunk at a time: see `staging::CHUNK_ROWS`).
pub async fn process_row(
    reads: &mut dyn DeliveryReads,
    ctx: &ImportContext,
    value: impl Fn(&str) -> Option<String>,
    line: u64,
    d: &mut Delivery,
) -> Result<RowResult, StoreError> {
    let (kind, today) = (d.kind, d.today);
    let mut warnings = Vec::new();
    let mut late = false;
    let checked = check_row(
        reads,
        ctx,
        kind,
        &value,
        today,
        &d.new_subjects,
        &mut warnings,
    )
    .await;
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
            if let Some(first) = d.seen.get(key.doc_no) {
                Outcome::Refused(repeated_in_delivery(kind, *first))
            } else {
                d.seen.insert(key.doc_no.to_string(), line);
                let due = ctx
                    .calendar
                    .add_working_days(key.decision_date, reporting_days);
                late = found.existing.is_none() && today > due;
                if late {
                    warnings.push(format!(
                        "迟报：应在 {due} 前（决定后 {reporting_days} 个工作日内）报送，已接收并计入迟报"
                    ));
                }
                let outcome = if found.existing.is_some() {
                    Outcome::Updated
                } else {
                    Outcome::Taken
                };
                let subject = match &found.subject {
                    Some((r, facts)) => (*r, facts.clone()),
                    None => {
                        // A subject not registered yet: the delivery registers it.
                        let fields = row.subject();
                        let no = u32::try_from(d.new_subjects.len() + 1).unwrap_or(u32::MAX);
                        let facts = SubjectFacts {
                            kind: fields.kind,
                            name: fields.name.clone(),
                            representative: fields.representative.clone(),
                            credit_code: fields.credit_code.clone(),
                        };
                        let key = subject_key(fields).unwrap_or_else(|| format!("n:{no}"));
                        if let Some(staging) = &mut d.staging {
                            staging.add_subject(no, key.clone(), fields);
                        }
                        d.new_subjects.insert(key, (no, facts.clone()));
                        (SubjectRef::New(no), facts)
                    }
                };
                if let Some(staging) = &mut d.staging {
                    let staged = staged_row(
                        reads,
                        ctx,
                        row,
                        &found,
                        (subject.0, &subject.1),
                        late,
                        today,
                    )
                    .await?;
                    staging.add(staged);
                    if staging.is_full() {
                        staging.flush().await?;
                    }
                }
                outcome
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

/// A dry run of the sheet at `path` for `department_id`, writing the full
/// report as CSV to `report`. Reads in one transaction, writes nothing.
pub async fn dry_run(
    store: &dyn DeliveryStore,
    department_id: i64,
    path: &Path,
    today: NaiveDate,
    report: impl Write,
) -> Result<Summary, StoreError> {
    let mut snapshot = store.reads(true).await?;
    let summary = run(
        store,
        snapshot.as_mut(),
        department_id,
        None,
        path,
        today,
        "",
        report,
    )
    .await;
    // Dropping `snapshot` ends it: nothing stays.
    summary
}

/// Commits the sheet at `path` for the department whose `turn` it is
/// ([`DeliveryStore::turn`]), writing the full report as CSV to
/// `report`: every taken and corrected row, or (a sheet error, a refusal
/// at publication, a failure) nothing.
pub async fn commit(
    store: &dyn DeliveryStore,
    turn: &DeliveryTurn,
    path: &Path,
    today: NaiveDate,
    actor: &str,
    report: impl Write,
) -> Result<Summary, StoreError> {
    let mut reads = store.reads(false).await?;
    let department_id = turn.department_id;
    run(
        store,
        reads.as_mut(),
        department_id,
        Some(turn),
        path,
        today,
        actor,
        report,
    )
    .await
}

/// Runs `mode` on the sheet at `path`: a dry run, or with a `turn` a
/// commit. Kept for tools: a commit waits for the department's turn.
pub async fn run_sheet(
    store: &dyn DeliveryStore,
    department_id: i64,
    path: &Path,
    today: NaiveDate,
    mode: Mode,
    actor: &str,
    report: impl Write,
) -> Result<Summary, StoreError> {
    match mode {
        Mode::DryRun => dry_run(store, department_id, path, today, report).await,
        Mode::Commit => {
            let turn = store.turn(department_id).await?;
            commit(store, &turn, path, today, actor, report).await
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn run(
    store: &dyn DeliveryStore,
    reads: &mut dyn DeliveryReads,
    department_id: i64,
    turn: Option<&DeliveryTurn>,
    path: &Path,
    today: NaiveDate,
    actor: &str,
    report: impl Write,
) -> Result<Summary, StoreError> {
    let ctx = reads.context(department_id).await?;
    let mut report = csv::Writer::from_writer(report);
    // A byte-order mark so that Excel opens the report as UTF-8.
    let _ = report.write_field("\u{feff}行号");
    let _ = report.write_record(["结果", "文书号", "列", "列名", "原因", "提示"]);
    let mut summary = Summary::default();
    let mut columns: Vec<Option<&'static collection::Column>> = Vec::new();
    let mut delivery = Delivery::dry_run(SheetKind::Penalty, today);
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
                if let Some(turn) = turn {
                    let staging = store.stage(turn, kind, actor).await?;
                    delivery = Delivery::commit(kind, today, staging);
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
                let result = process_row(reads, &ctx, value, line, &mut delivery).await?;
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
    let Some(turn) = turn else {
        return Ok(summary);
    };
    if summary.sheet_error.is_some() {
        delivery.discard().await;
        return Ok(summary);
    }
    if delivery.staging.is_none() {
        // A sheet without rows is still a delivery.
        let staging = store.stage(turn, delivery.kind, actor).await?;
        delivery = Delivery::commit(delivery.kind, today, staging);
    }
    let counts = summary.counts();
    match delivery.publish(&ctx, &counts, "sheet").await? {
        Published::Done(writes) => {
            summary.committed = true;
            summary.writes = writes;
        }
        Published::Refused(reason) => summary.sheet_error = Some(reason),
    }
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
