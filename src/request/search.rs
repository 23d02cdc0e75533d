//! The typed request of the catalogue search, read from the query string or a JSON body.

use serde_json::Value;

use crate::domain::catalogue::FacetsAsked;
use crate::domain::geo::Near;
use crate::domain::week::IsoWeek;
use crate::error::ApiError;
use crate::request::page::page_of;
use crate::request::read::{self, iso_week};
use crate::request::{Field, Fields, Params, values};

pub const DEFAULT_RADIUS_M: f64 = 10_000.0;
const MAX_RADIUS_M: f64 = 20_000_000.0;
const MAX_KEYWORD_CHARS: usize = 200;

/// `GET /api/internship_offers/search` (and `GET /api/internship_offers` with these keys).
#[derive(Debug, Default, PartialEq)]
pub struct SearchRequest {
    pub near: Option<Near>,
    /// Whether `radius` was sent (pagination links then carry it).
    pub radius_sent: bool,
    /// The keyword as sent, trimmed.
    pub keyword: Option<String>,
    /// Its words, lower case: every one must match (as a prefix).
    pub keyword_terms: Vec<String>,
    pub sector_ids: Vec<i64>,
    pub sector_uuids: Vec<uuid::Uuid>,
    pub week_ids: Vec<i32>,
    pub weeks: Vec<IsoWeek>,
    pub page: i64,
    /// The facets to count (`facets[]=sector&facets[]=week&facets[]=department`).
    pub facets: FacetsAsked,
}

/// The keys that make a request to "my offers" a search.
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

impl SearchRequest {
    /// Whether a request to the "my offers" route carries search parameters.
    pub fn present_in(params: &Params) -> bool {
        SEARCH_KEYS
            .iter()
            .any(|key| params.get(*key).is_some_and(|v| !v.is_null()))
    }

    /// Malformed weeks are a 422 `BAD_ARGUMENT`; any other refused value, a 400.
    pub fn read(params: &Params) -> Result<SearchRequest, ApiError> {
        Self::read_from(&mut Fields::new(params))
    }

    /// The parameters this request reads (the OpenAPI document lists the same).
    pub fn keys_read() -> Vec<&'static str> {
        read::keys_read_by(Self::read_from)
    }

    fn read_from(f: &mut Fields<'_>) -> Result<SearchRequest, ApiError> {
        let weeks = f.list("weeks").into_iter().map(iso_week);
        let mut search = SearchRequest {
            weeks: weeks.collect::<Result<_, _>>()?,
            ..SearchRequest::default()
        };
        search.read_place(f);
        search.read_keyword(f);
        search.sector_ids = ids(f, "sector_ids", "identifiant de secteur invalide");
        search.sector_uuids = uuids(f);
        search.week_ids = ids(f, "week_ids", "identifiant de semaine invalide");
        search.page = page_of(f);
        search.facets = facets(f);
        f.errors().clone().into_result()?;
        Ok(search)
    }

    fn read_place(&mut self, f: &mut Fields<'_>) {
        let nested = f.get("coordinates").and_then(Value::as_object).cloned();
        let mut component = |name: &'static str, limit: f64| {
            let value = f
                .get(name)
                .or_else(|| nested.as_ref().and_then(|c| c.get(name)));
            match value.map(values::number) {
                None | Some(Ok(Field::Absent | Field::Cleared)) => None,
                Some(Ok(Field::Set(v))) if v.abs() <= limit => Some(v),
                Some(Ok(Field::Set(_))) => {
                    f.refuse(name, format!("doit être compris entre -{limit} et {limit}"));
                    None
                }
                Some(Err(refusal)) => {
                    f.refuse(name, refusal);
                    None
                }
            }
        };
        let (latitude, longitude) = (component("latitude", 90.0), component("longitude", 180.0));
        self.radius_sent = f.get("radius").is_some();
        let radius_m = match f.get("radius").map(values::number) {
            None | Some(Ok(Field::Absent | Field::Cleared)) => Some(DEFAULT_RADIUS_M),
            Some(Ok(Field::Set(r))) if r > 0.0 && r <= MAX_RADIUS_M => Some(r),
            _ => {
                f.refuse(
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
                })
            }
            (Some(_), None, _) if !f.errors().has("longitude") => {
                f.refuse("longitude", "manquante (avec latitude)")
            }
            (None, Some(_), _) if !f.errors().has("latitude") => {
                f.refuse("latitude", "manquante (avec longitude)")
            }
            _ => {}
        }
    }

    fn read_keyword(&mut self, f: &mut Fields<'_>) {
        let Some(keyword) = f.trimmed_text("keyword") else {
            return;
        };
        if keyword.chars().count() > MAX_KEYWORD_CHARS {
            f.refuse(
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
        self.keyword = Some(keyword);
    }
}

/// A list of integer ids; each refused one is recorded as `<message> : <value>`.
fn ids<T: TryFrom<i64>>(f: &mut Fields<'_>, key: &'static str, message: &str) -> Vec<T> {
    let mut ids = vec![];
    for value in f.list(key) {
        match values::integer(value).map(|id| id.value().map(T::try_from)) {
            Ok(Some(Ok(id))) => ids.push(id),
            _ => f.refuse(key, format!("{message} : {value}")),
        }
    }
    ids
}

fn facets(f: &mut Fields<'_>) -> FacetsAsked {
    let mut asked = FacetsAsked::default();
    for value in f.list("facets") {
        match value.as_str().map(str::trim) {
            Some("sector") => asked.sector = true,
            Some("week") => asked.week = true,
            Some("department") => asked.department = true,
            _ => f.refuse(
                "facets",
                format!("facette inconnue : {value} (sector, week ou department)"),
            ),
        }
    }
    asked
}

fn uuids(f: &mut Fields<'_>) -> Vec<uuid::Uuid> {
    let mut uuids = vec![];
    for value in f.list("sectors") {
        let text = values::trimmed_text(value).ok().and_then(Field::value);
        match text.as_deref().map(uuid::Uuid::parse_str) {
            Some(Ok(uuid)) => uuids.push(uuid),
            _ => f.refuse(
                "sectors",
                format!("secteur inconnu : {}", text.unwrap_or_default()),
            ),
        }
    }
    uuids
}
