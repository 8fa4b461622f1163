//! Who is asking: the session cookie, the `Staff` extractor every console
//! handler takes (so none can forget the check), the anti-forgery check
//! every console form post passes, and password hashing.

use std::sync::OnceLock;

use app::domain::staff::{session_alive, StaffMember};
use app::pages::admin::StaffView;
use app::store::staff::StoredSession;
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};

use super::{forbidden, StaffState};
use crate::http::client::{client_of, ClientAddr};
use crate::http::forms::{cookie, same_origin, see_other};
use crate::http::tokens::{random_hex, sha256_hex};

/// The session cookie's name. Served over HTTPS it is a `__Host-` cookie
/// (Secure, Path=/, no Domain: only this exact origin ever sees it). On
/// plain-HTTP loopback during development browsers would drop a Secure
/// cookie, so it goes without the prefix and the flag (see README).
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-hegang_staff"
    } else {
        "hegang_staff"
    }
}

/// The `Set-Cookie` value for a new session (a browser-session cookie:
/// the server ends it after the idle or absolute limit anyway).
pub fn session_cookie(secure: bool, token: &str) -> HeaderValue {
    let flags = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict{flags}",
        cookie_name(secure)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    let flags = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{flags}",
        cookie_name(secure)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The session token from the request, if any (64 hex characters).
pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<String> {
    cookie(headers, cookie_name(secure)).filter(|t| {
        t.len() == 64
            && t.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// A new random session token (32 bytes as hex) and anti-forgery token.
pub fn new_tokens() -> Result<(String, String), getrandom::Error> {
    Ok((random_hex(32)?, random_hex(16)?))
}

/// A signed-in staff member making this request.
pub struct Staff {
    pub member: StaffMember,
    pub department_name: Option<String>,
    /// An administrator set the password: nothing but choosing a new one
    /// (or signing out) is allowed until then.
    pub must_change_password: bool,
    pub session: StoredSession,
    /// The client address, for the access register.
    pub client: String,
}

impl Staff {
    pub fn view(&self) -> StaffView {
        StaffView {
            member: self.member.clone(),
            department_name: self.department_name.clone(),
            csrf: self.session.csrf_token.clone(),
        }
    }

    /// Refuses (403) anyone but an administrator of the credit authority.
    pub fn require_admin(&self) -> Result<(), Box<Response>> {
        super::require(self, self.member.may_administer(), "管理员")
    }

    /// The checks of an administrator's form post: [`Self::check_post`],
    /// then the role.
    pub fn check_admin_post(
        &self,
        headers: &HeaderMap,
        posted_csrf: &str,
    ) -> Result<(), Box<Response>> {
        self.check_post(headers, posted_csrf)?;
        self.require_admin()
    }

    /// The checks of every form post: same origin, and the session's
    /// anti-forgery token posted back (compared in constant time).
    pub fn check_post(&self, headers: &HeaderMap, posted_csrf: &str) -> Result<(), Box<Response>> {
        same_origin(headers)?;
        let expected = self.session.csrf_token.as_bytes();
        if !app::domain::repair_application::constant_time_eq(expected, posted_csrf.as_bytes()) {
            return Err(Box::new(forbidden(
                None,
                "表单已过期或不是从本站提交的，请返回上一页刷新后重试。",
            )));
        }
        Ok(())
    }
}

impl FromRequestParts<StaffState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &StaffState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(addr) = ClientAddr::from_request_parts(parts, state).await;
        let client = client_of(addr);
        // Pages send the visitor to sign in; anything else is refused.
        let refuse = |method: &Method| {
            if *method == Method::GET || *method == Method::HEAD {
                see_other("/admin/login")
            } else {
                forbidden(None, "请先登录。")
            }
        };
        let Some(token) = session_token(&parts.headers, state.secure_cookies) else {
            return Err(refuse(&parts.method));
        };
        let hash = sha256_hex(token.as_bytes());
        let now = Utc::now();
        let session = match state.staff.session(&hash).await {
            Ok(Some(s)) => s,
            Ok(None) => return Err(refuse(&parts.method)),
            Err(e) => return Err(super::Halt::from(e).into_response()),
        };
        if !session_alive(session.created_at, session.last_seen_at, now) {
            let _ = state.staff.end_session(&hash).await;
            return Err(refuse(&parts.method));
        }
        let account = match state.staff.account(session.account_id).await {
            Ok(Some(a)) if !a.disabled => a,
            Ok(_) => return Err(refuse(&parts.method)),
            Err(e) => return Err(super::Halt::from(e).into_response()),
        };
        let path = parts.uri.path();
        if account.must_change_password && path != "/admin/password" && path != "/admin/logout" {
            return Err(
                if parts.method == Method::GET || parts.method == Method::HEAD {
                    see_other("/admin/password")
                } else {
                    forbidden(None, "请先修改管理员为您设置的密码。")
                },
            );
        }
        // Write the "last seen" time at most once a minute.
        if now - session.last_seen_at > Duration::minutes(1) {
            if let Err(e) = state.staff.touch_session(&hash, now).await {
                return Err(super::Halt::from(e).into_response());
            }
        }
        Ok(Staff {
            member: account.member,
            department_name: account.department_name,
            must_change_password: account.must_change_password,
            session,
            client,
        })
    }
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes), as a PHC string.
pub fn hash_password(password: &str) -> Result<String, String> {
    let random = crate::http::tokens::random_16().map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&random).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a stored PHC string. Unknown users are checked
/// against a dummy hash so both take the same time.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash_password("no account has this password").unwrap_or_default());
    let phc = stored.unwrap_or(dummy);
    let ok = PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false);
    ok && stored.is_some()
}

/// Runs Argon2 off the async threads (it takes tens of milliseconds).
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, super::Halt> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| super::Halt::failed(format!("password task: {e}")))
}

/// `password` hashed for storage, off the async threads.
pub async fn hashed(password: String) -> Result<String, super::Halt> {
    blocking(move || hash_password(&password))
        .await?
        .map_err(super::Halt::failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("Hegang-Credit-2026").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Hegang-Credit-2026", Some(&h)));
        assert!(!verify_password("hegang-credit-2026", Some(&h)));
        assert!(!verify_password("Hegang-Credit-2026", None));
    }

    #[test]
    fn cookies_are_host_only_and_secure_over_https() {
        let c = session_cookie(true, "ab");
        let c = c.to_str().unwrap();
        assert!(c.starts_with("__Host-hegang_staff=ab; Path=/;"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
        assert!(!session_cookie(false, "ab")
            .to_str()
            .unwrap()
            .contains("Secure"));
    }
}
