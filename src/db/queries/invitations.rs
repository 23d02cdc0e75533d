//! Single-use links to choose a password, found by the SHA-256 of their secret.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::models::Principal;
use crate::db::schema::invitations;

fn subject_filter(
    principal: Principal,
) -> Box<dyn BoxableExpression<invitations::table, diesel::pg::Pg, SqlType = diesel::sql_types::Bool>>
{
    match principal {
        Principal::Account(id) => Box::new(invitations::account_id.eq(id).assume_not_null()),
        Principal::Admin(id) => Box::new(invitations::admin_id.eq(id).assume_not_null()),
    }
}

/// Stores a new invitation; older unused invitations of the same person stop working.
pub fn replace(
    conn: &mut PgConnection,
    principal: Principal,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    let now = Utc::now();
    diesel::update(invitations::table)
        .filter(subject_filter(principal))
        .filter(invitations::used_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .set(invitations::expires_at.eq(now))
        .execute(conn)?;
    let (account_id, admin_id) = match principal {
        Principal::Account(id) => (Some(id), None),
        Principal::Admin(id) => (None, Some(id)),
    };
    diesel::insert_into(invitations::table)
        .values((
            invitations::token_hash.eq(token_hash),
            invitations::account_id.eq(account_id),
            invitations::admin_id.eq(admin_id),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The person an unused, unexpired invitation is for.
pub fn usable(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<Option<Principal>> {
    let row = invitations::table
        .filter(invitations::token_hash.eq(token_hash))
        .filter(invitations::used_at.is_null())
        .filter(invitations::expires_at.gt(Utc::now()))
        .select((invitations::account_id, invitations::admin_id))
        .first::<(Option<i64>, Option<i64>)>(conn)
        .optional()?;
    Ok(row.and_then(|ids| match ids {
        (Some(account_id), _) => Some(Principal::Account(account_id)),
        (None, Some(admin_id)) => Some(Principal::Admin(admin_id)),
        (None, None) => None,
    }))
}

/// Marks the invitation used; false if it was used or expired meanwhile.
pub fn consume(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<bool> {
    let now = Utc::now();
    diesel::update(invitations::table)
        .filter(invitations::token_hash.eq(token_hash))
        .filter(invitations::used_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .set(invitations::used_at.eq(now))
        .execute(conn)
        .map(|updated| updated == 1)
}
