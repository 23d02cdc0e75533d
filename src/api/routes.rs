//! The route table: every route the server answers outside the pages, with its facts. The
//! registration, the 404/405 answers, the rate limit and bulkhead class, the body limit, the
//! authentication and scope check, idempotency and the OpenAPI document's standard answers all
//! derive from it (`edge::route::RouteTable`, `api::contract`). A literal path comes before a
//! pattern that would also match it (actix tries paths in this order).

use actix_web::http::Method;
use actix_web::{HttpResponse, web};

use super::{
    account_activities, application_trackings, feeds, health, metrics, oauth, offers, sectors,
    stats, webhooks,
};
use crate::domain::rate_limit::RouteClass;
use crate::domain::scope::Scope;
use crate::edge::route::{Access, Conditional, Facts, OPEN, Route, documented};
use crate::request::body::{BULK_MAX_BYTES, MAX_BODY_BYTES};

/// A read of a partner's token holding `scope`.
const fn read(scope: Option<Scope>) -> Facts {
    Facts {
        access: Access::Token(scope),
        class: Some(RouteClass::Read),
        ..OPEN
    }
}

/// A write of a partner's token holding `scope`: a body, `Idempotency-Key`.
const fn write(scope: Scope, class: RouteClass) -> Facts {
    Facts {
        access: Access::Token(Some(scope)),
        class: Some(class),
        body_limit: Some(MAX_BODY_BYTES),
        idempotent: true,
        conditional: Conditional::No,
    }
}

const SEARCH: Facts = Facts {
    class: Some(RouteClass::Search),
    conditional: Conditional::Read,
    ..read(Some(Scope::CatalogueRead))
};
const OFFER_READ: Facts = Facts {
    conditional: Conditional::Read,
    ..read(Some(Scope::OffersRead))
};
const OFFER_WRITE: Facts = write(Scope::OffersWrite, RouteClass::Write);
const OFFER_CHANGE: Facts = Facts {
    conditional: Conditional::Write,
    ..OFFER_WRITE
};
const WEBHOOK_READ: Facts = read(Some(Scope::WebhooksManage));
const WEBHOOK_WRITE: Facts = write(Scope::WebhooksManage, RouteClass::Write);
const TRACKING: Facts = write(Scope::TrackingWrite, RouteClass::Tracking);

const OFFERS: &str = "/api/internship_offers";
const OFFER: &str = "/api/internship_offers/{remote_id}";

/// The row of a documented handler (`$doc` is the `__path_…` type `#[utoipa::path]` made).
macro_rules! route {
    ($method:ident $path:expr, $id:literal, $summary:literal, $tag:literal,
     $facts:expr, $handler:path, $doc:ty) => {
        Route {
            method: Method::$method,
            path: $path,
            operation_id: $id,
            summary: $summary,
            tag: $tag,
            facts: $facts,
            searching: None,
            handler: || web::route().to($handler),
            documented: Some(documented::<$doc>),
        }
    };
}

/// A route outside the partner contract (probes, metrics, the docs' redirect).
macro_rules! undocumented {
    ($path:literal, $id:literal, $handler:expr) => {
        Route {
            method: Method::GET,
            path: $path,
            operation_id: $id,
            summary: "",
            tag: "",
            facts: OPEN,
            searching: None,
            handler: || web::route().to($handler),
            documented: None,
        }
    };
}

async fn to_swagger_ui() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("Location", "/api/docs/"))
        .finish()
}

