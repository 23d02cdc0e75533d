use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::response::OfferResponse;
use crate::api::conditional::{offer_json, precondition};
use crate::api::remote_id_of;
use crate::auth::ApiCall;
use crate::error::{ApiError, ErrorBody};
use crate::request::offers::UpdateOfferRequest;
use crate::service::offers;
use crate::state::AppState;

/// Modifies an offer of the caller's operator (PATCH; PUT behaves the same).
///
/// Only the fields sent change. `weeks` replaces the whole list (an empty list is refused
/// and deletes nothing). `published_at: null` unpublishes; a date republishes an
/// unpublished offer with the current time, or is stored as sent on a published one.
/// Checks apply in the original's order: 401, 404, 422 payload, 403, 422 weeks, 400.
#[utoipa::path(
    patch,
    path = "/api/internship_offers/{remote_id}",
    params(("remote_id" = String, Path, description = "Identifiant de l'offre chez le partenaire")),
    request_body(content = crate::request::offers::schema::UpdateOfferRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Offre modifiée", body = OfferResponse),
        (status = 400, description = "VALIDATION_ERROR ou MALFORMED_BODY", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 403, description = "FORBIDDEN: l'offre appartient à un autre opérateur", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 412, description = "PRECONDITION_FAILED : l'offre a changé depuis l'ETag de If-Match", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 422, description = "BAD_PAYLOAD ou BAD_ARGUMENT (semaine)", body = ErrorBody),
    ),
)]
pub async fn update_offer(
    req: HttpRequest,
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    respond(req, path, call, state).await
}

/// Same as PATCH, kept for partners that send PUT.
#[utoipa::path(
    put,
    path = "/api/internship_offers/{remote_id}",
    params(("remote_id" = String, Path, description = "Identifiant de l'offre chez le partenaire")),
    request_body(content = crate::request::offers::schema::UpdateOfferRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Offre modifiée", body = OfferResponse),
        (status = 400, description = "VALIDATION_ERROR ou MALFORMED_BODY", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 403, description = "FORBIDDEN: l'offre appartient à un autre opérateur", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 412, description = "PRECONDITION_FAILED : l'offre a changé depuis l'ETag de If-Match", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 422, description = "BAD_PAYLOAD ou BAD_ARGUMENT (semaine)", body = ErrorBody),
    ),
)]
pub async fn replace_offer(
    req: HttpRequest,
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    respond(req, path, call, state).await
}

async fn respond(
    req: HttpRequest,
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ApiCall { partner, params } = call;
    let remote_id = remote_id_of(path)?;
    let request = UpdateOfferRequest::read(&params);
    let (referentials, precondition) = (state.referentials.clone(), precondition(&req));
    let offers::Updated { offer, changed } = crate::db::run(&state.pool, move |conn| {
        offers::update(
            conn,
            &referentials,
            &partner,
            &remote_id,
            request,
            &precondition,
        )
    })
    .await?;
    tracing::info!(offer.id = offer.id, changed, "offer updated");
    Ok(offer_json(&req, StatusCode::OK, &offer))
}
