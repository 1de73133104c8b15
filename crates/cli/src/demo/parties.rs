//! The demo's parties: enterprises of every credit grade, the terminals and the laboratory,
//! the people who log in, and one API token per role.

use super::flow::Sim;
use anyhow::{anyhow, Context};
use guomen_domain::party::{Actor, CreditGrade, Enterprise, Role};
use guomen_domain::types::{CreditCode, CustomsCode};
use guomen_store::secrets;
use guomen_store::AdminCommand;
use std::collections::HashMap;
use time::{Duration, OffsetDateTime};

/// An enterprise as the demo registers it.
pub struct Firm {
    /// Short name the demo refers to it by.
    pub key: &'static str,
    /// 海关编码: area (4) + zone (1) + nature (1; 8 = customs broker) + sequence (4).
    pub code: &'static str,
    /// The first 17 characters of the unified social credit code; the check character is computed.
    pub credit17: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub grade: CreditGrade,
    pub site: Option<&'static str>,
}

use CreditGrade::{AdvancedCertified as AEO, Registered as REG, Untrustworthy as BAD};

const fn firm(
    key: &'static str,
    code: &'static str,
    credit17: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    grade: CreditGrade,
) -> Firm {
    Firm { key, code, credit17, name_zh, name_en, grade, site: None }
}

const fn site(
    key: &'static str,
    code: &'static str,
    credit17: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    site: &'static str,
) -> Firm {
    Firm { site: Some(site), ..firm(key, code, credit17, name_zh, name_en, REG) }
}

