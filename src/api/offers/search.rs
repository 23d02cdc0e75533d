//! `GET /api/internship_offers/search`: the national catalogue, for operators with full access.

use actix_web::{HttpRequest, HttpResponse, get, web};
use diesel::PgConnection;
use serde_json::Value;

use super::listing::{OfferListing, listing_response};
use crate::api::pagination::{PER_PAGE, page_param};
use crate::auth::ApiCall;
use crate::db::queries::catalogue::{self, Near, SearchFilters};
use crate::db::queries::{sectors, weeks};
use crate::domain::week::IsoWeek;
use crate::error::{ApiError, ErrorBody, FieldErrors};
use crate::params::Params;
use crate::state::AppState;

pub const DEFAULT_RADIUS_M: f64 = 10_000.0;
const MAX_RADIUS_M: f64 = 20_000_000.0;
const MAX_KEYWORD_CHARS: usize = 200;

/// The search parameters, read from the query string or a JSON body.
#[derive(Debug, Default)]
pub struct SearchParams {
    pub near: Option<Near>,
    pub keyword_terms: Vec<String>,
    pub sector_ids: Vec<i64>,
    pub sector_uuids: Vec<uuid::Uuid>,
    pub week_ids: Vec<i32>,
    pub weeks: Vec<IsoWeek>,
    pub page: i64,
    /// The parameters to carry in pagination links, as `(key, value)`.
    pub link_query: Vec<(String, String)>,
}

const SEARCH_KEYS: [&str; 9] = [
    "keyword",
    "coordinates",
    "latitude",
    "longitude",
    "radius",
    "sector_ids",
    "sectors",
    "week_ids",
    "weeks",
];

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A parameter that may be sent once or as a list (`sector_ids[]=1&sector_ids[]=2`).
fn list_of(params: &Params, key: &str) -> Vec<Value> {
    match params.get(key) {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(items)) => items.clone(),
        Some(Value::String(s)) if s.trim().is_empty() => vec![],
        Some(other) => vec![other.clone()],
    }
}

fn number(value: Option<&Value>) -> Result<Option<f64>, ()> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match scalar_text(v).as_deref() {
            Some("") => Ok(None),
            Some(text) => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Some)
                .ok_or(()),
            None => Err(()),
        },
    }
}

impl SearchParams {
    /// Whether a request to the "my offers" route carries search parameters.
    pub fn present_in(params: &Params) -> bool {
        SEARCH_KEYS
            .iter()
            .any(|key| params.get(*key).is_some_and(|v| !v.is_null()))
    }

    pub fn read(params: &Params) -> Result<SearchParams, ApiError> {
        let mut errors = FieldErrors::default();
        let mut search = SearchParams {
            page: 1,
            ..SearchParams::default()
        };
        search.weeks = read_weeks(params, &mut search.link_query)?;
        search.read_place(params, &mut errors);
        search.read_keyword(params, &mut errors);
        search.read_ids(params, &mut errors);
        match page_param(params) {
            Ok(page) => search.page = page,
            Err(ApiError::Validation(page_errors)) => errors.merge_new_fields(page_errors),
            Err(other) => return Err(other),
        }
        errors.into_result()?;
        Ok(search)
    }

