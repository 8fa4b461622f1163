//! The credit record report: its content against the subject page (the
//! same records, the same masking, hidden records absent), read back from
//! the PDF's own text; the number kept for the same content; the verify
//! page; bad periods; many at once; and its per-client limit.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::objections::{act, filed, objectable_penalty, reviewers};
use super::{portal, portal_with, Portal};

/// The text of a PDF, as `pdftotext` (Debian `poppler-utils`) reads it.
fn pdf_text(pdf: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed by .ci/install");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    // pdftotext breaks lines where the layout did: compare without them.
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

async fn bytes(p: &Portal, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = p
        .router()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body.to_vec())
}

/// The report number and hash on a report page.
fn number_and_hash(page: &str) -> (String, String) {
    let at = page.find("/reports/verify?no=").expect("verify link");
    let rest = &page[at + "/reports/verify?no=".len()..];
    let number = rest[..15].to_string();
    let hash = rest[15 + "&amp;hash=".len()..][..64].to_string();
    (number, hash)
}

async fn reports_issued(p: &Portal) -> i64 {
    p.rows("select count(*) from credit_reports").await[0].get(0)
}

/// The organisation with the most public records, with its code.
async fn busiest_subject(p: &Portal) -> (i64, String) {
    let row = &p
        .rows(
            "select s.id, s.credit_code from public_entries e
             join subjects s on s.id = e.subject_id
             where s.kind = 'legal' and s.credit_code is not null
             group by s.id, s.credit_code order by count(*) desc, s.id limit 1",
        )
        .await[0];
    (row.get(0), row.get(1))
}

