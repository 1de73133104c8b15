//! Reading stored rows back and comparing them with the rows derived from the journal: column by
//! column, a JSON record field by field, amounts as numbers.

use super::{DiffKind, Difference, Run};
use crate::kernel::{Table, Val};
use futures_util::StreamExt;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A value as read back: every column is read as text (`CAST(c AS TEXT)`), NULL as None.
pub(super) type Cell = Option<String>;

/// Reads a stored JSON record through its type and writes it back as JSON, so a record written
/// by an older version (a field added since, with its default) compares equal to its rebuild.
pub(super) type Normalize = fn(&str) -> Result<Value, String>;

pub(super) fn record<T: DeserializeOwned + Serialize>(doc: &str) -> Result<Value, String> {
    let t: T = serde_json::from_str(doc).map_err(|e| e.to_string())?;
    serde_json::to_value(t).map_err(|e| e.to_string())
}

/// How one table is checked.
pub(super) struct Check {
    pub table: &'static Table,
    /// Columns holding a whole record as JSON, with the record's type.
    pub docs: &'static [(&'static str, Normalize)],
    /// Columns holding decimal amounts, compared as numbers (`0` and `0.00` are the same sum).
    pub amounts: &'static [&'static str],
    /// Stored rows that are no view of the journal, left out (all-zero rollups, counters kept
    /// for other purposes).
    pub keep: Option<fn(&[Cell]) -> bool>,
    /// SQL selecting, as text, the key columns of stored rows that no journal stream accounts for
    /// — run only when the table holds more rows than the journal's records were compared with.
    pub strays: Option<&'static str>,
}

/// Which stored rows to read for a comparison.
pub(super) enum Fetch<'a> {
    /// The rows whose `column` is one of `values`, and which meet `also` (an SQL condition or "").
    In { column: &'static str, values: &'a [String], also: &'static str },
    /// Every row of the table, read as a stream.
    All,
}

/// Most values bound in one `IN (…)` list.
const IN_CHUNK: usize = 500;

fn select(table: &Table) -> String {
    let cols: Vec<String> = table.columns.iter().map(|c| format!("CAST({c} AS TEXT)")).collect();
    let (cols, name) = (cols.join(", "), table.name);
    format!("SELECT {cols} FROM {name}")
}

fn cells(r: &sqlx::any::AnyRow, n: usize) -> Result<Vec<Cell>, sqlx::Error> {
    (0..n).map(|i| r.try_get::<Option<String>, _>(i)).collect()
}

pub(super) fn to_cells(row: Vec<Val>) -> Vec<Cell> {
    row.into_iter()
        .map(|v| match v {
            Val::I(i) => Some(i.to_string()),
            Val::T(s) => Some(s),
            Val::OI(i) => i.map(|i| i.to_string()),
            Val::OT(s) => s,
        })
        .collect()
}

/// `id=…` or `declaration_id=…, criterion=…`.
pub(super) fn key_text(table: &Table, key: &[Cell]) -> String {
    table.key_columns().iter().zip(key).map(|(c, v)| format!("{c}={}", v.as_deref().unwrap_or("NULL"))).collect::<Vec<_>>().join(", ")
}

/// Compares the rows derived from the journal with the stored rows `fetch` names; every derived
/// row missing, stored row not derived, and column that differs is reported to `run`.
pub(super) async fn compare(
    conn: &mut AnyConnection,
    run: &mut Run,
    check: &Check,
    derived: Vec<Vec<Val>>,
    fetch: Fetch<'_>,
) -> Result<(), sqlx::Error> {
    let table = check.table;
    let n = table.columns.len();
    let mut want: HashMap<Vec<Cell>, Vec<Cell>> = HashMap::with_capacity(derived.len());
    for row in derived {
        let c = to_cells(row);
        want.insert(c[..table.key].to_vec(), c);
    }
    run.report.rows += want.len() as u64;
    match fetch {
        Fetch::In { column, values, also } => {
            for chunk in values.chunks(IN_CHUNK) {
                let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                let sql = format!("{} WHERE {column} IN ({}) {also}", select(table), marks.join(", "));
                let mut q = sqlx::query(&sql);
                for v in chunk {
                    q = q.bind(v.clone());
                }
                let rows = q.fetch_all(&mut *conn).await?;
                *run.fetched.entry(table.name).or_default() += rows.len() as i64;
                for r in &rows {
                    let stored = cells(r, n)?;
                    match_row(run, check, &mut want, stored);
                }
            }
        }
        Fetch::All => {
            let sql = select(table);
            let mut rows = sqlx::query(&sql).fetch(&mut *conn);
            while let Some(r) = rows.next().await {
                let stored = cells(&r?, n)?;
                if check.keep.is_none_or(|keep| keep(&stored)) {
                    match_row(run, check, &mut want, stored);
                }
            }
        }
    }
    let mut missing: Vec<Vec<Cell>> = want.into_keys().collect();
    missing.sort();
    for key in missing {
        run.report(Difference::row(table.name, key_text(table, &key), DiffKind::Missing));
    }
    Ok(())
}

