//! OAuth2 client credentials grant (RFC 6749 §4.4): which client is asking, and the access
//! token it receives. Access tokens are random, kept only as their SHA-256.

use chrono::{DateTime, Duration, Utc};
use diesel::PgConnection;

use crate::auth::ACCESS_TOKEN_PREFIX;
use crate::db::queries::oauth::{self, ClientCredentials};
use crate::domain::scope::Scopes;
use crate::error::ApiError;
use crate::secrets::token;

/// How long an access token lives, at most (its client's expiry may end it sooner).
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::seconds(86_400);

/// A token as the token endpoint answers it.
pub struct AccessToken {
    pub token: String,
    pub expires_in: i64,
    pub scopes: Scopes,
}

/// The client asking for a token, if it may: neither revoked nor expired, of an active
/// account. Its secret is checked by the caller (argon2id, bounded).
pub fn client(
    conn: &mut PgConnection,
    client_id: &str,
) -> Result<Option<ClientCredentials>, ApiError> {
    Ok(oauth::credentials(conn, client_id)?)
}

/// The scopes granted: those asked for, which must all belong to the client, or else all of
/// the client's. None when one asked for is unknown or not the client's.
pub fn granted_scopes(client: &ClientCredentials, asked: Option<&str>) -> Option<Scopes> {
    let own = Scopes::parse(&client.client.scopes).unwrap_or_default();
    match asked {
        None => Some(own),
        Some(asked) => Scopes::parse(asked).filter(|scopes| scopes.is_subset_of(own)),
    }
}

/// Issues an access token to the client with these scopes.
pub fn issue(
    conn: &mut PgConnection,
    client: &ClientCredentials,
    scopes: Scopes,
) -> Result<AccessToken, ApiError> {
    let now = Utc::now();
    let expires_at: DateTime<Utc> = client
        .client
        .expires_at
        .map_or(now + ACCESS_TOKEN_LIFETIME, |end| {
            end.min(now + ACCESS_TOKEN_LIFETIME)
        });
    let token = format!("{ACCESS_TOKEN_PREFIX}{}", token::random_secret());
    let hash = token::hash(&token);
    oauth::insert_access_token(
        conn,
        client.client.id,
        &hash,
        &scopes.to_string(),
        expires_at,
    )?;
    oauth::touch_client(conn, client.client.id)?;
    Ok(AccessToken {
        token,
        expires_in: (expires_at - now).num_seconds(),
        scopes,
    })
}
