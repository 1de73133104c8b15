//! Record numbers taken from named counters, which the kernel writes with the batch. A counter a
//! database created before counters were kept for that record does not hold yet starts from the
//! number of records already stored under it (`seed`), so numbers never repeat.
//!
//! A number is looked at first ([`peek`]) and taken ([`take`]) only once the command is
//! accepted: a refusal changes nothing, not even a counter.

use crate::kernel::Tx;

/// The number counter `name` would give next: one more than the last one taken, or than `seed`
/// rows (a `SELECT COUNT(*) …`, with `$1` bound to `key` if given) when the counter was never set.
pub(crate) async fn peek(tx: &mut Tx<'_>, name: &str, seed: &str, key: Option<&str>) -> Result<i64, sqlx::Error> {
    let mut last = tx.counter(name).await?;
    if last == 0 {
        let q = sqlx::query_scalar::<_, i64>(seed);
        let q = match key {
            Some(k) => q.bind(k.to_owned()),
            None => q,
        };
        last = q.fetch_one(&mut *tx.conn).await?;
    }
    Ok(last + 1)
}

/// Records that number `n` of counter `name` was taken.
pub(crate) fn take(tx: &mut Tx<'_>, name: &str, n: i64) {
    tx.journal.set_counter(name, n);
}

/// Width of the sequence that ends declaration, inventory-list and pre-entry numbers.
pub(crate) const SEQUENCE_DIGITS: usize = 9;

/// A number made of a prefix and a counter's value (`{prefix}{n:09}`).
pub(crate) fn numbered(prefix: &str, n: i64) -> String {
    format!("{prefix}{n:0width$}", width = SEQUENCE_DIGITS)
}

/// The counter `{counter}:{prefix}` a number was taken from and the value it took: the inverse
/// of [`numbered`].
pub(crate) fn counter_of(counter: &str, number: &str) -> Option<(String, i64)> {
    let cut = number.len().checked_sub(SEQUENCE_DIGITS)?;
    let n = number.get(cut..)?.parse().ok()?;
    Some((format!("{counter}:{}", number.get(..cut)?), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_numbers_are_inverse() {
        let id = numbered("950120261", 42);
        assert_eq!(id, "950120261000000042");
        assert_eq!(counter_of("entry", &id), Some(("entry:950120261".into(), 42)));
        assert_eq!(counter_of("entry", "12"), None);
    }
}
