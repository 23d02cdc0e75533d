//! Logs: `RUST_LOG` filters, `LOG_FORMAT=json` for production. Tokens, passwords and
//! invitation secrets are never logged: request spans name the route, not the URL.

use actix_web::HttpMessage;
use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// The id of the request being served (see `client_ip::request_id`), echoed in `X-Request-Id`.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Echoes the request's id in the answer's `X-Request-Id`.
pub fn echo_request_id<B>(
    mut response: actix_web::dev::ServiceResponse<B>,
) -> actix_web::dev::ServiceResponse<B> {
    let id = response.request().extensions().get::<RequestId>().cloned();
    if let Some(value) =
        id.and_then(|id| actix_web::http::header::HeaderValue::from_str(&id.0).ok())
    {
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-request-id"),
            value,
        );
    }
    response
}

/// The span of each request, closed by one "request served" line (the access log). Unlike
/// tracing-actix-web's default, it names the route pattern (`/invitation/{secret}`) and never
/// the path or the query string, which can hold an API token (`?token=Bearer …`) or an
/// invitation secret.
pub struct RouteOnlySpan;

impl tracing_actix_web::RootSpanBuilder for RouteOnlySpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        let client_ip = crate::client_ip::client_ip(request.request())
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let request_id = crate::client_ip::request_id(request.request());
        request
            .extensions_mut()
            .insert(RequestId(request_id.clone()));
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.client_ip = %client_ip,
            http.status_code = tracing::field::Empty,
            operator_id = tracing::field::Empty,
            request_id = %request_id,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(response) => response.status().as_u16(),
            Err(error) => error.as_response_error().status_code().as_u16(),
        };
        span.in_scope(|| tracing::info!(status, "request served"));
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
