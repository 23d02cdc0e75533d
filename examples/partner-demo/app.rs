//! The demo partner app itself: its state, its page, the calls it makes to Mon stage de 3e and
//! the webhook receiver that checks every signature (HMAC-SHA256 of "<timestamp>.<body>",
//! compared in constant time, timestamps older than 5 minutes refused). The tests run it too.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::dev::Server;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::{Duration, Utc};
use hmac::{Hmac, Mac};
use maud::{DOCTYPE, Markup, html};
use serde_json::{Value, json};
use sha2::Sha256;

/// Where Mon stage de 3e is and who the demo is.
#[derive(Clone, Debug)]
pub struct Config {
    pub monstage_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// The demo's own address, to which webhooks are sent.
    pub own_url: String,
}

/// An event received on `/webhooks`.
#[derive(Clone, Debug)]
pub struct Received {
    pub at: String,
    pub id: String,
    pub event_type: String,
    pub summary: String,
    /// None when the signature and the timestamp were checked; else why it was refused.
    pub refused: Option<String>,
}

#[derive(Default)]
struct Demo {
    token: Option<String>,
    scope: String,
    subscription: Option<(i64, String)>,
    offers: Vec<String>,
    received: Vec<Received>,
    last_action: Option<String>,
}

struct Shared {
    config: Config,
    demo: Mutex<Demo>,
    http: reqwest::Client,
}

type State = web::Data<Arc<Shared>>;

const TOLERANCE_SECONDS: i64 = 300;

