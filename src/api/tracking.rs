//! Partners report what happened to pupils coming from Mon stage de 3e: an account created
//! on their site (`msta` tag) and the statuses of applications.

use actix_web::{HttpResponse, post, web};
use diesel::PgConnection;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::offers::response::paris_timestamp;
use crate::auth::ApiCall;
use crate::db::models::Offer;
use crate::db::queries::tracking::{self, Tracked};
use crate::db::queries::{offers, students};
use crate::error::{ApiError, ErrorBody, FieldErrors};
use crate::params::Params;
use crate::state::AppState;

/// A text field sent as a string or a number.
fn text(params: &Params, key: &str, errors: &mut FieldErrors) -> Option<String> {
    match params.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errors.add(key, "doit être une chaîne de caractères");
            None
        }
    }
}

/// A positive integer id sent as a number or as digits.
fn id(params: &Params, key: &str, errors: &mut FieldErrors) -> Option<i64> {
    let parsed = match params.get(key) {
        None | Some(Value::Null) => return None,
        Some(Value::String(s)) if s.trim().is_empty() => return None,
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(Value::Number(n)) => n.as_i64(),
        Some(_) => None,
    };
    match parsed {
        Some(id) if id > 0 => Some(id),
        _ => {
            errors.add(key, "doit être un identifiant entier positif");
            None
        }
    }
}

fn required<T>(value: Option<T>, key: &str, errors: &mut FieldErrors) -> Option<T> {
    if value.is_none() && errors.get(key).is_none() {
        errors.add(key, format!("Missing {key}"));
    }
    value
}

/// The caller's offer with this remote_id (deleted ones included), or 404.
fn owned_offer(
    conn: &mut PgConnection,
    operator_id: i64,
    remote_id: &str,
) -> Result<Offer, ApiError> {
    offers::find_owned(conn, operator_id, remote_id)?.ok_or(ApiError::OfferNotFound)
}

fn student_not_found() -> ApiError {
    ApiError::Http {
        status: actix_web::http::StatusCode::NOT_FOUND,
        code: "NOT_FOUND",
        message: "can't find student with this id".into(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountActivityResponse {
    pub id: i64,
    pub remote_id: String,
    pub student_id: i64,
    #[schema(example = "2026-03-02T10:15:00.000+01:00")]
    pub created_at: String,
}

/// Records that a pupil coming from Mon stage de 3e (`msta`) created an account on the
/// partner's site for one of its offers. Fields at the top level, as form fields or JSON.
#[utoipa::path(
    tag = "Suivi des élèves",
    request_body(content = crate::api::request_docs::AccountActivityRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Inscription enregistrée", body = AccountActivityResponse),
        (status = 400, description = "VALIDATION_ERROR: champ absent ou non entier", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: remote_id ou élève inconnu", body = ErrorBody),
        (status = 422, description = "DUPLICATE_OPERATOR_ACTIVITY: déjà enregistrée", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/api/operator_account_activities/create_account")]
pub async fn create_account(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ApiCall { partner, params } = call;
    let mut errors = FieldErrors::default();
    let remote_id = required(
        text(&params, "remote_id", &mut errors),
        "remote_id",
        &mut errors,
    );
    let student_id = required(
        id(&params, "student_id", &mut errors),
        "student_id",
        &mut errors,
    );
    errors.into_result()?;
    let (Some(remote_id), Some(student_id)) = (remote_id, student_id) else {
        return Err(ApiError::internal("fields checked above"));
    };
    let response = crate::db::run(&state.pool, move |conn| {
        let offer = owned_offer(conn, partner.operator_id, &remote_id)?;
        if !students::exists(conn, student_id)? {
            return Err(student_not_found());
        }
        let activity = tracking::insert_account_activity(conn, partner.operator_id, offer.id, student_id)?.ok_or_else(|| {
            ApiError::Http {
                status: actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                code: "DUPLICATE_OPERATOR_ACTIVITY",
                message: format!("account creation of student {student_id} for remote_id ({remote_id}) already recorded"),
            }
        })?;
        Ok(AccountActivityResponse {
            id: activity.id,
            remote_id,
            student_id,
            created_at: paris_timestamp(activity.created_at),
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(response))
}

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

fn tracking_response(
    offer: &Offer,
    tracking: crate::db::models::ApplicationTracking,
    approved: i32,
) -> ApplicationTrackingResponse {
    ApplicationTrackingResponse {
        id: tracking.id,
        remote_id: offer.remote_id.clone(),
        ms3e_student_id: tracking.student_id,
        remote_status: tracking.remote_status,
        created_at: paris_timestamp(tracking.created_at),
        remaining_seats: offer.max_candidates - approved,
    }
}

fn duplicate_tracking(remote_id: &str, student_id: Option<i64>, status: &str) -> ApiError {
    let student = student_id.map_or_else(String::new, |id| format!(" | ms3e_student_id : {id}"));
    ApiError::Http {
        status: actix_web::http::StatusCode::CONFLICT,
        code: "DUPLICATE_APPLICATION_TRACKING",
        message: format!(
            "application_tracking with these attributes (remote_id : {remote_id}{student} | remote_status : {status}) already exists"
        ),
    }
}

/// Reports the status of an application to one of the caller's offers. An approval takes a
/// seat; when no seat is left the approval is refused (raise `max_candidates` first).
#[utoipa::path(
    tag = "Suivi des élèves",
    request_body(content = crate::api::request_docs::ApplicationTrackingRequest, content_type = "application/json"),
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
    let fields = match params.get("application_tracking") {
        Some(Value::Object(fields)) if !fields.is_empty() => fields.clone(),
        Some(Value::Object(_)) | Some(Value::Null) | None => {
            return Err(ApiError::MissingPayload("application_tracking"));
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            return Err(ApiError::MissingPayload("application_tracking"));
        }
        Some(_) => {
            return Err(ApiError::BadPayload(
                "application_tracking doit être un objet".into(),
            ));
        }
    };
    let mut errors = FieldErrors::default();
    let remote_id = required(
        text(&fields, "remote_id", &mut errors),
        "remote_id",
        &mut errors,
    );
    let student_id = id(&fields, "ms3e_student_id", &mut errors);
    let sent_status = required(
        text(&fields, "remote_status", &mut errors),
        "remote_status",
        &mut errors,
    );
    errors.into_result()?;
    let (Some(remote_id), Some(sent_status)) = (remote_id, sent_status) else {
        return Err(ApiError::internal("fields checked above"));
    };
    let status = remote_status(&sent_status).ok_or_else(|| {
        ApiError::BadArgument(format!("'{sent_status}' is not a valid remote_status"))
    })?;
    let response = crate::db::run(&state.pool, move |conn| {
        let offer = owned_offer(conn, partner.operator_id, &remote_id)?;
        if let Some(student_id) = student_id
            && !students::exists(conn, student_id)?
        {
            return Err(student_not_found());
        }
        match tracking::insert_application_tracking(conn, offer.id, student_id, status)? {
            Tracked::Recorded(tracking, approved) => {
                Ok(tracking_response(&offer, tracking, approved))
            }
            Tracked::Duplicate => Err(duplicate_tracking(&remote_id, student_id, status)),
            Tracked::NoSeatLeft => Err(ApiError::Http {
                status: actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                code: "NO_SEAT_LEFT",
                message: format!(
                    "all {} seats of this offer are taken: raise max_candidates first",
                    offer.max_candidates
                ),
            }),
        }
    })
    .await?;
    Ok(HttpResponse::Created().json(response))
}
