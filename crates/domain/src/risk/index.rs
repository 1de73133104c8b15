//! 规则索引 — the criteria of a rule set indexed by what a record must present for them to hit,
//! so a decision costs what its candidate criteria cost, not what the whole rule set costs.
//!
//! Every criterion is filed under one of its necessary conditions — the one likely to be the
//! rarest: an enterprise, a bill of lading or a buyer on a list; an HS prefix (a digit trie over
//! the 2–10 digit prefixes, walked once per item); an origin or trade country; a trade mode.
//! A criterion with none of these (a price band alone, a credit grade, a direction) is on a
//! short always-check list. For a record the index gives the candidates — every criterion
//! whose filed condition the record meets — in rule-set order; the criterion's own predicate
//! then decides each one, so the index never needs to know every condition a criterion may
//! have, only that the one it files under must hold for a hit.
//!
//! A rule set builds its index once, on first use (the writer warms it when a version is
//! loaded or published). A rule set is not changed after it has decided: a changed copy is a
//! new value and builds its own index. Should a rule set be changed in place after all, the
//! stale index is noticed (the criteria or lists moved or changed size) and a fresh one built
//! for that decision.

use super::criterion::{Criterion, ListField, RuleSet};
use super::engine::Subject;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

/// A range into [`CriteriaIndex::postings`].
#[derive(Debug, Clone, Copy, Default)]
struct Postings {
    start: u32,
    end: u32,
}

/// A node of the digit trie: one child per digit (0 = none) and the criteria filed at this prefix.
#[derive(Debug, Clone, Default)]
struct Node {
    children: [u32; 10],
    at: Postings,
}

/// The criteria of one rule set, by the keys a record presents.
#[derive(Debug, Clone, Default)]
pub struct CriteriaIndex {
    /// Digit trie over HS prefixes; node 0 is the root (the empty prefix).
    trie: Vec<Node>,
    /// Prefixes from HS lists that are not all digits, checked one by one.
    odd_prefixes: Vec<(Box<str>, u32)>,
    origins: FxHashMap<Box<str>, Postings>,
    trade_countries: FxHashMap<Box<str>, Postings>,
    enterprises: FxHashMap<Box<str>, Postings>,
    bills: FxHashMap<Box<str>, Postings>,
    buyers: FxHashMap<Box<str>, Postings>,
    trade_modes: FxHashMap<Box<str>, Postings>,
    /// Criteria with no indexable condition: candidates for every record.
    always: Vec<u32>,
    postings: Vec<u32>,
    shape: Shape,
}

/// What the index was built from, to notice a rule set changed in place after it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Shape {
    criteria: usize,
    criteria_at: usize,
    lists: usize,
    list_entries: usize,
}

impl Shape {
    fn of(rules: &RuleSet) -> Shape {
        Shape {
            criteria: rules.criteria.len(),
            criteria_at: rules.criteria.as_ptr() as usize,
            lists: rules.lists.len(),
            list_entries: rules.lists.values().map(|s| s.len()).sum(),
        }
    }
}

/// The key family a criterion is filed under, rarest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Buyer,
    Bill,
    Enterprise,
    Hs,
    Origin,
    TradeCountry,
    TradeMode,
}

