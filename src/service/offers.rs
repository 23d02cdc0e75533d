//! Creating, changing and deleting a partner's offers.

use chrono::{NaiveDate, Utc};
use diesel::{Connection, PgConnection};

use crate::auth::Partner;
use crate::db::models::{Offer, Week};
use crate::db::queries::{offer_events, offers, weeks};
use crate::db::{Fault, fault};
use crate::domain::conditional::{Precondition, offer_etag};
use crate::domain::field_errors::FieldErrors;
use crate::domain::offer::{OfferDraft, ValidOffer};
use crate::domain::offer_event::OfferChange;
use crate::domain::week::default_window;
use crate::error::ApiError;
use crate::request::Field;
use crate::request::offers::{CreateOfferRequest, UpdateOfferRequest};
use crate::service::referentials::Referentials;

/// Publishes a new offer. Checks, in the original's order: (payload and weeks were read),
/// duplicate `remote_id` (409, even when other fields are invalid), then validation (400).
pub fn create(
    conn: &mut PgConnection,
    referentials: &Referentials,
    partner: &Partner,
    request: CreateOfferRequest,
) -> Result<Offer, ApiError> {
    conn.transaction(|conn| {
        let offer_weeks = match request.fields.weeks.as_deref() {
            Some(wanted) if !wanted.is_empty() => referentials.weeks(conn, wanted)?,
            _ => {
                let (from, to) = default_window(Utc::now().date_naive());
                weeks::overlapping(conn, from, to)?
            }
        };
        let sector_id = match sent_sector(&request.fields.sector_uuid) {
            Some(uuid) => referentials.sector_id(conn, uuid)?,
            None => None,
        };
        let creation = Creation::check(request, &offer_weeks, sector_id);
        // A duplicate is a 409 even when other fields are invalid. A valid offer needs no
        // look-up: the unique index refuses a duplicate (and the transaction ends with it).
        if creation.verdict.is_err()
            && creation.remote_id_is_valid()
            && offers::live_exists(conn, partner.operator_id, &creation.remote_id)?
        {
            return Err(ApiError::DuplicateRemoteId(creation.remote_id));
        }
        let remote_id = creation.remote_id;
        let offer = offers::insert(
            conn,
            partner.operator_id,
            partner.account_id,
            creation.verdict?,
            &creation.week_ids,
        )
        .map_err(|e| match fault(&e) {
            Fault::UniqueViolation => ApiError::DuplicateRemoteId(remote_id),
            _ => e.into(),
        })?;
        offer_events::record(conn, offer.operator_id, offer.id, OfferChange::Created)?;
        Ok(offer)
    })
}

/// A creation checked against the referentials already looked up (the weeks, asked for or
/// by default, and the sector): what needs no database.
pub struct Creation {
    pub remote_id: String,
    pub week_ids: Vec<i32>,
    pub verdict: Result<ValidOffer, FieldErrors>,
}

impl Creation {
    pub fn check(
        request: CreateOfferRequest,
        offer_weeks: &[Week],
        sector_id: Option<i64>,
    ) -> Self {
        let mut draft = OfferDraft::new(Utc::now());
        draft.sector_id = sector_id;
        draft.weeks_span = date_span(offer_weeks);
        draft.remote_id = request
            .remote_id
            .value()
            .unwrap_or_default()
            .trim()
            .to_owned();
        request.fields.apply_to(&mut draft);
        Creation {
            remote_id: draft.remote_id.clone(),
            week_ids: offer_weeks.iter().map(|w| w.id).collect(),
            verdict: draft.validate(request.errors),
        }
    }

    /// Whether the remote_id can be looked up (a malformed one is a 400, not a 409).
    pub fn remote_id_is_valid(&self) -> bool {
        self.verdict
            .as_ref()
            .err()
            .is_none_or(|e| !e.has("remote_id"))
    }
}

/// What an update did.
#[derive(Debug)]
pub struct Updated {
    pub offer: Offer,
    /// False when the fields sent were those stored: nothing was written, no event recorded.
    pub changed: bool,
}

/// Changes an offer of the caller's operator: only the fields sent. Checks, in the original's
/// order: 404 (nobody has it), 422 payload, 403 (another operator has it), 422 weeks, 400.
/// An update that changes nothing writes nothing (no event, the same `ETag`).
pub fn update(
    conn: &mut PgConnection,
    referentials: &Referentials,
    partner: &Partner,
    remote_id: &str,
    request: Result<UpdateOfferRequest, ApiError>,
    precondition: &Precondition,
) -> Result<Updated, ApiError> {
    conn.transaction(|conn| {
        let existing = match offers::find_owned(conn, partner.operator_id, remote_id)? {
            Some(offer) => offer,
            None if offers::exists_elsewhere(conn, partner.operator_id, remote_id)? => {
                return Err(match request {
                    Err(e @ (ApiError::MissingPayload(_) | ApiError::PayloadNotAnObject(_))) => e,
                    _ => ApiError::Forbidden,
                });
            }
            None => return Err(ApiError::OfferNotFound),
        };
        check_version(conn, existing.id, precondition)?;
        let request = request?;
        let new_weeks = match request.fields.weeks.as_deref() {
            Some(wanted) => Some(referentials.weeks(conn, wanted)?),
            None => None,
        };
        let mut draft = draft_of(&existing);
        draft.sector_id = match (
            &request.fields.sector_uuid,
            sent_sector(&request.fields.sector_uuid),
        ) {
            (Field::Absent, _) => draft.sector_id,
            (_, Some(uuid)) => referentials.sector_id(conn, uuid)?,
            (_, None) => None,
        };
        if let Some(weeks) = &new_weeks {
            draft.weeks_span = date_span(weeks);
        }
        draft.published_at = published_after(existing.published_at, request.published_at);
        request.fields.apply_to(&mut draft);
        let offer = draft.validate(request.errors)?;
        if is_unchanged(conn, &existing, &offer, new_weeks.as_deref())? {
            return Ok(Updated {
                offer: existing,
                changed: false,
            });
        }
        let week_ids: Option<Vec<i32>> = new_weeks.map(|w| w.iter().map(|w| w.id).collect());
        let updated = offers::update(
            conn,
            partner.operator_id,
            existing.id,
            offer,
            week_ids.as_deref(),
        )?;
        let change = OfferChange::of_update(
            existing.published_at.is_some(),
            updated.published_at.is_some(),
        );
        offer_events::record(conn, updated.operator_id, updated.id, change)?;
        Ok(Updated {
            offer: updated,
            changed: true,
        })
    })
}

