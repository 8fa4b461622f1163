//! The large-text display (适老化): switched on from any page without
//! script, kept in a cookie, applied to every page — those of the router
//! and those rendered by the repair and console handlers.

use axum::http::StatusCode;

use super::portal;

#[tokio::test]
async fn the_large_text_display_is_switched_on_kept_and_switched_off() {
    let p = portal().await;
    let home = p.get_with_cookie("/search?q=%E9%B9%A4", "").await;
    let html_tag = |body: &str| {
        body[body.find("<html").unwrap()..]
            .split('>')
            .next()
            .unwrap()
            .to_string()
    };
    assert!(
        !html_tag(&home.body).contains("large-text"),
        "standard by default"
    );
    assert!(home
        .body
        .contains("href=\"/display?mode=large&amp;back=%2Fsearch%3Fq%3D%25E9%25B9%25A4\""));

    let on = p
        .get_with_cookie(
            "/display?mode=large&back=%2Fsearch%3Fq%3D%25E9%25B9%25A4",
            "",
        )
        .await;
    assert_eq!(on.status, StatusCode::SEE_OTHER);
    assert_eq!(on.headers["location"], "/search?q=%E9%B9%A4");
    let cookie = on.cookie("hegang_display").expect("the choice is kept");
    assert_eq!(cookie, "hegang_display=large");

    for page in ["/", "/search?q=%E9%B9%A4", "/repair/track", "/admin/login"] {
        let answer = p.get_with_cookie(page, &cookie).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}");
        assert!(
            answer
                .body
                .contains("<html lang=\"zh-CN\" class=\"large-text\">"),
            "{page}"
        );
        assert!(answer.body.contains(">标准版</a>"), "{page}: the way back");
    }

    // Only local addresses are returned to; an unknown mode changes nothing.
    for back in ["https%3A%2F%2Fevil.example", "%2F%2Fevil.example", ""] {
        let answer = p
            .get_with_cookie(&format!("/display?mode=standard&back={back}"), &cookie)
            .await;
        assert_eq!(answer.headers["location"], "/", "{back}");
    }
    let odd = p.get_with_cookie("/display?mode=huge&back=%2F", "").await;
    assert_eq!(odd.status, StatusCode::SEE_OTHER);
    assert!(odd.headers.get("set-cookie").is_none());

    let off = p
        .get_with_cookie("/display?mode=standard&back=%2F", &cookie)
        .await;
    assert_eq!(
        off.cookie("hegang_display").unwrap(),
        "hegang_display=standard"
    );
}
