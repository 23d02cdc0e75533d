//! `monstage offers import`: an operator's offers from a JSON Lines file, with a progress bar
//! on stderr and the refused lines in a report file (see `service::import`).

use diesel::{Connection, PgConnection};
use serde_json::Value;

use crate::auth::Partner;
use crate::config::Settings;
use crate::db;
use crate::db::queries::{accounts, operators};
use crate::service::import;

/// The partner an import writes as: the operator's oldest active account.
fn importer(conn: &mut PgConnection, operator_id: i64) -> Result<Partner, String> {
    let operator = operators::find(conn, operator_id)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no operator {operator_id}"))?;
    let account = accounts::for_operators(conn, &[operator_id])
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|a| a.deactivated_at.is_none())
        .min_by_key(|a| a.id)
        .ok_or_else(|| format!("operator {operator_id} has no active account"))?;
    Ok(Partner::entitled(account.id, &operator))
}

pub fn run(
    settings: &Settings,
    operator_id: i64,
    file: &std::path::Path,
    report: Option<std::path::PathBuf>,
) -> Result<Option<Value>, String> {
    let conn = &mut PgConnection::establish(&settings.database_url)
        .map_err(|e| format!("database: {e}"))?;
    let partner = importer(conn, operator_id)?;
    let input = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let size = input.metadata().map(|m| m.len()).unwrap_or(0);
    let report = report.unwrap_or_else(|| file.with_extension("errors.jsonl"));
    let mut refused = std::io::BufWriter::new(
        std::fs::File::create(&report).map_err(|e| format!("{}: {e}", report.display()))?,
    );
    let bar = indicatif::ProgressBar::new(size).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Each line mostly waits on database round trips: more connections than cores.
    let workers = 4 * std::thread::available_parallelism().map_or(2, usize::from);
    let pool = db::build_pool(&settings.database_url, workers as u32, db::CHECKOUT_TIMEOUT)
        .map_err(|e| e.to_string())?;
    let counts = import::import(
        &pool,
        &partner,
        std::io::BufReader::new(input),
        workers,
        |line| {
            let _ = serde_json::to_writer(&mut refused, &line);
            let _ = std::io::Write::write_all(&mut refused, b"\n");
        },
        |bytes| bar.inc(bytes),
    )?;
    bar.finish_and_clear();
    std::io::Write::flush(&mut refused).map_err(|e| e.to_string())?;
    eprintln!("refused lines: {}", report.display());
    serde_json::to_value(counts)
        .map(Some)
        .map_err(|e| e.to_string())
}
