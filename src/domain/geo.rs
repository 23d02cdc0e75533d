//! A place on Earth as partners send it ({latitude, longitude}) and as PostGIS stores it.

use geo_types::Point;

pub const SRID_WGS84: u32 = 4326;

/// A validated WGS 84 position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoPoint(Point<f64>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoPointError {
    LatitudeOutOfRange,
    LongitudeOutOfRange,
    /// A zero component: the original API treats it as missing.
    Zero,
}

impl GeoPoint {
    pub fn new(latitude: f64, longitude: f64) -> Result<GeoPoint, GeoPointError> {
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(GeoPointError::LatitudeOutOfRange);
        }
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(GeoPointError::LongitudeOutOfRange);
        }
        if latitude == 0.0 || longitude == 0.0 {
            return Err(GeoPointError::Zero);
        }
        Ok(GeoPoint(Point::new(longitude, latitude)))
    }

    pub fn latitude(&self) -> f64 {
        self.0.y()
    }

    pub fn longitude(&self) -> f64 {
        self.0.x()
    }

    /// The stored form: x = longitude, y = latitude, SRID 4326.
    pub fn to_postgis(self) -> postgis_diesel::types::Point {
        postgis_diesel::types::Point::new(self.longitude(), self.latitude(), Some(SRID_WGS84))
    }

    pub fn from_postgis(point: &postgis_diesel::types::Point) -> GeoPoint {
        GeoPoint(Point::new(point.x, point.y))
    }
}

/// A search point and radius in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range_and_zero_instead_of_clamping() {
        assert_eq!(
            GeoPoint::new(91.0, 2.0),
            Err(GeoPointError::LatitudeOutOfRange)
        );
        assert_eq!(
            GeoPoint::new(48.0, -180.5),
            Err(GeoPointError::LongitudeOutOfRange)
        );
        assert_eq!(GeoPoint::new(0.0, 2.0), Err(GeoPointError::Zero));
        let paris = GeoPoint::new(48.8566, 2.3522).map(GeoPoint::to_postgis);
        assert_eq!(
            paris.map(|p| (p.x, p.y, p.srid)),
            Ok((2.3522, 48.8566, Some(4326)))
        );
    }
}
