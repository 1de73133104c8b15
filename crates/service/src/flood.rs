//! Sliding-window limits per key: at most so many requests for one key in any sixty seconds.
//!
//! [`BuyerFlood`] guards the write path against floods of one buyer: at most so many inventory
//! lists per buyer identity reach it; the rest are refused with 429 before anything is stored. A
//! platform replaying a backlog spreads it over time; a script hammering one identity is cut off
//! without slowing anyone else. [`Lookups`] holds back guessing of personal data: lookups of a
//! buyer's parcel and quota per client address and per identity.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Default inventory lists per buyer identity per minute.
pub const DEFAULT_PER_MINUTE: u32 = 60;

const WINDOW_MS: i64 = 60_000;
/// Past this many identities remembered, those idle for a whole window are forgotten.
const PRUNE_AT: usize = 100_000;

/// Requests per key within any sixty seconds.
pub struct Flood {
    per_minute: u32,
    /// Buyer → times of the lists taken in the last window, oldest first.
    seen: Mutex<HashMap<String, VecDeque<i64>>>,
}

/// Inventory lists per buyer identity.
pub type BuyerFlood = Flood;

fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

impl Flood {
    pub fn new(per_minute: u32) -> Flood {
        Flood { per_minute, seen: Mutex::new(HashMap::new()) }
    }

    /// Inventory lists per buyer: from `GUOMEN_CEB_BUYER_PER_MINUTE`, else the default.
    pub fn from_env() -> Flood {
        Flood::new(env_or("GUOMEN_CEB_BUYER_PER_MINUTE", DEFAULT_PER_MINUTE))
    }

    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Counts one inventory list for each entry of `buyers` at `now_ms`; the first buyer that
    /// would go over the limit within the last sixty seconds is returned and nothing is counted.
    pub fn admit<'a>(&self, buyers: &[&'a str], now_ms: i64) -> Result<(), &'a str> {
        let mut seen = self.seen.lock().expect("flood guard lock");
        if seen.len() > PRUNE_AT {
            seen.retain(|_, times| times.back().is_some_and(|t| *t > now_ms - WINDOW_MS));
        }
        let mut wanted: HashMap<&str, u32> = HashMap::new();
        for b in buyers {
            *wanted.entry(b).or_default() += 1;
        }
        for (b, n) in &wanted {
            let recent = seen.get_mut(*b).map_or(0, |times| {
                while times.front().is_some_and(|t| *t <= now_ms - WINDOW_MS) {
                    times.pop_front();
                }
                times.len() as u32
            });
            if recent + n > self.per_minute {
                return Err(buyers.iter().copied().find(|x| x == b).expect("from the list"));
            }
        }
        for (b, n) in wanted {
            let times = seen.entry(b.to_owned()).or_default();
            times.extend(std::iter::repeat_n(now_ms, n as usize));
        }
        Ok(())
    }
}

/// Parcel lookups a minute per client address (`GUOMEN_PARCEL_LOOKUPS_PER_MINUTE`): a buyer
/// checks a parcel now and then; a script guessing identities is stopped at once.
pub const PARCEL_PER_ADDRESS: u32 = 20;
/// Lookups a minute of one buyer identity, from anywhere: parcels and quota pre-checks.
pub const PARCEL_PER_IDENTITY: u32 = 10;
pub const QUOTA_PER_IDENTITY: u32 = 30;
/// Quota pre-checks a minute per client address (`GUOMEN_QUOTA_CHECKS_PER_MINUTE`): a platform
/// pre-checks each buyer at checkout from a few servers, so the cap is far above any buyer's
/// and far below what enumerating identities would need.
pub const QUOTA_PER_ADDRESS: u32 = 1200;

/// The limits on lookups of a buyer's personal data.
pub struct Lookups {
    pub parcel_by_address: Flood,
    pub parcel_by_identity: Flood,
    pub quota_by_address: Flood,
    pub quota_by_identity: Flood,
}

impl Lookups {
    pub fn from_env() -> Lookups {
        Lookups {
            parcel_by_address: Flood::new(env_or("GUOMEN_PARCEL_LOOKUPS_PER_MINUTE", PARCEL_PER_ADDRESS)),
            parcel_by_identity: Flood::new(PARCEL_PER_IDENTITY),
            quota_by_address: Flood::new(env_or("GUOMEN_QUOTA_CHECKS_PER_MINUTE", QUOTA_PER_ADDRESS)),
            quota_by_identity: Flood::new(QUOTA_PER_IDENTITY),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buyer_over_the_limit_is_refused_and_others_are_not() {
        let g = BuyerFlood::new(3);
        assert!(g.admit(&["a", "a"], 0).is_ok());
        assert!(g.admit(&["b"], 1).is_ok());
        assert_eq!(g.admit(&["a", "a"], 2), Err("a"), "2 + 2 > 3");
        assert!(g.admit(&["a"], 3).is_ok(), "the refused request counted nothing");
        assert_eq!(g.admit(&["a"], 4), Err("a"));
        assert_eq!(g.admit(&["a"], 59_999), Err("a"), "the window slides: still three within sixty seconds");
        assert!(g.admit(&["a", "a"], 60_001).is_ok(), "the two lists at 0 left the window");
        assert_eq!(g.admit(&["a"], 60_002), Err("a"), "the list at 3 is still in it");
    }

    #[test]
    fn the_window_slides_rather_than_resets() {
        let g = BuyerFlood::new(2);
        assert!(g.admit(&["x"], 59_000).is_ok());
        assert!(g.admit(&["x"], 60_500).is_ok());
        // A fixed per-minute window would allow two more at 60,500; a sliding one does not.
        assert_eq!(g.admit(&["x"], 61_000), Err("x"));
        assert!(g.admit(&["x"], 119_001).is_ok(), "59,000 has left the window");
    }
}
