//! The `page` parameter of listings, and the typed request of "my offers".

use crate::domain::field_errors::FieldErrors;
use crate::request::{Fields, Params, read, values};

/// Offers per page, as the original's Kaminari pages.
pub const PER_PAGE: i64 = 30;

/// The `page` parameter: absent means 1; otherwise a positive integer.
pub fn page_of(f: &mut Fields<'_>) -> i64 {
    f.read("page", |value| {
        values::id(value).map_err(|_| "doit être un nombre entier supérieur ou égal à 1".into())
    })
    .value()
    .unwrap_or(1)
}

/// `GET /api/internship_offers`: a page of the caller's offers.
#[derive(Debug, PartialEq)]
pub struct PageRequest {
    pub page: i64,
}

impl PageRequest {
    pub fn read(params: &Params) -> Result<PageRequest, FieldErrors> {
        Self::read_from(&mut Fields::new(params))
    }

    fn read_from(f: &mut Fields<'_>) -> Result<PageRequest, FieldErrors> {
        let page = page_of(f);
        f.errors().clone().into_result()?;
        Ok(PageRequest { page })
    }

    /// The parameters this request reads (the OpenAPI document lists the same).
    pub fn keys_read() -> Vec<&'static str> {
        read::keys_read_by(Self::read_from)
    }

    /// The rows to skip before this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(PER_PAGE)
    }
}
