//! Staged deliveries (the `DeliveryStore` of the database the suite runs
//! on: `store::collect::staging` on SQLite, `store::postgres::delivery` on
//! PostgreSQL) through the importer's own pieces: staged rows are invisible until published; what others
//! change between checking and publishing is settled at publication (a
//! catalog change refuses the delivery, a subject registered meanwhile
//! gets the rows, a record repaired meanwhile stays off the public pages);
//! a delivery abandoned half-way is removed and leaves nothing.

use app::domain::collection::SheetKind;
use server::collect::import::{process_row, Delivery, Summary};
use server::store::delivery::CHUNK_ROWS;
use server::store::delivery::{DeliveryTurn, ImportContext, Published};

use super::collect::{count, dept, Dept};
use super::{portal, today, Portal};

/// A valid credit code for staging-test subject `n`.
fn credit_code(n: u32) -> String {
    let first17 = format!("91230409{n:09}");
    let check = app::domain::credit_code::check_char(&first17).expect("check char");
    format!("{first17}{check}")
}

/// The cells of a valid penalty row of the department.
fn row(d: &Dept, name: &str, code: &str, doc: &str, note: &str) -> Vec<(&'static str, String)> {
    vec![
        ("CF_XDR_MC", name.to_string()),
        ("CF_XDR_LB", "法人及非法人组织".into()),
        ("CF_XDR_SHXYM", code.to_string()),
        ("CF_WSH", doc.to_string()),
        ("CF_WFXW", "销售不合格产品".into()),
        ("CF_SY", "经查当事人销售不合格产品".into()),
        ("CF_YJ", "《产品质量法》第四十九条".into()),
        ("CF_CFLB", "罚款".into()),
        ("CF_NR", "罚款一万元".into()),
        ("CF_NR_FK", "1".into()),
        ("CF_JDRQ", "2026-10-12".into()),
        ("CF_CFJG", d.name.clone()),
        ("CF_CFJGDM", d.credit_code.clone()),
        ("ML_BM", "scjg-ordinary".into()),
        ("BZ", note.to_string()),
    ]
}

/// A delivery of `rows`, checked and staged (whole chunks written), not
/// published.
struct Staged {
    turn: DeliveryTurn,
    ctx: ImportContext,
    delivery: Delivery,
    summary: Summary,
}

async fn stage(p: &Portal, d: &Dept, rows: &[Vec<(&'static str, String)>]) -> Staged {
    let turn = p.backend.deliveries.turn(d.id).await.unwrap();
    let mut reads = p.backend.deliveries.reads(false).await.unwrap();
    let ctx = reads.context(d.id).await.unwrap();
    let staging = p
        .backend
        .deliveries
        .stage(&turn, SheetKind::Penalty, "staging-test")
        .await
        .unwrap();
    let mut delivery = Delivery::commit(SheetKind::Penalty, today(), staging);
    let mut summary = Summary::default();
    for (i, cells) in rows.iter().enumerate() {
        let value = |code: &str| {
            cells
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, v)| v.clone())
        };
        let result = process_row(reads.as_mut(), &ctx, value, i as u64 + 2, &mut delivery)
            .await
            .unwrap();
        summary.count(&result);
    }
    Staged {
        turn,
        ctx,
        delivery,
        summary,
    }
}

impl Staged {
    async fn publish(self) -> Published {
        let counts = self.summary.counts();
        let published = self
            .delivery
            .publish(&self.ctx, &counts, "sheet")
            .await
            .unwrap();
        drop(self.turn);
        published
    }
}

/// Counts of everything a delivery writes where others can see it.
async fn visible(p: &Portal) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "penalties",
        "subjects",
        "record_rules",
        "public_entries",
        "record_changes",
        "deliveries",
    ] {
        counts.push(count(p, &format!("select count(*) from {table}")).await);
    }
    // The name index's penalty filter token: SQLite's index is a table of
    // its own, PostgreSQL's the projection's `tokens`.
    let indexed = if p.db.is_postgres() {
        "select count(*) from public_entries where tokens @> array['zzk1']"
    } else {
        "select count(*) from public_fts where public_fts match 'zzk1'"
    };
    counts.push(count(p, indexed).await);
    counts
}

