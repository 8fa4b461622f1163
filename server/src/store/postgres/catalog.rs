//! The catalog on PostgreSQL (`app::store::catalog`): items, attributes and
//! rule versions, each change with its register entry.

use app::domain::catalog::ItemAttributes;
use app::domain::PublicationRule;
use app::model::RecordKind;
use app::store::catalog::{CatalogItem, CatalogStore, NewItem};
use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::Row;

use super::staff::append_in_tx;
use super::writes::{insert_catalog_item, insert_catalog_rule, reproject_item, rule_from_row};
use super::{db_err, PgStore};
use crate::store::columns::rule_columns;
use crate::store::sqlite::writes::NewCatalogItem;

impl PgStore {
    async fn items_where(&self, code: Option<&str>) -> Result<Vec<CatalogItem>, StoreError> {
        let rows = sqlx::query(concat!(
            "select i.code, i.name, i.record_kind, i.conduct, d.name, i.data_source,
                    i.classification, i.sharing, i.reporting_working_days, ",
            rule_columns!(),
            " from catalog_items i join departments d on d.id = i.department_id
              join catalog_rules r on r.item_id = i.id
              where $1::text is null or i.code = $1
              order by d.id, i.code, r.version"
        ))
        .bind(code)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let mut items: Vec<CatalogItem> = Vec::new();
        for row in rows {
            let code: String = row.get(0);
            // Columns 9.. are the rule (its last one is the item's disclosure).
            let rule = rule_from_row(&row, 9)?;
            if items.last().is_none_or(|i| i.code != code) {
                let kind: String = row.get(2);
                items.push(CatalogItem {
                    code,
                    record_kind: RecordKind::from_code(&kind)
                        .ok_or_else(|| StoreError(format!("record kind {kind}")))?,
                    department: row.get(4),
                    attributes: ItemAttributes {
                        name: row.get(1),
                        conduct: row.get(3),
                        data_source: row.get(5),
                        classification: row.get(6),
                        sharing: row.get(7),
                        disclosure: row.get(16),
                        reporting_working_days: u32::try_from(row.get::<i64, _>(8))
                            .unwrap_or(u32::MAX),
                    },
                    rules: Vec::new(),
                });
            }
            if let Some(item) = items.last_mut() {
                item.rules.push(rule);
            }
        }
        Ok(items)
    }
}

#[async_trait]
impl CatalogStore for PgStore {
    async fn items(&self) -> Result<Vec<CatalogItem>, StoreError> {
        self.items_where(None).await
    }

    async fn item(&self, code: &str) -> Result<Option<CatalogItem>, StoreError> {
        Ok(self.items_where(Some(code)).await?.pop())
    }

    async fn add_item(
        &self,
        new: &NewItem,
        audit: &NewAuditEntry,
    ) -> Result<Result<(), String>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let taken: bool = sqlx::query("select exists(select 1 from catalog_items where code = $1)")
            .bind(&new.code)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?
            .get(0);
        if taken {
            return Ok(Err(format!("目录项编码 {} 已存在，请换一个", new.code)));
        }
        let a = &new.attributes;
        let item = NewCatalogItem {
            code: &new.code,
            name: &a.name,
            record_kind: new.record_kind,
            conduct: &a.conduct,
            department_id: new.department_id,
            data_source: &a.data_source,
            classification: &a.classification,
            sharing: &a.sharing,
            disclosure: &a.disclosure,
        };
        let id = insert_catalog_item(&mut tx, &item).await?;
        sqlx::query("update catalog_items set reporting_working_days = $1 where id = $2")
            .bind(i64::from(a.reporting_working_days))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let rule = PublicationRule {
            version: 1,
            ..new.first_rule
        };
        insert_catalog_rule(&mut tx, id, &rule).await?;
        append_in_tx(&mut tx, audit).await?;
        // Two administrators adding one code at once: the unique code
        // refuses the second at commit.
        match tx.commit().await {
            Ok(()) => Ok(Ok(())),
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("23505") => {
                Ok(Err(format!("目录项编码 {} 已存在，请换一个", new.code)))
            }
            Err(e) => Err(db_err(e)),
        }
    }

    async fn update_item(
        &self,
        code: &str,
        attributes: &ItemAttributes,
        today: NaiveDate,
        audit: &NewAuditEntry,
    ) -> Result<Option<u64>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Locked: a concurrent change of the same item waits, and sees
        // this one's disclosure when it compares.
        let Some(row) =
            sqlx::query("select id, disclosure from catalog_items where code = $1 for update")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?
        else {
            return Ok(None);
        };
        let (id, disclosure): (i64, String) = (row.get(0), row.get(1));
        sqlx::query(
            "update catalog_items set name = $1, conduct = $2, data_source = $3,
                    classification = $4, sharing = $5, disclosure = $6,
                    reporting_working_days = $7
             where id = $8",
        )
        .bind(&attributes.name)
        .bind(&attributes.conduct)
        .bind(&attributes.data_source)
        .bind(&attributes.classification)
        .bind(&attributes.sharing)
        .bind(&attributes.disclosure)
        .bind(i64::from(attributes.reporting_working_days))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let moved = if disclosure != attributes.disclosure {
            reproject_item(&mut tx, id, today).await?
        } else {
            0
        };
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Some(moved))
    }

    async fn add_version(
        &self,
        code: &str,
        rule: &PublicationRule,
        audit: &NewAuditEntry,
    ) -> Result<Option<u32>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // The item row is locked so two new versions are numbered in turn.
        let Some(item_id) = sqlx::query("select id from catalog_items where code = $1 for update")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
            .map(|r| r.get::<i64, _>(0))
        else {
            return Ok(None);
        };
        let latest: i64 =
            sqlx::query("select coalesce(max(version), 0) from catalog_rules where item_id = $1")
                .bind(item_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?
                .get(0);
        let version = u32::try_from(latest + 1).unwrap_or(u32::MAX);
        let rule = PublicationRule { version, ..*rule };
        insert_catalog_rule(&mut tx, item_id, &rule).await?;
        append_in_tx(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Some(version))
    }
}
