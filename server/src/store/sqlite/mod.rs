//! The embedded SQLite store, the default: connection, migrations and the
//! public reads here; each other store trait in the module of its area
//! (`repair`, `staff`, `catalog`, `api_keys`, `feed`, `collect`,
//! `serious`), the writes that keep the projection in step in `writes`,
//! one transaction's steps in `write_tx`, and the one-time data steps of
//! old SQLite portals in `data_steps`.

pub mod api_keys;
pub mod catalog;
pub mod collect;
pub mod consent;
pub mod data_steps;
pub mod feed;
pub mod listing;
pub mod measures;
pub mod objection;
pub mod repair;
pub mod reports;
pub mod serious;
pub mod staff;
pub mod transparency;
pub mod write_tx;
pub mod writes;

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use app::domain::search_text::{
    fts_match_expr, fts_phrase_expr, query_tokens, query_trigrams, TRIGRAM_PHRASE_CHARS,
};
use app::domain::{CreditCode, Fen, PersonalBasis, PublicationRule, SubjectKind, Tier};
use app::model::{
    DepartmentOption, HomeStats, RecordKind, SearchHit, SearchPage, SearchQuery, SearchTarget,
};
use app::store::{
    Department, PublicEntry, Store, StoreError, StoredLicense, StoredPenalty, StoredSeriousEntry,
    StoredSubject,
};
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqlitePool};

use crate::store::columns::rule_columns;
use crate::store::projection::{department_token, key_range, kind_token};
use crate::store::refreshing::Refreshing;
use crate::store::search::{page, CountKey, COUNT_CACHE_KEYS, COUNT_CAP, HIT_COLUMNS, STATS_TTL};
use crate::store::seed::DEMO_DATA_SETTING;

/// At most this many bigrams (or trigrams) of a long query go to the index,
/// the rarest ones; the substring check on the public name makes the answer
/// exact whatever is left out. (fts5vocab's document counts were tried for
/// rarity: they scan whole doclists and cost more than they saved.)
const MAX_QUERY_GRAMS: usize = 3;

/// The name index of unigrams + bigrams and filter tokens (1–2-character
/// queries, and any query with a kind or department).
const BIGRAM_INDEX: &str = "public_fts";
/// The trigram name index (queries of three characters or more).
const TRIGRAM_INDEX: &str = "public_trgm";

/// The projection's generation, as a column of a page of hits.
const GENERATION: &str = "(select generation from projection_generation where id = 1)";

/// How many public names the bigram frequency estimate samples.
const FREQUENCY_SAMPLE: i64 = 20_000;

/// The home page's counts: records of each kind public on `today`.
async fn count_public(pool: SqlitePool, today: NaiveDate) -> Result<HomeStats, StoreError> {
    let today_s = today.to_string();
    let mut counts = [0u64; 3];
    for (slot, kind) in RecordKind::ALL.into_iter().enumerate() {
        let row = sqlx::query(
            "select count(*) from public_fts f cross join public_entries e on e.sort_key = f.rowid
             where public_fts match ? and e.until >= ?",
        )
        .bind(kind_token(kind))
        .bind(&today_s)
        .fetch_one(&pool)
        .await
        .map_err(db_err)?;
        counts[slot] = u64::try_from(row.get::<i64, _>(0)).unwrap_or(0);
    }
    Ok(HomeStats {
        penalties: counts[0],
        licenses: counts[1],
        serious: counts[2],
    })
}

/// How a text query is answered: which name index, its MATCH expression,
/// and the substring the public name must hold when the index alone is not
/// exact.
#[derive(Clone, Debug)]
struct TextPlan {
    index: &'static str,
    expr: String,
    substring: Option<String>,
}

