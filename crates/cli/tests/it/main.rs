//! Guomen's integration tests: one binary, the real store and router, SQLite always and
//! PostgreSQL too when `GUOMEN_TEST_POSTGRES` holds a URL.

mod access;
mod ceb;
mod ceb_steps;
mod ceb_support;
mod cli;
mod console;
mod console_a11y;
mod console_browser;
mod console_ceb;
mod console_certificates;
mod console_pages;
mod crash;
mod crash_ceb;
mod field;
mod hardening;
mod helpers;
mod input;
mod journal;
mod mandates;
mod origin;
mod phyto;
mod quarantine;
mod refusals;
mod rfc9162;
mod security;
mod spine;
mod targeting;
mod transparency;
mod transparency_log;
mod verification;
mod views;
mod visitor;
mod webdriver;
mod webhook;
