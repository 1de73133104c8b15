//! Harmonized System 2022 nomenclature: chapters (2 digits), headings
//! (4 digits) and subheadings (6 digits).
//!
//! The table is `data/hs/harmonized-system.csv` (UN Comtrade, ODC-PDDL-1.0),
//! embedded at compile time and parsed once on first use. Comtrade's
//! statistical `TOTAL` rows (chapter 99 and the grand total) are not part of
//! the nomenclature and are left out.

use std::sync::OnceLock;

const CSV: &str = include_str!("../../../data/hs/harmonized-system.csv");

/// One HS code with its description and place in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HsEntry {
    /// 2, 4 or 6 digits.
    pub code: &'static str,
    /// English description.
    pub description: &'static str,
    /// 2 (chapter), 4 (heading) or 6 (subheading).
    pub level: u8,
    /// Code of the enclosing chapter or heading; empty for chapters.
    pub parent: &'static str,
    /// Section as a roman numeral, e.g. `"II"`.
    pub section: &'static str,
}

struct Table {
    /// Sorted by code.
    entries: Vec<HsEntry>,
    /// Lower-cased descriptions, index-aligned with `entries`.
    lower: Vec<String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| build(CSV))
}

/// True iff `code` is exactly 6 digits and a subheading in the table.
pub fn is_hs6(code: &str) -> bool {
    code.len() == 6 && lookup(code).is_some_and(|e| e.level == 6)
}

/// The entry for a 2, 4 or 6 digit code.
pub fn lookup(code: &str) -> Option<HsEntry> {
    if !matches!(code.len(), 2 | 4 | 6) || !all_digits(code) {
        return None;
    }
    let entries = &table().entries;
    entries.binary_search_by(|e| e.code.cmp(code)).ok().map(|i| entries[i])
}

/// Searches the table, returning at most `limit` entries.
///
/// An all-digit query matches codes starting with it, ordered by code.
/// Otherwise every whitespace-separated word of the query must occur in
/// the description (case-insensitive); subheadings come first, then the
/// rest, each group ordered by code.
pub fn search(query: &str, limit: usize) -> Vec<HsEntry> {
    let query = query.trim();
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let t = table();
    if all_digits(query) {
        let start = t.entries.partition_point(|e| e.code < query);
        return t.entries[start..].iter().take_while(|e| e.code.starts_with(query)).take(limit).copied().collect();
    }
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut hits: Vec<HsEntry> =
        t.entries.iter().zip(&t.lower).filter(|(_, desc)| words.iter().all(|w| desc.contains(w.as_str()))).map(|(e, _)| *e).collect();
    // Entries are already in code order; a stable sort keeps it per group.
    hits.sort_by_key(|e| e.level != 6);
    hits.truncate(limit);
    hits
}

/// Every entry, ordered by code.
pub fn all() -> &'static [HsEntry] {
    &table().entries
}

/// Number of entries in the table.
pub fn len() -> usize {
    table().entries.len()
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn build(src: &'static str) -> Table {
    let mut records = Records { src, pos: 0 };
    let header = records.next().unwrap_or_default();
    let column = |name: &str| {
        header.iter().position(|h| h.trim_start_matches('\u{feff}') == name).unwrap_or_else(|| panic!("HS table lacks column {name:?}"))
    };
    let (c_section, c_code, c_desc, c_parent, c_level) =
        (column("section"), column("hscode"), column("description"), column("parent"), column("level"));

    let mut entries = Vec::new();
    for row in records {
        if row.len() != header.len() || row[c_section] == "TOTAL" {
            continue;
        }
        let code = row[c_code];
        let Ok(level) = row[c_level].parse::<u8>() else {
            continue;
        };
        if !matches!(level, 2 | 4 | 6) || code.len() != usize::from(level) || !all_digits(code) {
            continue;
        }
        entries.push(HsEntry {
            code,
            description: row[c_desc],
            level,
            parent: if level == 2 { "" } else { row[c_parent] },
            section: row[c_section],
        });
    }
    entries.sort_by_key(|e| e.code);
    entries.dedup_by_key(|e| e.code);
    let lower = entries.iter().map(|e| e.description.to_lowercase()).collect();
    Table { entries, lower }
}

/// Iterator over the records of an RFC 4180 style CSV text.
struct Records {
    src: &'static str,
    pos: usize,
}

impl Iterator for Records {
    type Item = Vec<&'static str>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.src.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let mut fields = Vec::new();
        loop {
            let (field, end) = field_at(self.src, self.pos);
            fields.push(field);
            self.pos = end + 1;
            match bytes.get(end) {
                Some(b',') => {}
                Some(b'\r') => {
                    if bytes.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    return Some(fields);
                }
                _ => return Some(fields),
            }
        }
    }
}

