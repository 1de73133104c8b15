//! Simplified Chinese by default, English on request: every label is written in both, side by
//! side where it is used (`lang.t("报关单", "Declaration")`), so neither can be forgotten.

use guomen_domain::clearance::CST;
use guomen_domain::party::{CreditGrade, Role};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of the page.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Picks the label in this language.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn pick(self, zh: String, en: String) -> String {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn status(self, s: &str) -> &'static str {
        use guomen_domain::declaration::Status;
        match Status::parse(s) {
            Some(st) => match self {
                Lang::Zh => st.name_zh(),
                Lang::En => status_en(st),
            },
            None => "?",
        }
    }

    pub fn lane(self, l: &str) -> &'static str {
        match (l, self) {
            ("green", Lang::Zh) => "绿色通道",
            ("blue", Lang::Zh) => "蓝色通道",
            ("yellow", Lang::Zh) => "黄色通道",
            ("red", Lang::Zh) => "红色通道",
            ("green", Lang::En) => "green lane",
            ("blue", Lang::En) => "blue lane",
            ("yellow", Lang::En) => "yellow lane",
            ("red", Lang::En) => "red lane",
            _ => "?",
        }
    }

    /// A unit of measure by its GACC code: "千克" / "kg"; an unknown code as it is.
    pub fn unit(self, code: &str) -> String {
        let name = match self {
            Lang::Zh => guomen_reference::unit::name_zh(code),
            Lang::En => guomen_reference::unit::name_en(code),
        };
        name.unwrap_or(code).to_owned()
    }

    /// What the lane means for the goods.
    pub fn lane_meaning(self, l: &str) -> &'static str {
        match l {
            "green" => self.t("直接放行", "release"),
            "blue" => self.t("放行后稽查", "release, then post-clearance audit"),
            "yellow" => self.t("单证审核", "documentary check"),
            "red" => self.t("人工查验", "physical examination"),
            _ => "?",
        }
    }

    pub fn role(self, r: Role) -> &'static str {
        match r {
            Role::Declarant => self.t("申报企业", "Declarant"),
            Role::Terminal => self.t("码头/场站", "Terminal"),
            Role::Laboratory => self.t("实验室", "Laboratory"),
            Role::Officer => self.t("关员", "Officer"),
            Role::RiskAnalyst => self.t("风险分析", "Risk analyst"),
            Role::Admin => self.t("系统管理", "Administrator"),
        }
    }

    pub fn grade(self, g: CreditGrade) -> &'static str {
        match self {
            Lang::Zh => g.name_zh(),
            Lang::En => match g {
                CreditGrade::AdvancedCertified => "advanced certified (AEO)",
                CreditGrade::Registered => "registered",
                CreditGrade::Untrustworthy => "untrustworthy",
            },
        }
    }

    pub fn direction(self, ie: &str) -> &'static str {
        match ie {
            "I" => self.t("进口", "import"),
            "E" => self.t("出口", "export"),
            _ => "?",
        }
    }

    pub fn mode(self, m: &str) -> &'static str {
        match m {
            "standard" => self.t("一般申报", "standard"),
            "advance" => self.t("提前申报", "advance"),
            "two-step" => self.t("两步申报", "two-step"),
            _ => "?",
        }
    }

    pub fn priority(self, p: &str) -> &'static str {
        match p {
            "perishable" => self.t("鲜活易腐", "perishable"),
            "live-animals" => self.t("活体动物", "live animals"),
            "seeds-in-season" => self.t("农时种子", "seeds in season"),
            "other" => self.t("其他紧急", "other urgent"),
            _ => "?",
        }
    }

    /// "2026-03-10 08:30" in China Standard Time.
    pub fn time(self, t: OffsetDateTime) -> String {
        let t = t.to_offset(CST);
        format!("{:04}-{:02}-{:02} {:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
    }

    pub fn time_ms(self, ms: i64) -> String {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).map(|t| self.time(t)).unwrap_or_default()
    }

    /// A duration in words: "3 h 20 min" / "3 小时 20 分".
    pub fn duration_ms(self, ms: i64) -> String {
        let mins = (ms.max(0) + 30_000) / 60_000;
        let (d, h, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
        match (self, d, h) {
            (Lang::Zh, 0, 0) => format!("{m} 分"),
            (Lang::Zh, 0, _) => format!("{h} 小时 {m} 分"),
            (Lang::Zh, _, _) => format!("{d} 天 {h} 小时"),
            (Lang::En, 0, 0) => format!("{m} min"),
            (Lang::En, 0, _) => format!("{h} h {m} min"),
            (Lang::En, _, _) => format!("{d} d {h} h"),
        }
    }
}

fn status_en(s: guomen_domain::declaration::Status) -> &'static str {
    use guomen_domain::declaration::Status::*;
    match s {
        AwaitingArrival => "awaiting arrival",
        InspectionNotified => "inspection notified",
        InPosition => "container in position",
        Inspected => "inspected",
        Released => "released",
        Held => "held",
        PendingLaboratory => "waiting for the laboratory",
        PreReleased => "pre-released",
        PermittedToEnter => "permitted to enter",
        QualifiedForMarket => "qualified for market",
        DispositionRequired => "disposition required",
        UnderDisposition => "under disposition",
        Disposed => "disposed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_lane_has_both_names() {
        for s in guomen_domain::declaration::Status::ALL {
            for l in [Lang::Zh, Lang::En] {
                assert_ne!(l.status(s.as_str()), "?", "{s:?}");
            }
            assert_ne!(Lang::Zh.status(s.as_str()), Lang::En.status(s.as_str()));
        }
        for lane in ["green", "blue", "yellow", "red"] {
            assert_ne!(Lang::Zh.lane(lane), Lang::En.lane(lane));
            assert_ne!(Lang::En.lane_meaning(lane), "?");
        }
    }

    #[test]
    fn times_are_shown_in_china_standard_time() {
        let t = time::macros::datetime!(2026-03-10 17:05 UTC);
        assert_eq!(Lang::Zh.time(t), "2026-03-11 01:05");
        assert_eq!(Lang::En.duration_ms(3 * 3_600_000 + 20 * 60_000), "3 h 20 min");
        assert_eq!(Lang::Zh.duration_ms(26 * 3_600_000), "1 天 2 小时");
    }
}
