//! The typed requests of `/api/webhooks`.

use chrono::{DateTime, Utc};
use serde_json::Value;
use utoipa::ToSchema;

use crate::domain::field_errors::FieldErrors;
use crate::domain::webhook::{DeliveryStatus, EventType, SUBSCRIBABLE};
use crate::request::{Fields, Params};

/// The longest subscription URL.
pub const MAX_URL_CHARS: usize = 2000;

/// `POST /api/webhooks`.
#[derive(Debug, PartialEq, ToSchema)]
pub struct SubscriptionRequest {
    /// `https://…` (une adresse publique).
    #[schema(example = "https://partenaire.example/webhooks/monstage")]
    pub url: String,
    /// Les types d'évènements reçus, par exemple `offer.created`.
    #[schema(value_type = Vec<String>, example = json!(["offer.created", "pupil.apply_clicked"]))]
    pub events: Vec<EventType>,
}

fn subscribable_list() -> String {
    SUBSCRIBABLE.map(EventType::as_str).join(", ")
}

impl SubscriptionRequest {
    pub fn read(params: &Params) -> Result<SubscriptionRequest, FieldErrors> {
        let f = &mut Fields::new(params);
        let url = f.trimmed_text("url");
        let url = f.required("url", url);
        let listed = f.list("events");
        let mut events = vec![];
        for value in listed {
            match value.as_str().and_then(EventType::parse) {
                Some(EventType::Ping) | None => f.refuse(
                    "events",
                    format!("type inconnu : {value} (types : {})", subscribable_list()),
                ),
                Some(kind) if !events.contains(&kind) => events.push(kind),
                Some(_) => {}
            }
        }
        if events.is_empty() && !f.errors().has("events") {
            f.refuse(
                "events",
                format!("au moins un type parmi : {}", subscribable_list()),
            );
        }
        if url
            .as_ref()
            .is_some_and(|u| u.chars().count() > MAX_URL_CHARS)
        {
            f.refuse("url", format!("{MAX_URL_CHARS} caractères au plus"));
        }
        match url {
            Some(url) if f.errors().is_empty() => Ok(SubscriptionRequest { url, events }),
            _ => Err(f.errors().clone()),
        }
    }
}

/// `GET /api/webhooks/deliveries?status=&type=`.
#[derive(Debug, Default, PartialEq)]
pub struct DeliveryFilter {
    pub status: Option<DeliveryStatus>,
    pub event_type: Option<EventType>,
}

impl DeliveryFilter {
    pub fn read(params: &Params) -> Result<DeliveryFilter, FieldErrors> {
        let mut errors = FieldErrors::default();
        let text = |key: &str| {
            params
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
        };
        let status = text("status").and_then(|s| {
            let parsed = DeliveryStatus::parse(s);
            if parsed.is_none() {
                errors.add("status", "pending, delivered, failed ou cancelled");
            }
            parsed
        });
        let event_type = text("type").and_then(|t| {
            let parsed = EventType::parse(t);
            if parsed.is_none() {
                errors.add(
                    "type",
                    format!("type inconnu (types : {}, ping)", subscribable_list()),
                );
            }
            parsed
        });
        errors.into_result()?;
        Ok(DeliveryFilter { status, event_type })
    }
}

/// `POST /api/webhooks/replay`: every event of a time range, sent again.
#[derive(Debug, PartialEq, ToSchema)]
pub struct ReplayRequest {
    /// Début (inclus), ISO 8601.
    pub since: DateTime<Utc>,
    /// Fin (exclue), ISO 8601 ; maintenant par défaut.
    pub until: DateTime<Utc>,
    /// Un seul abonnement ; tous par défaut.
    pub subscription_id: Option<i64>,
}

impl ReplayRequest {
    pub fn read(params: &Params) -> Result<ReplayRequest, FieldErrors> {
        let f = &mut Fields::new(params);
        let since = f.datetime("since").value();
        let since = f.required("since", since);
        let until = f.datetime("until").value().unwrap_or_else(Utc::now);
        let subscription_id = f.id("subscription_id");
        match since {
            Some(since) if since >= until => {
                f.refuse("since", "doit précéder until");
                Err(f.errors().clone())
            }
            Some(since) if f.errors().is_empty() => Ok(ReplayRequest {
                since,
                until,
                subscription_id,
            }),
            _ => Err(f.errors().clone()),
        }
    }
}
