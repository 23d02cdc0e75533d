//! Database access: the connection pool, the migrations, and `run`, the one way
//! handlers reach the database (a blocking closure on actix's thread pool).

pub mod models;
pub mod queries;
pub mod schema;
pub mod seed;

use std::time::Duration;

use diesel::PgConnection;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiError;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

#[derive(Debug)]
struct SessionSettings;

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(
            "SET statement_timeout = '15s'; SET application_name = 'monstage'; SET TIME ZONE 'UTC'",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

pub fn build_pool(database_url: &str, max_size: u32) -> Result<DbPool, diesel::r2d2::PoolError> {
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(5))
        // Broken connections surface as query errors; a `SELECT 1` before each use would
        // add a round trip to every request.
        .test_on_check_out(false)
        .connection_customizer(Box::new(SessionSettings))
        .build(ConnectionManager::new(database_url))
}

/// Runs every pending migration; returns the versions applied.
pub fn migrate(conn: &mut PgConnection) -> Result<Vec<String>, String> {
    conn.run_pending_migrations(MIGRATIONS)
        .map(|versions| versions.iter().map(ToString::to_string).collect())
        .map_err(|e| e.to_string())
}

pub fn has_pending_migrations(conn: &mut PgConnection) -> Result<bool, String> {
    conn.has_pending_migration(MIGRATIONS)
        .map_err(|e| e.to_string())
}

/// Runs `work` with a pooled connection on the blocking thread pool, inside the caller's span.
pub async fn run<T, F>(pool: &DbPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    run_with(pool, work).await
}

/// `run` for callers with an error type of their own (the web pages).
pub async fn run_with<T, E, F>(pool: &DbPool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<diesel::r2d2::PoolError> + From<actix_web::error::BlockingError> + Send + 'static,
{
    let pool = pool.clone();
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await?
}
