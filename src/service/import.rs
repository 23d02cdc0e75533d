//! Bulk import of a partner's offers from JSON Lines: one offer object a line, with the API's
//! field names and `remote_id`. Each line is an upsert by `remote_id` within the operator,
//! validated exactly as the API validates it, and feeds the event log. A batch of lines is one
//! transaction: new offers are checked against the referentials (read once, in memory) and
//! written with a few statements; lines that change an existing offer, repeat a `remote_id` of
//! the batch, or belong to a batch whose bulk write failed go through the API's own service,
//! one savepoint each. A bad line is reported and leaves nothing behind.

use std::collections::HashSet;
use std::io::BufRead;
use std::sync::{Arc, Mutex, mpsc};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, QueryResult};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::Partner;
use crate::db::DbPool;
use crate::db::models::Week;
use crate::db::queries::offers;
use crate::error::ApiError;
use crate::service::batch_create::{BatchCreator, NewOffer, default_weeks};
use crate::service::referentials::Referentials;
use crate::service::upsert::{Upserted, is_deletion, remote_id_in, upsert};

/// What happened to the lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    /// Lines that changed nothing (shown only when some did).
    #[serde(skip_serializing_if = "is_zero")]
    pub unchanged: u64,
    /// Lines `{"remote_id", "deleted": true}` (shown only when some did).
    #[serde(skip_serializing_if = "is_zero")]
    pub deleted: u64,
    pub failed: u64,
}

fn is_zero(count: &u64) -> bool {
    *count == 0
}

/// A refused line: its number (from 1), its `remote_id` when readable, and the API's error.
#[derive(Debug, Serialize)]
pub struct RefusedLine {
    pub line: u64,
    pub remote_id: Option<String>,
    pub code: String,
    pub error: Value,
}

/// Lines written in one transaction.
const BATCH_LINES: usize = 1_000;

/// One line to import: its number (from 1) and its text.
type Line = (u64, String);

/// What a worker made of a batch: the counts, and the refused lines.
type BatchResult = Result<(ImportCounts, Vec<RefusedLine>), String>;

