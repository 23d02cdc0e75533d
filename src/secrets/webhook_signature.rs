//! Webhook signatures: `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. During a
//! secret's rotation both secrets sign, and the header lists both signatures, comma-separated.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

const PREFIX: &str = "whsec_";

/// A fresh webhook secret, shown once to the subscriber.
pub fn new_secret() -> String {
    format!("{PREFIX}{}", super::token::random_secret())
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// `sha256=<hex>` for one secret.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let hex = mac(secret, timestamp, body)
        .map(|mac| hex::encode(mac.finalize().into_bytes()))
        .unwrap_or_default();
    format!("sha256={hex}")
}

/// The header's value: one signature per secret, comma-separated.
pub fn header_value(secrets: &[String], timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .map(|secret| signature(secret, timestamp, body))
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether one of the header's signatures is `secret`'s, compared in constant time, and the
/// timestamp within `tolerance_secs` of `now`.
pub fn verify(
    secret: &str,
    header: &str,
    timestamp: i64,
    body: &[u8],
    now: i64,
    tolerance_secs: i64,
) -> bool {
    if (now - timestamp).abs() > tolerance_secs {
        return false;
    }
    let expected = signature(secret, timestamp, body);
    header
        .split(',')
        .map(str::trim)
        .any(|candidate| bool::from(candidate.as_bytes().ct_eq(expected.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_timestamp_and_the_body() {
        let body = br#"{"id":"1"}"#;
        let header = header_value(&["whsec_a".into(), "whsec_b".into()], 1_700_000_000, body);
        assert_eq!(header.split(',').count(), 2);
        assert!(verify(
            "whsec_a",
            &header,
            1_700_000_000,
            body,
            1_700_000_100,
            300
        ));
        assert!(verify(
            "whsec_b",
            &header,
            1_700_000_000,
            body,
            1_700_000_000,
            300
        ));
        assert!(!verify(
            "whsec_c",
            &header,
            1_700_000_000,
            body,
            1_700_000_000,
            300
        ));
        assert!(!verify(
            "whsec_a",
            &header,
            1_700_000_000,
            b"{}",
            1_700_000_000,
            300
        ));
        assert!(!verify(
            "whsec_a",
            &header,
            1_700_000_000,
            body,
            1_700_000_301,
            300
        ));
    }
}
