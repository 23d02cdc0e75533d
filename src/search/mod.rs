//! The catalogue's search index: an in-process tantivy index that every server instance holds,
//! fed by the offer event log, PostgreSQL staying the source of truth. It counts exactly, pages
//! through every match and counts facets (`collector`); `follower` keeps it in step with the log.

pub mod collector;
pub mod distance;
pub mod facets;
pub mod follower;
pub mod nearby;
pub mod query;
pub mod relevance;
pub mod schema;

use std::ops::Bound;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::query::RangeQuery;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::db::models::ListedOffer;
use crate::db::queries::search_documents::SearchDocument;
use crate::domain::offer_event::EventPosition;
use crate::paris_time;
use collector::{CatalogueCollector, FacetCounts, FacetsAsked, Found, Order};
use query::IndexFilters;
use schema::Fields;

/// Memory the index writer may use before it flushes a segment (64 MB made the server's peak
/// RSS pass 500 MB at 1 M offers under creation load; 32 MB: 293 MB, see doc/performance.md).
const WRITER_HEAP_BYTES: usize = 32 * 1024 * 1024;

/// What the index has taken in: the log position it reached, and when, saved with each commit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub position: EventPosition,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Default)]
struct Progress {
    position: EventPosition,
    /// Caught up with the log once since the start.
    ready: bool,
}

pub struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    progress: Mutex<Progress>,
    moved: Condvar,
    /// The day (days since 1970-01-01, Paris) of the last sweep: no document ends before it,
    /// so a search of that day needs not check last days.
    swept_day: AtomicI64,
}

/// A page of a search: the exact total, the page's offers as listed, the facets.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub total: u64,
    pub rows: Vec<ListedOffer>,
    pub facets: FacetCounts,
}

/// One search: what to match, in which order, how many of the best to keep, which facets.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexSearch {
    pub filters: IndexFilters,
    pub keep: usize,
    pub facets: FacetsAsked,
    /// Days since 1970-01-01 of today: offers whose last day is before are over.
    pub today: i64,
}

