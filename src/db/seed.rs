//! Reference data: sectors (the 42 documented ones and the 5 added to the doc later) and
//! ISO weeks from 2019 to two years ahead. Idempotent.

use chrono::{Datelike, Utc};
use diesel::PgConnection;
use serde::Serialize;

use crate::db::queries::{sectors, weeks};

const SECTORS: &str = include_str!("../../seeds/sectors.tsv");

#[derive(Debug, Serialize)]
pub struct SeedReport {
    pub sectors: usize,
    pub weeks_added: usize,
    pub weeks_until_year: i32,
}

pub fn referentials(conn: &mut PgConnection) -> Result<SeedReport, String> {
    let mut count = 0;
    for line in SECTORS.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let (uuid, name) = line
            .split_once('\t')
            .ok_or_else(|| format!("bad sector line: {line}"))?;
        let uuid =
            uuid::Uuid::parse_str(uuid).map_err(|e| format!("bad sector uuid {uuid}: {e}"))?;
        sectors::upsert(conn, uuid, name.trim()).map_err(|e| e.to_string())?;
        count += 1;
    }
    let last_year = Utc::now().year() + 2;
    let weeks_added = weeks::seed_until(conn, last_year).map_err(|e| e.to_string())?;
    Ok(SeedReport {
        sectors: count,
        weeks_added,
        weeks_until_year: last_year,
    })
}
