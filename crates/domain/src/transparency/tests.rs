//! The tree against RFC 6962's own definitions (MTH, PATH, PROOF written out recursively over
//! the leaves, as the RFC states them) and the Certificate Transparency reference test vectors.

use super::merkle::{cover, fold};
use super::*;
use crate::signing::{KeyPair, Owner, PublicKey, PublicKeySet, VerifyError};
use std::collections::HashMap;

fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// RFC 6962 §2.1: MTH(D[n]).
fn mth(d: &[Hash]) -> Hash {
    match d.len() {
        0 => empty_root(),
        1 => d[0],
        n => {
            let k = split(n);
            node_hash(&mth(&d[..k]), &mth(&d[k..]))
        }
    }
}

/// RFC 6962 §2.1.1: PATH(m, D[n]).
fn path(m: usize, d: &[Hash]) -> Vec<Hash> {
    let n = d.len();
    if n <= 1 {
        return vec![];
    }
    let k = split(n);
    if m < k {
        let mut p = path(m, &d[..k]);
        p.push(mth(&d[k..]));
        p
    } else {
        let mut p = path(m - k, &d[k..]);
        p.push(mth(&d[..k]));
        p
    }
}

/// RFC 6962 §2.1.2: PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
fn proof(m: usize, d: &[Hash]) -> Vec<Hash> {
    fn sub(m: usize, d: &[Hash], b: bool) -> Vec<Hash> {
        let n = d.len();
        if m == n {
            return if b { vec![] } else { vec![mth(d)] };
        }
        let k = split(n);
        if m <= k {
            let mut p = sub(m, &d[..k], b);
            p.push(mth(&d[k..]));
            p
        } else {
            let mut p = sub(m - k, &d[k..], false);
            p.push(mth(&d[..k]));
            p
        }
    }
    sub(m, d, true)
}

