//! The parameters of a request, as Rails gathered them: the query string merged with a
//! JSON or form-encoded body (`internship_offer[weeks][]=2025-W10`). Bodies of other
//! types are ignored, as the original did.

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::Bytes;
use futures_util::TryStreamExt;
use serde_json::{Map, Value};

use crate::error::ApiError;

pub type Params = Map<String, Value>;

/// Largest request body accepted (bytes).
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// The bulk endpoint takes up to 500 offers.
pub const BULK_MAX_BYTES: usize = 2 * 1024 * 1024;

/// How long a client has to send a whole body (a slow or stalled upload holds a connection).
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads a body, refusing it (413) as soon as it passes `limit`, and (408) when it takes longer
/// than `BODY_TIMEOUT`.
pub async fn read_limited(
    payload: &mut actix_web::dev::Payload,
    limit: usize,
) -> Result<Bytes, ApiError> {
    use futures_util::StreamExt;
    let read = async {
        let mut body = actix_web::web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| ApiError::PayloadTooLarge)?;
            if body.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .map_err(|_| ApiError::BodyTimeout)?
}

/// The longest query string read, and the most parameters a query or form may hold.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
pub const MAX_PARAMETERS: usize = 256;

/// Deepest nesting accepted in form and query keys (`a[b][c][]`).
const MAX_FORM_DEPTH: usize = 5;

/// Parses a query string or form body; every leaf value is a string.
pub fn parse_form(input: &[u8]) -> Result<Params, ApiError> {
    if input.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params::new());
    }
    if input.split(|b| *b == b'&').count() > MAX_PARAMETERS {
        return Err(ApiError::TooManyParameters);
    }
    serde_qs::Config::new(MAX_FORM_DEPTH, false)
        .deserialize_bytes::<Params>(input)
        .map_err(|e| ApiError::MalformedBody(format!("paramètres illisibles : {e}")))
}

/// Parses a JSON body, which must be an object.
pub fn parse_json(input: &[u8]) -> Result<Params, ApiError> {
    if input.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params::new());
    }
    match serde_json::from_slice::<Value>(input) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::MalformedBody(
            "le corps JSON doit être un objet".into(),
        )),
        Err(e) => Err(ApiError::MalformedBody(format!("JSON invalide : {e}"))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
    Multipart,
    Ignored,
}

fn body_kind(req: &HttpRequest, body: &[u8]) -> BodyKind {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    match content_type.as_deref() {
        Some(t) if t == "application/json" || t.ends_with("+json") => BodyKind::Json,
        Some("application/x-www-form-urlencoded") => BodyKind::Form,
        Some("multipart/form-data") => BodyKind::Multipart,
        Some(_) => BodyKind::Ignored,
        None if body.trim_ascii_start().starts_with(b"{") => BodyKind::Json,
        None => BodyKind::Form,
    }
}

/// The query-string parameters alone (they never depend on the body).
pub fn query_params(req: &HttpRequest) -> Result<Params, ApiError> {
    let query = req.query_string();
    if query.len() > MAX_QUERY_BYTES {
        return Err(ApiError::QueryTooLong);
    }
    parse_form(query.as_bytes())
}

/// The query-string parameters overlaid with the body's.
pub async fn request_params(req: &HttpRequest, body: Bytes) -> Result<Params, ApiError> {
    let mut params = query_params(req)?;
    let from_body = match body_kind(req, &body) {
        BodyKind::Json => parse_json(&body)?,
        BodyKind::Form => parse_form(&body)?,
        BodyKind::Multipart => parse_multipart(req, body).await?,
        BodyKind::Ignored => Params::new(),
    };
    params.extend(from_body);
    Ok(params)
}

/// Reads the text fields of a `multipart/form-data` body (what `curl --form` sends).
async fn parse_multipart(req: &HttpRequest, body: Bytes) -> Result<Params, ApiError> {
    let malformed = |e: actix_multipart::MultipartError| {
        ApiError::MalformedBody(format!("multipart illisible : {e}"))
    };
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let mut multipart = actix_multipart::Multipart::new(req.headers(), stream);
    let mut encoded = url::form_urlencoded::Serializer::new(String::new());
    while let Some(mut field) = multipart.try_next().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        let mut value = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(malformed)? {
            value.extend_from_slice(&chunk);
        }
        encoded.append_pair(&name, &String::from_utf8_lossy(&value));
    }
    parse_form(encoded.finish().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_rails_style_nested_form_keys() -> Result<(), ApiError> {
        let form = b"internship_offer[title]=Stage+cuisine&internship_offer[weeks][]=2025-W10&internship_offer[weeks][]=2025-W11&internship_offer[coordinates][latitude]=48.5";
        let params = parse_form(form)?;
        assert_eq!(
            Value::Object(params),
            json!({"internship_offer": {"title": "Stage cuisine", "weeks": ["2025-W10", "2025-W11"], "coordinates": {"latitude": "48.5"}}})
        );
        let encoded = parse_form(b"internship_offer%5Bweeks%5D%5B%5D=2025-W10")?;
        assert_eq!(
            Value::Object(encoded),
            json!({"internship_offer": {"weeks": ["2025-W10"]}})
        );
        Ok(())
    }

    #[test]
    fn json_must_be_an_object() {
        assert!(matches!(
            parse_json(b"[1]"),
            Err(ApiError::MalformedBody(_))
        ));
        assert!(matches!(
            parse_json(b"{\"a\":"),
            Err(ApiError::MalformedBody(_))
        ));
        assert!(matches!(parse_json(b"  "), Ok(map) if map.is_empty()));
    }
}
