//! Targeting (布控): the rule set in force, its published versions, and the hits every decision
//! made (one row per criterion that hit a declaration or an inventory list).

pub mod read;
pub(crate) mod rows;

use crate::kernel::{bind_row, Handled, Tx};
use guomen_domain::risk::{Criterion, Decision, RuleSet};
use guomen_domain::{Event, FieldError, Refusal, Rule};
use sqlx::AnyConnection;
use std::sync::Arc;
use tokio::sync::watch;

pub use rows::RiskRows;
pub(crate) use rows::{risk_hit_rows, ruleset_row, RISK_HITS, RULESETS};

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["rulesets", "risk_hits"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &[];

/// A change to the rule set; each publishes a new version.
#[derive(Debug, Clone)]
pub enum RiskCommand {
    /// Replaces the whole rule set.
    PublishRules { ruleset: RuleSet, reason: String },
    /// Adds or changes one criterion.
    PutCriterion { criterion: Criterion, reason: String },
    /// Removes one criterion.
    RetireCriterion { id: String, reason: String },
}

/// The rule set in force, and the channel that tells readers outside the writer of a new one.
pub struct RiskState {
    pub rules: Arc<RuleSet>,
    pub published: watch::Sender<Arc<RuleSet>>,
}

impl RiskState {
    pub async fn load(conn: &mut AnyConnection) -> Result<RiskState, sqlx::Error> {
        let rules = Arc::new(read::current_rules_on(conn).await?);
        // Index the criteria now rather than on the first decision.
        rules.index();
        let (published, _) = watch::channel(rules.clone());
        Ok(RiskState { rules, published })
    }

    /// After a failed batch: the reloaded rules, announced on the same channel.
    pub fn replace(&mut self, loaded: RiskState) {
        self.rules = loaded.rules;
        let _ = self.published.send(self.rules.clone());
    }

    pub fn after_commit(&self, rows: &RiskRows) {
        if rows.touched_rules {
            let _ = self.published.send(self.rules.clone());
        }
    }
}

/// Targeting as a family deciding on its records sees it: the rules in force to decide with,
/// and the hits to record.
pub struct Targeting<'a> {
    pub rules: &'a Arc<RuleSet>,
    hits: &'a mut RiskRows,
}

impl<'a> Targeting<'a> {
    pub fn new(state: &'a RiskState, rows: &'a mut RiskRows) -> Self {
        Targeting { rules: &state.rules, hits: rows }
    }

    /// Records one row per criterion that hit `record` (a declaration or inventory list).
    pub fn record_hits(&mut self, record: &str, decision: &Decision, at_ms: i64) {
        self.hits.hits.extend(risk_hit_rows(record, decision, at_ms));
    }
}

pub(crate) async fn execute(tx: &mut Tx<'_>, state: &mut RiskState, rows: &mut RiskRows, cmd: &RiskCommand) -> Handled<Arc<RuleSet>> {
    match cmd {
        RiskCommand::PublishRules { ruleset, reason } => publish(tx, state, rows, ruleset.clone(), reason).await,
        RiskCommand::PutCriterion { criterion, reason } => {
            let mut next = (*state.rules).clone();
            match next.criteria.iter_mut().find(|c| c.id == criterion.id) {
                Some(c) => *c = criterion.clone(),
                None => next.criteria.push(criterion.clone()),
            }
            publish(tx, state, rows, next, reason).await
        }
        RiskCommand::RetireCriterion { id, reason } => {
            let mut next = (*state.rules).clone();
            let before = next.criteria.len();
            next.criteria.retain(|c| &c.id != id);
            if next.criteria.len() == before {
                return Ok(Err(Refusal::not_found("criterion", "布控规则")));
            }
            publish(tx, state, rows, next, reason).await
        }
    }
}

async fn publish(tx: &mut Tx<'_>, state: &mut RiskState, rows: &mut RiskRows, next: RuleSet, reason: &str) -> Handled<Arc<RuleSet>> {
    let errors: Vec<FieldError> = next.check();
    if !errors.is_empty() {
        return Ok(Err(Refusal::validation(errors)));
    }
    if reason.trim().is_empty() {
        return Ok(Err(Refusal::field("reason", Rule::Required, "say why the rules change", "请说明规则变更原因")));
    }
    let (published, changed) = state.rules.successor(next);
    tx.append(&Event::RuleSetPublished { ruleset: published.clone(), changed: changed.clone(), reason: reason.to_owned() });
    let row = ruleset_row(&published, &changed, reason, &tx.who, tx.at);
    bind_row(sqlx::query(&RULESETS.insert_sql(&[])), row).execute(&mut *tx.conn).await?;
    let rules = Arc::new(published);
    rules.index();
    state.rules = rules.clone();
    rows.touched_rules = true;
    Ok(Ok(rules))
}
