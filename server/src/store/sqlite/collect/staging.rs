//! Staging and publishing a delivery (a committed sheet or a push), so that
//! however large it is no write transaction holds SQLite's write lock for
//! long: the portal's other writes (logins, repair applications, tracking
//! lookups, console pages) wait for the lock at most `busy_timeout`
//! (10 s) and would fail with "database is locked" behind a delivery
//! written in one long transaction.
//!
//! - **Checking** (`collect::import`) reads outside any write transaction:
//!   parsing, the rules, the lookups, the masked name and index tokens,
//!   the change log's before and after — everything that costs time.
//! - **Staging**: every [`CHUNK_ROWS`] rows, one short write transaction
//!   inserts them, ready to publish, into `staged_penalties` /
//!   `staged_licenses` (and the subjects they name that are not
//!   registered into `staged_subjects`), tables nothing but this module
//!   reads. Between chunks other writers take their turn.
//! - **Publishing**: one transaction turns the staged rows into subjects,
//!   records (new ones and corrections), rule links, projection rows,
//!   index entries and change-log entries with a dozen set-based
//!   statements (SQLite's own speed, no round trip per row), and records
//!   the delivery. It is the delivery's only visible step, so the
//!   all-or-nothing promise holds: a refusal, a failure or a crash before
//!   it leaves nothing visible; its staged rows are removed by the
//!   importer, or at start-up and hourly ([`discard_abandoned`]).
//!
//! What was checked must still hold when it is published. The delivering
//! department's turn (`SqliteStore::delivery_turn`) keeps its other
//! deliveries out, and they are the only writers of its records' delivered
//! fields; publishing re-checks what others can change: the catalog (a
//! change refuses the delivery, to be checked again), a repair approved
//! meanwhile (a corrected record that was repaired stays off the public
//! pages), and a subject another department's delivery registered
//! meanwhile (the rows go to that subject, their public name follows it).

use std::collections::HashSet;
use std::time::Instant;

use app::domain::collection::{CheckedRow, SheetKind, SubjectFields};
use app::domain::SubjectKind;
use app::store::StoreError;
use chrono::NaiveDate;
use sqlx::{Row, SqlitePool};

use super::{license, load_context, penalty};
use crate::store::delivery::CHUNK_ROWS;
use crate::store::delivery::{
    DeliveryCounts, DeliveryTurn, ImportContext, Published, Stage, StagedRow, SubjectRef,
    WriteStats,
};
use crate::store::projection;
use crate::store::sqlite::{begin_write, db_err};

/// A statement with its arguments.
pub type Query = sqlx::query::Query<'static, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>;

/// Rows deleted per statement when staged rows are removed.
const DELETE_ROWS: usize = 2000;

/// How one kind of record is staged and published (`penalty::SQL`,
/// `license::SQL`). The statements take the parameters of [`Staging::publish`].
pub struct KindSql {
    /// The record kind's code (`record_rules`, `public_entries`, …).
    pub code: &'static str,
    /// The staging table.
    pub staged: &'static str,
    /// The record's own columns in the staging table, in binding order.
    pub columns: &'static str,
    pub column_count: usize,
    /// Corrects the records staged corrections name.
    pub correct: &'static str,
    /// Inserts the new records, ids in delivery order.
    pub insert: &'static str,
    /// When a staged row `r` with a projection row is public after all.
    pub public: &'static str,
}

fn sql_of(kind: SheetKind) -> &'static KindSql {
    match kind {
        SheetKind::Penalty => &penalty::SQL,
        SheetKind::License => &license::SQL,
    }
}

/// The staging columns every kind has, before and after its own.
const LEAD_COLUMNS: &str =
    "staging_id, seq, new_no, existing_id, subject_id, new_subject_no, rule_id";
const LEAD_COUNT: usize = 7;
const TAIL_COLUMNS: &str = "pub_key, pub_name, pub_name_norm, pub_credit_code, pub_until, \
                            pub_summary, pub_tokens, change, before, after";
const TAIL_COUNT: usize = 10;

/// A subject a staged delivery registers.
struct NewSubject {
    no: u32,
    key: String,
    fields: SubjectFields,
}

/// A delivery being staged. Dropped without [`Staging::publish`] or
/// [`Staging::discard`] (a failure, a task cut short), it removes its
/// staged rows in the background.
pub struct Staging {
    pool: SqlitePool,
    pub id: i64,
    kind: SheetKind,
    department_id: i64,
    actor: String,
    seq: i64,
    new_records: i64,
    rows: Vec<(i64, Option<i64>, StagedRow)>,
    subjects: Vec<NewSubject>,
    stats: WriteStats,
    finished: bool,
}

