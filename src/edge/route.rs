//! A route's facts, as the route table (`api::routes`) states them, and the table itself once
//! built: it registers the routes, finds a request's route once for every step of the edge, and
//! answers the methods a path does not take.

use actix_web::dev::{ResourceDef, ServiceRequest};
use actix_web::http::Method;
use actix_web::{HttpMessage, HttpRequest, web};

use crate::domain::rate_limit::RouteClass;
use crate::domain::scope::Scope;
use crate::request::body::{self, Params};
use crate::request::search::SearchRequest;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (the token endpoint, the probes, the docs).
    Open,
    /// A partner's token, holding this scope when one is named (`catalogue:read` also needs
    /// the operator's full access).
    Token(Option<Scope>),
}

/// What a route does with conditional requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conditional {
    No,
    /// Answers carry an `ETag`; 304 when `If-None-Match` has it.
    Read,
    /// `If-Match` names the version to change; 412 when it moved on.
    Write,
}

/// What the edge needs to know of a route before its handler runs.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub access: Access,
    /// The rate limit and bulkhead it spends (None: neither, as the probes and the docs).
    pub class: Option<RouteClass>,
    /// It takes a body of at most this many bytes (None: no body is documented; one sent is
    /// still read, within the default limit, and merged as Rails merged parameters).
    pub body_limit: Option<usize>,
    /// It takes `Idempotency-Key`.
    pub idempotent: bool,
    pub conditional: Conditional,
}

/// Default facts: open, uncounted, bodiless.
pub const OPEN: Facts = Facts {
    access: Access::Open,
    class: None,
    body_limit: None,
    idempotent: false,
    conditional: Conditional::No,
};

/// The handler's own documentation, from its `#[utoipa::path]`.
pub struct Documented {
    pub operation: utoipa::openapi::path::Operation,
    /// The schemas it names, for the document's components.
    pub schemas: Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
    /// The method and path the attribute must name (the macro wants them): the table's.
    pub method_and_path: (Vec<utoipa::openapi::path::HttpMethod>, String),
}

/// One row of the route table.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    /// The OpenAPI operation id, which client generators turn into a method name.
    pub operation_id: &'static str,
    /// The French one-line summary partners read.
    pub summary: &'static str,
    /// The OpenAPI tag (`api::contract::TAGS`).
    pub tag: &'static str,
    pub facts: Facts,
    /// The facts that apply instead when the query holds search parameters (a listing sent
    /// with them answers as the search, as the first partner documentation had it).
    pub searching: Option<Facts>,
    pub handler: fn() -> actix_web::Route,
    /// The handler's `#[utoipa::path]`; None for routes outside the partner contract.
    pub documented: Option<fn() -> Documented>,
}

/// The documentation `#[utoipa::path]` generated for a handler (`H` is its `__path_…` type).
pub fn documented<H>() -> Documented
where
    H: utoipa::Path + utoipa::__dev::SchemaReferences,
{
    let mut schemas = vec![];
    H::schemas(&mut schemas);
    Documented {
        operation: H::operation(),
        schemas,
        method_and_path: (H::methods(), H::path()),
    }
}

/// The route a request took, found once by `RouteTable::resolve`.
#[derive(Clone, Copy)]
pub struct Resolved {
    pub route: &'static Route,
    pub facts: &'static Facts,
    /// A listing that answers as the search.
    pub searching: bool,
}

impl Resolved {
    /// The route of a request already resolved.
    pub fn of(req: &HttpRequest) -> Option<Resolved> {
        req.extensions().get::<Resolved>().copied()
    }

    /// A listing not yet a search, whose parameters (its body's included) hold search
    /// parameters: it answers as the search. The query alone decided its class, before the body.
    pub fn searching_by(self, params: &Params) -> Option<Resolved> {
        let searching = self.route.searching.as_ref().filter(|_| !self.searching)?;
        SearchRequest::present_in(params).then_some(Resolved {
            facts: searching,
            searching: true,
            ..self
        })
    }
}

/// The table, with each path's pattern compiled once.
pub struct RouteTable {
    routes: &'static [Route],
    /// Each distinct path, in the table's order (which is the order actix tries them in).
    paths: Vec<(ResourceDef, &'static str)>,
}

impl RouteTable {
    pub fn new(routes: &'static [Route]) -> RouteTable {
        let mut paths: Vec<(ResourceDef, &'static str)> = vec![];
        for route in routes {
            if !paths.iter().any(|(_, path)| *path == route.path) {
                paths.push((ResourceDef::new(route.path), route.path));
            }
        }
        RouteTable { routes, paths }
    }

    pub fn routes(&self) -> &'static [Route] {
        self.routes
    }

    /// The rows of one path.
    pub fn of_path<'p>(&self, path: &'p str) -> impl Iterator<Item = &'static Route> + use<'p> {
        self.routes.iter().filter(move |route| route.path == path)
    }

    /// Registers every route: one resource per path, one route per method, and for any other
    /// method the answer of `unrouted` (404, or 405 with `Allow`).
    pub fn register<F>(&self, config: &mut web::ServiceConfig, unrouted: F)
    where
        F: actix_web::Handler<(HttpRequest,)> + Clone,
        F::Output: actix_web::Responder + 'static,
    {
        for (_, path) in &self.paths {
            let mut resource = web::resource(*path).default_service(web::to(unrouted.clone()));
            for route in self.of_path(path) {
                resource = resource.route((route.handler)().method(route.method.clone()));
            }
            config.service(resource);
        }
    }

    /// The request's route, as actix will route it: the first path that matches, then the
    /// method. Left in the request's extensions for every later step.
    pub fn resolve(&self, req: &ServiceRequest) -> Option<Resolved> {
        let route = self
            .of_path(self.path_of(req.path())?)
            .find(|r| r.method == req.method())?;
        let (facts, searching) = match &route.searching {
            Some(searching) if searches(req) => (searching, true),
            _ => (&route.facts, false),
        };
        let resolved = Resolved {
            route,
            facts,
            searching,
        };
        req.extensions_mut().insert(resolved);
        Some(resolved)
    }

    /// The table's path a request's path falls on: the first that matches, as actix routes.
    fn path_of(&self, path: &str) -> Option<&'static str> {
        self.paths
            .iter()
            .find(|(pattern, _)| pattern.is_match(path))
            .map(|(_, path)| *path)
    }

    /// The methods a path takes, for `Allow`.
    pub fn allowed(&self, path: &str) -> Vec<&'static str> {
        self.path_of(path)
            .map(|path| self.of_path(path).map(|r| r.method.as_str()).collect())
            .unwrap_or_default()
    }
}

/// Whether the query holds search parameters.
fn searches(req: &ServiceRequest) -> bool {
    SearchRequest::present_in(&body::query_params(req.request()).unwrap_or_default())
}
