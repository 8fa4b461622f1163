//! Staging and publishing a delivery on PostgreSQL: the SQLite store's
//! design (`store::collect::staging`, whose module doc says why), ported.
//! Checking reads outside any write transaction; accepted rows are staged
//! [`CHUNK_ROWS`] at a time, each chunk one short transaction, into the
//! unlogged `staged_*` tables nothing else reads; one transaction
//! publishes them with a dozen set-based statements and records the
//! delivery, its only visible step.
//!
//! SQLite's publication is safe because it is the only writer while it
//! runs. PostgreSQL has many, so the publishing transaction locks what it
//! relies on, always in this order:
//!
//! 1. [`locks::PUBLICATION`] (transaction-scoped): one publication at a
//!    time, so the ids it computes (highest id + number in the delivery)
//!    are its own, and it sees every subject an earlier one registered;
//! 2. its `import_stagings` row (`for update`): the cleanup cannot remove
//!    its staged rows half-way through it;
//! 3. the catalog tables (`share` mode): a catalog change waits for the
//!    publication, or the publication sees it and refuses the delivery;
//! 4. the records it corrects (`for update`, before their public rows):
//!    a repair approved meanwhile either is seen (the record stays off the
//!    public pages) or waits and unpublishes it after; the same order as
//!    the approval's (record, then public row), so the two cannot deadlock.

use std::collections::HashSet;
use std::time::Instant;

use app::domain::collection::{CheckedRow, LicenseRow, PenaltyRow, SheetKind, SubjectFields};
use app::domain::SubjectKind;
use app::store::StoreError;
use chrono::{DateTime, DurationRound, NaiveDate, TimeDelta, Utc};
use sqlx::postgres::PgArguments;
use sqlx::{PgPool, Postgres, Row};

use super::load_context;
use crate::store::delivery::{basis_code, consent_ref, CHUNK_ROWS};
use crate::store::delivery::{
    DeliveryCounts, DeliveryTurn, ImportContext, Published, Stage, StagedRow, SubjectRef,
    WriteStats,
};
use crate::store::postgres::{db_err, locks, millis};
use crate::store::projection;

/// A statement with its arguments.
type Query = sqlx::query::Query<'static, Postgres, PgArguments>;

/// How one kind of record is staged and published ([`PENALTY`],
/// [`LICENSE`]). The statements take the parameters of
/// [`Staging::publish_tx`].
struct KindSql {
    /// The record kind's code (`record_rules`, `public_entries`, …).
    code: &'static str,
    /// The record table.
    table: &'static str,
    /// The staging table.
    staged: &'static str,
    /// The record's own columns in the staging table, in binding order.
    columns: &'static str,
    column_count: usize,
    /// Corrects the records staged corrections name.
    correct: &'static str,
    /// Inserts the new records, ids in delivery order.
    insert: &'static str,
    /// When a staged row `r` with a projection row is public after all.
    public: &'static str,
}

const PENALTY: KindSql = KindSql {
    code: "penalty",
    table: "penalties",
    staged: "staged_penalties",
    columns: "doc_no, violation_type, facts, basis, categories, content, fine_fen, \
              confiscated_fen, license_action, decision_date, valid_until, note, late, \
              representative_id_number, personal_basis, consent_ref",
    column_count: 16,
    // $1 staging, $2 highest subject id before publication, $3 department.
    correct: "update penalties set subject_id = coalesce(r.subject_id, ss.subject_id, $2 + r.new_subject_no),
                     violation_type = r.violation_type, facts = r.facts, basis = r.basis,
                     categories = r.categories, content = r.content, fine_fen = r.fine_fen,
                     confiscated_fen = r.confiscated_fen, license_action = r.license_action,
                     decision_date = r.decision_date, valid_until = r.valid_until,
                     source_department_id = $3, note = r.note,
                     representative_id_number =
                       coalesce(r.representative_id_number, penalties.representative_id_number),
                     personal_basis = r.personal_basis, consent_ref = r.consent_ref
              from staged_penalties r
              left join staged_subjects ss on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
              where r.staging_id = $1 and r.existing_id = penalties.id",
    // $4 highest record id before publication, $5 the time.
    insert: "insert into penalties (id, subject_id, doc_no, violation_type, facts, basis, categories,
                                    content, fine_fen, confiscated_fen, license_action,
                                    decision_date, valid_until, department_id,
                                    source_department_id, note, repaired_on, created_at, late,
                                    representative_id_number, personal_basis, consent_ref)
             select $4 + r.new_no, coalesce(r.subject_id, ss.subject_id, $2 + r.new_subject_no),
                    r.doc_no, r.violation_type, r.facts, r.basis, r.categories, r.content,
                    r.fine_fen, r.confiscated_fen, r.license_action, r.decision_date,
                    r.valid_until, $3, $3, r.note, null, $5, r.late, r.representative_id_number,
                    r.personal_basis, r.consent_ref
             from staged_penalties r
             left join staged_subjects ss on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
             where r.staging_id = $1 and r.existing_id is null
             order by r.seq",
    // A corrected record that was repaired, or that an objection withdrew,
    // stays off the public pages, however it reads now (`status_on`); $6 is today.
    public: "(r.existing_id is null or (not exists (select 1 from penalties p
               where p.id = r.existing_id and p.repaired_on is not null and p.repaired_on <= $6)
             and not exists (select 1 from record_withdrawals w
               where w.record_kind = 'penalty' and w.record_id = r.existing_id)))",
};

