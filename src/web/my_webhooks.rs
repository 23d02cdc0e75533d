//! `/mon-compte/webhooks`: the operator's webhook subscriptions and their delivery log, for
//! partners who do not code: subscribe (the secret is shown once), ping, delete, and replay a
//! delivery. The same rules as the API (`admin::webhooks`, `webhook_target`).

use actix_web::{HttpResponse, get, post, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::csrf::{CheckedForm, NoFields};
use super::error::PageError;
use super::layout::{self, alert, csrf_field, french_datetime_or_never};
use super::path_id;
use super::session::AccountUser;
use crate::admin::webhooks::{self, Manager, SubscriptionView};
use crate::db;
use crate::db::queries::{accounts, webhook_deliveries::DeliveryEntry};
use crate::domain::webhook::{DELIVERY_STATUSES, DeliveryStatus, EventType, SUBSCRIBABLE};
use crate::paris_time::french_datetime;
use crate::state::AppState;
use crate::webhook_target;

const BASE: &str = "/mon-compte/webhooks";

/// The log's filters, from the query string.
#[derive(Debug, Default, Deserialize)]
pub struct LogFilter {
    #[serde(default)]
    statut: String,
    #[serde(default, rename = "type")]
    event_type: String,
}

/// What the page shows once, in answer to an action.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    secret: Option<String>,
}

async fn manager(me: &AccountUser, state: &AppState) -> Result<Manager, PageError> {
    let account_id = me.account_id;
    let account = db::run(&state.pool, move |conn| {
        accounts::find(conn, account_id)?.ok_or(PageError::NotFound)
    })
    .await?;
    Ok(Manager {
        operator_id: account.operator_id,
        account_id,
        actor: me.user.actor(),
    })
}

async fn respond(
    me: &AccountUser,
    state: &AppState,
    filter: &LogFilter,
    shown: Shown,
) -> Result<HttpResponse, PageError> {
    let operator_id = manager(me, state).await?.operator_id;
    let status = DeliveryStatus::parse(&filter.statut);
    let event_type = EventType::parse(&filter.event_type);
    let (subscriptions, deliveries) = db::run(&state.pool, move |conn| {
        let subscriptions = webhooks::list(conn, operator_id)?;
        let deliveries = webhooks::deliveries(conn, operator_id, status, event_type)?;
        Ok::<_, PageError>((subscriptions, deliveries))
    })
    .await?;
    let viewer = me.user.viewer();
    let body = html! {
        p { a class="fr-link" href="/mon-compte/api" { "← Mon profil — API" } }
        h1 { "Webhooks" }
        p { "Mon stage de 3e envoie à votre adresse les évènements choisis, signés (voir "
            a class="fr-link" href="/documentation/webhooks.md" { "la documentation des webhooks" } ")." }
        @if let Some(notice) = &shown.notice { (alert("success", notice)) }
        @if let Some(secret) = &shown.secret {
            (alert("success", "Abonnement créé. Copiez son secret maintenant : il ne sera plus jamais affiché."))
            p { "Secret : " code id="secret-webhook" { (secret) } }
        }
        (subscription_table(&subscriptions, viewer.csrf))
        h2 class="fr-h4 fr-mt-4w" id="livraisons" { "Journal des livraisons" }
        (filter_form(filter))
        (delivery_table(&deliveries, viewer.csrf))
        h2 class="fr-h4 fr-mt-4w" { "Nouvel abonnement" }
        (subscription_form(viewer.csrf))
    };
    Ok(layout::ok(&layout::page("Webhooks", Some(&viewer), body)))
}

fn subscription_table(subscriptions: &[SubscriptionView], csrf: &str) -> Markup {
    html! {
        h2 class="fr-h4 fr-mt-4w" { "Abonnements" }
        @if subscriptions.is_empty() { p id="aucun-abonnement" { "Aucun abonnement pour l'instant." } }
        @else { div class="fr-table" { table id="abonnements" {
            thead { tr { th { "N°" } th { "Adresse" } th { "Évènements" } th { "État" } th { "Actions" } } }
            tbody { @for s in subscriptions { tr {
                td { (s.id) }
                td { code { (s.url) } }
                td { (s.events.join(", ")) }
                td { @if s.active { "actif" } @else { "désactivé (" (s.disabled_reason.as_deref().unwrap_or("")) ")" } }
                td {
                    form method="post" action=(format!("{BASE}/{}/ping", s.id)) {
                        (csrf_field(csrf))
                        button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit" { "Envoyer un ping" }
                    }
                    form method="post" action=(format!("{BASE}/{}/supprimer", s.id)) {
                        (csrf_field(csrf))
                        button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit" { "Supprimer" }
                    }
                }
            } } }
        } } }
    }
}

fn subscription_form(csrf: &str) -> Markup {
    html! {
        form method="post" action=(BASE) id="nouvel-abonnement" {
            (csrf_field(csrf))
            div class="fr-input-group" {
                label class="fr-label" for="webhook-url" { "Adresse de réception" span class="fr-hint-text" { "https://…, publique" } }
                input class="fr-input" id="webhook-url" name="url" type="url" required;
            }
            fieldset class="fr-fieldset" {
                legend class="fr-fieldset__legend" { "Évènements" }
                @for kind in SUBSCRIBABLE {
                    div class="fr-fieldset__element" { div class="fr-checkbox-group" {
                        input type="checkbox" id=(format!("event-{}", kind.as_str())) name="events" value=(kind.as_str()) checked;
                        label class="fr-label" for=(format!("event-{}", kind.as_str())) { code { (kind.as_str()) } }
                    } }
                }
            }
            button class="fr-btn" type="submit" id="abonner" { "S'abonner" }
        }
    }
}

