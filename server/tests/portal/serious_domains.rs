//! The serious list's domains kept by the credit authority: the national
//! ones present from the start and linked to the entries of their lists, a
//! new domain refused without the documents that set it up (each field's
//! fault named, nothing written), added and changed with register entries,
//! reviewers kept out, and an entry's public page stating its domain's
//! basis and when it may leave the list early.

use app::domain::staff::Role;
use axum::http::StatusCode;

use super::collect::count;
use super::portal;
use super::staff::{add_account, sign_in};

fn form<'a>(
    csrf: &'a str,
    code: &'a str,
    list_basis: &'a str,
    years: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("code", code),
        ("name", "统计严重失信企业名单"),
        ("list_basis", list_basis),
        (
            "standard_basis",
            "《统计严重失信企业信用管理办法》（国统字〔2022〕33号）",
        ),
        ("listing_authority", "统计机构"),
        ("listing_years", years),
        ("earliest_removal_years", "1"),
        (
            "removal_conditions",
            "公示期满或者纠正失信行为、消除不良影响",
        ),
        (
            "removal_procedure",
            "向作出认定的统计机构提出申请，统计机构自受理之日起 15 个工作日内作出决定",
        ),
        ("mirror_contact", ""),
    ]
}

#[tokio::test]
async fn domains_need_their_legal_basis_and_every_change_is_registered() {
    let p = portal().await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;

    // The national domains, and every demo entry in one of them.
    let page = p
        .get_with_cookie("/admin/serious-domains", &boss.cookie)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for name in [
        "失信被执行人名单",
        "重大税收违法失信主体名单",
        "市场监督管理严重违法失信名单",
        "拖欠农民工工资失信联合惩戒对象名单",
        "安全生产严重失信主体名单",
    ] {
        assert!(page.body.contains(name), "{name} missing");
    }
    assert_eq!(count(&p, "select count(*) from serious_domains").await, 5);
    assert!(count(&p, "select count(*) from serious_entries").await > 0);
    assert_eq!(
        count(
            &p,
            "select count(*) from serious_entries where domain_code is null"
        )
        .await,
        0,
        "an entry outside every domain"
    );

    // No document cited, no period: each fault named, nothing written.
    let bad = p
        .post_form(
            "/admin/serious-domains",
            &boss.cookie,
            &form(&boss.csrf, "stats_serious", "根据有关规定", "0"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("法律依据须写明法律、法规或中央政策文件"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("href=\"#listing_years\""),
        "the period's fault is linked"
    );
    assert!(bad.body.contains("根据有关规定"), "what was typed is kept");
    assert_eq!(count(&p, "select count(*) from serious_domains").await, 5);

    // With its documents: added, shown, registered.
    let basis = "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）";
    let added = p
        .post_form(
            "/admin/serious-domains",
            &boss.cookie,
            &form(&boss.csrf, "stats_serious", basis, "3"),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let shown = p
        .get_with_cookie(
            "/admin/serious-domains/stats_serious?saved=added",
            &boss.cookie,
        )
        .await;
    assert!(shown.body.contains("已新增名单领域") && shown.body.contains("统计严重失信企业名单"));
    assert_eq!(
        count(
            &p,
            "select count(*) from audit_log where action = 'serious_domain_changed'"
        )
        .await,
        1
    );

    // The same code again is refused; so is a second list of one name.
    let again = p
        .post_form(
            "/admin/serious-domains",
            &boss.cookie,
            &form(&boss.csrf, "stats_serious", basis, "3"),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("已存在"));

    // A change: checked the same way, then saved with its entry.
    let url = "/admin/serious-domains/stats_serious";
    let wrong = p
        .post_form(url, &boss.cookie, &form(&boss.csrf, "", basis, "11"))
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let changed = p
        .post_form(url, &boss.cookie, &form(&boss.csrf, "", basis, "2"))
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(
        count(
            &p,
            "select listing_years from serious_domains where code = 'stats_serious'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &p,
            "select count(*) from audit_log where action = 'serious_domain_changed'"
        )
        .await,
        2
    );
    let missing = p
        .get_with_cookie("/admin/serious-domains/no_such_list", &boss.cookie)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // Only the credit authority's administrators keep domains.
    let department: i64 = count(&p, "select id from departments where code = 'scjg'").await;
    add_account(&p, "clerk", Role::Reviewer, Some(department)).await;
    let clerk = sign_in(&p, "clerk").await;
    let refused = p
        .get_with_cookie("/admin/serious-domains", &clerk.cookie)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = p
        .post_form(
            "/admin/serious-domains",
            &clerk.cookie,
            &form(&clerk.csrf, "clerk_list", basis, "3"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&p, "select count(*) from serious_domains").await, 6);
}

#[tokio::test]
async fn an_entry_page_states_its_domains_basis_and_early_removal() {
    let p = portal().await;
    let id = count(
        &p,
        "select e.record_id from public_entries e
         join serious_entries s on s.id = e.record_id
         where e.record_kind = 'serious' and s.domain_code = 'market_serious_violation'
         order by e.sort_key desc limit 1",
    )
    .await;
    let (status, body) = p.get(&format!("/serious-list/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("名单设立依据"), "{body}");
    assert!(body.contains("总局令第44号"), "the domain's basis");
    assert!(body.contains("可向认定单位申请提前移出"));
}
