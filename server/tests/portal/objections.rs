//! Objections (异议) through the real router: the subject files one from
//! the record's page with its identity checked (wrong answers counted
//! against the record), its grounds, evidence and the signed pledge; the
//! record shows 异议处理中 from acceptance; the determining department
//! answers in writing, and what the outcome does is what the public page
//! shows afterwards. Another department sees 404; wrong tracking codes are
//! refused without saying whether the number exists, and limited.

use app::domain::staff::Role;
use axum::http::StatusCode;

use super::collect::count;
use super::repair::{representative_id, PDF};
use super::staff::{add_account, sign_in, Member};
use super::{portal, Portal};

const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1,
];

/// A public penalty of an organisation of the market regulator whose
/// department delivered the representative's ID number, skipping `skip`.
pub(super) async fn objectable_penalty(p: &Portal, skip: i64) -> (i64, String, String) {
    let row = &p
        .rows(&format!(
            "select x.id, s.credit_code from public_entries e
             join penalties x on x.id = e.record_id
             join subjects s on s.id = x.subject_id
             join departments d on d.id = x.department_id
             where e.record_kind = 'penalty' and d.code = 'scjg'
               and s.credit_code is not null and x.representative_id_number is not null
             order by e.sort_key desc limit 1 offset {skip}"
        ))
        .await[0];
    let id: i64 = row.get(0);
    let code: String = row.get(1);
    (id, code, representative_id(p, id).await)
}

/// Files an objection; the answer.
pub(super) async fn file(
    p: &Portal,
    record: &str,
    identity: (&str, &str),
    grounds: &[&str],
    files: &[(&str, &str, &[u8])],
) -> super::Answer {
    let mut fields = vec![
        ("record", record),
        ("objector_kind", "subject"),
        ("objector_name", "王红"),
        ("contact_phone", "13800001234"),
        ("identity", identity.0),
        ("identity_second", identity.1),
    ];
    for g in grounds {
        fields.push(("grounds", g));
    }
    fields.extend([
        ("explanation", "罚款金额应为 1 万元，决定书记载有误。"),
        ("agree", "yes"),
        ("signatory", "王红"),
        ("notice_ack", "yes"),
        (
            "notice_version",
            app::domain::privacy_notice::NOTICE_VERSION,
        ),
    ]);
    p.post_multipart("/objections/new", &fields, files).await
}

pub(super) const EVIDENCE: &[(&str, &str, &[u8])] = &[
    ("proof", "原决定书.pdf", PDF),
    ("identity_file", "营业执照.jpg", JPEG),
];

