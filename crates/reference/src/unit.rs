//! GACC measurement unit codes (计量单位代码): three-digit codes used in
//! China customs declarations for legal and declared quantities.

/// A measurement unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// Three-digit code, e.g. `"035"`.
    pub code: &'static str,
    /// Chinese name, e.g. `"千克"`.
    pub zh: &'static str,
    /// English name or symbol, e.g. `"kg"`.
    pub en: &'static str,
}

/// True iff `code` is a known three-digit unit code.
pub fn is_unit(code: &str) -> bool {
    find(code).is_some()
}

/// Chinese name for a unit code.
pub fn name_zh(code: &str) -> Option<&'static str> {
    find(code).map(|u| u.zh)
}

/// English name or symbol for a unit code.
pub fn name_en(code: &str) -> Option<&'static str> {
    find(code).map(|u| u.en)
}

/// All units, sorted by code.
pub fn all() -> &'static [Unit] {
    UNITS
}

fn find(code: &str) -> Option<&'static Unit> {
    UNITS.binary_search_by(|u| u.code.cmp(code)).ok().map(|i| &UNITS[i])
}

const fn u(code: &'static str, zh: &'static str, en: &'static str) -> Unit {
    Unit { code, zh, en }
}

static UNITS: &[Unit] = &[
    u("001", "台", "unit"),
    u("002", "座", "seat"),
    u("003", "辆", "vehicle"),
    u("004", "艘", "ship"),
    u("005", "架", "frame"),
    u("006", "套", "set"),
    u("007", "个", "pc"),
    u("008", "只", "pc (只)"),
    u("009", "头", "head"),
    u("010", "张", "sheet"),
    u("011", "件", "piece"),
    u("012", "支", "stick"),
    u("013", "枝", "stem"),
    u("014", "根", "rod"),
    u("015", "条", "strip"),
    u("016", "把", "pc (把)"),
    u("017", "块", "block"),
    u("018", "卷", "roll"),
    u("019", "副", "pair (副)"),
    u("020", "片", "slice"),
    u("021", "组", "group"),
    u("022", "份", "copy"),
    u("023", "幅", "panel"),
    u("025", "双", "pair"),
    u("026", "对", "pair (对)"),
    u("027", "棵", "tree"),
    u("028", "株", "plant"),
    u("029", "井", "well"),
    u("030", "米", "m"),
    u("031", "盘", "reel"),
    u("032", "平方米", "m²"),
    u("033", "立方米", "m³"),
    u("034", "筒", "tube"),
    u("035", "千克", "kg"),
    u("036", "克", "g"),
    u("037", "盆", "pot"),
    u("038", "万个", "10,000 pcs"),
    u("039", "具", "unit (具)"),
    u("040", "百副", "100 pairs"),
    u("041", "百支", "100 sticks"),
    u("042", "百把", "100 pcs (把)"),
    u("043", "百个", "100 pcs"),
    u("044", "百片", "100 slices"),
    u("045", "刀", "100 sheets (刀)"),
    u("046", "疋", "bolt"),
    u("047", "公担", "quintal"),
    u("048", "扇", "leaf"),
    u("049", "百枝", "100 stems"),
    u("050", "千只", "1,000 pcs (只)"),
    u("051", "千块", "1,000 blocks"),
    u("052", "千盒", "1,000 boxes"),
    u("053", "千枝", "1,000 stems"),
    u("054", "千个", "1,000 pcs"),
    u("055", "亿支", "100 million sticks"),
    u("056", "亿个", "100 million pcs"),
    u("057", "万套", "10,000 sets"),
    u("058", "千张", "1,000 sheets"),
    u("059", "万张", "10,000 sheets"),
    u("060", "千伏安", "kVA"),
    u("061", "千瓦", "kW"),
    u("062", "千瓦时", "kWh"),
    u("063", "千升", "kl"),
    u("067", "英尺", "ft"),
    u("070", "吨", "t"),
    u("071", "长吨", "long ton"),
    u("072", "短吨", "short ton"),
    u("073", "司马担", "picul"),
    u("074", "司马斤", "catty"),
    u("075", "斤", "jin"),
    u("076", "磅", "lb"),
    u("077", "担", "dan"),
    u("078", "英担", "long cwt"),
    u("079", "短担", "short cwt"),
    u("080", "两", "liang"),
    u("081", "市担", "shi dan"),
    u("083", "盎司", "oz"),
    u("084", "克拉", "ct"),
    u("085", "市尺", "chi"),
    u("086", "码", "yd"),
    u("088", "英寸", "in"),
    u("089", "寸", "cun"),
    u("095", "升", "l"),
    u("096", "毫升", "ml"),
    u("097", "英加仑", "imp gal"),
    u("098", "美加仑", "US gal"),
    u("099", "立方英尺", "ft³"),
    u("101", "立方尺", "cubic chi"),
    u("110", "平方码", "yd²"),
    u("111", "平方英尺", "ft²"),
    u("112", "平方尺", "square chi"),
    u("115", "英制马力", "hp"),
    u("116", "公制马力", "metric hp"),
    u("118", "令", "ream"),
    u("120", "箱", "case"),
    u("121", "批", "lot"),
    u("122", "罐", "can"),
    u("123", "桶", "barrel"),
    u("124", "扎", "bunch"),
    u("125", "包", "pack"),
    u("126", "箩", "basket (箩)"),
    u("127", "打", "dozen"),
    u("128", "筐", "basket"),
    u("129", "罗", "gross"),
    u("130", "匹", "head (匹)"),
    u("131", "册", "volume"),
    u("132", "本", "book"),
    u("133", "发", "round"),
    u("134", "枚", "pc (枚)"),
    u("135", "捆", "bale"),
    u("136", "袋", "bag"),
    u("139", "粒", "grain"),
    u("140", "盒", "box"),
    u("141", "合", "box (合)"),
    u("142", "瓶", "bottle"),
    u("143", "千支", "1,000 sticks"),
    u("144", "万双", "10,000 pairs"),
    u("145", "万粒", "10,000 grains"),
    u("146", "千粒", "1,000 grains"),
    u("147", "千米", "km"),
    u("148", "千英尺", "1,000 ft"),
    u("149", "百万贝可", "MBq"),
    u("163", "部", "unit (部)"),
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
            assert!(!u.zh.is_empty() && !u.en.is_empty(), "{u:?}");
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
        assert_eq!((name_en("007"), name_en("140"), name_en("035")), (Some("pc"), Some("box"), Some("kg")));
    }
}
