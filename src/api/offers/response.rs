//! What partners receive about offers: the original's shapes, key order included.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::models::{ListedOffer, Offer};
use crate::domain::geo::GeoPoint;
use crate::paris_time;
use crate::request::offers::schema::Coordinates;

fn coordinates_of(point: &postgis_diesel::types::Point) -> Coordinates {
    let point = GeoPoint::from_postgis(point);
    Coordinates {
        latitude: point.latitude(),
        longitude: point.longitude(),
    }
}

/// An offer as returned by create, update and delete (the original's 15 keys, in order).
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferResponse {
    pub title: String,
    pub description: String,
    pub max_candidates: i32,
    pub employer_website: Option<String>,
    pub street: String,
    pub zipcode: String,
    pub city: String,
    pub is_public: bool,
    pub employer_name: String,
    pub employer_description: Option<String>,
    pub remote_id: String,
    pub permalink: String,
    /// ISO 8601 with milliseconds and the Europe/Paris offset; null when unpublished.
    #[schema(example = "2025-03-01T10:00:00.000+01:00")]
    pub published_at: Option<String>,
    pub max_students_per_group: i32,
    pub formatted_coordinates: Coordinates,
}

impl From<&Offer> for OfferResponse {
    fn from(offer: &Offer) -> Self {
        OfferResponse {
            title: offer.title.clone(),
            description: offer.description.clone(),
            max_candidates: offer.max_candidates,
            employer_website: offer.employer_website.clone(),
            street: offer.street.clone(),
            zipcode: offer.zipcode.clone(),
            city: offer.city.clone(),
            is_public: offer.is_public,
            employer_name: offer.employer_name.clone(),
            employer_description: offer.employer_description.clone(),
            remote_id: offer.remote_id.clone(),
            permalink: offer.permalink.clone(),
            published_at: offer.published_at.map(paris_time::timestamp),
            max_students_per_group: offer.max_students_per_group,
            formatted_coordinates: coordinates_of(&offer.coordinates),
        }
    }
}

/// Ruby's `String#capitalize`: first letter upper case, the rest lower case.
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}

/// An offer in a listing (the original's 13 keys, in order).
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedOfferResponse {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub employer_name: String,
    /// The public page of the offer on Mon stage de 3e, tagged with `utm_source`.
    pub url: String,
    pub city: String,
    #[schema(example = "22 janvier 2024")]
    pub date_start: String,
    #[schema(example = "28 janvier 2024")]
    pub date_end: String,
    pub latitude: f64,
    pub longitude: f64,
    pub image: String,
    /// The sector name.
    pub sector: String,
    pub handicap_accessible: bool,
}

/// Builds listing items; `site` is the public site's base URL.
pub struct ListingContext<'a> {
    pub site: &'a str,
    pub utm_source: &'a str,
}

impl ListingContext<'_> {
    pub fn item(&self, offer: ListedOffer) -> ListedOfferResponse {
        let utm: String =
            url::form_urlencoded::byte_serialize(self.utm_source.as_bytes()).collect();
        ListedOfferResponse {
            id: offer.id,
            url: format!(
                "{}/offres-de-stage/{}?utm_source={utm}",
                self.site, offer.id
            ),
            city: capitalize(&offer.city),
            date_start: paris_time::french_date(offer.first_date),
            date_end: paris_time::french_date(offer.last_date),
            latitude: offer.latitude,
            longitude: offer.longitude,
            image: format!("{}/assets/sectors/default.svg", self.site),
            sector: offer.sector,
            handicap_accessible: offer.handicap_accessible,
            title: offer.title,
            description: offer.description,
            employer_name: offer.employer_name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalizes_like_ruby() {
        assert_eq!(capitalize("Le Bouscat"), "Le bouscat");
        assert_eq!(capitalize("éVRY"), "Évry");
    }
}
