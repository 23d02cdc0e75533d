//! `POST /api/operator_account_activities/create_account`: a pupil coming from Mon stage de 3e
//! (`msta`) created an account on the partner's site for one of its offers.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::ApiCall;
use crate::error::{ApiError, ErrorBody};
use crate::paris_time;
use crate::request::account_activities::AccountActivityRequest;
use crate::service::tracking;
use crate::state::AppState;

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
    post,
    path = "/api/operator_account_activities/create_account",
    request_body(content = AccountActivityRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Inscription enregistrée", body = AccountActivityResponse),
        (status = 400, description = "VALIDATION_ERROR: champ absent ou non entier", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: remote_id ou élève inconnu", body = ErrorBody),
        (status = 422, description = "DUPLICATE_OPERATOR_ACTIVITY: déjà enregistrée", body = ErrorBody),
    ),
)]
pub async fn create_account_activity(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ApiCall { partner, params } = call;
    let request = AccountActivityRequest::read(&params)?;
    let activity = crate::db::run(&state.pool, move |conn| {
        let activity = tracking::record_account_activity(conn, &partner, &request)?;
        Ok::<_, ApiError>(AccountActivityResponse {
            id: activity.id,
            remote_id: request.remote_id,
            student_id: request.student_id,
            created_at: paris_time::timestamp(activity.created_at),
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(activity))
}
