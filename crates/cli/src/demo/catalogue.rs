//! The demo port's trade as data: the sites goods arrive at and how they get there, the goods,
//! the seed crops of the spring season, and the trade lines general trade is drawn from.
//!
//! Every commodity code's first six digits are an HS 2022 subheading (the tests check them);
//! prices are in hundredths of the currency, quantities in the declared unit.

use guomen_domain::declaration::IeFlag;

/// What kind of goods, for what an inspection may find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cat {
    Seeds,
    Fruit,
    Meat,
    Seafood,
    Food,
    Grain,
    Cosmetics,
    Electronics,
    Machinery,
    Textiles,
    Chemicals,
    Goods,
}

/// A shipping line calling at a port.
pub struct Carrier {
    pub bill_prefix: &'static str,
    pub bill_digits: u32,
    pub vessels: &'static [&'static str],
    /// ISO 6346 owner codes (without the category letter) of its boxes.
    pub owners: &'static [&'static str],
}

pub enum Transport {
    /// (air waybill prefix, flight number)
    Air(&'static [(&'static str, &'static str)]),
    Sea(&'static [Carrier]),
    Rail {
        trains: &'static [&'static str],
        owners: &'static [&'static str],
    },
}

impl Transport {
    /// TrafMode: 2 waterway, 3 rail, 5 air.
    pub fn traf_mode(&self) -> &'static str {
        match self {
            Transport::Sea(_) => "2",
            Transport::Rail { .. } => "3",
            Transport::Air(_) => "5",
        }
    }
}

/// A supervision site: the terminal operating it, the customs office declaring there, how goods
/// come, and the broker that files for traders there.
pub struct Port {
    pub site: &'static str,
    /// CustomMaster and IEPort.
    pub office: &'static str,
    /// Firm key of the terminal operating the site.
    pub terminal: &'static str,
    /// Where containers are put for inspection (the position report's site name).
    pub site_name: &'static str,
    pub slot_prefix: &'static str,
    pub transport: Transport,
    /// Firm key of the customs broker filing for traders at this port.
    pub broker: &'static str,
}

const FLIGHTS: &[(&str, &str)] =
    &[("074", "KL4303"), ("157", "QR8946"), ("999", "CA1042"), ("160", "CX3216"), ("618", "SQ7962"), ("235", "TK6579"), ("784", "CZ6904")];

const CARRIERS: &[Carrier] = &[
    Carrier {
        bill_prefix: "COSU",
        bill_digits: 10,
        vessels: &["COSCO SHIPPING ARIES", "COSCO SHIPPING LEO", "CSCL GLOBE"],
        owners: &["CSN", "CBH"],
    },
    Carrier { bill_prefix: "MAEU", bill_digits: 9, vessels: &["MAERSK ESSEN", "MAERSK EINDHOVEN"], owners: &["MSK", "MRK"] },
    Carrier { bill_prefix: "OOLU", bill_digits: 10, vessels: &["OOCL HONG KONG", "OOCL JAPAN"], owners: &["OOL"] },
    Carrier { bill_prefix: "EGLV", bill_digits: 12, vessels: &["EVER ACE", "EVER ALOT"], owners: &["EGH", "EIS"] },
    Carrier { bill_prefix: "CMDU", bill_digits: 10, vessels: &["CMA CGM JACQUES SAADE", "CMA CGM BOUGAINVILLE"], owners: &["CMA", "TGH"] },
    Carrier { bill_prefix: "MEDU", bill_digits: 8, vessels: &["MSC GULSUN", "MSC OSCAR"], owners: &["MSC", "MED"] },
];

/// L airport: the international cargo station where the spring seed consignments land.
pub static AIRPORT: Port = Port {
    site: "LZKY01",
    office: "9501",
    terminal: "lzky",
    site_name: "L空港国际货运站检疫查验区",
    slot_prefix: "QA-",
    transport: Transport::Air(FLIGHTS),
    broker: "longyuan",
};

/// L inland port: China–Europe and Central Asia block trains.
pub static RAIL: Port = Port {
    site: "LZTL01",
    office: "9502",
    terminal: "lztl",
    site_name: "L国际陆港铁路集装箱场站查验区",
    slot_prefix: "CY-R",
    transport: Transport::Rail { trains: &["X8157", "X8024", "X9021", "X8433"], owners: &["TKR", "CBH", "TGH"] },
    broker: "longyuan",
};

