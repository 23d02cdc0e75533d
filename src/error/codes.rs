//! Every error code the partner API answers with: its HTTP status and what it means, in French.
//! The partner documentation's table lists the same codes (a test checks it).

use actix_web::http::StatusCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    pub status: u16,
    pub code: &'static str,
    /// When it is answered, as the partner documentation says it.
    pub meaning: &'static str,
}

macro_rules! codes {
    ($($name:ident = $status:literal, $code:literal, $meaning:literal;)*) => {
        $(pub const $name: ErrorCode = ErrorCode { status: $status, code: $code, meaning: $meaning };)*
        /// All the codes, in the order of the documentation's table.
        pub const ALL: &[ErrorCode] = &[$($name),*];
    };
}

codes! {
    VALIDATION_ERROR = 400, "VALIDATION_ERROR", "un champ est invalide ; `error` vaut `{\"champ\": [\"message\", …]}`";
    MALFORMED_BODY = 400, "MALFORMED_BODY", "le corps n'est pas un JSON, un formulaire ou un multipart lisible, ou n'est pas un objet";
    IDEMPOTENCY_KEY_MALFORMED = 400, "IDEMPOTENCY_KEY_MALFORMED", "en-tête `Idempotency-Key` mal formé (1 à 255 caractères imprimables), ou envoyé sans l'en-tête `Authorization`";
    BAD_REQUEST = 400, "BAD_REQUEST", "requête HTTP illisible";
    TOO_MANY_PARAMETERS = 400, "TOO_MANY_PARAMETERS", "plus de 256 paramètres dans la chaîne de requête ou le formulaire";
    UNAUTHORIZED = 401, "UNAUTHORIZED", "jeton absent ou invalide (`wrong api token`), ou catalogue sans accès complet (`access denied`)";
    FORBIDDEN = 403, "FORBIDDEN", "l'offre appartient à un autre opérateur";
    INSUFFICIENT_SCOPE = 403, "INSUFFICIENT_SCOPE", "le jeton OAuth n'a pas l'autorisation (scope) que demande cette route (l'en-tête `WWW-Authenticate` la nomme)";
    NOT_FOUND = 404, "NOT_FOUND", "aucune de vos offres n'a ce `remote_id`, ou élève inconnu";
    WEBHOOK_NOT_FOUND = 404, "WEBHOOK_NOT_FOUND", "aucun de vos abonnements webhook (ou aucune de leurs livraisons) n'a cet identifiant";
    ROUTE_NOT_FOUND = 404, "ROUTE_NOT_FOUND", "adresse inconnue";
    METHOD_NOT_ALLOWED = 405, "METHOD_NOT_ALLOWED", "méthode HTTP non prise en charge par cette adresse (l'en-tête `Allow` liste les autres)";
    REQUEST_TIMEOUT = 408, "REQUEST_TIMEOUT", "le corps de la requête n'est pas arrivé en entier dans les 10 secondes";
    DUPLICATE_API = 409, "DUPLICATE_API", "`remote_id` déjà utilisé par une de vos offres en ligne";
    API_ALREADY_DESTROYED = 409, "API_ALREADY_DESTROYED", "offre déjà supprimée";
    IDEMPOTENCY_KEY_IN_USE = 409, "IDEMPOTENCY_KEY_IN_USE", "la première requête portant cette `Idempotency-Key` est encore en cours : réessayez dans un instant";
    DUPLICATE_APPLICATION_TRACKING = 409, "DUPLICATE_APPLICATION_TRACKING", "même offre, même élève, même statut déjà enregistrés";
    CURSOR_EXPIRED = 410, "CURSOR_EXPIRED", "curseur de flux de changements plus ancien que la rétention du journal (30 jours par défaut) : reprenez le flux sans `since`";
    PRECONDITION_FAILED = 412, "PRECONDITION_FAILED", "l'offre a changé depuis la version indiquée dans `If-Match` (relisez-la : son `ETag` a changé)";
    BULK_TOO_LARGE = 413, "BULK_TOO_LARGE", "plus de 500 offres dans un appel à `/api/internship_offers/bulk`";
    PAYLOAD_TOO_LARGE = 413, "PAYLOAD_TOO_LARGE", "corps de plus de 256 Kio (2 Mio pour `/api/internship_offers/bulk`)";
    QUERY_TOO_LONG = 414, "QUERY_TOO_LONG", "chaîne de requête de plus de 8 Kio";
    URI_TOO_LONG = 414, "URI_TOO_LONG", "adresse de plus de 16 Kio (refusée par le répartiteur)";
    UNSUPPORTED_MEDIA_TYPE = 415, "UNSUPPORTED_MEDIA_TYPE", "type de contenu refusé";
    BAD_PAYLOAD = 422, "BAD_PAYLOAD", "objet `internship_offer` ou `application_tracking` absent, vide ou qui n'est pas un objet";
    BAD_ARGUMENT = 422, "BAD_ARGUMENT", "semaine mal écrite ou inexistante, statut de candidature inconnu";
    DUPLICATE_OPERATOR_ACTIVITY = 422, "DUPLICATE_OPERATOR_ACTIVITY", "inscription déjà enregistrée pour cet élève et cette offre";
    IDEMPOTENCY_KEY_REUSED = 422, "IDEMPOTENCY_KEY_REUSED", "cette `Idempotency-Key` a déjà servi, dans les 24 heures, à une autre requête (méthode, adresse ou corps)";
    WEBHOOK_URL_REFUSED = 422, "WEBHOOK_URL_REFUSED", "adresse de webhook refusée : pas en https, introuvable, ou menant à un réseau privé, local ou réservé";
    NO_SEAT_LEFT = 422, "NO_SEAT_LEFT", "acceptation alors que toutes les places sont prises";
    RATE_LIMITED = 429, "RATE_LIMITED", "trop de requêtes pour cette classe de routes dans la fenêtre : réessayez après `Retry-After` secondes (en-têtes `RateLimit-Policy`, `RateLimit`, `X-RateLimit-*`)";
    HEADERS_TOO_LARGE = 431, "HEADERS_TOO_LARGE", "un en-tête de plus de 16 Kio (refusé par le répartiteur) ; au-delà de 96 en-têtes, le serveur répond 431 sans corps";
    HTTP_ERROR = 400, "HTTP_ERROR", "autre refus du protocole HTTP (le statut le précise)";
    INTERNAL_ERROR = 500, "INTERNAL_ERROR", "erreur du service";
    SERVICE_UNAVAILABLE = 503, "SERVICE_UNAVAILABLE", "service momentanément indisponible (base de données injoignable) ; réessayez après `Retry-After` secondes";
}