#[rustfmt::skip]
pub const FIRMS: &[Firm] = &[
    // 高级认证企业 (AEO)
    firm("dongfang", "6207960031", "91620700MA71D3K2X", "东方种子有限公司", "Dongfang Seed Co., Ltd.", AEO),
    firm("zhenghong", "6209960017", "91620900MA72HN4P1", "正红种子有限公司", "Zhenghong Seed Co., Ltd.", AEO),
    firm("yuexin", "4401360128", "91440112MA59K7R2T", "广州粤芯电子科技有限公司", "Guangzhou Yuexin Electronic Technology Co., Ltd.", AEO),
    firm("haiyun", "3502960245", "91350205MA2Y8GL3C", "厦门海韵食品进出口有限公司", "Xiamen Haiyun Foods Import & Export Co., Ltd.", AEO),
    firm("longyuan", "6201980006", "91620100MA73B6W4Q", "陇原通报关有限公司", "Longyuantong Customs Brokerage Co., Ltd.", AEO),
    firm("yuetong", "4401980211", "91440115MA5CRT8N2", "广州粤通报关有限公司", "Guangzhou Yuetong Customs Brokerage Co., Ltd.", AEO),
    firm("jinxiu", "3502960377", "91350206MA31HK0E7", "厦门锦绣纺织品进出口有限公司", "Xiamen Jinxiu Textiles Import & Export Co., Ltd.", AEO),
    firm("longzhong", "6201910045", "91620100224380651", "陇中机床制造有限公司", "Longzhong Machine Tool Manufacturing Co., Ltd.", AEO),
    firm("huaxing", "4401230088", "91440112MA5AL2PX8", "广州华星显示科技有限公司", "Guangzhou Huaxing Display Technology Co., Ltd.", AEO),
    firm("fenggu", "4401960152", "91440115MA59TQ3H1", "南沙丰谷粮油工业有限公司", "Nansha Fenggu Grain & Oil Industry Co., Ltd.", AEO),
    firm("ludao", "3502340067", "91350206MA2XN4WB5", "厦门鹭岛医疗器械有限公司", "Xiamen Ludao Medical Devices Co., Ltd.", AEO),
    firm("huida", "6201960088", "91620100MA74CU5K3", "河西汇达汽车零部件有限公司", "Hexi Huida Auto Parts Co., Ltd.", AEO),
    // 一般信用企业
    firm("lutong", "3502980133", "91350203MA2YD7J86", "厦门鹭通报关有限公司", "Xiamen Lutong Customs Brokerage Co., Ltd.", REG),
    firm("hengchang", "4401960377", "91440106MA5D1FR43", "广州恒昌贸易有限公司", "Guangzhou Hengchang Trading Co., Ltd.", REG),
    firm("jinhe", "6207960102", "91620702MA71N8EA6", "张掖金禾脱水蔬菜有限公司", "Zhangye Jinhe Dehydrated Vegetables Co., Ltd.", REG),
    firm("guoyuan", "3502960411", "91350205MA33P2KT9", "厦门果源进出口有限公司", "Xiamen Guoyuan Fruit Import & Export Co., Ltd.", REG),
    firm("fanglian", "4401960523", "91440111MA5BW6HY0", "广州纺联服饰有限公司", "Guangzhou Fanglian Apparel Co., Ltd.", REG),
    firm("jinggong", "4419960231", "91441900MA4X9RL2D", "东莞精工五金制品有限公司", "Dongguan Jinggong Hardware Products Co., Ltd.", REG),
    firm("coldchain", "3502960588", "91350205MA8RB1QC4", "厦门海沧冷链食品有限公司", "Xiamen Haicang Cold Chain Foods Co., Ltd.", REG),
    firm("xinglian", "4401960612", "91440106MA9UJ7GM5", "广州星联通讯器材有限公司", "Guangzhou Xinglian Communication Equipment Co., Ltd.", REG),
    firm("jincheng", "6201960133", "91620105MA72WE3L8", "金城乳业有限公司", "Jincheng Dairy Co., Ltd.", REG),
    firm("nongji", "6207960155", "91620702MA73KP6R1", "河西农机装备有限公司", "Hexi Agricultural Machinery Co., Ltd.", REG),
    firm("minhai", "3502960699", "91350205MA34X5NT2", "厦门闽海化工贸易有限公司", "Xiamen Minhai Chemical Trading Co., Ltd.", REG),
    firm("baili", "4401960701", "91440104MA5GH8CY3", "广州柏丽化妆品有限公司", "Guangzhou Baili Cosmetics Co., Ltd.", REG),
    // 失信企业
    firm("xinda", "4401960818", "91440111MA5F2LW96", "广州鑫达通讯科技有限公司", "Guangzhou Xinda Communication Technology Co., Ltd.", BAD),
    firm("hongyun", "3502960734", "91350203MA2Y4TP17", "厦门宏运贸易有限公司", "Xiamen Hongyun Trading Co., Ltd.", BAD),
    firm("shunfa", "4401980356", "91440115MA5AQ9D28", "广州顺发报关有限公司", "Guangzhou Shunfa Customs Brokerage Co., Ltd.", BAD),
    firm("wantong", "3502960812", "91350205MA31RX6B9", "厦门万通冻品有限公司", "Xiamen Wantong Frozen Foods Co., Ltd.", BAD),
    firm("tianyu", "4401960925", "91440113MA5H0K3P5", "广州天宇电子有限公司", "Guangzhou Tianyu Electronics Co., Ltd.", BAD),
    firm("chaoxing", "4405960417", "91440515MA4W7HN81", "汕头市潮兴玩具有限公司", "Shantou Chaoxing Toys Co., Ltd.", BAD),
    firm("longshang", "6201960219", "91620102MA71QG4T6", "陇上行商贸有限公司", "Longshangxing Trading Co., Ltd.", BAD),
    firm("jinfan", "3502960877", "91350211MA33CE8W2", "厦门金帆服装有限公司", "Xiamen Jinfan Garments Co., Ltd.", BAD),
    firm("lihai", "4401961034", "91440115MA5D8YB47", "广州利海水产贸易有限公司", "Guangzhou Lihai Aquatic Products Trading Co., Ltd.", BAD),
    firm("tongda", "3318960561", "91330782MA2E4LJ93", "义乌市通达日用品有限公司", "Yiwu Tongda Daily Necessities Co., Ltd.", BAD),
    firm("hengda", "3502961045", "91350206MA8T2UF30", "厦门恒达机电设备有限公司", "Xiamen Hengda Electromechanical Equipment Co., Ltd.", BAD),
    firm("jiahe", "4401961162", "91440103MA9W5NQ26", "广州嘉禾化妆品贸易有限公司", "Guangzhou Jiahe Cosmetics Trading Co., Ltd.", BAD),
    // Terminals, yards and the cargo station (registered, with their supervision-site codes)
    site("lzky", "6201969001", "91620100MA71FKY5B", "L空港国际货运站有限公司", "L Airport International Cargo Station Co., Ltd.", "LZKY01"),
    site("lztl", "6201969002", "91620100MA72LT8H4", "L国际陆港铁路集装箱场站有限公司", "L International Dry Port Rail Container Yard Co., Ltd.", "LZTL01"),
    site("nsct", "4401969003", "91440115MA59NT3C6", "南沙港区集装箱码头有限公司", "Nansha Container Terminal Co., Ltd.", "NSCT01"),
    site("xmhc", "3502969004", "91350205MA2XH5C07", "厦门海沧保税物流监管场站有限公司", "Xiamen Haicang Bonded Logistics Yard Co., Ltd.", "XMHC01"),
    // The laboratory: a public institution (credit code type 12)
    firm("lab", "6201999001", "12620100438520117", "L海关技术中心实验室", "L Customs Technical Centre Laboratory", REG),
];

