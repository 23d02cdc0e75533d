//! Migrations: instances migrating together apply each one once, and every migration goes
//! up, down and up again.
use diesel::{PgConnection, RunQueryDsl};

use crate::helpers::empty_database;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(conn: &mut PgConnection, query: &str) -> i64 {
    diesel::sql_query(query)
        .get_result::<Count>(conn)
        .map(|c| c.n)
        .unwrap()
}

#[test]
fn four_instances_migrating_together_apply_each_migration_once() {
    let db = empty_database();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let url = db.url();
            std::thread::spawn(move || {
                let mut conn = <PgConnection as diesel::Connection>::establish(&url).unwrap();
                monstage::db::migrate(&mut conn)
            })
        })
        .collect();
    let applied: Vec<Vec<String>> = runs
        .into_iter()
        .map(|run| {
            run.join()
                .unwrap()
                .expect("every instance migrates without error")
        })
        .collect();
    let total = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count();
    assert_eq!(applied.iter().map(Vec::len).sum::<usize>(), total);
    assert_eq!(applied.iter().filter(|a| !a.is_empty()).count(), 1);
    let conn = &mut db.conn();
    assert_eq!(
        count(conn, "SELECT count(*) AS n FROM __diesel_schema_migrations"),
        i64::try_from(total).unwrap()
    );
}

#[test]
fn every_migration_goes_up_down_and_up_again() {
    let db = empty_database();
    let conn = &mut db.conn();
    let up = monstage::db::migrate(conn).expect("up");
    let down = monstage::db::revert_all(conn).expect("down");
    assert_eq!(down.len(), up.len());
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' \
             AND tablename <> '__diesel_schema_migrations' AND tablename <> 'spatial_ref_sys'"
        ),
        0,
        "every table is dropped"
    );
    assert_eq!(
        monstage::db::migrate(conn).expect("up again").len(),
        up.len()
    );
    monstage::db::seed::referentials(conn).expect("seeds load after a round trip");
}
