//! The standard answers of an operation, which its route's facts imply (`edge::route::Facts`):
//! added to what its handler declares, never replacing it.

use utoipa::openapi::header::Header;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, Response, ResponseBuilder};

use crate::domain::rate_limit::RouteClass;
use crate::edge::idempotency::HEADER as IDEMPOTENCY_KEY;
use crate::edge::route::{Access, Conditional, Facts};

/// Adds to `operation` every standard answer its facts imply.
pub fn add(operation: &mut Operation, facts: &Facts) {
    take_headers(operation, facts);
    let mut answers = refusals_of_a_caller(facts);
    if facts.class.is_some() {
        answers.push(("429", rate_limited(facts.class)));
    }
    if facts.body_limit.is_some() {
        answers.extend([
            (
                "408",
                refusal("REQUEST_TIMEOUT : corps non reçu en entier dans les 10 secondes"),
            ),
            ("413", refusal("PAYLOAD_TOO_LARGE : corps trop long")),
        ]);
    }
    match facts.conditional {
        Conditional::Read => answers.push((
            "304",
            ResponseBuilder::new()
                .description("Inchangé depuis l'ETag de `If-None-Match` (sans corps)")
                .build(),
        )),
        Conditional::Write => answers.push((
            "412",
            refusal("PRECONDITION_FAILED : l'offre a changé depuis l'ETag de `If-Match`"),
        )),
        Conditional::No => {}
    }
    if facts.idempotent {
        answers.extend([
            (
                "400",
                refusal("IDEMPOTENCY_KEY_MALFORMED (ou requête invalide)"),
            ),
            (
                "409",
                refusal("IDEMPOTENCY_KEY_IN_USE : la première requête avec cette clé est en cours"),
            ),
            (
                "422",
                refusal("IDEMPOTENCY_KEY_REUSED : clé déjà utilisée par une autre requête"),
            ),
        ]);
    }
    for (status, answer) in answers {
        let responses = &mut operation.responses.responses;
        responses
            .entry(status.into())
            .or_insert_with(|| answer.into());
    }
}

/// What a route that needs a token may answer before its handler runs.
fn refusals_of_a_caller(facts: &Facts) -> Vec<(&'static str, Response)> {
    let Access::Token(scope) = facts.access else {
        return vec![];
    };
    let mut answers = vec![(
        "401",
        refusal("UNAUTHORIZED : jeton absent, inconnu ou révoqué"),
    )];
    if scope.is_some() {
        let why = "INSUFFICIENT_SCOPE : le jeton OAuth2 n'a pas l'autorisation de cette route";
        answers.push(("403", refusal(why)));
    }
    answers.extend([
        (
            "400",
            refusal("TOO_MANY_PARAMETERS : plus de 256 paramètres (ou requête invalide)"),
        ),
        (
            "414",
            refusal("QUERY_TOO_LONG : chaîne de requête de plus de 8 Kio"),
        ),
        ("503", unavailable()),
    ]);
    answers
}

/// An error answer: the `{"code", "error"}` envelope.
fn refusal(description: &str) -> Response {
    error_answer(ResponseBuilder::new().description(description))
}

fn error_answer(builder: ResponseBuilder) -> Response {
    builder
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

fn integer() -> Header {
    Header::new(ObjectBuilder::new().schema_type(Type::Integer))
}

/// 503 `SERVICE_UNAVAILABLE` (with `Retry-After`) while the database is unreachable.
fn unavailable() -> Response {
    error_answer(
        ResponseBuilder::new()
            .description("SERVICE_UNAVAILABLE : base de données injoignable, réessayer après `Retry-After` secondes")
            .header("Retry-After", integer()),
    )
}

/// 429 `RATE_LIMITED` beyond the limit of the route's class (per credential, or per client
/// address on the token endpoint).
fn rate_limited(class: Option<RouteClass>) -> Response {
    let text = || Header::new(ObjectBuilder::new().schema_type(Type::String));
    let per = match class {
        Some(RouteClass::Unauthenticated) => "de cette adresse",
        _ => "de cette classe de routes",
    };
    error_answer(
        ResponseBuilder::new()
            .description(format!(
                "RATE_LIMITED : trop de requêtes {per} dans la fenêtre ; réessayer après \
                 `Retry-After` secondes"
            ))
            .header("Retry-After", integer())
            .header("RateLimit-Policy", text())
            .header("RateLimit", text())
            .header("X-RateLimit-Limit", integer())
            .header("X-RateLimit-Remaining", integer())
            .header("X-RateLimit-Reset", integer()),
    )
}

/// An optional header the operation takes.
fn take_header(operation: &mut Operation, name: &str, description: &str, schema: ObjectBuilder) {
    let header = ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .description(Some(description))
        .schema(Some(schema))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(header);
}

/// The headers the facts imply: `Idempotency-Key` (`edge::idempotency`), `If-None-Match` on a
/// conditional read, `If-Match` on a conditional change (`api::conditional`).
fn take_headers(operation: &mut Operation, facts: &Facts) {
    let text = || ObjectBuilder::new().schema_type(Type::String);
    if facts.idempotent {
        let key = text().min_length(Some(1)).max_length(Some(255));
        take_header(
            operation,
            IDEMPOTENCY_KEY,
            "Facultatif : 1 à 255 caractères. La même requête avec la même clé (24 h, par \
             opérateur) reçoit la réponse de la première, avec `Idempotent-Replayed: true` ; \
             une autre requête avec cette clé : 422 `IDEMPOTENCY_KEY_REUSED` ; pendant la \
             première : 409 `IDEMPOTENCY_KEY_IN_USE` ; clé mal formée : 400 \
             `IDEMPOTENCY_KEY_MALFORMED`.",
            key,
        );
    }
    match facts.conditional {
        Conditional::Read => take_header(
            operation,
            "If-None-Match",
            "Facultatif : l'`ETag` d'une réponse déjà reçue ; 304 sans corps si rien n'a changé.",
            text(),
        ),
        Conditional::Write => take_header(
            operation,
            "If-Match",
            "Facultatif : l'`ETag` de la version lue ; 412 `PRECONDITION_FAILED` si l'offre a \
             changé depuis.",
            text(),
        ),
        Conditional::No => {}
    }
}
