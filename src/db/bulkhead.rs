//! Bulkheads: the connections one class of route holds at once on this instance are bounded
//! (three quarters of the pool), so that a slow table (a lock, a heavy query) holding one
//! class's requests leaves connections to the others. `edge::pass` runs each request inside
//! its class's bulkhead; `db::run` takes a place in it for as long as it holds a connection.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::domain::rate_limit::RouteClass;

tokio::task_local! {
    /// The bulkhead of the request being served (none outside requests: the workers').
    static CURRENT: Arc<Semaphore>;
}

/// One bulkhead per class of authenticated route.
#[derive(Debug)]
pub struct Bulkheads {
    write: Arc<Semaphore>,
    read: Arc<Semaphore>,
    search: Arc<Semaphore>,
    tracking: Arc<Semaphore>,
}

impl Bulkheads {
    /// Each class may hold three quarters of a pool of `pool_size` connections (at least one).
    pub fn for_pool(pool_size: u32) -> Bulkheads {
        let places = usize::try_from(pool_size * 3 / 4).unwrap_or(1).max(1);
        let bulkhead = || Arc::new(Semaphore::new(places));
        Bulkheads {
            write: bulkhead(),
            read: bulkhead(),
            search: bulkhead(),
            tracking: bulkhead(),
        }
    }

    fn of(&self, class: RouteClass) -> Option<&Arc<Semaphore>> {
        match class {
            RouteClass::Write => Some(&self.write),
            RouteClass::Read => Some(&self.read),
            RouteClass::Search => Some(&self.search),
            RouteClass::Tracking => Some(&self.tracking),
            RouteClass::Unauthenticated => None,
        }
    }

    /// Runs `serve` (a request of `class`) inside its class's bulkhead.
    pub async fn within<F: Future>(&self, class: RouteClass, serve: F) -> F::Output {
        match self.of(class) {
            Some(bulkhead) => CURRENT.scope(bulkhead.clone(), serve).await,
            None => serve.await,
        }
    }
}

/// A place in the current request's bulkhead, waited for up to `wait`: `Ok(None)` outside a
/// request, `Err(())` when every place stayed taken.
pub async fn enter(wait: std::time::Duration) -> Result<Option<OwnedSemaphorePermit>, ()> {
    let Ok(bulkhead) = CURRENT.try_with(Arc::clone) else {
        return Ok(None);
    };
    match tokio::time::timeout(wait, bulkhead.acquire_owned()).await {
        Ok(Ok(place)) => Ok(Some(place)),
        _ => Err(()),
    }
}