/// Someone who logs in. Passwords are printed in the summary: this is a demo.
pub struct DemoUser {
    pub username: &'static str,
    pub password: &'static str,
    pub role: Role,
    pub firm: Option<&'static str>,
}

const fn user(username: &'static str, password: &'static str, role: Role, firm: Option<&'static str>) -> DemoUser {
    DemoUser { username, password, role, firm }
}

#[rustfmt::skip]
pub const USERS: &[DemoUser] = &[
    user("admin", "admin-demo-2026", Role::Admin, None),
    user("officer", "officer-demo-2026", Role::Officer, None),
    user("officer.pan", "pan-demo-2026", Role::Officer, None),
    user("analyst", "analyst-demo-2026", Role::RiskAnalyst, None),
    user("dongfang", "dongfang-demo-2026", Role::Declarant, Some("dongfang")),
    user("zhenghong", "zhenghong-demo-2026", Role::Declarant, Some("zhenghong")),
    user("longyuan", "longyuan-demo-2026", Role::Declarant, Some("longyuan")),
    user("yuetong", "yuetong-demo-2026", Role::Declarant, Some("yuetong")),
    user("lutong", "lutong-demo-2026", Role::Declarant, Some("lutong")),
    user("lzky01", "lzky01-demo-2026", Role::Terminal, Some("lzky")),
    user("lztl01", "lztl01-demo-2026", Role::Terminal, Some("lztl")),
    user("nsct01", "nsct01-demo-2026", Role::Terminal, Some("nsct")),
    user("xmhc01", "xmhc01-demo-2026", Role::Terminal, Some("xmhc")),
    user("lab", "lab-demo-2026", Role::Laboratory, Some("lab")),
    // Results are verified by someone who entered none of them (four eyes).
    user("lab.zhao", "zhao-demo-2026", Role::Laboratory, Some("lab")),
];

/// One API token per role: (role, firm, label).
const TOKENS: &[(Role, Option<&str>, &str)] = &[
    (Role::Admin, None, "demo admin"),
    (Role::Officer, None, "demo officer"),
    (Role::RiskAnalyst, None, "demo risk analyst"),
    (Role::Declarant, Some("dongfang"), "demo declarant (东方种子)"),
    (Role::Terminal, Some("lzky"), "demo terminal (L空港货运站)"),
    (Role::Laboratory, Some("lab"), "demo laboratory"),
];

/// A token as issued; the secret is shown once, in the summary.
pub struct IssuedToken {
    pub role: Role,
    pub firm: Option<&'static str>,
    pub secret: String,
}

/// The registered parties, by key.
pub struct Parties {
    firms: HashMap<&'static str, Enterprise>,
    pub tokens: Vec<IssuedToken>,
}

impl Parties {
    pub fn enterprise(&self, key: &str) -> &Enterprise {
        self.firms.get(key).unwrap_or_else(|| panic!("the demo names firm {key:?} but does not register it"))
    }

    pub fn code(&self, key: &str) -> CustomsCode {
        self.enterprise(key).code.clone()
    }

    /// The actor a demo user acts as.
    pub fn actor(&self, username: &str) -> Actor {
        let u = USERS
            .iter()
            .find(|u| u.username == username)
            .unwrap_or_else(|| panic!("the demo names user {username:?} but does not create it"));
        Actor { id: format!("user:{username}"), role: Some(u.role), enterprise: u.firm.map(|f| self.code(f)) }
    }

