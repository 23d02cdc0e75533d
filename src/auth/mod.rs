//! Who is calling: API tokens and the `ApiCall` extractor every partner endpoint takes.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::db;
use crate::db::queries::accounts::{self, TokenOwner};
use crate::error::ApiError;
use crate::request::body::{self as params, Params};
use crate::secrets::token;
use crate::state::AppState;

/// The authenticated partner account behind a request.
#[derive(Debug, Clone)]
pub struct Partner {
    pub account_id: i64,
    pub operator_id: i64,
    pub operator_name: String,
    pub api_full_access: bool,
}

impl From<TokenOwner> for Partner {
    fn from(owner: TokenOwner) -> Self {
        Partner {
            account_id: owner.account_id,
            operator_id: owner.operator_id,
            operator_name: owner.operator_name,
            api_full_access: owner.api_full_access,
        }
    }
}

/// An authenticated partner request with its parameters (query string + body).
/// The token is checked first, so a bad token is a 401 whatever the body holds.
pub struct ApiCall {
    pub partner: Partner,
    pub params: Params,
}

impl FromRequest for ApiCall {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let body = web::Bytes::from_request(&req, &mut payload)
                .await
                .map_err(|_| ApiError::PayloadTooLarge)?;
            let params = params::request_params(&req, body).await;
            let bearer = bearer_text(&req, params.as_ref().ok());
            let partner = authenticate(&req, bearer).await?;
            Ok(ApiCall {
                partner,
                params: params?,
            })
        })
    }
}

/// The `Authorization` header, or else the `token` parameter (which holds `Bearer <token>`);
/// when the body could not be read, the query string alone is looked at.
fn bearer_text(req: &HttpRequest, params: Option<&Params>) -> Option<String> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        return Some(value.to_str().unwrap_or_default().to_owned());
    }
    let token_in = |p: &Params| p.get("token").and_then(|t| t.as_str()).map(str::to_owned);
    match params {
        Some(params) => token_in(params),
        None => params::query_params(req).ok().as_ref().and_then(token_in),
    }
}

fn token_from_bearer(bearer: &str) -> Option<&str> {
    let (scheme, token) = bearer.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

async fn authenticate(req: &HttpRequest, bearer: Option<String>) -> Result<Partner, ApiError> {
    let state = web::Data::<AppState>::extract(req)
        .await
        .map_err(ApiError::internal)?;
    let token = bearer
        .as_deref()
        .and_then(token_from_bearer)
        .ok_or(ApiError::WrongToken)?;
    let hash = token::hash(token);
    let owner = db::run(&state.pool, move |conn| {
        let owner = accounts::find_by_token_hash(conn, &hash)?;
        if let Some(owner) = owner.as_ref().filter(|o| o.last_use_is_stale()) {
            accounts::touch_last_used(conn, owner.account_id)?;
        }
        Ok::<_, ApiError>(owner)
    })
    .await?;
    let partner = Partner::from(owner.ok_or(ApiError::WrongToken)?);
    tracing::Span::current().record("operator_id", partner.operator_id);
    Ok(partner)
}

#[cfg(test)]
mod tests {
    use super::token_from_bearer;

    #[test]
    fn reads_bearer_tokens() {
        assert_eq!(token_from_bearer("Bearer abc"), Some("abc"));
        assert_eq!(token_from_bearer("bearer abc "), Some("abc"));
        assert_eq!(token_from_bearer("Token abc"), None);
        assert_eq!(token_from_bearer("abc"), None);
        assert_eq!(token_from_bearer("Bearer "), None);
    }
}
