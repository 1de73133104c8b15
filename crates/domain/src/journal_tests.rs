//! Hash-chain tests: an honest chain verifies; altering, removing or reordering entries is found
//! at the first entry affected.

use crate::journal::*;
use proptest::prelude::*;

/// A stored journal row: the covered fields plus the stored links.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    seq: i64,
    stream: String,
    kind: String,
    actor: String,
    at_ms: i64,
    payload: String,
    prev_hash: String,
    hash: String,
}

impl Row {
    fn fields(&self) -> EntryFields<'_> {
        EntryFields { seq: self.seq, stream: &self.stream, kind: &self.kind, actor: &self.actor, at_ms: self.at_ms, payload: &self.payload }
    }

    /// Recomputes this row's hash from its own stored previous hash (what a careful forger does).
    fn rehash(&mut self) {
        self.hash = entry_hash(&self.prev_hash, &self.fields());
    }
}

/// Builds a chain honestly: seq from 1, each entry linked to the one before.
fn build(payloads: &[String]) -> Vec<Row> {
    let mut prev = GENESIS.to_owned();
    let mut rows = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        let seq = i as i64 + 1;
        let mut row = Row {
            seq,
            stream: format!("declaration:37022025100000{:04}", i % 3),
            kind: ["declaration_filed", "risk_assessed", "released"][i % 3].to_owned(),
            actor: if i % 2 == 0 { "user:agent1".into() } else { "system".into() },
            at_ms: 1_741_600_000_000 + seq * 1_000,
            payload: p.clone(),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        row.rehash();
        prev = row.hash.clone();
        rows.push(row);
    }
    rows
}

