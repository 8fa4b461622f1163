//! The database under a test portal, whichever `DATABASE_URL` chooses:
//! unset or `sqlite://…`, a SQLite file in the portal's temporary
//! directory; `postgres://…`, a database of its own on that server, copied
//! from a template migrated once per test binary (and, for the usual demo
//! portal, from a second template holding the demo data, so the data set
//! is generated once rather than for every test). The portal's database
//! is dropped with it.
//!
//! Tests read it through [`Db`]: SQL both databases take (no `?`
//! placeholders; flags compared as `late` / `not late`; `sum()` cast to
//! `bigint`), and rows read back as plain values, the way the SQLite
//! store keeps them: dates as `YYYY-MM-DD`, timestamps as RFC 3339 with
//! milliseconds, flags as 0/1.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use server::store::backend::Backend;
use server::store::postgres::PgStore;
use server::store::SqliteStore;
use sqlx::{Column, Row, TypeInfo, ValueRef};

/// The PostgreSQL server the suite runs on (`DATABASE_URL=postgres://…`),
/// or `None` for SQLite.
pub fn postgres_url() -> Option<String> {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| server::store::backend::is_postgres(url))
}

/// Whether the suite runs on PostgreSQL.
pub fn on_postgres() -> bool {
    postgres_url().is_some()
}

/// Says that a test about SQLite itself is skipped on PostgreSQL; true
/// when it is (the test then returns).
pub fn sqlite_only(what: &str) -> bool {
    let skip = on_postgres();
    if skip {
        println!("skipped on PostgreSQL (a test of the SQLite store): {what}");
    }
    skip
}

/// Raw SQL on the database under a portal, for fixtures and assertions.
#[derive(Clone)]
pub enum Db {
    Sqlite(Arc<SqliteStore>),
    Pg(Arc<PgStore>),
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// A row read back.
#[derive(Clone, Debug)]
pub struct TestRow {
    names: Vec<String>,
    values: Vec<Value>,
}

/// A column by position or by name.
pub trait ColumnRef {
    fn position(&self, row: &TestRow) -> usize;
}

impl ColumnRef for usize {
    fn position(&self, _: &TestRow) -> usize {
        *self
    }
}

impl ColumnRef for &str {
    fn position(&self, row: &TestRow) -> usize {
        row.names
            .iter()
            .position(|n| n == self)
            .unwrap_or_else(|| panic!("no column {self} in {:?}", row.names))
    }
}

/// A Rust value a test reads from a column.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Self;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Self {
        match v {
            Value::Int(i) => *i,
            other => panic!("not an integer: {other:?}"),
        }
    }
}

