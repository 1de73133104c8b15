//! 密钥 — the keyring: Guomen's Ed25519 signing keys, one active key per issuing office and
//! one for the journal, kept in a JSON file readable by its owner alone (mode 0600):
//! `DATA/keys.json`, or the file `--signing-keys` names.
//!
//! A key is made the first time its owner signs. Rotation retires the active key (it stays in
//! the file and in the public key set, so what it signed stays verifiable) and makes a new one.
//! The file is re-read when it changes, so a key rotated by `guomen keys rotate` while a server
//! runs signs nothing more on that server from the next signature on.
//!
//! Keys are no part of the journal: the journal is exported and proven, and must never hold a
//! secret. The public keys are served by `GET /api/v1/keys`.

use guomen_domain::signing::{KeyPair, Owner, PublicKey, PublicKeySet, Signature};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

/// Why the keyring cannot do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("signing keys {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("signing keys {path}: {why}")]
    Malformed { path: String, why: String },
}

/// One key as the file keeps it: its public part and its secret seed.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredKey {
    key_id: String,
    owner: Owner,
    public_key: String,
    /// The 32-byte Ed25519 seed, base64.
    secret_key: String,
    created: String,
    retired: Option<String>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    keys: Vec<StoredKey>,
}

/// A key read from the file.
struct Key {
    pair: Arc<KeyPair>,
    created: String,
    retired: Option<String>,
}

#[derive(Default)]
struct Loaded {
    keys: Vec<Key>,
    /// The file's modification time and length when read, to notice a change by another process.
    stamp: Option<(SystemTime, u64)>,
}

/// The signing keys. Cheap to share (`Arc`); every method is safe to call from any thread.
pub struct Keyring {
    /// None: kept in memory only (tests on PostgreSQL, `sqlite::memory:`).
    path: Option<PathBuf>,
    loaded: Mutex<Loaded>,
}

/// What a rotation did.
#[derive(Debug, Clone)]
pub struct Rotation {
    /// The key retired, if the owner had one.
    pub retired: Option<String>,
    /// The new active key.
    pub key_id: String,
}

impl Keyring {
    /// The keyring kept in `path` (read now if it exists; written when a key is first made).
    pub fn open(path: &Path) -> Result<Keyring, KeyError> {
        let ring = Keyring { path: Some(path.to_owned()), loaded: Mutex::new(Loaded::default()) };
        drop(ring.lock()?);
        Ok(ring)
    }

    /// The keyring of a store at `loc`: `keys.json` beside an SQLite database file; in memory
    /// for an in-memory SQLite database or PostgreSQL (whose servers are given a file by the
    /// command line: `DATA/keys.json` or `--signing-keys`).
    pub fn beside(loc: &crate::Location) -> Result<Keyring, KeyError> {
        if loc.engine != crate::Engine::Sqlite {
            return Ok(Keyring::ephemeral());
        }
        let file = loc.url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        let file = file.split('?').next().unwrap_or_default();
        if file.is_empty() || file.starts_with(":memory:") {
            return Ok(Keyring::ephemeral());
        }
        let dir = Path::new(file).parent().unwrap_or(Path::new("."));
        Keyring::open(&dir.join("keys.json"))
    }

    /// A keyring in memory only: its keys die with the process.
    pub fn ephemeral() -> Keyring {
        Keyring { path: None, loaded: Mutex::new(Loaded::default()) }
    }

    /// The file the keys are kept in, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The keys as last read, re-read first if the file changed since.
    fn lock(&self) -> Result<MutexGuard<'_, Loaded>, KeyError> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(path) = &self.path {
            let stamp = match std::fs::metadata(path) {
                Ok(m) => Some((m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(io(path, e)),
            };
            if stamp != loaded.stamp {
                *loaded = read(path)?;
            }
        }
        Ok(loaded)
    }

    /// The active key of `owner`, made (and written to the file) if it has none.
    pub fn signer(&self, owner: &Owner) -> Result<Arc<KeyPair>, KeyError> {
        let mut loaded = self.lock()?;
        if let Some(k) = active(&loaded, owner) {
            return Ok(k.pair.clone());
        }
        let key = new_key(owner.clone());
        let pair = key.pair.clone();
        loaded.keys.push(key);
        self.write(&mut loaded)?;
        Ok(pair)
    }

