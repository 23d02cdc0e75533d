//! Who is calling: API tokens, each call counted against its rate limit (`Authenticator`), and
//! the `ApiCall` extractor every partner endpoint takes.

pub mod rate_counter;

use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::db;
use crate::db::queries::accounts::{self, TokenOwner};
use crate::db::queries::oauth;
use crate::domain::rate_limit::{RateLimits, RateState, RouteClass};
use crate::domain::scope::{Scope, Scopes};
use crate::error::ApiError;
use crate::request::body::{self as params, Params};
use crate::secrets::token;
use rate_counter::RateCounter;

/// The authenticated partner account behind a request.
#[derive(Debug, Clone)]
pub struct Partner {
    pub account_id: i64,
    pub operator_id: i64,
    pub operator_name: String,
    pub api_full_access: bool,
    /// What the credential may do: every scope the account is entitled to for a static
    /// token, the token's own scopes for an OAuth access token.
    pub scopes: Scopes,
}

impl Partner {
    fn new(owner: TokenOwner, scopes: Scopes) -> Partner {
        Partner {
            account_id: owner.account_id,
            operator_id: owner.operator_id,
            operator_name: owner.operator_name,
            api_full_access: owner.api_full_access,
            scopes,
        }
    }

    /// A static token's owner: every scope the account is entitled to.
    pub fn with_static_token(owner: TokenOwner) -> Partner {
        let scopes = Scopes::entitled(owner.api_full_access);
        Partner::new(owner, scopes)
    }

    /// An account of the operator acting with every scope it is entitled to (the CLI's import).
    pub fn entitled(account_id: i64, operator: &crate::db::models::Operator) -> Partner {
        Partner {
            account_id,
            operator_id: operator.id,
            operator_name: operator.name.clone(),
            api_full_access: operator.api_full_access,
            scopes: Scopes::entitled(operator.api_full_access),
        }
    }

    /// 403 `INSUFFICIENT_SCOPE` unless the credential holds `scope`; the catalogue first needs
    /// the operator's full access (401 `access denied`, as the original answered).
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if scope.needs_full_access() && !self.api_full_access {
            return Err(ApiError::AccessDenied);
        }
        if self.scopes.contains(scope) {
            Ok(())
        } else {
            Err(ApiError::InsufficientScope(scope))
        }
    }
}

/// Access tokens issued by `POST /oauth/token` start with this; static tokens never do
/// (unless imported so, in which case they are still found).
pub const ACCESS_TOKEN_PREFIX: &str = "ms3e_at_";

/// An authenticated partner request with its parameters (query string + body), as the edge
/// left them (`edge::authenticate`, which checked the token and the route's scope first).
pub struct ApiCall {
    pub partner: Partner,
    pub params: Params,
}

impl FromRequest for ApiCall {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let mut extensions = req.extensions_mut();
        let call = match (
            extensions.remove::<Partner>(),
            extensions.remove::<Params>(),
        ) {
            (Some(partner), Some(params)) => Ok(ApiCall { partner, params }),
            _ => Err(ApiError::internal("a partner route outside the edge")),
        };
        std::future::ready(call)
    }
}

/// The `Authorization` header, or else the `token` parameter (which holds `Bearer <token>`);
/// when the body could not be read, the query string alone is looked at.
pub fn bearer_text(req: &HttpRequest, params: Option<&Params>) -> Option<String> {
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

/// Finds the partner behind a token and counts its request: what the edge needs of the state.
pub struct Authenticator<'a> {
    pub pool: &'a db::DbPool,
    pub limits: RateLimits,
    pub counter: &'a Arc<RateCounter>,
}

impl Authenticator<'_> {
    /// The partner behind a `Bearer` value (the header's text, or the `token` parameter's),
    /// its request counted in `class` (`RateState` is left in the request's extensions, for the
    /// answer's headers); 401 for an unknown token, 429 `RATE_LIMITED` beyond the limit.
    pub async fn partner(
        &self,
        req: &HttpRequest,
        class: RouteClass,
        bearer: Option<String>,
    ) -> Result<Partner, ApiError> {
        let bearer = bearer.ok_or(ApiError::WrongToken)?;
        let budget = Budget {
            class,
            limits: self.limits,
        };
        let counter = self.counter.clone();
        let (partner, rate) = db::run(self.pool, move |conn| {
            authenticate_on(conn, &bearer, budget, &counter)
        })
        .await?
        .ok_or(ApiError::WrongToken)?;
        admit(req, &partner, rate)?;
        Ok(partner)
    }
}

