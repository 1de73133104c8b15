//! 委托 — who may see a mandate.

use guomen_domain::mandate::Mandate;
use guomen_domain::party::{Actor, Role};
use guomen_domain::Refusal;

/// Whether `actor` may see `m`: customs see every mandate, an enterprise those it gave or holds;
/// terminals and laboratories have no business with mandates.
pub fn visible(actor: &Actor, m: &Mandate) -> Result<(), Refusal> {
    let ok = match actor.role {
        Some(Role::Officer | Role::RiskAnalyst | Role::Admin) => true,
        Some(Role::Declarant) => actor.enterprise.as_ref().is_some_and(|e| e == &m.consignor || e == &m.agent),
        Some(Role::Terminal | Role::Laboratory) | None => return Err(Refusal::forbidden()),
    };
    if ok {
        Ok(())
    } else {
        Err(Refusal::not_found("mandate", "委托书"))
    }
}
