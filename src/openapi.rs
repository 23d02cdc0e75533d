//! The OpenAPI document (served at /api/openapi.json, Swagger UI at /api/docs).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mon stage de 3e — API partenaires",
        description = "Publication des offres de stage de 3e par les partenaires (associations, ministères, \
collectivités, plateformes). Compatible avec l'API d'origine (`/api/internship_offers`, `remote_id`). \
Authentification : `Authorization: Bearer <token>`. Erreurs : `{\"code\", \"error\"}`.",
        version = "1.0.0"
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorBody))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
