//! The listing response shared by "my offers" and the catalogue search, and its pagination
//! links, which carry the search they page through.

use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::response::{ListedOfferResponse, ListingContext};
use crate::api::pagination::Pagination;
use crate::auth::Partner;
use crate::db::models::ListedOffer;
use crate::request::search::SearchRequest;
use crate::site::site_url;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferListing {
    pub pagination: Pagination,
    pub internship_offers: Vec<ListedOfferResponse>,
}

/// One page of offers: its number, the total and its rows.
pub struct ListingPage {
    pub number: i64,
    pub total: i64,
    pub rows: Vec<ListedOffer>,
}

/// The listing response for one page of offers; links carry `query` and point to the
/// endpoint that was called.
pub fn listing_response(
    req: &HttpRequest,
    state: &AppState,
    partner: &Partner,
    page: ListingPage,
    query: &[(String, String)],
) -> HttpResponse {
    let site = site_url(req, state);
    let context = ListingContext {
        site: &site,
        utm_source: &partner.operator_name,
    };
    HttpResponse::Ok().json(OfferListing {
        pagination: Pagination::new(
            page.total,
            page.number,
            &format!("{site}{}", req.path()),
            query,
        ),
        internship_offers: page.rows.into_iter().map(|row| context.item(row)).collect(),
    })
}

/// The search parameters that pagination links carry, as `(key, value)`.
pub fn search_link_query(search: &SearchRequest) -> Vec<(String, String)> {
    let mut query: Vec<(&str, String)> = search
        .weeks
        .iter()
        .map(|week| ("weeks[]", week.to_string()))
        .collect();
    if let Some(near) = search.near {
        query.push(("latitude", near.latitude.to_string()));
        query.push(("longitude", near.longitude.to_string()));
        if search.radius_sent {
            query.push(("radius", near.radius_m.to_string()));
        }
    }
    if let Some(keyword) = search.keyword.as_ref().filter(|k| !k.is_empty()) {
        query.push(("keyword", keyword.clone()));
    }
    query.extend(
        search
            .sector_ids
            .iter()
            .map(|id| ("sector_ids[]", id.to_string())),
    );
    query.extend(
        search
            .sector_uuids
            .iter()
            .map(|uuid| ("sectors[]", uuid.to_string())),
    );
    query.extend(
        search
            .week_ids
            .iter()
            .map(|id| ("week_ids[]", id.to_string())),
    );
    query.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