    /// The user who acts for a firm in `role` (its declarant, or the terminal's operator).
    pub fn user_of(&self, firm: &str, role: Role) -> &'static str {
        USERS
            .iter()
            .find(|u| u.firm == Some(firm) && u.role == role)
            .map(|u| u.username)
            .unwrap_or_else(|| panic!("no demo {} user for {firm:?}", role.as_str()))
    }
}

fn enterprise(f: &Firm) -> anyhow::Result<Enterprise> {
    Ok(Enterprise {
        code: CustomsCode::parse(f.code).map_err(|e| anyhow!("{}: {}", f.key, e.en))?,
        credit_code: CreditCode::complete(f.credit17).ok_or_else(|| anyhow!("{}: bad credit code prefix {:?}", f.key, f.credit17))?,
        name_zh: f.name_zh.into(),
        name_en: f.name_en.into(),
        grade: f.grade,
        site_code: f.site.map(str::to_owned),
    })
}

/// Hashes every password once, on all cores (Argon2 is deliberately slow).
fn hash_passwords() -> Vec<String> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per = USERS.len().div_ceil(workers).max(1);
    let mut out = vec![String::new(); USERS.len()];
    std::thread::scope(|s| {
        for (hashes, users) in out.chunks_mut(per).zip(USERS.chunks(per)) {
            s.spawn(move || {
                for (h, u) in hashes.iter_mut().zip(users) {
                    *h = secrets::hash_password(u.password);
                }
            });
        }
    });
    out
}

/// Days a demo token issued at `issued` (in the replayed past) must last to work for the usual
/// span from today: the demo prints its tokens to be used now.
pub fn valid_days_from(issued: OffsetDateTime) -> u32 {
    let past = (OffsetDateTime::now_utc() - issued).whole_days().max(0);
    (past + i64::from(guomen_domain::token::DEFAULT_DAYS)).clamp(1, i64::from(guomen_domain::token::MAX_DAYS)) as u32
}

/// Registers the enterprises, creates the users and issues the tokens, a few seconds apart from `at`.
pub async fn setup(sim: &mut Sim<'_>, at: OffsetDateTime) -> anyhow::Result<Parties> {
    let hashing = tokio::task::spawn_blocking(hash_passwords);
    let admin = crate::cli::cli_actor();
    let mut t = at;
    let mut tick = || {
        t += Duration::seconds(20);
        t
    };
    let mut firms = HashMap::new();
    for f in FIRMS {
        let e = enterprise(f)?;
        sim.exec(admin.clone(), AdminCommand::RegisterEnterprise(e.clone()), tick())
            .await
            .with_context(|| format!("registering {}", f.name_zh))?;
        firms.insert(f.key, e);
    }
    let mut parties = Parties { firms, tokens: Vec::new() };
    let hashes = hashing.await?;
    for (u, password_hash) in USERS.iter().zip(hashes) {
        let command = AdminCommand::CreateUser {
            username: u.username.into(),
            password_hash,
            role: u.role,
            enterprise: u.firm.map(|f| parties.code(f)),
        };
        sim.exec(admin.clone(), command, tick()).await.with_context(|| format!("creating user {}", u.username))?;
    }
    for &(role, firm, label) in TOKENS {
        let (token_id, secret) = secrets::new_token();
        let issued = tick();
        let command = AdminCommand::IssueToken {
            token_id,
            token_hash: secrets::token_hash(&secret),
            role,
            enterprise: firm.map(|f| parties.code(f)),
            label: Some(label.into()),
            valid_days: valid_days_from(issued),
        };
        sim.exec(admin.clone(), command, issued).await?;
        parties.tokens.push(IssuedToken { role, firm, secret });
    }
    Ok(parties)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dozen_of_each_grade_and_every_code_valid() {
        for g in CreditGrade::ALL {
            let n = FIRMS.iter().filter(|f| f.grade == g && f.site.is_none() && f.key != "lab").count();
            assert_eq!(n, 12, "{}", g.as_str());
        }
        for f in FIRMS {
            assert!(enterprise(f).is_ok(), "{}", f.key);
        }
        for u in USERS {
            assert!(guomen_service::admin::check_user(u.username, u.password).is_empty());
        }
    }
}
