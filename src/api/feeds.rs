//! The changes feeds: `GET /api/internship_offers/changes` (the caller's operator's offers)
//! and `GET /api/catalogue/changes` (the whole catalogue, with full access).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::offers::response::{ListedOfferResponse, ListingContext, OfferResponse};
use crate::auth::ApiCall;
use crate::error::{ApiError, ErrorBody};
use crate::paris_time;
use crate::request::feeds::FeedRequest;
use crate::service::feeds::{self, Catalogue, FeedPage, OwnOffers};
use crate::site::site_url;
use crate::state::AppState;

/// The query of both feeds (read by `request::feeds::FeedRequest`; listed here for OpenAPI).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct FeedParams {
    /// Curseur reçu (`next_cursor` ou `cursor`) ; absent : depuis le début.
    since: Option<String>,
    /// Entrées par page, 1 à 1000 (100 par défaut).
    limit: Option<i64>,
}

/// `upsert`: the offer as it is now; `delete`: it is gone (deleted or, in the catalogue, left it).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeType {
    Upsert,
    Delete,
}

fn change_type<T>(offer: &Option<T>) -> ChangeType {
    match offer {
        Some(_) => ChangeType::Upsert,
        None => ChangeType::Delete,
    }
}

/// A page of the changes to my offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferChanges {
    pub changes: Vec<OfferChange>,
    /// The `since` of the next call (keep it: it is where your copy stands).
    pub next_cursor: String,
    /// Call again at once; otherwise you are up to date (poll again later with `next_cursor`).
    pub has_more: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferChange {
    /// Resume after this entry with `since=<cursor>`.
    pub cursor: String,
    #[serde(rename = "type")]
    pub change_type: ChangeType,
    pub remote_id: String,
    /// The offer now (the 15 keys of the offer JSON); null for a `delete`.
    pub offer: Option<OfferResponse>,
}

/// A page of the changes to the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueChanges {
    pub changes: Vec<CatalogueChange>,
    pub next_cursor: String,
    pub has_more: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueChange {
    pub cursor: String,
    #[serde(rename = "type")]
    pub change_type: ChangeType,
    /// The offer's public id, the one in its `url` (a `remote_id` is unique per operator only).
    pub id: i64,
    pub remote_id: String,
    /// The offer now, as search lists it; null for a `delete` (it left the catalogue).
    pub offer: Option<ListedOfferResponse>,
}

/// Every change to my operator's offers, in commit order.
///
/// Without `since`, the first pages hold every live offer (a snapshot), then the changes made
/// since it began: follow `next_cursor` while `has_more` is true; a copy that applies the
/// entries in order is then exactly the server's offers. Poll later with the last
/// `next_cursor`. Each entry holds the offer as it is when the page is read; an offer changed
/// several times within a page comes once.
#[utoipa::path(
    get,
    path = "/api/internship_offers/changes",
    params(FeedParams),
    responses(
        (status = 200, description = "Une page de changements", body = OfferChanges),
        (status = 400, description = "VALIDATION_ERROR (since, limit)", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 410, description = "CURSOR_EXPIRED : reprenez sans since", body = ErrorBody),
    ),
)]
pub async fn own_changes(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request = FeedRequest::read(&call.params)?;
    let source = OwnOffers {
        operator_id: call.partner.operator_id,
    };
    let page: FeedPage<_> = crate::db::run(&state.pool, move |conn| {
        feeds::page(conn, &source, request.since, request.limit)
    })
    .await?;
    let changes = page
        .changes
        .into_iter()
        .map(|change| OfferChange {
            cursor: change.cursor.to_string(),
            change_type: change_type(&change.offer.offer),
            remote_id: change.offer.remote_id,
            offer: change.offer.offer.as_ref().map(OfferResponse::from),
        })
        .collect();
    Ok(HttpResponse::Ok().json(OfferChanges {
        changes,
        next_cursor: page.next_cursor.to_string(),
        has_more: page.has_more,
    }))
}

/// Every change to the catalogue, in commit order (full access).
///
/// As `/api/internship_offers/changes`, for every operator's offers; `delete` also means that
/// the offer left the catalogue: unpublished, full, over or deleted. Offers are keyed by their
/// public `id`.
#[utoipa::path(
    get,
    path = "/api/catalogue/changes",
    params(FeedParams),
    responses(
        (status = 200, description = "Une page de changements du catalogue", body = CatalogueChanges),
        (status = 400, description = "VALIDATION_ERROR (since, limit)", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED (wrong api token / access denied)", body = ErrorBody),
        (status = 410, description = "CURSOR_EXPIRED : reprenez sans since", body = ErrorBody),
    ),
)]
pub async fn catalogue_changes(
    req: HttpRequest,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request = FeedRequest::read(&call.params)?;
    let source = Catalogue {
        today: paris_time::today(),
    };
    let page = crate::db::run(&state.pool, move |conn| {
        feeds::page(conn, &source, request.since, request.limit)
    })
    .await?;
    let site = site_url(&req, &state);
    let context = ListingContext {
        site: &site,
        utm_source: &call.partner.operator_name,
    };
    let changes = page
        .changes
        .into_iter()
        .map(|change| CatalogueChange {
            cursor: change.cursor.to_string(),
            change_type: change_type(&change.offer.offer),
            id: change.offer.offer_id,
            remote_id: change.offer.remote_id,
            offer: change.offer.offer.map(|offer| context.item(offer)),
        })
        .collect();
    Ok(HttpResponse::Ok().json(CatalogueChanges {
        changes,
        next_cursor: page.next_cursor.to_string(),
        has_more: page.has_more,
    }))
}