pub static NANSHA: Port = Port {
    site: "NSCT01",
    office: "5165",
    terminal: "nsct",
    site_name: "南沙港区集装箱码头查验场地",
    slot_prefix: "H",
    transport: Transport::Sea(CARRIERS),
    broker: "yuetong",
};

pub static HAICANG: Port = Port {
    site: "XMHC01",
    office: "3701",
    terminal: "xmhc",
    site_name: "厦门海沧保税物流监管场站查验区",
    slot_prefix: "CY-B",
    transport: Transport::Sea(CARRIERS),
    broker: "lutong",
};

/// One kind of goods as it is declared.
pub struct Goods {
    /// CodeTS, 10 digits.
    pub hs: &'static str,
    pub name: &'static str,
    pub model: &'static str,
    /// GACC unit code.
    pub unit: &'static str,
    /// Unit price range, hundredths of the currency.
    pub price: (i64, i64),
    /// Quantity range per container (per consignment when nothing is containerised).
    pub qty: (i64, i64),
    /// Net grams per unit.
    pub grams: i64,
    /// Units per package; 0 = one package per container (bulk in a box).
    pub per_pack: i64,
    pub cat: Cat,
}

#[allow(clippy::too_many_arguments)]
const fn goods(
    hs: &'static str,
    name: &'static str,
    model: &'static str,
    unit: &'static str,
    price: (i64, i64),
    qty: (i64, i64),
    grams: i64,
    per_pack: i64,
    cat: Cat,
) -> Goods {
    Goods { hs, name, model, unit, price, qty, grams, per_pack, cat }
}

/// The goods, one per line.
#[rustfmt::skip]
mod table {
    use super::{goods, Cat, Goods};

    pub(super) const KG: &str = "035";
    pub(super) const SETS: &str = "001"; // 台
    pub(super) const PIECES: &str = "007"; // 个
    pub(super) const ARTICLES: &str = "011"; // 件
    pub(super) const STRIPS: &str = "015"; // 条
    pub(super) const BOTTLES: &str = "142"; // 瓶

