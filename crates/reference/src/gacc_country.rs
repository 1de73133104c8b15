//! GACC country (region) codes (海关国别（地区）代码): the three-digit codes of the customs
//! parameter table, used by the cross-border e-commerce (CEB) messages for the country of
//! origin (`country`) and the trading country (`tradeCountry`). They are not ISO 3166
//! numeric codes: 142 is China, 502 the United States.
//!
//! The first digit is the continent: 1 Asia, 2 Africa, 3 Europe, 4 Latin America and the
//! Caribbean, 5 North America, 6 Oceania; x99 is "other countries (regions)" of that
//! continent, 701 国(地)别不详 (unknown), 702 the United Nations and international
//! organisations, 999 中性包装原产国别 (neutral packaging, origin not shown). Codes missing
//! from the numbering (e.g. 140, 317, 319, 332, 333, 341, 342, 345, 346, 348, 407) belonged to
//! former states, were moved (the Central Asian republics are 145–149) or were never
//! assigned; they are not accepted.
//!
//! Each entry has the ISO 3166-1 alpha-3 code where one exists. There is none for parts of a
//! country the table lists separately (207 Canary Islands, 210 Ceuta, 256 Melilla, 604 Gambier,
//! 605 Marquesas, 612 Society, 615 Tuamotu and 616 Tubuai Islands), for 438 Saint Martin (the
//! whole island; ISO splits it into MAF and SXM), for the dissolved 349 Serbia and Montenegro
//! and 449 Netherlands Antilles (their ISO codes SCG and ANT are withdrawn), and for the x99,
//! 701, 702 and 999 entries. 409 Bonaire and 436 Saba both map to BES.
//!
//! Names follow the table, with current short forms where it uses older ones (354 North
//! Macedonia, 257 Eswatini, 143 中国台湾 for 台澎金马关税区). No machine-readable official copy
//! is vendored: the table was written from the customs parameter table as known to the
//! authors and checked against several independently maintained copies of it. Entries least
//! certain: 349 Serbia and Montenegro next to 358 Serbia and 359 Montenegro (the split codes
//! are missing from older copies, the joint one may be retired), 448 Saint Pierre and Miquelon
//! and 449 Netherlands Antilles (in every copy seen, possibly retired since), and 625 Wallis
//! and Futuna (one copy has 624). South Sudan has no code here: no copy seen lists one, so
//! it falls under 299.

/// One entry of the customs country (region) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GaccCountry {
    /// Three-digit customs code, e.g. `"142"`.
    pub code: &'static str,
    /// ISO 3166-1 alpha-3 code, where one exists.
    pub alpha3: Option<&'static str>,
    /// Chinese name, e.g. `"中国"`.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
}

/// True iff `code` is a three-digit code of the customs country (region) table.
pub fn is_gacc_country(code: &str) -> bool {
    find(code).is_some()
}

/// Chinese name for a customs country (region) code.
pub fn name_zh(code: &str) -> Option<&'static str> {
    find(code).map(|c| c.zh)
}

/// English name for a customs country (region) code.
pub fn name_en(code: &str) -> Option<&'static str> {
    find(code).map(|c| c.en)
}

/// ISO 3166-1 alpha-3 code for a customs country (region) code; `None` for unknown codes
/// and for entries without one (see the module documentation).
pub fn alpha3(code: &str) -> Option<&'static str> {
    find(code).and_then(|c| c.alpha3)
}

/// All entries, sorted by code.
pub fn all() -> &'static [GaccCountry] {
    TABLE
}

fn find(code: &str) -> Option<&'static GaccCountry> {
    TABLE.binary_search_by(|c| c.code.cmp(code)).ok().map(|i| &TABLE[i])
}

const fn g(code: &'static str, alpha3: Option<&'static str>, zh: &'static str, en: &'static str) -> GaccCountry {
    GaccCountry { code, alpha3, zh, en }
}

