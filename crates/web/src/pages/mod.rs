//! The pages, one module per role or group of pages.

pub mod admin;
pub mod analyst;
pub mod ceb;
pub mod ceb_detail;
mod ceb_panels;
pub mod dashboard;
pub mod declarant;
mod declaration_form;
pub mod detail;
pub mod lab;
pub mod mandates;
pub mod notices;
pub mod officer;
pub mod origin;
pub mod phyto;
mod phyto_form;
pub mod print;
pub mod public;
pub mod terminal;
pub mod tokens;
pub mod verify;

use crate::session::Ctx;
use guomen_domain::Refusal;
use guomen_store::StoreError;

/// A store answer as the console takes it: a refusal to show the user, or a failure.
pub enum Step<T> {
    Done(T),
    Refused(Refusal),
}

/// Sorts a store result into done, refused (shown on the page) or a page error.
pub fn step<T>(ctx: &Ctx, r: Result<T, StoreError>) -> Result<Step<T>, crate::session::PageError> {
    match r {
        Ok(v) => Ok(Step::Done(v)),
        Err(StoreError::Refused(r)) => Ok(Step::Refused(r)),
        Err(e) => Err(ctx.internal(e)),
    }
}

/// A use case's answer (`guomen_service`), sorted the same way.
pub fn api_step<T, E: Into<guomen_service::Failure>>(ctx: &Ctx, r: Result<T, E>) -> Result<Step<T>, crate::session::PageError> {
    match r.map_err(Into::into) {
        Ok(v) => Ok(Step::Done(v)),
        Err(guomen_service::Failure::Refused(r) | guomen_service::Failure::RefusedWith(r, _)) => Ok(Step::Refused(r)),
        Err(e) => Err(ctx.internal(format!("{e:?}"))),
    }
}

/// The name of an enterprise, from the store's directory.
pub fn enterprise_name(state: &crate::WebState, lang: crate::Lang, code: &str) -> String {
    let dir = state.store.directory().read().expect("directory lock");
    match dir.enterprises.get(code) {
        Some(e) if lang == crate::Lang::En && !e.name_en.is_empty() => e.name_en.clone(),
        Some(e) => e.name_zh.clone(),
        None => code.to_owned(),
    }
}

/// A query parameter as a page takes it: trimmed, empty as absent.
pub fn param(q: &std::collections::HashMap<String, String>, k: &str) -> Option<String> {
    q.get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
