//! Administrators look after accounts: disable (sessions end at once) and
//! enable again, reset a forgotten password to a temporary one that its
//! holder must replace before anything else — never their own account, and
//! never the last administrator.

use app::domain::staff::Role;
use axum::http::StatusCode;

use super::staff::{add_account, sign_in};
use super::{portal, Portal};

async fn account_id(p: &Portal, username: &str) -> i64 {
    p.rows(&format!(
        "select id from staff_accounts where username = '{username}'"
    ))
    .await[0]
        .get(0)
}

fn temporary_password(html: &str) -> String {
    let at = html
        .find("temporary-password\">")
        .expect("the temporary password")
        + 20;
    html[at..].split('<').next().unwrap().to_string()
}

#[tokio::test]
async fn administrators_disable_enable_and_reset_accounts() {
    let p = portal().await;
    let dept: i64 = p
        .rows("select id from departments where code = 'scjg'")
        .await[0]
        .get(0);
    add_account(&p, "boss", Role::Admin, None).await;
    add_account(&p, "li", Role::Reviewer, Some(dept)).await;
    let boss = sign_in(&p, "boss").await;
    let li = sign_in(&p, "li").await;
    let li_id = account_id(&p, "li").await;
    let boss_id = account_id(&p, "boss").await;
    let act = |path: String| {
        let (cookie, csrf) = (boss.cookie.clone(), boss.csrf.clone());
        let p = &p;
        async move { p.post_form(&path, &cookie, &[("_csrf", &csrf)]).await }
    };

    // Disabled: the open session ends at once, signing in fails like a wrong password.
    let done = act(format!("/admin/accounts/{li_id}/disable")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("账号 li 已停用") && done.body.contains("已停用"));
    assert_eq!(
        p.get_with_cookie("/admin/repairs", &li.cookie).await.status,
        StatusCode::SEE_OTHER
    );
    let refused = p
        .post_form(
            "/admin/login",
            "",
            &[("username", "li"), ("password", "Hegang-Review-2026")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    // Enabled again: signs in as before.
    act(format!("/admin/accounts/{li_id}/enable")).await;
    let li = sign_in(&p, "li").await;

    // Not one's own account, not the last administrator, not by a reviewer.
    let own = act(format!("/admin/accounts/{boss_id}/disable")).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert!(own.body.contains("不能停用自己的账号"));
    add_account(&p, "boss2", Role::Admin, None).await;
    let boss2 = sign_in(&p, "boss2").await;
    let boss2_id = account_id(&p, "boss2").await;
    let _ = act(format!("/admin/accounts/{boss2_id}/disable")).await;
    let last = p
        .post_form(
            &format!("/admin/accounts/{boss_id}/disable"),
            &boss2.cookie,
            &[("_csrf", &boss2.csrf)],
        )
        .await;
    assert_ne!(
        last.status,
        StatusCode::OK,
        "boss2's session ended with the account"
    );
    let by_reviewer = p
        .post_form(
            &format!("/admin/accounts/{boss_id}/reset"),
            &li.cookie,
            &[("_csrf", &li.csrf)],
        )
        .await;
    assert_eq!(by_reviewer.status, StatusCode::FORBIDDEN);
    let without_token = p
        .post_form(&format!("/admin/accounts/{li_id}/reset"), &boss.cookie, &[])
        .await;
    assert_eq!(without_token.status, StatusCode::FORBIDDEN);
    assert_eq!(
        p.get_with_cookie("/admin/repairs", &li.cookie).await.status,
        StatusCode::OK,
        "nothing was reset"
    );

    // Reset: shown once; the old password and sessions end.
    let reset = act(format!("/admin/accounts/{li_id}/reset")).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    let temporary = temporary_password(&reset.body);
    assert_eq!(temporary.len(), 19, "{temporary}");
    assert!(!p
        .get_with_cookie("/admin/accounts", &boss.cookie)
        .await
        .body
        .contains(&temporary));
    assert_eq!(
        p.get_with_cookie("/admin/repairs", &li.cookie).await.status,
        StatusCode::SEE_OTHER
    );
    let old = p
        .post_form(
            "/admin/login",
            "",
            &[("username", "li"), ("password", "Hegang-Review-2026")],
        )
        .await;
    assert_eq!(old.status, StatusCode::BAD_REQUEST);

    // With the temporary password: nothing but choosing a new one.
    let login = p
        .post_form(
            "/admin/login",
            "",
            &[("username", "li"), ("password", &temporary)],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    let cookie = login.cookie("hegang_staff").unwrap();
    let queue = p.get_with_cookie("/admin/repairs", &cookie).await;
    assert_eq!(queue.status, StatusCode::SEE_OTHER);
    assert_eq!(queue.headers["location"], "/admin/password");
    let page = p.get_with_cookie("/admin/password", &cookie).await;
    assert!(page.body.contains("您的密码由管理员设置"));
    let csrf = {
        let at = page.body.find("name=\"_csrf\" value=\"").unwrap() + 20;
        page.body[at..at + 32].to_string()
    };
    let blocked = p
        .post_form("/admin/import", &cookie, &[("_csrf", &csrf)])
        .await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    let changed = p
        .post_form(
            "/admin/password",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("current_password", &temporary),
                ("new_password", "Own-Choice-2026-Hg"),
                ("confirm_password", "Own-Choice-2026-Hg"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(
        p.get_with_cookie("/admin/repairs", &cookie).await.status,
        StatusCode::OK
    );

    // Every action is in the register; console-made accounts must choose
    // their own password too.
    let chain = p.backend.staff.audit_chain().await.unwrap();
    let purposes: Vec<&str> = chain
        .iter()
        .filter(|e| e.action == "account_changed")
        .map(|e| e.purpose.as_str())
        .collect();
    assert_eq!(
        purposes,
        vec![
            "停用账号",
            "启用账号",
            "停用账号",
            "重置密码（须在下次登录时修改）"
        ]
    );
    let created = p
        .post_form(
            "/admin/accounts",
            &boss.cookie,
            &[
                ("_csrf", &boss.csrf),
                ("username", "zhao"),
                ("display_name", "赵（演示）"),
                ("role", "auditor"),
                ("department", ""),
                ("password", "Initial-Pass-2026-Hg"),
            ],
        )
        .await;
    assert!(
        created.body.contains("账号 zhao 已创建"),
        "{}",
        created.body
    );
    let zhao = p
        .backend
        .staff
        .account_by_username("zhao")
        .await
        .unwrap()
        .unwrap();
    assert!(zhao.must_change_password);
}
