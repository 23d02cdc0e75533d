//! Webhook subscriptions of the caller's operator, their delivery log, replays and pings.
//! Every step that changes a subscription is audited.

use chrono::{DateTime, Duration, Utc};
use diesel::{Connection, PgConnection};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Partner;
use crate::db::queries::audit::{self, NewAuditEvent};
use crate::db::queries::webhook_deliveries::{self, DeliveryEntry};
use crate::db::queries::webhooks::{self, Subscription};
use crate::domain::audit::AuditAction;
use crate::domain::webhook::EventType;
use crate::error::ApiError;
use crate::request::webhooks::{DeliveryFilter, ReplayRequest, SubscriptionRequest};
use crate::secrets::token::TokenKey;
use crate::secrets::webhook_signature;

/// How long the previous secret keeps signing after a rotation.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

/// Deliveries a log page shows.
pub const LOG_LIMIT: i64 = 100;

/// A subscription as partners see it (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    /// False once its receiver answered 410 Gone.
    pub active: bool,
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<Subscription> for SubscriptionView {
    fn from(s: Subscription) -> Self {
        SubscriptionView {
            id: s.id,
            url: s.url,
            events: s.events,
            active: s.disabled_at.is_none(),
            disabled_reason: s.disabled_reason,
            created_at: s.created_at,
        }
    }
}

fn audit(
    conn: &mut PgConnection,
    partner: &Partner,
    action: AuditAction,
    detail: &str,
) -> Result<(), ApiError> {
    let actor = format!("API (compte {})", partner.account_id);
    audit::record(
        conn,
        NewAuditEvent {
            actor: &actor,
            action: action.code(),
            operator_id: Some(partner.operator_id),
            account_id: Some(partner.account_id),
            detail,
        },
    )?;
    Ok(())
}

/// Subscribes the operator; returns the subscription and its secret, shown once. The URL
/// was checked by the caller (`webhook_target::check`).
pub fn subscribe(
    conn: &mut PgConnection,
    key: &TokenKey,
    partner: &Partner,
    request: &SubscriptionRequest,
) -> Result<(Subscription, String), ApiError> {
    let secret = webhook_signature::new_secret();
    let sealed = key.seal(&secret).map_err(ApiError::internal)?;
    let events: Vec<String> = request
        .events
        .iter()
        .map(|e| e.as_str().to_owned())
        .collect();
    conn.transaction(|conn| {
        let subscription =
            webhooks::subscribe(conn, partner.operator_id, &request.url, &events, &sealed)?;
        let detail = format!("#{} {}", subscription.id, subscription.url);
        audit(conn, partner, AuditAction::WebhookSubscribed, &detail)?;
        Ok((subscription, secret))
    })
}

pub fn list(conn: &mut PgConnection, partner: &Partner) -> Result<Vec<SubscriptionView>, ApiError> {
    Ok(webhooks::of_operator(conn, partner.operator_id)?
        .into_iter()
        .map(SubscriptionView::from)
        .collect())
}

pub fn delete(conn: &mut PgConnection, partner: &Partner, id: i64) -> Result<(), ApiError> {
    conn.transaction(|conn| {
        if !webhooks::delete(conn, partner.operator_id, id)? {
            return Err(ApiError::WebhookNotFound);
        }
        audit(
            conn,
            partner,
            AuditAction::WebhookDeleted,
            &format!("#{id}"),
        )
    })
}

/// A new secret, shown once; the previous one keeps signing for `ROTATION_OVERLAP`.
pub fn rotate_secret(
    conn: &mut PgConnection,
    key: &TokenKey,
    partner: &Partner,
    id: i64,
) -> Result<(String, DateTime<Utc>), ApiError> {
    let secret = webhook_signature::new_secret();
    let sealed = key.seal(&secret).map_err(ApiError::internal)?;
    let until = Utc::now() + ROTATION_OVERLAP;
    conn.transaction(|conn| {
        webhooks::rotate_secret(conn, partner.operator_id, id, &sealed, until)?
            .ok_or(ApiError::WebhookNotFound)?;
        audit(
            conn,
            partner,
            AuditAction::WebhookSecretRotated,
            &format!("#{id}"),
        )?;
        Ok((secret, until))
    })
}

/// Queues a `ping` event to one subscription; returns its delivery.
pub fn ping(
    conn: &mut PgConnection,
    partner: &Partner,
    id: i64,
) -> Result<DeliveryEntry, ApiError> {
    conn.transaction(|conn| {
        let subscription =
            webhooks::find(conn, partner.operator_id, id)?.ok_or(ApiError::WebhookNotFound)?;
        let data = serde_json::json!({ "subscription_id": subscription.id });
        let ping = EventType::Ping.as_str();
        webhooks::emit(conn, partner.operator_id, ping, &data, None, Some(id))?;
        let mut latest = webhook_deliveries::log(conn, partner.operator_id, None, Some(ping), 1)?;
        latest.pop().ok_or(ApiError::WebhookNotFound)
    })
}

pub fn deliveries(
    conn: &mut PgConnection,
    partner: &Partner,
    filter: &DeliveryFilter,
) -> Result<Vec<DeliveryEntry>, ApiError> {
    let status = filter.status.map(|s| s.as_str());
    let event_type = filter.event_type.map(|t| t.as_str());
    Ok(webhook_deliveries::log(
        conn,
        partner.operator_id,
        status,
        event_type,
        LOG_LIMIT,
    )?)
}

/// Sends one delivery's event again (same event id).
pub fn replay(
    conn: &mut PgConnection,
    partner: &Partner,
    delivery_id: i64,
) -> Result<DeliveryEntry, ApiError> {
    conn.transaction(|conn| {
        let replayed = webhook_deliveries::replay(conn, partner.operator_id, delivery_id)?
            .ok_or(ApiError::DeliveryNotFound)?;
        let detail = format!("livraison {delivery_id}");
        audit(conn, partner, AuditAction::WebhookReplayed, &detail)?;
        Ok(replayed)
    })
}

/// Sends again every event of a time range; returns how many deliveries were queued.
pub fn replay_range(
    conn: &mut PgConnection,
    partner: &Partner,
    request: &ReplayRequest,
) -> Result<usize, ApiError> {
    conn.transaction(|conn| {
        let queued = webhook_deliveries::replay_range(
            conn,
            partner.operator_id,
            request.since,
            request.until,
            request.subscription_id,
        )?;
        let detail = format!("{} → {} : {queued}", request.since, request.until);
        audit(conn, partner, AuditAction::WebhookReplayed, &detail)?;
        Ok(queued)
    })
}