const LICENSE: KindSql = KindSql {
    code: "license",
    table: "licenses",
    staged: "staged_licenses",
    columns: "doc_name, doc_no, category, cert_name, cert_no, content, decision_date, \
              valid_from, valid_to, state, note, late, personal_basis, consent_ref",
    column_count: 14,
    // $1 staging, $2 highest subject id before publication, $3 department.
    correct: "update licenses set subject_id = coalesce(r.subject_id, ss.subject_id, $2 + r.new_subject_no),
                     doc_name = r.doc_name, category = r.category, cert_name = r.cert_name,
                     cert_no = r.cert_no, content = r.content, decision_date = r.decision_date,
                     valid_from = r.valid_from, valid_to = r.valid_to,
                     source_department_id = $3, state = r.state, note = r.note,
                     personal_basis = r.personal_basis, consent_ref = r.consent_ref
              from staged_licenses r
              left join staged_subjects ss on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
              where r.staging_id = $1 and r.existing_id = licenses.id",
    // $4 highest record id before publication, $5 the time.
    insert: "insert into licenses (id, subject_id, doc_name, doc_no, category, cert_name, cert_no,
                                   content, decision_date, valid_from, valid_to, department_id,
                                   source_department_id, state, note, created_at, late,
                                   personal_basis, consent_ref)
             select $4 + r.new_no, coalesce(r.subject_id, ss.subject_id, $2 + r.new_subject_no),
                    r.doc_name, r.doc_no, r.category, r.cert_name, r.cert_no, r.content,
                    r.decision_date, r.valid_from, r.valid_to, $3, $3, r.state, r.note, $5, r.late,
                    r.personal_basis, r.consent_ref
             from staged_licenses r
             left join staged_subjects ss on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
             where r.staging_id = $1 and r.existing_id is null
             order by r.seq",
    // Licences are never repaired.
    // A licence an objection withdrew stays off, however it reads now.
    public: "(r.existing_id is null or not exists (select 1 from record_withdrawals w
               where w.record_kind = 'license' and w.record_id = r.existing_id))",
};

fn sql_of(kind: SheetKind) -> &'static KindSql {
    match kind {
        SheetKind::Penalty => &PENALTY,
        SheetKind::License => &LICENSE,
    }
}

/// The staging columns every kind has, before and after its own.
const LEAD_COLUMNS: &str =
    "staging_id, seq, new_no, existing_id, subject_id, new_subject_no, rule_id";
const LEAD_COUNT: usize = 7;
const TAIL_COLUMNS: &str = "pub_key, pub_name, pub_name_norm, pub_credit_code, pub_until, \
                            pub_summary, pub_tokens, change, before, after";
const TAIL_COUNT: usize = 10;
/// `pub_tokens` among the tail columns: bound as the projection's
/// space-separated text and split by the database, exactly as
/// `writes::publish_row` does.
const TOKENS_AT: usize = 6;
const SUBJECT_COUNT: usize = 8;

// A statement takes at most 65535 parameters: a chunk must fit in one
// (penalties are the widest rows).
const _: () = assert!(
    PENALTY.column_count >= LICENSE.column_count
        && CHUNK_ROWS * (LEAD_COUNT + PENALTY.column_count + TAIL_COUNT) <= u16::MAX as usize
);
const _: () = assert!(CHUNK_ROWS * SUBJECT_COUNT <= u16::MAX as usize);

