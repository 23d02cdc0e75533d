//! `POST /api/operator_account_activities/create_account`: a pupil coming from Mon stage de 3e
//! (`msta`) created an account on the partner's site for one of its offers.

use actix_web::{HttpResponse, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::ApiCall;
use crate::error::{ApiError, ErrorBody, FieldErrors};
use crate::paris_time;
use crate::request::{Fields, Params, read};
use crate::service::tracking;
use crate::state::AppState;

/// The fields, at the top level (JSON or form fields).
#[derive(Debug, PartialEq, ToSchema)]
pub struct AccountActivityRequest {
    /// Votre identifiant de l'offre.
    #[schema(example = "offre-42")]
    pub remote_id: String,
    /// L'identifiant de l'élève, lu dans le paramètre `msta` du lien.
    #[schema(example = 3)]
    pub student_id: i64,
}

impl AccountActivityRequest {
    pub fn read(params: &Params) -> Result<AccountActivityRequest, FieldErrors> {
        Self::read_from(&mut Fields::new(params))
    }

    fn read_from(f: &mut Fields<'_>) -> Result<AccountActivityRequest, FieldErrors> {
        let remote_id = f.trimmed_text("remote_id");
        let remote_id = f.required("remote_id", remote_id);
        let student_id = f.id("student_id");
        let student_id = f.required("student_id", student_id);
        match (remote_id, student_id) {
            (Some(remote_id), Some(student_id)) if f.errors().is_empty() => {
                Ok(AccountActivityRequest {
                    remote_id,
                    student_id,
                })
            }
            _ => Err(f.errors().clone()),
        }
    }

    /// The keys this request reads (its OpenAPI schema lists the same).
    pub fn keys_read() -> Vec<&'static str> {
        read::keys_read_by(Self::read_from)
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
    request_body(content = AccountActivityRequest, content_type = "application/json"),
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
