//! Validation: a draft becomes content, or every failing field is named with the rule it broke.

use super::*;
use crate::error::{FieldError, Rule};
use crate::party::Enterprise;
use crate::types::{parse_decimal, ParseError};
use std::collections::BTreeSet;
use time::{Date, Duration};

/// GACC allows at most 50 items on one declaration.
pub const MAX_ITEMS: usize = 50;

/// What validation needs to know beyond the draft; the store supplies it.
pub struct ValidationContext<'a> {
    /// Today's date at the customs office.
    pub today: Date,
    pub enterprise: &'a dyn Fn(&CustomsCode) -> Option<Enterprise>,
    /// Whether a supervision-site code belongs to a registered terminal.
    pub site_known: &'a dyn Fn(&str) -> bool,
}

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn push(&mut self, path: &str, e: ParseError) {
        self.errors.push(FieldError::new(path, e.rule, e.en, e.zh));
    }

    fn required<'s>(&mut self, path: &str, v: &'s Option<String>) -> Option<&'s str> {
        match v.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => Some(s),
            _ => {
                self.errors.push(FieldError::new(path, Rule::Required, "this field is required", "此字段为必填项"));
                None
            }
        }
    }

    fn optional<'s>(&mut self, path: &str, v: &'s Option<String>, max: usize) -> Option<&'s str> {
        let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        self.max_len(path, s, max);
        Some(s)
    }

    fn max_len(&mut self, path: &str, s: &str, max: usize) -> bool {
        let n = s.chars().count();
        if n > max {
            self.errors.push(FieldError::new(
                path,
                Rule::TooLong,
                format!("at most {max} characters, got {n}"),
                format!("最多 {max} 个字符，实际 {n} 个"),
            ));
            return false;
        }
        true
    }

    fn text(&mut self, path: &str, v: &Option<String>, max: usize) -> Option<String> {
        let s = self.required(path, v)?;
        self.max_len(path, s, max).then(|| s.to_owned())
    }

    fn parsed<T>(&mut self, path: &str, v: &Option<String>, f: impl Fn(&str) -> Result<T, ParseError>) -> Option<T> {
        let s = self.required(path, v)?;
        f(s).map_err(|e| self.push(path, e)).ok()
    }

    fn code(&mut self, path: &str, v: &Option<String>, len: std::ops::RangeInclusive<usize>, digits_only: bool) -> Option<String> {
        let s = self.required(path, v)?;
        let ok = len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit() || (!digits_only && (b.is_ascii_uppercase() || b == b'-')));
        if !ok {
            let (what_en, what_zh) =
                if digits_only { ("digits", "位数字") } else { ("characters of A–Z, 0–9, '-'", "位大写字母、数字或 '-'") };
            let (lo, hi) = (len.start(), len.end());
            let n = if lo == hi { lo.to_string() } else { format!("{lo}–{hi}") };
            self.errors.push(FieldError::new(
                path,
                Rule::CodeFormat,
                format!("must be {n} {what_en}, got {s:?}"),
                format!("应为 {n} {what_zh}，实际为 {s:?}"),
            ));
            return None;
        }
        Some(s.to_owned())
    }
}

fn parse_date(s: &str) -> Result<Date, ParseError> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).map_err(|_| ParseError {
        rule: Rule::DateFormat,
        en: format!("a date is YYYY-MM-DD, got {s:?}"),
        zh: format!("日期格式应为 YYYY-MM-DD，实际为 {s:?}"),
    })
}

