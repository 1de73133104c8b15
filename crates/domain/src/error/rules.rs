//! 拒绝规则 — the rule codes of the refusal catalogue.
//!
//! Every `rule` a [`FieldError`](super::FieldError) can carry is one variant of [`Rule`],
//! declared once in the `rules!` list below with its stable code, the HTTP status it is
//! answered with and what it means in general, in English and Chinese (what went wrong in one
//! case — which field, which value — is said where the error is made). A constructor takes a
//! [`Rule`], never a string, so a code cannot be used without being listed here; the list gives
//! the OpenAPI document's `errors[].rule` and `docs/REFUSALS.md`.

use std::fmt;

macro_rules! rules {
    ($( $area_en:literal, $area_zh:literal {
        $( $variant:ident = $code:literal, $status:literal, $en:literal, $zh:literal; )+
    } )+) => {
        /// A stable rule code clients match on: the `rule` of every field error.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $( $( #[doc = $en] $variant, )+ )+
        }

        impl Rule {
            /// Every rule, in the order of the list.
            pub const ALL: &'static [Rule] = &[$( $( Rule::$variant, )+ )+];

            /// The stable code, e.g. `hs_unknown`.
            pub const fn code(self) -> &'static str {
                match self { $( $( Rule::$variant => $code, )+ )+ }
            }

            /// The HTTP status of the refusal this rule is answered in.
            pub const fn status(self) -> u16 {
                match self { $( $( Rule::$variant => $status, )+ )+ }
            }

            /// What breaking the rule means, in English.
            pub const fn en(self) -> &'static str {
                match self { $( $( Rule::$variant => $en, )+ )+ }
            }

            /// What breaking the rule means, in Chinese.
            pub const fn zh(self) -> &'static str {
                match self { $( $( Rule::$variant => $zh, )+ )+ }
            }

            /// The part of Guomen the rule belongs to, in English and Chinese.
            pub const fn area(self) -> (&'static str, &'static str) {
                match self { $( $( Rule::$variant => ($area_en, $area_zh), )+ )+ }
            }
        }
    };
}

