//! The listing procedure through the real router: a department proposes a
//! listing grounded on its own penalty, the prior notice is served with an
//! access code, the party reads it and answers online, the department must
//! reply to every point before deciding, and only the decision puts the
//! party on the public list. A silent window is noted as waived. Another
//! department sees 404; wrong codes are refused without saying whether the
//! notice exists, and limited.

use app::domain::staff::Role;
use axum::http::StatusCode;

use super::collect::count;
use super::staff::{add_account, sign_in};
use super::{portal, Portal};

/// A public penalty of the market regulator no listing is about yet.
async fn penalty_of_market_regulator(p: &Portal, skip: i64) -> i64 {
    count(
        p,
        &format!(
            "select e.record_id from public_entries e
             join penalties x on x.id = e.record_id
             join departments d on d.id = x.department_id
             where e.record_kind = 'penalty' and d.code = 'scjg'
             order by e.sort_key desc limit 1 offset {skip}"
        ),
    )
    .await
}

fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body
        .find(start)
        .map(|i| i + start.len())
        .unwrap_or_else(|| panic!("{start} not in {body}"));
    let to = body[from..].find(end).unwrap() + from;
    &body[from..to]
}

#[tokio::test]
async fn a_listing_reaches_the_public_only_after_the_party_could_answer() {
    let p = portal().await;
    let scjg = count(&p, "select id from departments where code = 'scjg'").await;
    let swj = count(&p, "select id from departments where code = 'swj'").await;
    add_account(&p, "lister", Role::Reviewer, Some(scjg)).await;
    add_account(&p, "taxman", Role::Reviewer, Some(swj)).await;
    let lister = sign_in(&p, "lister").await;
    let taxman = sign_in(&p, "taxman").await;
    let penalty = penalty_of_market_regulator(&p, 0).await;
    let entries_before = count(&p, "select count(*) from serious_entries").await;

    // The proposal form, grounded on the department's own penalty only.
    let form = p
        .get_with_cookie(
            &format!("/admin/listings/new?penalty={penalty}"),
            &lister.cookie,
        )
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let other = p
        .get_with_cookie(
            &format!("/admin/listings/new?penalty={penalty}"),
            &taxman.cookie,
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    let penalty_s = penalty.to_string();
    let propose = |domain: &'static str, basis: &'static str| {
        let cookie = lister.cookie.clone();
        let csrf = lister.csrf.clone();
        let penalty_s = penalty_s.clone();
        let p = &p;
        async move {
            p.post_form(
                "/admin/listings",
                &cookie,
                &[
                    ("_csrf", csrf.as_str()),
                    ("penalty", penalty_s.as_str()),
                    ("domain", domain),
                    ("reason", "以欺骗手段取得许可，受到较重行政处罚"),
                    ("basis", basis),
                    ("measures", "依法依规在政府采购、招标投标等方面予以限制"),
                ],
            )
            .await
        }
    };
    // Faults named, nothing stored; a court list is not the department's.
    let bad = propose("market_serious_violation", "").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("请填写依据"), "{}", bad.body);
    let court = propose(
        "court_dishonest_debtor",
        "《市场监督管理严重违法失信名单管理办法》第十条",
    )
    .await;
    assert_eq!(court.status, StatusCode::BAD_REQUEST);
    assert!(court.body.contains("请选择名单领域"));
    assert_eq!(count(&p, "select count(*) from serious_listings").await, 0);

    let served = propose(
        "market_serious_violation",
        "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第十条",
    )
    .await;
    assert_eq!(served.status, StatusCode::CREATED, "{}", served.body);
    // The notice names the measures of the list, not what the form said.
    let named: String = p.rows("select measures from serious_listings").await[0].get(0);
    assert!(named.starts_with("依照失信惩戒措施清单实施："), "{named}");
    assert!(
        named.contains(
            "食品生产经营许可和从业禁止（依据《中华人民共和国食品安全法》第一百三十五条第一款）"
        ),
        "{named}"
    );
    assert!(!named.contains("招标投标等方面予以限制"), "{named}");
    let code = between(&served.body, "<p class=\"issued-key\">", "</p>").to_string();
    let number = count(&p, "select id from serious_listings").await;
    let number: String = p
        .rows(&format!(
            "select number from serious_listings where id = {number}"
        ))
        .await[0]
        .get(0);
    assert!(number.starts_with("GZ2026112600"), "{number}");
    assert!(served.body.contains("陈述、申辩") && served.body.contains("答复期限"));
    // A second proposal on the same penalty while this one runs is refused.
    let twice = propose(
        "market_serious_violation",
        "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第十条",
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // Another department cannot see it.
    let hidden = p
        .get_with_cookie(&format!("/admin/listings/{number}"), &taxman.cookie)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    // The party: a wrong code is refused like an unknown number.
    let notice = format!("/notices/{number}");
    let wrong = p
        .post_form(&notice, "", &[("code", "ABCD-EFGH-JKMN")])
        .await;
    let unknown = p
        .post_form(
            "/notices/GZ2026112699999",
            "",
            &[("code", "ABCD-EFGH-JKMN")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(wrong.body.contains("告知书编号或查询码不正确"));
    let read = p.post_form(&notice, "", &[("code", &code)]).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(read.body.contains("事由") && read.body.contains("name=\"statement\""));

    // Before the window closes, with no answer, no decision.
    let act = format!("/admin/listings/{number}/act");
    let decide = |expected: &'static str, action: &'static str, text: &'static str| {
        let cookie = lister.cookie.clone();
        let csrf = lister.csrf.clone();
        let act = act.clone();
        let p = &p;
        async move {
            p.post_form(
                &act,
                &cookie,
                &[
                    ("_csrf", csrf.as_str()),
                    ("expected_state", expected),
                    ("action", action),
                    ("text", text),
                ],
            )
            .await
        }
    };
    let early = decide("notified", "decide", "").await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST, "{}", early.body);
    assert_eq!(
        count(&p, "select count(*) from serious_entries").await,
        entries_before,
        "listed before the party could answer"
    );

    // The party answers; the department must reply before deciding.
    let answered = p
        .post_form(
            &format!("{notice}/answer"),
            "",
            &[
                ("code", &code),
                ("statement", "已于2026年10月全部履行处罚决定，并已整改。"),
                super::NOTICE_ACK[0],
                super::NOTICE_ACK[1],
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    // The answer form's notice was acknowledged, and that is recorded.
    assert_eq!(
        count(
            &p,
            "select count(*) from consents where case_kind = 'notice_answer' and purpose = 'notice'"
        )
        .await,
        1
    );
    assert!(answered.body.contains("已收到您的陈述、申辩"));
    // The credit authority sees the reply owed; the department cannot.
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let oversight = p
        .get_with_cookie("/admin/listing-oversight", &boss.cookie)
        .await;
    assert_eq!(oversight.status, StatusCode::OK);
    assert!(
        oversight.body.contains(&number) && oversight.body.contains("待逐项答复"),
        "{}",
        oversight.body
    );
    let refused = p
        .get_with_cookie("/admin/listing-oversight", &lister.cookie)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let unreplied = decide("answered", "decide", "").await;
    assert_eq!(unreplied.status, StatusCode::BAD_REQUEST);
    let no_text = decide("answered", "reply", "").await;
    assert_eq!(no_text.status, StatusCode::BAD_REQUEST);
    assert!(no_text.body.contains("请填写"), "{}", no_text.body);
    let replied = decide(
        "answered",
        "reply",
        "经核查，履行情况属实，但违法行为性质恶劣，不影响列入。",
    )
    .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
    let stale = decide("answered", "decide", "").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "a page of an old state");
    let listed = decide("replied", "decide", "").await;
    assert_eq!(listed.status, StatusCode::SEE_OTHER, "{}", listed.body);

    // Now public, in its domain, with the decision's remedies.
    let entry = count(&p, "select entry_id from serious_listings").await;
    let domain: String = p
        .rows(&format!(
            "select domain_code from serious_entries where id = {entry}"
        ))
        .await[0]
        .get(0);
    assert_eq!(domain, "market_serious_violation");
    let (status, page) = p.get(&format!("/serious-list/{entry}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("以欺骗手段取得许可"));
    // The party reads the reply and the decision with its remedies.
    let after = p.post_form(&notice, "", &[("code", &code)]).await;
    assert!(after.body.contains("不影响列入") && after.body.contains("行政复议"));
    assert!(
        !after.body.contains("name=\"statement\""),
        "the window is over"
    );
    // Every department step is registered.
    assert_eq!(
        count(
            &p,
            "select count(*) from audit_log where action = 'listing_step'"
        )
        .await,
        3
    );
}

#[tokio::test]
async fn a_party_silent_through_its_window_is_listed_with_that_noted() {
    let p = portal().await;
    let scjg = count(&p, "select id from departments where code = 'scjg'").await;
    add_account(&p, "lister", Role::Reviewer, Some(scjg)).await;
    let lister = sign_in(&p, "lister").await;
    let penalty = penalty_of_market_regulator(&p, 1).await.to_string();
    let served = p
        .post_form(
            "/admin/listings",
            &lister.cookie,
            &[
                ("_csrf", lister.csrf.as_str()),
                ("penalty", penalty.as_str()),
                ("domain", "market_serious_violation"),
                ("reason", "拒不履行行政处罚决定"),
                ("basis", "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第十条"),
                ("measures", "依法依规予以限制"),
            ],
        )
        .await;
    assert_eq!(served.status, StatusCode::CREATED, "{}", served.body);
    // The window passed (as if days went by) with no answer.
    p.db.exec("update serious_listings set answer_deadline = '2026-11-20'")
        .await;
    let number: String = p.rows("select number from serious_listings").await[0].get(0);
    let listed = p
        .post_form(
            &format!("/admin/listings/{number}/act"),
            &lister.cookie,
            &[
                ("_csrf", lister.csrf.as_str()),
                ("expected_state", "notified"),
                ("action", "decide"),
                ("text", ""),
            ],
        )
        .await;
    assert_eq!(listed.status, StatusCode::SEE_OTHER, "{}", listed.body);
    assert_eq!(
        count(
            &p,
            "select count(*) from serious_listings where waived and entry_id is not null"
        )
        .await,
        1
    );
    let page = p
        .get_with_cookie(&format!("/admin/listings/{number}"), &lister.cookie)
        .await;
    assert!(
        page.body.contains("视为放弃陈述、申辩的权利"),
        "{}",
        page.body
    );
    // Wrong codes are limited per client, whatever the number.
    let mut last = StatusCode::OK;
    for _ in 0..11 {
        last = p
            .post_form(
                &format!("/notices/{number}"),
                "",
                &[("code", "ABCD-EFGH-JKMN")],
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_listing_leaves_the_list_when_its_period_ends() {
    let p = portal().await;
    let scjg = count(&p, "select id from departments where code = 'scjg'").await;
    add_account(&p, "lister", Role::Reviewer, Some(scjg)).await;
    let lister = sign_in(&p, "lister").await;
    let penalty = penalty_of_market_regulator(&p, 2).await;
    let (number, entry) = listed_on_penalty(&p, &lister, penalty).await;
    let until: chrono::NaiveDate = p
        .rows(&format!(
            "select until from serious_entries where id = {entry}"
        ))
        .await[0]
        .get(0);
    let remove = |day: chrono::NaiveDate| {
        let b = p.backend.clone();
        async move {
            b.public.sweep_ended(day).await.unwrap();
            server::services::listing::remove_at_period_end(
                b.staff.as_ref(),
                b.listings.as_ref(),
                b.serious.as_ref(),
                &[scjg],
                day,
            )
            .await
            .unwrap()
        }
    };
    // On its last day it is still listed.
    assert_eq!(remove(until).await, 0);
    assert_eq!(
        count(&p, &format!("select count(*) from public_entries where record_kind = 'serious' and record_id = {entry}")).await,
        1
    );
    // The day after: off the list, the feed told once, the procedure closed.
    let after = until.succ_opt().unwrap();
    assert_eq!(remove(after).await, 1);
    assert_eq!(remove(after).await, 0, "once");
    assert_eq!(
        count(&p, &format!("select count(*) from public_entries where record_kind = 'serious' and record_id = {entry}")).await,
        0
    );
    assert_eq!(
        count(&p, &format!("select count(*) from record_changes where record_kind = 'serious' and record_id = {entry} and change = 'ended'")).await,
        1
    );
    let state: String = p.rows("select state from serious_listings").await[0].get(0);
    assert_eq!(state, "removed");
    let page = p
        .get_with_cookie(&format!("/admin/listings/{number}"), &lister.cookie)
        .await;
    assert!(
        page.body.contains("期满移出") && page.body.contains("系统"),
        "{}",
        page.body
    );
}

/// Serves a prior notice on penalty `penalty` as `lister`: the notice's
/// number and the party's access code.
async fn serve(p: &Portal, lister: &super::staff::Member, penalty: i64) -> (String, String) {
    let penalty = penalty.to_string();
    let served = p
        .post_form(
            "/admin/listings",
            &lister.cookie,
            &[
                ("_csrf", lister.csrf.as_str()),
                ("penalty", penalty.as_str()),
                ("domain", "market_serious_violation"),
                ("reason", "拒不履行行政处罚决定"),
                ("basis", "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第十条"),
                ("measures", "依法依规予以限制"),
            ],
        )
        .await;
    assert_eq!(served.status, StatusCode::CREATED, "{}", served.body);
    // The notice names the measures of the list, not what the form said.
    let named: String = p.rows("select measures from serious_listings").await[0].get(0);
    assert!(named.starts_with("依照失信惩戒措施清单实施："), "{named}");
    assert!(
        named.contains(
            "食品生产经营许可和从业禁止（依据《中华人民共和国食品安全法》第一百三十五条第一款）"
        ),
        "{named}"
    );
    assert!(!named.contains("招标投标等方面予以限制"), "{named}");
    let code = between(&served.body, "<p class=\"issued-key\">", "</p>").to_string();
    let number: String = p
        .rows(&format!(
            "select number from serious_listings where penalty_id = {penalty}"
        ))
        .await[0]
        .get(0);
    (number, code)
}

/// Lists the subject of penalty `penalty` (a silent window), as `lister`;
/// the listing's number and its entry.
async fn listed_on_penalty(
    p: &Portal,
    lister: &super::staff::Member,
    penalty: i64,
) -> (String, i64) {
    let (number, _) = serve(p, lister, penalty).await;
    p.db.exec(&format!(
        "update serious_listings set answer_deadline = '2026-11-20' where number = '{number}'"
    ))
    .await;
    let listed = p
        .post_form(
            &format!("/admin/listings/{number}/act"),
            &lister.cookie,
            &[
                ("_csrf", lister.csrf.as_str()),
                ("expected_state", "notified"),
                ("action", "decide"),
                ("text", ""),
            ],
        )
        .await;
    assert_eq!(listed.status, StatusCode::SEE_OTHER, "{}", listed.body);
    let entry = count(
        p,
        &format!("select entry_id from serious_listings where number = '{number}'"),
    )
    .await;
    (number, entry)
}

/// A repairable penalty of the market regulator with a repair application
/// submitted, accepted by `reviewer`: (penalty, application number).
async fn repair_accepted(
    p: &Portal,
    reviewer: &super::staff::Member,
    skip: usize,
) -> (i64, String) {
    let scjg = count(p, "select id from departments where code = 'scjg'").await;
    let (id, code, _) = super::repair::eligible_records_of_departments(p)
        .await
        .into_iter()
        .filter(|(_, _, d)| *d == scjg)
        .nth(skip)
        .expect("a repairable penalty of the market regulator");
    let (number, _) = super::repair::submit_application(p, id, &code).await;
    let decide = format!("/admin/repairs/{number}/decide");
    let done = reviewer
        .decide(p, &decide, "submitted", "accept", &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    (id, number)
}

#[tokio::test]
async fn a_repair_removes_a_listing_early_only_from_the_domains_date_and_a_false_one_is_revoked() {
    let p = portal().await;
    let scjg = count(&p, "select id from departments where code = 'scjg'").await;
    add_account(&p, "lister", Role::Reviewer, Some(scjg)).await;
    let lister = sign_in(&p, "lister").await;

    // Listed today: a repair of its penalty a day later takes the penalty
    // off, but the entry stays until the domain's year is full.
    let (penalty, application) = repair_accepted(&p, &lister, 0).await;
    let (number, entry) = listed_on_penalty(&p, &lister, penalty).await;
    let approved = lister
        .decide(
            &p,
            &format!("/admin/repairs/{application}/decide"),
            "accepted",
            "approve",
            &[],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    assert_eq!(
        p.get(&format!("/penalties/{penalty}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        p.get(&format!("/serious-list/{entry}")).await.0,
        StatusCode::OK
    );
    let state: String = p
        .rows(&format!(
            "select state from serious_listings where number = '{number}'"
        ))
        .await[0]
        .get(0);
    assert_eq!(state, "listed");

    // Listed more than a year ago: the repair removes it early.
    let (penalty, application) = repair_accepted(&p, &lister, 1).await;
    let (number, entry) = listed_on_penalty(&p, &lister, penalty).await;
    p.db.exec(&format!(
        "update serious_entries set listed_on = '2025-06-01', until = '2028-05-31' where id = {entry};
         update serious_listings set decided_on = '2025-06-01' where number = '{number}'"
    ))
    .await;
    let approved = lister
        .decide(
            &p,
            &format!("/admin/repairs/{application}/decide"),
            "accepted",
            "approve",
            &[],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    assert_eq!(
        p.get(&format!("/serious-list/{entry}")).await.0,
        StatusCode::NOT_FOUND
    );
    let page = p
        .get_with_cookie(&format!("/admin/listings/{number}"), &lister.cookie)
        .await;
    assert!(
        page.body.contains("已移出") && page.body.contains("提前移出"),
        "{}",
        page.body
    );
    assert!(page.body.contains("撤销移出决定，恢复列入"));

    // Found to rest on false materials: revoked with reasons, listed again.
    let act = format!("/admin/listings/{number}/act");
    let bare = p
        .post_form(
            &act,
            &lister.cookie,
            &[
                ("_csrf", lister.csrf.as_str()),
                ("expected_state", "removed"),
                ("action", "revoke_removal"),
                ("text", ""),
            ],
        )
        .await;
    assert_eq!(bare.status, StatusCode::BAD_REQUEST);
    let revoked = p
        .post_form(
            &act,
            &lister.cookie,
            &[
                ("_csrf", lister.csrf.as_str()),
                ("expected_state", "removed"),
                ("action", "revoke_removal"),
                ("text", "经核查，申请提前移出时提交的缴款凭证系伪造。"),
            ],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    assert_eq!(
        p.get(&format!("/serious-list/{entry}")).await.0,
        StatusCode::OK
    );
    let state: String = p
        .rows(&format!(
            "select state from serious_listings where number = '{number}'"
        ))
        .await[0]
        .get(0);
    assert_eq!(state, "listed");
    assert_eq!(
        count(&p, &format!("select count(*) from record_changes where record_kind = 'serious' and record_id = {entry} and change = 'new'")).await,
        1
    );
    // Listed again: nothing to revoke, and the history keeps every step.
    let page = p
        .get_with_cookie(&format!("/admin/listings/{number}"), &lister.cookie)
        .await;
    assert!(
        !page.body.contains("value=\"revoke_removal\""),
        "listed: nothing to revoke"
    );
    assert!(page.body.contains("系伪造"));
}

#[tokio::test]
async fn the_party_answers_with_evidence_the_department_reads() {
    let p = portal().await;
    let scjg = count(&p, "select id from departments where code = 'scjg'").await;
    add_account(&p, "lister", Role::Reviewer, Some(scjg)).await;
    let lister = sign_in(&p, "lister").await;
    let penalty = penalty_of_market_regulator(&p, 3).await;
    let (number, code) = serve(&p, &lister, penalty).await;
    let answer = format!("/notices/{number}/answer");
    // A wrong code stores nothing, whatever it sends.
    let wrong = p
        .post_multipart(
            &answer,
            &[("code", "ABCD-EFGH-JKMN"), ("statement", "已整改")],
            &[("evidence", "缴款凭证.pdf", super::repair::PDF)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    // A file that is not what it says: refused, nothing recorded.
    let fake = p
        .post_multipart(
            &answer,
            &[
                ("code", &code),
                ("statement", "已整改"),
                super::NOTICE_ACK[0],
                super::NOTICE_ACK[1],
            ],
            &[("evidence", "缴款凭证.pdf", b"not a pdf")],
        )
        .await;
    assert_eq!(fake.status, StatusCode::BAD_REQUEST);
    assert_eq!(count(&p, "select count(*) from listing_files").await, 0);
    let state: String = p.rows("select state from serious_listings").await[0].get(0);
    assert_eq!(state, "notified");
    let sent = p
        .post_multipart(
            &answer,
            &[
                ("code", &code),
                ("statement", "已全部履行，附缴款凭证。"),
                super::NOTICE_ACK[0],
                super::NOTICE_ACK[1],
            ],
            &[
                ("evidence", "缴款凭证.pdf", super::repair::PDF),
                ("evidence", "整改照片.jpg", super::repair::JPEG),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("缴款凭证.pdf") && sent.body.contains("整改照片.jpg"));
    assert_eq!(
        count(
            &p,
            "select count(*) from listing_files where event_id is not null"
        )
        .await,
        2
    );
    // The department reads them, each download registered.
    let page = p
        .get_with_cookie(&format!("/admin/listings/{number}"), &lister.cookie)
        .await;
    let href = between(&page.body, "href=\"/admin/listings/", "\"").to_string();
    assert!(href.contains("/files/"), "{href}");
    let file = p
        .get_with_cookie(&format!("/admin/listings/{href}"), &lister.cookie)
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.body.starts_with("%PDF"));
    assert_eq!(
        count(
            &p,
            "select count(*) from audit_log where action = 'download_evidence'"
        )
        .await,
        1
    );
    // Another department gets nothing.
    let swj = count(&p, "select id from departments where code = 'swj'").await;
    add_account(&p, "taxman", Role::Reviewer, Some(swj)).await;
    let taxman = sign_in(&p, "taxman").await;
    let other = p
        .get_with_cookie(&format!("/admin/listings/{href}"), &taxman.cookie)
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_upheld_objection_takes_a_listed_party_off_and_the_procedure_says_why() {
    use super::objections::{act, file, EVIDENCE};
    let p = portal().await;
    let scjg = count(&p, "select id from departments where code = 'scjg'").await;
    add_account(&p, "lister", Role::Reviewer, Some(scjg)).await;
    let lister = sign_in(&p, "lister").await;
    let penalty = count(
        &p,
        "select e.record_id from public_entries e
         join penalties x on x.id = e.record_id
         join subjects s on s.id = x.subject_id
         join departments d on d.id = x.department_id
         where e.record_kind = 'penalty' and d.code = 'scjg'
           and s.credit_code is not null and x.representative_id_number is not null
         order by e.sort_key desc limit 1 offset 4",
    )
    .await;
    let (number, entry) = listed_on_penalty(&p, &lister, penalty).await;
    let code: String = p
        .rows(&format!(
            "select s.credit_code from penalties x join subjects s on s.id = x.subject_id where x.id = {penalty}"
        ))
        .await[0]
        .get(0);
    let rep = super::repair::representative_id(&p, penalty).await;
    let filed = file(
        &p,
        &format!("serious-{entry}"),
        (&code, &rep),
        &["listing_conditions"],
        EVIDENCE,
    )
    .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let objection: String = p
        .rows(&format!(
            "select number from objections where record_kind = 'serious' and record_id = {entry}"
        ))
        .await[0]
        .get(0);
    assert_eq!(
        act(&p, &lister, &objection, "accept", "").await.status,
        StatusCode::SEE_OTHER
    );
    let removed = act(
        &p,
        &lister,
        &objection,
        "decide_removed_from_list",
        "处罚决定已被撤销，不符合列入条件。",
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert_eq!(
        p.get(&format!("/serious-list/{entry}")).await.0,
        StatusCode::NOT_FOUND
    );
    let state: String = p
        .rows(&format!(
            "select state from serious_listings where number = '{number}'"
        ))
        .await[0]
        .get(0);
    assert_eq!(state, "removed");
    let page = p
        .get_with_cookie(&format!("/admin/listings/{number}"), &lister.cookie)
        .await;
    assert!(page.body.contains("异议成立，移出名单") && page.body.contains(&objection));
    // Not an early removal: nothing to revoke for false materials.
    assert!(!page.body.contains("value=\"revoke_removal\""));
}
