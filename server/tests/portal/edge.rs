//! The portal behind a TLS proxy, as an outsider meets it: whose address a
//! limit counts, which cookies are `Secure`, which origins may post, and
//! what happens to a connection that trickles its headers.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use server::http::client::ClientSettings;
use server::router::Edge;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::repair::eligible_record;
use super::{portal, portal_configured, portal_with, Portal};

fn behind_proxy() -> Edge {
    Edge {
        clients: ClientSettings::behind("127.0.0.1", "x-forwarded-for").unwrap(),
        ..Default::default()
    }
}

/// A wrong tracking code posted from socket peer `peer`, with the
/// forwarding header `forwarded_for` if given.
async fn wrong_code(p: &Portal, peer: &str, forwarded_for: Option<&str>) -> StatusCode {
    let mut request = Request::post("/repair/track")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .extension(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 40000)));
    if let Some(ff) = forwarded_for {
        request = request.header("x-forwarded-for", ff);
    }
    let body = "number=XF2026010100001&code=2345-6789-ABCD";
    p.send(request.body(Body::from(body)).unwrap()).await.status
}

#[tokio::test]
async fn behind_the_proxy_each_client_has_its_own_limit() {
    let p = portal_with(behind_proxy()).await;
    for _ in 0..10 {
        assert_eq!(
            wrong_code(&p, "127.0.0.1", Some("198.51.100.1")).await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        wrong_code(&p, "127.0.0.1", Some("198.51.100.1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another citizen through the same proxy is not locked out.
    assert_eq!(
        wrong_code(&p, "127.0.0.1", Some("198.51.100.2")).await,
        StatusCode::NOT_FOUND
    );
    // A client that writes its own header in front of the proxy's entry
    // is still counted by the entry the proxy wrote.
    assert_eq!(
        wrong_code(&p, "127.0.0.1", Some("10.9.9.9, 198.51.100.1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_forged_header_from_outside_the_proxy_changes_nothing() {
    let p = portal_with(behind_proxy()).await;
    for i in 0..10 {
        // A fresh "address" per guess, straight to the portal.
        let forged = format!("192.0.2.{i}");
        assert_eq!(
            wrong_code(&p, "203.0.113.5", Some(&forged)).await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        wrong_code(&p, "203.0.113.5", Some("192.0.2.200")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn ipv6_clients_are_counted_per_64() {
    let p = portal().await;
    for i in 1..=10 {
        let addr = format!("2001:db8:1:2::{i:x}");
        assert_eq!(wrong_code(&p, &addr, None).await, StatusCode::NOT_FOUND);
    }
    // A new interface id in the same /64 is the same subscriber.
    assert_eq!(
        wrong_code(&p, "2001:db8:1:2:abcd::99", None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        wrong_code(&p, "2001:db8:1:3::1", None).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn over_https_every_cookie_is_secure() {
    let p = portal_configured(behind_proxy(), true).await;
    let (id, _) = eligible_record(&p).await;
    let start = p
        .post_form(&format!("/repair/apply/{id}/start"), "", &[])
        .await;
    let draft = set_cookie(&start, "repair_draft");
    assert!(draft.contains("; Secure"), "{draft}");
    let display = p.get_with_cookie("/display?mode=large&back=/", "").await;
    let mode = set_cookie(&display, "hegang_display");
    assert!(mode.contains("; Secure"), "{mode}");

    // On plain-HTTP loopback (development) browsers would drop them.
    let dev = portal().await;
    let start = dev
        .post_form(&format!("/repair/apply/{id}/start"), "", &[])
        .await;
    assert!(!set_cookie(&start, "repair_draft").contains("Secure"));
}

fn set_cookie(answer: &super::Answer, name: &str) -> String {
    answer
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(name))
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_string()
}

#[tokio::test]
async fn an_opaque_origin_may_not_post() {
    let p = portal().await;
    let (id, _) = eligible_record(&p).await;
    let request = Request::post(format!("/repair/apply/{id}/start"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "null")
        .body(Body::empty())
        .unwrap();
    let answer = p.send(request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.cookie("repair_draft").is_none());
}

/// Reads until the server closes the connection; `None` if it is still
/// open after `limit`.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(limit, read).await.ok()?;
    Some(got)
}

#[tokio::test]
async fn slow_or_idle_connections_are_closed() {
    let p = portal().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::http::serve::serve(
        listener,
        p.router(),
        Duration::from_secs(1),
        async {
            let _ = stopped.await;
        },
    ));

    // Headers trickled one byte at a time, never finished.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    assert!(
        closed_within(&mut slow, Duration::from_secs(5))
            .await
            .is_some(),
        "a connection that never finished its headers stayed open"
    );

    // A kept-alive connection that goes quiet after one request.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = closed_within(&mut idle, Duration::from_secs(5))
        .await
        .expect("an idle kept-alive connection stayed open");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));

    let _ = stop.send(());
    server.await.unwrap();
}
