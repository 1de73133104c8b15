//! 查验 — inspection notices, container position reports and inspection results (DOMAIN §2.6).

use crate::risk::{CheckType, Lane};
use crate::types::CustomsCode;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// 查验方式 — how the goods are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InspectionMethod {
    /// 人工查验 — the container is opened and the goods examined (red lane).
    Physical,
    /// 单证审核 — documents are examined; the goods stay where they are unless called for (yellow lane).
    Documentary,
}

impl InspectionMethod {
    pub fn for_lane(lane: Lane) -> Self {
        if lane == Lane::Red {
            InspectionMethod::Physical
        } else {
            InspectionMethod::Documentary
        }
    }
}

/// A hint to the people doing the inspection, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hint {
    pub en: String,
    pub zh: String,
}

/// 查验通知 — inspection notice, pushed to the declarant and the terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionNotice {
    /// 查验记录编号 — the inspection record number the terminal quotes back.
    pub record_no: String,
    pub declaration_id: String,
    pub enterprise_code: CustomsCode,
    pub enterprise_name: String,
    pub manifest_no: Option<String>,
    pub bill_no: String,
    pub voyage_no: Option<String>,
    pub vessel: Option<String>,
    pub customs_office: String,
    pub method: InspectionMethod,
    pub check_types: Vec<CheckType>,
    /// 过磅标志
    pub weigh: bool,
    /// 卸货地代码 — the port where the goods are unloaded.
    pub unloading_point: String,
    pub site_code: Option<String>,
    /// The terminal the notice is addressed to, when the goods are at a registered site.
    pub terminal: Option<CustomsCode>,
    pub containers: Vec<String>,
    pub lab_sampling: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    pub hints: Vec<Hint>,
}

/// 集装箱到位反馈 — the terminal reports a container in position for inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionReport {
    pub declaration_id: String,
    pub bill_no: String,
    pub vessel: Option<String>,
    pub record_no: String,
    pub container_no: String,
    pub site_name: String,
    pub site_code: String,
    pub slot_code: String,
    #[serde(with = "time::serde::rfc3339")]
    pub arrived_at: OffsetDateTime,
    pub reported_by: CustomsCode,
}

/// 查验结果 — outcome of the check, as EU TRACES names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Satisfactory,
    NotSatisfactory,
}

/// 查验结果 — recorded by the officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionResult {
    pub outcome: Outcome,
    /// What was found; required when not satisfactory.
    pub findings: Vec<String>,
    pub officer: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    pub note: Option<String>,
}

/// How the goods came to be released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseKind {
    /// 无纸化秒放 — not targeted, released by the system.
    Automatic,
    /// Not targeted for a check, released and marked for post-clearance audit (blue lane).
    PostClearanceAudit,
    /// Released by an officer after inspection.
    AfterInspection,
    /// Released by an officer after a hold was lifted.
    HoldLifted,
    /// 预提离 — released on the consignee's signed commitment before laboratory results.
    PreReleaseOnCommitment,
}

/// 放行通知 — release notice, pushed to the declarant and the terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseNotice {
    pub declaration_id: String,
    pub enterprise_code: CustomsCode,
    pub enterprise_name: String,
    pub bill_no: String,
    pub customs_office: String,
    pub terminal: Option<CustomsCode>,
    pub containers: Vec<String>,
    pub kind: ReleaseKind,
    #[serde(with = "time::serde::rfc3339")]
    pub released_at: OffsetDateTime,
    /// The officer who released, or None for an automatic release.
    pub officer: Option<String>,
    pub note: Option<String>,
    /// 两段准入 — true when released only as "permitted to enter" (准许入境), pending inspection at destination.
    #[serde(default)]
    pub permitted_to_enter_only: bool,
}

/// 扣留 — goods held by an officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    pub reason: String,
    pub officer: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 检测结论 — the laboratory's published conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Conclusion {
    Satisfactory,
    NotSatisfactory,
    NotInterpretable,
}

impl Conclusion {
    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Satisfactory => "satisfactory",
            Conclusion::NotSatisfactory => "not-satisfactory",
            Conclusion::NotInterpretable => "not-interpretable",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Conclusion::Satisfactory => "合格",
            Conclusion::NotSatisfactory => "不合格",
            Conclusion::NotInterpretable => "无法判定",
        }
    }
}