/// The keys of one criterion under its rarest family, or None when it has no indexable
/// condition. An empty key list means the criterion can never hit (a list it needs is missing).
fn keys_of<'r>(c: &'r Criterion, rules: &'r RuleSet) -> Option<(Key, Vec<&'r str>)> {
    let w = &c.when;
    let mut options: Vec<(Key, Vec<&str>)> = Vec::new();
    let list = |name: &str| -> Vec<&'r str> { rules.lists.get(name).map(|s| s.iter().map(String::as_str).collect()).unwrap_or_default() };
    if !w.enterprises.is_empty() {
        options.push((Key::Enterprise, w.enterprises.iter().map(|e| e.as_str()).collect()));
    }
    if !w.hs_prefixes.is_empty() {
        options.push((Key::Hs, w.hs_prefixes.iter().map(String::as_str).collect()));
    }
    if !w.origin_countries.is_empty() {
        options.push((Key::Origin, w.origin_countries.iter().map(|o| o.as_str()).collect()));
    }
    if !w.trade_countries.is_empty() {
        options.push((Key::TradeCountry, w.trade_countries.iter().map(|o| o.as_str()).collect()));
    }
    if !w.trade_modes.is_empty() {
        options.push((Key::TradeMode, w.trade_modes.iter().map(String::as_str).collect()));
    }
    for lc in &w.on_lists {
        let key = match lc.field {
            ListField::HsCode => Key::Hs,
            ListField::OriginCountry => Key::Origin,
            ListField::TradeCountry => Key::TradeCountry,
            ListField::Enterprise => Key::Enterprise,
            ListField::BillNo => Key::Bill,
            ListField::Buyer => Key::Buyer,
        };
        options.push((key, list(&lc.list)));
    }
    // A missing list never holds: file nothing, the criterion is never a candidate.
    if let Some(i) = options.iter().position(|(_, keys)| keys.is_empty()) {
        return Some(options.swap_remove(i));
    }
    options.into_iter().min_by_key(|(key, keys)| (*key, keys.len()))
}

struct Builder {
    trie: Vec<(Node, Vec<u32>)>,
    odd_prefixes: Vec<(Box<str>, u32)>,
    /// One map per key family, by `Key as usize` (the HS one unused: prefixes go into the trie).
    maps: [FxHashMap<Box<str>, Vec<u32>>; 7],
    always: Vec<u32>,
}

impl Builder {
    fn prefix(&mut self, prefix: &str, criterion: u32) {
        if !prefix.bytes().all(|b| b.is_ascii_digit()) {
            self.odd_prefixes.push((prefix.into(), criterion));
            return;
        }
        let mut at = 0usize;
        for b in prefix.bytes() {
            let d = usize::from(b - b'0');
            let next = self.trie[at].0.children[d];
            at = if next == 0 {
                self.trie.push((Node::default(), Vec::new()));
                let n = self.trie.len() - 1;
                self.trie[at].0.children[d] = n as u32;
                n
            } else {
                next as usize
            };
        }
        self.trie[at].1.push(criterion);
    }
}

fn flatten(map: FxHashMap<Box<str>, Vec<u32>>, postings: &mut Vec<u32>) -> FxHashMap<Box<str>, Postings> {
    map.into_iter()
        .map(|(k, mut v)| {
            v.dedup();
            let start = postings.len() as u32;
            postings.extend(v);
            (k, Postings { start, end: postings.len() as u32 })
        })
        .collect()
}

impl CriteriaIndex {
    /// Indexes the active criteria of `rules`.
    pub fn build(rules: &RuleSet) -> CriteriaIndex {
        let mut b =
            Builder { trie: vec![(Node::default(), Vec::new())], odd_prefixes: Vec::new(), maps: Default::default(), always: Vec::new() };
        for (i, c) in rules.criteria.iter().enumerate() {
            if !c.active {
                continue;
            }
            let i = i as u32;
            match keys_of(c, rules) {
                None => b.always.push(i),
                Some((Key::Hs, prefixes)) => prefixes.into_iter().for_each(|p| b.prefix(p, i)),
                Some((key, keys)) => {
                    let map = &mut b.maps[key as usize];
                    for k in keys {
                        map.entry(k.into()).or_default().push(i);
                    }
                }
            }
        }
        let mut postings = Vec::new();
        let trie = b
            .trie
            .into_iter()
            .map(|(mut node, mut at)| {
                at.dedup();
                let start = postings.len() as u32;
                postings.extend(at);
                node.at = Postings { start, end: postings.len() as u32 };
                node
            })
            .collect();
        let [buyers, bills, enterprises, _, origins, trade_countries, trade_modes] = b.maps;
        CriteriaIndex {
            trie,
            odd_prefixes: b.odd_prefixes,
            buyers: flatten(buyers, &mut postings),
            bills: flatten(bills, &mut postings),
            enterprises: flatten(enterprises, &mut postings),
            origins: flatten(origins, &mut postings),
            trade_countries: flatten(trade_countries, &mut postings),
            trade_modes: flatten(trade_modes, &mut postings),
            always: b.always,
            postings,
            shape: Shape::of(rules),
        }
    }

