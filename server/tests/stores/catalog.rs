//! The catalog: items, rule versions, and a change of disclosure moving an
//! item's records on or off the public pages.

use app::domain::catalog::ItemAttributes;
use app::domain::staff::AuditAction;
use app::domain::{PublicationRule, Tier};
use app::model::RecordKind;
use app::store::catalog::NewItem;
use app::store::staff::NewAuditEntry;
use chrono::{NaiveDate, Utc};

use super::databases;

const PUBLIC: &str = "select count(*) from public_entries";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn audit() -> NewAuditEntry {
    NewAuditEntry {
        at: Utc::now(),
        account_id: None,
        actor: "admin".into(),
        action: AuditAction::CatalogChanged,
        target: "目录".into(),
        purpose: "测试".into(),
        client: "127.0.0.1".into(),
    }
}

fn rule(from: NaiveDate) -> PublicationRule {
    PublicationRule {
        tier: Tier::Ordinary,
        published: true,
        min_months: 3,
        max_months: 12,
        repairable: true,
        version: 0,
        effective_from: from,
    }
}

#[tokio::test]
async fn items_are_added_once_and_versions_numbered_in_turn() {
    let mut seen = Vec::new();
    for db in databases().await {
        server::demo::generate(db.seed.as_ref(), 300, today(), false)
            .await
            .unwrap();
        let before = db.catalog.items().await.unwrap();
        let template = before[0].clone();
        let item = NewItem {
            code: "test-new-item".into(),
            record_kind: RecordKind::Penalty,
            department_id: db.store.departments().await.unwrap()[0].id,
            attributes: ItemAttributes {
                name: "测试目录项".into(),
                ..template.attributes.clone()
            },
            first_rule: rule(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
        };
        assert_eq!(db.catalog.add_item(&item, &audit()).await.unwrap(), Ok(()));
        assert!(
            db.catalog.add_item(&item, &audit()).await.unwrap().is_err(),
            "{}: a code is taken once",
            db.name
        );
        let v2 = rule(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(
            db.catalog
                .add_version("test-new-item", &v2, &audit())
                .await
                .unwrap(),
            Some(2),
            "{}",
            db.name
        );
        assert_eq!(
            db.catalog
                .add_version("no-such-item", &v2, &audit())
                .await
                .unwrap(),
            None
        );
        let added = db.catalog.item("test-new-item").await.unwrap().unwrap();
        let versions: Vec<u32> = added.rules.iter().map(|r| r.version).collect();
        assert_eq!(versions, vec![1, 2], "{}", db.name);
        assert_eq!(added.attributes.name, "测试目录项");

        // Withdrawing an item from the public pages moves its records off,
        // and putting it back brings them back.
        let code = template.code.clone();
        let all = db.count(PUBLIC).await;
        let mut hidden = template.attributes.clone();
        hidden.disclosure = "on_request".into();
        let moved = db
            .catalog
            .update_item(&code, &hidden, today(), &audit())
            .await
            .unwrap()
            .unwrap();
        let without = db.count(PUBLIC).await;
        assert!(moved > 0 && without < all, "{}: {moved} moved", db.name);
        db.catalog
            .update_item(&code, &template.attributes, today(), &audit())
            .await
            .unwrap();
        assert_eq!(db.count(PUBLIC).await, all, "{}: all back", db.name);
        assert_eq!(
            db.count("select count(*) from audit_log").await,
            4,
            "{}: the item, its version and two changes registered; refusals not",
            db.name
        );
        seen.push((
            db.name,
            moved,
            all,
            without,
            db.catalog.items().await.unwrap(),
        ));
    }
    let first = &seen[0];
    for other in &seen[1..] {
        assert_eq!(
            (first.1, first.2, first.3),
            (other.1, other.2, other.3),
            "{} and {}",
            first.0,
            other.0
        );
        assert_eq!(first.4, other.4, "the catalog reads the same");
    }
}
