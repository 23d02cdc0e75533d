//! The web pages (server-rendered French HTML, DSFR): the public offer page, sign-in and
//! invitations, the operator's token page, the admin pages, the partner documentation.

pub mod admin;
pub mod assets;
pub mod client_panel;
pub mod csrf;
pub mod docs;
pub mod error;
pub mod invitation;
pub mod layout;
pub mod my_account;
pub mod my_webhooks;
pub mod offer;
pub mod session;
pub mod sign_in;
pub mod token_panel;

use actix_web::web::ServiceConfig;

use crate::state::AppState;

pub use error::PageError;

/// The numeric id of a page's path (`/admin/comptes/{id}`), or the 404 page.
pub fn path_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(PageError::NotFound)
}

/// Every page route, inside the pages' session (the API never reads a cookie).
pub fn configure(cfg: &mut ServiceConfig, state: &AppState) {
    let pages = actix_web::web::scope("")
        .wrap(session::middleware(state))
        .service(offer::show_offer)
        .service(offer::apply_redirect)
        .service(assets::serve)
        .service(sign_in::home)
        .service(sign_in::sign_in_page)
        .service(sign_in::sign_in)
        .service(sign_in::sign_out)
        .service(sign_in::sign_out_everywhere)
        .service(invitation::open_link)
        .service(invitation::password_form)
        .service(invitation::set_password)
        .service(my_account::show)
        .service(my_account::reveal)
        .service(my_account::confirm_rotation)
        .service(my_account::rotate)
        .service(my_account::create_client)
        .service(my_account::revoke_client)
        .service(my_webhooks::show)
        .service(my_webhooks::subscribe)
        .service(my_webhooks::remove)
        .service(my_webhooks::ping)
        .service(my_webhooks::replay)
        .service(admin::accounts::create_client)
        .service(admin::accounts::revoke_client)
        .service(admin::operators::list)
        .service(admin::operators::create)
        .service(admin::operators::add_account)
        .service(admin::operators::set_access)
        .service(admin::operators::set_rate_limits)
        .service(admin::accounts::show)
        .service(admin::accounts::reveal)
        .service(admin::accounts::confirm_rotation)
        .service(admin::accounts::rotate)
        .service(admin::accounts::invite)
        .service(admin::accounts::confirm_deactivation)
        .service(admin::accounts::deactivate)
        .service(admin::accounts::reactivate)
        .service(admin::admins::list)
        .service(admin::admins::create)
        .service(admin::admins::invite)
        .service(admin::admins::confirm_deactivation)
        .service(admin::admins::deactivate)
        .service(admin::journal::show)
        .service(docs::index_redirect)
        .service(docs::index)
        .service(docs::doc_file);
    cfg.service(pages);
}
