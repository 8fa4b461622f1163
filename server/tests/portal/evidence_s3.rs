//! Evidence files in S3-compatible storage, against a real server on
//! loopback (`eval "$(bash .ci/s3 start)"` starts one and exports its
//! `UPLOADS_S3_TEST_*` variables): an applicant's uploads, small and in
//! parts, the reviewer's download, a removed file, refused and cut-off
//! uploads that leave neither an object nor parts, and the cleanup of a file
//! no row refers to. Without the variables the S3 test says so and passes,
//! unless `HEGANG_REQUIRE_S3=1`. Also the `UPLOADS_S3_*` settings.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::time::Duration;

use app::domain::staff::Role;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use futures_util::StreamExt;
use http_body_util::BodyExt;
use server::config::{EvidenceStorage, S3Storage};
use server::repair::evidence_store::{EvidenceStore, PART_BYTES};
use tower::ServiceExt;

use super::repair::{eligible_records_of_departments, fill_in, submit_application, PDF};
use super::staff::{add_account, sign_in};
use super::{today, Portal};

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn uploads_s3_settings_are_checked_at_start_up() {
    let data = std::path::Path::new("/srv/portal");
    assert_eq!(
        EvidenceStorage::from_vars(vars(&[]), data).unwrap(),
        EvidenceStorage::Local(data.join("uploads")),
        "nothing set: the directory portals have always used"
    );
    let minio = [
        ("UPLOADS_S3_BUCKET", "evidence"),
        ("UPLOADS_S3_ENDPOINT", "https://minio.internal:9000/"),
        ("UPLOADS_S3_ACCESS_KEY_ID", "portal"),
        ("UPLOADS_S3_SECRET_ACCESS_KEY", "very-secret"),
        ("UPLOADS_S3_PREFIX", "/hegang/evidence/"),
    ];
    let EvidenceStorage::S3(s3) = EvidenceStorage::from_vars(vars(&minio), data).unwrap() else {
        panic!("a bucket is S3");
    };
    assert_eq!(s3.endpoint.as_deref(), Some("https://minio.internal:9000"));
    assert_eq!(s3.region, "us-east-1");
    assert_eq!(s3.prefix.as_deref(), Some("hegang/evidence"));
    assert!(!s3.allow_http);
    assert!(!format!("{s3:?}").contains("very-secret"), "{s3:?}");

    let with = |extra: &[(&'static str, &'static str)], without: &[&str]| {
        let mut all: Vec<(&str, &str)> = minio
            .iter()
            .copied()
            .filter(|(k, _)| !without.contains(k))
            .collect();
        all.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
        all.extend_from_slice(extra);
        EvidenceStorage::from_vars(vars(&all), data)
    };
    for (extra, without, says) in [
        (&[][..], &["UPLOADS_S3_BUCKET"][..], "UPLOADS_S3_BUCKET"),
        (
            &[("UPLOADS_S3_BUCKET", "Evidence_Files")][..],
            &[][..],
            "bucket name",
        ),
        (
            &[("UPLOADS_S3_ENDPOINT", "http://127.0.0.1:9000")][..],
            &[][..],
            "UPLOADS_S3_ALLOW_HTTP=1",
        ),
        (
            &[("UPLOADS_S3_ALLOW_HTTP", "1")][..],
            &[][..],
            "is not http://",
        ),
        (
            &[("UPLOADS_S3_ALLOW_HTTP", "maybe")][..],
            &[][..],
            "should be 1 or 0",
        ),
        (
            &[("UPLOADS_S3_ENDPOINT", "minio.internal")][..],
            &[][..],
            "not a URL",
        ),
        (
            &[][..],
            &["UPLOADS_S3_SECRET_ACCESS_KEY"][..],
            "UPLOADS_S3_SECRET_ACCESS_KEY is not",
        ),
        (
            &[][..],
            &["UPLOADS_S3_ACCESS_KEY_ID"][..],
            "UPLOADS_S3_ACCESS_KEY_ID is not",
        ),
        (
            &[][..],
            &["UPLOADS_S3_ACCESS_KEY_ID", "UPLOADS_S3_SECRET_ACCESS_KEY"][..],
            "are required",
        ),
        (
            &[][..],
            &["UPLOADS_S3_ENDPOINT"][..],
            "UPLOADS_S3_REGION is required",
        ),
        (
            &[("UPLOADS_S3_PREFIX", "a/../b")][..],
            &[][..],
            "UPLOADS_S3_PREFIX",
        ),
    ] {
        let err = with(extra, without).expect_err(says);
        assert!(err.contains(says), "{extra:?} without {without:?}: {err}");
        assert!(!err.contains("very-secret"), "{err}");
    }
    // Plain HTTP only when asked for (loopback test servers); AWS itself
    // with its region and the instance's role.
    assert!(with(
        &[
            ("UPLOADS_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("UPLOADS_S3_ALLOW_HTTP", "1")
        ],
        &[]
    )
    .is_ok());
    let aws = with(
        &[("UPLOADS_S3_REGION", "cn-north-1")],
        &[
            "UPLOADS_S3_ENDPOINT",
            "UPLOADS_S3_ACCESS_KEY_ID",
            "UPLOADS_S3_SECRET_ACCESS_KEY",
        ],
    )
    .unwrap();
    assert!(matches!(
        aws,
        EvidenceStorage::S3(S3Storage { endpoint: None, .. })
    ));
}

/// The test server, from `.ci/s3 start`'s exports.
pub(super) struct TestServer {
    endpoint: String,
    bucket: String,
    access_key_id: String,
    secret_access_key: String,
}

pub(super) fn test_server() -> Option<TestServer> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let Some(endpoint) = var("UPLOADS_S3_TEST_ENDPOINT") else {
        if var("HEGANG_REQUIRE_S3").as_deref() == Some("1") {
            panic!("HEGANG_REQUIRE_S3=1 but UPLOADS_S3_TEST_ENDPOINT is not set (eval \"$(bash .ci/s3 start)\")");
        }
        eprintln!("note: UPLOADS_S3_TEST_ENDPOINT not set, S3 evidence test skipped (eval \"$(bash .ci/s3 start)\")");
        return None;
    };
    Some(TestServer {
        endpoint,
        bucket: var("UPLOADS_S3_TEST_BUCKET").unwrap_or_else(|| "hegang-evidence-test".into()),
        access_key_id: var("UPLOADS_S3_TEST_ACCESS_KEY_ID").unwrap_or_else(|| "hegang-test".into()),
        secret_access_key: var("UPLOADS_S3_TEST_SECRET_ACCESS_KEY")
            .unwrap_or_else(|| "hegang-test-secret".into()),
    })
}

