//! Web access and token custody: invitations, admins, revealing tokens, catalogue access,
//! deactivation. Every reveal, rotation, access change and deactivation is audited.

use chrono::{DateTime, Duration, Utc};
use diesel::{Connection, PgConnection};
use serde::Serialize;

use super::error::taken_on_unique;
use super::{AdminError, checked_email};
use crate::db::models::Principal;
use crate::db::queries::audit::NewAuditEvent;
use crate::db::queries::{accounts, admins, audit, credentials, invitations, operators};
use crate::domain::audit::AuditAction;
use crate::secrets::token::{self, TokenKey};

/// How long an invitation link works.
pub const INVITATION_LIFETIME: Duration = Duration::hours(72);

/// Who does something, as the audit log names them.
#[derive(Debug, Clone)]
pub struct Actor(String);

impl Actor {
    /// The command line (`monstage …`), run by whoever has the server's configuration.
    pub fn console() -> Actor {
        Actor("console (CLI)".into())
    }

    /// A partner account calling the API.
    pub fn api(account_id: i64) -> Actor {
        Actor(format!("API (compte {account_id})"))
    }

    /// A person signed in to the web pages.
    pub fn person(email: &str) -> Actor {
        Actor(email.to_owned())
    }
}

/// What an audited action is about.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject {
    pub operator_id: Option<i64>,
    pub account_id: Option<i64>,
}

impl Subject {
    pub fn operator(operator_id: i64) -> Subject {
        Subject {
            operator_id: Some(operator_id),
            account_id: None,
        }
    }

    pub fn account(operator_id: i64, account_id: i64) -> Subject {
        Subject {
            operator_id: Some(operator_id),
            account_id: Some(account_id),
        }
    }
}

pub fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    action: AuditAction,
    subject: Subject,
    detail: &str,
) -> Result<(), AdminError> {
    audit::record(
        conn,
        NewAuditEvent {
            actor: &actor.0,
            action: action.code(),
            operator_id: subject.operator_id,
            account_id: subject.account_id,
            detail,
        },
    )?;
    Ok(())
}

fn account_subject(conn: &mut PgConnection, account_id: i64) -> Result<Subject, AdminError> {
    let account = accounts::find(conn, account_id)?
        .ok_or_else(|| AdminError::NotFound(format!("no account {account_id}")))?;
    Ok(Subject::account(account.operator_id, account.id))
}

#[derive(Debug, Serialize)]
pub struct Invitation {
    /// Whom the link is for (pages show it; the CLI's caller already knows it).
    #[serde(skip)]
    pub email: String,
    pub invitation_url: String,
    pub expires_at: DateTime<Utc>,
}

/// A single-use link to choose a password; earlier links of the same person stop working.
pub fn invite(
    conn: &mut PgConnection,
    site_url: &str,
    principal: Principal,
    actor: &Actor,
) -> Result<Invitation, AdminError> {
    let email = credentials::active(conn, principal)?
        .map(|active| active.email)
        .ok_or_else(|| AdminError::NotFound("no such active account or admin".into()))?;
    let secret = token::random_secret();
    let expires_at = Utc::now() + INVITATION_LIFETIME;
    conn.transaction(|conn| {
        invitations::replace(conn, principal, &token::hash(&secret), expires_at)?;
        // An account is named by the subject's columns; an admin only by the detail.
        let (subject, detail) = match principal {
            Principal::Account(id) => (account_subject(conn, id)?, ""),
            Principal::Admin(_) => (Subject::default(), email.as_str()),
        };
        record(conn, actor, AuditAction::InvitationCreated, subject, detail)
    })?;
    Ok(Invitation {
        invitation_url: format!("{}/invitation/{secret}", site_url.trim_end_matches('/')),
        expires_at,
        email,
    })
}

#[derive(Debug, Serialize)]
pub struct CreatedAdmin {
    pub admin_id: i64,
    pub email: String,
    #[serde(flatten)]
    pub invitation: Invitation,
}

/// Creates a platform admin and the invitation link with which they choose a password.
pub fn create_admin(
    conn: &mut PgConnection,
    site_url: &str,
    email: &str,
    actor: &Actor,
) -> Result<CreatedAdmin, AdminError> {
    let email = checked_email(email)?;
    if credentials::email_taken(conn, &email)? {
        return Err(AdminError::EmailTaken(email));
    }
    conn.transaction(|conn| {
        let admin = admins::insert(conn, &email)
            .map_err(taken_on_unique(AdminError::EmailTaken(email.clone())))?;
        record(
            conn,
            actor,
            AuditAction::AdminCreated,
            Subject::default(),
            &email,
        )?;
        let invitation = invite(conn, site_url, Principal::Admin(admin.id), actor)?;
        Ok(CreatedAdmin {
            admin_id: admin.id,
            email: admin.email,
            invitation,
        })
    })
}

