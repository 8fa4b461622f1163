//! API keys: issued, listed, found by hash, revoked — each change with its
//! register entry.

use app::domain::api_key::KeyScope;
use app::domain::staff::AuditAction;
use app::store::keys::{Grant, NewKey};
use app::store::staff::NewAuditEntry;
use chrono::{TimeZone, Utc};

use super::{databases, departments};

fn audit(purpose: &str) -> NewAuditEntry {
    NewAuditEntry {
        at: Utc::now(),
        account_id: None,
        actor: "admin".into(),
        action: AuditAction::ApiKeysChanged,
        target: "接口密钥".into(),
        purpose: purpose.into(),
        client: "127.0.0.1".into(),
    }
}

#[tokio::test]
async fn a_key_works_until_it_is_revoked() {
    for db in databases().await {
        departments(&db).await;
        db.exec(
            "insert into staff_accounts (id, username, display_name, role, password_hash,
                                         created_at, password_changed_at)
             values (1, 'admin', '管理员', 'admin', 'x', '2026-11-30T00:00:00Z',
                     '2026-11-30T00:00:00Z')",
        )
        .await;
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
        for (grant, name, hash) in [
            (
                Grant::Push { department_id: 7 },
                "执法办案系统",
                "hash-push",
            ),
            (Grant::Feed, "省信用平台", "hash-feed"),
        ] {
            let key = NewKey {
                grant,
                name: name.into(),
                prefix: format!("hgk_{hash}"),
                key_hash: hash.into(),
                created_by: 1,
                now,
            };
            db.keys.issue_key(&key, &audit("签发")).await.unwrap();
        }
        let keys = db.keys.keys().await.unwrap();
        assert_eq!(keys.len(), 2, "{}", db.name);
        assert_eq!(keys[0].scope, KeyScope::Push, "{}", db.name);
        assert_eq!(
            keys[0].department.as_deref(),
            Some("鹤岗市市场监督管理局"),
            "{}",
            db.name
        );
        assert_eq!(keys[1].department, None, "{}", db.name);
        assert_eq!(
            keys[0].created_at, now,
            "{}: times read back as written",
            db.name
        );

        let push = db.keys.active_key("hash-push").await.unwrap().unwrap();
        assert_eq!(push.grant, Grant::Push { department_id: 7 }, "{}", db.name);
        assert!(db.keys.active_key("no-such-hash").await.unwrap().is_none());

        assert!(db
            .keys
            .revoke_key(push.id, now, &audit("吊销"))
            .await
            .unwrap());
        assert!(
            db.keys.active_key("hash-push").await.unwrap().is_none(),
            "{}: a revoked key no longer works",
            db.name
        );
        assert!(
            !db.keys
                .revoke_key(push.id, now, &audit("吊销"))
                .await
                .unwrap(),
            "{}: revoking twice changes nothing",
            db.name
        );
        assert_eq!(
            db.count("select count(*) from audit_log").await,
            3,
            "{}: two issues and one revocation registered",
            db.name
        );
        let revoked = db.keys.keys().await.unwrap();
        assert_eq!(revoked[0].revoked_at, Some(now), "{}", db.name);
    }
}

#[tokio::test]
async fn a_push_key_needs_a_department_and_a_feed_key_has_none() {
    for db in databases().await {
        departments(&db).await;
        for (scope, department, ok) in [
            ("push", "null", false),
            ("feed", "7", false),
            ("push", "7", true),
            ("feed", "null", true),
        ] {
            let sql = format!(
                "insert into api_keys (scope, department_id, name, prefix, key_hash, created_at)
                 values ('{scope}', {department}, 'x', 'hgk_', 'h-{scope}-{department}',
                         '2026-11-30T00:00:00Z')"
            );
            let stored = db.try_exec(&sql).await;
            assert_eq!(
                stored, ok,
                "{}: {scope} key with department {department}",
                db.name
            );
        }
    }
}