pub static ROUTES: [Route; 28] = [
    route!(GET "/api/internship_offers/search", "searchCatalogue",
        "Rechercher dans le catalogue national", "offres", SEARCH,
        offers::search::search_offers, offers::search::__path_search_offers),
    route!(POST "/api/internship_offers/bulk", "bulkUpsertOffers",
        "Créer, modifier ou supprimer jusqu'à 500 offres", "offres",
        Facts { body_limit: Some(BULK_MAX_BYTES), ..OFFER_WRITE },
        offers::bulk::bulk_upsert, offers::bulk::__path_bulk_upsert),
    route!(GET "/api/internship_offers/changes", "listOwnOfferChanges",
        "Suivre les changements de vos offres", "flux", read(Some(Scope::OffersRead)),
        feeds::own_changes, feeds::__path_own_changes),
    route!(GET "/api/catalogue/changes", "listCatalogueChanges",
        "Suivre les changements du catalogue", "flux", read(Some(Scope::CatalogueRead)),
        feeds::catalogue_changes, feeds::__path_catalogue_changes),
    Route {
        searching: Some(SEARCH),
        ..route!(GET OFFERS, "listOffers", "Lister vos offres", "offres", OFFER_READ,
            offers::list::list_offers, offers::list::__path_list_offers)
    },
    route!(POST OFFERS, "createOffer", "Publier une offre", "offres", OFFER_WRITE,
        offers::create::create_offer, offers::create::__path_create_offer),
    route!(GET OFFER, "getOffer", "Lire une de vos offres", "offres", OFFER_READ,
        offers::show::show_offer, offers::show::__path_show_offer),
    route!(PATCH OFFER, "updateOffer", "Modifier une offre (champs envoyés seulement)", "offres",
        OFFER_CHANGE, offers::update::update_offer, offers::update::__path_update_offer),
    route!(PUT OFFER, "replaceOffer", "Remplacer une offre", "offres", OFFER_CHANGE,
        offers::update::replace_offer, offers::update::__path_replace_offer),
    route!(DELETE OFFER, "deleteOffer", "Supprimer une offre", "offres", OFFER_CHANGE,
        offers::delete::delete_offer, offers::delete::__path_delete_offer),
    route!(GET "/api/internship_offers/{remote_id}/stats", "getOfferStats",
        "Statistiques d'une offre", "statistiques", read(Some(Scope::StatsRead)),
        stats::offer_stats, stats::__path_offer_stats),
    route!(GET "/api/sectors", "listSectors", "Lister les secteurs d'activité", "referentiels",
        Facts { conditional: Conditional::Read, ..read(None) },
        sectors::list_sectors, sectors::__path_list_sectors),
    route!(GET "/api/stats", "getOperatorStats", "Statistiques de vos offres", "statistiques",
        read(Some(Scope::StatsRead)), stats::operator_stats, stats::__path_operator_stats),
    route!(POST "/api/operator_account_activities/create_account", "createAccountActivity",
        "Déclarer la création du compte d'un élève", "suivi", TRACKING,
        account_activities::create_account_activity,
        account_activities::__path_create_account_activity),
    route!(POST "/api/application_trackings", "createApplicationTracking",
        "Déclarer l'état d'une candidature", "suivi", TRACKING,
        application_trackings::create_application_tracking,
        application_trackings::__path_create_application_tracking),
    route!(GET "/api/webhooks/deliveries", "listWebhookDeliveries",
        "Journal des envois de webhooks", "webhooks", WEBHOOK_READ,
        webhooks::deliveries, webhooks::__path_deliveries),
    route!(POST "/api/webhooks/deliveries/{id}/replay", "replayWebhookDelivery",
        "Renvoyer un envoi de webhook", "webhooks", WEBHOOK_WRITE,
        webhooks::replay, webhooks::__path_replay),
    route!(POST "/api/webhooks/replay", "replayWebhookDeliveries",
        "Renvoyer les envois d'une période", "webhooks", WEBHOOK_WRITE,
        webhooks::replay_range, webhooks::__path_replay_range),
    route!(GET "/api/webhooks", "listWebhooks", "Lister vos abonnements webhook", "webhooks",
        WEBHOOK_READ, webhooks::list, webhooks::__path_list),
    route!(POST "/api/webhooks", "subscribeWebhook", "S'abonner à des événements", "webhooks",
        WEBHOOK_WRITE, webhooks::subscribe, webhooks::__path_subscribe),
    route!(DELETE "/api/webhooks/{id}", "deleteWebhook", "Supprimer un abonnement webhook",
        "webhooks", WEBHOOK_WRITE, webhooks::remove, webhooks::__path_remove),
    route!(POST "/api/webhooks/{id}/ping", "pingWebhook", "Envoyer un événement de test",
        "webhooks", WEBHOOK_WRITE, webhooks::ping, webhooks::__path_ping),
    route!(POST "/api/webhooks/{id}/rotate_secret", "rotateWebhookSecret",
        "Renouveler le secret de signature", "webhooks", WEBHOOK_WRITE,
        webhooks::rotate_secret, webhooks::__path_rotate_secret),
    route!(POST "/oauth/token", "requestAccessToken",
        "Obtenir un jeton d'accès OAuth2 (client credentials)", "authentification",
        Facts { class: Some(RouteClass::Unauthenticated), ..OPEN },
        oauth::token, oauth::__path_token),
    undocumented!("/health", "health", health::health),
    undocumented!("/ready", "ready", health::ready),
    undocumented!("/metrics", "metrics", metrics::scrape),
    undocumented!("/api/docs", "swaggerUi", to_swagger_ui),
];
