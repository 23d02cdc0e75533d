//! The OAuth2 clients of one account, on its owner's page and on the admins' page: the list
//! (scopes, expiry, last use), a form to create one (its secret shown once, in the answer to
//! that POST) and a revoke button per client.

use maud::{Markup, html};
use serde::Deserialize;

use super::error::PageError;
use super::layout::{alert, csrf_field, french_datetime_or_never};
use crate::admin::clients::{self, ClientRequest, ClientSummary, CreatedClient};
use crate::db;
use crate::domain::scope::{ALL_SCOPES, Scope};
use crate::paris_time::french_datetime;
use crate::state::AppState;

/// The panel of an account, its clients read from the database.
pub async fn section(
    state: &AppState,
    account_id: i64,
    base: &str,
    csrf: &str,
    full_access: bool,
    created: Option<&CreatedClient>,
) -> Result<Markup, PageError> {
    let clients = db::run(&state.pool, move |conn| {
        clients::list(conn, account_id).map_err(PageError::from)
    })
    .await?;
    let panel = ClientPanel {
        clients: &clients,
        base,
        csrf,
        full_access,
        created,
    };
    Ok(panel.render())
}

/// Where the panel's forms lead: `{base}/clients` and `{base}/clients/{client_id}/revoquer`.
pub struct ClientPanel<'a> {
    pub clients: &'a [ClientSummary],
    pub base: &'a str,
    pub csrf: &'a str,
    pub full_access: bool,
    pub created: Option<&'a CreatedClient>,
}

impl ClientPanel<'_> {
    pub fn render(&self) -> Markup {
        html! {
            h2 class="fr-h4 fr-mt-4w" id="clients-oauth" { "Clients OAuth2" }
            p {
                "Un client OAuth2 obtient des jetons de 24 h limités aux autorisations choisies "
                "(" code { "POST /oauth/token" } ", voir "
                a class="fr-link" href="/documentation/authentification.md" { "l'authentification" } ")."
            }
            @if let Some(created) = self.created { (created_alert(created)) }
            (self.table())
            (self.form())
        }
    }

    fn table(&self) -> Markup {
        html! {
            @if self.clients.is_empty() {
                p id="aucun-client" { "Aucun client pour l'instant." }
            } @else {
                div class="fr-table" { table id="clients" {
                    thead { tr { th { "Nom" } th { "Identifiant" } th { "Autorisations" } th { "Expire" } th { "Dernière utilisation" } th { "État" } } }
                    tbody { @for client in self.clients { (self.row(client)) } }
                } }
            }
        }
    }

    fn row(&self, client: &ClientSummary) -> Markup {
        let revoke = format!("{}/clients/{}/revoquer", self.base, client.client_id);
        html! { tr {
            td { (client.name) }
            td { code { (client.client_id) } }
            td { (client.scopes) }
            td { (client.expires_at.map_or("jamais".to_owned(), french_datetime)) }
            td { (french_datetime_or_never(client.last_used_at)) }
            td {
                @if client.active {
                    form method="post" action=(revoke) {
                        (csrf_field(self.csrf))
                        button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit" { "Révoquer" }
                    }
                } @else if client.revoked_at.is_some() { "révoqué" } @else { "expiré" }
            }
        } }
    }

    fn form(&self) -> Markup {
        let offered = ALL_SCOPES
            .into_iter()
            .filter(|scope| self.full_access || *scope != Scope::CatalogueRead);
        html! {
            form method="post" action=(format!("{}/clients", self.base)) id="nouveau-client" {
                (csrf_field(self.csrf))
                div class="fr-input-group" {
                    label class="fr-label" for="client-name" { "Nom du client" span class="fr-hint-text" { "par exemple « Synchronisation nocturne »" } }
                    input class="fr-input" id="client-name" name="name" required maxlength="100";
                }
                fieldset class="fr-fieldset" {
                    legend class="fr-fieldset__legend" { "Autorisations" }
                    @for scope in offered {
                        div class="fr-fieldset__element" { div class="fr-checkbox-group" {
                            input type="checkbox" id=(format!("scope-{}", scope.as_str())) name="scope" value=(scope.as_str()) checked;
                            label class="fr-label" for=(format!("scope-{}", scope.as_str())) { code { (scope.as_str()) } " — " (scope.description()) }
                        } }
                    }
                }
                div class="fr-input-group" {
                    label class="fr-label" for="client-expiry" { "Expire après (jours)" span class="fr-hint-text" { "vide : n'expire pas" } }
                    input class="fr-input" id="client-expiry" name="expires_in_days" type="number" min="1" max="3650";
                }
                button class="fr-btn" type="submit" id="creer-client" { "Créer le client" }
            }
        }
    }
}

fn created_alert(created: &CreatedClient) -> Markup {
    html! {
        (alert("success", "Client créé. Copiez son secret maintenant : il ne sera plus jamais affiché."))
        dl id="client-cree" {
            dt { "client_id" } dd { code id="client-id" { (created.client_id) } }
            dt { "client_secret" } dd { code id="client-secret" { (created.client_secret) } }
            dt { "scope" } dd { code { (created.scopes) } }
        }
    }
}

/// The creation form, as posted (checkboxes repeat `scope`).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct ClientForm(Vec<(String, String)>);

impl ClientForm {
    fn values(&self, key: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The name, the space-separated scopes and the expiry; at least one scope is needed.
    pub fn read(&self) -> Result<(String, String, Option<u32>), PageError> {
        let name = self.values("name").next().unwrap_or_default().to_owned();
        let scopes: Vec<&str> = self.values("scope").collect();
        if scopes.is_empty() {
            return Err(PageError::Invalid(
                "Choisissez au moins une autorisation.".into(),
            ));
        }
        let expiry = self
            .values("expires_in_days")
            .next()
            .unwrap_or_default()
            .trim();
        let expires_in_days = match expiry {
            "" => None,
            days => Some(days.parse::<u32>().map_err(|_| {
                PageError::Invalid("La durée doit être un nombre de jours.".into())
            })?),
        };
        Ok((name, scopes.join(" "), expires_in_days))
    }
}

/// The request a form makes.
pub fn request_of<'a>(read: &'a (String, String, Option<u32>)) -> ClientRequest<'a> {
    ClientRequest {
        name: &read.0,
        scopes: Some(&read.1),
        expires_in_days: read.2,
    }
}
