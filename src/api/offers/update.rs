use actix_web::{HttpResponse, patch, put, web};
use chrono::Utc;
use diesel::PgConnection;

use super::input::{Mode, OfferInput, offer_object};
use super::response::OfferResponse;
use super::{apply_sector, date_span, draft_errors, draft_of, resolve_weeks, values_of};
use crate::auth::{ApiCall, Partner};
use crate::db::models::Offer;
use crate::db::queries::offers;
use crate::error::{ApiError, ErrorBody};
use crate::params::Params;
use crate::state::AppState;

/// Modifies an offer of the caller's operator (PATCH; PUT behaves the same).
///
/// Only the fields sent change. `weeks` replaces the whole list (an empty list is refused
/// and deletes nothing). `published_at: null` unpublishes; a date republishes an
/// unpublished offer with the current time, or is stored as sent on a published one.
/// Checks apply in the original's order: 401, 404, 422 payload, 403, 422 weeks, 400.
#[utoipa::path(
    tag = "Offres",
    params(("remote_id" = String, Path, description = "Identifiant de l'offre chez le partenaire")),
    request_body(content = crate::api::request_docs::UpdateOfferRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Offre modifiée", body = OfferResponse),
        (status = 400, description = "VALIDATION_ERROR", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 403, description = "FORBIDDEN: l'offre appartient à un autre opérateur", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 422, description = "BAD_PAYLOAD ou BAD_ARGUMENT (semaine)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[patch("/api/internship_offers/{remote_id}")]
pub async fn update_offer(
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    respond(path.into_inner(), call, state).await
}

/// Same as PATCH, kept for partners that send PUT.
#[utoipa::path(
    tag = "Offres",
    params(("remote_id" = String, Path, description = "Identifiant de l'offre chez le partenaire")),
    request_body(content = crate::api::request_docs::UpdateOfferRequest, content_type = "application/json"),
    responses((status = 200, description = "Offre modifiée", body = OfferResponse)),
    security(("bearer" = []))
)]
#[put("/api/internship_offers/{remote_id}")]
pub async fn replace_offer(
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    respond(path.into_inner(), call, state).await
}

async fn respond(
    remote_id: String,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ApiCall { partner, params } = call;
    let offer = crate::db::run(&state.pool, move |conn| {
        change_offer(conn, &partner, &remote_id, &params)
    })
    .await?;
    tracing::info!(offer.id = offer.id, "offer updated");
    Ok(HttpResponse::Ok().json(OfferResponse::from(&offer)))
}

/// The original's message when `max_candidates` would drop below the approved applications.
const SEATS_ALREADY_GIVEN: &str = "Impossible de réduire le nombre de places de cette offre de stage car vous avez déjà \
     accepté plus de candidats que vous n'allez leur offrir de places.";

fn change_offer(
    conn: &mut PgConnection,
    partner: &Partner,
    remote_id: &str,
    params: &Params,
) -> Result<Offer, ApiError> {
    let owned = offers::find_owned(conn, partner.operator_id, remote_id)?;
    if owned.is_none() && !offers::exists_elsewhere(conn, partner.operator_id, remote_id)? {
        return Err(ApiError::OfferNotFound);
    }
    let fields = offer_object(params)?;
    let existing = owned.ok_or(ApiError::Forbidden)?;
    let input = OfferInput::read(fields, Mode::Update)?;
    let new_weeks = input
        .weeks
        .as_deref()
        .map(|wanted| resolve_weeks(conn, wanted))
        .transpose()?;

    let mut draft = draft_of(&existing);
    input.apply_to(&mut draft);
    apply_sector(conn, &input, &mut draft)?;
    draft.published_at = match input.published_at {
        None => existing.published_at,
        Some(None) => None,
        Some(Some(sent)) => Some(if existing.published_at.is_some() {
            sent
        } else {
            Utc::now()
        }),
    };
    let dates = match &new_weeks {
        Some(weeks) => date_span(weeks),
        None => Some((existing.first_date, existing.last_date)),
    };
    draft.has_weeks = dates.is_some();
    let mut errors = draft_errors(&input, &draft);
    if dates.is_none() && errors.get("weeks").is_none() {
        errors.add("weeks", "Missing weeks");
    }
    let below_approvals = draft
        .max_candidates
        .is_some_and(|max| max < i64::from(existing.approved_count));
    if below_approvals && errors.get("max_candidates").is_none() {
        errors.add("max_candidates", SEATS_ALREADY_GIVEN);
    }
    errors.into_result()?;
    let values = values_of(
        draft,
        dates.unwrap_or((existing.first_date, existing.last_date)),
    )?;
    let week_ids: Option<Vec<i32>> = new_weeks.map(|weeks| weeks.iter().map(|w| w.id).collect());
    Ok(offers::update(
        conn,
        partner.operator_id,
        existing.id,
        values,
        week_ids.as_deref(),
    )?)
}
