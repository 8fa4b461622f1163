//! Repair applications on PostgreSQL: the pieces the staff store shares
//! (moving an application on, failed-attempt counts).

use app::domain::repair_application::{transition, ApplicationState};
use app::store::repair::{NewEvent, NewFile};
use app::store::StoreError;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};

use super::{db_err, millis, PgStore};

/// Attaches `file` to a draft or to an application's event.
pub(crate) async fn insert_file(
    c: &mut PgConnection,
    draft_id: Option<&str>,
    application_id: Option<i64>,
    event_id: Option<i64>,
    file: &NewFile,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into repair_files (draft_id, application_id, event_id, evidence_kind, display_name,
                                   stored_name, sha256, size_bytes, mime, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(draft_id)
    .bind(application_id)
    .bind(event_id)
    .bind(file.evidence_kind.code())
    .bind(&file.display_name)
    .bind(&file.stored_name)
    .bind(&file.sha256)
    .bind(i64::try_from(file.size_bytes).unwrap_or(i64::MAX))
    .bind(file.kind.mime())
    .bind(millis(now))
    .fetch_one(c)
    .await
    .map_err(db_err)?;
    Ok(row.get(0))
}

/// Moves an application from `expected` by `event.action` inside `tx`,
/// records the event (naming the staff account, if any) and attaches
/// `files` to it. `None` when the action is not allowed or the state had
/// changed meanwhile (the update matches no row); the caller then rolls
/// back by dropping `tx`.
pub(crate) async fn apply_in_tx(
    tx: &mut PgConnection,
    application_id: i64,
    expected: ApplicationState,
    event: &NewEvent,
    files: &[NewFile],
    staff_account_id: Option<i64>,
) -> Result<Option<ApplicationState>, StoreError> {
    let Ok(next) = transition(expected, event.action) else {
        return Ok(None);
    };
    let at = millis(event.at);
    let decided = next.is_decided().then_some(at);
    let changed = sqlx::query(
        "update repair_applications set state = $1, decided_at = coalesce($2, decided_at)
         where id = $3 and state = $4",
    )
    .bind(next.code())
    .bind(decided)
    .bind(application_id)
    .bind(expected.code())
    .execute(&mut *tx)
    .await
    .map_err(db_err)?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    let event_id: i64 = sqlx::query(
        "insert into repair_events (application_id, at, actor, action, from_state, to_state, reason,
                                    remedies, deadline, staff_account_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
    )
    .bind(application_id)
    .bind(at)
    .bind(event.actor)
    .bind(event.action.code())
    .bind(expected.code())
    .bind(next.code())
    .bind(&event.reason)
    .bind(&event.remedies)
    .bind(event.deadline)
    .bind(staff_account_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(db_err)?
    .get(0);
    for file in files {
        insert_file(
            &mut *tx,
            None,
            Some(application_id),
            Some(event_id),
            file,
            event.at,
        )
        .await?;
    }
    Ok(Some(next))
}

/// The tables counting failed attempts per client, for rate limits.
#[derive(Clone, Copy)]
pub(crate) enum Failures {
    /// Wrong application number / tracking code pairs.
    Tracking,
    /// Failed staff logins.
    Login,
}

impl Failures {
    fn table(self) -> &'static str {
        match self {
            Failures::Tracking => "tracking_failures",
            Failures::Login => "login_failures",
        }
    }
}

pub(crate) async fn note_failure(
    store: &PgStore,
    kind: Failures,
    client: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = format!("insert into {} (client, at) values ($1, $2)", kind.table());
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(client)
        .bind(millis(now))
        .execute(&store.pool)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn failures_since(
    store: &PgStore,
    kind: Failures,
    client: &str,
    since: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let sql = format!(
        "select count(*) from {} where client = $1 and at >= $2",
        kind.table()
    );
    let n: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(client)
        .bind(since)
        .fetch_one(&store.pool)
        .await
        .map_err(db_err)?
        .get(0);
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}