impl FromValue for bool {
    fn from_value(v: &Value) -> Self {
        i64::from_value(v) != 0
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value) -> Self {
        match v {
            Value::Real(f) => *f,
            Value::Int(i) => *i as f64,
            other => panic!("not a number: {other:?}"),
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> Self {
        match v {
            Value::Text(s) => s.clone(),
            other => panic!("not text: {other:?}"),
        }
    }
}

impl FromValue for NaiveDate {
    fn from_value(v: &Value) -> Self {
        let text = String::from_value(v);
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .unwrap_or_else(|_| panic!("not a date: {text}"))
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Self {
        match v {
            Value::Null => None,
            other => Some(T::from_value(other)),
        }
    }
}

impl TestRow {
    /// The value of `column` (a position or a name) as a `T`.
    pub fn get<T: FromValue, C: ColumnRef>(&self, column: C) -> T {
        T::from_value(&self.values[column.position(self)])
    }
}

fn sqlite_row(row: &sqlx::sqlite::SqliteRow) -> TestRow {
    let mut names = Vec::new();
    let mut values = Vec::new();
    for (i, c) in row.columns().iter().enumerate() {
        names.push(c.name().to_string());
        let raw = row.try_get_raw(i).unwrap();
        // The value's own storage class: SQLite columns are not typed.
        let value = if raw.is_null() {
            Value::Null
        } else {
            match raw.type_info().name() {
                "INTEGER" | "BOOLEAN" | "INT" | "BIGINT" => Value::Int(row.get(i)),
                "REAL" => Value::Real(row.get(i)),
                _ => Value::Text(row.get(i)),
            }
        };
        values.push(value);
    }
    TestRow { names, values }
}

fn pg_row(row: &sqlx::postgres::PgRow) -> TestRow {
    let mut names = Vec::new();
    let mut values = Vec::new();
    for (i, c) in row.columns().iter().enumerate() {
        names.push(c.name().to_string());
        let raw = row.try_get_raw(i).unwrap();
        let value = if raw.is_null() {
            Value::Null
        } else {
            match c.type_info().name() {
                "INT8" => Value::Int(row.get(i)),
                "INT4" => Value::Int(i64::from(row.get::<i32, _>(i))),
                "INT2" => Value::Int(i64::from(row.get::<i16, _>(i))),
                "BOOL" => Value::Int(i64::from(row.get::<bool, _>(i))),
                "FLOAT8" => Value::Real(row.get(i)),
                "FLOAT4" => Value::Real(f64::from(row.get::<f32, _>(i))),
                "DATE" => Value::Text(row.get::<NaiveDate, _>(i).to_string()),
                "TIMESTAMPTZ" => Value::Text(
                    row.get::<DateTime<Utc>, _>(i)
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                ),
                "TEXT[]" => Value::Text(row.get::<Vec<String>, _>(i).join(" ")),
                "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" | "UNKNOWN" => Value::Text(row.get(i)),
                other => panic!(
                    "column {} is {other}: cast it in the test's SQL \
                     (e.g. sum(…)::bigint, which SQLite takes too)",
                    c.name()
                ),
            }
        };
        values.push(value);
    }
    TestRow { names, values }
}

impl Db {
    /// The raw handle on `backend`'s database.
    pub fn of(backend: &Backend) -> Db {
        match (backend.as_sqlite(), backend.as_postgres()) {
            (Some(store), _) => Db::Sqlite(store.clone()),
            (_, Some(store)) => Db::Pg(store.clone()),
            _ => unreachable!("a backend is one of the two"),
        }
    }

    /// Rows of `sql` (one statement, no parameters).
    pub async fn rows(&self, sql: &str) -> Vec<TestRow> {
        let query = sqlx::AssertSqlSafe(sql.to_string());
        match self {
            Db::Sqlite(s) => sqlx::query(query)
                .fetch_all(s.pool())
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .iter()
                .map(sqlite_row)
                .collect(),
            Db::Pg(p) => sqlx::query(query)
                .fetch_all(p.pool())
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .iter()
                .map(pg_row)
                .collect(),
        }
    }

    /// The one integer `sql` answers (a count, an id).
    pub async fn count(&self, sql: &str) -> i64 {
        let rows = self.rows(sql).await;
        let row = rows.first().unwrap_or_else(|| panic!("{sql}: no row"));
        row.get(0)
    }

    /// Runs `sql` (one or more statements, no parameters); the error if
    /// the database refused it.
    pub async fn try_exec(&self, sql: &str) -> Result<(), sqlx::Error> {
        let query = sqlx::AssertSqlSafe(sql.to_string());
        match self {
            Db::Sqlite(s) => sqlx::raw_sql(query).execute(s.pool()).await.map(drop),
            Db::Pg(p) => sqlx::raw_sql(query).execute(p.pool()).await.map(drop),
        }
    }

    /// Runs `sql`, which must succeed.
    pub async fn exec(&self, sql: &str) {
        if let Err(e) = self.try_exec(sql).await {
            panic!("{sql}: {e}");
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Pg(_))
    }
}

/// A database of its own for a test, removed when this is dropped: a
/// SQLite file in `dir`, or a PostgreSQL database.
pub struct TestDatabase {
    /// What the server's `DATABASE_URL` would be.
    pub url: String,
    /// PostgreSQL: the database, dropped with this.
    _pg: Option<PgDatabase>,
}

/// A PostgreSQL database that is dropped with its guard.
struct PgDatabase {
    server: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        // Drop is not async, and the test's runtime may be the one
        // dropping: a runtime of its own on a thread of its own.
        let (server, name) = (self.server.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let admin = admin(&server).await;
                // `with (force)`: the portal's pool may still be open.
                let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "drop database if exists {name} with (force)"
                )))
                .execute(&admin)
                .await;
                admin.close().await;
            });
        })
        .join();
    }
}

