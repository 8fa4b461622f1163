//! Nothing lost: the real server binary is killed (SIGKILL) while it handles
//! the submission of an application, and while it receives an upload.
//! Afterwards the application exists whole (record, files, first event) or
//! not at all (the draft and its files are still there to submit again),
//! every file row has its file, and a file no row refers to (an upload cut
//! off) is removed by the cleanup. The server runs on the database the
//! suite runs on: a SQLite file in its data directory, or a PostgreSQL
//! database of its own (`DATABASE_URL` set for it).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use server::store::backend::Backend;

use super::db::{empty_database, Db};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9";

struct Server {
    child: Child,
    addr: SocketAddr,
}

/// A failed test must not leave a server running.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The server on database `url` (set even for the SQLite file it would
/// choose itself: the test's own `DATABASE_URL` must not reach it).
fn start_server(dir: &std::path::Path, url: &str) -> Server {
    start_server_with(dir, url, &[])
}

/// [`start_server`] with more settings (`settings` pairs).
fn start_server_with(dir: &std::path::Path, url: &str, settings: &[(String, String)]) -> Server {
    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .envs(settings.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("PORTAL_ADDR", addr.to_string())
        .env("PORTAL_DATA_DIR", dir)
        .env("DATABASE_URL", url)
        .env("PORTAL_DEMO", "1")
        .env("PORTAL_DEMO_RECORDS", "300")
        .env("PORTAL_TODAY", "2026-11-26")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start server");
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(r) = http(addr, "GET", "/healthz", "", "", &[]) {
            if r.status == 200 {
                return Server { child, addr };
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("server did not start");
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.eq_ignore_ascii_case(name)).then(|| v.trim().to_string())
        })
    }
}

/// One HTTP/1.1 request on a fresh connection (loopback only).
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nSec-Fetch-Site: same-origin\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if !content_type.is_empty() {
        req.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    })
}

fn form(addr: SocketAddr, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Reply {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", super::encode(k), super::encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    http(
        addr,
        "POST",
        path,
        cookie,
        "application/x-www-form-urlencoded",
        body.as_bytes(),
    )
    .unwrap()
}

fn upload(
    addr: SocketAddr,
    path: &str,
    cookie: &str,
    kind: &str,
    name: &str,
    bytes: &[u8],
) -> Reply {
    try_upload(addr, path, cookie, kind, name, bytes).unwrap()
}

