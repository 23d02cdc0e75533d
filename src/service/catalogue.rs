//! The catalogue search: a partner's search resolved against the referentials, then answered by
//! the search index (exact totals, every page, facets, the page's offers as listed). A
//! partner's search sees its own writes: it waits, bounded, for the index to reach the
//! partner's last change; past the wait it answers without it, and says so.

use std::collections::HashMap;
use std::time::Duration;

use diesel::PgConnection;

use crate::db::models::ListedOffer;
use crate::db::queries::{offer_events, sectors, weeks};
use crate::error::{ApiError, FieldErrors};
use crate::paris_time;
use crate::request::search::SearchRequest;
use crate::search::collector::{FacetCounts, FacetsAsked};
use crate::search::query::IndexFilters;
use crate::search::schema::{day_number, department_of};
use crate::search::{IndexSearch, SearchIndex};
use crate::service::referentials::Referentials;

/// How long a search waits for the index to show the caller's own last write.
const OWN_WRITES_WAIT: Duration = Duration::from_secs(2);

/// One page of results, the exact total and the facets asked.
#[derive(Debug)]
pub struct CataloguePage {
    pub total: i64,
    pub rows: Vec<ListedOffer>,
    pub facets: Option<Facets>,
    /// Whether the index showed the caller's last write within the wait (else the answer says
    /// it lacks it).
    pub own_write_shown: bool,
}

/// Counts over the whole match set, by value, most frequent first.
#[derive(Debug, Default, PartialEq)]
pub struct Facets {
    pub sector: Option<Vec<(uuid::Uuid, String, u64)>>,
    pub week: Option<Vec<(String, u64)>>,
    pub department: Option<Vec<(String, u64)>>,
}

pub fn search(
    conn: &mut PgConnection,
    (index, referentials): (&SearchIndex, &Referentials),
    operator_id: i64,
    request: &SearchRequest,
    (limit, offset): (i64, i64),
) -> Result<CataloguePage, ApiError> {
    let filters = resolve(conn, referentials, request)?;
    if !index.is_ready() {
        return Err(ApiError::Unavailable);
    }
    let own_write_shown = offer_events::last_position_of(conn, operator_id)?
        .is_none_or(|own| index.wait_for(own, OWN_WRITES_WAIT));
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let keep = offset.saturating_add(usize::try_from(limit).unwrap_or(0));
    let search = IndexSearch {
        filters,
        keep,
        facets: request.facets,
        today: day_number(paris_time::today()),
    };
    let page = index
        .search_page(&search, offset)
        .map_err(ApiError::internal)?;
    let facets = request
        .facets
        .any()
        .then(|| facets_of(conn, page.facets, request.facets))
        .transpose()?;
    Ok(CataloguePage {
        total: i64::try_from(page.total).unwrap_or(i64::MAX),
        rows: page.rows,
        facets,
        own_write_shown,
    })
}

/// The search with sector uuids and weeks resolved to ids; unknown ones are a 400 (a 422 for
/// weeks, as everywhere else).
pub fn resolve(
    conn: &mut PgConnection,
    referentials: &Referentials,
    request: &SearchRequest,
) -> Result<IndexFilters, ApiError> {
    let mut errors = FieldErrors::default();
    let sector_ids = sector_ids(conn, referentials, request, &mut errors)?;
    let found = weeks::find_ids(conn, &request.week_ids)?;
    for id in request.week_ids.iter().filter(|id| !found.contains(id)) {
        errors.add("week_ids", format!("semaine inconnue : {id}"));
    }
    let mut week_ids = request.week_ids.clone();
    if !request.weeks.is_empty() {
        week_ids.extend(
            referentials
                .weeks(conn, &request.weeks)?
                .iter()
                .map(|w| w.id),
        );
    }
    errors.into_result()?;
    Ok(IndexFilters {
        near: request.near,
        words: request.keyword_terms.clone(),
        sector_ids,
        week_ids,
    })
}

/// The sector ids asked for, by id or by uuid; unknown ones are recorded.
fn sector_ids(
    conn: &mut PgConnection,
    referentials: &Referentials,
    request: &SearchRequest,
    errors: &mut FieldErrors,
) -> Result<Vec<i64>, ApiError> {
    if !request.sector_ids.is_empty() {
        let known = sectors::all(conn)?;
        for id in &request.sector_ids {
            if !known.iter().any(|s| s.id == *id) {
                errors.add("sector_ids", format!("secteur inconnu : {id}"));
            }
        }
    }
    let mut ids = request.sector_ids.clone();
    for uuid in &request.sector_uuids {
        match referentials.sector_id(conn, *uuid)? {
            Some(id) => ids.push(id),
            None => errors.add("sectors", format!("secteur inconnu : {uuid}")),
        }
    }
    Ok(ids)
}

/// The facet counts with their values as partners know them (sector uuids and names, ISO
/// weeks, department codes), most frequent first.
fn facets_of(
    conn: &mut PgConnection,
    counts: FacetCounts,
    asked: FacetsAsked,
) -> Result<Facets, ApiError> {
    let by_count = |mut entries: Vec<(String, u64)>| {
        entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        entries
    };
    let sector = if counts.sector.is_empty() {
        vec![]
    } else {
        let known: HashMap<u64, _> = sectors::all(conn)?
            .into_iter()
            .map(|s| (s.id as u64, s))
            .collect();
        let mut listed: Vec<_> = counts
            .sector
            .iter()
            .filter_map(|(id, n)| known.get(id).map(|s| (s.uuid, s.name.clone(), *n)))
            .collect();
        listed.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
        listed
    };
    let week_ids: Vec<i32> = counts.week.keys().map(|id| *id as i32).collect();
    let labels: HashMap<i32, String> = weeks::labels(conn, &week_ids)?.into_iter().collect();
    let week = counts
        .week
        .iter()
        .filter_map(|(id, n)| labels.get(&(*id as i32)).map(|label| (label.clone(), *n)))
        .collect();
    let department = counts
        .department
        .iter()
        .map(|(code, n)| (department_of(*code), *n))
        .collect();
    Ok(Facets {
        sector: asked.sector.then_some(sector),
        week: asked.week.then(|| by_count(week)),
        department: asked.department.then(|| by_count(department)),
    })
}
