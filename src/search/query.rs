//! A catalogue search as a query of the index (the collector leaves out the offers that are
//! over): the words (each required, as a prefix of a stemmed word), the sectors, the weeks
//! and, with a place, the cells around it (the collector then keeps those within the radius).
//! The exact words, apart, rank a keyword search (`relevance`).

use tantivy::Term;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RegexQuery, TermQuery, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::schema::{Fields, cell_index, cell_key};
use crate::domain::geo::Near;

/// What the index filters on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexFilters {
    pub near: Option<Near>,
    /// The words as the partner wrote them (each is analysed as the offers were).
    pub words: Vec<String>,
    pub sector_ids: Vec<i64>,
    pub week_ids: Vec<i32>,
}

/// Beyond this many cells, a place is searched by distance alone.
const MAX_CELLS: usize = 4_000;

pub fn build(
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    filters: &IndexFilters,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![];
    for token in tokens(analyzer, &filters.words) {
        clauses.push((Occur::Must, word(fields, &token)));
    }
    if !filters.sector_ids.is_empty() {
        let ids = filters.sector_ids.iter().map(|id| *id as u64);
        clauses.push((Occur::Must, any_of(fields.sector, ids)));
    }
    if !filters.week_ids.is_empty() {
        let ids = filters.week_ids.iter().map(|id| *id as u64);
        clauses.push((Occur::Must, any_of(fields.weeks, ids)));
    }
    if let Some(cells) = filters.near.and_then(cells_around) {
        let terms = cells
            .into_iter()
            .map(|(lat, lon)| Term::from_field_text(fields.cell, &cell_key(lat, lon)));
        clauses.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
    }
    if clauses.is_empty() {
        return Box::new(AllQuery);
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Documents with one of these values in a numeric field.
fn any_of(field: Field, values: impl Iterator<Item = u64>) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(
        values.map(|value| Term::from_field_u64(field, value)),
    ))
}

/// The words' exact tokens, which alone make relevance (see `relevance`); None without words.
pub fn exact_words(
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    words: &[String],
) -> Option<Box<dyn Query>> {
    let mut exact: Vec<(Occur, Box<dyn Query>)> = tokens(analyzer, words)
        .into_iter()
        .map(|token| (Occur::Should, exact_word(fields, &token)))
        .collect();
    match exact.len() {
        0 => None,
        1 => exact.pop().map(|(_, query)| query),
        _ => Some(Box::new(BooleanQuery::new(exact))),
    }
}

fn exact_word(fields: &Fields, token: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(fields.text, token),
        IndexRecordOption::WithFreqs,
    ))
}

/// The words' tokens, as the offers' text was analysed (stop words drop out).
fn tokens(analyzer: &mut TextAnalyzer, words: &[String]) -> Vec<String> {
    let mut tokens = vec![];
    for word in words {
        let mut stream = analyzer.token_stream(word);
        while let Some(token) = stream.next() {
            if token.text.chars().all(char::is_alphanumeric) && !tokens.contains(&token.text) {
                tokens.push(token.text.clone());
            }
        }
    }
    tokens
}

/// A required word: any indexed word it begins (relevance comes from `exact_words`).
fn word(fields: &Fields, token: &str) -> Box<dyn Query> {
    match RegexQuery::from_pattern(&format!("{token}.*"), fields.text) {
        Ok(prefix) => Box::new(prefix),
        Err(_) => exact_word(fields, token),
    }
}

/// The cells (latitude and longitude indexes) of the box around a circle, unless there are too
/// many or it crosses the antimeridian (then every document's distance is checked).
pub fn cells_around(near: Near) -> Option<Vec<(i64, i64)>> {
    let degrees_lat = near.radius_m / 111_195.0;
    let cos = near.latitude.to_radians().cos().max(1e-6);
    let degrees_lon = (degrees_lat / cos).min(180.0);
    let (west, east) = (near.longitude - degrees_lon, near.longitude + degrees_lon);
    if west < -180.0 || east > 180.0 {
        return None;
    }
    let lat_cells = cell_index((near.latitude - degrees_lat).max(-90.0))
        ..=cell_index((near.latitude + degrees_lat).min(90.0));
    let lon_cells = cell_index(west)..=cell_index(east);
    let count = lat_cells.clone().count() * lon_cells.clone().count();
    if count > MAX_CELLS {
        return None;
    }
    Some(
        lat_cells
            .flat_map(|lat| lon_cells.clone().map(move |lon| (lat, lon)))
            .collect(),
    )
}
