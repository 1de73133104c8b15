//! An independent verifier of the journal's proofs, written from RFC 9162 alone: the Merkle
//! tree hash of §2.1.1 and the verification algorithms of §2.1.3.2 (inclusion) and §2.1.4.2
//! (consistency), step by step as the RFC numbers them. It uses nothing of Guomen's tree code,
//! only SHA-256; the tests hold every proof Guomen's procedures and server give to it.

use guomen_domain::transparency::{consistency_plan, inclusion_plan, leaf_hash, Frontier, Node};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub type H = [u8; 32];

fn sha256(parts: &[&[u8]]) -> H {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// HASH(0x01 || left || right).
fn children(left: &H, right: &H) -> H {
    sha256(&[&[1], left, right])
}

/// The leaf of a journal entry: HASH(0x00 || the 32 bytes of the entry's hash).
pub fn leaf_of(entry_hash_hex: &str) -> H {
    sha256(&[&[0], &hex::decode(entry_hash_hex).expect("hex")])
}

/// §2.1.1: MTH(D[n]) over leaf hashes.
pub fn mth(leaves: &[H]) -> H {
    match leaves.len() {
        0 => sha256(&[]),
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k << 1 < n {
                k <<= 1;
            }
            children(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

/// §2.1.3.2: verifying an inclusion proof.
pub fn verify_inclusion(leaf_index: u64, tree_size: u64, hash: &H, inclusion_path: &[H], root_hash: &H) -> bool {
    // 1. leaf_index >= tree_size fails.
    if leaf_index >= tree_size {
        return false;
    }
    // 2.
    let (mut fn_, mut sn) = (leaf_index, tree_size - 1);
    // 3.
    let mut r = *hash;
    // 4.
    for p in inclusion_path {
        // a.
        if sn == 0 {
            return false;
        }
        // b.
        if fn_ & 1 == 1 || fn_ == sn {
            r = children(p, &r);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = children(&r, p);
        }
        // c.
        fn_ >>= 1;
        sn >>= 1;
    }
    // 5.
    sn == 0 && r == *root_hash
}

/// §2.1.4.2: verifying a consistency proof (for first < second; equal sizes have the empty
/// proof and equal roots).
pub fn verify_consistency(first: u64, second: u64, first_hash: &H, second_hash: &H, consistency_path: &[H]) -> bool {
    if first == 0 || first > second {
        return false;
    }
    if first == second {
        return consistency_path.is_empty() && first_hash == second_hash;
    }
    // 1.
    if consistency_path.is_empty() {
        return false;
    }
    // 2.
    let mut path = consistency_path.to_vec();
    if first.is_power_of_two() {
        path.insert(0, *first_hash);
    }
    // 3.
    let (mut fn_, mut sn) = (first - 1, second - 1);
    // 4.
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    // 5.
    let (mut fr, mut sr) = (path[0], path[0]);
    // 6.
    for c in &path[1..] {
        // a.
        if sn == 0 {
            return false;
        }
        // b.
        if fn_ & 1 == 1 || fn_ == sn {
            fr = children(c, &fr);
            sr = children(c, &sr);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = children(&sr, c);
        }
        // c.
        fn_ >>= 1;
        sn >>= 1;
    }
    // 7.
    fr == *first_hash && sr == *second_hash && sn == 0
}

#[test]
fn the_verifier_accepts_the_certificate_transparency_vectors_and_nothing_else() {
    // certificate-transparency's merkle_tree_test vectors: leaf inputs, roots, proofs.
    let inputs = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
    let leaves: Vec<H> = inputs.iter().map(|i| sha256(&[&[0], &hex::decode(i).unwrap()])).collect();
    let h = |s: &str| -> H { hex::decode(s).unwrap().try_into().unwrap() };
    let root8 = h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    assert_eq!(mth(&leaves), root8);
    assert_eq!(mth(&leaves[..5]), h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"));
    let path0 = [
        h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ];
    assert!(verify_inclusion(0, 8, &leaves[0], &path0, &root8));
    assert!(!verify_inclusion(1, 8, &leaves[0], &path0, &root8));
    assert!(!verify_inclusion(0, 8, &leaves[0], &path0[..2], &root8));
    let path5 = [
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    ];
    assert!(verify_inclusion(5, 8, &leaves[5], &path5, &root8));
    // Consistency 1 → 8 is the inclusion path of leaf 0; 6 → 8 and 2 → 5 as published.
    assert!(verify_consistency(1, 8, &mth(&leaves[..1]), &root8, &path0));
    let c68 = [
        h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    ];
    assert!(verify_consistency(6, 8, &mth(&leaves[..6]), &root8, &c68));
    assert!(!verify_consistency(6, 8, &mth(&leaves[..5]), &root8, &c68));
    assert!(!verify_consistency(6, 8, &mth(&leaves[..6]), &root8, &c68[1..]));
    let c25 = [
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
    ];
    assert!(verify_consistency(2, 5, &mth(&leaves[..2]), &mth(&leaves[..5]), &c25));
    assert!(verify_consistency(8, 8, &root8, &root8, &[]));
    assert!(!verify_consistency(8, 8, &root8, &root8, &c25[..1]));
}

/// Leaves as journal entries' hashes would give them, and Guomen's stored subtrees over them.
fn tree(n: usize) -> (Vec<H>, HashMap<Node, H>) {
    let leaves: Vec<H> = (0..n as u64).map(|i| leaf_hash(&sha256(&[&i.to_be_bytes()]))).collect();
    let mut f = Frontier::new();
    let mut nodes = HashMap::new();
    for l in &leaves {
        f.push(*l, |n, h| {
            nodes.insert(n, *h);
        });
    }
    (leaves, nodes)
}

/// Guomen's inclusion proof, as its procedures make it from the stored subtrees.
fn inclusion(nodes: &HashMap<Node, H>, i: u64, n: u64) -> Vec<H> {
    inclusion_plan(i, n).unwrap().assemble(|x| nodes.get(&x).copied()).unwrap()
}

/// Guomen's consistency proof, as its procedures make it from the stored subtrees.
fn consistency(nodes: &HashMap<Node, H>, m: u64, n: u64) -> Vec<H> {
    consistency_plan(m, n).unwrap().assemble(|x| nodes.get(&x).copied()).unwrap()
}

#[test]
fn every_proof_up_to_70_entries_passes_the_rfc_9162_verifier() {
    let (leaves, nodes) = tree(70);
    let roots: Vec<H> = (0..=leaves.len()).map(|n| mth(&leaves[..n])).collect();
    for n in 1..=leaves.len() as u64 {
        let root = &roots[n as usize];
        for i in 0..n {
            let path = inclusion(&nodes, i, n);
            assert!(verify_inclusion(i, n, &leaves[i as usize], &path, root), "inclusion of {i} in {n}");
            // Another leaf, or the proof for the leaf beside it, does not pass.
            let other = (i + 1) % n;
            if other != i {
                assert!(!verify_inclusion(i, n, &leaves[other as usize], &path, root), "leaf {other} passed for {i} in {n}");
            }
            for k in 0..path.len() {
                let mut bad = path.clone();
                bad[k][31] ^= 0x80;
                assert!(!verify_inclusion(i, n, &leaves[i as usize], &bad, root), "altered inclusion of {i} in {n}");
            }
        }
        for m in 1..=n {
            let proof = consistency(&nodes, m, n);
            assert!(verify_consistency(m, n, &roots[m as usize], root, &proof), "consistency {m} → {n}");
            if m < n {
                // Another old root (the tree one entry smaller) does not pass.
                assert!(!verify_consistency(m, n, &roots[m as usize - 1], root, &proof), "wrong old root {m} → {n}");
                for k in 0..proof.len() {
                    let mut bad = proof.clone();
                    bad[k][0] ^= 1;
                    assert!(!verify_consistency(m, n, &roots[m as usize], root, &bad), "altered consistency {m} → {n}");
                }
            }
        }
    }
}

#[test]
fn random_proofs_in_larger_trees_pass_the_rfc_9162_verifier() {
    let (leaves, nodes) = tree(20_000);
    let mut rng = rand::thread_rng();
    for _ in 0..60 {
        let n = rng.gen_range(71..=leaves.len() as u64);
        let m = rng.gen_range(1..=n);
        let i = rng.gen_range(0..n);
        let (old, new) = (mth(&leaves[..m as usize]), mth(&leaves[..n as usize]));
        assert!(verify_inclusion(i, n, &leaves[i as usize], &inclusion(&nodes, i, n), &new), "inclusion of {i} in {n}");
        assert!(verify_consistency(m, n, &old, &new, &consistency(&nodes, m, n)), "consistency {m} → {n}");
    }
}
