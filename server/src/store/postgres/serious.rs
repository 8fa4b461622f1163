//! The PostgreSQL implementation of `SeriousDomainStore`.

use app::domain::serious_domain::SeriousDomain;
use app::store::serious::SeriousDomainStore;
use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::Row;

use super::repair::is_unique_violation;
use super::staff::append_in_tx;
use super::{db_err, PgStore};
use crate::store::columns::{years, DOMAIN_COLUMNS};

fn domain_from_row(row: &PgRow) -> Result<SeriousDomain, StoreError> {
    Ok(SeriousDomain {
        code: row.get(0),
        name: row.get(1),
        list_basis: row.get(2),
        standard_basis: row.get(3),
        listing_authority: row.get(4),
        listing_years: years(row.get(5), "listing_years")?,
        earliest_removal_years: row
            .get::<Option<i64>, _>(6)
            .map(|y| years(y, "earliest_removal_years"))
            .transpose()?,
        removal_conditions: row.get(7),
        removal_procedure: row.get(8),
        mirrored: row.get(9),
        mirror_contact: row.get(10),
    })
}

/// Is `code` or `name` another domain's than `except`?
async fn taken(
    c: &mut sqlx::PgConnection,
    code: Option<&str>,
    name: &str,
    except: Option<&str>,
) -> Result<bool, StoreError> {
    sqlx::query(
        "select exists(select 1 from serious_domains
                       where (code = $1 or name = $2) and code is distinct from $3)",
    )
    .bind(code)
    .bind(name)
    .bind(except)
    .fetch_one(&mut *c)
    .await
    .map(|r| r.get(0))
    .map_err(db_err)
}

#[async_trait]
impl SeriousDomainStore for PgStore {
    async fn domains(&self) -> Result<Vec<SeriousDomain>, StoreError> {
        let sql = format!("select {DOMAIN_COLUMNS} from serious_domains order by name");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(domain_from_row)
            .collect()
    }

    async fn domain(&self, code: &str) -> Result<Option<SeriousDomain>, StoreError> {
        let sql = format!("select {DOMAIN_COLUMNS} from serious_domains where code = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(domain_from_row)
            .transpose()
    }

    async fn add_domain(
        &self,
        d: &SeriousDomain,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        if taken(&mut tx, Some(&d.code), &d.name, None).await? {
            return Ok(false);
        }
        if !insert(&mut tx, d).await? {
            return Ok(false); // taken meanwhile: rolled back
        }
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn update_domain(
        &self,
        d: &SeriousDomain,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        if taken(&mut tx, None, &d.name, Some(&d.code)).await? {
            return Ok(false);
        }
        let query = sqlx::query(
            "update serious_domains set name = $2, list_basis = $3, standard_basis = $4,
                    listing_authority = $5, listing_years = $6, earliest_removal_years = $7,
                    removal_conditions = $8, removal_procedure = $9, mirrored = $10,
                    mirror_contact = $11
             where code = $1",
        );
        let changed = match bind_domain(query, d).execute(&mut *tx).await {
            Ok(done) => done.rows_affected(),
            // The name was taken meanwhile by another domain's save.
            Err(e) if is_unique_violation(&e) => return Ok(false),
            Err(e) => return Err(db_err(e)),
        };
        if changed == 0 {
            return Ok(false);
        }
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn ensure_domains(&self, domains: &[SeriousDomain]) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let mut added = 0;
        for d in domains {
            if insert_if_absent(&mut tx, d).await? {
                added += 1;
            }
        }
        sqlx::query(
            "update serious_entries set domain_code =
               (select code from serious_domains d where d.name = serious_entries.list_name)
             where domain_code is null",
        )
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(added)
    }
}

/// Adds `d` unless its code or name is stored; whether it was added.
pub(crate) async fn insert_if_absent(
    c: &mut sqlx::PgConnection,
    d: &SeriousDomain,
) -> Result<bool, StoreError> {
    if taken(&mut *c, Some(&d.code), &d.name, None).await? {
        return Ok(false);
    }
    insert(c, d).await?;
    Ok(true)
}

/// Inserts `d`; false when its code or name was taken between the check
/// and the insert (two administrators saving at once: the second is told
/// it exists, as if it had been there before).
async fn insert(c: &mut sqlx::PgConnection, d: &SeriousDomain) -> Result<bool, StoreError> {
    let sql = format!(
        "insert into serious_domains ({DOMAIN_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    );
    match bind_domain(sqlx::query(sqlx::AssertSqlSafe(sql)), d)
        .execute(&mut *c)
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(db_err(e)),
    }
}

/// Binds a domain's values in `DOMAIN_COLUMNS` order (the code first).
fn bind_domain<'q>(
    query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    d: &'q SeriousDomain,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(&d.code)
        .bind(&d.name)
        .bind(&d.list_basis)
        .bind(&d.standard_basis)
        .bind(&d.listing_authority)
        .bind(i64::from(d.listing_years))
        .bind(d.earliest_removal_years.map(i64::from))
        .bind(&d.removal_conditions)
        .bind(&d.removal_procedure)
        .bind(d.mirrored)
        .bind(&d.mirror_contact)
}
