//! Writing a checked penalty row.

use app::domain::collection::PenaltyRow;
use app::store::StoreError;
use sqlx::SqliteConnection;

use super::{stored, subject_for, Fields, Write, Written};
use crate::store::writes::{self, Known, NewPenalty};

/// The delivered fields the change log records, by column code, in the
/// order of [`fields`] and [`stored_fields`].
const LOGGED_FIELDS: [&str; 12] = [
    "CF_XDR_MC",
    "CF_WFXW",
    "CF_SY",
    "CF_YJ",
    "CF_CFLB",
    "CF_NR",
    "CF_NR_FK",
    "CF_NR_WFFF",
    "CF_NR_ZKDX",
    "CF_JDRQ",
    "CF_YXQ",
    "BZ",
];

/// A row's values of [`LOGGED_FIELDS`] (amounts in fen, as stored).
fn fields(row: &PenaltyRow) -> Fields {
    let values = [
        Some(row.subject.name.clone()),
        Some(row.violation_type.clone()),
        Some(row.facts.clone()),
        Some(row.basis.clone()),
        Some(row.categories.join("、")),
        Some(row.content.clone()),
        row.fine.map(|f| f.0.to_string()),
        row.confiscated.map(|f| f.0.to_string()),
        row.license_action.clone(),
        Some(row.decision_date.to_string()),
        row.valid_until.map(|d| d.to_string()),
        row.note.clone(),
    ];
    LOGGED_FIELDS.into_iter().zip(values).collect()
}

/// The stored values of [`LOGGED_FIELDS`] of penalty `id`.
async fn stored_fields(c: &mut SqliteConnection, id: i64) -> Result<Fields, StoreError> {
    const SQL: &str = "select s.name, p.violation_type, p.facts, p.basis, p.categories, p.content,
                cast(p.fine_fen as text), cast(p.confiscated_fen as text), p.license_action,
                p.decision_date, p.valid_until, p.note
         from penalties p join subjects s on s.id = p.subject_id where p.id = ?";
    stored(c, SQL, id, &LOGGED_FIELDS).await
}

pub(super) async fn write(
    c: &mut SqliteConnection,
    w: &Write<'_>,
    row: &PenaltyRow,
) -> Result<Written, StoreError> {
    let (rule_id, rule) = w.found.rule;
    let before = match w.found.existing {
        Some(id) => Some(stored_fields(c, id).await?),
        None => None,
    };
    let (subject_id, subject) = subject_for(c, &row.subject, w.found.subject.as_ref()).await?;
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
        department_id: w.ctx.department_id,
        source_department_id: w.ctx.department_id,
        note: row.note.as_deref(),
        repaired_on: None,
        rule_ids: &rule_ids,
        representative_id: row.subject.representative_id.as_deref(),
    };
    let id = match w.found.existing {
        Some(id) => {
            writes::update_penalty(c, id, &penalty, w.today).await?;
            id
        }
        None => {
            writes::insert_penalty_delivered(
                c,
                &penalty,
                w.late,
                w.today,
                Some(Known {
                    rules: std::slice::from_ref(rule),
                    department: &w.ctx.department_name,
                    subject: &subject,
                }),
            )
            .await?
        }
    };
    Ok((id, before, fields(row)))
}
