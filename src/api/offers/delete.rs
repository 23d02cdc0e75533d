use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::response::OfferResponse;
use crate::api::conditional::{offer_json, precondition};
use crate::api::remote_id_of;
use crate::auth::ApiCall;
use crate::error::{ApiError, ErrorBody};
use crate::service::offers;
use crate::state::AppState;

/// Deletes (soft) an offer of the caller's operator and returns it.
/// A deleted `remote_id` can be used again for a new offer.
#[utoipa::path(
    delete,
    path = "/api/internship_offers/{remote_id}",
    params(("remote_id" = String, Path, description = "Identifiant de l'offre chez le partenaire")),
    responses(
        (status = 200, description = "Offre supprimée", body = OfferResponse),
        (status = 400, description = "VALIDATION_ERROR (remote_id illisible)", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 403, description = "FORBIDDEN: l'offre appartient à un autre opérateur", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 409, description = "API_ALREADY_DESTROYED", body = ErrorBody),
        (status = 412, description = "PRECONDITION_FAILED : l'offre a changé depuis l'ETag de If-Match", body = ErrorBody),
    ),
)]
pub async fn delete_offer(
    req: HttpRequest,
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let remote_id = remote_id_of(path)?;
    let (partner, precondition) = (call.partner, precondition(&req));
    let offer = crate::db::run(&state.pool, move |conn| {
        offers::destroy(conn, &partner, &remote_id, &precondition)
    })
    .await?;
    tracing::info!(offer.id = offer.id, "offer deleted");
    Ok(offer_json(&req, StatusCode::OK, &offer))
}
