use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::response::{ListedOfferResponse, ListingContext};
use crate::api::pagination::{PER_PAGE, Pagination, page_param};
use crate::api::site_url;
use crate::auth::ApiCall;
use crate::db::queries::offers;
use crate::error::{ApiError, ErrorBody};
use crate::startup::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferListing {
    pub pagination: Pagination,
    pub internship_offers: Vec<ListedOfferResponse>,
}

/// Lists the live offers of the caller's operator (all its accounts), newest first, 30 a page.
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
    let ApiCall { partner, params } = call;
    let page = page_param(&params)?;
    let operator_id = partner.operator_id;
    let (total, rows) = crate::db::run(&state.pool, move |conn| {
        Ok(offers::page_for_operator(
            conn,
            operator_id,
            page,
            PER_PAGE,
        )?)
    })
    .await?;
    let site = site_url(&req, &state);
    let context = ListingContext {
        site: &site,
        utm_source: &partner.operator_name,
    };
    let listing = OfferListing {
        pagination: Pagination::new(total, page, &format!("{site}{}", req.path()), &[]),
        internship_offers: rows
            .into_iter()
            .map(|(offer, sector)| context.item(&offer, sector))
            .collect(),
    };
    Ok(HttpResponse::Ok().json(listing))
}