impl Staging {
    /// Starts staging a delivery of `kind` records for the department whose
    /// `turn` it is.
    pub async fn open(
        pool: &SqlitePool,
        turn: &DeliveryTurn,
        kind: SheetKind,
        actor: &str,
    ) -> Result<Staging, StoreError> {
        let started = Instant::now();
        let mut tx = begin_write(pool).await.map_err(db_err)?;
        let id: i64 = sqlx::query(
            "insert into import_stagings (department_id, record_kind, actor, started_at,
                                          subjects_before)
             values (?, ?, ?, ?, (select coalesce(max(id), 0) from subjects)) returning id",
        )
        .bind(turn.department_id)
        .bind(kind.record_kind().code())
        .bind(actor)
        .bind(crate::store::register::ts(chrono::Utc::now()))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?
        .get(0);
        tx.commit().await.map_err(db_err)?;
        let mut stats = WriteStats::default();
        stats.note(started.elapsed());
        Ok(Staging {
            pool: pool.clone(),
            id,
            kind,
            department_id: turn.department_id,
            actor: actor.to_string(),
            seq: 0,
            new_records: 0,
            rows: Vec::new(),
            subjects: Vec::new(),
            stats,
            finished: false,
        })
    }
}

#[async_trait::async_trait]
impl Stage for Staging {
    fn add_subject(&mut self, no: u32, key: String, fields: &SubjectFields) {
        self.subjects.push(NewSubject {
            no,
            key,
            fields: fields.clone(),
        });
    }

    fn add(&mut self, row: StagedRow) {
        self.seq += 1;
        let new_no = row.existing.is_none().then(|| {
            self.new_records += 1;
            self.new_records
        });
        self.rows.push((self.seq, new_no, row));
    }

    fn is_full(&self) -> bool {
        self.rows.len() >= CHUNK_ROWS
    }

    async fn flush(&mut self) -> Result<(), StoreError> {
        if self.rows.is_empty() && self.subjects.is_empty() {
            return Ok(());
        }
        let subjects = std::mem::take(&mut self.subjects);
        let rows = std::mem::take(&mut self.rows);
        // Build the statements before taking the lock.
        let mut statements = Vec::new();
        for group in subjects.chunks(CHUNK_ROWS) {
            statements.push(self.subjects_insert(group));
        }
        for group in rows.chunks(CHUNK_ROWS) {
            statements.push(self.rows_insert(group));
        }
        let started = Instant::now();
        let mut tx = begin_write(&self.pool).await.map_err(db_err)?;
        for statement in statements {
            statement.execute(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        self.stats.note(started.elapsed());
        Ok(())
    }

    async fn publish(
        self: Box<Self>,
        ctx: &ImportContext,
        counts: &DeliveryCounts,
        channel: &str,
        today: NaiveDate,
    ) -> Result<Published, StoreError> {
        (*self).publish_owned(ctx, counts, channel, today).await
    }

    async fn discard(self: Box<Self>) {
        (*self).discard_owned().await;
    }

    fn stats(&self) -> WriteStats {
        self.stats
    }
}

impl Staging {
    fn subjects_insert(&self, group: &[NewSubject]) -> Query {
        let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; group.len()].join(", ");
        let sql = format!(
            "insert into staged_subjects (staging_id, no, key, kind, name, credit_code, id_number,
                                          representative) values {values}"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for s in group {
            q = q
                .bind(self.id)
                .bind(i64::from(s.no))
                .bind(s.key.clone())
                .bind(s.fields.kind.code())
                .bind(s.fields.name.clone())
                .bind(s.fields.credit_code.clone())
                .bind(s.fields.id_number.clone())
                .bind(s.fields.representative.clone());
        }
        q
    }

