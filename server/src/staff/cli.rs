//! Server commands for the console, run as `server <command>` with the same
//! environment as the portal (`PORTAL_DATA_DIR`, `DATABASE_URL`):
//!
//! - `server staff add --role admin|reviewer|auditor --username NAME
//!   --name 显示名 [--department ID]` creates an account; the password is
//!   read from the first line of standard input, so it never appears in
//!   the process list or shell history. This is how the first
//!   administrator is created: there is no default account or password.
//! - `server audit verify` checks the access register's hash chain and
//!   exits with status 1 when an entry was changed, removed or inserted.
//! - `server demo identity RECORD_ID` prints what the identity step of an
//!   online repair asks for a **demo** record (its fictional subject's
//!   hidden identifiers) and whether an application for it is open, so a
//!   demonstration or a browser test can apply.
//!   It refuses records that are not demo data.
//! - `server key issue --scope check|push|feed [--department ID] --name
//!   SYSTEM --by ADMIN` issues an API key for another system in the name
//!   of administrator ADMIN (registered like one issued in the console)
//!   and prints it once: how a deployment's systems get their first keys
//!   without a browser.
//! - `server measures load-national` adds the national basic list's
//!   measures (`app::domain::measure::NATIONAL_MEASURES`) to an empty
//!   measures list, applied by those of their departments that exist
//!   (demo portals get them at start-up).
//! - `server database copy-to postgres://…` copies the SQLite portal that
//!   `DATABASE_URL` names into an empty PostgreSQL database and checks the
//!   copy (rows per table, the register's chain): see `store::copy`. Stop
//!   the portal first, so that nothing changes during the copy.

use std::io::BufRead;

use app::domain::staff::{check_new_password, check_username, AuditAction, Role};
use app::store::staff::{NewAccount, NewAuditEntry};
use chrono::Utc;

use super::session::hash_password;
use crate::store::backend::Backend;
use crate::store::register::verify_chain;

/// Runs a command if `args` (without the program name) name one; `None`
/// when they do not (the portal then starts as usual).
pub async fn run(args: &[String], backend: &Backend) -> Option<Result<String, String>> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["staff", "add", rest @ ..] => Some(add(rest, backend).await),
        ["audit", "verify"] => Some(verify(backend).await),
        ["demo", "identity", id] => Some(demo_identity(id, backend).await),
        ["database", "copy-to", url] => Some(copy_to(url, backend).await),
        ["key", "issue", rest @ ..] => Some(issue_key(rest, backend).await),
        ["measures", "load-national"] => Some(load_measures(backend).await),
        [] => None,
        _ => Some(Err(USAGE.to_string())),
    }
}

pub const USAGE: &str = "usage:\n  server                      run the portal\n  server staff add --role admin|reviewer|auditor --username NAME --name 显示名 [--department ID]\n                              (password: first line of standard input)\n  server audit verify         check the access register's hash chain\n  server demo identity ID     the identity answers of a demo record (for demonstrations)\n  server key issue --scope check|push|feed [--department ID] --name SYSTEM --by ADMIN\n                              issue an API key (printed once)\n  server measures load-national\n                              add the national measures to an empty measures list\n  server database copy-to postgres://…\n                              copy this SQLite portal into an empty PostgreSQL database";

async fn demo_identity(raw: &str, backend: &Backend) -> Result<String, String> {
    let id: i64 = raw
        .parse()
        .map_err(|_| format!("{raw} is not a record id"))?;
    let penalty = backend
        .public
        .penalty(id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no penalty {id}"))?;
    // Only organisations' demo names carry the marker; a person's
    // identifiers are never printed, demo or not.
    if !penalty.subject.name.contains(crate::demo::MARKER) {
        return Err("not a demo organisation's record: its identifiers are never printed".into());
    }
    let representative_id = backend
        .repair
        .representative_id(id)
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    let code = penalty.subject.credit_code.unwrap_or_default();
    // Whether an application is open (a demonstration can pick another).
    let open = match backend.repair.open_application_for(id).await {
        Ok(Some(_)) => "open",
        Ok(None) => "none",
        Err(e) => return Err(e.to_string()),
    };
    Ok(format!("{code}\n{representative_id}\n{open}"))
}

async fn load_measures(backend: &Backend) -> Result<String, String> {
    crate::services::serious_domains::ensure_national(backend.serious.as_ref())
        .await
        .map_err(|e| e.to_string())?;
    let departments = backend
        .measures
        .all_departments()
        .await
        .map_err(|e| e.to_string())?;
    let added = crate::services::measures::seed_national(
        backend.measures.as_ref(),
        backend.serious.as_ref(),
        &departments,
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(format!("{added} measures added"))
}

async fn issue_key(args: &[&str], backend: &Backend) -> Result<String, String> {
    use app::domain::api_key::KeyScope;
    use app::store::keys::Grant;
    let scope = flag(args, "--scope")
        .and_then(KeyScope::from_code)
        .ok_or("--scope must be check, push or feed")?;
    let name = flag(args, "--name").ok_or("--name is required")?.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err("--name: the system's name, at most 40 characters".into());
    }
    let by = flag(args, "--by").ok_or("--by (an administrator's username) is required")?;
    let admin = backend
        .staff
        .account_by_username(by)
        .await
        .map_err(|e| e.to_string())?
        .filter(|a| a.member.role == Role::Admin && !a.disabled)
        .ok_or_else(|| format!("{by} is not an active administrator"))?;
    let department = match flag(args, "--department") {
        None => None,
        Some(d) => {
            let id = d
                .parse::<i64>()
                .map_err(|_| "--department must be a department id")?;
            let known = backend
                .measures
                .all_departments()
                .await
                .map_err(|e| e.to_string())?;
            Some(
                known
                    .into_iter()
                    .find(|k| k.id == id)
                    .ok_or_else(|| format!("no department {id}"))?,
            )
        }
    };
    let grant = match (scope, &department) {
        (KeyScope::Push, Some(d)) => Grant::Push {
            department_id: d.id,
        },
        (KeyScope::Check, Some(d)) => Grant::Check {
            department_id: d.id,
        },
        (KeyScope::Feed, None) => Grant::Feed,
        (KeyScope::Feed, Some(_)) => return Err("a feed key belongs to no department".into()),
        (_, None) => return Err("a push or check key needs --department".into()),
    };
    let (key, new) =
        super::keys::fresh_key(grant, name, admin.member.account_id).map_err(|e| e.to_string())?;
    let target = match &department {
        Some(d) => format!("{} 的{}接口密钥（{name}）", d.name, scope.label()),
        None => format!("{}接口密钥（{name}）", scope.label()),
    };
    let audit = NewAuditEntry {
        at: Utc::now(),
        account_id: Some(admin.member.account_id),
        actor: admin.member.username.clone(),
        action: AuditAction::ApiKeysChanged,
        target,
        purpose: format!("在服务器命令行签发{}接口密钥", scope.label()),
        client: "server command".into(),
    };
    backend
        .keys
        .issue_key(&new, &audit)
        .await
        .map_err(|e| e.to_string())?;
    Ok(key)
}

fn flag<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    args.windows(2).find(|w| w[0] == name).map(|w| w[1])
}

