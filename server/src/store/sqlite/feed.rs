//! Reading the change log (`record_changes`) for the provincial feed: the
//! changes the provincial platform is entitled to, with the subject each
//! record is about, still unmasked — `collect::feed` masks them before
//! anything leaves.

use app::domain::SubjectKind;
use app::store::feed::{Change, FeedStore};
use app::store::{StoreError, StoredSubject};
use async_trait::async_trait;
use sqlx::Row;

use super::sqlite::{db_err, SqliteStore};

/// Which changes the provincial platform is entitled to, as a condition on
/// the change `c` and, for a serious-list entry, the entry `s`. This is the
/// one place the rule is written: it is plain SQL both stores run (the
/// PostgreSQL store's feed uses it too).
///
/// A change leaves unless its record falls under a catalog item whose
/// sharing attribute (共享属性) is 不予共享 (`none`): such an item's records
/// are kept from every other system, whatever their disclosure attribute.
/// Items shared unconditionally and conditionally both leave: the
/// provincial platform is where the city's collected credit information is
/// delivered, a feed key is issued to it alone by an administrator, and
/// every read is registered — that is the condition. Records that are not
/// public (依申请公开, 授权查询, 不予公开) leave under the same rule, since
/// sharing between platforms is not disclosure to the public; what leaves
/// is masked all the same (`collect::feed`).
///
/// A serious-list entry falls under the items of the penalty that grounds
/// it. One not grounded on a penalty falls under no item and leaves: a
/// decided list is for sharing with the credit platforms above the city.
pub(crate) const ENTITLED: &str = "not exists (
    select 1 from record_rules rr
    join catalog_rules r on r.id = rr.rule_id
    join catalog_items i on i.id = r.item_id
    where i.sharing = 'none'
      and rr.record_kind = case c.record_kind when 'serious' then 'penalty' else c.record_kind end
      and rr.record_id = case c.record_kind when 'serious' then s.grounds_penalty_id
                                            else c.record_id end)";

/// The changes after `$1` the platform is entitled to, at most `$2`, with
/// their records' document numbers and subjects (both stores run it).
pub(crate) fn changes_sql() -> String {
    format!(
        "select c.id, c.at, c.record_kind, c.record_id, c.department_id, c.change,
                coalesce(p.doc_no, l.doc_no, s.doc_no), c.before, c.after,
                sub.id, sub.kind, sub.name, sub.credit_code, sub.id_number, sub.representative
         from record_changes c
         left join penalties p on c.record_kind = 'penalty' and p.id = c.record_id
         left join licenses l on c.record_kind = 'license' and l.id = c.record_id
         left join serious_entries s on c.record_kind = 'serious' and s.id = c.record_id
         join subjects sub on sub.id = coalesce(p.subject_id, l.subject_id, s.subject_id)
         where c.id > $1 and {ENTITLED}
         order by c.id limit $2"
    )
}

#[async_trait]
impl FeedStore for SqliteStore {
    /// The changes after `after` that pass [`ENTITLED`]. (Every change is
    /// about a record, and records are never deleted, so each has its subject.)
    async fn entitled_changes(&self, after: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
        let sql = changes_sql();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(limit)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let kind: String = r.get(10);
                let subject = StoredSubject {
                    id: r.get(9),
                    kind: SubjectKind::from_code(&kind)
                        .ok_or_else(|| StoreError(format!("subject kind {kind}")))?,
                    name: r.get(11),
                    credit_code: r.get(12),
                    id_number: r.get(13),
                    representative: r.get(14),
                };
                Ok(Change {
                    id: r.get(0),
                    at: r.get(1),
                    record_kind: r.get(2),
                    record_id: r.get(3),
                    department_id: r.get(4),
                    change: r.get(5),
                    doc_no: r.get(6),
                    before: r.get(7),
                    after: r.get(8),
                    subject,
                })
            })
            .collect()
    }
}
