use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, field_errors, offer_with, valid_offer};

const OFFER_KEYS: [&str; 15] = [
    "title",
    "description",
    "max_candidates",
    "employer_website",
    "street",
    "zipcode",
    "city",
    "is_public",
    "employer_name",
    "employer_description",
    "remote_id",
    "permalink",
    "published_at",
    "max_students_per_group",
    "formatted_coordinates",
];

fn keys(body: &Value) -> Vec<String> {
    body.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[actix_web::test]
async fn create_returns_the_original_offer_shape_published_with_defaults() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let (status, body) = app.create(&partner, valid_offer("offre-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(keys(&body), OFFER_KEYS);
    assert_eq!(body["remote_id"], "offre-1");
    assert_eq!(body["is_public"], false);
    assert_eq!(body["max_candidates"], 2);
    assert_eq!(body["max_students_per_group"], 1);
    assert_eq!(
        body["formatted_coordinates"],
        json!({"latitude": 48.8686, "longitude": 2.3325})
    );
    let published_at = body["published_at"].as_str().unwrap_or_default();
    let shape = published_at.len() == 29
        && &published_at[19..20] == "."
        && (published_at.ends_with("+01:00") || published_at.ends_with("+02:00"));
    assert!(shape, "published_at {published_at}");
    assert_eq!(app.week_count("offre-1"), 2);
}

#[actix_web::test]
async fn create_accepts_form_encoded_bodies_like_the_original_tests() {
    let app = TestApp::spawn().await;
    let partner = app.operator("ViensVoirMonTaf", false);
    let form = "internship_offer[title]=Stage+boulangerie&internship_offer[description]=Au+fournil\
        &internship_offer[employer_name]=Maison+Dupain&internship_offer[street]=1+rue+du+Pain\
        &internship_offer[zipcode]=69001&internship_offer[city]=Lyon&internship_offer[remote_id]=vvmt-7\
        &internship_offer[permalink]=https%3A%2F%2Fvvmt.fr%2Fo%2F7&internship_offer[sector_uuid]=1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6\
        &internship_offer[coordinates][latitude]=45.767&internship_offer[coordinates][longitude]=4.834\
        &internship_offer[weeks][]=2026-W10&internship_offer[weeks][]=2026-W12&internship_offer[max_candidates]=3\
        &internship_offer[is_public]=1&internship_offer[siret]=ignored";
    let (status, body) = app
        .request(
            Method::POST,
            "/api/internship_offers",
            Some(&partner.token),
            Body::Form(form.into()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        (body["max_candidates"].clone(), body["is_public"].clone()),
        (json!(3), json!(true))
    );
    assert_eq!(app.week_count("vvmt-7"), 2);
}

#[actix_web::test]
async fn create_without_weeks_takes_the_rest_of_the_school_year() {
    let app = TestApp::spawn().await;
    let partner = app.operator("MyFuture", false);
    let offer = offer_with("no-weeks", json!({"weeks": null}));
    let (status, body) = app.create(&partner, offer).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let weeks = app.week_count("no-weeks");
    assert!((1..=53).contains(&weeks), "{weeks} weeks");
    let (status, _) = app
        .create(&partner, offer_with("empty-weeks", json!({"weeks": []})))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(app.week_count("empty-weeks"), weeks);
}

#[actix_web::test]
async fn create_without_a_usable_root_is_a_422_bad_payload() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Assoc", false);
    for payload in [
        json!({}),
        json!({"title": "x"}),
        json!({"internship_offer": {}}),
        json!({"internship_offer": ""}),
    ] {
        let (status, body) = app
            .request(
                Method::POST,
                "/api/internship_offers",
                Some(&partner.token),
                Body::Json(payload),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            body,
            json!({"code": "BAD_PAYLOAD", "error": "param is missing or the value is empty: internship_offer"})
        );
    }
    for payload in [
        json!({"internship_offer": "a string"}),
        json!({"internship_offer": [1, 2]}),
        json!({"internship_offer": 3}),
    ] {
        let (status, body) = app
            .request(
                Method::POST,
                "/api/internship_offers",
                Some(&partner.token),
                Body::Json(payload),
            )
            .await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("BAD_PAYLOAD"))
        );
    }
}

