//! A guard against floods of one buyer: at most so many inventory lists per buyer identity per
//! minute reach the write path; the rest are refused with 429 before anything is stored. A
//! platform replaying a backlog spreads it over time; a script hammering one identity is cut
//! off without slowing anyone else.

use std::collections::HashMap;
use std::sync::Mutex;

/// Default inventory lists per buyer identity per minute.
pub const DEFAULT_PER_MINUTE: u32 = 60;

pub struct BuyerFlood {
    per_minute: u32,
    window: Mutex<(i64, HashMap<String, u32>)>,
}

impl BuyerFlood {
    pub fn new(per_minute: u32) -> BuyerFlood {
        BuyerFlood { per_minute, window: Mutex::new((0, HashMap::new())) }
    }

    /// From `GUOMEN_CEB_BUYER_PER_MINUTE`, else the default.
    pub fn from_env() -> BuyerFlood {
        let n = std::env::var("GUOMEN_CEB_BUYER_PER_MINUTE").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_PER_MINUTE);
        BuyerFlood::new(n)
    }

    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Counts `n` inventory lists for each buyer at `now_ms`; the first buyer over the limit
    /// is returned and nothing is counted.
    pub fn admit<'a>(&self, buyers: &[&'a str], now_ms: i64) -> Result<(), &'a str> {
        let minute = now_ms.div_euclid(60_000);
        let mut w = self.window.lock().expect("flood guard lock");
        if w.0 != minute {
            *w = (minute, HashMap::new());
        }
        let mut wanted: HashMap<&str, u32> = HashMap::new();
        for b in buyers {
            *wanted.entry(b).or_default() += 1;
        }
        for (b, n) in &wanted {
            if w.1.get(*b).copied().unwrap_or(0) + n > self.per_minute {
                return Err(buyers.iter().copied().find(|x| x == b).expect("from the list"));
            }
        }
        for (b, n) in wanted {
            *w.1.entry(b.to_owned()).or_default() += n;
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
        assert!(g.admit(&["a", "a", "a"], 60_000).is_ok(), "a new minute starts afresh");
    }
}
