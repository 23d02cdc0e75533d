//! A search by place alone, cell by cell, nearest cells first. Once the page is settled (its
//! farthest offer is nearer than any point of a cell), a cell wholly inside the circle is
//! counted from its postings without reading a document; the other cells are read as the
//! collector reads them. Used when the index holds no ended offer (swept today) and no facet
//! is asked, so that counting needs no per-document value.

use tantivy::schema::IndexRecordOption;
use tantivy::{
    COLLECT_BLOCK_BUFFER_LEN, DocAddress, DocId, DocSet, Searcher, SegmentOrdinal, SegmentReader,
    TERMINATED, Term,
};

use super::collector::{Best, Ranked};
use super::distance::{Circle, sphere_distance_m};
use super::schema::{CELL_DEGREES, Fields, cell_key};

/// A cell of the grid, with bounds on the distances of its points to the search point.
struct Cell {
    key: String,
    /// No point of the cell is nearer (a lower bound).
    nearest_m: f64,
    /// Every point of the cell is within the radius.
    inside: bool,
}

impl Cell {
    fn of((lat_cell, lon_cell): (i64, i64), circle: &Circle) -> Cell {
        let (south, west) = (
            lat_cell as f64 * CELL_DEGREES,
            lon_cell as f64 * CELL_DEGREES,
        );
        let (north, east) = (south + CELL_DEGREES, west + CELL_DEGREES);
        let centre = (circle.near.latitude, circle.near.longitude);
        let closest = (centre.0.clamp(south, north), centre.1.clamp(west, east));
        let farthest = [(south, west), (south, east), (north, west), (north, east)]
            .into_iter()
            .map(|corner| sphere_distance_m(centre, corner))
            .fold(0.0, f64::max);
        // Margins: on the sphere, the nearest and farthest points of a small cell are the
        // clamped point and a corner to well within 1 %.
        Cell {
            key: cell_key(lat_cell, lon_cell),
            nearest_m: sphere_distance_m(centre, closest) * 0.99 - 10.0,
            inside: farthest * 1.01 + 10.0 <= circle.near.radius_m,
        }
    }
}

/// Beyond this many cells, the documents per cell are not weighed (the collector reads all).
const MAX_WEIGHED_CELLS: usize = 600;

/// The cells of a search by place, nearest first, when reading cell by cell pays: the
/// documents it would read (the cells crossing the border, and the nearest cells until they
/// hold the page) must be well under all the documents of the cells, since a document read
/// cell by cell costs about twice as much as in the collector's single pass in document order.
pub struct Plan(Vec<Cell>);

impl Plan {
    pub fn of(
        searcher: &Searcher,
        fields: &Fields,
        circle: &Circle,
        cells: &[(i64, i64)],
        keep: usize,
    ) -> tantivy::Result<Option<Plan>> {
        if cells.len() > MAX_WEIGHED_CELLS {
            return Ok(None);
        }
        let postings = searcher
            .segment_readers()
            .iter()
            .map(|reader| reader.inverted_index(fields.cell))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut weighed = vec![];
        for cell in cells.iter().map(|c| Cell::of(*c, circle)) {
            let term = Term::from_field_text(fields.cell, &cell.key);
            let mut docs = 0;
            for segment in &postings {
                let info = segment.get_term_info(&term)?;
                docs += info.map_or(0, |info| u64::from(info.doc_freq));
            }
            weighed.push((cell, docs));
        }
        weighed.sort_by(|a, b| a.0.nearest_m.total_cmp(&b.0.nearest_m));
        let all: u64 = weighed.iter().map(|(_, docs)| docs).sum();
        let (mut read, mut seen) = (0, 0);
        for (cell, docs) in &weighed {
            if !cell.inside || seen < keep as u64 {
                read += docs;
            }
            seen += docs;
        }
        let cells = weighed.into_iter().map(|(cell, _)| cell).collect();
        Ok((read * 2 < all).then_some(Plan(cells)))
    }

