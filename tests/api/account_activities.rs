//! POST /api/operator_account_activities/create_account.
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, field_errors, valid_offer};

const CREATE_ACCOUNT: &str = "/api/operator_account_activities/create_account";

#[actix_web::test]
async fn create_account_records_a_pupil_once_per_offer() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let pupil = app.student("Camille");
    let (status, body) = app
        .request(
            Method::POST,
            CREATE_ACCOUNT,
            Some(&partner.token),
            Body::Json(json!({"remote_id": "o1", "student_id": pupil})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        (body["remote_id"].clone(), body["student_id"].clone()),
        (json!("o1"), json!(pupil))
    );
    let (status, body) = app
        .request(
            Method::POST,
            CREATE_ACCOUNT,
            Some(&partner.token),
            Body::Form(format!("remote_id=o1&student_id={pupil}")),
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("DUPLICATE_OPERATOR_ACTIVITY")
        )
    );
}

#[actix_web::test]
async fn create_account_accepts_curl_form_fields() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let pupil = app.student("Yanis");
    let boundary = "XyZ123";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"remote_id\"\r\n\r\no1\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"student_id\"\r\n\r\n{pupil}\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let (status, body) = app
        .request(
            Method::POST,
            CREATE_ACCOUNT,
            Some(&partner.token),
            Body::Raw(content_type, multipart.into_bytes()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[actix_web::test]
async fn create_account_errors() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let other = app.operator("MyFuture", false);
    app.create(&partner, valid_offer("o1")).await;
    app.create(&other, valid_offer("theirs")).await;
    let pupil = app.student("Inès");
    let send = |fields: Value| {
        app.request(
            Method::POST,
            CREATE_ACCOUNT,
            Some(&partner.token),
            Body::Json(fields),
        )
    };
    let (status, body) = send(json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (
            field_errors(&body, "remote_id"),
            field_errors(&body, "student_id")
        ),
        (
            vec!["Missing remote_id".to_owned()],
            vec!["Missing student_id".to_owned()]
        )
    );
    for bad in [json!("abc"), json!(1.5), json!(-3), json!([1])] {
        let (status, body) = send(json!({"remote_id": "o1", "student_id": bad})).await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::BAD_REQUEST, json!("VALIDATION_ERROR")),
            "{bad}"
        );
    }
    for (remote_id, student) in [("unknown", pupil), ("theirs", pupil), ("o1", 999_999)] {
        let (status, body) = send(json!({"remote_id": remote_id, "student_id": student})).await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::NOT_FOUND, json!("NOT_FOUND")),
            "{remote_id} {student}"
        );
    }
    let (status, _) = app
        .request(
            Method::POST,
            CREATE_ACCOUNT,
            None,
            Body::Json(json!({"remote_id": "o1", "student_id": pupil})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
