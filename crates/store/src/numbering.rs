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
