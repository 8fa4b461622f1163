//! The online repair application from start to tracking, over HTTP as a
//! browser without JavaScript sends it: form posts, multipart uploads,
//! cookies, redirects.

use app::domain::{repair_eligibility, RepairEligibility, SubjectKind};
use axum::http::StatusCode;

use super::{portal, today, Portal};

pub(super) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
pub(super) const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
pub(super) const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9";

/// A published penalty of an organisation whose repair is open today.
pub async fn eligible_record(p: &Portal) -> (i64, String) {
    eligible_records(p)
        .await
        .into_iter()
        .next()
        .expect("demo data should hold a repairable organisation penalty")
}

/// Every published penalty of an organisation whose repair is open today:
/// (record id, credit code, department id), oldest first.
pub async fn eligible_records_of_departments(p: &Portal) -> Vec<(i64, String, i64)> {
    repairable(p, SubjectKind::LegalEntity)
        .await
        .into_iter()
        .map(|r| (r.id, r.subject.credit_code.unwrap(), r.authority.id))
        .collect()
}

async fn eligible_records(p: &Portal) -> Vec<(i64, String)> {
    repairable(p, SubjectKind::LegalEntity)
        .await
        .into_iter()
        .map(|r| (r.id, r.subject.credit_code.unwrap()))
        .collect()
}

/// Every published penalty of a `kind` subject whose repair is open
/// today, oldest first.
pub async fn repairable(p: &Portal, kind: SubjectKind) -> Vec<app::store::StoredPenalty> {
    let mut found = Vec::new();
    let rows = p
        .rows(
            "select record_id from public_entries where record_kind = 'penalty' order by sort_key",
        )
        .await;
    for row in rows {
        let penalty = p.backend.public.penalty(row.get(0)).await.unwrap().unwrap();
        let open = matches!(
            repair_eligibility(
                penalty.decision_date,
                &penalty.rules,
                penalty.repaired_on,
                p.today
            ),
            RepairEligibility::Eligible { .. }
        );
        if open && penalty.subject.kind == kind {
            found.push(penalty);
        }
    }
    found
}

/// The representative's ID number the department delivered with record
/// `id` (never public): the identity step's second answer.
pub async fn representative_id(p: &Portal, id: i64) -> String {
    p.rows(&format!(
        "select representative_id_number from penalties where id = {id}"
    ))
    .await[0]
        .get::<Option<String>, _>(0)
        .expect("demo organisations' records carry the representative's ID number")
}

/// The record id in a `/repair/apply/{id}` address.
fn record_of(base: &str) -> i64 {
    base.rsplit('/').next().unwrap().parse().unwrap()
}

