//! 取样送检 — what the officer's sampling of a declaration asks of the laboratory: which
//! analytes, why, and the notice the laboratory gets when the sample is on its way.

use super::lab::{specification_for, AnalyteSpec, Sample, SamplingReason};
use crate::declaration::{Declaration, SamplingSource};
use crate::notice::Outgoing;
use crate::{FieldError, Refusal, Rule};

/// The analytes to test: the commodity specifications of the declaration's goods, or the
/// officer's choice among them.
pub fn analytes_for(d: &Declaration, chosen: Option<&[String]>) -> Result<Vec<AnalyteSpec>, Refusal> {
    let mut specs: Vec<AnalyteSpec> = Vec::new();
    for item in &d.content.items {
        for s in specification_for(item.code_ts.as_str()) {
            if !specs.iter().any(|x| x.code == s.code) {
                specs.push(s);
            }
        }
    }
    let Some(codes) = chosen else { return Ok(specs) };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        match specs.iter().find(|s| &s.code == c) {
            Some(s) => out.push(s.clone()),
            None => errors.push(FieldError::new(
                format!("analytes[{i}]"),
                Rule::AnalyteUnknown,
                format!(
                    "{c} is not in the specification of these goods ({})",
                    specs.iter().map(|s| s.code.as_str()).collect::<Vec<_>>().join(", ")
                ),
                format!("{c} 不在该商品的检测项目中"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Refusal::validation(errors))
    }
}

/// Why the sample is taken, from the declaration's sampling order; None if it has none (the
/// declaration then refuses the sample first).
pub fn reason_for(d: &Declaration) -> Option<SamplingReason> {
    Some(match &d.sampling.as_ref()?.source {
        SamplingSource::Officer { officer, note } => SamplingReason::Officer { officer: officer.clone(), note: note.clone() },
        SamplingSource::Targeting { criteria } => SamplingReason::Targeting { criterion: criteria.join(",") },
    })
}

/// The laboratory is told a sample is on its way: the sample as registered, saying that
/// targeting asked for it but not which criterion (targeting is for customs).
pub fn sent_notice(sample: &Sample) -> Outgoing {
    let mut body = serde_json::to_value(sample).expect("samples serialize");
    if let Some(reason) = body.get_mut("reason").and_then(serde_json::Value::as_object_mut) {
        reason.remove("criterion");
    }
    Outgoing { recipient: sample.lab.clone(), topic: "sample.sent", body }
}
