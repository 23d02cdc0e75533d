//! One pass over the matching documents, without scoring: counts them all exactly, keeps the
//! best `keep` nearest or newest (ties newest first), and counts the facets. Documents come in
//! blocks whose fast fields are read together. (The most relevant are found by `relevance`.)

use std::cmp::Ordering;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{COLLECT_BLOCK_BUFFER_LEN, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::distance::Circle;
use super::facets::SegmentFacets;
pub use super::facets::{FacetCounts, FacetsAsked};
use crate::domain::geo::Near;

/// The order of a search's results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Order {
    Nearest,
    Relevance,
    Newest,
}

/// What a search found: the exact total, the best offers (ids and addresses, best first) and
/// the facets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub total: u64,
    pub best: Vec<u64>,
    pub addresses: Vec<DocAddress>,
    pub facets: FacetCounts,
}

/// A kept document: smaller `primary` is better, then the newest (largest id).
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    pub(super) primary: f64,
    pub(super) offer_id: u64,
    /// Where the document is (its stored listing is read from there).
    pub(super) address: DocAddress,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.primary
            .total_cmp(&other.primary)
            .then_with(|| other.offer_id.cmp(&self.offer_id))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// The best `keep` documents seen. Candidates gather in a buffer of twice that size; when it
/// is full, the best `keep` are selected in linear time and the worst of them becomes the bar
/// to pass (documents often come in offer order, so most would enter a heap).
#[derive(Default)]
pub(super) struct Best {
    keep: usize,
    kept: Vec<Ranked>,
    bar: Option<Ranked>,
}

impl Best {
    pub(super) fn new(keep: usize) -> Best {
        Best {
            keep,
            kept: Vec::new(),
            bar: None,
        }
    }

    pub(super) fn is_full(&self) -> bool {
        self.kept.len() >= self.keep
    }

    /// A document worse than this one cannot enter (None: any can).
    pub(super) fn bar(&self) -> Option<&Ranked> {
        self.bar.as_ref()
    }

    /// The worst of the best `keep` seen so far, once there are that many.
    pub(super) fn settle(&mut self) -> Option<&Ranked> {
        if self.keep == 0 || self.kept.len() < self.keep {
            return None;
        }
        if self.kept.len() > self.keep || self.bar.is_none() {
            self.cut();
        }
        self.bar.as_ref()
    }

    /// Keeps the best `keep` (selected in linear time); the worst of them becomes the bar.
    fn cut(&mut self) {
        self.kept.select_nth_unstable(self.keep - 1);
        self.kept.truncate(self.keep);
        self.bar = self.kept.last().copied();
    }

    /// The best kept, best first.
    pub(super) fn into_sorted(mut self) -> Vec<Ranked> {
        self.kept.sort();
        self.kept.truncate(self.keep);
        self.kept
    }

    /// Whether a document of this primary key cannot enter, whatever its id (cheap test
    /// before reading the id).
    pub(super) fn beaten(&self, primary: f64) -> bool {
        self.keep == 0 || self.bar.is_some_and(|bar| primary > bar.primary)
    }

    pub(super) fn offer(&mut self, ranked: Ranked) {
        if self.keep == 0 || self.bar.is_some_and(|bar| ranked >= bar) {
            return;
        }
        self.kept.push(ranked);
        if self.kept.len() >= 2 * self.keep {
            self.cut();
        }
    }
}

pub struct CatalogueCollector {
    /// Whether to leave out, per document, the offers that are over (not when the index was
    /// swept today).
    pub check_over: bool,
    /// Days since 1970-01-01 of today: offers whose last day is before are over.
    pub today: i64,
    pub near: Option<Near>,
    pub order: Order,
    pub keep: usize,
    pub facets: FacetsAsked,
}

