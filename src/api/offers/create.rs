use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::response::OfferResponse;
use crate::api::conditional::offer_json;
use crate::auth::ApiCall;
use crate::error::{ApiError, ErrorBody};
use crate::request::offers::CreateOfferRequest;
use crate::service::offers;
use crate::state::AppState;

/// Publishes a new offer.
///
/// Checks apply in the original's order: token (401), payload (422), weeks (422),
/// duplicate `remote_id` (409, even when other fields are invalid), validation (400).
#[utoipa::path(
    post,
    path = "/api/internship_offers",
    request_body(content = crate::request::offers::schema::CreateOfferRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Offre créée et publiée", body = OfferResponse),
        (status = 400, description = "VALIDATION_ERROR ou MALFORMED_BODY", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 409, description = "DUPLICATE_API", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 422, description = "BAD_PAYLOAD ou BAD_ARGUMENT (semaine)", body = ErrorBody),
    ),
)]
pub async fn create_offer(
    req: HttpRequest,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ApiCall { partner, params } = call;
    let request = CreateOfferRequest::read(&params)?;
    let referentials = state.referentials.clone();
    let offer = crate::db::run(&state.pool, move |conn| {
        offers::create(conn, &referentials, &partner, request)
    })
    .await?;
    tracing::info!(offer.id = offer.id, "offer created");
    Ok(offer_json(&req, StatusCode::CREATED, &offer))
}
