use diesel::prelude::*;

use crate::db::models::Student;
use crate::db::schema::students;

pub fn insert(conn: &mut PgConnection, first_name: &str, last_name: &str) -> QueryResult<Student> {
    diesel::insert_into(students::table)
        .values((
            students::first_name.eq(first_name),
            students::last_name.eq(last_name),
        ))
        .returning(Student::as_returning())
        .get_result(conn)
}

pub fn exists(conn: &mut PgConnection, id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(students::table.find(id))).get_result(conn)
}

pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    students::table.count().get_result(conn)
}

/// Deletes a pupil's identity (their traces must be gone: `pupil_traces::roll_up`).
pub fn delete(conn: &mut PgConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(students::table.find(id)).execute(conn)
}
