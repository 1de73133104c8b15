//! A small seeded generator (SplitMix64). The seed is recorded with each decision, so the same
//! seed, declaration and rule-set version always give the same draws.

#[derive(Debug, Clone)]
pub struct Draws {
    state: u64,
}

impl Draws {
    pub fn new(seed: u64) -> Self {
        Draws { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A draw in `0..10_000` (basis points), by multiply-shift so every value is equally likely
    /// to within 2^-50.
    pub fn basis_points(&mut self) -> u32 {
        ((u128::from(self.next_u64()) * 10_000) >> 64) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_draws_and_roughly_uniform() {
        let a: Vec<u32> = {
            let mut d = Draws::new(42);
            (0..5).map(|_| d.basis_points()).collect()
        };
        let b: Vec<u32> = {
            let mut d = Draws::new(42);
            (0..5).map(|_| d.basis_points()).collect()
        };
        assert_eq!(a, b);
        let mut d = Draws::new(7);
        let n = 100_000;
        let below_500 = (0..n).filter(|_| d.basis_points() < 500).count();
        // 5% expected; allow a wide band (±0.5 percentage points is > 7 standard deviations).
        assert!((4_500..5_500).contains(&below_500), "{below_500}");
    }
}
