//! The SQLite implementation of `StaffStore`, and the access register's
//! hash chain.

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
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::repair::failures_since;
use super::write_tx::SqliteWriteTx;
use super::{db_err, SqliteStore};
use crate::store::columns::Failures;
use crate::store::columns::{ACCOUNT_COLUMNS, AUDIT_COLUMNS};
use crate::store::register::{audit_hash, GENESIS_HASH};
use crate::store::register::{parse_ts, ts};

/// Appends `e` to the access register inside the caller's transaction.
pub(crate) async fn append_in_tx(
    c: &mut SqliteConnection,
    e: &NewAuditEntry,
) -> Result<(), StoreError> {
    let last = sqlx::query("select id, hash from audit_log order by id desc limit 1")
        .fetch_optional(&mut *c)
        .await
        .map_err(db_err)?;
    let (id, prev) = match last {
        Some(row) => (row.get::<i64, _>(0) + 1, row.get::<String, _>(1)),
        None => (1, GENESIS_HASH.to_string()),
    };
    let at = ts(e.at);
    let hash = audit_hash(
        &prev,
        id,
        &at,
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
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
async fn end_sessions(c: &mut SqliteConnection, account_id: i64) -> Result<(), StoreError> {
    sqlx::query("delete from staff_sessions where account_id = ?")
        .bind(account_id)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(())
}

fn account_from_row(row: &SqliteRow) -> Result<StoredAccount, StoreError> {
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
        disabled: row.get::<i64, _>(6) != 0,
        must_change_password: row.get::<i64, _>(8) != 0,
        department_name: row.get(7),
    })
}

fn audit_from_row(row: &SqliteRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: row.get(0),
        at: parse_ts(&row.get::<String, _>(1))?,
        account_id: row.get(2),
        actor: row.get(3),
        action: row.get(4),
        target: row.get(5),
        purpose: row.get(6),
        client: row.get(7),
        prev_hash: row.get(8),
        hash: row.get(9),
    })
}

fn session_from_row(row: &SqliteRow) -> Result<StoredSession, StoreError> {
    Ok(StoredSession {
        token_hash: row.get(0),
        account_id: row.get(1),
        csrf_token: row.get(2),
        created_at: parse_ts(&row.get::<String, _>(3))?,
        last_seen_at: parse_ts(&row.get::<String, _>(4))?,
    })
}

impl SqliteStore {
    async fn account_where(
        &self,
        condition: &str,
        bind: impl FnOnce(
            sqlx::query::Query<'_, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
        )
            -> sqlx::query::Query<'_, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    ) -> Result<Vec<StoredAccount>, StoreError> {
        let sql = format!(
            "select {ACCOUNT_COLUMNS} from staff_accounts a
             left join departments d on d.id = a.department_id where {condition} order by a.id"
        );
        let rows = bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        rows.iter().map(account_from_row).collect()
    }
}

