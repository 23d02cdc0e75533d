//! Database access: the connection pool, the migrations, and `run`, the one way request
//! handlers reach the database (a blocking closure on the runtime's blocking threads).

pub mod bulkhead;
pub mod fault;
pub mod models;
pub mod queries;
pub mod schema;
pub mod seed;
pub mod sql;

use std::ops::{Deref, DerefMut};
use std::time::Duration;

use diesel::PgConnection;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, ManageConnection, Pool, PoolError};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub use fault::{Fault, fault};

pub type DbPool = Pool<Manager>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// A pooled PostgreSQL connection that remembers having lost its server, so that the pool
/// drops it instead of handing it out again (after a restart, every idle connection is dead).
pub struct DbConnection {
    conn: PgConnection,
    lost: bool,
}

impl Deref for DbConnection {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.conn
    }
}

impl DerefMut for DbConnection {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.conn
    }
}

/// diesel's connection manager, with lost connections reported as broken.
#[derive(Debug)]
pub struct Manager(ConnectionManager<PgConnection>);

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        let conn = self.0.connect()?;
        Ok(DbConnection { conn, lost: false })
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        self.0.is_valid(&mut conn.conn)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.lost || self.0.has_broken(&mut conn.conn)
    }
}

#[derive(Debug)]
struct SessionSettings;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(
            "SET statement_timeout = '15s'; SET lock_timeout = '3s'; \
             SET application_name = 'monstage'; SET TIME ZONE 'UTC'",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// How long a request waits for a connection before it is answered 503.
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

pub fn build_pool(
    database_url: &str,
    max_size: u32,
    checkout_timeout: Duration,
) -> Result<DbPool, PoolError> {
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(checkout_timeout)
        // A connection whose query failed for want of a server is dropped on return (see
        // `DbConnection`); testing each one on checkout would add a round trip to every request.
        .test_on_check_out(false)
        .connection_customizer(Box::new(SessionSettings))
        .build(Manager(ConnectionManager::new(database_url)))
}

/// The advisory lock held while migrating ("ms3emigr").
const MIGRATION_LOCK: i64 = 0x6d73_3365_6d69_6772;

/// Runs every pending migration under an advisory lock, so that instances starting together
/// apply each one once (the others wait, then find nothing pending); returns the versions
/// applied.
pub fn migrate(conn: &mut PgConnection) -> Result<Vec<String>, String> {
    with_migration_lock(conn, |conn| {
        conn.run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| e.to_string())
    })
}

/// Reverts every applied migration, newest first (the tests check each `down.sql`).
pub fn revert_all(conn: &mut PgConnection) -> Result<Vec<String>, String> {
    with_migration_lock(conn, |conn| {
        conn.revert_all_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| e.to_string())
    })
}

fn with_migration_lock<T>(
    conn: &mut PgConnection,
    work: impl FnOnce(&mut PgConnection) -> Result<T, String>,
) -> Result<T, String> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
        .map_err(|e| e.to_string())?;
    let done = work(conn);
    let unlocked = conn.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"));
    let done = done?;
    unlocked.map_err(|e| e.to_string())?;
    Ok(done)
}

pub fn has_pending_migrations(conn: &mut PgConnection) -> Result<bool, String> {
    conn.has_pending_migration(MIGRATIONS)
        .map_err(|e| e.to_string())
}

/// The error types of database callers (the API's, the pages'): what an unreachable database
/// and a defect of ours are for them. Database failures are mapped once, by `failure`.
pub trait RunError: Send + 'static {
    fn unavailable() -> Self;
    fn internal(cause: String) -> Self;
    fn is_unavailable(&self) -> bool;
}

/// A database error as the caller's error: a lost or refused connection, or a statement that
/// waited too long (a table locked or slow), is `unavailable` (logged as a warning), anything
/// else a defect.
pub fn failure<E: RunError>(error: diesel::result::Error) -> E {
    match fault(&error) {
        Fault::Unavailable => {
            tracing::warn!(error = %error, "database unreachable");
            E::unavailable()
        }
        Fault::Busy => {
            tracing::warn!(error = %error, "database busy");
            E::unavailable()
        }
        Fault::UniqueViolation | Fault::Other => E::internal(format!("database: {error}")),
    }
}

/// Runs `work` with a pooled connection on a blocking thread, inside the caller's span, once
/// the request's bulkhead has a place for it (`bulkhead`; 503 when none frees up in time).
pub async fn run<T, E, F>(pool: &DbPool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: RunError,
{
    let place = bulkhead::enter(CHECKOUT_TIMEOUT).await.map_err(|()| {
        tracing::warn!("every connection of this class of route is taken");
        E::unavailable()
    })?;
    let pool = pool.clone();
    let span = tracing::Span::current();
    let task = tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let _place = place;
        let mut conn = pool.get().map_err(|error| {
            tracing::warn!(%error, "no database connection available");
            E::unavailable()
        })?;
        let result = work(&mut conn);
        // Never hand out a connection that lost its server again (a busy statement's connection
        // goes too: one reconnection, the price of not telling them apart here).
        if result.as_ref().is_err_and(E::is_unavailable) {
            conn.lost = true;
        }
        result
    });
    task.await
        .map_err(|e| E::internal(format!("database work aborted: {e}")))?
}
