//! Drafts and their uploads are bounded per client and in total: a
//! stranger with a script cannot fill the disk without an account.

use app::domain::repair_application::{DraftLimits, MAX_FILE_BYTES};
use axum::http::StatusCode;

use super::identity::post_from;
use super::repair::{eligible_record, fill_in, PDF};
use super::{portal_with_draft_limits, Portal};

async fn drafts(p: &Portal) -> usize {
    p.rows("select 1 from repair_drafts").await.len()
}

#[tokio::test]
async fn drafts_are_bounded_per_client_and_in_all() {
    let p = portal_with_draft_limits(DraftLimits {
        drafts_per_client_per_hour: 3,
        open_drafts: 5,
        ..Default::default()
    })
    .await;
    let (id, _) = eligible_record(&p).await;
    let start = format!("/repair/apply/{id}/start");
    for _ in 0..3 {
        let ok = post_from(&p, "198.51.100.1", &start, "", &[]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
    }
    let refused = post_from(&p, "198.51.100.1", &start, "", &[]).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains("一小时内已开始"), "{}", refused.body);
    assert!(refused.cookie("repair_draft").is_none());
    assert_eq!(drafts(&p).await, 3, "a refusal opens nothing");
    // Someone else may still start, until the portal's bound.
    for _ in 0..2 {
        let ok = post_from(&p, "198.51.100.2", &start, "", &[]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
    }
    let busy = post_from(&p, "198.51.100.3", &start, "", &[]).await;
    assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(busy.body.contains("窗口办理"));
    assert_eq!(drafts(&p).await, 5);
}

#[tokio::test]
async fn unsubmitted_uploads_are_bounded_per_client() {
    // Room for one more file once a client holds 100 bytes, not two.
    let p = portal_with_draft_limits(DraftLimits {
        bytes_per_client: MAX_FILE_BYTES + 100,
        ..Default::default()
    })
    .await;
    let (id, code) = eligible_record(&p).await;
    let base = format!("/repair/apply/{id}");
    let cookie = fill_in(&p, &base, &code).await;
    let evidence = format!("{base}/evidence");
    let big_pdf = [PDF, &[b' '; 200][..]].concat();
    let first = p
        .upload(&evidence, &cookie, "fulfilment", "a.pdf", &big_pdf)
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let second = p
        .upload(&evidence, &cookie, "rectification", "b.pdf", PDF)
        .await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(second.body.contains("已达上限"), "{}", second.body);
    let files = p.rows("select 1 from repair_files").await.len();
    assert_eq!(files, 1, "the refused file is not stored");
    let on_disk = std::fs::read_dir(p.dir.join("uploads")).unwrap().count();
    assert_eq!(on_disk, 1, "nor left on disk");
}