/// Checks every field of `draft`; on failure returns all the field errors at once.
pub fn validate(draft: &DeclarationDraft, ctx: &ValidationContext<'_>) -> Result<DeclarationContent, Vec<FieldError>> {
    let mut c = Checker { errors: Vec::new() };
    let h = &draft.head;

    let ie_flag = match c.required("head.ie_flag", &h.ie_flag) {
        Some("I") => Some(IeFlag::Import),
        Some("E") => Some(IeFlag::Export),
        Some(other) => {
            c.errors.push(FieldError::new(
                "head.ie_flag",
                Rule::IeFlag,
                format!("must be I (import) or E (export), got {other:?}"),
                format!("应为 I（进口）或 E（出口），实际为 {other:?}"),
            ));
            None
        }
        None => None,
    };
    let mode = match h.mode.as_deref().map(str::trim).unwrap_or("") {
        "" | "standard" => Some(DeclarationMode::Standard),
        "advance" => Some(DeclarationMode::Advance),
        "two-step" => Some(DeclarationMode::TwoStep),
        other => {
            c.errors.push(FieldError::new(
                "head.mode",
                Rule::Mode,
                format!("must be standard, advance or two-step, got {other:?}"),
                format!("应为 standard、advance 或 two-step，实际为 {other:?}"),
            ));
            None
        }
    };
    let customs_master = c.parsed("head.customs_master", &h.customs_master, OfficeCode::parse);
    let ie_port = c.parsed("head.ie_port", &h.ie_port, OfficeCode::parse);

    let ie_date = match h.ie_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => match parse_date(s) {
            Ok(d) => Some(d),
            Err(e) => {
                c.push("head.ie_date", e);
                None
            }
        },
        None => {
            if mode != Some(DeclarationMode::Advance) {
                c.errors.push(FieldError::new(
                    "head.ie_date",
                    Rule::Required,
                    "the import/export date is required unless the declaration is filed in advance",
                    "除提前申报外，进出口日期为必填项",
                ));
            }
            None
        }
    };
    if let (Some(d), Some(flag), Some(m)) = (ie_date, ie_flag, mode) {
        match (flag, m) {
            (IeFlag::Import, DeclarationMode::Standard | DeclarationMode::TwoStep) if d > ctx.today => {
                c.errors.push(FieldError::new(
                    "head.ie_date",
                    Rule::IeDateFuture,
                    format!("the goods have not arrived yet ({d}); file an advance declaration instead"),
                    format!("货物尚未到达（{d}），请改用提前申报"),
                ));
            }
            (IeFlag::Export, DeclarationMode::Advance) if d > ctx.today + Duration::days(3) => {
                c.errors.push(FieldError::new(
                    "head.ie_date",
                    Rule::AdvanceExportWindow,
                    "an advance export declaration may be filed at most 3 days before the goods reach the customs area",
                    "出口提前申报最早可在货物运抵海关监管作业场所前3日内进行",
                ));
            }
            _ => {}
        }
    }
    if ie_flag == Some(IeFlag::Export) && mode == Some(DeclarationMode::TwoStep) {
        c.errors.push(FieldError::new(
            "head.mode",
            Rule::TwoStepImportOnly,
            "two-step declaration applies to imports only",
            "两步申报仅适用于进口",
        ));
    }

    let party = |c: &mut Checker, path: &str, v: &Option<String>, required: bool| -> Option<CustomsCode> {
        let code = if required {
            c.parsed(path, v, CustomsCode::parse)?
        } else {
            let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
            CustomsCode::parse(s).map_err(|e| c.push(path, e)).ok()?
        };
        if (ctx.enterprise)(&code).is_none() {
            c.errors.push(FieldError::new(
                path,
                Rule::EnterpriseUnknown,
                format!("no enterprise is registered with customs code {code}"),
                format!("海关编码 {code} 未注册"),
            ));
            return None;
        }
        Some(code)
    };
    let trade_code = party(&mut c, "head.trade_code", &h.trade_code, true);
    let owner_code = party(&mut c, "head.owner_code", &h.owner_code, false);
    let agent_code = party(&mut c, "head.agent_code", &h.agent_code, false);

    let traf_mode = c.code("head.traf_mode", &h.traf_mode, 1..=1, false);
    let traf_name = c.optional("head.traf_name", &h.traf_name, 50).map(str::to_owned);
    let voyage_no = c.optional("head.voyage_no", &h.voyage_no, 32).map(str::to_owned);
    let bill_no = c.code("head.bill_no", &h.bill_no, 1..=32, false);
    if let (Some("5"), Some(bill)) = (traf_mode.as_deref(), bill_no.as_deref()) {
        if let Err((en, zh)) = air_waybill(bill) {
            c.errors.push(FieldError::new("head.bill_no", Rule::AirWaybill, en, zh));
        }
    }
    let manifest_no = c.optional("head.manifest_no", &h.manifest_no, 32).map(str::to_owned);
    let trade_mode = c.code("head.trade_mode", &h.trade_mode, 4..=4, true);
    let trade_country = c.parsed("head.trade_country", &h.trade_country, CountryCode::parse);
    let trans_mode = c.code("head.trans_mode", &h.trans_mode, 1..=1, true);
    if let Some(t) = &trans_mode {
        if !("1"..="7").contains(&t.as_str()) {
            c.errors.push(FieldError::new(
                "head.trans_mode",
                Rule::TransMode,
                "terms of delivery are 1 CIF, 2 C&F, 3 FOB, 4 C&I, 5 market price, 6 lump sum or 7 EXW",
                "成交方式应为 1 CIF、2 C&F、3 FOB、4 C&I、5 市场价、6 垫仓、7 EXW",
            ));
        }
    }
    let pack_no = c.parsed("head.pack_no", &h.pack_no, |s| {
        s.parse::<u32>().ok().filter(|n| (1..=99_999_999).contains(n)).ok_or(ParseError {
            rule: Rule::IntegerRange,
            en: format!("the number of packages is a whole number from 1 to 99999999, got {s:?}"),
            zh: format!("件数应为1至99999999的整数，实际为 {s:?}"),
        })
    });
    let gross_wt = c.parsed("head.gross_wt", &h.gross_wt, |s| parse_decimal(s, 19, 5, true));
    let net_wt = c.parsed("head.net_wt", &h.net_wt, |s| parse_decimal(s, 19, 5, true));
    if let (Some(g), Some(n)) = (gross_wt, net_wt) {
        if n > g {
            c.errors.push(FieldError::new(
                "head.net_wt",
                Rule::NetOverGross,
                format!("net weight {n} kg exceeds gross weight {g} kg"),
                format!("净重 {n} 千克大于毛重 {g} 千克"),
            ));
        }
    }
    let site_code = c.optional("head.site_code", &h.site_code, 16).map(str::to_owned);
    if let Some(s) = &site_code {
        if !(ctx.site_known)(s) {
            c.errors.push(FieldError::new(
                "head.site_code",
                Rule::SiteUnknown,
                format!("no terminal or yard is registered with supervision-site code {s:?}"),
                format!("监管场所代码 {s:?} 未登记"),
            ));
        }
    }
    let note = c.optional("head.note", &h.note, 255).map(str::to_owned);
    let priority = match h.priority.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(k) => match PriorityKind::parse(k) {
            None => {
                c.errors.push(FieldError::new(
                    "head.priority",
                    Rule::PriorityKind,
                    format!("priority is perishable, live-animals, seeds-in-season or other, got {k:?}"),
                    format!("优先类型应为 perishable、live-animals、seeds-in-season 或 other，实际为 {k:?}"),
                ));
                None
            }
            Some(kind) => c.text("head.priority_reason", &h.priority_reason, 200).map(|reason| Priority { kind, reason }),
        },
    };

    // Items.
    if draft.items.is_empty() {
        c.errors.push(FieldError::new("items", Rule::ItemsRequired, "at least one item is required", "至少需要一项商品"));
    }
    if draft.items.len() > MAX_ITEMS {
        c.errors.push(FieldError::new(
            "items",
            Rule::ItemsTooMany,
            format!("at most {MAX_ITEMS} items, got {}", draft.items.len()),
            format!("最多 {MAX_ITEMS} 项商品，实际 {} 项", draft.items.len()),
        ));
    }
    let mut seen = BTreeSet::new();
    let mut items = Vec::new();
    for (i, it) in draft.items.iter().enumerate() {
        let p = |f: &str| format!("items[{i}].{f}");
        let g_no = c.parsed(&p("g_no"), &it.g_no, |s| {
            s.parse::<u32>().ok().filter(|n| (1..=MAX_ITEMS as u32).contains(n)).ok_or(ParseError {
                rule: Rule::IntegerRange,
                en: format!("item number is a whole number from 1 to {MAX_ITEMS}, got {s:?}"),
                zh: format!("商品序号应为1至{MAX_ITEMS}的整数，实际为 {s:?}"),
            })
        });
        if let Some(n) = g_no {
            if !seen.insert(n) {
                c.errors.push(FieldError::new(
                    p("g_no"),
                    Rule::GNoDuplicate,
                    format!("item number {n} is used twice"),
                    format!("商品序号 {n} 重复"),
                ));
            }
        }
        let code_ts = c.parsed(&p("code_ts"), &it.code_ts, HsCode::parse);
        let g_name = c.text(&p("g_name"), &it.g_name, 255);
        let g_model = c.optional(&p("g_model"), &it.g_model, 255).map(str::to_owned);
        let g_qty = c.parsed(&p("g_qty"), &it.g_qty, |s| parse_decimal(s, 19, 5, true));
        let g_unit = c.parsed(&p("g_unit"), &it.g_unit, UnitCode::parse);
        let decl_price = c.parsed(&p("decl_price"), &it.decl_price, |s| parse_decimal(s, 19, 4, true));
        let decl_total = c.parsed(&p("decl_total"), &it.decl_total, |s| parse_decimal(s, 17, 2, true));
        let trade_curr = c.parsed(&p("trade_curr"), &it.trade_curr, CurrencyCode::parse);
        let origin_country = c.parsed(&p("origin_country"), &it.origin_country, CountryCode::parse);
        let destination_country = c.parsed(&p("destination_country"), &it.destination_country, CountryCode::parse);
        if let (Some(q), Some(pr), Some(t)) = (g_qty, decl_price, decl_total) {
            // Checked: the bounds above keep the product in range, but a refusal beats a panic.
            match q.checked_mul(pr).map(|e| e.round_dp(2)) {
                Some(expected) if (expected - t).abs() <= rust_decimal::Decimal::new(1, 2) => {}
                Some(expected) => c.errors.push(FieldError::new(
                    p("decl_total"),
                    Rule::TotalMismatch,
                    format!("total {t} does not equal quantity {q} × unit price {pr} = {expected}"),
                    format!("总价 {t} 不等于 数量 {q} × 单价 {pr} = {expected}"),
                )),
                None => c.errors.push(FieldError::new(
                    p("decl_total"),
                    Rule::NumberRange,
                    format!("quantity {q} × unit price {pr} is beyond any amount a declaration can carry"),
                    format!("数量 {q} × 单价 {pr} 超出报关单可申报的金额范围"),
                )),
            }
        }
        if let (Some(IeFlag::Import), Some(dest)) = (ie_flag, &destination_country) {
            if dest.as_str() != "CHN" {
                c.errors.push(FieldError::new(
                    p("destination_country"),
                    Rule::ImportDestination,
                    format!("imported goods are destined for CHN, got {dest}"),
                    format!("进口货物最终目的国应为 CHN，实际为 {dest}"),
                ));
            }
        }
        if let (
            Some(g_no),
            Some(code_ts),
            Some(g_name),
            Some(g_qty),
            Some(g_unit),
            Some(decl_price),
            Some(decl_total),
            Some(trade_curr),
            Some(origin_country),
            Some(destination_country),
        ) = (g_no, code_ts, g_name, g_qty, g_unit, decl_price, decl_total, trade_curr, origin_country, destination_country)
        {
            items.push(Item {
                g_no,
                code_ts,
                g_name,
                g_model,
                g_qty,
                g_unit,
                decl_price,
                decl_total,
                trade_curr,
                origin_country,
                destination_country,
            });
        }
    }

    let mut containers = Vec::new();
    let mut seen_containers = BTreeSet::new();
    for (i, k) in draft.containers.iter().enumerate() {
        let path = format!("containers[{i}].container_id");
        if let Some(id) = c.required(&path, &k.container_id) {
            if !container_number_valid(id) {
                c.errors.push(FieldError::new(
                    &path,
                    Rule::ContainerNumber,
                    format!("{id:?} is not an ISO 6346 container number with a correct check digit"),
                    format!("{id:?} 不是校验位正确的 ISO 6346 集装箱号"),
                ));
            } else if !seen_containers.insert(id.to_owned()) {
                c.errors.push(FieldError::new(
                    &path,
                    Rule::ContainerDuplicate,
                    format!("container {id} is listed twice"),
                    format!("集装箱 {id} 重复"),
                ));
            } else {
                let md = c.optional(&format!("containers[{i}].container_md"), &k.container_md, 4).map(str::to_owned);
                containers.push(Container { container_id: id.to_owned(), container_md: md });
            }
        }
    }
    let mut licences = Vec::new();
    for (i, l) in draft.licences.iter().enumerate() {
        let code = c.code(&format!("licences[{i}].docu_code"), &l.docu_code, 1..=2, false);
        let cert = c.text(&format!("licences[{i}].cert_code"), &l.cert_code, 32);
        if let (Some(docu_code), Some(cert_code)) = (code, cert) {
            licences.push(Licence { docu_code, cert_code });
        }
    }

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    // Every field parsed; the unwraps below cannot fail because any None pushed an error.
    let head = Head {
        ie_flag: ie_flag.expect("checked"),
        mode: mode.expect("checked"),
        customs_master: customs_master.expect("checked"),
        ie_port: ie_port.expect("checked"),
        ie_date,
        trade_code: trade_code.expect("checked"),
        owner_code,
        agent_code,
        traf_mode: traf_mode.expect("checked"),
        traf_name,
        voyage_no,
        bill_no: bill_no.expect("checked"),
        manifest_no,
        trade_mode: trade_mode.expect("checked"),
        trade_country: trade_country.expect("checked"),
        trans_mode: trans_mode.expect("checked"),
        pack_no: pack_no.expect("checked"),
        gross_wt: gross_wt.expect("checked"),
        net_wt: net_wt.expect("checked"),
        site_code,
        note,
        priority,
    };
    items.sort_by_key(|i| i.g_no);
    Ok(DeclarationContent { head, items, containers, licences })
}

