//! What partners report about pupils coming from Mon stage de 3e.

use diesel::{Connection, PgConnection};

use crate::auth::Partner;
use crate::db::models::{AccountActivity, ApplicationTracking, Offer};
use crate::db::queries::tracking::{self, Tracked};
use crate::db::queries::webhooks::{self, NewEvent};
use crate::db::queries::{offer_events, offers, students};
use crate::domain::offer_event::OfferChange;
use crate::domain::webhook::EventType;
use crate::error::ApiError;
use crate::request::account_activities::AccountActivityRequest;
use crate::request::application_trackings::ApplicationTrackingRequest;
use serde_json::json;

/// Records that a pupil created an account on the partner's site for one of its offers.
pub fn record_account_activity(
    conn: &mut PgConnection,
    partner: &Partner,
    request: &AccountActivityRequest,
) -> Result<AccountActivity, ApiError> {
    conn.transaction(|conn| {
        let offer = owned_offer(conn, partner.operator_id, &request.remote_id)?;
        if !students::exists(conn, request.student_id)? {
            return Err(ApiError::StudentNotFound);
        }
        tracking::insert_account_activity(conn, partner.operator_id, offer.id, request.student_id)?
            .ok_or_else(|| ApiError::DuplicateAccountActivity {
                student_id: request.student_id,
                remote_id: request.remote_id.clone(),
            })
    })
}

/// Records the status of an application; an approval takes a seat, and is refused when none
/// is left. Returns the offer, the record and the seats now taken.
pub fn record_application(
    conn: &mut PgConnection,
    partner: &Partner,
    request: &ApplicationTrackingRequest,
) -> Result<(Offer, ApplicationTracking, i32), ApiError> {
    conn.transaction(|conn| {
        let offer = owned_offer(conn, partner.operator_id, &request.remote_id)?;
        if let Some(student_id) = request.student_id
            && !students::exists(conn, student_id)?
        {
            return Err(ApiError::StudentNotFound);
        }
        let status = request.status;
        match tracking::insert_application_tracking(conn, offer.id, request.student_id, status)? {
            Tracked::Recorded {
                record,
                approved_before,
                approved,
            } => {
                if let Some(change) = OfferChange::of_approvals(approved_before, approved) {
                    offer_events::record(conn, offer.operator_id, offer.id, change)?;
                }
                let data = json!({
                    "remote_id": offer.remote_id,
                    "student_id": request.student_id,
                    "status": status,
                    "approved_count": approved,
                });
                let kind = EventType::ApplicationStatusRecorded.as_str();
                webhooks::emit(conn, &NewEvent::new(offer.operator_id, kind, &data))?;
                Ok((offer, record, approved))
            }
            Tracked::Duplicate => Err(ApiError::DuplicateApplicationTracking {
                remote_id: request.remote_id.clone(),
                student_id: request.student_id,
                status,
            }),
            Tracked::NoSeatLeft => Err(ApiError::NoSeatLeft {
                max_candidates: offer.max_candidates,
            }),
        }
    })
}

/// The caller's offer with this remote_id (deleted ones included), or 404.
fn owned_offer(
    conn: &mut PgConnection,
    operator_id: i64,
    remote_id: &str,
) -> Result<Offer, ApiError> {
    offers::find_owned(conn, operator_id, remote_id)?.ok_or(ApiError::OfferNotFound)
}
