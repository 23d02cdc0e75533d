//! CSRF protection: a random token kept in the (encrypted) session, written into every
//! form, and compared in constant time before any form is acted upon.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use super::error::PageError;
use crate::secrets::token::random_secret;

const KEY: &str = "csrf";

/// The session's CSRF token, created on first use.
pub fn token(session: &Session) -> Result<String, PageError> {
    if let Some(token) = session.get::<String>(KEY)? {
        return Ok(token);
    }
    renew(session)
}

/// A new CSRF token for the session (at sign-in).
pub fn renew(session: &Session) -> Result<String, PageError> {
    let token = random_secret();
    session.insert(KEY, &token)?;
    Ok(token)
}

fn verify(session: &Session, submitted: &str) -> Result<(), PageError> {
    let expected = session.get::<String>(KEY)?.unwrap_or_default();
    let same = !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()));
    if same {
        Ok(())
    } else {
        Err(PageError::CsrfRejected)
    }
}

#[derive(Deserialize)]
struct Submitted {
    #[serde(default)]
    csrf_token: String,
}

/// A form body (`application/x-www-form-urlencoded`) whose CSRF token matched the
/// session's; otherwise the request ends with the 403 page before anything happens.
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CheckedForm<T> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body
                .await
                .map_err(|_| PageError::Invalid("Formulaire trop volumineux.".into()))?;
            let submitted: Submitted = serde_urlencoded::from_bytes(&body)
                .map_err(|_| PageError::Invalid("Formulaire illisible.".into()))?;
            verify(&session, &submitted.csrf_token)?;
            serde_urlencoded::from_bytes(&body)
                .map(CheckedForm)
                .map_err(|_| PageError::Invalid("Formulaire incomplet ou illisible.".into()))
        })
    }
}

/// A form with no field besides the CSRF token.
#[derive(Debug, Deserialize)]
pub struct NoFields {}
