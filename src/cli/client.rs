//! `monstage client create|list|revoke`: OAuth2 clients of an account.

use clap::Subcommand;
use serde_json::{Value, json};

use super::{Console, to_json};
use crate::admin::clients::{self, ClientRequest};

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Creates an OAuth2 client; prints its secret, once.
    Create {
        #[arg(long)]
        account_id: i64,
        #[arg(long)]
        name: String,
        /// Space-separated scopes (default: all those the account is entitled to).
        #[arg(long)]
        scopes: Option<String>,
        /// The client stops working after this many days (default: never).
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// Lists an account's clients (never their secrets).
    List {
        #[arg(long)]
        account_id: i64,
    },
    /// Revokes a client: its tokens stop working at once.
    Revoke {
        #[arg(long)]
        client_id: String,
    },
}

impl Console<'_> {
    pub(super) fn client(&self, command: ClientCommand) -> Result<Option<Value>, String> {
        let conn = &mut self.connect()?;
        match command {
            ClientCommand::Create {
                account_id,
                name,
                scopes,
                expires_in_days,
            } => {
                let request = ClientRequest {
                    name: &name,
                    scopes: scopes.as_deref(),
                    expires_in_days,
                };
                to_json(clients::create(conn, account_id, request, &self.actor))
            }
            ClientCommand::List { account_id } => {
                let listed = clients::list(conn, account_id).map_err(|e| e.to_string())?;
                Ok(Some(json!({ "clients": listed })))
            }
            ClientCommand::Revoke { client_id } => {
                clients::revoke(conn, &client_id, None, &self.actor).map_err(|e| e.to_string())?;
                Ok(Some(json!({ "client_id": client_id, "revoked": true })))
            }
        }
    }
}
