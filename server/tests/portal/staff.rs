//! The staff console over HTTP: who may do what (tested from the outside,
//! as anonymous, as a reviewer of another department and as the right
//! member), the review of an application to its effect on public pages,
//! sessions, the login limits and the access register's chain.

use app::domain::repair_application::ApplicationState;
use app::domain::staff::Role;
use app::store::staff::NewAccount;
use axum::http::StatusCode;

use super::repair::{eligible_record, eligible_records_of_departments, submit_application};
use super::{portal, portal_on, Answer, Portal};

pub(super) const PASSWORD: &str = "Hegang-Review-2026";

pub(super) async fn add_account(p: &Portal, username: &str, role: Role, department: Option<i64>) {
    let account = NewAccount {
        username: username.into(),
        display_name: format!("{username}（演示）"),
        role,
        department_id: department,
        password_hash: server::staff::session::hash_password(PASSWORD).unwrap(),
        must_change_password: false,
        now: chrono::Utc::now(),
    };
    p.backend
        .staff
        .create_account(&account)
        .await
        .unwrap()
        .unwrap();
}

/// A signed-in member: the cookie header and the form token.
pub(super) struct Member {
    pub cookie: String,
    pub csrf: String,
}

impl Member {
    /// A reviewer's decision on the application page's form: the action,
    /// the state the page showed, and any reasons or remedies.
    pub(super) async fn decide(
        &self,
        p: &Portal,
        decide: &str,
        expected_state: &str,
        action: &str,
        texts: &[(&str, &str)],
    ) -> Answer {
        let mut fields = vec![
            ("_csrf", self.csrf.as_str()),
            ("expected_state", expected_state),
            ("action", action),
        ];
        fields.extend_from_slice(texts);
        p.post_form(decide, &self.cookie, &fields).await
    }
}

pub(super) async fn login_as(p: &Portal, username: &str, password: &str) -> Answer {
    p.post_form(
        "/admin/login",
        "",
        &[("username", username), ("password", password)],
    )
    .await
}

pub(super) async fn sign_in(p: &Portal, username: &str) -> Member {
    let answer = login_as(p, username, PASSWORD).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let cookie = answer.cookie("hegang_staff").expect("session cookie");
    let page = p.get_with_cookie("/admin/password", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_of(&page.body);
    Member { cookie, csrf }
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("csrf field") + 20;
    html[at..at + 32].to_string()
}

/// The world the authorisation tests run in: an application about a
/// record of department `own`, and accounts of every kind.
struct World {
    p: Portal,
    number: String,
    record_id: i64,
    file_id: i64,
}

async fn world() -> World {
    let p = portal().await;
    let (record_id, code) = eligible_record(&p).await;
    let (number, _) = submit_application(&p, record_id, &code).await;
    let app = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    let other = p
        .backend
        .public
        .departments()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.id != app.department_id)
        .unwrap()
        .id;
    add_account(&p, "right", Role::Reviewer, Some(app.department_id)).await;
    add_account(&p, "other", Role::Reviewer, Some(other)).await;
    add_account(&p, "boss", Role::Admin, None).await;
    add_account(&p, "checker", Role::Auditor, None).await;
    let file_id = p.backend.repair.application_files(app.id).await.unwrap()[0].id;
    World {
        p,
        number,
        record_id,
        file_id,
    }
}

/// The 2-, 3- and 4-character pieces of record `record_id`'s public name
/// that the most public names hold, each with how many (more than a page).
async fn busy_queries(p: &Portal, record_id: i64) -> Vec<(String, usize)> {
    let name: String = p
        .rows(&format!(
            "select name_norm from public_entries where record_kind = 'penalty' and record_id = {record_id}"
        ))
        .await[0]
        .get(0);
    let names: Vec<String> = p
        .rows("select name_norm from public_entries where until >= '2026-11-26'")
        .await
        .iter()
        .map(|r| r.get(0))
        .collect();
    let chars: Vec<char> = name.chars().collect();
    let mut busy = Vec::new();
    for len in [2, 3, 4] {
        let best = chars
            .windows(len)
            .map(|w| {
                let q: String = w.iter().collect();
                let count = names.iter().filter(|n| n.contains(&q)).count();
                (q, count)
            })
            .max_by_key(|(_, count)| *count)
            .unwrap();
        assert!(best.1 > 20, "{len} characters of {name}: {best:?}");
        busy.push(best);
    }
    busy
}

