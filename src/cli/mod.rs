//! `monstage <command>`: the server and the admin commands. Each admin command prints
//! exactly one JSON object on stdout (`{"error": "..."}` with exit code 1 on failure).

use std::net::TcpListener;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use diesel::{Connection, PgConnection};
use serde_json::{Value, json};

mod client;
mod import;

use crate::admin::Actor;
use crate::config::Settings;
use crate::db::models::Principal;
use crate::search::{self, SearchIndex};
use crate::secrets::password_checks::{PasswordChecks, SIGN_IN_QUEUE};
use crate::state::AppState;
use crate::{admin, db, startup, telemetry};

#[derive(Debug, Parser)]
#[command(name = "monstage", version, about = "Partner API of Mon stage de 3e")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serves the API on LISTEN_ADDR.
    Serve {
        /// Apply pending migrations first (otherwise refuse to start when some are pending).
        #[arg(long)]
        migrate: bool,
    },
    /// Applies pending migrations.
    Migrate,
    /// Loads the referentials (sectors, weeks); with --demo, also the demo operator.
    Seed {
        #[arg(long)]
        demo: bool,
    },
    /// Prints the OpenAPI document.
    Openapi,
    /// Partner organisations.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// API accounts of an operator.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Offers, in bulk.
    #[command(subcommand)]
    Offers(OffersCommand),
    /// Pupils of the platform.
    #[command(subcommand)]
    Student(StudentCommand),
    /// Platform admins (web pages /admin).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Pupils' personal data (see doc/donnees-personnelles.md).
    #[command(subcommand)]
    Privacy(PrivacyCommand),
    /// OAuth2 clients of an account (client credentials).
    #[command(subcommand)]
    Client(client::ClientCommand),
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Creates an admin; prints the invitation link with which they choose a password.
    Create {
        #[arg(long)]
        email: String,
    },
    /// A new invitation link for an admin (earlier links stop working).
    Invite {
        #[arg(long)]
        admin_id: i64,
    },
}

#[derive(Debug, Subcommand)]
enum StudentCommand {
    /// Creates a pupil; its id is the `msta` tag given to partners.
    Create {
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
    },
    /// Erases a pupil: identity and every trace tied to the id (rolled up into anonymous
    /// counts first), in one transaction; audited. The id is unknown afterwards.
    Erase {
        #[arg(long)]
        student_id: i64,
    },
}

#[derive(Debug, Subcommand)]
enum PrivacyCommand {
    /// Rolls up into anonymous daily counts, then deletes, the pupils' traces older than
    /// PUPIL_TRACE_RETENTION_DAYS (the server also does it every hour).
    Purge,
}

#[derive(Debug, Subcommand)]
enum OperatorCommand {
    /// Creates an operator and its first API account.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// Grants access to the whole catalogue (search).
        #[arg(long)]
        full_access: bool,
    },
    /// Lists operators and their accounts (never the tokens).
    List,
}

#[derive(Debug, Subcommand)]
enum OffersCommand {
    /// Creates or updates (by remote_id) an operator's offers from JSON Lines, one offer object
    /// a line with the API's field names; refused lines go to the report, the others are kept.
    Import {
        #[arg(long)]
        operator_id: i64,
        /// The JSON Lines file.
        file: std::path::PathBuf,
        /// Where refused lines are reported (JSON Lines); default: FILE.errors.jsonl.
        #[arg(long)]
        report: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Adds an account to an operator.
    Create {
        #[arg(long)]
        operator_id: i64,
        #[arg(long)]
        email: String,
    },
    /// Replaces an account's token; the old one stops working.
    RotateToken {
        #[arg(long)]
        account_id: i64,
    },
    /// Gives an account the token it had on the original platform, read from stdin.
    ImportToken {
        #[arg(long)]
        account_id: i64,
    },
    /// Prints a single-use link with which the account's owner chooses a password for the
    /// web pages (expires after 72 hours; earlier links stop working).
    Invite {
        #[arg(long)]
        account_id: i64,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    match execute(cli.command) {
        Ok(Some(output)) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(message) => {
            println!("{}", json!({ "error": message }));
            ExitCode::FAILURE
        }
    }
}

fn execute(command: Command) -> Result<Option<Value>, String> {
    if let Command::Openapi = command {
        return serde_json::to_value(crate::api::openapi_document())
            .map(Some)
            .map_err(|e| e.to_string());
    }
    if let Command::Migrate = command {
        // Needs the database only: no encryption key.
        let url = Settings::database_url_from_env()?;
        let conn = &mut PgConnection::establish(&url).map_err(|e| format!("database: {e}"))?;
        return Ok(Some(json!({ "applied": db::migrate(conn)? })));
    }
    let settings = Settings::from_env()?;
    let console = Console {
        site_url: settings.site_url(),
        actor: Actor::console(),
        settings: &settings,
    };
    match command {
        Command::Serve { migrate } => serve(&settings, migrate).map(|()| None),
        Command::Migrate => Ok(None),
        Command::Seed { demo } => console.seed(demo),
        Command::Operator(command) => console.operator(command),
        Command::Account(command) => console.account(command),
        Command::Admin(command) => console.admin(command),
        Command::Client(command) => console.client(command),
        Command::Offers(OffersCommand::Import {
            operator_id,
            file,
            report,
        }) => import::run(&settings, operator_id, &file, report),
        Command::Student(StudentCommand::Create {
            first_name,
            last_name,
        }) => to_json(admin::create_student(
            &mut console.connect()?,
            &first_name,
            &last_name,
        )),
        Command::Student(StudentCommand::Erase { student_id }) => to_json(
            admin::privacy::erase_student(&mut console.connect()?, student_id, &console.actor),
        ),
        Command::Privacy(PrivacyCommand::Purge) => to_json(admin::privacy::purge(
            &mut console.connect()?,
            settings.pupil_trace_retention_days,
        )),
        Command::Openapi => Ok(None),
    }
}

/// What the admin commands share: the settings, the database, and who acts.
struct Console<'a> {
    settings: &'a Settings,
    site_url: String,
    actor: Actor,
}

impl Console<'_> {
    fn connect(&self) -> Result<PgConnection, String> {
        PgConnection::establish(&self.settings.database_url).map_err(|e| format!("database: {e}"))
    }

