//! The frame of every web page (DSFR header and footer), its security headers, and the
//! small pieces forms share.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, HttpResponseBuilder};
use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, html};

use crate::admin::access::Invitation;
use crate::paris_time::french_datetime;

/// Who is looking at the page, as the header shows them.
pub struct Viewer<'a> {
    pub email: &'a str,
    pub is_admin: bool,
    pub csrf: &'a str,
}

/// A page of the partners' space: DSFR header (with the menu and the sign-out button when
/// signed in), `body` in the main container, footer.
pub fn page(title: &str, viewer: Option<&Viewer<'_>>, body: Markup) -> Markup {
    frame(title, "Espace partenaires", viewer, body)
}

/// A page for pupils and families (the public offer page).
pub fn public_page(title: &str, body: Markup) -> Markup {
    frame(title, "Les stages de 3e", None, body)
}

fn frame(title: &str, tagline: &str, viewer: Option<&Viewer<'_>>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" data-fr-scheme="light" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no";
                meta name="format-detection" content="telephone=no";
                link rel="stylesheet" href="/assets/dsfr/dsfr.min.css";
                link rel="stylesheet" href="/assets/monstage.css";
                link rel="icon" href="/assets/dsfr/favicon/favicon.svg" type="image/svg+xml";
                title { (title) " — Mon stage de 3e" }
            }
            body {
                div class="fr-skiplinks" {
                    nav class="fr-container" aria-label="Accès rapide" {
                        ul class="fr-skiplinks__list" {
                            li { a class="fr-link" href="#contenu" { "Contenu" } }
                        }
                    }
                }
                (header(tagline, viewer))
                main id="contenu" role="main" {
                    div class="fr-container fr-my-6w" { (body) }
                }
                (footer())
                script type="module" src="/assets/dsfr/dsfr.module.min.js" {}
                script src="/assets/monstage.js" defer {}
            }
        }
    }
}

/// The DSFR header. Signed in, it has the account's tools and the menu; on small screens both
/// move into the "Menu" dialog (the DSFR script does that; without it, the links stay on
/// the page).
fn header(tagline: &str, viewer: Option<&Viewer<'_>>) -> Markup {
    html! {
        header role="banner" class="fr-header" {
            div class="fr-header__body" { div class="fr-container" { div class="fr-header__body-row" {
                div class="fr-header__brand fr-enlarge-link" {
                    div class="fr-header__brand-top" {
                        div class="fr-header__logo" { p class="fr-logo" { "République" br; "Française" } }
                        @if viewer.is_some() {
                            div class="fr-header__navbar" {
                                button class="fr-btn--menu fr-btn" data-fr-opened="false" aria-controls="menu-principal"
                                    aria-haspopup="menu" id="bouton-menu" title="Menu" type="button" { "Menu" }
                            }
                        }
                    }
                    div class="fr-header__service" {
                        a href="/" title="Accueil — Mon stage de 3e" {
                            p class="fr-header__service-title" { "Mon stage de 3e" }
                        }
                        p class="fr-header__service-tagline" { (tagline) }
                    }
                }
                @if let Some(viewer) = viewer {
                    div class="fr-header__tools" { div class="fr-header__tools-links" {
                        ul class="fr-btns-group" {
                            li { span class="fr-btn fr-btn--tertiary-no-outline" id="compte-connecte" { (viewer.email) } }
                            li { form method="post" action="/deconnexion" {
                                (csrf_field(viewer.csrf))
                                button class="fr-btn" type="submit" { "Se déconnecter" }
                            } }
                            li { form method="post" action="/deconnexion-partout" {
                                (csrf_field(viewer.csrf))
                                button class="fr-btn fr-btn--tertiary-no-outline" type="submit" id="deconnexion-partout" { "Se déconnecter partout" }
                            } }
                        }
                    } }
                }
            } } }
            @if let Some(viewer) = viewer { (menu(viewer)) }
        }
    }
}

fn menu(viewer: &Viewer<'_>) -> Markup {
    html! {
        div class="fr-header__menu fr-modal" id="menu-principal" aria-labelledby="bouton-menu" {
            div class="fr-container" {
                button class="fr-btn--close fr-btn" aria-controls="menu-principal" title="Fermer" type="button" { "Fermer" }
                div class="fr-header__menu-links" {}
                nav class="fr-nav" role="navigation" aria-label="Menu principal" {
                    ul class="fr-nav__list" {
                        @if viewer.is_admin {
                            li class="fr-nav__item" { a class="fr-nav__link" href="/admin/operateurs" { "Opérateurs" } }
                            li class="fr-nav__item" { a class="fr-nav__link" href="/admin/journal" { "Journal" } }
                            li class="fr-nav__item" { a class="fr-nav__link" href="/admin/administrateurs" { "Administrateurs" } }
                        } @else {
                            li class="fr-nav__item" { a class="fr-nav__link" href="/mon-compte/api" { "Mon profil — API" } }
                        }
                        li class="fr-nav__item" { a class="fr-nav__link" href="/documentation/" { "Documentation" } }
                        li class="fr-nav__item" { a class="fr-nav__link" href="/api/docs/" { "Swagger UI" } }
                    }
                }
            }
        }
    }
}

