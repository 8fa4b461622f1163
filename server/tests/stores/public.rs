//! The public reads, compared between the databases on the same demo data:
//! every query answers the same hits in the same order with the same
//! counts, records and subjects read the same, and the sweep removes the
//! same records.

use app::model::{RecordKind, SearchPage, SearchQuery, SearchTarget};
use chrono::NaiveDate;

use super::{databases, Db};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: app::domain::search_text::normalize(text),
        kind: None,
        department_id: None,
        from: None,
        to: None,
        page: 1,
    }
}

/// The queries compared: every way a search is answered.
fn targets(db: &Db, sample: &Sample) -> Vec<(String, SearchTarget)> {
    let _ = db;
    let mut out = vec![
        ("everything".to_string(), SearchTarget::Text(query(""))),
        ("page 3 of everything".into(), {
            let mut q = query("");
            q.page = 3;
            SearchTarget::Text(q)
        }),
    ];
    for text in &sample.texts {
        out.push((format!("text {text}"), SearchTarget::Text(query(text))));
        let mut kind = query(text);
        kind.kind = Some(RecordKind::Penalty);
        out.push((format!("penalties {text}"), SearchTarget::Text(kind)));
        let mut dept = query(text);
        dept.department_id = Some(sample.department);
        out.push((format!("department {text}"), SearchTarget::Text(dept)));
    }
    let mut dated = query("");
    dated.from = NaiveDate::from_ymd_opt(2025, 1, 1);
    dated.to = NaiveDate::from_ymd_opt(2025, 6, 30);
    out.push(("dated".into(), SearchTarget::Text(dated)));
    let mut page2 = query("有限公司");
    page2.page = 2;
    out.push(("page 2 of 有限公司".into(), SearchTarget::Text(page2)));
    out.push((
        "credit code".into(),
        SearchTarget::CreditCode(sample.credit_code.clone(), query("")),
    ));
    out.push((
        "document number".into(),
        SearchTarget::DocumentNumber(sample.doc_no.clone(), query("")),
    ));
    out.push((
        "unknown document number".into(),
        SearchTarget::DocumentNumber("鹤无此号〔2026〕1号".into(), query("")),
    ));
    out
}

/// Names, a credit code and a document number taken from the data.
struct Sample {
    texts: Vec<String>,
    credit_code: String,
    doc_no: String,
    department: i64,
}

async fn sample(db: &Db) -> Sample {
    let page = db
        .store
        .search(&SearchTarget::Text(query("")), today(), 20)
        .await
        .unwrap();
    let hit = page
        .hits
        .iter()
        .find(|h| h.credit_code.is_some())
        .expect("a public record with a credit code");
    let name: Vec<char> = hit.name.chars().collect();
    let mut texts = vec![
        name[..1].iter().collect::<String>(),
        name[..2].iter().collect(),
        name[..3].iter().collect(),
        name[..4.min(name.len())].iter().collect(),
        hit.name.clone(),
        "有限公司".into(),
        "商贸".into(),
        "鹤".into(),
        "不存在的名字".into(),
    ];
    texts.dedup();
    let department = db.store.departments().await.unwrap()[0].id;
    Sample {
        texts,
        credit_code: hit.credit_code.clone().unwrap(),
        doc_no: hit.doc_no.clone(),
        department,
    }
}

