//! Numbers for partners: what their offers got (views, apply clicks, accounts created,
//! applications), per offer and per day.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::remote_id_of;
use crate::auth::ApiCall;
use crate::db::queries::activity::{self, DailyActivity};
use crate::error::{ApiError, ErrorBody};
use crate::paris_time;
use crate::request::stats::StatsRequest;
use crate::service::offers::owned_or_refused;
use crate::state::AppState;

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ApplicationCounts {
    pub submitted: i64,
    pub approved: i64,
    pub rejected: i64,
    pub canceled: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferStats {
    pub remote_id: String,
    pub views: i64,
    pub apply_clicks: i64,
    pub accounts_created: i64,
    pub applications: ApplicationCounts,
    pub max_candidates: i32,
    pub remaining_seats: i32,
    /// Premier et dernier jour d'activité (heure de Paris), null sans activité.
    pub first_activity_on: Option<NaiveDate>,
    pub last_activity_on: Option<NaiveDate>,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ActivityTotals {
    pub views: i64,
    pub apply_clicks: i64,
    pub accounts_created: i64,
    pub applications: ApplicationCounts,
}

impl ActivityTotals {
    fn of(days: &[DailyActivity]) -> ActivityTotals {
        let sum = |f: fn(&DailyActivity) -> i64| days.iter().map(f).sum();
        ActivityTotals {
            views: sum(|d| d.views),
            apply_clicks: sum(|d| d.apply_clicks),
            accounts_created: sum(|d| d.accounts_created),
            applications: ApplicationCounts {
                submitted: sum(|d| d.applications_submitted),
                approved: sum(|d| d.applications_approved),
                rejected: sum(|d| d.applications_rejected),
                canceled: sum(|d| d.applications_canceled),
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OperatorStats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub totals: ActivityTotals,
    pub days: Vec<DailyActivity>,
}

/// The statistics of one of the caller's offers, since it was created.
#[utoipa::path(
    get,
    path = "/api/internship_offers/{remote_id}/stats",
    params(("remote_id" = String, Path, description = "Identifiant de l'offre chez le partenaire")),
    responses(
        (status = 200, description = "Statistiques de l'offre", body = OfferStats),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
        (status = 403, description = "FORBIDDEN: l'offre appartient à un autre opérateur", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
    ),
)]
pub async fn offer_stats(
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let remote_id = remote_id_of(path)?;
    let operator_id = call.partner.operator_id;
    let stats = crate::db::run(&state.pool, move |conn| {
        let offer = owned_or_refused(conn, operator_id, &remote_id)?;
        let since = paris_time::date_of(offer.created_at);
        let days = activity::daily_activity(
            conn,
            operator_id,
            Some(offer.id),
            since,
            paris_time::today(),
        )?;
        let (first_activity_on, last_activity_on) = activity::activity_span(conn, offer.id)?;
        let totals = ActivityTotals::of(&days);
        Ok::<_, ApiError>(OfferStats {
            remote_id: offer.remote_id,
            views: totals.views,
            apply_clicks: totals.apply_clicks,
            accounts_created: totals.accounts_created,
            applications: totals.applications,
            max_candidates: offer.max_candidates,
            remaining_seats: offer.max_candidates - offer.approved_count,
            first_activity_on,
            last_activity_on,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(stats))
}

/// The caller's operator totals per day (Europe/Paris days) over a range of at most 366 days.
#[utoipa::path(
    get,
    path = "/api/stats",
    params(
        ("from" = Option<String>, Query, description = "Premier jour, AAAA-MM-JJ (29 jours avant `to` par défaut)"),
        ("to" = Option<String>, Query, description = "Dernier jour, AAAA-MM-JJ (aujourd'hui par défaut)"),
    ),
    responses(
        (status = 200, description = "Activité par jour", body = OperatorStats),
        (status = 400, description = "VALIDATION_ERROR: date invalide, période inversée ou trop longue", body = ErrorBody),
        (status = 401, description = "UNAUTHORIZED", body = ErrorBody),
    ),
)]
pub async fn operator_stats(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let StatsRequest { from, to } = StatsRequest::read(&call.params)?;
    let operator_id = call.partner.operator_id;
    let days = crate::db::run(&state.pool, move |conn| {
        Ok::<_, ApiError>(activity::daily_activity(conn, operator_id, None, from, to)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(OperatorStats {
        from,
        to,
        totals: ActivityTotals::of(&days),
        days,
    }))
}
