//! The open-data API against the pages it mirrors: the same records, the
//! same masked names, hidden records absent; cursors, validators, errors
//! and limits as a program calling it would meet them.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

use super::{portal, portal_with, Portal};

async fn json(p: &Portal, uri: &str) -> (StatusCode, Value, axum::http::HeaderMap) {
    let a = p.send(Request::get(uri).body(Body::empty()).unwrap()).await;
    (
        a.status,
        serde_json::from_str(&a.body).unwrap_or(Value::Null),
        a.headers,
    )
}

#[tokio::test]
async fn records_and_subjects_match_their_pages_masked_and_hidden_alike() {
    let p = portal().await;
    // A natural person's public penalty: masked on the page and in JSON.
    let row = &p
        .rows(
            "select pe.record_id, s.name from public_entries pe
             join penalties x on x.id = pe.record_id join subjects s on s.id = x.subject_id
             where pe.record_kind = 'penalty' and s.kind = 'person' order by pe.record_id limit 1",
        )
        .await[0];
    let (id, full_name): (i64, String) = (row.get(0), row.get(1));
    let (status, page) = p.get(&format!("/penalties/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, record, headers) = json(&p, &format!("/api/v1/public/records/penalty/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{record}");
    assert_eq!(headers["content-type"], "application/json");
    let masked = record["record"]["CF_XDR_MC"].as_str().unwrap();
    assert_ne!(masked, full_name);
    assert!(masked.contains('*'), "{masked}");
    assert!(page.contains(masked), "the page shows the same masked name");
    assert!(!record.to_string().contains(&full_name));
    assert!(!page.contains(&full_name));
    // Every field the page shows, by its code where the standard has one.
    for f in record["fields"].as_array().unwrap() {
        assert!(page.contains(f["value"].as_str().unwrap()), "{f}");
    }
    assert!(record["record"]["CF_WSH"].is_string());
    // The page links to its JSON.
    assert!(page.contains(&format!("href=\"/api/v1/public/records/penalty/{id}\"")));

    // A record not public today: 404 on the page and in JSON, alike.
    let hidden: i64 = p
        .rows(
            "select id from penalties where id not in
             (select record_id from public_entries where record_kind = 'penalty') order by id limit 1",
        )
        .await[0]
        .get(0);
    assert_eq!(
        p.get(&format!("/penalties/{hidden}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, gone, _) = json(&p, &format!("/api/v1/public/records/penalty/{hidden}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(gone["error"].as_str().unwrap().contains("未找到"), "{gone}");
    // Bad input: Chinese JSON naming the fix.
    let (status, bad, _) = json(&p, "/api/v1/public/records/fines/1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad["error"].as_str().unwrap().contains("信息类别"));

    // A subject: the same records as its page, with their end dates.
    let code: String = p
        .rows(
            "select s.credit_code from public_entries pe join penalties x on x.id = pe.record_id
             join subjects s on s.id = x.subject_id
             where pe.record_kind = 'penalty' and s.kind = 'legal' order by pe.record_id limit 1",
        )
        .await[0]
        .get(0);
    let (_, subject_page) = p.get(&format!("/subjects/{code}")).await;
    let (status, subject, _) = json(&p, &format!("/api/v1/public/subjects/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    let records = subject["records"].as_array().unwrap();
    assert!(!records.is_empty());
    for r in records {
        assert!(subject_page.contains(r["doc_no"].as_str().unwrap()), "{r}");
        // The page writes the end date in Chinese (2029年9月4日).
        let until =
            chrono::NaiveDate::parse_from_str(r["public_until"].as_str().unwrap(), "%Y-%m-%d")
                .unwrap();
        assert!(
            subject_page.contains(&app::domain::publication::format_date_cn(until)),
            "{r}"
        );
    }
    assert_eq!(
        json(&p, "/api/v1/public/subjects/91110108551385082Q")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn search_pages_through_a_cursor_like_the_page_and_revalidates_by_etag() {
    let p = portal().await;
    let (status, first, headers) = json(&p, "/api/v1/public/search?kind=penalty").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let (_, page) = p.get("/search?type=penalty").await;
    for item in items {
        assert!(page.contains(item["doc_no"].as_str().unwrap()), "{item}");
        assert!(page.contains(item["name"].as_str().unwrap()), "{item}");
    }
    assert!(page.contains("href=\"/api/v1/public/search?type=penalty\""));
    // The next page through the cursor is the page's page 2.
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second, _) = json(
        &p,
        &format!("/api/v1/public/search?kind=penalty&cursor={cursor}"),
    )
    .await;
    let (_, page2) = p.get("/search?type=penalty&page=2").await;
    for item in second["items"].as_array().unwrap() {
        assert!(page2.contains(item["doc_no"].as_str().unwrap()));
        assert!(!items
            .iter()
            .any(|i| i["id"] == item["id"] && i["kind"] == item["kind"]));
    }
    let (status, bad, _) = json(&p, "/api/v1/public/search?cursor=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad["error"].as_str().unwrap().contains("cursor"));
    let (status, bad, _) = json(&p, "/api/v1/public/search?from=2025/1/1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad["error"].as_str().unwrap().contains("决定日期起"));

    // Validators: the same answer again is a 304 without a body.
    let etag = headers["etag"].to_str().unwrap().to_string();
    assert!(headers.get("last-modified").is_some());
    let again = p
        .send(
            Request::get("/api/v1/public/search?kind=penalty")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let other = p
        .send(
            Request::get("/api/v1/public/search?kind=license")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK);

    // The serious list and the measures list, as on their pages.
    let (status, list, _) = json(&p, "/api/v1/public/serious-list").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["kind"] == "serious"));
    let (_, list_page) = p.get("/serious-list").await;
    for item in list["items"].as_array().unwrap() {
        assert!(list_page.contains(item["name"].as_str().unwrap()));
    }
    let (status, measures, _) =
        json(&p, "/api/v1/public/measures?domain=tax_major_violation").await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = measures["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"阻止出境"), "{names:?}");
    let (_, measures_page) = p.get("/measures?domain=tax_major_violation").await;
    for n in &names {
        assert!(measures_page.contains(n));
    }

    // The description lists every open-data path.
    let (_, spec, _) = json(&p, "/api/v1/openapi.json").await;
    for path in server::public_api::PATHS {
        assert!(spec["paths"][path]["get"].is_object(), "{path}");
    }
    assert!(spec["paths"]["/api/v1/check"]["post"].is_object());
}

#[tokio::test]
async fn the_api_draws_on_the_pages_limits_and_says_so_in_json() {
    use axum::extract::ConnectInfo;
    let buckets: Arc<dyn server::limits::Buckets> =
        Arc::new(server::limits::MemoryBuckets::default());
    let rate = |name| {
        Some(server::limits::RateLimiter::new(
            name,
            server::limits::Rate::per_minute(20).unwrap(),
            buckets.clone(),
        ))
    };
    let p = portal_with(server::router::Edge {
        limits: server::limits::PublicLimits {
            search: rate("search"),
            pages: rate("pages"),
            reports: None,
        },
        ..Default::default()
    })
    .await;
    let from = ConnectInfo(std::net::SocketAddr::new(
        "10.0.0.9".parse().unwrap(),
        40000,
    ));
    let get = |uri: &str| {
        Request::get(uri)
            .extension(from)
            .body(Body::empty())
            .unwrap()
    };
    // The search page and the search API share one bucket.
    for _ in 0..5 {
        assert_eq!(p.send(get("/search?q=x")).await.status, StatusCode::OK);
        assert_eq!(
            p.send(get("/api/v1/public/search?q=x")).await.status,
            StatusCode::OK
        );
    }
    let refused = p.send(get("/api/v1/public/search?q=x")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let body: Value = serde_json::from_str(&refused.body).unwrap();
    assert!(body["error"].as_str().unwrap().contains("查询过于频繁"));
    assert!(refused.headers.get("retry-after").is_some());
    assert_eq!(
        p.send(get("/search?q=x")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}
