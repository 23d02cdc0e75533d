//! Conditional requests (RFC 9110 §13): entity tags, `If-None-Match` (answer 304 when the client
//! already has the representation) and `If-Match` (change only the version the client saw).

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// A strong entity tag, quoted: the first 20 hex digits of a SHA-256.
fn tag_of(bytes: &[u8]) -> String {
    format!("\"{}\"", &hex::encode(Sha256::digest(bytes))[..20])
}

/// The tag of a response body (lists, sectors).
pub fn body_etag(body: &[u8]) -> String {
    tag_of(body)
}

/// The tag of an offer's current version: every change of the offer moves `updated_at`.
pub fn offer_etag(offer_id: i64, updated_at: DateTime<Utc>) -> String {
    tag_of(format!("offer:{offer_id}:{}", updated_at.timestamp_micros()).as_bytes())
}

/// The opaque part of each tag of a header's list (`W/` dropped: weak comparison).
fn listed(header: &str) -> impl Iterator<Item = &str> {
    header
        .split(',')
        .map(str::trim)
        .map(|tag| tag.strip_prefix("W/").unwrap_or(tag))
        .filter(|tag| !tag.is_empty())
}

/// Whether `If-None-Match: header` matches `etag` (`*` matches anything): then a GET answers 304.
pub fn none_match_hits(header: &str, etag: &str) -> bool {
    let etag = etag.strip_prefix("W/").unwrap_or(etag);
    listed(header).any(|tag| tag == "*" || tag == etag)
}

/// What `If-Match` asks before a change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Precondition {
    /// No `If-Match`: change whatever the version.
    #[default]
    Unconditional,
    /// `If-Match: *`: the offer must exist.
    Exists,
    /// The offer must be at one of these versions (strong comparison).
    OneOf(Vec<String>),
}

impl Precondition {
    pub fn of_header(header: Option<&str>) -> Precondition {
        match header.map(str::trim) {
            None => Precondition::Unconditional,
            Some("*") => Precondition::Exists,
            Some(list) => Precondition::OneOf(
                list.split(',')
                    .map(str::trim)
                    .filter(|tag| !tag.is_empty() && !tag.starts_with("W/"))
                    .map(str::to_owned)
                    .collect(),
            ),
        }
    }

    /// Whether the change may go on, given the current version's tag (None: no current version).
    pub fn allows(&self, current: Option<&str>) -> bool {
        match (self, current) {
            (Precondition::Unconditional, _) => true,
            (_, None) => false,
            (Precondition::Exists, Some(_)) => true,
            (Precondition::OneOf(tags), Some(current)) => tags.iter().any(|tag| tag == current),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_as_the_rfc_says() {
        let tag = offer_etag(7, DateTime::<Utc>::UNIX_EPOCH);
        assert!(tag.starts_with('"') && tag.len() == 22);
        assert_ne!(tag, offer_etag(8, DateTime::<Utc>::UNIX_EPOCH));
        assert!(none_match_hits(&format!("\"x\", W/{tag}"), &tag));
        assert!(none_match_hits("*", &tag) && !none_match_hits("\"x\"", &tag));
        let wanted = Precondition::of_header(Some(&format!("\"x\", {tag}")));
        assert!(wanted.allows(Some(&tag)) && !wanted.allows(Some("\"y\"")) && !wanted.allows(None));
        assert!(Precondition::of_header(Some("*")).allows(Some("\"y\"")));
        assert!(!Precondition::of_header(Some(&format!("W/{tag}"))).allows(Some(&tag)));
        assert!(Precondition::of_header(None).allows(None));
    }
}
