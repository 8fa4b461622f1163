//! The PostgreSQL implementation of `ObjectionStore`, and an objection's
//! steps inside a transaction (for [`super::write_tx`]). Objection numbers
//! are counted under a transaction lock, so two app servers never give one
//! number twice; the unique index on open objections settles two filings
//! about one record at once.

use app::domain::objection::{grounds_code, parse_grounds_code, ObjectionNumber, ObjectionState};
use app::domain::repair_application::ApplicantKind;
use app::model::RecordKind;
use app::store::objection::{
    FiledObjection, NewObjection, ObjectionChange, ObjectionEvent, ObjectionStore, StoredObjection,
    Withdrawal,
};
use app::store::repair::{NewFile, StoredFile};
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::repair::{file_from_row, is_unique_violation};
use super::{db_err, locks, millis, PgStore};
use crate::store::columns::{
    bad, objection_action, FILE_COLUMNS, OBJECTION_COLUMNS, OPEN_OBJECTION_STATES,
};

fn objection_from_row(row: &PgRow) -> Result<StoredObjection, StoreError> {
    let kind: String = row.get(3);
    let state: String = row.get(7);
    let grounds: String = row.get(8);
    let objector: String = row.get(10);
    Ok(StoredObjection {
        id: row.get(0),
        number: row.get(1),
        tracking_hash: row.get(2),
        record_kind: RecordKind::from_code(&kind).ok_or_else(|| bad("record kind", &kind))?,
        record_id: row.get(4),
        department_id: row.get(5),
        subject_id: row.get(6),
        state: ObjectionState::from_code(&state).ok_or_else(|| bad("objection state", &state))?,
        grounds: parse_grounds_code(&grounds).map_err(StoreError)?,
        explanation: row.get(9),
        objector_kind: ApplicantKind::from_code(&objector)
            .ok_or_else(|| bad("objector kind", &objector))?,
        objector_name: row.get(11),
        contact_phone: row.get(12),
        pledge_text: row.get(13),
        pledge_signed_name: row.get(14),
        submitted_at: row.get(15),
        deadline: row.get(16),
        accepted_on: row.get(17),
        supplement_requested: row.get(18),
        supplement_deadline: row.get(19),
        extended: row.get(20),
        decided_on: row.get(21),
    })
}

