//! Rate limits: the classes of routes, their limits per window, and what a counted request
//! learns (the `RateLimit*` headers, or a refusal with `Retry-After`).

use std::fmt;

/// Which budget a request spends (each route's is in the route table, `api::routes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteClass {
    /// Changes to offers and webhooks.
    Write,
    /// The other reads: my offers, one offer, sectors, stats, feeds, webhooks.
    Read,
    /// The catalogue search.
    Search,
    /// Pupils' tracking: account activities, application trackings.
    Tracking,
    /// Routes without a token (`POST /oauth/token`), per client address.
    Unauthenticated,
}

impl RouteClass {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteClass::Write => "write",
            RouteClass::Read => "read",
            RouteClass::Search => "search",
            RouteClass::Tracking => "tracking",
            RouteClass::Unauthenticated => "unauthenticated",
        }
    }
}

impl fmt::Display for RouteClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Requests allowed per window, by class (`RATE_LIMIT_*`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    /// Off (`RATE_LIMIT_ENABLED=false`): nothing is counted, no header is sent.
    pub enabled: bool,
    pub window_secs: u32,
    pub write: u32,
    pub read: u32,
    pub search: u32,
    pub tracking: u32,
    pub unauthenticated: u32,
}

impl Default for RateLimits {
    /// Per minute: sized so that a partner syncing in bursts is not refused.
    fn default() -> Self {
        RateLimits {
            enabled: true,
            window_secs: 60,
            write: 1_200,
            read: 1_200,
            search: 600,
            tracking: 600,
            unauthenticated: 120,
        }
    }
}

impl RateLimits {
    /// The limit of `class`, raised by an operator's factor.
    pub fn limit(&self, class: RouteClass, factor: u32) -> u32 {
        let base = match class {
            RouteClass::Write => self.write,
            RouteClass::Read => self.read,
            RouteClass::Search => self.search,
            RouteClass::Tracking => self.tracking,
            RouteClass::Unauthenticated => self.unauthenticated,
        };
        base.saturating_mul(factor.max(1))
    }
}

/// Where a request leaves its budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateState {
    pub class: RouteClass,
    pub limit: u32,
    /// Requests counted in this window, this one included.
    pub hits: u32,
    pub window_secs: u32,
    /// Seconds until the window ends (at least 1).
    pub reset_secs: u32,
}

impl RateState {
    pub fn remaining(&self) -> u32 {
        self.limit.saturating_sub(self.hits)
    }

    /// Over the limit: the request is refused.
    pub fn exceeded(&self) -> bool {
        self.hits > self.limit
    }

    /// The headers of the answer: the IETF httpapi draft's `RateLimit-Policy` and `RateLimit`,
    /// and the common `X-RateLimit-*`.
    pub fn headers(&self) -> [(&'static str, String); 5] {
        let (limit, remaining, reset) = (self.limit, self.remaining(), self.reset_secs);
        let name = self.class.as_str();
        [
            (
                "RateLimit-Policy",
                format!("\"{name}\";q={limit};w={}", self.window_secs),
            ),
            ("RateLimit", format!("\"{name}\";r={remaining};t={reset}")),
            ("X-RateLimit-Limit", limit.to_string()),
            ("X-RateLimit-Remaining", remaining.to_string()),
            ("X-RateLimit-Reset", reset.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_scale_with_the_operator() {
        let limits = RateLimits::default();
        assert_eq!(limits.limit(RouteClass::Search, 3), 1_800);
        let state = RateState {
            class: RouteClass::Read,
            limit: 2,
            hits: 3,
            window_secs: 60,
            reset_secs: 12,
        };
        assert!(state.exceeded());
        assert_eq!(state.remaining(), 0);
        assert_eq!(state.headers()[1].1, "\"read\";r=0;t=12");
    }
}
