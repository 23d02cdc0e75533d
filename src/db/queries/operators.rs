use diesel::prelude::*;

use crate::db::models::{NewOperator, Operator};
use crate::db::schema::operators;

pub fn insert(conn: &mut PgConnection, name: &str, api_full_access: bool) -> QueryResult<Operator> {
    diesel::insert_into(operators::table)
        .values(NewOperator {
            name,
            api_full_access,
        })
        .returning(Operator::as_returning())
        .get_result(conn)
}

pub fn find_by_name(conn: &mut PgConnection, name: &str) -> QueryResult<Option<Operator>> {
    operators::table
        .filter(operators::name.eq(name))
        .select(Operator::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Operator>> {
    operators::table
        .find(id)
        .select(Operator::as_select())
        .first(conn)
        .optional()
}

pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Operator>> {
    operators::table
        .order(operators::id)
        .select(Operator::as_select())
        .load(conn)
}

/// Operators whose name contains `search` (any case, any accent as typed), by name.
pub fn named_like(conn: &mut PgConnection, search: &str) -> QueryResult<Vec<Operator>> {
    let pattern = format!(
        "%{}%",
        search
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    operators::table
        .filter(operators::name.ilike(pattern))
        .order(operators::name)
        .select(Operator::as_select())
        .load(conn)
}

/// Grants or withdraws access to the whole catalogue; false if no such operator.
pub fn set_full_access(conn: &mut PgConnection, id: i64, full_access: bool) -> QueryResult<bool> {
    diesel::update(operators::table.find(id))
        .set(operators::api_full_access.eq(full_access))
        .execute(conn)
        .map(|updated| updated == 1)
}

/// Sets the factor of the operator's rate limits; false when there is no such operator.
pub fn set_rate_limit_factor(conn: &mut PgConnection, id: i64, factor: i32) -> QueryResult<bool> {
    diesel::update(operators::table.find(id))
        .set(operators::rate_limit_factor.eq(factor))
        .execute(conn)
        .map(|updated| updated == 1)
}