/// Files a valid objection on penalty `id`; (number, tracking code).
pub(super) async fn filed(p: &Portal, id: i64, code: &str, rep: &str) -> (String, String) {
    let ok = file(
        p,
        &format!("penalty-{id}"),
        (code, rep),
        &["wrong"],
        EVIDENCE,
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    issued_keys(&ok.body)
}

/// The number and tracking code on an objection's confirmation page.
pub(super) fn issued_keys(body: &str) -> (String, String) {
    let mut keys = body.split("<dd class=\"issued-key\">").skip(1);
    let number = keys.next().unwrap().split('<').next().unwrap().to_string();
    let tracking = keys.next().unwrap().split('<').next().unwrap().to_string();
    (number, tracking)
}

pub(super) async fn track(p: &Portal, number: &str, code: &str) -> super::Answer {
    p.post_form(
        "/objections/track",
        "",
        &[("number", number), ("code", code)],
    )
    .await
}

pub(super) async fn act(
    p: &Portal,
    m: &Member,
    number: &str,
    action: &str,
    text: &str,
) -> super::Answer {
    let o = p
        .backend
        .objections
        .objection_by_number(number)
        .await
        .unwrap()
        .unwrap();
    p.post_form(
        &format!("/admin/objections/{number}/act"),
        &m.cookie,
        &[
            ("_csrf", m.csrf.as_str()),
            ("expected_state", o.state.code()),
            ("action", action),
            ("text", text),
        ],
    )
    .await
}

pub(super) async fn reviewers(p: &Portal) -> (Member, Member) {
    let scjg = count(p, "select id from departments where code = 'scjg'").await;
    let swj = count(p, "select id from departments where code = 'swj'").await;
    add_account(p, "verifier", Role::Reviewer, Some(scjg)).await;
    add_account(p, "taxman", Role::Reviewer, Some(swj)).await;
    (sign_in(p, "verifier").await, sign_in(p, "taxman").await)
}

#[tokio::test]
async fn an_objection_marks_the_record_and_is_answered_in_writing() {
    let p = portal().await;
    let (verifier, taxman) = reviewers(&p).await;
    let (id, code, rep) = objectable_penalty(&p, 0).await;
    let record = format!("penalty-{id}");

    // The record's page offers the form; the form names the record.
    let (_, page) = p.get(&format!("/penalties/{id}")).await;
    assert!(page.contains(&format!("/objections/new?record={record}")));
    assert!(!page.contains("异议处理中"));
    let form = p
        .get_with_cookie(&format!("/objections/new?record={record}"), "")
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("异议申诉承诺书") && form.body.contains("信息错误"));
    assert!(
        !form.body.contains("不符合列入"),
        "listing grounds are for list entries"
    );
    for bad in ["penalty-0", "penalty-x", "nothing-1", "penalty-999999999"] {
        let r = p
            .get_with_cookie(&format!("/objections/new?record={bad}"), "")
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }

    // Faults named, nothing stored, no guess spent.
    let empty = p
        .post_multipart("/objections/new", &[("record", record.as_str())], EVIDENCE)
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    for m in [
        "请选择提出人",
        "请至少选择一项异议理由",
        "请填写异议说明",
        "请勾选",
    ] {
        assert!(empty.body.contains(m), "{m}: {}", empty.body);
    }
    let no_files = file(&p, &record, (&code, &rep), &["wrong"], &[]).await;
    assert_eq!(no_files.status, StatusCode::BAD_REQUEST);
    assert!(no_files.body.contains("请上传异议证明材料"));
    let listing_ground = file(
        &p,
        &record,
        (&code, &rep),
        &["listing_conditions"],
        EVIDENCE,
    )
    .await;
    assert_eq!(listing_ground.status, StatusCode::BAD_REQUEST);
    assert!(listing_ground.body.contains("不适用于行政处罚信息"));
    let fake = file(
        &p,
        &record,
        (&code, &rep),
        &["wrong"],
        &[
            ("proof", "a.pdf", b"not a pdf"),
            ("identity_file", "b.jpg", JPEG),
        ],
    )
    .await;
    assert_eq!(fake.status, StatusCode::BAD_REQUEST);
    assert_eq!(count(&p, "select count(*) from identity_failures").await, 0);
    // A wrong identity is a guess, counted against the record.
    let wrong = file(
        &p,
        &record,
        (&code, "11010519491231002X"),
        &["wrong"],
        EVIDENCE,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("不一致"), "{}", wrong.body);
    assert!(
        !wrong.body.contains("11010519491231002X"),
        "identity answers are not sent back"
    );
    assert_eq!(
        count(&p, &format!("select count(*) from identity_failures where record_kind = 'penalty' and record_id = {id}")).await,
        1
    );
    assert_eq!(count(&p, "select count(*) from objections").await, 0);
    assert_eq!(count(&p, "select count(*) from objection_files").await, 0);

    let (number, tracking) = filed(&p, id, &code, &rep).await;
    assert!(number.starts_with("YY"), "{number}");
    assert_eq!(count(&p, "select count(*) from objection_files").await, 2);
    // One open objection per record.
    let again = file(&p, &record, (&code, &rep), &["wrong"], EVIDENCE).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("已有正在办理的异议"));
    assert_eq!(count(&p, "select count(*) from objection_files").await, 2);

    // Not marked before acceptance.
    let (_, page) = p.get(&format!("/penalties/{id}")).await;
    assert!(!page.contains("异议处理中"));

    // Another department does not see it; the determining one does.
    let other = p
        .get_with_cookie(&format!("/admin/objections/{number}"), &taxman.cookie)
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(
        act(&p, &taxman, &number, "accept", "").await.status,
        StatusCode::NOT_FOUND
    );
    let list = p
        .get_with_cookie("/admin/objections", &verifier.cookie)
        .await;
    assert!(list.body.contains(&number));
    let detail = p
        .get_with_cookie(&format!("/admin/objections/{number}"), &verifier.cookie)
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("原决定书.pdf") && detail.body.contains("13800001234"));
    assert!(detail.body.contains("受理") && !detail.body.contains("维持原信息"));

    // Accepted: the record shows 异议处理中 at once.
    let accepted = act(&p, &verifier, &number, "accept", "").await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let (_, page) = p.get(&format!("/penalties/{id}")).await;
    assert!(page.contains("异议处理中"));
    let status = track(&p, &number, &tracking).await;
    assert_eq!(status.status, StatusCode::OK);
    assert!(status.body.contains("已受理") && status.body.contains("提交异议"));
    assert!(status.body.contains("办理期限"));

    // 更正 needs a corrected record first; every decision needs reasons.
    let not_yet = act(&p, &verifier, &number, "decide_corrected", "已更正").await;
    assert_eq!(not_yet.status, StatusCode::BAD_REQUEST);
    assert!(not_yet.body.contains("数据报送"));
    let bare = act(&p, &verifier, &number, "decide_kept", " ").await;
    assert_eq!(bare.status, StatusCode::BAD_REQUEST);
    assert!(bare.body.contains("请填写核查结论的理由"));
    let stale = p
        .post_form(
            &format!("/admin/objections/{number}/act"),
            &verifier.cookie,
            &[
                ("_csrf", verifier.csrf.as_str()),
                ("expected_state", "submitted"),
                ("action", "decide_kept"),
                ("text", "x"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    let kept = act(
        &p,
        &verifier,
        &number,
        "decide_kept",
        "经调取原始案卷核实，罚款金额记载无误。",
    )
    .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER);
    let (status_code, page) = p.get(&format!("/penalties/{id}")).await;
    assert_eq!(status_code, StatusCode::OK);
    assert!(!page.contains("异议处理中"));
    let answer = track(&p, &number, &tracking).await;
    assert!(answer.body.contains("维持原信息") && answer.body.contains("经调取原始案卷核实"));
    assert!(answer.body.contains("行政复议") && answer.body.contains("救济途径"));
    assert!(
        !answer.body.contains("verifier"),
        "staff usernames stay in the console"
    );
    // Every step is registered.
    assert!(
        count(
            &p,
            "select count(*) from audit_log where action = 'objection_step'"
        )
        .await
            >= 3
    );
    // Decided: a new objection may be filed.
    let (second, _) = filed(&p, id, &code, &rep).await;
    assert_ne!(second, number);
    let detail = p
        .get_with_cookie(&format!("/admin/objections/{second}"), &verifier.cookie)
        .await;
    assert!(detail.body.contains("该信息此前的异议") && detail.body.contains(&number));
    let refused = act(
        &p,
        &verifier,
        &second,
        "refuse",
        "重复异议，无新的事实和理由",
    )
    .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let o = p
        .backend
        .objections
        .objection_by_number(&second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.state.code(), "refused");
}

#[tokio::test]
async fn stopping_publication_and_removal_from_the_list_take_records_off_for_good() {
    let p = portal().await;
    let (verifier, _) = reviewers(&p).await;
    let (id, code, rep) = objectable_penalty(&p, 1).await;
    let (number, _) = filed(&p, id, &code, &rep).await;
    act(&p, &verifier, &number, "accept", "").await;
    let stopped = act(
        &p,
        &verifier,
        &number,
        "decide_publication_stopped",
        "该处罚决定已被复议机关撤销。",
    )
    .await;
    assert_eq!(stopped.status, StatusCode::SEE_OTHER, "{}", stopped.body);
    assert_eq!(
        p.get(&format!("/penalties/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        count(&p, &format!("select count(*) from public_entries where record_kind = 'penalty' and record_id = {id}")).await,
        0
    );
    assert_eq!(
        count(&p, &format!("select count(*) from record_changes where record_kind = 'penalty' and record_id = {id} and change = 'ended'")).await,
        1
    );
    assert_eq!(
        count(&p, "select count(*) from record_withdrawals").await,
        1
    );

    // A serious-list entry of the department, removed after an objection.
    let entry = count(
        &p,
        "select e.id from serious_entries e join departments d on d.id = e.department_id
         join public_entries pe on pe.record_kind = 'serious' and pe.record_id = e.id
         join penalties x on x.id = e.grounds_penalty_id
         where d.code = 'scjg' and x.representative_id_number is not null
         order by e.id limit 1",
    )
    .await;
    let grounds = count(
        &p,
        &format!("select grounds_penalty_id from serious_entries where id = {entry}"),
    )
    .await;
    let rep = representative_id(&p, grounds).await;
    let code: String = p
        .rows(&format!("select s.credit_code from serious_entries e join subjects s on s.id = e.subject_id where e.id = {entry}"))
        .await[0]
        .get(0);
    assert_eq!(
        p.get(&format!("/serious-list/{entry}")).await.0,
        StatusCode::OK
    );
    let ok = file(
        &p,
        &format!("serious-{entry}"),
        (&code, &rep),
        &["listing_conditions"],
        EVIDENCE,
    )
    .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let number: String = p
        .rows(&format!(
            "select number from objections where record_kind = 'serious' and record_id = {entry}"
        ))
        .await[0]
        .get(0);
    act(&p, &verifier, &number, "accept", "").await;
    let (_, page) = p.get(&format!("/serious-list/{entry}")).await;
    assert!(page.contains("异议处理中"));
    let removed = act(
        &p,
        &verifier,
        &number,
        "decide_removed_from_list",
        "不符合列入条件。",
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert_eq!(
        p.get(&format!("/serious-list/{entry}")).await.0,
        StatusCode::NOT_FOUND
    );
    let ended: Option<chrono::NaiveDate> = p
        .rows(&format!(
            "select ended_on from serious_entries where id = {entry}"
        ))
        .await[0]
        .get(0);
    assert_eq!(ended, Some(p.today));
}

#[tokio::test]
async fn supplement_is_asked_once_and_answered_by_the_objector() {
    let p = portal().await;
    let (verifier, _) = reviewers(&p).await;
    let (id, code, rep) = objectable_penalty(&p, 2).await;
    let (number, tracking) = filed(&p, id, &code, &rep).await;
    let asked = act(
        &p,
        &verifier,
        &number,
        "request_supplement",
        "请补充复议决定书",
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let status = track(&p, &number, &tracking).await;
    assert!(status.body.contains("待补正") && status.body.contains("请补充复议决定书"));
    // No explanation: refused, nothing changes.
    let refused = p
        .post_multipart(
            "/objections/track/supplement",
            &[("number", &number), ("code", &tracking), ("text", " ")],
            &[("proof", "复议决定书.pdf", PDF)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("请填写补正说明"));
    assert_eq!(count(&p, "select count(*) from objection_files").await, 2);
    let sent = p
        .post_multipart(
            "/objections/track/supplement",
            &[
                ("number", &number),
                ("code", &tracking),
                ("text", "已补充复议决定书。"),
            ],
            &[("proof", "复议决定书.pdf", PDF)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("已提交"));
    assert_eq!(
        count(
            &p,
            "select count(*) from objection_files where event_id is not null"
        )
        .await,
        1
    );
    // Asked once only.
    let twice = act(&p, &verifier, &number, "request_supplement", "再补充").await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    assert!(twice.body.contains("一次性告知"));
    // The objector may withdraw while it is open.
    let gone = p
        .post_form(
            "/objections/track/withdraw",
            "",
            &[("number", &number), ("code", &tracking)],
        )
        .await;
    assert_eq!(gone.status, StatusCode::OK);
    assert!(gone.body.contains("已撤回"));
}

#[tokio::test]
async fn strangers_get_nothing_from_the_objection_routes() {
    let p = portal().await;
    let (verifier, _) = reviewers(&p).await;
    let (id, code, rep) = objectable_penalty(&p, 3).await;
    let (number, tracking) = filed(&p, id, &code, &rep).await;
    // Cross-site posts are refused before anything is read.
    let cross = p
        .send(
            axum::http::Request::post("/objections/track")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(axum::body::Body::from(format!(
                    "number={number}&code={tracking}"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    // The console needs a session.
    let anon = p
        .get_with_cookie(&format!("/admin/objections/{number}"), "")
        .await;
    assert_ne!(anon.status, StatusCode::OK);
    assert!(!anon.body.contains("13800001234"));
    let withdraw = p
        .post_form(
            "/objections/track/withdraw",
            "",
            &[("number", &number), ("code", "ABCD-EFGH-JKMN")],
        )
        .await;
    assert_eq!(withdraw.status, StatusCode::NOT_FOUND);
    // Wrong codes: the same answer for a number that does not exist.
    let unknown = track(&p, "YY2026010100001", "ABCD-EFGH-JKMN").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("异议编号或查询码不正确"));
    let malformed = track(&p, "XF20260101", "x").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last = track(&p, &number, "ABCD-EFGH-JKMN").await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // Even the right code waits out the limit.
    assert_eq!(
        track(&p, &number, &tracking).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let o = p
        .backend
        .objections
        .objection_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.state.code(), "submitted");
    // The oversight page is the credit authority's.
    let mine = p
        .get_with_cookie("/admin/objection-oversight", &verifier.cookie)
        .await;
    assert_eq!(mine.status, StatusCode::FORBIDDEN);
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let oversight = p
        .get_with_cookie("/admin/objection-oversight", &boss.cookie)
        .await;
    assert_eq!(oversight.status, StatusCode::OK);
    assert!(
        oversight.body.contains("市场监督管理局"),
        "{}",
        oversight.body
    );
}

#[tokio::test]
async fn a_correction_is_delivered_through_the_data_channel_and_shown() {
    let p = portal().await;
    let (verifier, _) = reviewers(&p).await;
    let d = super::collect::dept(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let key = super::collect::issue_key(&p, &boss, d.id).await;
    let record = |fine: &str| {
        format!(
            r#"{{"records":[{{"CF_XDR_MC":"鹤岗市异议测试有限公司（演示）","CF_XDR_LB":"法人及非法人组织","CF_XDR_SHXYM":"914403001922038216","CF_FRDB":"王红","CF_FR_ZJHM":"11010519491231002X","CF_WSH":"鹤市监罚〔2026〕811号","CF_WFXW":"销售不合格产品","CF_SY":"经查","CF_YJ":"《产品质量法》","CF_CFLB":"罚款","CF_NR":"罚款","CF_NR_FK":{fine},"CF_JDRQ":"2026-10-01","CF_CFJG":"{}","CF_CFJGDM":"{}","ML_BM":"scjg-ordinary"}}]}}"#,
            d.name, d.credit_code
        )
    };
    let pushed = super::collect::push_to(&p, "/api/v1/collect/penalties", &key, &record("3")).await;
    assert_eq!(pushed.status, StatusCode::OK, "{}", pushed.body);
    let id = count(
        &p,
        "select id from penalties where doc_no = '鹤市监罚〔2026〕811号'",
    )
    .await;
    let (number, tracking) = filed(&p, id, "914403001922038216", "11010519491231002X").await;
    act(&p, &verifier, &number, "accept", "").await;
    // The department corrects the record where it keeps it, then answers.
    let again = super::collect::push_to(&p, "/api/v1/collect/penalties", &key, &record("1")).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let corrected = act(
        &p,
        &verifier,
        &number,
        "decide_corrected",
        "罚款金额更正为 1 万元。",
    )
    .await;
    assert_eq!(
        corrected.status,
        StatusCode::SEE_OTHER,
        "{}",
        corrected.body
    );
    let (status, page) = p.get(&format!("/penalties/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("10,000.00 元") && !page.contains("30,000.00 元"),
        "{page}"
    );
    assert!(!page.contains("异议处理中"));
    let answer = track(&p, &number, &tracking).await;
    assert!(answer.body.contains("已更正") && answer.body.contains("已予更正"));
    assert_eq!(
        count(&p, &format!("select count(*) from record_changes where record_kind = 'penalty' and record_id = {id} and change = 'corrected'")).await,
        1
    );
}
