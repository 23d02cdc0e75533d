//! API tokens: random, shown once, stored as a SHA-256 hash (for lookup) and sealed with
//! AES-256-GCM under the server key (so that the owner's web page can show it again).

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

const TOKEN_PREFIX: &str = "ms3e_";
const NONCE_LEN: usize = 12;

/// The server key that seals tokens (`TOKEN_ENCRYPTION_KEY`, 64 hex digits).
#[derive(Clone)]
pub struct TokenKey(Key<Aes256Gcm>);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(<redacted>)")
    }
}

/// A new token: the clear text goes to its owner once, the rest to the database.
pub struct IssuedToken {
    pub clear: String,
    pub hash: Vec<u8>,
    pub sealed: Vec<u8>,
}

impl TokenKey {
    pub fn from_hex(hex_key: &str) -> Result<TokenKey, String> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|_| "TOKEN_ENCRYPTION_KEY must be hexadecimal".to_owned())?;
        if bytes.len() != 32 {
            return Err("TOKEN_ENCRYPTION_KEY must be 64 hexadecimal digits (32 bytes)".into());
        }
        Ok(TokenKey(*Key::<Aes256Gcm>::from_slice(&bytes)))
    }

    /// A fresh random key, as 64 hex digits.
    pub fn generate_hex() -> String {
        hex::encode(Aes256Gcm::generate_key(OsRng))
    }

    pub fn issue(&self) -> Result<IssuedToken, String> {
        let clear = format!("{TOKEN_PREFIX}{}", random_secret());
        Ok(IssuedToken {
            hash: hash(&clear).to_vec(),
            sealed: self.seal(&clear)?,
            clear,
        })
    }

    /// Takes over a token issued elsewhere (the original platform's tokens are UUIDs), so that
    /// a partner's existing integration keeps working: 16 to 200 printable characters, no spaces.
    pub fn adopt(&self, clear: &str) -> Result<IssuedToken, String> {
        let acceptable =
            (16..=200).contains(&clear.len()) && clear.bytes().all(|b| b.is_ascii_graphic());
        if !acceptable {
            return Err(
                "a token must have 16 to 200 printable ASCII characters and no spaces".into(),
            );
        }
        Ok(IssuedToken {
            hash: hash(clear).to_vec(),
            sealed: self.seal(clear)?,
            clear: clear.to_owned(),
        })
    }

    pub fn seal(&self, clear: &str) -> Result<Vec<u8>, String> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = Aes256Gcm::new(&self.0)
            .encrypt(&nonce, clear.as_bytes())
            .map_err(|e| e.to_string())?;
        Ok([nonce.as_slice(), &ciphertext].concat())
    }

    /// The key's bytes, for deriving other keys from it (never to be logged or sent).
    pub(crate) fn master_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// The clear token from its sealed form; None if it was sealed under another key.
    pub fn open(&self, sealed: &[u8]) -> Option<String> {
        if sealed.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let clear = Aes256Gcm::new(&self.0)
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .ok()?;
        String::from_utf8(clear).ok()
    }
}

/// A random secret of 32 bytes, URL-safe (invitation links, form tokens).
pub fn random_secret() -> String {
    let mut random = [0u8; 32];
    rand::rng().fill_bytes(&mut random);
    URL_SAFE_NO_PAD.encode(random)
}

pub fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_are_hashed_and_sealed() -> Result<(), String> {
        let key = TokenKey::from_hex(&TokenKey::generate_hex())?;
        let token = key.issue()?;
        assert!(token.clear.starts_with("ms3e_") && token.clear.len() == 5 + 43);
        assert_eq!(token.hash, hash(&token.clear).to_vec());
        assert_eq!(
            key.open(&token.sealed).as_deref(),
            Some(token.clear.as_str())
        );
        let other = TokenKey::from_hex(&TokenKey::generate_hex())?;
        assert_eq!(other.open(&token.sealed), None);
        assert!(
            !token
                .sealed
                .windows(10)
                .any(|w| token.clear.as_bytes().windows(10).any(|c| c == w))
        );
        Ok(())
    }

    #[test]
    fn adopts_legacy_tokens_as_they_are() -> Result<(), String> {
        let key = TokenKey::from_hex(&TokenKey::generate_hex())?;
        let legacy = "4f1c2a3e-9b7d-4c21-8e0f-5a6b7c8d9e01";
        let adopted = key.adopt(legacy)?;
        assert_eq!(
            (adopted.hash, key.open(&adopted.sealed)),
            (hash(legacy).to_vec(), Some(legacy.to_owned()))
        );
        assert!(key.adopt("short").is_err() && key.adopt("with a space in the token").is_err());
        Ok(())
    }

    #[test]
    fn rejects_malformed_keys() {
        assert!(TokenKey::from_hex("abc").is_err());
        assert!(TokenKey::from_hex(&"zz".repeat(32)).is_err());
    }
}