fn sample(n: usize) -> Vec<Row> {
    let payloads: Vec<String> = (0..n).map(|i| format!(r#"{{"type":"event","n":{i},"text":"货物放行 {i}"}}"#)).collect();
    build(&payloads)
}

/// Feeds rows in the given order; Ok(number checked) or the first break.
fn verify(rows: &[Row]) -> Result<u64, Break> {
    let mut v = Verifier::default();
    for r in rows {
        v.check(&r.fields(), &r.prev_hash, &r.hash)?;
    }
    Ok(v.checked)
}

#[test]
fn hash_is_sha256_hex_and_deterministic() {
    let rows = sample(3);
    for r in &rows {
        assert_eq!(r.hash.len(), 64);
        assert!(r.hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{}", r.hash);
        assert_eq!(entry_hash(&r.prev_hash, &r.fields()), r.hash);
    }
    assert_eq!(rows[0].prev_hash, GENESIS);
    assert_eq!(rows[1].prev_hash, rows[0].hash);
    assert_eq!(rows[2].prev_hash, rows[1].hash);
    assert_eq!(GENESIS.len(), 64);
    assert_ne!(rows[0].hash, rows[1].hash);
    assert_eq!(sample(3), rows, "building the same chain twice gives the same hashes");
}

#[test]
fn every_covered_field_changes_the_hash() {
    let base = sample(1).remove(0);
    let h = |r: &Row| entry_hash(&r.prev_hash, &r.fields());
    let original = h(&base);
    type Change = Box<dyn Fn(&mut Row)>;
    let variants: Vec<(&str, Change)> = vec![
        ("prev", Box::new(|r| r.prev_hash = "1".repeat(64))),
        ("seq", Box::new(|r| r.seq += 1)),
        ("stream", Box::new(|r| r.stream.push('x'))),
        ("kind", Box::new(|r| r.kind = "held".into())),
        ("actor", Box::new(|r| r.actor = "user:mallory".into())),
        ("at_ms", Box::new(|r| r.at_ms += 1)),
        ("payload", Box::new(|r| r.payload.push(' '))),
    ];
    for (name, change) in variants {
        let mut r = base.clone();
        change(&mut r);
        assert_ne!(h(&r), original, "{name} is covered");
    }
}

#[test]
fn fields_cannot_bleed_into_each_other() {
    // Moving characters from one field to the next keeps the concatenation but not the hash.
    let mut a = sample(1).remove(0);
    a.stream = "declaration:1".into();
    a.kind = "released".into();
    let mut b = a.clone();
    b.stream = "declaration:1r".into();
    b.kind = "eleased".into();
    assert_ne!(entry_hash(GENESIS, &a.fields()), entry_hash(GENESIS, &b.fields()));
    let mut c = a.clone();
    c.actor = "system".into();
    c.payload = "{}".into();
    let mut d = c.clone();
    d.actor = "system{".into();
    d.payload = "}".into();
    assert_ne!(entry_hash(GENESIS, &c.fields()), entry_hash(GENESIS, &d.fields()));
}

#[test]
fn honest_chain_verifies() {
    for n in [0, 1, 2, 10, 50] {
        assert_eq!(verify(&sample(n)), Ok(n as u64), "chain of {n}");
    }
}

#[test]
fn altered_payload_is_a_content_break_at_that_entry() {
    for at in [0usize, 4, 9] {
        let mut rows = sample(10);
        rows[at].payload = rows[at].payload.replace("放行", "扣留");
        assert_eq!(verify(&rows), Err(Break::Content { seq: at as i64 + 1 }), "altered entry {}", at + 1);
    }
}

#[test]
fn every_altered_field_is_a_content_break() {
    let changes: Vec<fn(&mut Row)> =
        vec![|r| r.stream = "declaration:other".into(), |r| r.kind = "held".into(), |r| r.actor = "user:mallory".into(), |r| {
            r.at_ms -= 60_000
        }];
    for change in changes {
        let mut rows = sample(6);
        change(&mut rows[3]);
        assert_eq!(verify(&rows), Err(Break::Content { seq: 4 }));
    }
}

#[test]
fn altered_and_rehashed_entry_breaks_the_next_link() {
    let mut rows = sample(8);
    let original_head = rows.last().unwrap().hash.clone();
    rows[2].payload = r#"{"forged":true}"#.into();
    rows[2].rehash();
    assert_eq!(verify(&rows), Err(Break::Link { seq: 4 }));

    // Rewriting every later entry too makes a chain that verifies on its own, but its head
    // hash is no longer the one that was published.
    let forged = build(&rows.iter().map(|r| r.payload.clone()).collect::<Vec<_>>());
    assert_eq!(verify(&forged), Ok(8));
    assert_ne!(forged.last().unwrap().hash, original_head);
}

#[test]
fn last_entry_altered_is_found_too() {
    let mut rows = sample(5);
    rows[4].hash = "f".repeat(64);
    assert_eq!(verify(&rows), Err(Break::Content { seq: 5 }));
}

#[test]
fn removed_entry_is_a_gap() {
    for removed in [0usize, 3, 8] {
        let mut rows = sample(10);
        rows.remove(removed);
        let seq = removed as i64 + 1;
        assert_eq!(verify(&rows), Err(Break::Gap { seq: seq + 1, expected: seq }), "removed entry {seq}");
    }
    // Removing the tail cannot be seen from the entries alone: it leaves a shorter honest chain.
    let mut rows = sample(10);
    rows.pop();
    assert_eq!(verify(&rows), Ok(9));
}

#[test]
fn removed_and_renumbered_entry_breaks_the_link() {
    let mut rows = sample(10);
    rows.remove(4);
    for r in rows.iter_mut().skip(4) {
        r.seq -= 1;
    }
    // Entry 5 is now what was entry 6: its stored link points at the removed entry.
    assert_eq!(verify(&rows), Err(Break::Link { seq: 5 }));
}

#[test]
fn swapped_entries_are_detected_at_the_first_swapped_seq() {
    for first in [0usize, 3, 8] {
        let mut rows = sample(10);
        rows.swap(first, first + 1);
        let seq = first as i64 + 1;
        assert_eq!(verify(&rows), Err(Break::Gap { seq: seq + 1, expected: seq }), "swapped {seq} and {}", seq + 1);
    }
    // Swapping and renumbering so the sequence looks right breaks the link at the first swapped seq.
    let mut rows = sample(10);
    rows.swap(3, 4);
    rows[3].seq = 4;
    rows[4].seq = 5;
    assert_eq!(verify(&rows), Err(Break::Link { seq: 4 }));
}

#[test]
fn chain_must_start_at_genesis_and_seq_one() {
    let rows = sample(3);
    assert_eq!(verify(&rows[1..]), Err(Break::Gap { seq: 2, expected: 1 }));
    let mut rows = sample(3);
    rows[0].prev_hash = "a".repeat(64);
    rows[0].rehash();
    assert_eq!(verify(&rows), Err(Break::Link { seq: 1 }));
}

#[test]
fn verifier_stops_advancing_at_a_break() {
    let mut rows = sample(5);
    rows[2].payload.push('!');
    let mut v = Verifier::default();
    assert!(v.check(&rows[0].fields(), &rows[0].prev_hash, &rows[0].hash).is_ok());
    assert!(v.check(&rows[1].fields(), &rows[1].prev_hash, &rows[1].hash).is_ok());
    assert_eq!(v.check(&rows[2].fields(), &rows[2].prev_hash, &rows[2].hash), Err(Break::Content { seq: 3 }));
    assert_eq!(v.checked, 2);
    // Restoring the entry lets the same verifier carry on from where it stopped.
    rows[2].payload.pop();
    assert!(v.check(&rows[2].fields(), &rows[2].prev_hash, &rows[2].hash).is_ok());
    assert_eq!(v.checked, 3);
}

#[test]
fn break_messages_name_the_entry() {
    assert_eq!(Break::Gap { seq: 7, expected: 6 }.to_string(), "entry 7: expected entry 6 here; entries were removed or reordered");
    assert_eq!(Break::Link { seq: 3 }.to_string(), "entry 3: its link to the previous entry is broken");
    assert_eq!(Break::Content { seq: 9 }.to_string(), "entry 9: its content does not match its hash; it was altered");
}

/// Payloads of printable ASCII so a flipped low bit keeps them valid UTF-8 text.
fn payloads() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[ -~]{1,40}", 1..25)
}

proptest! {
    #[test]
    fn any_honest_chain_verifies(ps in payloads()) {
        let rows = build(&ps);
        prop_assert_eq!(verify(&rows), Ok(ps.len() as u64));
    }

    #[test]
    fn any_single_flipped_payload_byte_is_found_at_that_entry(
        ps in payloads(),
        which in any::<prop::sample::Index>(),
        pos in any::<prop::sample::Index>(),
        mask in 1u8..0x80,
    ) {
        let mut rows = build(&ps);
        let i = which.index(rows.len());
        let mut bytes = rows[i].payload.clone().into_bytes();
        let j = pos.index(bytes.len());
        bytes[j] ^= mask;
        prop_assert_ne!(&bytes, rows[i].payload.as_bytes());
        rows[i].payload = String::from_utf8(bytes).expect("ASCII stays ASCII");
        prop_assert_eq!(verify(&rows), Err(Break::Content { seq: i as i64 + 1 }));
    }
}
