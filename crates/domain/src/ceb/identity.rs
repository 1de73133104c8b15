//! 身份冒用 — the identity-theft guard. A buyer's identity that orders to many different
//! addresses, or from many different telephone numbers, within a short window is a sign that
//! someone else is using it (to split general trade into retail parcels under other people's
//! quotas). Inventories that trip the guard are held for manual review (300); an officer either
//! clears them or confirms the theft, which rejects them and gives the quota back.
//!
//! Addresses and numbers are compared by fingerprint after normalisation (whitespace and
//! punctuation removed, letters folded to lower case), so the record keeps no second copy.

use serde::{Deserialize, Serialize};

/// The guard's thresholds; part of the published rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityGuard {
    /// Turn the guard off entirely.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How far back sightings count.
    pub window_days: u32,
    /// Held when the buyer used more distinct consignee addresses than this in the window.
    pub max_addresses: u32,
    /// Held when the buyer used more distinct telephone numbers than this in the window.
    pub max_phones: u32,
}

fn yes() -> bool {
    true
}

impl Default for IdentityGuard {
    fn default() -> Self {
        IdentityGuard { enabled: true, window_days: 30, max_addresses: 5, max_phones: 5 }
    }
}

impl IdentityGuard {
    pub fn window_ms(&self) -> i64 {
        i64::from(self.window_days) * 86_400_000
    }
}

/// FNV-1a over the normalised text: stable across processes and versions.
pub fn fingerprint(text: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h as i64
}

/// One inventory's use of an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sighting {
    pub at_ms: i64,
    pub address: i64,
    pub phone: i64,
}

/// Why an identity looks stolen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspicion {
    pub window_days: u32,
    pub addresses: u32,
    pub phones: u32,
    pub max_addresses: u32,
    pub max_phones: u32,
}

impl Suspicion {
    /// What the sender and the buyer are told: that the list is held, not the guard's window
    /// or limits (a platform that knew them could stay just below).
    pub const NOTICE_EN: &'static str = "held for manual review of possible identity theft";
    pub const NOTICE_ZH: &'static str = "疑似身份冒用，转人工审核";

    /// The full explanation, for customs: the counts, the window and the limits.
    pub fn en(&self) -> String {
        format!(
            "the buyer's identity was used with {} different addresses and {} different telephone numbers in {} days (limits {} and {}); held for manual review of possible identity theft",
            self.addresses, self.phones, self.window_days, self.max_addresses, self.max_phones
        )
    }

    pub fn zh(&self) -> String {
        format!(
            "订购人身份信息在 {} 天内使用了 {} 个不同收货地址、{} 个不同电话号码（上限分别为 {} 和 {}），疑似身份冒用，转人工审核",
            self.window_days, self.addresses, self.phones, self.max_addresses, self.max_phones
        )
    }
}

/// What the guard remembers of one identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sightings(Vec<Sighting>);

impl Sightings {
    pub fn push(&mut self, s: Sighting) {
        self.0.push(s);
    }

    /// Forgets sightings older than the window before `now_ms`.
    pub fn trim(&mut self, now_ms: i64, guard: &IdentityGuard) {
        let from = now_ms - guard.window_ms();
        self.0.retain(|s| s.at_ms >= from);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Checks the identity as it would stand with `next` added.
    pub fn check(&self, next: Sighting, guard: &IdentityGuard) -> Option<Suspicion> {
        if !guard.enabled {
            return None;
        }
        let from = next.at_ms - guard.window_ms();
        let recent = self.0.iter().filter(|s| s.at_ms >= from).chain(std::iter::once(&next));
        let mut addresses: Vec<i64> = Vec::new();
        let mut phones: Vec<i64> = Vec::new();
        for s in recent {
            if !addresses.contains(&s.address) {
                addresses.push(s.address);
            }
            if !phones.contains(&s.phone) {
                phones.push(s.phone);
            }
        }
        let (a, p) = (addresses.len() as u32, phones.len() as u32);
        (a > guard.max_addresses || p > guard.max_phones).then_some(Suspicion {
            window_days: guard.window_days,
            addresses: a,
            phones: p,
            max_addresses: guard.max_addresses,
            max_phones: guard.max_phones,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn at(day: i64, addr: &str, phone: &str) -> Sighting {
        Sighting { at_ms: day * DAY, address: fingerprint(addr), phone: fingerprint(phone) }
    }

    #[test]
    fn normalisation_ignores_spacing_punctuation_and_case() {
        assert_eq!(fingerprint("北京市 海淀区, 中关村1号"), fingerprint("北京市海淀区中关村1号"));
        assert_eq!(fingerprint("Room 5A"), fingerprint("room5a"));
        assert_ne!(fingerprint("中关村1号"), fingerprint("中关村2号"));
    }

    #[test]
    fn many_addresses_in_the_window_trip_the_guard() {
        let g = IdentityGuard { enabled: true, window_days: 30, max_addresses: 3, max_phones: 10 };
        let mut s = Sightings::default();
        for i in 0..3 {
            let next = at(i, &format!("地址{i}"), "13800000000");
            assert_eq!(s.check(next, &g), None);
            s.push(next);
        }
        let hit = s.check(at(3, "地址3", "13800000000"), &g).expect("fourth address trips the guard");
        assert_eq!((hit.addresses, hit.phones), (4, 1));
        // The same address again does not.
        assert_eq!(s.check(at(3, "地址 0", "13800000000"), &g), None);
    }

    #[test]
    fn old_sightings_fall_out_of_the_window() {
        let g = IdentityGuard { enabled: true, window_days: 30, max_addresses: 10, max_phones: 2 };
        let mut s = Sightings::default();
        s.push(at(0, "a", "1"));
        s.push(at(1, "a", "2"));
        assert!(s.check(at(2, "a", "3"), &g).is_some());
        assert!(s.check(at(31, "a", "3"), &g).is_none(), "day 0 is outside the window seen from day 31");
        s.trim(40 * DAY, &g);
        assert!(s.is_empty());
    }

    #[test]
    fn a_disabled_guard_never_holds() {
        let g = IdentityGuard { enabled: false, window_days: 30, max_addresses: 0, max_phones: 0 };
        assert!(Sightings::default().check(at(0, "a", "1"), &g).is_none());
    }
}