fn match_row(run: &mut Run, check: &Check, want: &mut HashMap<Vec<Cell>, Vec<Cell>>, stored: Vec<Cell>) {
    let table = check.table;
    let key = &stored[..table.key];
    match want.remove(key) {
        None => run.report(Difference::row(table.name, key_text(table, key), DiffKind::Unexpected)),
        Some(derived) => compare_cells(run, check, &stored, &derived),
    }
}

fn compare_cells(run: &mut Run, check: &Check, stored: &[Cell], derived: &[Cell]) {
    let table = check.table;
    let key = key_text(table, &stored[..table.key]);
    for (i, column) in table.columns.iter().enumerate().skip(table.key) {
        let (s, d) = (&stored[i], &derived[i]);
        if s == d {
            continue;
        }
        if let Some((_, normalize)) = check.docs.iter().find(|(c, _)| c == column) {
            for (field, s, d) in doc_differences(*normalize, s.as_deref(), d.as_deref()) {
                run.report(Difference::column(table.name, &key, column, field, s, d));
            }
            continue;
        }
        if check.amounts.contains(column) && same_amount(s.as_deref(), d.as_deref()) {
            continue;
        }
        run.report(Difference::column(table.name, &key, column, None, s.clone(), d.clone()));
    }
}

fn same_amount(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.map(str::parse::<Decimal>), b.map(str::parse::<Decimal>)) {
        (Some(Ok(a)), Some(Ok(b))) => a == b,
        _ => false,
    }
}

/// Most fields of one JSON record reported.
const MAX_FIELDS: usize = 20;
/// Longest value quoted in a report.
const MAX_VALUE: usize = 200;

fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_VALUE {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(MAX_VALUE - 1).collect();
        t.push('…');
        t
    }
}

/// The fields in which a stored record differs from its rebuild: (field path, stored, rebuilt).
/// A stored text that is not such a record at all is one difference of the whole column.
fn doc_differences(normalize: Normalize, stored: Option<&str>, derived: Option<&str>) -> Vec<(Option<String>, Cell, Cell)> {
    let whole = || vec![(None, stored.map(clip), derived.map(clip))];
    let (Some(s), Some(d)) = (stored, derived) else { return whole() };
    let Ok(d) = serde_json::from_str::<Value>(d) else { return whole() };
    let s = match normalize(s) {
        Ok(v) => v,
        // Not a readable record: compare what JSON there is, to say where it departs.
        Err(_) => match serde_json::from_str::<Value>(s) {
            Ok(v) => v,
            Err(_) => return whole(),
        },
    };
    let mut out = Vec::new();
    json_differences(&mut String::new(), Some(&s), Some(&d), &mut out);
    // None left once read through the record's type: written by another version, not altered.
    out.into_iter().map(|(path, s, d)| (Some(path), s, d)).collect()
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => clip(s),
        other => clip(&other.to_string()),
    }
}

fn json_differences(path: &mut String, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<(String, Cell, Cell)>) {
    if out.len() >= MAX_FIELDS || a == b {
        return;
    }
    let len = path.len();
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                json_differences(path, x.get(k.as_str()), y.get(k.as_str()), out);
                path.truncate(len);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                path.push_str(&format!("[{i}]"));
                json_differences(path, x.get(i), y.get(i), out);
                path.truncate(len);
            }
        }
        _ => out.push((path.clone(), a.map(show), b.map(show))),
    }
}

/// Reports the stored rows `check.strays` names (at most `n`, the number the counts say are
/// there); those it cannot name are reported as one difference with their number.
pub(super) async fn strays(conn: &mut AnyConnection, run: &mut Run, check: &Check, n: i64) -> Result<(), sqlx::Error> {
    let Some(sql) = check.strays else { return Ok(()) };
    let table = check.table;
    let rows = sqlx::query(&format!("{sql} LIMIT {n}")).fetch_all(&mut *conn).await?;
    for r in &rows {
        let key = cells(r, table.key)?;
        run.report(Difference::row(table.name, key_text(table, &key), DiffKind::Unexpected));
    }
    let unnamed = n - rows.len() as i64;
    if unnamed > 0 {
        run.report(Difference {
            table: table.name,
            key: String::new(),
            kind: DiffKind::Unexpected,
            column: None,
            field: None,
            stored: Some(format!("{unnamed} more rows")),
            journal: None,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diffs(a: Value, b: Value) -> Vec<(String, Cell, Cell)> {
        let mut out = Vec::new();
        json_differences(&mut String::new(), Some(&a), Some(&b), &mut out);
        out
    }

    #[test]
    fn fields_that_differ_are_named_by_path() {
        let a = json!({ "status": "released", "content": { "head": { "bill_no": "B1" } }, "positions": [{ "slot": "A" }] });
        let b = json!({ "status": "held", "content": { "head": { "bill_no": "B1" } }, "positions": [{ "slot": "A" }, { "slot": "B" }] });
        assert_eq!(
            diffs(a, b),
            vec![
                ("positions[1]".into(), None, Some("{\"slot\":\"B\"}".into())),
                ("status".into(), Some("released".into()), Some("held".into())),
            ]
        );
    }

    #[test]
    fn amounts_compare_as_numbers() {
        assert!(same_amount(Some("0"), Some("0.00")));
        assert!(!same_amount(Some("1"), Some("0.00")));
        assert!(!same_amount(None, Some("0")));
    }
}
