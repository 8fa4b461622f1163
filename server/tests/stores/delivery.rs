//! Deliveries (`store::delivery`) on both databases, through the
//! importer's own pieces (`collect::import`): the same delivery writes the
//! same records, subjects, rule links, public rows, search tokens and
//! change log on each; staged rows stay invisible until publication; a
//! catalog change refuses the delivery; a department's turn waits for the
//! one before it (on PostgreSQL across app servers too); explicit ids
//! leave the identity sequences past them; abandoned stagings are removed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use app::domain::collection::SheetKind;
use app::domain::SubjectKind;
use chrono::NaiveDate;
use server::collect::import::{self, process_row, Delivery, Summary};
use server::store::delivery::CHUNK_ROWS;
use server::store::delivery::{DeliveryStore, DeliveryTurn, ImportContext, Published};
use server::store::postgres::PgStore;
use server::store::seed::{NewPenalty, NewSubject};
use sqlx::{ConnectOptions, Row};

use super::{databases, Db, Raw};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// Every selected column as text (the SQL casts), whatever the database.
type Rows = Vec<Vec<Option<String>>>;

async fn text_rows(db: &Db, sql: &str) -> Rows {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match &db.raw {
        Raw::Sqlite(s) => sqlx::query(sql)
            .fetch_all(s.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (0..r.len()).map(|i| r.get(i)).collect())
            .collect(),
        Raw::Pg(p) => sqlx::query(sql)
            .fetch_all(p.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (0..r.len()).map(|i| r.get(i)).collect())
            .collect(),
    }
}

/// The department deliveries come from (the demo's market regulator).
struct Dept {
    id: i64,
    name: String,
    credit_code: String,
}

async fn demo(db: &Db) -> Dept {
    server::demo::generate(db.seed.as_ref(), 300, today(), false)
        .await
        .unwrap();
    let r = &text_rows(
        db,
        "select cast(id as text), name, credit_code from departments where code = 'scjg'",
    )
    .await[0];
    Dept {
        id: r[0].as_deref().unwrap().parse().unwrap(),
        name: r[1].clone().unwrap(),
        credit_code: r[2].clone().unwrap(),
    }
}

/// A valid credit code for test subject `n`.
fn credit_code(n: u32) -> String {
    let first17 = format!("91230409{n:09}");
    let check = app::domain::credit_code::check_char(&first17).expect("check char");
    format!("{first17}{check}")
}

type Cells = Vec<(&'static str, String)>;

/// The cells of a valid penalty row of the department, decided on `date`.
fn row(d: &Dept, name: &str, code: &str, doc: &str, date: &str, note: &str) -> Cells {
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
        ("CF_NR_FK", "1.25".into()),
        ("CF_JDRQ", date.to_string()),
        ("CF_CFJG", d.name.clone()),
        ("CF_CFJGDM", d.credit_code.clone()),
        ("ML_BM", "scjg-ordinary".into()),
        ("BZ", note.to_string()),
    ]
}

/// `n` new records, each about a new company.
fn many(d: &Dept, n: u32) -> Vec<Cells> {
    (0..n)
        .map(|i| {
            row(
                d,
                &format!("鹤岗市交付测试{i}号有限公司（演示）"),
                &credit_code(i),
                &format!("鹤市监罚〔2026〕{}号", 500_000 + i),
                if i % 2 == 0 {
                    "2026-10-12"
                } else {
                    "2026-11-24"
                },
                "",
            )
        })
        .collect()
}

/// A delivery of `rows`, checked and staged (whole chunks written), not
/// published.
struct Staged {
    turn: DeliveryTurn,
    ctx: ImportContext,
    delivery: Delivery,
    summary: Summary,
}

async fn stage(db: &Db, d: &Dept, rows: &[Cells]) -> Staged {
    stage_kind(db, d, SheetKind::Penalty, rows).await
}

