//! Security headers on every page; the DSFR assets are served locally.
use reqwest::StatusCode;

use crate::helpers::TestApp;

#[actix_web::test]
async fn pages_carry_security_headers_and_assets_are_local() {
    let app = TestApp::spawn().await;
    let web = app.browser_session();
    let page = web.get("/connexion").await;
    let header = |name: &str| {
        page.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-security-policy").contains("default-src 'self'"));
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(header("x-frame-options"), "DENY");
    assert!(
        !page.body.contains("http://") && !page.body.contains("https://"),
        "no outside resource"
    );

    let css = web.get("/assets/dsfr/dsfr.min.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/css"))
    );
    let mut referenced = 0;
    for chunk in css.body.split("url(").skip(1) {
        let target = chunk
            .split(')')
            .next()
            .unwrap_or_default()
            .trim_matches(['"', '\'']);
        if target.starts_with("data:") {
            continue;
        }
        referenced += 1;
        let asset = web.get(&format!("/assets/dsfr/{target}")).await;
        assert_eq!(asset.status, StatusCode::OK, "{target} is missing");
    }
    assert!(referenced > 100, "{referenced}");
    assert_eq!(web.get("/assets/monstage.js").await.status, StatusCode::OK);
    assert_eq!(
        web.get("/assets/nope.css").await.status,
        StatusCode::NOT_FOUND
    );

    let docs = web.get("/documentation/").await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(docs.body.contains("API partenaires Mon stage de 3e"));
    assert_eq!(
        web.get("/documentation/suivi.md").await.status,
        StatusCode::OK
    );
    assert_eq!(
        web.get("/documentation/ARCHITECTURE.md").await.status,
        StatusCode::NOT_FOUND
    );
    for path in [
        "/admin/nothing-here",
        "/mon-compte/autre-chose",
        "/nulle-part",
    ] {
        let missing = web.get(path).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            missing.is_html() && missing.body.contains("Page non trouvée"),
            "{path}"
        );
    }
    // Every screenshot the partner documentation shows is served with it.
    let images: Vec<&str> = docs
        .body
        .split("src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|src| src.starts_with("captures/"))
        .collect();
    assert!(images.len() >= 5, "{images:?}");
    for image in images {
        let shot = web.get(&format!("/documentation/{image}")).await;
        assert_eq!(shot.status, StatusCode::OK, "{image}");
        assert_eq!(
            shot.headers.get("content-type").map(|v| v.as_bytes()),
            Some(&b"image/png"[..])
        );
    }
}