/// Walks the flow up to the evidence page; returns the draft cookie.
pub(super) async fn fill_in(p: &Portal, base: &str, code: &str) -> String {
    let start = p.post_form(&format!("{base}/start"), "", &[]).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    assert_eq!(start.location(), format!("{base}/applicant"));
    let cookie = start.cookie("repair_draft").expect("draft cookie");

    let ok = p
        .post_form(
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
                ("contact_phone", "138 0000 1234"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let rep = representative_id(p, record_of(base)).await;
    let ok = p
        .post_form(
            &format!("{base}/identity"),
            &cookie,
            &[("identity", code), ("identity_second", &rep)],
        )
        .await;
    assert_eq!(ok.location(), format!("{base}/pledge"));
    let ok = p
        .post_form(
            &format!("{base}/pledge"),
            &cookie,
            &[("agree", "yes"), ("signatory", "李明")],
        )
        .await;
    assert_eq!(ok.location(), format!("{base}/evidence"));
    cookie
}

#[tokio::test]
async fn a_whole_application_from_record_to_tracking() {
    let p = portal().await;
    let (id, code) = eligible_record(&p).await;
    let base = format!("/repair/apply/{id}");

    // The record page links to the application; the start page explains it.
    let (_, record_page) = p.get(&format!("/penalties/{id}")).await;
    assert!(record_page.contains(&format!("href=\"{base}\"")));
    let (status, start) = p.get(&base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(start.contains("开始申请") && start.contains("免费"));

    let start = p.post_form(&format!("{base}/start"), "", &[]).await;
    let cookie = start.cookie("repair_draft").expect("draft cookie");

    // Bad input: a clear message naming the field, and nothing saved.
    let bad = p
        .post_form(
            &format!("{base}/applicant"),
            &cookie,
            &[
                ("applicant_kind", ""),
                ("applicant_name", "李明"),
                ("contact_phone", "12345"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("联系电话") && bad.body.contains("href=\"#contact_phone\""));
    assert!(bad.body.contains("href=\"#applicant_kind\""));
    let page = p
        .get_with_cookie(&format!("{base}/identity"), &cookie)
        .await;
    assert_eq!(
        page.location(),
        format!("{base}/applicant"),
        "identity needs the applicant step first"
    );

    let ok = p
        .post_form(
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
        )
        .await;
    assert_eq!(ok.location(), format!("{base}/identity"));

    // The identity must match the record's subject: the public credit
    // code and the representative's unpublished ID number together.
    let rep = representative_id(&p, id).await;
    let wrong = p
        .post_form(
            &format!("{base}/identity"),
            &cookie,
            &[
                ("identity", "91110108551385082Q"),
                ("identity_second", &rep),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("不一致"));
    let ok = p
        .post_form(
            &format!("{base}/identity"),
            &cookie,
            &[
                ("identity", &code.to_lowercase()),
                ("identity_second", &rep),
            ],
        )
        .await;
    assert_eq!(ok.location(), format!("{base}/pledge"));

    // The pledge is shown in full, generated from the record.
    let pledge = p.get_with_cookie(&format!("{base}/pledge"), &cookie).await;
    let doc_no: String = p
        .rows(&format!("select doc_no from penalties where id = {id}"))
        .await[0]
        .get(0);
    assert!(pledge.body.contains(&doc_no) && pledge.body.contains("信用修复承诺书"));
    let unticked = p
        .post_form(&format!("{base}/pledge"), &cookie, &[("signatory", "李明")])
        .await;
    assert_eq!(unticked.status, StatusCode::BAD_REQUEST);
    let other_name = p
        .post_form(
            &format!("{base}/pledge"),
            &cookie,
            &[("agree", "yes"), ("signatory", "王五")],
        )
        .await;
    assert!(other_name.body.contains("须与申请人姓名"));
    let ok = p
        .post_form(
            &format!("{base}/pledge"),
            &cookie,
            &[("agree", "yes"), ("signatory", "李明")],
        )
        .await;
    assert_eq!(ok.location(), format!("{base}/evidence"));

    // Uploads are judged by their bytes.
    let evidence = format!("{base}/evidence");
    for (name, bytes, message) in [
        ("receipt.pdf", PNG, "与扩展名不符"),
        ("empty.pdf", &b""[..], "空文件"),
        ("notes.txt", &b"hello, not a document"[..], "PDF"),
    ] {
        let refused = p
            .upload(&evidence, &cookie, "fulfilment", name, bytes)
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{name}");
        assert!(refused.body.contains(message), "{name}: {}", refused.body);
    }
    let too_big = vec![b'%'; 11 * 1024 * 1024];
    let refused = p
        .upload(&evidence, &cookie, "fulfilment", "big.pdf", &too_big)
        .await;
    assert!(refused.status.is_client_error());
    assert!(refused.body.contains("10 MB"), "{}", refused.body);

    let ok = p
        .upload(&evidence, &cookie, "fulfilment", "罚款缴纳凭证.pdf", PDF)
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let missing = p
        .post_form(&format!("{base}/evidence/done"), &cookie, &[])
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.body.contains("还缺少"));

    // A file can be removed again: from the list and from disk.
    let extra = p
        .upload(&evidence, &cookie, "rectification", "draft.png", PNG)
        .await;
    assert_eq!(extra.status, StatusCode::SEE_OTHER);
    let listed = p.get_with_cookie(&evidence, &cookie).await;
    assert!(listed.body.contains("draft.png") && listed.body.contains("罚款缴纳凭证.pdf"));
    let row = &p
        .rows("select id, stored_name from repair_files where display_name = 'draft.png'")
        .await[0];
    let (file_id, stored): (i64, String) = (row.get(0), row.get(1));
    assert!(p.dir.join("uploads").join(&stored).exists());
    let removed = p
        .post_form(
            &format!("{base}/evidence/remove"),
            &cookie,
            &[("file_id", &file_id.to_string())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(!p.dir.join("uploads").join(&stored).exists());

    for (kind, name, bytes) in [
        ("rectification", "整改报告.png", PNG),
        ("identity", "营业执照.jpg", JPEG),
    ] {
        let ok = p.upload(&evidence, &cookie, kind, name, bytes).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{name}: {}", ok.body);
    }
    let done = p
        .post_form(&format!("{base}/evidence/done"), &cookie, &[])
        .await;
    assert_eq!(done.location(), format!("{base}/check"));

    // Check your answers, then submit.
    let check = p.get_with_cookie(&format!("{base}/check"), &cookie).await;
    assert!(check.body.contains("13800001234") && check.body.contains("整改报告.png"));
    let submitted = p.post_form(&format!("{base}/submit"), &cookie, &[]).await;
    assert_eq!(submitted.location(), "/repair/apply/done");
    let receipt = submitted.cookie("repair_receipt").expect("receipt cookie");
    let confirmation = p.get_with_cookie("/repair/apply/done", &receipt).await;
    assert_eq!(confirmation.status, StatusCode::OK);
    let number = receipt
        .split('=')
        .nth(1)
        .unwrap()
        .split('.')
        .next()
        .unwrap()
        .to_string();
    let code_plain = receipt.split('.').nth(1).unwrap().to_string();
    assert!(confirmation.body.contains(&number));
    assert!(confirmation.body.contains(&code_plain[..4]));

    // Stored atomically: the application, its three files (hashed, on
    // disk), the first event; the draft is gone.
    let app = &p
        .rows(&format!(
            "select id, state, tracking_hash from repair_applications where number = '{number}'"
        ))
        .await[0];
    let app_id: i64 = app.get(0);
    assert_eq!(app.get::<String, _>(1), "submitted");
    assert_ne!(
        app.get::<String, _>(2),
        code_plain,
        "the tracking code is stored hashed"
    );
    let files = p
        .rows(&format!(
            "select stored_name, sha256 from repair_files where application_id = {app_id}"
        ))
        .await;
    assert_eq!(files.len(), 3);
    for f in &files {
        let stored: String = f.get(0);
        let bytes = std::fs::read(p.dir.join("uploads").join(&stored)).unwrap();
        assert_eq!(
            f.get::<String, _>(1),
            server::http::tokens::sha256_hex(&bytes)
        );
    }
    assert_eq!(p.rows("select 1 from repair_drafts").await.len(), 0);
    assert_eq!(
        p.rows(&format!(
            "select 1 from repair_events where application_id = {app_id}"
        ))
        .await
        .len(),
        1
    );

    // One open application per record: the subject learns it at the
    // identity step (tested in `identity`); the public start page never
    // shows the number.
    let (_, again) = p.get(&base).await;
    assert!(!again.contains(&number));

    // Tracking: wrong answers never tell whether a number exists.
    let wrong_code = p
        .post_form(
            "/repair/track",
            "",
            &[("number", &number), ("code", "2345-6789-ABCD")],
        )
        .await;
    let unknown = p
        .post_form(
            "/repair/track",
            "",
            &[("number", "XF2026010100001"), ("code", "2345-6789-ABCD")],
        )
        .await;
    assert_eq!(wrong_code.status, unknown.status);
    assert!(
        wrong_code.body.contains("申请编号或查询码不正确")
            && unknown.body.contains("申请编号或查询码不正确")
    );
    let status = p
        .post_form(
            "/repair/track",
            "",
            &[
                ("number", &number.to_lowercase()),
                ("code", &code_plain.to_lowercase()),
            ],
        )
        .await;
    assert_eq!(status.status, StatusCode::OK);
    assert!(
        status
            .body
            .contains(&format!("name=\"code\" value=\"{code_plain}\"")),
        "the withdraw form carries the code"
    );
    for needle in [
        "已提交",
        "提交申请",
        "办理期限",
        "个工作日",
        "整改报告.png",
        "撤回申请",
    ] {
        assert!(status.body.contains(needle), "status page lacks {needle}");
    }
    // The contact number is shown with its middle digits hidden.
    assert!(status.body.contains("138****1234"));
    assert!(!status.body.contains("13800001234"));

    // Withdrawal needs the confirmation tick, then ends the application.
    let unconfirmed = p
        .post_form(
            "/repair/track/withdraw",
            "",
            &[("number", &number), ("code", &code_plain)],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    let withdrawn = p
        .post_form(
            "/repair/track/withdraw",
            "",
            &[
                ("number", &number),
                ("code", &code_plain),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK);
    assert!(withdrawn.body.contains("已撤回") && !withdrawn.body.contains("我确认撤回本申请"));
    let (_, reopened) = p.get(&base).await;
    assert!(
        reopened.contains("开始申请"),
        "a withdrawn application frees the record"
    );
}

#[tokio::test]
async fn an_untouched_form_shows_no_errors() {
    let p = portal().await;
    let (status, body) = p.get("/repair/track").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !body.contains("field-error") && !body.contains("错误："),
        "{body}"
    );
}

#[tokio::test]
async fn wrong_tracking_codes_are_rate_limited() {
    let p = portal().await;
    let mut last = StatusCode::OK;
    for _ in 0..11 {
        last = p
            .post_form(
                "/repair/track",
                "",
                &[("number", "XF2026010100001"), ("code", "2345-6789-ABCD")],
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn cross_site_posts_change_nothing() {
    let p = portal().await;
    let (id, code) = eligible_record(&p).await;
    let base = format!("/repair/apply/{id}");
    let cookie = fill_in(&p, &base, &code).await;
    let request = axum::http::Request::post(format!("{base}/evidence/done"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::empty())
        .unwrap();
    let refused = p.send(request).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let request = axum::http::Request::post(format!("{base}/start"))
        .header("origin", "http://evil.example")
        .header("host", "127.0.0.1:3000")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(p.send(request).await.status, StatusCode::FORBIDDEN);
    assert_eq!(p.rows("select 1 from repair_drafts").await.len(), 1);
}

#[tokio::test]
async fn records_that_cannot_be_repaired_say_why() {
    let p = portal().await;
    // A published record whose minimum period is not over yet, or that may
    // not be repaired early.
    let rows = p
        .rows("select record_id from public_entries where record_kind = 'penalty' order by sort_key desc limit 50")
        .await;
    let mut seen = false;
    for row in rows {
        let id: i64 = row.get(0);
        let penalty = p.backend.public.penalty(id).await.unwrap().unwrap();
        let e = repair_eligibility(
            penalty.decision_date,
            &penalty.rules,
            penalty.repaired_on,
            today(),
        );
        if !matches!(e, RepairEligibility::Eligible { .. }) {
            let (status, body) = p.get(&format!("/repair/apply/{id}")).await;
            assert_eq!(status, StatusCode::OK);
            assert!(body.contains(&e.explain()) && !body.contains("开始申请"));
            let start = p
                .post_form(&format!("/repair/apply/{id}/start"), "", &[])
                .await;
            assert!(
                start.cookie("repair_draft").is_none(),
                "no draft for an ineligible record"
            );
            seen = true;
            break;
        }
    }
    assert!(seen);
    let (status, _) = p.get("/repair/apply/999999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Submits a complete application for `id`; returns (number, tracking code).
pub async fn submit_application(p: &Portal, id: i64, code: &str) -> (String, String) {
    let base = format!("/repair/apply/{id}");
    let cookie = fill_in(p, &base, code).await;
    submit_draft(p, &base, &cookie).await
}

/// Uploads the evidence of the draft in `cookie` and submits it; returns
/// (number, tracking code).
pub async fn submit_draft(p: &Portal, base: &str, cookie: &str) -> (String, String) {
    let cookie = cookie.to_string();
    let evidence = format!("{base}/evidence");
    for (kind, name, bytes) in [
        ("fulfilment", "a.pdf", PDF),
        ("rectification", "b.png", PNG),
        ("identity", "c.jpg", JPEG),
    ] {
        assert_eq!(
            p.upload(&evidence, &cookie, kind, name, bytes).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let submitted = p.post_form(&format!("{base}/submit"), &cookie, &[]).await;
    let receipt = submitted.cookie("repair_receipt").expect("receipt");
    let value = receipt.split('=').nth(1).unwrap().to_string();
    let mut parts = value.split('.');
    (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
    )
}

#[tokio::test]
async fn the_applicant_answers_a_request_to_supplement() {
    use app::domain::repair_application::{Action, ApplicationState};
    use app::store::repair::NewEvent;

    let p = portal().await;
    let (id, code) = eligible_record(&p).await;
    let (number, tracking) = submit_application(&p, id, &code).await;
    let app = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap();

    // Staff review is a separate feature; this stands in for its request.
    let asked = NewEvent {
        actor: "staff",
        action: Action::RequestSupplement,
        reason: Some("请补充罚款缴纳凭证的银行回单".into()),
        remedies: None,
        deadline: Some(today() + chrono::Days::new(14)),
        at: chrono::Utc::now(),
    };
    let next = p
        .backend
        .repair
        .apply_action(app.id, ApplicationState::Submitted, &asked, &[])
        .await
        .unwrap();
    assert_eq!(next, Some(ApplicationState::NeedsSupplement));

    let status = p
        .post_form(
            "/repair/track",
            "",
            &[("number", &number), ("code", &tracking)],
        )
        .await;
    assert!(status.body.contains("待补正") && status.body.contains("请补充罚款缴纳凭证的银行回单"));
    assert!(status.body.contains("提交补正材料"));

    // Missing explanation and a mislabelled file: refused, nothing changes.
    let refused = p
        .post_multipart(
            "/repair/track/supplement",
            &[
                ("number", &number),
                ("code", &tracking),
                ("supplement_text", " "),
                ("evidence_kind", "fulfilment"),
            ],
            &[("file", "回单.pdf", PNG)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("补正说明") && refused.body.contains("与扩展名不符"));
    assert_eq!(
        p.backend
            .repair
            .application_by_number(&number)
            .await
            .unwrap()
            .unwrap()
            .state,
        ApplicationState::NeedsSupplement
    );

    let answered = p
        .post_multipart(
            "/repair/track/supplement",
            &[
                ("number", &number),
                ("code", &tracking),
                ("supplement_text", "已补充银行回单扫描件。"),
                ("evidence_kind", "fulfilment"),
            ],
            &[
                ("file", "银行回单.pdf", PDF),
                ("file", "回单第二页.jpg", JPEG),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert_eq!(
        p.backend
            .repair
            .application_by_number(&number)
            .await
            .unwrap()
            .unwrap()
            .state,
        ApplicationState::Submitted,
        "back to submitted after the supplement"
    );
    assert!(
        answered.body.contains("提交补正材料") && answered.body.contains("已补充银行回单扫描件")
    );
    assert!(answered.body.contains("银行回单.pdf") && answered.body.contains("回单第二页.jpg"));
    let files = p.backend.repair.application_files(app.id).await.unwrap();
    assert_eq!(files.len(), 5);
    assert_eq!(
        files.iter().filter(|f| f.event_id.is_some()).count(),
        2,
        "supplement files belong to their event"
    );
    // No stray files on disk.
    let on_disk = std::fs::read_dir(p.dir.join("uploads")).unwrap().count();
    assert_eq!(on_disk, 5);
}
