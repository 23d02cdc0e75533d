//! The public offer page (`/offres-de-stage/{id}`, the `url` of listings) and its
//! "Postuler" link, which counts the click and sends the pupil to the partner with `msta`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::error::PageError;
use super::layout;
use crate::db::models::Offer;
use crate::db::queries::webhooks::{self, NewEvent};
use crate::db::queries::{activity, offers, operators, sectors, students};
use crate::domain::webhook::EventType;
use crate::paris_time::{self, french_date};
use crate::state::AppState;

/// What the page shows besides the offer itself.
struct PageData {
    offer: Offer,
    operator_name: String,
    sector_name: String,
    weeks: Vec<(i32, i32, chrono::NaiveDate)>,
}

fn is_visible(offer: &Offer) -> bool {
    offer.discarded_at.is_none() && offer.published_at.is_some()
}

fn message_page(status: StatusCode, title: &str, text: &str) -> HttpResponse {
    let page = layout::public_page(title, html! { h1 { (title) } p { (text) } });
    layout::html(status, &page)
}

fn not_found() -> HttpResponse {
    message_page(
        StatusCode::NOT_FOUND,
        "Offre introuvable",
        "Aucune offre de stage ne correspond à cette adresse.",
    )
}

fn gone() -> HttpResponse {
    message_page(
        StatusCode::GONE,
        "Offre indisponible",
        "Cette offre de stage n'est plus proposée.",
    )
}

fn week_label(monday: chrono::NaiveDate) -> String {
    format!(
        "du {} au {}",
        french_date(monday),
        french_date(monday + chrono::Duration::days(6))
    )
}

fn offer_page(data: &PageData, msta: Option<i64>) -> Markup {
    let offer = &data.offer;
    let apply_href = match msta {
        Some(id) => format!("/offres-de-stage/{}/postuler?msta={id}", offer.id),
        None => format!("/offres-de-stage/{}/postuler", offer.id),
    };
    let seats = offer.max_candidates - offer.approved_count;
    layout::public_page(
        &offer.title,
        html! {
            h1 { (offer.title) }
            p { (offer.employer_name) " — " (offer.city) }
            h2 { "Le stage" }
            p { (offer.description) }
            @if let Some(employer) = &offer.employer_description { h2 { "L'entreprise" } p { (employer) } }
            dl class="monstage-facts fr-mb-4w" {
                dt { "Lieu" } dd { (offer.street) ", " (offer.zipcode) " " (offer.city) }
                dt { "Secteur" } dd { (data.sector_name) }
                dt { "Semaines" }
                dd { ul { @for (_, _, monday) in &data.weeks { li { (week_label(*monday)) } } } }
                dt { "Places restantes" } dd { (seats) }
                @if offer.handicap_accessible { dt { "Accessibilité" } dd { "Accessible aux élèves en situation de handicap" } }
            }
            p { a class="fr-btn fr-btn--lg" href=(apply_href) { "Postuler sur " (data.operator_name) } }
        },
    )
}

fn load(conn: &mut diesel::PgConnection, offer_id: i64) -> Result<Option<PageData>, PageError> {
    let Some(offer) = offers::find_by_id(conn, offer_id)? else {
        return Ok(None);
    };
    let operator_name = operators::find(conn, offer.operator_id)?
        .map(|o| o.name)
        .unwrap_or_default();
    let sector_name = sectors::name_of(conn, offer.sector_id)?.unwrap_or_default();
    let weeks = offers::weeks_of(conn, offer.id)?;
    Ok(Some(PageData {
        offer,
        operator_name,
        sector_name,
        weeks,
    }))
}

#[derive(Debug, Deserialize)]
pub struct MstaQuery {
    msta: Option<String>,
}

/// `msta` as a pupil id: a positive integer; anything else is ignored.
fn msta_of(query: &MstaQuery) -> Option<i64> {
    query
        .msta
        .as_deref()
        .and_then(|m| m.trim().parse::<i64>().ok())
        .filter(|id| *id > 0)
}

