//! The rate limit headers of every answer whose request was counted (see `auth::admit`):
//! `RateLimit-Policy`, `RateLimit` and `X-RateLimit-Limit/Remaining/Reset`.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

use crate::domain::rate_limit::RateState;

pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let rate = response.request().extensions().get::<RateState>().copied();
    if let Some(rate) = rate {
        let answer = response.headers_mut();
        for (name, value) in rate.headers() {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                answer.insert(name, value);
            }
        }
    }
    Ok(response)
}
