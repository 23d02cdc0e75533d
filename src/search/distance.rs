//! Distances for the geo search: on the sphere (as PostGIS's geography), and a flat
//! approximation that decides most documents without trigonometry.

use crate::domain::geo::Near;

/// A search circle, with what the flat approximation of distances needs.
#[derive(Debug, Clone, Copy)]
pub struct Circle {
    pub near: Near,
    metres_per_degree_lon: f64,
    /// Whether the flat approximation holds (within 2 %): small circles away from the poles.
    pub flat: bool,
}

impl Circle {
    pub fn of(near: Near) -> Circle {
        Circle {
            near,
            metres_per_degree_lon: METRES_PER_DEGREE * near.latitude.to_radians().cos(),
            flat: near.radius_m <= 200_000.0 && near.latitude.abs() < 75.0,
        }
    }

    /// The distance to `point` when it is within the radius: exact near the border, else the
    /// flat approximation decides when `beaten` says a point that far cannot enter the page
    /// anyway (the approximation is within 1 % at these scales).
    pub fn distance_within(&self, point: (f64, f64), beaten: impl Fn(f64) -> bool) -> Option<f64> {
        if self.flat {
            let approximate = self.flat_distance_m(point);
            if approximate > self.near.radius_m * 1.02 {
                return None;
            }
            if approximate < self.near.radius_m * 0.98 && beaten(approximate * 0.98) {
                return Some(approximate);
            }
        }
        let exact = sphere_distance_m((self.near.latitude, self.near.longitude), point);
        (exact <= self.near.radius_m).then_some(exact)
    }

    /// The equirectangular distance: no trigonometry per document.
    pub fn flat_distance_m(&self, (latitude, longitude): (f64, f64)) -> f64 {
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