    pub(super) const APPLES: Goods = goods("0808100000", "鲜苹果", "红蛇果|Red Delicious|华盛顿特级|18千克/箱", KG, (150, 210), (18_000, 21_000), 1000, 18, Cat::Fruit);
    pub(super) const CHERRIES: Goods = goods("0809290000", "鲜樱桃", "Santina|JJ级|5千克/箱", KG, (650, 980), (15_000, 18_000), 1000, 5, Cat::Fruit);
    pub(super) const GRAPES: Goods = goods("0806100000", "鲜食葡萄", "无籽红提|Crimson Seedless|8.2千克/箱", KG, (230, 320), (18_000, 20_500), 1000, 8, Cat::Fruit);
    pub(super) const DURIAN: Goods = goods("0810600000", "鲜榴莲", "金枕头|Monthong|A级", KG, (380, 520), (16_000, 19_000), 1000, 18, Cat::Fruit);
    pub(super) const BEEF: Goods = goods("0202300090", "冻去骨牛肉", "去骨牛腩|冷冻-18℃|谷饲120天", KG, (520, 780), (24_000, 26_000), 1000, 25, Cat::Meat);
    pub(super) const SHRIMP: Goods = goods("0306179000", "冻南美白对虾", "带头|40/50只每千克|冷冻|2千克/盒", KG, (520, 690), (20_000, 24_000), 1000, 20, Cat::Seafood);
    pub(super) const MILK: Goods = goods("0402210000", "全脂奶粉", "脂肪含量26%|25千克/袋", KG, (340, 420), (20_000, 24_000), 1000, 25, Cat::Food);
    pub(super) const RED_WINE: Goods = goods("2204210000", "红葡萄酒", "干红|750毫升/瓶|酒精度13.5%", BOTTLES, (450, 1800), (4_000, 9_000), 1300, 6, Cat::Food);
    pub(super) const WHITE_WINE: Goods = goods("2204210000", "白葡萄酒", "干白|750毫升/瓶|酒精度12%", BOTTLES, (380, 1500), (2_000, 5_000), 1300, 6, Cat::Food);
    pub(super) const SERUM: Goods = goods("3304990099", "护肤精华液", "30毫升/瓶|非特殊用途化妆品", BOTTLES, (420, 1600), (8_000, 30_000), 90, 48, Cat::Cosmetics);
    pub(super) const CREAM: Goods = goods("3304990099", "保湿面霜", "50克/瓶|非特殊用途化妆品", BOTTLES, (350, 1200), (6_000, 20_000), 110, 48, Cat::Cosmetics);
    pub(super) const LIPSTICK: Goods = goods("3304100000", "唇膏", "3.5克/支|非特殊用途化妆品", PIECES, (180, 650), (10_000, 40_000), 20, 200, Cat::Cosmetics);
    pub(super) const ROUTER: Goods = goods("8517620000", "无线路由器", "WiFi 6|双频|AX3000|无品牌", SETS, (1_800, 4_200), (2_000, 8_000), 600, 20, Cat::Electronics);
    pub(super) const OPTICAL_MODULE: Goods = goods("8517620000", "光收发模块", "10G SFP+|单模|1310纳米", PIECES, (900, 2_600), (5_000, 20_000), 40, 200, Cat::Electronics);
    pub(super) const PHONE_BOARD: Goods = goods("8517799000", "手机主板组件", "5G|已装配元器件", PIECES, (1_100, 3_400), (5_000, 15_000), 60, 200, Cat::Electronics);
    pub(super) const PROCESSOR: Goods = goods("8542319000", "处理器及控制器", "ARM架构|BGA封装|车规级", PIECES, (350, 2_800), (20_000, 120_000), 2, 3_000, Cat::Electronics);
    pub(super) const DRIVER_IC: Goods = goods("8542319000", "显示驱动集成电路", "COF封装|4K面板用", PIECES, (120, 480), (50_000, 200_000), 1, 5_000, Cat::Electronics);
    pub(super) const MEMORY: Goods = goods("8542329000", "存储器", "DDR5|16Gb|FBGA封装", PIECES, (280, 950), (30_000, 150_000), 2, 3_000, Cat::Electronics);
    pub(super) const PROBE: Goods = goods("9018129000", "超声诊断仪探头", "凸阵|2-6MHz|医疗器械注册证已取得", PIECES, (250_000, 900_000), (10, 60), 1_500, 1, Cat::Machinery);
    pub(super) const ENDOSCOPE: Goods = goods("9018909919", "电子内窥镜", "胃镜|高清|医疗器械注册证已取得", SETS, (1_800_000, 4_500_000), (2, 12), 4_000, 1, Cat::Machinery);
    pub(super) const GLYCEROL: Goods = goods("2905450000", "甘油", "纯度99.7%|USP级|250千克/桶", KG, (65, 95), (18_000, 21_000), 1000, 250, Cat::Chemicals);
    pub(super) const USED_MACHINE: Goods = goods("8479899990", "旧注塑机辅机", "二手|2016年制造|机械手及干燥机", SETS, (800_000, 3_500_000), (2, 6), 900_000, 1, Cat::Machinery);
    pub(super) const HARVESTER_PARTS: Goods = goods("8433909000", "联合收割机零件", "割台刀片及链条|非整机", KG, (1_200, 3_800), (3_000, 8_000), 1000, 50, Cat::Machinery);
    pub(super) const FLOUR: Goods = goods("1101000000", "小麦粉", "高筋|25千克/袋", KG, (32, 45), (24_000, 26_000), 1000, 25, Cat::Grain);
    pub(super) const CONTROL_ARM: Goods = goods("8708999990", "汽车底盘控制臂总成", "铝合金|乘用车用", PIECES, (2_800, 9_500), (500, 3_000), 3_500, 10, Cat::Machinery);
    pub(super) const BRAKE_PADS: Goods = goods("8708301000", "制动摩擦片", "陶瓷配方|乘用车用", PIECES, (650, 1_900), (2_000, 8_000), 600, 40, Cat::Machinery);
    pub(super) const SOYBEANS: Goods = goods("1201900000", "大豆", "非转基因|黄大豆|散装入箱", KG, (45, 58), (25_000, 27_000), 1000, 0, Cat::Grain);
    pub(super) const WOMENS_TROUSERS: Goods = goods("6204620000", "女式棉制长裤", "梭织|100%棉|休闲裤", STRIPS, (350, 900), (3_000, 12_000), 400, 50, Cat::Textiles);
    pub(super) const TSHIRT: Goods = goods("6109100021", "棉制针织T恤衫", "男式|100%棉|针织|圆领", ARTICLES, (180, 450), (5_000, 20_000), 200, 50, Cat::Textiles);
    pub(super) const MENS_TROUSERS: Goods = goods("6203429090", "男式棉制长裤", "梭织|100%棉|牛仔", STRIPS, (550, 1_200), (3_000, 10_000), 600, 30, Cat::Textiles);
    pub(super) const SWEATER: Goods = goods("6110200000", "棉制针织套头衫", "女式|95%棉5%氨纶", ARTICLES, (600, 1_500), (2_000, 8_000), 450, 30, Cat::Textiles);
    pub(super) const BOLTS: Goods = goods("7318158001", "六角头螺栓", "碳钢|热镀锌|M12×80|8.8级", KG, (140, 260), (10_000, 22_000), 1000, 25, Cat::Goods);
    pub(super) const NUTS: Goods = goods("7318160000", "六角螺母", "碳钢|镀锌|M12|8级", KG, (150, 280), (8_000, 18_000), 1000, 25, Cat::Goods);
    pub(super) const LATHE: Goods = goods("8458110090", "数控卧式车床", "最大车削直径500毫米|FANUC系统", SETS, (2_800_000, 7_500_000), (2, 4), 3_800_000, 1, Cat::Machinery);
    pub(super) const DRILL: Goods = goods("8459290000", "立式钻床", "最大钻孔直径40毫米", SETS, (350_000, 900_000), (6, 14), 650_000, 1, Cat::Machinery);
    pub(super) const DRIED_ONION: Goods = goods("0712909900", "脱水洋葱片", "AD干燥|10千克/箱", KG, (220, 380), (8_000, 13_000), 1000, 10, Cat::Food);
    pub(super) const DRIED_CARROT: Goods = goods("0712909900", "脱水胡萝卜粒", "AD干燥|10×10毫米|10千克/箱", KG, (200, 340), (8_000, 13_000), 1000, 10, Cat::Food);
    pub(super) const MONITOR: Goods = goods("8528521200", "液晶显示器", "27英寸|4K|IPS面板", SETS, (8_500, 21_000), (800, 1_600), 6_500, 1, Cat::Electronics);
    pub(super) const TOYS: Goods = goods("9503008900", "塑料拼装玩具", "益智拼插|适用3岁以上", ARTICLES, (120, 600), (5_000, 30_000), 150, 48, Cat::Goods);
    pub(super) const STORAGE_BOX: Goods = goods("3926909090", "塑料收纳盒", "PP材质|带盖|三件套", PIECES, (40, 180), (10_000, 60_000), 250, 24, Cat::Goods);
    pub(super) const HANGERS: Goods = goods("3926909090", "塑料衣架", "PP材质|防滑", PIECES, (8, 30), (50_000, 150_000), 40, 200, Cat::Goods);
    pub(super) const TOMATO_SEED: Goods = goods("1209913000", "杂交番茄种子", "种植用|F1代|Solanum lycopersicum|河西制种", KG, (8_000, 40_000), (100, 1_500), 1000, 10, Cat::Seeds);
    pub(super) const PEPPER_SEED: Goods = goods("1209913000", "杂交辣椒种子", "种植用|F1代|Capsicum annuum|河西制种", KG, (6_000, 30_000), (100, 1_200), 1000, 10, Cat::Seeds);
    pub(super) const MELON_SEED: Goods = goods("1209913000", "杂交甜瓜种子", "种植用|F1代|Cucumis melo|河西制种", KG, (3_000, 15_000), (200, 2_500), 1000, 10, Cat::Seeds);
    pub(super) const FLOWER_SEED: Goods = goods("1209300000", "矮牵牛种子", "种植用|F1代|Petunia × hybrida|河西制种", KG, (150_000, 600_000), (5, 60), 1000, 1, Cat::Seeds);
}
use table::*;

