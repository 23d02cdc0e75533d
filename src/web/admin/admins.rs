//! `/admin/administrateurs`: the platform's admins: invite a new one, send a new invitation
//! link, deactivate another one.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use maud::{Markup, html};
use serde::Deserialize;

use crate::admin::access::{self, Invitation};
use crate::db;
use crate::db::models::{Admin, Principal};
use crate::db::queries::admins;
use crate::site::site_url;
use crate::state::AppState;
use crate::web::csrf::{CheckedForm, NoFields};
use crate::web::error::PageError;
use crate::web::layout::{self, Viewer, alert, csrf_field};
use crate::web::path_id;
use crate::web::session::{AdminUser, SignedIn, set_notice};

const BASE: &str = "/admin/administrateurs";

async fn render(
    me: &SignedIn,
    state: &AppState,
    invitation: Option<Invitation>,
) -> Result<HttpResponse, PageError> {
    let all = db::run(&state.pool, |conn| {
        admins::all(conn).map_err(PageError::from)
    })
    .await?;
    let notice = me.take_notice();
    let viewer = me.viewer();
    let body = html! {
        h1 { "Administrateurs" }
        @if let Some(notice) = notice { (alert("success", &notice)) }
        @if let Some(invitation) = &invitation { (layout::invitation_alert(invitation)) }
        div class="fr-table fr-table--no-caption" { table id="administrateurs" {
            caption { "Administrateurs" }
            thead { tr { th { "Adresse" } th { "État" } th { "Mot de passe" } th { "" } } }
            tbody { @for admin in &all { (row(&viewer, me.admin_id(), admin)) } }
        } }
        h2 class="fr-h4 fr-mt-4w" { "Nouvel administrateur" }
        form method="post" action=(BASE) class="monstage-inline-form" id="nouvel-administrateur" {
            (csrf_field(viewer.csrf))
            div class="fr-input-group" {
                label class="fr-label" for="email-administrateur" { "Adresse électronique" }
                input class="fr-input" type="email" required name="email" id="email-administrateur";
            }
            button class="fr-btn" type="submit" { "Inviter" }
        }
    };
    Ok(layout::ok(&layout::page(
        "Administrateurs",
        Some(&viewer),
        body,
    )))
}

fn row(viewer: &Viewer<'_>, me: Option<i64>, admin: &Admin) -> Markup {
    let active = admin.deactivated_at.is_none();
    html! {
        tr {
            td { (admin.email) }
            td { @if active { "Actif" } @else { "Désactivé" } }
            td { @if admin.password_set { "Choisi" } @else { "Invitation en attente" } }
            td {
                @if active {
                    form method="post" action=(format!("{BASE}/{}/invitation", admin.id)) {
                        (csrf_field(viewer.csrf))
                        button class="fr-btn fr-btn--tertiary fr-btn--sm" type="submit" { "Nouveau lien d'invitation" }
                    }
                    @if me != Some(admin.id) {
                        a class="fr-link fr-text--sm" href=(format!("{BASE}/{}/desactiver", admin.id)) { "Désactiver" }
                    }
                }
            }
        }
    }
}

#[get("/admin/administrateurs")]
pub async fn list(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    render(&me, &state, None).await
}

#[derive(Debug, Deserialize)]
pub struct NewAdminForm {
    #[serde(default)]
    email: String,
}

#[post("/admin/administrateurs")]
pub async fn create(
    req: HttpRequest,
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<NewAdminForm>,
) -> Result<HttpResponse, PageError> {
    let (actor, site) = (me.actor(), site_url(&req, &state));
    let created = db::run(&state.pool, move |conn| {
        access::create_admin(conn, &site, &form.email, &actor).map_err(PageError::from)
    })
    .await?;
    render(&me, &state, Some(created.invitation)).await
}

#[post("/admin/administrateurs/{id}/invitation")]
pub async fn invite(
    req: HttpRequest,
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let admin_id = path_id(&path)?;
    let (actor, site) = (me.actor(), site_url(&req, &state));
    let invitation = db::run(&state.pool, move |conn| {
        access::invite(conn, &site, Principal::Admin(admin_id), &actor).map_err(PageError::from)
    })
    .await?;
    render(&me, &state, Some(invitation)).await
}

#[get("/admin/administrateurs/{id}/desactiver")]
pub async fn confirm_deactivation(
    AdminUser(me): AdminUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let action = format!("{BASE}/{}/desactiver", path_id(&path)?);
    let warning = "Cet administrateur ne pourra plus se connecter ; sa session en cours prend fin.";
    let page = layout::confirmation(
        &me.viewer(),
        "Désactiver l'administrateur",
        warning,
        &action,
        BASE,
    );
    Ok(layout::ok(&page))
}

#[post("/admin/administrateurs/{id}/desactiver")]
pub async fn deactivate(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let admin_id = path_id(&path)?;
    let my_id = me.admin_id().ok_or(PageError::Forbidden)?;
    let actor = me.actor();
    db::run(&state.pool, move |conn| {
        access::deactivate_admin(conn, admin_id, my_id, &actor).map_err(PageError::from)
    })
    .await?;
    set_notice(&me.session, "Administrateur désactivé.")?;
    Ok(layout::see_other(BASE))
}