    /// Signs `content` for `purpose` with `owner`'s active key (made if it has none).
    pub fn sign(&self, owner: &Owner, purpose: &str, content: &[u8]) -> Result<Signature, KeyError> {
        Ok(self.signer(owner)?.sign(purpose, content))
    }

    /// Every public key, active and retired, oldest first.
    pub fn public_keys(&self) -> Result<PublicKeySet, KeyError> {
        let loaded = self.lock()?;
        Ok(PublicKeySet { keys: loaded.keys.iter().map(|k| PublicKey::of(&k.pair, k.created.clone(), k.retired.clone())).collect() })
    }

    /// Retires `owner`'s active key (if it has one) and makes a new one.
    pub fn rotate(&self, owner: &Owner) -> Result<Rotation, KeyError> {
        let mut loaded = self.lock()?;
        let now = now_text();
        let mut retired = None;
        for k in loaded.keys.iter_mut().filter(|k| k.pair.owner() == owner && k.retired.is_none()) {
            k.retired = Some(now.clone());
            retired = Some(k.pair.key_id().to_owned());
        }
        let key = new_key(owner.clone());
        let key_id = key.pair.key_id().to_owned();
        loaded.keys.push(key);
        self.write(&mut loaded)?;
        Ok(Rotation { retired, key_id })
    }

    /// Writes the keys to a new file beside the old (mode 0600) and renames it over the old,
    /// so a reader never sees half a file.
    fn write(&self, loaded: &mut Loaded) -> Result<(), KeyError> {
        let Some(path) = &self.path else { return Ok(()) };
        let file = KeyFile {
            keys: loaded
                .keys
                .iter()
                .map(|k| StoredKey {
                    key_id: k.pair.key_id().to_owned(),
                    owner: k.pair.owner().clone(),
                    public_key: guomen_domain::signing::to_base64(&k.pair.public_key()),
                    secret_key: guomen_domain::signing::to_base64(&k.pair.seed()),
                    created: k.created.clone(),
                    retired: k.retired.clone(),
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).expect("keys serialize");
        text.push('\n');
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io(path, e))?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        write_private(&tmp, text.as_bytes()).map_err(|e| io(path, e))?;
        std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
        let m = std::fs::metadata(path).map_err(|e| io(path, e))?;
        loaded.stamp = Some((m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
        Ok(())
    }
}

fn active<'a>(loaded: &'a Loaded, owner: &Owner) -> Option<&'a Key> {
    loaded.keys.iter().rev().find(|k| k.pair.owner() == owner && k.retired.is_none())
}

fn new_key(owner: Owner) -> Key {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    Key { pair: Arc::new(KeyPair::from_seed(owner, &seed)), created: now_text(), retired: None }
}

/// Now, to the second, as RFC 3339 UTC.
fn now_text() -> String {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).expect("zero nanoseconds");
    now.format(&time::format_description::well_known::Rfc3339).expect("formats")
}

fn io(path: &Path, source: std::io::Error) -> KeyError {
    KeyError::Io { path: path.display().to_string(), source }
}

fn read(path: &Path) -> Result<Loaded, KeyError> {
    let malformed = |why: String| KeyError::Malformed { path: path.display().to_string(), why };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::default()),
        Err(e) => return Err(io(path, e)),
    };
    warn_if_shared(path, &meta);
    let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
    let file: KeyFile = serde_json::from_str(&text).map_err(|e| malformed(e.to_string()))?;
    let mut keys = Vec::with_capacity(file.keys.len());
    for k in file.keys {
        let seed =
            decode32(&k.secret_key).ok_or_else(|| malformed(format!("key {}: the secret key is not 32 bytes of base64", k.key_id)))?;
        let pair = KeyPair::from_seed(k.owner, &seed);
        if pair.key_id() != k.key_id || guomen_domain::signing::to_base64(&pair.public_key()) != k.public_key {
            return Err(malformed(format!("key {}: its id or public key does not match its secret key", k.key_id)));
        }
        if keys.iter().any(|o: &Key| o.pair.key_id() == k.key_id) {
            return Err(malformed(format!("key {} is listed twice", k.key_id)));
        }
        keys.push(Key { pair: Arc::new(pair), created: k.created, retired: k.retired });
    }
    Ok(Loaded { keys, stamp: Some((meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len())) })
}

