use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::response::{ListedOfferResponse, ListingContext};
use super::search::{self, SearchParams};
use crate::api::pagination::{PER_PAGE, Pagination, page_param};
use crate::api::site_url;
use crate::auth::{ApiCall, Partner};
use crate::db::queries::catalogue::{self, ListedOffer};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferListing {
    pub pagination: Pagination,
    pub internship_offers: Vec<ListedOfferResponse>,
}

/// The listing response for one page of offers; links carry `query` and point to the
/// endpoint that was called.
pub fn listing_response(
    req: &HttpRequest,
    state: &AppState,
    partner: &Partner,
    page: (i64, i64, Vec<ListedOffer>),
    query: &[(String, String)],
) -> HttpResponse {
    let (number, total, rows) = page;
    let site = site_url(req, state);
    let context = ListingContext {
        site: &site,
        utm_source: &partner.operator_name,
    };
    HttpResponse::Ok().json(OfferListing {
        pagination: Pagination::new(total, number, &format!("{site}{}", req.path()), query),
        internship_offers: rows.into_iter().map(|row| context.item(row)).collect(),
    })
}

/// Lists the live offers of the caller's operator (all its accounts), newest first, 30 a page.
///
/// Sent with search parameters (`keyword`, `coordinates`, `radius`…, the form of the first
/// partner documentation), it answers as `/api/internship_offers/search`.
#[utoipa::path(
    tag = "Offres",
    params(("page" = Option<i64>, Query, description = "Page, à partir de 1")),
    responses(
        (status = 200, description = "Mes offres", body = OfferListing),
        (status = 400, description = "VALIDATION_ERROR (page invalide)", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/api/internship_offers")]
pub async fn list_offers(
    req: HttpRequest,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if SearchParams::present_in(&call.params) {
        return search::respond(req, call, state).await;
    }
    let ApiCall { partner, params } = call;
    let page = page_param(&params)?;
    let offset = (page - 1).saturating_mul(PER_PAGE);
    let count = catalogue::operator_count_statement(partner.operator_id);
    let rows = catalogue::operator_page_statement(partner.operator_id, PER_PAGE, offset);
    let (total, rows) = crate::db::run(&state.pool, move |conn| {
        Ok(catalogue::count_and_page(conn, &count, &rows, offset)?)
    })
    .await?;
    Ok(listing_response(
        &req,
        &state,
        &partner,
        (page, total, rows),
        &[],
    ))
}
