//! `/api/webhooks`: the operator's webhook subscriptions, their delivery log, replays and
//! pings. Every route needs the `webhooks:manage` scope.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::admin::webhooks::{self, Manager, SubscriptionView};
use crate::admin::{Actor, AdminError};
use crate::auth::{ApiCall, Partner};
use crate::db::queries::webhook_deliveries::DeliveryEntry;
use crate::error::{ApiError, ErrorBody};
use crate::request::webhooks::{DeliveryFilter, ReplayRequest, SubscriptionRequest};
use crate::state::AppState;
use crate::webhook_target;

/// A new subscription, with its secret (shown this once).
#[derive(Serialize, ToSchema)]
pub struct CreatedSubscription {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    /// Signe chaque envoi (`X-Webhook-Signature-SHA256`) ; affiché une seule fois.
    pub secret: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct SubscriptionList {
    pub webhooks: Vec<SubscriptionView>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryLog {
    pub deliveries: Vec<DeliveryEntry>,
}

#[derive(Serialize, ToSchema)]
pub struct RotatedSecret {
    pub id: i64,
    pub secret: String,
    /// L'ancien secret signe aussi jusqu'à cette date.
    pub previous_secret_valid_until: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct DeletedSubscription {
    pub id: i64,
    /// Toujours `true`.
    pub deleted: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Replayed {
    pub replayed: usize,
}

fn path_id(path: web::Path<String>, not_found: ApiError) -> Result<i64, ApiError> {
    path.into_inner().parse::<i64>().map_err(|_| not_found)
}

/// The caller, managing its operator's subscriptions.
fn manager(partner: &Partner) -> Manager {
    Manager {
        operator_id: partner.operator_id,
        account_id: partner.account_id,
        actor: Actor::api(partner.account_id),
    }
}

/// Runs `action` for the caller's operator; `not_found` answers an id that is not theirs.
async fn managed<T, F>(
    call: &ApiCall,
    state: &AppState,
    not_found: ApiError,
    action: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection, &Manager) -> Result<T, AdminError> + Send + 'static,
    T: Send + 'static,
{
    let manager = manager(&call.partner);
    crate::db::run(&state.pool, move |conn| {
        action(conn, &manager).map_err(refused(not_found))
    })
    .await
}

/// What the shared webhook management refused, as the API answers it.
fn refused(not_found: ApiError) -> impl FnOnce(AdminError) -> ApiError {
    move |error| match error {
        AdminError::NotFound(_) => not_found,
        AdminError::Database(error) => ApiError::from(error),
        other => ApiError::internal(other),
    }
}

/// Subscribes a URL to event types.
#[utoipa::path(
    post,
    path = "/api/webhooks",
    request_body(content = SubscriptionRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Abonnement créé ; le secret n'est montré qu'ici", body = CreatedSubscription),
        (status = 400, description = "VALIDATION_ERROR (url ou events)", body = ErrorBody),
        (status = 403, description = "INSUFFICIENT_SCOPE", body = ErrorBody),
        (status = 422, description = "WEBHOOK_URL_REFUSED", body = ErrorBody),
    ),
)]
pub async fn subscribe(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request = SubscriptionRequest::read(&call.params)?;
    let url = webhook_target::check(&request.url, state.webhook_allow_loopback)
        .await
        .map_err(|refusal| ApiError::WebhookUrlRefused(refusal.0))?;
    let key = state.token_key.clone();
    let (subscription, secret) =
        managed(&call, &state, ApiError::WebhookNotFound, move |conn, m| {
            webhooks::subscribe(conn, &key, m, url.as_str(), &request.events)
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedSubscription {
        id: subscription.id,
        url: subscription.url,
        events: subscription.events,
        secret,
        created_at: subscription.created_at,
    }))
}

/// The operator's subscriptions.
#[utoipa::path(
    get,
    path = "/api/webhooks",
    responses((status = 200, description = "Abonnements", body = SubscriptionList)),
)]
pub async fn list(call: ApiCall, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let webhooks = managed(&call, &state, ApiError::WebhookNotFound, |conn, m| {
        webhooks::list(conn, m.operator_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SubscriptionList { webhooks }))
}

/// Deletes a subscription; what it still had to receive is cancelled.
#[utoipa::path(
    delete,
    path = "/api/webhooks/{id}",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Supprimé", body = DeletedSubscription),
        (status = 404, description = "WEBHOOK_NOT_FOUND", body = ErrorBody),
    ),
)]
pub async fn remove(
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(path, ApiError::WebhookNotFound)?;
    managed(&call, &state, ApiError::WebhookNotFound, move |conn, m| {
        webhooks::delete(conn, m, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(DeletedSubscription { id, deleted: true }))
}

/// Sends a `ping` event to the subscription.
#[utoipa::path(
    post,
    path = "/api/webhooks/{id}/ping",
    params(("id" = i64, Path)),
    responses(
        (status = 202, description = "Ping mis en file", body = DeliveryEntry),
        (status = 404, description = "WEBHOOK_NOT_FOUND", body = ErrorBody),
    ),
)]
pub async fn ping(
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(path, ApiError::WebhookNotFound)?;
    let delivery = managed(&call, &state, ApiError::WebhookNotFound, move |conn, m| {
        webhooks::ping(conn, m.operator_id, id)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(delivery))
}

/// A new secret; the previous one keeps signing for 24 hours.
#[utoipa::path(
    post,
    path = "/api/webhooks/{id}/rotate_secret",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Nouveau secret, montré une seule fois", body = RotatedSecret),
        (status = 404, description = "WEBHOOK_NOT_FOUND", body = ErrorBody),
    ),
)]
pub async fn rotate_secret(
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(path, ApiError::WebhookNotFound)?;
    let key = state.token_key.clone();
    let (secret, until) = managed(&call, &state, ApiError::WebhookNotFound, move |conn, m| {
        webhooks::rotate_secret(conn, &key, m, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(RotatedSecret {
        id,
        secret,
        previous_secret_valid_until: until,
    }))
}

/// The delivery log, newest first (100 at most), by status and event type.
#[utoipa::path(
    get,
    path = "/api/webhooks/deliveries",
    params(
        ("status" = Option<String>, Query, description = "pending, delivered, failed ou cancelled"),
        ("type" = Option<String>, Query, description = "type d'évènement"),
    ),
    responses(
        (status = 200, description = "Livraisons", body = DeliveryLog),
        (status = 400, description = "VALIDATION_ERROR", body = ErrorBody),
    ),
)]
pub async fn deliveries(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let filter = DeliveryFilter::read(&call.params)?;
    let deliveries = managed(&call, &state, ApiError::DeliveryNotFound, move |conn, m| {
        webhooks::deliveries(conn, m.operator_id, filter.status, filter.event_type)
    })
    .await?;
    Ok(HttpResponse::Ok().json(DeliveryLog { deliveries }))
}

