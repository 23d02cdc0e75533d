use actix_web::{HttpResponse, delete, web};

use super::response::OfferResponse;
use crate::auth::ApiCall;
use crate::db::queries::offers;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Deletes (soft) an offer of the caller's operator and returns it.
/// A deleted `remote_id` can be used again for a new offer.
#[utoipa::path(
    tag = "Offres",
    params(("remote_id" = String, Path, description = "Identifiant de l'offre chez le partenaire")),
    responses(
        (status = 200, description = "Offre supprimée", body = OfferResponse),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 403, description = "FORBIDDEN: l'offre appartient à un autre opérateur", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 409, description = "API_ALREADY_DESTROYED", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[delete("/api/internship_offers/{remote_id}")]
pub async fn delete_offer(
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let remote_id = path.into_inner();
    let operator_id = call.partner.operator_id;
    let offer = crate::db::run(&state.pool, move |conn| {
        let owned = super::owned_or_refused(conn, operator_id, &remote_id)?;
        offers::discard(conn, operator_id, owned.id)?.ok_or(ApiError::AlreadyDestroyed)
    })
    .await?;
    tracing::info!(offer.id = offer.id, "offer deleted");
    Ok(HttpResponse::Ok().json(OfferResponse::from(&offer)))
}