// One entry per rule: `Variant = "code", HTTP status, "meaning", "含义";`, grouped by the part
// of Guomen that uses it. Codes are part of the API contract: never change one, add a new one.
rules! {
    "Any field", "通用字段" {
        Required = "required", 422,
            "A required field, element or attribute is missing or blank.",
            "必填字段、元素或属性缺失或为空。";
        TooLong = "too_long", 422,
            "A text is longer than its field allows.",
            "文本超过字段允许的长度。";
        Length = "length", 422,
            "A value does not have the length its field requires (a CEB element of fixed length, or a text of 1 to n characters).",
            "取值长度不符合字段要求（跨境电商报文的定长元素，或1至n个字符的文本）。";
        Duplicate = "duplicate", 422,
            "The same value, document or element is given twice where one is allowed.",
            "同一取值、单证或元素重复出现。";
        Enumeration = "enumeration", 422,
            "A code is not one of its documented list or customs parameter table.",
            "代码不在规定的代码表或海关参数表中。";
        Unknown = "unknown", 422,
            "The step or option named is not one there is.",
            "所指的步骤或选项不存在。";
        CodeFormat = "code_format", 422,
            "A code is not of its length and characters (digits, or A–Z, 0–9 and '-').",
            "代码的位数或字符不符合要求（数字，或大写字母、数字和 '-'）。";
        DateFormat = "date_format", 422,
            "A date is not a real day written YYYY-MM-DD.",
            "日期不是 YYYY-MM-DD 格式的有效日期。";
        DatetimeFormat = "datetime_format", 422,
            "A date-time is not RFC 3339 with an offset, such as 2026-03-10T08:30:00+08:00.",
            "日期时间不是带时区偏移的 RFC 3339 格式，如 2026-03-10T08:30:00+08:00。";
        DateOrder = "date_order", 422,
            "A period ends before it begins.",
            "期间的结束日早于开始日。";
        Decimal = "decimal", 422,
            "A value is not a decimal number of the accepted form.",
            "取值不是符合要求的十进制数。";
        DecimalFormat = "decimal_format", 422,
            "A quantity is not a decimal number such as 8.5 within its digits.",
            "数量不是位数范围内的十进制数（如 8.5）。";
        NumberFormat = "number_format", 422,
            "A number is not a decimal number.",
            "数值不是十进制数。";
        NumberRange = "number_range", 422,
            "A number is outside its range: negative, zero where it must be positive, or too large.",
            "数值超出范围：为负数、应为正数时为零，或过大。";
        NumberScale = "number_scale", 422,
            "A number has more decimal places than its field allows.",
            "数值的小数位数超过字段允许的位数。";
        NumberDigits = "number_digits", 422,
            "A number has more digits before the decimal point than its field allows.",
            "数值的整数位数超过字段允许的位数。";
        IntegerRange = "integer_range", 422,
            "A count (packages, an item number) is not a whole number within its range.",
            "整数（件数、商品序号）不是范围内的整数。";
    }
    "Codes and parties", "代码与当事方" {
        CustomsCodeFormat = "customs_code_format", 422,
            "A customs registration code is not 10 digits or upper-case letters.",
            "海关编码不是10位数字或大写字母。";
        CreditCodeFormat = "credit_code_format", 422,
            "A unified social credit code is not 18 characters of its alphabet with the right check character (GB 32100).",
            "统一社会信用代码不是18位规定字符，或校验码不正确（GB 32100）。";
        HsFormat = "hs_format", 422,
            "A commodity code is not 10 digits (6 or 8 are accepted).",
            "商品编码不是10位数字（也接受6位或8位）。";
        HsUnknown = "hs_unknown", 422,
            "A commodity code or HS prefix is not in HS 2022.",
            "商品编码或前缀不在 HS 2022 中。";
        AirWaybill = "air_waybill", 422,
            "By air, the bill is not an IATA air waybill number (3-digit airline prefix, 8-digit serial) or its check digit is wrong.",
            "航空运输的提运单号不是 IATA 航空运单号（3 位航空公司代码、8 位序号），或校验位不正确。";
        HsPrefixFormat = "hs_prefix_format", 422,
            "An HS prefix is not 2 to 10 digits.",
            "商品编码前缀不是2至10位数字。";
        CountryUnknown = "country_unknown", 422,
            "A country is not an ISO 3166 alpha-3 code.",
            "国别不是 ISO 3166 三字母代码。";
        CurrencyUnknown = "currency_unknown", 422,
            "A currency is not an ISO 4217 code.",
            "币制不是 ISO 4217 代码。";
        OfficeFormat = "office_format", 422,
            "A customs office or port code is not 4 digits.",
            "关区或口岸代码不是4位数字。";
        UnitUnknown = "unit_unknown", 422,
            "A unit of measurement is not a GACC unit code.",
            "计量单位不是海关计量单位代码。";
        EnterpriseUnknown = "enterprise_unknown", 422,
            "No enterprise (or laboratory) is registered with this customs code.",
            "该海关编码没有登记企业（或实验室）。";
        SiteCodeFormat = "site_code_format", 422,
            "A supervision-site code is not 1 to 16 letters or digits.",
            "监管场所代码不是1至16位字母或数字。";
        SiteUnknown = "site_unknown", 422,
            "No terminal or yard is registered with this supervision-site code.",
            "该监管场所代码没有登记码头或堆场。";
    }
    "Requests", "请求" {
        Malformed = "malformed", 400,
            "The body, query or message cannot be read: malformed JSON or XML, a wrong type, an unknown field.",
            "请求体、查询参数或报文无法解析：JSON 或 XML 格式错误、类型错误或字段不存在。";
        IdempotencyKey = "idempotency_key", 422,
            "The Idempotency-Key header is not 1 to 255 visible ASCII characters.",
            "Idempotency-Key 请求头不是1至255个可见 ASCII 字符。";
        LimitRange = "limit_range", 422,
            "A page or report limit is outside its range.",
            "分页或报告条数超出范围。";
        VerifyRunning = "verify_running", 429,
            "A verification of the journal is already running; one runs at a time.",
            "日志核验正在进行，同一时间只进行一次。";
    }
    "Declarations", "报关单" {
        IeFlag = "ie_flag", 422,
            "The import/export flag is not I or E.",
            "进出口标志不是 I 或 E。";
        Mode = "mode", 422,
            "The declaration mode is not standard, advance or two-step.",
            "申报方式不是 standard（一般申报）、advance（提前申报）或 two-step（两步申报）。";
        TransMode = "trans_mode", 422,
            "The terms of delivery are not a code from 1 to 7.",
            "成交方式不是1至7的代码。";
        PriorityKind = "priority_kind", 422,
            "The priority asked for is not one customs grants (perishable, live animals, seeds in season, other).",
            "申请的优先类别不在规定之列（鲜活易腐、活动物、应季种子、其他）。";
        IeDateFuture = "ie_date_future", 422,
            "The import/export date is still to come: goods not yet arrived are declared in advance.",
            "进出口日期尚未到来：货物未到应提前申报。";
        AdvanceExportWindow = "advance_export_window", 422,
            "An advance export declaration is filed more than 3 days before the goods reach the customs area.",
            "出口提前申报早于货物运抵海关监管区3天以上。";
        TwoStepImportOnly = "two_step_import_only", 422,
            "Two-step declaration is for imports only.",
            "两步申报仅适用于进口。";
        NetOverGross = "net_over_gross", 422,
            "The net weight exceeds the gross weight.",
            "净重大于毛重。";
        ItemsRequired = "items_required", 422,
            "A declaration has no goods items.",
            "报关单没有商品项。";
        ItemsTooMany = "items_too_many", 422,
            "A declaration has more goods items than allowed.",
            "报关单商品项超过上限。";
        GNoDuplicate = "g_no_duplicate", 422,
            "Two goods items have the same item number.",
            "两项商品的序号相同。";
        TotalMismatch = "total_mismatch", 422,
            "An item's total is not its quantity times its unit price.",
            "商品总价不等于数量乘以单价。";
        ImportDestination = "import_destination", 422,
            "Imported goods are not destined for China (CHN).",
            "进口货物的目的国不是中国（CHN）。";
        ContainerNumber = "container_number", 422,
            "A container number is not ISO 6346 with a correct check digit.",
            "集装箱号不符合 ISO 6346 或校验位不正确。";
        ContainerDuplicate = "container_duplicate", 422,
            "The same container is listed twice.",
            "同一集装箱重复列出。";
        NotAParty = "not_a_party", 403,
            "The filer is neither the consignee/consignor, the owner nor the agent named on the declaration.",
            "申报企业不是报关单所列的收发货人、消费使用单位或申报单位。";
        AgentNotNamed = "agent_not_named", 403,
            "The filer files for another enterprise without being the agent the declaration names.",
            "申报企业为他人申报，但不是报关单所列的申报单位。";
        SummaryMismatch = "summary_mismatch", 422,
            "A two-step completion changes what the summary declaration fixed.",
            "两步申报的完整申报与概要申报不一致。";
        RecordNoMismatch = "record_no_mismatch", 422,
            "A position report names another inspection record number than the notice.",
            "到位反馈的查验记录编号与查验通知不符。";
        UnitMark = "unit_mark", 422,
            "A container, ULD or package mark is not 1 to 20 characters of A–Z, 0–9 and '-'.",
            "集装箱号、集装器号或唛头不是1至20位大写字母、数字或 '-'。";
        ContainerNotDeclared = "container_not_declared", 422,
            "The container reported is not on the declaration.",
            "反馈的集装箱不在报关单上。";
        ContainerReported = "container_reported", 422,
            "The container is already reported in position.",
            "该集装箱已反馈到位。";
        FindingsRequired = "findings_required", 422,
            "An inspection result that is not satisfactory lists no findings.",
            "查验结果为不合格时未列明问题。";
        ReleaseNoteRequired = "release_note_required", 422,
            "Releasing held or non-conforming goods needs a note of the official intervention.",
            "放行被扣留或不合格的货物须注明处置情况。";
        LaneUnknown = "lane_unknown", 422,
            "A lane is not green, blue, yellow or red.",
            "通道不是绿、蓝、黄或红色。";
        SameLane = "same_lane", 422,
            "A re-routing names the lane the declaration is already in.",
            "改变通道时指定的通道与当前通道相同。";
        SamplingPending = "sampling_pending", 422,
            "Goods with laboratory sampling ordered cannot go to a lane without a check.",
            "已下达取样指令的货物不能改入无需查验的通道。";
    }
    "Mandates", "委托" {
        MandateMissing = "mandate_missing", 403,
            "An agent acts for an enterprise that has not mandated it for this on this day.",
            "代理企业未获委托方在当日就此事项的委托。";
        MandateSelf = "mandate_self", 422,
            "An enterprise names itself as its agent.",
            "企业将自己指定为代理。";
        MandateBackdated = "mandate_backdated", 422,
            "A mandate would take effect before the day it is granted.",
            "委托的生效日早于授予当日。";
        ScopeUnknown = "scope_unknown", 422,
            "A mandate scope is not one there is (declarations, ceb-inventories).",
            "委托事项不在规定之列（报关单、跨境电商清单）。";
    }
    "Certificates of origin", "原产地证书" {
        AgreementUnknown = "agreement_unknown", 422,
            "A certificate of origin names an agreement Guomen does not issue certificates under (rcep, china-asean, china-korea, china-australia, non-preferential).",
            "原产地证书申请所列协定不在可签证协定之列（rcep、china-asean、china-korea、china-australia、non-preferential）。";
        CriterionUnknown = "criterion_unknown", 422,
            "An origin criterion is not WO, PE or PSR.",
            "原产地标准不是 WO、PE 或 PSR。";
        OriginCountrySelf = "origin_country_self", 422,
            "A certificate of origin names China as the importing country.",
            "原产地证书申请的进口国为中国。";
        OriginAgreementChanged = "origin_agreement_changed", 422,
            "An amendment changes the agreement or the issuing office of the application.",
            "修改申请时变更了协定或签证机构。";
    }
    "Phytosanitary certificates", "植物检疫证书" {
        PhytoHsScope = "phyto_hs_scope", 422,
            "A phytosanitary certificate is asked for goods that are not plants, plant products or seeds (HS chapters 06–14, 44).",
            "申请植物检疫证书的货物不是植物、植物产品或种子（HS 第06–14章、第44章）。";
        PhytoScientificName = "phyto_scientific_name", 422,
            "A scientific name is not a botanical name (a capitalised genus in Latin letters).",
            "学名不是植物学名（以大写字母开头的拉丁属名）。";
        PhytoImportCountry = "phyto_import_country", 422,
            "A phytosanitary certificate for export names China as the importing country.",
            "出境植物检疫证书的输入国家或地区为中国。";
        PhytoOriginal = "phyto_original", 422,
            "A re-export certificate does not name its original certificate, or an export certificate names one.",
            "再出口植物检疫证书未注明原证书，或出口证书注明了原证书。";
        PhytoOriginalUnknown = "phyto_original_unknown", 422,
            "A re-export names an original certificate Guomen did not receive with an import into China.",
            "再出口证书所列原证书不是货物输入中国时接收的证书。";
        PhytoInspectionFailed = "phyto_inspection_failed", 422,
            "The export declaration's inspection was not satisfactory: no certificate is issued.",
            "出口报关单查验结果不合格，不能签发证书。";
        PhytoLabPending = "phyto_lab_pending", 422,
            "A sample of the export declaration has no published conclusion yet.",
            "出口报关单的样品尚未发布检测结论。";
        PhytoLabFailed = "phyto_lab_failed", 422,
            "The laboratory concluded a sample of the export declaration not satisfactory.",
            "出口报关单的样品检测结论为不合格。";
        PhytoReplacementChanged = "phyto_replacement_changed", 422,
            "A replacement changes the kind of certificate or the issuing office.",
            "替换证书变更了证书类型或签证机构。";
        SpsEncoding = "sps_encoding", 422,
            "An SPSCertificate is neither UTF-8 nor UTF-16.",
            "SPSCertificate 报文既不是 UTF-8 也不是 UTF-16 编码。";
        SpsMalformed = "sps_malformed", 422,
            "An SPSCertificate is not well-formed XML, or carries a DTD or entity declaration (refused).",
            "SPSCertificate 报文不是格式正确的 XML，或含有 DTD、实体声明（不予接受）。";
        SpsNamespace = "sps_namespace", 422,
            "An SPSCertificate or one of its elements is not in the UN/CEFACT namespace it belongs to.",
            "SPSCertificate 报文或其元素不在应属的 UN/CEFACT 命名空间中。";
        SpsType = "sps_type", 422,
            "An SPSCertificate is not a phytosanitary certificate (type 851) or re-export certificate (657).",
            "SPSCertificate 报文不是植物检疫证书（851）或再出口植物检疫证书（657）。";
        SpsStatus = "sps_status", 422,
            "An SPSCertificate received is not in force (status code 70).",
            "接收的 SPSCertificate 证书不是有效状态（状态代码70）。";
    }
    "Quarantine", "检验检疫" {
        PermitRequired = "permit_required", 422,
            "Goods that need a quarantine permit are declared without one naming them.",
            "须办理检疫审批的货物未随附相应的检疫许可证。";
        PermitUnknown = "permit_unknown", 422,
            "No quarantine permit with this number is on record.",
            "没有该编号的检疫许可证记录。";
        PermitHolder = "permit_holder", 422,
            "The quarantine permit is held by another enterprise than the consignee.",
            "检疫许可证的持证企业不是收货人。";
        PermitExpired = "permit_expired", 422,
            "The quarantine permit has expired.",
            "检疫许可证已过期。";
        PermitNotYetValid = "permit_not_yet_valid", 422,
            "The quarantine permit is not yet valid.",
            "检疫许可证尚未生效。";
        PermitExhausted = "permit_exhausted", 422,
            "The quarantine permit's quantity is written off in full.",
            "检疫许可证的批准数量已核销完毕。";
        PermitRevoked = "permit_revoked", 422,
            "The quarantine permit was revoked.",
            "检疫许可证已被撤销。";
        PermitOrigin = "permit_origin", 422,
            "The goods' origin is not one the quarantine permit allows.",
            "货物原产国不在检疫许可证允许范围内。";
        PermitUnit = "permit_unit", 422,
            "The goods are declared in another unit than the quarantine permit's.",
            "货物的计量单位与检疫许可证不同。";
        PermitQuantity = "permit_quantity", 422,
            "The quantity exceeds what remains on the quarantine permit.",
            "数量超过检疫许可证的剩余数量。";
        ValidToBeforeFrom = "valid_to_before_from", 422,
            "A permit's last valid day is before its first.",
            "许可证的截止日早于起始日。";
        ValidToPast = "valid_to_past", 422,
            "A permit's last valid day is already past.",
            "许可证的截止日已过。";
        PromiseRequired = "promise_required", 422,
            "A pre-release commitment does not accept the promise not to sow, sell or move the goods.",
            "预提离承诺书未承诺不播种、不销售、不移动货物。";
        DeadlinePast = "deadline_past", 422,
            "A disposition's deadline is in the past.",
            "处置期限已过。";
        DispositionKind = "disposition_kind", 422,
            "A disposition is not recall, treatment, return or destruction.",
            "处置方式不是召回、除害处理、退运或销毁。";
        AnalytesRequired = "analytes_required", 422,
            "A sampling order names no analyte.",
            "取样指令未指定检测项目。";
        AnalyteDuplicate = "analyte_duplicate", 422,
            "An analyte is ordered twice.",
            "同一检测项目重复下达。";
        AnalyteUnknown = "analyte_unknown", 422,
            "An analyte is not in the specification of these goods.",
            "检测项目不在该货物的检测规范中。";
        AnalyteNotOrdered = "analyte_not_ordered", 422,
            "A result is entered for an analyte not ordered for the sample.",
            "录入结果的检测项目不在该样品的指令中。";
        RangeInverted = "range_inverted", 422,
            "An analyte's minimum is above its maximum.",
            "检测项目的下限高于上限。";
        RangeUnbounded = "range_unbounded", 422,
            "An analyte's range has neither a minimum nor a maximum.",
            "检测项目的范围既无下限也无上限。";
        SealNoFormat = "seal_no_format", 422,
            "A seal number is not 4 to 32 characters of A–Z, 0–9 and '-'.",
            "封识号不是4至32位大写字母、数字或 '-'。";
        QuantityFormat = "quantity_format", 422,
            "A sample quantity is not an amount above zero with a unit, such as 2 kg.",
            "样品数量不是大于零的数值加单位，如 2 kg。";
        ValueRequired = "value_required", 422,
            "A measured analyte's result has no value.",
            "定量检测项目的结果缺少数值。";
        DetectedRequired = "detected_required", 422,
            "A presence test's result does not say detected or not detected.",
            "定性检测项目的结果未注明检出或未检出。";
        DetectedNotApplicable = "detected_not_applicable", 422,
            "A measured analyte's result says detected or not detected.",
            "定量检测项目的结果不应注明检出与否。";
        FourEyes = "four_eyes", 403,
            "Laboratory results are verified by someone who entered some of them.",
            "检测结果由参与录入的人员审核（违反双人复核）。";
        NoteRequired = "note_required", 422,
            "A conclusion of not interpretable has no note of why.",
            "结论为无法判定时未注明原因。";
    }
    "Field work", "现场作业" {
        AreaPositive = "area_positive", 422,
            "An area (of a plot, of damage) is not greater than zero mu.",
            "面积（地块或受害面积）不大于零亩。";
        AreaExceedsPlot = "area_exceeds_plot", 422,
            "An affected area exceeds the plot.",
            "受害面积超过地块面积。";
        SurveyCount = "survey_count", 422,
            "A monitoring season's number of surveys is outside its range.",
            "一个监测季的调查次数超出范围。";
        SurveyUnknown = "survey_unknown", 422,
            "The survey number is not one of the plan's.",
            "调查序号不在监测计划之内。";
        CapacityRange = "capacity_range", 422,
            "A schedule's capacity per hour is outside its range.",
            "预约时段每小时容量超出范围。";
        ServiceHours = "service_hours", 422,
            "Service hours are not office, five-plus-two or seven-by-twenty-four.",
            "服务时间不是正常办公时间、5+2 或 7×24。";
        SlotKind = "slot_kind", 422,
            "An appointment kind is not inspection or clearance.",
            "预约类型不是查验或通关。";
        SlotStart = "slot_start", 422,
            "An appointment slot does not start on the hour.",
            "预约时段不是整点开始。";
        SlotPast = "slot_past", 422,
            "The appointment slot has already started.",
            "预约时段已开始。";
        SlotTooFar = "slot_too_far", 422,
            "The appointment slot is further ahead than may be booked.",
            "预约时段超出可预约的天数。";
        SlotClosed = "slot_closed", 422,
            "The site does not serve this kind at this hour.",
            "该监管场所在此时段不办理此类业务。";
        SlotFull = "slot_full", 409,
            "The appointment slot is fully booked.",
            "该预约时段已约满。";
        DeclarationUnknown = "declaration_unknown", 404,
            "The declaration named is not one of the caller's.",
            "所指的报关单不属于本企业。";
        InstructionUnknown = "instruction_unknown", 422,
            "The instruction number is not one of the remote inspection's.",
            "指令序号不在该远程监管之内。";
        FileEmpty = "file_empty", 422,
            "An evidence file is empty.",
            "影像资料文件为空。";
        FileTooLarge = "file_too_large", 413,
            "An evidence file is larger than accepted.",
            "影像资料文件超过大小限制。";
        FileNameLength = "file_name_length", 422,
            "An evidence file name is empty or too long.",
            "影像资料文件名为空或过长。";
        FileNameChars = "file_name_chars", 422,
            "An evidence file name is not a plain name (it has '/', '\\' or control characters).",
            "影像资料文件名含有 '/'、'\\' 或控制字符。";
        MediaTypeNotAllowed = "media_type_not_allowed", 415,
            "An evidence file is not an image, a video or a PDF of an accepted type.",
            "影像资料文件不是可接受类型的图片、视频或 PDF。";
        Sha256Format = "sha256_format", 422,
            "A SHA-256 is not 64 lower-case hexadecimal digits.",
            "SHA-256 不是64位小写十六进制数字。";
        EvidenceMissing = "evidence_missing", 410,
            "The stored file of an evidence record is no longer there.",
            "影像资料的存储文件已缺失。";
        EvidenceTampered = "evidence_tampered", 409,
            "The stored file of an evidence record no longer matches the hash in the journal; it is not served.",
            "影像资料的存储文件与日志中的哈希值不符，不予提供。";
    }
    "Risk rules", "风险规则" {
        CriterionIdFormat = "criterion_id_format", 422,
            "A criterion id is not 1 to 32 characters of A–Z, 0–9, '-' or '_'.",
            "布控规则编号不是1至32位大写字母、数字、'-' 或 '_'。";
        CriterionIdDuplicate = "criterion_id_duplicate", 422,
            "Two criteria have the same id.",
            "两条布控规则编号相同。";
        IdMismatch = "id_mismatch", 422,
            "A criterion's id differs from the one in the URL.",
            "布控规则编号与地址中的编号不一致。";
        IdTaken = "id_taken", 422,
            "A new criterion takes the id of one that exists.",
            "新布控规则的编号已被使用。";
        PercentRange = "percent_range", 422,
            "A rate is not a percentage from 0 to 100 with at most two decimals.",
            "比例不是0至100、最多两位小数的百分数。";
        FactorRange = "factor_range", 422,
            "A grade modifier is not a factor from 0 to 10.",
            "信用等级系数不在0至10之间。";
        LaneGreen = "lane_green", 422,
            "A criterion selects for green; green is what no criterion selects.",
            "布控规则指定绿色通道；绿色通道为未被任何规则选中的货物。";
        TradeModeFormat = "trade_mode_format", 422,
            "A trade mode is not 4 digits.",
            "监管方式不是4位数字。";
        PriceBandEmpty = "price_band_empty", 422,
            "A price band has neither a lower nor an upper bound.",
            "价格区间既无下限也无上限。";
        ListUnknown = "list_unknown", 422,
            "A criterion refers to a watch list the rule set does not have.",
            "布控规则引用了规则集中不存在的名单。";
    }
    "CEB messages", "跨境电商报文" {
        Encoding = "encoding", 400,
            "A message is not UTF-8.",
            "报文不是 UTF-8 编码。";
        WrongNamespace = "wrong_namespace", 400,
            "A message's root is not in the CEB namespace.",
            "报文根元素不在跨境电商报文命名空间中。";
        WrongRoot = "wrong_root", 422,
            "A message is not one customs accepts here, or not the kind expected.",
            "报文不是此处受理的类型。";
        MaxLength = "max_length", 422,
            "An element or attribute is longer than its XSD allows.",
            "元素或属性超过 XSD 规定的最大长度。";
        Digits = "digits", 422,
            "A number has more digits, or more decimal places, than its XSD allows.",
            "数字的位数或小数位数超过 XSD 规定。";
        Integer = "integer", 422,
            "An element is not a whole number that fits xs:int.",
            "元素不是 xs:int 范围内的整数。";
        Fixed = "fixed", 422,
            "An element does not have the fixed value its XSD gives.",
            "元素取值不是 XSD 规定的固定值。";
        MaxOccurs = "max_occurs", 422,
            "An element appears more often than its XSD allows.",
            "元素出现次数超过 XSD 规定。";
        Unexpected = "unexpected", 422,
            "An element is not allowed where it stands.",
            "元素不允许出现在此处。";
        Order = "order", 422,
            "Elements are not in the order the XSD sequence gives.",
            "元素顺序不符合 XSD 规定。";
        SenderNotNamed = "sender_not_named", 403,
            "The sending enterprise is not named in the document it sends.",
            "发送企业不是单证载明的企业。";
        BuyerFlood = "buyer_flood", 429,
            "Too many inventory lists for one buyer in a minute.",
            "同一订购人每分钟的清单过多。";
    }
    "Cross-border e-commerce", "跨境电商" {
        DetentionCode = "detention_code", 422,
            "A detention code is not 501 to 599.",
            "扣留代码不在501至599之间。";
        RefundLine = "refund_line", 422,
            "A return names a goods line the inventory list does not have.",
            "退货申请所列商品项不在清单中。";
        RefundQty = "refund_qty", 422,
            "A return exceeds what is left to return on a goods line.",
            "退货数量超过该商品项可退数量。";
        Amount = "amount", 422,
            "An amount is not a positive sum in CNY to the fen.",
            "金额不是精确到分的正数人民币金额。";
        InventoryUnknown = "inventory_unknown", 422,
            "No such inventory list under this guarantee.",
            "该担保下没有此清单。";
        TaxState = "tax_state", 409,
            "An inventory list has no tax awaiting payment.",
            "清单没有待缴税款。";
        LookupRate = "lookup_rate", 429,
            "Too many lookups of a buyer's parcel or quota in a minute.",
            "每分钟查询订购人包裹或额度的次数过多。";
    }
    "Administration", "系统管理" {
        RoleUnknown = "role_unknown", 422,
            "A role is not one there is.",
            "角色不存在。";
        NotAllowed = "not_allowed", 422,
            "A value is given that does not belong there (an enterprise for a customs role).",
            "给出了不应有的取值（为海关角色指定企业）。";
        GradeUnknown = "grade_unknown", 422,
            "A credit grade is not advanced, registered or untrustworthy.",
            "信用等级不是高级认证、一般信用或失信。";
        UsernameFormat = "username_format", 422,
            "A username is not 3 to 64 letters, digits, '.', '_' or '-'.",
            "用户名不是3至64位字母、数字、'.'、'_' 或 '-'。";
        PasswordShort = "password_short", 422,
            "A password is shorter than 8 characters.",
            "密码少于8个字符。";
        TokenDays = "token_days", 422,
            "A token's life in days is outside its range.",
            "令牌有效天数超出范围。";
        UrlFormat = "url_format", 422,
            "A webhook URL is not an absolute http:// or https:// URL.",
            "推送地址不是 http:// 或 https:// 开头的绝对地址。";
        UrlInternal = "url_internal", 422,
            "A webhook URL reaches an internal address (loopback, private, link-local…).",
            "推送地址指向内部地址（本机、私网、链路本地等）。";
    }
    "Transparency log", "透明日志" {
        ProofEntry = "proof_entry", 422,
            "The entry an inclusion proof is asked for is not in the tree of the size asked (entries are numbered from 1 to the tree size).",
            "所请求包含证明的日志条目不在所指大小的树中（条目编号为 1 至树的大小）。";
        ConsistencyRange = "consistency_range", 422,
            "A consistency proof is asked from a size of 0, or from a size larger than the one it is to.",
            "一致性证明的起始大小为 0，或大于目标大小。";
        TreeSize = "tree_size", 422,
            "A tree size is 0, or larger than the journal's tree now is.",
            "树的大小为 0，或大于日志树当前的大小。";
    }
}