/// A kind of trade: who trades what with whom, through which port.
pub struct Line {
    pub ie: IeFlag,
    pub port: &'static Port,
    /// Firm keys of the consignees (imports) or consignors (exports).
    pub traders: &'static [&'static str],
    /// Origin countries of imports, destination countries of exports.
    pub partners: &'static [&'static str],
    pub goods: &'static [Goods],
    pub max_items: usize,
    /// How many containers (0, 0 for air cargo).
    pub boxes: (u32, u32),
    pub box_type: &'static str,
    pub trade_mode: &'static str,
    /// Months the trade runs in; empty = all year.
    pub months: &'static [u8],
    pub weight: u32,
    /// The trader files itself instead of the port's broker.
    pub self_filed: bool,
}

const GENERAL: &str = "0110";
/// 进料对口 — processing trade with imported materials.
const PROCESSING: &str = "0615";

#[allow(clippy::too_many_arguments)]
const fn line(
    ie: IeFlag,
    port: &'static Port,
    traders: &'static [&'static str],
    partners: &'static [&'static str],
    goods: &'static [Goods],
    boxes: (u32, u32),
    box_type: &'static str,
    weight: u32,
) -> Line {
    Line { ie, port, traders, partners, goods, max_items: 2, boxes, box_type, trade_mode: GENERAL, months: &[], weight, self_filed: false }
}