static TABLE: &[GaccCountry] = &[
    g("101", Some("AFG"), "阿富汗", "Afghanistan"),
    g("102", Some("BHR"), "巴林", "Bahrain"),
    g("103", Some("BGD"), "孟加拉国", "Bangladesh"),
    g("104", Some("BTN"), "不丹", "Bhutan"),
    g("105", Some("BRN"), "文莱", "Brunei Darussalam"),
    g("106", Some("MMR"), "缅甸", "Myanmar"),
    g("107", Some("KHM"), "柬埔寨", "Cambodia"),
    g("108", Some("CYP"), "塞浦路斯", "Cyprus"),
    g("109", Some("PRK"), "朝鲜", "Korea, Democratic People's Republic of"),
    g("110", Some("HKG"), "中国香港", "Hong Kong, China"),
    g("111", Some("IND"), "印度", "India"),
    g("112", Some("IDN"), "印度尼西亚", "Indonesia"),
    g("113", Some("IRN"), "伊朗", "Iran"),
    g("114", Some("IRQ"), "伊拉克", "Iraq"),
    g("115", Some("ISR"), "以色列", "Israel"),
    g("116", Some("JPN"), "日本", "Japan"),
    g("117", Some("JOR"), "约旦", "Jordan"),
    g("118", Some("KWT"), "科威特", "Kuwait"),
    g("119", Some("LAO"), "老挝", "Lao People's Democratic Republic"),
    g("120", Some("LBN"), "黎巴嫩", "Lebanon"),
    g("121", Some("MAC"), "中国澳门", "Macao, China"),
    g("122", Some("MYS"), "马来西亚", "Malaysia"),
    g("123", Some("MDV"), "马尔代夫", "Maldives"),
    g("124", Some("MNG"), "蒙古", "Mongolia"),
    g("125", Some("NPL"), "尼泊尔", "Nepal"),
    g("126", Some("OMN"), "阿曼", "Oman"),
    g("127", Some("PAK"), "巴基斯坦", "Pakistan"),
    g("128", Some("PSE"), "巴勒斯坦", "Palestine"),
    g("129", Some("PHL"), "菲律宾", "Philippines"),
    g("130", Some("QAT"), "卡塔尔", "Qatar"),
    g("131", Some("SAU"), "沙特阿拉伯", "Saudi Arabia"),
    g("132", Some("SGP"), "新加坡", "Singapore"),
    g("133", Some("KOR"), "韩国", "Korea, Republic of"),
    g("134", Some("LKA"), "斯里兰卡", "Sri Lanka"),
    g("135", Some("SYR"), "叙利亚", "Syrian Arab Republic"),
    g("136", Some("THA"), "泰国", "Thailand"),
    g("137", Some("TUR"), "土耳其", "Türkiye"),
    g("138", Some("ARE"), "阿联酋", "United Arab Emirates"),
    g("139", Some("YEM"), "也门", "Yemen"),
    g("141", Some("VNM"), "越南", "Viet Nam"),
    g("142", Some("CHN"), "中国", "China"),
    g("143", Some("TWN"), "中国台湾", "Taiwan, China"),
    g("144", Some("TLS"), "东帝汶", "Timor-Leste"),
    g("145", Some("KAZ"), "哈萨克斯坦", "Kazakhstan"),
    g("146", Some("KGZ"), "吉尔吉斯斯坦", "Kyrgyzstan"),
    g("147", Some("TJK"), "塔吉克斯坦", "Tajikistan"),
    g("148", Some("TKM"), "土库曼斯坦", "Turkmenistan"),
    g("149", Some("UZB"), "乌兹别克斯坦", "Uzbekistan"),
    g("199", None, "亚洲其他国家(地区)", "Other Asia, not elsewhere specified"),
    g("201", Some("DZA"), "阿尔及利亚", "Algeria"),
    g("202", Some("AGO"), "安哥拉", "Angola"),
    g("203", Some("BEN"), "贝宁", "Benin"),
    g("204", Some("BWA"), "博茨瓦纳", "Botswana"),
    g("205", Some("BDI"), "布隆迪", "Burundi"),
    g("206", Some("CMR"), "喀麦隆", "Cameroon"),
    g("207", None, "加那利群岛", "Canary Islands"),
    g("208", Some("CPV"), "佛得角", "Cabo Verde"),
    g("209", Some("CAF"), "中非", "Central African Republic"),
    g("210", None, "塞卜泰(休达)", "Ceuta"),
    g("211", Some("TCD"), "乍得", "Chad"),
    g("212", Some("COM"), "科摩罗", "Comoros"),
    g("213", Some("COG"), "刚果(布)", "Congo"),
    g("214", Some("DJI"), "吉布提", "Djibouti"),
    g("215", Some("EGY"), "埃及", "Egypt"),
    g("216", Some("GNQ"), "赤道几内亚", "Equatorial Guinea"),
    g("217", Some("ETH"), "埃塞俄比亚", "Ethiopia"),
    g("218", Some("GAB"), "加蓬", "Gabon"),
    g("219", Some("GMB"), "冈比亚", "Gambia"),
    g("220", Some("GHA"), "加纳", "Ghana"),
    g("221", Some("GIN"), "几内亚", "Guinea"),
    g("222", Some("GNB"), "几内亚(比绍)", "Guinea-Bissau"),
    g("223", Some("CIV"), "科特迪瓦", "Côte d'Ivoire"),
    g("224", Some("KEN"), "肯尼亚", "Kenya"),
    g("225", Some("LBR"), "利比里亚", "Liberia"),
    g("226", Some("LBY"), "利比亚", "Libya"),
    g("227", Some("MDG"), "马达加斯加", "Madagascar"),
    g("228", Some("MWI"), "马拉维", "Malawi"),
    g("229", Some("MLI"), "马里", "Mali"),
    g("230", Some("MRT"), "毛里塔尼亚", "Mauritania"),
    g("231", Some("MUS"), "毛里求斯", "Mauritius"),
    g("232", Some("MAR"), "摩洛哥", "Morocco"),
    g("233", Some("MOZ"), "莫桑比克", "Mozambique"),
    g("234", Some("NAM"), "纳米比亚", "Namibia"),
    g("235", Some("NER"), "尼日尔", "Niger"),
    g("236", Some("NGA"), "尼日利亚", "Nigeria"),
    g("237", Some("REU"), "留尼汪", "Réunion"),
    g("238", Some("RWA"), "卢旺达", "Rwanda"),
    g("239", Some("STP"), "圣多美和普林西比", "Sao Tome and Principe"),
    g("240", Some("SEN"), "塞内加尔", "Senegal"),
    g("241", Some("SYC"), "塞舌尔", "Seychelles"),
    g("242", Some("SLE"), "塞拉利昂", "Sierra Leone"),
    g("243", Some("SOM"), "索马里", "Somalia"),
    g("244", Some("ZAF"), "南非", "South Africa"),
    g("245", Some("ESH"), "西撒哈拉", "Western Sahara"),
    g("246", Some("SDN"), "苏丹", "Sudan"),
    g("247", Some("TZA"), "坦桑尼亚", "Tanzania"),
    g("248", Some("TGO"), "多哥", "Togo"),
    g("249", Some("TUN"), "突尼斯", "Tunisia"),
    g("250", Some("UGA"), "乌干达", "Uganda"),
    g("251", Some("BFA"), "布基纳法索", "Burkina Faso"),
    g("252", Some("COD"), "刚果(金)", "Congo, Democratic Republic of the"),
    g("253", Some("ZMB"), "赞比亚", "Zambia"),
    g("254", Some("ZWE"), "津巴布韦", "Zimbabwe"),
    g("255", Some("LSO"), "莱索托", "Lesotho"),
    g("256", None, "梅利利亚", "Melilla"),
    g("257", Some("SWZ"), "斯威士兰", "Eswatini"),
    g("258", Some("ERI"), "厄立特里亚", "Eritrea"),
    g("259", Some("MYT"), "马约特", "Mayotte"),
    g("299", None, "非洲其他国家(地区)", "Other Africa, not elsewhere specified"),
    g("301", Some("BEL"), "比利时", "Belgium"),
    g("302", Some("DNK"), "丹麦", "Denmark"),
    g("303", Some("GBR"), "英国", "United Kingdom"),
    g("304", Some("DEU"), "德国", "Germany"),
    g("305", Some("FRA"), "法国", "France"),
    g("306", Some("IRL"), "爱尔兰", "Ireland"),
    g("307", Some("ITA"), "意大利", "Italy"),
    g("308", Some("LUX"), "卢森堡", "Luxembourg"),
    g("309", Some("NLD"), "荷兰", "Netherlands"),
    g("310", Some("GRC"), "希腊", "Greece"),
    g("311", Some("PRT"), "葡萄牙", "Portugal"),
    g("312", Some("ESP"), "西班牙", "Spain"),
    g("313", Some("ALB"), "阿尔巴尼亚", "Albania"),
    g("314", Some("AND"), "安道尔", "Andorra"),
    g("315", Some("AUT"), "奥地利", "Austria"),
    g("316", Some("BGR"), "保加利亚", "Bulgaria"),
    g("318", Some("FIN"), "芬兰", "Finland"),
    g("320", Some("GIB"), "直布罗陀", "Gibraltar"),
    g("321", Some("HUN"), "匈牙利", "Hungary"),
    g("322", Some("ISL"), "冰岛", "Iceland"),
    g("323", Some("LIE"), "列支敦士登", "Liechtenstein"),
    g("324", Some("MLT"), "马耳他", "Malta"),
    g("325", Some("MCO"), "摩纳哥", "Monaco"),
    g("326", Some("NOR"), "挪威", "Norway"),
    g("327", Some("POL"), "波兰", "Poland"),
    g("328", Some("ROU"), "罗马尼亚", "Romania"),
    g("329", Some("SMR"), "圣马力诺", "San Marino"),
    g("330", Some("SWE"), "瑞典", "Sweden"),
    g("331", Some("CHE"), "瑞士", "Switzerland"),
    g("334", Some("EST"), "爱沙尼亚", "Estonia"),
    g("335", Some("LVA"), "拉脱维亚", "Latvia"),
    g("336", Some("LTU"), "立陶宛", "Lithuania"),
    g("337", Some("GEO"), "格鲁吉亚", "Georgia"),
    g("338", Some("ARM"), "亚美尼亚", "Armenia"),
    g("339", Some("AZE"), "阿塞拜疆", "Azerbaijan"),
    g("340", Some("BLR"), "白俄罗斯", "Belarus"),
    g("343", Some("MDA"), "摩尔多瓦", "Moldova"),
    g("344", Some("RUS"), "俄罗斯联邦", "Russian Federation"),
    g("347", Some("UKR"), "乌克兰", "Ukraine"),
    g("349", None, "塞尔维亚和黑山", "Serbia and Montenegro"),
    g("350", Some("SVN"), "斯洛文尼亚", "Slovenia"),
    g("351", Some("HRV"), "克罗地亚", "Croatia"),
    g("352", Some("CZE"), "捷克", "Czechia"),
    g("353", Some("SVK"), "斯洛伐克", "Slovakia"),
    g("354", Some("MKD"), "北马其顿", "North Macedonia"),
    g("355", Some("BIH"), "波斯尼亚和黑塞哥维那", "Bosnia and Herzegovina"),
    g("356", Some("VAT"), "梵蒂冈", "Holy See (Vatican City State)"),
    g("357", Some("FRO"), "法罗群岛", "Faroe Islands"),
    g("358", Some("SRB"), "塞尔维亚", "Serbia"),
    g("359", Some("MNE"), "黑山", "Montenegro"),
    g("399", None, "欧洲其他国家(地区)", "Other Europe, not elsewhere specified"),
    g("401", Some("ATG"), "安提瓜和巴布达", "Antigua and Barbuda"),
    g("402", Some("ARG"), "阿根廷", "Argentina"),
    g("403", Some("ABW"), "阿鲁巴", "Aruba"),
    g("404", Some("BHS"), "巴哈马", "Bahamas"),
    g("405", Some("BRB"), "巴巴多斯", "Barbados"),
    g("406", Some("BLZ"), "伯利兹", "Belize"),
    g("408", Some("BOL"), "玻利维亚", "Bolivia"),
    g("409", Some("BES"), "博内尔", "Bonaire"),
    g("410", Some("BRA"), "巴西", "Brazil"),
    g("411", Some("CYM"), "开曼群岛", "Cayman Islands"),
    g("412", Some("CHL"), "智利", "Chile"),
    g("413", Some("COL"), "哥伦比亚", "Colombia"),
    g("414", Some("DMA"), "多米尼克", "Dominica"),
    g("415", Some("CRI"), "哥斯达黎加", "Costa Rica"),
    g("416", Some("CUB"), "古巴", "Cuba"),
    g("417", Some("CUW"), "库腊索", "Curaçao"),
    g("418", Some("DOM"), "多米尼加", "Dominican Republic"),
    g("419", Some("ECU"), "厄瓜多尔", "Ecuador"),
    g("420", Some("GUF"), "法属圭亚那", "French Guiana"),
    g("421", Some("GRD"), "格林纳达", "Grenada"),
    g("422", Some("GLP"), "瓜德罗普", "Guadeloupe"),
    g("423", Some("GTM"), "危地马拉", "Guatemala"),
    g("424", Some("GUY"), "圭亚那", "Guyana"),
    g("425", Some("HTI"), "海地", "Haiti"),
    g("426", Some("HND"), "洪都拉斯", "Honduras"),
    g("427", Some("JAM"), "牙买加", "Jamaica"),
    g("428", Some("MTQ"), "马提尼克", "Martinique"),
    g("429", Some("MEX"), "墨西哥", "Mexico"),
    g("430", Some("MSR"), "蒙特塞拉特", "Montserrat"),
    g("431", Some("NIC"), "尼加拉瓜", "Nicaragua"),
    g("432", Some("PAN"), "巴拿马", "Panama"),
    g("433", Some("PRY"), "巴拉圭", "Paraguay"),
    g("434", Some("PER"), "秘鲁", "Peru"),
    g("435", Some("PRI"), "波多黎各", "Puerto Rico"),
    g("436", Some("BES"), "萨巴", "Saba"),
    g("437", Some("LCA"), "圣卢西亚", "Saint Lucia"),
    g("438", None, "圣马丁岛", "Saint Martin (island)"),
    g("439", Some("VCT"), "圣文森特和格林纳丁斯", "Saint Vincent and the Grenadines"),
    g("440", Some("SLV"), "萨尔瓦多", "El Salvador"),
    g("441", Some("SUR"), "苏里南", "Suriname"),
    g("442", Some("TTO"), "特立尼达和多巴哥", "Trinidad and Tobago"),
    g("443", Some("TCA"), "特克斯和凯科斯群岛", "Turks and Caicos Islands"),
    g("444", Some("URY"), "乌拉圭", "Uruguay"),
    g("445", Some("VEN"), "委内瑞拉", "Venezuela"),
    g("446", Some("VGB"), "英属维尔京群岛", "Virgin Islands (British)"),
    g("447", Some("KNA"), "圣其茨-尼维斯", "Saint Kitts and Nevis"),
    g("448", Some("SPM"), "圣皮埃尔和密克隆", "Saint Pierre and Miquelon"),
    g("449", None, "荷属安地列斯", "Netherlands Antilles"),
    g("499", None, "拉丁美洲其他国家(地区)", "Other Latin America, not elsewhere specified"),
    g("501", Some("CAN"), "加拿大", "Canada"),
    g("502", Some("USA"), "美国", "United States"),
    g("503", Some("GRL"), "格陵兰", "Greenland"),
    g("504", Some("BMU"), "百慕大", "Bermuda"),
    g("599", None, "北美洲其他国家(地区)", "Other North America, not elsewhere specified"),
    g("601", Some("AUS"), "澳大利亚", "Australia"),
    g("602", Some("COK"), "库克群岛", "Cook Islands"),
    g("603", Some("FJI"), "斐济", "Fiji"),
    g("604", None, "盖比群岛", "Gambier Islands"),
    g("605", None, "马克萨斯群岛", "Marquesas Islands"),
    g("606", Some("NRU"), "瑙鲁", "Nauru"),
    g("607", Some("NCL"), "新喀里多尼亚", "New Caledonia"),
    g("608", Some("VUT"), "瓦努阿图", "Vanuatu"),
    g("609", Some("NZL"), "新西兰", "New Zealand"),
    g("610", Some("NFK"), "诺福克岛", "Norfolk Island"),
    g("611", Some("PNG"), "巴布亚新几内亚", "Papua New Guinea"),
    g("612", None, "社会群岛", "Society Islands"),
    g("613", Some("SLB"), "所罗门群岛", "Solomon Islands"),
    g("614", Some("TON"), "汤加", "Tonga"),
    g("615", None, "土阿莫土群岛", "Tuamotu Islands"),
    g("616", None, "土布艾群岛", "Tubuai (Austral) Islands"),
    g("617", Some("WSM"), "萨摩亚", "Samoa"),
    g("618", Some("KIR"), "基里巴斯", "Kiribati"),
    g("619", Some("TUV"), "图瓦卢", "Tuvalu"),
    g("620", Some("FSM"), "密克罗尼西亚联邦", "Micronesia, Federated States of"),
    g("621", Some("MHL"), "马绍尔群岛", "Marshall Islands"),
    g("622", Some("PLW"), "帕劳", "Palau"),
    g("623", Some("PYF"), "法属波利尼西亚", "French Polynesia"),
    g("625", Some("WLF"), "瓦利斯和富图纳", "Wallis and Futuna"),
    g("699", None, "大洋洲其他国家(地区)", "Other Oceania, not elsewhere specified"),
    g("701", None, "国(地)别不详", "Country (region) unknown"),
    g("702", None, "联合国及机构和国际组织", "United Nations, its agencies and international organisations"),
    g("999", None, "中性包装原产国别", "Neutral packaging (origin not shown)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shape() {
        assert_eq!(all().len(), 242);
        assert!(all().windows(2).all(|w| w[0].code < w[1].code), "sorted and unique");
        for c in all() {
            assert!(c.code.len() == 3 && c.code.bytes().all(|b| b.is_ascii_digit()), "{c:?}");
            assert!(matches!(c.code.as_bytes()[0], b'1'..=b'7') || c.code == "999", "{c:?}");
            assert!(!c.zh.is_empty() && !c.en.is_empty(), "{c:?}");
            if let Some(a3) = c.alpha3 {
                assert!(crate::country::is_alpha3(a3), "{c:?}: {a3} is not an ISO 3166 alpha-3 code");
            }
        }
        // Every continent has its "other countries (regions)" entry, without an ISO code.
        for other in ["199", "299", "399", "499", "599", "699"] {
            assert!(is_gacc_country(other), "{other}");
            assert_eq!(alpha3(other), None, "{other}");
        }
        // Alpha-3 codes are unique except BES, which covers both Bonaire and Saba.
        let mut a3: Vec<&str> = all().iter().filter_map(|c| c.alpha3).filter(|a| *a != "BES").collect();
        let n = a3.len();
        a3.sort_unstable();
        a3.dedup();
        assert_eq!(a3.len(), n, "alpha-3 codes are unique");
        assert_eq!(alpha3("409"), Some("BES"));
        assert_eq!(alpha3("436"), Some("BES"));
    }

    #[test]
    fn lookups() {
        for (code, a3, zh) in [
            ("110", Some("HKG"), "中国香港"),
            ("116", Some("JPN"), "日本"),
            ("121", Some("MAC"), "中国澳门"),
            ("133", Some("KOR"), "韩国"),
            ("142", Some("CHN"), "中国"),
            ("303", Some("GBR"), "英国"),
            ("304", Some("DEU"), "德国"),
            ("305", Some("FRA"), "法国"),
            ("309", Some("NLD"), "荷兰"),
            ("344", Some("RUS"), "俄罗斯联邦"),
            ("410", Some("BRA"), "巴西"),
            ("412", Some("CHL"), "智利"),
            ("501", Some("CAN"), "加拿大"),
            ("502", Some("USA"), "美国"),
            ("601", Some("AUS"), "澳大利亚"),
            ("609", Some("NZL"), "新西兰"),
            ("701", None, "国(地)别不详"),
        ] {
            assert!(is_gacc_country(code), "{code}");
            assert_eq!(alpha3(code), a3, "{code}");
            assert_eq!(name_zh(code), Some(zh), "{code}");
        }
        assert_eq!(name_en("116"), Some("Japan"));
        assert_eq!(name_en("502"), Some("United States"));
        for code in ["", "14", "1420", "000", "100", "140", "150", "300", "800", "998", "CHN", "abc", " 142"] {
            assert!(!is_gacc_country(code), "{code:?}");
            assert_eq!(name_zh(code), None, "{code:?}");
            assert_eq!(alpha3(code), None, "{code:?}");
        }
    }
}