    fn read_place(&mut self, params: &Params, errors: &mut FieldErrors) {
        let nested = params.get("coordinates").and_then(Value::as_object);
        let component = |name: &str| {
            params
                .get(name)
                .or_else(|| nested.and_then(|c| c.get(name)))
        };
        let mut read = |name: &str, limit: f64| match number(component(name)) {
            Ok(Some(v)) if v.abs() <= limit => Some(v),
            Ok(Some(_)) => {
                errors.add(name, format!("doit être compris entre -{limit} et {limit}"));
                None
            }
            Ok(None) => None,
            Err(()) => {
                errors.add(name, "doit être un nombre");
                None
            }
        };
        let (latitude, longitude) = (read("latitude", 90.0), read("longitude", 180.0));
        let radius_m = match number(params.get("radius")) {
            Ok(None) => Some(DEFAULT_RADIUS_M),
            Ok(Some(r)) if r > 0.0 && r <= MAX_RADIUS_M => Some(r),
            _ => {
                errors.add(
                    "radius",
                    "doit être un nombre de mètres entre 1 et 20000000",
                );
                None
            }
        };
        match (latitude, longitude, radius_m) {
            (Some(latitude), Some(longitude), Some(radius_m)) => {
                self.near = Some(Near {
                    latitude,
                    longitude,
                    radius_m,
                });
                self.link_query.extend([
                    ("latitude".to_owned(), latitude.to_string()),
                    ("longitude".to_owned(), longitude.to_string()),
                ]);
                if params.contains_key("radius") {
                    self.link_query
                        .push(("radius".to_owned(), radius_m.to_string()));
                }
            }
            (Some(_), None, _) if errors.get("longitude").is_none() => {
                errors.add("longitude", "manquante (avec latitude)")
            }
            (None, Some(_), _) if errors.get("latitude").is_none() => {
                errors.add("latitude", "manquante (avec longitude)")
            }
            _ => {}
        }
    }

    fn read_keyword(&mut self, params: &Params, errors: &mut FieldErrors) {
        let Some(value) = params.get("keyword").filter(|v| !v.is_null()) else {
            return;
        };
        let Some(keyword) = scalar_text(value) else {
            errors.add("keyword", "doit être une chaîne de caractères");
            return;
        };
        if keyword.chars().count() > MAX_KEYWORD_CHARS {
            errors.add(
                "keyword",
                format!("est trop long (pas plus de {MAX_KEYWORD_CHARS} caractères)"),
            );
            return;
        }
        self.keyword_terms = keyword
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase)
            .collect();
        if !keyword.is_empty() {
            self.link_query.push(("keyword".to_owned(), keyword));
        }
    }

    fn read_ids(&mut self, params: &Params, errors: &mut FieldErrors) {
        for value in list_of(params, "sector_ids") {
            match scalar_text(&value).and_then(|t| t.parse::<i64>().ok()) {
                Some(id) => self.sector_ids.push(id),
                None => errors.add(
                    "sector_ids",
                    format!("identifiant de secteur invalide : {value}"),
                ),
            }
        }
        for value in list_of(params, "sectors") {
            match scalar_text(&value).and_then(|t| uuid::Uuid::parse_str(&t).ok()) {
                Some(uuid) => self.sector_uuids.push(uuid),
                None => errors.add(
                    "sectors",
                    format!(
                        "secteur inconnu : {}",
                        scalar_text(&value).unwrap_or_default()
                    ),
                ),
            }
        }
        for value in list_of(params, "week_ids") {
            match scalar_text(&value).and_then(|t| t.parse::<i32>().ok()) {
                Some(id) => self.week_ids.push(id),
                None => errors.add(
                    "week_ids",
                    format!("identifiant de semaine invalide : {value}"),
                ),
            }
        }
        let ids = self
            .sector_ids
            .iter()
            .map(|id| ("sector_ids[]", id.to_string()));
        let uuids = self
            .sector_uuids
            .iter()
            .map(|uuid| ("sectors[]", uuid.to_string()));
        let week_ids = self
            .week_ids
            .iter()
            .map(|id| ("week_ids[]", id.to_string()));
        let pairs: Vec<_> = ids
            .chain(uuids)
            .chain(week_ids)
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        self.link_query.extend(pairs);
    }

    /// The filters, with sector uuids and weeks resolved to ids; unknown ones are a 400
    /// (a 422 for weeks, as everywhere else).
    pub fn filters(
        &self,
        conn: &mut PgConnection,
        result_cap: i64,
    ) -> Result<SearchFilters, ApiError> {
        let mut errors = FieldErrors::default();
        let wants_sectors = !self.sector_ids.is_empty() || !self.sector_uuids.is_empty();
        let known_sectors = if wants_sectors {
            sectors::all(conn)?
        } else {
            vec![]
        };
        for id in &self.sector_ids {
            if !known_sectors.iter().any(|s| s.id == *id) {
                errors.add("sector_ids", format!("secteur inconnu : {id}"));
            }
        }
        let mut sector_ids = self.sector_ids.clone();
        for uuid in &self.sector_uuids {
            match known_sectors.iter().find(|s| s.uuid == *uuid) {
                Some(sector) => sector_ids.push(sector.id),
                None => errors.add("sectors", format!("secteur inconnu : {uuid}")),
            }
        }
        let mut week_ids = self.week_ids.clone();
        let found = weeks::find_ids(conn, &self.week_ids)?;
        for id in &self.week_ids {
            if !found.contains(id) {
                errors.add("week_ids", format!("semaine inconnue : {id}"));
            }
        }
        week_ids.extend(
            super::resolve_weeks(conn, &self.weeks)?
                .iter()
                .map(|w| w.id),
        );
        errors.into_result()?;
        let tsquery = (!self.keyword_terms.is_empty()).then(|| {
            self.keyword_terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ")
        });
        Ok(SearchFilters {
            near: self.near,
            tsquery,
            sector_ids,
            week_ids,
            result_cap,
        })
    }
}

