//! ISO 4217 alphabetic currency codes with English and Simplified Chinese
//! names.
//!
//! Holds the codes in current use (List One), including fund codes,
//! precious metals and supranational units, but not the testing (`XTS`)
//! and "no currency" (`XXX`) codes.

/// An ISO 4217 currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    /// Upper-case alphabetic code, e.g. `"CNY"`.
    pub code: &'static str,
    /// English name as in ISO 4217.
    pub en: &'static str,
    /// Simplified Chinese name.
    pub zh: &'static str,
}

/// True iff `code` is an active ISO 4217 alphabetic code (upper case).
pub fn is_iso4217(code: &str) -> bool {
    find(code).is_some()
}

/// English name for a currency code.
pub fn name_en(code: &str) -> Option<&'static str> {
    find(code).map(|c| c.en)
}

/// Simplified Chinese name for a currency code.
pub fn name_zh(code: &str) -> Option<&'static str> {
    find(code).map(|c| c.zh)
}

/// All currencies, sorted by code.
pub fn all() -> &'static [Currency] {
    CURRENCIES
}

fn find(code: &str) -> Option<&'static Currency> {
    CURRENCIES.binary_search_by(|c| c.code.cmp(code)).ok().map(|i| &CURRENCIES[i])
}

const fn c(code: &'static str, en: &'static str, zh: &'static str) -> Currency {
    Currency { code, en, zh }
}

