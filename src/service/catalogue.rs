//! The catalogue search: a partner's search resolved against the referentials, then run.

use diesel::PgConnection;

use crate::db::models::ListedOffer;
use crate::db::queries::catalogue::{self, SearchFilters};
use crate::db::queries::{sectors, weeks};
use crate::error::{ApiError, FieldErrors};
use crate::request::search::SearchRequest;
use crate::service::offers::resolve_weeks;

/// One page of the search and the (capped) total.
pub fn search(
    conn: &mut PgConnection,
    request: &SearchRequest,
    result_cap: i64,
    (limit, offset): (i64, i64),
) -> Result<(i64, Vec<ListedOffer>), ApiError> {
    let filters = filters(conn, request, result_cap)?;
    Ok(catalogue::search(conn, &filters, limit, offset)?)
}

/// The filters of a search, with sector uuids and weeks resolved to ids; unknown ones are a
/// 400 (a 422 for weeks, as everywhere else).
pub fn filters(
    conn: &mut PgConnection,
    request: &SearchRequest,
    result_cap: i64,
) -> Result<SearchFilters, ApiError> {
    let mut errors = FieldErrors::default();
    let sector_ids = sector_ids(conn, request, &mut errors)?;
    let found = weeks::find_ids(conn, &request.week_ids)?;
    for id in request.week_ids.iter().filter(|id| !found.contains(id)) {
        errors.add("week_ids", format!("semaine inconnue : {id}"));
    }
    let mut week_ids = request.week_ids.clone();
    week_ids.extend(resolve_weeks(conn, &request.weeks)?.iter().map(|w| w.id));
    errors.into_result()?;
    let tsquery = (!request.keyword_terms.is_empty()).then(|| {
        request
            .keyword_terms
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & ")
    });
    Ok(SearchFilters {
        near: request.near,
        tsquery,
        sector_ids,
        week_ids,
        result_cap,
    })
}

/// The sector ids asked for, by id or by uuid; unknown ones are recorded.
fn sector_ids(
    conn: &mut PgConnection,
    request: &SearchRequest,
    errors: &mut FieldErrors,
) -> Result<Vec<i64>, ApiError> {
    if request.sector_ids.is_empty() && request.sector_uuids.is_empty() {
        return Ok(vec![]);
    }
    let known = sectors::all(conn)?;
    for id in &request.sector_ids {
        if !known.iter().any(|s| s.id == *id) {
            errors.add("sector_ids", format!("secteur inconnu : {id}"));
        }
    }
    let mut ids = request.sector_ids.clone();
    for uuid in &request.sector_uuids {
        match known.iter().find(|s| s.uuid == *uuid) {
            Some(sector) => ids.push(sector.id),
            None => errors.add("sectors", format!("secteur inconnu : {uuid}")),
        }
    }
    Ok(ids)
}
