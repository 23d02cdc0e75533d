//! Bulk import of a partner's offers from JSON Lines: one offer object a line, with the API's
//! field names and `remote_id`. Each line is an upsert by `remote_id` within the operator,
//! validated and written exactly as the API does (same service, one transaction per line, the
//! event log fed), so a bad line is reported and leaves nothing behind.

use std::io::BufRead;
use std::sync::{Arc, Mutex, mpsc};

use diesel::{Connection, PgConnection};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::Partner;
use crate::db::DbPool;
use crate::db::queries::{accounts, offers, operators};
use crate::error::ApiError;
use crate::request::offers::{CreateOfferRequest, UpdateOfferRequest};
use crate::service::offers as offer_service;

/// What happened to the lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub failed: u64,
}

/// A refused line: its number (from 1), its `remote_id` when readable, and the API's error.
#[derive(Debug, Serialize)]
pub struct RefusedLine {
    pub line: u64,
    pub remote_id: Option<String>,
    pub code: String,
    pub error: Value,
}

/// The partner an import writes as: the operator's oldest active account.
pub fn importer(conn: &mut PgConnection, operator_id: i64) -> Result<Partner, String> {
    let operator = operators::find(conn, operator_id)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no operator {operator_id}"))?;
    let account = accounts::for_operators(conn, &[operator_id])
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|a| a.deactivated_at.is_none())
        .min_by_key(|a| a.id)
        .ok_or_else(|| format!("operator {operator_id} has no active account"))?;
    Ok(Partner {
        account_id: account.id,
        operator_id,
        operator_name: operator.name,
        api_full_access: operator.api_full_access,
    })
}

/// Lines written in one transaction (each line in a savepoint of its own).
const BATCH_LINES: usize = 500;

/// One line to import: its number (from 1) and its text.
type Line = (u64, String);

/// What a worker made of a batch: the counts, and the refused lines.
type BatchResult = Result<(ImportCounts, Vec<RefusedLine>), String>;

/// Imports every line of `input` with `workers` connections of `pool`; each refused line goes
/// to `refused`, and `progress` learns the bytes read.
pub fn import(
    pool: &DbPool,
    partner: &Partner,
    input: impl BufRead,
    workers: usize,
    mut refused: impl FnMut(RefusedLine),
    mut progress: impl FnMut(u64),
) -> Result<ImportCounts, String> {
    let (batches, jobs) = mpsc::sync_channel::<Vec<Line>>(workers * 2);
    let (results, done) = mpsc::channel::<BatchResult>();
    let jobs = Arc::new(Mutex::new(jobs));
    let threads: Vec<_> = (0..workers.max(1))
        .map(|_| {
            let (pool, partner, jobs, results) =
                (pool.clone(), partner.clone(), jobs.clone(), results.clone());
            std::thread::spawn(move || work(&pool, &partner, &jobs, &results))
        })
        .collect();
    drop(results);
    let mut counts = ImportCounts::default();
    let mut gather = |result: BatchResult, counts: &mut ImportCounts| -> Result<(), String> {
        let (batch, refusals) = result?;
        counts.created += batch.created;
        counts.updated += batch.updated;
        counts.failed += batch.failed;
        refusals.into_iter().for_each(&mut refused);
        Ok(())
    };
    let mut batch = Vec::with_capacity(BATCH_LINES);
    for (number, line) in (1..).zip(input.lines()) {
        let line = line.map_err(|e| format!("line {number}: {e}"))?;
        progress(line.len() as u64 + 1);
        if !line.trim().is_empty() {
            batch.push((number, line));
        }
        if batch.len() == BATCH_LINES {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_LINES));
            batches.send(full).map_err(|e| e.to_string())?;
            while let Ok(result) = done.try_recv() {
                gather(result, &mut counts)?;
            }
        }
    }
    if !batch.is_empty() {
        batches.send(batch).map_err(|e| e.to_string())?;
    }
    drop(batches);
    for result in done {
        gather(result, &mut counts)?;
    }
    threads.into_iter().for_each(|t| drop(t.join()));
    Ok(counts)
}

/// Takes batches until there are none left; each in one transaction.
fn work(
    pool: &DbPool,
    partner: &Partner,
    jobs: &Mutex<mpsc::Receiver<Vec<Line>>>,
    results: &mpsc::Sender<BatchResult>,
) {
    loop {
        let next = jobs
            .lock()
            .map_err(|_| ())
            .and_then(|jobs| jobs.recv().map_err(|_| ()));
        let Ok(batch) = next else { return };
        let result = pool
            .get()
            .map_err(|e| e.to_string())
            .and_then(|mut conn| import_batch(&mut conn, partner, batch));
        if results.send(result).is_err() {
            return;
        }
    }
}

fn import_batch(conn: &mut PgConnection, partner: &Partner, batch: Vec<Line>) -> BatchResult {
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let mut counts = ImportCounts::default();
        let mut refusals = vec![];
        for (number, line) in batch {
            let fields = serde_json::from_str::<Map<String, Value>>(&line)
                .map_err(|e| ApiError::MalformedBody(format!("JSON invalide : {e}")));
            match fields.and_then(|fields| upsert(conn, partner, fields)) {
                Ok(Upserted::Created) => counts.created += 1,
                Ok(Upserted::Updated) => counts.updated += 1,
                Err(error) => {
                    counts.failed += 1;
                    let body = error.body();
                    refusals.push(RefusedLine {
                        line: number,
                        remote_id: remote_id_of(&line),
                        code: body.code,
                        error: body.error,
                    });
                }
            }
        }
        Ok((counts, refusals))
    })
    .map_err(|e| e.to_string())
}

enum Upserted {
    Created,
    Updated,
}

/// Creates the offer, or changes the operator's live offer with its `remote_id`.
fn upsert(
    conn: &mut PgConnection,
    partner: &Partner,
    fields: Map<String, Value>,
) -> Result<Upserted, ApiError> {
    let remote_id = fields
        .get("remote_id")
        .and_then(|v| crate::request::values::trimmed_text(v).ok())
        .and_then(|v| v.value());
    let params = Map::from_iter([("internship_offer".to_owned(), Value::Object(fields))]);
    let exists = match &remote_id {
        Some(id) => offers::live_exists(conn, partner.operator_id, id)?,
        None => false,
    };
    match remote_id.filter(|_| exists) {
        Some(id) => {
            offer_service::update(conn, partner, &id, UpdateOfferRequest::read(&params))?;
            Ok(Upserted::Updated)
        }
        None => {
            offer_service::create(conn, partner, CreateOfferRequest::read(&params)?)?;
            Ok(Upserted::Created)
        }
    }
}

fn remote_id_of(line: &str) -> Option<String> {
    let value: Value = serde_json::from_str(line).ok()?;
    value.get("remote_id").map(|id| match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}
