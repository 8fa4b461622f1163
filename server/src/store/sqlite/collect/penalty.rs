//! A checked penalty row: the fields its change log keeps, and its
//! columns in `staged_penalties` and `penalties`.

use app::domain::collection::PenaltyRow;
use app::store::StoreError;
use sqlx::SqliteConnection;

use super::staging::{KindSql, Query};
use super::stored;
use crate::store::delivery::{basis_code, consent_ref, Fields, PENALTY_LOGGED};

/// The stored values of [`PENALTY_LOGGED`] of penalty `id`.
pub(super) async fn stored_fields(c: &mut SqliteConnection, id: i64) -> Result<Fields, StoreError> {
    const SQL: &str = "select s.name, p.violation_type, p.facts, p.basis, p.categories, p.content,
                cast(p.fine_fen as text), cast(p.confiscated_fen as text), p.license_action,
                p.decision_date, p.valid_until, p.note
         from penalties p join subjects s on s.id = p.subject_id where p.id = ?";
    stored(c, SQL, id, &PENALTY_LOGGED).await
}

/// How penalties are staged and published.
pub(super) const SQL: KindSql = KindSql {
    code: "penalty",
    staged: "staged_penalties",
    columns: "doc_no, violation_type, facts, basis, categories, content, fine_fen, \
              confiscated_fen, license_action, decision_date, valid_until, note, late, \
              representative_id_number, personal_basis, consent_ref",
    column_count: 16,
    // ?1 staging, ?2 highest subject id before publication, ?3 department.
    correct: "update penalties set subject_id = coalesce(r.subject_id, ss.subject_id, ?2 + r.new_subject_no),
                     violation_type = r.violation_type, facts = r.facts, basis = r.basis,
                     categories = r.categories, content = r.content, fine_fen = r.fine_fen,
                     confiscated_fen = r.confiscated_fen, license_action = r.license_action,
                     decision_date = r.decision_date, valid_until = r.valid_until,
                     source_department_id = ?3, note = r.note,
                     representative_id_number =
                       coalesce(r.representative_id_number, penalties.representative_id_number),
                     personal_basis = r.personal_basis, consent_ref = r.consent_ref
              from staged_penalties r
              left join staged_subjects ss on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
              where r.staging_id = ?1 and r.existing_id = penalties.id",
    // ?4 highest record id before publication, ?5 the time.
    insert: "insert into penalties (id, subject_id, doc_no, violation_type, facts, basis, categories,
                                    content, fine_fen, confiscated_fen, license_action,
                                    decision_date, valid_until, department_id,
                                    source_department_id, note, repaired_on, created_at, late,
                                    representative_id_number, personal_basis, consent_ref)
             select ?4 + r.new_no, coalesce(r.subject_id, ss.subject_id, ?2 + r.new_subject_no),
                    r.doc_no, r.violation_type, r.facts, r.basis, r.categories, r.content,
                    r.fine_fen, r.confiscated_fen, r.license_action, r.decision_date,
                    r.valid_until, ?3, ?3, r.note, null, ?5, r.late, r.representative_id_number,
                    r.personal_basis, r.consent_ref
             from staged_penalties r
             left join staged_subjects ss on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
             where r.staging_id = ?1 and r.existing_id is null
             order by r.seq",
    // A corrected record that was repaired, or that an objection withdrew,
    // stays off the public pages, however it reads now (`status_on`); ?6 is today.
    public: "(r.existing_id is null or (not exists (select 1 from penalties p
               where p.id = r.existing_id and p.repaired_on is not null and p.repaired_on <= ?6)
             and not exists (select 1 from record_withdrawals w
               where w.record_kind = 'penalty' and w.record_id = r.existing_id)))",
};

/// Binds a row's own columns, in the order of `SQL.columns`.
pub(super) fn bind(q: Query, row: &PenaltyRow, late: bool) -> Query {
    q.bind(row.doc_no.clone())
        .bind(row.violation_type.clone())
        .bind(row.facts.clone())
        .bind(row.basis.clone())
        .bind(row.categories.join("、"))
        .bind(row.content.clone())
        .bind(row.fine.map(|f| f.0))
        .bind(row.confiscated.map(|f| f.0))
        .bind(row.license_action.clone())
        .bind(row.decision_date)
        .bind(row.valid_until)
        .bind(row.note.clone())
        .bind(late)
        .bind(row.subject.representative_id.clone())
        .bind(basis_code(&row.subject))
        .bind(consent_ref(&row.subject))
}