fn filter_form(filter: &LogFilter) -> Markup {
    html! {
        form method="get" action=(format!("{BASE}#livraisons")) class="fr-mb-2w" {
            div class="fr-select-group" {
                label class="fr-label" for="statut" { "État" }
                select class="fr-select" id="statut" name="statut" {
                    option value="" { "tous" }
                    @for status in DELIVERY_STATUSES {
                        option value=(status.as_str()) selected[filter.statut == status.as_str()] { (status.as_str()) }
                    }
                }
            }
            div class="fr-select-group" {
                label class="fr-label" for="type" { "Type" }
                select class="fr-select" id="type" name="type" {
                    option value="" { "tous" }
                    @for kind in SUBSCRIBABLE.into_iter().chain([EventType::Ping]) {
                        option value=(kind.as_str()) selected[filter.event_type == kind.as_str()] { (kind.as_str()) }
                    }
                }
            }
            button class="fr-btn fr-btn--secondary" type="submit" { "Filtrer" }
        }
    }
}

fn delivery_table(deliveries: &[DeliveryEntry], csrf: &str) -> Markup {
    html! {
        @if deliveries.is_empty() { p id="aucune-livraison" { "Aucune livraison." } }
        @else { div class="fr-table" { table id="journal-livraisons" {
            thead { tr { th { "Créée" } th { "Type" } th { "État" } th { "Essais" } th { "Dernier code" } th { "Prochain essai" } th { "Erreur" } th { "" } } }
            tbody { @for d in deliveries { tr {
                td { (french_datetime(d.created_at)) }
                td { code { (d.event_type) } }
                td { (d.status) }
                td { (d.attempts) }
                td { (d.last_status_code.map_or(String::new(), |c| c.to_string())) }
                td { (french_datetime_or_never(d.next_attempt_at)) }
                td { (d.last_error.as_deref().unwrap_or("")) }
                td { form method="post" action=(format!("{BASE}/livraisons/{}/rejouer", d.id)) {
                    (csrf_field(csrf))
                    button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit" { "Rejouer" }
                } }
            } } }
        } } }
    }
}

#[get("/mon-compte/webhooks")]
pub async fn show(
    me: AccountUser,
    state: web::Data<AppState>,
    filter: web::Query<LogFilter>,
) -> Result<HttpResponse, PageError> {
    let notice = me.user.take_notice();
    respond(
        &me,
        &state,
        &filter,
        Shown {
            notice,
            secret: None,
        },
    )
    .await
}

/// The subscription form (checkboxes repeat `events`).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct SubscriptionForm(Vec<(String, String)>);

#[post("/mon-compte/webhooks")]
pub async fn subscribe(
    me: AccountUser,
    state: web::Data<AppState>,
    form: CheckedForm<SubscriptionForm>,
) -> Result<HttpResponse, PageError> {
    let fields = &form.0.0;
    let url = fields
        .iter()
        .find(|(k, _)| k == "url")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let events: Vec<EventType> = fields
        .iter()
        .filter(|(k, _)| k == "events")
        .filter_map(|(_, v)| EventType::parse(v).filter(|kind| *kind != EventType::Ping))
        .collect();
    if events.is_empty() {
        return Err(PageError::Invalid(
            "Choisissez au moins un évènement.".into(),
        ));
    }
    let url = webhook_target::check(&url, state.webhook_allow_loopback)
        .await
        .map_err(|refusal| PageError::Invalid(format!("Adresse refusée : {refusal}.")))?;
    let (manager, key) = (manager(&me, &state).await?, state.token_key.clone());
    let (_, secret) = db::run(&state.pool, move |conn| {
        webhooks::subscribe(conn, &key, &manager, url.as_str(), &events).map_err(PageError::from)
    })
    .await?;
    let shown = Shown {
        notice: None,
        secret: Some(secret),
    };
    respond(&me, &state, &LogFilter::default(), shown).await
}

/// Runs an action on one of the operator's subscriptions or deliveries, then shows the page
/// with `notice`.
async fn act<F>(
    me: AccountUser,
    state: &AppState,
    raw_id: &str,
    notice: &str,
    action: F,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut diesel::PgConnection, &Manager, i64) -> Result<(), crate::admin::AdminError>
        + Send
        + 'static,
{
    let id = path_id(raw_id)?;
    let manager = manager(&me, state).await?;
    db::run(&state.pool, move |conn| {
        action(conn, &manager, id).map_err(PageError::from)
    })
    .await?;
    let shown = Shown {
        notice: Some(notice.to_owned()),
        secret: None,
    };
    respond(&me, state, &LogFilter::default(), shown).await
}

#[post("/mon-compte/webhooks/{id}/supprimer")]
pub async fn remove(
    me: AccountUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    act(me, &state, &path, "Abonnement supprimé.", webhooks::delete).await
}

#[post("/mon-compte/webhooks/{id}/ping")]
pub async fn ping(
    me: AccountUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    act(
        me,
        &state,
        &path,
        "Ping envoyé : il apparaît dans le journal.",
        |conn, m, id| webhooks::ping(conn, m.operator_id, id).map(|_| ()),
    )
    .await
}

#[post("/mon-compte/webhooks/livraisons/{id}/rejouer")]
pub async fn replay(
    me: AccountUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    act(
        me,
        &state,
        &path,
        "Livraison rejouée : le même évènement est renvoyé.",
        |conn, m, id| webhooks::replay(conn, m, id).map(|_| ()),
    )
    .await
}
