//! `POST /api/internship_offers/bulk`: up to 500 items in one transaction. New offers (the
//! first item of a `remote_id` no live offer of the operator has) are checked one by one and
//! written together, as the bulk import writes them (`service::batch_create`); every other item
//! goes, in a savepoint of its own, through the same upsert as the import (`service::upsert`).
//! A failed item changes nothing and stops nothing; the answer has one result per item, in
//! order, the same as if the items had been written one after the other.

use std::collections::HashSet;

use diesel::{Connection, PgConnection, QueryResult};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::auth::Partner;
use crate::db::queries::offers;
use crate::error::ApiError;
use crate::service::batch_create::{BatchCreator, default_weeks};
use crate::service::referentials::Referentials;
use crate::service::upsert::{is_deletion, remote_id_in, upsert};

/// Items a call may carry.
pub const MAX_ITEMS: usize = 500;

/// What became of one item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemResult {
    pub remote_id: Option<String>,
    /// `created`, `updated`, `unchanged`, `deleted` or `failed`.
    pub status: &'static str,
    /// For `failed`: the code the single-offer endpoint would answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// For `failed`: the error the single-offer endpoint would answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::error::error_detail_schema)]
    pub error: Option<Value>,
}

/// Writes the items; an unreachable database fails the whole call (nothing is kept).
pub fn apply(
    conn: &mut PgConnection,
    referentials: &Referentials,
    partner: &Partner,
    items: Vec<Value>,
) -> Result<Vec<ItemResult>, ApiError> {
    conn.transaction(|conn| {
        let mut results = create_fresh(conn, referentials, partner, &items)?;
        for (item, result) in items.into_iter().zip(results.iter_mut()) {
            if result.is_none() {
                *result = Some(apply_one(conn, referentials, partner, item)?);
            }
        }
        Ok(results.into_iter().flatten().collect())
    })
}

/// Checks and writes the new offers together; their results (None for the other items, and
/// for all when the write was refused: they then go one by one).
fn create_fresh(
    conn: &mut PgConnection,
    referentials: &Referentials,
    partner: &Partner,
    items: &[Value],
) -> Result<Vec<Option<ItemResult>>, ApiError> {
    let mut results: Vec<Option<ItemResult>> = items.iter().map(|_| None).collect();
    let fresh = fresh_items(conn, partner, items)?;
    let default_weeks = default_weeks(conn)?;
    let creator = BatchCreator {
        partner,
        referentials,
        default_weeks: &default_weeks,
    };
    let (mut checked, mut creations) = (vec![], vec![]);
    for (index, fields) in fresh {
        let remote_id = remote_id_in(&fields);
        match creator.check(conn, fields) {
            Ok(creation) => {
                checked.push((index, remote_id));
                creations.push(creation);
            }
            Err(error @ (ApiError::Unavailable | ApiError::Internal(_))) => return Err(error),
            Err(error) => results[index] = Some(failed(remote_id, &error)),
        }
    }
    if !creations.is_empty() && creator.write(conn, creations).is_ok() {
        for (index, remote_id) in checked {
            results[index] = Some(ItemResult {
                remote_id,
                status: "created",
                code: None,
                error: None,
            });
        }
    }
    Ok(results)
}

/// The items that create a new offer: objects, not deletions, whose `remote_id` no live offer
/// of the operator has and no earlier item names. Written first, they give what writing the
/// items in order would.
fn fresh_items(
    conn: &mut PgConnection,
    partner: &Partner,
    items: &[Value],
) -> QueryResult<Vec<(usize, Map<String, Value>)>> {
    let named: Vec<Option<String>> = items
        .iter()
        .map(|item| item.as_object().and_then(remote_id_in))
        .collect();
    let remote_ids: Vec<String> = named.iter().flatten().cloned().collect();
    let live: HashSet<String> = offers::live_remote_ids(conn, partner.operator_id, &remote_ids)?
        .into_iter()
        .collect();
    let mut seen = HashSet::new();
    let mut fresh = vec![];
    for (index, (item, remote_id)) in items.iter().zip(named).enumerate() {
        let Some(remote_id) = remote_id else { continue };
        let first = seen.insert(remote_id.clone());
        match item.as_object() {
            Some(fields)
                if first
                    && matches!(is_deletion(fields), Ok(false))
                    && !live.contains(&remote_id) =>
            {
                fresh.push((index, fields.clone()));
            }
            _ => {}
        }
    }
    Ok(fresh)
}

fn apply_one(
    conn: &mut PgConnection,
    referentials: &Referentials,
    partner: &Partner,
    item: Value,
) -> Result<ItemResult, ApiError> {
    let Value::Object(fields) = item else {
        return Ok(failed(
            None,
            &ApiError::PayloadNotAnObject("internship_offers[]"),
        ));
    };
    let remote_id = remote_id_in(&fields);
    let written = conn.transaction(|conn| upsert(conn, referentials, partner, fields));
    match written {
        Ok(done) => Ok(ItemResult {
            remote_id,
            status: done.status(),
            code: None,
            error: None,
        }),
        Err(error @ (ApiError::Unavailable | ApiError::Internal(_))) => Err(error),
        Err(error) => Ok(failed(remote_id, &error)),
    }
}

fn failed(remote_id: Option<String>, error: &ApiError) -> ItemResult {
    let body = error.body();
    ItemResult {
        remote_id,
        status: "failed",
        code: Some(error.code().code),
        error: Some(body.error),
    }
}

/// The items of a call: `internship_offers`, a list of 1 to `MAX_ITEMS` values.
pub fn items_of(params: &Map<String, Value>) -> Result<Vec<Value>, ApiError> {
    match params.get("internship_offers") {
        Some(Value::Array(items)) if items.len() > MAX_ITEMS => Err(ApiError::BulkTooLarge),
        Some(Value::Array(items)) if !items.is_empty() => Ok(items.clone()),
        _ => Err(ApiError::MissingPayload("internship_offers")),
    }
}