/// `rows` rows of `width` parameters each, numbered from `$1`, with
/// column `tokens` (if any) split into an array.
fn values(rows: usize, width: usize, tokens: Option<usize>) -> String {
    let mut n = 0;
    let mut all = Vec::with_capacity(rows);
    for _ in 0..rows {
        let one: Vec<String> = (0..width)
            .map(|column| {
                n += 1;
                if Some(column) == tokens {
                    format!("string_to_array(${n}, ' ')")
                } else {
                    format!("${n}")
                }
            })
            .collect();
        all.push(format!("({})", one.join(", ")));
    }
    all.join(", ")
}

/// A subject a staged delivery registers.
struct NewSubject {
    no: u32,
    key: String,
    fields: SubjectFields,
}

/// A delivery being staged. Dropped without publication or discard (a
/// failure, a task cut short), it removes its staged rows in the
/// background.
pub(super) struct Staging {
    pool: PgPool,
    id: i64,
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
    pub(super) async fn open(
        pool: &PgPool,
        turn: &DeliveryTurn,
        kind: SheetKind,
        actor: &str,
    ) -> Result<Staging, StoreError> {
        let started = Instant::now();
        let id: i64 = sqlx::query(
            "insert into import_stagings (department_id, record_kind, actor, started_at,
                                          subjects_before)
             values ($1, $2, $3, $4, (select coalesce(max(id), 0) from subjects)) returning id",
        )
        .bind(turn.department_id)
        .bind(kind.record_kind().code())
        .bind(actor)
        .bind(millis(Utc::now()))
        .fetch_one(pool)
        .await
        .map_err(db_err)?
        .get(0);
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
        let mut statements = Vec::new();
        for group in subjects.chunks(CHUNK_ROWS) {
            statements.push(self.subjects_insert(group));
        }
        for group in rows.chunks(CHUNK_ROWS) {
            statements.push(self.rows_insert(group));
        }
        // One transaction per chunk: one commit for its subjects and rows.
        let started = Instant::now();
        let mut tx = self.pool.begin().await.map_err(db_err)?;
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

/// Binds a penalty row's own columns, in the order of `PENALTY.columns`.
fn bind_penalty(q: Query, row: &PenaltyRow, late: bool) -> Query {
    q.bind(row.doc_no.clone())
        .bind(row.violation_type.clone())
        .bind(row.facts.clone())
        .bind(row.basis.clone())
        .bind(row.categories.join("、"))
        .bind(row.content.clone())
        .bind(row.fine.map(|f| f.0))
        .bind(row.confiscated.map(|f| f.0))
        .bind(row.license_action.clone())
        .bind(row.decision_date)
        .bind(row.valid_until)
        .bind(row.note.clone())
        .bind(late)
        .bind(row.subject.representative_id.clone())
        .bind(basis_code(&row.subject))
        .bind(consent_ref(&row.subject))
}

/// Binds a licence row's own columns, in the order of `LICENSE.columns`.
fn bind_license(q: Query, row: &LicenseRow, late: bool) -> Query {
    q.bind(row.doc_name.clone())
        .bind(row.doc_no.clone())
        .bind(row.category.clone())
        .bind(row.cert_name.clone())
        .bind(row.cert_no.clone())
        .bind(row.content.clone())
        .bind(row.decision_date)
        .bind(row.valid_from)
        .bind(row.valid_to)
        .bind(row.state.clone())
        .bind(row.note.clone())
        .bind(late)
        .bind(basis_code(&row.subject))
        .bind(consent_ref(&row.subject))
}

impl Staging {
    fn subjects_insert(&self, group: &[NewSubject]) -> Query {
        let sql = format!(
            "insert into staged_subjects (staging_id, no, key, kind, name, credit_code, id_number,
                                          representative) values {}",
            values(group.len(), SUBJECT_COUNT, None)
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
        let tokens = LEAD_COUNT + kind.column_count + TOKENS_AT;
        let sql = format!(
            "insert into {} ({LEAD_COLUMNS}, {}, {TAIL_COLUMNS}) values {}",
            kind.staged,
            kind.columns,
            values(group.len(), width, Some(tokens))
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
                CheckedRow::Penalty(p) => bind_penalty(q, p, r.late),
                CheckedRow::License(l) => bind_license(q, l, r.late),
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
        let table = kind.table;
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // One publication at a time (module doc, 1): taken first, so every
        // read below sees what earlier publications wrote.
        sqlx::query("select pg_advisory_xact_lock($1, $2)")
            .bind(locks::PUBLICATION.0)
            .bind(locks::PUBLICATION.1)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let Some(header) =
            sqlx::query("select subjects_before from import_stagings where id = $1 for update")
                .bind(self.id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?
        else {
            tx.rollback().await.map_err(db_err)?;
            return Ok(Some(
                "本次报送的暂存数据已被清理（用时过长或系统重启），未入库，请重新提交。"
                    .to_string(),
            ));
        };
        let subjects_before: i64 = header.get(0);
        // Catalog changes wait until this commits; one committed before
        // is seen here and refuses the delivery.
        sqlx::query("lock table catalog_items, catalog_rules in share mode")
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if load_context(&mut tx, self.department_id).await?.catalog != ctx.catalog {
            tx.rollback().await.map_err(db_err)?;
            return Ok(Some(
                "报送期间信用信息目录有变更，本次报送未入库。请按现行目录重新检查（表格须重新上传）后再提交。"
                    .to_string(),
            ));
        }

        // Subjects another delivery registered since this one was checked:
        // its rows go to them, under the name the projection shows of them.
        // (Ids grow in commit order: every delivery registers subjects
        // under the publication lock.)
        let registered = sqlx::query(
            "select ss.no, s.id, s.kind, s.name, s.representative, s.credit_code
             from subjects s join staged_subjects ss on ss.staging_id = $1 and ss.key =
                  case when s.credit_code is not null then 'c:' || s.credit_code
                       when s.kind = 'person' then 'p:' || s.id_number end
             where s.id > $2 order by s.id",
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
                "update staged_subjects set subject_id = $1 where staging_id = $2 and no = $3",
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
                "update {} set pub_name = $1, pub_name_norm = $2, pub_credit_code = $3,
                        pub_tokens = string_to_array($4, ' ')
                 where staging_id = $5 and new_subject_no = $6 and pub_key is not null",
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

        // New ids are the highest plus the number in the delivery, as in
        // SQLite; the publication lock makes the highest ours until commit.
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
        // Records' creation to the second, as the SQLite store's
        // deliveries write it; the change log's time to the millisecond.
        let now = Utc::now();
        let created_at: DateTime<Utc> = now.duration_trunc(TimeDelta::seconds(1)).unwrap_or(now);
        let at = millis(now);
        // Every statement below takes these parameters; those a statement
        // does not use are allowed, as their types are given. $1 staging,
        // $2 highest subject id before, $3 department, $4 highest record
        // id before, $5 creation time, $6 today, $7 department name, $8
        // actor, $9 change-log time.
        let q = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(self.id)
                .bind(subjects_base)
                .bind(self.department_id)
                .bind(records_base)
                .bind(created_at)
                .bind(today)
                .bind(ctx.department_name.clone())
                .bind(self.actor.clone())
                .bind(at)
        };
        let (code, staged) = (kind.code, kind.staged);
        let record_id = "coalesce(r.existing_id, $4 + r.new_no)";
        let subject_id = "coalesce(r.subject_id, ss.subject_id, $2 + r.new_subject_no)";
        let sort_key = format!("(r.pub_key | ({record_id} & 1073741823))");
        let corrections = format!(
            "select existing_id from {staged} where staging_id = $1 and existing_id is not null"
        );
        let corrects = self.seq > self.new_records;
        // (statement, only when the delivery corrects records)
        let statements = [
            // New subjects, ids in delivery order.
            (
                "insert into subjects (id, kind, name, credit_code, id_number, representative)
                 select $2 + no, kind, name, credit_code, id_number, representative
                 from staged_subjects where staging_id = $1 and subject_id is null order by no"
                    .to_string(),
                false,
            ),
            // Corrections: the records locked first (module doc, 4), out
            // of the projection, fields replaced, rules replaced; back in
            // the projection below if still public.
            (
                format!(
                    "select id from {table} where id in ({corrections}) order by id for update"
                ),
                true,
            ),
            (
                format!(
                    "delete from public_entries where record_kind = '{code}'
                       and record_id in ({corrections})"
                ),
                true,
            ),
            (kind.correct.to_string(), true),
            (
                format!(
                    "delete from record_rules where record_kind = '{code}'
                       and record_id in ({corrections})"
                ),
                true,
            ),
            // New records.
            (kind.insert.to_string(), false),
            (
                format!(
                    "insert into record_rules (record_kind, record_id, rule_id)
                     select '{code}', {record_id}, r.rule_id from {staged} r
                     where r.staging_id = $1"
                ),
                false,
            ),
            // The public projection, its search tokens with it (SQLite's
            // FTS and trigram tables are this table's own indexes here).
            (
                format!(
                    "insert into public_entries (sort_key, record_kind, record_id, subject_id,
                                                 name, name_norm, credit_code, doc_no,
                                                 department_id, department, decision_date,
                                                 until, summary, tokens)
                     select {sort_key}, '{code}', {record_id}, {subject_id}, r.pub_name,
                            r.pub_name_norm, r.pub_credit_code, r.doc_no, $3, $7,
                            r.decision_date, r.pub_until, r.pub_summary, r.pub_tokens
                     from {staged} r
                     left join staged_subjects ss
                       on ss.staging_id = r.staging_id and ss.no = r.new_subject_no
                     where r.staging_id = $1 and r.pub_key is not null and {}",
                    kind.public
                ),
                false,
            ),
            // The change log, in delivery order.
            (
                format!(
                    "insert into record_changes (at, record_kind, record_id, department_id,
                                                 change, actor, before, after)
                     select $9, '{code}', {record_id}, $3, r.change, $8, r.before, r.after
                     from {staged} r where r.staging_id = $1 and r.change is not null
                     order by r.seq"
                ),
                false,
            ),
            (
                "delete from import_stagings where id = $1".to_string(),
                false,
            ),
        ];
        for (i, (sql, corrections_only)) in statements.into_iter().enumerate() {
            if corrections_only && !corrects {
                continue;
            }
            let t = Instant::now();
            q(sql).execute(&mut *tx).await.map_err(db_err)?;
            tracing::debug!(staging = self.id, statement = i, took = ?t.elapsed(), "published");
        }
        // The ids above were given explicitly, so the identity sequences
        // did not move: moved past them now, or the next default insert
        // (the demo generator, the seed writer, tests) would take an id
        // just published. Never moved back (a sequence ahead of the
        // highest id has given those ids out already). Not transactional:
        // if this transaction rolls back, the ids are merely skipped.
        let mut moved = Vec::new();
        if sqlx::query(
            "select exists(select 1 from staged_subjects
                           where staging_id = $1 and subject_id is null)",
        )
        .bind(self.id)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?
        .get::<bool, _>(0)
        {
            moved.push("subjects");
        }
        if self.new_records > 0 {
            moved.push(table);
        }
        for moved in moved {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "select setval(s.seq, greatest((select max(id) from {moved}),
                                               pg_sequence_last_value(s.seq), 1))
                 from (select pg_get_serial_sequence('{moved}', 'id')::regclass as seq) s"
            )))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        let int = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        sqlx::query(
            "insert into deliveries (department_id, at, channel, actor, taken, updated, refused,
                                     late)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(self.department_id)
        .bind(at)
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
async fn discard_staging(pool: &PgPool, id: i64) {
    if let Err(e) = sqlx::query("delete from import_stagings where id = $1")
        .bind(id)
        .execute(pool)
        .await
    {
        tracing::error!(staging = id, error = %e, "staged delivery not discarded");
        return;
    }
    remove_rows(pool, id).await;
}

