//! Webhook subscriptions of an operator, their delivery log, replays and pings: shared by the
//! API (`/api/webhooks`) and the partners' page (`/mon-compte/webhooks`). Subscription URLs
//! are checked by the caller first (`webhook_target::check`, which resolves names). Every
//! change is audited.

use chrono::{DateTime, Duration, Utc};
use diesel::{Connection, PgConnection};
use serde::Serialize;
use utoipa::ToSchema;

use super::AdminError;
use super::access::{self, Actor, Subject};
use crate::db::queries::webhook_deliveries::{self, DeliveryEntry};
use crate::db::queries::webhooks::{self, NewEvent, Subscription};
use crate::domain::audit::AuditAction;
use crate::domain::webhook::{DeliveryStatus, EventType};
use crate::secrets::token::TokenKey;
use crate::secrets::webhook_signature;

/// How long the previous secret keeps signing after a rotation.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

/// Deliveries a log shows, newest first.
pub const LOG_LIMIT: i64 = 100;

/// Who manages the subscriptions: an account of the operator, through the API or the page.
#[derive(Debug, Clone)]
pub struct Manager {
    pub operator_id: i64,
    pub account_id: i64,
    pub actor: Actor,
}

impl Manager {
    fn audit(
        &self,
        conn: &mut PgConnection,
        action: AuditAction,
        detail: &str,
    ) -> Result<(), AdminError> {
        let subject = Subject::account(self.operator_id, self.account_id);
        access::record(conn, &self.actor, action, subject, detail)
    }
}

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

/// Subscribes the operator's checked `url` to `events`; returns the subscription and its
/// secret, shown once.
pub fn subscribe(
    conn: &mut PgConnection,
    key: &TokenKey,
    manager: &Manager,
    url: &str,
    events: &[EventType],
) -> Result<(SubscriptionView, String), AdminError> {
    let secret = webhook_signature::new_secret();
    let sealed = key.seal(&secret).map_err(AdminError::Crypto)?;
    let events: Vec<String> = events.iter().map(|e| e.as_str().to_owned()).collect();
    conn.transaction(|conn| {
        let subscription = webhooks::subscribe(conn, manager.operator_id, url, &events, &sealed)?;
        let detail = format!("#{} {}", subscription.id, subscription.url);
        manager.audit(conn, AuditAction::WebhookSubscribed, &detail)?;
        Ok((SubscriptionView::from(subscription), secret))
    })
}

pub fn list(
    conn: &mut PgConnection,
    operator_id: i64,
) -> Result<Vec<SubscriptionView>, AdminError> {
    Ok(webhooks::of_operator(conn, operator_id)?
        .into_iter()
        .map(SubscriptionView::from)
        .collect())
}

fn not_found(id: i64) -> AdminError {
    AdminError::NotFound(format!("no webhook subscription {id}"))
}

pub fn delete(conn: &mut PgConnection, manager: &Manager, id: i64) -> Result<(), AdminError> {
    conn.transaction(|conn| {
        if !webhooks::delete(conn, manager.operator_id, id)? {
            return Err(not_found(id));
        }
        manager.audit(conn, AuditAction::WebhookDeleted, &format!("#{id}"))
    })
}

/// A new secret, shown once; the previous one keeps signing for `ROTATION_OVERLAP`.
pub fn rotate_secret(
    conn: &mut PgConnection,
    key: &TokenKey,
    manager: &Manager,
    id: i64,
) -> Result<(String, DateTime<Utc>), AdminError> {
    let secret = webhook_signature::new_secret();
    let sealed = key.seal(&secret).map_err(AdminError::Crypto)?;
    let until = Utc::now() + ROTATION_OVERLAP;
    conn.transaction(|conn| {
        webhooks::rotate_secret(conn, manager.operator_id, id, &sealed, until)?
            .ok_or_else(|| not_found(id))?;
        manager.audit(conn, AuditAction::WebhookSecretRotated, &format!("#{id}"))?;
        Ok((secret, until))
    })
}

/// Queues a `ping` event to one of the operator's active subscriptions; returns its delivery.
pub fn ping(
    conn: &mut PgConnection,
    operator_id: i64,
    id: i64,
) -> Result<DeliveryEntry, AdminError> {
    conn.transaction(|conn| {
        webhooks::find(conn, operator_id, id)?.ok_or_else(|| not_found(id))?;
        let data = serde_json::json!({ "subscription_id": id });
        // A disabled subscription (410) receives nothing, pings included.
        let ping = NewEvent {
            subscription: Some(id),
            ..NewEvent::new(operator_id, EventType::Ping.as_str(), &data)
        };
        let event = webhooks::emit(conn, &ping)?.ok_or_else(|| not_found(id))?;
        webhook_deliveries::of_event(conn, event, id)?.ok_or_else(|| not_found(id))
    })
}

/// The operator's deliveries, newest first, by status and event type.
pub fn deliveries(
    conn: &mut PgConnection,
    operator_id: i64,
    status: Option<DeliveryStatus>,
    event_type: Option<EventType>,
) -> Result<Vec<DeliveryEntry>, AdminError> {
    let (status, event_type) = (status.map(|s| s.as_str()), event_type.map(|t| t.as_str()));
    Ok(webhook_deliveries::log(
        conn,
        operator_id,
        status,
        event_type,
        LOG_LIMIT,
    )?)
}

/// Sends one delivery's event again (same event id).
pub fn replay(
    conn: &mut PgConnection,
    manager: &Manager,
    delivery_id: i64,
) -> Result<DeliveryEntry, AdminError> {
    conn.transaction(|conn| {
        let replayed = webhook_deliveries::replay(conn, manager.operator_id, delivery_id)?
            .ok_or_else(|| AdminError::NotFound(format!("no webhook delivery {delivery_id}")))?;
        let detail = format!("livraison {delivery_id}");
        manager.audit(conn, AuditAction::WebhookReplayed, &detail)?;
        Ok(replayed)
    })
}

/// Sends again every event of [since, until) (to one subscription when given); returns how
/// many deliveries were queued.
pub fn replay_range(
    conn: &mut PgConnection,
    manager: &Manager,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    subscription: Option<i64>,
) -> Result<usize, AdminError> {
    conn.transaction(|conn| {
        let queued = webhook_deliveries::replay_range(
            conn,
            manager.operator_id,
            since,
            until,
            subscription,
        )?;
        let detail = format!("{since} → {until} : {queued}");
        manager.audit(conn, AuditAction::WebhookReplayed, &detail)?;
        Ok(queued)
    })
}
