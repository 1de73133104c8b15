//! ISO 3166-1 alpha-3 country codes with English short names and
//! Simplified Chinese names.

/// A country or territory with an officially assigned alpha-3 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// Upper-case alpha-3 code, e.g. `"CHN"`.
    pub alpha3: &'static str,
    /// English short name.
    pub en: &'static str,
    /// Simplified Chinese name.
    pub zh: &'static str,
}

/// True iff `code` is an officially assigned alpha-3 code (upper case).
pub fn is_alpha3(code: &str) -> bool {
    find(code).is_some()
}

/// English short name for an alpha-3 code.
pub fn name_en(code: &str) -> Option<&'static str> {
    find(code).map(|c| c.en)
}

/// Simplified Chinese name for an alpha-3 code.
pub fn name_zh(code: &str) -> Option<&'static str> {
    find(code).map(|c| c.zh)
}

/// All countries, sorted by code.
pub fn all() -> &'static [Country] {
    COUNTRIES
}

fn find(code: &str) -> Option<&'static Country> {
    COUNTRIES.binary_search_by(|c| c.alpha3.cmp(code)).ok().map(|i| &COUNTRIES[i])
}

const fn c(alpha3: &'static str, en: &'static str, zh: &'static str) -> Country {
    Country { alpha3, en, zh }
}