/// The count the search page shows for `q`.
async fn shown_count(p: &Portal, q: &str) -> usize {
    let (status, html) = p.get(&format!("/search?q={}", super::encode(q))).await;
    assert_eq!(status, StatusCode::OK);
    let shown = html
        .split("共 ")
        .nth(1)
        .and_then(|rest| rest.split(" 条公示信息").next())
        .unwrap_or_else(|| panic!("no count for {q}"));
    shown.parse().unwrap()
}

async fn state_of(p: &Portal, number: &str) -> ApplicationState {
    p.backend
        .repair
        .application_by_number(number)
        .await
        .unwrap()
        .unwrap()
        .state
}

#[tokio::test]
async fn every_console_route_answers_only_the_member_it_is_for() {
    let w = world().await;
    let p = &w.p;
    let other = sign_in(p, "other").await;
    let right = sign_in(p, "right").await;
    let boss = sign_in(p, "boss").await;
    let checker = sign_in(p, "checker").await;
    let app_page = format!("/admin/repairs/{}", w.number);
    let file = format!("{app_page}/files/{}", w.file_id);

    // Pages: (path, the member it is for, the others who must be refused).
    let pages: [(&str, &Member, Vec<&Member>); 5] = [
        ("/admin/repairs", &right, vec![&boss, &checker]),
        (&app_page, &right, vec![&other, &boss, &checker]),
        (&file, &right, vec![&other, &boss, &checker]),
        ("/admin/audit", &checker, vec![&right, &other, &boss]),
        ("/admin/accounts", &boss, vec![&right, &other, &checker]),
    ];
    for (path, member, refused) in &pages {
        let anonymous = p.get_with_cookie(path, "").await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "anonymous {path}");
        assert_eq!(anonymous.location(), "/admin/login");
        let forged = p
            .get_with_cookie(path, &format!("hegang_staff={}", "a".repeat(64)))
            .await;
        assert_eq!(
            forged.status,
            StatusCode::SEE_OTHER,
            "forged session {path}"
        );
        for m in refused {
            let answer = p.get_with_cookie(path, &m.cookie).await;
            assert!(
                matches!(answer.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{path} answered {} to the wrong member",
                answer.status
            );
            assert!(!answer.body.contains("13800001234") && !answer.body.contains("李明"));
        }
        let ok = p.get_with_cookie(path, &member.cookie).await;
        assert_eq!(ok.status, StatusCode::OK, "{path} for its member");
    }
    // The other department's reviewer has a queue, without this application.
    let queue = p.get_with_cookie("/admin/repairs", &other.cookie).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(!queue.body.contains(&w.number));
    let queue = p.get_with_cookie("/admin/repairs", &right.cookie).await;
    assert!(queue.body.contains(&w.number));

    // A decision: anonymous, wrong department, wrong role, missing or wrong
    // token, cross-site: all refused and nothing changes.
    let decide = format!("{app_page}/decide");
    let fields = |csrf: &str| {
        vec![
            ("_csrf", csrf.to_string()),
            ("expected_state", "submitted".to_string()),
            ("action", "accept".to_string()),
        ]
    };
    let post = |cookie: String, fields: Vec<(&'static str, String)>| {
        let decide = decide.clone();
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            p.post_form(&decide, &cookie, &f).await
        }
    };
    assert_eq!(
        post(String::new(), fields("")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(other.cookie.clone(), fields(&other.csrf)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(boss.cookie.clone(), fields(&boss.csrf)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(right.cookie.clone(), fields("")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(right.cookie.clone(), fields(&other.csrf)).await.status,
        StatusCode::FORBIDDEN
    );
    let cross_site = p
        .send(
            axum::http::Request::post(&decide)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", &right.cookie)
                .header("sec-fetch-site", "cross-site")
                .body(axum::body::Body::from(format!(
                    "_csrf={}&expected_state=submitted&action=accept",
                    right.csrf
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    assert_eq!(state_of(p, &w.number).await, ApplicationState::Submitted);
    // A GET never changes anything.
    let get = p.get_with_cookie(&decide, &right.cookie).await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(state_of(p, &w.number).await, ApplicationState::Submitted);
    // Only the right reviewer's decision takes.
    let ok = post(right.cookie.clone(), fields(&right.csrf)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(state_of(p, &w.number).await, ApplicationState::Accepted);

    // Administrators' forms: accounts and the calendar.
    let account_fields = |csrf: &str| {
        vec![
            ("_csrf", csrf.to_string()),
            ("username", "newcomer".to_string()),
            ("display_name", "新同事".to_string()),
            ("role", "auditor".to_string()),
            ("department", String::new()),
            ("password", "Another-Strong-2026".to_string()),
        ]
    };
    for m in [&right, &checker] {
        let f = account_fields(&m.csrf);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let answer = p.post_form("/admin/accounts", &m.cookie, &f).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
    }
    let f = account_fields("");
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        p.post_form("/admin/accounts", "", &f).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(p
        .backend
        .staff
        .account_by_username("newcomer")
        .await
        .unwrap()
        .is_none());
    let f = account_fields(&boss.csrf);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = p.post_form("/admin/accounts", &boss.cookie, &f).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert!(p
        .backend
        .staff
        .account_by_username("newcomer")
        .await
        .unwrap()
        .is_some());

    let day = |csrf: &str| {
        vec![
            ("_csrf", csrf.to_string()),
            ("date", "2027-02-08".to_string()),
            ("kind", "holiday".to_string()),
            ("name", "春节".to_string()),
        ]
    };
    for m in [&right, &checker] {
        let f = day(&m.csrf);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            p.post_form("/admin/calendar", &m.cookie, &f).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let has_day = || async {
        p.backend
            .repair
            .calendar()
            .await
            .unwrap()
            .iter()
            .any(|e| e.date.to_string() == "2027-02-08")
    };
    assert!(!has_day().await);
    let f = day(&boss.csrf);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        p.post_form("/admin/calendar", &boss.cookie, &f)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(has_day().await);
}

/// Every console route, as (method, path): none may answer an anonymous
/// caller with anything but the way to sign in (GET) or a refusal (POST).
#[tokio::test]
async fn no_console_route_serves_an_anonymous_caller() {
    let w = world().await;
    let p = &w.p;
    // Every route the console router was built from, with its parameters
    // filled in, asked both ways: a page sends the stranger to sign in, a
    // post is refused, a method the route does not take is 405.
    let fill = |path: &str| {
        path.replace("{number}", &w.number)
            .replace("{file_id}", &w.file_id.to_string())
            .replace("{id}", "1")
            .replace("{code}", "scjg-ordinary")
            .replace("{token}", &format!("1-{}", "a".repeat(32)))
    };
    let paths = server::staff::console_paths();
    assert!(paths.contains(&"/admin/quality"), "{paths:?}");
    for path in paths
        .iter()
        .filter(|p| **p != "/admin/login")
        .map(|p| fill(p))
    {
        assert!(!path.contains('{'), "unfilled parameter in {path}");
        let get = p.get_with_cookie(&path, "").await;
        assert!(
            matches!(
                get.status,
                StatusCode::SEE_OTHER | StatusCode::METHOD_NOT_ALLOWED
            ),
            "GET {path}: {}",
            get.status
        );
        if get.status == StatusCode::SEE_OTHER {
            assert_eq!(get.location(), "/admin/login", "GET {path}");
        }
        let post = p
            .post_form(&path, "", &[("_csrf", ""), ("action", "approve")])
            .await;
        assert!(
            matches!(
                post.status,
                StatusCode::FORBIDDEN | StatusCode::METHOD_NOT_ALLOWED
            ),
            "POST {path}: {}",
            post.status
        );
        for answer in [&get, &post] {
            assert!(!answer.body.contains("13800001234"), "{path}");
        }
    }
    // The keyed API, without a key.
    let mut keyed = server::collect::api::keyed_paths();
    assert!(keyed.contains(&"/api/v1/feed/changes"), "{keyed:?}");
    keyed.extend(server::checks::keyed_paths());
    assert!(keyed.contains(&"/api/v1/check"), "{keyed:?}");
    for path in keyed {
        let path = path.replace("{id}", "JC0123456789ABCDEF0123");
        let path = path.as_str();
        for answer in [
            p.get_with_cookie(path, "").await,
            p.post_form(path, "", &[]).await,
        ] {
            assert!(
                matches!(
                    answer.status,
                    StatusCode::UNAUTHORIZED | StatusCode::METHOD_NOT_ALLOWED
                ),
                "{path}: {}",
                answer.status
            );
        }
    }
    assert_eq!(state_of(p, &w.number).await, ApplicationState::Submitted);
    // The sign-in page is the one console page open to all.
    assert_eq!(p.get("/admin/login").await.0, StatusCode::OK);
}

#[tokio::test]
async fn the_queue_puts_the_oldest_deadline_first_and_marks_overdue() {
    let w = world().await;
    let p = &w.p;
    let department = p
        .backend
        .repair
        .application_by_number(&w.number)
        .await
        .unwrap()
        .unwrap()
        .department_id;
    // Three more applications of the same department, submitted in an
    // order that is not their deadlines' order.
    let mut numbers = vec![w.number.clone()];
    for (id, code, _) in eligible_records_of_departments(p)
        .await
        .into_iter()
        .filter(|(id, _, d)| *d == department && *id != w.record_id)
        .take(3)
    {
        numbers.push(submit_application(p, id, &code).await.0);
    }
    assert_eq!(
        numbers.len(),
        4,
        "the department needs four repairable records"
    );
    let deadlines = ["2026-12-10", "2026-11-20", "2026-12-01", "2026-11-25"];
    for (number, deadline) in numbers.iter().zip(deadlines) {
        p.db.exec(&format!(
            "update repair_events set deadline = '{deadline}' where application_id =
             (select id from repair_applications where number = '{number}')"
        ))
        .await;
    }
    let right = sign_in(p, "right").await;
    let queue = p.get_with_cookie("/admin/repairs", &right.cookie).await;
    let at = |n: &str| {
        queue
            .body
            .find(n)
            .unwrap_or_else(|| panic!("{n} not in the queue"))
    };
    // Today is 11-26: 11-20 and 11-25 are overdue, 12-01 and 12-10 not yet.
    let order = [&numbers[1], &numbers[3], &numbers[2], &numbers[0]];
    assert!(
        order.windows(2).all(|w| at(w[0]) < at(w[1])),
        "queue not in deadline order: {order:?}"
    );
    assert!(queue.body.contains("已超期 6 天"), "{}", queue.body);
    assert!(queue.body.contains("已超期 1 天"));
    assert!(queue.body.contains("其中 2 件已超期"));
    assert_eq!(queue.body.matches("overdue-row").count(), 2);
}

/// A deadline on a Friday is missed on the Saturday after it, though no
/// working day has passed: the queue, the application and the applicant's
/// status page all say so. A deadline in a year the holiday calendar does
/// not cover is flagged to reviewers and administrators.
#[tokio::test]
async fn a_friday_deadline_is_overdue_on_saturday_and_uncovered_years_are_flagged() {
    let saturday = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let p = portal_on(saturday).await;
    let (record_id, code) = eligible_record(&p).await;
    let (number, tracking) = submit_application(&p, record_id, &code).await;
    let app = p
        .backend
        .repair
        .application_by_number(&number)
        .await
        .unwrap()
        .unwrap();
    add_account(&p, "right", Role::Reviewer, Some(app.department_id)).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let right = sign_in(&p, "right").await;
    let boss = sign_in(&p, "boss").await;
    let set_deadline = |d: &'static str| {
        let db = p.db.clone();
        async move {
            db.exec(&format!(
                "update repair_events set deadline = '{d}' where application_id = {}",
                app.id
            ))
            .await;
        }
    };

    set_deadline("2026-11-27").await;
    let queue = p.get_with_cookie("/admin/repairs", &right.cookie).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("已超期 1 天"), "{}", queue.body);
    assert!(!queue.body.contains("还剩 0 个工作日"));
    assert!(queue.body.contains("其中 1 件已超期"));
    assert!(queue.body.contains("overdue-row"));
    assert!(!queue.body.contains("节假日安排尚未录入"));
    let page = p
        .get_with_cookie(&format!("/admin/repairs/{number}"), &right.cookie)
        .await;
    assert!(page.body.contains("已超期 1 天"), "{}", page.body);
    assert!(page.body.contains("class=\"overdue\""));
    let status = p
        .post_form(
            "/repair/track",
            "",
            &[("number", &number), ("code", &tracking)],
        )
        .await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.body);
    assert!(status.body.contains("已超期 1 天"), "{}", status.body);
    assert!(status.body.contains("class=\"overdue\""));
    let calendar = p.get_with_cookie("/admin/calendar", &boss.cookie).await;
    assert_eq!(calendar.status, StatusCode::OK);
    assert!(!calendar.body.contains("节假日安排尚未录入"));

    // The seed calendar holds 2025 and 2026 only.
    set_deadline("2027-01-08").await;
    let notice = "节假日安排尚未录入 2027 年";
    let queue = p.get_with_cookie("/admin/repairs", &right.cookie).await;
    assert!(queue.body.contains(notice), "{}", queue.body);
    assert!(!queue.body.contains("overdue-row"));
    let calendar = p.get_with_cookie("/admin/calendar", &boss.cookie).await;
    assert!(calendar.body.contains(notice), "{}", calendar.body);
}

#[tokio::test]
async fn approval_takes_the_record_off_every_public_page_and_is_registered() {
    let w = world().await;
    let p = &w.p;
    let record_page = format!("/penalties/{}", w.record_id);
    assert_eq!(p.get(&record_page).await.0, StatusCode::OK);
    // Searches that find the record among more than a page of results,
    // through the bigram index and the trigram one: their counts are
    // counted and kept, asked twice to be sure they come from the cache.
    let busy = busy_queries(p, w.record_id).await;
    for (q, count) in &busy {
        assert_eq!(shown_count(p, q).await, *count, "{q}");
        assert_eq!(shown_count(p, q).await, *count, "{q}, again");
    }
    let right = sign_in(p, "right").await;
    let app_page = format!("/admin/repairs/{}", w.number);
    let decide = format!("{app_page}/decide");

    // Open it: the reviewer sees the non-public details and the evidence.
    let page = p.get_with_cookie(&app_page, &right.cookie).await;
    assert!(page.body.contains("13800001234") && page.body.contains("李明"));
    let file = p
        .get_with_cookie(&format!("{app_page}/files/{}", w.file_id), &right.cookie)
        .await;
    assert_eq!(file.status, StatusCode::OK);
    let disposition = file
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(file.body.starts_with("%PDF"));

    // A request to supplement needs its reasons; then the applicant sees them.
    let missing = right
        .decide(
            p,
            &decide,
            "submitted",
            "request_supplement",
            &[("reason", " ")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.body.contains("要求补正须写明需补正的材料"));
    assert_eq!(state_of(p, &w.number).await, ApplicationState::Submitted);
    let asked = right
        .decide(
            p,
            &decide,
            "submitted",
            "request_supplement",
            &[("reason", "请补充银行回单")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        state_of(p, &w.number).await,
        ApplicationState::NeedsSupplement
    );
    // A stale page (it still says "submitted") cannot act again.
    let stale = right
        .decide(
            p,
            &decide,
            "submitted",
            "reject",
            &[("reason", "x"), ("remedies", "y")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        state_of(p, &w.number).await,
        ApplicationState::NeedsSupplement
    );

    // The applicant's answer is simulated through the store; then accept
    // and approve.
    let app = p
        .backend
        .repair
        .application_by_number(&w.number)
        .await
        .unwrap()
        .unwrap();
    let answer = app::store::repair::NewEvent {
        actor: "applicant",
        action: app::domain::repair_application::Action::Supplement,
        reason: Some("已补充".into()),
        remedies: None,
        deadline: None,
        at: chrono::Utc::now(),
    };
    p.backend
        .repair
        .apply_action(app.id, ApplicationState::NeedsSupplement, &answer, &[])
        .await
        .unwrap()
        .unwrap();
    for (expected, action) in [("submitted", "accept"), ("accepted", "approve")] {
        let done = right.decide(p, &decide, expected, action, &[]).await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            done.body
        );
    }
    assert_eq!(state_of(p, &w.number).await, ApplicationState::Approved);

    // Gone from the record page, the subject's page and the projection.
    assert_eq!(p.get(&record_page).await.0, StatusCode::NOT_FOUND);
    // And from every count: a count kept from before is not served.
    for (q, count) in &busy {
        assert_eq!(shown_count(p, q).await, count - 1, "{q} after the approval");
    }
    let rows = p
        .rows(&format!(
            "select count(*) from public_entries where record_kind = 'penalty' and record_id = {}",
            w.record_id
        ))
        .await;
    assert_eq!(rows[0].get::<i64, _>(0), 0);
    let repaired = p
        .rows(&format!(
            "select repaired_on from penalties where id = {}",
            w.record_id
        ))
        .await;
    assert_eq!(
        repaired[0].get::<Option<String>, _>(0).as_deref(),
        Some("2026-11-26")
    );
    // The decision names who made it.
    let who = p
        .rows(&format!(
            "select e.staff_account_id, a.username from repair_events e
             join staff_accounts a on a.id = e.staff_account_id
             where e.application_id = {} and e.action = 'approve'",
            app.id
        ))
        .await;
    assert_eq!(who[0].get::<String, _>(1), "right");

    // The export feed will tell the provincial platform.
    let repaired = p
        .rows(&format!(
            "select count(*) from record_changes where change = 'repaired' and record_id = {}",
            w.record_id
        ))
        .await;
    assert_eq!(repaired[0].get::<i64, _>(0), 1);

    // Every look and every decision is in the register, and it verifies.
    let register = p.backend.staff.audit_chain().await.unwrap();
    let actions: Vec<&str> = register.iter().map(|e| e.action.as_str()).collect();
    for expected in ["login", "view_application", "download_evidence", "decide"] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    assert!(server::store::register::verify_chain(&register).is_ok());
    // The register refuses edits; an edit made behind its back is found.
    assert!(p
        .db
        .try_exec("update audit_log set target = 'x' where id = 2")
        .await
        .is_err());
    // PostgreSQL names a trigger by its table too.
    p.db.exec(if p.db.is_postgres() {
        "drop trigger audit_log_no_update on audit_log"
    } else {
        "drop trigger audit_log_no_update"
    })
    .await;
    p.db.exec("update audit_log set purpose = '查看' where id = 2")
        .await;
    let broken =
        server::store::register::verify_chain(&p.backend.staff.audit_chain().await.unwrap());
    assert_eq!(broken.unwrap_err().id, 2);
}

/// A login form post from the client at `ip`.
async fn login_from(p: &Portal, ip: &str, username: &str, password: &str) -> Answer {
    use axum::extract::ConnectInfo;
    p.send(
        axum::http::Request::post("/admin/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .extension(ConnectInfo(std::net::SocketAddr::new(
                ip.parse().unwrap(),
                40000,
            )))
            .body(axum::body::Body::from(format!(
                "username={}&password={}",
                super::encode(username),
                super::encode(password)
            )))
            .unwrap(),
    )
    .await
}

/// The page with the username it echoes taken out, to compare answers
/// about different usernames.
fn without(answer: &Answer, username: &str) -> String {
    answer.body.replace(username, "USERNAME")
}

#[tokio::test]
async fn every_failed_login_gets_the_same_answer() {
    let p = portal().await;
    add_account(&p, "zhangsan7", Role::Admin, None).await;
    let wrong = login_from(&p, "10.0.1.1", "zhangsan7", "not-the-password").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("用户名或密码不正确"), "{}", wrong.body);
    let unknown = login_from(&p, "10.0.1.1", "wuming7", "not-the-password").await;
    // Five failures from one client for one username, then the right
    // password: refused, in words that do not say so.
    for _ in 0..5 {
        login_from(&p, "10.0.1.2", "zhangsan7", "not-the-password").await;
        login_from(&p, "10.0.1.2", "wuming7", "not-the-password").await;
    }
    let limited = login_from(&p, "10.0.1.2", "zhangsan7", PASSWORD).await;
    assert!(limited.cookie("hegang_staff").is_none());
    let limited_unknown = login_from(&p, "10.0.1.2", "wuming7", PASSWORD).await;
    let expected = without(&wrong, "zhangsan7");
    for (what, answer, username) in [
        ("unknown user", &unknown, "wuming7"),
        ("limited account", &limited, "zhangsan7"),
        ("limited unknown user", &limited_unknown, "wuming7"),
    ] {
        assert_eq!(answer.status, wrong.status, "{what}");
        assert_eq!(without(answer, username), expected, "{what}");
    }

    // One client failing 20 times, whatever the usernames, is stopped:
    // the same 429 whether the next username exists or not.
    for i in 0..20 {
        login_from(&p, "10.0.1.3", &format!("guess{i}"), "whatever").await;
    }
    let stopped = login_from(&p, "10.0.1.3", "zhangsan7", PASSWORD).await;
    assert_eq!(stopped.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(stopped.body.contains("请 15 分钟后再试"));
    assert!(stopped.cookie("hegang_staff").is_none());
    let stopped_unknown = login_from(&p, "10.0.1.3", "wuming7", "whatever").await;
    assert_eq!(stopped_unknown.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        without(&stopped_unknown, "wuming7"),
        without(&stopped, "zhangsan7")
    );
}

#[tokio::test]
async fn a_limited_attempt_takes_as_long_as_a_wrong_password() {
    let p = portal().await;
    add_account(&p, "zhangsan7", Role::Admin, None).await;
    add_account(&p, "lisi7", Role::Admin, None).await;
    for _ in 0..5 {
        login_from(&p, "10.0.2.1", "zhangsan7", "not-the-password").await;
    }
    // The fastest of several tries each, interleaved: other work on the
    // machine slows single tries, rarely the fastest of eight. Argon2
    // dominates both or neither.
    let (mut limited, mut wrong) = (u128::MAX, u128::MAX);
    for i in 0..8 {
        let started = std::time::Instant::now();
        let answer = login_from(&p, "10.0.2.1", "zhangsan7", PASSWORD).await;
        limited = limited.min(started.elapsed().as_micros());
        assert!(answer.cookie("hegang_staff").is_none());
        // A client of its own each time, so none of these is limited.
        let from = format!("10.0.2.{}", 10 + i);
        let started = std::time::Instant::now();
        login_from(&p, &from, "lisi7", "not-the-password").await;
        wrong = wrong.min(started.elapsed().as_micros());
    }
    assert!(
        limited * 2 > wrong && wrong * 2 > limited,
        "limited {limited} µs, wrong password {wrong} µs"
    );
}

#[tokio::test]
async fn a_stranger_guessing_does_not_keep_the_holder_out() {
    let p = portal().await;
    add_account(&p, "admin", Role::Admin, None).await;
    // Fifty guesses from one client (most of them stopped by the
    // per-client limit): the holder signs in from another.
    for i in 0..50 {
        login_from(&p, "203.0.113.9", "admin", &format!("Guess-{i}-2026")).await;
    }
    let holder = login_from(&p, "10.0.3.1", "admin", PASSWORD).await;
    assert_eq!(holder.status, StatusCode::SEE_OTHER, "{}", holder.body);
    // Guessing from many clients fills the account's daily ceiling: new
    // clients are refused (with the same answer as a wrong password), the
    // one the holder signed in from is not.
    for client in 1..=15 {
        for i in 0..5 {
            let from = format!("198.51.100.{client}");
            login_from(&p, &from, "admin", &format!("Guess-{i}-2026")).await;
        }
    }
    let again = login_from(&p, "10.0.3.1", "admin", PASSWORD).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let fresh = login_from(&p, "10.0.3.2", "admin", PASSWORD).await;
    assert_eq!(fresh.status, StatusCode::BAD_REQUEST);
    assert!(fresh.body.contains("用户名或密码不正确"));
    // Every attempt the per-client limit let through is in the register.
    let failed: i64 = p
        .rows("select count(*) from audit_log where action = 'login_failed'")
        .await[0]
        .get(0);
    assert_eq!(failed, 20 + 15 * 5 + 1);
}

#[tokio::test]
async fn sessions_rotate_expire_and_end() {
    let p = portal().await;
    add_account(&p, "li", Role::Admin, None).await;
    let answer = login_as(&p, "li", PASSWORD).await;
    let set_cookie = answer
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"));
    assert!(set_cookie.contains("Path=/"));
    let first = answer.cookie("hegang_staff").unwrap();
    // Logging in again issues a new id and ends the one presented.
    let again = p
        .send(
            axum::http::Request::post("/admin/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", &first)
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from(format!(
                    "username=li&password={PASSWORD}"
                )))
                .unwrap(),
        )
        .await;
    let second = again.cookie("hegang_staff").unwrap();
    assert_ne!(first, second);
    assert_eq!(
        p.get_with_cookie("/admin/accounts", &first).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        p.get_with_cookie("/admin/accounts", &second).await.status,
        StatusCode::OK
    );
    let page = p.get_with_cookie("/admin/accounts", &second).await;
    assert_eq!(
        page.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );

    // Idle for 31 minutes: signed out.
    p.db.exec("update staff_sessions set last_seen_at = '2020-01-01T00:00:00.000Z'")
        .await;
    assert_eq!(
        p.get_with_cookie("/admin/accounts", &second).await.status,
        StatusCode::SEE_OTHER
    );

    // Sessions nobody comes back to are purged.
    login_as(&p, "li", PASSWORD).await;
    p.db.exec("update staff_sessions set last_seen_at = '2020-01-01T00:00:00.000Z'")
        .await;
    let purged = p
        .backend
        .staff
        .purge_expired(chrono::Utc::now())
        .await
        .unwrap();
    assert!(purged >= 1);
    assert!(p.rows("select * from staff_sessions").await.is_empty());

    // Logout ends the session on the server.
    let member = sign_in(&p, "li").await;
    let out = p
        .post_form("/admin/logout", &member.cookie, &[("_csrf", &member.csrf)])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        p.get_with_cookie("/admin/accounts", &member.cookie)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_password_change_checks_the_old_one_and_the_new_one() {
    let p = portal().await;
    add_account(&p, "li", Role::Auditor, None).await;
    let m = sign_in(&p, "li").await;
    let weak = p
        .post_form(
            "/admin/password",
            &m.cookie,
            &[
                ("_csrf", &m.csrf),
                ("current_password", PASSWORD),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert!(weak.body.contains("至少需要 12 个字符"));
    let ok = p
        .post_form(
            "/admin/password",
            &m.cookie,
            &[
                ("_csrf", &m.csrf),
                ("current_password", PASSWORD),
                ("new_password", "Brand-New-Secret-77"),
                ("confirm_password", "Brand-New-Secret-77"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(
        login_as(&p, "li", PASSWORD).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        login_as(&p, "li", "Brand-New-Secret-77").await.status,
        StatusCode::SEE_OTHER
    );
}
