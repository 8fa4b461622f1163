//! Writes every PostgreSQL store shares: the public projection (one table,
//! `public_entries`, whose `tokens` array and trigram index are the search
//! indexes) and the change log the provincial feed reads.

use app::model::RecordKind;
use app::store::StoreError;
use sqlx::PgConnection;

use super::{db_err, millis};

/// Takes record `record_id` of `kind` off every public page.
pub(crate) async fn unpublish(
    c: &mut PgConnection,
    kind: RecordKind,
    record_id: i64,
) -> Result<(), StoreError> {
    sqlx::query("delete from public_entries where record_kind = $1 and record_id = $2")
        .bind(kind.code())
        .bind(record_id)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Appends to the change log the provincial feed reads.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_change(
    c: &mut PgConnection,
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
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(millis(chrono::Utc::now()))
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
