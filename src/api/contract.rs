//! The OpenAPI document, derived from the route table (served at /api/openapi.json, Swagger UI
//! at /api/docs).

use actix_web::http::Method;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityRequirement,
    SecurityScheme,
};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::tag::Tag;
use utoipa::{Modify, OpenApi};

use crate::domain::scope::Scope;
use crate::edge::route::{Access, Documented, RouteTable};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mon stage de 3e — API partenaires",
        description = "Publication des offres de stage de 3e par les partenaires (associations, ministères, \
collectivités, plateformes). Compatible avec l'API d'origine (`/api/internship_offers`, `remote_id`). \
Authentification : `Authorization: Bearer <token>`, avec le jeton statique du compte ou un jeton OAuth2 \
(client credentials, `POST /oauth/token`) limité à ses autorisations (scopes). Erreurs : `{\"code\", \"error\"}`.",
        version = "1.0.0"
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorBody))
)]
pub struct ApiDoc;

/// The tags: ASCII names, which client generators turn into module names, shown in French
/// (`x-displayName`, read by Redoc; Swagger UI shows the description).
const TAGS: [(&str, &str, &str); 7] = [
    (
        "offres",
        "Offres",
        "Publier, modifier, supprimer, lire et rechercher des offres.",
    ),
    (
        "flux",
        "Flux de changements",
        "Suivre les changements de vos offres ou du catalogue.",
    ),
    (
        "statistiques",
        "Statistiques",
        "Vues, clics et candidatures de vos offres.",
    ),
    ("referentiels", "Référentiels", "Les secteurs d'activité."),
    (
        "suivi",
        "Suivi des élèves",
        "Déclarer les comptes créés et les candidatures des élèves.",
    ),
    (
        "webhooks",
        "Webhooks",
        "Abonnements aux événements, journal des envois, renvois.",
    ),
    (
        "authentification",
        "Authentification",
        "Jetons d'accès OAuth2 (client credentials).",
    ),
];

/// The whole document, derived from the route table: each documented route's operation (its
/// handler's own answers), with its id, summary, tag and security, and the standard answers its
/// facts imply (`refusals`). `servers` names `public_url` (or the server the document is read from).
pub fn document(table: &RouteTable, public_url: Option<&str>) -> utoipa::openapi::OpenApi {
    let mut openapi = ApiDoc::openapi();
    for route in table.routes() {
        let Some(documented) = route.documented else {
            continue;
        };
        let Documented {
            mut operation,
            schemas,
            ..
        } = documented();
        operation.operation_id = Some(route.operation_id.into());
        operation.summary = Some(route.summary.into());
        operation.tags = Some(vec![route.tag.into()]);
        operation.security = Some(security_of(route.facts.access));
        super::refusals::add(&mut operation, &route.facts);
        super::examples::attach(&mut operation, route.operation_id);
        let components = openapi.components.get_or_insert_with(Default::default);
        components.schemas.extend(schemas);
        openapi
            .paths
            .add_path_operation(route.path, vec![http_method(&route.method)], operation);
    }
    let url = public_url.map_or("/".into(), |url| url.trim_end_matches('/').to_owned());
    openapi.servers = Some(vec![
        ServerBuilder::new()
            .url(url)
            .description(Some("Ce serveur"))
            .build(),
    ]);
    openapi.tags = Some(
        TAGS.iter()
            .map(|(name, shown, about)| tag(name, shown, about))
            .collect(),
    );
    openapi
}

fn tag(name: &str, shown: &str, about: &str) -> Tag {
    let mut tag = Tag::new(name);
    tag.description = Some(format!("{shown} — {about}"));
    tag.extensions = Some(ExtensionsBuilder::new().add("x-displayName", shown).build());
    tag
}

/// A partner's token (static, or OAuth2 with the route's scope); the token endpoint takes the
/// client's credentials in HTTP Basic or in its form.
fn security_of(access: Access) -> Vec<SecurityRequirement> {
    match access {
        Access::Token(scope) => vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("oauth2", scope.map(Scope::as_str)),
        ],
        Access::Open => vec![
            SecurityRequirement::new("client_basic", Vec::<String>::new()),
            SecurityRequirement::default(),
        ],
    }
}

pub fn http_method(method: &Method) -> HttpMethod {
    match *method {
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::PATCH => HttpMethod::Patch,
        Method::DELETE => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "client_basic",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some(
                        "`POST /oauth/token` : `client_id` et `client_secret` en HTTP Basic \
                         (RFC 6749 §2.3.1), ou bien dans le formulaire",
                    ))
                    .build(),
            ),
        );
        let scopes = Scopes::from_iter(
            crate::domain::scope::ALL_SCOPES
                .iter()
                .map(|scope| (scope.as_str(), scope.description())),
        );
        let flow = Flow::ClientCredentials(ClientCredentials::new("/oauth/token", scopes));
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [flow],
                "Client credentials (RFC 6749 §4.4) : un jeton de 24 h limité aux autorisations \
                 demandées ; sans l'autorisation d'une route, 403 `INSUFFICIENT_SCOPE`.",
            )),
        );
    }
}