/// A fresh database with the current schema and nothing in it, in `dir`
/// (SQLite) or on the PostgreSQL server (opened by whoever uses `url`).
pub async fn empty_database(dir: &std::path::Path) -> TestDatabase {
    match postgres_url() {
        None => TestDatabase {
            url: format!("sqlite://{}/portal.db", dir.display()),
            _pg: None,
        },
        Some(server) => {
            let template = EMPTY_TEMPLATE.get_or_init(|| empty_template(&server)).await;
            copy_of(&server, template).await
        }
    }
}

/// A database for a portal, opened: with the demo data set as of `today`
/// when `demo`.
pub async fn portal_database(
    dir: &std::path::Path,
    demo: bool,
    today: NaiveDate,
) -> (Backend, TestDatabase) {
    // On PostgreSQL the usual portal's data is generated once, into a
    // template.
    let from_template = demo && today == super::today();
    let (database, generated) = match postgres_url() {
        Some(server) if from_template => {
            let template = DEMO_TEMPLATE
                .get_or_init(|| demo_template(&server, today))
                .await;
            (copy_of(&server, template).await, true)
        }
        _ => (empty_database(dir).await, false),
    };
    let backend = Backend::connect(&database.url)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", database.url));
    if demo && !generated {
        server::demo::generate(backend.seed.as_ref(), DEMO_RECORDS, today, false)
            .await
            .unwrap();
    }
    (backend, database)
}

/// Records of the demo data set a portal starts with.
const DEMO_RECORDS: u32 = 1500;

static EMPTY_TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
static DEMO_TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL ends in /name");
    format!("{base}/{name}")
}

async fn admin(url: &str) -> sqlx::PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at DATABASE_URL ({url}) answers: {e}"))
}

async fn run(admin: &sqlx::PgPool, sql: String) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(admin)
        .await
        .map(drop)
}

/// Creates database `name` from `template`. A template just used is
/// briefly still "being accessed" while its last connection ends: then
/// again, a little later.
async fn create_from(admin: &sqlx::PgPool, name: &str, template: &str) {
    for attempt in 0.. {
        match run(admin, format!("create database {name} template {template}")).await {
            Ok(()) => return,
            Err(e) if attempt < 50 && e.to_string().contains("being accessed") => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("create database {name} template {template}: {e}"),
        }
    }
}

/// The template every portal's database is copied from: the current
/// schema, migrated once. UTF-8 with a UTF-8 ctype, as the store requires.
async fn empty_template(server: &str) -> String {
    let name = "hegang_it_template".to_string();
    let admin = admin(server).await;
    // Left by an earlier run (whose databases copied from it are gone).
    let _ = run(
        &admin,
        "drop database if exists hegang_it_demo with (force)".to_string(),
    )
    .await;
    let _ = run(
        &admin,
        format!("drop database if exists {name} with (force)"),
    )
    .await;
    run(
        &admin,
        format!(
            "create database {name} template template0 encoding 'UTF8' \
             lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'"
        ),
    )
    .await
    .unwrap();
    admin.close().await;
    // Migrated once; the pool closes so the template can be copied.
    let store = PgStore::connect(&with_database(server, &name))
        .await
        .unwrap();
    store.pool().close().await;
    name
}

/// The template of the usual portal: the empty one with the demo data set
/// as of `today` generated into it.
async fn demo_template(server: &str, today: NaiveDate) -> String {
    let empty = EMPTY_TEMPLATE.get_or_init(|| empty_template(server)).await;
    let name = "hegang_it_demo".to_string();
    let admin = admin(server).await;
    create_from(&admin, &name, empty).await;
    admin.close().await;
    let store = PgStore::connect(&with_database(server, &name))
        .await
        .unwrap();
    server::demo::generate(&store, DEMO_RECORDS, today, false)
        .await
        .unwrap();
    store.pool().close().await;
    name
}

/// A database of this test's own, copied from `template`.
async fn copy_of(server: &str, template: &str) -> TestDatabase {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let name = format!("hegang_it_{}_{n}", std::process::id());
    let admin = admin(server).await;
    create_from(&admin, &name, template).await;
    admin.close().await;
    TestDatabase {
        url: with_database(server, &name),
        _pg: Some(PgDatabase {
            server: server.to_string(),
            name,
        }),
    }
}