    fn rows_insert(&self, group: &[(i64, Option<i64>, StagedRow)]) -> Query {
        let kind = sql_of(self.kind);
        let width = LEAD_COUNT + kind.column_count + TAIL_COUNT;
        let one = format!("({})", vec!["?"; width].join(", "));
        let values = vec![one.as_str(); group.len()].join(", ");
        let sql = format!(
            "insert into {} ({LEAD_COLUMNS}, {}, {TAIL_COLUMNS}) values {values}",
            kind.staged, kind.columns
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (seq, new_no, r) in group {
            let (subject_id, new_subject_no) = match r.subject {
                SubjectRef::Registered(id) => (Some(id), None),
                SubjectRef::New(no) => (None, Some(i64::from(no))),
            };
            q = q
                .bind(self.id)
                .bind(*seq)
                .bind(*new_no)
                .bind(r.existing)
                .bind(subject_id)
                .bind(new_subject_no)
                .bind(r.rule_id);
            q = match &r.row {
                CheckedRow::Penalty(p) => penalty::bind(q, p, r.late),
                CheckedRow::License(l) => license::bind(q, l, r.late),
            };
            let p = r.projection.as_ref();
            let (change, before, after) = match &r.change {
                Some((c, b, a)) => (Some(*c), b.clone(), a.clone()),
                None => (None, None, None),
            };
            q = q
                .bind(p.map(|p| p.sort_key))
                .bind(p.map(|p| p.name.clone()))
                .bind(p.map(|p| p.name_norm.clone()))
                .bind(p.and_then(|p| p.credit_code.clone()))
                .bind(p.map(|p| p.until))
                .bind(p.map(|p| p.summary.clone()))
                .bind(p.map(|p| p.tokens.clone()))
                .bind(change)
                .bind(before)
                .bind(after);
        }
        q
    }

    /// Publishes the staged delivery in one transaction and records it
    /// (`channel`: sheet or api) with `counts`. `ctx` is what its rows
    /// were checked against; `today` the day they were checked for.
    async fn publish_owned(
        mut self,
        ctx: &ImportContext,
        counts: &DeliveryCounts,
        channel: &str,
        today: NaiveDate,
    ) -> Result<Published, StoreError> {
        self.flush().await?;
        let started = Instant::now();
        let outcome = self.publish_tx(ctx, counts, channel, today).await;
        let took = started.elapsed();
        match outcome {
            Ok(None) => {
                self.stats.transactions += 1;
                self.stats.publish = took;
                self.finished = true;
                // Published: the staged rows are garbage now.
                remove_rows(&self.pool, self.id).await;
                Ok(Published::Done(self.stats))
            }
            Ok(Some(reason)) => {
                self.discard_owned().await;
                Ok(Published::Refused(reason))
            }
            Err(e) => {
                self.discard_owned().await;
                Err(e)
            }
        }
    }

    /// The publishing transaction: `Ok(Some(reason))` when the delivery is
    /// refused (rolled back, nothing written).
    async fn publish_tx(
        &self,
        ctx: &ImportContext,
        counts: &DeliveryCounts,
        channel: &str,
        today: NaiveDate,
    ) -> Result<Option<String>, StoreError> {
        let kind = sql_of(self.kind);
        let record_kind = self.kind.record_kind();
        let table = match self.kind {
            SheetKind::Penalty => "penalties",
            SheetKind::License => "licenses",
        };
        let mut tx = begin_write(&self.pool).await.map_err(db_err)?;
        let Some(header) = sqlx::query("select subjects_before from import_stagings where id = ?")
            .bind(self.id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
        else {
            return Ok(Some(
                "本次报送的暂存数据已被清理（用时过长或系统重启），未入库，请重新提交。"
                    .to_string(),
            ));
        };
        let subjects_before: i64 = header.get(0);
        if load_context(&mut tx, self.department_id).await?.catalog != ctx.catalog {
            return Ok(Some(
                "报送期间信用信息目录有变更，本次报送未入库。请按现行目录重新检查（表格须重新上传）后再提交。"
                    .to_string(),
            ));
        }

        // Subjects another delivery registered since this one was checked:
        // its rows go to them, under the name the projection shows of them.
        let registered = sqlx::query(
            "select ss.no, s.id, s.kind, s.name, s.representative, s.credit_code
             from subjects s join staged_subjects ss on ss.staging_id = ?1 and ss.key =
                  case when s.credit_code is not null then 'c:' || s.credit_code
                       when s.kind = 'person' then 'p:' || s.id_number end
             where s.id > ?2 order by s.id",
        )
        .bind(self.id)
        .bind(subjects_before)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        let mut settled = HashSet::new();
        for r in registered {
            let no: i64 = r.get(0);
            if !settled.insert(no) {
                continue;
            }
            let subject_id: i64 = r.get(1);
            let subject_kind: String = r.get(2);
            let subject_kind = SubjectKind::from_code(&subject_kind)
                .ok_or_else(|| StoreError(format!("subject kind {subject_kind}")))?;
            let name: String = r.get(3);
            let representative: Option<String> = r.get(4);
            let credit_code: Option<String> = r.get(5);
            sqlx::query(
                "update staged_subjects set subject_id = ? where staging_id = ? and no = ?",
            )
            .bind(subject_id)
            .bind(self.id)
            .bind(no)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            let (public, norm, tokens) = projection::subject_columns(
                record_kind,
                self.department_id,
                subject_kind,
                &name,
                representative.as_deref(),
            );
            let sql = format!(
                "update {} set pub_name = ?, pub_name_norm = ?, pub_credit_code = ?,
                        pub_tokens = ?
                 where staging_id = ? and new_subject_no = ? and pub_key is not null",
                kind.staged
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(public)
                .bind(norm)
                .bind(credit_code)
                .bind(tokens)
                .bind(self.id)
                .bind(no)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }

        let subjects_base: i64 = sqlx::query("select coalesce(max(id), 0) from subjects")
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?
            .get(0);
        let records_base: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select coalesce(max(id), 0) from {table}"
        )))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?
        .get(0);
        let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let at = crate::store::register::ts(chrono::Utc::now());
        // Every statement below takes these parameters (unused ones are
        // ignored): ?1 staging, ?2 highest subject id before, ?3
        // department, ?4 highest record id before, ?5 creation time, ?6
        // today, ?7 department name, ?8 actor, ?9 change-log time.
        let q = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(self.id)
                .bind(subjects_base)
                .bind(self.department_id)
                .bind(records_base)
                .bind(created_at.clone())
                .bind(today)
                .bind(ctx.department_name.clone())
                .bind(self.actor.clone())
                .bind(at.clone())
        };
        let (code, staged) = (kind.code, kind.staged);
        let record_id = "coalesce(r.existing_id, ?4 + r.new_no)";
        let subject_id = "coalesce(r.subject_id, ss.subject_id, ?2 + r.new_subject_no)";
        let sort_key = format!("(r.pub_key | ({record_id} & 1073741823))");
        let corrections = format!(
            "select existing_id from {staged} where staging_id = ?1 and existing_id is not null"
        );
        let statements = [
            // New subjects, ids in delivery order.
            "insert into subjects (id, kind, name, credit_code, id_number, representative)
             select ?2 + no, kind, name, credit_code, id_number, representative
             from staged_subjects where staging_id = ?1 and subject_id is null order by no"
                .to_string(),
            // Corrections: out of the projection, fields replaced, rules
            // replaced; back in the projection below if still public.
            format!(
                "delete from public_fts where rowid in
                   (select sort_key from public_entries
                    where record_kind = '{code}' and record_id in ({corrections}))"
            ),
            format!(
                "delete from public_trgm where rowid in
                   (select sort_key from public_entries
                    where record_kind = '{code}' and record_id in ({corrections}))"
            ),
            format!(
                "delete from public_entries where record_kind = '{code}'
                   and record_id in ({corrections})"
            ),
            kind.correct.to_string(),
            format!(
                "delete from record_rules where record_kind = '{code}'
                   and record_id in ({corrections})"
            ),
            // New records.
            kind.insert.to_string(),
            format!(
                "insert into record_rules (record_kind, record_id, rule_id)
                 select '{code}', {record_id}, r.rule_id from {staged} r where r.staging_id = ?1"
            ),
            // The public projection and the name index.
            format!(
                "insert into public_entries (sort_key, record_kind, record_id, subject_id, name,
                                             name_norm, credit_code, doc_no, department_id,
                                             department, decision_date, until, summary)
                 select {sort_key}, '{code}', {record_id}, {subject_id}, r.pub_name,
                        r.pub_name_norm, r.pub_credit_code, r.doc_no, ?3, ?7, r.decision_date,
                        r.pub_until, r.pub_summary
                 from {staged} r
                 left join staged_subjects ss
                   on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
                 where r.staging_id = ?1 and r.pub_key is not null and {}",
                kind.public
            ),
            // In (nearly) rowid order, read from an index: FTS5 writes its
            // pending entries out to a new segment whenever a rowid is lower
            // than the one before. (New records' ids follow `seq`.)
            format!(
                "insert into public_fts (rowid, tokens)
                 select {sort_key}, r.pub_tokens from {staged} r
                 where r.staging_id = ?1 and r.pub_key is not null and {}
                 order by r.pub_key, r.seq",
                kind.public
            ),
            // The trigram index of names (queries of three or more
            // characters), kept with the bigram index.
            format!(
                "insert into public_trgm (rowid, name)
                 select {sort_key}, r.pub_name_norm from {staged} r
                 where r.staging_id = ?1 and r.pub_key is not null and {}
                 order by r.pub_key, r.seq",
                kind.public
            ),
            // The change log, in delivery order.
            format!(
                "insert into record_changes (at, record_kind, record_id, department_id, change,
                                             actor, before, after)
                 select ?9, '{code}', {record_id}, ?3, r.change, ?8, r.before, r.after
                 from {staged} r where r.staging_id = ?1 and r.change is not null
                 order by r.seq"
            ),
            "delete from import_stagings where id = ?1".to_string(),
        ];
        // Statements 1 to 5 are about corrections.
        let corrects = self.seq > self.new_records;
        for (i, sql) in statements.into_iter().enumerate() {
            if (1..=5).contains(&i) && !corrects {
                continue;
            }
            let t = Instant::now();
            q(sql).execute(&mut *tx).await.map_err(db_err)?;
            tracing::debug!(staging = self.id, statement = i, took = ?t.elapsed(), "published");
        }
        let int = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        sqlx::query(
            "insert into deliveries (department_id, at, channel, actor, taken, updated, refused,
                                     late)
             values (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(self.department_id)
        .bind(&at)
        .bind(channel)
        .bind(&self.actor)
        .bind(int(counts.taken))
        .bind(int(counts.updated))
        .bind(int(counts.refused))
        .bind(int(counts.late))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(None)
    }

    /// Drops the staged delivery: nothing of it becomes visible.
    async fn discard_owned(mut self) {
        self.finished = true;
        discard_staging(&self.pool, self.id).await;
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        tracing::warn!(
            staging = self.id,
            "a delivery was dropped before it was published; its staged rows are removed"
        );
        let (pool, id) = (self.pool.clone(), self.id);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { discard_staging(&pool, id).await });
        }
    }
}