#[actix_web::test]
async fn create_with_a_bad_week_is_a_422_before_validation() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Assoc", false);
    let cases = [
        (json!(["2026-W10", "2020-Wsem9-23"]), "2020-Wsem9-23"),
        (json!(["2019-W1-foo"]), "2019-W1-foo"),
        (json!(["2021-W53"]), "2021-W53"),
        (json!(["2015-W10"]), "2015-W10"),
        (json!([202610]), "202610"),
        (json!("2026-W10"), "2026-W10"),
    ];
    for (weeks, named) in cases {
        let offer = json!({"title": "", "weeks": weeks});
        let (status, body) = app.create(&partner, offer).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{weeks}: {body}");
        assert_eq!(
            body,
            json!({"code": "BAD_ARGUMENT", "error": format!("bad week format: {named}, expecting ISO 8601 format")})
        );
    }
}

#[actix_web::test]
async fn a_duplicate_remote_id_is_a_409_even_with_invalid_fields() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let teammate = app.teammate(&partner, "second@jobirl.test");
    let other = app.operator("MyFuture", false);
    assert_eq!(
        app.create(&partner, valid_offer("42")).await.0,
        StatusCode::CREATED
    );
    let (status, body) = app
        .create(&partner, offer_with("42", json!({"title": ""})))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body,
        json!({"code": "DUPLICATE_API", "error": "api with this remote_id (42) already exists"})
    );
    assert_eq!(
        app.create(&teammate, valid_offer("42")).await.0,
        StatusCode::CONFLICT,
        "the team shares remote_ids"
    );
    assert_eq!(
        app.create(&other, valid_offer("42")).await.0,
        StatusCode::CREATED,
        "operators have their own remote_ids"
    );
}

#[actix_web::test]
async fn numeric_remote_ids_are_read_as_text() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let (status, body) = app
        .create(&partner, offer_with("x", json!({"remote_id": 28356258})))
        .await;
    assert_eq!(
        (status, body["remote_id"].clone()),
        (StatusCode::CREATED, json!("28356258"))
    );
}

