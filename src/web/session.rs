//! Who is signed in: the session cookie (encrypted and signed, HttpOnly, SameSite=Lax)
//! holds the principal, the time of sign-in, the session's id and the CSRF token; every
//! request checks in the database that the principal is still active, that the session was
//! not signed out (`revoked_sessions`) and that it was opened after the last password change
//! or "sign out everywhere".

use std::future::Future;
use std::pin::Pin;

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionExt, SessionMiddleware};
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::{Duration, Utc};

use super::csrf;
use super::error::PageError;
use super::layout::Viewer;
use crate::db;
use crate::db::models::Principal;
use crate::db::queries::credentials;
use crate::state::AppState;

const COOKIE_NAME: &str = "monstage_session";
const PRINCIPAL: &str = "principal";
const SIGNED_IN_AT: &str = "signed_in_at";
const SESSION_ID: &str = "session_id";
const NOTICE: &str = "notice";

/// A session lasts at most this long after sign-in, whatever the browser keeps.
pub const MAX_SESSION_AGE: Duration = Duration::hours(12);

pub fn middleware(state: &AppState) -> SessionMiddleware<CookieSessionStore> {
    // HKDF-SHA256 from the token key: one secret to keep, two independent keys.
    let key = Key::derive_from(state.token_key.master_bytes());
    SessionMiddleware::builder(CookieSessionStore::default(), key)
        .cookie_name(COOKIE_NAME.into())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_secure(state.secure_cookies)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(BrowserSession::default())
        .build()
}

/// Starts a signed-in session: a new session (against fixation) with a new CSRF token.
pub fn sign_in(session: &Session, principal: Principal) -> Result<(), PageError> {
    end(session);
    session.insert(PRINCIPAL, principal)?;
    session.insert(SIGNED_IN_AT, Utc::now().timestamp_millis())?;
    session.insert(SESSION_ID, uuid::Uuid::new_v4())?;
    csrf::renew(session)?;
    Ok(())
}

/// Forgets everything the session held and gives it a new identity (unlike `purge`, which
/// would ignore what the same request inserts afterwards, such as a CSRF token).
pub fn end(session: &Session) {
    session.clear();
    session.renew();
}

/// The page to land on after signing in.
pub fn home_of(principal: Principal) -> &'static str {
    match principal {
        Principal::Admin(_) => "/admin/operateurs",
        Principal::Account(_) => "/mon-compte/api",
    }
}

/// A one-time message for the next page.
pub fn set_notice(session: &Session, text: &str) -> Result<(), PageError> {
    session.insert(NOTICE, text)?;
    Ok(())
}

pub fn take_notice(session: &Session) -> Option<String> {
    session.remove_as::<String>(NOTICE).and_then(Result::ok)
}

/// The session's principal, when it signed in (Unix milliseconds) and the session's id,
/// unless the session is too old.
fn signed_in_principal(
    session: &Session,
) -> Result<Option<(Principal, i64, uuid::Uuid)>, PageError> {
    let principal = session.get::<Principal>(PRINCIPAL)?;
    let since = session.get::<i64>(SIGNED_IN_AT)?.unwrap_or(0);
    let id = session.get::<uuid::Uuid>(SESSION_ID)?.unwrap_or_default();
    let fresh = Utc::now().timestamp_millis() - since < MAX_SESSION_AGE.num_milliseconds();
    Ok(principal.filter(|_| fresh).map(|p| (p, since, id)))
}

/// The session's id (to sign it out).
pub fn id_of(session: &Session) -> Option<uuid::Uuid> {
    session.get::<uuid::Uuid>(SESSION_ID).ok().flatten()
}

/// The principal of the session, if any, still active and signed in since its password
/// was last chosen.
pub async fn current(req: &HttpRequest, session: &Session) -> Result<Option<SignedIn>, PageError> {
    let Some((principal, since, id)) = signed_in_principal(session)? else {
        return Ok(None);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| PageError::internal("no app state"))?;
    let active = db::run(&state.pool, move |conn| {
        if credentials::is_revoked(conn, id)? {
            return Ok(None);
        }
        credentials::active(conn, principal).map_err(PageError::from)
    })
    .await?;
    let still_valid = |a: &credentials::Active| {
        a.sessions_valid_after
            .is_none_or(|after| after.timestamp_millis() <= since)
    };
    let Some(active) = active.filter(still_valid) else {
        end(session);
        return Ok(None);
    };
    Ok(Some(SignedIn {
        principal,
        email: active.email,
        csrf: csrf::token(session)?,
        session: session.clone(),
    }))
}

/// A signed-in admin or account; otherwise the request goes to the sign-in page.
pub struct SignedIn {
    pub principal: Principal,
    pub email: String,
    pub csrf: String,
    pub session: Session,
}

impl SignedIn {
    pub fn viewer(&self) -> Viewer<'_> {
        Viewer {
            email: &self.email,
            is_admin: matches!(self.principal, Principal::Admin(_)),
            csrf: &self.csrf,
        }
    }

    /// The admin's id, when an admin is signed in.
    pub fn admin_id(&self) -> Option<i64> {
        match self.principal {
            Principal::Admin(id) => Some(id),
            Principal::Account(_) => None,
        }
    }

    pub fn actor(&self) -> crate::admin::Actor {
        crate::admin::Actor::person(&self.email)
    }

    pub fn take_notice(&self) -> Option<String> {
        take_notice(&self.session)
    }
}

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let session = req.get_session();
            current(&req, &session)
                .await?
                .ok_or(PageError::SignInRequired)
        })
    }
}

/// A signed-in platform admin; anyone else signed in gets the 403 page.
pub struct AdminUser(pub SignedIn);

impl FromRequest for AdminUser {
    type Error = PageError;
    type Future = Narrowed<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        narrowed(req, payload, |user| match user.principal {
            Principal::Admin(_) => Ok(AdminUser(user)),
            Principal::Account(_) => Err(PageError::Forbidden),
        })
    }
}

type Narrowed<T> = Pin<Box<dyn Future<Output = Result<T, PageError>>>>;

/// `SignedIn`, then `narrow` decides whether this kind of user may see the page.
fn narrowed<T: 'static>(
    req: &HttpRequest,
    payload: &mut Payload,
    narrow: fn(SignedIn) -> Result<T, PageError>,
) -> Narrowed<T> {
    let signed_in = SignedIn::from_request(req, payload);
    Box::pin(async move { narrow(signed_in.await?) })
}

/// A signed-in operator account (admins have no token and go to their own pages).
pub struct AccountUser {
    pub account_id: i64,
    pub user: SignedIn,
}

impl FromRequest for AccountUser {
    type Error = PageError;
    type Future = Narrowed<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        narrowed(req, payload, |user| match user.principal {
            Principal::Account(account_id) => Ok(AccountUser { account_id, user }),
            Principal::Admin(_) => Err(PageError::ElsewhereFor("/admin/operateurs")),
        })
    }
}
