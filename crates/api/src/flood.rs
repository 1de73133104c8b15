//! A guard against floods of one buyer: at most so many inventory lists per buyer identity in
//! any sixty seconds reach the write path; the rest are refused with 429 before anything is
//! stored. A platform replaying a backlog spreads it over time; a script hammering one identity
//! is cut off without slowing anyone else.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Default inventory lists per buyer identity per minute.
pub const DEFAULT_PER_MINUTE: u32 = 60;

const WINDOW_MS: i64 = 60_000;
/// Past this many identities remembered, those idle for a whole window are forgotten.
const PRUNE_AT: usize = 100_000;

pub struct BuyerFlood {
    per_minute: u32,
    /// Buyer → times of the lists taken in the last window, oldest first.
    seen: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl BuyerFlood {
    pub fn new(per_minute: u32) -> BuyerFlood {
        BuyerFlood { per_minute, seen: Mutex::new(HashMap::new()) }
    }

    /// From `GUOMEN_CEB_BUYER_PER_MINUTE`, else the default.
    pub fn from_env() -> BuyerFlood {
        let n = std::env::var("GUOMEN_CEB_BUYER_PER_MINUTE").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_PER_MINUTE);
        BuyerFlood::new(n)
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