impl ErrorCode {
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The code of an error actix answers by itself, by its status.
    pub fn of_status(status: StatusCode) -> &'static ErrorCode {
        match status {
            StatusCode::BAD_REQUEST => &BAD_REQUEST,
            StatusCode::NOT_FOUND => &ROUTE_NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED => &METHOD_NOT_ALLOWED,
            StatusCode::PAYLOAD_TOO_LARGE => &PAYLOAD_TOO_LARGE,
            StatusCode::URI_TOO_LONG => &URI_TOO_LONG,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => &HEADERS_TOO_LARGE,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => &UNSUPPORTED_MEDIA_TYPE,
            StatusCode::SERVICE_UNAVAILABLE => &SERVICE_UNAVAILABLE,
            s if s.is_server_error() => &INTERNAL_ERROR,
            _ => &HTTP_ERROR,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_in_the_partner_documentation_with_its_status() {
        let doc = include_str!("../../doc/README.md");
        for code in ALL {
            let row = format!("| {} | `{}` |", code.status, code.code);
            let row = if code.code == "HTTP_ERROR" {
                "| 4xx | `HTTP_ERROR` |".to_owned()
            } else {
                row
            };
            assert!(doc.contains(&row), "doc/README.md has no row {row}");
        }
    }
}
