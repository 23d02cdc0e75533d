//! The rate limit headers of every answer whose request was counted (see `auth::admit`):
//! `RateLimit-Policy`, `RateLimit` and `X-RateLimit-Limit/Remaining/Reset`.

use actix_web::HttpMessage;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{HeaderName, HeaderValue};

use crate::domain::rate_limit::RateState;

pub fn with_headers<B>(mut response: ServiceResponse<B>) -> ServiceResponse<B> {
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
    response
}
