//! Operator and account administration, shared by the CLI and the admin pages.
//! Tokens leave here in clear only in the value returned to the caller, and every
//! issue, reveal, rotation, access change and deactivation is written to the audit log.

pub mod access;
pub mod clients;
mod error;
pub mod privacy;
pub mod webhooks;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::{Connection, PgConnection};
use serde::Serialize;
use validator::ValidateEmail;

use crate::db::models::{Account, NewAccount, Operator};
use crate::db::queries::{accounts, credentials, operators, students};
use crate::domain::audit::AuditAction;
use crate::secrets::token::{IssuedToken, TokenKey};
pub use access::{Actor, Subject};
pub use error::AdminError;
use error::taken_on_unique;

#[derive(Debug, Serialize)]
pub struct CreatedOperator {
    pub operator_id: i64,
    pub account_id: i64,
    pub email: String,
    pub api_token: String,
}

#[derive(Debug, Serialize)]
pub struct CreatedAccount {
    pub account_id: i64,
    pub email: String,
    pub api_token: String,
}

#[derive(Debug, Serialize)]
pub struct RotatedToken {
    pub account_id: i64,
    pub api_token: String,
}

#[derive(Debug, Serialize)]
pub struct AccountSummary {
    pub id: i64,
    pub email: String,
    pub token_created_at: DateTime<Utc>,
    pub token_last_used_at: Option<DateTime<Utc>>,
    pub active: bool,
    pub password_set: bool,
}

#[derive(Debug, Serialize)]
pub struct OperatorSummary {
    pub id: i64,
    pub name: String,
    pub api_full_access: bool,
    pub created_at: DateTime<Utc>,
    pub rate_limit_factor: i32,
    pub accounts: Vec<AccountSummary>,
}

fn issue(key: &TokenKey) -> Result<IssuedToken, AdminError> {
    key.issue().map_err(AdminError::Crypto)
}

pub(crate) fn checked_email(email: &str) -> Result<String, AdminError> {
    let email = email.trim();
    if !email.validate_email() {
        return Err(AdminError::InvalidEmail(email.to_owned()));
    }
    Ok(email.to_owned())
}

fn insert_account(
    conn: &mut PgConnection,
    key: &TokenKey,
    operator_id: i64,
    email: &str,
    actor: &Actor,
) -> Result<(Account, String), AdminError> {
    if credentials::email_taken(conn, email)? {
        return Err(AdminError::EmailTaken(email.to_owned()));
    }
    let token = issue(key)?;
    let new = NewAccount {
        operator_id,
        email,
        token_hash: &token.hash,
        token_ciphertext: &token.sealed,
    };
    let account = accounts::insert(conn, new)
        .map_err(taken_on_unique(AdminError::EmailTaken(email.to_owned())))?;
    let subject = Subject::account(operator_id, account.id);
    access::record(conn, actor, AuditAction::AccountCreated, subject, email)?;
    Ok((account, token.clear))
}

/// Creates a partner organisation and its first API account.
pub fn create_operator(
    conn: &mut PgConnection,
    key: &TokenKey,
    name: &str,
    email: &str,
    full_access: bool,
    actor: &Actor,
) -> Result<CreatedOperator, AdminError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AdminError::InvalidOperatorName);
    }
    let email = checked_email(email)?;
    conn.transaction(|conn| {
        let operator = operators::insert(conn, name, full_access).map_err(taken_on_unique(
            AdminError::OperatorNameTaken(name.to_owned()),
        ))?;
        let subject = Subject::operator(operator.id);
        access::record(conn, actor, AuditAction::OperatorCreated, subject, name)?;
        if full_access {
            access::record(conn, actor, AuditAction::FullAccessGranted, subject, "")?;
        }
        let (account, api_token) = insert_account(conn, key, operator.id, &email, actor)?;
        Ok(CreatedOperator {
            operator_id: operator.id,
            account_id: account.id,
            email: account.email,
            api_token,
        })
    })
}

/// Adds an account to an operator; it shares the operator's offers.
pub fn create_account(
    conn: &mut PgConnection,
    key: &TokenKey,
    operator_id: i64,
    email: &str,
    actor: &Actor,
) -> Result<CreatedAccount, AdminError> {
    let email = checked_email(email)?;
    operators::find(conn, operator_id)?
        .ok_or_else(|| AdminError::NotFound(format!("no operator {operator_id}")))?;
    let (account, api_token) =
        conn.transaction(|conn| insert_account(conn, key, operator_id, &email, actor))?;
    Ok(CreatedAccount {
        account_id: account.id,
        email: account.email,
        api_token,
    })
}

/// Gives an account a new token; the old one stops working at once.
pub fn rotate_token(
    conn: &mut PgConnection,
    key: &TokenKey,
    account_id: i64,
    actor: &Actor,
) -> Result<RotatedToken, AdminError> {
    let token = issue(key)?;
    conn.transaction(|conn| {
        let account = accounts::replace_token(conn, account_id, &token.hash, &token.sealed)?
            .ok_or_else(|| AdminError::NotFound(format!("no account {account_id}")))?;
        let subject = Subject::account(account.operator_id, account.id);
        access::record(conn, actor, AuditAction::TokenRotated, subject, "")
    })?;
    Ok(RotatedToken {
        account_id,
        api_token: token.clear,
    })
}