/// `published_at` after an update: `null` unpublishes, a date republishes an unpublished offer
/// now, or is stored as sent on a published one.
fn published_after(
    stored: Option<chrono::DateTime<Utc>>,
    sent: Field<chrono::DateTime<Utc>>,
) -> Option<chrono::DateTime<Utc>> {
    match sent {
        Field::Absent => stored,
        Field::Cleared => None,
        Field::Set(_) if stored.is_none() => Some(Utc::now()),
        Field::Set(sent) => Some(sent),
    }
}

/// Whether the offer, once changed, is the stored one: same values and, when weeks were sent,
/// the same weeks.
fn is_unchanged(
    conn: &mut PgConnection,
    existing: &Offer,
    changed: &ValidOffer,
    new_weeks: Option<&[Week]>,
) -> Result<bool, ApiError> {
    let stored = draft_of(existing).validate(FieldErrors::default()).ok();
    if stored.as_ref() != Some(changed) {
        return Ok(false);
    }
    let Some(new_weeks) = new_weeks else {
        return Ok(true);
    };
    let mut sent: Vec<(i32, i32)> = new_weeks.iter().map(|w| (w.year, w.number)).collect();
    let mut kept: Vec<(i32, i32)> = offers::weeks_of(conn, existing.id)?
        .into_iter()
        .map(|(year, number, _)| (year, number))
        .collect();
    sent.sort_unstable();
    sent.dedup();
    kept.sort_unstable();
    Ok(sent == kept)
}

/// Deletes (soft) an offer of the caller's operator; its `remote_id` can then be used again.
pub fn destroy(
    conn: &mut PgConnection,
    partner: &Partner,
    remote_id: &str,
    precondition: &Precondition,
) -> Result<Offer, ApiError> {
    conn.transaction(|conn| {
        let owned = owned_or_refused(conn, partner.operator_id, remote_id)?;
        check_version(conn, owned.id, precondition)?;
        let deleted = offers::discard(conn, partner.operator_id, owned.id)?
            .ok_or(ApiError::AlreadyDestroyed)?;
        offer_events::record(conn, deleted.operator_id, deleted.id, OfferChange::Deleted)?;
        Ok(deleted)
    })
}

/// 412 unless the offer is at a version `If-Match` accepts; its row stays locked until the
/// transaction ends, so no other change can slip in between the check and the write.
fn check_version(
    conn: &mut PgConnection,
    offer_id: i64,
    precondition: &Precondition,
) -> Result<(), ApiError> {
    if *precondition == Precondition::Unconditional {
        return Ok(());
    }
    let current = offers::lock_version(conn, offer_id)?
        .filter(|(_, live)| *live)
        .map(|(updated_at, _)| offer_etag(offer_id, updated_at));
    if precondition.allows(current.as_deref()) {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed)
    }
}

/// The caller's offer with this remote_id (the live one, else the last deleted one); 403 when
/// only another operator has one, 404 when nobody does.
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
        coordinates: Some(crate::domain::geo::GeoPoint::from_postgis(
            &offer.coordinates,
        )),
        sector_id: Some(offer.sector_id),
        remote_id: offer.remote_id.clone(),
        permalink: offer.permalink.clone(),
        max_candidates: Some(i64::from(offer.max_candidates)),
        max_students_per_group: Some(i64::from(offer.max_students_per_group)),
        is_public: Some(offer.is_public),
        handicap_accessible: offer.handicap_accessible,
        lunch_break: offer.lunch_break.clone(),
        daily_hours: offer.daily_hours.clone(),
        weeks_span: Some((offer.first_date, offer.last_date)),
        approved_count: i64::from(offer.approved_count),
        published_at: offer.published_at,
    }
}

/// The sector uuid sent, when it is one (an unknown or malformed one leaves the offer without
/// sector).
pub fn sent_sector(sent: &Field<String>) -> Option<uuid::Uuid> {
    match sent {
        Field::Set(text) => uuid::Uuid::parse_str(text).ok(),
        Field::Absent | Field::Cleared => None,
    }
}

/// First Monday and last Sunday of a set of weeks; None when there are none.
fn date_span(weeks: &[Week]) -> Option<(NaiveDate, NaiveDate)> {
    let first = weeks.iter().map(|w| w.monday).min()?;
    let last = weeks.iter().map(|w| w.monday).max()?;
    Some((first, last + chrono::Duration::days(6)))
}
