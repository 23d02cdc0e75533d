//! What a catalogue search may ask for besides its offers.

/// The facets a search counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FacetsAsked {
    pub sector: bool,
    pub week: bool,
    pub department: bool,
}

impl FacetsAsked {
    pub fn any(&self) -> bool {
        self.sector || self.week || self.department
    }
}