#[derive(Debug, Serialize)]
pub struct ImportedToken {
    pub account_id: i64,
    pub imported: bool,
}

/// Gives an account a token issued by the original platform, so that the partner's existing
/// integration keeps working unchanged. The token is not echoed back.
pub fn import_token(
    conn: &mut PgConnection,
    key: &TokenKey,
    account_id: i64,
    token: &str,
    actor: &Actor,
) -> Result<ImportedToken, AdminError> {
    let token = key.adopt(token.trim()).map_err(AdminError::InvalidToken)?;
    let account = accounts::replace_token(conn, account_id, &token.hash, &token.sealed)
        .map_err(taken_on_unique(AdminError::TokenTaken))?
        .ok_or_else(|| AdminError::NotFound(format!("no account {account_id}")))?;
    let subject = Subject::account(account.operator_id, account.id);
    access::record(conn, actor, AuditAction::TokenImported, subject, "")?;
    Ok(ImportedToken {
        account_id,
        imported: true,
    })
}

/// Operators (those whose name contains `search`, when given) with their accounts.
pub fn list_operators(
    conn: &mut PgConnection,
    search: Option<&str>,
) -> Result<Vec<OperatorSummary>, AdminError> {
    let found = match search.map(str::trim).filter(|s| !s.is_empty()) {
        Some(search) => operators::named_like(conn, search)?,
        None => operators::all(conn)?,
    };
    let ids: Vec<i64> = found.iter().map(|o| o.id).collect();
    let mut by_operator: HashMap<i64, Vec<AccountSummary>> = HashMap::new();
    for account in accounts::for_operators(conn, &ids)? {
        by_operator
            .entry(account.operator_id)
            .or_default()
            .push(account.into());
    }
    Ok(found
        .into_iter()
        .map(|operator: Operator| OperatorSummary {
            accounts: by_operator.remove(&operator.id).unwrap_or_default(),
            id: operator.id,
            name: operator.name,
            api_full_access: operator.api_full_access,
            created_at: operator.created_at,
            rate_limit_factor: operator.rate_limit_factor,
        })
        .collect())
}

impl From<Account> for AccountSummary {
    fn from(a: Account) -> Self {
        AccountSummary {
            id: a.id,
            email: a.email,
            token_created_at: a.token_created_at,
            token_last_used_at: a.token_last_used_at,
            active: a.deactivated_at.is_none(),
            password_set: a.password_set,
        }
    }
}

/// The demo operator of `make run`: created once; its token is returned only then.
pub fn ensure_demo_operator(
    conn: &mut PgConnection,
    key: &TokenKey,
) -> Result<Option<CreatedOperator>, AdminError> {
    const DEMO_NAME: &str = "Opérateur de démonstration";
    if operators::find_by_name(conn, DEMO_NAME)?.is_some() {
        return Ok(None);
    }
    create_operator(
        conn,
        key,
        DEMO_NAME,
        "demo@monstage.localhost",
        true,
        &Actor::console(),
    )
    .map(Some)
}

/// The demo admin of `make run`, and a fresh invitation link while it has no password.
pub fn ensure_demo_admin(
    conn: &mut PgConnection,
    site_url: &str,
) -> Result<Option<access::Invitation>, AdminError> {
    const DEMO_EMAIL: &str = "admin@monstage.localhost";
    let actor = Actor::console();
    match credentials::by_email(conn, DEMO_EMAIL)? {
        None => access::create_admin(conn, site_url, DEMO_EMAIL, &actor)
            .map(|created| Some(created.invitation)),
        Some(found) if found.password_hash.is_none() => {
            access::invite(conn, site_url, found.principal, &actor).map(Some)
        }
        Some(_) => Ok(None),
    }
}

#[derive(Debug, Serialize)]
pub struct CreatedStudent {
    pub student_id: i64,
}

/// Creates a pupil of the platform (first and last name, 1 to 80 characters each).
pub fn create_student(
    conn: &mut PgConnection,
    first_name: &str,
    last_name: &str,
) -> Result<CreatedStudent, AdminError> {
    let (first_name, last_name) = (first_name.trim(), last_name.trim());
    let valid = |name: &str| (1..=80).contains(&name.chars().count());
    if !valid(first_name) || !valid(last_name) {
        return Err(AdminError::InvalidStudentName);
    }
    let student = students::insert(conn, first_name, last_name)?;
    Ok(CreatedStudent {
        student_id: student.id,
    })
}

/// The demo pupils of `make run`, created when there are no pupils yet; their ids.
pub fn ensure_demo_students(conn: &mut PgConnection) -> Result<Vec<i64>, AdminError> {
    if students::count(conn)? > 0 {
        return Ok(vec![]);
    }
    [
        ("Camille", "Martin"),
        ("Yanis", "Bernard"),
        ("Inès", "Petit"),
    ]
    .iter()
    .map(|(first, last)| create_student(conn, first, last).map(|s| s.student_id))
    .collect()
}
