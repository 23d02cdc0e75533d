use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::ApiCall;
use crate::error::{ApiError, ErrorBody};
use crate::service::bulk::{self, ItemResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct BulkResponse {
    /// One result per item, in the order sent.
    pub internship_offers: Vec<ItemResult>,
}

/// Creates, updates or deletes up to 500 offers in one call, each by its `remote_id`.
///
/// Each item is an offer (created, or its live offer updated; `unchanged` when nothing differs)
/// or `{"remote_id": …, "deleted": true}`. Each is validated as the single-offer endpoints
/// validate it; a failed item changes nothing and does not stop the others.
#[utoipa::path(
    post,
    path = "/api/internship_offers/bulk",
    request_body(content = Object, content_type = "application/json",
        description = "{\"internship_offers\": [offre, …, {\"remote_id\": \"…\", \"deleted\": true}]} (500 au plus)"),
    responses(
        (status = 200, description = "Un résultat par élément, dans l'ordre", body = BulkResponse),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 413, description = "BULK_TOO_LARGE (plus de 500 éléments) ou PAYLOAD_TOO_LARGE (plus de 2 Mio)", body = ErrorBody),
        (status = 422, description = "BAD_PAYLOAD : internship_offers absent, vide ou qui n'est pas une liste", body = ErrorBody),
    ),
)]
pub async fn bulk_upsert(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ApiCall { partner, params } = call;
    let items = bulk::items_of(&params)?;
    let referentials = state.referentials.clone();
    let results = crate::db::run(&state.pool, move |conn| {
        bulk::apply(conn, &referentials, &partner, items)
    })
    .await?;
    Ok(HttpResponse::Ok().json(BulkResponse {
        internship_offers: results,
    }))
}