    /// The total within the circle and the best `keep`, nearest first.
    pub fn best(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        circle: &Circle,
        keep: usize,
    ) -> tantivy::Result<(u64, Vec<Ranked>)> {
        let mut best = Best::new(keep);
        let mut total = 0;
        for (ord, reader) in (0..).zip(searcher.segment_readers()) {
            let mut segment = Segment::open(reader, ord, fields, circle)?;
            for cell in &self.0 {
                let settled = best
                    .settle()
                    .is_some_and(|bar| cell.nearest_m > bar.primary);
                let term = Term::from_field_text(fields.cell, &cell.key);
                total += if cell.inside && (settled || keep == 0) {
                    segment.count(&term)?
                } else {
                    segment.read(&term, &mut best)?
                };
            }
        }
        Ok((total, best.into_sorted()))
    }
}

/// One segment's postings of cells and the fast fields a read needs.
struct Segment<'a> {
    reader: &'a SegmentReader,
    ord: SegmentOrdinal,
    circle: &'a Circle,
    postings: std::sync::Arc<tantivy::InvertedIndexReader>,
    latitude: tantivy::columnar::Column<f64>,
    longitude: tantivy::columnar::Column<f64>,
    offer_id: tantivy::columnar::Column<u64>,
}

impl<'a> Segment<'a> {
    fn open(
        reader: &'a SegmentReader,
        ord: SegmentOrdinal,
        fields: &Fields,
        circle: &'a Circle,
    ) -> tantivy::Result<Segment<'a>> {
        let fast = reader.fast_fields();
        let cell = fields.cell;
        Ok(Segment {
            reader,
            ord,
            circle,
            postings: reader.inverted_index(cell)?,
            latitude: fast.f64("latitude")?,
            longitude: fast.f64("longitude")?,
            offer_id: fast.u64("offer_id")?,
        })
    }

    /// The live documents of a cell, counted without reading them.
    fn count(&self, term: &Term) -> tantivy::Result<u64> {
        let Some(info) = self.postings.get_term_info(term)? else {
            return Ok(0);
        };
        let Some(alive) = self.reader.alive_bitset() else {
            return Ok(u64::from(info.doc_freq));
        };
        let mut docs = self
            .postings
            .read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
        let mut n = 0;
        while docs.doc() != TERMINATED {
            n += u64::from(alive.is_alive(docs.doc()));
            docs.advance();
        }
        Ok(n)
    }

    /// The live documents of a cell within the circle, offered to `best`; how many they are.
    fn read(&mut self, term: &Term, best: &mut Best) -> tantivy::Result<u64> {
        let Some(mut docs) = self
            .postings
            .read_postings(term, IndexRecordOption::Basic)?
        else {
            return Ok(0);
        };
        let mut buffer = [0; COLLECT_BLOCK_BUFFER_LEN];
        let mut n = 0;
        loop {
            let filled = docs.fill_buffer(&mut buffer);
            let block = &mut buffer[..filled];
            match self.reader.alive_bitset() {
                None => n += self.read_block(block, best),
                Some(alive) => {
                    let live: Vec<DocId> = block
                        .iter()
                        .copied()
                        .filter(|d| alive.is_alive(*d))
                        .collect();
                    n += self.read_block(&live, best);
                }
            }
            if filled < COLLECT_BLOCK_BUFFER_LEN {
                return Ok(n);
            }
        }
    }

    fn read_block(&self, docs: &[DocId], best: &mut Best) -> u64 {
        const BLOCK: usize = COLLECT_BLOCK_BUFFER_LEN;
        let (mut latitudes, mut longitudes) = ([None; BLOCK], [None; BLOCK]);
        self.latitude.first_vals(docs, &mut latitudes[..docs.len()]);
        self.longitude
            .first_vals(docs, &mut longitudes[..docs.len()]);
        let mut n = 0;
        for (i, doc) in docs.iter().enumerate() {
            let Some(point) = latitudes[i].zip(longitudes[i]) else {
                continue;
            };
            let Some(distance) = self.circle.distance_within(point, |d| best.beaten(d)) else {
                continue;
            };
            n += 1;
            if !best.beaten(distance) {
                best.offer(Ranked {
                    primary: distance,
                    offer_id: self.offer_id.first(*doc).unwrap_or_default(),
                    address: DocAddress::new(self.ord, *doc),
                });
            }
        }
        n
    }
}