/// [`upload`] whose connection may be cut (the server killed under it).
fn try_upload(
    addr: SocketAddr,
    path: &str,
    cookie: &str,
    kind: &str,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<Reply> {
    let b = "----crashtest";
    let mut body = format!("--{b}\r\nContent-Disposition: form-data; name=\"evidence_kind\"\r\n\r\n{kind}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    http(
        addr,
        "POST",
        path,
        cookie,
        &format!("multipart/form-data; boundary={b}"),
        &body,
    )
}

/// Fills in an application up to the evidence step; returns the cookie.
fn to_evidence(addr: SocketAddr, base: &str, code: &str, rep: &str) -> String {
    let start = form(addr, &format!("{base}/start"), "", &[]);
    let cookie = start
        .header("set-cookie")
        .and_then(|c| c.split(';').next().map(str::to_string))
        .expect("draft cookie");
    form(
        addr,
        &format!("{base}/applicant"),
        &cookie,
        &[
            ("applicant_kind", "subject"),
            ("applicant_name", "李明"),
            ("notice_ack", "yes"),
            (
                "notice_version",
                app::domain::privacy_notice::NOTICE_VERSION,
            ),
            ("contact_phone", "13800001234"),
        ],
    );
    form(
        addr,
        &format!("{base}/identity"),
        &cookie,
        &[("identity", code), ("identity_second", rep)],
    );
    form(
        addr,
        &format!("{base}/pledge"),
        &cookie,
        &[("agree", "yes"), ("signatory", "李明")],
    );
    cookie
}

/// Fills in an application up to the submit button; returns the cookie.
fn prepare(addr: SocketAddr, base: &str, code: &str, rep: &str) -> String {
    let cookie = to_evidence(addr, base, code, rep);
    for (kind, name, bytes) in [
        ("fulfilment", "a.pdf", PDF),
        ("rectification", "b.png", PNG),
        ("identity", "c.jpg", JPEG),
    ] {
        assert_eq!(
            upload(
                addr,
                &format!("{base}/evidence"),
                &cookie,
                kind,
                name,
                bytes
            )
            .status,
            303
        );
    }
    cookie
}

#[tokio::test]
async fn killing_the_server_during_submission_loses_nothing() {
    let dir = std::env::temp_dir().join(format!("hegang-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let database = empty_database(&dir).await;
    let url = database.url.clone();
    let uploads = dir.join("uploads");

    let mut server = start_server(&dir, &url);
    // Repairable organisation penalties, one per round.
    let candidates = candidates(&url).await;
    let mut rounds = 0;
    let mut submitted = 0;
    for (id, code, rep) in candidates {
        if rounds == 6 {
            break;
        }
        let base = format!("/repair/apply/{id}");
        let page = http(server.addr, "GET", &base, "", "", &[]).unwrap();
        if !page.body.contains("开始申请") {
            continue; // not repairable today
        }
        let cookie = prepare(server.addr, &base, &code, &rep);
        // Send the submission and kill the server a moment later: at once,
        // or after it has had a little time to work.
        let addr = server.addr;
        let sender = std::thread::spawn(move || {
            let _ = http(addr, "POST", &format!("{base}/submit"), &cookie, "", &[]);
        });
        std::thread::sleep(Duration::from_micros(
            [0, 1_000, 3_000, 10_000, 30_000, 100_000][rounds],
        ));
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        let _ = sender.join();
        rounds += 1;

        // Whatever happened, the database and the disk agree.
        let backend = Backend::connect(&url).await.unwrap();
        let db = Db::of(&backend);
        let apps = db.rows("select id from repair_applications").await;
        for app in &apps {
            let app_id: i64 = app.get(0);
            let count = |table: &str| {
                let db = db.clone();
                let sql = format!("select count(*) from {table} where application_id = {app_id}");
                async move { db.rows(&sql).await[0].get::<i64, _>(0) }
            };
            let events = count("repair_events").await;
            let files = count("repair_files").await;
            assert!(
                events >= 1 && files == 3,
                "application {app_id} is incomplete: {events} events, {files} files"
            );
        }
        submitted = apps.len();
        let drafts_with_files: i64 = db
            .rows(
                "select count(*) from repair_drafts d
                 where (select count(*) from repair_files f where f.draft_id = d.id) = 3",
            )
            .await[0]
            .get(0);
        let drafts: i64 = db.rows("select count(*) from repair_drafts").await[0].get(0);
        assert_eq!(drafts, drafts_with_files, "a draft lost files");
        assert_eq!(
            submitted as i64 + drafts,
            rounds as i64,
            "an application vanished"
        );
        let known: std::collections::HashSet<String> = db
            .rows("select stored_name from repair_files")
            .await
            .iter()
            .map(|r| r.get(0))
            .collect();
        for entry in std::fs::read_dir(&uploads).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(known.contains(&name), "stray file {name}");
        }
        for name in &known {
            assert!(uploads.join(name).exists(), "row without file {name}");
        }
        drop(db);
        drop(backend);
        server = start_server(&dir, &url);
    }
    assert_eq!(rounds, 6, "not enough repairable records for the test");
    server.child.kill().unwrap();
    let _ = server.child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    println!("{submitted} of {rounds} submissions completed before the kill");
}

/// Repairable organisation penalties with what the identity step needs.
async fn candidates(url: &str) -> Vec<(i64, String, String)> {
    let backend = Backend::connect(url).await.unwrap();
    let rows = Db::of(&backend)
        .rows(
            "select e.record_id, e.credit_code, p.representative_id_number
             from public_entries e join penalties p on p.id = e.record_id
             where e.record_kind = 'penalty' and p.representative_id_number is not null
             order by e.sort_key",
        )
        .await;
    rows.iter()
        .map(|r| (r.get::<i64, _>(0), r.get(1), r.get(2)))
        .collect()
}

#[tokio::test]
async fn killing_the_server_during_an_upload_keeps_no_half_file() {
    let dir = std::env::temp_dir().join(format!("hegang-crash-up-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let database = empty_database(&dir).await;
    let url = database.url.clone();
    let uploads = dir.join("uploads");
    let mut server = start_server(&dir, &url);
    // A 9 MB PDF takes long enough to stream that a kill lands inside it.
    let big = [PDF, &vec![b' '; 9 * 1024 * 1024][..]].concat();
    let mut rounds = 0;
    let mut strays_seen = 0;
    for (id, code, rep) in candidates(&url).await {
        if rounds == 6 {
            break;
        }
        let base = format!("/repair/apply/{id}");
        let page = http(server.addr, "GET", &base, "", "", &[]).unwrap();
        if !page.body.contains("开始申请") {
            continue;
        }
        let cookie = to_evidence(server.addr, &base, &code, &rep);
        let addr = server.addr;
        let body = big.clone();
        let sender = std::thread::spawn(move || {
            let path = format!("{base}/evidence");
            let _ = try_upload(addr, &path, &cookie, "fulfilment", "big.pdf", &body);
        });
        std::thread::sleep(Duration::from_millis([5, 20, 50, 100, 250, 600][rounds]));
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        let _ = sender.join();
        rounds += 1;

        let backend = Backend::connect(&url).await.unwrap();
        // Every row's file is there, whole.
        let rows = Db::of(&backend)
            .rows("select stored_name, size_bytes from repair_files")
            .await;
        let mut known = std::collections::HashSet::new();
        for row in &rows {
            let name: String = row.get(0);
            let size: i64 = row.get(1);
            let on_disk = std::fs::metadata(uploads.join(&name))
                .unwrap_or_else(|_| panic!("row without file {name}"))
                .len();
            assert_eq!(on_disk as i64, size, "file {name} is not whole");
            known.insert(name);
        }
        // A file cut off is kept by no row, and the cleanup removes it
        // once it is old enough not to be an upload still arriving.
        let strays: Vec<std::path::PathBuf> = std::fs::read_dir(&uploads)
            .map(|d| d.map(|e| e.unwrap().path()).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !known.contains(&p.file_name().unwrap().to_string_lossy().into_owned()))
            .collect();
        strays_seen += strays.len();
        let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
        for stray in &strays {
            std::fs::File::options()
                .write(true)
                .open(stray)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        let evidence = server::repair::evidence_store::EvidenceStore::local(&uploads).unwrap();
        server::repair::uploads::cleanup(backend.repair.as_ref(), &evidence)
            .await
            .unwrap();
        for stray in &strays {
            assert!(
                !stray.exists(),
                "cleanup kept stray file {}",
                stray.display()
            );
        }
        drop(backend);
        server = start_server(&dir, &url);
    }
    assert_eq!(rounds, 6, "not enough repairable records for the test");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    println!("{strays_seen} cut-off uploads found and removed in {rounds} rounds");
}

/// Two app servers on one PostgreSQL database and one S3 bucket, as behind a
/// proxy: one is killed (SIGKILL) while it submits an application or
/// receives an upload, and the applicant carries on through the other. Each
/// round ends with the application submitted whole (through whichever
/// server got there), every file row's object in the bucket with its size,
/// and no object that no row refers to (a cut-off upload is never an
/// object; one completed just before the kill is removed by the cleanup).
/// Runs where both exist (the suite's PostgreSQL run in `.ci/test`).
#[tokio::test]
async fn killing_one_of_two_servers_loses_nothing_and_leaves_no_object() {
    let dir = std::env::temp_dir().join(format!("hegang-crash-two-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let database = empty_database(&dir).await;
    let url = database.url.clone();
    if !url.starts_with("postgres") {
        eprintln!("note: two app servers need PostgreSQL; test skipped on SQLite");
        return;
    }
    let Some(bucket) = super::evidence_s3::test_server() else {
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let prefix = format!("kill-{}-{nanos}", std::process::id());
    let settings = bucket.settings(&prefix);
    let evidence = bucket.store(&prefix);

    // One seeds the demo data; two starts on what one wrote.
    let mut one = start_server_with(&dir.join("one"), &url, &settings);
    let two = start_server_with(&dir.join("two"), &url, &settings);
    let big = [PDF, &vec![b' '; 9 * 1024 * 1024][..]].concat();
    let backend = Backend::connect(&url).await.unwrap();
    let db = Db::of(&backend);
    let mut rounds = 0;
    let mut through_two = 0;
    for (id, code, rep) in candidates(&url).await {
        if rounds == 6 {
            break;
        }
        let base = format!("/repair/apply/{id}");
        let page = http(two.addr, "GET", &base, "", "", &[]).unwrap();
        if !page.body.contains("开始申请") {
            continue;
        }
        let delay = Duration::from_micros([0, 5_000, 2_000, 50_000, 20_000, 250_000][rounds]);
        let cookie = if rounds % 2 == 0 {
            // Killed while it submits.
            let cookie = prepare(one.addr, &base, &code, &rep);
            let (addr, path, c) = (one.addr, format!("{base}/submit"), cookie.clone());
            let sender = std::thread::spawn(move || {
                let _ = http(addr, "POST", &path, &c, "", &[]);
            });
            std::thread::sleep(delay);
            one.child.kill().unwrap();
            one.child.wait().unwrap();
            let _ = sender.join();
            cookie
        } else {
            // Killed while it receives a 9 MB file (parts already in the
            // bucket); the applicant sends a smaller one through two.
            let cookie = to_evidence(one.addr, &base, &code, &rep);
            for (kind, name, bytes) in
                [("rectification", "b.png", PNG), ("identity", "c.jpg", JPEG)]
            {
                assert_eq!(
                    upload(
                        one.addr,
                        &format!("{base}/evidence"),
                        &cookie,
                        kind,
                        name,
                        bytes
                    )
                    .status,
                    303
                );
            }
            let (addr, path, c, body) = (
                one.addr,
                format!("{base}/evidence"),
                cookie.clone(),
                big.clone(),
            );
            let sender = std::thread::spawn(move || {
                let _ = try_upload(addr, &path, &c, "fulfilment", "big.pdf", &body);
            });
            std::thread::sleep(delay * 4);
            one.child.kill().unwrap();
            one.child.wait().unwrap();
            let _ = sender.join();
            let draft_files = db
                .count(&format!(
                    "select count(*) from repair_files f join repair_drafts d on d.id = f.draft_id
                     where d.record_id = {id}"
                ))
                .await;
            if draft_files < 3 {
                let again = upload(
                    two.addr,
                    &format!("{base}/evidence"),
                    &cookie,
                    "fulfilment",
                    "a.pdf",
                    PDF,
                );
                assert_eq!(again.status, 303, "{}", again.body);
            }
            cookie
        };
        rounds += 1;
        let applications = |db: Db| async move {
            db.count(&format!(
                "select count(*) from repair_applications where record_id = {id}"
            ))
            .await
        };
        if applications(db.clone()).await == 0 {
            // What one had not finished, two does, from the same draft.
            let submitted = http(
                two.addr,
                "POST",
                &format!("{base}/submit"),
                &cookie,
                "",
                &[],
            )
            .unwrap();
            assert_eq!(submitted.status, 303, "{}", submitted.body);
            through_two += 1;
        }
        assert_eq!(applications(db.clone()).await, 1, "record {id}");
        let app_id = db
            .count(&format!(
                "select id from repair_applications where record_id = {id}"
            ))
            .await;
        let events = db
            .count(&format!(
                "select count(*) from repair_events where application_id = {app_id}"
            ))
            .await;
        let files = db
            .count(&format!(
                "select count(*) from repair_files where application_id = {app_id}"
            ))
            .await;
        assert!(
            events >= 1 && files == 3,
            "application of record {id}: {events} events, {files} files"
        );
        let leftover_drafts = db
            .count(&format!(
                "select count(*) from repair_drafts where record_id = {id}"
            ))
            .await;
        assert_eq!(leftover_drafts, 0, "the submitted draft is gone");

        // The bucket and the rows agree.
        let rows = db
            .rows("select stored_name, size_bytes from repair_files")
            .await;
        let mut known = std::collections::HashSet::new();
        for row in &rows {
            let name: String = row.get(0);
            let size: i64 = row.get(1);
            let stored = evidence
                .open(&name)
                .await
                .unwrap_or_else(|e| panic!("row without object {name}: {e}"));
            assert_eq!(stored.size as i64, size, "object {name} is not whole");
            known.insert(format!("{prefix}/{name}"));
        }
        // A file completed in the instant before the kill has no row yet;
        // the cleanup (as if an hour later) removes it, and nothing else.
        let strays = bucket
            .objects(&prefix)
            .into_iter()
            .filter(|k| !known.contains(k))
            .count();
        if strays > 0 {
            server::repair::uploads::cleanup_at(
                backend.repair.as_ref(),
                &evidence,
                chrono::Utc::now() + chrono::Duration::hours(2),
            )
            .await
            .unwrap();
        }
        let mut objects = bucket.objects(&prefix);
        objects.sort();
        let mut expected: Vec<String> = known.into_iter().collect();
        expected.sort();
        assert_eq!(objects, expected, "objects and rows differ");
        // Parts of the cut-off upload are no object; the bucket's
        // lifecycle rule removes them (README). None belongs to a row.
        for key in bucket.open_uploads(&prefix) {
            assert!(
                !expected.contains(&key),
                "a row's file is unfinished: {key}"
            );
        }
        one = start_server_with(&dir.join("one"), &url, &settings);
    }
    assert_eq!(rounds, 6, "not enough repairable records for the test");
    drop(one);
    drop(two);
    let _ = std::fs::remove_dir_all(&dir);
    println!("{through_two} of {rounds} applications finished through the other server");
}
