//! Passwords of the web pages: argon2id (the crate's default parameters), stored as PHC strings.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// Why a chosen password is refused, in the words shown to the user.
pub fn refusal(password: &str, confirmation: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Some(format!(
            "Le mot de passe doit contenir au moins {MIN_CHARS} caractères."
        ));
    }
    if chars > MAX_CHARS {
        return Some(format!(
            "Le mot de passe doit contenir au plus {MAX_CHARS} caractères."
        ));
    }
    if password != confirmation {
        return Some("Les deux mots de passe ne sont pas identiques.".into());
    }
    None
}

/// The PHC string of `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| format!("password hashing: {e}"))
}

/// The hash checked when there is none to check, so that every sign-in costs the same time.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash("not a password of anyone").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_argon2id_and_a_salt() {
        let phc = hash("correct horse battery").unwrap_or_default();
        assert!(phc.starts_with("$argon2id$"));
        assert_ne!(phc, hash("correct horse battery").unwrap_or_default());
        assert!(dummy_hash().starts_with("$argon2id$"));
    }

    #[test]
    fn refuses_weak_or_mismatched_passwords() {
        assert!(refusal("short", "short").is_some());
        assert!(refusal("long enough pass", "long enough pasS").is_some());
        assert!(refusal(&"x".repeat(129), &"x".repeat(129)).is_some());
        assert_eq!(refusal("long enough pass", "long enough pass"), None);
    }
}