/// Reads the field starting at byte `start`; returns it (unquoted) and the
/// index of the delimiter that ends it (`,`, `\r`, `\n` or the text length).
fn field_at(src: &'static str, start: usize) -> (&'static str, usize) {
    let bytes = src.as_bytes();
    let is_delim = |b: &u8| matches!(b, b',' | b'\r' | b'\n');
    let delim_from = |i: usize| bytes[i..].iter().position(is_delim).map_or(bytes.len(), |n| i + n);
    if bytes.get(start) != Some(&b'"') {
        let end = delim_from(start);
        return (&src[start..end], end);
    }
    let mut i = start + 1;
    let mut doubled = false;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            if bytes.get(i + 1) == Some(&b'"') {
                doubled = true;
                i += 2;
                continue;
            }
            break;
        }
        i += 1;
    }
    let inner = &src[start + 1..i];
    let value: &'static str = if doubled {
        // Parsed once per table, so the few unescaped copies are kept.
        Box::leak(inner.replace("\"\"", "\"").into_boxed_str())
    } else {
        inner
    };
    (value, delim_from((i + 1).min(bytes.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_size_and_order() {
        assert_eq!(len(), 6936);
        let entries = &table().entries;
        assert!(entries.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(entries.iter().filter(|e| e.level == 2).count(), 96);
        assert_eq!(entries.iter().filter(|e| e.level == 6).count(), 5612);
    }

    #[test]
    fn parents_exist() {
        for e in &table().entries {
            if e.level == 2 {
                assert_eq!(e.parent, "");
            } else {
                let p = lookup(e.parent).unwrap_or_else(|| panic!("{e:?}"));
                assert_eq!(p.level + 2, e.level);
                assert!(e.code.starts_with(p.code));
                assert_eq!(p.section, e.section);
            }
        }
    }

    #[test]
    fn hs6() {
        assert!(is_hs6("120991"));
        assert!(is_hs6("010121"));
        assert!(!is_hs6("999999"));
        assert!(!is_hs6("1209"));
        assert!(!is_hs6("12"));
        assert!(!is_hs6("12099"));
        assert!(!is_hs6("1209910"));
        assert!(!is_hs6("12099a"));
        assert!(!is_hs6(" 120991"));
        assert!(!is_hs6(""));
    }

    #[test]
    fn lookups() {
        let e = lookup("1209").unwrap();
        assert_eq!(e.level, 4);
        assert_eq!(e.parent, "12");
        assert_eq!(e.section, "II");

        let e = lookup("120991").unwrap();
        assert_eq!(e.level, 6);
        assert_eq!(e.parent, "1209");
        assert!(e.description.contains("sowing"));

        let e = lookup("01").unwrap();
        assert_eq!(e.level, 2);
        assert_eq!(e.description, "Animals; live");

        // Quoted field with commas.
        assert_eq!(lookup("0101").unwrap().description, "Horses, asses, mules and hinnies; live");

        for bad in ["", "1", "120", "99", "9999", "999999", "TOTAL", "12.09"] {
            assert_eq!(lookup(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn search_words() {
        let hits = search("seeds sowing", 10);
        assert!(!hits.is_empty() && hits.len() <= 10);
        for e in &hits {
            let d = e.description.to_lowercase();
            assert!(d.contains("seeds") && d.contains("sowing"), "{e:?}");
        }
        assert!(hits.iter().any(|e| e.code == "120991"));
        assert_eq!(search("SEEDS  Sowing", 10), hits);
    }

    #[test]
    fn search_orders_subheadings_first() {
        let hits = search("apples", 100);
        let first_other = hits.iter().position(|e| e.level != 6).unwrap();
        assert!(first_other > 0);
        assert!(hits[first_other..].iter().all(|e| e.level != 6));
        assert!(hits[..first_other].windows(2).all(|w| w[0].code < w[1].code));
        assert!(hits[first_other..].windows(2).all(|w| w[0].code < w[1].code));
        assert!(hits.iter().any(|e| e.code == "0808"));
    }

    #[test]
    fn search_codes() {
        let hits = search("0808", 5);
        assert!(!hits.is_empty() && hits.len() <= 5);
        assert_eq!(hits[0].code, "0808");
        assert!(hits.iter().all(|e| e.code.starts_with("0808")));
        assert!(hits.windows(2).all(|w| w[0].code < w[1].code));

        assert_eq!(search("08", 3).len(), 3);
        assert_eq!(search("120991", 5).len(), 1);
        assert!(search("9999", 5).is_empty());
    }

    #[test]
    fn search_edge_cases() {
        assert!(search("", 5).is_empty());
        assert!(search("   ", 5).is_empty());
        assert!(search("seeds", 0).is_empty());
        assert!(search("xyzzy-no-such-word", 5).is_empty());
    }

    #[test]
    fn csv_quoting() {
        let src = "a,b,c\r\n1,\"x, \"\"y\"\"\",z\n\"\",,\"q\"\n2,\"multi\nline\",w";
        let rows: Vec<_> = Records { src, pos: 0 }.collect();
        assert_eq!(rows, vec![vec!["a", "b", "c"], vec!["1", "x, \"y\"", "z"], vec!["", "", "q"], vec!["2", "multi\nline", "w"],]);
    }
}
