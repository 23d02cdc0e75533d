//! The typed request of `GET /api/stats`.

use chrono::{Duration, NaiveDate};

use crate::domain::field_errors::FieldErrors;
use crate::paris_time;
use crate::request::{Fields, Params, read};

/// The longest range `/api/stats` answers for.
pub const MAX_RANGE_DAYS: i64 = 366;

/// `GET /api/stats`: a range of days, `to` today by default and `from` 29 days before `to`.
#[derive(Debug, PartialEq)]
pub struct StatsRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl StatsRequest {
    pub fn read(params: &Params) -> Result<StatsRequest, FieldErrors> {
        Self::read_from(&mut Fields::new(params))
    }

    /// The parameters this request reads (the OpenAPI document lists the same).
    pub fn keys_read() -> Vec<&'static str> {
        read::keys_read_by(Self::read_from)
    }

    fn read_from(f: &mut Fields<'_>) -> Result<StatsRequest, FieldErrors> {
        let (from, to) = (f.date("from"), f.date("to"));
        let mut errors = f.errors().clone();
        errors.clone().into_result()?;
        let to = to.unwrap_or_else(paris_time::today);
        let from = from.unwrap_or(to - Duration::days(29));
        if from > to {
            errors.add("from", "doit précéder ou être égal à to");
        } else if (to - from).num_days() >= MAX_RANGE_DAYS {
            errors.add(
                "to",
                format!("la période ne peut dépasser {MAX_RANGE_DAYS} jours"),
            );
        }
        errors.into_result().map(|()| StatsRequest { from, to })
    }
}