/// Counts the results of `plan` (everything public when `None`) in the
/// sort-key `range`, up to [`COUNT_CAP`]; whether the count is exact.
async fn count_matches(
    pool: SqlitePool,
    plan: Option<TextPlan>,
    (lo, hi): (i64, i64),
    today: NaiveDate,
) -> Result<(i64, bool), StoreError> {
    let cap = COUNT_CAP + 1;
    let (sql, binds) = match plan {
        None => (
            "select count(*) from (select 1 from public_entries
             where sort_key between ? and ? and until >= ? limit ?)"
                .to_string(),
            vec![
                Bind::I(lo),
                Bind::I(hi),
                Bind::S(today.to_string()),
                Bind::I(cap),
            ],
        ),
        // The indexes hold only public records (the sweep removes ended
        // ones), so a count without a substring check needs no join.
        Some(TextPlan {
            index,
            expr,
            substring: None,
        }) => (
            format!(
                "select count(*) from (select rowid from {index}
                 where {index} match ? and rowid between ? and ? limit ?)"
            ),
            vec![Bind::S(expr), Bind::I(lo), Bind::I(hi), Bind::I(cap)],
        ),
        Some(TextPlan {
            index,
            expr,
            substring: Some(s),
        }) => (
            format!(
                "select count(*) from (select f.rowid from {index} f
                 cross join public_entries e on e.sort_key = f.rowid
                 where {index} match ? and f.rowid between ? and ? and instr(e.name_norm, ?) > 0
                 limit ?)"
            ),
            vec![
                Bind::S(expr),
                Bind::I(lo),
                Bind::I(hi),
                Bind::S(s),
                Bind::I(cap),
            ],
        ),
    };
    let mut query = sqlx::query(trusted_sql(&sql));
    for bind in binds {
        query = bind.apply(query);
    }
    let counted: i64 = query.fetch_one(&pool).await.map_err(db_err)?.get(0);
    Ok((counted.min(COUNT_CAP), counted <= COUNT_CAP))
}

pub(crate) fn db_err(err: sqlx::Error) -> StoreError {
    StoreError(err.to_string())
}

/// The SQLite implementation of [`Store`].
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    stats_cache: Arc<Refreshing<(), HomeStats, (NaiveDate, i64)>>,
    /// How many sampled public names hold each bigram and trigram, to pick
    /// the rarest of a long query's. Rebuilt by the sweep.
    gram_freq: Mutex<Option<Arc<HashMap<String, u32>>>>,
    /// Counts of search results per query and filters, at the projection's
    /// generation.
    count_cache: Arc<Refreshing<CountKey, (i64, bool), i64>>,
    departments_cache: Mutex<Option<(Instant, Vec<DepartmentOption>)>>,
    /// One delivery (sheet commit or push) per department at a time: see
    /// [`SqliteStore::delivery_turn`].
    delivery_turns: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

