//! The store traits, one set of tests for both databases: every test runs
//! against the embedded SQLite store and against PostgreSQL.
//!
//! PostgreSQL is the server at `DATABASE_URL_PG` (`.ci/test` starts a
//! throwaway one with `.ci/pg`); each test gets a database of its own,
//! copied from a template migrated once. Without `DATABASE_URL_PG` the
//! PostgreSQL half is skipped with a note, unless `HEGANG_REQUIRE_PG=1`
//! (CI sets it), which makes a missing server a failure.

mod catalog;
mod copy;
mod delivery;
mod keys;
mod limits;
mod objection;
mod public;
mod repair;
mod seed;
mod staff;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use server::store::postgres::PgStore;
use server::store::SqliteStore;

/// One database under test, with the traits as the portal holds them.
pub struct Db {
    pub name: &'static str,
    pub keys: Arc<dyn app::store::KeyStore>,
    pub staff: Arc<dyn app::store::StaffStore>,
    pub repair: Arc<dyn app::store::RepairStore>,
    pub collect: Arc<dyn app::store::CollectStore>,
    pub seed: Arc<dyn server::store::seed::Seed>,
    pub store: Arc<dyn app::store::Store>,
    pub catalog: Arc<dyn app::store::CatalogStore>,
    pub deliveries: Arc<dyn server::store::delivery::DeliveryStore>,
    pub objections: Arc<dyn app::store::ObjectionStore>,
    /// Runs SQL that both databases understand (fixtures).
    raw: Raw,
    /// PostgreSQL: the database's URL, for a second app server on it.
    pub url: Option<String>,
    _dir: Option<TempDir>,
}

enum Raw {
    Sqlite(Arc<SqliteStore>),
    Pg(Arc<PgStore>),
}

impl Db {
    /// Runs `sql` (one or more statements, no parameters).
    pub async fn exec(&self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match &self.raw {
            Raw::Sqlite(s) => {
                sqlx::raw_sql(sql).execute(s.pool()).await.unwrap();
            }
            Raw::Pg(p) => {
                sqlx::raw_sql(sql).execute(p.pool()).await.unwrap();
            }
        }
    }

    /// Opens `n` connections at once and keeps them in the pool, so that
    /// concurrent calls really run at the same time (a pool still opening
    /// connections hands one out after another).
    pub async fn warm(&self, n: usize) {
        if let Raw::Pg(p) = &self.raw {
            let mut held = Vec::new();
            for _ in 0..n {
                held.push(p.pool().acquire().await.unwrap());
            }
        }
    }

    /// Runs `sql`; whether the database took it.
    pub async fn try_exec(&self, sql: &str) -> bool {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match &self.raw {
            Raw::Sqlite(s) => sqlx::raw_sql(sql).execute(s.pool()).await.is_ok(),
            Raw::Pg(p) => sqlx::raw_sql(sql).execute(p.pool()).await.is_ok(),
        }
    }

    /// The first column of the first row of `sql`, as an integer.
    pub async fn count(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match &self.raw {
            Raw::Sqlite(s) => sqlx::query_scalar(sql).fetch_one(s.pool()).await.unwrap(),
            Raw::Pg(p) => sqlx::query_scalar(sql).fetch_one(p.pool()).await.unwrap(),
        }
    }
}

/// A directory removed when dropped.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

async fn sqlite() -> Db {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("hegang-stores-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/portal.db", dir.display());
    let store = Arc::new(SqliteStore::connect(&url).await.unwrap());
    Db {
        name: "sqlite",
        keys: store.clone(),
        staff: store.clone(),
        repair: store.clone(),
        collect: store.clone(),
        seed: store.clone(),
        store: store.clone(),
        catalog: store.clone(),
        deliveries: store.clone(),
        objections: store.clone(),
        raw: Raw::Sqlite(store),
        url: None,
        _dir: Some(TempDir(dir)),
    }
}

/// The template every test's PostgreSQL database is copied from.
const TEMPLATE: &str = "hegang_stores_template";

static TEMPLATE_READY: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

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
        .expect("PostgreSQL at DATABASE_URL_PG answers")
}

async fn postgres(url: &str) -> Db {
    TEMPLATE_READY
        .get_or_init(|| async {
            let admin = admin(url).await;
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "drop database if exists {TEMPLATE}"
            )))
            .execute(&admin)
            .await;
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "create database {TEMPLATE} template template0 encoding 'UTF8' \
                 lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'"
            )))
            .execute(&admin)
            .await
            .unwrap();
            admin.close().await;
            // Migrated once; the pool closes so the template can be copied.
            let store = PgStore::connect(&with_database(url, TEMPLATE))
                .await
                .unwrap();
            store.pool().close().await;
        })
        .await;
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let name = format!("hegang_stores_{}_{n}", std::process::id());
    let admin = admin(url).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "create database {name} template {TEMPLATE}"
    )))
    .execute(&admin)
    .await
    .unwrap();
    admin.close().await;
    let url = with_database(url, &name);
    let store = Arc::new(PgStore::connect(&url).await.unwrap());
    Db {
        name: "postgres",
        keys: store.clone(),
        staff: store.clone(),
        repair: store.clone(),
        collect: store.clone(),
        seed: store.clone(),
        store: store.clone(),
        catalog: store.clone(),
        deliveries: store.clone(),
        objections: store.clone(),
        raw: Raw::Pg(store),
        url: Some(url),
        _dir: None,
    }
}

/// Every database to run a test on.
pub async fn databases() -> Vec<Db> {
    let mut all = vec![sqlite().await];
    match std::env::var("DATABASE_URL_PG") {
        Ok(url) if !url.is_empty() => all.push(postgres(&url).await),
        _ if std::env::var("HEGANG_REQUIRE_PG").as_deref() == Ok("1") => {
            panic!("HEGANG_REQUIRE_PG=1 but DATABASE_URL_PG is not set (bash .ci/pg start)")
        }
        _ => eprintln!("DATABASE_URL_PG is not set: PostgreSQL skipped (bash .ci/pg start)"),
    }
    all
}

/// The districts and departments most tests need: department 7 (市场监管)
/// and 8 (税务), as plain SQL both databases take.
pub async fn departments(db: &Db) {
    db.exec(
        "insert into districts (code, name) values ('230402', '向阳区');
         insert into departments (id, code, name, short_name, credit_code, division_code)
         values (7, 'scjg', '鹤岗市市场监督管理局', '鹤市监', '11230400MB0000000X', '230402'),
                (8, 'sw', '国家税务总局鹤岗市税务局', '鹤税', '11230400MB0000001X', '230402');",
    )
    .await;
}