#[actix_web::test]
async fn an_empty_offer_lists_every_missing_field_in_the_original_order() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Assoc", false);
    let (status, body) = app.create(&partner, json!({"siret": "123"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "VALIDATION_ERROR");
    let fields: Vec<String> = body["error"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(
        fields,
        [
            "coordinates",
            "title",
            "employer_name",
            "zipcode",
            "city",
            "description",
            "sector",
            "remote_id",
            "permalink"
        ]
    );
    assert_eq!(field_errors(&body, "title"), ["Missing title"]);
    assert_eq!(
        field_errors(&body, "zipcode"),
        ["Missing zipcode", "Zipcode is invalid"]
    );
    assert_eq!(field_errors(&body, "sector"), ["Missing sector"]);
}

#[actix_web::test]
async fn over_long_strings_are_a_400_with_a_message() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Assoc", false);
    let long = |n: usize| "é".repeat(n);
    let cases = [
        ("title", 151, "est trop long (pas plus de 150 caractères)"),
        (
            "description",
            501,
            "Description too long, allowed up 500 chars",
        ),
        (
            "employer_name",
            181,
            "est trop long (pas plus de 180 caractères)",
        ),
        (
            "employer_description",
            276,
            "La description doit faire au maximum 275 caractères",
        ),
        (
            "employer_website",
            561,
            "est trop long (pas plus de 560 caractères)",
        ),
        ("city", 51, "est trop long (pas plus de 50 caractères)"),
        ("remote_id", 51, "est trop long (pas plus de 50 caractères)"),
        (
            "street",
            3001,
            "est trop long (pas plus de 3000 caractères)",
        ),
        (
            "lunch_break",
            501,
            "est trop long (pas plus de 500 caractères)",
        ),
    ];
    for (field, length, message) in cases {
        let (status, body) = app
            .create(&partner, offer_with("long", json!({ field: long(length) })))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {body}");
        assert_eq!(field_errors(&body, field), [message], "{field}");
    }
    let permalink = format!("https://partner.fr/{}", "a".repeat(270));
    let (status, body) = app
        .create(
            &partner,
            offer_with("long", json!({ "permalink": permalink })),
        )
        .await;
    assert_eq!(
        (status, field_errors(&body, "permalink")),
        (
            StatusCode::BAD_REQUEST,
            vec!["est trop long (pas plus de 280 caractères)".to_owned()]
        )
    );
    let (status, _) = app
        .create(
            &partner,
            offer_with(
                "at-limit",
                json!({"employer_description": long(275), "title": long(150)}),
            ),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "275 characters of employer_description, as the seed document promised"
    );
}

#[actix_web::test]
async fn out_of_range_or_malformed_values_are_a_400_never_clamped() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Assoc", false);
    let cases = [
        (
            json!({"coordinates": {"latitude": 91, "longitude": 2}}),
            "coordinates",
            "la latitude doit être comprise entre -90 et 90",
        ),
        (
            json!({"coordinates": {"latitude": 48, "longitude": 200}}),
            "coordinates",
            "la longitude doit être comprise entre -180 et 180",
        ),
        (
            json!({"coordinates": {"latitude": "abc", "longitude": 2}}),
            "coordinates",
            "latitude doit être un nombre",
        ),
        (
            json!({"coordinates": {"latitude": 0, "longitude": 2}}),
            "coordinates",
            "Missing coordinates",
        ),
        (
            json!({"coordinates": "48,2"}),
            "coordinates",
            "doit être un objet {\"latitude\": …, \"longitude\": …}",
        ),
        (json!({"zipcode": "7500"}), "zipcode", "Zipcode is invalid"),
        (
            json!({"zipcode": "00000"}),
            "zipcode",
            "le code postal ne permet pas de déduire le département",
        ),
        (
            json!({"sector_uuid": "82738129-au8h-8297-827h-oaieurjeh872"}),
            "sector",
            "Missing sector",
        ),
        (
            json!({"sector_uuid": "00000000-0000-0000-0000-000000000000"}),
            "sector",
            "Missing sector",
        ),
        (
            json!({"max_candidates": 0}),
            "max_candidates",
            "doit être supérieur à 0",
        ),
        (
            json!({"max_candidates": 201}),
            "max_candidates",
            "doit être inférieur ou égal à 200",
        ),
        (
            json!({"max_candidates": 1e30}),
            "max_candidates",
            "doit être inférieur ou égal à 200",
        ),
        (
            json!({"max_candidates": 2.5}),
            "max_candidates",
            "doit être un nombre entier",
        ),
        (
            json!({"max_candidates": "beaucoup"}),
            "max_candidates",
            "doit être un nombre entier",
        ),
        (
            json!({"max_candidates": 2, "max_students_per_group": 3}),
            "max_students_per_group",
            "Le nombre maximal d'élèves par groupe ne peut pas dépasser le nombre maximal d'élèves attendus dans l'année",
        ),
        (
            json!({"title": ["a", "b"]}),
            "title",
            "doit être une chaîne de caractères",
        ),
        (
            json!({"city": {"name": "Paris"}}),
            "city",
            "doit être une chaîne de caractères",
        ),
        (
            json!({"is_public": [true]}),
            "is_public",
            "doit être un booléen (true ou false)",
        ),
        (
            json!({"is_public": "peut-être"}),
            "is_public",
            "doit être un booléen (true ou false)",
        ),
        (
            json!({"daily_hours": "9h-17h"}),
            "daily_hours",
            "doit être un objet",
        ),
        (
            json!({"permalink": "https://staging.partner.fr/offres/1"}),
            "permalink",
            "Le lien ne doit pas renvoyer vers un environnement de test.",
        ),
        (
            json!({"permalink": "www.partner.fr/offres/1"}),
            "permalink",
            "Le lien doit être une adresse web commençant par http:// ou https://",
        ),
    ];
    for (changes, field, message) in cases {
        let (status, body) = app
            .create(&partner, offer_with("bad", changes.clone()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{changes}: {body}");
        assert_eq!(body["code"], "VALIDATION_ERROR");
        assert_eq!(field_errors(&body, field), [message], "{changes}: {body}");
    }
}

#[actix_web::test]
async fn links_to_test_words_in_paths_are_accepted() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Assoc", false);
    for (i, link) in [
        "https://partner.fr/contest",
        "https://partner.fr/attestation?x=test",
    ]
    .iter()
    .enumerate()
    {
        let (status, body) = app
            .create(
                &partner,
                offer_with(&format!("link-{i}"), json!({"permalink": link})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{link}: {body}");
    }
}

#[actix_web::test]
async fn malformed_bodies_are_a_400_json_error() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Assoc", false);
    let bodies: [(&'static str, &[u8]); 3] = [
        ("application/json", b"{\"internship_offer\": {"),
        ("application/json", b"[1, 2]"),
        ("application/json", b"\"text\""),
    ];
    for (content_type, bytes) in bodies {
        let (status, body) = app
            .request(
                Method::POST,
                "/api/internship_offers",
                Some(&partner.token),
                Body::Raw(content_type.to_owned(), bytes.to_vec()),
            )
            .await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::BAD_REQUEST, json!("MALFORMED_BODY")),
            "{body}"
        );
    }
    let huge = vec![b'a'; 300 * 1024];
    let (status, body) = app
        .request(
            Method::POST,
            "/api/internship_offers",
            Some(&partner.token),
            Body::Raw("application/json".into(), huge),
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::PAYLOAD_TOO_LARGE, json!("PAYLOAD_TOO_LARGE"))
    );
}

