//! The listing response shared by "my offers" and the catalogue search.

use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::response::{ListedOfferResponse, ListingContext};
use crate::api::pagination::Pagination;
use crate::api::site_url;
use crate::auth::Partner;
use crate::db::queries::catalogue::ListedOffer;
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
