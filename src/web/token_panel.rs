//! The token block shared by an operator's own page and the admin's account page: masked
//! by default, shown in clear only in the answer to a POST (never in a URL), with a copy
//! button, its dates, and the buttons to reveal and to rotate it.

use maud::{Markup, html};

use super::error::PageError;
use super::layout::{csrf_field, french_datetime_or_never};
use crate::db;
use crate::db::models::{Account, Operator};
use crate::db::queries::{accounts, operators};
use crate::paris_time::french_datetime;
use crate::state::AppState;

/// An account and its operator, or the 404 page.
pub async fn load(state: &AppState, account_id: i64) -> Result<(Account, Operator), PageError> {
    db::run(&state.pool, move |conn| {
        let account = accounts::find(conn, account_id)?.ok_or(PageError::NotFound)?;
        let operator = operators::find(conn, account.operator_id)?.ok_or(PageError::NotFound)?;
        Ok((account, operator))
    })
    .await
}

/// Where the panel's buttons lead: `{base}/afficher` (POST) and `{base}/renouveler` (GET,
/// a confirmation page).
pub struct TokenPanel<'a> {
    pub account: &'a Account,
    pub base: &'a str,
    pub csrf: &'a str,
    pub revealed: Option<&'a str>,
}

impl TokenPanel<'_> {
    pub fn render(&self) -> Markup {
        let account = self.account;
        html! {
            div class="fr-input-group" {
                label class="fr-label" for="jeton" { "Jeton d'API (en-tête Authorization: Bearer …)" }
                @match self.revealed {
                    Some(token) => {
                        div class="fr-input-wrap monstage-token" {
                            input class="fr-input" id="jeton" type="text" readonly value=(token) autocomplete="off" spellcheck="false";
                        }
                    }
                    None => {
                        div class="fr-input-wrap monstage-token" {
                            input class="fr-input" id="jeton" type="password" readonly value="••••••••••••••••••••••••••••••••" aria-describedby="jeton-masque";
                        }
                        p class="fr-hint-text" id="jeton-masque" { "Le jeton est masqué." }
                    }
                }
            }
            ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm" {
                @if self.revealed.is_some() {
                    li { button class="fr-btn" type="button" id="copier" data-copy="jeton" { "Copier le jeton" } }
                } @else {
                    li { form method="post" action=(format!("{}/afficher", self.base)) {
                        (csrf_field(self.csrf))
                        button class="fr-btn" type="submit" id="afficher" { "Afficher le jeton" }
                    } }
                }
                li { a class="fr-btn fr-btn--secondary" id="renouveler" href=(format!("{}/renouveler", self.base)) { "Renouveler le jeton" } }
            }
            dl class="monstage-facts" {
                dt { "Jeton créé le" } dd id="jeton-cree" { (french_datetime(account.token_created_at)) }
                dt { "Dernière utilisation" } dd id="jeton-utilise" { (french_datetime_or_never(account.token_last_used_at)) }
            }
        }
    }
}