/// The clear token of an account, for its owner or an admin.
pub fn reveal_token(
    conn: &mut PgConnection,
    key: &TokenKey,
    account_id: i64,
    actor: &Actor,
) -> Result<String, AdminError> {
    let (operator_id, sealed) = accounts::sealed_token(conn, account_id)?
        .ok_or_else(|| AdminError::NotFound(format!("no account {account_id}")))?;
    let clear = key.open(&sealed).ok_or(AdminError::SealedUnderAnotherKey)?;
    let subject = Subject::account(operator_id, account_id);
    record(conn, actor, AuditAction::TokenRevealed, subject, "")?;
    Ok(clear)
}

/// Grants or withdraws the operator's access to the whole catalogue (search).
pub fn set_full_access(
    conn: &mut PgConnection,
    operator_id: i64,
    full_access: bool,
    actor: &Actor,
) -> Result<(), AdminError> {
    conn.transaction(|conn| {
        if !operators::set_full_access(conn, operator_id, full_access)? {
            return Err(AdminError::NotFound(format!("no operator {operator_id}")));
        }
        let action = if full_access {
            AuditAction::FullAccessGranted
        } else {
            AuditAction::FullAccessWithdrawn
        };
        record(conn, actor, action, Subject::operator(operator_id), "")
    })
}

/// Multiplies the operator's rate limits by `factor` (1 to 1 000; 1 for the defaults).
pub fn set_rate_limit_factor(
    conn: &mut PgConnection,
    operator_id: i64,
    factor: i32,
    actor: &Actor,
) -> Result<(), AdminError> {
    if !(1..=1000).contains(&factor) {
        return Err(AdminError::InvalidRateLimitFactor);
    }
    conn.transaction(|conn| {
        if !operators::set_rate_limit_factor(conn, operator_id, factor)? {
            return Err(AdminError::NotFound(format!("no operator {operator_id}")));
        }
        let detail = format!("×{factor}");
        record(
            conn,
            actor,
            AuditAction::RateLimitsSet,
            Subject::operator(operator_id),
            &detail,
        )
    })
}

/// Deactivates an account: its token gets 401 at once and it can no longer sign in.
pub fn deactivate_account(
    conn: &mut PgConnection,
    account_id: i64,
    actor: &Actor,
) -> Result<(), AdminError> {
    conn.transaction(|conn| {
        let subject = account_subject(conn, account_id)?;
        if !accounts::deactivate(conn, account_id)? {
            return Err(AdminError::AlreadyDeactivated(account_id));
        }
        record(conn, actor, AuditAction::AccountDeactivated, subject, "")
    })
}

/// Reactivates an account with a new token: the token it had when it was deactivated (perhaps
/// because it leaked) stays refused.
pub fn reactivate_account(
    conn: &mut PgConnection,
    key: &TokenKey,
    account_id: i64,
    actor: &Actor,
) -> Result<(), AdminError> {
    let token = key.issue().map_err(AdminError::Crypto)?;
    conn.transaction(|conn| {
        let subject = account_subject(conn, account_id)?;
        if !accounts::reactivate(conn, account_id)? {
            return Err(AdminError::AlreadyActive(account_id));
        }
        accounts::replace_token(conn, account_id, &token.hash, &token.sealed)?;
        record(conn, actor, AuditAction::AccountReactivated, subject, "")
    })
}

/// Deactivates another admin: their session ends and they can no longer sign in. Nobody
/// deactivates themselves, so an admin always remains.
pub fn deactivate_admin(
    conn: &mut PgConnection,
    admin_id: i64,
    by_admin_id: i64,
    actor: &Actor,
) -> Result<(), AdminError> {
    if admin_id == by_admin_id {
        return Err(AdminError::SelfDeactivation);
    }
    conn.transaction(|conn| {
        let admin = admins::find(conn, admin_id)?
            .ok_or_else(|| AdminError::NotFound(format!("no admin {admin_id}")))?;
        if !admins::deactivate(conn, admin_id)? {
            return Err(AdminError::AdminAlreadyDeactivated(admin_id));
        }
        let subject = Subject::default();
        record(
            conn,
            actor,
            AuditAction::AdminDeactivated,
            subject,
            &admin.email,
        )
    })
}
