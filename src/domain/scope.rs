//! What an API credential may do: OAuth2 scopes, enforced route by route.

use std::fmt;

/// One permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    OffersWrite,
    OffersRead,
    /// Also needs the operator's full access.
    CatalogueRead,
    TrackingWrite,
    StatsRead,
    WebhooksManage,
}

pub const ALL_SCOPES: [Scope; 6] = [
    Scope::OffersWrite,
    Scope::OffersRead,
    Scope::CatalogueRead,
    Scope::TrackingWrite,
    Scope::StatsRead,
    Scope::WebhooksManage,
];

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::OffersWrite => "offers:write",
            Scope::OffersRead => "offers:read",
            Scope::CatalogueRead => "catalogue:read",
            Scope::TrackingWrite => "tracking:write",
            Scope::StatsRead => "stats:read",
            Scope::WebhooksManage => "webhooks:manage",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        ALL_SCOPES.into_iter().find(|scope| scope.as_str() == text)
    }

    /// What the scope allows, as the pages and the OpenAPI document say it.
    pub fn description(self) -> &'static str {
        match self {
            Scope::OffersWrite => "publier, modifier et supprimer vos offres",
            Scope::OffersRead => "lire vos offres",
            Scope::CatalogueRead => "rechercher dans le catalogue (accès complet requis)",
            Scope::TrackingWrite => "déclarer les inscriptions et candidatures des élèves",
            Scope::StatsRead => "lire les statistiques de vos offres",
            Scope::WebhooksManage => "gérer vos webhooks et leurs livraisons",
        }
    }

    /// The catalogue is for operators with full access, whatever their token holds.
    pub fn needs_full_access(self) -> bool {
        self == Scope::CatalogueRead
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of scopes; written space-separated, as OAuth2 does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scopes(u8);

impl Scopes {
    pub fn all() -> Scopes {
        Scopes::of(&ALL_SCOPES)
    }

    pub fn of(scopes: &[Scope]) -> Scopes {
        Scopes(scopes.iter().fold(0, |bits, scope| bits | scope.bit()))
    }

    /// The scopes of a space-separated list; None if one is unknown.
    pub fn parse(text: &str) -> Option<Scopes> {
        text.split_whitespace()
            .map(Scope::parse)
            .collect::<Option<Vec<_>>>()
            .map(|scopes| Scopes::of(&scopes))
    }

    pub fn contains(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    pub fn is_subset_of(self, other: Scopes) -> bool {
        self.0 & !other.0 == 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn without(self, scope: Scope) -> Scopes {
        Scopes(self.0 & !scope.bit())
    }

    pub fn iter(self) -> impl Iterator<Item = Scope> {
        ALL_SCOPES.into_iter().filter(move |s| self.contains(*s))
    }

    /// What a static token (or a client) of an operator may hold: everything, but the
    /// catalogue only with full access.
    pub fn entitled(full_access: bool) -> Scopes {
        if full_access {
            Scopes::all()
        } else {
            Scopes::all().without(Scope::CatalogueRead)
        }
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Scope::as_str).collect();
        f.write_str(&names.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_space_separated_lists() {
        let scopes = Scopes::parse(" offers:write  catalogue:read ").unwrap_or_default();
        assert!(scopes.contains(Scope::OffersWrite) && scopes.contains(Scope::CatalogueRead));
        assert!(!scopes.contains(Scope::StatsRead));
        assert_eq!(scopes.to_string(), "offers:write catalogue:read");
        assert_eq!(Scopes::parse("offers:write nope"), None);
        assert!(Scopes::parse("").is_some_and(Scopes::is_empty));
        assert!(scopes.is_subset_of(Scopes::all()));
        assert!(!Scopes::all().is_subset_of(scopes));
        assert!(!Scopes::entitled(false).contains(Scope::CatalogueRead));
    }
}
