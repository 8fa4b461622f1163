//! `RepairStore` on PostgreSQL: drafts, uploads, submissions, the
//! applicant's actions, and the failed-attempt counts behind the limits.
//!
//! Where the SQLite store is the single writer, here a submission locks its
//! draft row (a second submission of one draft waits, then finds it gone),
//! takes its number from the day's counter row, and the unique index on
//! open applications settles two drafts of one record submitted at once.

use app::domain::repair_application::{
    transition, Action, ApplicantKind, ApplicationNumber, ApplicationState, DraftUsage,
    EvidenceKind, FileKind,
};
use app::domain::working_days::{china_date, state_council_notices, CalendarEntry, DayKind};
use app::model::RecordKind;
use app::store::repair::{
    Draft, DraftAnswers, IdentityFailures, NewApplication, NewEvent, NewFile, RepairStore,
    StoredApplication, StoredEvent, StoredFile, SubmitOutcome,
};
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::{db_err, millis, PgStore};
pub(crate) use crate::store::columns::Failures;
use crate::store::columns::{bad, FILE_COLUMNS};

pub(crate) fn file_from_row(row: &PgRow) -> Result<StoredFile, StoreError> {
    let evidence: String = row.get(1);
    let mime: String = row.get(6);
    Ok(StoredFile {
        id: row.get(0),
        evidence_kind: EvidenceKind::from_code(&evidence)
            .ok_or_else(|| bad("evidence kind", &evidence))?,
        display_name: row.get(2),
        stored_name: row.get(3),
        sha256: row.get(4),
        size_bytes: u64::try_from(row.get::<i64, _>(5)).unwrap_or(0),
        kind: [FileKind::Pdf, FileKind::Jpeg, FileKind::Png]
            .into_iter()
            .find(|k| k.mime() == mime)
            .ok_or_else(|| bad("mime", &mime))?,
        event_id: row.get(7),
    })
}

/// The open application of penalty `record_id`, if any.
const OPEN_APPLICATION: &str = "select number from repair_applications
     where record_kind = 'penalty' and record_id = $1
       and state in ('submitted', 'accepted', 'needs_supplement')";

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

async fn note_failure(
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

impl PgStore {
    /// Fills the holiday calendar from the State Council notices the first
    /// time (administrators maintain it afterwards).
    pub(crate) async fn seed_calendar_if_empty(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Two app servers starting at once seed it once.
        sqlx::query("lock table calendar_days in exclusive mode")
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let empty: bool = sqlx::query("select not exists(select 1 from calendar_days)")
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?
            .get(0);
        if !empty {
            return Ok(());
        }
        for e in state_council_notices() {
            sqlx::query(
                "insert into calendar_days (date, kind, name, source) values ($1, $2, $3, $4)",
            )
            .bind(e.date)
            .bind(e.kind.code())
            .bind(&e.name)
            .bind(&e.source)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }
}

/// Whether `err` is a unique-constraint violation.
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.code().as_deref() == Some("23505"))
}