impl TestServer {
    /// The `UPLOADS_S3_*` settings that put a portal's evidence under
    /// `prefix` in the test bucket.
    pub(super) fn settings(&self, prefix: &str) -> Vec<(String, String)> {
        [
            ("UPLOADS_S3_BUCKET", self.bucket.as_str()),
            ("UPLOADS_S3_PREFIX", prefix),
            ("UPLOADS_S3_ENDPOINT", &self.endpoint),
            ("UPLOADS_S3_ALLOW_HTTP", "1"),
            ("UPLOADS_S3_ACCESS_KEY_ID", &self.access_key_id),
            ("UPLOADS_S3_SECRET_ACCESS_KEY", &self.secret_access_key),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    /// The evidence store a portal with [`settings`](Self::settings) uses.
    pub(super) fn store(&self, prefix: &str) -> EvidenceStore {
        let settings = self.settings(prefix);
        let pairs: Vec<(&str, &str)> = settings
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let storage =
            EvidenceStorage::from_vars(vars(&pairs), std::path::Path::new("/nowhere")).unwrap();
        EvidenceStore::from_storage(&storage).unwrap()
    }

    /// One unsigned GET on the bucket (the test server checks no
    /// signature); loopback only.
    fn bucket_get(&self, query: &str) -> String {
        let hostport = self
            .endpoint
            .strip_prefix("http://")
            .expect("a plain-HTTP test server")
            .trim_end_matches('/');
        assert!(
            hostport.starts_with("127.0.0.1:") || hostport.starts_with("localhost:"),
            "the S3 test server must be on loopback: {hostport}"
        );
        let mut s = std::net::TcpStream::connect(hostport).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET /{}?{query} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n",
            self.bucket
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        out
    }

    /// Keys of the multipart uploads begun and neither completed nor
    /// aborted under `prefix`.
    pub(super) fn open_uploads(&self, prefix: &str) -> Vec<String> {
        keys(&self.bucket_get(&format!("uploads&prefix={prefix}/")))
    }

    /// Keys of the objects under `prefix`, as the bucket has them.
    pub(super) fn objects(&self, prefix: &str) -> Vec<String> {
        keys(&self.bucket_get(&format!("list-type=2&prefix={prefix}/")))
    }
}

fn keys(xml: &str) -> Vec<String> {
    xml.split("<Key>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</Key>").map(|(k, _)| k.to_string()))
        .collect()
}

/// A portal whose evidence files are kept in `uploads`.
async fn portal_storing_in(uploads: EvidenceStore) -> Portal {
    super::portal_assembled(
        Default::default(),
        false,
        Default::default(),
        today(),
        true,
        Some(uploads),
    )
    .await
}

/// A multipart upload whose file part is `file` (any body stream).
fn upload_request(uri: &str, cookie: &str, name: &str, file: Body) -> Request<Body> {
    let b = "----hegangs3test";
    let head = Bytes::from(format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"evidence_kind\"\r\n\r\nfulfilment\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    ));
    let tail = Bytes::from(format!("\r\n--{b}--\r\n"));
    let head = Body::from(head).into_data_stream();
    let file = file.into_data_stream();
    let tail = Body::from(tail).into_data_stream();
    Request::post(uri)
        .header("content-type", format!("multipart/form-data; boundary={b}"))
        .header("cookie", cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from_stream(head.chain(file).chain(tail)))
        .unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    server::http::tokens::sha256_hex(bytes)
}

/// `bytes` as a request body arrives from a socket: in 16 KiB pieces, each
/// after a pause (multer reads all that is ready at once, so a stream
/// that is always ready would arrive whole before the handler sees any).
fn pieces(
    bytes: &[u8],
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let pieces: Vec<Bytes> = bytes
        .chunks(16 * 1024)
        .map(Bytes::copy_from_slice)
        .collect();
    futures_util::stream::iter(pieces).then(|piece| async move {
        tokio::task::yield_now().await;
        Ok(piece)
    })
}

/// A PDF of `len` bytes (a header and padding).
fn pdf_of(len: usize) -> Vec<u8> {
    let mut bytes = PDF.to_vec();
    bytes.resize(len, b' ');
    bytes
}

#[tokio::test]
async fn evidence_files_live_in_s3_when_configured() {
    let Some(server) = test_server() else {
        return;
    };
    // A prefix of this run's own: the bucket may hold other runs' files.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let prefix = format!("it-{}-{nanos}", std::process::id());
    // Through the configuration, as the server builds it at start-up.
    let storage = EvidenceStorage::from_vars(
        vars(&[
            ("UPLOADS_S3_BUCKET", &server.bucket),
            ("UPLOADS_S3_PREFIX", &prefix),
            ("UPLOADS_S3_ENDPOINT", &server.endpoint),
            ("UPLOADS_S3_ALLOW_HTTP", "1"),
            ("UPLOADS_S3_ACCESS_KEY_ID", &server.access_key_id),
            ("UPLOADS_S3_SECRET_ACCESS_KEY", &server.secret_access_key),
        ]),
        std::path::Path::new("/nonexistent"),
    )
    .unwrap();
    let evidence = EvidenceStore::from_storage(&storage).unwrap();
    let p = portal_storing_in(evidence.clone()).await;
    let records = eligible_records_of_departments(&p).await;
    assert!(records.len() >= 2, "two repairable records");

    // An application submitted with three small files: each one object
    // under the prefix, nothing on the local disk.
    let (record_id, code, department) = records[0].clone();
    let (number, _) = submit_application(&p, record_id, &code).await;
    let app = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    let files = p.backend.repair.application_files(app.id).await.unwrap();
    assert_eq!(files.len(), 3);
    let stored = server.objects(&prefix);
    for f in &files {
        assert!(
            stored.contains(&format!("{prefix}/{}", f.stored_name)),
            "{} not in {stored:?}",
            f.stored_name
        );
    }
    assert!(!p.dir.join("uploads").exists(), "nothing kept locally");

    // The reviewer downloads one: the bytes that were uploaded.
    add_account(&p, "s3reviewer", Role::Reviewer, Some(department)).await;
    let reviewer = sign_in(&p, "s3reviewer").await;
    let pdf = files.iter().find(|f| f.display_name == "a.pdf").unwrap();
    let response = p
        .router
        .clone()
        .oneshot(
            Request::get(format!("/admin/repairs/{number}/files/{}", pdf.id))
                .header("cookie", &reviewer.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], PDF);
    assert_eq!(sha256(&body), pdf.sha256);

    // A second application's draft: a file of more than one part is sent
    // as a multipart upload and completed whole.
    let (record_id, code, _) = records[1].clone();
    let base = format!("/repair/apply/{record_id}");
    let cookie = fill_in(&p, &base, &code).await;
    let evidence_page = format!("{base}/evidence");
    let big = pdf_of(PART_BYTES + PART_BYTES / 2 + 12345);
    let ok = p
        .upload(&evidence_page, &cookie, "fulfilment", "big.pdf", &big)
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let row = &p
        .rows("select id, stored_name, size_bytes from repair_files where display_name = 'big.pdf'")
        .await[0];
    let (big_id, big_name): (i64, String) = (row.get(0), row.get(1));
    assert_eq!(row.get::<i64, _>(2), big.len() as i64);
    let opened = evidence.open(&big_name).await.unwrap();
    assert_eq!(opened.size, big.len() as u64);
    let mut read = Vec::new();
    let mut stream = opened.bytes;
    while let Some(chunk) = stream.next().await {
        read.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(sha256(&read), sha256(&big));

    // Refused files leave nothing: one that fails its checks after the
    // first part (so its upload never starts), and three whose upload has
    // started: one over 10 MB (streamed: no length to refuse it by), one
    // cut off mid-stream, one whose request is dropped.
    let before = server.objects(&prefix);
    let mismatch = p
        .upload(&evidence_page, &cookie, "fulfilment", "big.png", &big)
        .await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    assert!(mismatch.body.contains("与扩展名不符"), "{}", mismatch.body);
    let too_big = pieces(&pdf_of(11 * 1024 * 1024));
    let refused = p
        .send(upload_request(
            &evidence_page,
            &cookie,
            "huge.pdf",
            Body::from_stream(too_big),
        ))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("10 MB"), "{}", refused.body);
    let first = pdf_of(PART_BYTES + 1024 * 1024);
    let cut_off = pieces(&first).chain(futures_util::stream::iter([Err(std::io::Error::other(
        "connection reset",
    ))]));
    let answer = p
        .send(upload_request(
            &evidence_page,
            &cookie,
            "cut.pdf",
            Body::from_stream(cut_off),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.body.contains("文件上传中断"), "{}", answer.body);
    let stalled = pieces(&first).chain(futures_util::stream::pending());
    let mut sending = Box::pin(p.send(upload_request(
        &evidence_page,
        &cookie,
        "gone.pdf",
        Body::from_stream(stalled),
    )));
    let mut started = false;
    for _ in 0..100 {
        tokio::select! {
            _ = &mut sending => panic!("the stalled upload ended"),
            () = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
        if !server.open_uploads(&prefix).is_empty() {
            started = true;
            break;
        }
    }
    assert!(started, "a file of more than one part is uploaded in parts");
    // The client goes away: the request is dropped mid-upload.
    drop(sending);
    // The dropped one is aborted in the background.
    let mut open = server.open_uploads(&prefix);
    for _ in 0..150 {
        if open.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        open = server.open_uploads(&prefix);
    }
    assert!(open.is_empty(), "multipart uploads left open: {open:?}");
    assert_eq!(server.objects(&prefix), before, "a refused file was stored");
    assert!(
        p.rows("select 1 from repair_files where display_name in ('big.png', 'huge.pdf', 'cut.pdf', 'gone.pdf')")
            .await
            .is_empty(),
        "a refused file was recorded"
    );

    // Removing a draft file deletes its object.
    let removed = p
        .post_form(
            &format!("{base}/evidence/remove"),
            &cookie,
            &[("file_id", &big_id.to_string())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(!server
        .objects(&prefix)
        .contains(&format!("{prefix}/{big_name}")));

    // A file stored but never recorded (a crash in between) is removed by
    // the cleanup once older than an hour; recorded files stay.
    let orphan = "00112233445566778899aabbccddeeff.pdf";
    let mut pending = evidence.begin();
    pending
        .push(Bytes::from_static(PDF), || None)
        .await
        .unwrap();
    pending.commit(orphan).await.unwrap();
    let orphan_key = format!("{prefix}/{orphan}");
    assert!(server.objects(&prefix).contains(&orphan_key));
    let now = chrono::Utc::now();
    server::repair::uploads::cleanup_at(p.backend.repair.as_ref(), &evidence, now)
        .await
        .unwrap();
    assert!(
        server.objects(&prefix).contains(&orphan_key),
        "an hour's grace for uploads being recorded"
    );
    let removed = server::repair::uploads::cleanup_at(
        p.backend.repair.as_ref(),
        &evidence,
        now + chrono::Duration::hours(2),
    )
    .await
    .unwrap();
    assert_eq!(removed, 1);
    let left = server.objects(&prefix);
    assert!(!left.contains(&orphan_key));
    let known: Vec<String> = p
        .backend
        .repair
        .known_file_names()
        .await
        .unwrap()
        .into_iter()
        .map(|n| format!("{prefix}/{n}"))
        .collect();
    assert_eq!(left.len(), known.len());
    for k in &known {
        assert!(left.contains(k), "cleanup removed recorded file {k}");
    }

    // Names not ours are never touched.
    evidence.delete("../portal.db").await;
    assert!(evidence.open("../portal.db").await.is_err());

    for f in &files {
        evidence.delete(&f.stored_name).await;
    }
    assert!(server.objects(&prefix).is_empty());
}
