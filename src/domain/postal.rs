//! French postal codes: the official La Poste list (from the npm package `codes-postaux`,
//! MIT, extracted to seeds/postal_codes.csv) and the department each code belongs to.

use std::collections::HashMap;
use std::sync::LazyLock;

static DEPARTMENTS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../../seeds/postal_codes.csv")
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(','))
        .collect()
});

/// Whether the text has the shape of a French postal code (five digits).
pub fn is_well_formed(zipcode: &str) -> bool {
    zipcode.len() == 5 && zipcode.bytes().all(|b| b.is_ascii_digit())
}

/// The department ("75", "2A", "974") of a postal code on the La Poste list.
pub fn department(zipcode: &str) -> Option<&'static str> {
    DEPARTMENTS.get(zipcode).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_departments_including_corsica_and_overseas() {
        assert_eq!(department("75002"), Some("75"));
        assert_eq!(department("20000"), Some("2A"));
        assert_eq!(department("20200"), Some("2B"));
        assert_eq!(department("97411"), Some("974"));
        assert_eq!(department("00000"), None);
        assert!(DEPARTMENTS.len() > 6000);
    }
}
