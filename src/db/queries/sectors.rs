use diesel::prelude::*;

use crate::db::models::Sector;
use crate::db::schema::sectors;

pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Sector>> {
    sectors::table
        .order(sectors::id)
        .select(Sector::as_select())
        .load(conn)
}

pub fn id_by_uuid(conn: &mut PgConnection, uuid: uuid::Uuid) -> QueryResult<Option<i64>> {
    sectors::table
        .filter(sectors::uuid.eq(uuid))
        .select(sectors::id)
        .first(conn)
        .optional()
}

/// Inserts the sector or renames it; the uuid is the key.
pub fn upsert(conn: &mut PgConnection, uuid: uuid::Uuid, name: &str) -> QueryResult<usize> {
    diesel::insert_into(sectors::table)
        .values((sectors::uuid.eq(uuid), sectors::name.eq(name)))
        .on_conflict(sectors::uuid)
        .do_update()
        .set(sectors::name.eq(name))
        .execute(conn)
}

pub fn name_of(conn: &mut PgConnection, id: i64) -> QueryResult<Option<String>> {
    sectors::table
        .find(id)
        .select(sectors::name)
        .first(conn)
        .optional()
}