use IeFlag::{Export as E, Import as I};

#[rustfmt::skip]
pub static US_APPLES: Line = Line {
    months: &[10, 11, 12, 1, 2, 3, 4, 5],
    ..line(I, &HAICANG, &["guoyuan", "haiyun"], &["USA"], &[APPLES], (1, 2), "45R1", 4)
};
#[rustfmt::skip]
pub static ICS: Line = line(I, &NANSHA, &["yuexin"], &["KOR", "JPN", "MYS"], &[PROCESSOR, MEMORY], (1, 1), "22G1", 5);
#[rustfmt::skip]
pub static MEDICAL: Line = line(I, &HAICANG, &["ludao"], &["DEU", "USA", "JPN"], &[PROBE, ENDOSCOPE], (1, 1), "22G1", 3);
#[rustfmt::skip]
pub static AUTO_PARTS: Line = line(I, &RAIL, &["huida"], &["DEU", "CZE"], &[CONTROL_ARM, BRAKE_PADS], (1, 1), "45G1", 4);
#[rustfmt::skip]
pub static TELECOM: Line = line(I, &NANSHA, &["xinglian", "hengchang", "xinda", "tianyu"], &["VNM", "KOR", "MYS"], &[ROUTER, OPTICAL_MODULE, PHONE_BOARD], (1, 2), "45G1", 10);
#[rustfmt::skip]
pub static COSMETICS: Line = Line {
    max_items: 3,
    ..line(I, &NANSHA, &["baili", "jiahe"], &["FRA", "KOR", "JPN"], &[SERUM, CREAM, LIPSTICK], (1, 1), "22G1", 5)
};