async fn add(args: &[&str], backend: &Backend) -> Result<String, String> {
    let role = flag(args, "--role")
        .and_then(Role::from_code)
        .ok_or("--role must be admin, reviewer or auditor")?;
    let username = check_username(flag(args, "--username").ok_or("--username is required")?)?;
    let display_name = flag(args, "--name")
        .ok_or("--name is required")?
        .trim()
        .to_string();
    let department = match flag(args, "--department") {
        None => None,
        Some(d) => Some(
            d.parse::<i64>()
                .map_err(|_| "--department must be a department id")?,
        ),
    };
    match (role, department) {
        (Role::Reviewer, None) => return Err("a reviewer needs --department".into()),
        (Role::Admin | Role::Auditor, Some(_)) => {
            return Err("only reviewers belong to a department".into())
        }
        _ => {}
    }
    if let Some(id) = department {
        let known = backend
            .public
            .departments()
            .await
            .map_err(|e| e.to_string())?;
        if !known.iter().any(|d| d.id == id) {
            let list: Vec<String> = known
                .iter()
                .map(|d| format!("{} {}", d.id, d.name))
                .collect();
            return Err(format!(
                "no department {id}; departments:\n{}",
                list.join("\n")
            ));
        }
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| format!("reading the password from standard input: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']);
    check_new_password(password, &username)?;
    let now = Utc::now();
    let account = NewAccount {
        username: username.clone(),
        display_name,
        role,
        department_id: department,
        password_hash: hash_password(password)?,
        // Chosen by its holder at the console of the server itself.
        must_change_password: false,
        now,
    };
    let id = backend
        .staff
        .create_account(&account)
        .await
        .map_err(|e| e.to_string())??;
    backend
        .staff
        .append_audit(&NewAuditEntry {
            at: now,
            account_id: None,
            actor: "server-command".into(),
            action: AuditAction::AccountCreated,
            target: format!("账号 {username}（{}）", role.label()),
            purpose: "服务器命令开设账号".into(),
            client: "local".into(),
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!("created {} {username} (id {id})", role.code()))
}

async fn verify(backend: &Backend) -> Result<String, String> {
    let entries = backend
        .staff
        .audit_chain()
        .await
        .map_err(|e| e.to_string())?;
    match verify_chain(&entries) {
        Ok(n) => Ok(format!("access register intact: {n} entries")),
        Err(b) => Err(format!(
            "access register broken at entry {}: {}",
            b.id, b.reason
        )),
    }
}

async fn copy_to(url: &str, backend: &Backend) -> Result<String, String> {
    let Some(source) = backend.as_sqlite() else {
        return Err("DATABASE_URL must name the SQLite portal to copy from".into());
    };
    if !crate::store::backend::is_postgres(url) {
        return Err(format!("{url} is not a postgres:// URL"));
    }
    let target = crate::store::postgres::PgStore::connect(url)
        .await
        .map_err(|e| e.to_string())?;
    let report = crate::store::copy::sqlite_to_postgres(source, &target)
        .await
        .map_err(|e| e.to_string())?;
    let mut lines: Vec<String> = report
        .rows
        .iter()
        .map(|(table, n)| format!("{table:<22}{n:>10}"))
        .collect();
    lines.push(format!(
        "copied and checked: rows equal in every table; access register intact ({} entries)",
        report.register_entries
    ));
    Ok(lines.join("\n"))
}
