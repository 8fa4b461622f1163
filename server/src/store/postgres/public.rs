//! The public reads on PostgreSQL (`app::store::Store`): records, subjects,
//! the home page's counts, and search over the projection.
//!
//! Search follows the measurements in ARCHITECTURE.md: a query of one or
//! two characters, or one with a kind or department, is a containment of
//! its unigram/bigram tokens (and the filter tokens) in `tokens` (GIN); a
//! query of three characters or more without filters is a substring of the
//! normalised public name (`pg_trgm` GIN). Both read newest first by the
//! sort key, and counts stop at [`COUNT_CAP`] + 1 rows.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use app::domain::search_text::{normalize, query_tokens};
use app::domain::{CreditCode, Fen, PersonalBasis, PublicationRule, SubjectKind};
use app::model::{
    DepartmentOption, HomeStats, RecordKind, SearchHit, SearchPage, SearchQuery, SearchTarget,
};
use app::store::{
    Department, PublicEntry, Store, StoreError, StoredLicense, StoredPenalty, StoredSeriousEntry,
    StoredSubject,
};
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};

use super::writes::rule_from_row;
use super::{db_err, locks, millis, PgStore};
use crate::store::columns::rule_columns;
use crate::store::projection::{department_token, key_range, kind_token};
use crate::store::refreshing::Refreshing;
use crate::store::search::{page, CountKey, COUNT_CACHE_KEYS, COUNT_CAP, HIT_COLUMNS, STATS_TTL};
use crate::store::seed::DEMO_DATA_SETTING;

/// The caches of the public reads (the same as the SQLite store's).
pub(crate) struct PublicCaches {
    stats: Arc<Refreshing<(), HomeStats, (NaiveDate, i64)>>,
    counts: Arc<Refreshing<CountKey, (i64, bool), i64>>,
    departments: Mutex<Option<(Instant, Vec<DepartmentOption>)>>,
}

impl Default for PublicCaches {
    fn default() -> Self {
        PublicCaches {
            stats: Refreshing::serving_stale(STATS_TTL),
            counts: Refreshing::exact(COUNT_CACHE_KEYS),
            departments: Mutex::new(None),
        }
    }
}

/// How a text query is answered.
#[derive(Clone, Debug)]
enum TextPlan {
    /// The name holds `text` (three characters or more, no filters).
    Substring(String),
    /// `tokens` holds every one of these; with `substring`, the name also
    /// holds it (bigrams ANDed can match names that hold them apart).
    Tokens {
        tokens: Vec<String>,
        substring: Option<String>,
    },
}

/// `text` as a `LIKE` pattern matching it anywhere.
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn plan(q: &SearchQuery) -> Option<TextPlan> {
    let text = normalize(&q.text);
    let chars = text.chars().count();
    if chars >= 3 && q.kind.is_none() && q.department_id.is_none() {
        return Some(TextPlan::Substring(text));
    }
    let mut tokens = query_tokens(&text);
    if let Some(kind) = q.kind {
        tokens.push(kind_token(kind));
    }
    if let Some(dept) = q.department_id {
        tokens.push(department_token(dept));
    }
    (!tokens.is_empty()).then(|| TextPlan::Tokens {
        tokens,
        substring: (chars >= 3).then_some(text),
    })
}

/// The `where` clause of a plan over `public_entries e`, its parameters
/// numbered from `$4` (`$1`–`$3` are the key range and today).
fn plan_clause(plan: Option<&TextPlan>) -> (String, Vec<Bind>) {
    let base = "e.sort_key between $1 and $2 and e.until >= $3";
    match plan {
        None => (base.to_string(), vec![]),
        Some(TextPlan::Substring(text)) => (
            format!("{base} and e.name_norm like $4"),
            vec![Bind::S(contains_pattern(text))],
        ),
        Some(TextPlan::Tokens { tokens, substring }) => {
            let mut clause = format!("{base} and e.tokens @> $4");
            let mut binds = vec![Bind::A(tokens.clone())];
            if let Some(s) = substring {
                clause.push_str(" and strpos(e.name_norm, $5) > 0");
                binds.push(Bind::S(s.clone()));
            }
            (clause, binds)
        }
    }
}