fn read_weeks(
    params: &Params,
    link_query: &mut Vec<(String, String)>,
) -> Result<Vec<IsoWeek>, ApiError> {
    list_of(params, "weeks")
        .iter()
        .map(|value| {
            let week = value
                .as_str()
                .and_then(|s| IsoWeek::parse(s.trim()))
                .ok_or_else(|| {
                    let shown = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    ApiError::BadArgument(format!(
                        "bad week format: {shown}, expecting ISO 8601 format"
                    ))
                })?;
            link_query.push(("weeks[]".to_owned(), week.to_string()));
            Ok(week)
        })
        .collect()
}

/// Searches the catalogue: published, live offers that are not over and have seats left.
///
/// With `latitude`/`longitude` (and `radius` in metres, 10 000 by default), the offers
/// within the radius, nearest first; with `keyword` alone, the most relevant first;
/// otherwise the newest first. At most 1 000 offers are considered (`SEARCH_RESULT_CAP`):
/// totals above it are reported as 1 000.
#[utoipa::path(
    tag = "Offres",
    params(
        ("latitude" = Option<f64>, Query, description = "Latitude du point de recherche"),
        ("longitude" = Option<f64>, Query, description = "Longitude du point de recherche"),
        ("radius" = Option<f64>, Query, description = "Rayon en mètres (10 000 par défaut)"),
        ("keyword" = Option<String>, Query, description = "Mots recherchés (tous requis, préfixes, sans accents)"),
        ("sectors[]" = Option<Vec<String>>, Query, description = "uuid de secteurs"),
        ("sector_ids[]" = Option<Vec<i64>>, Query, description = "id de secteurs (GET /api/sectors)"),
        ("weeks[]" = Option<Vec<String>>, Query, description = "Semaines ISO 8601, ex. 2027-W10"),
        ("week_ids[]" = Option<Vec<i32>>, Query, description = "id internes de semaines"),
        ("page" = Option<i64>, Query, description = "Page, à partir de 1"),
    ),
    responses(
        (status = 200, description = "Offres du catalogue", body = OfferListing),
        (status = 400, description = "VALIDATION_ERROR", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED (wrong api token / access denied)", body = ErrorBody),
        (status = 422, description = "BAD_ARGUMENT (semaine)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/api/internship_offers/search")]
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
    if !partner.api_full_access {
        return Err(ApiError::AccessDenied);
    }
    let search = SearchParams::read(&params)?;
    let (page, link_query) = (search.page, search.link_query.clone());
    let offset = (page - 1).saturating_mul(PER_PAGE);
    let result_cap = state.search_result_cap;
    let (total, rows) = crate::db::run(&state.pool, move |conn| {
        let filters = search.filters(conn, result_cap)?;
        Ok(catalogue::search(conn, &filters, PER_PAGE, offset)?)
    })
    .await?;
    Ok(listing_response(
        &req,
        &state,
        &partner,
        (page, total, rows),
        &link_query,
    ))
}
