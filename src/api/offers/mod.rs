//! `/api/internship_offers`: a partner's offers, keyed by its own `remote_id`.

pub mod create;
pub mod delete;
pub mod input;
pub mod list;
pub mod listing;
pub mod response;
pub mod search;
pub mod update;

use chrono::{NaiveDate, Utc};
use diesel::PgConnection;

use crate::db::models::{Offer, OfferValues, Week};
use crate::db::queries::{offers, sectors, weeks};
use crate::domain::geo::GeoPoint;
use crate::domain::offer::OfferDraft;
use crate::domain::postal;
use crate::domain::week::IsoWeek;
use crate::error::{ApiError, FieldErrors};

use input::OfferInput;

/// The caller's offer with this remote_id; 403 when only another operator has one, 404
/// when nobody does.
pub fn owned_or_refused(
    conn: &mut PgConnection,
    operator_id: i64,
    remote_id: &str,
) -> Result<Offer, ApiError> {
    match offers::find_owned(conn, operator_id, remote_id)? {
        Some(offer) => Ok(offer),
        None if offers::exists_elsewhere(conn, operator_id, remote_id)? => Err(ApiError::Forbidden),
        None => Err(ApiError::OfferNotFound),
    }
}

/// A new offer before the partner's fields are applied: the original's defaults.
fn new_draft() -> OfferDraft {
    OfferDraft {
        title: String::new(),
        description: String::new(),
        employer_name: String::new(),
        employer_description: None,
        employer_website: None,
        street: String::new(),
        zipcode: String::new(),
        city: String::new(),
        coordinates: None,
        sector_id: None,
        remote_id: String::new(),
        permalink: String::new(),
        max_candidates: Some(1),
        max_students_per_group: Some(1),
        is_public: Some(false),
        handicap_accessible: false,
        lunch_break: None,
        daily_hours: None,
        has_weeks: false,
        published_at: Some(Utc::now()),
    }
}

/// A stored offer as a draft, ready to receive a partner's changes.
fn draft_of(offer: &Offer) -> OfferDraft {
    OfferDraft {
        title: offer.title.clone(),
        description: offer.description.clone(),
        employer_name: offer.employer_name.clone(),
        employer_description: offer.employer_description.clone(),
        employer_website: offer.employer_website.clone(),
        street: offer.street.clone(),
        zipcode: offer.zipcode.clone(),
        city: offer.city.clone(),
        coordinates: Some(GeoPoint::from_postgis(&offer.coordinates)),
        sector_id: Some(offer.sector_id),
        remote_id: offer.remote_id.clone(),
        permalink: offer.permalink.clone(),
        max_candidates: Some(i64::from(offer.max_candidates)),
        max_students_per_group: Some(i64::from(offer.max_students_per_group)),
        is_public: Some(offer.is_public),
        handicap_accessible: offer.handicap_accessible,
        lunch_break: offer.lunch_break.clone(),
        daily_hours: offer.daily_hours.clone(),
        has_weeks: true,
        published_at: offer.published_at,
    }
}

/// The stored weeks for the partner's list, in the partner's order; the first unknown
/// one is a 422 `BAD_ARGUMENT`, as a malformed one is.
fn resolve_weeks(conn: &mut PgConnection, wanted: &[IsoWeek]) -> Result<Vec<Week>, ApiError> {
    let found = weeks::find_many(conn, wanted)?;
    wanted
        .iter()
        .map(|week| {
            found
                .iter()
                .find(|w| w.monday == week.monday())
                .copied()
                .ok_or_else(|| {
                    ApiError::BadArgument(format!(
                        "bad week format: {week}, expecting ISO 8601 format"
                    ))
                })
        })
        .collect()
}

/// Applies the sector sent, if any: an unknown or malformed uuid leaves the sector empty.
fn apply_sector(
    conn: &mut PgConnection,
    input: &OfferInput,
    draft: &mut OfferDraft,
) -> Result<(), ApiError> {
    if let Some(sent) = &input.sector_uuid {
        draft.sector_id = match sent.as_deref().map(|s| uuid::Uuid::parse_str(s.trim())) {
            Some(Ok(uuid)) => sectors::id_by_uuid(conn, uuid)?,
            _ => None,
        };
    }
    Ok(())
}

/// All errors of a draft; a field with a type error in the input reports only that.
fn draft_errors(input: &OfferInput, draft: &OfferDraft) -> FieldErrors {
    let mut errors = input.errors.clone();
    errors.merge_new_fields(draft.errors());
    errors
}

/// The columns to write for a valid draft, spanning `dates` (first Monday, last Sunday).
fn values_of(draft: OfferDraft, dates: (NaiveDate, NaiveDate)) -> Result<OfferValues, ApiError> {
    let invalid = || ApiError::internal("values_of called on an invalid draft");
    let department = postal::department(&draft.zipcode).ok_or_else(invalid)?;
    Ok(OfferValues {
        department: department.to_owned(),
        coordinates: draft.coordinates.ok_or_else(invalid)?.to_postgis(),
        sector_id: draft.sector_id.ok_or_else(invalid)?,
        max_candidates: i32::try_from(draft.max_candidates.ok_or_else(invalid)?)
            .map_err(|_| invalid())?,
        max_students_per_group: i32::try_from(draft.max_students_per_group.ok_or_else(invalid)?)
            .map_err(|_| invalid())?,
        is_public: draft.is_public.ok_or_else(invalid)?,
        title: draft.title,
        description: draft.description,
        employer_name: draft.employer_name,
        employer_description: draft.employer_description,
        employer_website: draft.employer_website,
        street: draft.street,
        zipcode: draft.zipcode,
        city: draft.city,
        permalink: draft.permalink,
        handicap_accessible: draft.handicap_accessible,
        lunch_break: draft.lunch_break,
        daily_hours: draft.daily_hours,
        first_date: dates.0,
        last_date: dates.1,
        published_at: draft.published_at,
    })
}

/// First Monday and last Sunday of a non-empty set of weeks.
fn date_span(weeks: &[Week]) -> Option<(NaiveDate, NaiveDate)> {
    let first = weeks.iter().map(|w| w.monday).min()?;
    let last = weeks.iter().map(|w| w.monday).max()?;
    Some((first, last + chrono::Duration::days(6)))
}
