//! What inspections find, why goods are then held, and how the holds end.

use super::catalogue::Cat;

/// A finding with the hold it leads to and the note that lifts the hold.
pub struct Finding {
    /// Empty for a quantity discrepancy, whose text is worked out from the declaration.
    pub text: &'static str,
    pub hold: &'static str,
    pub lift: &'static str,
}

const fn finding(text: &'static str, hold: &'static str, lift: &'static str) -> Finding {
    Finding { text, hold, lift }
}

const TREAT: &str = "待检疫除害处理，不合格则退运或销毁 / held for quarantine treatment; return or destruction if it fails";
const TREATED: &str = "经熏蒸除害处理并复检合格后放行 / released after fumigation and a satisfactory re-inspection";
const RECOUNT: &str = "待核实数量并更正申报 / held until the quantity is verified and the declaration corrected";
const RECOUNTED: &str = "已更正申报并补缴税款 / declaration corrected and the duty difference paid";
const INVESTIGATE: &str = "移交缉私部门调查 / referred to the anti-smuggling bureau";
const INVESTIGATED: &str = "调查终结，补缴税款并处罚款后放行 / investigation closed; released after duties and the fine were paid";
const RELABEL: &str = "待在海关监督下整改标签 / held for relabelling under customs supervision";
const RELABELLED: &str = "已在海关监督下完成中文标签整改 / Chinese labels corrected under customs supervision";
const RETEST: &str = "待实验室复检 / held for laboratory re-testing";
const RETESTED: &str = "复检合格 / re-test satisfactory";
const PAPERS: &str = "待补充单证 / held for supporting documents";
const PAPERS_IN: &str = "已补充提交单证，核对无误 / documents supplied and checked";

const QUANTITY: Finding = finding("", RECOUNT, RECOUNTED);

const SEEDS: &[Finding] = &[
    finding("检出检疫性杂草种子（假高粱 Sorghum halepense）/ quarantine weed seeds found (Sorghum halepense)", TREAT, TREATED),
    finding("夹带土壤 / soil found in the consignment", TREAT, TREATED),
    finding("检出活体昆虫（四纹豆象 Callosobruchus maculatus）/ live insects found (cowpea weevil)", TREAT, TREATED),
    QUANTITY,
];
const FRUIT: &[Finding] = &[
    finding("检出活体昆虫（苹果蠹蛾 Cydia pomonella 幼虫）/ live insects found (codling moth larvae)", TREAT, TREATED),
    finding("检出实蝇 / fruit flies found", TREAT, TREATED),
    finding("检出介壳虫 / scale insects found", TREAT, TREATED),
    QUANTITY,
];
const MEAT: &[Finding] = &[
    finding("货物中心温度-12℃，高于-18℃的要求 / core temperature -12 °C, above the required -18 °C", RETEST, RETESTED),
    finding("外包装标签与申报品名不符 / carton labels do not match the declared goods", RELABEL, RELABELLED),
    QUANTITY,
];
const SEAFOOD: &[Finding] = &[
    finding("检出禁用药物（孔雀石绿）/ banned substance found (malachite green)", RETEST, RETESTED),
    finding("货物中心温度不达标 / core temperature out of range", RETEST, RETESTED),
    QUANTITY,
];
const FOOD: &[Finding] = &[
    finding("中文标签不符合GB 7718 / Chinese label does not meet GB 7718", RELABEL, RELABELLED),
    finding("检出超范围使用食品添加剂 / food additive used beyond its permitted scope", RETEST, RETESTED),
    QUANTITY,
];
const GRAIN: &[Finding] = &[
    finding("检出活体昆虫（谷蠹 Rhyzopertha dominica）/ live insects found (lesser grain borer)", TREAT, TREATED),
    finding("检出检疫性杂草种子（豚草 Ambrosia artemisiifolia）/ quarantine weed seeds found (common ragweed)", TREAT, TREATED),
    QUANTITY,
];
const COSMETICS: &[Finding] = &[
    finding("中文标签不合格 / Chinese labelling non-compliant", RELABEL, RELABELLED),
    finding("未提供进口化妆品备案凭证 / no import filing record for the cosmetics", PAPERS, PAPERS_IN),
    QUANTITY,
];
const ELECTRONICS: &[Finding] = &[
    QUANTITY,
    finding("申报价格明显低于同类商品 / declared price far below comparable goods", INVESTIGATE, INVESTIGATED),
    finding("涉嫌侵犯注册商标专用权 / suspected trademark infringement", INVESTIGATE, INVESTIGATED),
];
const MACHINERY: &[Finding] = &[
    finding("旧机电产品未办理装运前检验 / used machinery shipped without pre-shipment inspection", PAPERS, PAPERS_IN),
    finding("品名规格与申报不符 / description and specification differ from the declaration", RECOUNT, RECOUNTED),
    QUANTITY,
];
const TEXTILES: &[Finding] = &[
    finding("实为化纤制品，申报为棉制 / goods are synthetic, declared as cotton", RECOUNT, RECOUNTED),
    QUANTITY,
    finding("吊牌涉嫌侵犯商标权 / hang tags suspected of trademark infringement", INVESTIGATE, INVESTIGATED),
];
const CHEMICALS: &[Finding] =
    &[finding("未随附危险化学品安全技术说明书 / no safety data sheet for a hazardous chemical", PAPERS, PAPERS_IN), QUANTITY];
const GOODS: &[Finding] =
    &[QUANTITY, finding("品名规格与申报不符 / description and specification differ from the declaration", RECOUNT, RECOUNTED)];

/// Documentary (yellow-lane) findings.
const DOCUMENTS: &[Finding] = &[
    finding("发票金额与申报总价不符 / invoice amount differs from the declared total", RECOUNT, RECOUNTED),
    finding("原产地证书与申报原产国不符 / certificate of origin does not match the declared origin", PAPERS, PAPERS_IN),
    finding("合同品名与申报品名不符 / goods description differs from the contract", PAPERS, PAPERS_IN),
];

/// What a physical (red) or documentary (yellow) check of goods of `cat` may find; `pick`
/// chooses one.
pub fn pick(cat: Cat, physical: bool, pick: usize) -> &'static Finding {
    let list = if !physical {
        DOCUMENTS
    } else {
        match cat {
            Cat::Seeds => SEEDS,
            Cat::Fruit => FRUIT,
            Cat::Meat => MEAT,
            Cat::Seafood => SEAFOOD,
            Cat::Food => FOOD,
            Cat::Grain => GRAIN,
            Cat::Cosmetics => COSMETICS,
            Cat::Electronics => ELECTRONICS,
            Cat::Machinery => MACHINERY,
            Cat::Textiles => TEXTILES,
            Cat::Chemicals => CHEMICALS,
            Cat::Goods => GOODS,
        }
    };
    &list[pick % list.len()]
}
