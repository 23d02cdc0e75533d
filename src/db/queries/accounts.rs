use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::db::models::{Account, NewAccount};
use crate::db::schema::{accounts, operators};

/// The caller behind a valid token: its account and operator.
#[derive(Debug, Clone, Queryable)]
pub struct TokenOwner {
    pub account_id: i64,
    pub operator_id: i64,
    pub operator_name: String,
    pub api_full_access: bool,
    pub token_last_used_at: Option<DateTime<Utc>>,
    /// The operator's rate limits are multiplied by this (an admin raises it).
    pub rate_limit_factor: i32,
}

/// How often the last use of a token is recorded.
const LAST_USE_PRECISION: Duration = Duration::minutes(1);

impl TokenOwner {
    /// Whether the recorded last use is missing or older than `LAST_USE_PRECISION`.
    pub fn last_use_is_stale(&self) -> bool {
        self.token_last_used_at
            .is_none_or(|at| at < Utc::now() - LAST_USE_PRECISION)
    }
}

pub fn insert(conn: &mut PgConnection, account: NewAccount<'_>) -> QueryResult<Account> {
    diesel::insert_into(accounts::table)
        .values(account)
        .returning(Account::as_returning())
        .get_result(conn)
}

#[diesel::dsl::auto_type(no_type_alias)]
/// The active account whose token has this hash, with its operator (the benchmark renders its SQL).
pub fn token_lookup<'a>(hash: &'a [u8]) -> _ {
    accounts::table
        .inner_join(operators::table)
        .filter(accounts::token_hash.eq(hash))
        .filter(accounts::deactivated_at.is_null())
        .select((
            accounts::id,
            operators::id,
            operators::name,
            operators::api_full_access,
            accounts::token_last_used_at,
            operators::rate_limit_factor,
        ))
        .limit(1_i64)
}

/// The active account whose token has this hash.
pub fn find_by_token_hash(conn: &mut PgConnection, hash: &[u8]) -> QueryResult<Option<TokenOwner>> {
    token_lookup(hash).get_result(conn).optional()
}

/// Records that the token was used, at most once per `LAST_USE_PRECISION`.
pub fn touch_last_used(conn: &mut PgConnection, account_id: i64) -> QueryResult<usize> {
    let now = Utc::now();
    diesel::update(accounts::table.find(account_id))
        .filter(
            accounts::token_last_used_at
                .is_null()
                .or(accounts::token_last_used_at.lt(now - LAST_USE_PRECISION)),
        )
        .set(accounts::token_last_used_at.eq(now))
        .execute(conn)
}

/// Replaces the token of an account; the old one stops working at once.
pub fn replace_token(
    conn: &mut PgConnection,
    account_id: i64,
    hash: &[u8],
    ciphertext: &[u8],
) -> QueryResult<Option<Account>> {
    diesel::update(accounts::table.find(account_id))
        .set((
            accounts::token_hash.eq(hash),
            accounts::token_ciphertext.eq(ciphertext),
            accounts::token_created_at.eq(Utc::now()),
            accounts::token_last_used_at.eq(None::<chrono::DateTime<Utc>>),
        ))
        .returning(Account::as_returning())
        .get_result(conn)
        .optional()
}

/// The accounts of these operators, by operator then creation.
pub fn for_operators(conn: &mut PgConnection, operator_ids: &[i64]) -> QueryResult<Vec<Account>> {
    accounts::table
        .filter(accounts::operator_id.eq_any(operator_ids))
        .order((accounts::operator_id, accounts::id))
        .select(Account::as_select())
        .load(conn)
}

pub fn find(conn: &mut PgConnection, account_id: i64) -> QueryResult<Option<Account>> {
    accounts::table
        .find(account_id)
        .select(Account::as_select())
        .first(conn)
        .optional()
}

/// The operator of an account and its token, sealed under the server key.
pub fn sealed_token(
    conn: &mut PgConnection,
    account_id: i64,
) -> QueryResult<Option<(i64, Vec<u8>)>> {
    accounts::table
        .find(account_id)
        .select((accounts::operator_id, accounts::token_ciphertext))
        .first(conn)
        .optional()
}

/// Deactivates an account: its token and its password stop working at once. False if it
/// was already inactive or does not exist.
pub fn deactivate(conn: &mut PgConnection, account_id: i64) -> QueryResult<bool> {
    diesel::update(accounts::table.find(account_id))
        .filter(accounts::deactivated_at.is_null())
        .set(accounts::deactivated_at.eq(Utc::now()))
        .execute(conn)
        .map(|updated| updated == 1)
}

/// Reactivates a deactivated account; false if it was active or does not exist.
pub fn reactivate(conn: &mut PgConnection, account_id: i64) -> QueryResult<bool> {
    diesel::update(accounts::table.find(account_id))
        .filter(accounts::deactivated_at.is_not_null())
        .set(accounts::deactivated_at.eq(None::<DateTime<Utc>>))
        .execute(conn)
        .map(|updated| updated == 1)
}