/// Imports every line of `input` with `workers` connections of `pool`; each refused line goes
/// to `refused`, and `progress` learns the bytes read. Batches are written side by side, so a
/// line whose `remote_id` came earlier in the file waits for the end, when such lines are
/// written one batch after the other in the file's order: the last line of a `remote_id` wins.
pub fn import(
    pool: &DbPool,
    partner: &Partner,
    input: impl BufRead,
    workers: usize,
    mut refused: impl FnMut(RefusedLine),
    mut progress: impl FnMut(u64),
) -> Result<ImportCounts, String> {
    let worker = Worker::new(pool, partner)?;
    let (batches, jobs) = mpsc::sync_channel::<Vec<ParsedLine>>(workers * 2);
    let (results, done) = mpsc::channel::<BatchResult>();
    let jobs = Arc::new(Mutex::new(jobs));
    let threads: Vec<_> = (0..workers.max(1))
        .map(|_| {
            let (worker, jobs, results) = (worker.clone(), jobs.clone(), results.clone());
            std::thread::spawn(move || worker.work(&jobs, &results))
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
    let (mut batch, mut seen, mut repeated) =
        (Vec::with_capacity(BATCH_LINES), HashSet::new(), vec![]);
    for (number, line) in (1..).zip(input.lines()) {
        let line = line.map_err(|e| format!("line {number}: {e}"))?;
        progress(line.len() as u64 + 1);
        if line.trim().is_empty() {
            continue;
        }
        let line = ParsedLine::read((number, line));
        match &line.remote_id {
            Some(id) if seen.contains(id) => repeated.push(line),
            id => {
                seen.extend(id.clone());
                batch.push(line);
            }
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
    while !repeated.is_empty() {
        let lines = repeated.drain(..repeated.len().min(BATCH_LINES)).collect();
        gather(worker.import_on_own_connection(lines), &mut counts)?;
    }
    Ok(counts)
}

/// A thread writing batches with a connection of its own.
#[derive(Clone)]
struct Worker {
    pool: DbPool,
    partner: Partner,
    /// Read once for the whole import.
    referentials: Arc<Referentials>,
    /// The weeks of an offer that names none.
    default_weeks: Arc<Vec<Week>>,
}

/// A line as read: its number and text, its object (or why it is not one), its `remote_id`.
struct ParsedLine {
    number: u64,
    text: String,
    fields: Result<Map<String, Value>, ApiError>,
    remote_id: Option<String>,
}

impl ParsedLine {
    fn read((number, text): Line) -> ParsedLine {
        let fields = serde_json::from_str::<Map<String, Value>>(&text)
            .map_err(|e| ApiError::MalformedBody(format!("JSON invalide : {e}")));
        let remote_id = fields.as_ref().ok().and_then(remote_id_in);
        ParsedLine {
            number,
            text,
            fields,
            remote_id,
        }
    }
}

/// What a batch has done so far.
#[derive(Default)]
struct Outcome {
    counts: ImportCounts,
    refusals: Vec<RefusedLine>,
}

impl Outcome {
    fn refuse(&mut self, number: u64, text: &str, error: &ApiError) {
        self.counts.failed += 1;
        let body = error.body();
        self.refusals.push(RefusedLine {
            line: number,
            remote_id: remote_id_of(text),
            code: body.code,
            error: body.error,
        });
    }
}

impl Worker {
    /// A worker for `partner`, with the referentials read once for the whole import.
    fn new(pool: &DbPool, partner: &Partner) -> Result<Worker, String> {
        let conn = &mut pool.get().map_err(|e| e.to_string())?;
        let referentials = Referentials::load_all(conn).map_err(|e| e.to_string())?;
        let default_weeks = default_weeks(conn).map_err(|e| e.to_string())?;
        Ok(Worker {
            pool: pool.clone(),
            partner: partner.clone(),
            referentials: Arc::new(referentials),
            default_weeks: Arc::new(default_weeks),
        })
    }

    fn import_on_own_connection(&self, batch: Vec<ParsedLine>) -> BatchResult {
        self.pool
            .get()
            .map_err(|e| e.to_string())
            .and_then(|mut conn| self.import_batch(&mut conn, batch))
    }

    /// Takes batches until there are none left; each in one transaction.
    fn work(
        &self,
        jobs: &Mutex<mpsc::Receiver<Vec<ParsedLine>>>,
        results: &mpsc::Sender<BatchResult>,
    ) {
        loop {
            let next = jobs
                .lock()
                .map_err(|_| ())
                .and_then(|jobs| jobs.recv().map_err(|_| ()));
            let Ok(batch) = next else { return };
            if results.send(self.import_on_own_connection(batch)).is_err() {
                return;
            }
        }
    }

    fn import_batch(&self, conn: &mut PgConnection, lines: Vec<ParsedLine>) -> BatchResult {
        conn.transaction::<_, diesel::result::Error, _>(|conn| {
            // Every read of a batch is by key. While a table grows from empty, it has no statistics
            // yet, and the look-up of a thousand remote_ids was planned (and the plan cached on
            // the connection) as a scan of the whole table, 1-2 s a batch until autovacuum's first
            // analyze: plan each statement, on the indexes.
            conn.batch_execute(
                "SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_custom_plan",
            )?;
            let mut outcome = Outcome::default();
            let (fresh, mut one_by_one) = self.split(conn, lines)?;
            let (valid, creations) = self.check_fresh(conn, fresh, &mut outcome);
            match self.creator().write(conn, creations) {
                Ok(ids) => outcome.counts.created += ids.len() as u64,
                // Another batch took one of these remote_ids meanwhile, or the database refused a
                // row: the API's path, line by line, says which.
                Err(_) => one_by_one.extend(valid.into_iter().map(ParsedLine::read)),
            }
            one_by_one.sort_by_key(|line| line.number);
            for line in one_by_one {
                self.import_line(conn, line, &mut outcome);
            }
            Ok((outcome.counts, outcome.refusals))
        })
        .map_err(|e| e.to_string())
    }

    /// The lines that create a new offer (the first of their `remote_id` in the batch, which no
    /// live offer of the operator has), and the others.
    fn split(
        &self,
        conn: &mut PgConnection,
        lines: Vec<ParsedLine>,
    ) -> QueryResult<(Vec<ParsedLine>, Vec<ParsedLine>)> {
        let remote_ids: Vec<String> = lines.iter().filter_map(|l| l.remote_id.clone()).collect();
        let live: HashSet<String> =
            offers::live_remote_ids(conn, self.partner.operator_id, &remote_ids)?
                .into_iter()
                .collect();
        let mut seen = HashSet::new();
        Ok(lines.into_iter().partition(|line| {
            line.fields
                .as_ref()
                .is_ok_and(|fields| matches!(is_deletion(fields), Ok(false)))
                && line
                    .remote_id
                    .as_ref()
                    .is_none_or(|id| !live.contains(id) && seen.insert(id.clone()))
        }))
    }

    fn creator(&self) -> BatchCreator<'_> {
        BatchCreator {
            partner: &self.partner,
            referentials: &self.referentials,
            default_weeks: &self.default_weeks,
        }
    }

    /// Checks new offers in memory: the refused ones go to `outcome`; returns the valid lines
    /// (number and text) and their offers.
    fn check_fresh(
        &self,
        conn: &mut PgConnection,
        fresh: Vec<ParsedLine>,
        outcome: &mut Outcome,
    ) -> (Vec<Line>, Vec<NewOffer>) {
        let creator = self.creator();
        let mut valid = vec![];
        let mut creations = vec![];
        for line in fresh {
            match line.fields.and_then(|fields| creator.check(conn, fields)) {
                Ok(creation) => {
                    creations.push(creation);
                    valid.push((line.number, line.text));
                }
                Err(error) => outcome.refuse(line.number, &line.text, &error),
            }
        }
        (valid, creations)
    }

    /// One line through the API's service, in a savepoint of its own.
    fn import_line(&self, conn: &mut PgConnection, line: ParsedLine, outcome: &mut Outcome) {
        let upserted = line
            .fields
            .and_then(|fields| upsert(conn, &self.referentials, &self.partner, fields));
        match upserted {
            Ok(Upserted::Created) => outcome.counts.created += 1,
            Ok(Upserted::Updated) => outcome.counts.updated += 1,
            Ok(Upserted::Unchanged) => outcome.counts.unchanged += 1,
            Ok(Upserted::Deleted) => outcome.counts.deleted += 1,
            Err(error) => outcome.refuse(line.number, &line.text, &error),
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
