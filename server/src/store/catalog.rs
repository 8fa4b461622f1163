//! The catalog as the credit authority edits it: items with their seven
//! attributes, and their rule versions. A change of rule is a new version
//! (records keep the version they point at); versions are never edited.

use app::domain::PublicationRule;
use app::model::RecordKind;
use app::store::staff::NewAuditEntry;
use app::store::StoreError;
use sqlx::Row;

use super::sqlite::{db_err, rule_columns, rule_from_row_at, SqliteStore};
use super::writes::{self, NewCatalogItem};

/// An item with every rule version, oldest first.
#[derive(Clone, Debug)]
pub struct CatalogItem {
    pub code: String,
    pub name: String,
    pub record_kind: RecordKind,
    pub conduct: String,
    pub department: String,
    pub data_source: String,
    pub classification: String,
    pub sharing: String,
    pub disclosure: String,
    pub rules: Vec<PublicationRule>,
}

/// Every item, by department then code.
pub async fn items(store: &SqliteStore) -> Result<Vec<CatalogItem>, StoreError> {
    let rows = sqlx::query(concat!(
        "select i.code, i.name, i.record_kind, i.conduct, d.name, i.data_source, i.classification,
                i.sharing, ",
        rule_columns!(),
        " from catalog_items i join departments d on d.id = i.department_id
          join catalog_rules r on r.item_id = i.id
          order by d.id, i.code, r.version"
    ))
    .fetch_all(store.pool())
    .await
    .map_err(db_err)?;
    let mut items: Vec<CatalogItem> = Vec::new();
    for row in rows {
        let code: String = row.get(0);
        // Columns 8.. are the rule (its last one is the item's disclosure).
        let rule = rule_from_row_at(&row, 8)?;
        if items.last().is_none_or(|i| i.code != code) {
            let kind: String = row.get(2);
            items.push(CatalogItem {
                code,
                name: row.get(1),
                record_kind: RecordKind::from_code(&kind)
                    .ok_or_else(|| StoreError(format!("record kind {kind}")))?,
                conduct: row.get(3),
                department: row.get(4),
                data_source: row.get(5),
                classification: row.get(6),
                sharing: row.get(7),
                disclosure: row.get(15),
                rules: Vec::new(),
            });
        }
        if let Some(item) = items.last_mut() {
            item.rules.push(rule);
        }
    }
    Ok(items)
}

/// Adds the next rule version of item `code` (numbered inside the
/// transaction) with its register entry. `Ok(None)` when there is no such item.
pub async fn add_version(
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

/// Adds an item with its first rule; `Ok(Err(message))` when the code is taken.
pub async fn add_item(
    store: &SqliteStore,
    item: &NewCatalogItem<'_>,
    reporting_working_days: u32,
    rule: &PublicationRule,
    audit: &NewAuditEntry,
) -> Result<Result<(), String>, StoreError> {
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
    let id = writes::insert_catalog_item(&mut tx, item).await?;
    sqlx::query("update catalog_items set reporting_working_days = ? where id = ?")
        .bind(reporting_working_days)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    writes::insert_catalog_rule(
        &mut tx,
        id,
        &PublicationRule {
            version: 1,
            ..*rule
        },
    )
    .await?;
    super::staff::append_in_tx(&mut tx, audit).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(Ok(()))
}