async fn add_event(
    c: &mut PgConnection,
    objection_id: i64,
    e: &ObjectionEvent,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query(
        "insert into objection_events (objection_id, at, actor, action, to_state, text, deadline)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(objection_id)
    .bind(millis(e.at))
    .bind(&e.actor)
    .bind(e.action.map_or("submit", |a| a.code()))
    .bind(e.to_state.code())
    .bind(&e.text)
    .bind(e.deadline)
    .fetch_one(&mut *c)
    .await
    .map_err(db_err)?
    .get(0);
    Ok(id)
}

async fn add_files(
    c: &mut PgConnection,
    objection_id: i64,
    event_id: Option<i64>,
    files: &[NewFile],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    for f in files {
        sqlx::query(
            "insert into objection_files (objection_id, event_id, evidence_kind, display_name,
                    stored_name, sha256, size_bytes, mime, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(objection_id)
        .bind(event_id)
        .bind(f.evidence_kind.code())
        .bind(&f.display_name)
        .bind(&f.stored_name)
        .bind(&f.sha256)
        .bind(i64::try_from(f.size_bytes).unwrap_or(i64::MAX))
        .bind(f.kind.mime())
        .bind(millis(at))
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

/// Applies `ch` if the objection is still in `ch.expected`; false if not.
pub(crate) async fn change_objection(
    c: &mut PgConnection,
    ch: &ObjectionChange,
    files: &[NewFile],
) -> Result<bool, StoreError> {
    let changed = sqlx::query(
        "update objections set state = $1, deadline = $2, accepted_on = coalesce($3, accepted_on),
                supplement_requested = supplement_requested or $4,
                supplement_deadline = coalesce($5, supplement_deadline),
                extended = extended or $6, decided_on = coalesce($7, decided_on)
         where id = $8 and state = $9",
    )
    .bind(ch.to.code())
    .bind(ch.deadline)
    .bind(ch.accepted_on)
    .bind(ch.supplement_requested)
    .bind(ch.supplement_deadline)
    .bind(ch.extended)
    .bind(ch.decided_on)
    .bind(ch.objection_id)
    .bind(ch.expected.code())
    .execute(&mut *c)
    .await
    .map_err(db_err)?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    let event = ObjectionEvent {
        id: 0,
        at: ch.at,
        actor: ch.actor.clone(),
        action: Some(ch.action),
        to_state: ch.to,
        text: ch.text.clone(),
        deadline: ch.deadline,
    };
    let event_id = add_event(c, ch.objection_id, &event).await?;
    add_files(c, ch.objection_id, Some(event_id), files, ch.at).await?;
    Ok(true)
}

pub(crate) async fn withdraw_record(
    c: &mut PgConnection,
    w: &Withdrawal,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into record_withdrawals (record_kind, record_id, withdrawn_on, reason, objection_id)
         values ($1, $2, $3, $4, $5)
         on conflict (record_kind, record_id) do nothing",
    )
    .bind(w.kind.code())
    .bind(w.record_id)
    .bind(w.on)
    .bind(&w.reason)
    .bind(w.objection_id)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The number of the open objection about a record, if any.
fn open_objection_sql() -> String {
    format!(
        "select number from objections
         where record_kind = $1 and record_id = $2 and state in {OPEN_OBJECTION_STATES}"
    )
}

async fn open_objection(
    c: &mut PgConnection,
    kind: RecordKind,
    record_id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query(sqlx::AssertSqlSafe(open_objection_sql()))
        .bind(kind.code())
        .bind(record_id)
        .fetch_optional(&mut *c)
        .await
        .map_err(db_err)?
        .map(|r| r.get(0)))
}

/// Which objections a list reads.
enum Filter {
    Number(String),
    Department(i64),
    Record(RecordKind, i64),
    Open,
}

async fn objections_where(
    store: &PgStore,
    filter: Filter,
) -> Result<Vec<StoredObjection>, StoreError> {
    let clause = match filter {
        Filter::Number(_) => "number = $1".to_string(),
        Filter::Department(_) => "department_id = $1".to_string(),
        Filter::Record(..) => "record_kind = $1 and record_id = $2".to_string(),
        Filter::Open => format!("state in {OPEN_OBJECTION_STATES}"),
    };
    let sql = format!("select {OBJECTION_COLUMNS} from objections where {clause} order by id desc");
    let q = sqlx::query(sqlx::AssertSqlSafe(sql));
    let q = match filter {
        Filter::Number(n) => q.bind(n),
        Filter::Department(d) => q.bind(d),
        Filter::Record(kind, id) => q.bind(kind.code()).bind(id),
        Filter::Open => q,
    };
    let rows = q.fetch_all(&store.pool).await.map_err(db_err)?;
    rows.iter().map(objection_from_row).collect()
}

#[async_trait]
impl ObjectionStore for PgStore {
    async fn file_objection(
        &self,
        o: &NewObjection,
        files: &[NewFile],
    ) -> Result<FiledObjection, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // The day's numbers are counted under the lock; taken first, it
        // also lets a filing see one committed about the record meanwhile.
        sqlx::query("select pg_advisory_xact_lock($1, $2)")
            .bind(locks::OBJECTION_NUMBER.0)
            .bind(locks::OBJECTION_NUMBER.1)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if let Some(number) = open_objection(&mut tx, o.record_kind, o.record_id).await? {
            return Ok(FiledObjection::AlreadyOpen { number });
        }
        let day = ObjectionNumber::new(o.submitted_on, 1)
            .ok_or_else(|| StoreError(format!("no objection number on {}", o.submitted_on)))?;
        let prefix = &day.as_str()[..10];
        let taken: i64 = sqlx::query("select count(*) from objections where number like $1")
            .bind(format!("{prefix}%"))
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?
            .get(0);
        let number = u32::try_from(taken + 1)
            .ok()
            .and_then(|seq| ObjectionNumber::new(o.submitted_on, seq))
            .ok_or_else(|| {
                StoreError(format!("objection numbers of {} used up", o.submitted_on))
            })?;
        let inserted = sqlx::query(
            "insert into objections (number, tracking_hash, record_kind, record_id, department_id,
                    subject_id, state, grounds, explanation, objector_kind, objector_name,
                    contact_phone, identity_checked, pledge_text, pledge_signed_name,
                    submitted_at, deadline)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
             returning id",
        )
        .bind(number.as_str())
        .bind(&o.tracking_hash)
        .bind(o.record_kind.code())
        .bind(o.record_id)
        .bind(o.department_id)
        .bind(o.subject_id)
        .bind(ObjectionState::Submitted.code())
        .bind(grounds_code(&o.grounds))
        .bind(&o.explanation)
        .bind(o.objector_kind.code())
        .bind(&o.objector_name)
        .bind(&o.contact_phone)
        .bind(&o.identity_checked)
        .bind(&o.pledge_text)
        .bind(&o.pledge_signed_name)
        .bind(millis(o.submitted_at))
        .bind(o.deadline)
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.get(0),
            // Another objection about the record was filed meanwhile: it
            // is the open one.
            Err(e) if is_unique_violation(&e) => {
                drop(tx);
                let mut c = self.pool.acquire().await.map_err(db_err)?;
                let number = open_objection(&mut c, o.record_kind, o.record_id)
                    .await?
                    .ok_or_else(|| db_err(e))?;
                return Ok(FiledObjection::AlreadyOpen { number });
            }
            Err(e) => return Err(db_err(e)),
        };
        let first = ObjectionEvent {
            id: 0,
            at: o.submitted_at,
            actor: "objector".into(),
            action: None,
            to_state: ObjectionState::Submitted,
            text: None,
            deadline: Some(o.deadline),
        };
        add_event(&mut tx, id, &first).await?;
        add_files(&mut tx, id, None, files, o.submitted_at).await?;
        super::consent::insert_consents(
            &mut tx,
            app::domain::privacy_notice::NoticeForm::Objection,
            id,
            &o.consents,
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(FiledObjection::Filed {
            number: number.as_str().to_string(),
        })
    }

    async fn objection_by_number(
        &self,
        number: &str,
    ) -> Result<Option<StoredObjection>, StoreError> {
        Ok(objections_where(self, Filter::Number(number.to_string()))
            .await?
            .into_iter()
            .next())
    }

    async fn objection_events(&self, objection_id: i64) -> Result<Vec<ObjectionEvent>, StoreError> {
        let rows = sqlx::query(
            "select id, at, actor, action, to_state, text, deadline from objection_events
             where objection_id = $1 order by id",
        )
        .bind(objection_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let action: String = r.get(3);
                let to: String = r.get(4);
                Ok(ObjectionEvent {
                    id: r.get(0),
                    at: r.get(1),
                    actor: r.get(2),
                    action: objection_action(&action)?,
                    to_state: ObjectionState::from_code(&to)
                        .ok_or_else(|| bad("objection state", &to))?,
                    text: r.get(5),
                    deadline: r.get(6),
                })
            })
            .collect()
    }

    async fn objection_files(&self, objection_id: i64) -> Result<Vec<StoredFile>, StoreError> {
        let sql = format!(
            "select {FILE_COLUMNS} from objection_files where objection_id = $1 order by id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(objection_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(file_from_row).collect()
    }

    async fn objections_of_department(
        &self,
        department_id: i64,
    ) -> Result<Vec<StoredObjection>, StoreError> {
        objections_where(self, Filter::Department(department_id)).await
    }

    async fn objections_on_record(
        &self,
        kind: RecordKind,
        record_id: i64,
    ) -> Result<Vec<StoredObjection>, StoreError> {
        objections_where(self, Filter::Record(kind, record_id)).await
    }

    async fn open_objections(&self) -> Result<Vec<StoredObjection>, StoreError> {
        objections_where(self, Filter::Open).await
    }

    async fn record_marked(
        &self,
        kind: RecordKind,
        record_id: i64,
        marked: ObjectionState,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "select exists(select 1 from objections
                           where record_kind = $1 and record_id = $2 and state = $3)",
        )
        .bind(kind.code())
        .bind(record_id)
        .bind(marked.code())
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?
        .get(0))
    }

    async fn record_withdrawn(&self, kind: RecordKind, record_id: i64) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "select exists(select 1 from record_withdrawals
                           where record_kind = $1 and record_id = $2)",
        )
        .bind(kind.code())
        .bind(record_id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?
        .get(0))
    }
}
