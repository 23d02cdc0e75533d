use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::response::OfferResponse;
use crate::api::conditional::offer_json;
use crate::api::remote_id_of;
use crate::auth::ApiCall;
use crate::error::{ApiError, ErrorBody};
use crate::service::offers::owned_or_refused;
use crate::state::AppState;

/// One of the caller's live offers, with its `ETag` (send it back in `If-None-Match` for a 304,
/// or in `If-Match` to change only this version).
#[utoipa::path(
    get,
    path = "/api/internship_offers/{remote_id}",
    params(("remote_id" = String, Path, description = "Identifiant de l'offre chez le partenaire")),
    responses(
        (status = 200, description = "L'offre, avec son ETag", body = OfferResponse),
        (status = 304, description = "Inchangée depuis l'ETag de If-None-Match"),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 403, description = "FORBIDDEN: l'offre appartient à un autre opérateur", body = ErrorBody),
        (status = 404, description = "NOT_FOUND : aucune de vos offres en ligne n'a ce remote_id", body = ErrorBody),
    ),
)]
pub async fn show_offer(
    req: HttpRequest,
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let remote_id = remote_id_of(path)?;
    let operator_id = call.partner.operator_id;
    let offer = crate::db::run(&state.pool, move |conn| {
        let offer = owned_or_refused(conn, operator_id, &remote_id)?;
        match offer.discarded_at {
            None => Ok(offer),
            Some(_) => Err(ApiError::OfferNotFound),
        }
    })
    .await?;
    Ok(offer_json(&req, StatusCode::OK, &offer))
}
