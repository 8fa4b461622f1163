//! Demo data: fictional subjects and records, generated deterministically
//! (same seed, same "today" → same data) on first run.
//!
//! Department and district names are real; every company, individual
//! business, person, credit code, ID number and decision is invented. Demo
//! names carry the marker “（演示）” so a page can never be read as a real
//! company's record. `bench = true` leaves the marker out (realistic name
//! distribution for search benchmarks; those databases are never served).

use std::collections::{HashMap, HashSet};

use app::domain::credit_code::{check_char as uscc_check, ALPHABET};
use app::domain::id_number::check_char as id_check;
use app::domain::publication::period_end;
use app::domain::{Fen, PersonalBasis, PublicationRule, SubjectKind, Tier};
use app::model::RecordKind;
use app::store::StoreError;
use chrono::{Datelike, Days, NaiveDate};

use crate::store::seed::DEMO_DATA_SETTING;
use crate::store::seed::{
    NewCatalogItem, NewDepartment, NewLicense, NewPenalty, NewSeriousEntry, NewSubject, Seed,
};

/// What was generated.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub subjects: u32,
    pub penalties: u32,
    pub licenses: u32,
    pub serious: u32,
}

/// SplitMix64: tiny, deterministic, good enough for fictional data.
/// What every demo organisation's name ends with.
pub const MARKER: &str = "（演示）";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const DISTRICTS: [(&str, &str); 9] = [
    ("230400", "鹤岗市"),
    ("230402", "向阳区"),
    ("230403", "工农区"),
    ("230404", "南山区"),
    ("230405", "兴安区"),
    ("230406", "东山区"),
    ("230407", "兴山区"),
    ("230421", "萝北县"),
    ("230422", "绥滨县"),
];

/// (code, name, short name for document numbers, division code)
const DEPARTMENTS: [(&str, &str, &str, &str); 12] = [
    ("scjg", "鹤岗市市场监督管理局", "鹤市监", "230400"),
    ("sthj", "鹤岗市生态环境局", "鹤环", "230400"),
    ("yjgl", "鹤岗市应急管理局", "鹤应急", "230400"),
    ("swj", "国家税务总局鹤岗市税务局", "鹤税", "230400"),
    ("jtys", "鹤岗市交通运输局", "鹤交", "230400"),
    ("zjj", "鹤岗市住房和城乡建设局", "鹤建", "230400"),
    ("wsjk", "鹤岗市卫生健康委员会", "鹤卫", "230400"),
    ("rsj", "鹤岗市人力资源和社会保障局", "鹤人社", "230400"),
    ("cgzf", "鹤岗市城市管理综合执法局", "鹤城管", "230400"),
    ("xfjy", "鹤岗市消防救援支队", "鹤消", "230400"),
    ("xyscjg", "鹤岗市向阳区市场监督管理局", "鹤向市监", "230402"),
    ("lbscjg", "萝北县市场监督管理局", "萝市监", "230421"),
];

/// Departments with no records that apply measures (as [`DEPARTMENTS`]).
const CHECKING_DEPARTMENTS: [(&str, &str, &str, &str); 1] =
    [("cz", "鹤岗市财政局", "鹤财", "230400")];

