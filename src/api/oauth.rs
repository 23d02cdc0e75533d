//! `POST /oauth/token`: the OAuth2 client credentials grant (RFC 6749 §4.4). The client
//! authenticates with HTTP Basic (§2.3.1) or with `client_id` and `client_secret` in the
//! form-encoded body; errors are the RFC's (§5.2), in its JSON.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth;
use crate::domain::rate_limit::RouteClass;
use crate::error::{ApiError, ErrorBody, RETRY_AFTER_SECS};
use crate::service::oauth;
use crate::state::AppState;

/// An error of the token endpoint, as RFC 6749 §5.2 names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    InvalidRequest(&'static str),
    InvalidClient,
    InvalidScope,
    UnsupportedGrantType,
    Unavailable,
}

/// The token request's form (RFC 6749 §4.4.2), as the OpenAPI document describes it.
#[derive(ToSchema)]
#[allow(
    dead_code,
    reason = "a schema of the contract; the form is read by `TokenForm`"
)]
pub struct TokenRequestForm {
    /// Toujours `client_credentials`.
    #[schema(example = "client_credentials")]
    pub grant_type: GrantType,
    /// Si non envoyé en HTTP Basic.
    pub client_id: Option<String>,
    /// Si non envoyé en HTTP Basic.
    pub client_secret: Option<String>,
    /// Autorisations demandées, séparées par des espaces (toutes celles du client par défaut).
    #[schema(example = "offers:write offers:read")]
    pub scope: Option<String>,
}

/// The only grant the endpoint knows.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code, reason = "a schema of the contract")]
pub enum GrantType {
    ClientCredentials,
}

/// The RFC's error body.
#[derive(Serialize, ToSchema)]
pub struct TokenErrorBody {
    /// `invalid_request`, `invalid_client`, `invalid_scope`, `unsupported_grant_type`…
    pub error: &'static str,
    pub error_description: &'static str,
}

impl TokenError {
    fn response(self) -> HttpResponse {
        let (status, error, description) = match self {
            TokenError::InvalidRequest(why) => (StatusCode::BAD_REQUEST, "invalid_request", why),
            TokenError::InvalidClient => (
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client inconnu, secret erroné, client révoqué ou expiré",
            ),
            TokenError::InvalidScope => (
                StatusCode::BAD_REQUEST,
                "invalid_scope",
                "autorisation (scope) inconnue ou non accordée à ce client",
            ),
            TokenError::UnsupportedGrantType => (
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "seul grant_type=client_credentials est accepté",
            ),
            TokenError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "service momentanément indisponible, réessayez",
            ),
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        match self {
            TokenError::InvalidClient => {
                response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"monstage\""));
            }
            TokenError::Unavailable => {
                response.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS));
            }
            _ => {}
        }
        response.json(TokenErrorBody {
            error,
            error_description: description,
        })
    }
}

impl From<ApiError> for TokenError {
    fn from(error: ApiError) -> Self {
        if !matches!(error, ApiError::Unavailable) {
            tracing::error!(%error, "token endpoint failed");
        }
        TokenError::Unavailable
    }
}

/// The answer to a granted request.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds (86 400, or less when the client expires sooner).
    pub expires_in: i64,
    /// The scopes granted, space-separated.
    pub scope: String,
}

/// The form's parameters, each at most once (RFC 6749 §3.2).
struct TokenForm(Vec<(String, String)>);