static CURRENCIES: &[Currency] = &[
    c("AED", "UAE Dirham", "阿联酋迪拉姆"),
    c("AFN", "Afghani", "阿富汗尼"),
    c("ALL", "Lek", "阿尔巴尼亚列克"),
    c("AMD", "Armenian Dram", "亚美尼亚德拉姆"),
    c("AOA", "Kwanza", "安哥拉宽扎"),
    c("ARS", "Argentine Peso", "阿根廷比索"),
    c("AUD", "Australian Dollar", "澳大利亚元"),
    c("AWG", "Aruban Florin", "阿鲁巴弗罗林"),
    c("AZN", "Azerbaijan Manat", "阿塞拜疆马纳特"),
    c("BAM", "Convertible Mark", "波黑可兑换马克"),
    c("BBD", "Barbados Dollar", "巴巴多斯元"),
    c("BDT", "Taka", "孟加拉塔卡"),
    c("BHD", "Bahraini Dinar", "巴林第纳尔"),
    c("BIF", "Burundi Franc", "布隆迪法郎"),
    c("BMD", "Bermudian Dollar", "百慕大元"),
    c("BND", "Brunei Dollar", "文莱元"),
    c("BOB", "Boliviano", "玻利维亚诺"),
    c("BOV", "Mvdol", "玻利维亚Mvdol"),
    c("BRL", "Brazilian Real", "巴西雷亚尔"),
    c("BSD", "Bahamian Dollar", "巴哈马元"),
    c("BTN", "Ngultrum", "不丹努尔特鲁姆"),
    c("BWP", "Pula", "博茨瓦纳普拉"),
    c("BYN", "Belarusian Ruble", "白俄罗斯卢布"),
    c("BZD", "Belize Dollar", "伯利兹元"),
    c("CAD", "Canadian Dollar", "加拿大元"),
    c("CDF", "Congolese Franc", "刚果法郎"),
    c("CHE", "WIR Euro", "WIR欧元"),
    c("CHF", "Swiss Franc", "瑞士法郎"),
    c("CHW", "WIR Franc", "WIR法郎"),
    c("CLF", "Unidad de Fomento", "智利发展单位"),
    c("CLP", "Chilean Peso", "智利比索"),
    c("CNY", "Yuan Renminbi", "人民币"),
    c("COP", "Colombian Peso", "哥伦比亚比索"),
    c("COU", "Unidad de Valor Real", "哥伦比亚实际价值单位"),
    c("CRC", "Costa Rican Colon", "哥斯达黎加科朗"),
    c("CUP", "Cuban Peso", "古巴比索"),
    c("CVE", "Cabo Verde Escudo", "佛得角埃斯库多"),
    c("CZK", "Czech Koruna", "捷克克朗"),
    c("DJF", "Djibouti Franc", "吉布提法郎"),
    c("DKK", "Danish Krone", "丹麦克朗"),
    c("DOP", "Dominican Peso", "多米尼加比索"),
    c("DZD", "Algerian Dinar", "阿尔及利亚第纳尔"),
    c("EGP", "Egyptian Pound", "埃及镑"),
    c("ERN", "Nakfa", "厄立特里亚纳克法"),
    c("ETB", "Ethiopian Birr", "埃塞俄比亚比尔"),
    c("EUR", "Euro", "欧元"),
    c("FJD", "Fiji Dollar", "斐济元"),
    c("FKP", "Falkland Islands Pound", "福克兰群岛镑"),
    c("GBP", "Pound Sterling", "英镑"),
    c("GEL", "Lari", "格鲁吉亚拉里"),
    c("GHS", "Ghana Cedi", "加纳塞地"),
    c("GIP", "Gibraltar Pound", "直布罗陀镑"),
    c("GMD", "Dalasi", "冈比亚达拉西"),
    c("GNF", "Guinean Franc", "几内亚法郎"),
    c("GTQ", "Quetzal", "危地马拉格查尔"),
    c("GYD", "Guyana Dollar", "圭亚那元"),
    c("HKD", "Hong Kong Dollar", "港元"),
    c("HNL", "Lempira", "洪都拉斯伦皮拉"),
    c("HTG", "Gourde", "海地古德"),
    c("HUF", "Forint", "匈牙利福林"),
    c("IDR", "Rupiah", "印度尼西亚卢比"),
    c("ILS", "New Israeli Sheqel", "以色列新谢克尔"),
    c("INR", "Indian Rupee", "印度卢比"),
    c("IQD", "Iraqi Dinar", "伊拉克第纳尔"),
    c("IRR", "Iranian Rial", "伊朗里亚尔"),
    c("ISK", "Iceland Krona", "冰岛克朗"),
    c("JMD", "Jamaican Dollar", "牙买加元"),
    c("JOD", "Jordanian Dinar", "约旦第纳尔"),
    c("JPY", "Yen", "日元"),
    c("KES", "Kenyan Shilling", "肯尼亚先令"),
    c("KGS", "Som", "吉尔吉斯斯坦索姆"),
    c("KHR", "Riel", "柬埔寨瑞尔"),
    c("KMF", "Comorian Franc", "科摩罗法郎"),
    c("KPW", "North Korean Won", "朝鲜元"),
    c("KRW", "Won", "韩元"),
    c("KWD", "Kuwaiti Dinar", "科威特第纳尔"),
    c("KYD", "Cayman Islands Dollar", "开曼群岛元"),
    c("KZT", "Tenge", "哈萨克斯坦坚戈"),
    c("LAK", "Lao Kip", "老挝基普"),
    c("LBP", "Lebanese Pound", "黎巴嫩镑"),
    c("LKR", "Sri Lanka Rupee", "斯里兰卡卢比"),
    c("LRD", "Liberian Dollar", "利比里亚元"),
    c("LSL", "Loti", "莱索托洛蒂"),
    c("LYD", "Libyan Dinar", "利比亚第纳尔"),
    c("MAD", "Moroccan Dirham", "摩洛哥迪拉姆"),
    c("MDL", "Moldovan Leu", "摩尔多瓦列伊"),
    c("MGA", "Malagasy Ariary", "马达加斯加阿里亚里"),
    c("MKD", "Denar", "北马其顿第纳尔"),
    c("MMK", "Kyat", "缅甸元"),
    c("MNT", "Tugrik", "蒙古图格里克"),
    c("MOP", "Pataca", "澳门元"),
    c("MRU", "Ouguiya", "毛里塔尼亚乌吉亚"),
    c("MUR", "Mauritius Rupee", "毛里求斯卢比"),
    c("MVR", "Rufiyaa", "马尔代夫拉菲亚"),
    c("MWK", "Malawi Kwacha", "马拉维克瓦查"),
    c("MXN", "Mexican Peso", "墨西哥比索"),
    c("MXV", "Mexican Unidad de Inversion (UDI)", "墨西哥投资单位"),
    c("MYR", "Malaysian Ringgit", "马来西亚林吉特"),
    c("MZN", "Mozambique Metical", "莫桑比克梅蒂卡尔"),
    c("NAD", "Namibia Dollar", "纳米比亚元"),
    c("NGN", "Naira", "尼日利亚奈拉"),
    c("NIO", "Cordoba Oro", "尼加拉瓜科多巴"),
    c("NOK", "Norwegian Krone", "挪威克朗"),
    c("NPR", "Nepalese Rupee", "尼泊尔卢比"),
    c("NZD", "New Zealand Dollar", "新西兰元"),
    c("OMR", "Rial Omani", "阿曼里亚尔"),
    c("PAB", "Balboa", "巴拿马巴波亚"),
    c("PEN", "Sol", "秘鲁索尔"),
    c("PGK", "Kina", "巴布亚新几内亚基那"),
    c("PHP", "Philippine Peso", "菲律宾比索"),
    c("PKR", "Pakistan Rupee", "巴基斯坦卢比"),
    c("PLN", "Zloty", "波兰兹罗提"),
    c("PYG", "Guarani", "巴拉圭瓜拉尼"),
    c("QAR", "Qatari Rial", "卡塔尔里亚尔"),
    c("RON", "Romanian Leu", "罗马尼亚列伊"),
    c("RSD", "Serbian Dinar", "塞尔维亚第纳尔"),
    c("RUB", "Russian Ruble", "俄罗斯卢布"),
    c("RWF", "Rwanda Franc", "卢旺达法郎"),
    c("SAR", "Saudi Riyal", "沙特里亚尔"),
    c("SBD", "Solomon Islands Dollar", "所罗门群岛元"),
    c("SCR", "Seychelles Rupee", "塞舌尔卢比"),
    c("SDG", "Sudanese Pound", "苏丹镑"),
    c("SEK", "Swedish Krona", "瑞典克朗"),
    c("SGD", "Singapore Dollar", "新加坡元"),
    c("SHP", "Saint Helena Pound", "圣赫勒拿镑"),
    c("SLE", "Leone", "塞拉利昂利昂"),
    c("SOS", "Somali Shilling", "索马里先令"),
    c("SRD", "Surinam Dollar", "苏里南元"),
    c("SSP", "South Sudanese Pound", "南苏丹镑"),
    c("STN", "Dobra", "圣多美和普林西比多布拉"),
    c("SVC", "El Salvador Colon", "萨尔瓦多科朗"),
    c("SYP", "Syrian Pound", "叙利亚镑"),
    c("SZL", "Lilangeni", "斯威士兰里兰吉尼"),
    c("THB", "Baht", "泰铢"),
    c("TJS", "Somoni", "塔吉克斯坦索莫尼"),
    c("TMT", "Turkmenistan New Manat", "土库曼斯坦马纳特"),
    c("TND", "Tunisian Dinar", "突尼斯第纳尔"),
    c("TOP", "Pa'anga", "汤加潘加"),
    c("TRY", "Turkish Lira", "土耳其里拉"),
    c("TTD", "Trinidad and Tobago Dollar", "特立尼达和多巴哥元"),
    c("TWD", "New Taiwan Dollar", "新台币"),
    c("TZS", "Tanzanian Shilling", "坦桑尼亚先令"),
    c("UAH", "Hryvnia", "乌克兰格里夫纳"),
    c("UGX", "Uganda Shilling", "乌干达先令"),
    c("USD", "US Dollar", "美元"),
    c("USN", "US Dollar (Next day)", "美元（次日）"),
    c("UYI", "Uruguay Peso en Unidades Indexadas (UI)", "乌拉圭比索（指数单位）"),
    c("UYU", "Peso Uruguayo", "乌拉圭比索"),
    c("UYW", "Unidad Previsional", "乌拉圭名义工资指数单位"),
    c("UZS", "Uzbekistan Sum", "乌兹别克斯坦苏姆"),
    c("VED", "Bolívar Soberano (digital)", "委内瑞拉数字玻利瓦尔"),
    c("VES", "Bolívar Soberano", "委内瑞拉主权玻利瓦尔"),
    c("VND", "Dong", "越南盾"),
    c("VUV", "Vatu", "瓦努阿图瓦图"),
    c("WST", "Tala", "萨摩亚塔拉"),
    c("XAF", "CFA Franc BEAC", "中非法郎"),
    c("XAG", "Silver", "银"),
    c("XAU", "Gold", "金"),
    c("XBA", "Bond Markets Unit European Composite Unit (EURCO)", "欧洲复合单位"),
    c("XBB", "Bond Markets Unit European Monetary Unit (E.M.U.-6)", "欧洲货币单位"),
    c("XBC", "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)", "欧洲记账单位9"),
    c("XBD", "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)", "欧洲记账单位17"),
    c("XCD", "East Caribbean Dollar", "东加勒比元"),
    c("XCG", "Caribbean Guilder", "加勒比盾"),
    c("XDR", "SDR (Special Drawing Right)", "特别提款权"),
    c("XOF", "CFA Franc BCEAO", "西非法郎"),
    c("XPD", "Palladium", "钯"),
    c("XPF", "CFP Franc", "太平洋法郎"),
    c("XPT", "Platinum", "铂"),
    c("XSU", "Sucre", "苏克雷"),
    c("XUA", "ADB Unit of Account", "非洲开发银行记账单位"),
    c("YER", "Yemeni Rial", "也门里亚尔"),
    c("ZAR", "Rand", "南非兰特"),
    c("ZMW", "Zambian Kwacha", "赞比亚克瓦查"),
    c("ZWG", "Zimbabwe Gold", "津巴布韦金"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shape() {
        assert!(all().len() >= 150);
        assert!(all().windows(2).all(|w| w[0].code < w[1].code));
        for c in all() {
            assert!(c.code.len() == 3 && c.code.bytes().all(|b| b.is_ascii_uppercase()), "{c:?}");
            assert!(!c.en.is_empty() && !c.zh.is_empty(), "{c:?}");
        }
    }

    #[test]
    fn lookups() {
        for code in ["CNY", "USD", "EUR", "JPY", "HKD", "GBP", "AUD", "CAD", "CHF", "KRW", "SGD", "NZD", "THB", "MOP", "TWD", "RUB", "INR"]
        {
            assert!(is_iso4217(code), "{code}");
        }
        for code in ["", "cny", "CN", "CNYY", "RMB", "XXX", "XTS", "HRK"] {
            assert!(!is_iso4217(code), "{code}");
        }
        assert_eq!(name_en("CNY"), Some("Yuan Renminbi"));
        assert_eq!(name_zh("CNY"), Some("人民币"));
        assert_eq!(name_zh("USD"), Some("美元"));
        assert_eq!(name_zh("HKD"), Some("港元"));
        assert_eq!(name_en("RMB"), None);
        assert_eq!(name_zh("usd"), None);
    }
}
