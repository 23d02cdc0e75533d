//! One pass over the matching documents: counts them all exactly, keeps the best `keep` in the
//! order asked (nearest, most relevant or newest, ties newest first), and counts the facets.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentReader};

pub use crate::domain::catalogue::FacetsAsked;
use crate::domain::geo::Near;

/// The order of a search's results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Order {
    Nearest,
    Relevance,
    Newest,
}

/// Counts per value, over the whole match set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacetCounts {
    pub sector: HashMap<u64, u64>,
    pub week: HashMap<u64, u64>,
    pub department: HashMap<u64, u64>,
}

/// What a search found: the exact total, the best offers (ids, best first) and the facets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub total: u64,
    pub best: Vec<u64>,
    pub facets: FacetCounts,
}

/// A kept document: smaller `primary` is better, then the newest (largest id).
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    primary: f64,
    offer_id: u64,
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

/// The best `keep` documents seen: a max-heap whose top is the worst kept.
#[derive(Default)]
struct Best {
    keep: usize,
    heap: BinaryHeap<Ranked>,
}

impl Best {
    /// Whether a document of this primary key cannot enter, whatever its id (cheap test
    /// before reading the id).
    fn beaten(&self, primary: f64) -> bool {
        self.keep == 0
            || (self.heap.len() >= self.keep
                && self
                    .heap
                    .peek()
                    .is_some_and(|worst| primary > worst.primary))
    }

    fn offer(&mut self, ranked: Ranked) {
        if self.keep == 0 {
            return;
        }
        if self.heap.len() < self.keep {
            self.heap.push(ranked);
        } else if self.heap.peek().is_some_and(|worst| ranked < *worst) {
            self.heap.pop();
            self.heap.push(ranked);
        }
    }
}

pub struct CatalogueCollector {
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

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<CatalogueSegment> {
        let fast = segment.fast_fields();
        Ok(CatalogueSegment {
            today: self.today,
            last_day: fast.i64("last_day")?,
            near: self.near.map(Circle::of),
            order: self.order,
            facets: self.facets,
            offer_id: fast.u64("offer_id")?,
            latitude: fast.f64("latitude")?,
            longitude: fast.f64("longitude")?,
            sector: fast.u64("sector")?,
            department: fast.u64("department")?,
            weeks: fast.u64("weeks")?,
            total: 0,
            best: Best {
                keep: self.keep,
                heap: BinaryHeap::new(),
            },
            counts: DenseCounts::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.order == Order::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut best = Best {
            keep: self.keep,
            heap: BinaryHeap::new(),
        };
        let (mut total, mut counts) = (0, FacetCounts::default());
        for (segment_total, kept, segment_counts) in fruits {
            total += segment_total;
            kept.into_iter().for_each(|ranked| best.offer(ranked));
            for (all, some) in [
                (&mut counts.sector, segment_counts.sector),
                (&mut counts.week, segment_counts.week),
                (&mut counts.department, segment_counts.department),
            ] {
                some.into_iter()
                    .for_each(|(value, n)| *all.entry(value).or_default() += n);
            }
        }
        Ok((total, best.heap.into_vec(), counts))
    }
}

impl Found {
    pub fn of((total, mut kept, facets): (u64, Vec<Ranked>, FacetCounts)) -> Found {
        kept.sort();
        Found {
            total,
            best: kept.into_iter().map(|r| r.offer_id).collect(),
            facets,
        }
    }
}

pub struct CatalogueSegment {
    today: i64,
    last_day: Column<i64>,
    near: Option<Circle>,
    order: Order,
    facets: FacetsAsked,
    offer_id: Column<u64>,
    latitude: Column<f64>,
    longitude: Column<f64>,
    sector: Column<u64>,
    department: Column<u64>,
    weeks: Column<u64>,
    total: u64,
    best: Best,
    counts: DenseCounts,
}

/// Facet counts while collecting: sectors and weeks by id in vectors (their ids are small),
/// departments in a short list (a search rarely spans many).
#[derive(Default)]
struct DenseCounts {
    sector: Vec<u64>,
    week: Vec<u64>,
    department: Vec<(u64, u64)>,
}

fn bump(counts: &mut Vec<u64>, value: u64) {
    let index = value as usize;
    if index >= counts.len() {
        counts.resize(index + 1, 0);
    }
    counts[index] += 1;
}

impl DenseCounts {
    fn into_counts(self) -> FacetCounts {
        let sparse = |dense: Vec<u64>| {
            let present = dense.into_iter().enumerate().filter(|(_, n)| *n > 0);
            present.map(|(value, n)| (value as u64, n)).collect()
        };
        FacetCounts {
            sector: sparse(self.sector),
            week: sparse(self.week),
            department: self.department.into_iter().collect(),
        }
    }
}

impl CatalogueSegment {
    /// The distance to the search point when the document is within its radius: exact near
    /// the border, else the flat approximation decides (it is within 1 % at these scales).
    fn distance(&self, doc: DocId, circle: &Circle) -> Option<f64> {
        let point = (self.latitude.first(doc)?, self.longitude.first(doc)?);
        if circle.flat {
            let approximate = circle.flat_distance_m(point);
            if approximate > circle.near.radius_m * 1.02 {
                return None;
            }
            if approximate < circle.near.radius_m * 0.98 && self.best.beaten(approximate * 0.98) {
                return Some(approximate);
            }
        }
        let exact = sphere_distance_m((circle.near.latitude, circle.near.longitude), point);
        (exact <= circle.near.radius_m).then_some(exact)
    }

    fn count_facets(&mut self, doc: DocId) {
        if self.facets.sector
            && let Some(sector) = self.sector.first(doc)
        {
            bump(&mut self.counts.sector, sector);
        }
        if self.facets.department
            && let Some(department) = self.department.first(doc)
        {
            match self
                .counts
                .department
                .iter_mut()
                .find(|(d, _)| *d == department)
            {
                Some((_, n)) => *n += 1,
                None => self.counts.department.push((department, 1)),
            }
        }
        if self.facets.week {
            for week in self.weeks.values_for_doc(doc) {
                bump(&mut self.counts.week, week);
            }
        }
    }
}

impl SegmentCollector for CatalogueSegment {
    type Fruit = (u64, Vec<Ranked>, FacetCounts);

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.last_day.first(doc).is_none_or(|day| day < self.today) {
            return;
        }
        let distance = match &self.near {
            Some(circle) => match self.distance(doc, circle) {
                Some(metres) => metres,
                None => return,
            },
            None => 0.0,
        };
        self.total += 1;
        self.count_facets(doc);
        let primary = match self.order {
            Order::Nearest => distance,
            Order::Relevance => -f64::from(score),
            Order::Newest => 0.0,
        };
        if self.best.beaten(primary) {
            return;
        }
        let offer_id = self.offer_id.first(doc).unwrap_or_default();
        self.best.offer(Ranked { primary, offer_id });
    }

    fn harvest(self) -> Self::Fruit {
        (
            self.total,
            self.best.heap.into_vec(),
            self.counts.into_counts(),
        )
    }
}

/// A search circle, with what the flat approximation of distances needs.
#[derive(Debug, Clone, Copy)]
struct Circle {
    near: Near,
    metres_per_degree_lon: f64,
    /// Whether the flat approximation holds (within 2 %): small circles away from the poles.
    flat: bool,
}

impl Circle {
    fn of(near: Near) -> Circle {
        Circle {
            near,
            metres_per_degree_lon: METRES_PER_DEGREE * near.latitude.to_radians().cos(),
            flat: near.radius_m <= 200_000.0 && near.latitude.abs() < 75.0,
        }
    }

