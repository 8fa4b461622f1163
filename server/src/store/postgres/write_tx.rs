//! [`WriteTx`] on PostgreSQL: one transaction; the register's chain takes
//! its advisory lock at the append, as every other append does.

use app::domain::repair_application::ApplicationState;
use app::model::RecordKind;
use app::store::listing::ListingChange;
use app::store::objection::{ObjectionChange, Withdrawal};
use app::store::repair::{NewEvent, NewFile};
use app::store::staff::NewAuditEntry;
use app::store::write_tx::{GroundedEntry, NewListedEntry, RecordChange, WriteTx};
use app::store::StoreError;
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::{Postgres, Row, Transaction};

use super::db_err;
use super::repair::apply_in_tx;
use super::staff::append_in_tx;
use super::writes::{self, record_change};

pub(crate) struct PgWriteTx(pub(crate) Transaction<'static, Postgres>);

#[async_trait]
impl WriteTx for PgWriteTx {
    async fn repair_event(
        &mut self,
        application_id: i64,
        expected: ApplicationState,
        event: &NewEvent,
        staff_account_id: i64,
    ) -> Result<Option<ApplicationState>, StoreError> {
        apply_in_tx(
            &mut self.0,
            application_id,
            expected,
            event,
            &[],
            Some(staff_account_id),
        )
        .await
    }

    async fn mark_repaired(&mut self, penalty_id: i64, on: NaiveDate) -> Result<(), StoreError> {
        sqlx::query("update penalties set repaired_on = $1 where id = $2")
            .bind(on)
            .bind(penalty_id)
            .execute(&mut *self.0)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn entries_grounded_on(
        &mut self,
        penalty_id: i64,
    ) -> Result<Vec<GroundedEntry>, StoreError> {
        let rows = sqlx::query(
            "select e.id, e.domain_code, e.listed_on, l.id from serious_entries e
             left join serious_listings l on l.entry_id = e.id
             where e.grounds_penalty_id = $1 and e.ended_on is null order by e.id",
        )
        .bind(penalty_id)
        .fetch_all(&mut *self.0)
        .await
        .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| GroundedEntry {
                id: r.get(0),
                domain_code: r.get(1),
                listed_on: r.get(2),
                listing_id: r.get(3),
            })
            .collect())
    }

    async fn restore_entry(&mut self, entry_id: i64, today: NaiveDate) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "update serious_entries set ended_on = null where id = $1 and ended_on is not null",
        )
        .bind(entry_id)
        .execute(&mut *self.0)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        writes::project_listing(&mut self.0, entry_id, today).await?;
        Ok(true)
    }

    async fn unpublish(&mut self, kind: RecordKind, record_id: i64) -> Result<(), StoreError> {
        writes::unpublish(&mut self.0, kind, record_id).await
    }

    async fn log_change(&mut self, c: &RecordChange) -> Result<(), StoreError> {
        record_change(
            &mut self.0,
            c.kind,
            c.record_id,
            None,
            c.change,
            &c.actor,
            None,
            None,
        )
        .await
    }

    async fn list_entry(
        &mut self,
        e: &NewListedEntry,
        today: NaiveDate,
    ) -> Result<i64, StoreError> {
        let entry = crate::store::seed::NewSeriousEntry::from(e);
        writes::insert_serious_entry(&mut self.0, &entry, today).await
    }

    async fn change_listing(&mut self, change: &ListingChange) -> Result<bool, StoreError> {
        super::listing::change_listing(&mut self.0, change).await
    }

    async fn change_objection(
        &mut self,
        change: &ObjectionChange,
        files: &[NewFile],
    ) -> Result<bool, StoreError> {
        super::objection::change_objection(&mut self.0, change, files).await
    }

    async fn withdraw_record(&mut self, w: &Withdrawal) -> Result<(), StoreError> {
        super::objection::withdraw_record(&mut self.0, w).await
    }

    async fn end_entry(&mut self, entry_id: i64, on: NaiveDate) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "update serious_entries set ended_on = $1 where id = $2 and ended_on is null",
        )
        .bind(on)
        .bind(entry_id)
        .execute(&mut *self.0)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn append_audit(&mut self, entry: &NewAuditEntry) -> Result<(), StoreError> {
        append_in_tx(&mut self.0, entry).await
    }

    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.0.commit().await.map_err(db_err)
    }
}
