//! OAuth2 clients of an account, shared by the CLI and the pages: created with their scopes
//! and an optional expiry (the secret is shown once and kept as an argon2id hash), listed,
//! revoked at once. Every step is audited.

use chrono::{DateTime, Duration, Utc};
use diesel::{Connection, PgConnection};
use serde::Serialize;

use super::AdminError;
use super::access::{self, Actor, Subject};
use crate::db::queries::oauth::{self, NewOauthClient, OauthClient};
use crate::db::queries::{accounts, operators};
use crate::domain::audit::AuditAction;
use crate::domain::scope::Scopes;
use crate::secrets::{password, token};

/// What a new client's owner receives, once.
#[derive(Debug, Serialize)]
pub struct CreatedClient {
    pub client_id: String,
    pub client_secret: String,
    /// Space-separated, as in OAuth2.
    pub scopes: String,
}

/// A client as it is listed: never its secret.
#[derive(Debug, Serialize)]
pub struct ClientSummary {
    pub client_id: String,
    pub name: String,
    pub scopes: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub active: bool,
}

impl From<OauthClient> for ClientSummary {
    fn from(client: OauthClient) -> Self {
        ClientSummary {
            active: client.is_active(Utc::now()),
            client_id: client.client_id,
            name: client.name,
            scopes: client.scopes,
            expires_at: client.expires_at,
            last_used_at: client.last_used_at,
            revoked_at: client.revoked_at,
            created_at: client.created_at,
        }
    }
}

/// What a new client is asked for.
pub struct ClientRequest<'a> {
    pub name: &'a str,
    /// Space-separated scopes; all those the account is entitled to when None.
    pub scopes: Option<&'a str>,
    pub expires_in_days: Option<u32>,
}

/// The scopes asked for, among those the operator is entitled to.
fn checked_scopes(asked: Option<&str>, full_access: bool) -> Result<Scopes, AdminError> {
    let entitled = Scopes::entitled(full_access);
    let Some(asked) = asked.filter(|text| !text.trim().is_empty()) else {
        return Ok(entitled);
    };
    let scopes = Scopes::parse(asked)
        .ok_or_else(|| AdminError::InvalidClient(format!("unknown scope in « {asked} »")))?;
    if !scopes.is_subset_of(entitled) {
        return Err(AdminError::InvalidClient(
            "catalogue:read needs the operator's full access".into(),
        ));
    }
    Ok(scopes)
}

pub fn create(
    conn: &mut PgConnection,
    account_id: i64,
    request: ClientRequest<'_>,
    actor: &Actor,
) -> Result<CreatedClient, AdminError> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AdminError::InvalidClient(
            "a client's name must have 1 to 100 characters".into(),
        ));
    }
    let account = accounts::find(conn, account_id)?
        .filter(|account| account.deactivated_at.is_none())
        .ok_or_else(|| AdminError::NotFound(format!("no active account {account_id}")))?;
    let operator = operators::find(conn, account.operator_id)?
        .ok_or_else(|| AdminError::NotFound("no such operator".into()))?;
    let scopes = checked_scopes(request.scopes, operator.api_full_access)?.to_string();
    let expires_at = request
        .expires_in_days
        .map(|days| Utc::now() + Duration::days(i64::from(days.clamp(1, 3650))));
    let client_id = format!("ms3e_client_{}", &token::random_secret()[..16]);
    let client_secret = format!("ms3e_secret_{}", token::random_secret());
    let secret_hash = password::hash(&client_secret).map_err(AdminError::Crypto)?;
    conn.transaction(|conn| {
        let new = NewOauthClient {
            client_id: &client_id,
            account_id,
            name,
            scopes: &scopes,
            secret_hash: &secret_hash,
            expires_at,
        };
        oauth::insert(conn, new)?;
        let subject = Subject::account(account.operator_id, account_id);
        let detail = format!("{client_id} « {name} » ({scopes})");
        access::record(conn, actor, AuditAction::ClientCreated, subject, &detail)
    })?;
    Ok(CreatedClient {
        client_id,
        client_secret,
        scopes,
    })
}

pub fn list(conn: &mut PgConnection, account_id: i64) -> Result<Vec<ClientSummary>, AdminError> {
    Ok(oauth::of_account(conn, account_id)?
        .into_iter()
        .map(ClientSummary::from)
        .collect())
}

/// Revokes a client (only one of `account_id`, when given): its tokens stop working at once.
pub fn revoke(
    conn: &mut PgConnection,
    client_id: &str,
    account_id: Option<i64>,
    actor: &Actor,
) -> Result<ClientSummary, AdminError> {
    conn.transaction(|conn| {
        let client = oauth::revoke(conn, client_id, account_id)?
            .ok_or_else(|| AdminError::NotFound(format!("no active client {client_id}")))?;
        let operator_id = accounts::find(conn, client.account_id)?.map(|a| a.operator_id);
        let subject = Subject {
            operator_id,
            account_id: Some(client.account_id),
        };
        access::record(conn, actor, AuditAction::ClientRevoked, subject, client_id)?;
        Ok(ClientSummary::from(client))
    })
}