    fn seed(&self, demo: bool) -> Result<Option<Value>, String> {
        let conn = &mut self.connect()?;
        let report = db::seed::referentials(conn)?;
        let key = &self.settings.token_key;
        let demo_data = if demo {
            (
                admin::ensure_demo_students(conn).map_err(|e| e.to_string())?,
                admin::ensure_demo_operator(conn, key).map_err(|e| e.to_string())?,
                admin::ensure_demo_admin(conn, &self.site_url).map_err(|e| e.to_string())?,
            )
        } else {
            (vec![], None, None)
        };
        Ok(Some(json!({
            "referentials": report,
            "demo_operator": demo_data.1,
            "demo_admin_invitation": demo_data.2,
            "demo_student_ids": demo_data.0,
        })))
    }

    fn operator(&self, command: OperatorCommand) -> Result<Option<Value>, String> {
        match command {
            OperatorCommand::Create {
                name,
                email,
                full_access,
            } => to_json(admin::create_operator(
                &mut self.connect()?,
                &self.settings.token_key,
                &name,
                &email,
                full_access,
                &self.actor,
            )),
            OperatorCommand::List => {
                let operators =
                    admin::list_operators(&mut self.connect()?, None).map_err(|e| e.to_string())?;
                Ok(Some(json!({ "operators": operators })))
            }
        }
    }

    fn account(&self, command: AccountCommand) -> Result<Option<Value>, String> {
        let (conn, key, actor) = (&mut self.connect()?, &self.settings.token_key, &self.actor);
        match command {
            AccountCommand::Create { operator_id, email } => {
                to_json(admin::create_account(conn, key, operator_id, &email, actor))
            }
            AccountCommand::RotateToken { account_id } => {
                to_json(admin::rotate_token(conn, key, account_id, actor))
            }
            AccountCommand::Invite { account_id } => to_json(admin::access::invite(
                conn,
                &self.site_url,
                Principal::Account(account_id),
                actor,
            )),
            AccountCommand::ImportToken { account_id } => {
                let mut token = String::new();
                std::io::stdin()
                    .read_line(&mut token)
                    .map_err(|e| format!("stdin: {e}"))?;
                to_json(admin::import_token(conn, key, account_id, &token, actor))
            }
        }
    }

    fn admin(&self, command: AdminCommand) -> Result<Option<Value>, String> {
        let conn = &mut self.connect()?;
        match command {
            AdminCommand::Create { email } => to_json(admin::access::create_admin(
                conn,
                &self.site_url,
                &email,
                &self.actor,
            )),
            AdminCommand::Invite { admin_id } => to_json(admin::access::invite(
                conn,
                &self.site_url,
                Principal::Admin(admin_id),
                &self.actor,
            )),
        }
    }
}