#[tokio::test]
async fn the_report_shows_what_the_subject_page_shows_in_the_page_and_the_pdf() {
    let p = portal().await;
    let (subject_id, code) = busiest_subject(&p).await;
    let (status, subject_page) = p.get(&format!("/subjects/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(subject_page.contains(&format!("href=\"/subjects/{code}/report\"")));

    let (status, page) = p.get(&format!("/subjects/{code}/report")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (number, hash) = number_and_hash(&page);
    assert!(number.starts_with("BG20261126"), "{number}");
    assert!(page.contains("演示数据"), "demo data says so");
    assert!(page.contains("不含信用评分或评级"));
    assert!(page.contains("<svg"), "a QR code");

    // Every public record of the subject is in the report (the default
    // period covers five years), with the page's document number.
    let entries: Vec<(String, i64)> = p
        .rows(&format!(
            "select record_kind, record_id from public_entries where subject_id = {subject_id}"
        ))
        .await
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(!entries.is_empty());
    let mut public = Vec::new();
    for (kind, id) in &entries {
        let (table, path) = match kind.as_str() {
            "penalty" => ("penalties", "penalties"),
            "license" => ("licenses", "licenses"),
            _ => ("serious_entries", "serious-list"),
        };
        let doc_no: String = p
            .rows(&format!("select doc_no from {table} where id = {id}"))
            .await[0]
            .get(0);
        let href = format!("href=\"/{path}/{id}\"");
        assert!(subject_page.contains(&href));
        assert!(page.contains(&href), "{href} missing from the report");
        public.push((href, doc_no));
    }
    // Its penalties not public today (ended, repaired) are not.
    let hidden: Vec<String> = p
        .rows(&format!(
            "select doc_no from penalties where subject_id = {subject_id} and id not in
             (select record_id from public_entries where record_kind = 'penalty')"
        ))
        .await
        .iter()
        .map(|r| r.get(0))
        .collect();
    for doc_no in &hidden {
        assert!(
            !page.contains(doc_no.as_str()),
            "hidden {doc_no} in the report"
        );
    }
    // The name and representative masked as on the subject page.
    let (name, rep): (String, String) = {
        let r = &p
            .rows(&format!(
                "select name, representative from subjects where id = {subject_id}"
            ))
            .await[0];
        (r.get(0), r.get(1))
    };
    assert!(page.contains(&name));
    let masked_rep = subject_page
        .split("法定代表人（经营者）</dt><dd>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the subject page shows the representative");
    assert!(page.contains(masked_rep));

    // Reloading shows the same report: one number for one content.
    let (_, again) = p.get(&format!("/subjects/{code}/report")).await;
    assert_eq!(number_and_hash(&again), (number.clone(), hash.clone()));
    assert_eq!(reports_issued(&p).await, 1);

    // The PDF is the same report: same number, same records, masked alike.
    let started = std::time::Instant::now();
    let (status, headers, pdf) = bytes(&p, &format!("/subjects/{code}/report.pdf")).await;
    let took = started.elapsed();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.len() < 1_000_000,
        "a font subset, not the whole font: {} bytes",
        pdf.len()
    );
    let text = pdf_text(&pdf);
    assert!(text.contains(&number), "{text}");
    assert!(text.contains("信用信息报告"));
    assert!(text.contains(&name));
    assert!(text.contains(masked_rep));
    if masked_rep != rep {
        assert!(!text.contains(&rep));
    }
    assert!(text.contains("演示数据"));
    for (_, doc_no) in &public {
        let squeezed: String = doc_no.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&squeezed), "{doc_no} missing from the PDF");
    }
    for doc_no in &hidden {
        assert!(
            !text.contains(doc_no.as_str()),
            "hidden {doc_no} in the PDF"
        );
    }
    assert_eq!(reports_issued(&p).await, 1, "the PDF is the page's report");
    eprintln!("report PDF: {} bytes in {took:?} (debug build)", pdf.len());

    // An individual business: its name and operator are masked on its
    // page, and so in its report and the PDF.
    let row = &p
        .rows(
            "select s.credit_code, s.name, s.representative from public_entries e
             join subjects s on s.id = e.subject_id
             where s.kind = 'individual' and s.credit_code is not null
               and s.representative is not null order by e.sort_key limit 1",
        )
        .await[0];
    let (small, full_name, operator): (String, String, String) =
        (row.get(0), row.get(1), row.get(2));
    let (_, small_page) = p.get(&format!("/subjects/{small}")).await;
    let shown = small_page
        .split("<h1>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_string();
    assert_ne!(shown, full_name, "the page masks the name");
    let (_, small_report) = p.get(&format!("/subjects/{small}/report")).await;
    assert!(small_report.contains(&shown));
    assert!(!small_report.contains(&full_name) && !small_report.contains(&operator));
    let (_, _, small_pdf) = bytes(&p, &format!("/subjects/{small}/report.pdf")).await;
    let small_text = pdf_text(&small_pdf);
    assert!(small_text.contains(&shown), "{small_text}");
    assert!(!small_text.contains(&full_name) && !small_text.contains(&operator));

    // A shorter period: another content, the next number.
    let (status, short) = p
        .get(&format!(
            "/subjects/{code}/report?from=2026-11-01&to=2026-11-26"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (second, _) = number_and_hash(&short);
    assert_eq!(second, "BG2026112600003", "after the individual business's");
    assert!(short.contains("2026年11月1日至2026年11月26日"));
}

#[tokio::test]
async fn the_verify_page_tells_issued_from_altered_and_unknown() {
    let p = portal().await;
    let (_, code) = busiest_subject(&p).await;
    let (_, page) = p.get(&format!("/subjects/{code}/report")).await;
    let (number, hash) = number_and_hash(&page);

    let (status, ok) = p
        .get(&format!("/reports/verify?no={number}&hash={hash}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ok.contains("校验值相符"), "{ok}");
    assert!(ok.contains("行政处罚信息"));
    // Nothing personal, not even the subject's name or code.
    let name: String = p
        .rows(&format!(
            "select name from subjects where credit_code = '{code}'"
        ))
        .await[0]
        .get(0);
    let result = ok.split("verify-result").nth(1).unwrap();
    assert!(!result.contains(&name) && !result.contains(&code));

    // The hash as printed (groups of eight, upper case) is accepted.
    let grouped = app::domain::credit_report::grouped_hash(&hash).to_uppercase();
    let (_, ok2) = p
        .get(&format!(
            "/reports/verify?no={}&hash={}",
            number.to_lowercase(),
            super::encode(&grouped)
        ))
        .await;
    assert!(ok2.contains("校验值相符"));

    let mut tampered = hash.clone().into_bytes();
    tampered[0] = if tampered[0] == b'0' { b'1' } else { b'0' };
    let tampered = String::from_utf8(tampered).unwrap();
    let (status, altered) = p
        .get(&format!("/reports/verify?no={number}&hash={tampered}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(altered.contains("校验值不符"), "{altered}");
    assert!(!altered.contains("校验值相符"));

    let (_, unknown) = p
        .get(&format!("/reports/verify?no=BG2026112699999&hash={hash}"))
        .await;
    assert!(unknown.contains("未找到编号为 BG2026112699999 的报告"));

    for (query, fault) in [
        ("no=XF2026112600001&hash=", "报告编号应为"),
        (&format!("no={number}&hash=abc") as &str, "校验值应为 64 位"),
        (&format!("no=&hash={hash}") as &str, "请填写报告编号"),
    ] {
        let (status, bad) = p.get(&format!("/reports/verify?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(bad.contains(fault), "{query}: {fault}");
    }
    // The empty form is just the form.
    let (status, form) = p.get("/reports/verify").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("报告编号") && !form.contains("role=\"alert\""));
}

#[tokio::test]
async fn bad_periods_and_codes_are_named_and_issue_nothing() {
    let p = portal().await;
    let (_, code) = busiest_subject(&p).await;
    for (query, fault) in [
        ("from=2026-06-01&to=2026-05-01", "起始日期不能晚于截止日期"),
        ("from=2020-01-01&to=2026-11-26", "最长 5 年"),
        ("to=2026-12-31", "不能晚于今天"),
        ("from=2026/01/01", "报告期起始日期"),
        ("to=2026-02-30", "报告期截止日期"),
    ] {
        let (status, page) = p.get(&format!("/subjects/{code}/report?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(page.contains(fault), "{query}: {fault}");
        assert!(page.contains("name=\"from\""), "the form to fix it");
        let (status, _, pdf) = bytes(&p, &format!("/subjects/{code}/report.pdf?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(String::from_utf8_lossy(&pdf).contains(fault));
    }
    let (status, page) = p.get("/subjects/91230400MA1X2Y3Z4Q/report").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("统一社会信用代码"), "{page}");
    let (status, _) = p.get("/subjects/%3Cscript%3E/report").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reports_issued(&p).await, 0);
}

#[tokio::test]
async fn a_code_with_nothing_public_gets_an_empty_report_like_an_unknown_one() {
    let p = portal().await;
    // A valid code no subject here has.
    let code = {
        let body = "91230400MA1B2C3D4";
        let check = app::domain::credit_code::check_char(body).unwrap();
        format!("{body}{check}")
    };
    let (status, page) = p.get(&format!("/subjects/{code}/report")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("本平台无该主体的公示信息"));
    assert!(page.contains("报告期内无公示的行政处罚信息"));
    let (status, _, pdf) = bytes(&p, &format!("/subjects/{code}/report.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf_text(&pdf).contains("报告期内无公示的行政处罚信息"));
}

#[tokio::test]
async fn objections_under_way_are_named_in_the_report() {
    let p = portal().await;
    let (verifier, _) = reviewers(&p).await;
    let (id, code, rep) = objectable_penalty(&p, 0).await;
    let doc_no: String = p
        .rows(&format!("select doc_no from penalties where id = {id}"))
        .await[0]
        .get(0);
    let objection_chapter = |page: &str| -> String {
        let chapter = page.split("七、异议处理情况").nth(1).expect("the chapter");
        chapter.split("八、").next().unwrap().to_string()
    };
    let (status, before) = p.get(&format!("/subjects/{code}/report")).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert!(!objection_chapter(&before).contains(&doc_no));
    let (number, _) = filed(&p, id, &code, &rep).await;
    let accepted = act(&p, &verifier, &number, "accept", "").await;
    assert!(accepted.status.is_redirection(), "{}", accepted.body);
    let (_, after) = p.get(&format!("/subjects/{code}/report")).await;
    let chapter = objection_chapter(&after);
    assert!(
        chapter.contains(&doc_no) && chapter.contains("异议处理中"),
        "{chapter}"
    );
    // The content changed, so the number did.
    assert_ne!(number_and_hash(&before).0, number_and_hash(&after).0);
}

#[tokio::test]
async fn many_at_once_get_one_number_per_content() {
    let p = Arc::new(portal().await);
    let (_, code) = busiest_subject(&p).await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let p = p.clone();
        let code = code.clone();
        tasks.push(tokio::spawn(async move {
            // Three distinct periods, eight requests each.
            let from = ["", "2026-01-01", "2025-06-01"][i % 3];
            let (status, page) = p.get(&format!("/subjects/{code}/report?from={from}")).await;
            assert_eq!(status, StatusCode::OK);
            (from, number_and_hash(&page).0)
        }));
    }
    let mut seen: std::collections::HashMap<&str, String> = Default::default();
    for t in tasks {
        let (from, number) = t.await.unwrap();
        let kept = seen.entry(from).or_insert_with(|| number.clone());
        assert_eq!(*kept, number, "one number for one period");
    }
    let mut numbers: Vec<String> = seen.into_values().collect();
    numbers.sort();
    assert_eq!(
        numbers,
        ["BG2026112600001", "BG2026112600002", "BG2026112600003"]
    );
    assert_eq!(reports_issued(&p).await, 3);
}

#[tokio::test]
async fn reports_have_their_own_per_client_limit() {
    use axum::extract::ConnectInfo;
    let buckets: Arc<dyn server::limits::Buckets> =
        Arc::new(server::limits::MemoryBuckets::default());
    let p = portal_with(server::router::Edge {
        limits: server::limits::PublicLimits {
            search: None,
            pages: None,
            reports: Some(server::limits::RateLimiter::new(
                "reports",
                server::limits::Rate::per_minute(10).unwrap(),
                buckets,
            )),
        },
        ..Default::default()
    })
    .await;
    let (_, code) = busiest_subject(&p).await;
    let ask = |uri: String| {
        Request::get(uri)
            .extension(ConnectInfo(std::net::SocketAddr::new(
                "10.0.0.7".parse().unwrap(),
                40000,
            )))
            .body(Body::empty())
            .unwrap()
    };
    let mut refused = 0;
    for day in 1..=12 {
        let a = p
            .send(ask(format!(
                "/subjects/{code}/report?from=2026-01-{day:02}"
            )))
            .await;
        if a.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
            assert!(a.body.contains("查询过于频繁"));
        }
    }
    assert!(refused >= 6, "a burst of 5, then refused: {refused}");
    assert!(reports_issued(&p).await <= 6);
    // The server function behind the page draws on the same bucket.
    let f = p
        .send(
            Request::post("/api/report")
                .header("content-type", "application/x-www-form-urlencoded")
                .extension(ConnectInfo(std::net::SocketAddr::new(
                    "10.0.0.7".parse().unwrap(),
                    40000,
                )))
                .body(Body::from(format!("code={code}&from=&to=")))
                .unwrap(),
        )
        .await;
    assert_eq!(f.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn an_entry_on_a_list_brings_its_measures_into_the_report() {
    let p = portal().await;
    let row = &p
        .rows(
            "select s.credit_code, e.list_name from public_entries pe
             join serious_entries e on e.id = pe.record_id
             join subjects s on s.id = e.subject_id
             where pe.record_kind = 'serious' and s.kind = 'legal'
               and e.domain_code = 'market_serious_violation'
             order by pe.sort_key limit 1",
        )
        .await[0];
    let (code, list): (String, String) = (row.get(0), row.get(1));
    let (status, page) = p.get(&format!("/subjects/{code}/report")).await;
    assert_eq!(status, StatusCode::OK);
    let chapter = page.split("六、失信惩戒措施").nth(1).unwrap();
    let chapter = chapter.split("七、").next().unwrap();
    // The list's measures, each with its basis, as /measures lists them.
    assert!(chapter.contains("禁止参加政府采购活动"), "{chapter}");
    assert!(chapter.contains("依据《"), "{chapter}");
    assert!(chapter.contains(&list));
    let (_, measures) = p.get("/measures?domain=market_serious_violation").await;
    assert!(measures.contains("禁止参加政府采购活动"));
}

#[tokio::test]
async fn the_pdf_route_called_as_a_stranger_would() {
    let p = portal().await;
    let (_, taxman) = reviewers(&p).await;
    let (_, code) = busiest_subject(&p).await;
    let uri = format!("/subjects/{code}/report.pdf");
    let pdf_number = |body: &[u8]| {
        let text = pdf_text(body);
        let at = text.find("BG2026").expect("a report number");
        text[at..at + 15].to_string()
    };

    // No cookie: the report is public.
    let (status, _, plain) = bytes(&p, &uri).await;
    assert_eq!(status, StatusCode::OK);
    let number = pdf_number(&plain);
    // Another department's staff cookie, and a cross-site request: the
    // same report, nothing more, and no CORS grant to read it from a script.
    for request in [
        Request::get(&uri)
            .header("cookie", &taxman.cookie)
            .body(Body::empty())
            .unwrap(),
        Request::get(&uri)
            .header("origin", "https://evil.example")
            .header("sec-fetch-site", "cross-site")
            .body(Body::empty())
            .unwrap(),
    ] {
        let response = p.router().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response
            .headers()
            .get("access-control-allow-origin")
            .is_none());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(pdf_number(&body), number);
    }
    // A post is not a way to make one.
    let post = p
        .send(Request::post(&uri).body(Body::empty()).unwrap())
        .await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);

    // Bad input: refused as a page, never a 500, never echoed as markup,
    // nothing issued.
    let before = reports_issued(&p).await;
    for bad in [
        "/subjects/%3Cscript%3Ealert(1)%3C%2Fscript%3E/report.pdf",
        "/subjects/..%2F..%2Fetc%2Fpasswd/report.pdf",
        "/subjects/%00/report.pdf",
        &format!("/subjects/{}/report.pdf", "9".repeat(5000)),
        &format!("{uri}?from=%3Cb%3E"),
        &format!("{uri}?from=2026-01-01&to=2025-01-01"),
        &format!("{uri}?to=9999-99-99"),
    ] {
        let (status, headers, body) = bytes(&p, bad).await;
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND,
            "{bad}: {status}"
        );
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("<script>alert") && !body.contains("<b>"),
            "{bad}"
        );
    }
    assert_eq!(reports_issued(&p).await, before);

    // Many times in a row: one report, one row.
    for _ in 0..10 {
        let (status, _, body) = bytes(&p, &uri).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.starts_with(b"%PDF-"));
    }
    assert_eq!(reports_issued(&p).await, before);
}
