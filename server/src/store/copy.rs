//! Moving a portal from embedded SQLite to PostgreSQL: every table copied
//! into an empty PostgreSQL database in one transaction, converted to its
//! column types there, then checked — the same number of rows in every
//! table, and the access register's chain intact and ending in the same
//! hash.
//!
//! What is not copied: deliveries being staged (never published, so
//! nothing of them is visible) and the projection's generation counter.
//! The search tokens of the public projection are not stored on SQLite
//! (its full-text index keeps no content): they are computed again from
//! each public row's masked name, kind and department, as a delivery
//! would have written them.

use std::collections::HashMap;

use app::model::RecordKind;
use app::store::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use sqlx::postgres::PgArguments;
use sqlx::{Arguments, PgConnection, Row};

use super::postgres::PgStore;
use super::projection::{department_token, kind_token};
use super::SqliteStore;
use crate::store::register::verify_chain;

/// The tables copied, parents before the tables that refer to them.
pub const TABLES: &[&str] = &[
    "districts",
    "departments",
    "catalog_items",
    "catalog_rules",
    "subjects",
    "penalties",
    "licenses",
    "record_rules",
    "serious_domains",
    "serious_entries",
    "serious_listings",
    "serious_listing_events",
    "listing_files",
    "public_entries",
    "calendar_days",
    "settings",
    "staff_accounts",
    "staff_sessions",
    "staff_known_clients",
    "login_failures",
    "audit_log",
    "repair_drafts",
    "repair_applications",
    "repair_events",
    "repair_files",
    "tracking_failures",
    "identity_failures",
    "api_keys",
    "deliveries",
    "record_changes",
    "data_steps",
    "objections",
    "objection_events",
    "objection_files",
    "record_withdrawals",
    "measure_versions",
    "measure_version_domains",
    "measure_version_departments",
    "joint_checks",
    "joint_check_entries",
    "joint_check_measures",
    "credit_reports",
    "consents",
];

/// SQLite tables deliberately not copied: the migrations' own bookkeeping,
/// deliveries being staged, the projection's generation counter, and the
/// full-text indexes (PostgreSQL builds its own from `public_entries`).
pub const NOT_COPIED: &[&str] = &[
    "_sqlx_migrations",
    "import_stagings",
    "staged_subjects",
    "staged_penalties",
    "staged_licenses",
    "projection_generation",
];

/// Whether `table` is one of a full-text index's (`public_fts…`,
/// `public_trgm…`).
pub fn is_text_index(table: &str) -> bool {
    table.starts_with("public_fts") || table.starts_with("public_trgm")
}

/// Rows per insert statement (PostgreSQL takes at most 65,535 parameters).
const BATCH_ROWS: usize = 1000;

/// What a copy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Rows per table, equal on both databases.
    pub rows: Vec<(&'static str, i64)>,
    /// Entries of the access register, verified on PostgreSQL.
    pub register_entries: usize,
}

fn err(what: impl std::fmt::Display) -> StoreError {
    StoreError(format!("copy: {what}"))
}

/// A PostgreSQL column and how a SQLite value becomes its value.
#[derive(Clone, Debug)]
struct Column {
    name: String,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Integer,
    Boolean,
    Date,
    Timestamp,
    Text,
    /// `public_entries.tokens`: computed, not read.
    Tokens,
}

async fn columns(pg: &mut PgConnection, table: &str) -> Result<Vec<Column>, StoreError> {
    let rows = sqlx::query(
        "select column_name, data_type from information_schema.columns
         where table_schema = current_schema() and table_name = $1 order by ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *pg)
    .await
    .map_err(err)?;
    rows.iter()
        .map(|r| {
            let name: String = r.get(0);
            let data_type: String = r.get(1);
            let kind = match data_type.as_str() {
                "bigint" | "integer" | "smallint" => Kind::Integer,
                "boolean" => Kind::Boolean,
                "date" => Kind::Date,
                "timestamp with time zone" => Kind::Timestamp,
                "text" => Kind::Text,
                "ARRAY" if table == "public_entries" && name == "tokens" => Kind::Tokens,
                other => return Err(err(format!("{table}.{name}: type {other}"))),
            };
            Ok(Column { name, kind })
        })
        .collect()
}