fn leaves(n: usize) -> Vec<Hash> {
    (0..n as u64).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

/// Every complete subtree's hash, as the writer stores them (through the frontier).
fn stored(leaves: &[Hash]) -> HashMap<Node, Hash> {
    let mut f = Frontier::new();
    let mut nodes = HashMap::new();
    for l in leaves {
        f.push(*l, |n, h| {
            nodes.insert(n, *h);
        });
    }
    nodes
}

fn hd(s: &str) -> Hash {
    hex::decode(s).unwrap().try_into().unwrap()
}

const CT_LEAVES: [&str; 8] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const CT_ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

#[test]
fn the_certificate_transparency_test_vectors() {
    let leaves: Vec<Hash> = CT_LEAVES.iter().map(|l| leaf_hash(&hex::decode(l).unwrap())).collect();
    assert_eq!(hex::encode(empty_root()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    let mut f = Frontier::new();
    for (i, l) in leaves.iter().enumerate() {
        f.push(*l, |_, _| {});
        assert_eq!(hex::encode(f.root()), CT_ROOTS[i], "root of {} leaves", i + 1);
    }
    let nodes = stored(&leaves);
    let get = |n: Node| nodes.get(&n).copied();
    let inclusion = |i, n| inclusion_plan(i, n).unwrap().assemble(get).unwrap();
    let consistency = |m, n| consistency_plan(m, n).unwrap().assemble(get).unwrap();
    let h = |v: &[&str]| v.iter().map(|s| hd(s)).collect::<Vec<_>>();
    assert_eq!(
        inclusion(0, 8),
        h(&[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"
        ])
    );
    assert_eq!(
        inclusion(5, 8),
        h(&[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"
        ])
    );
    assert_eq!(consistency(1, 1), Vec::<Hash>::new());
    assert_eq!(
        consistency(1, 8),
        h(&[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"
        ])
    );
    assert_eq!(
        consistency(6, 8),
        h(&[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"
        ])
    );
    assert_eq!(
        consistency(2, 5),
        h(&[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"
        ])
    );
}

#[test]
fn proofs_from_stored_subtrees_are_rfc_6962_s_for_every_size_up_to_70() {
    let all = leaves(70);
    let nodes = stored(&all);
    let get = |n: Node| nodes.get(&n).copied();
    let mut f = Frontier::new();
    for n in 1..=all.len() {
        f.push(all[n - 1], |_, _| {});
        let d = &all[..n];
        let root = mth(d);
        assert_eq!(f.root(), root, "root of {n}");
        // The frontier is what its positions hold.
        let from_positions: Vec<Hash> = Frontier::positions(n as u64).into_iter().map(|p| nodes[&p]).collect();
        assert_eq!(Frontier::from_hashes(n as u64, from_positions).unwrap(), f);
        for m in 0..n {
            let p = inclusion_plan(m as u64, n as u64).unwrap().assemble(get).unwrap();
            assert_eq!(p, path(m, d), "PATH({m}, D[{n}])");
            verify_inclusion(m as u64, n as u64, &d[m], &p, &root).unwrap();
        }
        for m in 1..=n {
            let p = consistency_plan(m as u64, n as u64).unwrap().assemble(get).unwrap();
            assert_eq!(p, proof(m, d), "PROOF({m}, D[{n}])");
            verify_consistency(m as u64, n as u64, &mth(&d[..m]), &root, &p).unwrap();
        }
    }
}

#[test]
fn the_frontier_closes_every_complete_subtree_once() {
    let all = leaves(37);
    let mut f = Frontier::new();
    let mut seen = Vec::new();
    for l in &all {
        f.push(*l, |n, h| seen.push((n, *h)));
    }
    // 37 leaves, 18 + 9 + 4 + 2 + 1 interior nodes.
    assert_eq!(seen.len(), 37 + 18 + 9 + 4 + 2 + 1);
    for (n, h) in seen {
        let start = n.start() as usize;
        assert_eq!(h, mth(&all[start..start + (1 << n.level)]), "{n:?}");
    }
}

#[test]
fn a_proof_reads_few_subtrees_however_large_the_tree() {
    for (m, n) in [(1u64, 1_000_000u64), (999_999, 1_000_000), (123_457, 1_000_000), (1 << 19, (1 << 20) + 3)] {
        let nodes = consistency_plan(m, n).unwrap().nodes().count();
        assert!(nodes <= 2 * 64, "{m}→{n}: {nodes}");
        let nodes = inclusion_plan(m - 1, n).unwrap().nodes().count();
        assert!(nodes <= 2 * 64, "{m} in {n}: {nodes}");
    }
    // Every range a plan names is covered by aligned complete subtrees.
    assert_eq!(cover(8, 13), vec![Node { level: 2, index: 2 }, Node { level: 0, index: 12 }]);
    assert_eq!(fold(&[]), empty_root());
}

#[test]
fn altered_proofs_fail() {
    let all = leaves(21);
    let nodes = stored(&all);
    let get = |n: Node| nodes.get(&n).copied();
    let root = mth(&all);
    let p = inclusion_plan(6, 21).unwrap().assemble(get).unwrap();
    // Another leaf, another index, a flipped bit, a hash too few or too many, another size.
    assert_eq!(verify_inclusion(6, 21, &all[7], &p, &root), Err(ProofInvalid::Root));
    assert_eq!(verify_inclusion(7, 21, &all[6], &p, &root), Err(ProofInvalid::Root));
    let mut flipped = p.clone();
    flipped[2][0] ^= 1;
    assert_eq!(verify_inclusion(6, 21, &all[6], &flipped, &root), Err(ProofInvalid::Root));
    assert!(matches!(verify_inclusion(6, 21, &all[6], &p[1..], &root), Err(ProofInvalid::Length { .. })));
    let mut longer = p.clone();
    longer.push(root);
    assert!(matches!(verify_inclusion(6, 21, &all[6], &longer, &root), Err(ProofInvalid::Length { .. })));
    // Another size of another shape (22 has this one's: a path does not name its tree's size,
    // the root does).
    assert!(verify_inclusion(6, 40, &all[6], &p, &root).is_err());
    assert!(matches!(verify_inclusion(21, 21, &all[6], &p, &root), Err(ProofInvalid::Bounds(_))));

    let c = consistency_plan(13, 21).unwrap().assemble(get).unwrap();
    let old = mth(&all[..13]);
    verify_consistency(13, 21, &old, &root, &c).unwrap();
    assert_eq!(verify_consistency(13, 21, &mth(&all[..12]), &root, &c), Err(ProofInvalid::Root));
    assert_eq!(verify_consistency(13, 21, &old, &mth(&all[..20]), &c), Err(ProofInvalid::Root));
    assert!(verify_consistency(12, 21, &old, &root, &c).is_err());
    assert!(matches!(verify_consistency(0, 21, &old, &root, &c), Err(ProofInvalid::Bounds(_))));
    assert!(matches!(verify_consistency(22, 21, &old, &root, &c), Err(ProofInvalid::Bounds(_))));
    // A rewritten history with the same size: the old root no longer fits.
    let mut rewritten = all.clone();
    rewritten[3] = leaf_hash(b"rewritten");
    let nodes2 = stored(&rewritten);
    let c2 = consistency_plan(13, 21).unwrap().assemble(|n| nodes2.get(&n).copied()).unwrap();
    assert_eq!(verify_consistency(13, 21, &old, &mth(&rewritten), &c2), Err(ProofInvalid::Root));
}

#[test]
fn plans_refuse_what_has_no_proof() {
    let e = inclusion_plan(5, 5).unwrap_err();
    assert_eq!(e.errors[0].rule, crate::Rule::ProofEntry);
    assert_eq!(e.errors[0].path, "entry");
    assert_eq!(consistency_plan(0, 5).unwrap_err().errors[0].rule, crate::Rule::ConsistencyRange);
    assert_eq!(consistency_plan(6, 5).unwrap_err().errors[0].rule, crate::Rule::ConsistencyRange);
    assert!(consistency_plan(5, 5).unwrap().is_empty());
    assert!(inclusion_plan(0, 1).unwrap().is_empty());
}

#[test]
fn the_leaf_of_an_entry_is_its_chain_hash_s_bytes() {
    let chain = crate::journal::GENESIS;
    assert_eq!(leaf_of_entry(chain), Some(leaf_hash(&[0u8; 32])));
    assert_eq!(leaf_of_entry("00"), None);
    assert_eq!(leaf_of_entry(&"zz".repeat(32)), None);
}

fn journal_key(seed: u8) -> (KeyPair, PublicKeySet) {
    let pair = KeyPair::from_seed(Owner::Journal, &[seed; 32]);
    let set = PublicKeySet { keys: vec![PublicKey::of(&pair, "2026-01-01T00:00:00Z".into(), None)] };
    (pair, set)
}

#[test]
fn a_checkpoint_round_trips_and_verifies_with_the_public_keys_alone() {
    let (pair, set) = journal_key(9);
    let root = mth(&leaves(5));
    let cp = Checkpoint::sign(&pair, 5, root, 1_777_000_000_125);
    let text = serde_json::to_string(&cp).unwrap();
    assert!(text.contains("\"timestamp\":\"2026-04-24T03:06:40.125Z\""), "{text}");
    assert!(text.contains(&hex::encode(root)));
    let read = Checkpoint::parse(&text).unwrap();
    assert_eq!(read, cp);
    assert_eq!(read.verify(&set).unwrap().key_id, pair.key_id());
    assert_eq!(serde_json::to_value(&cp).unwrap(), cp.to_json());

    // Any field changed: the signature no longer holds.
    for (from, to) in [("\"tree_size\":5", "\"tree_size\":4"), ("40.125Z", "40.126Z"), (&hex::encode(root)[..4], "0000")] {
        let forged = Checkpoint::parse(&text.replacen(from, to, 1)).unwrap();
        assert!(matches!(forged.verify(&set), Err(VerifyError::Mismatch(_))), "{from} → {to}");
    }
    // Another key, an office's key, or a key missing from the set.
    let (other, other_set) = journal_key(10);
    assert!(matches!(cp.verify(&other_set), Err(VerifyError::UnknownKey(_))));
    let mut claimed = cp.clone();
    claimed.key_id = other.key_id().to_owned();
    assert!(matches!(claimed.verify(&other_set), Err(VerifyError::Mismatch(_))));
    let office = KeyPair::from_seed(Owner::parse("2201").unwrap(), &[9; 32]);
    let office_set = PublicKeySet { keys: vec![PublicKey::of(&office, "2026-01-01T00:00:00Z".into(), None)] };
    let by_office = Checkpoint::sign(&office, 5, root, 1_777_000_000_125);
    assert!(matches!(by_office.verify(&office_set), Err(VerifyError::Malformed(_))));
}

#[test]
fn only_the_checkpoint_s_own_form_is_read() {
    let (pair, _) = journal_key(9);
    let cp = Checkpoint::sign(&pair, 5, empty_root(), 0);
    let text = serde_json::to_string(&cp).unwrap();
    assert!(text.contains("1970-01-01T00:00:00.000Z"));
    for (from, to) in [
        ("00:00:00.000Z", "00:00:00Z"),
        ("00:00:00.000Z", "00:00:00.000+00:00"),
        ("\"tree_size\"", "\"size\""),
        ("\"root_hash\":\"e3", "\"root_hash\":\"x3"),
    ] {
        assert!(matches!(Checkpoint::parse(&text.replacen(from, to, 1)), Err(VerifyError::Malformed(_))), "{from} → {to}");
    }
    assert!(Checkpoint::parse(&text.replace('}', ",\"extra\":1}")).is_err());
    assert_eq!(parse_timestamp(&format_timestamp(1_777_000_000_125)), Some(1_777_000_000_125));
}
