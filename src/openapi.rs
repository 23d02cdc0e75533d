//! The OpenAPI document (served at /api/openapi.json, Swagger UI at /api/docs).

use utoipa::openapi::header::Header;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

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

/// The document with what every operation shares, once the routes' paths are in it: 503 while
/// the database is unreachable, 429 beyond a rate limit, `Idempotency-Key` on writes.
pub fn complete(mut openapi: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    for modifier in [
        &UnavailableEverywhere as &dyn Modify,
        &RateLimitedEverywhere,
        &HostileLimitsEverywhere,
        &IdempotentWrites,
    ] {
        modifier.modify(&mut openapi);
    }
    openapi
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
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

/// An error answer: the `{"code", "error"}` envelope.
fn error_answer(builder: ResponseBuilder) -> utoipa::openapi::Response {
    builder
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// Adds `answer` under `status` to each operation that does not document that status.
fn answer_everywhere<'a>(
    operations: impl Iterator<Item = &'a mut utoipa::openapi::path::Operation>,
    status: &str,
    answer: &utoipa::openapi::Response,
) {
    for operation in operations {
        operation
            .responses
            .responses
            .entry(status.into())
            .or_insert_with(|| answer.clone().into());
    }
}

/// Adds each `(status, description)` refusal, in the error envelope, to every operation under
/// `/api` (or only the writes) that does not document that status.
fn refusals_everywhere(
    openapi: &mut utoipa::openapi::OpenApi,
    with_reads: bool,
    refusals: &[(&str, &str)],
) {
    for (status, description) in refusals {
        let answer = error_answer(ResponseBuilder::new().description(*description));
        answer_everywhere(api_operations(openapi, with_reads), status, &answer);
    }
}

/// Every operation can answer 503 `SERVICE_UNAVAILABLE` (with `Retry-After`) while the
/// database is unreachable.
struct UnavailableEverywhere;

impl Modify for UnavailableEverywhere {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let unavailable = error_answer(
            ResponseBuilder::new()
                .description("SERVICE_UNAVAILABLE : base de données injoignable, réessayer après `Retry-After` secondes")
                .header("Retry-After", Header::new(ObjectBuilder::new().schema_type(Type::Integer))),
        );
        answer_everywhere(api_operations(openapi, true), "503", &unavailable);
    }
}

/// Every operation under `/api` (per credential) and `/oauth/token` (per client address) can
/// answer 429 `RATE_LIMITED` beyond its limit.
struct RateLimitedEverywhere;

impl Modify for RateLimitedEverywhere {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let integer = || Header::new(ObjectBuilder::new().schema_type(Type::Integer));
        let text = || Header::new(ObjectBuilder::new().schema_type(Type::String));
        let limited = error_answer(
            ResponseBuilder::new()
                .description(
                    "RATE_LIMITED : trop de requêtes de cette classe de routes dans la fenêtre ; \
                     réessayer après `Retry-After` secondes",
                )
                .header("Retry-After", integer())
                .header("RateLimit-Policy", text())
                .header("RateLimit", text())
                .header("X-RateLimit-Limit", integer())
                .header("X-RateLimit-Remaining", integer())
                .header("X-RateLimit-Reset", integer()),
        );
        let token = openapi
            .paths
            .paths
            .get_mut("/oauth/token")
            .and_then(|item| item.post.as_mut());
        answer_everywhere(token.into_iter(), "429", &limited);
        answer_everywhere(api_operations(openapi, true), "429", &limited);
    }
}

/// The limits every request under `/api` meets before its handler (`request::body`): a query
/// over 8 KiB (414), over 256 parameters (400); and for writes, a body over the size limit
/// (413) or not received in time (408).
struct HostileLimitsEverywhere;

impl Modify for HostileLimitsEverywhere {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        refusals_everywhere(
            openapi,
            true,
            &[
                (
                    "400",
                    "TOO_MANY_PARAMETERS : plus de 256 paramètres (ou requête invalide)",
                ),
                ("414", "QUERY_TOO_LONG : chaîne de requête de plus de 8 Kio"),
            ],
        );
        refusals_everywhere(
            openapi,
            false,
            &[
                (
                    "408",
                    "REQUEST_TIMEOUT : corps non reçu en entier dans les 10 secondes",
                ),
                ("413", "PAYLOAD_TOO_LARGE : corps trop long"),
            ],
        );
    }
}

/// The operations under `/api`: every one, or only the writes.
fn api_operations(
    openapi: &mut utoipa::openapi::OpenApi,
    with_reads: bool,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    openapi
        .paths
        .paths
        .iter_mut()
        .filter(|(path, _)| path.starts_with("/api"))
        .flat_map(move |(_, item)| {
            let reads = if with_reads {
                Some(&mut item.get)
            } else {
                None
            };
            reads
                .into_iter()
                .chain([
                    &mut item.post,
                    &mut item.put,
                    &mut item.patch,
                    &mut item.delete,
                ])
                .filter_map(Option::as_mut)
        })
}

/// Every write under `/api` takes an optional `Idempotency-Key` header (`api::idempotency`).
struct IdempotentWrites;

impl Modify for IdempotentWrites {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        let key = ParameterBuilder::new()
            .name(crate::api::idempotency::HEADER)
            .parameter_in(ParameterIn::Header)
            .description(Some(
                "Facultatif : 1 à 255 caractères. La même requête avec la même clé (24 h, par \
                 opérateur) reçoit la réponse de la première, avec `Idempotent-Replayed: true` ; \
                 une autre requête avec cette clé : 422 `IDEMPOTENCY_KEY_REUSED` ; pendant la \
                 première : 409 `IDEMPOTENCY_KEY_IN_USE` ; clé mal formée : 400 \
                 `IDEMPOTENCY_KEY_MALFORMED`.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255)),
            ))
            .build();
        for operation in api_operations(openapi, false) {
            operation
                .parameters
                .get_or_insert_with(Vec::new)
                .push(key.clone());
        }
        refusals_everywhere(
            openapi,
            false,
            &[
                ("400", "IDEMPOTENCY_KEY_MALFORMED (ou requête invalide)"),
                (
                    "409",
                    "IDEMPOTENCY_KEY_IN_USE : la première requête avec cette clé est en cours",
                ),
                (
                    "422",
                    "IDEMPOTENCY_KEY_REUSED : clé déjà utilisée par une autre requête",
                ),
            ],
        );
    }
}