static COUNTRIES: &[Country] = &[
    c("ABW", "Aruba", "阿鲁巴"),
    c("AFG", "Afghanistan", "阿富汗"),
    c("AGO", "Angola", "安哥拉"),
    c("AIA", "Anguilla", "安圭拉"),
    c("ALA", "Åland Islands", "奥兰群岛"),
    c("ALB", "Albania", "阿尔巴尼亚"),
    c("AND", "Andorra", "安道尔"),
    c("ARE", "United Arab Emirates", "阿联酋"),
    c("ARG", "Argentina", "阿根廷"),
    c("ARM", "Armenia", "亚美尼亚"),
    c("ASM", "American Samoa", "美属萨摩亚"),
    c("ATA", "Antarctica", "南极洲"),
    c("ATF", "French Southern Territories", "法属南部领地"),
    c("ATG", "Antigua and Barbuda", "安提瓜和巴布达"),
    c("AUS", "Australia", "澳大利亚"),
    c("AUT", "Austria", "奥地利"),
    c("AZE", "Azerbaijan", "阿塞拜疆"),
    c("BDI", "Burundi", "布隆迪"),
    c("BEL", "Belgium", "比利时"),
    c("BEN", "Benin", "贝宁"),
    c("BES", "Bonaire, Sint Eustatius and Saba", "博奈尔、圣尤斯特歇斯和萨巴"),
    c("BFA", "Burkina Faso", "布基纳法索"),
    c("BGD", "Bangladesh", "孟加拉国"),
    c("BGR", "Bulgaria", "保加利亚"),
    c("BHR", "Bahrain", "巴林"),
    c("BHS", "Bahamas", "巴哈马"),
    c("BIH", "Bosnia and Herzegovina", "波斯尼亚和黑塞哥维那"),
    c("BLM", "Saint Barthélemy", "圣巴泰勒米"),
    c("BLR", "Belarus", "白俄罗斯"),
    c("BLZ", "Belize", "伯利兹"),
    c("BMU", "Bermuda", "百慕大"),
    c("BOL", "Bolivia (Plurinational State of)", "玻利维亚"),
    c("BRA", "Brazil", "巴西"),
    c("BRB", "Barbados", "巴巴多斯"),
    c("BRN", "Brunei Darussalam", "文莱"),
    c("BTN", "Bhutan", "不丹"),
    c("BVT", "Bouvet Island", "布韦岛"),
    c("BWA", "Botswana", "博茨瓦纳"),
    c("CAF", "Central African Republic", "中非"),
    c("CAN", "Canada", "加拿大"),
    c("CCK", "Cocos (Keeling) Islands", "科科斯（基林）群岛"),
    c("CHE", "Switzerland", "瑞士"),
    c("CHL", "Chile", "智利"),
    c("CHN", "China", "中国"),
    c("CIV", "Côte d'Ivoire", "科特迪瓦"),
    c("CMR", "Cameroon", "喀麦隆"),
    c("COD", "Congo (Democratic Republic of the)", "刚果（金）"),
    c("COG", "Congo", "刚果（布）"),
    c("COK", "Cook Islands", "库克群岛"),
    c("COL", "Colombia", "哥伦比亚"),
    c("COM", "Comoros", "科摩罗"),
    c("CPV", "Cabo Verde", "佛得角"),
    c("CRI", "Costa Rica", "哥斯达黎加"),
    c("CUB", "Cuba", "古巴"),
    c("CUW", "Curaçao", "库拉索"),
    c("CXR", "Christmas Island", "圣诞岛"),
    c("CYM", "Cayman Islands", "开曼群岛"),
    c("CYP", "Cyprus", "塞浦路斯"),
    c("CZE", "Czechia", "捷克"),
    c("DEU", "Germany", "德国"),
    c("DJI", "Djibouti", "吉布提"),
    c("DMA", "Dominica", "多米尼克"),
    c("DNK", "Denmark", "丹麦"),
    c("DOM", "Dominican Republic", "多米尼加"),
    c("DZA", "Algeria", "阿尔及利亚"),
    c("ECU", "Ecuador", "厄瓜多尔"),
    c("EGY", "Egypt", "埃及"),
    c("ERI", "Eritrea", "厄立特里亚"),
    c("ESH", "Western Sahara", "西撒哈拉"),
    c("ESP", "Spain", "西班牙"),
    c("EST", "Estonia", "爱沙尼亚"),
    c("ETH", "Ethiopia", "埃塞俄比亚"),
    c("FIN", "Finland", "芬兰"),
    c("FJI", "Fiji", "斐济"),
    c("FLK", "Falkland Islands (Malvinas)", "福克兰群岛（马尔维纳斯）"),
    c("FRA", "France", "法国"),
    c("FRO", "Faroe Islands", "法罗群岛"),
    c("FSM", "Micronesia (Federated States of)", "密克罗尼西亚联邦"),
    c("GAB", "Gabon", "加蓬"),
    c("GBR", "United Kingdom", "英国"),
    c("GEO", "Georgia", "格鲁吉亚"),
    c("GGY", "Guernsey", "根西"),
    c("GHA", "Ghana", "加纳"),
    c("GIB", "Gibraltar", "直布罗陀"),
    c("GIN", "Guinea", "几内亚"),
    c("GLP", "Guadeloupe", "瓜德罗普"),
    c("GMB", "Gambia", "冈比亚"),
    c("GNB", "Guinea-Bissau", "几内亚比绍"),
    c("GNQ", "Equatorial Guinea", "赤道几内亚"),
    c("GRC", "Greece", "希腊"),
    c("GRD", "Grenada", "格林纳达"),
    c("GRL", "Greenland", "格陵兰"),
    c("GTM", "Guatemala", "危地马拉"),
    c("GUF", "French Guiana", "法属圭亚那"),
    c("GUM", "Guam", "关岛"),
    c("GUY", "Guyana", "圭亚那"),
    c("HKG", "Hong Kong", "中国香港"),
    c("HMD", "Heard Island and McDonald Islands", "赫德岛和麦克唐纳群岛"),
    c("HND", "Honduras", "洪都拉斯"),
    c("HRV", "Croatia", "克罗地亚"),
    c("HTI", "Haiti", "海地"),
    c("HUN", "Hungary", "匈牙利"),
    c("IDN", "Indonesia", "印度尼西亚"),
    c("IMN", "Isle of Man", "马恩岛"),
    c("IND", "India", "印度"),
    c("IOT", "British Indian Ocean Territory", "英属印度洋领地"),
    c("IRL", "Ireland", "爱尔兰"),
    c("IRN", "Iran (Islamic Republic of)", "伊朗"),
    c("IRQ", "Iraq", "伊拉克"),
    c("ISL", "Iceland", "冰岛"),
    c("ISR", "Israel", "以色列"),
    c("ITA", "Italy", "意大利"),
    c("JAM", "Jamaica", "牙买加"),
    c("JEY", "Jersey", "泽西"),
    c("JOR", "Jordan", "约旦"),
    c("JPN", "Japan", "日本"),
    c("KAZ", "Kazakhstan", "哈萨克斯坦"),
    c("KEN", "Kenya", "肯尼亚"),
    c("KGZ", "Kyrgyzstan", "吉尔吉斯斯坦"),
    c("KHM", "Cambodia", "柬埔寨"),
    c("KIR", "Kiribati", "基里巴斯"),
    c("KNA", "Saint Kitts and Nevis", "圣基茨和尼维斯"),
    c("KOR", "Korea (Republic of)", "韩国"),
    c("KWT", "Kuwait", "科威特"),
    c("LAO", "Lao People's Democratic Republic", "老挝"),
    c("LBN", "Lebanon", "黎巴嫩"),
    c("LBR", "Liberia", "利比里亚"),
    c("LBY", "Libya", "利比亚"),
    c("LCA", "Saint Lucia", "圣卢西亚"),
    c("LIE", "Liechtenstein", "列支敦士登"),
    c("LKA", "Sri Lanka", "斯里兰卡"),
    c("LSO", "Lesotho", "莱索托"),
    c("LTU", "Lithuania", "立陶宛"),
    c("LUX", "Luxembourg", "卢森堡"),
    c("LVA", "Latvia", "拉脱维亚"),
    c("MAC", "Macao", "中国澳门"),
    c("MAF", "Saint Martin (French part)", "法属圣马丁"),
    c("MAR", "Morocco", "摩洛哥"),
    c("MCO", "Monaco", "摩纳哥"),
    c("MDA", "Moldova (Republic of)", "摩尔多瓦"),
    c("MDG", "Madagascar", "马达加斯加"),
    c("MDV", "Maldives", "马尔代夫"),
    c("MEX", "Mexico", "墨西哥"),
    c("MHL", "Marshall Islands", "马绍尔群岛"),
    c("MKD", "North Macedonia", "北马其顿"),
    c("MLI", "Mali", "马里"),
    c("MLT", "Malta", "马耳他"),
    c("MMR", "Myanmar", "缅甸"),
    c("MNE", "Montenegro", "黑山"),
    c("MNG", "Mongolia", "蒙古"),
    c("MNP", "Northern Mariana Islands", "北马里亚纳群岛"),
    c("MOZ", "Mozambique", "莫桑比克"),
    c("MRT", "Mauritania", "毛里塔尼亚"),
    c("MSR", "Montserrat", "蒙特塞拉特"),
    c("MTQ", "Martinique", "马提尼克"),
    c("MUS", "Mauritius", "毛里求斯"),
    c("MWI", "Malawi", "马拉维"),
    c("MYS", "Malaysia", "马来西亚"),
    c("MYT", "Mayotte", "马约特"),
    c("NAM", "Namibia", "纳米比亚"),
    c("NCL", "New Caledonia", "新喀里多尼亚"),
    c("NER", "Niger", "尼日尔"),
    c("NFK", "Norfolk Island", "诺福克岛"),
    c("NGA", "Nigeria", "尼日利亚"),
    c("NIC", "Nicaragua", "尼加拉瓜"),
    c("NIU", "Niue", "纽埃"),
    c("NLD", "Netherlands", "荷兰"),
    c("NOR", "Norway", "挪威"),
    c("NPL", "Nepal", "尼泊尔"),
    c("NRU", "Nauru", "瑙鲁"),
    c("NZL", "New Zealand", "新西兰"),
    c("OMN", "Oman", "阿曼"),
    c("PAK", "Pakistan", "巴基斯坦"),
    c("PAN", "Panama", "巴拿马"),
    c("PCN", "Pitcairn", "皮特凯恩群岛"),
    c("PER", "Peru", "秘鲁"),
    c("PHL", "Philippines", "菲律宾"),
    c("PLW", "Palau", "帕劳"),
    c("PNG", "Papua New Guinea", "巴布亚新几内亚"),
    c("POL", "Poland", "波兰"),
    c("PRI", "Puerto Rico", "波多黎各"),
    c("PRK", "Korea (Democratic People's Republic of)", "朝鲜"),
    c("PRT", "Portugal", "葡萄牙"),
    c("PRY", "Paraguay", "巴拉圭"),
    c("PSE", "Palestine, State of", "巴勒斯坦"),
    c("PYF", "French Polynesia", "法属波利尼西亚"),
    c("QAT", "Qatar", "卡塔尔"),
    c("REU", "Réunion", "留尼汪"),
    c("ROU", "Romania", "罗马尼亚"),
    c("RUS", "Russian Federation", "俄罗斯"),
    c("RWA", "Rwanda", "卢旺达"),
    c("SAU", "Saudi Arabia", "沙特阿拉伯"),
    c("SDN", "Sudan", "苏丹"),
    c("SEN", "Senegal", "塞内加尔"),
    c("SGP", "Singapore", "新加坡"),
    c("SGS", "South Georgia and the South Sandwich Islands", "南乔治亚和南桑威奇群岛"),
    c("SHN", "Saint Helena, Ascension and Tristan da Cunha", "圣赫勒拿、阿森松和特里斯坦-达库尼亚"),
    c("SJM", "Svalbard and Jan Mayen", "斯瓦尔巴和扬马延"),
    c("SLB", "Solomon Islands", "所罗门群岛"),
    c("SLE", "Sierra Leone", "塞拉利昂"),
    c("SLV", "El Salvador", "萨尔瓦多"),
    c("SMR", "San Marino", "圣马力诺"),
    c("SOM", "Somalia", "索马里"),
    c("SPM", "Saint Pierre and Miquelon", "圣皮埃尔和密克隆"),
    c("SRB", "Serbia", "塞尔维亚"),
    c("SSD", "South Sudan", "南苏丹"),
    c("STP", "Sao Tome and Principe", "圣多美和普林西比"),
    c("SUR", "Suriname", "苏里南"),
    c("SVK", "Slovakia", "斯洛伐克"),
    c("SVN", "Slovenia", "斯洛文尼亚"),
    c("SWE", "Sweden", "瑞典"),
    c("SWZ", "Eswatini", "斯威士兰"),
    c("SXM", "Sint Maarten (Dutch part)", "荷属圣马丁"),
    c("SYC", "Seychelles", "塞舌尔"),
    c("SYR", "Syrian Arab Republic", "叙利亚"),
    c("TCA", "Turks and Caicos Islands", "特克斯和凯科斯群岛"),
    c("TCD", "Chad", "乍得"),
    c("TGO", "Togo", "多哥"),
    c("THA", "Thailand", "泰国"),
    c("TJK", "Tajikistan", "塔吉克斯坦"),
    c("TKL", "Tokelau", "托克劳"),
    c("TKM", "Turkmenistan", "土库曼斯坦"),
    c("TLS", "Timor-Leste", "东帝汶"),
    c("TON", "Tonga", "汤加"),
    c("TTO", "Trinidad and Tobago", "特立尼达和多巴哥"),
    c("TUN", "Tunisia", "突尼斯"),
    c("TUR", "Türkiye", "土耳其"),
    c("TUV", "Tuvalu", "图瓦卢"),
    c("TWN", "Taiwan (Province of China)", "中国台湾"),
    c("TZA", "Tanzania, United Republic of", "坦桑尼亚"),
    c("UGA", "Uganda", "乌干达"),
    c("UKR", "Ukraine", "乌克兰"),
    c("UMI", "United States Minor Outlying Islands", "美国本土外小岛屿"),
    c("URY", "Uruguay", "乌拉圭"),
    c("USA", "United States of America", "美国"),
    c("UZB", "Uzbekistan", "乌兹别克斯坦"),
    c("VAT", "Holy See", "梵蒂冈"),
    c("VCT", "Saint Vincent and the Grenadines", "圣文森特和格林纳丁斯"),
    c("VEN", "Venezuela (Bolivarian Republic of)", "委内瑞拉"),
    c("VGB", "Virgin Islands (British)", "英属维尔京群岛"),
    c("VIR", "Virgin Islands (U.S.)", "美属维尔京群岛"),
    c("VNM", "Viet Nam", "越南"),
    c("VUT", "Vanuatu", "瓦努阿图"),
    c("WLF", "Wallis and Futuna", "瓦利斯和富图纳"),
    c("WSM", "Samoa", "萨摩亚"),
    c("YEM", "Yemen", "也门"),
    c("ZAF", "South Africa", "南非"),
    c("ZMB", "Zambia", "赞比亚"),
    c("ZWE", "Zimbabwe", "津巴布韦"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shape() {
        assert_eq!(all().len(), 249);
        assert!(all().windows(2).all(|w| w[0].alpha3 < w[1].alpha3));
        for c in all() {
            assert!(c.alpha3.len() == 3 && c.alpha3.bytes().all(|b| b.is_ascii_uppercase()), "{c:?}");
            assert!(!c.en.is_empty() && !c.zh.is_empty(), "{c:?}");
        }
    }

    #[test]
    fn lookups() {
        assert!(is_alpha3("CHN"));
        assert!(is_alpha3("ABW"));
        assert!(is_alpha3("ZWE"));
        assert!(!is_alpha3("CN"));
        assert!(!is_alpha3("chn"));
        assert!(!is_alpha3("XXX"));
        assert!(!is_alpha3(""));
        assert_eq!(name_en("CHN"), Some("China"));
        assert_eq!(name_en("DEU"), Some("Germany"));
        assert_eq!(name_en("CN"), None);
        assert_eq!(name_zh("CHN"), Some("中国"));
        assert_eq!(name_zh("chn"), None);
        for (code, zh) in [
            ("USA", "美国"),
            ("DEU", "德国"),
            ("NLD", "荷兰"),
            ("JPN", "日本"),
            ("KOR", "韩国"),
            ("FRA", "法国"),
            ("ITA", "意大利"),
            ("THA", "泰国"),
            ("VNM", "越南"),
            ("AUS", "澳大利亚"),
            ("NZL", "新西兰"),
            ("CHL", "智利"),
            ("BRA", "巴西"),
            ("HKG", "中国香港"),
            ("MAC", "中国澳门"),
            ("TWN", "中国台湾"),
        ] {
            assert_eq!(name_zh(code), Some(zh), "{code}");
        }
    }
}
