//! Credentials: passwords hashed with Argon2id (memory-hard), API tokens random and stored as SHA-256.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 with default parameters").to_string()
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A new token: (id, secret). The secret is shown once; only its hash is kept.
pub fn new_token() -> (String, String) {
    let mut id = [0u8; 6];
    let mut secret = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut id);
    rand::thread_rng().fill_bytes(&mut secret);
    let id = hex::encode(id);
    (id.clone(), format!("gm_{id}_{}", hex::encode(secret)))
}

pub fn token_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A webhook signing key.
pub fn new_secret() -> String {
    let mut s = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut s);
    hex::encode(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let h = hash_password("s3cret");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("s3cret", &h));
        assert!(!verify_password("s3cret!", &h));
        let (id, secret) = new_token();
        assert!(secret.starts_with(&format!("gm_{id}_")));
        assert_ne!(token_hash(&secret), secret);
        assert_eq!(token_hash(&secret).len(), 64);
    }
}