    /// The equirectangular distance: no trigonometry per document.
    fn flat_distance_m(&self, (latitude, longitude): (f64, f64)) -> f64 {
        let dy = (latitude - self.near.latitude) * METRES_PER_DEGREE;
        let mut dlon = (longitude - self.near.longitude).abs();
        if dlon > 180.0 {
            dlon = 360.0 - dlon;
        }
        let dx = dlon * self.metres_per_degree_lon;
        (dx * dx + dy * dy).sqrt()
    }
}

/// Metres per degree of latitude on the sphere of `EARTH_RADIUS_M`.
const METRES_PER_DEGREE: f64 = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// The mean radius PostGIS uses for distances on the sphere, in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.771_415_059;

/// The great-circle distance between two points, in metres (haversine).
pub fn sphere_distance_m((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let half_dphi = (phi2 - phi1) / 2.0;
    let half_dlambda = (lon2 - lon1).to_radians() / 2.0;
    let a = half_dphi.sin().powi(2) + phi1.cos() * phi2.cos() * half_dlambda.sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_best_with_ties_newest_first() {
        let mut best = Best {
            keep: 2,
            heap: BinaryHeap::new(),
        };
        for (primary, offer_id) in [(3.0, 1), (1.0, 2), (1.0, 5), (2.0, 9)] {
            best.offer(Ranked { primary, offer_id });
        }
        let found = Found::of((4, best.heap.into_vec(), FacetCounts::default()));
        assert_eq!(found.best, [5, 2]);
    }

    #[test]
    fn distances_are_on_the_sphere() {
        let paris = (48.8566, 2.3522);
        let versailles = (48.8049, 2.1204);
        let metres = sphere_distance_m(paris, versailles);
        assert!((17_800.0..18_100.0).contains(&metres), "{metres}");
        assert_eq!(sphere_distance_m(paris, paris), 0.0);
        let circle = Circle::of(Near {
            latitude: paris.0,
            longitude: paris.1,
            radius_m: 50_000.0,
        });
        let flat = circle.flat_distance_m(versailles);
        assert!((flat - metres).abs() < metres * 0.005, "{flat} vs {metres}");
    }
}
