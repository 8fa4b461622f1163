//! `StaffStore` on PostgreSQL, and appends to the access register's chain.

use app::domain::repair_application::ApplicationState;
use app::domain::staff::{LoginStanding, Role, StaffMember};
use app::domain::working_days::CalendarEntry;
use app::store::staff::{
    AuditEntry, AuditFilter, NewAccount, NewAuditEntry, QueueItem, StaffStore, StoredAccount,
    StoredSession,
};
use app::store::write_tx::WriteTx;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::repair::failures_since;
use super::write_tx::PgWriteTx;
use super::{db_err, locks, millis, PgStore};
use crate::store::columns::Failures;
use crate::store::columns::{ACCOUNT_COLUMNS, AUDIT_COLUMNS};
use crate::store::register::ts;
use crate::store::register::{audit_hash, GENESIS_HASH};

/// Appends `e` to the access register inside the caller's transaction.
/// The chain has one head: a transaction-scoped advisory lock makes
/// appends from every app server take their turn (and `unique (prev_hash)`
/// refuses a fork should anything bypass it).
pub(crate) async fn append_in_tx(
    c: &mut PgConnection,
    e: &NewAuditEntry,
) -> Result<(), StoreError> {
    sqlx::query("select pg_advisory_xact_lock($1, $2)")
        .bind(locks::REGISTER.0)
        .bind(locks::REGISTER.1)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    let last = sqlx::query("select id, hash from audit_log order by id desc limit 1")
        .fetch_optional(&mut *c)
        .await
        .map_err(db_err)?;
    let (id, prev) = match last {
        Some(row) => (row.get::<i64, _>(0) + 1, row.get::<String, _>(1)),
        None => (1, GENESIS_HASH.to_string()),
    };
    // Stored as hashed: to the millisecond.
    let at = millis(e.at);
    let hash = audit_hash(
        &prev,
        id,
        &ts(at),
        e.account_id,
        &e.actor,
        e.action.code(),
        &e.target,
        &e.purpose,
        &e.client,
    );
    sqlx::query(
        "insert into audit_log (id, at, account_id, actor, action, target, purpose, client,
                                prev_hash, hash)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(at)
    .bind(e.account_id)
    .bind(&e.actor)
    .bind(e.action.code())
    .bind(&e.target)
    .bind(&e.purpose)
    .bind(&e.client)
    .bind(prev)
    .bind(hash)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Ends every session of an account (disabled, or its password reset).
async fn end_sessions(c: &mut PgConnection, account_id: i64) -> Result<(), StoreError> {
    sqlx::query("delete from staff_sessions where account_id = $1")
        .bind(account_id)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(())
}

fn account_from_row(row: &PgRow) -> Result<StoredAccount, StoreError> {
    let role: String = row.get(3);
    Ok(StoredAccount {
        member: StaffMember {
            account_id: row.get(0),
            username: row.get(1),
            display_name: row.get(2),
            role: Role::from_code(&role).ok_or_else(|| StoreError(format!("role {role}")))?,
            department_id: row.get(4),
        },
        password_hash: row.get(5),
        disabled: row.get(6),
        must_change_password: row.get(8),
        department_name: row.get(7),
    })
}

fn audit_from_row(row: &PgRow) -> AuditEntry {
    AuditEntry {
        id: row.get(0),
        at: row.get(1),
        account_id: row.get(2),
        actor: row.get(3),
        action: row.get(4),
        target: row.get(5),
        purpose: row.get(6),
        client: row.get(7),
        prev_hash: row.get(8),
        hash: row.get(9),
    }
}

fn session_from_row(row: &PgRow) -> StoredSession {
    StoredSession {
        token_hash: row.get(0),
        account_id: row.get(1),
        csrf_token: row.get(2),
        created_at: row.get(3),
        last_seen_at: row.get(4),
    }
}

impl PgStore {
    /// Accounts matching `condition` on `a` (one `$1` parameter, `value`).
    async fn accounts_where<T>(
        &self,
        condition: &str,
        value: T,
    ) -> Result<Vec<StoredAccount>, StoreError>
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + 'static,
    {
        let sql = format!(
            "select {ACCOUNT_COLUMNS} from staff_accounts a
             left join departments d on d.id = a.department_id where {condition} order by a.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(account_from_row).collect()
    }
}

#[async_trait]
impl StaffStore for PgStore {
    async fn create_account(&self, a: &NewAccount) -> Result<Result<i64, String>, StoreError> {
        // The unique index on lower(username) settles a race between two
        // administrators choosing one name.
        let id: Option<i64> = sqlx::query(
            "insert into staff_accounts (username, display_name, role, department_id,
                                         password_hash, created_at, password_changed_at,
                                         must_change_password)
             values ($1, $2, $3, $4, $5, $6, $6, $7)
             on conflict ((lower(username))) do nothing returning id",
        )
        .bind(&a.username)
        .bind(&a.display_name)
        .bind(a.role.code())
        .bind(a.department_id)
        .bind(&a.password_hash)
        .bind(millis(a.now))
        .bind(a.must_change_password)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .map(|r| r.get(0));
        Ok(id.ok_or_else(|| format!("用户名 {} 已被使用，请换一个", a.username)))
    }

    async fn account_by_username(
        &self,
        username: &str,
    ) -> Result<Option<StoredAccount>, StoreError> {
        Ok(self
            .accounts_where("lower(a.username) = lower($1)", username.to_string())
            .await?
            .pop())
    }

    async fn account(&self, id: i64) -> Result<Option<StoredAccount>, StoreError> {
        Ok(self.accounts_where("a.id = $1", id).await?.pop())
    }

    async fn accounts(&self) -> Result<Vec<StoredAccount>, StoreError> {
        self.accounts_where("$1", true).await
    }

    async fn client_login_failures_since(
        &self,
        client: &str,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        failures_since(self, Failures::Login, client, since).await
    }

    async fn login_standing(
        &self,
        username: &str,
        account_id: Option<i64>,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<LoginStanding, StoreError> {
        use app::domain::staff::{
            CLIENT_WINDOW, KNOWN_CLIENT_FOR, USERNAME_FAILURES, USERNAME_WINDOW,
        };
        // As on SQLite: the same lookups whether or not the account exists,
        // and counts that stop at the ceiling.
        let row = sqlx::query(
            "select
               (select count(*) from login_failures
                where username = $1 and client = $2 and at >= $3),
               (select count(*) from (select 1 from login_failures
                where username = $1 and at >= $4 limit $5) capped),
               exists(select 1 from staff_known_clients
                      where account_id = $6 and client = $2 and last_login_at >= $7)",
        )
        .bind(username)
        .bind(client)
        .bind(now - CLIENT_WINDOW)
        .bind(now - USERNAME_WINDOW)
        .bind(i64::from(USERNAME_FAILURES))
        .bind(account_id.unwrap_or(0))
        .bind(now - KNOWN_CLIENT_FOR)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        let count = |i: usize| u32::try_from(row.get::<i64, _>(i)).unwrap_or(u32::MAX);
        Ok(LoginStanding {
            from_client: count(0),
            everywhere: count(1),
            known_client: row.get(2),
        })
    }

    async fn note_login_failure(
        &self,
        username: &str,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("insert into login_failures (client, username, at) values ($1, $2, $3)")
            .bind(client)
            .bind(username)
            .bind(millis(now))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn start_session(&self, s: &StoredSession, client: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query(
            "insert into staff_known_clients (account_id, client, last_login_at) values ($1, $2, $3)
             on conflict (account_id, client) do update set last_login_at = excluded.last_login_at",
        )
        .bind(s.account_id)
        .bind(client)
        .bind(millis(s.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query(
            "insert into staff_sessions (token_hash, account_id, csrf_token, created_at, last_seen_at)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(&s.token_hash)
        .bind(s.account_id)
        .bind(&s.csrf_token)
        .bind(millis(s.created_at))
        .bind(millis(s.last_seen_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn session(&self, token_hash: &str) -> Result<Option<StoredSession>, StoreError> {
        Ok(sqlx::query(
            "select token_hash, account_id, csrf_token, created_at, last_seen_at
             from staff_sessions where token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(session_from_row))
    }

    async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("update staff_sessions set last_seen_at = $1 where token_hash = $2")
            .bind(millis(now))
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("delete from staff_sessions where token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        use app::domain::staff::{
            CLIENT_WINDOW, KNOWN_CLIENT_FOR, SESSION_ABSOLUTE, SESSION_IDLE, USERNAME_WINDOW,
        };
        let mut removed =
            sqlx::query("delete from staff_sessions where created_at < $1 or last_seen_at < $2")
                .bind(now - SESSION_ABSOLUTE)
                .bind(now - SESSION_IDLE)
                .execute(&self.pool)
                .await
                .map_err(db_err)?
                .rows_affected();
        let keep = now - CLIENT_WINDOW.max(USERNAME_WINDOW);
        for (sql, before) in [
            ("delete from login_failures where at < $1", keep),
            (
                "delete from staff_known_clients where last_login_at < $1",
                now - KNOWN_CLIENT_FOR,
            ),
            ("delete from tracking_failures where at < $1", keep),
            // Buckets untouched for a while are full again: forget them.
            ("delete from rate_buckets where at < $1", keep),
        ] {
            removed += sqlx::query(sql)
                .bind(before)
                .execute(&self.pool)
                .await
                .map_err(db_err)?
                .rows_affected();
        }
        Ok(removed)
    }

    async fn set_disabled(
        &self,
        account_id: i64,
        disabled: bool,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query("update staff_accounts set disabled = $1 where id = $2")
            .bind(disabled)
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if disabled {
            end_sessions(&mut tx, account_id).await?;
        }
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn reset_password(
        &self,
        account_id: i64,
        password_hash: &str,
        now: DateTime<Utc>,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query(
            "update staff_accounts set password_hash = $1, password_changed_at = $2,
                                       must_change_password = true
             where id = $3",
        )
        .bind(password_hash)
        .bind(millis(now))
        .bind(account_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        end_sessions(&mut tx, account_id).await?;
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn set_password(
        &self,
        account_id: i64,
        password_hash: &str,
        keep_session: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query(
            "update staff_accounts set password_hash = $1, password_changed_at = $2,
                                       must_change_password = false
             where id = $3",
        )
        .bind(password_hash)
        .bind(millis(now))
        .bind(account_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query("delete from staff_sessions where account_id = $1 and token_hash <> $2")
            .bind(account_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn append_audit(&self, entry: &NewAuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        append_in_tx(&mut tx, entry).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        // Every condition is always there; an absent filter is a null
        // parameter that lets every row through.
        let sql = format!(
            "select {AUDIT_COLUMNS} from audit_log
             where ($1::text is null or actor = $1)
               and ($2::text is null or action = $2)
               and ($3::text is null or strpos(target, $3) > 0)
               and ($4::timestamptz is null or at >= $4)
               and ($5::timestamptz is null or at < $5)
             order by id desc limit $6"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&f.actor)
            .bind(f.action.map(|a| a.code()))
            .bind(&f.target)
            .bind(f.from)
            .bind(f.until)
            .bind(i64::from(f.limit.clamp(1, 1000)))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(audit_from_row).collect())
    }

    async fn audit_chain(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = format!("select {AUDIT_COLUMNS} from audit_log order by id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(audit_from_row).collect())
    }

    async fn review_queue(&self, department_id: i64) -> Result<Vec<QueueItem>, StoreError> {
        let rows = sqlx::query(
            "select a.id, a.number, a.state, a.submitted_at, a.record_id, p.doc_no, s.name,
                    (select e.deadline from repair_events e where e.application_id = a.id
                     order by e.id desc limit 1)
             from repair_applications a
             join penalties p on p.id = a.record_id
             join subjects s on s.id = p.subject_id
             where a.department_id = $1
               and a.state in ('submitted', 'accepted', 'needs_supplement')",
        )
        .bind(department_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let mut items = rows
            .iter()
            .map(|row| {
                let state: String = row.get(2);
                Ok(QueueItem {
                    application_id: row.get(0),
                    number: row.get(1),
                    state: ApplicationState::from_code(&state)
                        .ok_or_else(|| StoreError(format!("state {state}")))?,
                    submitted_at: row.get(3),
                    record_id: row.get(4),
                    doc_no: row.get(5),
                    subject_name: row.get(6),
                    deadline: row.get(7),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Oldest deadline first; those without one last, oldest submission first.
        items.sort_by_key(|i| (i.deadline.is_none(), i.deadline, i.submitted_at));
        Ok(items)
    }

    async fn open_deadlines(&self) -> Result<Vec<NaiveDate>, StoreError> {
        let rows = sqlx::query(
            "select distinct deadline from (
               select (select e.deadline from repair_events e where e.application_id = a.id
                       order by e.id desc limit 1) as deadline
               from repair_applications a
               where a.state in ('submitted', 'accepted', 'needs_supplement')) open
             where deadline is not null",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn begin_write(&self) -> Result<Box<dyn WriteTx>, StoreError> {
        let tx = self.pool.begin().await.map_err(db_err)?;
        Ok(Box::new(PgWriteTx(tx)))
    }

    async fn set_calendar_day(
        &self,
        e: &CalendarEntry,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query(
            "insert into calendar_days (date, kind, name, source) values ($1, $2, $3, $4)
             on conflict (date) do update set kind = excluded.kind, name = excluded.name,
                                              source = excluded.source",
        )
        .bind(e.date)
        .bind(e.kind.code())
        .bind(&e.name)
        .bind(&e.source)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn remove_calendar_day(
        &self,
        date: NaiveDate,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let n = sqlx::query("delete from calendar_days where date = $1")
            .bind(date)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }
}