/// Records the caller for the logs and its budget for the answer's headers; refuses a request
/// over the limit.
pub fn admit(
    req: &HttpRequest,
    partner: &Partner,
    rate: Option<RateState>,
) -> Result<(), ApiError> {
    tracing::Span::current().record("operator_id", partner.operator_id);
    rate.map_or(Ok(()), |rate| admit_rate(req, rate))
}

/// Leaves a counted request's budget for the answer's headers; 429 over the limit.
pub fn admit_rate(req: &HttpRequest, rate: RateState) -> Result<(), ApiError> {
    req.extensions_mut().insert(rate);
    if rate.exceeded() {
        return Err(ApiError::RateLimited(rate));
    }
    Ok(())
}

/// What a request spends: its class of route, under the server's limits.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub class: RouteClass,
    pub limits: RateLimits,
}

/// The partner behind a `Bearer` value, read on `conn` (a caller that has more to read in the
/// same checkout), with this request counted (unless limits are off); None for a malformed or
/// unknown token. A stale last use is recorded.
pub fn authenticate_on(
    conn: &mut diesel::PgConnection,
    bearer: &str,
    budget: Budget,
    counter: &RateCounter,
) -> Result<Option<(Partner, Option<RateState>)>, ApiError> {
    let Some(token) = token_from_bearer(bearer) else {
        return Ok(None);
    };
    let hash = token::hash(token);
    let oauth = token.starts_with(ACCESS_TOKEN_PREFIX);
    let found = match oauth.then(|| access_token_owner(conn, &hash)).transpose()? {
        Some(Some(found)) => Some(found),
        _ => static_token_owner(conn, &hash)?,
    };
    let Some((partner, factor, subject)) = found else {
        return Ok(None);
    };
    let rate = budget
        .limits
        .enabled
        .then(|| count(counter, &subject, factor, budget));
    Ok(Some((partner, rate)))
}

/// A caller, the factor of its operator's rate limits, and the subject its requests count for.
type Caller = (Partner, i32, String);

/// The account behind a static token; its last use is recorded.
fn static_token_owner(
    conn: &mut diesel::PgConnection,
    hash: &[u8],
) -> Result<Option<Caller>, ApiError> {
    let Some(owner) = accounts::find_by_token_hash(conn, hash)? else {
        return Ok(None);
    };
    if owner.last_use_is_stale() {
        accounts::touch_last_used(conn, owner.account_id)?;
    }
    let subject = format!("account:{}", owner.account_id);
    let factor = owner.rate_limit_factor;
    Ok(Some((Partner::with_static_token(owner), factor, subject)))
}

/// Counts a request of `subject` in its budget.
pub fn count(counter: &RateCounter, subject: &str, factor: i32, budget: Budget) -> RateState {
    let window_secs = budget.limits.window_secs;
    let (hits, reset_secs) = counter.count(subject, budget.class, window_secs);
    let factor = u32::try_from(factor).unwrap_or(1);
    RateState {
        class: budget.class,
        limit: budget.limits.limit(budget.class, factor),
        hits,
        window_secs,
        reset_secs,
    }
}

/// The partner behind a live OAuth access token; its client's last use is recorded.
fn access_token_owner(
    conn: &mut diesel::PgConnection,
    hash: &[u8],
) -> Result<Option<Caller>, ApiError> {
    let Some((owner, scopes, client)) = oauth::token_owner(conn, hash)? else {
        return Ok(None);
    };
    if owner.last_use_is_stale() {
        oauth::touch_client(conn, client)?;
    }
    // The catalogue also needs the operator's full access, checked by its route.
    let scopes = Scopes::parse(&scopes).unwrap_or_default();
    let factor = owner.rate_limit_factor;
    Ok(Some((
        Partner::new(owner, scopes),
        factor,
        format!("client:{client}"),
    )))
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
