//! `GET /api/internship_offers/search`: the national catalogue, for operators with full access.

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use super::listing::{ListingPage, OfferListing, listing_response, search_link_query};
use crate::api::pagination::PER_PAGE;
use crate::auth::ApiCall;
use crate::error::{ApiError, ErrorBody};
use crate::request::search::SearchRequest;
use crate::service::catalogue;
use crate::state::AppState;

/// Searches the catalogue: published, live offers that are not over and have seats left.
///
/// With `latitude`/`longitude` (and `radius` in metres, 10 000 by default), the offers
/// within the radius, nearest first; with `keyword` alone, the most relevant first;
/// otherwise the newest first. Totals are exact and every page can be reached. With
/// `facets[]=sector`, `facets[]=week` or `facets[]=department`, the answer also counts the
/// matching offers by those values (`facets`). A partner's search includes its own writes.
#[utoipa::path(
    get,
    path = "/api/internship_offers/search",
    params(
        ("latitude" = Option<f64>, Query, description = "Latitude du point de recherche"),
        ("longitude" = Option<f64>, Query, description = "Longitude du point de recherche"),
        ("radius" = Option<f64>, Query, description = "Rayon en mètres (10 000 par défaut)"),
        ("coordinates" = Option<Object>, Query, description = "Ou bien `coordinates[latitude]` et `coordinates[longitude]`, la forme du premier document partenaires"),
        ("keyword" = Option<String>, Query, description = "Mots recherchés (tous requis, préfixes, sans accents)"),
        ("sectors[]" = Option<Vec<String>>, Query, description = "uuid de secteurs"),
        ("sector_ids[]" = Option<Vec<i64>>, Query, description = "id de secteurs (GET /api/sectors)"),
        ("weeks[]" = Option<Vec<String>>, Query, description = "Semaines ISO 8601, ex. 2027-W10"),
        ("week_ids[]" = Option<Vec<i32>>, Query, description = "id internes de semaines"),
        ("page" = Option<i64>, Query, description = "Page, à partir de 1"),
        ("facets[]" = Option<Vec<String>>, Query, description = "Décomptes à ajouter : sector, week, department"),
    ),
    responses(
        (status = 200, description = "Offres du catalogue", body = OfferListing,
            headers(("X-Own-Writes-Pending" = String, description = "`true` quand la réponse a été donnée avant que l'index ne montre la dernière écriture de l'appelant (attente de 2 s au plus) : relancer la recherche un peu plus tard"))),
        (status = 400, description = "VALIDATION_ERROR", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED (wrong api token / access denied)", body = ErrorBody),
        (status = 422, description = "BAD_ARGUMENT (semaine)", body = ErrorBody),
        (status = 503, description = "SERVICE_UNAVAILABLE : l'index de recherche se met à jour au démarrage", body = ErrorBody),
    ),
)]
pub async fn search_offers(
    req: HttpRequest,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    respond(req, call, state).await
}

pub async fn respond(
    req: HttpRequest,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ApiCall { partner, params } = call;
    let request = SearchRequest::read(&params)?;
    let links = search_link_query(&request);
    let number = request.page;
    let window = (PER_PAGE, (number - 1).saturating_mul(PER_PAGE));
    let (index, referentials) = (state.search_index.clone(), state.referentials.clone());
    let operator_id = partner.operator_id;
    let found = crate::db::run(&state.pool, move |conn| {
        catalogue::search(conn, (&index, &referentials), operator_id, &request, window)
    })
    .await?;
    let page = ListingPage {
        number,
        total: found.total,
        rows: found.rows,
        facets: found.facets,
    };
    let mut response = listing_response(&req, &state, &partner, page, &links);
    if !found.own_write_shown {
        response
            .headers_mut()
            .insert(OWN_WRITES_PENDING, HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// On a search answered before the index showed the caller's last write (it waits 2 s at most).
pub const OWN_WRITES_PENDING: HeaderName = HeaderName::from_static("x-own-writes-pending");