/// (violation type, facts, basis) per department code.
fn templates(dept: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    match dept {
        "scjg" | "xyscjg" | "lbscjg" => &[
            (
                "销售不符合食品安全标准的食品",
                "当事人经营的预包装食品经抽样检验，菌落总数项目不符合食品安全国家标准。",
                "《中华人民共和国食品安全法》第一百二十四条第一款",
            ),
            (
                "虚假宣传",
                "当事人在其经营场所及网络店铺对商品性能作虚假的商业宣传，欺骗、误导消费者。",
                "《中华人民共和国反不正当竞争法》第二十条第一款",
            ),
            (
                "使用未经检验的特种设备",
                "当事人使用的一台电梯未经定期检验继续使用。",
                "《中华人民共和国特种设备安全法》第八十四条",
            ),
        ],
        "sthj" => &[
            (
                "超标排放大气污染物",
                "当事人锅炉排放的颗粒物浓度超过国家规定的排放标准。",
                "《中华人民共和国大气污染防治法》第九十九条",
            ),
            (
                "未按规定贮存危险废物",
                "当事人将废矿物油露天堆放，未设置危险废物识别标志。",
                "《中华人民共和国固体废物污染环境防治法》第一百一十二条",
            ),
        ],
        "yjgl" => &[
            (
                "未按规定开展安全生产教育培训",
                "当事人未对从业人员进行安全生产教育和培训，且未如实记录。",
                "《中华人民共和国安全生产法》第九十七条",
            ),
            (
                "未建立事故隐患排查治理制度",
                "当事人未建立事故隐患排查治理制度，未如实记录隐患排查情况。",
                "《中华人民共和国安全生产法》第一百零一条",
            ),
        ],
        "swj" => &[
            (
                "未按期申报纳税",
                "当事人未按照规定期限办理纳税申报和报送纳税资料。",
                "《中华人民共和国税收征收管理法》第六十二条",
            ),
            (
                "虚开发票",
                "当事人为他人开具与实际经营业务情况不符的发票。",
                "《中华人民共和国发票管理办法》第三十五条",
            ),
        ],
        "jtys" => &[(
            "未取得道路运输经营许可擅自从事经营",
            "当事人未取得道路运输经营许可，擅自从事道路普通货物运输经营。",
            "《中华人民共和国道路运输条例》第六十三条",
        )],
        "zjj" => &[(
            "未取得施工许可证擅自施工",
            "当事人未取得施工许可证擅自开工建设。",
            "《建筑工程施工许可管理办法》第十二条",
        )],
        "wsjk" => &[(
            "未取得医疗机构执业许可证擅自执业",
            "当事人未取得医疗机构执业许可证，擅自开展诊疗活动。",
            "《医疗机构管理条例》第四十三条",
        )],
        "rsj" => &[(
            "拖欠农民工工资",
            "当事人拖欠农民工工资，经责令限期支付逾期仍未支付。",
            "《保障农民工工资支付条例》第五十四条",
        )],
        "cgzf" => &[
            (
                "未经批准设置户外广告",
                "当事人未经批准擅自设置户外广告设施。",
                "《城市市容和环境卫生管理条例》第三十六条",
            ),
            (
                "随意倾倒建筑垃圾",
                "当事人将建筑垃圾随意倾倒在城市道路旁。",
                "《城市建筑垃圾管理规定》第二十六条",
            ),
        ],
        _ => &[(
            "消防设施未保持完好有效",
            "当事人场所内消防设施、器材未保持完好有效。",
            "《中华人民共和国消防法》第六十条第一款第一项",
        )],
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "英", "华", "建", "国", "志", "文", "玉", "兰", "海", "波", "宇",
];
const BRAND: &[&str] = &[
    "鑫", "恒", "泰", "瑞", "丰", "源", "兴", "隆", "盛", "达", "通", "华", "安", "顺", "宏", "昌",
    "福", "金", "龙", "江", "北", "松", "林", "佳", "信", "诚", "德", "和", "嘉", "润", "宇", "晟",
    "弘", "森", "峰", "星", "辰", "明", "远", "禾",
];
const INDUSTRY: &[&str] = &[
    "商贸",
    "煤业",
    "建材",
    "餐饮管理",
    "物流",
    "食品",
    "医药连锁",
    "汽车服务",
    "建筑工程",
    "农业科技",
    "房地产开发",
    "装饰工程",
    "石墨科技",
    "热力",
    "运输",
    "酒店管理",
    "超市",
    "药房",
    "环保科技",
    "矿业",
];
const FORMS: &[&str] = &["有限公司", "有限责任公司", "有限公司", "股份有限公司"];
const SHOPS: &[&str] = &[
    "烧烤店",
    "便利店",
    "小吃部",
    "五金商店",
    "汽车修理部",
    "水果店",
    "理发店",
    "粮油店",
];
const LICENSES: &[(&str, &str, &str)] = &[
    ("食品经营许可证", "准予从事食品经营活动", "JY1"),
    (
        "道路运输经营许可证",
        "准予从事道路普通货物运输经营",
        "黑交运管许可鹤字",
    ),
    ("排污许可证", "准予按许可事项排放污染物", "91230400"),
    ("建筑工程施工许可证", "准予建筑工程施工", "230400"),
    ("医疗机构执业许可证", "准予医疗机构执业登记", "PDY"),
    (
        "公众聚集场所投入使用、营业前消防安全检查合格证",
        "准予投入使用、营业",
        "鹤消安检字",
    ),
];

fn credit_code(
    rng: &mut Rng,
    category: char,
    division: &str,
    seen: &mut HashSet<String>,
) -> String {
    let alphabet: Vec<char> = ALPHABET.chars().collect();
    loop {
        let mut code = format!("9{category}{division}");
        for _ in 0..9 {
            code.push(*rng.pick(&alphabet));
        }
        if let Some(check) = uscc_check(&code) {
            code.push(check);
            if seen.insert(code.clone()) {
                return code;
            }
        }
    }
}

fn authority_code(rng: &mut Rng, division: &str) -> String {
    let alphabet: Vec<char> = ALPHABET.chars().filter(char::is_ascii_digit).collect();
    let mut code = format!("11{division}");
    for _ in 0..9 {
        code.push(*rng.pick(&alphabet));
    }
    let check = uscc_check(&code).unwrap_or('0');
    code.push(check);
    code
}

fn id_number(rng: &mut Rng, division: &str) -> String {
    let year = 1955 + rng.below(45);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let mut id = format!(
        "{division}{year:04}{month:02}{day:02}{:03}",
        rng.below(1000)
    );
    let check = id_check(&id).unwrap_or('0');
    id.push(check);
    id
}

fn person_name(rng: &mut Rng) -> String {
    let mut name = rng.pick(SURNAMES).to_string();
    name.push_str(rng.pick::<&str>(GIVEN));
    if rng.chance(60) {
        name.push_str(rng.pick::<&str>(GIVEN));
    }
    name
}

/// The rule versions of a catalog item: (effective from, rule).
struct ItemRules {
    versions: Vec<(NaiveDate, i64)>,
}

impl ItemRules {
    /// The rule version in force on `date`.
    fn on(&self, date: NaiveDate) -> i64 {
        self.versions
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .or(self.versions.first())
            .map(|(_, id)| *id)
            .unwrap_or_default()
    }
}

struct DeptCatalog {
    id: i64,
    code: &'static str,
    short: &'static str,
    ordinary: ItemRules,
    serious: ItemRules,
    no_early_repair: ItemRules,
    minor: ItemRules,
    license: ItemRules,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn rule(
    tier: Tier,
    published: bool,
    min: u32,
    max: u32,
    repairable: bool,
    version: u32,
    from: NaiveDate,
) -> PublicationRule {
    PublicationRule {
        tier,
        published,
        min_months: min,
        max_months: max,
        repairable,
        version,
        effective_from: from,
    }
}

/// Generates the demo data set in one transaction (a crash leaves an empty
/// database, and the next start generates again).
pub async fn generate(
    store: &dyn Seed,
    records: u32,
    today: NaiveDate,
    bench: bool,
) -> Result<DemoSummary, StoreError> {
    let mut rng = Rng(0x4845_4741_4E47_2026);
    let marker = if bench { "" } else { MARKER };
    let mut w = store.writer().await?;

    for (code, name) in DISTRICTS {
        w.district(code, name).await?;
    }

    // 发改办财金〔2019〕527号 (serious: 6 months minimum), then NDRC Order 58
    // (2023-05-01, serious: 1 year minimum); 国办发〔2025〕22号 kept them.
    let v1 = date(2019, 7, 1);
    let v2 = date(2023, 5, 1);
    let mut catalogs = Vec::new();
    for (code, name, short, division) in DEPARTMENTS {
        let credit = authority_code(&mut rng, division);
        let id = w
            .department(&NewDepartment {
                code,
                name,
                short_name: short,
                credit_code: &credit,
                division_code: division,
            })
            .await?;
        let item = |suffix: &str, kind: RecordKind, classification: &str| {
            (format!("{code}-{suffix}"), kind, classification.to_string())
        };
        let specs = [
            (
                item("ordinary", RecordKind::Penalty, "dishonesty"),
                "一般失信行为行政处罚信息",
                vec![rule(Tier::Ordinary, true, 3, 12, true, 1, v1)],
            ),
            (
                item("serious", RecordKind::Penalty, "dishonesty"),
                "严重失信行为行政处罚信息",
                vec![
                    rule(Tier::Serious, true, 6, 36, true, 1, v1),
                    rule(Tier::Serious, true, 12, 36, true, 2, v2),
                ],
            ),
            (
                item("revocation", RecordKind::Penalty, "dishonesty"),
                "吊销许可证件等不得提前修复的处罚信息",
                vec![rule(Tier::Serious, true, 36, 36, false, 1, v1)],
            ),
            (
                item("minor", RecordKind::Penalty, "dishonesty"),
                "轻微违法行为处罚信息（不予公示）",
                vec![rule(Tier::Minor, false, 0, 3, true, 1, v1)],
            ),
            (
                item("license", RecordKind::License, "basic"),
                "行政许可信息",
                vec![rule(Tier::Ordinary, true, 0, 36, false, 1, v1)],
            ),
        ];
        let mut item_rules = Vec::new();
        for ((item_code, kind, classification), item_name, rules) in specs {
            let item_id = w
                .catalog_item(&NewCatalogItem {
                    code: &item_code,
                    name: &format!("{name}{item_name}"),
                    record_kind: kind,
                    conduct: item_name,
                    department_id: id,
                    data_source: name,
                    classification: &classification,
                    sharing: "unconditional",
                    disclosure: "public",
                })
                .await?;
            let mut versions = Vec::new();
            for r in rules {
                let rule_id = w.catalog_rule(item_id, &r).await?;
                versions.push((r.effective_from, rule_id));
            }
            item_rules.push(ItemRules { versions });
        }
        let mut it = item_rules.into_iter();
        let mut next = || {
            it.next().unwrap_or(ItemRules {
                versions: Vec::new(),
            })
        };
        catalogs.push(DeptCatalog {
            id,
            code,
            short,
            ordinary: next(),
            serious: next(),
            no_early_repair: next(),
            minor: next(),
            license: next(),
        });
    }

    // Departments that apply measures of the list (joint check) but
    // deliver no records of their own here. Their codes come from their
    // own sequence, so the rest of the demo data stays as it was.
    let mut checker_rng = Rng(0x4348_4543_4B45_5253);
    for (code, name, short, division) in CHECKING_DEPARTMENTS {
        let credit = authority_code(&mut checker_rng, division);
        w.department(&NewDepartment {
            code,
            name,
            short_name: short,
            credit_code: &credit,
            division_code: division,
        })
        .await?;
    }

    // Subjects.
    let subject_count = (records / 3).max(60);
    let mut seen_codes = HashSet::new();
    let mut subjects: Vec<(i64, SubjectKind)> = Vec::with_capacity(subject_count as usize);
    // Representatives' ID numbers (never public) come from their own
    // sequence, so the rest of the demo data stays as it was.
    let mut rep_rng = Rng(0x5245_5052_4553_454E);
    let mut rep_ids: HashMap<i64, String> = HashMap::new();
    for _ in 0..subject_count {
        let (division_code, district) = *rng.pick(&DISTRICTS[1..]);
        let roll = rng.below(100);
        let kind = if roll < 75 {
            SubjectKind::LegalEntity
        } else if roll < 90 {
            SubjectKind::IndividualBusiness
        } else {
            SubjectKind::NaturalPerson
        };
        let (name, code, id_no, rep) = match kind {
            SubjectKind::LegalEntity => {
                let prefix = *rng.pick(&["鹤岗市", "鹤岗", "黑龙江", district]);
                let name = format!(
                    "{prefix}{}{}{}{}{marker}",
                    rng.pick(BRAND),
                    rng.pick(BRAND),
                    rng.pick(INDUSTRY),
                    rng.pick(FORMS)
                );
                let code = credit_code(&mut rng, '1', division_code, &mut seen_codes);
                (name, Some(code), None, Some(person_name(&mut rng)))
            }
            SubjectKind::IndividualBusiness => {
                let operator = person_name(&mut rng);
                let name = format!("{district}{operator}{}{marker}", rng.pick(SHOPS));
                let code = credit_code(&mut rng, '2', division_code, &mut seen_codes);
                (name, Some(code), None, Some(operator))
            }
            SubjectKind::NaturalPerson => {
                let name = person_name(&mut rng);
                (name, None, Some(id_number(&mut rng, division_code)), None)
            }
        };
        let id = w
            .subject(&NewSubject {
                kind,
                name: &name,
                credit_code: code.as_deref(),
                id_number: id_no.as_deref(),
                representative: rep.as_deref(),
                division_code: Some(division_code),
            })
            .await?;
        subjects.push((id, kind));
        if kind != SubjectKind::NaturalPerson {
            let (division, _) = *rep_rng.pick(&DISTRICTS[1..]);
            rep_ids.insert(id, id_number(&mut rep_rng, division));
        }
    }

    let mut summary = DemoSummary {
        subjects: subject_count,
        ..Default::default()
    };
    let mut doc_seq: HashMap<(i64, i32, &str), u32> = HashMap::new();
    let mut next_doc = |dept: &DeptCatalog, year: i32, kind: &'static str| {
        let seq = doc_seq.entry((dept.id, year, kind)).or_insert(0);
        *seq += 1;
        format!("{}{kind}〔{year}〕{}号", dept.short, *seq)
    };
    let span_days = 4 * 365;
    let penalty_count = records * 3 / 5;
    let license_count = records - penalty_count;
    let mut serious_candidates = Vec::new();

    // Penalties, oldest first so ids grow with dates (as they would in life).
    let mut dates: Vec<NaiveDate> = (0..penalty_count)
        .map(|_| today - Days::new(1 + rng.below(span_days)))
        .collect();
    dates.sort();
    for decision in dates {
        let dept = rng.pick(&catalogs);
        let (subject_id, kind) = *rng.pick(&subjects);
        let (violation, facts, basis) = *rng.pick(templates(dept.code));
        let roll = rng.below(100);
        // Natural persons get ordinary or minor penalties only.
        let (rule_ids, categories): (Vec<i64>, Vec<&str>) = if roll < 10 {
            (vec![dept.minor.on(decision)], vec!["警告"])
        } else if roll < 65 || kind == SubjectKind::NaturalPerson {
            (
                vec![dept.ordinary.on(decision)],
                if rng.chance(30) {
                    vec!["警告", "罚款"]
                } else {
                    vec!["罚款"]
                },
            )
        } else if roll < 93 {
            (
                vec![dept.serious.on(decision)],
                vec!["罚款", "没收违法所得"],
            )
        } else {
            (
                vec![dept.serious.on(decision), dept.no_early_repair.on(decision)],
                vec!["罚款", "吊销许可证件"],
            )
        };
        let fine = Fen(i64::try_from(1 + rng.below(400)).unwrap_or(1) * 50_000); // multiples of 500 元, in fen
        let confiscated = categories
            .contains(&"没收违法所得")
            .then(|| Fen(i64::try_from(1 + rng.below(100)).unwrap_or(1) * 10_000)); // multiples of 100 元
        let license_action = categories
            .contains(&"吊销许可证件")
            .then_some("吊销营业执照");
        let doc_no = next_doc(dept, decision.year(), "罚");
        let content = format!(
            "{}{}",
            categories.join("、"),
            if categories.contains(&"罚款") {
                format!("，罚款{}", fine)
            } else {
                String::new()
            }
        );
        // Some repairable records were already repaired (they leave public view).
        let repaired_on = if rule_ids.len() == 1 && roll >= 10 && rng.chance(6) {
            let min = if roll < 65 { 3 } else { 12 };
            // Some days after the minimum period ended (the day it ends is
            // still within it).
            let earliest = period_end(decision, min) + Days::new(10 + rng.below(40));
            (earliest < today).then_some(earliest)
        } else {
            None
        };
        let id = w
            .penalty(
                &NewPenalty {
                    subject_id,
                    doc_no: &doc_no,
                    violation_type: violation,
                    facts,
                    basis,
                    categories: &categories,
                    content: &content,
                    fine: categories.contains(&"罚款").then_some(fine),
                    confiscated,
                    license_action,
                    decision_date: decision,
                    valid_until: None,
                    department_id: dept.id,
                    source_department_id: dept.id,
                    note: None,
                    repaired_on,
                    rule_ids: &rule_ids,
                    representative_id: rep_ids.get(&subject_id).map(String::as_str),
                    personal_basis: (kind == SubjectKind::NaturalPerson)
                        .then_some(&PersonalBasis::StatutoryDuty),
                },
                today,
            )
            .await?;
        summary.penalties += 1;
        if roll >= 65 && kind == SubjectKind::LegalEntity && repaired_on.is_none() {
            serious_candidates.push((id, subject_id, dept.id, dept.code, decision));
        }
    }

    // Licences.
    let mut dates: Vec<NaiveDate> = (0..license_count)
        .map(|_| today - Days::new(1 + rng.below(span_days)))
        .collect();
    dates.sort();
    for decision in dates {
        let dept = rng.pick(&catalogs);
        let (subject_id, kind) = *rng.pick(&subjects);
        let (cert, content, prefix) = *rng.pick(LICENSES);
        let doc_no = next_doc(dept, decision.year(), "许");
        let cert_no = format!("{prefix}{}{:06}", decision.year(), rng.below(1_000_000));
        let category = *rng.pick(&["普通", "特许", "认可", "核准", "登记"]);
        w.license(
            &NewLicense {
                subject_id,
                doc_name: "准予行政许可决定书",
                doc_no: &doc_no,
                category,
                cert_name: Some(cert),
                cert_no: Some(&cert_no),
                content,
                decision_date: decision,
                valid_from: decision,
                valid_to: Some(period_end(decision, 60)),
                department_id: dept.id,
                source_department_id: dept.id,
                state: "有效",
                note: None,
                rule_ids: &[dept.license.on(decision)],
                personal_basis: (kind == SubjectKind::NaturalPerson)
                    .then_some(&PersonalBasis::StatutoryDuty),
            },
            today,
        )
        .await?;
        summary.licenses += 1;
    }

    // The national domains first: every entry names one.
    for d in app::domain::serious_domain::national_domains() {
        w.serious_domain(&d).await?;
    }
    // Serious-list entries grounded on serious penalties (about one in 25).
    for (penalty_id, subject_id, dept_id, dept_code, decision) in serious_candidates {
        if !rng.chance(4) || summary.serious >= 400 {
            continue;
        }
        let (domain_code, list_name) = match dept_code {
            "swj" => ("tax_major_violation", "重大税收违法失信主体名单"),
            "rsj" => ("wage_arrears", "拖欠农民工工资失信联合惩戒对象名单"),
            "yjgl" => ("work_safety", "安全生产严重失信主体名单"),
            "scjg" | "xyscjg" | "lbscjg" => {
                ("market_serious_violation", "市场监督管理严重违法失信名单")
            }
            // No national list of this department's domain: nothing is
            // listed outside one (its draw is still taken, so the other
            // entries stay as they were).
            _ => ("", ""),
        };
        let listed_on = decision + Days::new(20 + rng.below(20));
        if listed_on >= today || list_name.is_empty() {
            continue;
        }
        let doc_no = format!("鹤信列〔{}〕{}号", listed_on.year(), summary.serious + 1);
        w.serious_entry(
            &NewSeriousEntry {
                subject_id,
                domain_code,
                list_name,
                reason: "受到较重行政处罚，违法行为性质恶劣、社会影响较大",
                basis: "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）及相关领域严重失信主体名单管理规定",
                doc_no: &doc_no,
                department_id: dept_id,
                listed_on,
                until: period_end(listed_on, 36),
                measures: "依法依规在政府采购、招标投标、财政资金支持、评优评先等方面予以限制",
                removal_conditions: "名单期满自动移出；已履行相关义务、纠正失信行为的，可向认定单位申请提前移出",
                remedies: "对列入决定不服的，可依法申请行政复议或者提起行政诉讼",
                grounds_penalty_id: Some(penalty_id),
            },
            today,
        )
        .await?;
        summary.serious += 1;
    }

    w.setting(
        DEMO_DATA_SETTING,
        &today.to_string(),
        "库中有生成的演示数据（虚构的主体和决定）：每个页面显示演示数据提示",
    )
    .await?;
    w.commit().await?;
    Ok(summary)
}
