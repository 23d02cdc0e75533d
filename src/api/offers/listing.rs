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
use crate::service::catalogue::Facets;
use crate::site::site_url;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferListing {
    pub pagination: Pagination,
    pub internship_offers: Vec<ListedOfferResponse>,
    /// Only when asked (`facets[]=…`): counts over every matching offer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<FacetsResponse>,
}

/// Counts of the matching offers by sector, ISO week and department, most frequent first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector: Option<Vec<SectorCount>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub week: Option<Vec<WeekCount>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<Vec<DepartmentCount>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectorCount {
    pub uuid: uuid::Uuid,
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeekCount {
    #[schema(example = "2027-W10")]
    pub week: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentCount {
    #[schema(example = "75")]
    pub code: String,
    pub count: u64,
}

impl From<Facets> for FacetsResponse {
    fn from(facets: Facets) -> Self {
        FacetsResponse {
            sector: facets.sector.map(|all| {
                let count = |(uuid, name, count)| SectorCount { uuid, name, count };
                all.into_iter().map(count).collect()
            }),
            week: facets.week.map(|all| {
                all.into_iter()
                    .map(|(week, count)| WeekCount { week, count })
                    .collect()
            }),
            department: facets.department.map(|all| {
                let count = |(code, count)| DepartmentCount { code, count };
                all.into_iter().map(count).collect()
            }),
        }
    }
}

/// One page of offers: its number, the total, its rows and the facets asked.
pub struct ListingPage {
    pub number: i64,
    pub total: i64,
    pub rows: Vec<ListedOffer>,
    pub facets: Option<Facets>,
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
    let listing = OfferListing {
        pagination: Pagination::new(
            page.total,
            page.number,
            &format!("{site}{}", req.path()),
            query,
        ),
        internship_offers: page.rows.into_iter().map(|row| context.item(row)).collect(),
        facets: page.facets.map(FacetsResponse::from),
    };
    crate::api::conditional::json_read(req, &listing)
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
