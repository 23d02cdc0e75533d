//! The demo partner app: a job board's integration of Mon stage de 3e, on its own port. It gets
//! an OAuth2 token, publishes, edits and deletes sample offers, subscribes a webhook to itself,
//! verifies every signature it receives, and lists the events, valid or refused.
//!
//!     MONSTAGE_URL=http://127.0.0.1:3000 CLIENT_ID=… CLIENT_SECRET=… \
//!         cargo run --example partner-demo        # then open http://127.0.0.1:4000
//!
//! `make demo` starts the server, creates the client and runs this.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let var =
        |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let listen = var("DEMO_ADDR", "127.0.0.1:4000");
    let config = app::Config {
        monstage_url: var("MONSTAGE_URL", "http://127.0.0.1:3000"),
        client_id: var("CLIENT_ID", ""),
        client_secret: var("CLIENT_SECRET", ""),
        own_url: var("DEMO_PUBLIC_URL", &format!("http://{listen}")),
    };
    if config.client_id.is_empty() || config.client_secret.is_empty() {
        eprintln!("CLIENT_ID and CLIENT_SECRET are needed (see `make demo`)");
        std::process::exit(2);
    }
    let listener = std::net::TcpListener::bind(&listen)?;
    eprintln!("Application de démonstration : http://{listen}");
    app::serve(listener, config)?.await
}
