//! New offers written together, as the bulk import and the bulk endpoint write them: each one
//! read and checked exactly as `POST /api/internship_offers` checks it (against the
//! referentials), then all written with a few statements (offers, weeks, events).

use chrono::Utc;
use diesel::{Connection, PgConnection, QueryResult};
use serde_json::{Map, Value};

use crate::auth::Partner;
use crate::db::models::Week;
use crate::db::queries::{offer_events, offers, weeks};
use crate::domain::offer::ValidOffer;
use crate::domain::offer_event::OfferChange;
use crate::domain::week::default_window;
use crate::error::ApiError;
use crate::request::offers::CreateOfferRequest;
use crate::service::offers::{Creation, sent_sector};
use crate::service::referentials::Referentials;
use crate::service::upsert::wrap;

/// A checked new offer and its weeks.
pub type NewOffer = (ValidOffer, Vec<i32>);

/// What new offers of one partner are checked against.
pub struct BatchCreator<'a> {
    pub partner: &'a Partner,
    pub referentials: &'a Referentials,
    /// The weeks of an offer sent without any (the school year's window).
    pub default_weeks: &'a [Week],
}

/// The weeks an offer sent without any gets today.
pub fn default_weeks(conn: &mut PgConnection) -> QueryResult<Vec<Week>> {
    let (from, to) = default_window(Utc::now().date_naive());
    weeks::overlapping(conn, from, to)
}

impl BatchCreator<'_> {
    /// One new offer's fields, read and checked as the API would.
    pub fn check(
        &self,
        conn: &mut PgConnection,
        fields: Map<String, Value>,
    ) -> Result<NewOffer, ApiError> {
        let request = CreateOfferRequest::read(&wrap(fields))?;
        let offer_weeks = match request.fields.weeks.as_deref() {
            Some(wanted) if !wanted.is_empty() => self.referentials.weeks(conn, wanted)?,
            _ => self.default_weeks.to_vec(),
        };
        let sector_id = match sent_sector(&request.fields.sector_uuid) {
            Some(uuid) => self.referentials.sector_id(conn, uuid)?,
            None => None,
        };
        let creation = Creation::check(request, &offer_weeks, sector_id);
        Ok((creation.verdict?, creation.week_ids))
    }

    /// Writes checked offers in a savepoint (all or none); their ids, in order. An error (a
    /// `remote_id` taken meanwhile, a row refused) leaves nothing: write them one by one.
    pub fn write(
        &self,
        conn: &mut PgConnection,
        creations: Vec<NewOffer>,
    ) -> QueryResult<Vec<i64>> {
        conn.transaction(|conn| {
            let operator_id = self.partner.operator_id;
            let ids = offers::insert_many(conn, operator_id, self.partner.account_id, creations)?;
            offer_events::record_many(conn, operator_id, &ids, OfferChange::Created)?;
            Ok(ids)
        })
    }
}