fn to_json<T: serde::Serialize>(
    value: Result<T, admin::AdminError>,
) -> Result<Option<Value>, String> {
    let value = value.map_err(|e| e.to_string())?;
    serde_json::to_value(value)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Waits for the database (an instance may start before it), with a growing pause up to 5 s.
fn connect_with_backoff(url: &str) -> PgConnection {
    let mut pause = std::time::Duration::from_millis(250);
    loop {
        match PgConnection::establish(url) {
            Ok(conn) => return conn,
            Err(error) => {
                tracing::warn!(%error, retry_in_ms = pause.as_millis() as u64, "database unreachable at start");
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_secs(5));
            }
        }
    }
}

/// Applies the pending migrations (`serve --migrate`), or refuses to serve while any is pending.
fn check_migrations(settings: &Settings, migrate: bool) -> Result<(), String> {
    let mut conn = connect_with_backoff(&settings.database_url);
    if migrate {
        db::migrate(&mut conn).map(drop)
    } else if db::has_pending_migrations(&mut conn)? {
        Err("pending migrations: run `monstage migrate` (or serve --migrate)".into())
    } else {
        Ok(())
    }
}

fn serve(settings: &Settings, migrate: bool) -> Result<(), String> {
    check_migrations(settings, migrate)?;
    let pool = db::build_pool(
        &settings.database_url,
        settings.db_pool_size,
        db::CHECKOUT_TIMEOUT,
    )
    .map_err(|e| e.to_string())?;
    let (search_index, checkpoint) =
        SearchIndex::open(Some(&settings.search_index_dir)).map_err(|e| {
            format!(
                "search index in {}: {e}",
                settings.search_index_dir.display()
            )
        })?;
    let search_index = std::sync::Arc::new(search_index);
    search::follower::start(
        search_index.clone(),
        pool.clone(),
        checkpoint,
        settings.event_retention_days,
    );
    let listener = TcpListener::bind(&settings.listen_addr)
        .map_err(|e| format!("{}: {e}", settings.listen_addr))?;
    tracing::info!(address = %settings.listen_addr, "serving the partner API");
    let state = app_state(settings, pool, search_index);
    let mut webhooks = crate::webhooks::WorkerSettings::new(
        settings.webhook_allow_loopback,
        settings.webhook_retry_scale,
    );
    webhooks.heartbeat = state.webhook_heartbeat.clone();
    let worker = crate::webhooks::start(state.pool.clone(), state.token_key.clone(), webhooks);
    let (pool, retention) = (
        state.pool.clone(),
        startup::Retention {
            offer_events_days: settings.event_retention_days,
            pupil_traces_days: settings.pupil_trace_retention_days,
        },
    );
    actix_web::rt::System::new()
        .block_on(async move {
            startup::keep_logs_trimmed(pool, retention);
            let server = startup::run(listener, state, settings.workers, settings.shutdown_drain)?;
            actix_web::rt::spawn(stop_on_signal(server.handle(), worker));
            server.await
        })
        .map_err(|e| e.to_string())
}

/// What every request shares, from the settings.
fn app_state(
    settings: &Settings,
    pool: db::DbPool,
    search_index: std::sync::Arc<SearchIndex>,
) -> AppState {
    AppState {
        bulkheads: std::sync::Arc::new(db::bulkhead::Bulkheads::for_pool(settings.db_pool_size)),
        pool,
        public_url: settings.public_url.clone(),
        allowed_hosts: settings.allowed_hosts.clone(),
        search_index,
        referentials: Default::default(),
        token_key: settings.token_key.clone(),
        secure_cookies: settings.site_url().starts_with("https://"),
        trusted_proxies: settings.trusted_proxies.clone(),
        password_checks: std::sync::Arc::new(PasswordChecks::new(
            settings.sign_in_concurrency,
            SIGN_IN_QUEUE,
        )),
        webhook_allow_loopback: settings.webhook_allow_loopback,
        rate_limits: settings.rate_limits,
        rate_counter: Default::default(),
        webhook_heartbeat: Default::default(),
        metrics: crate::metrics::Metrics::new().ok().map(std::sync::Arc::new),
        metrics_token: settings.metrics_token.clone(),
    }
}

/// On `SIGTERM` or `SIGINT`: stops accepting connections, lets the requests in flight finish
/// (within `SHUTDOWN_DRAIN_SECS`) while the webhook worker hands back its unfinished
/// deliveries; the server then returns.
async fn stop_on_signal(
    server: actix_web::dev::ServerHandle,
    worker: crate::webhooks::WorkerHandle,
) {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut interrupt)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        return tracing::error!("signal handlers not installed");
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = interrupt.recv() => {}
    }
    tracing::info!("stopping: draining requests, handing back webhook deliveries");
    let worker_stopped = actix_web::rt::task::spawn_blocking(move || worker.stop());
    server.stop(true).await;
    let _ = worker_stopped.await;
    tracing::info!("stopped");
}