#[actix_web::test]
async fn values_the_database_cannot_store_are_a_400_never_a_500() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Octets", false);
    let nul = "\u{0}";
    let cases = [
        (json!({"title": format!("Stage{nul}cuisine")}), "title"),
        (json!({"remote_id": format!("r{nul}1")}), "remote_id"),
        (json!({"street": nul}), "street"),
        (json!({"sector_uuid": nul}), "sector_uuid"),
        (
            json!({"daily_hours": {"lundi": [format!("9:00{nul}")]}}),
            "daily_hours",
        ),
        (
            json!({"daily_hours": {format!("lu{nul}ndi"): ["9:00"]}}),
            "daily_hours",
        ),
    ];
    for (changes, field) in cases {
        let (status, body) = app
            .create(&partner, offer_with("octets", changes.clone()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{changes}: {body}");
        assert_eq!(body["code"], "VALIDATION_ERROR");
        assert_eq!(
            field_errors(&body, field),
            ["ne doit pas contenir le caractère nul (U+0000)"],
            "{changes}"
        );
    }
    for huge in [
        json!(1.797_693_134_862_315_7e308),
        json!(-1.797_693_134_862_315_7e308),
        json!(1e-320),
    ] {
        let changes = json!({"daily_hours": {"lundi": [huge]}});
        let (status, body) = app
            .create(&partner, offer_with(&format!("grand-{huge}"), changes))
            .await;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::BAD_REQUEST,
            "{huge}: {status} {body}"
        );
        assert_ne!(body["code"], "INTERNAL_ERROR");
    }
    for huge in [json!(1.797_693_134_862_315_7e308), json!(-9.3e18)] {
        let (status, body) = app
            .create(
                &partner,
                offer_with("places", json!({"max_candidates": huge})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{huge}: {body}");
        assert!(!field_errors(&body, "max_candidates").is_empty());
    }
    let (status, body) = app
        .request(
            Method::PATCH,
            "/api/internship_offers/a%00b",
            Some(&partner.token),
            Body::Json(json!({"internship_offer": {"title": "t"}})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        field_errors(&body, "remote_id"),
        ["ne doit pas contenir le caractère nul (U+0000)"]
    );
    let (status, body) = app
        .request(
            Method::DELETE,
            "/api/internship_offers/a%00b",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("VALIDATION_ERROR"))
    );
    let catalogue = app.operator("Catalogue octets", true);
    let (status, body) = app
        .request(
            Method::GET,
            "/api/internship_offers/search?keyword=a%00b",
            Some(&catalogue.token),
            Body::None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        field_errors(&body, "keyword"),
        ["ne doit pas contenir le caractère nul (U+0000)"]
    );
}
