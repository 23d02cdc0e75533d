//! The fields of the search index and its French analysis (lowercase, ASCII folding, French
//! stop words and stemmer: what PostgreSQL's `monstage_fr` did).

use chrono::{Datelike, NaiveDate};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, TantivyDocument, doc};

use crate::db::queries::search_documents::SearchDocument;

pub const ANALYZER: &str = "monstage_fr";

/// Degrees of latitude and longitude per geographic cell (about 11 km north-south).
pub const CELL_DEGREES: f64 = 0.1;

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub offer_id: Field,
    pub text: Field,
    pub cell: Field,
    pub latitude: Field,
    pub longitude: Field,
    pub sector: Field,
    pub department: Field,
    pub weeks: Field,
    pub last_day: Field,
    /// The offer as a search page lists it (JSON).
    pub listing: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Fields {
            offer_id: builder.add_u64_field("offer_id", INDEXED | FAST),
            text: builder.add_text_field("text", text),
            cell: builder.add_text_field("cell", STRING),
            latitude: builder.add_f64_field("latitude", FAST),
            longitude: builder.add_f64_field("longitude", FAST),
            sector: builder.add_u64_field("sector", INDEXED | FAST),
            department: builder.add_u64_field("department", FAST),
            weeks: builder.add_u64_field("weeks", INDEXED | FAST),
            last_day: builder.add_i64_field("last_day", INDEXED | FAST),
            listing: builder.add_bytes_field("listing", STORED),
        };
        (builder.build(), fields)
    }

    /// Looks the fields up in an index's schema.
    pub fn of(schema: &Schema) -> tantivy::Result<Fields> {
        let field = |name| schema.get_field(name);
        Ok(Fields {
            offer_id: field("offer_id")?,
            text: field("text")?,
            cell: field("cell")?,
            latitude: field("latitude")?,
            longitude: field("longitude")?,
            sector: field("sector")?,
            department: field("department")?,
            weeks: field("weeks")?,
            last_day: field("last_day")?,
            listing: field("listing")?,
        })
    }

    pub fn document(&self, offer: &SearchDocument) -> TantivyDocument {
        let listing = &offer.listing;
        let mut document = doc!(
            self.offer_id => listing.id as u64,
            self.text => offer.text.as_str(),
            self.cell => cell_of(listing.latitude, listing.longitude),
            self.latitude => listing.latitude,
            self.longitude => listing.longitude,
            self.sector => offer.sector_id as u64,
            self.department => department_code(&offer.department),
            self.last_day => day_number(listing.last_date),
            self.listing => serde_json::to_vec(listing).unwrap_or_default(),
        );
        for week in &offer.week_ids {
            document.add_u64(self.weeks, *week as u64);
        }
        document
    }
}

/// Registers the French analyzer on an index.
pub fn register_analyzer(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::new(Language::French).unwrap_or_else(|| StopWordFilter::remove([])))
        .filter(Stemmer::new(Language::French))
        .build();
    index.tokenizers().register(ANALYZER, analyzer);
}

/// The cell holding a point: `"<lat cell>:<lon cell>"`.
pub fn cell_of(latitude: f64, longitude: f64) -> String {
    cell_key(cell_index(latitude), cell_index(longitude))
}

/// The cell of a latitude or a longitude along its axis.
pub fn cell_index(degrees: f64) -> i64 {
    (degrees / CELL_DEGREES).floor() as i64
}

pub fn cell_key(lat_cell: i64, lon_cell: i64) -> String {
    format!("{lat_cell}:{lon_cell}")
}

/// Days since 1970-01-01.
pub fn day_number(day: NaiveDate) -> i64 {
    i64::from(day.num_days_from_ce()) - 719_163
}

/// A department code (`75`, `2A`, `971`) as a number, and back.
pub fn department_code(code: &str) -> u64 {
    code.bytes()
        .take(7)
        .fold(0, |n, byte| n << 8 | u64::from(byte))
}

pub fn department_of(code: u64) -> String {
    let bytes: Vec<u8> = (0..8)
        .rev()
        .map(|i| (code >> (8 * i)) as u8)
        .filter(|b| *b != 0)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_cells_and_days_round_trip() {
        for code in ["01", "75", "2A", "2B", "971"] {
            assert_eq!(department_of(department_code(code)), code);
        }
        assert_eq!(cell_of(48.85, 2.35), "488:23");
        assert_eq!(cell_of(-20.88, 55.45), "-209:554");
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 2).unwrap_or_default();
        assert_eq!(day_number(epoch), 1);
    }
}
