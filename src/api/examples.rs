//! An example request and answer for every operation of the contract (`examples.json`, taken
//! from a real server's answers, secrets replaced), attached to the document: the body's example,
//! the success answer's example, and a curl sample (`x-codeSamples`, which Redoc shows). Redocly
//! lint checks each example against its schema (`make contract`).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::Operation;

#[derive(Deserialize)]
struct Example {
    /// The method and the path with its query: `POST /api/internship_offers`.
    request: String,
    body: Option<Value>,
    /// The success answer's status, and its body.
    status: String,
    answer: Option<Value>,
}

static EXAMPLES: LazyLock<HashMap<String, Example>> =
    LazyLock::new(|| serde_json::from_str(include_str!("examples.json")).unwrap_or_default());

/// Whether the operation has its example (a test checks that every one has).
pub fn exists(operation_id: &str) -> bool {
    EXAMPLES.contains_key(operation_id)
}

/// Attaches the operation's examples.
pub fn attach(operation: &mut Operation, operation_id: &str) {
    let Some(example) = EXAMPLES.get(operation_id) else {
        return;
    };
    if let (Some(body), Some(request)) = (&example.body, operation.request_body.as_mut()) {
        for content in request.content.values_mut() {
            content.example = Some(body.clone());
        }
    }
    let answer = operation.responses.responses.get_mut(&example.status);
    if let (Some(body), Some(RefOr::T(answer))) = (&example.answer, answer) {
        for content in answer.content.values_mut() {
            content.example = Some(body.clone());
        }
    }
    let sample = json!([{"lang": "Shell", "label": "curl", "source": curl(example)}]);
    let extensions = ExtensionsBuilder::new()
        .add("x-codeSamples", sample)
        .build();
    match operation.extensions.as_mut() {
        Some(all) => all.merge(extensions),
        None => operation.extensions = Some(extensions),
    }
}

/// The example as a curl command, with `$BASE_URL` and `$TOKEN` for the reader's own.
fn curl(example: &Example) -> String {
    let (method, path) = example
        .request
        .split_once(' ')
        .unwrap_or(("GET", &example.request));
    let mut command = format!("curl -X {method} \"$BASE_URL{path}\"");
    if path.starts_with("/oauth/") {
        let form = example.body.as_ref().and_then(Value::as_object);
        for (key, value) in form.into_iter().flatten() {
            let value = value.as_str().unwrap_or_default();
            command.push_str(&format!(" \\\n  --data-urlencode '{key}={value}'"));
        }
        return command;
    }
    command.push_str(" \\\n  -H \"Authorization: Bearer $TOKEN\"");
    if let Some(body) = &example.body {
        let body = serde_json::to_string(body).unwrap_or_default();
        command.push_str(&format!(
            " \\\n  -H 'Content-Type: application/json' \\\n  -d '{}'",
            body.replace('\'', "'\\''")
        ));
    }
    command
}