    fn extend(&self, out: &mut Candidates, p: Postings) {
        for &i in &self.postings[p.start as usize..p.end as usize] {
            out.push(i);
        }
    }

    fn look_up(&self, out: &mut Candidates, map: &FxHashMap<Box<str>, Postings>, key: &str) {
        if let Some(p) = map.get(key) {
            self.extend(out, *p);
        }
    }

    /// The criteria that may hit `subject`, as indexes into the rule set's criteria, ascending
    /// and without repeats. Every criterion that hits is among them.
    pub fn candidates(&self, subject: &Subject<'_>, out: &mut Candidates) {
        out.clear();
        for &i in &self.always {
            out.push(i);
        }
        for item in &subject.items {
            let mut at = 0usize;
            self.extend(out, self.trie[0].at);
            for b in item.code.bytes() {
                if !b.is_ascii_digit() {
                    break;
                }
                let next = self.trie[at].children[usize::from(b - b'0')];
                if next == 0 {
                    break;
                }
                at = next as usize;
                self.extend(out, self.trie[at].at);
            }
            for (p, i) in &self.odd_prefixes {
                if item.code.starts_with(&**p) {
                    out.push(*i);
                }
            }
            if !self.origins.is_empty() {
                self.look_up(out, &self.origins, item.origin);
            }
        }
        if !self.trade_countries.is_empty() {
            self.look_up(out, &self.trade_countries, subject.trade_country);
        }
        if !self.trade_modes.is_empty() {
            self.look_up(out, &self.trade_modes, subject.trade_mode);
        }
        if !self.enterprises.is_empty() {
            for p in &subject.parties {
                self.look_up(out, &self.enterprises, p);
            }
        }
        if !self.bills.is_empty() {
            self.look_up(out, &self.bills, subject.bill_no);
        }
        if let Some(buyer) = subject.buyer.filter(|_| !self.buyers.is_empty()) {
            self.look_up(out, &self.buyers, buyer);
        }
        out.sort_dedup();
    }
}

/// Candidate criteria of one decision: kept on the stack up to a few dozen, the usual case,
/// so deciding allocates nothing for them.
pub struct Candidates {
    inline: [u32; 48],
    len: usize,
    spill: Vec<u32>,
}

impl Default for Candidates {
    fn default() -> Self {
        Candidates { inline: [0; 48], len: 0, spill: Vec::new() }
    }
}

impl Candidates {
    fn clear(&mut self) {
        self.len = 0;
        self.spill.clear();
    }

    fn push(&mut self, i: u32) {
        if self.len < self.inline.len() && self.spill.is_empty() {
            self.inline[self.len] = i;
            self.len += 1;
        } else {
            if self.spill.is_empty() {
                self.spill.extend_from_slice(&self.inline[..self.len]);
            }
            self.spill.push(i);
        }
    }

    fn sort_dedup(&mut self) {
        if self.spill.is_empty() {
            let s = &mut self.inline[..self.len];
            s.sort_unstable();
            let mut n = 0;
            for j in 0..s.len() {
                if n == 0 || s[j] != s[n - 1] {
                    s[n] = s[j];
                    n += 1;
                }
            }
            self.len = n;
        } else {
            self.spill.sort_unstable();
            self.spill.dedup();
        }
    }

    pub fn as_slice(&self) -> &[u32] {
        if self.spill.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }
}

/// Where a rule set keeps its index: built on first use, never serialized or compared (it is a
/// function of the rule set), and not carried over to a clone, which may be changed.
#[derive(Default)]
pub struct IndexCell(OnceLock<CriteriaIndex>);

impl Clone for IndexCell {
    fn clone(&self) -> Self {
        IndexCell::default()
    }
}

impl PartialEq for IndexCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for IndexCell {}

impl std::fmt::Debug for IndexCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() { "IndexCell(built)" } else { "IndexCell(empty)" })
    }
}

impl RuleSet {
    /// The index of the criteria, built on first use.
    pub fn index(&self) -> Cow<'_, CriteriaIndex> {
        let index = self.index.0.get_or_init(|| CriteriaIndex::build(self));
        if index.shape == Shape::of(self) {
            Cow::Borrowed(index)
        } else {
            Cow::Owned(CriteriaIndex::build(self))
        }
    }
}

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
