//! Webhook signatures: `Guomen-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
//!
//! HMAC (RFC 2104) is built here directly on SHA-256 so the scheme is easy to audit and to
//! reproduce in a receiver: the key is padded to SHA-256's 64-byte block (a longer key is
//! hashed first), then `H((K ^ opad) || H((K ^ ipad) || message))`.
//!
//! A receiver recomputes the signature over the raw request body and the `Guomen-Timestamp`
//! header with [`verify`], rejects requests whose timestamp is too far from its own clock (to
//! limit replays; five minutes is usual), and de-duplicates on `Guomen-Event-Id`.

use sha2::{Digest, Sha256};

const BLOCK: usize = 64;
const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5c;

/// The header value's prefix, naming the algorithm.
pub const PREFIX: &str = "sha256=";

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ IPAD));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ OPAD));
    outer.update(inner);
    outer.finalize().into()
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> [u8; 32] {
    let mut message = Vec::with_capacity(body.len() + 21);
    message.extend_from_slice(timestamp.to_string().as_bytes());
    message.push(b'.');
    message.extend_from_slice(body);
    hmac_sha256(secret.as_bytes(), &message)
}

/// The `Guomen-Signature` header value for a request sent at `timestamp` (Unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("{PREFIX}{}", hex::encode(mac(secret, timestamp, body)))
}

/// Whether `header` is the correct signature of `body` sent at `timestamp`. The comparison
/// takes the same time wherever the first difference is. It does not judge the timestamp's
/// freshness; that is the receiver's policy.
pub fn verify(secret: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    let Some(given) = header.trim().strip_prefix(PREFIX) else {
        return false;
    };
    let Ok(given) = hex::decode(given) else {
        return false;
    };
    let expected = mac(secret, timestamp, body);
    constant_time_eq(&expected, &given)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4231, section 4.
    #[test]
    fn rfc4231_case_1() {
        let key = [0x0b; 20];
        assert_eq!(hex::encode(hmac_sha256(&key, b"Hi There")), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    }

    #[test]
    fn rfc4231_case_2() {
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn rfc4231_case_6_key_longer_than_block() {
        let key = [0xaa; 131];
        assert_eq!(
            hex::encode(hmac_sha256(&key, b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn sign_and_verify() {
        let body = br#"{"event_id":"7"}"#;
        let sig = sign("s3cret", 1_700_000_000, body);
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64);
        assert!(verify("s3cret", 1_700_000_000, body, &sig));
        assert!(!verify("other", 1_700_000_000, body, &sig), "wrong secret");
        assert!(!verify("s3cret", 1_700_000_001, body, &sig), "wrong timestamp");
        assert!(!verify("s3cret", 1_700_000_000, br#"{"event_id":"8"}"#, &sig), "tampered body");
        assert!(!verify("s3cret", 1_700_000_000, body, &sig[7..]), "missing prefix");
        assert!(!verify("s3cret", 1_700_000_000, body, &sig[..sig.len() - 2]), "truncated");
        assert!(!verify("s3cret", 1_700_000_000, body, "sha256=zz"), "not hex");
    }
}