/// Deletes staging `id` (so it can never be published) and then its rows.
async fn discard_staging(pool: &SqlitePool, id: i64) {
    if let Err(e) = sqlx::query("delete from import_stagings where id = ?")
        .bind(id)
        .execute(pool)
        .await
    {
        tracing::error!(staging = id, error = %e, "staged delivery not discarded");
        return;
    }
    remove_rows(pool, id).await;
}

/// Deletes the staged rows of a staging that is gone, a few thousand per
/// statement (each its own short transaction). What fails here is left
/// for [`discard_abandoned`].
async fn remove_rows(pool: &SqlitePool, id: i64) {
    let tables = [
        format!(
            "delete from staged_penalties where rowid in
               (select rowid from staged_penalties where staging_id = ?1 limit {DELETE_ROWS})"
        ),
        format!(
            "delete from staged_licenses where rowid in
               (select rowid from staged_licenses where staging_id = ?1 limit {DELETE_ROWS})"
        ),
        format!(
            "delete from staged_subjects where staging_id = ?1 and no in
               (select no from staged_subjects where staging_id = ?1 limit {DELETE_ROWS})"
        ),
    ];
    for sql in tables {
        loop {
            match sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .execute(pool)
                .await
            {
                Ok(done) if done.rows_affected() > 0 => {}
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(staging = id, error = %e, "staged rows left for the cleanup");
                    return;
                }
            }
        }
    }
}

/// Removes deliveries whose staging began before `before` and were never
/// published (the importer died, or failed to clean up), and every staged
/// row whose delivery is gone. At start-up `before` is now: nothing is
/// being staged yet. Returns how many deliveries were removed.
pub async fn discard_abandoned(
    pool: &SqlitePool,
    before: chrono::DateTime<chrono::Utc>,
) -> Result<u64, StoreError> {
    let removed = sqlx::query("delete from import_stagings where started_at < ?")
        .bind(crate::store::register::ts(before))
        .execute(pool)
        .await
        .map_err(db_err)?
        .rows_affected();
    let orphans: Vec<i64> = sqlx::query(
        "select staging_id from staged_penalties
         union select staging_id from staged_licenses
         union select staging_id from staged_subjects
         except select id from import_stagings",
    )
    .fetch_all(pool)
    .await
    .map_err(db_err)?
    .iter()
    .map(|r| r.get(0))
    .collect();
    for id in orphans {
        remove_rows(pool, id).await;
    }
    Ok(removed)
}