#[tokio::test]
async fn every_search_answers_the_same_on_every_database() {
    let mut answers: Vec<(&'static str, Vec<(String, SearchPage)>)> = Vec::new();
    let mut reference: Option<Sample> = None;
    for db in databases().await {
        server::demo::generate(db.seed.as_ref(), 1500, today(), false)
            .await
            .unwrap();
        let s = match reference.take() {
            Some(s) => s,
            None => sample(&db).await,
        };
        let mut pages = Vec::new();
        for (label, target) in targets(&db, &s) {
            let page = db.store.search(&target, today(), 20).await.unwrap();
            pages.push((label, page));
        }
        // The same query again is answered from the count cache: still the same.
        for (label, target) in targets(&db, &s).into_iter().take(4) {
            let page = db.store.search(&target, today(), 20).await.unwrap();
            assert_eq!(
                pages.iter().find(|(l, _)| *l == label).map(|(_, p)| p),
                Some(&page),
                "{}: {label} asked twice",
                db.name
            );
        }
        let everything = &pages[0].1;
        assert_eq!(everything.hits.len(), 20, "{}", db.name);
        assert!(everything.total > 20, "{}", db.name);
        reference = Some(s);
        answers.push((db.name, pages));
    }
    let (first_name, first) = &answers[0];
    for (name, pages) in &answers[1..] {
        for ((label, a), (_, b)) in first.iter().zip(pages) {
            assert_eq!(a, b, "{label}: {first_name} and {name} differ");
        }
    }
    // Some query of each length found something (the comparison is not empty).
    assert!(first.iter().filter(|(_, p)| !p.hits.is_empty()).count() > 10);
}

#[tokio::test]
async fn records_subjects_and_the_home_page_read_the_same() {
    let mut seen = Vec::new();
    for db in databases().await {
        server::demo::generate(db.seed.as_ref(), 600, today(), false)
            .await
            .unwrap();
        let stats = db.store.stats(today()).await.unwrap();
        let latest = db
            .store
            .latest(RecordKind::Penalty, today(), 5)
            .await
            .unwrap();
        let mut records = Vec::new();
        for id in 1..=40 {
            records.push(format!("{:?}", db.store.penalty(id).await.unwrap()));
            records.push(format!("{:?}", db.store.license(id).await.unwrap()));
        }
        for id in 1..=5 {
            records.push(format!("{:?}", db.store.serious_entry(id).await.unwrap()));
        }
        let hit = &latest[0];
        let code = app::domain::CreditCode::parse(hit.credit_code.as_deref().unwrap_or(""));
        let subject = match code {
            Ok(code) => db.store.subject_by_code(&code).await.unwrap(),
            Err(_) => None,
        };
        let entries = match &subject {
            Some(s) => db
                .store
                .subject_public_entries(s.id, today())
                .await
                .unwrap(),
            None => vec![],
        };
        let departments = db.store.departments().await.unwrap();
        // A year on, records ended: the sweep removes the same ones.
        let later = NaiveDate::from_ymd_opt(2027, 11, 30).unwrap();
        let swept = db.store.sweep_ended(later).await.unwrap();
        let ended = db
            .count("select count(*) from record_changes where change = 'ended'")
            .await;
        assert_eq!(
            swept as i64, ended,
            "{}: each ended record is logged",
            db.name
        );
        seen.push((
            db.name,
            format!("{stats:?}"),
            latest,
            records,
            format!("{subject:?}"),
            entries,
            departments,
            swept,
        ));
    }
    let first = &seen[0];
    for other in &seen[1..] {
        assert_eq!(first.1, other.1, "home page counts");
        assert_eq!(first.2, other.2, "latest penalties");
        for (a, b) in first.3.iter().zip(&other.3) {
            assert_eq!(a, b, "a record");
        }
        assert_eq!(first.4, other.4, "subject");
        assert_eq!(first.5, other.5, "subject's public entries");
        assert_eq!(first.6, other.6, "departments");
        assert_eq!(first.7, other.7, "swept");
    }
    assert!(first.7 > 0, "some records ended within the year");
}

/// Every app server sweeps: two sweeps at once log each ended record once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_sweeps_at_once_log_each_ended_record_once() {
    for db in databases().await {
        server::demo::generate(db.seed.as_ref(), 600, today(), false)
            .await
            .unwrap();
        db.warm(4).await;
        let later = NaiveDate::from_ymd_opt(2027, 11, 30).unwrap();
        let public = db.count("select count(*) from public_entries").await;
        let (a, b) = tokio::join!(
            {
                let store = db.store.clone();
                async move { store.sweep_ended(later).await.unwrap() }
            },
            {
                let store = db.store.clone();
                async move { store.sweep_ended(later).await.unwrap() }
            }
        );
        let left = db.count("select count(*) from public_entries").await;
        assert!(a + b > 0, "{}: something ended", db.name);
        assert_eq!(
            (a + b) as i64,
            public - left,
            "{}: each removal counted once",
            db.name
        );
        let logged = db
            .count("select count(*) from record_changes where change = 'ended'")
            .await;
        assert_eq!(
            logged,
            public - left,
            "{}: each ended record logged once",
            db.name
        );
    }
}
