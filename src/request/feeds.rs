//! `GET /api/internship_offers/changes` and `GET /api/catalogue/changes`: `since` and `limit`.

use crate::domain::feed::{DEFAULT_LIMIT, FeedCursor, MAX_LIMIT};
use crate::domain::field_errors::FieldErrors;
use crate::request::{Fields, Params};

#[derive(Debug, PartialEq)]
pub struct FeedRequest {
    /// None: from the start (a snapshot, then the log).
    pub since: Option<FeedCursor>,
    pub limit: i64,
}

impl FeedRequest {
    pub fn read(params: &Params) -> Result<FeedRequest, FieldErrors> {
        Self::read_from(&mut Fields::new(params))
    }

    /// The parameters this request reads (the OpenAPI document lists the same).
    pub fn keys_read() -> Vec<&'static str> {
        crate::request::read::keys_read_by(Self::read_from)
    }

    fn read_from(f: &mut Fields<'_>) -> Result<FeedRequest, FieldErrors> {
        let since = f.trimmed_text("since");
        let cursor = since.as_deref().map(str::parse::<FeedCursor>);
        if let Some(Err(())) = cursor {
            f.refuse(
                "since",
                "curseur illisible : reprenez un `next_cursor` ou un `cursor` reçu du flux",
            );
        }
        let limit = f.integer("limit").value().unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            f.refuse("limit", format!("doit être compris entre 1 et {MAX_LIMIT}"));
        }
        f.errors().clone().into_result()?;
        Ok(FeedRequest {
            since: cursor.and_then(Result::ok),
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(query: serde_json::Value) -> Result<FeedRequest, FieldErrors> {
        FeedRequest::read(query.as_object().expect("an object"))
    }

    #[test]
    fn reads_the_cursor_and_the_limit_and_refuses_the_rest() {
        let start = read(json!({})).expect("valid");
        assert_eq!((start.since, start.limit), (None, DEFAULT_LIMIT));
        let resumed = read(json!({"since": "l.10.4", "limit": "1000"})).expect("valid");
        assert_eq!(
            resumed.since.map(|c| c.to_string()).as_deref(),
            Some("l.10.4")
        );
        assert_eq!(resumed.limit, 1000);
        let refused = read(json!({"since": "10", "limit": "1001"})).expect_err("refused");
        assert!(refused.has("since") && refused.has("limit"));
        assert!(read(json!({"limit": "0"})).is_err());
    }
}