async fn staged_rows(p: &Portal) -> i64 {
    count(p, "select count(*) from staged_penalties").await
        + count(p, "select count(*) from staged_subjects").await
        + count(p, "select count(*) from import_stagings").await
}

fn many(d: &Dept, n: u32) -> Vec<Vec<(&'static str, String)>> {
    (0..n)
        .map(|i| {
            row(
                d,
                &format!("鹤岗市暂存测试{i}号有限公司（演示）"),
                &credit_code(i),
                &format!("鹤市监罚〔2026〕{}号", 400_000 + i),
                "",
            )
        })
        .collect()
}

#[tokio::test]
async fn staged_rows_stay_invisible_and_a_catalog_change_refuses_the_delivery() {
    let p = portal().await;
    let d = dept(&p).await;
    let before = visible(&p).await;
    let rows = many(&d, CHUNK_ROWS as u32 + 20);
    let staged = stage(&p, &d, &rows).await;
    assert_eq!(staged.summary.taken, CHUNK_ROWS as u64 + 20);
    // A whole chunk is staged, and nothing of it shows anywhere.
    assert_eq!(
        count(&p, "select count(*) from staged_penalties").await,
        CHUNK_ROWS as i64
    );
    assert_eq!(visible(&p).await, before);
    let (_, search) = p
        .get("/search?q=%E6%9A%82%E5%AD%98%E6%B5%8B%E8%AF%95")
        .await;
    assert!(
        !search.contains("暂存测试1号有限公司") && search.contains("暂存测试"),
        "staged names are not searchable"
    );

    // The catalog changes before publication: the delivery was checked
    // against rules no longer in force, so it is refused whole.
    p.db.exec("update catalog_items set reporting_working_days = 9 where code = 'scjg-ordinary'")
        .await;
    match staged.publish().await {
        Published::Refused(reason) => assert!(reason.contains("目录"), "{reason}"),
        Published::Done(_) => panic!("a delivery checked against an old catalog was published"),
    }
    assert_eq!(visible(&p).await, before, "nothing written");
    assert_eq!(staged_rows(&p).await, 0, "and nothing left staged");
}

#[tokio::test]
async fn a_subject_registered_meanwhile_gets_the_rows_under_its_name() {
    let p = portal().await;
    let d = dept(&p).await;
    let code = credit_code(7);
    let rows = vec![
        row(
            &d,
            "鹤岗市暂存甲有限公司（演示）",
            &code,
            "鹤市监罚〔2026〕410001号",
            "",
        ),
        row(
            &d,
            "鹤岗市暂存甲有限公司（演示）",
            &code,
            "鹤市监罚〔2026〕410002号",
            "",
        ),
    ];
    let staged = stage(&p, &d, &rows).await;
    // Another department's push registers the same organisation first,
    // under the name it is registered with.
    let registered: i64 = p
        .rows(&format!(
            "insert into subjects (kind, name, credit_code)
             values ('legal', '鹤岗市登记乙有限公司（演示）', '{code}')
             returning id"
        ))
        .await[0]
        .get(0);
    assert!(matches!(staged.publish().await, Published::Done(_)));
    assert_eq!(
        count(
            &p,
            &format!("select count(*) from subjects where credit_code = '{code}'")
        )
        .await,
        1,
        "one subject per credit code"
    );
    let records = p
        .rows(
            "select p.subject_id, e.name, e.subject_id from penalties p
             join public_entries e on e.record_kind = 'penalty' and e.record_id = p.id
             where p.doc_no like '鹤市监罚〔2026〕41000_号' order by p.id",
        )
        .await;
    assert_eq!(records.len(), 2);
    for r in &records {
        assert_eq!(r.get::<i64, _>(0), registered);
        assert_eq!(r.get::<i64, _>(2), registered);
        assert_eq!(r.get::<String, _>(1), "鹤岗市登记乙有限公司（演示）");
    }
    let (_, search) = p.get("/search?q=%E7%99%BB%E8%AE%B0%E4%B9%99").await;
    assert!(
        search.contains("鹤岗市登记乙有限公司"),
        "found by its registered name"
    );
    assert_eq!(staged_rows(&p).await, 0);
}

