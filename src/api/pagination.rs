//! The original's pagination object (Kaminari semantics, 30 a page), with its bugs fixed:
//! links point to the endpoint that was called, and an empty result is its own last page.

use serde::Serialize;
use utoipa::ToSchema;

pub use crate::request::page::PER_PAGE;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub total_internship_offers: i64,
    pub internship_offers_per_page: i64,
    pub total_pages: i64,
    pub current_page: i64,
    pub next_page: Option<String>,
    pub prev_page: Option<String>,
    pub is_first_page: bool,
    pub is_last_page: bool,
    pub page_url_base: String,
}

impl Pagination {
    /// `endpoint` is the absolute URL of the endpoint called; `query` the other parameters
    /// to carry in the links, already sorted by key.
    pub fn new(total: i64, page: i64, endpoint: &str, query: &[(String, String)]) -> Pagination {
        let total_pages = (total + PER_PAGE - 1) / PER_PAGE;
        let link = |page: i64| {
            let mut pairs = url::form_urlencoded::Serializer::new(String::new());
            let mut all: Vec<(&str, String)> =
                query.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            all.push(("page", page.to_string()));
            all.sort_by(|a, b| a.0.cmp(b.0));
            pairs.extend_pairs(all);
            format!("{endpoint}?{}", pairs.finish())
        };
        let in_range = page <= total_pages;
        Pagination {
            total_internship_offers: total,
            internship_offers_per_page: PER_PAGE,
            total_pages,
            current_page: page,
            next_page: (page < total_pages).then(|| link(page + 1)),
            prev_page: (page > 1 && in_range).then(|| link(page - 1)),
            is_first_page: page == 1,
            is_last_page: page >= total_pages,
            page_url_base: endpoint.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_kaminari_edges_with_fixes() {
        let empty = Pagination::new(0, 1, "http://x/api/internship_offers", &[]);
        assert_eq!(
            (empty.total_pages, empty.is_first_page, empty.is_last_page),
            (0, true, true)
        );
        let second = Pagination::new(31, 2, "http://x/api/internship_offers", &[]);
        assert_eq!(
            second.prev_page.as_deref(),
            Some("http://x/api/internship_offers?page=1")
        );
        assert_eq!((second.next_page, second.is_last_page), (None, true));
        let past = Pagination::new(31, 9, "http://x/e", &[]);
        assert_eq!((past.next_page, past.prev_page), (None, None));
        let first = Pagination::new(61, 1, "http://x/e", &[("keyword".into(), "cuisine".into())]);
        assert_eq!(
            first.next_page.as_deref(),
            Some("http://x/e?keyword=cuisine&page=2")
        );
    }
}