impl SearchIndex {
    /// Opens the index kept in `dir` (created when missing), or a fresh one in memory; with the
    /// checkpoint of its last commit, if it has one.
    pub fn open(dir: Option<&Path>) -> tantivy::Result<(SearchIndex, Option<Checkpoint>)> {
        let (schema, _) = Fields::schema();
        let index = match dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                match Index::open_or_create(MmapDirectory::open(dir)?, schema.clone()) {
                    // Kept by an older version: rebuilt from the offers table.
                    Err(tantivy::TantivyError::SchemaError(_)) => {
                        tracing::warn!(dir = %dir.display(), "search index: older schema, rebuilding");
                        empty(dir)?;
                        Index::create_in_dir(dir, schema)?
                    }
                    opened => opened?,
                }
            }
            None => Index::create_in_ram(schema),
        };
        schema::register_analyzer(&index);
        let fields = Fields::of(&index.schema())?;
        let checkpoint = index
            .load_metas()?
            .payload
            .and_then(|payload| serde_json::from_str(&payload).ok());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer(WRITER_HEAP_BYTES)?;
        let search_index = SearchIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(writer),
            progress: Mutex::new(Progress::default()),
            moved: Condvar::new(),
            swept_day: AtomicI64::new(i64::MIN),
        };
        Ok((search_index, checkpoint))
    }

    /// Replaces what the index holds of `offer_ids` by `documents` (the searchable ones among
    /// them), commits with the position reached, and shows it to searches.
    pub fn apply(
        &self,
        offer_ids: &[i64],
        documents: &[SearchDocument],
        position: EventPosition,
    ) -> tantivy::Result<()> {
        let mut writer = self.writer.lock().map_err(|_| poisoned())?;
        for id in offer_ids {
            writer.delete_term(Term::from_field_u64(self.fields.offer_id, *id as u64));
        }
        for document in not_over(documents) {
            writer.add_document(self.fields.document(document))?;
        }
        self.commit(&mut writer, position)
    }

    /// Deletes the documents of offers whose last day is before `today` (none is added after:
    /// see `not_over`); searches of that day then skip the check.
    pub fn sweep(&self, today: i64) -> tantivy::Result<()> {
        let mut writer = self.writer.lock().map_err(|_| poisoned())?;
        let before_today = Term::from_field_i64(self.fields.last_day, today);
        writer.delete_query(Box::new(RangeQuery::new(
            Bound::Unbounded,
            Bound::Excluded(before_today),
        )))?;
        self.commit(&mut writer, self.position())?;
        self.swept_day.store(today, Ordering::Release);
        Ok(())
    }

    pub fn swept_day(&self) -> i64 {
        self.swept_day.load(Ordering::Acquire)
    }

    /// Empties the index (before a rebuild).
    pub fn clear(&self) -> tantivy::Result<()> {
        let writer = self.writer.lock().map_err(|_| poisoned())?;
        writer.delete_all_documents()?;
        Ok(())
    }

    /// Adds documents without committing (a rebuild commits once, at its end).
    pub fn add(&self, documents: &[SearchDocument]) -> tantivy::Result<()> {
        let writer = self.writer.lock().map_err(|_| poisoned())?;
        for document in not_over(documents) {
            writer.add_document(self.fields.document(document))?;
        }
        Ok(())
    }

    /// Commits what was added, at `position`.
    pub fn commit_at(&self, position: EventPosition) -> tantivy::Result<()> {
        let mut writer = self.writer.lock().map_err(|_| poisoned())?;
        self.commit(&mut writer, position)
    }

    fn commit(&self, writer: &mut IndexWriter, position: EventPosition) -> tantivy::Result<()> {
        let checkpoint = Checkpoint {
            position,
            at: Utc::now(),
        };
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&checkpoint).unwrap_or_default());
        prepared.commit()?;
        self.reader.reload()?;
        self.advance(position, false);
        Ok(())
    }

    /// Records the position reached; `caught_up` when the log has nothing more for now.
    pub fn advance(&self, position: EventPosition, caught_up: bool) {
        if let Ok(mut progress) = self.progress.lock() {
            progress.position = progress.position.max(position);
            progress.ready |= caught_up;
        }
        self.moved.notify_all();
    }

    pub fn position(&self) -> EventPosition {
        self.progress.lock().map(|p| p.position).unwrap_or_default()
    }

    /// Whether the index caught up with the log since the start (an instance is ready then).
    pub fn is_ready(&self) -> bool {
        self.progress.lock().map(|p| p.ready).unwrap_or(false)
    }

    /// Waits, at most `timeout`, until the index has reached `position`; whether it has.
    pub fn wait_for(&self, position: EventPosition, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let Ok(mut progress) = self.progress.lock() else {
            return false;
        };
        while progress.position < position {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            match self.moved.wait_timeout(progress, left) {
                Ok((guard, _)) => progress = guard,
                Err(_) => return false,
            }
        }
        true
    }

    /// Counts every match exactly and keeps the best `keep`, in the search's order.
    pub fn search(&self, search: &IndexSearch) -> tantivy::Result<Found> {
        self.find(&self.reader.searcher(), search)
    }

    /// The search's total and facets, and the listings of its best offers after the first
    /// `skip`, read from the index (from the same view of it).
    pub fn search_page(&self, search: &IndexSearch, skip: usize) -> tantivy::Result<SearchPage> {
        let searcher = self.reader.searcher();
        let found = self.find(&searcher, search)?;
        let rows = found
            .addresses
            .iter()
            .skip(skip)
            .map(|address| {
                let document: TantivyDocument = searcher.doc(*address)?;
                let listing = document
                    .get_first(self.fields.listing)
                    .and_then(|v| v.as_bytes());
                serde_json::from_slice(listing.unwrap_or_default())
                    .map_err(|e| tantivy::TantivyError::InternalError(format!("listing: {e}")))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SearchPage {
            total: found.total,
            rows,
            facets: found.facets,
        })
    }

    fn find(&self, searcher: &Searcher, search: &IndexSearch) -> tantivy::Result<Found> {
        // Offers over are left out per document, unless the index was swept that day.
        let check_over = self.swept_day() < search.today;
        if let Some(found) = self.find_nearby(searcher, search, check_over)? {
            return Ok(found);
        }
        let mut analyzer = self.index.tokenizer_for_field(self.fields.text)?;
        let query = query::build(&self.fields, &mut analyzer, &search.filters);
        let order = match (&search.filters.near, search.filters.words.is_empty()) {
            (Some(_), _) => Order::Nearest,
            (None, false) => Order::Relevance,
            (None, true) => Order::Newest,
        };
        let collector = CatalogueCollector {
            check_over,
            today: search.today,
            near: search.filters.near,
            order,
            keep: if order == Order::Relevance {
                0
            } else {
                search.keep
            },
            facets: search.facets,
        };
        let (total, mut best, facets) = searcher.search(query.as_ref(), &collector)?;
        if order == Order::Relevance {
            let exact = query::exact_words(&self.fields, &mut analyzer, &search.filters.words);
            best = relevance::best(
                searcher,
                query.as_ref(),
                exact.as_deref(),
                check_over.then_some(search.today),
                search.keep,
            )?;
        }
        Ok(Found::of((total, best, facets)))
    }

    /// Documents the index holds.
    pub fn size(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

impl SearchIndex {
    /// A search by place alone, cell by cell (`nearby`), when nothing needs reading per match
    /// but the page: no ended offer in the index, no facet.
    fn find_nearby(
        &self,
        searcher: &Searcher,
        search: &IndexSearch,
        check_over: bool,
    ) -> tantivy::Result<Option<Found>> {
        let filters = &search.filters;
        let place_alone = filters.words.is_empty()
            && filters.sector_ids.is_empty()
            && filters.week_ids.is_empty();
        if check_over || search.facets.any() || !place_alone {
            return Ok(None);
        }
        let Some((near, cells)) = filters
            .near
            .and_then(|n| query::cells_around(n).map(|c| (n, c)))
        else {
            return Ok(None);
        };
        let circle = distance::Circle::of(near);
        let Some(plan) = nearby::Plan::of(searcher, &self.fields, &circle, &cells, search.keep)?
        else {
            return Ok(None);
        };
        let (total, best) = plan.best(searcher, &self.fields, &circle, search.keep)?;
        Ok(Some(Found::of((total, best, FacetCounts::default()))))
    }
}

/// Removes what a folder holds, keeping the folder (it may be a mounted volume).
fn empty(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(path)?;
        } else {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}

/// The documents of offers not over today (Paris): an offer that ends never comes back in.
fn not_over(documents: &[SearchDocument]) -> impl Iterator<Item = &SearchDocument> {
    let today = paris_time::today();
    documents
        .iter()
        .filter(move |d| d.listing.last_date >= today)
}

fn poisoned() -> tantivy::TantivyError {
    tantivy::TantivyError::SystemError("search index writer poisoned".into())
}