/// 航空运单号 — by air the bill is the master air waybill (IATA Resolution 600a): a 3-digit
/// airline prefix and an 8-digit serial, written `784-20260310` or `78420260310`, whose last
/// digit is the first seven modulo 7.
pub fn air_waybill(bill: &str) -> Result<(), (String, String)> {
    let digits: String = match bill.split_once('-') {
        Some((prefix, serial)) if prefix.len() == 3 && serial.len() == 8 => format!("{prefix}{serial}"),
        Some(_) => String::new(),
        None => bill.to_owned(),
    };
    if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err((
            format!(
                "by air the bill is an air waybill number: a 3-digit airline prefix and an 8-digit serial (784-20260310), got {bill:?}"
            ),
            format!("航空运输的提运单号应为航空运单号：3 位航空公司代码和 8 位序号（如 784-20260310），实际为 {bill:?}"),
        ));
    }
    let serial: u32 = digits[3..10].parse().expect("digits");
    let check = u32::from(digits.as_bytes()[10] - b'0');
    if serial % 7 != check {
        return Err((
            format!("air waybill {bill}: the check digit is {check}, but {serial} modulo 7 is {}", serial % 7),
            format!("航空运单号 {bill} 校验位为 {check}，但 {serial} 除以 7 的余数为 {}", serial % 7),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod air_waybill_tests {
    use super::air_waybill;

    #[test]
    fn the_check_digit_is_the_serial_modulo_seven() {
        for ok in ["784-20260310", "78420260310", "074-12345675", "999-00000000"] {
            assert!(air_waybill(ok).is_ok(), "{ok}");
        }
        for bad in ["784-20260311", "074-12345670", "784-2026031", "78-420260310", "7842026031X", "BILL-1", ""] {
            assert!(air_waybill(bad).is_err(), "{bad}");
        }
    }
}