fn decode32(text: &str) -> Option<[u8; 32]> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text.trim()).ok()?.try_into().ok()
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::remove_file(path);
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// A key file others can read is used, but said: its secrets may have been read.
#[cfg(unix)]
fn warn_if_shared(path: &Path, meta: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!(path = %path.display(), mode = format!("{:o}", mode & 0o777), "the signing key file can be read by others than its owner; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_: &Path, _: &std::fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;
    use guomen_domain::signing::DOCUMENT;

    fn office(code: &str) -> Owner {
        Owner::parse(code).unwrap()
    }

    #[test]
    fn a_key_is_made_on_first_use_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let ring = Keyring::open(&path).unwrap();
        assert!(!path.exists(), "nothing is written before a key is needed");
        let sig = ring.sign(&office("2201"), DOCUMENT, b"x").unwrap();
        assert!(sig.key_id.starts_with("2201-"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // The same key again, from this keyring and from another reading the same file.
        assert_eq!(ring.signer(&office("2201")).unwrap().key_id(), sig.key_id);
        let again = Keyring::open(&path).unwrap();
        assert_eq!(again.signer(&office("2201")).unwrap().key_id(), sig.key_id);
        // Another office gets a key of its own.
        assert_ne!(ring.signer(&office("4201")).unwrap().key_id(), sig.key_id);
        let set = again.public_keys().unwrap();
        assert_eq!(set.keys.len(), 2, "the second keyring sees the key the first made after it read the file");
        set.verify(&sig.key_id, DOCUMENT, b"x", &sig.to_base64()).unwrap();
        // The public set holds no secret.
        let text = serde_json::to_string(&set).unwrap();
        assert!(!text.contains("secret"));
    }

    #[test]
    fn rotation_keeps_the_old_key_verifiable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let ring = Keyring::open(&path).unwrap();
        let old = ring.sign(&Owner::Journal, DOCUMENT, b"before").unwrap();
        let other = Keyring::open(&path).unwrap();
        let r = other.rotate(&Owner::Journal).unwrap();
        assert_eq!(r.retired.as_deref(), Some(old.key_id.as_str()));
        // The first keyring notices the rotation done through the other.
        let new = ring.sign(&Owner::Journal, DOCUMENT, b"after").unwrap();
        assert_eq!(new.key_id, r.key_id);
        let set = ring.public_keys().unwrap();
        assert!(set.find(&old.key_id).unwrap().retired.is_some());
        assert!(set.find(&new.key_id).unwrap().retired.is_none());
        set.verify(&old.key_id, DOCUMENT, b"before", &old.to_base64()).unwrap();
        set.verify(&new.key_id, DOCUMENT, b"after", &new.to_base64()).unwrap();
    }

    #[test]
    fn a_tampered_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.json");
        let ring = Keyring::open(&path).unwrap();
        let a = ring.signer(&office("2201")).unwrap();
        // Swap in another key's public part under the same id.
        let text = std::fs::read_to_string(&path).unwrap();
        let other = KeyPair::from_seed(office("2201"), &[5; 32]);
        let text =
            text.replace(&guomen_domain::signing::to_base64(&a.public_key()), &guomen_domain::signing::to_base64(&other.public_key()));
        std::fs::write(&path, text).unwrap();
        assert!(matches!(Keyring::open(&path), Err(KeyError::Malformed { .. })));
    }

    #[test]
    fn ephemeral_keys_write_nothing() {
        let ring = Keyring::ephemeral();
        let sig = ring.sign(&Owner::Journal, DOCUMENT, b"x").unwrap();
        assert_eq!(ring.public_keys().unwrap().keys.len(), 1);
        assert_eq!(ring.rotate(&Owner::Journal).unwrap().retired, Some(sig.key_id));
        assert!(ring.path().is_none());
    }
}
