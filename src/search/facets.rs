//! Facet counts over a search's whole match set. Departments are counted as matches come.
//! Sectors and weeks are counted once a segment's matches are all known: per match when they
//! are few, else by walking each sector's and each week's postings (the index already groups
//! documents by them) against the set of matches, which reads no per-document values.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::query::BitSetDocSet;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    COLLECT_BLOCK_BUFFER_LEN, DocId, DocSet, InvertedIndexReader, SegmentReader, TERMINATED,
};
use tantivy_common::BitSet;

pub use crate::domain::catalogue::FacetsAsked;

/// Counts per value, over the whole match set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacetCounts {
    pub sector: HashMap<u64, u64>,
    pub week: HashMap<u64, u64>,
    pub department: HashMap<u64, u64>,
}

impl FacetCounts {
    pub fn add(&mut self, other: FacetCounts) {
        for (all, some) in [
            (&mut self.sector, other.sector),
            (&mut self.week, other.week),
            (&mut self.department, other.department),
        ] {
            some.into_iter()
                .for_each(|(value, n)| *all.entry(value).or_default() += n);
        }
    }
}

/// Beyond one match in this many documents, sectors and weeks are counted from postings.
const POSTINGS_FROM_ONE_IN: u64 = 16;

/// A multi-valued facet: its values and, by value, its documents.
struct Facet {
    values: Column<u64>,
    postings: Arc<InvertedIndexReader>,
}

/// Counts by department: an open-addressing table (France has about a hundred departments,
/// whose codes are sparse numbers).
struct DepartmentCounts {
    slots: Vec<(u64, u64)>,
}

impl DepartmentCounts {
    const SLOTS: usize = 512;

    fn new() -> DepartmentCounts {
        DepartmentCounts { slots: vec![] }
    }

    fn bump(&mut self, department: u64) {
        if self.slots.is_empty() {
            self.slots = vec![(u64::MAX, 0); Self::SLOTS];
        }
        let mut slot = (department.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 55) as usize;
        for _ in 0..Self::SLOTS {
            match &mut self.slots[slot] {
                (key, n) if *key == department => return *n += 1,
                (key, n) if *key == u64::MAX => return (*key, *n) = (department, 1),
                _ => slot = (slot + 1) % Self::SLOTS,
            }
        }
    }

    fn into_counts(self) -> HashMap<u64, u64> {
        self.slots.into_iter().filter(|(_, n)| *n > 0).collect()
    }
}

/// One segment's facet counting.
pub struct SegmentFacets {
    asked: FacetsAsked,
    department: Column<u64>,
    departments: DepartmentCounts,
    /// Matches whose department is still to be read (read in blocks).
    pending: Vec<DocId>,
    sector: Facet,
    week: Facet,
    /// The matches, when sectors or weeks are asked.
    matched: Option<BitSet>,
}

impl SegmentFacets {
    pub fn open(reader: &SegmentReader, asked: FacetsAsked) -> tantivy::Result<SegmentFacets> {
        let fast = reader.fast_fields();
        let facet = |name: &str| -> tantivy::Result<Facet> {
            Ok(Facet {
                values: fast.u64(name)?,
                postings: reader.inverted_index(reader.schema().get_field(name)?)?,
            })
        };
        Ok(SegmentFacets {
            asked,
            department: fast.u64("department")?,
            departments: DepartmentCounts::new(),
            pending: Vec::with_capacity(COLLECT_BLOCK_BUFFER_LEN),
            sector: facet("sector")?,
            week: facet("weeks")?,
            matched: (asked.sector || asked.week).then(|| BitSet::with_max_value(reader.max_doc())),
        })
    }

    /// A match.
    pub fn add(&mut self, doc: DocId) {
        if let Some(matched) = &mut self.matched {
            matched.insert(doc);
        }
        if self.asked.department {
            self.pending.push(doc);
            if self.pending.len() == COLLECT_BLOCK_BUFFER_LEN {
                self.count_departments();
            }
        }
    }

    fn count_departments(&mut self) {
        let mut values = [None; COLLECT_BLOCK_BUFFER_LEN];
        let values = &mut values[..self.pending.len()];
        self.department.first_vals(&self.pending, values);
        values
            .iter()
            .flatten()
            .for_each(|d| self.departments.bump(*d));
        self.pending.clear();
    }

    /// The counts, once the segment's `matches` have all been added.
    pub fn harvest(mut self, matches: u64) -> FacetCounts {
        self.count_departments();
        let mut counts = FacetCounts {
            department: self.departments.into_counts(),
            ..FacetCounts::default()
        };
        let Some(matched) = self.matched else {
            return counts;
        };
        let many = matches * POSTINGS_FROM_ONE_IN > u64::from(matched.max_value());
        for (asked, facet, into) in [
            (self.asked.sector, &self.sector, &mut counts.sector),
            (self.asked.week, &self.week, &mut counts.week),
        ] {
            if asked {
                let by_postings = many
                    .then(|| facet.count_by_postings(&matched))
                    .and_then(Result::ok);
                *into = by_postings.unwrap_or_else(|| facet.count_by_document(&matched));
            }
        }
        counts
    }
}

impl Facet {
    fn count_by_document(&self, matched: &BitSet) -> HashMap<u64, u64> {
        let mut counts = vec![];
        let mut docs = BitSetDocSet::from(matched.clone());
        while docs.doc() != TERMINATED {
            for value in self.values.values_for_doc(docs.doc()) {
                let index = value as usize;
                if index >= counts.len() {
                    counts.resize(index + 1, 0);
                }
                counts[index] += 1;
            }
            docs.advance();
        }
        let present = counts.into_iter().enumerate().filter(|(_, n)| *n > 0);
        present.map(|(value, n)| (value as u64, n)).collect()
    }

    fn count_by_postings(&self, matched: &BitSet) -> std::io::Result<HashMap<u64, u64>> {
        let mut counts = HashMap::new();
        let mut terms = self.postings.terms().stream()?;
        while terms.advance() {
            let Ok(bytes) = <[u8; 8]>::try_from(terms.key()) else {
                continue;
            };
            let mut postings = self
                .postings
                .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            let mut n = 0;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                n += u64::from(matched.contains(doc));
                doc = postings.advance();
            }
            if n > 0 {
                counts.insert(u64::from_be_bytes(bytes), n);
            }
        }
        Ok(counts)
    }
}