#[rustfmt::skip]
pub static LINES: &[&Line] = &[
    &US_APPLES,
    &Line {
        months: &[11, 12, 1, 2],
        ..line(I, &NANSHA, &["guoyuan", "haiyun"], &["CHL"], &[CHERRIES], (1, 3), "45R1", 4)
    },
    &Line {
        months: &[1, 2, 3, 4, 5],
        ..line(I, &NANSHA, &["guoyuan"], &["CHL", "PER"], &[GRAPES], (1, 2), "45R1", 3)
    },
    &Line {
        months: &[4, 5, 6, 7, 8, 9],
        ..line(I, &NANSHA, &["guoyuan", "haiyun"], &["THA"], &[DURIAN], (1, 3), "45R1", 5)
    },
    &line(I, &HAICANG, &["coldchain", "wantong"], &["AUS", "BRA", "ARG", "URY", "NZL"], &[BEEF], (1, 2), "45R1", 6),
    &line(I, &NANSHA, &["coldchain", "lihai"], &["ECU", "IND", "VNM"], &[SHRIMP], (1, 2), "45R1", 5),
    &line(I, &NANSHA, &["jincheng", "haiyun"], &["NZL", "AUS", "NLD"], &[MILK], (1, 2), "22G1", 4),
    &line(I, &HAICANG, &["haiyun"], &["FRA", "AUS", "CHL", "ITA"], &[RED_WINE, WHITE_WINE], (1, 1), "22G1", 3),
    &COSMETICS,
    &TELECOM,
    &ICS,
    &Line {
        trade_mode: PROCESSING,
        ..line(I, &NANSHA, &["huaxing"], &["KOR", "JPN"], &[DRIVER_IC, MEMORY], (1, 1), "22G1", 3)
    },
    &MEDICAL,
    &line(I, &HAICANG, &["minhai"], &["MYS", "IDN"], &[GLYCEROL], (1, 2), "22G1", 3),
    &line(I, &HAICANG, &["hengda"], &["JPN", "KOR", "DEU"], &[USED_MACHINE], (1, 2), "45G1", 3),
    &line(I, &RAIL, &["nongji"], &["DEU", "ITA"], &[HARVESTER_PARTS], (1, 1), "45G1", 3),
    &line(I, &RAIL, &["longshang", "jincheng"], &["KAZ"], &[FLOUR], (1, 2), "22G1", 4),
    &AUTO_PARTS,
    &line(I, &NANSHA, &["fenggu"], &["BRA", "USA", "CAN"], &[SOYBEANS], (2, 4), "22G1", 4),
    &line(I, &HAICANG, &["hongyun"], &["VNM", "BGD", "KHM"], &[WOMENS_TROUSERS], (1, 1), "45G1", 4),
    &Line {
        max_items: 3,
        ..line(E, &HAICANG, &["jinxiu", "jinfan"], &["USA", "DEU", "GBR", "JPN", "AUS"], &[TSHIRT, MENS_TROUSERS, SWEATER], (1, 2), "45G1", 10)
    },
    &line(E, &NANSHA, &["fanglian"], &["USA", "GBR", "FRA", "ARE"], &[TSHIRT, SWEATER], (1, 2), "45G1", 6),
    &line(E, &NANSHA, &["jinggong"], &["USA", "DEU", "NLD"], &[BOLTS, NUTS], (1, 2), "22G1", 5),
    &line(E, &RAIL, &["longzhong"], &["KAZ", "UZB", "RUS"], &[LATHE, DRILL], (1, 2), "45G1", 4),
    &line(E, &RAIL, &["jinhe"], &["DEU", "NLD", "POL"], &[DRIED_ONION, DRIED_CARROT], (1, 1), "45G1", 4),
    &Line {
        trade_mode: PROCESSING,
        ..line(E, &NANSHA, &["huaxing"], &["USA", "NLD", "DEU"], &[MONITOR], (1, 3), "45G1", 5)
    },
    &line(E, &NANSHA, &["chaoxing"], &["USA", "GBR", "AUS"], &[TOYS], (1, 2), "45G1", 4),
    &line(E, &HAICANG, &["tongda"], &["USA", "MEX", "BRA"], &[STORAGE_BOX, HANGERS], (1, 2), "45G1", 4),
    // 外繁制种: seeds bred in the 河西 base go back out after the harvest.
    &Line {
        months: &[8, 9, 10, 11, 12],
        self_filed: true,
        ..line(E, &AIRPORT, &["dongfang", "zhenghong"], &["NLD", "USA", "FRA", "JPN", "ITA"], &[TOMATO_SEED, PEPPER_SEED, MELON_SEED, FLOWER_SEED], (0, 0), "", 8)
    },
    &Line {
        months: &[9, 10, 11, 12],
        self_filed: true,
        ..line(E, &RAIL, &["dongfang", "zhenghong"], &["NLD", "DEU"], &[TOMATO_SEED, PEPPER_SEED, MELON_SEED], (1, 1), "22G1", 3)
    },
];

/// A seed crop of the spring season: parent seed (原种) imported for breeding.
pub struct Crop {
    pub name: &'static str,
    pub latin: &'static str,
    pub hs: &'static str,
    /// Price per kilogram, hundredths.
    pub price: (i64, i64),
    /// Quantity in hundredths of a kilogram.
    pub qty: (i64, i64),
}

const VEGETABLE_SEEDS: &str = "1209913000";
const FLOWER_SEEDS: &str = "1209300000";