#[tokio::test]
async fn a_correction_of_a_record_repaired_meanwhile_stays_off_the_public_pages() {
    let p = portal().await;
    let d = dept(&p).await;
    let public = p
        .rows(&format!(
            "select p.id, p.doc_no, s.name, s.credit_code from penalties p
             join subjects s on s.id = p.subject_id
             join public_entries e on e.record_kind = 'penalty' and e.record_id = p.id
             where p.department_id = {} and s.kind = 'legal' and p.repaired_on is null order by p.id limit 2",
            d.id
        ))
        .await;
    let (repaired_id, repaired_doc): (i64, String) = (public[0].get(0), public[0].get(1));
    let (other_id, other_doc): (i64, String) = (public[1].get(0), public[1].get(1));
    let cells = |r: &super::db::TestRow, doc: &str| {
        let name: String = r.get(2);
        let code: String = r.get(3);
        row(&d, &name, &code, doc, "暂存更正")
    };
    let rows = vec![
        cells(&public[0], &repaired_doc),
        cells(&public[1], &other_doc),
    ];
    let staged = stage(&p, &d, &rows).await;
    assert_eq!(staged.summary.updated, 2);
    // A reviewer approves a repair of the first record meanwhile.
    p.db.exec(&format!(
        "update penalties set repaired_on = '{}' where id = {repaired_id}",
        today()
    ))
    .await;
    // SQLite's name index is a table of its own, kept by the store;
    // PostgreSQL's indexes go with the projection's rows.
    if !p.db.is_postgres() {
        p.db.exec(&format!(
            "delete from public_fts where rowid in (select sort_key from public_entries
             where record_kind = 'penalty' and record_id = {repaired_id})"
        ))
        .await;
    }
    p.db.exec(&format!(
        "delete from public_entries where record_kind = 'penalty' and record_id = {repaired_id}"
    ))
    .await;
    assert!(matches!(staged.publish().await, Published::Done(_)));
    // Both are corrected; the repaired one stays off the public pages.
    assert_eq!(
        count(&p, "select count(*) from penalties where note = '暂存更正'").await,
        2
    );
    let public_of = |id: i64| {
        format!("select count(*) from public_entries where record_kind = 'penalty' and record_id = {id}")
    };
    assert_eq!(count(&p, &public_of(repaired_id)).await, 0);
    assert_eq!(count(&p, &public_of(other_id)).await, 1);
    assert_eq!(
        count(&p, &format!("select count(*) from penalties where id = {repaired_id} and repaired_on is not null")).await,
        1,
        "the repair stays"
    );
}

#[tokio::test]
async fn a_delivery_abandoned_half_way_is_removed_and_leaves_nothing() {
    let p = portal().await;
    let d = dept(&p).await;
    let before = visible(&p).await;
    let staged = stage(&p, &d, &many(&d, CHUNK_ROWS as u32 + 5)).await;
    assert!(staged_rows(&p).await > CHUNK_ROWS as i64);
    // The process dies: nothing cleans up after the delivery.
    std::mem::forget(staged.delivery);
    drop(staged.turn);
    assert_eq!(visible(&p).await, before);
    // What the start-up cleanup does.
    let removed = p
        .backend
        .deliveries
        .discard_abandoned(chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(removed, 1);
    assert_eq!(staged_rows(&p).await, 0);
    assert_eq!(visible(&p).await, before);

    // A delivery dropped without publication (a failure, a task cut short)
    // removes its own staged rows.
    let staged = stage(&p, &d, &many(&d, CHUNK_ROWS as u32 + 5)).await;
    drop(staged);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while staged_rows(&p).await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "staged rows left behind"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(visible(&p).await, before);
}
