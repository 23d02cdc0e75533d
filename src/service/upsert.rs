//! One offer written by its `remote_id`, as the bulk endpoint and the bulk import both write
//! each item: `{"remote_id", "deleted": true}` deletes the operator's live offer; otherwise the
//! item creates the offer, or changes the live one (nothing at all when nothing differs). Each
//! item is read and validated exactly as the single-offer endpoints read and validate it.

use diesel::PgConnection;
use serde_json::{Map, Value};

use crate::auth::Partner;
use crate::db::queries::offers;
use crate::domain::conditional::Precondition;
use crate::domain::field_errors::FieldErrors;
use crate::error::ApiError;
use crate::request::offers::{CreateOfferRequest, UpdateOfferRequest};
use crate::service::offers::{self as offer_service, Updated};
use crate::service::referentials::Referentials;

/// What an item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    Updated,
    Unchanged,
    Deleted,
}

impl Upserted {
    pub fn status(&self) -> &'static str {
        match self {
            Upserted::Created => "created",
            Upserted::Updated => "updated",
            Upserted::Unchanged => "unchanged",
            Upserted::Deleted => "deleted",
        }
    }
}

/// The `remote_id` an item names, as the API reads it.
pub fn remote_id_in(fields: &Map<String, Value>) -> Option<String> {
    fields
        .get("remote_id")
        .and_then(|v| crate::request::values::trimmed_text(v).ok())
        .and_then(|v| v.value())
}

/// The request's parameters around an item (the single endpoints read `internship_offer`).
pub fn wrap(fields: Map<String, Value>) -> Map<String, Value> {
    Map::from_iter([("internship_offer".to_owned(), Value::Object(fields))])
}

/// Whether an item asks for a deletion (`"deleted": true`), `deleted` read as every boolean of
/// the API is (`request::values::boolean`: `true`, `"true"`, `1`, `"yes"`…); anything else is a
/// `VALIDATION_ERROR` of the item, never silence.
pub fn is_deletion(fields: &Map<String, Value>) -> Result<bool, ApiError> {
    let Some(deleted) = fields.get("deleted") else {
        return Ok(false);
    };
    crate::request::values::boolean(deleted)
        .map(|field| field.value().unwrap_or(false))
        .map_err(|refusal| ApiError::Validation(FieldErrors::one("deleted", refusal)))
}

/// Writes one item, in the caller's transaction.
pub fn upsert(
    conn: &mut PgConnection,
    referentials: &Referentials,
    partner: &Partner,
    fields: Map<String, Value>,
) -> Result<Upserted, ApiError> {
    let remote_id = remote_id_in(&fields);
    if is_deletion(&fields)? {
        let id = remote_id.ok_or_else(|| {
            ApiError::Validation(FieldErrors::one("remote_id", "Missing remote_id"))
        })?;
        let unconditional = Precondition::Unconditional;
        offer_service::destroy(conn, partner, &id, &unconditional)?;
        return Ok(Upserted::Deleted);
    }
    let params = wrap(fields);
    let live = match &remote_id {
        Some(id) => offers::live_exists(conn, partner.operator_id, id)?,
        None => false,
    };
    match remote_id.filter(|_| live) {
        Some(id) => {
            let request = UpdateOfferRequest::read(&params);
            let unconditional = Precondition::Unconditional;
            let Updated { changed, .. } =
                offer_service::update(conn, referentials, partner, &id, request, &unconditional)?;
            Ok(if changed {
                Upserted::Updated
            } else {
                Upserted::Unchanged
            })
        }
        None => {
            let request = CreateOfferRequest::read(&params)?;
            offer_service::create(conn, referentials, partner, request)?;
            Ok(Upserted::Created)
        }
    }
}
