//! The SQLite implementation of `ListingStore`, and a listing's step inside
//! a write transaction (for [`super::write_tx`]).

use app::domain::serious_listing::{ListingAction, ListingState, NoticeNumber};
use app::store::listing::{ListingChange, ListingEvent, ListingStore, NewListing, StoredListing};
use app::store::repair::{NewFile, StoredFile};
use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::staff::append_in_tx;
use super::{db_err, SqliteStore};
use crate::store::columns::{bad, FILE_COLUMNS, LISTING_COLUMNS, OPEN_LISTING_STATES};
use crate::store::register::{parse_ts, ts};

fn listing_from_row(row: &SqliteRow) -> Result<StoredListing, StoreError> {
    let state: String = row.get(6);
    Ok(StoredListing {
        id: row.get(0),
        number: row.get(1),
        domain_code: row.get(2),
        department_id: row.get(3),
        penalty_id: row.get(4),
        subject_id: row.get(5),
        state: ListingState::from_code(&state).ok_or_else(|| bad("listing state", &state))?,
        reason: row.get(7),
        basis: row.get(8),
        measures: row.get(9),
        doc_no: row.get(10),
        notice_date: row.get(11),
        answer_deadline: row.get(12),
        access_hash: row.get(13),
        answer: row.get(14),
        reply: row.get(15),
        waived: row.get(16),
        decided_on: row.get(17),
        entry_id: row.get(18),
    })
}

async fn add_event(
    c: &mut SqliteConnection,
    listing_id: i64,
    e: &ListingEvent,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into serious_listing_events (listing_id, at, actor, action, text)
         values (?, ?, ?, ?, ?) returning id",
    )
    .bind(listing_id)
    .bind(ts(e.at))
    .bind(&e.actor)
    .bind(e.action.code())
    .bind(&e.text)
    .fetch_one(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(row.get(0))
}

/// Applies `ch` if the listing is still in `ch.expected`; false if not.
pub(crate) async fn change_listing(
    c: &mut SqliteConnection,
    ch: &ListingChange,
) -> Result<bool, StoreError> {
    Ok(step_with_event(c, ch).await?.is_some())
}

/// [`change_listing`], with the id of the event it recorded.
async fn step_with_event(
    c: &mut SqliteConnection,
    ch: &ListingChange,
) -> Result<Option<i64>, StoreError> {
    let changed = sqlx::query(
        "update serious_listings set state = ?, answer = coalesce(?, answer),
                reply = coalesce(?, reply), waived = waived or ?,
                decided_on = coalesce(?, decided_on), doc_no = coalesce(?, doc_no),
                entry_id = coalesce(?, entry_id)
         where id = ? and state = ?",
    )
    .bind(ch.to.code())
    .bind(&ch.answer)
    .bind(&ch.reply)
    .bind(ch.waived)
    .bind(ch.decided_on)
    .bind(&ch.doc_no)
    .bind(ch.entry_id)
    .bind(ch.listing_id)
    .bind(ch.expected.code())
    .execute(&mut *c)
    .await
    .map_err(db_err)?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    Ok(Some(add_event(c, ch.listing_id, &ch.event).await?))
}

