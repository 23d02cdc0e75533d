//! A partner's search includes its own last write: it waits for the index, and past the wait
//! answers without it and says so (`X-Own-Writes-Pending`).
use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, TestPartner, offer_with};

async fn search(app: &TestApp, partner: &TestPartner) -> (StatusCode, Option<String>) {
    let response = app
        .client
        .get(format!(
            "{}/api/internship_offers/search?keyword=zythologue",
            app.address
        ))
        .bearer_auth(&partner.token)
        .send()
        .await
        .unwrap();
    let pending = response
        .headers()
        .get("x-own-writes-pending")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    (response.status(), pending)
}

#[actix_web::test]
async fn past_the_wait_a_search_says_it_lacks_the_callers_own_write() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", true);
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let offer = json!({"title": "Zythologue en herbe", "weeks": [format!("{next_year}-W10")]});
    assert!(
        app.create(&partner, offer_with("z1", offer))
            .await
            .0
            .is_success()
    );
    assert_eq!(search(&app, &partner).await, (StatusCode::OK, None));
    // The partner's last change as the index cannot reach it yet: one of a transaction far
    // ahead of every running one (a held transaction would stall every database of the
    // cluster, whose transaction ids are shared).
    let ahead = "INSERT INTO offer_events (xact_id, offer_id, operator_id, kind) \
         SELECT (pg_current_xact_id()::text::bigint + 1000000)::text::xid8, id, operator_id, \
         'updated' FROM internship_offers WHERE remote_id = 'z1'";
    app.db.conn().batch_execute(ahead).unwrap();
    assert_eq!(
        search(&app, &partner).await,
        (StatusCode::OK, Some("true".to_owned())),
        "answered after the wait, without the write, and saying so"
    );
    app.db
        .conn()
        .batch_execute("DELETE FROM offer_events WHERE xact_id > pg_current_xact_id()")
        .unwrap();
    assert_eq!(search(&app, &partner).await, (StatusCode::OK, None));
}
