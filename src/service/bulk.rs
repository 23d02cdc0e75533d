//! `POST /api/internship_offers/bulk`: up to 500 items in one transaction, each in a savepoint
//! of its own through the same upsert as the bulk import (`service::upsert`): a failed item
//! changes nothing and stops nothing; the answer has one result per item, in order.

use diesel::{Connection, PgConnection};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::auth::Partner;
use crate::error::ApiError;
use crate::service::referentials::Referentials;
use crate::service::upsert::{remote_id_in, upsert};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
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
        items
            .into_iter()
            .map(|item| apply_one(conn, referentials, partner, item))
            .collect()
    })
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
