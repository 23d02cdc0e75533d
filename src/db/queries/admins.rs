use diesel::prelude::*;

use crate::db::models::Admin;
use crate::db::schema::admins;

pub fn insert(conn: &mut PgConnection, email: &str) -> QueryResult<Admin> {
    diesel::insert_into(admins::table)
        .values(admins::email.eq(email))
        .returning(Admin::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Admin>> {
    admins::table
        .find(id)
        .select(Admin::as_select())
        .first(conn)
        .optional()
}

/// Whether the admin has chosen a password.
pub fn has_password(conn: &mut PgConnection, id: i64) -> QueryResult<bool> {
    admins::table
        .find(id)
        .select(admins::password_hash.is_not_null())
        .first(conn)
}
