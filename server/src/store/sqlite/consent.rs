//! Notices acknowledged, consents, and the deletion of contact data, on
//! SQLite.

use app::domain::privacy_notice::{ConsentPurpose, NoticeForm};
use app::domain::staff::AuditAction;
use app::store::consent::{ConsentStore, NewConsent, StoredConsent, DELETED_NAME};
use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

use super::staff::append_in_tx;
use super::{db_err, SqliteStore};
use crate::store::columns::{bad, contact_deletion, CONSENT_COLUMNS, ENDED_CASES, END_SMS_CONSENT};
use crate::store::register::{parse_ts, ts};

/// Records `consents` with case `case_id` inside the caller's transaction.
pub(crate) async fn insert_consents(
    c: &mut SqliteConnection,
    form: NoticeForm,
    case_id: i64,
    consents: &[NewConsent],
) -> Result<(), StoreError> {
    for k in consents {
        sqlx::query(
            "insert into consents (case_kind, case_id, purpose, notice_version, categories,
                                   retention, channel, given_at)
             values (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(form.code())
        .bind(case_id)
        .bind(k.purpose.code())
        .bind(&k.notice_version)
        .bind(&k.categories)
        .bind(&k.retention)
        .bind(&k.channel)
        .bind(ts(k.at))
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

#[async_trait]
impl ConsentStore for SqliteStore {
    async fn consents(
        &self,
        form: NoticeForm,
        case_id: i64,
    ) -> Result<Vec<StoredConsent>, StoreError> {
        let sql = format!(
            "select {CONSENT_COLUMNS} from consents where case_kind = ? and case_id = ? order by id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(form.code())
            .bind(case_id)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let purpose: String = r.get(1);
                let withdrawn: Option<String> = r.get(7);
                Ok(StoredConsent {
                    id: r.get(0),
                    purpose: ConsentPurpose::from_code(&purpose)
                        .ok_or_else(|| bad("consent purpose", &purpose))?,
                    notice_version: r.get(2),
                    categories: r.get(3),
                    retention: r.get(4),
                    channel: r.get(5),
                    given_at: parse_ts(&r.get::<String, _>(6))?,
                    withdrawn_at: withdrawn.as_deref().map(parse_ts).transpose()?,
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
            "update consents set withdrawn_at = ?, withdrawn_channel = ?
             where case_kind = ? and case_id = ? and purpose = ? and withdrawn_at is null",
        )
        .bind(ts(at))
        .bind(channel)
        .bind(form.code())
        .bind(case_id)
        .bind(purpose.code())
        .execute(self.pool())
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
            let mut tx = self.write_tx().await.map_err(db_err)?;
            let due = sqlx::query(ended)
                .bind(ts(ended_before))
                .fetch_all(&mut *tx)
                .await
                .map_err(db_err)?;
            for row in &due {
                let (id, number): (i64, String) = (row.get(0), row.get(1));
                let deletion = contact_deletion(form);
                let changed = sqlx::query(deletion.update)
                    .bind(DELETED_NAME)
                    .bind(ts(at))
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                if changed.rows_affected() == 0 {
                    continue;
                }
                sqlx::query(END_SMS_CONSENT)
                    .bind(ts(at))
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