/// Sends a delivery's event again, with the same event id.
#[utoipa::path(
    post,
    path = "/api/webhooks/deliveries/{id}/replay",
    params(("id" = i64, Path)),
    responses(
        (status = 202, description = "Nouvelle livraison du même évènement", body = DeliveryEntry),
        (status = 404, description = "WEBHOOK_NOT_FOUND", body = ErrorBody),
    ),
)]
pub async fn replay(
    path: web::Path<String>,
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(path, ApiError::DeliveryNotFound)?;
    let delivery = managed(&call, &state, ApiError::DeliveryNotFound, move |conn, m| {
        webhooks::replay(conn, m, id)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(delivery))
}

/// Sends again every event of a time range.
#[utoipa::path(
    post,
    path = "/api/webhooks/replay",
    request_body(content = ReplayRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Livraisons mises en file", body = Replayed),
        (status = 400, description = "VALIDATION_ERROR", body = ErrorBody),
    ),
)]
pub async fn replay_range(
    call: ApiCall,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request = ReplayRequest::read(&call.params)?;
    let ReplayRequest {
        since,
        until,
        subscription_id,
    } = request;
    let replayed = managed(&call, &state, ApiError::DeliveryNotFound, move |conn, m| {
        webhooks::replay_range(conn, m, since, until, subscription_id)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(Replayed { replayed }))
}
