//! The database the portal runs on, chosen by `DATABASE_URL`: embedded
//! SQLite (`sqlite://…`, the default) or PostgreSQL (`postgres://…`), as
//! the trait objects the rest of the server uses. Nothing outside this
//! module and the stores themselves names a database.

use std::sync::Arc;

use app::store::{
    listing::ListingStore, measures::MeasureStore, objection::ObjectionStore, reports::ReportStore,
    serious::SeriousDomainStore, CatalogStore, CollectStore, ConsentStore, FeedStore, KeyStore,
    RepairStore, StaffStore, Store, StoreError, TransparencyStore,
};
use chrono::NaiveDate;

use super::delivery::DeliveryStore;
use super::postgres::PgStore;
use super::seed::Seed;
use super::transparency::CachedTransparency;
use super::SqliteStore;
use crate::limits::{Buckets, MemoryBuckets};

/// Every store over one database.
#[derive(Clone)]
pub struct Backend {
    pub public: Arc<dyn Store>,
    pub repair: Arc<dyn RepairStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub staff: Arc<dyn StaffStore>,
    pub catalog: Arc<dyn CatalogStore>,
    pub keys: Arc<dyn KeyStore>,
    pub feed: Arc<dyn FeedStore>,
    pub collect: Arc<dyn CollectStore>,
    pub serious: Arc<dyn SeriousDomainStore>,
    pub listings: Arc<dyn ListingStore>,
    pub objections: Arc<dyn ObjectionStore>,
    pub measures: Arc<dyn MeasureStore>,
    pub reports: Arc<dyn ReportStore>,
    /// The transparency figures' sources, read at most once a minute.
    pub transparency: Arc<dyn TransparencyStore>,
    pub deliveries: Arc<dyn DeliveryStore>,
    pub seed: Arc<dyn Seed>,
    /// Where the public read limits' buckets are: this process's memory
    /// on one machine, the database when app servers share it.
    pub buckets: Arc<dyn Buckets>,
    database: Database,
}

/// What only one of the databases does.
#[derive(Clone)]
enum Database {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PgStore>),
}

/// Whether `url` names a PostgreSQL database.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Backend {
    /// Opens the database at `url` and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Ok(if is_postgres(url) {
            Self::postgres(Arc::new(PgStore::connect(url).await?))
        } else {
            Self::sqlite(Arc::new(SqliteStore::connect(url).await?))
        })
    }

    pub fn sqlite(store: Arc<SqliteStore>) -> Self {
        Backend {
            public: store.clone(),
            repair: store.clone(),
            consents: store.clone(),
            staff: store.clone(),
            catalog: store.clone(),
            keys: store.clone(),
            feed: store.clone(),
            collect: store.clone(),
            serious: store.clone(),
            listings: store.clone(),
            objections: store.clone(),
            measures: store.clone(),
            reports: store.clone(),
            transparency: Arc::new(CachedTransparency::new(store.clone())),
            deliveries: store.clone(),
            seed: store.clone(),
            buckets: Arc::new(MemoryBuckets::default()),
            database: Database::Sqlite(store),
        }
    }

    pub fn postgres(store: Arc<PgStore>) -> Self {
        Backend {
            public: store.clone(),
            repair: store.clone(),
            consents: store.clone(),
            staff: store.clone(),
            catalog: store.clone(),
            keys: store.clone(),
            feed: store.clone(),
            collect: store.clone(),
            serious: store.clone(),
            listings: store.clone(),
            objections: store.clone(),
            measures: store.clone(),
            reports: store.clone(),
            transparency: Arc::new(CachedTransparency::new(store.clone())),
            deliveries: store.clone(),
            seed: store.clone(),
            buckets: store.clone(),
            database: Database::Postgres(store),
        }
    }

    /// The database's name, for the log.
    pub fn name(&self) -> &'static str {
        match self.database {
            Database::Sqlite(_) => "SQLite",
            Database::Postgres(_) => "PostgreSQL",
        }
    }

    /// The embedded store, when this is one (the copy to PostgreSQL reads it).
    pub fn as_sqlite(&self) -> Option<&Arc<SqliteStore>> {
        match &self.database {
            Database::Sqlite(store) => Some(store),
            Database::Postgres(_) => None,
        }
    }

    /// The PostgreSQL store, when this is one.
    pub fn as_postgres(&self) -> Option<&Arc<PgStore>> {
        match &self.database {
            Database::Postgres(store) => Some(store),
            Database::Sqlite(_) => None,
        }
    }

    /// One-off corrections of data written by earlier versions (SQLite
    /// portals only: a PostgreSQL database starts from the current schema).
    pub async fn run_data_steps(&self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        match &self.database {
            Database::Sqlite(store) => store.run_data_steps(today).await,
            Database::Postgres(_) => Ok(Vec::new()),
        }
    }
}
