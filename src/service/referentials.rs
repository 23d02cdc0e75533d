//! The referentials an offer names: weeks (by Monday) and sectors (by uuid). Their rows are
//! only ever added, and a row keeps its id, so whatever was found once is kept in memory: a
//! look-up reaches the database only for what this process has not seen yet (an unknown week
//! or sector is asked again each time, since it may have been seeded since).

use std::collections::HashMap;
use std::sync::RwLock;

use chrono::NaiveDate;
use diesel::PgConnection;

use crate::db::models::Week;
use crate::db::queries::{sectors, weeks};
use crate::domain::week::IsoWeek;
use crate::error::ApiError;

#[derive(Default)]
pub struct Referentials {
    weeks: RwLock<HashMap<NaiveDate, Week>>,
    sectors: RwLock<HashMap<uuid::Uuid, i64>>,
}

impl Referentials {
    /// Every week and sector known now (for a bulk import).
    pub fn load_all(conn: &mut PgConnection) -> Result<Referentials, ApiError> {
        let referentials = Referentials::default();
        referentials.remember_weeks(weeks::all(conn)?);
        if let Ok(mut known) = referentials.sectors.write() {
            known.extend(sectors::all(conn)?.into_iter().map(|s| (s.uuid, s.id)));
        }
        Ok(referentials)
    }

    /// The stored weeks for the partner's list, in its order; the first unknown one is a
    /// 422 `BAD_ARGUMENT`.
    pub fn weeks(
        &self,
        conn: &mut PgConnection,
        wanted: &[IsoWeek],
    ) -> Result<Vec<Week>, ApiError> {
        let mut found = Vec::with_capacity(wanted.len());
        let mut missing = vec![];
        if let Ok(known) = self.weeks.read() {
            for week in wanted {
                match known.get(&week.monday()) {
                    Some(stored) => found.push(*stored),
                    None => missing.push(*week),
                }
            }
        } else {
            missing.extend_from_slice(wanted);
        }
        if !missing.is_empty() {
            let stored = weeks::find_many(conn, &missing)?;
            self.remember_weeks(stored.clone());
            found.extend(stored);
        }
        wanted
            .iter()
            .map(|week| {
                found
                    .iter()
                    .find(|w| w.monday == week.monday())
                    .copied()
                    .ok_or_else(|| ApiError::BadWeek(week.to_string()))
            })
            .collect()
    }

    /// The id of the sector with this uuid, if there is one.
    pub fn sector_id(
        &self,
        conn: &mut PgConnection,
        uuid: uuid::Uuid,
    ) -> Result<Option<i64>, ApiError> {
        if let Some(id) = self.sectors.read().ok().and_then(|k| k.get(&uuid).copied()) {
            return Ok(Some(id));
        }
        let id = sectors::id_by_uuid(conn, uuid)?;
        if let (Some(id), Ok(mut known)) = (id, self.sectors.write()) {
            known.insert(uuid, id);
        }
        Ok(id)
    }

    fn remember_weeks(&self, stored: Vec<Week>) {
        if let Ok(mut known) = self.weeks.write() {
            known.extend(stored.into_iter().map(|w| (w.monday, w)));
        }
    }
}
