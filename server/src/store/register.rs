//! The access register's hash chain and the text form of timestamps it
//! hashes, for both stores: each entry's hash covers the previous entry's
//! hash and every field, so an edit, a removal or an insertion anywhere is
//! found by [`verify_chain`]. SQLite also stores every timestamp in this
//! text form.

use app::store::staff::AuditEntry;
use app::store::StoreError;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// A timestamp as text: RFC 3339 in UTC with milliseconds.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// [`ts`] read back.
pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError(format!("bad timestamp {s}: {e}")))
}

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of a register entry: SHA-256 over the previous entry's hash and
/// every field, each length-prefixed so no text can move between fields.
#[allow(clippy::too_many_arguments)]
pub fn audit_hash(
    prev_hash: &str,
    id: i64,
    at: &str,
    account_id: Option<i64>,
    actor: &str,
    action: &str,
    target: &str,
    purpose: &str,
    client: &str,
) -> String {
    let mut h = Sha256::new();
    let account = account_id.map(|a| a.to_string()).unwrap_or_default();
    let id = id.to_string();
    for field in [
        prev_hash, &id, at, &account, actor, action, target, purpose, client,
    ] {
        h.update(field.len().to_string().as_bytes());
        h.update(b":");
        h.update(field.as_bytes());
        h.update(b";");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a chain check failed.
#[derive(Debug, PartialEq, Eq)]
pub struct ChainBreak {
    pub id: i64,
    pub reason: &'static str,
}

/// Checks that every entry links to the one before and its hash matches
/// its fields. Returns how many entries were checked.
pub fn verify_chain(entries: &[AuditEntry]) -> Result<usize, ChainBreak> {
    let mut prev = GENESIS_HASH.to_string();
    for e in entries {
        if e.prev_hash != prev {
            return Err(ChainBreak {
                id: e.id,
                reason: "与前一条登记的哈希不衔接（登记被删除、插入或改动）",
            });
        }
        let expected = audit_hash(
            &e.prev_hash,
            e.id,
            &ts(e.at),
            e.account_id,
            &e.actor,
            &e.action,
            &e.target,
            &e.purpose,
            &e.client,
        );
        if e.hash != expected {
            return Err(ChainBreak {
                id: e.id,
                reason: "内容与哈希不符（登记被改动）",
            });
        }
        prev = e.hash.clone();
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::store::staff::AuditEntry;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_string();
        let at = Utc::now();
        (1..=n)
            .map(|id| {
                let hash = audit_hash(
                    &prev,
                    id,
                    &ts(at),
                    Some(1),
                    "li",
                    "login",
                    "-",
                    "-",
                    "127.0.0.1",
                );
                let e = AuditEntry {
                    id,
                    at: parse_ts(&ts(at)).unwrap(),
                    account_id: Some(1),
                    actor: "li".into(),
                    action: "login".into(),
                    target: "-".into(),
                    purpose: "-".into(),
                    client: "127.0.0.1".into(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies_and_any_change_breaks_it() {
        let entries = chain(4);
        assert_eq!(verify_chain(&entries), Ok(4));

        let mut edited = entries.clone();
        edited[1].target = "application XF2026112600002".into();
        assert_eq!(verify_chain(&edited).unwrap_err().id, 2);

        let mut removed = entries.clone();
        removed.remove(2);
        assert_eq!(verify_chain(&removed).unwrap_err().id, 4);
    }

    #[test]
    fn text_cannot_move_between_fields() {
        let a = audit_hash(GENESIS_HASH, 1, "t", None, "ab", "c", "", "", "");
        let b = audit_hash(GENESIS_HASH, 1, "t", None, "a", "bc", "", "", "");
        assert_ne!(a, b);
    }
}
