//! Reference tables for customs declarations, embedded at compile time.
//!
//! All lookups are pure functions over static data; nothing is read from
//! disk at run time.
//!
//! - [`hs`]: Harmonized System 2022 chapters, headings and subheadings.
//! - [`country`]: ISO 3166-1 alpha-3 country codes; [`country_alpha2`] their alpha-2 codes.
//! - [`currency`]: ISO 4217 alphabetic currency codes.
//! - [`gacc_country`]: GACC country (region) codes (海关国别（地区）代码), three digits.
//! - [`unit`](mod@unit): GACC measurement unit codes (计量单位代码).

pub mod country;
pub mod country_alpha2;
pub mod currency;
pub mod gacc_country;
pub mod hs;
pub mod unit;
