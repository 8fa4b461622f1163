//! The credit authority changes a catalog item's attributes: each field
//! checked, the change registered, and a change of the disclosure
//! attribute taking the item's records off the public pages (and back) at
//! once.

use app::domain::staff::Role;
use axum::http::StatusCode;

use super::collect::{count, dept};
use super::portal;
use super::staff::{add_account, sign_in};

#[tokio::test]
async fn an_items_attributes_change_and_its_disclosure_moves_its_records() {
    let p = portal().await;
    let d = dept(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let url = "/admin/catalog/scjg-license";
    let page = p.get_with_cookie(url, &boss.cookie).await;
    assert!(page.body.contains("修改属性") && page.body.contains("决定后 7 个工作日内"));

    let public_sql = format!(
        "select count(*) from public_entries where record_kind = 'license' and department_id = {}",
        d.id
    );
    let public_licences = || count(&p, &public_sql);
    let shown = public_licences().await;
    assert!(shown > 0, "the demo publishes the department's licences");
    let licence: i64 = count(
        &p,
        &format!(
            "select e.record_id from public_entries e where e.record_kind = 'license' and e.department_id = {} limit 1",
            d.id
        ),
    )
    .await;
    let doc_no: String = {
        p.rows(&format!("select doc_no from licenses where id = {licence}"))
            .await[0]
            .get(0)
    };

    let form = |disclosure: &'static str, days: &'static str| {
        vec![
            ("_csrf", boss.csrf.clone()),
            ("name", "鹤岗市市场监督管理局行政许可信息".to_string()),
            ("conduct", "行政许可".to_string()),
            ("data_source", "鹤岗市市场监督管理局".to_string()),
            ("classification", "basic".to_string()),
            ("sharing", "unconditional".to_string()),
            ("disclosure", disclosure.to_string()),
            ("reporting_days", days.to_string()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let cookie = boss.cookie.clone();
        let p = &p;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            p.post_form(url, &cookie, &fields).await
        }
    };

    // Faults: named by field, nothing changes.
    let bad = post(form("everyone", "0")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("请选择开放属性") && bad.body.contains("报送时限须为 1 至 60 个工作日")
    );
    assert!(bad.body.contains("value=\"0\""), "what was typed is kept");
    assert_eq!(public_licences().await, shown);

    // Not public any more: every licence of the item leaves search at once.
    let done = post(form("none", "5")).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let location = done.headers["location"].to_str().unwrap().to_string();
    let page = p.get_with_cookie(&location, &boss.cookie).await;
    assert!(
        page.body.contains("条记录已按新属性公示或撤下"),
        "{}",
        page.body
    );
    assert!(page.body.contains("决定后 5 个工作日内"));
    assert_eq!(public_licences().await, 0);
    let (_, search) = p
        .get(&format!("/search?type=license&q={}", urlencoding(&doc_no)))
        .await;
    let link = format!("/licenses/{licence}\"");
    assert!(!search.contains(&link), "gone from search");
    assert_ne!(
        p.get(&format!("/licenses/{licence}")).await.0,
        StatusCode::OK
    );

    // The register says what changed, in words.
    let chain = p.backend.staff.audit_chain().await.unwrap();
    let entry = chain
        .iter()
        .rev()
        .find(|e| e.action == "catalog_changed")
        .unwrap();
    assert!(
        entry.purpose.contains("开放属性：社会公开 → 不予公开")
            && entry.purpose.contains("报送时限（工作日）：7 → 5"),
        "{}",
        entry.purpose
    );

    // Public again: they come back, each under its own rule.
    let back = post(form("public", "5")).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    let (_, search) = p
        .get(&format!("/search?type=license&q={}", urlencoding(&doc_no)))
        .await;
    assert!(search.contains(&link), "found again");
    assert_eq!(public_licences().await, shown);
    assert_eq!(
        p.get(&format!("/licenses/{licence}")).await.0,
        StatusCode::OK
    );

    // Department staff cannot change the catalog.
    add_account(&p, "clerk", Role::Reviewer, Some(d.id)).await;
    let clerk = sign_in(&p, "clerk").await;
    let refused = p
        .post_form(
            url,
            &clerk.cookie,
            &[("_csrf", &clerk.csrf), ("disclosure", "none")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(public_licences().await, shown);
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
