//! Who is asking: the client address every limit and failure counter is
//! keyed on.
//!
//! Behind a TLS proxy the socket's peer is the proxy, so the whole city
//! would share one bucket. The address is therefore taken from the
//! forwarding header — but only when the peer is one of the configured
//! proxies (`PORTAL_TRUSTED_PROXIES`), and only from the one header the
//! proxy writes (`PORTAL_FORWARDED_HEADER`): a header a client wrote itself
//! is never believed, or anyone could pick a fresh address per guess.
//!
//! IPv6 clients are keyed per /64: one subscriber line usually gets a whole
//! /64, so keying per /128 would hand every client 2^64 fresh buckets.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

/// One address or network in the trusted-proxy list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    fn parse(raw: &str) -> Option<Net> {
        let (addr, prefix) = match raw.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (raw.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Net { addr, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The header a trusted proxy writes the client's address into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1` (nginx, HAProxy, most balancers).
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client;proto=https, for=proxy1`.
    Forwarded,
}

/// Where requests come from: directly, or through listed proxies.
#[derive(Clone, Debug, Default)]
pub struct ClientSettings {
    proxies: Arc<Vec<Net>>,
    header: Option<ForwardedHeader>,
}

impl ClientSettings {
    /// No proxy: the socket's peer is the client.
    pub fn direct() -> Self {
        Self::default()
    }

    /// `list` is comma-separated addresses or networks (`127.0.0.1,
    /// 10.0.0.0/8, ::1`); `header` is `x-forwarded-for` or `forwarded`.
    /// Errors name what could not be read.
    pub fn behind(list: &str, header: &str) -> Result<Self, String> {
        let proxies = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Net::parse(s).ok_or_else(|| format!("{s} is not an address or network")))
            .collect::<Result<Vec<_>, _>>()?;
        let header = match header.trim().to_ascii_lowercase().as_str() {
            "" | "x-forwarded-for" => ForwardedHeader::XForwardedFor,
            "forwarded" => ForwardedHeader::Forwarded,
            other => return Err(format!("{other} should be x-forwarded-for or forwarded")),
        };
        Ok(ClientSettings {
            header: (!proxies.is_empty()).then_some(header),
            proxies: Arc::new(proxies),
        })
    }

    /// Whether any proxy is configured (then the portal is reached over
    /// HTTPS at that proxy).
    pub fn behind_proxy(&self) -> bool {
        !self.proxies.is_empty()
    }

    fn trusted(&self, ip: IpAddr) -> bool {
        self.proxies.iter().any(|n| n.contains(ip))
    }

    /// The client's address: the peer, or — when the peer is a trusted
    /// proxy — the nearest address in the forwarding chain that is not a
    /// trusted proxy itself. An unreadable entry stops the walk at the hop
    /// that wrote it, so garbage never becomes an address of its own.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        let Some(header) = self.header.filter(|_| self.trusted(peer)) else {
            return peer;
        };
        let hops = forwarding_chain(headers, header);
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = hop else { break };
            client = canonical(*ip);
            if !self.trusted(client) {
                break;
            }
        }
        client
    }
}

