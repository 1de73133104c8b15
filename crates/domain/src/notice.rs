//! Which messages an event sends, and to whom. The store writes them to the outbox in the same
//! transaction as the event; delivery happens later, at least once.

use crate::declaration::Declaration;
use crate::event::Event;
use crate::types::CustomsCode;
use serde_json::{json, Value};

/// A message addressed to one enterprise.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub recipient: CustomsCode,
    /// `inspection.notice`, `release.notice`, `declaration.status`.
    pub topic: &'static str,
    pub body: Value,
}

fn status_body(d: &Declaration, what_en: &str, what_zh: &str) -> Value {
    json!({
        "declaration_id": d.id,
        "status": d.status.as_str(),
        "bill_no": d.content.head.bill_no,
        "message_en": what_en,
        "message_zh": what_zh,
    })
}

/// The messages `event` sends, given the record after the event was applied.
pub fn outgoing(event: &Event, d: &Declaration) -> Vec<Outgoing> {
    let mut traders: Vec<CustomsCode> = Vec::new();
    for p in std::iter::once(&d.filed_by).chain(d.content.parties()) {
        if !traders.contains(p) {
            traders.push(p.clone());
        }
    }
    let to_traders = |topic: &'static str, body: Value| -> Vec<Outgoing> {
        traders.iter().map(|r| Outgoing { recipient: r.clone(), topic, body: body.clone() }).collect()
    };
    let with_terminal = |mut v: Vec<Outgoing>, topic: &'static str, body: Value| {
        if let Some(t) = &d.terminal {
            if !traders.contains(t) {
                v.push(Outgoing { recipient: t.clone(), topic, body });
            }
        }
        v
    };
    match event {
        Event::RiskAssessed { .. } => {
            let (en, zh) = match d.status {
                // A green/blue declaration whose goods are already here is released by the next event.
                crate::declaration::Status::AwaitingArrival if d.arrived_at.is_none() => {
                    ("accepted; waiting for the goods to arrive", "已接受申报，待货物运抵")
                }
                _ => ("accepted", "已接受申报"),
            };
            to_traders("declaration.status", status_body(d, en, zh))
        }
        Event::InspectionNoticeIssued { notice } => {
            let body = serde_json::to_value(notice).expect("notice serializes");
            with_terminal(to_traders("inspection.notice", body.clone()), "inspection.notice", body)
        }
        Event::ContainerInPosition { report } => to_traders(
            "declaration.status",
            status_body(
                d,
                &format!("container {} in position for inspection", report.container_no),
                &format!("集装箱 {} 已到位待查验", report.container_no),
            ),
        ),
        Event::InspectionResultRecorded { .. } => to_traders("declaration.status", status_body(d, "inspection completed", "查验完毕")),
        Event::Released { notice } => {
            let body = serde_json::to_value(notice).expect("notice serializes");
            with_terminal(to_traders("release.notice", body.clone()), "release.notice", body)
        }
        Event::Held { hold, .. } => to_traders(
            "declaration.status",
            status_body(d, &format!("goods held: {}", hold.reason), &format!("货物已扣留：{}", hold.reason)),
        ),
        Event::DeclarationCompleted { .. } => {
            to_traders("declaration.status", status_body(d, "complete declaration accepted", "完整申报已接受"))
        }
        Event::SamplingOrdered { .. } => {
            to_traders("declaration.status", status_body(d, "samples will be taken for laboratory testing", "需取样送实验室检测"))
        }
        Event::SampleTaken { sample_id, .. } => to_traders(
            "declaration.status",
            status_body(
                d,
                &format!("sample {sample_id} taken, sealed and sent to the laboratory"),
                &format!("样品 {sample_id} 已取样、封样并送检"),
            ),
        ),
        Event::LaboratoryConcluded { conclusion, .. } => to_traders(
            "declaration.status",
            status_body(d, &format!("laboratory result: {}", conclusion.as_str()), &format!("实验室检测结论：{}", conclusion.name_zh())),
        ),
        Event::CommitmentRejected { reason, .. } => to_traders(
            "declaration.status",
            status_body(d, &format!("pre-release commitment refused: {reason}"), &format!("预提离承诺不予受理：{reason}")),
        ),
        Event::DispositionOrdered { order, .. } => {
            let mut body = serde_json::to_value(order).expect("orders serialize");
            body["declaration_id"] = json!(d.id);
            body["bill_no"] = json!(d.content.head.bill_no);
            to_traders("disposition.order", body)
        }
        Event::DispositionCompleted { .. } => {
            to_traders("declaration.status", status_body(d, "disposition recorded as carried out", "处置已登记完毕"))
        }
        Event::DestinationResultRecorded { result, .. } => {
            let (en, zh) = match result.outcome {
                crate::inspection::Outcome::Satisfactory => {
                    ("destination inspection satisfactory: qualified to be marketed", "目的地检验合格，准予入市")
                }
                crate::inspection::Outcome::NotSatisfactory => ("destination inspection not satisfactory", "目的地检验不合格"),
            };
            to_traders("declaration.status", status_body(d, en, zh))
        }
        _ => Vec::new(),
    }
}
