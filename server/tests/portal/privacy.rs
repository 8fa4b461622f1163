//! Personal-information notices and consents (DOMAIN.md §15): the notice
//! before the first field, its acknowledgement stored with the case, the
//! optional SMS consent withdrawn from the status page, and the contact
//! data deleted on schedule with a register entry.

use app::domain::privacy_notice::{sms_consent_label, NoticeForm, NOTICE_VERSION};
use app::domain::repair_application::{Action, ApplicationState};
use app::store::repair::NewEvent;
use axum::http::StatusCode;
use chrono::{Duration, Utc};

use super::repair::{eligible_record, eligible_records_of_departments, fill_in, submit_draft};
use super::{portal, Portal};

fn applicant_fields<'a>(ack: &'a str, version: &'a str, sms: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("applicant_kind", "subject"),
        ("applicant_name", "李明"),
        ("contact_phone", "13800001234"),
        ("notice_ack", ack),
        ("notice_version", version),
        ("sms_consent", sms),
    ]
}

/// An application on the `nth` repairable record, submitted with the
/// notice acknowledged and, if `sms`, the SMS consent: (id, number,
/// tracking code).
async fn submitted(p: &Portal, nth: usize, sms: bool) -> (i64, String, String) {
    let (id, code, _) = eligible_records_of_departments(p).await.swap_remove(nth);
    let base = format!("/repair/apply/{id}");
    let cookie = fill_in(p, &base, &code).await;
    let again = p
        .post_form(
            &format!("{base}/applicant"),
            &cookie,
            &applicant_fields("yes", NOTICE_VERSION, if sms { "yes" } else { "" }),
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let (number, tracking) = submit_draft(p, &base, &cookie).await;
    let app = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    (app.id, number, tracking)
}

async fn consents(p: &Portal, id: i64) -> Vec<(String, String, String, bool)> {
    p.rows(&format!(
        "select purpose, notice_version, channel, withdrawn_at is not null from consents
         where case_kind = 'repair' and case_id = {id} order by id"
    ))
    .await
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
    .collect()
}

#[tokio::test]
async fn the_notice_comes_before_the_first_field_and_its_acknowledgement_is_stored() {
    let p = portal().await;
    let (id, _) = eligible_record(&p).await;
    let base = format!("/repair/apply/{id}");
    let start = p.post_form(&format!("{base}/start"), "", &[]).await;
    let cookie = start.cookie("repair_draft").expect("draft cookie");
    let page = p
        .get_with_cookie(&format!("{base}/applicant"), &cookie)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let notice_at = page
        .body
        .find("个人信息处理告知（信用修复申请）")
        .expect("the notice");
    let first_field = page.body.find("id=\"applicant_name\"").unwrap();
    assert!(notice_at < first_field, "the notice comes first");
    for part in [
        "处理者",
        "目的和依据",
        "处理的信息",
        "保存期限",
        "您的权利",
        "联系方式",
        NOTICE_VERSION,
        sms_consent_label(NoticeForm::Repair),
    ] {
        assert!(page.body.contains(part), "{part}");
    }

    // Not acknowledged: refused with the field named, nothing kept.
    let refused = p
        .post_form(
            &format!("{base}/applicant"),
            &cookie,
            &applicant_fields("", NOTICE_VERSION, "yes"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("href=\"#notice_ack\"")
            && refused.body.contains("请阅读个人信息处理告知")
    );
    let identity = p
        .get_with_cookie(&format!("{base}/identity"), &cookie)
        .await;
    assert_eq!(
        identity.location(),
        format!("{base}/applicant"),
        "nothing was kept"
    );
    // Acknowledged under a notice no longer shown: read the new one.
    let stale = p
        .post_form(
            &format!("{base}/applicant"),
            &cookie,
            &applicant_fields("yes", "2025-01-v0", ""),
        )
        .await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST);
    assert!(stale.body.contains("个人信息处理告知已更新"));

    // Submitted: the acknowledgement and the SMS consent, with version,
    // time and channel; without SMS, the acknowledgement only.
    let (with_sms, number, _) = submitted(&p, 0, true).await;
    let c = consents(&p, with_sms).await;
    assert_eq!(
        c,
        vec![
            ("notice".into(), NOTICE_VERSION.into(), "web".into(), false),
            ("sms".into(), NOTICE_VERSION.into(), "web".into(), false),
        ]
    );
    let given: i64 = p
        .rows(&format!("select count(*) from consents where case_kind = 'repair' and case_id = {with_sms} and given_at is not null and categories <> '' and retention <> ''"))
        .await[0]
        .get(0);
    assert_eq!(given, 2);
    assert!(number.starts_with("XF"));
    let (without, _, _) = submitted(&p, 1, false).await;
    assert_eq!(consents(&p, without).await.len(), 1);
}

#[tokio::test]
async fn the_sms_consent_is_withdrawn_from_the_status_page_with_one_button() {
    let p = portal().await;
    let (id, number, tracking) = submitted(&p, 0, true).await;
    let status = p
        .post_form(
            "/repair/track",
            "",
            &[("number", &number), ("code", &tracking)],
        )
        .await;
    assert_eq!(status.status, StatusCode::OK);
    assert!(
        status.body.contains("同意接收办理进度短信") && status.body.contains("撤回短信通知同意")
    );
    assert!(status.body.contains(&format!("版本 {NOTICE_VERSION}")));
    // The department reads it before texting.
    let reviewer = reviewer_of(&p, "repair_applications", &number).await;
    let staff_page = p
        .get_with_cookie(&format!("/admin/repairs/{number}"), &reviewer.cookie)
        .await;
    assert_eq!(staff_page.status, StatusCode::OK);
    assert!(
        staff_page.body.contains("同意接收办理进度短信"),
        "{}",
        staff_page.body
    );

    // A wrong code withdraws nothing and is counted like any wrong code.
    let wrong = p
        .post_form(
            "/repair/track/sms-withdraw",
            "",
            &[("number", &number), ("code", "AAAA-BBBB-CCCC-DDDD")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(!consents(&p, id).await[1].3);
    // Cross-site: refused, nothing changes.
    let cross = p
        .send(
            axum::http::Request::post("/repair/track/sms-withdraw")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(axum::body::Body::from(format!(
                    "number={number}&code={tracking}"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert!(!consents(&p, id).await[1].3);

    let done = p
        .post_form(
            "/repair/track/sms-withdraw",
            "",
            &[("number", &number), ("code", &tracking)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("撤回同意，不再发送"));
    let c = consents(&p, id).await;
    assert!(c[1].3, "withdrawn");
    assert!(!c[0].3, "the acknowledgement stays");
    let staff_page = p
        .get_with_cookie(&format!("/admin/repairs/{number}"), &reviewer.cookie)
        .await;
    assert!(staff_page.body.contains("撤回同意，请勿发送短信"));
    // Again: nothing more changes; the application itself is untouched.
    let again = p
        .post_form(
            "/repair/track/sms-withdraw",
            "",
            &[("number", &number), ("code", &tracking)],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(consents(&p, id).await, c);
    let app = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.state, ApplicationState::Submitted);
}

/// The deletion job as the sweeper runs it, at `now`.
async fn run(p: &Portal, now: chrono::DateTime<Utc>) -> Vec<String> {
    server::services::privacy::delete_expired_contacts(
        p.backend.consents.as_ref(),
        p.backend.repair.as_ref(),
        now,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn contact_data_are_deleted_a_set_time_after_the_case_ends_and_registered() {
    let p = portal().await;
    let (closed, closed_number, tracking) = submitted(&p, 0, true).await;
    let (open, _, _) = submitted(&p, 1, false).await;
    // The first is withdrawn (the case ends); the second stays open.
    let app = p
        .backend
        .repair
        .application_by_number(&closed_number)
        .await
        .unwrap()
        .unwrap();
    let event = NewEvent {
        actor: "applicant",
        action: Action::Withdraw,
        reason: Some("申请人撤回申请".into()),
        remedies: None,
        deadline: None,
        at: Utc::now(),
    };
    p.backend
        .repair
        .apply_action(app.id, app.state, &event, &[])
        .await
        .unwrap()
        .unwrap();
    let p = &p;
    // Within the retention period (365 days by default): nothing.
    assert!(run(p, Utc::now() + Duration::days(364)).await.is_empty());
    // After it: the closed case's name and phone go, with a register entry.
    assert_eq!(
        run(p, Utc::now() + Duration::days(366)).await,
        vec![closed_number.clone()]
    );
    let row = &p
        .rows(&format!("select applicant_name, contact_phone, pledge_signed_name, contact_deleted_at is not null from repair_applications where id = {closed}"))
        .await[0];
    assert_eq!(row.get::<String, _>(0), "（已按期删除）");
    assert_eq!(row.get::<String, _>(1), "");
    assert_eq!(row.get::<String, _>(2), "（已按期删除）");
    assert!(row.get::<bool, _>(3));
    let register = p
        .rows(
            "select actor, target from audit_log where action = 'contact_data_deleted' order by id",
        )
        .await;
    assert_eq!(register.len(), 1);
    assert_eq!(register[0].get::<String, _>(0), "system");
    assert_eq!(
        register[0].get::<String, _>(1),
        format!("修复申请 {closed_number}")
    );
    // The SMS consent ended with the phone; the open case kept its data.
    assert!(consents(p, closed).await[1].3);
    let kept: String = p
        .rows(&format!(
            "select contact_phone from repair_applications where id = {open}"
        ))
        .await[0]
        .get(0);
    assert_eq!(kept, "13800001234");
    // A second run deletes nothing more and registers nothing more.
    assert!(run(p, Utc::now() + Duration::days(400)).await.is_empty());
    assert_eq!(
        p.rows("select 1 from audit_log where action = 'contact_data_deleted'")
            .await
            .len(),
        1
    );
    // The status page says the phone was deleted.
    let status = p
        .post_form(
            "/repair/track",
            "",
            &[("number", &closed_number), ("code", &tracking)],
        )
        .await;
    assert!(
        status.body.contains("联系电话：（已按期删除）"),
        "{}",
        status.body
    );

    // A shorter setting takes effect at the next run.
    p.db.exec("update settings set value = '1' where key = 'privacy.contact_retention_days'")
        .await;
    let open_app = p
        .rows(&format!(
            "select number from repair_applications where id = {open}"
        ))
        .await[0]
        .get::<String, _>(0);
    let app = p
        .backend
        .repair
        .application_by_number(&open_app)
        .await
        .unwrap()
        .unwrap();
    p.backend
        .repair
        .apply_action(app.id, app.state, &event, &[])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run(p, Utc::now() + Duration::days(2)).await, vec![open_app]);
}

/// A reviewer of the department deciding case `number` (of `table`).
async fn reviewer_of(p: &Portal, table: &str, number: &str) -> super::staff::Member {
    let department: i64 = p
        .rows(&format!(
            "select department_id from {table} where number = '{number}'"
        ))
        .await[0]
        .get(0);
    let name = format!("rev{department}");
    super::staff::add_account(
        p,
        &name,
        app::domain::staff::Role::Reviewer,
        Some(department),
    )
    .await;
    super::staff::sign_in(p, &name).await
}

/// An objection's fields on record `record`, without the notice's.
fn objection_fields<'a>(record: &'a str, code: &'a str, rep: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("record", record),
        ("objector_kind", "subject"),
        ("objector_name", "王红"),
        ("contact_phone", "13800001234"),
        ("identity", code),
        ("identity_second", rep),
        ("grounds", "wrong"),
        ("explanation", "罚款金额应为 1 万元，决定书记载有误。"),
        ("agree", "yes"),
        ("signatory", "王红"),
    ]
}

#[tokio::test]
async fn an_objection_shows_its_notice_first_and_stores_the_acknowledgement() {
    let p = portal().await;
    let (id, code) = eligible_record(&p).await;
    let rep = super::repair::representative_id(&p, id).await;
    let record = format!("penalty-{id}");
    let form = p
        .get_with_cookie(&format!("/objections/new?record={record}"), "")
        .await;
    let notice_at = form
        .body
        .find("个人信息处理告知（异议申诉）")
        .expect("the notice");
    assert!(
        notice_at < form.body.find("id=\"objector_name\"").unwrap(),
        "the notice comes first"
    );
    // Without the acknowledgement: refused with the field named, nothing filed.
    let fields = objection_fields(&record, &code, &rep);
    let refused = p
        .post_multipart("/objections/new", &fields, super::objections::EVIDENCE)
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("href=\"#notice_ack\""));
    assert_eq!(p.rows("select 1 from objections").await.len(), 0);
    // With it: filed, and the acknowledgement recorded with the objection.
    let (number, _) = super::objections::filed(&p, id, &code, &rep).await;
    let rows = p
        .rows(&format!(
            "select c.purpose, c.notice_version, c.channel from consents c
             join objections o on o.id = c.case_id
             where c.case_kind = 'objection' and o.number = '{number}'"
        ))
        .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<String, _>(0), "notice");
    assert_eq!(rows[0].get::<String, _>(1), NOTICE_VERSION);
    assert_eq!(rows[0].get::<String, _>(2), "web");
}

/// The retention is a setting, and the notices state it: another setting
/// shows another text under a version of its own, and what was read under
/// the old one is read again.
#[tokio::test]
async fn the_notice_states_the_retention_setting_and_follows_its_changes() {
    let p = portal().await;
    let (id, code, _) = eligible_records_of_departments(&p).await.swap_remove(0);
    let base = format!("/repair/apply/{id}");
    let cookie = fill_in(&p, &base, &code).await;
    let check = p.get_with_cookie(&format!("{base}/check"), &cookie).await;
    assert_eq!(
        check.status,
        StatusCode::OK,
        "read under the default: complete"
    );

    p.db.exec("update settings set value = '180' where key = 'privacy.contact_retention_days'")
        .await;
    // The draft's acknowledgement was of another text: back to the notice.
    let check = p.get_with_cookie(&format!("{base}/check"), &cookie).await;
    assert_eq!(check.location(), format!("{base}/applicant"));
    let page = p
        .get_with_cookie(&format!("{base}/applicant"), &cookie)
        .await;
    assert!(page.body.contains("办理终结后保存 180 日"), "{}", page.body);
    assert!(!page.body.contains("办理终结后保存 1 年"));
    let version = "2026-12-v1-180d";
    assert!(page.body.contains(&format!("value=\"{version}\"")));
    // Ticked under the old text: refused as updated, nothing kept.
    let stale = p
        .post_form(
            &format!("{base}/applicant"),
            &cookie,
            &applicant_fields("yes", NOTICE_VERSION, ""),
        )
        .await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST);
    assert!(stale.body.contains("个人信息处理告知已更新"));
    // Under the text shown: taken, and the consent keeps what it said.
    let ok = p
        .post_form(
            &format!("{base}/applicant"),
            &cookie,
            &applicant_fields("yes", version, ""),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let (number, _) = submit_draft(&p, &base, &cookie).await;
    let row = &p
        .rows(&format!(
            "select c.notice_version, c.retention from consents c
             join repair_applications a on a.id = c.case_id
             where c.case_kind = 'repair' and a.number = '{number}' and c.purpose = 'notice'"
        ))
        .await[0];
    assert_eq!(row.get::<String, _>(0), version);
    assert!(row.get::<String, _>(1).contains("180 日"));

    // The objection form says the same.
    let (rid, _) = eligible_record(&p).await;
    let form = p
        .get_with_cookie(&format!("/objections/new?record=penalty-{rid}"), "")
        .await;
    assert!(form.body.contains("办理终结后保存 180 日"));
    assert!(form.body.contains(version));
}

/// An objection offers the same separate SMS consent; its tracking page
/// withdraws it with one button, behind the number, code and same-origin
/// check of every tracking step.
#[tokio::test]
async fn an_objections_sms_consent_is_optional_and_withdrawn_from_its_tracking_page() {
    let p = portal().await;
    let (id, code) = eligible_record(&p).await;
    let rep = super::repair::representative_id(&p, id).await;
    let record = format!("penalty-{id}");
    let form = p
        .get_with_cookie(&format!("/objections/new?record={record}"), "")
        .await;
    assert!(form.body.contains(sms_consent_label(NoticeForm::Objection)));
    assert!(form.body.contains("name=\"sms_consent\""));
    let mut fields = objection_fields(&record, &code, &rep);
    fields.extend([
        ("notice_ack", "yes"),
        ("notice_version", NOTICE_VERSION),
        ("sms_consent", "yes"),
    ]);
    let filed = p
        .post_multipart("/objections/new", &fields, super::objections::EVIDENCE)
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let (number, tracking) = super::objections::issued_keys(&filed.body);
    let sms = |p: &Portal| {
        let db = p.db.clone();
        let number = number.clone();
        async move {
            db.rows(&format!(
                "select c.notice_version, c.channel, c.withdrawn_at is not null from consents c
                 join objections o on o.id = c.case_id
                 where c.case_kind = 'objection' and o.number = '{number}' and c.purpose = 'sms'"
            ))
            .await
            .iter()
            .map(|r| {
                (
                    r.get::<String, _>(0),
                    r.get::<String, _>(1),
                    r.get::<bool, _>(2),
                )
            })
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        sms(&p).await,
        vec![(NOTICE_VERSION.into(), "web".into(), false)]
    );

    // The tracking page says so and offers the button.
    let page = super::objections::track(&p, &number, &tracking).await;
    assert!(page.body.contains("同意接收办理进度短信"), "{}", page.body);
    assert!(page
        .body
        .contains("action=\"/objections/track/sms-withdraw\""));
    assert!(page.body.contains("撤回不影响异议的办理"));
    let reviewer = reviewer_of(&p, "objections", &number).await;
    let staff_page = format!("/admin/objections/{number}");
    let seen = p.get_with_cookie(&staff_page, &reviewer.cookie).await;
    assert!(seen.body.contains("同意接收办理进度短信"), "{}", seen.body);

    const ROUTE: &str = "/objections/track/sms-withdraw";
    // A wrong code, a cross-site post, a GET: nothing withdrawn.
    let wrong = p
        .post_form(
            ROUTE,
            "",
            &[("number", &number), ("code", "2345-6789-ABCD")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let cross = p
        .send(
            axum::http::Request::post(ROUTE)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("host", "127.0.0.1:3000")
                .header("origin", "https://evil.example")
                .body(axum::body::Body::from(format!(
                    "number={number}&code={tracking}"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert_eq!(p.get(ROUTE).await.0, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!sms(&p).await[0].2);

    // The button: withdrawn, said so, and a second press changes nothing.
    let done = p
        .post_form(ROUTE, "", &[("number", &number), ("code", &tracking)])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("已撤回短信通知同意"));
    assert!(done.body.contains("撤回同意，不再发送"));
    assert!(!done
        .body
        .contains("action=\"/objections/track/sms-withdraw\""));
    assert!(sms(&p).await[0].2);
    let seen = p.get_with_cookie(&staff_page, &reviewer.cookie).await;
    assert!(seen.body.contains("撤回同意，请勿发送短信"));
    let again = p
        .post_form(ROUTE, "", &[("number", &number), ("code", &tracking)])
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(!again
        .body
        .contains("已撤回短信通知同意，不再发送办理进度短信"));
    assert_eq!(sms(&p).await.len(), 1);
    // The objection itself is untouched by it.
    let state: String = p
        .rows(&format!(
            "select state from objections where number = '{number}'"
        ))
        .await[0]
        .get(0);
    assert_ne!(state, "withdrawn");
}

/// `/repair/track/sms-withdraw` called as a stranger would: without the
/// code, with another department's staff cookie, from another site, with
/// malformed input, and many times in a row. Only the number and code
/// together withdraw, and wrong pairs meet the tracking limit.
#[tokio::test]
async fn the_sms_withdrawal_route_called_as_a_stranger_would() {
    use app::domain::staff::Role;
    let p = portal().await;
    let (id, number, tracking) = submitted(&p, 0, true).await;
    let in_force = |p: &Portal| {
        let p = p.db.clone();
        async move {
            p.rows(&format!(
                "select count(*) from consents where case_kind = 'repair' and case_id = {id}
                 and purpose = 'sms' and withdrawn_at is null"
            ))
            .await[0]
                .get::<i64, _>(0)
        }
    };
    const ROUTE: &str = "/repair/track/sms-withdraw";

    // No cookie and no code; a staff member of another department with
    // the number but not the code: refused, nothing changes.
    let bare = p.post_form(ROUTE, "", &[("number", &number)]).await;
    assert_eq!(bare.status, StatusCode::BAD_REQUEST);
    let other = p
        .rows(&format!(
            "select id from departments where id <> (select department_id from repair_applications where id = {id}) order by id limit 1"
        ))
        .await[0]
        .get::<i64, _>(0);
    super::staff::add_account(&p, "elsewhere", Role::Reviewer, Some(other)).await;
    let staff = super::staff::sign_in(&p, "elsewhere").await;
    let with_cookie = p
        .post_form(
            ROUTE,
            &staff.cookie,
            &[("number", &number), ("_csrf", &staff.csrf)],
        )
        .await;
    assert_eq!(with_cookie.status, StatusCode::BAD_REQUEST);
    assert!(!with_cookie.body.contains("13800001234"));
    assert_eq!(in_force(&p).await, 1);

    // Cross-origin (an evil Origin, or the browser's cross-site mark):
    // refused before anything is read, even with the right code.
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let r = p
            .send(
                axum::http::Request::post(ROUTE)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("host", "127.0.0.1:3000")
                    .header(name, value)
                    .body(axum::body::Body::from(format!(
                        "number={number}&code={tracking}"
                    )))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
    }
    // A GET is not a withdrawal.
    assert_eq!(p.get(ROUTE).await.0, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(in_force(&p).await, 1);

    // Malformed input: answered as a page, never a 500, never echoed as
    // markup, nothing withdrawn.
    let long = "X".repeat(5000);
    for (n, c) in [
        ("<script>alert(1)</script>", tracking.as_str()),
        (number.as_str(), "<script>"),
        ("../../etc/passwd", "%00"),
        (long.as_str(), long.as_str()),
        ("", ""),
    ] {
        let r = p.post_form(ROUTE, "", &[("number", n), ("code", c)]).await;
        assert!(r.status.is_client_error(), "{n:.20}: {}", r.status);
        assert!(!r.body.contains("<script>alert"), "echoed");
        assert!(r.body.contains("<html"), "a page");
    }
    assert_eq!(in_force(&p).await, 1);

    // Many wrong pairs in a row: 429, after which even the right pair
    // waits — the same limit as every tracking form.
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last = p
            .post_form(
                ROUTE,
                "",
                &[("number", &number), ("code", "2345-6789-ABCD")],
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let waits = p
        .post_form(ROUTE, "", &[("number", &number), ("code", &tracking)])
        .await;
    assert_eq!(waits.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(in_force(&p).await, 1, "nothing withdrawn by any of them");
}
