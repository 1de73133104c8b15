//! Guomen's integration tests: one binary, the real store and router, SQLite always and
//! PostgreSQL too when `GUOMEN_TEST_POSTGRES` holds a URL.

mod access;
mod cli;
mod crash;
mod helpers;
mod input;
mod journal;
mod spine;
mod webhook;
