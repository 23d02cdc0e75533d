//! The most relevant offers of a keyword search, without scoring every match.
//!
//! Every match satisfies every required clause of the query, and those clauses (the words as
//! prefixes, sectors, weeks) give each match the same constant score: matches differ only by
//! the BM25 scores of the exact words they contain. So the best are found by block-max WAND
//! over the exact words' postings, which skips the blocks that cannot beat the worst kept
//! offer; each candidate is checked against the whole query (its no-score document set) and
//! against the offers that are over. When fewer candidates than asked contain an exact word,
//! the other matches follow, newest first. Ties are broken newest first, as everywhere.

use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{
    COLLECT_BLOCK_BUFFER_LEN, DocAddress, DocId, DocSet, Score, Searcher, SegmentReader,
};
use tantivy_common::BitSet;

use super::collector::{Best, Ranked};

/// The best `keep` matches of `matching`, by the summed BM25 of the `exact` words.
pub fn best(
    searcher: &Searcher,
    matching: &dyn Query,
    exact: Option<&dyn Query>,
    over_before: Option<i64>,
    keep: usize,
) -> tantivy::Result<Vec<Ranked>> {
    let mut best = Best::new(keep);
    if keep == 0 {
        return Ok(vec![]);
    }
    let matching = matching.weight(EnableScoring::disabled_from_searcher(searcher))?;
    // By segment: the documents already offered, which the newest-first fill must skip.
    let mut scored: Vec<BitSet> = searcher
        .segment_readers()
        .iter()
        .map(|reader| BitSet::with_max_value(reader.max_doc()))
        .collect();
    if let Some(exact) = exact {
        let exact = exact.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let segments = searcher.segment_readers().iter().zip(&mut scored);
        for (ord, (reader, scored)) in (0..).zip(segments) {
            let segment = Segment::open(reader, over_before)?;
            let mut members = matching.scorer(reader, 1.0)?;
            let start = threshold(&best);
            let mut callback = |doc: DocId, score: Score| {
                // Candidates come in doc order: the members' cursor only moves forward.
                let member = members.doc() <= doc && members.seek(doc) == doc;
                if member && segment.is_live(doc) {
                    scored.insert(doc);
                    best.offer(Ranked {
                        primary: -f64::from(score),
                        offer_id: segment.offer_id(doc),
                        address: DocAddress::new(ord, doc),
                    });
                }
                threshold(&best)
            };
            exact.for_each_pruning(start, reader, &mut callback)?;
        }
    }
    if !best.is_full() {
        fill_newest(searcher, matching.as_ref(), &scored, over_before, &mut best)?;
    }
    Ok(best.into_sorted())
}

/// The score a candidate must exceed: just under the worst kept one, so that ties still come
/// (the newest of them wins).
fn threshold(best: &Best) -> Score {
    match best.bar() {
        Some(bar) => (-bar.primary as Score).next_down(),
        None => Score::MIN,
    }
}

/// Adds the matches without an exact word (score 0), newest first.
fn fill_newest(
    searcher: &Searcher,
    matching: &dyn Weight,
    scored: &[BitSet],
    over_before: Option<i64>,
    best: &mut Best,
) -> tantivy::Result<()> {
    const BLOCK: usize = COLLECT_BLOCK_BUFFER_LEN;
    let segments = searcher.segment_readers().iter().zip(scored);
    for (ord, (reader, scored)) in (0..).zip(segments) {
        let segment = Segment::open(reader, over_before)?;
        matching.for_each_no_score(reader, &mut |docs| {
            for docs in docs.chunks(BLOCK) {
                let (mut last_days, mut offer_ids) = ([None; BLOCK], [None; BLOCK]);
                if over_before.is_some() {
                    segment
                        .last_day
                        .first_vals(docs, &mut last_days[..docs.len()]);
                }
                segment
                    .offer_id
                    .first_vals(docs, &mut offer_ids[..docs.len()]);
                for (i, doc) in docs.iter().enumerate() {
                    let not_over =
                        over_before.is_none_or(|today| last_days[i].is_some_and(|d| d >= today));
                    let live = segment.is_alive(*doc) && not_over;
                    if live && !scored.contains(*doc) {
                        best.offer(Ranked {
                            primary: 0.0,
                            offer_id: offer_ids[i].unwrap_or_default(),
                            address: DocAddress::new(ord, *doc),
                        });
                    }
                }
            }
        })?;
    }
    Ok(())
}

/// What a candidate of a segment is checked with.
struct Segment<'a> {
    reader: &'a SegmentReader,
    /// Offers whose last day is before are over (None: the index holds none).
    over_before: Option<i64>,
    last_day: tantivy::columnar::Column<i64>,
    offer_id: tantivy::columnar::Column<u64>,
}

impl<'a> Segment<'a> {
    fn open(reader: &'a SegmentReader, over_before: Option<i64>) -> tantivy::Result<Segment<'a>> {
        let fast = reader.fast_fields();
        Ok(Segment {
            reader,
            over_before,
            last_day: fast.i64("last_day")?,
            offer_id: fast.u64("offer_id")?,
        })
    }

    /// Not deleted from the index, and not over.
    fn is_live(&self, doc: DocId) -> bool {
        self.is_alive(doc)
            && self
                .over_before
                .is_none_or(|today| self.last_day.first(doc).is_some_and(|day| day >= today))
    }

    fn is_alive(&self, doc: DocId) -> bool {
        self.reader.alive_bitset().is_none_or(|a| a.is_alive(doc))
    }

    fn offer_id(&self, doc: DocId) -> u64 {
        self.offer_id.first(doc).unwrap_or_default()
    }
}