pub fn serve(listener: TcpListener, config: Config) -> std::io::Result<Server> {
    let shared = Arc::new(Shared {
        config,
        demo: Mutex::new(Demo::default()),
        http: reqwest::Client::new(),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(shared.clone()))
            .route("/", web::get().to(page))
            .route("/webhooks", web::post().to(receive))
            .route("/actions/{action}", web::post().to(act))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Whether one of the header's signatures is the secret's, compared in constant time.
pub fn signature_is_valid(secret: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    header.split(',').any(|candidate| {
        let hex = candidate.trim().strip_prefix("sha256=").unwrap_or_default();
        hex::decode(hex).is_ok_and(|given| mac.clone().verify_slice(&given).is_ok())
    })
}

async fn receive(req: HttpRequest, body: web::Bytes, state: State) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (id, timestamp, signature) = (
        header("X-Webhook-Id"),
        header("X-Webhook-Timestamp"),
        header("X-Webhook-Signature-SHA256"),
    );
    let secret = state
        .demo
        .lock()
        .unwrap()
        .subscription
        .as_ref()
        .map(|(_, s)| s.clone());
    let age = timestamp
        .parse::<i64>()
        .map(|t| (Utc::now().timestamp() - t).abs());
    let refused = match (secret, age) {
        (None, _) => Some("pas d'abonnement : aucun secret pour vérifier".to_owned()),
        (_, Err(_)) => Some("horodatage absent".to_owned()),
        (_, Ok(age)) if age > TOLERANCE_SECONDS => {
            Some(format!("horodatage trop ancien ({age} s)"))
        }
        (Some(secret), _) if !signature_is_valid(&secret, &timestamp, &body, &signature) => {
            Some("signature invalide".to_owned())
        }
        _ => None,
    };
    let event: Value = serde_json::from_slice(&body).unwrap_or_default();
    let received = Received {
        at: Utc::now().format("%H:%M:%S").to_string(),
        id,
        event_type: event["type"].as_str().unwrap_or("?").to_owned(),
        summary: event["data"]["remote_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        refused: refused.clone(),
    };
    state.demo.lock().unwrap().received.insert(0, received);
    if refused.is_some() {
        HttpResponse::Unauthorized().finish()
    } else {
        HttpResponse::Ok().finish()
    }
}

impl Shared {
    fn token(&self) -> Result<String, String> {
        self.demo
            .lock()
            .unwrap()
            .token
            .clone()
            .ok_or_else(|| "obtenez d'abord un jeton".to_owned())
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let url = format!("{}{path}", self.config.monstage_url);
        let mut request = self.http.request(method, url).bearer_auth(self.token()?);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or_default();
        if status.is_success() {
            Ok(answer)
        } else {
            Err(format!("{status} {answer}"))
        }
    }

    async fn get_token(&self) -> Result<String, String> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", &self.config.client_id),
            ("client_secret", &self.config.client_secret),
        ];
        let url = format!("{}/oauth/token", self.config.monstage_url);
        let answer: Value = self
            .http
            .post(url)
            .form(&form)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        let token = answer["access_token"]
            .as_str()
            .ok_or_else(|| format!("refusé : {answer}"))?;
        let scope = answer["scope"].as_str().unwrap_or_default().to_owned();
        let mut demo = self.demo.lock().unwrap();
        (demo.token, demo.scope) = (Some(token.to_owned()), scope.clone());
        Ok(format!("Jeton obtenu (24 h) : {scope}"))
    }

    async fn subscribe(&self) -> Result<String, String> {
        let events = [
            "offer.created",
            "offer.updated",
            "offer.deleted",
            "offer.unpublished",
            "pupil.apply_clicked",
            "application.status_recorded",
        ];
        let body = json!({"url": format!("{}/webhooks", self.config.own_url), "events": events});
        let answer = self
            .call(reqwest::Method::POST, "/api/webhooks", Some(body))
            .await?;
        let (id, secret) = (
            answer["id"].as_i64().unwrap_or_default(),
            answer["secret"].as_str().unwrap_or_default().to_owned(),
        );
        self.demo.lock().unwrap().subscription = Some((id, secret));
        Ok(format!(
            "Abonnement n° {id} créé ; son secret est gardé pour vérifier les signatures"
        ))
    }

    async fn publish(&self) -> Result<String, String> {
        let sectors = self
            .call(reqwest::Method::GET, "/api/sectors", None)
            .await?;
        let sector = sectors["sectors"][0]["uuid"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let remote_id = format!("demo-{}", Utc::now().timestamp_millis());
        let week = (Utc::now() + Duration::days(35))
            .format("%G-W%V")
            .to_string();
        let offer = json!({"internship_offer": {
            "remote_id": remote_id, "title": "Découverte du métier de fleuriste",
            "description": "Composer des bouquets, accueillir les clients, préparer les livraisons.",
            "employer_name": "Fleurs du Marais", "street": "3 rue des Rosiers", "zipcode": "75004", "city": "Paris",
            "coordinates": {"latitude": 48.8572, "longitude": 2.3589}, "sector_uuid": sector,
            "permalink": format!("https://jobboard.example/offres/{remote_id}"), "max_candidates": 2, "weeks": [week],
        }});
        self.call(reqwest::Method::POST, "/api/internship_offers", Some(offer))
            .await?;
        self.demo.lock().unwrap().offers.push(remote_id.clone());
        Ok(format!("Offre {remote_id} publiée"))
    }

    fn last_offer(&self) -> Result<String, String> {
        self.demo
            .lock()
            .unwrap()
            .offers
            .last()
            .cloned()
            .ok_or_else(|| "publiez d'abord une offre".to_owned())
    }

    async fn edit(&self) -> Result<String, String> {
        let remote_id = self.last_offer()?;
        let changes = json!({"internship_offer": {"title": "Découverte du métier de fleuriste (modifiée)", "max_candidates": 3}});
        self.call(
            reqwest::Method::PATCH,
            &format!("/api/internship_offers/{remote_id}"),
            Some(changes),
        )
        .await?;
        Ok(format!("Offre {remote_id} modifiée"))
    }

    async fn delete(&self) -> Result<String, String> {
        let remote_id = self.last_offer()?;
        self.call(
            reqwest::Method::DELETE,
            &format!("/api/internship_offers/{remote_id}"),
            None,
        )
        .await?;
        self.demo.lock().unwrap().offers.pop();
        Ok(format!("Offre {remote_id} supprimée"))
    }
}

async fn act(path: web::Path<String>, state: State) -> HttpResponse {
    let done = match path.as_str() {
        "jeton" => state.get_token().await,
        "abonnement" => state.subscribe().await,
        "publier" => state.publish().await,
        "modifier" => state.edit().await,
        "supprimer" => state.delete().await,
        _ => Err("action inconnue".to_owned()),
    };
    state.demo.lock().unwrap().last_action = Some(done.unwrap_or_else(|e| format!("Erreur : {e}")));
    HttpResponse::SeeOther()
        .insert_header(("Location", "/"))
        .finish()
}

fn button(action: &str, label: &str) -> Markup {
    html! { form method="post" action=(format!("/actions/{action}")) { button id=(action) type="submit" { (label) } } }
}

async fn page(state: State) -> HttpResponse {
    let demo = state.demo.lock().unwrap();
    let markup = html! {
        (DOCTYPE)
        html lang="fr" { head { meta charset="utf-8"; title { "JobBoard démo — intégration Mon stage de 3e" }
            style { "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#161616}form{display:inline-block;margin:.2rem}
                     button{padding:.5rem 1rem;background:#000091;color:#fff;border:0;cursor:pointer}table{border-collapse:collapse;width:100%}
                     td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}.ok{color:#18753c}.ko{color:#ce0500}
                     .note{background:#eef;padding:.6rem}" } }
        body {
            h1 { "JobBoard démo" }
            p { "Un partenaire fictif branché sur Mon stage de 3e (" code { (state.config.monstage_url) } ")." }
            @if let Some(action) = &demo.last_action { p class="note" id="derniere-action" { (action) } }
            p { "Jeton : " span id="etat-jeton" { @if demo.token.is_some() { "obtenu — " (demo.scope) } @else { "aucun" } } }
            p { "Webhooks : " span id="etat-abonnement" { @match &demo.subscription { Some((id, _)) => { "abonnement n° " (id) }, None => "aucun abonnement" } } }
            p { "Offres publiées : " span id="offres" { (demo.offers.join(", ")) } }
            div { (button("jeton", "1. Obtenir un jeton OAuth2")) (button("abonnement", "2. S'abonner aux webhooks"))
                  (button("publier", "3. Publier une offre")) (button("modifier", "4. Modifier la dernière offre"))
                  (button("supprimer", "5. Supprimer la dernière offre")) }
            p { a href="/" id="rafraichir" { "Rafraîchir" } }
            h2 { "Évènements reçus" }
            table id="evenements" { thead { tr { th { "Heure" } th { "Type" } th { "Offre" } th { "Vérification" } th { "Identifiant" } } }
                tbody { @for event in &demo.received { tr {
                    td { (event.at) } td { code { (event.event_type) } } td { (event.summary) }
                    td { @match &event.refused { None => span class="ok" { "✔ signature valide" }, Some(why) => span class="ko" { "✘ refusé : " (why) } } }
                    td { code { (event.id) } }
                } } } }
        } }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}
