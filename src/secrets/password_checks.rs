//! Password verification for sign-ins, bounded. Each argon2id check works in 19 MiB: at most
//! `running` checks run at once, each in a memory area allocated once and reused, and at most
//! `waiting` more queue; beyond that the caller is told to come back later. So a flood of
//! sign-ins costs a fixed amount of memory and never more than `running` cores.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

use super::password::dummy_hash;

/// Sign-ins that may wait for a password check while others run.
pub const SIGN_IN_QUEUE: usize = 32;

/// Too many checks are running or waiting: try again in a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks at once")]
pub struct Busy;

pub struct PasswordChecks {
    running: Semaphore,
    admitted: Semaphore,
    areas: Mutex<Vec<Vec<Block>>>,
    /// Checks running now, and the most that ever ran at once.
    active: AtomicUsize,
    peak: AtomicUsize,
    /// Checks run since the start.
    runs: AtomicUsize,
}

impl PasswordChecks {
    pub fn new(running: usize, waiting: usize) -> PasswordChecks {
        let running = running.max(1);
        PasswordChecks {
            running: Semaphore::new(running),
            admitted: Semaphore::new(running + waiting),
            areas: Mutex::new(vec![]),
            active: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            runs: AtomicUsize::new(0),
        }
    }

    /// How many checks have run.
    pub fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }

    /// The most checks that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Whether `password` matches `stored`. Without a stored hash (unknown email, no password
    /// yet), a dummy hash is checked anyway so that the answer takes the same time.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, Busy> {
        let _admitted = self.admitted.try_acquire().map_err(|_| Busy)?;
        let _running = self.running.acquire().await.map_err(|_| Busy)?;
        let mut area = self.take_area();
        let now = self.active.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        self.runs.fetch_add(1, Ordering::SeqCst);
        let checked = tokio::task::spawn_blocking(move || {
            let real = stored.is_some();
            let phc = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let matches = verify_in(&password, &phc, &mut area);
            (real && matches, area)
        })
        .await;
        self.active.fetch_sub(1, Ordering::SeqCst);
        let (matches, area) = checked.map_err(|_| Busy)?;
        self.give_back(area);
        Ok(matches)
    }

    fn take_area(&self) -> Vec<Block> {
        self.areas
            .lock()
            .ok()
            .and_then(|mut areas| areas.pop())
            .unwrap_or_default()
    }

    fn give_back(&self, area: Vec<Block>) {
        if let Ok(mut areas) = self.areas.lock() {
            areas.push(area);
        }
    }
}

/// Verifies `password` against the PHC string `phc`, working in `area` (grown once to the
/// hash's memory cost).
fn verify_in(password: &str, phc: &str, area: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(params), Some(salt), Some(expected)) = (
        Params::try_from(&hash),
        hash.salt.as_ref(),
        hash.hash.as_ref(),
    ) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else {
        return false;
    };
    let version = hash
        .version
        .map_or(Ok(Version::default()), Version::try_from);
    let Ok(version) = version else {
        return false;
    };
    let blocks = params.block_count();
    if area.len() < blocks {
        area.resize(blocks, Block::default());
    }
    let mut out = vec![0u8; expected.as_bytes().len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut area[..blocks])
        .is_ok()
        && bool::from(out.ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::password::hash;

    #[test]
    fn verifies_in_a_reused_area_as_argon2_does() {
        let phc = hash("correct horse battery").unwrap_or_default();
        let mut area = vec![];
        assert!(verify_in("correct horse battery", &phc, &mut area));
        let allocated = area.len();
        assert!(!verify_in("wrong horse battery", &phc, &mut area));
        assert_eq!(area.len(), allocated, "the area is reused, not grown");
        assert!(!verify_in(
            "correct horse battery",
            "not a phc string",
            &mut area
        ));
    }

    #[actix_web::test]
    async fn refuses_beyond_the_queue_and_answers_the_dummy_as_false() {
        let checks = PasswordChecks::new(1, 0);
        let _taken = checks.admitted.try_acquire();
        assert_eq!(checks.verify("x".into(), None).await, Err(Busy));
        let free = PasswordChecks::new(1, 0);
        assert_eq!(
            free.verify("not a password of anyone".into(), None).await,
            Ok(false)
        );
    }
}