#[async_trait]
impl StaffStore for SqliteStore {
    async fn create_account(&self, a: &NewAccount) -> Result<Result<i64, String>, StoreError> {
        let mut tx = self.write_tx().await.map_err(db_err)?;
        let taken: bool =
            sqlx::query("select exists(select 1 from staff_accounts where username = ?)")
                .bind(&a.username)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?
                .get(0);
        if taken {
            return Ok(Err(format!("用户名 {} 已被使用，请换一个", a.username)));
        }
        let id: i64 = sqlx::query(
            "insert into staff_accounts (username, display_name, role, department_id,
                                         password_hash, created_at, password_changed_at,
                                         must_change_password)
             values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
        )
        .bind(&a.username)
        .bind(&a.display_name)
        .bind(a.role.code())
        .bind(a.department_id)
        .bind(&a.password_hash)
        .bind(ts(a.now))
        .bind(ts(a.now))
        .bind(a.must_change_password)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?
        .get(0);
        tx.commit().await.map_err(db_err)?;
        Ok(Ok(id))
    }

    async fn account_by_username(
        &self,
        username: &str,
    ) -> Result<Option<StoredAccount>, StoreError> {
        let username = username.to_string();
        Ok(self
            .account_where("a.username = ?", |q| q.bind(username))
            .await?
            .pop())
    }

    async fn account(&self, id: i64) -> Result<Option<StoredAccount>, StoreError> {
        Ok(self.account_where("a.id = ?", |q| q.bind(id)).await?.pop())
    }

    async fn accounts(&self) -> Result<Vec<StoredAccount>, StoreError> {
        self.account_where("1 = 1", |q| q).await
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
        // The same three lookups whether or not the account exists (an
        // unknown one is looked up as id 0, which no account has), and
        // counts that stop at the ceiling: the work never grows with a
        // flood of guesses.
        let row = sqlx::query(
            "select
               (select count(*) from login_failures
                where username = ?1 and client = ?2 and at >= ?3),
               (select count(*) from (select 1 from login_failures
                where username = ?1 and at >= ?4 limit ?5)),
               exists(select 1 from staff_known_clients
                      where account_id = ?6 and client = ?2 and last_login_at >= ?7)",
        )
        .bind(username)
        .bind(client)
        .bind(ts(now - CLIENT_WINDOW))
        .bind(ts(now - USERNAME_WINDOW))
        .bind(i64::from(USERNAME_FAILURES))
        .bind(account_id.unwrap_or(0))
        .bind(ts(now - KNOWN_CLIENT_FOR))
        .fetch_one(self.pool())
        .await
        .map_err(db_err)?;
        let count = |i: usize| u32::try_from(row.get::<i64, _>(i)).unwrap_or(u32::MAX);
        Ok(LoginStanding {
            from_client: count(0),
            everywhere: count(1),
            known_client: row.get::<i64, _>(2) != 0,
        })
    }

    async fn note_login_failure(
        &self,
        username: &str,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("insert into login_failures (client, username, at) values (?, ?, ?)")
            .bind(client)
            .bind(username)
            .bind(ts(now))
            .execute(self.pool())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn start_session(&self, s: &StoredSession, client: &str) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await.map_err(db_err)?;
        sqlx::query(
            "insert into staff_known_clients (account_id, client, last_login_at) values (?, ?, ?)
             on conflict (account_id, client) do update set last_login_at = excluded.last_login_at",
        )
        .bind(s.account_id)
        .bind(client)
        .bind(ts(s.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query(
            "insert into staff_sessions (token_hash, account_id, csrf_token, created_at, last_seen_at)
             values (?, ?, ?, ?, ?)",
        )
        .bind(&s.token_hash)
        .bind(s.account_id)
        .bind(&s.csrf_token)
        .bind(ts(s.created_at))
        .bind(ts(s.last_seen_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn session(&self, token_hash: &str) -> Result<Option<StoredSession>, StoreError> {
        sqlx::query(
            "select token_hash, account_id, csrf_token, created_at, last_seen_at
             from staff_sessions where token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?
        .as_ref()
        .map(session_from_row)
        .transpose()
    }

    async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("update staff_sessions set last_seen_at = ? where token_hash = ?")
            .bind(ts(now))
            .bind(token_hash)
            .execute(self.pool())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("delete from staff_sessions where token_hash = ?")
            .bind(token_hash)
            .execute(self.pool())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        use app::domain::staff::{
            CLIENT_WINDOW, KNOWN_CLIENT_FOR, SESSION_ABSOLUTE, SESSION_IDLE, USERNAME_WINDOW,
        };
        let sessions =
            sqlx::query("delete from staff_sessions where created_at < ? or last_seen_at < ?")
                .bind(ts(now - SESSION_ABSOLUTE))
                .bind(ts(now - SESSION_IDLE))
                .execute(self.pool())
                .await
                .map_err(db_err)?
                .rows_affected();
        let keep = ts(now - CLIENT_WINDOW.max(USERNAME_WINDOW));
        let failures = sqlx::query("delete from login_failures where at < ?")
            .bind(&keep)
            .execute(self.pool())
            .await
            .map_err(db_err)?
            .rows_affected();
        let known = sqlx::query("delete from staff_known_clients where last_login_at < ?")
            .bind(ts(now - KNOWN_CLIENT_FOR))
            .execute(self.pool())
            .await
            .map_err(db_err)?
            .rows_affected();
        let lookups = sqlx::query("delete from tracking_failures where at < ?")
            .bind(&keep)
            .execute(self.pool())
            .await
            .map_err(db_err)?
            .rows_affected();
        Ok(sessions + failures + known + lookups)
    }

    async fn set_disabled(
        &self,
        account_id: i64,
        disabled: bool,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await.map_err(db_err)?;
        sqlx::query("update staff_accounts set disabled = ? where id = ?")
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
        let mut tx = self.write_tx().await.map_err(db_err)?;
        sqlx::query(
            "update staff_accounts set password_hash = ?, password_changed_at = ?,
                                       must_change_password = 1
             where id = ?",
        )
        .bind(password_hash)
        .bind(ts(now))
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
        let mut tx = self.write_tx().await.map_err(db_err)?;
        sqlx::query(
            "update staff_accounts set password_hash = ?, password_changed_at = ?,
                                       must_change_password = 0
             where id = ?",
        )
        .bind(password_hash)
        .bind(ts(now))
        .bind(account_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query("delete from staff_sessions where account_id = ? and token_hash != ?")
            .bind(account_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn append_audit(&self, entry: &NewAuditEntry) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await.map_err(db_err)?;
        append_in_tx(&mut tx, entry).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut sql = format!("select {AUDIT_COLUMNS} from audit_log where 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        if let Some(actor) = &f.actor {
            sql.push_str(" and actor = ?");
            binds.push(actor.clone());
        }
        if let Some(action) = f.action {
            sql.push_str(" and action = ?");
            binds.push(action.code().to_string());
        }
        if let Some(target) = &f.target {
            sql.push_str(" and instr(target, ?) > 0");
            binds.push(target.clone());
        }
        if let Some(from) = f.from {
            sql.push_str(" and at >= ?");
            binds.push(ts(from));
        }
        if let Some(until) = f.until {
            sql.push_str(" and at < ?");
            binds.push(ts(until));
        }
        sql.push_str(&format!(
            " order by id desc limit {}",
            f.limit.clamp(1, 1000)
        ));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(self.pool()).await.map_err(db_err)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn audit_chain(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = format!("select {AUDIT_COLUMNS} from audit_log order by id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn review_queue(&self, department_id: i64) -> Result<Vec<QueueItem>, StoreError> {
        let rows = sqlx::query(
            "select a.id, a.number, a.state, a.submitted_at, a.record_id, p.doc_no, s.name,
                    (select e.deadline from repair_events e where e.application_id = a.id
                     order by e.id desc limit 1)
             from repair_applications a
             join penalties p on p.id = a.record_id
             join subjects s on s.id = p.subject_id
             where a.department_id = ? and a.state in ('submitted', 'accepted', 'needs_supplement')",
        )
        .bind(department_id)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        let mut items = rows
            .iter()
            .map(|row| {
                let state: String = row.get(2);
                let deadline: Option<NaiveDate> = row.get(7);
                Ok(QueueItem {
                    application_id: row.get(0),
                    number: row.get(1),
                    state: ApplicationState::from_code(&state)
                        .ok_or_else(|| StoreError(format!("state {state}")))?,
                    submitted_at: parse_ts(&row.get::<String, _>(3))?,
                    record_id: row.get(4),
                    doc_no: row.get(5),
                    subject_name: row.get(6),
                    deadline,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // Oldest deadline first; those without one last, oldest submission first.
        items.sort_by_key(|i| (i.deadline.is_none(), i.deadline, i.submitted_at));
        Ok(items)
    }

    async fn open_deadlines(&self) -> Result<Vec<NaiveDate>, StoreError> {
        let rows = sqlx::query(
            "select distinct (select e.deadline from repair_events e where e.application_id = a.id
                              order by e.id desc limit 1) as deadline
             from repair_applications a
             where a.state in ('submitted', 'accepted', 'needs_supplement') and deadline is not null",
        )
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn begin_write(&self) -> Result<Box<dyn WriteTx>, StoreError> {
        let tx = self.write_tx().await.map_err(db_err)?;
        Ok(Box::new(SqliteWriteTx(tx)))
    }

    async fn set_calendar_day(
        &self,
        e: &CalendarEntry,
        audit: &NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await.map_err(db_err)?;
        sqlx::query(
            "insert into calendar_days (date, kind, name, source) values (?, ?, ?, ?)
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
        let mut tx = self.write_tx().await.map_err(db_err)?;
        let n = sqlx::query("delete from calendar_days where date = ?")
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
