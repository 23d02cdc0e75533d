use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::models::Week;
use crate::db::schema::weeks;
use crate::domain::week::IsoWeek;

/// The stored weeks among `wanted`, in any order.
pub fn find_many(conn: &mut PgConnection, wanted: &[IsoWeek]) -> QueryResult<Vec<Week>> {
    if wanted.is_empty() {
        return Ok(vec![]);
    }
    let mondays: Vec<NaiveDate> = wanted.iter().map(IsoWeek::monday).collect();
    weeks::table
        .filter(weeks::monday.eq_any(mondays))
        .select(Week::as_select())
        .load(conn)
}

/// Every stored week.
pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Week>> {
    weeks::table
        .order(weeks::monday)
        .select(Week::as_select())
        .load(conn)
}

/// The weeks that end on or after `from` and start on or before `to`.
pub fn overlapping(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Week>> {
    let earliest_monday = from - chrono::Duration::days(6);
    weeks::table
        .filter(weeks::monday.ge(earliest_monday).and(weeks::monday.le(to)))
        .order(weeks::monday)
        .select(Week::as_select())
        .load(conn)
}

/// Seeds every ISO week from 2019 to `last_year` (W53 only where it exists).
pub fn seed_until(conn: &mut PgConnection, last_year: i32) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO weeks (year, number, monday)
         SELECT extract(isoyear FROM d)::int, extract(week FROM d)::int, d::date
         FROM generate_series(date '2018-12-31', make_date($1, 12, 28), interval '7 days') AS d
         ON CONFLICT DO NOTHING",
    )
    .bind::<diesel::sql_types::Integer, _>(last_year)
    .execute(conn)
}

/// Which of these week ids exist.
pub fn find_ids(conn: &mut PgConnection, ids: &[i32]) -> QueryResult<Vec<i32>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    weeks::table
        .filter(weeks::id.eq_any(ids))
        .select(weeks::id)
        .load(conn)
}

/// The ISO labels (`2027-W10`) of these week ids.
pub fn labels(conn: &mut PgConnection, ids: &[i32]) -> QueryResult<Vec<(i32, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let found: Vec<(i32, i32, i32)> = weeks::table
        .filter(weeks::id.eq_any(ids))
        .select((weeks::id, weeks::year, weeks::number))
        .load(conn)?;
    Ok(found
        .into_iter()
        .map(|(id, year, number)| (id, format!("{year}-W{number:02}")))
        .collect())
}