impl TokenForm {
    fn read(req: &HttpRequest, body: &[u8]) -> Result<TokenForm, TokenError> {
        let form_encoded = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form_encoded {
            return Err(TokenError::InvalidRequest(
                "le corps doit être en application/x-www-form-urlencoded",
            ));
        }
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|_| TokenError::InvalidRequest("corps illisible"))?;
        let repeated = pairs
            .iter()
            .enumerate()
            .any(|(i, (key, _))| pairs[..i].iter().any(|(k, _)| k == key));
        if repeated {
            return Err(TokenError::InvalidRequest("paramètre répété"));
        }
        Ok(TokenForm(pairs))
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The client's id and secret, from HTTP Basic or the body (never both).
fn client_credentials(req: &HttpRequest, form: &TokenForm) -> Result<(String, String), TokenError> {
    let in_body = (form.get("client_id"), form.get("client_secret"));
    let Some(authorization) = req.headers().get(header::AUTHORIZATION) else {
        return match in_body {
            (Some(id), Some(secret)) => Ok((id.to_owned(), secret.to_owned())),
            _ => Err(TokenError::InvalidClient),
        };
    };
    if in_body.0.is_some() || in_body.1.is_some() {
        return Err(TokenError::InvalidRequest(
            "identifiants à la fois dans l'en-tête Authorization et dans le corps",
        ));
    }
    basic_credentials(authorization.to_str().unwrap_or_default()).ok_or(TokenError::InvalidClient)
}

/// `Basic base64(urlencoded(id):urlencoded(secret))`.
fn basic_credentials(header_value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header_value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |part: &str| {
        url::form_urlencoded::parse(format!("v={part}").as_bytes())
            .next()
            .map(|(_, value)| value.into_owned())
    };
    Some((unescape(id)?, unescape(secret)?))
}

/// Exchanges a client's credentials for an access token.
#[utoipa::path(
    post,
    path = "/oauth/token",
    request_body(content = TokenRequestForm, content_type = "application/x-www-form-urlencoded",
        description = "grant_type=client_credentials&client_id=…&client_secret=…[&scope=offers:write offers:read] ; \
            client_id et client_secret en HTTP Basic ou dans le formulaire, jamais les deux"),
    responses(
        (status = 200, description = "Jeton d'accès", body = TokenResponse),
        (status = 400, description = "invalid_request, invalid_scope ou unsupported_grant_type", body = TokenErrorBody),
        (status = 401, description = "invalid_client", body = TokenErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE : formulaire trop long", body = ErrorBody),
        (status = 503, description = "temporarily_unavailable : réessayer après `Retry-After` secondes", body = TokenErrorBody,
            headers(("Retry-After" = i64, description = "Secondes"))),
    ),
)]
pub async fn token(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> HttpResponse {
    match admit_address(&req, &state) {
        Err(ApiError::Unavailable) => return TokenError::Unavailable.response(),
        Err(refused) => return refused.error_response(),
        Ok(()) => {}
    }
    match grant(&req, &body, &state).await {
        Ok(granted) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"))
            .json(granted),
        Err(error) => error.response(),
    }
}

/// Counts a request without a token (`POST /oauth/token`) against its client address's limit.
fn admit_address(req: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    if !state.rate_limits.enabled {
        return Ok(());
    }
    let address = crate::client_ip::client_ip(req).map_or("unknown".into(), |ip| ip.to_string());
    let budget = auth::Budget {
        class: RouteClass::Unauthenticated,
        limits: state.rate_limits,
    };
    let rate = auth::count(&state.rate_counter, &format!("ip:{address}"), 1, budget);
    auth::admit_rate(req, rate)
}

async fn grant(
    req: &HttpRequest,
    body: &[u8],
    state: &AppState,
) -> Result<TokenResponse, TokenError> {
    let form = TokenForm::read(req, body)?;
    match form.get("grant_type") {
        None => return Err(TokenError::InvalidRequest("grant_type manquant")),
        Some("client_credentials") => {}
        Some(_) => return Err(TokenError::UnsupportedGrantType),
    }
    let (client_id, secret) = client_credentials(req, &form)?;
    let client = crate::db::run(&state.pool, move |conn| oauth::client(conn, &client_id)).await?;
    let stored = client.as_ref().map(|c| c.secret_hash.clone());
    let matches = state
        .password_checks
        .verify(secret, stored)
        .await
        .map_err(|_| TokenError::Unavailable)?;
    let client = client
        .filter(|_| matches)
        .ok_or(TokenError::InvalidClient)?;
    let scopes = oauth::granted_scopes(&client, form.get("scope").filter(|s| !s.trim().is_empty()))
        .ok_or(TokenError::InvalidScope)?;
    let issued =
        crate::db::run(&state.pool, move |conn| oauth::issue(conn, &client, scopes)).await?;
    Ok(TokenResponse {
        access_token: issued.token,
        token_type: "Bearer",
        expires_in: issued.expires_in,
        scope: issued.scopes.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::basic_credentials;

    #[test]
    fn reads_basic_credentials_url_encoded() {
        let header = format!(
            "Basic {}",
            base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                "my%3Aid:s%2Bcret"
            )
        );
        assert_eq!(
            basic_credentials(&header),
            Some(("my:id".to_owned(), "s+cret".to_owned()))
        );
        assert_eq!(basic_credentials("Bearer abc"), None);
        assert_eq!(basic_credentials("Basic !!!"), None);
    }
}
