//! OAuth2 clients and the access tokens issued to them (client credentials grant). Secrets are
//! stored as argon2id hashes, access tokens as their SHA-256.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::db::queries::accounts::TokenOwner;
use crate::db::schema::{accounts, oauth_access_tokens, oauth_clients, operators};

/// A client as its owner and the admins see it (never its secret).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = oauth_clients)]
pub struct OauthClient {
    pub id: i64,
    pub client_id: String,
    pub account_id: i64,
    pub name: String,
    pub scopes: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl OauthClient {
    /// Neither revoked nor expired.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = oauth_clients)]
pub struct NewOauthClient<'a> {
    pub client_id: &'a str,
    pub account_id: i64,
    pub name: &'a str,
    pub scopes: &'a str,
    pub secret_hash: &'a str,
    pub expires_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut PgConnection, client: NewOauthClient<'_>) -> QueryResult<OauthClient> {
    diesel::insert_into(oauth_clients::table)
        .values(client)
        .returning(OauthClient::as_returning())
        .get_result(conn)
}

/// The clients of an account, newest first.
pub fn of_account(conn: &mut PgConnection, account_id: i64) -> QueryResult<Vec<OauthClient>> {
    oauth_clients::table
        .filter(oauth_clients::account_id.eq(account_id))
        .order(oauth_clients::id.desc())
        .select(OauthClient::as_select())
        .load(conn)
}

/// A client able to ask for tokens, with its secret's hash and what its operator may do:
/// neither revoked nor expired, of an active account.
pub struct ClientCredentials {
    pub client: OauthClient,
    pub secret_hash: String,
    pub api_full_access: bool,
}

pub fn credentials(
    conn: &mut PgConnection,
    client_id: &str,
) -> QueryResult<Option<ClientCredentials>> {
    let found = oauth_clients::table
        .inner_join(accounts::table.inner_join(operators::table))
        .filter(oauth_clients::client_id.eq(client_id))
        .filter(oauth_clients::revoked_at.is_null())
        .filter(accounts::deactivated_at.is_null())
        .select((
            OauthClient::as_select(),
            oauth_clients::secret_hash,
            operators::api_full_access,
        ))
        .first::<(OauthClient, String, bool)>(conn)
        .optional()?;
    Ok(found
        .filter(|(client, _, _)| client.is_active(Utc::now()))
        .map(|(client, secret_hash, api_full_access)| ClientCredentials {
            client,
            secret_hash,
            api_full_access,
        }))
}

/// Revokes a client (of `account_id` when given): its tokens stop working at once.
pub fn revoke(
    conn: &mut PgConnection,
    client_id: &str,
    account_id: Option<i64>,
) -> QueryResult<Option<OauthClient>> {
    let mut query = diesel::update(oauth_clients::table)
        .filter(oauth_clients::client_id.eq(client_id))
        .filter(oauth_clients::revoked_at.is_null())
        .into_boxed();
    if let Some(account_id) = account_id {
        query = query.filter(oauth_clients::account_id.eq(account_id));
    }
    query
        .set(oauth_clients::revoked_at.eq(Utc::now()))
        .returning(OauthClient::as_returning())
        .get_result(conn)
        .optional()
}

pub fn insert_access_token(
    conn: &mut PgConnection,
    client: i64,
    hash: &[u8],
    scopes: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::insert_into(oauth_access_tokens::table)
        .values((
            oauth_access_tokens::token_hash.eq(hash),
            oauth_access_tokens::client_id.eq(client),
            oauth_access_tokens::scopes.eq(scopes),
            oauth_access_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// The caller behind a live access token: its account, operator and the token's scopes, and
/// the client's row id.
pub fn token_owner(
    conn: &mut PgConnection,
    hash: &[u8],
) -> QueryResult<Option<(TokenOwner, String, i64)>> {
    let now = Utc::now();
    let found = oauth_access_tokens::table
        .inner_join(oauth_clients::table.inner_join(accounts::table.inner_join(operators::table)))
        .filter(oauth_access_tokens::token_hash.eq(hash))
        .filter(oauth_access_tokens::expires_at.gt(now))
        .filter(oauth_clients::revoked_at.is_null())
        .filter(
            oauth_clients::expires_at
                .is_null()
                .or(oauth_clients::expires_at.gt(now)),
        )
        .filter(accounts::deactivated_at.is_null())
        .select((
            accounts::id,
            operators::id,
            operators::name,
            operators::api_full_access,
            oauth_clients::last_used_at,
            oauth_access_tokens::scopes,
            oauth_clients::id,
            operators::rate_limit_factor,
        ))
        .first::<(
            i64,
            i64,
            String,
            bool,
            Option<DateTime<Utc>>,
            String,
            i64,
            i32,
        )>(conn)
        .optional()?;
    Ok(found.map(
        |(
            account_id,
            operator_id,
            operator_name,
            api_full_access,
            last_used,
            scopes,
            client,
            factor,
        )| {
            let owner = TokenOwner {
                account_id,
                operator_id,
                operator_name,
                api_full_access,
                token_last_used_at: last_used,
                rate_limit_factor: factor,
            };
            (owner, scopes, client)
        },
    ))
}

/// Records that a client was used, at most once a minute.
pub fn touch_client(conn: &mut PgConnection, client: i64) -> QueryResult<usize> {
    let now = Utc::now();
    diesel::update(oauth_clients::table.find(client))
        .filter(
            oauth_clients::last_used_at
                .is_null()
                .or(oauth_clients::last_used_at.lt(now - Duration::minutes(1))),
        )
        .set(oauth_clients::last_used_at.eq(now))
        .execute(conn)
}

/// Deletes the access tokens expired for a day or more.
pub fn trim_expired_tokens(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::delete(
        oauth_access_tokens::table
            .filter(oauth_access_tokens::expires_at.lt(Utc::now() - Duration::days(1))),
    )
    .execute(conn)
}