impl Collector for CatalogueCollector {
    type Fruit = (u64, Vec<Ranked>, FacetCounts);
    type Child = CatalogueSegment;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<CatalogueSegment> {
        let fast = segment.fast_fields();
        Ok(CatalogueSegment {
            segment_ord,
            check_over: self.check_over,
            today: self.today,
            last_day: fast.i64("last_day")?,
            near: self.near.map(Circle::of),
            order: self.order,
            facets: SegmentFacets::open(segment, self.facets)?,
            offer_id: fast.u64("offer_id")?,
            latitude: fast.f64("latitude")?,
            longitude: fast.f64("longitude")?,
            total: 0,
            best: Best::new(self.keep),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut best = Best::new(self.keep);
        let (mut total, mut counts) = (0, FacetCounts::default());
        for (segment_total, kept, segment_counts) in fruits {
            total += segment_total;
            kept.into_iter().for_each(|ranked| best.offer(ranked));
            counts.add(segment_counts);
        }
        Ok((total, best.into_sorted(), counts))
    }
}

impl Found {
    /// From the total, the best (best first) and the facets.
    pub fn of((total, kept, facets): (u64, Vec<Ranked>, FacetCounts)) -> Found {
        Found {
            total,
            best: kept.iter().map(|r| r.offer_id).collect(),
            addresses: kept.iter().map(|r| r.address).collect(),
            facets,
        }
    }
}

pub struct CatalogueSegment {
    segment_ord: SegmentOrdinal,
    check_over: bool,
    today: i64,
    last_day: Column<i64>,
    near: Option<Circle>,
    order: Order,
    facets: SegmentFacets,
    offer_id: Column<u64>,
    latitude: Column<f64>,
    longitude: Column<f64>,
    total: u64,
    best: Best,
}

impl CatalogueSegment {
    /// A document of the query that is not over, with its place when the search has one.
    fn take(&mut self, doc: DocId, point: Option<(f64, f64)>) {
        let distance = match (&self.near, point) {
            (Some(circle), Some(point)) => {
                match circle.distance_within(point, |d| self.best.beaten(d)) {
                    Some(metres) => metres,
                    None => return,
                }
            }
            (Some(_), None) => return,
            (None, _) => 0.0,
        };
        self.total += 1;
        self.facets.add(doc);
        let primary = match self.order {
            Order::Nearest => distance,
            Order::Relevance | Order::Newest => 0.0,
        };
        if self.best.beaten(primary) {
            return;
        }
        let offer_id = self.offer_id.first(doc).unwrap_or_default();
        let address = DocAddress::new(self.segment_ord, doc);
        self.best.offer(Ranked {
            primary,
            offer_id,
            address,
        });
    }

    fn is_over(&self, last_day: Option<i64>) -> bool {
        self.check_over && last_day.is_none_or(|day| day < self.today)
    }
}

impl SegmentCollector for CatalogueSegment {
    type Fruit = (u64, Vec<Ranked>, FacetCounts);

    /// One document (segments with deleted documents come one by one).
    fn collect(&mut self, doc: DocId, _: Score) {
        if self.check_over && self.is_over(self.last_day.first(doc)) {
            return;
        }
        let point = match self.near {
            Some(_) => self.latitude.first(doc).zip(self.longitude.first(doc)),
            None => None,
        };
        self.take(doc, point);
    }

    /// A block of documents: their last days and places read together.
    fn collect_block(&mut self, docs: &[DocId]) {
        const BLOCK: usize = COLLECT_BLOCK_BUFFER_LEN;
        for docs in docs.chunks(BLOCK) {
            let n = docs.len();
            let mut last_days = [None; BLOCK];
            if self.check_over {
                self.last_day.first_vals(docs, &mut last_days[..n]);
            }
            let (mut latitudes, mut longitudes) = ([None; BLOCK], [None; BLOCK]);
            if self.near.is_some() {
                self.latitude.first_vals(docs, &mut latitudes[..n]);
                self.longitude.first_vals(docs, &mut longitudes[..n]);
            }
            for (i, doc) in docs.iter().enumerate() {
                if !self.is_over(last_days[i]) {
                    self.take(*doc, latitudes[i].zip(longitudes[i]));
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        (
            self.total,
            self.best.into_sorted(),
            self.facets.harvest(self.total),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_best_with_ties_newest_first() {
        let mut best = Best::new(2);
        for (primary, offer_id) in [(3.0, 1), (1.0, 2), (1.0, 5), (2.0, 9)] {
            best.offer(Ranked {
                primary,
                offer_id,
                address: DocAddress::new(0, 0),
            });
        }
        let found = Found::of((4, best.into_sorted(), FacetCounts::default()));
        assert_eq!(found.best, [5, 2]);
    }

    #[test]
    fn keeps_the_same_best_as_a_full_sort() {
        let all: Vec<Ranked> = (1..=1_000u64)
            .map(|offer_id| Ranked {
                primary: ((offer_id * 7_919) % 13) as f64,
                offer_id,
                address: DocAddress::new(0, offer_id as u32),
            })
            .collect();
        for keep in [1, 30, 90, 999, 1_000, 1_500] {
            let mut best = Best::new(keep);
            all.iter().for_each(|r| best.offer(*r));
            let mut sorted = all.clone();
            sorted.sort();
            sorted.truncate(keep);
            let ids = |v: Vec<Ranked>| v.into_iter().map(|r| r.offer_id).collect::<Vec<_>>();
            assert_eq!(ids(best.into_sorted()), ids(sorted), "keep {keep}");
        }
    }
}
