use actix_web::{HttpRequest, HttpResponse, web};

use super::listing::{ListingPage, OfferListing, listing_response};
use super::search;
use crate::api::pagination::PER_PAGE;
use crate::auth::ApiCall;
use crate::db::queries::offers;
use crate::edge::route::Resolved;
use crate::error::{ApiError, ErrorBody};
use crate::request::page::PageRequest;
use crate::state::AppState;

/// Lists the live offers of the caller's operator (all its accounts), newest first, 30 a page.
///
/// Sent with search parameters (`keyword`, `coordinates`, `radius`…, the form of the first
/// partner documentation), it answers as `/api/internship_offers/search`.
#[utoipa::path(
    get,
    path = "/api/internship_offers",
    params(("page" = Option<i64>, Query, description = "Page, à partir de 1")),
    responses(
        (status = 200, description = "Mes offres", body = OfferListing),
        (status = 400, description = "VALIDATION_ERROR (page invalide)", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
    ),
)]
pub async fn list_offers(
    req: HttpRequest,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if Resolved::of(&req).is_some_and(|route| route.searching) {
        return search::respond(req, call, state).await;
    }
    let ApiCall { partner, params } = call;
    let request = PageRequest::read(&params)?;
    let (operator_id, offset) = (partner.operator_id, request.offset());
    let (total, rows) = crate::db::run(&state.pool, move |conn| {
        Ok::<_, ApiError>(offers::live_page(conn, operator_id, PER_PAGE, offset)?)
    })
    .await?;
    let page = ListingPage {
        number: request.page,
        total,
        rows,
        facets: None,
    };
    Ok(listing_response(&req, &state, &partner, page, &[]))
}
