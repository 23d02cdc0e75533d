use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use diesel::PgConnection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::input::{Mode, OfferInput, offer_object};
use super::response::OfferResponse;
use super::{apply_sector, date_span, draft_errors, new_draft, resolve_weeks, values_of};
use crate::auth::{ApiCall, Partner};
use crate::db::models::{NewOffer, Offer};
use crate::db::queries::{offers, weeks};
use crate::domain::week::default_window;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Publishes a new offer.
///
/// Checks apply in the original's order: token (401), payload (422), weeks (422),
/// duplicate `remote_id` (409, even when other fields are invalid), validation (400).
#[utoipa::path(
    tag = "Offres",
    request_body(content = crate::api::request_docs::CreateOfferRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Offre créée et publiée", body = OfferResponse),
        (status = 400, description = "VALIDATION_ERROR", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 409, description = "DUPLICATE_API", body = ErrorBody),
        (status = 422, description = "BAD_PAYLOAD ou BAD_ARGUMENT (semaine)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/api/internship_offers")]
pub async fn create_offer(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ApiCall { partner, params } = call;
    let input = OfferInput::read(offer_object(&params)?, Mode::Create)?;
    let offer =
        crate::db::run(&state.pool, move |conn| insert_offer(conn, &partner, input)).await?;
    tracing::info!(offer.id = offer.id, "offer created");
    Ok(HttpResponse::Created().json(OfferResponse::from(&offer)))
}

fn insert_offer(
    conn: &mut PgConnection,
    partner: &Partner,
    input: OfferInput,
) -> Result<Offer, ApiError> {
    let offer_weeks = match input.weeks.as_deref() {
        Some(wanted) if !wanted.is_empty() => resolve_weeks(conn, wanted)?,
        _ => {
            let (from, to) = default_window(Utc::now().date_naive());
            weeks::overlapping(conn, from, to)?
        }
    };
    let mut draft = new_draft();
    input.apply_to(&mut draft);
    apply_sector(conn, &input, &mut draft)?;
    draft.has_weeks = !offer_weeks.is_empty();
    let errors = draft_errors(&input, &draft);
    let remote_id = draft.remote_id.trim().to_owned();
    if errors.get("remote_id").is_none()
        && offers::live_exists(conn, partner.operator_id, &remote_id)?
    {
        return Err(ApiError::DuplicateRemoteId(remote_id));
    }
    errors.into_result()?;
    // An offer without weeks was refused above ("Missing weeks").
    let dates =
        date_span(&offer_weeks).ok_or_else(|| ApiError::internal("no weeks after validation"))?;
    let new_offer = NewOffer {
        operator_id: partner.operator_id,
        account_id: partner.account_id,
        remote_id: remote_id.clone(),
        values: values_of(draft, dates)?,
    };
    let week_ids: Vec<i32> = offer_weeks.iter().map(|w| w.id).collect();
    offers::insert(conn, new_offer, &week_ids).map_err(|e| match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
            ApiError::DuplicateRemoteId(remote_id)
        }
        other => other.into(),
    })
}
