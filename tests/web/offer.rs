use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, offer_with, valid_offer};

#[actix_web::test]
async fn the_offer_page_shows_the_offer_and_counts_views() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(
        &partner,
        offer_with("o1", json!({"title": "Cheffe <de> cuisine"})),
    )
    .await;
    let id = app.offer_id("o1");
    let (status, _, html) = app.page(&format!("/offres-de-stage/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"fr\"") && html.contains("/assets/dsfr/dsfr.min.css"));
    assert!(html.contains("Cheffe &lt;de&gt; cuisine"), "escaped title");
    assert!(html.contains("Postuler sur JobIRL"));
    assert!(html.contains("du 2 mars 2026 au 8 mars 2026"));
    assert!(html.contains(&format!("href=\"/offres-de-stage/{id}/postuler\"")));
    let (_, _, html) = app.page(&format!("/offres-de-stage/{id}?msta=7")).await;
    assert!(
        html.contains(&format!("href=\"/offres-de-stage/{id}/postuler?msta=7\"")),
        "the pupil tag is carried"
    );
    let (_, stats) = app
        .request(
            reqwest::Method::GET,
            "/api/internship_offers/o1/stats",
            Some(&partner.token),
            crate::helpers::Body::None,
        )
        .await;
    assert_eq!(stats["views"], 2);
}

#[actix_web::test]
async fn unknown_deleted_and_unpublished_offers_do_not_show_or_redirect() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("deleted")).await;
    app.create(&partner, valid_offer("unpublished")).await;
    let (deleted, unpublished) = (app.offer_id("deleted"), app.offer_id("unpublished"));
    app.delete(&partner, "deleted").await;
    app.patch(&partner, "unpublished", json!({"published_at": null}))
        .await;
    for path in [
        "/offres-de-stage/999999",
        "/offres-de-stage/abc",
        "/offres-de-stage/999999/postuler",
    ] {
        let (status, location, html) = app.page(path).await;
        assert_eq!((status, location), (StatusCode::NOT_FOUND, None), "{path}");
        assert!(html.contains("Offre introuvable"));
    }
    for id in [deleted, unpublished] {
        for path in [
            format!("/offres-de-stage/{id}"),
            format!("/offres-de-stage/{id}/postuler?msta=1"),
        ] {
            let (status, location, _) = app.page(&path).await;
            assert_eq!((status, location), (StatusCode::GONE, None), "{path}");
        }
    }
}

#[actix_web::test]
async fn postuler_redirects_to_the_permalink_with_msta() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let pupil = app.student("Camille");
    let cases = [
        (
            "plain",
            "https://www.operator.com/stages/stage-28356258",
            format!("https://www.operator.com/stages/stage-28356258?msta={pupil}"),
        ),
        (
            "query",
            "https://op.fr/o?ref=ms3e&q=caf%C3%A9+cr%C3%A8me",
            format!("https://op.fr/o?ref=ms3e&q=caf%C3%A9+cr%C3%A8me&msta={pupil}"),
        ),
        (
            "tagged",
            "https://op.fr/o?msta=1&x=%26#candidature",
            format!("https://op.fr/o?x=%26&msta={pupil}#candidature"),
        ),
    ];
    for (remote_id, permalink, expected) in cases {
        app.create(
            &partner,
            offer_with(remote_id, json!({"permalink": permalink})),
        )
        .await;
        let id = app.offer_id(remote_id);
        let (status, location, _) = app
            .page(&format!("/offres-de-stage/{id}/postuler?msta={pupil}"))
            .await;
        assert_eq!(
            (status, location.as_deref()),
            (StatusCode::FOUND, Some(expected.as_str())),
            "{remote_id}"
        );
    }
    let id = app.offer_id("plain");
    let without = app.page(&format!("/offres-de-stage/{id}/postuler")).await.1;
    assert_eq!(
        without.as_deref(),
        Some("https://www.operator.com/stages/stage-28356258")
    );
    let unknown_pupil = app
        .page(&format!("/offres-de-stage/{id}/postuler?msta=999999"))
        .await
        .1;
    assert_eq!(
        unknown_pupil.as_deref(),
        Some("https://www.operator.com/stages/stage-28356258"),
        "unknown pupils are not passed on"
    );
    let garbage = app
        .page(&format!("/offres-de-stage/{id}/postuler?msta=%3Cscript%3E"))
        .await
        .1;
    assert_eq!(
        garbage.as_deref(),
        Some("https://www.operator.com/stages/stage-28356258")
    );
    let (_, stats) = app
        .request(
            reqwest::Method::GET,
            "/api/internship_offers/plain/stats",
            Some(&partner.token),
            crate::helpers::Body::None,
        )
        .await;
    assert_eq!(stats["apply_clicks"], 4);
}

#[actix_web::test]
async fn concurrent_views_and_clicks_are_all_counted() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("busy")).await;
    let id = app.offer_id("busy");
    let (page, apply) = (
        format!("/offres-de-stage/{id}"),
        format!("/offres-de-stage/{id}/postuler"),
    );
    let views = (0..60).map(|_| app.page(&page));
    let clicks = (0..40).map(|_| app.page(&apply));
    let results = futures_util::future::join_all(views.chain(clicks)).await;
    assert!(
        results
            .iter()
            .all(|(status, _, _)| status.is_success() || *status == StatusCode::FOUND)
    );
    let (_, stats) = app
        .request(
            reqwest::Method::GET,
            "/api/internship_offers/busy/stats",
            Some(&partner.token),
            crate::helpers::Body::None,
        )
        .await;
    assert_eq!(
        (stats["views"].clone(), stats["apply_clicks"].clone()),
        (json!(60), json!(40))
    );
}