/// One value read from SQLite, ready to bind on PostgreSQL.
enum Value {
    Integer(Option<i64>),
    Boolean(Option<bool>),
    Date(Option<NaiveDate>),
    Timestamp(Option<DateTime<Utc>>),
    Text(Option<String>),
    Tokens(Vec<String>),
}

fn timestamp(raw: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| err(format!("timestamp {raw}: {e}")))
}

/// The search tokens of a public row, as `projection::subject_columns`
/// builds them from the same masked name.
fn tokens(name: &str, kind: &str, department_id: i64) -> Result<Vec<String>, StoreError> {
    let kind = RecordKind::from_code(kind).ok_or_else(|| err(format!("record kind {kind}")))?;
    let mut all: Vec<String> = app::domain::search_text::index_tokens(name)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    all.push(kind_token(kind));
    all.push(department_token(department_id));
    Ok(all)
}

fn values(
    row: &sqlx::sqlite::SqliteRow,
    columns: &[Column],
    at: &HashMap<&str, usize>,
) -> Result<Vec<Value>, StoreError> {
    columns
        .iter()
        .map(|c| {
            let i = at.get(c.name.as_str()).copied();
            let get_text = |i: Option<usize>| -> Result<Option<String>, StoreError> {
                match i {
                    Some(i) => row.try_get::<Option<String>, _>(i).map_err(err),
                    None => Ok(None),
                }
            };
            Ok(match c.kind {
                Kind::Integer => Value::Integer(match i {
                    Some(i) => row.try_get(i).map_err(err)?,
                    None => None,
                }),
                Kind::Boolean => Value::Boolean(match i {
                    Some(i) => row
                        .try_get::<Option<i64>, _>(i)
                        .map_err(err)?
                        .map(|v| v != 0),
                    None => None,
                }),
                Kind::Date => Value::Date(
                    get_text(i)?
                        .map(|s| {
                            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                                .map_err(|e| err(format!("{}: date {s}: {e}", c.name)))
                        })
                        .transpose()?,
                ),
                Kind::Timestamp => {
                    Value::Timestamp(get_text(i)?.map(|s| timestamp(&s)).transpose()?)
                }
                Kind::Text => Value::Text(get_text(i)?),
                Kind::Tokens => {
                    let name: String = row.try_get("name").map_err(err)?;
                    let kind: String = row.try_get("record_kind").map_err(err)?;
                    let department: i64 = row.try_get("department_id").map_err(err)?;
                    Value::Tokens(tokens(&name, &kind, department)?)
                }
            })
        })
        .collect()
}

async fn insert_batch(
    pg: &mut PgConnection,
    table: &str,
    columns: &[Column],
    rows: &mut Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let mut args = PgArguments::default();
    let mut tuples = Vec::with_capacity(rows.len());
    let mut n = 0;
    for row in rows.drain(..) {
        let mut slots = Vec::with_capacity(row.len());
        for value in row {
            n += 1;
            slots.push(format!("${n}"));
            let added = match value {
                Value::Integer(v) => args.add(v),
                Value::Boolean(v) => args.add(v),
                Value::Date(v) => args.add(v),
                Value::Timestamp(v) => args.add(v),
                Value::Text(v) => args.add(v),
                Value::Tokens(v) => args.add(v),
            };
            added.map_err(|e| err(format!("{table}: {e}")))?;
        }
        tuples.push(format!("({})", slots.join(", ")));
    }
    // Table and column names come from the fixed list and the schema.
    let sql = format!(
        "insert into {table} ({}) values {}",
        names.join(", "),
        tuples.join(", ")
    );
    sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
        .execute(&mut *pg)
        .await
        .map_err(|e| err(format!("{table}: {e}")))?;
    Ok(())
}