/// The addresses of a forwarding header, in order (client first); `None`
/// for an entry that is not an address (`unknown`, an obfuscated name,
/// garbage). Several header lines are one list, as RFC 7230 says.
fn forwarding_chain(headers: &HeaderMap, header: ForwardedHeader) -> Vec<Option<IpAddr>> {
    let name = match header {
        ForwardedHeader::XForwardedFor => "x-forwarded-for",
        ForwardedHeader::Forwarded => "forwarded",
    };
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|entry| match header {
            ForwardedHeader::XForwardedFor => parse_hop(entry.trim()),
            ForwardedHeader::Forwarded => entry
                .split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| parse_hop(v.trim().trim_matches('"'))),
        })
        .collect()
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:5678`.
fn parse_hop(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = s.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    s.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|r| r.parse::<Ipv6Addr>().ok())
        .map(IpAddr::V6)
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, from dual-stack sockets)
/// are the IPv4 client they carry.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The client a request is counted against: its address, and the key
/// limits use (IPv4 as is, IPv6 as its /64).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    pub key: String,
}

impl Client {
    pub fn from_ip(ip: IpAddr) -> Client {
        let ip = canonical(ip);
        let key = match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let net = u128::from(v6) & (u128::MAX << 64);
                format!("{}/64", Ipv6Addr::from(net))
            }
        };
        Client { ip, key }
    }

    /// Requests without a socket (the tests' direct router calls).
    fn local() -> Client {
        Client {
            ip: IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            key: "local".into(),
        }
    }
}

/// Works out the client once per request and puts it in the request's
/// extensions, where [`ClientAddr`] and the limits find it.
pub async fn identify(
    State(settings): State<ClientSettings>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip());
    let client = match peer {
        Some(peer) => Client::from_ip(settings.client_ip(peer, request.headers())),
        None => Client::local(),
    };
    request.extensions_mut().insert(client);
    next.run(request).await
}

/// The client of a request, for handlers.
pub struct ClientAddr(pub Client);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<Client>()
                .cloned()
                .unwrap_or_else(Client::local),
        ))
    }
}

/// The key a failure or a request is counted against.
pub fn client_of(addr: ClientAddr) -> String {
    addr.0.key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_client_header_is_ignored_without_a_trusted_proxy() {
        let direct = ClientSettings::direct();
        let h = headers(&[("x-forwarded-for", "9.9.9.9")]);
        assert_eq!(direct.client_ip(ip("203.0.113.7"), &h), ip("203.0.113.7"));
        // A proxy is listed, but this peer is not it.
        let behind = ClientSettings::behind("127.0.0.1", "x-forwarded-for").unwrap();
        assert_eq!(behind.client_ip(ip("203.0.113.7"), &h), ip("203.0.113.7"));
    }

    #[test]
    fn the_nearest_untrusted_hop_is_the_client() {
        let s = ClientSettings::behind("127.0.0.1, 10.0.0.0/8", "x-forwarded-for").unwrap();
        // The client forged a first entry; the proxy appended the real peer.
        let h = headers(&[("x-forwarded-for", "9.9.9.9, 198.51.100.4, 10.1.2.3")]);
        assert_eq!(s.client_ip(ip("127.0.0.1"), &h), ip("198.51.100.4"));
        // Two header lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "9.9.9.9"),
            ("x-forwarded-for", "198.51.100.5"),
        ]);
        assert_eq!(s.client_ip(ip("127.0.0.1"), &h), ip("198.51.100.5"));
        // No header: the proxy itself.
        assert_eq!(
            s.client_ip(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
        // Garbage stops the walk at the hop that wrote it.
        let h = headers(&[("x-forwarded-for", "198.51.100.4, nonsense")]);
        assert_eq!(s.client_ip(ip("127.0.0.1"), &h), ip("127.0.0.1"));
    }

    #[test]
    fn rfc_7239_forwarded() {
        let s = ClientSettings::behind("::1", "forwarded").unwrap();
        let h = headers(&[(
            "forwarded",
            "for=9.9.9.9, for=\"[2001:db8:cafe::17]:4711\";proto=https",
        )]);
        assert_eq!(s.client_ip(ip("::1"), &h), ip("2001:db8:cafe::17"));
        // With `forwarded` configured, X-Forwarded-For is the client's own.
        let h = headers(&[("x-forwarded-for", "9.9.9.9")]);
        assert_eq!(s.client_ip(ip("::1"), &h), ip("::1"));
    }

    #[test]
    fn ipv6_is_keyed_per_64_and_mapped_ipv4_as_ipv4() {
        let a = Client::from_ip(ip("2001:db8:1:2:aaaa::1"));
        let b = Client::from_ip(ip("2001:db8:1:2:ffff:1:2:3"));
        let c = Client::from_ip(ip("2001:db8:1:3::1"));
        assert_eq!(a.key, "2001:db8:1:2::/64");
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, c.key);
        assert_eq!(Client::from_ip(ip("::ffff:192.0.2.1")).key, "192.0.2.1");
    }

    #[test]
    fn bad_settings_are_named() {
        assert!(ClientSettings::behind("10.0.0.0/33", "")
            .unwrap_err()
            .contains("10.0.0.0/33"));
        assert!(ClientSettings::behind("10.0.0.1", "x-real-ip")
            .unwrap_err()
            .contains("x-real-ip"));
        assert!(!ClientSettings::behind("", "").unwrap().behind_proxy());
    }
}