/// The staging tables, subjects last (as SQLite removes them).
const STAGED_TABLES: [&str; 3] = ["staged_penalties", "staged_licenses", "staged_subjects"];

/// Deletes the staged rows of a staging that is gone. One statement per
/// table, not SQLite's batches of a few thousand: those keep SQLite's
/// single write lock short, and PostgreSQL has none — a delete blocks no
/// reader (MVCC), locks only these rows, which nothing else touches, and
/// writes no WAL (the tables are unlogged). What fails here is left for
/// [`discard_abandoned`].
async fn remove_rows(pool: &PgPool, id: i64) {
    for table in STAGED_TABLES {
        let sql = format!("delete from {table} where staging_id = $1");
        if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .execute(pool)
            .await
        {
            tracing::warn!(staging = id, error = %e, "staged rows left for the cleanup");
            return;
        }
    }
}

/// Removes deliveries whose staging began before `before` and were never
/// published (the importer died, or failed to clean up), and every staged
/// row whose delivery is gone. Returns how many deliveries were removed.
pub(super) async fn discard_abandoned(
    pool: &PgPool,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let removed = sqlx::query("delete from import_stagings where started_at < $1")
        .bind(before)
        .execute(pool)
        .await
        .map_err(db_err)?
        .rows_affected();
    // A staging being published still has its row (deleted only when its
    // publication commits), so its staged rows are kept.
    for table in STAGED_TABLES {
        let sql = format!(
            "delete from {table} r
             where not exists (select 1 from import_stagings i where i.id = r.staging_id)"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await
            .map_err(db_err)?;
    }
    Ok(removed)
}
