//! Notices acknowledged, consents, and the deletion of contact data, on
//! PostgreSQL.

use app::domain::privacy_notice::{ConsentPurpose, NoticeForm};
use app::domain::staff::AuditAction;
use app::store::consent::{ConsentStore, NewConsent, StoredConsent, DELETED_NAME};
use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Row};

use super::staff::append_in_tx;
use super::{db_err, millis, PgStore};
use crate::store::columns::{bad, contact_deletion, CONSENT_COLUMNS, ENDED_CASES, END_SMS_CONSENT};

/// Records `consents` with case `case_id` inside the caller's transaction.
pub(crate) async fn insert_consents(
    c: &mut PgConnection,
    form: NoticeForm,
    case_id: i64,
    consents: &[NewConsent],
) -> Result<(), StoreError> {
    for k in consents {
        sqlx::query(
            "insert into consents (case_kind, case_id, purpose, notice_version, categories,
                                   retention, channel, given_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(form.code())
        .bind(case_id)
        .bind(k.purpose.code())
        .bind(&k.notice_version)
        .bind(&k.categories)
        .bind(&k.retention)
        .bind(&k.channel)
        .bind(millis(k.at))
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

#[async_trait]
impl ConsentStore for PgStore {
    async fn consents(
        &self,
        form: NoticeForm,
        case_id: i64,
    ) -> Result<Vec<StoredConsent>, StoreError> {
        let sql = format!(
            "select {CONSENT_COLUMNS} from consents where case_kind = $1 and case_id = $2 order by id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(form.code())
            .bind(case_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let purpose: String = r.get(1);
                Ok(StoredConsent {
                    id: r.get(0),
                    purpose: ConsentPurpose::from_code(&purpose)
                        .ok_or_else(|| bad("consent purpose", &purpose))?,
                    notice_version: r.get(2),
                    categories: r.get(3),
                    retention: r.get(4),
                    channel: r.get(5),
                    given_at: r.get(6),
                    withdrawn_at: r.get(7),
                })
            })
            .collect()
    }

    async fn withdraw_consent(
        &self,
        form: NoticeForm,
        case_id: i64,
        purpose: ConsentPurpose,
        at: DateTime<Utc>,
        channel: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "update consents set withdrawn_at = $1, withdrawn_channel = $2
             where case_kind = $3 and case_id = $4 and purpose = $5 and withdrawn_at is null",
        )
        .bind(millis(at))
        .bind(channel)
        .bind(form.code())
        .bind(case_id)
        .bind(purpose.code())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn delete_contact_data(
        &self,
        ended_before: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let mut deleted = Vec::new();
        for (form, ended) in ENDED_CASES {
            let mut tx = self.pool.begin().await.map_err(db_err)?;
            // `for update`: two app servers running the job at once
            // delete (and register) each case once.
            let due = sqlx::query(sqlx::AssertSqlSafe(format!("{ended} for update")))
                .bind(ended_before)
                .fetch_all(&mut *tx)
                .await
                .map_err(db_err)?;
            for row in &due {
                let (id, number): (i64, String) = (row.get(0), row.get(1));
                let deletion = contact_deletion(form);
                let changed = sqlx::query(deletion.update)
                    .bind(DELETED_NAME)
                    .bind(millis(at))
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                if changed.rows_affected() == 0 {
                    continue;
                }
                sqlx::query(END_SMS_CONSENT)
                    .bind(millis(at))
                    .bind(form.code())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                append_in_tx(
                    &mut tx,
                    &NewAuditEntry {
                        at,
                        account_id: None,
                        actor: "system".into(),
                        action: AuditAction::ContactDataDeleted,
                        target: format!("{} {number}", deletion.target),
                        purpose: deletion.purpose.into(),
                        client: String::new(),
                    },
                )
                .await?;
                deleted.push(number);
            }
            tx.commit().await.map_err(db_err)?;
        }
        Ok(deleted)
    }
}