/// A value bound to a dynamically built query.
#[derive(Clone)]
enum Bind {
    I(i64),
    S(String),
    A(Vec<String>),
    D(NaiveDate),
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

impl Bind {
    fn apply(self, query: PgQuery<'_>) -> PgQuery<'_> {
        match self {
            Bind::I(v) => query.bind(v),
            Bind::S(v) => query.bind(v),
            Bind::A(v) => query.bind(v),
            Bind::D(v) => query.bind(v),
        }
    }
}

/// SQL assembled here from constant fragments only; every value is bound.
fn trusted_sql(sql: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql.to_string())
}

fn query_with(sql: &str, binds: Vec<Bind>) -> PgQuery<'static> {
    let mut query = sqlx::query(trusted_sql(sql));
    for bind in binds {
        query = bind.apply(query);
    }
    query
}

/// The range and day binds every search starts with.
fn range_binds(q: &SearchQuery, today: NaiveDate) -> Vec<Bind> {
    let (lo, hi) = key_range(q.from, q.to);
    vec![Bind::I(lo), Bind::I(hi), Bind::D(today)]
}

/// Counts the results of `plan`, up to [`COUNT_CAP`]; whether exact.
async fn count_matches(
    pool: PgPool,
    plan: Option<TextPlan>,
    binds: Vec<Bind>,
) -> Result<(i64, bool), StoreError> {
    let (clause, extra) = plan_clause(plan.as_ref());
    let n = binds.len() + extra.len() + 1;
    let sql = format!(
        "select count(*) from (select 1 from public_entries e where {clause} limit ${n}) capped"
    );
    let mut all = binds;
    all.extend(extra);
    all.push(Bind::I(COUNT_CAP + 1));
    let counted: i64 = query_with(&sql, all)
        .fetch_one(&pool)
        .await
        .map_err(db_err)?
        .get(0);
    Ok((counted.min(COUNT_CAP), counted <= COUNT_CAP))
}

/// The home page's counts: records of each kind public on `today`.
async fn count_public(pool: PgPool, today: NaiveDate) -> Result<HomeStats, StoreError> {
    let rows = sqlx::query(
        "select record_kind, count(*) from public_entries where until >= $1 group by record_kind",
    )
    .bind(today)
    .fetch_all(&pool)
    .await
    .map_err(db_err)?;
    let count = |kind: RecordKind| {
        rows.iter()
            .find(|r| r.get::<String, _>(0) == kind.code())
            .map_or(0, |r| u64::try_from(r.get::<i64, _>(1)).unwrap_or(0))
    };
    Ok(HomeStats {
        penalties: count(RecordKind::Penalty),
        licenses: count(RecordKind::License),
        serious: count(RecordKind::Serious),
    })
}