/// Copies every table of `sqlite` into `pg`, which must hold no records
/// yet, and checks the result.
pub async fn sqlite_to_postgres(
    sqlite: &SqliteStore,
    pg: &PgStore,
) -> Result<CopyReport, StoreError> {
    let mut tx = pg.pool().begin().await.map_err(err)?;
    let holds: bool = sqlx::query(
        "select exists(select 1 from subjects) or exists(select 1 from audit_log)
             or exists(select 1 from staff_accounts)",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(err)?
    .get(0);
    if holds {
        return Err(err(
            "the PostgreSQL database already holds data: copy into an empty one",
        ));
    }
    // Rows a new PostgreSQL database starts with (the holiday calendar, the
    // repair settings): the SQLite portal's are the ones that count.
    sqlx::raw_sql("delete from calendar_days; delete from settings")
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    let mut reads = sqlite.pool().acquire().await.map_err(err)?;
    let mut rows = Vec::new();
    for &table in TABLES {
        let columns = columns(&mut tx, table).await?;
        let mut stream =
            sqlx::query(sqlx::AssertSqlSafe(format!("select * from {table}"))).fetch(&mut *reads);
        let mut at: Option<HashMap<&str, usize>> = None;
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut copied = 0i64;
        while let Some(row) = stream.try_next().await.map_err(err)? {
            let at = at.get_or_insert_with(|| {
                use sqlx::Column as _;
                row.columns()
                    .iter()
                    .map(|c| (c.name(), c.ordinal()))
                    .map(|(name, i)| {
                        let known = columns.iter().find(|k| k.name == name);
                        (known.map_or("", |k| k.name.as_str()), i)
                    })
                    .filter(|(name, _)| !name.is_empty())
                    .collect()
            });
            batch.push(values(&row, &columns, at)?);
            copied += 1;
            if batch.len() >= BATCH_ROWS {
                insert_batch(&mut tx, table, &columns, &mut batch).await?;
            }
        }
        insert_batch(&mut tx, table, &columns, &mut batch).await?;
        rows.push((table, copied));
    }
    drop(reads);
    // Ids were copied as they were: the identity sequences move past them
    // so that new rows never take one.
    for &table in TABLES {
        let has_identity: bool = sqlx::query(
            "select exists(select 1 from information_schema.columns
               where table_schema = current_schema() and table_name = $1
                 and column_name = 'id' and is_identity = 'YES')",
        )
        .bind(table)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?
        .get(0);
        if has_identity {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "select setval(pg_get_serial_sequence('{table}', 'id'),
                               greatest((select max(id) from {table}), 1))"
            )))
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
    }
    // The projection changed as a whole: every cached count is old.
    sqlx::query("update projection_generation set generation = generation + 1 where id = 1")
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    tx.commit().await.map_err(err)?;
    verify(sqlite, pg, rows).await
}

/// Checks a copy: the same rows in every table, the register's chain
/// intact on PostgreSQL and ending where SQLite's ends.
pub async fn verify(
    sqlite: &SqliteStore,
    pg: &PgStore,
    copied: Vec<(&'static str, i64)>,
) -> Result<CopyReport, StoreError> {
    use app::store::StaffStore;
    for (table, n) in &copied {
        let sql = format!("select count(*) from {table}");
        let on_sqlite: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_one(sqlite.pool())
            .await
            .map_err(err)?;
        let on_pg: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(pg.pool())
            .await
            .map_err(err)?;
        if on_sqlite != *n || on_pg != *n {
            return Err(err(format!(
                "{table}: {on_sqlite} rows on SQLite, {n} copied, {on_pg} on PostgreSQL"
            )));
        }
    }
    let chain = StaffStore::audit_chain(pg).await?;
    let checked =
        verify_chain(&chain).map_err(|b| err(format!("register entry {}: {}", b.id, b.reason)))?;
    let source = StaffStore::audit_chain(sqlite).await?;
    if source.last().map(|e| &e.hash) != chain.last().map(|e| &e.hash) {
        return Err(err("the register's last hash differs"));
    }
    Ok(CopyReport {
        rows: copied,
        register_entries: checked,
    })
}
