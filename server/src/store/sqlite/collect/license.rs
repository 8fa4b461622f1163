//! A checked licence row: the fields its change log keeps, and its
//! columns in `staged_licenses` and `licenses`.

use app::domain::collection::LicenseRow;
use app::store::StoreError;
use sqlx::SqliteConnection;

use super::staging::{KindSql, Query};
use super::stored;
use crate::store::delivery::{basis_code, consent_ref, Fields, LICENSE_LOGGED};

/// The stored values of [`LICENSE_LOGGED`] of licence `id`.
pub(super) async fn stored_fields(c: &mut SqliteConnection, id: i64) -> Result<Fields, StoreError> {
    const SQL: &str = "select s.name, l.doc_name, l.category, l.cert_name, l.cert_no, l.content,
                l.decision_date, l.valid_from, l.valid_to, l.state, l.note
         from licenses l join subjects s on s.id = l.subject_id where l.id = ?";
    stored(c, SQL, id, &LICENSE_LOGGED).await
}

/// How licences are staged and published.
pub(super) const SQL: KindSql = KindSql {
    code: "license",
    staged: "staged_licenses",
    columns: "doc_name, doc_no, category, cert_name, cert_no, content, decision_date, \
              valid_from, valid_to, state, note, late, personal_basis, consent_ref",
    column_count: 14,
    // ?1 staging, ?2 highest subject id before publication, ?3 department.
    correct: "update licenses set subject_id = coalesce(r.subject_id, ss.subject_id, ?2 + r.new_subject_no),
                     doc_name = r.doc_name, category = r.category, cert_name = r.cert_name,
                     cert_no = r.cert_no, content = r.content, decision_date = r.decision_date,
                     valid_from = r.valid_from, valid_to = r.valid_to,
                     source_department_id = ?3, state = r.state, note = r.note,
                     personal_basis = r.personal_basis, consent_ref = r.consent_ref
              from staged_licenses r
              left join staged_subjects ss on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
              where r.staging_id = ?1 and r.existing_id = licenses.id",
    // ?4 highest record id before publication, ?5 the time.
    insert: "insert into licenses (id, subject_id, doc_name, doc_no, category, cert_name, cert_no,
                                   content, decision_date, valid_from, valid_to, department_id,
                                   source_department_id, state, note, created_at, late,
                                   personal_basis, consent_ref)
             select ?4 + r.new_no, coalesce(r.subject_id, ss.subject_id, ?2 + r.new_subject_no),
                    r.doc_name, r.doc_no, r.category, r.cert_name, r.cert_no, r.content,
                    r.decision_date, r.valid_from, r.valid_to, ?3, ?3, r.state, r.note, ?5, r.late,
                    r.personal_basis, r.consent_ref
             from staged_licenses r
             left join staged_subjects ss on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
             where r.staging_id = ?1 and r.existing_id is null
             order by r.seq",
    // Licences are never repaired.
    // A licence an objection withdrew stays off, however it reads now.
    public: "(r.existing_id is null or not exists (select 1 from record_withdrawals w
               where w.record_kind = 'license' and w.record_id = r.existing_id))",
};

/// Binds a row's own columns, in the order of `SQL.columns`.
pub(super) fn bind(q: Query, row: &LicenseRow, late: bool) -> Query {
    q.bind(row.doc_name.clone())
        .bind(row.doc_no.clone())
        .bind(row.category.clone())
        .bind(row.cert_name.clone())
        .bind(row.cert_no.clone())
        .bind(row.content.clone())
        .bind(row.decision_date)
        .bind(row.valid_from)
        .bind(row.valid_to)
        .bind(row.state.clone())
        .bind(row.note.clone())
        .bind(late)
        .bind(basis_code(&row.subject))
        .bind(consent_ref(&row.subject))
}