async fn stage_kind(db: &Db, d: &Dept, kind: SheetKind, rows: &[Cells]) -> Staged {
    let store = db.deliveries.as_ref();
    let turn = store.turn(d.id).await.unwrap();
    let mut reads = store.reads(false).await.unwrap();
    let ctx = reads.context(d.id).await.unwrap();
    let staging = store.stage(&turn, kind, "delivery-test").await.unwrap();
    let mut delivery = Delivery::commit(kind, today(), staging);
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
async fn visible(db: &Db) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "penalties",
        "subjects",
        "record_rules",
        "public_entries",
        "record_changes",
        "deliveries",
    ] {
        counts.push(db.count(&format!("select count(*) from {table}")).await);
    }
    counts
}

async fn staged_rows(db: &Db) -> i64 {
    db.count("select count(*) from staged_penalties").await
        + db.count("select count(*) from staged_subjects").await
        + db.count("select count(*) from import_stagings").await
}

/// The search tokens of every public row, by sort key: PostgreSQL's
/// `tokens` array; SQLite's FTS document, read back through fts5vocab.
async fn tokens(db: &Db) -> BTreeMap<i64, BTreeSet<String>> {
    let pairs: Vec<(i64, String)> = match &db.raw {
        Raw::Sqlite(s) => {
            let mut c = s.pool().acquire().await.unwrap();
            sqlx::raw_sql(
                "create virtual table if not exists temp.public_vocab
                 using fts5vocab(main, public_fts, instance)",
            )
            .execute(&mut *c)
            .await
            .unwrap();
            sqlx::query_as("select doc, term from temp.public_vocab")
                .fetch_all(&mut *c)
                .await
                .unwrap()
        }
        Raw::Pg(p) => {
            sqlx::query_as("select sort_key, t from public_entries, unnest(tokens) t where t <> ''")
                .fetch_all(p.pool())
                .await
                .unwrap()
        }
    };
    let mut all: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for (key, token) in pairs {
        all.entry(key).or_default().insert(token);
    }
    all
}