/// The public page of an offer; each view is counted.
#[get("/offres-de-stage/{id}")]
pub async fn show_offer(
    path: web::Path<String>,
    query: web::Query<MstaQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let Ok(offer_id) = path.into_inner().parse::<i64>() else {
        return Ok(not_found());
    };
    let msta = msta_of(&query);
    let data = crate::db::run(&state.pool, move |conn| {
        let data = load(conn, offer_id)?;
        if let Some(data) = data.as_ref().filter(|d| is_visible(&d.offer)) {
            activity::count_view(conn, data.offer.id, paris_time::today())?;
        }
        Ok::<_, PageError>(data)
    })
    .await?;
    Ok(match data {
        None => not_found(),
        Some(data) if !is_visible(&data.offer) => gone(),
        Some(data) => layout::ok(&offer_page(&data, msta)),
    })
}

/// The partner's permalink with `msta=<pupil>` added to its query (an existing `msta` is
/// replaced; the rest of the query is kept byte for byte).
pub fn tagged_permalink(permalink: &str, msta: Option<i64>) -> Option<String> {
    let mut url = url::Url::parse(permalink).ok()?;
    if let Some(student_id) = msta {
        let kept: Vec<&str> = url
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("msta"))
            .collect();
        let tag = format!("msta={student_id}");
        let query = kept
            .into_iter()
            .chain([tag.as_str()])
            .collect::<Vec<_>>()
            .join("&");
        url.set_query(Some(&query));
    }
    Some(url.into())
}

/// Counts an apply click (with the pupil when `msta` names one) and redirects to the partner.
#[get("/offres-de-stage/{id}/postuler")]
pub async fn apply_redirect(
    path: web::Path<String>,
    query: web::Query<MstaQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let Ok(offer_id) = path.into_inner().parse::<i64>() else {
        return Ok(not_found());
    };
    let msta = msta_of(&query);
    let offer = crate::db::run(&state.pool, move |conn| {
        let Some(offer) = offers::find_by_id(conn, offer_id)? else {
            return Ok::<_, PageError>(None);
        };
        if is_visible(&offer) {
            let student = match msta {
                Some(id) if students::exists(conn, id)? => Some(id),
                _ => None,
            };
            record_apply_click(conn, &offer, student)?;
            return Ok(Some((offer, student)));
        }
        Ok(Some((offer, None)))
    })
    .await?;
    Ok(match offer {
        None => not_found(),
        Some((offer, _)) if !is_visible(&offer) => gone(),
        Some((offer, student)) => match tagged_permalink(&offer.permalink, student) {
            Some(target) => HttpResponse::Found()
                .insert_header(("Location", target))
                .finish(),
            None => gone(),
        },
    })
}

/// Counts the click and tells the partner (`pupil.apply_clicked`), together.
fn record_apply_click(
    conn: &mut diesel::PgConnection,
    offer: &Offer,
    student: Option<i64>,
) -> diesel::QueryResult<()> {
    use diesel::Connection;
    conn.transaction(|conn| {
        activity::count_apply_click(conn, offer.id, student)?;
        let data = serde_json::json!({ "remote_id": offer.remote_id, "student_id": student });
        let kind = EventType::PupilApplyClicked.as_str();
        webhooks::emit(conn, &NewEvent::new(offer.operator_id, kind, &data))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::tagged_permalink;

    #[test]
    fn adds_msta_and_keeps_the_query() {
        let tag = |link: &str| tagged_permalink(link, Some(3)).unwrap_or_default();
        assert_eq!(
            tag("https://op.fr/stage-28356258"),
            "https://op.fr/stage-28356258?msta=3"
        );
        assert_eq!(
            tag("https://op.fr/o?ref=ms3e&q=caf%C3%A9+cr%C3%A8me"),
            "https://op.fr/o?ref=ms3e&q=caf%C3%A9+cr%C3%A8me&msta=3"
        );
        assert_eq!(
            tag("https://op.fr/o?msta=9&x=1#apply"),
            "https://op.fr/o?x=1&msta=3#apply"
        );
        assert_eq!(
            tagged_permalink("https://op.fr/o?x=1", None).as_deref(),
            Some("https://op.fr/o?x=1")
        );
    }
}
