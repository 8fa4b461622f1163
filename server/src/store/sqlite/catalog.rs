//! The catalog in SQLite (`app::store::catalog`): items, attributes and
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

use super::writes::{self, NewCatalogItem};
use super::{db_err, rule_from_row_at, SqliteStore};
use crate::store::columns::rule_columns;

#[async_trait]
impl CatalogStore for SqliteStore {
    async fn items(&self) -> Result<Vec<CatalogItem>, StoreError> {
        items_where(self, None).await
    }

    async fn item(&self, code: &str) -> Result<Option<CatalogItem>, StoreError> {
        Ok(items_where(self, Some(code)).await?.pop())
    }

    async fn update_item(
        &self,
        code: &str,
        attributes: &ItemAttributes,
        today: NaiveDate,
        audit: &NewAuditEntry,
    ) -> Result<Option<u64>, StoreError> {
        update_item(self, code, attributes, today, audit).await
    }

    async fn add_version(
        &self,
        code: &str,
        rule: &PublicationRule,
        audit: &NewAuditEntry,
    ) -> Result<Option<u32>, StoreError> {
        add_version(self, code, rule, audit).await
    }

    async fn add_item(
        &self,
        item: &NewItem,
        audit: &NewAuditEntry,
    ) -> Result<Result<(), String>, StoreError> {
        add_item(self, item, audit).await
    }
}

async fn items_where(
    store: &SqliteStore,
    code: Option<&str>,
) -> Result<Vec<CatalogItem>, StoreError> {
    let rows = sqlx::query(concat!(
        "select i.code, i.name, i.record_kind, i.conduct, d.name, i.data_source, i.classification,
                i.sharing, i.reporting_working_days, ",
        rule_columns!(),
        " from catalog_items i join departments d on d.id = i.department_id
          join catalog_rules r on r.item_id = i.id
          where ?1 is null or i.code = ?1
          order by d.id, i.code, r.version"
    ))
    .bind(code)
    .fetch_all(store.pool())
    .await
    .map_err(db_err)?;
    let mut items: Vec<CatalogItem> = Vec::new();
    for row in rows {
        let code: String = row.get(0);
        // Columns 9.. are the rule (its last one is the item's disclosure).
        let rule = rule_from_row_at(&row, 9)?;
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
                    reporting_working_days: row.get(8),
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

async fn update_item(
    store: &SqliteStore,
    code: &str,
    attributes: &ItemAttributes,
    today: NaiveDate,
    audit: &NewAuditEntry,
) -> Result<Option<u64>, StoreError> {
    let mut tx = store.write_tx().await.map_err(db_err)?;
    let Some(row) = sqlx::query("select id, disclosure from catalog_items where code = ?")
        .bind(code)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
    else {
        return Ok(None);
    };
    let (id, disclosure): (i64, String) = (row.get(0), row.get(1));
    sqlx::query(
        "update catalog_items set name = ?, conduct = ?, data_source = ?, classification = ?,
                sharing = ?, disclosure = ?, reporting_working_days = ?
         where id = ?",
    )
    .bind(&attributes.name)
    .bind(&attributes.conduct)
    .bind(&attributes.data_source)
    .bind(&attributes.classification)
    .bind(&attributes.sharing)
    .bind(&attributes.disclosure)
    .bind(attributes.reporting_working_days)
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(db_err)?;
    let moved = if disclosure != attributes.disclosure {
        writes::reproject_item(&mut tx, id, today).await?
    } else {
        0
    };
    super::staff::append_in_tx(&mut tx, audit).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(Some(moved))
}

async fn add_version(
    store: &SqliteStore,
    code: &str,
    rule: &PublicationRule,
    audit: &NewAuditEntry,
) -> Result<Option<u32>, StoreError> {
    let mut tx = store.write_tx().await.map_err(db_err)?;
    let Some(row) = sqlx::query(
        "select i.id, coalesce(max(r.version), 0) from catalog_items i
         left join catalog_rules r on r.item_id = i.id where i.code = ? group by i.id",
    )
    .bind(code)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db_err)?
    else {
        return Ok(None);
    };
    let (item_id, latest): (i64, i64) = (row.get(0), row.get(1));
    let version = u32::try_from(latest + 1).unwrap_or(u32::MAX);
    let rule = PublicationRule { version, ..*rule };
    writes::insert_catalog_rule(&mut tx, item_id, &rule).await?;
    super::staff::append_in_tx(&mut tx, audit).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(Some(version))
}

async fn add_item(
    store: &SqliteStore,
    new: &NewItem,
    audit: &NewAuditEntry,
) -> Result<Result<(), String>, StoreError> {
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
    let mut tx = store.write_tx().await.map_err(db_err)?;
    let taken: bool = sqlx::query("select exists(select 1 from catalog_items where code = ?)")
        .bind(item.code)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?
        .get(0);
    if taken {
        return Ok(Err(format!("目录项编码 {} 已存在，请换一个", item.code)));
    }
    let id = writes::insert_catalog_item(&mut tx, &item).await?;
    sqlx::query("update catalog_items set reporting_working_days = ? where id = ?")
        .bind(a.reporting_working_days)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    writes::insert_catalog_rule(
        &mut tx,
        id,
        &PublicationRule {
            version: 1,
            ..new.first_rule
        },
    )
    .await?;
    super::staff::append_in_tx(&mut tx, audit).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(Ok(()))
}
