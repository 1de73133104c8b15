//! Signatures and proofs a third party checks without trusting the server: the signing keys
//! (`GET /api/v1/keys`, `guomen keys`, rotation).

use crate::cli::Data;
use crate::helpers::*;
use guomen_domain::signing::{Owner, PublicKeySet, DOCUMENT};
use guomen_store::Engine;

async fn public_keys(app: &TestApp) -> PublicKeySet {
    // No sign-in: anyone verifying a document needs them.
    let res = app.http.get(app.url("/api/v1/keys")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    PublicKeySet::parse(&res.text().await.unwrap()).expect("a valid public key set")
}

async fn keys_are_published_and_rotation_keeps_old_signatures(app: &TestApp) {
    // A fresh store has the journal's key, made when it opened.
    let set = public_keys(app).await;
    assert_eq!(set.keys.len(), 1, "{set:?}");
    assert_eq!(set.keys[0].owner, Owner::Journal);
    assert!(set.keys[0].key_id.starts_with("JOURNAL-"));
    assert!(set.keys[0].retired.is_none());

    // An office's key is made the first time it signs.
    let office = Owner::parse("6201").unwrap();
    let before = app.store.keyring().sign(&office, DOCUMENT, "原产地证书 6201-2026-000001".as_bytes()).unwrap();
    assert!(before.key_id.starts_with("6201-"), "{}", before.key_id);
    let set = public_keys(app).await;
    assert_eq!(set.keys.len(), 2);
    set.verify(&before.key_id, DOCUMENT, "原产地证书 6201-2026-000001".as_bytes(), &before.to_base64()).unwrap();
    // One character changed: refused.
    assert!(set.verify(&before.key_id, DOCUMENT, "原产地证书 6201-2026-000002".as_bytes(), &before.to_base64()).is_err());

    // Rotation: the old key is retired but still published, so its signature still verifies;
    // the office signs with the new key from now on.
    let r = app.store.keyring().rotate(&office).unwrap();
    assert_eq!(r.retired.as_deref(), Some(before.key_id.as_str()));
    let after = app.store.keyring().sign(&office, DOCUMENT, b"after").unwrap();
    assert_eq!(after.key_id, r.key_id);
    assert_ne!(after.key_id, before.key_id);
    let set = public_keys(app).await;
    assert_eq!(set.keys.len(), 3);
    assert!(set.find(&before.key_id).unwrap().retired.is_some());
    assert!(set.find(&after.key_id).unwrap().retired.is_none());
    set.verify(&before.key_id, DOCUMENT, "原产地证书 6201-2026-000001".as_bytes(), &before.to_base64()).unwrap();
    set.verify(&after.key_id, DOCUMENT, b"after", &after.to_base64()).unwrap();
    // No secret is ever served.
    let text = app.http.get(app.url("/api/v1/keys")).send().await.unwrap().text().await.unwrap();
    assert!(!text.contains("secret"), "{text}");
}

#[tokio::test]
async fn public_keys_are_served_and_rotation_keeps_old_signatures_verifiable() {
    for engine in engines() {
        keys_are_published_and_rotation_keeps_old_signatures(&TestApp::spawn(engine).await).await;
    }
}

#[tokio::test]
async fn the_key_file_is_private_to_its_owner() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let path = app.data_dir.join("keys.json");
    assert!(path.exists(), "the journal's key is made beside the database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let set = public_keys(&app).await;
    assert!(text.contains(&set.keys[0].key_id));
}

#[tokio::test]
async fn guomen_keys_prints_and_rotates_the_keys() {
    let data = Data::new(Engine::Sqlite).await;
    let set = PublicKeySet::parse(&data.ok(&["keys", "--json"]).await).unwrap();
    assert!(set.keys.is_empty(), "listing makes no key: {set:?}");
    // Any command that opens the store makes the journal's key.
    data.ok(&["token", "list"]).await;
    let set = PublicKeySet::parse(&data.ok(&["keys", "--json"]).await).unwrap();
    assert_eq!(set.keys.len(), 1);
    assert_eq!(set.keys[0].owner, Owner::Journal);

    let out = data.ok(&["keys", "rotate", "--office", "6201"]).await;
    assert!(out.contains("6201 had no key; 6201-"), "{out}");
    let out = data.ok(&["keys", "rotate", "journal"]).await;
    assert!(out.contains(&format!("key {} retired (still published); JOURNAL-", set.keys[0].key_id)), "{out}");
    let out = data.ok(&["keys", "rotate", "--office", "6201"]).await;
    assert!(out.contains("retired (still published)"), "{out}");
    let set = PublicKeySet::parse(&data.ok(&["keys", "--json"]).await).unwrap();
    assert_eq!(set.keys.len(), 4);
    assert_eq!(set.keys.iter().filter(|k| k.retired.is_some()).count(), 2);
    let table = data.ok(&["keys"]).await;
    for k in &set.keys {
        assert!(table.contains(&k.key_id) && table.contains(&k.public_key), "{table}");
    }
    // Neither both nor none; not an office code.
    assert!(data.fails(&["keys", "rotate"]).await.contains("guomen keys rotate journal"));
    assert!(data.fails(&["keys", "rotate", "--office", "62"]).await.contains("4 digits"));

    // `--signing-keys` keeps the keys elsewhere.
    let elsewhere = data.dir.path().join("vault").join("signing.json");
    let out = data.ok(&["keys", "rotate", "journal", "--signing-keys", elsewhere.to_str().unwrap()]).await;
    assert!(out.contains("journal had no key"), "{out}");
    assert!(elsewhere.exists());
    assert_eq!(PublicKeySet::parse(&data.ok(&["keys", "--json"]).await).unwrap().keys.len(), 4, "the data directory's keys are untouched");
}
