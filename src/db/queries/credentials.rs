//! Who may sign in to the web pages, with which password: accounts and admins share one
//! namespace of email addresses.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::models::Principal;
use crate::db::schema::{accounts, admins};

diesel::define_sql_function!(fn lower(text: diesel::sql_types::Varchar) -> diesel::sql_types::Varchar);

/// An active account or admin, as the sign-in form sees it.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub principal: Principal,
    pub email: String,
    pub password_hash: Option<String>,
}

/// The active admin, or else the active account, signing in with `email` (any case).
pub fn by_email(conn: &mut PgConnection, email: &str) -> QueryResult<Option<Credentials>> {
    let email = email.trim().to_lowercase();
    let admin = admins::table
        .filter(lower(admins::email).eq(&email))
        .filter(admins::deactivated_at.is_null())
        .select((admins::id, admins::email, admins::password_hash))
        .first::<(i64, String, Option<String>)>(conn)
        .optional()?;
    if let Some((id, email, password_hash)) = admin {
        return Ok(Some(Credentials {
            principal: Principal::Admin(id),
            email,
            password_hash,
        }));
    }
    let account = accounts::table
        .filter(lower(accounts::email).eq(&email))
        .filter(accounts::deactivated_at.is_null())
        .select((accounts::id, accounts::email, accounts::password_hash))
        .first::<(i64, String, Option<String>)>(conn)
        .optional()?;
    Ok(account.map(|(id, email, password_hash)| Credentials {
        principal: Principal::Account(id),
        email,
        password_hash,
    }))
}

/// An active principal as a session sees it.
#[derive(Debug, Clone)]
pub struct Active {
    pub email: String,
    /// Sessions opened before this are over: the password was changed, or the principal
    /// signed out everywhere.
    pub sessions_valid_after: Option<DateTime<Utc>>,
}

type ActiveRow = (String, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The principal, while it is active (None once deactivated or deleted).
pub fn active(conn: &mut PgConnection, principal: Principal) -> QueryResult<Option<Active>> {
    let row = match principal {
        Principal::Admin(id) => admins::table
            .find(id)
            .filter(admins::deactivated_at.is_null())
            .select((
                admins::email,
                admins::password_changed_at,
                admins::sessions_revoked_at,
            ))
            .first::<ActiveRow>(conn)
            .optional()?,
        Principal::Account(id) => accounts::table
            .find(id)
            .filter(accounts::deactivated_at.is_null())
            .select((
                accounts::email,
                accounts::password_changed_at,
                accounts::sessions_revoked_at,
            ))
            .first::<ActiveRow>(conn)
            .optional()?,
    };
    Ok(row.map(|(email, changed, revoked)| Active {
        email,
        sessions_valid_after: changed.max(revoked),
    }))
}

/// Ends every session of the principal opened until now ("sign out everywhere").
pub fn revoke_sessions(conn: &mut PgConnection, principal: Principal) -> QueryResult<usize> {
    let now = Utc::now();
    match principal {
        Principal::Admin(id) => diesel::update(admins::table.find(id))
            .set(admins::sessions_revoked_at.eq(now))
            .execute(conn),
        Principal::Account(id) => diesel::update(accounts::table.find(id))
            .set(accounts::sessions_revoked_at.eq(now))
            .execute(conn),
    }
}

/// Refuses one session from now on (signing out).
pub fn revoke_session(conn: &mut PgConnection, session_id: uuid::Uuid) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO revoked_sessions (session_id) VALUES ($1) ON CONFLICT DO NOTHING",
    )
    .bind::<diesel::sql_types::Uuid, _>(session_id)
    .execute(conn)
}

#[derive(QueryableByName)]
struct Revoked {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    revoked: bool,
}

/// Whether this session was signed out.
pub fn is_revoked(conn: &mut PgConnection, session_id: uuid::Uuid) -> QueryResult<bool> {
    diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM revoked_sessions WHERE session_id = $1) AS revoked",
    )
    .bind::<diesel::sql_types::Uuid, _>(session_id)
    .get_result::<Revoked>(conn)
    .map(|r| r.revoked)
}

/// Forgets the sessions signed out before `hours` ago (they have expired since).
pub fn trim_revoked_sessions(conn: &mut PgConnection, hours: i32) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM revoked_sessions WHERE revoked_at < now() - make_interval(hours => $1)",
    )
    .bind::<diesel::sql_types::Int4, _>(hours)
    .execute(conn)
}

pub fn set_password(
    conn: &mut PgConnection,
    principal: Principal,
    password_hash: &str,
) -> QueryResult<usize> {
    match principal {
        Principal::Admin(id) => diesel::update(admins::table.find(id))
            .set((
                admins::password_hash.eq(password_hash),
                admins::password_changed_at.eq(Utc::now()),
            ))
            .execute(conn),
        Principal::Account(id) => diesel::update(accounts::table.find(id))
            .set((
                accounts::password_hash.eq(password_hash),
                accounts::password_changed_at.eq(Utc::now()),
            ))
            .execute(conn),
    }
}

/// Whether an admin or an account already uses `email` (any case).
pub fn email_taken(conn: &mut PgConnection, email: &str) -> QueryResult<bool> {
    let email = email.trim().to_lowercase();
    let admin = diesel::select(diesel::dsl::exists(
        admins::table.filter(lower(admins::email).eq(&email)),
    ))
    .get_result::<bool>(conn)?;
    let account = diesel::select(diesel::dsl::exists(
        accounts::table.filter(lower(accounts::email).eq(&email)),
    ))
    .get_result::<bool>(conn)?;
    Ok(admin || account)
}