/// Everything a delivery writes, in a form both databases give alike.
#[derive(Debug, PartialEq)]
struct Written {
    tables: Vec<(&'static str, Rows)>,
    tokens: BTreeMap<i64, BTreeSet<String>>,
}

const WRITTEN: [(&str, &str); 7] = [
    (
        "penalties",
        "select cast(id as text) as id_text, cast(subject_id as text), doc_no, violation_type, facts,
                basis, categories, content, cast(fine_fen as text),
                cast(confiscated_fen as text), license_action, cast(decision_date as text),
                cast(valid_until as text), cast(department_id as text),
                cast(source_department_id as text), note, cast(repaired_on as text),
                case when late then '1' else '0' end, representative_id_number
         from penalties order by id",
    ),
    (
        "licenses",
        "select cast(id as text) as id_text, cast(subject_id as text), doc_name, doc_no,
                category, cert_name, cert_no, content, cast(decision_date as text),
                cast(valid_from as text), cast(valid_to as text), cast(department_id as text),
                cast(source_department_id as text), state, note,
                case when late then '1' else '0' end
         from licenses order by id",
    ),
    (
        "subjects",
        "select cast(id as text) as id_text, kind, name, credit_code, id_number, representative,
                division_code
         from subjects order by id",
    ),
    (
        "record_rules",
        "select record_kind, cast(record_id as text) as record, cast(rule_id as text) as rule
         from record_rules
         order by record_kind, record_id, rule_id",
    ),
    (
        "public_entries",
        "select cast(sort_key as text) as key_text, record_kind, cast(record_id as text),
                cast(subject_id as text), name, name_norm, credit_code, doc_no,
                cast(department_id as text), department, cast(decision_date as text),
                cast(until as text), summary
         from public_entries order by sort_key",
    ),
    (
        "record_changes",
        "select record_kind, cast(record_id as text), cast(department_id as text), change,
                actor, before, after
         from record_changes order by id",
    ),
    (
        "deliveries",
        "select cast(department_id as text), channel, actor, cast(taken as text),
                cast(updated as text), cast(refused as text), cast(late as text)
         from deliveries order by id",
    ),
];

async fn written(db: &Db) -> Written {
    let mut tables = Vec::new();
    for (name, sql) in WRITTEN {
        tables.push((name, text_rows(db, sql).await));
    }
    Written {
        tables,
        tokens: tokens(db).await,
    }
}

/// The delivery of the first test: new records (some late), corrections
/// of three existing records (one repaired), a refused row, a new company
/// named twice, a natural person, and a new record of a registered
/// subject; then `n` more new records.
async fn mixed(db: &Db, d: &Dept, n: u32) -> Vec<Cells> {
    let existing = text_rows(
        db,
        &format!(
            "select p.doc_no, s.name, s.credit_code from penalties p
             join subjects s on s.id = p.subject_id
             where p.department_id = {} and s.kind = 'legal'
               and p.repaired_on is null order by p.id limit 2",
            d.id
        ),
    )
    .await;
    assert_eq!(existing.len(), 2, "{}: records to correct", db.name);
    // A record repaired (its public row left for the correction to
    // remove): corrected, it stays off the public pages.
    db.exec(&format!(
        "update penalties set repaired_on = '2026-11-01' where id =
           (select p.id from penalties p join subjects s on s.id = p.subject_id
            where p.department_id = {} and s.kind = 'legal' and p.repaired_on is null
            order by p.id desc limit 1)",
        d.id
    ))
    .await;
    let repaired = text_rows(
        db,
        &format!(
            "select p.doc_no, s.name, s.credit_code from penalties p
             join subjects s on s.id = p.subject_id
             where p.department_id = {} and s.kind = 'legal'
               and p.repaired_on is not null order by p.id limit 1",
            d.id
        ),
    )
    .await;
    assert_eq!(
        repaired.len(),
        1,
        "{}: a repaired record to correct",
        db.name
    );
    let text = |r: &Vec<Option<String>>, i: usize| r[i].clone().unwrap();
    let mut rows = Vec::new();
    for (i, r) in existing.iter().chain(&repaired).enumerate() {
        let mut cells = row(
            d,
            &text(r, 1),
            &text(r, 2),
            &text(r, 0),
            "2026-10-12",
            "交付更正",
        );
        if i == 1 {
            // A fine that changes too.
            cells.retain(|(c, _)| *c != "CF_NR_FK");
            cells.push(("CF_NR_FK", "3".into()));
        }
        rows.push(cells);
    }
    // Refused: the credit code's check character is wrong.
    rows.push(row(
        d,
        "坏代码公司（演示）",
        "9135010OM000100Y43",
        "鹤市监罚〔2026〕599001号",
        "2026-11-24",
        "",
    ));
    // A new company named by two rows: registered once.
    for doc in ["鹤市监罚〔2026〕599002号", "鹤市监罚〔2026〕599003号"] {
        rows.push(row(
            d,
            "鹤岗市两次测试有限公司（演示）",
            &credit_code(900_001),
            doc,
            "2026-11-24",
            "",
        ));
    }
    // A natural person.
    let mut person = row(
        d,
        "张某某（演示）",
        "",
        "鹤市监罚〔2026〕599004号",
        "2026-11-20",
        "",
    );
    person.retain(|(c, _)| !matches!(*c, "CF_XDR_LB" | "CF_XDR_SHXYM"));
    person.push(("CF_XDR_LB", "自然人".into()));
    person.push(("CF_XDR_ZJHM", "11010519491231002X".into()));
    person.push(("GRXX_YJ", "法定职责".into()));
    rows.push(person);
    // A new record of a registered subject.
    rows.push(row(
        d,
        &text(&existing[0], 1),
        &text(&existing[0], 2),
        "鹤市监罚〔2026〕599005号",
        "2026-11-24",
        "",
    ));
    rows.extend(many(d, n));
    rows
}

#[tokio::test]
async fn the_same_delivery_writes_the_same_on_both_databases() {
    let mut results = Vec::new();
    for db in databases().await {
        let d = demo(&db).await;
        let rows = mixed(&db, &d, 1000).await;
        let before = visible(&db).await;
        let staged = stage(&db, &d, &rows).await;
        let s = &staged.summary;
        assert_eq!(
            (s.taken, s.updated, s.refused),
            (1004, 3, 1),
            "{}: {s:?}",
            db.name
        );
        assert!(s.late > 0, "{}", db.name);
        // Whole chunks are staged, and nothing of them shows anywhere.
        assert_eq!(
            db.count("select count(*) from staged_penalties").await,
            (2 * CHUNK_ROWS) as i64,
            "{}",
            db.name
        );
        assert_eq!(
            visible(&db).await,
            before,
            "{}: staged rows visible",
            db.name
        );
        let started = std::time::Instant::now();
        let stats = match staged.publish().await {
            Published::Done(stats) => stats,
            Published::Refused(reason) => panic!("{}: refused: {reason}", db.name),
        };
        eprintln!(
            "{}: 1,007 rows published in {:?} (publication transaction {:?}, {} transactions, \
             longest chunk {:?})",
            db.name,
            started.elapsed(),
            stats.publish,
            stats.transactions,
            stats.longest_chunk
        );
        assert_eq!(staged_rows(&db).await, 0, "{}: staged rows left", db.name);
        assert_eq!(
            db.count(&format!(
                "select count(*) from subjects where credit_code = '{}'
                 or name = '鹤岗市两次测试有限公司（演示）'",
                credit_code(900_001)
            ))
            .await,
            1,
            "{}: one subject for the company named twice",
            db.name
        );
        assert_eq!(
            db.count("select count(*) from penalties where note = '交付更正'")
                .await,
            3,
            "{}",
            db.name
        );
        assert_eq!(
            db.count(
                "select count(*) from public_entries e join penalties p
                 on e.record_kind = 'penalty' and e.record_id = p.id
                 where p.note = '交付更正' and p.repaired_on is not null"
            )
            .await,
            0,
            "{}: a repaired record stays off the public pages",
            db.name
        );
        assert_eq!(
            db.count(
                "select count(*) from record_changes
                 where change = 'corrected' and actor = 'delivery-test'"
            )
            .await,
            3,
            "{}",
            db.name
        );
        results.push((db.name, written(&db).await));
    }
    if let [(_, sqlite), (_, pg)] = &results[..] {
        for ((name, a), (_, b)) in sqlite.tables.iter().zip(&pg.tables) {
            assert_eq!(a.len(), b.len(), "{name}: row counts");
            for (x, y) in a.iter().zip(b) {
                assert_eq!(x, y, "{name}");
            }
        }
        assert_eq!(sqlite.tokens.len(), pg.tokens.len(), "tokens of every row");
        assert_eq!(sqlite.tokens, pg.tokens, "search tokens");
    }
}

#[tokio::test]
async fn a_sheet_dry_run_and_commit_do_the_same_on_both_databases() {
    let header = "CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,\
                  CF_NR_FK,CF_JDRQ,CF_CFJG,CF_CFJGDM,ML_BM,BZ";
    let mut results = Vec::new();
    for db in databases().await {
        let d = demo(&db).await;
        let mut sheet = vec![header.to_string()];
        for r in mixed(&db, &d, 20).await {
            if r.iter().any(|(c, _)| *c == "CF_XDR_ZJHM") {
                continue; // the header has no ID number column
            }
            let value = |code: &str| {
                r.iter()
                    .find(|(c, _)| *c == code)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            sheet.push(header.split(',').map(value).collect::<Vec<_>>().join(","));
        }
        let dir = std::env::temp_dir().join(format!(
            "hegang-delivery-{}-{}",
            std::process::id(),
            db.name
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("sheet.csv");
        std::fs::write(&path, sheet.join("\n")).unwrap();
        let before = visible(&db).await;
        let dry = import::dry_run(db.deliveries.as_ref(), d.id, &path, today(), Vec::new())
            .await
            .unwrap();
        assert_eq!(dry.sheet_error, None, "{}", db.name);
        assert_eq!(
            (dry.taken, dry.updated, dry.refused),
            (23, 3, 1),
            "{}",
            db.name
        );
        assert_eq!(
            visible(&db).await,
            before,
            "{}: a dry run writes nothing",
            db.name
        );
        let turn = db.deliveries.turn(d.id).await.unwrap();
        let done = import::commit(
            db.deliveries.as_ref(),
            &turn,
            &path,
            today(),
            "sheet-test",
            Vec::new(),
        )
        .await
        .unwrap();
        drop(turn);
        assert!(done.committed, "{}: {:?}", db.name, done.sheet_error);
        assert_eq!(
            (done.taken, done.updated, done.refused, done.late),
            (dry.taken, dry.updated, dry.refused, dry.late),
            "{}: the commit does what the dry run said",
            db.name
        );
        let _ = std::fs::remove_dir_all(&dir);
        results.push(written(&db).await);
    }
    if let [sqlite, pg] = &results[..] {
        assert_eq!(sqlite, pg);
    }
}

#[tokio::test]
async fn a_catalog_change_before_publication_refuses_the_delivery() {
    for db in databases().await {
        let d = demo(&db).await;
        let before = visible(&db).await;
        let staged = stage(&db, &d, &many(&d, CHUNK_ROWS as u32 + 20)).await;
        assert_eq!(
            db.count("select count(*) from staged_penalties").await,
            CHUNK_ROWS as i64,
            "{}",
            db.name
        );
        assert_eq!(visible(&db).await, before, "{}", db.name);
        db.exec("update catalog_items set reporting_working_days = 9 where code = 'scjg-ordinary'")
            .await;
        match staged.publish().await {
            Published::Refused(reason) => assert!(reason.contains("目录"), "{reason}"),
            Published::Done(_) => panic!("{}: checked against an old catalog", db.name),
        }
        assert_eq!(visible(&db).await, before, "{}: nothing written", db.name);
        assert_eq!(
            staged_rows(&db).await,
            0,
            "{}: nothing left staged",
            db.name
        );
    }
}

/// Whether `turn` is had within 300 ms.
async fn turn_within(store: &dyn DeliveryStore, department_id: i64) -> Option<DeliveryTurn> {
    tokio::time::timeout(Duration::from_millis(300), store.turn(department_id))
        .await
        .ok()
        .map(Result::unwrap)
}

#[tokio::test]
async fn a_department_waits_for_its_turn_and_no_other() {
    for db in databases().await {
        super::departments(&db).await;
        let store = db.deliveries.clone();
        let first = store.turn(7).await.unwrap();
        assert!(
            turn_within(store.as_ref(), 7).await.is_none(),
            "{}: a second delivery of the department waits",
            db.name
        );
        let other = turn_within(store.as_ref(), 8).await;
        assert!(other.is_some(), "{}: another department does not", db.name);
        // Another app server on the same database waits too.
        let second_server: Option<Arc<dyn DeliveryStore>> = match &db.raw {
            Raw::Pg(p) => {
                let url = p.pool().connect_options().to_url_lossy().to_string();
                Some(Arc::new(PgStore::connect(&url).await.unwrap()))
            }
            Raw::Sqlite(_) => None,
        };
        if let Some(server) = &second_server {
            assert!(
                turn_within(server.as_ref(), 7).await.is_none(),
                "{}: the turn holds across app servers",
                db.name
            );
            assert!(turn_within(server.as_ref(), 9).await.is_some());
        }
        // One waiting when the turn ends gets it.
        let waiting = {
            let store = store.clone();
            tokio::spawn(async move { store.turn(7).await.unwrap() })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!waiting.is_finished(), "{}", db.name);
        drop(first);
        let next = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the waiting delivery gets the turn")
            .unwrap();
        assert_eq!(next.department_id, 7);
        assert!(turn_within(store.as_ref(), 7).await.is_none());
        drop(next);
        assert!(
            turn_within(store.as_ref(), 7).await.is_some(),
            "{}: free again once dropped",
            db.name
        );
        if let Some(server) = &second_server {
            assert!(turn_within(server.as_ref(), 7).await.is_some());
        }
        drop(other);
    }
}

#[tokio::test]
async fn default_inserts_after_a_publication_take_new_ids() {
    for db in databases().await {
        let d = demo(&db).await;
        let staged = stage(&db, &d, &many(&d, 3)).await;
        assert!(matches!(staged.publish().await, Published::Done(_)));
        let max = |table: &str| format!("select max(id) from {table}");
        let (subjects, penalties) = (
            db.count(&max("subjects")).await,
            db.count(&max("penalties")).await,
        );
        let rule = db
            .count("select min(r.id) from catalog_rules r join catalog_items i on i.id = r.item_id where i.code = 'scjg-ordinary'")
            .await;
        let mut w = db.seed.writer().await.unwrap();
        let subject = w
            .subject(&NewSubject {
                kind: SubjectKind::LegalEntity,
                name: "鹤岗市序列测试有限公司（演示）",
                credit_code: Some(&credit_code(900_002)),
                id_number: None,
                representative: None,
                division_code: None,
            })
            .await
            .unwrap();
        let penalty = w
            .penalty(
                &NewPenalty {
                    subject_id: subject,
                    doc_no: "鹤市监罚〔2026〕599100号",
                    violation_type: "虚假宣传",
                    facts: "经查",
                    basis: "《反不正当竞争法》",
                    categories: &["罚款"],
                    content: "罚款一万元",
                    fine: None,
                    confiscated: None,
                    license_action: None,
                    decision_date: today(),
                    valid_until: None,
                    department_id: d.id,
                    source_department_id: d.id,
                    note: None,
                    repaired_on: None,
                    rule_ids: &[rule],
                    representative_id: None,
                    personal_basis: None,
                },
                today(),
            )
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(
            (subject, penalty),
            (subjects + 1, penalties + 1),
            "{}: the next ids",
            db.name
        );
    }
}

#[tokio::test]
async fn an_abandoned_staging_is_removed() {
    for db in databases().await {
        let d = demo(&db).await;
        let before = visible(&db).await;
        let staged = stage(&db, &d, &many(&d, CHUNK_ROWS as u32 + 5)).await;
        assert!(staged_rows(&db).await > CHUNK_ROWS as i64, "{}", db.name);
        // The process dies: nothing cleans up after the delivery.
        std::mem::forget(staged.delivery);
        drop(staged.turn);
        assert_eq!(visible(&db).await, before, "{}", db.name);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let cutoff = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(20)).await;
        // A staging begun after the cutoff is kept.
        let later = stage(&db, &d, &many(&d, 3)).await;
        let removed = db.deliveries.discard_abandoned(cutoff).await.unwrap();
        assert_eq!(removed, 1, "{}", db.name);
        assert_eq!(
            db.count("select count(*) from staged_penalties").await,
            0,
            "{}: the abandoned rows are gone (the later ones are not flushed yet)",
            db.name
        );
        assert_eq!(
            db.count("select count(*) from import_stagings").await,
            1,
            "{}: the later staging is kept",
            db.name
        );
        later.delivery.discard().await;
        drop(later.turn);
        assert_eq!(staged_rows(&db).await, 0, "{}", db.name);
        assert_eq!(visible(&db).await, before, "{}", db.name);

        // A delivery dropped without publication removes its own rows.
        let staged = stage(&db, &d, &many(&d, CHUNK_ROWS as u32 + 5)).await;
        drop(staged);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while staged_rows(&db).await > 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "{}: staged rows left behind",
                db.name
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(visible(&db).await, before, "{}", db.name);
    }
}

/// The cells of a valid licence row of the department.
fn license_row(d: &Dept, name: &str, code: &str, doc: &str, state: &str) -> Cells {
    vec![
        ("ML_BM", "scjg-license".into()),
        ("XK_XDR_MC", name.to_string()),
        ("XK_XDR_LB", "法人及非法人组织".into()),
        ("XK_XDR_SHXYM", code.to_string()),
        ("XK_XKWS", "准予行政许可决定书".into()),
        ("XK_WSH", doc.to_string()),
        ("XK_XKLB", "普通".into()),
        ("XK_XKZS", "食品经营许可证".into()),
        ("XK_XKBH", "JY12304000000001".into()),
        ("XK_NR", "预包装食品销售".into()),
        ("XK_JDRQ", "2026-10-08".into()),
        ("XK_YXQZ", "2026-10-08".into()),
        ("XK_YXQZI", "2031-10-07".into()),
        ("XK_XKJG", d.name.clone()),
        ("XK_XKJGDM", d.credit_code.clone()),
        ("XK_ZT", state.to_string()),
    ]
}

#[tokio::test]
async fn a_licence_delivery_writes_the_same_on_both_databases() {
    let mut results = Vec::new();
    for db in databases().await {
        let d = demo(&db).await;
        let existing = text_rows(
            &db,
            &format!(
                "select l.doc_no, s.name, s.credit_code from licenses l
                 join subjects s on s.id = l.subject_id
                 where l.department_id = {} and s.kind = 'legal' order by l.id limit 1",
                d.id
            ),
        )
        .await;
        assert_eq!(existing.len(), 1, "{}: a licence to correct", db.name);
        let text = |i: usize| existing[0][i].clone().unwrap();
        let mut rows = vec![
            license_row(&d, &text(1), &text(2), &text(0), "已注销"),
            license_row(&d, &text(1), &text(2), "鹤市监许〔2026〕599201号", ""),
        ];
        for i in 0..30 {
            rows.push(license_row(
                &d,
                &format!("鹤岗市许可交付{i}号有限公司（演示）"),
                &credit_code(800_000 + i),
                &format!("鹤市监许〔2026〕{}号", 599_300 + i),
                "",
            ));
        }
        let before = visible(&db).await;
        let staged = stage_kind(&db, &d, SheetKind::License, &rows).await;
        let s = &staged.summary;
        assert_eq!((s.taken, s.updated, s.refused), (31, 1, 0), "{}", db.name);
        assert_eq!(visible(&db).await, before, "{}", db.name);
        assert!(matches!(staged.publish().await, Published::Done(_)));
        assert_eq!(staged_rows(&db).await, 0, "{}", db.name);
        assert_eq!(
            db.count(
                "select count(*) from record_changes
                 where record_kind = 'license' and change = 'corrected'
                   and actor = 'delivery-test'"
            )
            .await,
            1,
            "{}",
            db.name
        );
        results.push(written(&db).await);
    }
    if let [sqlite, pg] = &results[..] {
        assert_eq!(sqlite, pg);
    }
}

#[tokio::test]
async fn a_subject_registered_meanwhile_gets_the_rows_under_its_name() {
    let mut results = Vec::new();
    for db in databases().await {
        let d = demo(&db).await;
        let code = credit_code(900_003);
        let rows: Vec<Cells> = ["鹤市监罚〔2026〕599401号", "鹤市监罚〔2026〕599402号"]
            .iter()
            .map(|doc| {
                row(
                    &d,
                    "鹤岗市暂存甲有限公司（演示）",
                    &code,
                    doc,
                    "2026-11-24",
                    "",
                )
            })
            .collect();
        let staged = stage(&db, &d, &rows).await;
        // Another department's push registers the organisation first,
        // under its own name.
        db.exec(&format!(
            "insert into subjects (kind, name, credit_code)
             values ('legal', '鹤岗市登记乙有限公司（演示）', '{code}')"
        ))
        .await;
        let registered = db
            .count(&format!(
                "select id from subjects where credit_code = '{code}'"
            ))
            .await;
        assert!(matches!(staged.publish().await, Published::Done(_)));
        let records = text_rows(
            &db,
            "select cast(p.subject_id as text), e.name, cast(e.subject_id as text)
             from penalties p
             join public_entries e on e.record_kind = 'penalty' and e.record_id = p.id
             where p.doc_no like '鹤市监罚〔2026〕59940_号' order by p.id",
        )
        .await;
        assert_eq!(records.len(), 2, "{}", db.name);
        for r in &records {
            let registered = Some(registered.to_string());
            assert_eq!(r[0], registered, "{}", db.name);
            assert_eq!(r[2], registered, "{}", db.name);
            assert_eq!(r[1].as_deref(), Some("鹤岗市登记乙有限公司（演示）"));
        }
        assert_eq!(
            db.count(&format!(
                "select count(*) from subjects where credit_code = '{code}'"
            ))
            .await,
            1,
            "{}: one subject per credit code",
            db.name
        );
        results.push(written(&db).await);
    }
    if let [sqlite, pg] = &results[..] {
        assert_eq!(sqlite, pg);
    }
}