/// `BEGIN IMMEDIATE` on a connection of `pool`: see [`SqliteStore::write_tx`].
pub(crate) async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` and runs migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(db_err)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a change confirmed to a user survives a crash or power cut.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Each connection keeps its own page cache (SQLite is built
            // without the shared one, see .cargo/config.toml), so the
            // portal's memory for it is 8 × this: 16 MB each holds the
            // hot index pages, and the kernel's page cache holds the file.
            .pragma("cache_size", "-16384")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(2)
            // No ping before every query: an embedded database's connection
            // does not hang up, and the ping is a round trip to the
            // connection's thread (sqlx still pings once on release).
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(db_err)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError(format!("migration failed: {e}")))?;
        let store = Self {
            pool,
            stats_cache: Refreshing::serving_stale(STATS_TTL),
            gram_freq: Mutex::new(None),
            count_cache: Refreshing::exact(COUNT_CACHE_KEYS),
            departments_cache: Mutex::new(None),
            delivery_turns: Mutex::new(HashMap::new()),
        };
        store.seed_calendar_if_empty().await?;
        Ok(store)
    }

    /// A transaction that takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred one that reads first and writes later fails outright with
    /// SQLITE_BUSY when another writer commits in between, instead of waiting.
    pub(crate) async fn write_tx(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        begin_write(&self.pool).await
    }

    /// [`crate::store::delivery::DeliveryStore::turn`]: a mutex per department,
    /// first come first served. In-process is enough here: one process
    /// holds an embedded database.
    pub async fn delivery_turn(&self, department_id: i64) -> crate::store::delivery::DeliveryTurn {
        let turn = {
            let mut turns = self
                .delivery_turns
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            turns.entry(department_id).or_default().clone()
        };
        crate::store::delivery::DeliveryTurn::new(department_id, turn.lock_owned().await)
    }

    /// The connection pool, for tools and tests that inspect the database.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// True when the database holds no subjects yet (first run).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("select exists(select 1 from subjects)")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(!row.get::<bool, _>(0))
    }

    /// Whether the demo data set was generated into this database (its
    /// subjects and decisions are fictional, and every page must say so).
    pub async fn holds_demo_data(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("select exists(select 1 from settings where key = ?)")
            .bind(DEMO_DATA_SETTING)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.get::<bool, _>(0))
    }

    async fn load_subject(&self, id: i64) -> Result<StoredSubject, StoreError> {
        let row = sqlx::query(
            "select id, kind, name, credit_code, id_number, representative
             from subjects where id = ?",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        subject_from_row(&row, 0)
    }

    async fn load_department(&self, id: i64) -> Result<Department, StoreError> {
        let row = sqlx::query(
            "select id, code, name, credit_code, division_code from departments where id = ?",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Department {
            id: row.get(0),
            code: row.get(1),
            name: row.get(2),
            credit_code: row.get(3),
            division_code: row.get(4),
        })
    }

    /// The rules (and catalog item names) a record falls under. A rule of a
    /// catalog item that is not public counts as unpublished.
    async fn load_rules(
        &self,
        kind: &str,
        record_id: i64,
    ) -> Result<(Vec<PublicationRule>, Vec<String>), StoreError> {
        let rows = sqlx::query(concat!(
            "select ",
            rule_columns!(),
            ", i.name
             from record_rules rr
             join catalog_rules r on r.id = rr.rule_id
             join catalog_items i on i.id = r.item_id
             where rr.record_kind = ? and rr.record_id = ?
             order by r.id"
        ))
        .bind(kind)
        .bind(record_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let mut rules = Vec::with_capacity(rows.len());
        let mut names = Vec::with_capacity(rows.len());
        for row in rows {
            rules.push(rule_from_row(&row)?);
            names.push(row.get(8));
        }
        Ok((rules, names))
    }

    async fn fetch_hits(&self, sql: &str, binds: Vec<Bind>) -> Result<Vec<SearchHit>, StoreError> {
        let mut query = sqlx::query(trusted_sql(sql));
        for bind in binds {
            query = bind.apply(query);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(hit_from_row).collect()
    }

    /// Hits whose last column is the projection's generation (the same in
    /// every row: one statement reads one snapshot).
    async fn fetch_page(
        &self,
        sql: &str,
        binds: Vec<Bind>,
    ) -> Result<(Vec<SearchHit>, Option<i64>), StoreError> {
        let mut query = sqlx::query(trusted_sql(sql));
        for bind in binds {
            query = bind.apply(query);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(db_err)?;
        let generation = rows.first().map(|r| r.get::<i64, _>(8));
        let hits = rows.iter().map(hit_from_row).collect::<Result<_, _>>()?;
        Ok((hits, generation))
    }

    async fn fetch_count(&self, sql: &str, binds: Vec<Bind>) -> Result<i64, StoreError> {
        let mut query = sqlx::query(trusted_sql(sql));
        for bind in binds {
            query = bind.apply(query);
        }
        let row = query.fetch_one(&self.pool).await.map_err(db_err)?;
        Ok(row.get(0))
    }

    /// Bigram and trigram counts over a sample of public names, built on
    /// first use.
    async fn gram_frequencies(&self) -> Result<Arc<HashMap<String, u32>>, StoreError> {
        if let Some(freq) = self.gram_freq.lock().ok().and_then(|f| f.clone()) {
            return Ok(freq);
        }
        self.count_gram_frequencies().await
    }

    /// Samples the public names again and replaces the estimate. The old
    /// one serves until the new one is there: with none, every long query
    /// would sample the names itself at once.
    async fn count_gram_frequencies(&self) -> Result<Arc<HashMap<String, u32>>, StoreError> {
        let total: i64 = self
            .fetch_count("select count(*) from public_entries", vec![])
            .await?;
        let step = (total / FREQUENCY_SAMPLE).max(1);
        let rows =
            sqlx::query("select name_norm from public_entries where sort_key % ? = 0 limit ?")
                .bind(step)
                .bind(FREQUENCY_SAMPLE)
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
        let mut freq: HashMap<String, u32> = HashMap::new();
        for row in rows {
            let name: String = row.get(0);
            let chars: Vec<char> = name.chars().collect();
            let mut grams: Vec<String> = chars
                .windows(2)
                .chain(chars.windows(3))
                .map(|w| w.iter().collect())
                .collect();
            grams.sort_unstable();
            grams.dedup();
            for gram in grams {
                *freq.entry(gram).or_default() += 1;
            }
        }
        let freq = Arc::new(freq);
        if let Ok(mut slot) = self.gram_freq.lock() {
            *slot = Some(freq.clone());
        }
        Ok(freq)
    }

    /// Keeps the `MAX_QUERY_GRAMS` rarest of `grams` (all when few).
    async fn rarest(&self, mut grams: Vec<String>) -> Result<Vec<String>, StoreError> {
        if grams.len() > MAX_QUERY_GRAMS {
            let freq = self.gram_frequencies().await?;
            // Rarest first: intersecting rare doclists is what keeps long
            // queries fast (FTS5 reads every chosen term's whole doclist).
            grams.sort_by_key(|t| freq.get(t).copied().unwrap_or(0));
            grams.truncate(MAX_QUERY_GRAMS);
        }
        Ok(grams)
    }

    /// How a text query is answered, or `None` when it has neither text
    /// nor filters.
    async fn text_plan(&self, q: &SearchQuery) -> Result<Option<TextPlan>, StoreError> {
        let chars = q.text.chars().count();
        // Three characters or more, no kind or department: the trigram
        // index. (Its names carry no filter tokens; a kind or department is
        // narrower as a token of the bigram index than checked row by row.)
        if chars >= 3 && q.kind.is_none() && q.department_id.is_none() {
            if chars <= TRIGRAM_PHRASE_CHARS {
                return Ok(Some(TextPlan {
                    index: TRIGRAM_INDEX,
                    expr: fts_phrase_expr(&q.text),
                    substring: None,
                }));
            }
            let trigrams = self.rarest(query_trigrams(&q.text)).await?;
            return Ok(Some(TextPlan {
                index: TRIGRAM_INDEX,
                expr: fts_match_expr(&trigrams),
                substring: Some(q.text.clone()),
            }));
        }
        let tokens = self.rarest(query_tokens(&q.text)).await?;
        let mut terms = Vec::new();
        if !tokens.is_empty() {
            terms.push(fts_match_expr(&tokens));
        }
        if let Some(kind) = q.kind {
            terms.push(kind_token(kind));
        }
        if let Some(dept) = q.department_id {
            terms.push(department_token(dept));
        }
        // Bigrams ANDed can match names that hold them apart, and a long
        // query uses only some of its bigrams: a query of three or more
        // characters is checked as a substring of the public name.
        let substring = (chars >= 3).then(|| q.text.clone());
        Ok((!terms.is_empty()).then(|| TextPlan {
            index: BIGRAM_INDEX,
            expr: terms.join(" AND "),
            substring,
        }))
    }

    /// The first (or `q.page`-th) page of a text query, newest first.
    pub async fn text_hits(
        &self,
        q: &SearchQuery,
        today: NaiveDate,
        per_page: u32,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let plan = self.text_plan(q).await?;
        Ok(self.text_page(plan.as_ref(), q, today, per_page).await?.0)
    }

    /// A page of results under `plan`, and the projection's generation they
    /// were read at (`None` when the page is empty).
    async fn text_page(
        &self,
        plan: Option<&TextPlan>,
        q: &SearchQuery,
        today: NaiveDate,
        per_page: u32,
    ) -> Result<(Vec<SearchHit>, Option<i64>), StoreError> {
        let (lo, hi) = key_range(q.from, q.to);
        let offset = i64::from(q.page.saturating_sub(1)) * i64::from(per_page);
        let today_s = today.to_string();
        let Some(plan) = plan else {
            // No text, no filter: newest first straight from the projection.
            return self
                .fetch_page(
                    &format!(
                        "select {HIT_COLUMNS}, {GENERATION} from public_entries e
                         where e.sort_key between ? and ? and e.until >= ?
                         order by e.sort_key desc limit ? offset ?"
                    ),
                    vec![
                        Bind::I(lo),
                        Bind::I(hi),
                        Bind::S(today_s),
                        Bind::I(per_page.into()),
                        Bind::I(offset),
                    ],
                )
                .await;
        };
        let substring_clause = if plan.substring.is_some() {
            "and instr(e.name_norm, ?) > 0"
        } else {
            ""
        };
        // CROSS JOIN keeps the FTS index as the outer loop, read in rowid
        // (= display) order, so LIMIT stops early.
        let index = plan.index;
        let sql = format!(
            "select {HIT_COLUMNS}, {GENERATION} from {index} f cross join public_entries e on e.sort_key = f.rowid
             where {index} match ? and f.rowid between ? and ? and e.until >= ? {substring_clause}
             order by f.rowid desc limit ? offset ?"
        );
        let mut binds = vec![
            Bind::S(plan.expr.clone()),
            Bind::I(lo),
            Bind::I(hi),
            Bind::S(today_s),
        ];
        if let Some(s) = &plan.substring {
            binds.push(Bind::S(s.clone()));
        }
        binds.push(Bind::I(per_page.into()));
        binds.push(Bind::I(offset));
        self.fetch_page(&sql, binds).await
    }

    /// The number of results of a text query, and whether it is exact
    /// (false when it reached [`COUNT_CAP`]), counted now (no cache).
    pub async fn text_count(
        &self,
        q: &SearchQuery,
        today: NaiveDate,
    ) -> Result<(i64, bool), StoreError> {
        let plan = self.text_plan(q).await?;
        count_matches(self.pool.clone(), plan, key_range(q.from, q.to), today).await
    }

    /// The count of a text query as of the projection's `generation`: kept
    /// until the projection changes, computed once however many ask.
    async fn cached_count(
        &self,
        plan: Option<TextPlan>,
        q: &SearchQuery,
        today: NaiveDate,
        generation: i64,
    ) -> Result<(i64, bool), StoreError> {
        let key = CountKey {
            text: q.text.clone(),
            kind: q.kind,
            department_id: q.department_id,
            from: q.from,
            to: q.to,
            today,
        };
        let pool = self.pool.clone();
        let range = key_range(q.from, q.to);
        self.count_cache
            .get(key, generation, move || {
                count_matches(pool, plan, range, today)
            })
            .await
    }

    /// The projection's generation now.
    async fn generation(&self) -> Result<i64, StoreError> {
        self.fetch_count(
            "select generation from projection_generation where id = 1",
            vec![],
        )
        .await
    }

    /// A text query's page and count: the count comes from the page when
    /// the page holds every result, else from the cache.
    async fn text_search(
        &self,
        q: &SearchQuery,
        today: NaiveDate,
        per_page: u32,
    ) -> Result<SearchPage, StoreError> {
        let plan = self.text_plan(q).await?;
        let (hits, generation) = self.text_page(plan.as_ref(), q, today, per_page).await?;
        let (total, exact) = if q.page <= 1 && hits.len() < per_page as usize {
            (hits.len() as i64, true)
        } else {
            let generation = match generation {
                Some(g) => g,
                // Past the last page: nothing read the generation yet.
                None => self.generation().await?,
            };
            self.cached_count(plan, q, today, generation).await?
        };
        Ok(page(hits, total, exact, q.page, per_page))
    }

    /// Exact lookups (credit code or document number) with the same filters.
    async fn search_exact(
        &self,
        column: &str,
        value: &str,
        q: &SearchQuery,
        today: NaiveDate,
        per_page: u32,
    ) -> Result<SearchPage, StoreError> {
        let (lo, hi) = key_range(q.from, q.to);
        let offset = i64::from(q.page.saturating_sub(1)) * i64::from(per_page);
        let mut filter = format!("e.{column} = ? and e.sort_key between ? and ? and e.until >= ?");
        let mut binds = vec![
            Bind::S(value.to_string()),
            Bind::I(lo),
            Bind::I(hi),
            Bind::S(today.to_string()),
        ];
        if let Some(kind) = q.kind {
            filter.push_str(" and e.record_kind = ?");
            binds.push(Bind::S(kind.code().to_string()));
        }
        if let Some(dept) = q.department_id {
            filter.push_str(" and e.department_id = ?");
            binds.push(Bind::I(dept));
        }
        let total = self
            .fetch_count(
                &format!("select count(*) from public_entries e where {filter}"),
                binds.clone(),
            )
            .await?;
        binds.push(Bind::I(per_page.into()));
        binds.push(Bind::I(offset));
        let hits = self
            .fetch_hits(
                &format!(
                    "select {HIT_COLUMNS} from public_entries e where {filter}
                     order by e.sort_key desc limit ? offset ?"
                ),
                binds,
            )
            .await?;
        Ok(page(hits, total, true, q.page, per_page))
    }
}

/// A publication rule from the first eight columns (`rule_columns!`). A
/// rule of a catalog item that is not public counts as unpublished.
pub(crate) fn rule_from_row(row: &SqliteRow) -> Result<PublicationRule, StoreError> {
    rule_from_row_at(row, 0)
}

/// A publication rule from the eight `rule_columns!` starting at `o`.
pub(crate) fn rule_from_row_at(row: &SqliteRow, o: usize) -> Result<PublicationRule, StoreError> {
    let tier: String = row.get(o);
    let disclosure: String = row.get(o + 7);
    Ok(PublicationRule {
        tier: Tier::from_code(&tier).ok_or_else(|| StoreError(format!("unknown tier {tier}")))?,
        published: row.get::<bool, _>(o + 1) && disclosure == "public",
        min_months: row.get::<u32, _>(o + 2),
        max_months: row.get::<u32, _>(o + 3),
        repairable: row.get(o + 4),
        version: row.get::<u32, _>(o + 5),
        effective_from: row.get(o + 6),
    })
}

/// SQL assembled in this file from constant fragments only (column lists,
/// optional clauses); every value is a bound parameter, so no input reaches
/// the SQL text.
fn trusted_sql(sql: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql.to_string())
}

fn hit_from_row(row: &SqliteRow) -> Result<SearchHit, StoreError> {
    let kind: String = row.get(0);
    Ok(SearchHit {
        kind: RecordKind::from_code(&kind)
            .ok_or_else(|| StoreError(format!("unknown record kind {kind}")))?,
        id: row.get(1),
        name: row.get(2),
        credit_code: row.get(3),
        doc_no: row.get(4),
        department: row.get(5),
        decision_date: row.get(6),
        summary: row.get(7),
    })
}

/// A value bound to a dynamically built query.
#[derive(Clone)]
enum Bind {
    I(i64),
    S(String),
}

impl Bind {
    fn apply<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
        match self {
            Bind::I(v) => query.bind(v),
            Bind::S(v) => query.bind(v),
        }
    }
}

/// Reads a subject from six columns starting at `at`:
/// id, kind, name, credit_code, id_number, representative.
fn subject_from_row(row: &SqliteRow, at: usize) -> Result<StoredSubject, StoreError> {
    let kind: String = row.get(at + 1);
    Ok(StoredSubject {
        id: row.get(at),
        kind: SubjectKind::from_code(&kind)
            .ok_or_else(|| StoreError(format!("unknown subject kind {kind}")))?,
        name: row.get(at + 2),
        credit_code: row.get(at + 3),
        id_number: row.get(at + 4),
        representative: row.get(at + 5),
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn search(
        &self,
        target: &SearchTarget,
        today: NaiveDate,
        per_page: u32,
    ) -> Result<SearchPage, StoreError> {
        match target {
            SearchTarget::Text(q) => self.text_search(q, today, per_page).await,
            SearchTarget::CreditCode(code, q) => {
                self.search_exact("credit_code", code, q, today, per_page)
                    .await
            }
            SearchTarget::DocumentNumber(doc, q) => {
                self.search_exact("doc_no", doc, q, today, per_page).await
            }
        }
    }

    async fn penalty(&self, id: i64) -> Result<Option<StoredPenalty>, StoreError> {
        let Some(row) = sqlx::query(
            "select id, subject_id, doc_no, violation_type, facts, basis, categories, content,
                    fine_fen, confiscated_fen, license_action, decision_date, valid_until,
                    department_id, source_department_id, note, repaired_on, personal_basis,
                    consent_ref
             from penalties where id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        else {
            return Ok(None);
        };
        let (rules, catalog_items) = self.load_rules("penalty", id).await?;
        let categories: String = row.get(6);
        Ok(Some(StoredPenalty {
            id: row.get(0),
            subject: self.load_subject(row.get(1)).await?,
            doc_no: row.get(2),
            violation_type: row.get(3),
            facts: row.get(4),
            basis: row.get(5),
            categories: categories.split('、').map(str::to_string).collect(),
            content: row.get(7),
            fine: row.get::<Option<i64>, _>(8).map(Fen),
            confiscated: row.get::<Option<i64>, _>(9).map(Fen),
            license_action: row.get(10),
            decision_date: row.get(11),
            valid_until: row.get(12),
            authority: self.load_department(row.get(13)).await?,
            source: self.load_department(row.get(14)).await?,
            note: row.get(15),
            catalog_items,
            rules,
            repaired_on: row.get(16),
            personal_basis: PersonalBasis::from_stored(row.get(17), row.get(18)),
        }))
    }

    async fn license(&self, id: i64) -> Result<Option<StoredLicense>, StoreError> {
        let Some(row) = sqlx::query(
            "select id, subject_id, doc_name, doc_no, category, cert_name, cert_no, content,
                    decision_date, valid_from, valid_to, department_id, source_department_id,
                    state, note, personal_basis, consent_ref
             from licenses where id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        else {
            return Ok(None);
        };
        let (rules, catalog_items) = self.load_rules("license", id).await?;
        Ok(Some(StoredLicense {
            id: row.get(0),
            subject: self.load_subject(row.get(1)).await?,
            doc_name: row.get(2),
            doc_no: row.get(3),
            category: row.get(4),
            cert_name: row.get(5),
            cert_no: row.get(6),
            content: row.get(7),
            decision_date: row.get(8),
            valid_from: row.get(9),
            valid_to: row.get(10),
            authority: self.load_department(row.get(11)).await?,
            source: self.load_department(row.get(12)).await?,
            state: row.get(13),
            note: row.get(14),
            catalog_items,
            rules,
            personal_basis: PersonalBasis::from_stored(row.get(15), row.get(16)),
        }))
    }

    async fn serious_entry(&self, id: i64) -> Result<Option<StoredSeriousEntry>, StoreError> {
        let Some(row) = sqlx::query(
            "select id, subject_id, list_name, reason, basis, doc_no, department_id, listed_on,
                    until, measures, removal_conditions, remedies, grounds_penalty_id, ended_on,
                    domain_code
             from serious_entries where id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        else {
            return Ok(None);
        };
        let domain = match row.get::<Option<String>, _>(14) {
            Some(code) => app::store::serious::SeriousDomainStore::domain(self, &code).await?,
            None => None,
        };
        Ok(Some(StoredSeriousEntry {
            id: row.get(0),
            subject: self.load_subject(row.get(1)).await?,
            list_name: row.get(2),
            reason: row.get(3),
            basis: row.get(4),
            doc_no: row.get(5),
            authority: self.load_department(row.get(6)).await?,
            listed_on: row.get(7),
            until: row.get(8),
            measures: row.get(9),
            removal_conditions: row.get(10),
            remedies: row.get(11),
            grounds_penalty_id: row.get(12),
            ended_on: row.get(13),
            domain,
        }))
    }

    async fn subject_by_code(
        &self,
        code: &CreditCode,
    ) -> Result<Option<StoredSubject>, StoreError> {
        let row = sqlx::query(
            "select id, kind, name, credit_code, id_number, representative
             from subjects where credit_code = ?",
        )
        .bind(code.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(|r| subject_from_row(&r, 0)).transpose()
    }

    async fn subject_public_entries(
        &self,
        subject_id: i64,
        today: NaiveDate,
    ) -> Result<Vec<PublicEntry>, StoreError> {
        let rows = sqlx::query(trusted_sql(&format!(
            "select {HIT_COLUMNS}, e.until from public_entries e
             where e.subject_id = ? and e.until >= ?
             order by e.sort_key desc limit 500"
        )))
        .bind(subject_id)
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|row| {
                Ok(PublicEntry {
                    hit: hit_from_row(row)?,
                    until: row.get(8),
                })
            })
            .collect()
    }

    async fn departments(&self) -> Result<Vec<DepartmentOption>, StoreError> {
        // Asked on every search page; departments change rarely.
        if let Some((at, list)) = self.departments_cache.lock().ok().and_then(|c| c.clone()) {
            if at.elapsed() < STATS_TTL {
                return Ok(list);
            }
        }
        let rows = sqlx::query(
            // Departments with catalog items are the ones that publish
            // records (the catalog is small; public_entries is not).
            "select id, name from departments d
             where exists (select 1 from catalog_items i where i.department_id = d.id)
             order by id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let list: Vec<DepartmentOption> = rows
            .iter()
            .map(|r| DepartmentOption {
                id: r.get(0),
                name: r.get(1),
            })
            .collect();
        if let Ok(mut cache) = self.departments_cache.lock() {
            *cache = Some((Instant::now(), list.clone()));
        }
        Ok(list)
    }

    async fn stats(&self, today: NaiveDate) -> Result<HomeStats, StoreError> {
        // Over a second at a million records: served from a cache that
        // refreshes in the background, never by the requests that find it old,
        // and only when the day or the projection changed (at most once a
        // minute): counting a million rows every minute for nothing took a
        // core for a second and showed in everyone's slowest requests.
        // Within that minute the version cannot matter: no query for it.
        if let Some(stats) = self.stats_cache.recent(&()) {
            return Ok(stats);
        }
        let generation = self.generation().await?;
        let pool = self.pool.clone();
        self.stats_cache
            .get((), (today, generation), move || count_public(pool, today))
            .await
    }

    async fn latest(
        &self,
        kind: RecordKind,
        today: NaiveDate,
        limit: u32,
    ) -> Result<Vec<SearchHit>, StoreError> {
        // Straight down the projection's primary key (newest first; NOT
        // INDEXED keeps the planner off the kind index, which would sort every
        // row of the kind): kinds interleave, so a few dozen rows give the
        // newest of penalties and licences, nearly all rows. (Asking the FTS
        // index for a kind token in descending order reads its whole doclist.)
        self.fetch_hits(
            &format!(
                "select {HIT_COLUMNS} from public_entries e not indexed
                 where e.record_kind = ? and e.until >= ?
                 order by e.sort_key desc limit ?"
            ),
            vec![
                Bind::S(kind.code().to_string()),
                Bind::S(today.to_string()),
                Bind::I(limit.into()),
            ],
        )
        .await
    }

    async fn sweep_ended(&self, today: NaiveDate) -> Result<u64, StoreError> {
        let today_s = today.to_string();
        let mut tx = self.write_tx().await.map_err(db_err)?;
        // The export feed hears of every record whose publication ended.
        sqlx::query(
            "insert into record_changes (at, record_kind, record_id, department_id, change, actor)
             select ?, record_kind, record_id, department_id, 'ended', 'system'
             from public_entries where until < ?",
        )
        .bind(crate::store::register::ts(chrono::Utc::now()))
        .bind(&today_s)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let removed = writes::unpublish_ended(&mut tx, &today_s).await?;
        tx.commit().await.map_err(db_err)?;
        if removed > 0 {
            self.stats_cache.mark_stale();
            // Names changed: a new estimate now, not on a user's query.
            self.count_gram_frequencies().await?;
        } else {
            // Nothing changed: only the first sweep (at start-up) counts.
            self.gram_frequencies().await?;
        }
        Ok(removed)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("select 1")
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