#[async_trait]
impl RepairStore for PgStore {
    async fn calendar(&self) -> Result<Vec<CalendarEntry>, StoreError> {
        let rows = sqlx::query("select date, kind, name, source from calendar_days order by date")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let kind: String = r.get(1);
                Ok(CalendarEntry {
                    date: r.get(0),
                    kind: DayKind::from_code(&kind).ok_or_else(|| bad("day kind", &kind))?,
                    name: r.get(2),
                    source: r.get(3),
                })
            })
            .collect()
    }

    async fn working_days_setting(&self, key: &str) -> Result<Option<u32>, StoreError> {
        let row = sqlx::query("select value from settings where key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.and_then(|r| r.get::<String, _>(0).trim().parse().ok()))
    }

    async fn open_application_for(&self, record_id: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(OPEN_APPLICATION)
            .bind(record_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn create_draft(
        &self,
        id: &str,
        record_id: i64,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "insert into repair_drafts (id, record_id, answers, created_at, updated_at, client)
             values ($1, $2, '{}', $3, $3, $4)",
        )
        .bind(id)
        .bind(record_id)
        .bind(millis(now))
        .bind(client)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn draft_usage(
        &self,
        client: &str,
        since: DateTime<Utc>,
    ) -> Result<DraftUsage, StoreError> {
        let row = sqlx::query(
            "select (select count(*) from repair_drafts where client = $1 and created_at >= $2),
                    (select count(*) from repair_drafts),
                    (select coalesce(sum(f.size_bytes), 0)::bigint from repair_files f
                       join repair_drafts d on d.id = f.draft_id where d.client = $1),
                    (select coalesce(sum(size_bytes), 0)::bigint from repair_files
                       where draft_id is not null)",
        )
        .bind(client)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        let n = |i: usize| u64::try_from(row.get::<i64, _>(i)).unwrap_or(0);
        Ok(DraftUsage {
            client_recent_drafts: u32::try_from(n(0)).unwrap_or(u32::MAX),
            open_drafts: u32::try_from(n(1)).unwrap_or(u32::MAX),
            client_bytes: n(2),
            total_bytes: n(3),
        })
    }

    async fn draft(&self, id: &str) -> Result<Option<Draft>, StoreError> {
        let Some(row) = sqlx::query(
            "select id, record_id, answers, updated_at from repair_drafts where id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        else {
            return Ok(None);
        };
        let answers: String = row.get(2);
        Ok(Some(Draft {
            id: row.get(0),
            record_id: row.get(1),
            answers: serde_json::from_str(&answers).unwrap_or_default(),
            updated_at: row.get(3),
        }))
    }

    async fn save_draft(
        &self,
        id: &str,
        answers: &DraftAnswers,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(answers).map_err(|e| StoreError(e.to_string()))?;
        sqlx::query("update repair_drafts set answers = $1, updated_at = $2 where id = $3")
            .bind(json)
            .bind(millis(now))
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn add_draft_file(
        &self,
        draft_id: &str,
        file: &NewFile,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let id = insert_file(&mut tx, Some(draft_id), None, None, file, now).await?;
        sqlx::query("update repair_drafts set updated_at = $1 where id = $2")
            .bind(millis(now))
            .bind(draft_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(id)
    }

    async fn remove_draft_file(
        &self,
        draft_id: &str,
        file_id: i64,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "delete from repair_files where id = $1 and draft_id = $2 returning stored_name",
        )
        .bind(file_id)
        .bind(draft_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    async fn draft_files(&self, draft_id: &str) -> Result<Vec<StoredFile>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {FILE_COLUMNS} from repair_files where draft_id = $1 order by id"
        )))
        .bind(draft_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(file_from_row).collect()
    }

    async fn purge_drafts(&self, before: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let names = sqlx::query(
            "delete from repair_files where draft_id in
               (select id from repair_drafts where updated_at < $1)
             returning stored_name",
        )
        .bind(before)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| r.get(0))
        .collect();
        sqlx::query("delete from repair_drafts where updated_at < $1")
            .bind(before)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(names)
    }

    async fn known_file_names(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "select stored_name from repair_files union all select stored_name from objection_files
             union all select stored_name from listing_files",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn submit(&self, app: &NewApplication) -> Result<SubmitOutcome, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // The draft row is locked: the same draft submitted twice at once
        // is submitted once, the other finds it gone.
        let draft_exists = sqlx::query("select 1 from repair_drafts where id = $1 for update")
            .bind(&app.draft_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
            .is_some();
        if !draft_exists {
            return Ok(SubmitOutcome::DraftMissing);
        }
        if let Some(row) = sqlx::query(OPEN_APPLICATION)
            .bind(app.record_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
        {
            return Ok(SubmitOutcome::AlreadyOpen { number: row.get(0) });
        }
        // Numbers are per day of submission (China Standard Time), from the
        // day's counter; a day without one (data copied from SQLite) starts
        // after the applications it already has.
        let day = china_date(app.submitted_at);
        let prefix = format!("XF{}", day.format("%Y%m%d"));
        let seq: i64 = sqlx::query(
            "insert into application_counters (day, last)
             values ($1, (select count(*) from repair_applications where number like $2 || '%') + 1)
             on conflict (day) do update set last = application_counters.last + 1
             returning last",
        )
        .bind(day)
        .bind(&prefix)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?
        .get(0);
        let number = ApplicationNumber::new(day, u32::try_from(seq).unwrap_or(u32::MAX))
            .ok_or_else(|| StoreError("application numbers for the day are exhausted".into()))?;
        let at = millis(app.submitted_at);
        let inserted = sqlx::query(
            "insert into repair_applications (number, tracking_hash, record_kind, record_id,
                 department_id, state, applicant_kind, applicant_name, contact_phone,
                 identity_checked, pledge_text, pledge_signed_name, submitted_at)
             values ($1, $2, 'penalty', $3, $4, 'submitted', $5, $6, $7, $8, $9, $10, $11)
             returning id",
        )
        .bind(number.as_str())
        .bind(&app.tracking_hash)
        .bind(app.record_id)
        .bind(app.department_id)
        .bind(app.applicant_kind.code())
        .bind(&app.applicant_name)
        .bind(&app.contact_phone)
        .bind(&app.identity_checked)
        .bind(&app.pledge_text)
        .bind(&app.pledge_signed_name)
        .bind(at)
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.get(0),
            // Another draft of the record was submitted meanwhile: its
            // application is the open one.
            Err(e) if is_unique_violation(&e) => {
                drop(tx);
                let number = self
                    .open_application_for(app.record_id)
                    .await?
                    .ok_or_else(|| db_err(e))?;
                return Ok(SubmitOutcome::AlreadyOpen { number });
            }
            Err(e) => return Err(db_err(e)),
        };
        sqlx::query(
            "insert into repair_events (application_id, at, actor, action, from_state, to_state,
                                        deadline)
             values ($1, $2, 'applicant', 'submit', null, 'submitted', $3)",
        )
        .bind(id)
        .bind(at)
        .bind(app.deadline)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        super::consent::insert_consents(
            &mut tx,
            app::domain::privacy_notice::NoticeForm::Repair,
            id,
            &app.consents,
        )
        .await?;
        sqlx::query(
            "update repair_files set application_id = $1, draft_id = null where draft_id = $2",
        )
        .bind(id)
        .bind(&app.draft_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query("delete from repair_drafts where id = $1")
            .bind(&app.draft_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(SubmitOutcome::Submitted { id, number })
    }

    async fn application_by_number(
        &self,
        number: &str,
    ) -> Result<Option<StoredApplication>, StoreError> {
        let Some(row) = sqlx::query(
            "select id, number, tracking_hash, record_id, department_id, state, applicant_kind,
                    applicant_name, contact_phone, pledge_text, pledge_signed_name, submitted_at
             from repair_applications where number = $1",
        )
        .bind(number)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        else {
            return Ok(None);
        };
        let state: String = row.get(5);
        let kind: String = row.get(6);
        Ok(Some(StoredApplication {
            id: row.get(0),
            number: row.get(1),
            tracking_hash: row.get(2),
            record_id: row.get(3),
            department_id: row.get(4),
            state: ApplicationState::from_code(&state).ok_or_else(|| bad("state", &state))?,
            applicant_kind: ApplicantKind::from_code(&kind)
                .ok_or_else(|| bad("applicant kind", &kind))?,
            applicant_name: row.get(7),
            contact_phone: row.get(8),
            pledge_text: row.get(9),
            pledge_signed_name: row.get(10),
            submitted_at: row.get(11),
        }))
    }

    async fn application_events(
        &self,
        application_id: i64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(
            "select id, at, actor, action, to_state, reason, remedies, deadline
             from repair_events where application_id = $1 order by id",
        )
        .bind(application_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let action: String = r.get(3);
                let to: String = r.get(4);
                Ok(StoredEvent {
                    id: r.get(0),
                    at: r.get(1),
                    actor: r.get(2),
                    action: Action::from_code(&action),
                    to_state: ApplicationState::from_code(&to).ok_or_else(|| bad("state", &to))?,
                    reason: r.get(5),
                    remedies: r.get(6),
                    deadline: r.get(7),
                })
            })
            .collect()
    }

    async fn application_files(&self, application_id: i64) -> Result<Vec<StoredFile>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select {FILE_COLUMNS} from repair_files where application_id = $1 order by id"
        )))
        .bind(application_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(file_from_row).collect()
    }

    async fn apply_action(
        &self,
        application_id: i64,
        expected: ApplicationState,
        event: &NewEvent,
        files: &[NewFile],
    ) -> Result<Option<ApplicationState>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let next = apply_in_tx(&mut tx, application_id, expected, event, files, None).await?;
        if next.is_some() {
            tx.commit().await.map_err(db_err)?;
        }
        Ok(next)
    }

    async fn note_tracking_failure(
        &self,
        client: &str,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        note_failure(self, Failures::Tracking, client, now).await?;
        failures_since(self, Failures::Tracking, client, since).await
    }

    async fn tracking_failures_since(
        &self,
        client: &str,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        failures_since(self, Failures::Tracking, client, since).await
    }

    async fn representative_id(&self, record_id: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("select representative_id_number from penalties where id = $1")
            .bind(record_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.and_then(|r| r.get(0)))
    }

    async fn note_identity_failure(
        &self,
        draft_id: &str,
        record_kind: RecordKind,
        record_id: i64,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "insert into identity_failures (draft_id, record_kind, record_id, client, at)
             values ($1, $5, $2, $3, $4)",
        )
        .bind(draft_id)
        .bind(record_id)
        .bind(client)
        .bind(millis(now))
        .bind(record_kind.code())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn identity_failures(
        &self,
        draft_id: &str,
        record_kind: RecordKind,
        record_id: i64,
        client: &str,
        since: DateTime<Utc>,
    ) -> Result<IdentityFailures, StoreError> {
        let row = sqlx::query(
            "select (select count(*) from identity_failures where draft_id = $1),
                    (select count(*) from identity_failures
                      where record_kind = $5 and record_id = $2 and at >= $3),
                    (select count(*) from identity_failures where client = $4 and at >= $3)",
        )
        .bind(draft_id)
        .bind(record_id)
        .bind(since)
        .bind(client)
        .bind(record_kind.code())
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        let count = |i: usize| u32::try_from(row.get::<i64, _>(i)).unwrap_or(u32::MAX);
        Ok(IdentityFailures {
            draft: count(0),
            record: count(1),
            client: count(2),
        })
    }

    async fn purge_identity_failures(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query("delete from identity_failures where at < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
