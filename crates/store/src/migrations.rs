//! The schema's migrations, one SQL text per version for both engines (`migrations/NNNN_*.sql`;
//! see `kernel::migrate` for how the dialects' differences are marked). A family adds its
//! tables with the next version here.

pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_spine.sql")),
    (2, include_str!("../migrations/0002_quarantine.sql")),
    (3, include_str!("../migrations/0003_ceb.sql")),
    (4, include_str!("../migrations/0004_console.sql")),
    (5, include_str!("../migrations/0005_mandates.sql")),
    (6, include_str!("../migrations/0006_tokens.sql")),
    (7, include_str!("../migrations/0007_origin.sql")),
    (8, include_str!("../migrations/0008_phyto.sql")),
    (9, include_str!("../migrations/0009_transparency.sql")),
];

#[cfg(test)]
mod tests {
    #[test]
    fn versions_rise_by_one() {
        for (i, (v, _)) in super::MIGRATIONS.iter().enumerate() {
            assert_eq!(*v, i as i64 + 1);
        }
    }
}
