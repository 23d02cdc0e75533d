//! `POST /api/application_trackings`: the status of an application to one of the partner's
//! offers. An approval takes a seat; when no seat is left the approval is refused.

use actix_web::{HttpResponse, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::offers::request::payload_object;
use crate::auth::ApiCall;
use crate::db::models::{ApplicationTracking, Offer};
use crate::error::{ApiError, ErrorBody};
use crate::paris_time;
use crate::request::{Fields, Params, read};
use crate::service::tracking;
use crate::state::AppState;

const STATUSES: [&str; 4] = [
    "application_submitted",
    "application_approved",
    "application_rejected",
    "application_canceled",
];

/// The stored status for what a partner sent (`application_accepted` is the original doc's word).
fn remote_status(sent: &str) -> Option<&'static str> {
    let sent = if sent == "application_accepted" {
        "application_approved"
    } else {
        sent
    };
    STATUSES.iter().copied().find(|s| *s == sent)
}

/// The `application_tracking` object.
#[derive(Debug, PartialEq, ToSchema)]
pub struct ApplicationTrackingRequest {
    #[schema(example = "offre-42")]
    pub remote_id: String,
    /// L'identifiant de l'élève (`msta`), facultatif.
    #[schema(rename = "ms3e_student_id", example = 3)]
    pub student_id: Option<i64>,
    /// `application_submitted`, `application_approved` (ou `application_accepted`), `application_rejected`,
    /// `application_canceled`.
    #[schema(rename = "remote_status", value_type = String, example = "application_approved")]
    pub status: &'static str,
}

/// The body: `{"application_tracking": {…}}`.
#[derive(ToSchema)]
#[allow(
    dead_code,
    reason = "the schema of the body around ApplicationTrackingRequest"
)]
pub struct ApplicationTrackingBody {
    application_tracking: ApplicationTrackingRequest,
}

impl ApplicationTrackingRequest {
    /// 422 `BAD_PAYLOAD` without the object, 400 for missing or refused fields, 422
    /// `BAD_ARGUMENT` for an unknown status.
    pub fn read(params: &Params) -> Result<ApplicationTrackingRequest, ApiError> {
        Self::read_from(&mut Fields::new(payload_object(
            params,
            "application_tracking",
        )?))
    }

    fn read_from(f: &mut Fields<'_>) -> Result<ApplicationTrackingRequest, ApiError> {
        let remote_id = f.trimmed_text("remote_id");
        let remote_id = f.required("remote_id", remote_id);
        let student_id = f.id("ms3e_student_id");
        let sent_status = f.trimmed_text("remote_status");
        let sent_status = f.required("remote_status", sent_status);
        let (Some(remote_id), Some(sent_status)) = (remote_id, sent_status) else {
            return Err(ApiError::Validation(f.errors().clone()));
        };
        f.errors().clone().into_result()?;
        let status =
            remote_status(&sent_status).ok_or(ApiError::UnknownRemoteStatus(sent_status))?;
        Ok(ApplicationTrackingRequest {
            remote_id,
            student_id,
            status,
        })
    }

    /// The keys of `application_tracking` this request reads (its OpenAPI schema lists the same).
    pub fn keys_read() -> Vec<&'static str> {
        read::keys_read_by(Self::read_from)
    }
}

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
    tag = "Suivi des élèves",
    request_body(content = ApplicationTrackingBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Statut enregistré", body = ApplicationTrackingResponse),
        (status = 400, description = "VALIDATION_ERROR", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: remote_id ou élève inconnu", body = ErrorBody),
        (status = 409, description = "DUPLICATE_APPLICATION_TRACKING", body = ErrorBody),
        (status = 422, description = "BAD_PAYLOAD, BAD_ARGUMENT (statut inconnu) ou NO_SEAT_LEFT", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/api/application_trackings")]
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