fn hit_from_row(row: &PgRow) -> Result<SearchHit, StoreError> {
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

/// A subject from six columns starting at `at`:
/// id, kind, name, credit_code, id_number, representative.
fn subject_from_row(row: &PgRow, at: usize) -> Result<StoredSubject, StoreError> {
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

/// A department from five columns starting at `at`:
/// id, code, name, credit_code, division_code.
fn department_from_row(row: &PgRow, at: usize) -> Department {
    Department {
        id: row.get(at),
        code: row.get(at + 1),
        name: row.get(at + 2),
        credit_code: row.get(at + 3),
        division_code: row.get(at + 4),
    }
}

impl PgStore {
    /// True when the database holds no subjects yet (first run).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("select exists(select 1 from subjects)")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(!row.get::<bool, _>(0))
    }

    /// Whether the demo data set was generated into this database.
    pub async fn holds_demo_data(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("select exists(select 1 from settings where key = $1)")
            .bind(DEMO_DATA_SETTING)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.get::<bool, _>(0))
    }

    async fn load_subject(&self, id: i64) -> Result<StoredSubject, StoreError> {
        let row = sqlx::query(
            "select id, kind, name, credit_code, id_number, representative
             from subjects where id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        subject_from_row(&row, 0)
    }

    async fn load_department(&self, id: i64) -> Result<Department, StoreError> {
        let row = sqlx::query(
            "select id, code, name, credit_code, division_code from departments where id = $1",
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

    /// The rules (and catalog item names) a record falls under.
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
             where rr.record_kind = $1 and rr.record_id = $2
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
            rules.push(rule_from_row(&row, 0)?);
            names.push(row.get(8));
        }
        Ok((rules, names))
    }

    /// The projection's generation now.
    async fn generation(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("select generation from projection_generation where id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.get(0))
    }

    /// The first (or `q.page`-th) page of a text query, newest first (for
    /// the search benchmark, as `SqliteStore::text_hits`).
    pub async fn text_hits(
        &self,
        q: &SearchQuery,
        today: NaiveDate,
        per_page: u32,
    ) -> Result<Vec<SearchHit>, StoreError> {
        Ok(self
            .text_page(plan(q).as_ref(), q, today, per_page)
            .await?
            .0)
    }

    /// The number of results of a text query and whether it is exact,
    /// counted now (no cache; for the search benchmark).
    pub async fn text_count(
        &self,
        q: &SearchQuery,
        today: NaiveDate,
    ) -> Result<(i64, bool), StoreError> {
        count_matches(self.pool.clone(), plan(q), range_binds(q, today)).await
    }

    /// A page of results under `plan`, newest first, and the projection's
    /// generation it was read at (`None` when the page is empty).
    async fn text_page(
        &self,
        plan: Option<&TextPlan>,
        q: &SearchQuery,
        today: NaiveDate,
        per_page: u32,
    ) -> Result<(Vec<SearchHit>, Option<i64>), StoreError> {
        let (clause, extra) = plan_clause(plan);
        let mut binds = range_binds(q, today);
        binds.extend(extra);
        let n = binds.len();
        let sql = format!(
            "select {HIT_COLUMNS}, (select generation from projection_generation where id = 1)
             from public_entries e where {clause}
             order by e.sort_key desc limit ${} offset ${}",
            n + 1,
            n + 2
        );
        binds.push(Bind::I(per_page.into()));
        binds.push(Bind::I(
            i64::from(q.page.saturating_sub(1)) * i64::from(per_page),
        ));
        let rows = query_with(&sql, binds)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let generation = rows.first().map(|r| r.get::<i64, _>(8));
        let hits = rows.iter().map(hit_from_row).collect::<Result<_, _>>()?;
        Ok((hits, generation))
    }

    /// A text query's page and count: the count comes from the page when
    /// the page holds every result, else from the cache.
    async fn text_search(
        &self,
        q: &SearchQuery,
        today: NaiveDate,
        per_page: u32,
    ) -> Result<SearchPage, StoreError> {
        let plan = plan(q);
        let (hits, generation) = self.text_page(plan.as_ref(), q, today, per_page).await?;
        let (total, exact) = if q.page <= 1 && hits.len() < per_page as usize {
            (hits.len() as i64, true)
        } else {
            let generation = match generation {
                Some(g) => g,
                None => self.generation().await?,
            };
            let key = CountKey {
                text: q.text.clone(),
                kind: q.kind,
                department_id: q.department_id,
                from: q.from,
                to: q.to,
                today,
            };
            let pool = self.pool.clone();
            let binds = range_binds(q, today);
            self.public
                .counts
                .get(key, generation, move || count_matches(pool, plan, binds))
                .await?
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
        let mut binds = range_binds(q, today);
        binds.push(Bind::S(value.to_string()));
        let mut filter =
            format!("e.sort_key between $1 and $2 and e.until >= $3 and e.{column} = $4");
        if let Some(kind) = q.kind {
            binds.push(Bind::S(kind.code().to_string()));
            filter.push_str(&format!(" and e.record_kind = ${}", binds.len()));
        }
        if let Some(dept) = q.department_id {
            binds.push(Bind::I(dept));
            filter.push_str(&format!(" and e.department_id = ${}", binds.len()));
        }
        let total: i64 = query_with(
            &format!("select count(*) from public_entries e where {filter}"),
            binds.clone(),
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?
        .get(0);
        let n = binds.len();
        binds.push(Bind::I(per_page.into()));
        binds.push(Bind::I(
            i64::from(q.page.saturating_sub(1)) * i64::from(per_page),
        ));
        let rows = query_with(
            &format!(
                "select {HIT_COLUMNS} from public_entries e where {filter}
                 order by e.sort_key desc limit ${} offset ${}",
                n + 1,
                n + 2
            ),
            binds,
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let hits = rows.iter().map(hit_from_row).collect::<Result<_, _>>()?;
        Ok(page(hits, total, true, q.page, per_page))
    }
}

#[async_trait]
impl Store for PgStore {
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
        // One round trip for the record, its subject and both departments
        // (a record page is the most asked-for page; each statement is a
        // trip over the network here, unlike SQLite's in-process calls).
        let Some(row) = sqlx::query(
            "select p.id, p.doc_no, p.violation_type, p.facts, p.basis, p.categories, p.content,
                    p.fine_fen, p.confiscated_fen, p.license_action, p.decision_date,
                    p.valid_until, p.note, p.repaired_on,
                    s.id, s.kind, s.name, s.credit_code, s.id_number, s.representative,
                    a.id, a.code, a.name, a.credit_code, a.division_code,
                    o.id, o.code, o.name, o.credit_code, o.division_code,
                    p.personal_basis, p.consent_ref
             from penalties p
             join subjects s on s.id = p.subject_id
             join departments a on a.id = p.department_id
             join departments o on o.id = p.source_department_id
             where p.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        else {
            return Ok(None);
        };
        let (rules, catalog_items) = self.load_rules("penalty", id).await?;
        let categories: String = row.get(5);
        Ok(Some(StoredPenalty {
            id: row.get(0),
            subject: subject_from_row(&row, 14)?,
            doc_no: row.get(1),
            violation_type: row.get(2),
            facts: row.get(3),
            basis: row.get(4),
            categories: categories.split('、').map(str::to_string).collect(),
            content: row.get(6),
            fine: row.get::<Option<i64>, _>(7).map(Fen),
            confiscated: row.get::<Option<i64>, _>(8).map(Fen),
            license_action: row.get(9),
            decision_date: row.get(10),
            valid_until: row.get(11),
            authority: department_from_row(&row, 20),
            source: department_from_row(&row, 25),
            note: row.get(12),
            catalog_items,
            rules,
            repaired_on: row.get(13),
            personal_basis: PersonalBasis::from_stored(row.get(30), row.get(31)),
        }))
    }

    async fn license(&self, id: i64) -> Result<Option<StoredLicense>, StoreError> {
        let Some(row) = sqlx::query(
            "select id, subject_id, doc_name, doc_no, category, cert_name, cert_no, content,
                    decision_date, valid_from, valid_to, department_id, source_department_id,
                    state, note, personal_basis, consent_ref
             from licenses where id = $1",
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
             from serious_entries where id = $1",
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
             from subjects where credit_code = $1",
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
             where e.subject_id = $1 and e.until >= $2
             order by e.sort_key desc limit 500"
        )))
        .bind(subject_id)
        .bind(today)
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
        if let Some((at, list)) = self.public.departments.lock().ok().and_then(|c| c.clone()) {
            if at.elapsed() < STATS_TTL {
                return Ok(list);
            }
        }
        let rows = sqlx::query(
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
        if let Ok(mut cache) = self.public.departments.lock() {
            *cache = Some((Instant::now(), list.clone()));
        }
        Ok(list)
    }

    async fn stats(&self, today: NaiveDate) -> Result<HomeStats, StoreError> {
        // As on SQLite: counted in the background, at most once a minute,
        // and only when the day or the projection changed.
        if let Some(stats) = self.public.stats.recent(&()) {
            return Ok(stats);
        }
        let generation = self.generation().await?;
        let pool = self.pool.clone();
        self.public
            .stats
            .get((), (today, generation), move || count_public(pool, today))
            .await
    }

    async fn latest(
        &self,
        kind: RecordKind,
        today: NaiveDate,
        limit: u32,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let rows = sqlx::query(trusted_sql(&format!(
            "select {HIT_COLUMNS} from public_entries e
             where e.record_kind = $1 and e.until >= $2
             order by e.sort_key desc limit $3"
        )))
        .bind(kind.code())
        .bind(today)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(hit_from_row).collect()
    }

    async fn sweep_ended(&self, today: NaiveDate) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Every app server sweeps every ten minutes: one at a time does,
        // the others find it being done and leave it (two sweeps at once
        // would log each ended record twice).
        let ours: bool = sqlx::query("select pg_try_advisory_xact_lock($1, $2)")
            .bind(locks::SWEEP.0)
            .bind(locks::SWEEP.1)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?
            .get(0);
        if !ours {
            return Ok(0);
        }
        // The export feed hears of every record whose publication ended.
        sqlx::query(
            "insert into record_changes (at, record_kind, record_id, department_id, change, actor)
             select $1, record_kind, record_id, department_id, 'ended', 'system'
             from public_entries where until < $2",
        )
        .bind(millis(chrono::Utc::now()))
        .bind(today)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let removed = super::writes::unpublish_ended(&mut tx, today).await?;
        tx.commit().await.map_err(db_err)?;
        if removed > 0 {
            self.public.stats.mark_stale();
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
