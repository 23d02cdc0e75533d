//! `POST /api/application_trackings`: the status of an application to one of the partner's
//! offers. An approval takes a seat; when no seat is left the approval is refused.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::ApiCall;
use crate::db::models::{ApplicationTracking, Offer};
use crate::error::{ApiError, ErrorBody};
use crate::paris_time;
use crate::request::application_trackings::{ApplicationTrackingBody, ApplicationTrackingRequest};
use crate::service::tracking;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationTrackingResponse {
    pub id: i64,
    pub remote_id: String,
    pub ms3e_student_id: Option<i64>,
    #[schema(example = "application_approved")]
    pub remote_status: String,
    #[schema(example = "2026-03-02T10:15:00.000+01:00")]
    pub created_at: String,
    /// Places restantes de l'offre après cet événement.
    pub remaining_seats: i32,
}

impl ApplicationTrackingResponse {
    fn of(offer: &Offer, record: ApplicationTracking, approved: i32) -> Self {
        ApplicationTrackingResponse {
            id: record.id,
            remote_id: offer.remote_id.clone(),
            ms3e_student_id: record.student_id,
            remote_status: record.remote_status,
            created_at: paris_time::timestamp(record.created_at),
            remaining_seats: offer.max_candidates - approved,
        }
    }
}

/// Reports the status of an application to one of the caller's offers. An approval takes a
/// seat; when no seat is left the approval is refused (raise `max_candidates` first).
#[utoipa::path(
    post,
    path = "/api/application_trackings",
    request_body(content = ApplicationTrackingBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Statut enregistré", body = ApplicationTrackingResponse),
        (status = 400, description = "VALIDATION_ERROR", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: remote_id ou élève inconnu", body = ErrorBody),
        (status = 409, description = "DUPLICATE_APPLICATION_TRACKING", body = ErrorBody),
        (status = 422, description = "BAD_PAYLOAD, BAD_ARGUMENT (statut inconnu) ou NO_SEAT_LEFT", body = ErrorBody),
    ),
)]
pub async fn create_application_tracking(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ApiCall { partner, params } = call;
    let request = ApplicationTrackingRequest::read(&params)?;
    let response = crate::db::run(&state.pool, move |conn| {
        let (offer, record, approved) = tracking::record_application(conn, &partner, &request)?;
        Ok::<_, ApiError>(ApplicationTrackingResponse::of(&offer, record, approved))
    })
    .await?;
    Ok(HttpResponse::Created().json(response))
}