const fn crop(name: &'static str, latin: &'static str, hs: &'static str, price: (i64, i64), qty: (i64, i64)) -> Crop {
    Crop { name, latin, hs, price, qty }
}

#[rustfmt::skip]
pub const CROPS: &[Crop] = &[
    crop("番茄种子", "Solanum lycopersicum", VEGETABLE_SEEDS, (180_000, 950_000), (50, 2_000)),
    crop("辣椒种子", "Capsicum annuum", VEGETABLE_SEEDS, (120_000, 600_000), (50, 1_500)),
    crop("黄瓜种子", "Cucumis sativus", VEGETABLE_SEEDS, (60_000, 300_000), (100, 3_000)),
    crop("甜瓜种子", "Cucumis melo", VEGETABLE_SEEDS, (40_000, 200_000), (100, 3_000)),
    crop("西瓜种子", "Citrullus lanatus", VEGETABLE_SEEDS, (30_000, 150_000), (200, 4_000)),
    crop("南瓜种子", "Cucurbita moschata", VEGETABLE_SEEDS, (8_000, 40_000), (500, 8_000)),
    crop("洋葱种子", "Allium cepa", VEGETABLE_SEEDS, (15_000, 60_000), (200, 5_000)),
    crop("胡萝卜种子", "Daucus carota", VEGETABLE_SEEDS, (20_000, 90_000), (200, 4_000)),
    crop("甘蓝种子", "Brassica oleracea var. capitata", VEGETABLE_SEEDS, (30_000, 120_000), (100, 3_000)),
    crop("西兰花种子", "Brassica oleracea var. italica", VEGETABLE_SEEDS, (50_000, 250_000), (100, 2_000)),
    crop("生菜种子", "Lactuca sativa", VEGETABLE_SEEDS, (8_000, 30_000), (200, 5_000)),
    crop("矮牵牛种子", "Petunia × hybrida", FLOWER_SEEDS, (800_000, 3_000_000), (5, 100)),
    crop("万寿菊种子", "Tagetes erecta", FLOWER_SEEDS, (60_000, 250_000), (50, 1_000)),
    crop("三色堇种子", "Viola × wittrockiana", FLOWER_SEEDS, (300_000, 1_200_000), (10, 200)),
    crop("百日草种子", "Zinnia elegans", FLOWER_SEEDS, (20_000, 90_000), (100, 2_000)),
];

/// Where the parent seeds come from: (country, weight, in the euro area).
pub const SEED_ORIGINS: &[(&str, u32, bool)] = &[
    ("NLD", 22, true),
    ("USA", 20, false),
    ("JPN", 12, false),
    ("FRA", 8, true),
    ("ITA", 7, true),
    ("ISR", 8, false),
    ("THA", 7, false),
    ("KOR", 5, false),
    ("DEU", 4, true),
    ("DNK", 3, true),
    ("CHL", 3, false),
    ("NZL", 3, false),
    ("AUS", 2, false),
];

/// Countries whose currency may be the euro on an invoice.
pub fn euro_area(country: &str) -> bool {
    matches!(country, "NLD" | "FRA" | "ITA" | "DEU" | "DNK" | "ESP" | "CZE" | "POL")
        || SEED_ORIGINS.iter().any(|(c, _, eur)| *eur && *c == country)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_goods() -> impl Iterator<Item = &'static Goods> {
        LINES.iter().flat_map(|l| l.goods.iter())
    }

    #[test]
    fn every_code_is_an_hs_2022_subheading_and_every_unit_known() {
        for g in all_goods() {
            assert_eq!(g.hs.len(), 10, "{}", g.hs);
            assert!(guomen_reference::hs::is_hs6(&g.hs[..6]), "{}", g.hs);
            assert!(guomen_reference::unit::is_unit(g.unit), "{}", g.unit);
        }
        for c in CROPS {
            assert!(c.hs.starts_with("1209") && guomen_reference::hs::is_hs6(&c.hs[..6]));
        }
    }

    #[test]
    fn countries_are_iso_3166() {
        for l in LINES.iter() {
            for p in l.partners {
                assert!(guomen_reference::country::is_alpha3(p), "{p}");
            }
        }
        for (c, _, _) in SEED_ORIGINS {
            assert!(guomen_reference::country::is_alpha3(c), "{c}");
        }
    }
}
