//! The kernel knows no procedure family: no kernel file names a family's store module or a
//! family's part of the domain. Only the registry (`families.rs`) names them.

/// Paths a kernel file may not name.
const FAMILIES: &[&str] = &[
    "crate::admin",
    "crate::risk",
    "crate::declaration",
    "crate::quarantine",
    "crate::field",
    "crate::ceb",
    "crate::console",
    "crate::delivery",
    "crate::families",
    "guomen_domain::declaration",
    "guomen_domain::ceb",
    "guomen_domain::quarantine",
    "guomen_domain::field",
    "guomen_domain::risk",
    "guomen_domain::inspection",
    "guomen_domain::clearance",
    "guomen_domain::signin",
    "guomen_domain::notice",
    "guomen_domain::event",
    "guomen_domain::Event",
];

/// Whether `code` names the path `path` (whole: `guomen_domain::signin` is not named by
/// `guomen_domain::signing`).
fn names(code: &str, path: &str) -> bool {
    code.match_indices(path).any(|(i, _)| !code[i + path.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
}

#[test]
fn a_path_is_named_whole() {
    assert!(names("useguomen_domain::signin::Lockout;", "guomen_domain::signin"));
    assert!(!names("useguomen_domain::signing::Owner;", "guomen_domain::signin"));
    assert!(names("usecrate::{admin,x};", "crate::{admin"));
}

#[test]
fn kernel_names_no_family() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/kernel");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "tidy.rs") || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let compact: String = code.split_whitespace().collect();
            for f in FAMILIES {
                let short = f.strip_prefix("crate::").map(|m| format!("crate::{{{m}")).unwrap_or_default();
                assert!(
                    !names(&compact, f) && (short.is_empty() || !names(&compact, &short)),
                    "{}:{}: the kernel names a procedure family ({f}): {line}",
                    path.display(),
                    n + 1
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 5, "the kernel's files were not found in {}", dir.display());
}
