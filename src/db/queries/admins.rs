use chrono::Utc;
use diesel::prelude::*;

use crate::db::models::Admin;
use crate::db::schema::admins;

pub fn insert(conn: &mut PgConnection, email: &str) -> QueryResult<Admin> {
    diesel::insert_into(admins::table)
        .values(admins::email.eq(email))
        .returning(Admin::as_returning())
        .get_result(conn)
}

/// Every admin, active ones first, by email.
pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Admin>> {
    admins::table
        .order((admins::deactivated_at.is_not_null(), admins::email))
        .select(Admin::as_select())
        .load(conn)
}

/// Deactivates an admin; false if it was already inactive or does not exist.
pub fn deactivate(conn: &mut PgConnection, id: i64) -> QueryResult<bool> {
    diesel::update(admins::table.find(id))
        .filter(admins::deactivated_at.is_null())
        .set(admins::deactivated_at.eq(Utc::now()))
        .execute(conn)
        .map(|updated| updated == 1)
}

pub fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Admin>> {
    admins::table
        .find(id)
        .select(Admin::as_select())
        .first(conn)
        .optional()
}
