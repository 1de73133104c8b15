//! GACC measurement unit codes (计量单位代码): three-digit codes used in
//! China customs declarations for legal and declared quantities.

/// A measurement unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// Three-digit code, e.g. `"035"`.
    pub code: &'static str,
    /// Chinese name, e.g. `"千克"`.
    pub zh: &'static str,
}

/// True iff `code` is a known three-digit unit code.
pub fn is_unit(code: &str) -> bool {
    find(code).is_some()
}

/// Chinese name for a unit code.
pub fn name_zh(code: &str) -> Option<&'static str> {
    find(code).map(|u| u.zh)
}

/// All units, sorted by code.
pub fn all() -> &'static [Unit] {
    UNITS
}

fn find(code: &str) -> Option<&'static Unit> {
    UNITS.binary_search_by(|u| u.code.cmp(code)).ok().map(|i| &UNITS[i])
}

const fn u(code: &'static str, zh: &'static str) -> Unit {
    Unit { code, zh }
}

static UNITS: &[Unit] = &[
    u("001", "台"),
    u("002", "座"),
    u("003", "辆"),
    u("004", "艘"),
    u("005", "架"),
    u("006", "套"),
    u("007", "个"),
    u("008", "只"),
    u("009", "头"),
    u("010", "张"),
    u("011", "件"),
    u("012", "支"),
    u("013", "枝"),
    u("014", "根"),
    u("015", "条"),
    u("016", "把"),
    u("017", "块"),
    u("018", "卷"),
    u("019", "副"),
    u("020", "片"),
    u("021", "组"),
    u("022", "份"),
    u("023", "幅"),
    u("025", "双"),
    u("026", "对"),
    u("027", "棵"),
    u("028", "株"),
    u("029", "井"),
    u("030", "米"),
    u("031", "盘"),
    u("032", "平方米"),
    u("033", "立方米"),
    u("034", "筒"),
    u("035", "千克"),
    u("036", "克"),
    u("037", "盆"),
    u("038", "万个"),
    u("039", "具"),
    u("040", "百副"),
    u("041", "百支"),
    u("042", "百把"),
    u("043", "百个"),
    u("044", "百片"),
    u("045", "刀"),
    u("046", "疋"),
    u("047", "公担"),
    u("048", "扇"),
    u("049", "百枝"),
    u("050", "千只"),
    u("051", "千块"),
    u("052", "千盒"),
    u("053", "千枝"),
    u("054", "千个"),
    u("055", "亿支"),
    u("056", "亿个"),
    u("057", "万套"),
    u("058", "千张"),
    u("059", "万张"),
    u("060", "千伏安"),
    u("061", "千瓦"),
    u("062", "千瓦时"),
    u("063", "千升"),
    u("067", "英尺"),
    u("070", "吨"),
    u("071", "长吨"),
    u("072", "短吨"),
    u("073", "司马担"),
    u("074", "司马斤"),
    u("075", "斤"),
    u("076", "磅"),
    u("077", "担"),
    u("078", "英担"),
    u("079", "短担"),
    u("080", "两"),
    u("081", "市担"),
    u("083", "盎司"),
    u("084", "克拉"),
    u("085", "市尺"),
    u("086", "码"),
    u("088", "英寸"),
    u("089", "寸"),
    u("095", "升"),
    u("096", "毫升"),
    u("097", "英加仑"),
    u("098", "美加仑"),
    u("099", "立方英尺"),
    u("101", "立方尺"),
    u("110", "平方码"),
    u("111", "平方英尺"),
    u("112", "平方尺"),
    u("115", "英制马力"),
    u("116", "公制马力"),
    u("118", "令"),
    u("120", "箱"),
    u("121", "批"),
    u("122", "罐"),
    u("123", "桶"),
    u("124", "扎"),
    u("125", "包"),
    u("126", "箩"),
    u("127", "打"),
    u("128", "筐"),
    u("129", "罗"),
    u("130", "匹"),
    u("131", "册"),
    u("132", "本"),
    u("133", "发"),
    u("134", "枚"),
    u("135", "捆"),
    u("136", "袋"),
    u("139", "粒"),
    u("140", "盒"),
    u("141", "合"),
    u("142", "瓶"),
    u("143", "千支"),
    u("144", "万双"),
    u("145", "万粒"),
    u("146", "千粒"),
    u("147", "千米"),
    u("148", "千英尺"),
    u("149", "百万贝可"),
    u("163", "部"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shape() {
        assert_eq!(all().len(), 122);
        assert!(all().windows(2).all(|w| w[0].code < w[1].code));
        for u in all() {
            assert!(u.code.len() == 3 && u.code.bytes().all(|b| b.is_ascii_digit()), "{u:?}");
            assert!(!u.zh.is_empty(), "{u:?}");
        }
        let mut names: Vec<_> = all().iter().map(|u| u.zh).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all().len(), "unit names are unique");
    }

    #[test]
    fn lookups() {
        assert!(is_unit("035"));
        assert!(is_unit("001"));
        assert!(is_unit("163"));
        for code in ["", "35", "0035", "024", "999", "abc"] {
            assert!(!is_unit(code), "{code}");
        }
        assert_eq!(name_zh("001"), Some("台"));
        assert_eq!(name_zh("007"), Some("个"));
        assert_eq!(name_zh("035"), Some("千克"));
        assert_eq!(name_zh("070"), Some("吨"));
        assert_eq!(name_zh("142"), Some("瓶"));
        assert_eq!(name_zh("024"), None);
    }
}