#[async_trait]
impl ListingStore for SqliteStore {
    async fn create_listing(
        &self,
        l: &NewListing,
        audit: &NewAuditEntry,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.write_tx().await.map_err(db_err)?;
        if let Some(penalty) = l.penalty_id {
            let sql = format!(
                "select exists(select 1 from serious_listings
                               where penalty_id = ? and state in {OPEN_LISTING_STATES})"
            );
            let open: bool = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(penalty)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?
                .get(0);
            if open {
                return Ok(None);
            }
        }
        let day = NoticeNumber::new(l.notice_date, 1)
            .ok_or_else(|| StoreError(format!("no notice number on {}", l.notice_date)))?;
        let prefix = &day.as_str()[..10];
        let taken: i64 = sqlx::query("select count(*) from serious_listings where number like ?")
            .bind(format!("{prefix}%"))
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?
            .get(0);
        let number = u32::try_from(taken + 1)
            .ok()
            .and_then(|seq| NoticeNumber::new(l.notice_date, seq))
            .ok_or_else(|| StoreError(format!("notice numbers of {} used up", l.notice_date)))?;
        let id: i64 = sqlx::query(
            "insert into serious_listings (number, domain_code, department_id, penalty_id,
                    subject_id, state, reason, basis, measures, doc_no, notice_date,
                    answer_deadline, access_hash, created_at)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?) returning id",
        )
        .bind(number.as_str())
        .bind(&l.domain_code)
        .bind(l.department_id)
        .bind(l.penalty_id)
        .bind(l.subject_id)
        .bind(ListingState::Notified.code())
        .bind(&l.reason)
        .bind(&l.basis)
        .bind(&l.measures)
        .bind(l.notice_date)
        .bind(l.answer_deadline)
        .bind(&l.access_hash)
        .bind(ts(l.at))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?
        .get(0);
        let event = ListingEvent {
            at: l.at,
            actor: l.actor.clone(),
            action: ListingAction::SendNotice,
            text: None,
        };
        add_event(&mut tx, id, &event).await?;
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Some(number.as_str().to_string()))
    }

    async fn listing_by_number(&self, number: &str) -> Result<Option<StoredListing>, StoreError> {
        let sql = format!("select {LISTING_COLUMNS} from serious_listings where number = ?");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(number)
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)?
            .as_ref()
            .map(listing_from_row)
            .transpose()
    }

    async fn listing_of_entry(&self, entry_id: i64) -> Result<Option<StoredListing>, StoreError> {
        let sql = format!("select {LISTING_COLUMNS} from serious_listings where entry_id = ?");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(entry_id)
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)?
            .as_ref()
            .map(listing_from_row)
            .transpose()
    }

    async fn listings_of_department(
        &self,
        department_id: i64,
    ) -> Result<Vec<StoredListing>, StoreError> {
        let sql = format!(
            "select {LISTING_COLUMNS} from serious_listings where department_id = ?
             order by id desc"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(department_id)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?
            .iter()
            .map(listing_from_row)
            .collect()
    }

    async fn listing_events(&self, listing_id: i64) -> Result<Vec<ListingEvent>, StoreError> {
        let rows = sqlx::query(
            "select at, actor, action, text from serious_listing_events
             where listing_id = ? order by id",
        )
        .bind(listing_id)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let action: String = r.get(2);
                Ok(ListingEvent {
                    at: parse_ts(&r.get::<String, _>(0))?,
                    actor: r.get(1),
                    action: ListingAction::from_code(&action)
                        .ok_or_else(|| bad("listing action", &action))?,
                    text: r.get(3),
                })
            })
            .collect()
    }

    async fn record_answer(
        &self,
        change: &ListingChange,
        files: &[NewFile],
        consents: &[app::store::consent::NewConsent],
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await.map_err(db_err)?;
        let Some(event) = step_with_event(&mut tx, change).await? else {
            return Ok(false); // dropped: nothing written
        };
        for f in files {
            sqlx::query(
                "insert into listing_files (listing_id, event_id, evidence_kind, display_name,
                        stored_name, sha256, size_bytes, mime, created_at)
                 values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(change.listing_id)
            .bind(event)
            .bind(f.evidence_kind.code())
            .bind(&f.display_name)
            .bind(&f.stored_name)
            .bind(&f.sha256)
            .bind(i64::try_from(f.size_bytes).unwrap_or(i64::MAX))
            .bind(f.kind.mime())
            .bind(ts(change.event.at))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        super::consent::insert_consents(
            &mut tx,
            app::domain::privacy_notice::NoticeForm::NoticeAnswer,
            change.listing_id,
            consents,
        )
        .await?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn listing_files(&self, listing_id: i64) -> Result<Vec<StoredFile>, StoreError> {
        let sql =
            format!("select {FILE_COLUMNS} from listing_files where listing_id = ? order by id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(listing_id)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        rows.iter().map(super::repair::file_from_row).collect()
    }
}