fn footer() -> Markup {
    html! {
        footer class="fr-footer" role="contentinfo" id="pied-de-page" {
            div class="fr-container" { div class="fr-footer__body" {
                div class="fr-footer__brand fr-enlarge-link" {
                    a href="/" title="Retour à l'accueil" { p class="fr-logo" { "République" br; "Française" } }
                }
                div class="fr-footer__content" {
                    p class="fr-footer__content-desc" {
                        "Mon stage de 3e : des offres de stage d'observation pour les élèves de 3e, "
                        "publiées par les partenaires de la plateforme."
                    }
                    ul class="fr-footer__content-list" {
                        li class="fr-footer__content-item" { a class="fr-footer__content-link" href="/documentation/" { "Documentation partenaires" } }
                        li class="fr-footer__content-item" { a class="fr-footer__content-link" href="/api/docs/" { "Swagger UI" } }
                    }
                }
            } }
        }
    }
}

/// An HTML response with the headers every page carries: no caching (pages may hold
/// tokens), a strict content security policy, no framing, no referrer outside the site.
pub fn html(status: StatusCode, page: &Markup) -> HttpResponse {
    secured(HttpResponse::build(status))
        .content_type("text/html; charset=utf-8")
        .body(page.clone().into_string())
}

fn secured(mut builder: HttpResponseBuilder) -> HttpResponseBuilder {
    builder
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "same-origin"));
    builder
}

/// 200 with the page.
pub fn ok(page: &Markup) -> HttpResponse {
    html(StatusCode::OK, page)
}

/// 303 to `path` (after a form, or to the sign-in page).
pub fn see_other(path: &str) -> HttpResponse {
    secured(HttpResponse::SeeOther())
        .insert_header((header::LOCATION, path))
        .finish()
}

/// The Swagger UI (`/api/docs/`, served by utoipa-swagger-ui) with the pages' security headers;
/// its styles are set inline by its script, hence `style-src 'unsafe-inline'`.
pub fn secure_swagger_ui<B>(
    mut response: actix_web::dev::ServiceResponse<B>,
) -> actix_web::dev::ServiceResponse<B> {
    if !response.request().path().starts_with("/api/docs") {
        return response;
    }
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CACHE_CONTROL, "no-cache"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; script-src 'self'; \
             style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    response
}

pub fn csrf_field(csrf: &str) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(csrf); }
}

/// A DSFR alert: `kind` is success, info, warning or error.
pub fn alert(kind: &str, text: &str) -> Markup {
    html! {
        div class=(format!("fr-alert fr-alert--{kind} fr-alert--sm fr-mb-3w")) role="status" {
            p { (text) }
        }
    }
}

/// A fresh invitation link, shown once, with its copy button.
pub fn invitation_alert(invitation: &Invitation) -> Markup {
    html! {
        div class="fr-alert fr-alert--info fr-mb-3w" {
            h2 class="fr-alert__title" { "Lien d'invitation pour " (invitation.email) }
            p { "À transmettre à son titulaire : il y choisira son mot de passe. "
                "Valable une fois, jusqu'au " (french_datetime(invitation.expires_at)) "." }
            input class="fr-input fr-mt-1w" id="lien-invitation" type="text" readonly value=(invitation.invitation_url);
            button class="fr-btn fr-btn--sm fr-mt-1w" type="button" data-copy="lien-invitation" { "Copier le lien" }
        }
    }
}

/// `french_datetime`, or "jamais".
pub fn french_datetime_or_never(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "jamais".to_owned(), french_datetime)
}

/// A page asking to confirm an action that cannot be undone: its button, named `title`,
/// posts to `action`; "Annuler" goes back to `back`.
pub fn confirmation(
    viewer: &Viewer<'_>,
    title: &str,
    warning: &str,
    action: &str,
    back: &str,
) -> Markup {
    page(
        title,
        Some(viewer),
        html! {
            h1 { (title) }
            (alert("warning", warning))
            form method="post" action=(action) {
                (csrf_field(viewer.csrf))
                ul class="fr-btns-group fr-btns-group--inline-md" {
                    li { button class="fr-btn" type="submit" id="confirmer" { (title) } }
                    li { a class="fr-btn fr-btn--secondary" href=(back) { "Annuler" } }
                }
            }
        },
    )
}