impl Rule {
    /// The rule with this code, if it is one.
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.code() == code)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RefusalKind;
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    #[test]
    fn codes_are_unique_snake_case_and_described() {
        let mut seen = BTreeSet::new();
        for &r in Rule::ALL {
            let code = r.code();
            assert!(seen.insert(code), "{code} is listed twice");
            let snake = code.split('_').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
            assert!(snake && code.as_bytes()[0].is_ascii_lowercase(), "{code} is not snake_case");
            assert_eq!(Rule::from_code(code), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::json!(code));
            let words: String = code.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
            assert_eq!(format!("{r:?}"), words, "the variant of {code} is its code in CamelCase");
            assert!(r.en().ends_with('.') && r.en().len() > 10, "{code}: {:?}", r.en());
            assert!(r.zh().ends_with('。') && r.zh().chars().count() > 4, "{code}: {:?}", r.zh());
            let kinds: Vec<u16> = RefusalKind::ALL.iter().map(|k| k.http_status()).collect();
            assert!(kinds.contains(&r.status()) || r.status() == 410, "{code}: {} is no refusal's status", r.status());
        }
        assert_eq!(Rule::from_code("no_such_rule"), None);
    }

    /// The source files of every crate, without their test modules and test files.
    fn sources() -> Vec<(PathBuf, String)> {
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut stack: Vec<PathBuf> = std::fs::read_dir(&crates).unwrap().map(|e| e.unwrap().path().join("src")).collect();
        let mut out = Vec::new();
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                if p.ends_with("tests") {
                    continue;
                }
                stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy();
            let test_file = name.starts_with("tests") || name.ends_with("_tests.rs") || name == "test_support.rs";
            if p.extension().is_some_and(|e| e == "rs") && !test_file && !p.ends_with("error/rules.rs") {
                let src = std::fs::read_to_string(&p).unwrap();
                out.push((p, without_test_modules(&src)));
            }
        }
        out
    }

    /// `src` without its `#[cfg(test)] mod name { … }` blocks (a `mod tests;` stays: its file is
    /// left out by name).
    fn without_test_modules(src: &str) -> String {
        const MARK: &str = "#[cfg(test)]";
        let mut out = String::new();
        let mut rest = src;
        while let Some(at) = rest.find(MARK) {
            out.push_str(&rest[..at]);
            rest = &rest[at + MARK.len()..];
            let inline = rest
                .trim_start()
                .strip_prefix("mod ")
                .and_then(|m| m.find(['{', ';']))
                .map(|i| (rest.len() - rest.trim_start().len()) + 4 + i);
            let Some(open) = inline.filter(|&i| rest.as_bytes()[i] == b'{') else { continue };
            let mut depth = 0;
            for (i, c) in rest[open..].char_indices() {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                if depth == 0 {
                    rest = &rest[open + i + 1..];
                    break;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Every rule in the list is made somewhere outside the tests; a rule nothing answers with
    /// goes from the list.
    #[test]
    fn every_rule_is_used() {
        let sources = sources();
        assert!(sources.len() > 50, "the crates' sources were not found");
        let unused: Vec<&str> = Rule::ALL
            .iter()
            .filter(|r| {
                let name = format!("Rule::{r:?}");
                !sources.iter().any(|(_, src)| {
                    src.match_indices(&name).any(|(i, _)| !src[i + name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
                })
            })
            .map(|r| r.code())
            .collect();
        assert!(unused.is_empty(), "rules no source uses: {unused:?}");
    }

    #[test]
    fn test_modules_are_left_out() {
        let src = "fn a() { Rule::Required }\n#[cfg(test)]\nmod tests;\n#[cfg(test)]\nmod tests {\n    fn b() { if x { Rule::Fixed } }\n}\nfn c() {}\n";
        let kept = without_test_modules(src);
        assert!(kept.contains("Rule::Required") && kept.contains("mod tests;") && kept.contains("fn c()"), "{kept}");
        assert!(!kept.contains("Rule::Fixed"), "{kept}");
    }
}
