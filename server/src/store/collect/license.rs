//! Writing a checked licence row.

use app::domain::collection::LicenseRow;
use app::store::StoreError;
use sqlx::SqliteConnection;

use super::{stored, subject_for, Fields, Write, Written};
use crate::store::writes::{self, Known, NewLicense};

/// The delivered fields the change log records, by column code, in the
/// order of [`fields`] and [`stored_fields`].
const LOGGED_FIELDS: [&str; 11] = [
    "XK_XDR_MC",
    "XK_XKWS",
    "XK_XKLB",
    "XK_XKZS",
    "XK_XKBH",
    "XK_NR",
    "XK_JDRQ",
    "XK_YXQZ",
    "XK_YXQZI",
    "XK_ZT",
    "BZ",
];

/// A row's values of [`LOGGED_FIELDS`], as stored.
fn fields(row: &LicenseRow) -> Fields {
    let values = [
        Some(row.subject.name.clone()),
        Some(row.doc_name.clone()),
        Some(row.category.clone()),
        row.cert_name.clone(),
        row.cert_no.clone(),
        Some(row.content.clone()),
        Some(row.decision_date.to_string()),
        Some(row.valid_from.to_string()),
        row.valid_to.map(|d| d.to_string()),
        Some(row.state.clone()),
        row.note.clone(),
    ];
    LOGGED_FIELDS.into_iter().zip(values).collect()
}

/// The stored values of [`LOGGED_FIELDS`] of licence `id`.
async fn stored_fields(c: &mut SqliteConnection, id: i64) -> Result<Fields, StoreError> {
    const SQL: &str = "select s.name, l.doc_name, l.category, l.cert_name, l.cert_no, l.content,
                l.decision_date, l.valid_from, l.valid_to, l.state, l.note
         from licenses l join subjects s on s.id = l.subject_id where l.id = ?";
    stored(c, SQL, id, &LOGGED_FIELDS).await
}

pub(super) async fn write(
    c: &mut SqliteConnection,
    w: &Write<'_>,
    row: &LicenseRow,
) -> Result<Written, StoreError> {
    let before = match w.found.existing {
        Some(id) => Some(stored_fields(c, id).await?),
        None => None,
    };
    let (subject_id, subject) = subject_for(c, &row.subject, w.found.subject.as_ref()).await?;
    let rule_ids = [w.found.rule.0];
    let license = NewLicense {
        subject_id,
        doc_name: &row.doc_name,
        doc_no: &row.doc_no,
        category: &row.category,
        cert_name: row.cert_name.as_deref(),
        cert_no: row.cert_no.as_deref(),
        content: &row.content,
        decision_date: row.decision_date,
        valid_from: row.valid_from,
        valid_to: row.valid_to,
        department_id: w.ctx.department_id,
        source_department_id: w.ctx.department_id,
        state: &row.state,
        note: row.note.as_deref(),
        rule_ids: &rule_ids,
    };
    let id = match w.found.existing {
        Some(id) => {
            writes::update_license(c, id, &license, w.today).await?;
            id
        }
        None => {
            writes::insert_license_delivered(
                c,
                &license,
                w.late,
                w.today,
                Some(Known {
                    rules: std::slice::from_ref(w.found.rule.1),
                    department: &w.ctx.department_name,
                    subject: &subject,
                }),
            )
            .await?
        }
    };
    Ok((id, before, fields(row)))
}
