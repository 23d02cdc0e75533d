//! One authentication per request: the caller of a route that needs a token, its request
//! counted, its parameters read, the route's scope checked. A token in the `Authorization`
//! header is checked before the body is read, so a bad token is a 401 whatever the body holds;
//! the original's `token` parameter is looked for in the body once it is read.

use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::http::header;

use super::route::{Access, Resolved};
use crate::auth;
use crate::domain::rate_limit::RouteClass;
use crate::error::ApiError;
use crate::request::body::{self, MAX_BODY_BYTES};
use crate::state::AppState;

/// Leaves the `auth::Partner` and the request's `Params` in its extensions (for `ApiCall`), and
/// the body in place (for the idempotency key's fingerprint).
pub async fn caller(
    req: &mut ServiceRequest,
    resolved: Resolved,
    state: &AppState,
) -> Result<(), ApiError> {
    let facts = resolved.facts;
    if facts.access == Access::Open {
        return Ok(());
    }
    let class = facts.class.unwrap_or(RouteClass::Read);
    let authenticator = state.authenticator();
    let mut known = None;
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let bearer = value.to_str().unwrap_or_default().to_owned();
        known = Some(
            authenticator
                .partner(req.request(), class, Some(bearer))
                .await?,
        );
    }
    let limit = facts.body_limit.unwrap_or(MAX_BODY_BYTES);
    let bytes = body::read_limited(&mut req.take_payload(), limit).await?;
    let params = body::request_params(req.request(), bytes.clone()).await;
    let partner = match known {
        Some(partner) => partner,
        None => {
            let bearer = auth::bearer_text(req.request(), params.as_ref().ok());
            authenticator.partner(req.request(), class, bearer).await?
        }
    };
    let params = params?;
    // A listing with its search parameters in the body answers as the search.
    let resolved = resolved.searching_by(&params).unwrap_or(resolved);
    if let Access::Token(Some(scope)) = resolved.facts.access {
        partner.require(scope)?;
    }
    let mut extensions = req.extensions_mut();
    extensions.insert(resolved);
    extensions.insert(partner);
    extensions.insert(params);
    drop(extensions);
    req.set_payload(Payload::from(bytes));
    Ok(())
}
