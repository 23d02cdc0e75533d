//! The offer request bodies as the OpenAPI document shows them. The server reads bodies with
//! `request::Fields` (see `request.rs`); a test proves that these schemas list exactly the
//! keys read.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::offers::response::Coordinates;

/// The fields of an offer (documentation of `internship_offer`; the server also accepts
/// the same fields form-encoded, `internship_offer[weeks][]=2025-W10`).
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code, reason = "documentation only")]
pub struct OfferFields {
    /// ≤ 150 caractères.
    #[schema(example = "Découverte des métiers de la cuisine")]
    pub title: Option<String>,
    /// ≤ 500 caractères.
    pub description: Option<String>,
    /// ≤ 180 caractères.
    pub employer_name: Option<String>,
    /// Optionnel, ≤ 275 caractères.
    pub employer_description: Option<String>,
    /// ≤ 560 caractères.
    pub employer_website: Option<String>,
    /// ≤ 3000 caractères.
    pub street: Option<String>,
    /// Code postal de la liste officielle de La Poste.
    #[schema(example = "75002")]
    pub zipcode: Option<String>,
    /// ≤ 50 caractères.
    pub city: Option<String>,
    pub coordinates: Option<Coordinates>,
    /// Voir GET /api/sectors.
    #[schema(example = "1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6")]
    pub sector_uuid: Option<String>,
    /// Semaines ISO 8601 ; absent : toutes les semaines restantes de l'année scolaire.
    #[schema(example = json!(["2025-W10", "2025-W11"]))]
    pub weeks: Option<Vec<String>>,
    /// URL http(s) de l'offre chez le partenaire, ≤ 280 caractères.
    #[schema(example = "https://www.partenaire.fr/offres/42")]
    pub permalink: Option<String>,
    /// 1 à 200 ; 1 par défaut.
    pub max_candidates: Option<i32>,
    /// 1 à `max_candidates` ; 1 par défaut.
    pub max_students_per_group: Option<i32>,
    /// false par défaut.
    pub is_public: Option<bool>,
    pub handicap_accessible: Option<bool>,
    /// ≤ 500 caractères.
    pub lunch_break: Option<String>,
    #[schema(value_type = Option<Object>, example = json!({"lundi": ["9:00", "17:00"]}))]
    pub daily_hours: Option<serde_json::Value>,
}

/// Creation fields: the offer fields plus `remote_id`.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code, reason = "documentation only")]
pub struct CreateOfferFields {
    /// Identifiant de l'offre chez le partenaire, ≤ 50 caractères, unique parmi vos offres en ligne.
    #[schema(example = "offre-42")]
    pub remote_id: String,
    #[serde(flatten)]
    pub fields: OfferFields,
}

#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code, reason = "documentation only")]
pub struct CreateOfferRequest {
    pub internship_offer: CreateOfferFields,
}

/// Update fields: the offer fields plus `published_at`.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code, reason = "documentation only")]
pub struct UpdateOfferFields {
    /// null : dépublie l'offre ; une date : la republie.
    pub published_at: Option<String>,
    #[serde(flatten)]
    pub fields: OfferFields,
}

#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code, reason = "documentation only")]
pub struct UpdateOfferRequest {
    pub internship_offer: UpdateOfferFields,
}
