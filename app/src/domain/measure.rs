//! The measures list (失信惩戒措施清单) and which of its measures a listing
//! brings (seed §四(四)9–11; DOMAIN.md §13).
//!
//! No body may apply a measure that is not on the list, and every row of
//! the list names its legal basis down to the article and quotes it. So a
//! measure is data the credit authority keeps, [`MeasureForm::check`]
//! refuses one without its basis, and a change is a new *version*: a joint
//! check answered with version 2 keeps answering "version 2" after version
//! 3 is saved, so what a department was told can always be shown.
//!
//! Whether a measure applies is [`MeasureVersion::applies`]: to an entry of
//! one of its domains, for a subject of one of its kinds, asked by one of
//! the departments that apply it, on a day it is in force.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::serious_domain::{cites_document, is_domain_code};
use super::SubjectKind;

/// The three classes of the national basic list (全国失信惩戒措施基础清单).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureClass {
    /// Taken by public bodies by law, reducing rights or adding duties.
    Restricting,
    /// Management measures public bodies take within their duties.
    Management,
    /// Measures other organisations take on their own.
    Voluntary,
}

impl MeasureClass {
    pub const ALL: [MeasureClass; 3] = [
        MeasureClass::Restricting,
        MeasureClass::Management,
        MeasureClass::Voluntary,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeasureClass::Restricting => "restricting",
            MeasureClass::Management => "management",
            MeasureClass::Voluntary => "voluntary",
        }
    }

    pub fn from_code(code: &str) -> Option<MeasureClass> {
        MeasureClass::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            MeasureClass::Restricting => "由公共管理机构依法依规实施的减损权益或增加义务的措施",
            MeasureClass::Management => "由公共管理机构根据履职需要实施的相关管理措施",
            MeasureClass::Voluntary => "由公共管理机构以外的组织自主实施的措施",
        }
    }

    /// A short label for tables.
    pub fn short_label(self) -> &'static str {
        match self {
            MeasureClass::Restricting => "减损权益或增加义务",
            MeasureClass::Management => "管理措施",
            MeasureClass::Voluntary => "其他组织自主实施",
        }
    }
}

/// Where a measure comes from: the law, its article and paragraph, and the
/// words of the provision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    /// The law, regulation or rule, e.g. `《中华人民共和国政府采购法》`.
    pub law: String,
    /// e.g. `第七十七条`.
    pub article: String,
    /// e.g. `第一款`; empty when the article has one paragraph.
    pub paragraph: String,
    /// The provision as written.
    pub text: String,
}

impl LegalBasis {
    /// `《…》第七十七条第一款`.
    pub fn citation(&self) -> String {
        format!("{}{}{}", self.law, self.article, self.paragraph)
    }
}

/// One version of a measure, as checks and pages use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureVersion {
    /// The version's own id: what a check records.
    pub id: i64,
    /// Stable code of the measure across its versions.
    pub code: String,
    /// 1, 2, …
    pub version: u32,
    pub name: String,
    pub class: MeasureClass,
    /// What the measure does.
    pub effect: String,
    pub basis: LegalBasis,
    /// The serious-list domains (codes) whose entries bring it.
    pub domains: Vec<String>,
    pub subject_kinds: Vec<SubjectKind>,
    /// Who applies it, in words (`各级财政部门`).
    pub implementer: String,
    /// The departments of this city that apply it: a joint check from one
    /// of them lists it.
    pub departments: Vec<i64>,
    pub effective_from: NaiveDate,
    /// The last day in force; `None` while in force indefinitely.
    pub effective_to: Option<NaiveDate>,
}

impl MeasureVersion {
    /// In force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|to| day <= to)
    }

    /// Whether an entry of `domain` on a subject of `kind` brings this
    /// measure for `department`, on `day`.
    pub fn applies(
        &self,
        domain: &str,
        kind: SubjectKind,
        department_id: i64,
        day: NaiveDate,
    ) -> bool {
        self.in_force(day)
            && self.domains.iter().any(|d| d == domain)
            && self.subject_kinds.contains(&kind)
            && self.departments.contains(&department_id)
    }
}

/// The current version of each measure of `all` (its highest), by code.
pub fn current_versions(all: &[MeasureVersion]) -> Vec<MeasureVersion> {
    let mut current: Vec<MeasureVersion> = Vec::new();
    for v in all {
        match current.iter_mut().find(|c| c.code == v.code) {
            Some(c) if c.version < v.version => *c = v.clone(),
            Some(_) => {}
            None => current.push(v.clone()),
        }
    }
    current.sort_by(|a, b| a.code.cmp(&b.code));
    current
}

/// The measures of `list` (current versions) an entry of `domain` on a
/// subject of `kind` brings for `department` on `day`, by code.
pub fn applicable<'a>(
    list: &'a [MeasureVersion],
    domain: &str,
    kind: SubjectKind,
    department_id: i64,
    day: NaiveDate,
) -> Vec<&'a MeasureVersion> {
    let mut found: Vec<&MeasureVersion> = list
        .iter()
        .filter(|m| m.applies(domain, kind, department_id, day))
        .collect();
    found.sort_by(|a, b| a.code.cmp(&b.code));
    found
}

/// The measures a listing in `domain` brings, whoever applies them: what a
/// decision document and a notice name (`applies` without the department).
pub fn of_domain<'a>(
    list: &'a [MeasureVersion],
    domain: &str,
    kind: SubjectKind,
    day: NaiveDate,
) -> Vec<&'a MeasureVersion> {
    let mut found: Vec<&MeasureVersion> = list
        .iter()
        .filter(|m| {
            m.in_force(day)
                && m.domains.iter().any(|d| d == domain)
                && m.subject_kinds.contains(&kind)
        })
        .collect();
    found.sort_by(|a, b| a.code.cmp(&b.code));
    found
}

/// The text a decision or a notice carries for its measures: each one's
/// name and basis, from the list.
pub fn statement(measures: &[&MeasureVersion]) -> String {
    measures
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{}. {}（依据{}）", i + 1, m.name, m.basis.citation()))
        .collect::<Vec<_>>()
        .join("；")
}

/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest effect, quoted text or implementer, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest law, article or paragraph, in characters.
pub const MAX_CITATION_CHARS: usize = 100;

/// A measure as the administrators' form sends it: text, not yet trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureForm {
    pub code: String,
    pub name: String,
    pub class: String,
    pub effect: String,
    pub law: String,
    pub article: String,
    pub paragraph: String,
    pub basis_text: String,
    pub domains: Vec<String>,
    pub subject_kinds: Vec<String>,
    pub implementer: String,
    pub departments: Vec<String>,
    pub effective_from: String,
    pub effective_to: String,
}

/// A checked measure, to be saved as a new version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMeasure {
    pub code: String,
    pub name: String,
    pub class: MeasureClass,
    pub effect: String,
    pub basis: LegalBasis,
    pub domains: Vec<String>,
    pub subject_kinds: Vec<SubjectKind>,
    pub implementer: String,
    pub departments: Vec<i64>,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
}

impl From<&MeasureVersion> for MeasureForm {
    /// The form filled with a version, to change it.
    fn from(m: &MeasureVersion) -> Self {
        MeasureForm {
            code: m.code.clone(),
            name: m.name.clone(),
            class: m.class.code().into(),
            effect: m.effect.clone(),
            law: m.basis.law.clone(),
            article: m.basis.article.clone(),
            paragraph: m.basis.paragraph.clone(),
            basis_text: m.basis.text.clone(),
            domains: m.domains.clone(),
            subject_kinds: m.subject_kinds.iter().map(|k| k.code().into()).collect(),
            implementer: m.implementer.clone(),
            departments: m.departments.iter().map(i64::to_string).collect(),
            effective_from: m.effective_from.to_string(),
            effective_to: m.effective_to.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// `第七十七条`, `第77条`, `第一百七十八条`: an article is cited by number.
fn is_article(text: &str) -> bool {
    let t = text.trim();
    let Some(inner) = t.strip_prefix('第').and_then(|r| r.strip_suffix('条')) else {
        return false;
    };
    !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || "〇零一二三四五六七八九十百千".contains(c))
}

/// `第一款`, `第2项`, `第一款第三项` or empty.
fn is_paragraph(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return true;
    }
    let numeral = |c: char| c.is_ascii_digit() || "〇零一二三四五六七八九十百千".contains(c);
    let mut rest = t;
    while !rest.is_empty() {
        let Some(after) = rest.strip_prefix('第') else {
            return false;
        };
        let digits = after.chars().take_while(|c| numeral(*c)).count();
        if digits == 0 {
            return false;
        }
        let after: String = after.chars().skip(digits).collect();
        let Some(next) = after.strip_prefix(['款', '项', '目']) else {
            return false;
        };
        rest = &rest[rest.len() - next.len()..];
    }
    true
}

fn date_field(
    raw: &str,
    field: &'static str,
    label: &str,
    errors: &mut Vec<(&'static str, String)>,
) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push((
                field,
                format!("“{label}”格式不正确：请按“2026-01-31”的格式填写日期"),
            ));
            None
        }
    }
}

impl MeasureForm {
    /// Checks the form against the known domains and departments,
    /// returning each fault as (field, message).
    pub fn check(
        &self,
        known_domains: &[String],
        known_departments: &[i64],
    ) -> Result<NewMeasure, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let code = self.code.trim();
        if code.is_empty() {
            errors.push(("code", "请填写措施编码".into()));
        } else if !is_domain_code(code) {
            errors.push((
                "code",
                "措施编码须以小写英文字母开头，由 2 至 40 个小写英文字母、数字或下划线组成，例如 procurement_ban".into(),
            ));
        }
        let texts = [
            ("name", &self.name, "措施名称", MAX_NAME_CHARS),
            ("effect", &self.effect, "措施内容", MAX_TEXT_CHARS),
            (
                "law",
                &self.law,
                "法律依据（法律法规名称）",
                MAX_CITATION_CHARS,
            ),
            ("article", &self.article, "条", MAX_CITATION_CHARS),
            ("basis_text", &self.basis_text, "条文内容", MAX_TEXT_CHARS),
            ("implementer", &self.implementer, "实施主体", MAX_TEXT_CHARS),
        ];
        for (field, value, label, limit) in texts {
            let value = value.trim();
            if value.is_empty() {
                errors.push((field, format!("请填写“{label}”")));
            } else if value.chars().count() > limit {
                errors.push((field, format!("“{label}”不能超过 {limit} 个字")));
            }
        }
        let law = self.law.trim();
        if !law.is_empty() && !cites_document(law) {
            errors.push((
                "law",
                "法律依据须写明法律、法规或规章的名称（加书名号），例如《中华人民共和国政府采购法》".into(),
            ));
        }
        let article = self.article.trim();
        if !article.is_empty() && !is_article(article) {
            errors.push(("article", "“条”须写成“第七十七条”或“第77条”的形式".into()));
        }
        if self.paragraph.trim().chars().count() > MAX_CITATION_CHARS
            || !is_paragraph(&self.paragraph)
        {
            errors.push((
                "paragraph",
                "“款、项”须写成“第一款”“第一款第三项”的形式；只有一款的留空".into(),
            ));
        }
        let class = MeasureClass::from_code(self.class.trim());
        if class.is_none() {
            errors.push(("class", "请选择措施类别".into()));
        }

        let mut domains: Vec<String> = Vec::new();
        for d in &self.domains {
            let d = d.trim();
            if !known_domains.iter().any(|k| k == d) {
                errors.push((
                    "domains",
                    "适用名单中有不存在的名单领域，请从列表中选择".into(),
                ));
                break;
            }
            if !domains.iter().any(|x| x == d) {
                domains.push(d.to_string());
            }
        }
        if self.domains.is_empty() {
            errors.push(("domains", "请至少选择一个适用的严重失信主体名单".into()));
        }
        let mut kinds: Vec<SubjectKind> = Vec::new();
        for k in &self.subject_kinds {
            match SubjectKind::from_code(k.trim()) {
                Some(k) if !kinds.contains(&k) => kinds.push(k),
                Some(_) => {}
                None => {
                    errors.push(("subject_kinds", "适用对象无效，请从列表中选择".into()));
                    break;
                }
            }
        }
        if self.subject_kinds.is_empty() {
            errors.push(("subject_kinds", "请至少选择一类适用对象".into()));
        }
        kinds.sort_by_key(|k| SubjectKind::ALL.iter().position(|x| x == k));
        let mut departments: Vec<i64> = Vec::new();
        for d in &self.departments {
            match d.trim().parse::<i64>() {
                Ok(id) if known_departments.contains(&id) => {
                    if !departments.contains(&id) {
                        departments.push(id);
                    }
                }
                _ => {
                    errors.push((
                        "departments",
                        "实施单位中有不存在的单位，请从列表中选择".into(),
                    ));
                    break;
                }
            }
        }
        if self.departments.is_empty() {
            errors.push((
                "departments",
                "请至少选择一个实施单位：联合奖惩核查时向这些单位提示该措施".into(),
            ));
        }
        departments.sort_unstable();
        let from = date_field(
            &self.effective_from,
            "effective_from",
            "生效日期",
            &mut errors,
        );
        if self.effective_from.trim().is_empty() {
            errors.push(("effective_from", "请填写生效日期".into()));
        }
        let to = date_field(&self.effective_to, "effective_to", "失效日期", &mut errors);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errors.push(("effective_to", "失效日期不能早于生效日期".into()));
            }
        }
        match (class, from) {
            (Some(class), Some(effective_from)) if errors.is_empty() => Ok(NewMeasure {
                code: code.to_string(),
                name: self.name.trim().to_string(),
                class,
                effect: self.effect.trim().to_string(),
                basis: LegalBasis {
                    law: law.to_string(),
                    article: article.to_string(),
                    paragraph: self.paragraph.trim().to_string(),
                    text: self.basis_text.trim().to_string(),
                },
                domains,
                subject_kinds: kinds,
                implementer: self.implementer.trim().to_string(),
                departments,
                effective_from,
                effective_to: to,
            }),
            _ => Err(errors),
        }
    }
}

/// A real measure of the national list, with its checked basis
/// (DOMAIN.md §13), as the demo seeds it.
pub struct NationalMeasure {
    pub code: &'static str,
    pub name: &'static str,
    pub class: MeasureClass,
    pub effect: &'static str,
    pub law: &'static str,
    pub article: &'static str,
    pub paragraph: &'static str,
    pub text: &'static str,
    pub domains: &'static [&'static str],
    pub kinds: &'static [SubjectKind],
    pub implementer: &'static str,
    /// The departments of Hegang that apply it (the demo's).
    pub departments: &'static [&'static str],
}

impl NationalMeasure {
    /// The measure as the administrators' form would send it, applied by
    /// `departments` (ids), in force from `effective_from`.
    pub fn form(&self, departments: Vec<String>, effective_from: &str) -> MeasureForm {
        MeasureForm {
            code: self.code.into(),
            name: self.name.into(),
            class: self.class.code().into(),
            effect: self.effect.into(),
            law: self.law.into(),
            article: self.article.into(),
            paragraph: self.paragraph.into(),
            basis_text: self.text.into(),
            domains: self.domains.iter().map(|d| d.to_string()).collect(),
            subject_kinds: self.kinds.iter().map(|k| k.code().to_string()).collect(),
            implementer: self.implementer.into(),
            departments,
            effective_from: effective_from.into(),
            effective_to: String::new(),
        }
    }
}

const ORGS: &[SubjectKind] = &[SubjectKind::LegalEntity, SubjectKind::IndividualBusiness];
const ALL_KINDS: &[SubjectKind] = &SubjectKind::ALL;
const PERSONS: &[SubjectKind] = &[SubjectKind::NaturalPerson];

pub const NATIONAL_MEASURES: &[NationalMeasure] = &[
    NationalMeasure {
        code: "procurement_ban",
        name: "禁止参加政府采购活动",
        class: MeasureClass::Restricting,
        effect: "一至三年内禁止参加政府采购活动",
        law: "《中华人民共和国政府采购法》",
        article: "第七十七条",
        paragraph: "第一款",
        text: "供应商有下列情形之一的，处以采购金额千分之五以上千分之十以下的罚款，列入不良行为记录名单，在一至三年内禁止参加政府采购活动……",
        domains: &["market_serious_violation", "tax_major_violation", "work_safety"],
        kinds: ORGS,
        implementer: "各级财政部门",
        departments: &["鹤岗市财政局"],
    },
    NationalMeasure {
        code: "food_post_ban",
        name: "食品生产经营许可和从业禁止",
        class: MeasureClass::Restricting,
        effect: "被吊销许可证的食品生产经营者及其法定代表人、直接负责的主管人员和其他直接责任人员自处罚决定作出之日起五年内不得申请食品生产经营许可，或者从事食品生产经营管理工作、担任食品生产经营企业食品安全管理人员",
        law: "《中华人民共和国食品安全法》",
        article: "第一百三十五条",
        paragraph: "第一款",
        text: "被吊销许可证的食品生产经营者及其法定代表人、直接负责的主管人员和其他直接责任人员自处罚决定作出之日起五年内不得申请食品生产经营许可，或者从事食品生产经营管理工作、担任食品生产经营企业食品安全管理人员。",
        domains: &["market_serious_violation"],
        kinds: ALL_KINDS,
        implementer: "市场监督管理部门",
        departments: &["鹤岗市市场监督管理局", "鹤岗市向阳区市场监督管理局", "萝北县市场监督管理局"],
    },
    NationalMeasure {
        code: "director_ban",
        name: "不得担任公司董事、监事、高级管理人员",
        class: MeasureClass::Restricting,
        effect: "个人因所负数额较大债务到期未清偿被人民法院列为失信被执行人的，不得担任公司的董事、监事、高级管理人员",
        law: "《中华人民共和国公司法》",
        article: "第一百七十八条",
        paragraph: "第一款第五项",
        text: "有下列情形之一的，不得担任公司的董事、监事、高级管理人员：……（五）个人因所负数额较大债务到期未清偿被人民法院列为失信被执行人。",
        domains: &["court_dishonest_debtor"],
        kinds: PERSONS,
        implementer: "市场监督管理部门（公司登记机关）",
        departments: &["鹤岗市市场监督管理局", "鹤岗市向阳区市场监督管理局", "萝北县市场监督管理局"],
    },
    NationalMeasure {
        code: "exit_ban",
        name: "阻止出境",
        class: MeasureClass::Restricting,
        effect: "欠缴税款的纳税人或者其法定代表人在出境前未结清应纳税款、滞纳金又不提供担保的，税务机关可以通知出境管理机关阻止其出境",
        law: "《中华人民共和国税收征收管理法》",
        article: "第四十四条",
        paragraph: "",
        text: "欠缴税款的纳税人或者他的法定代表人需要出境的，应当在出境前向税务机关结清应纳税款、滞纳金或者提供担保。未结清税款、滞纳金，又不提供担保的，税务机关可以通知出境管理机关阻止其出境。",
        domains: &["tax_major_violation"],
        kinds: ALL_KINDS,
        implementer: "税务机关",
        departments: &["国家税务总局鹤岗市税务局"],
    },
    NationalMeasure {
        code: "bid_ban",
        name: "取消参加依法必须进行招标的项目的投标资格",
        class: MeasureClass::Restricting,
        effect: "投标人以行贿谋取中标等情节严重的，取消其一年至二年内参加依法必须进行招标的项目的投标资格",
        law: "《中华人民共和国招标投标法实施条例》",
        article: "第六十七条",
        paragraph: "第二款",
        text: "投标人有下列行为之一的，属于招标投标法第五十三条规定的情节严重行为，由有关行政监督部门取消其1年至2年内参加依法必须进行招标的项目的投标资格……",
        domains: &["market_serious_violation", "work_safety", "wage_arrears"],
        kinds: ORGS,
        implementer: "有关行政监督部门",
        departments: &["鹤岗市住房和城乡建设局", "鹤岗市交通运输局"],
    },
    NationalMeasure {
        code: "safety_supervision",
        name: "加大执法检查频次、暂停项目审批",
        class: MeasureClass::Restricting,
        effect: "对被列入严重违法失信名单的生产经营单位，加大执法检查频次、暂停项目审批、上调有关保险费率、行业或者职业禁入",
        law: "《中华人民共和国安全生产法》",
        article: "第七十八条",
        paragraph: "",
        text: "负有安全生产监督管理职责的部门应当建立安全生产违法行为信息库……对违法行为情节严重的生产经营单位及其有关从业人员，应当及时向社会公告，并通报行业主管部门、投资主管部门、自然资源主管部门、生态环境主管部门、证券监督管理机构以及有关金融机构。有关部门和机构应当对存在失信行为的生产经营单位及其有关从业人员采取加大执法检查频次、暂停项目审批、上调有关保险费率、行业或者职业禁入等联合惩戒措施，并向社会公示。",
        domains: &["work_safety"],
        kinds: ORGS,
        implementer: "负有安全生产监督管理职责的部门及有关部门",
        departments: &["鹤岗市应急管理局", "鹤岗市住房和城乡建设局", "鹤岗市交通运输局"],
    },
    NationalMeasure {
        code: "public_notice",
        name: "通过国家企业信用信息公示系统公示",
        class: MeasureClass::Management,
        effect: "列入严重违法失信企业名单的，通过企业信用信息公示系统向社会公示，在政府采购、工程招投标、国有土地出让、授予荣誉称号等工作中依法予以限制或者禁入",
        law: "《企业信息公示暂行条例》",
        article: "第十八条",
        paragraph: "",
        text: "县级以上地方人民政府及其有关部门应当建立健全信用约束机制，在政府采购、工程招投标、国有土地出让、授予荣誉称号等工作中，将企业信息作为重要考量因素，对被列入经营异常名录或者严重违法企业名单的企业依法予以限制或者禁入。",
        domains: &["market_serious_violation"],
        kinds: ORGS,
        implementer: "县级以上地方人民政府及其有关部门",
        departments: &["鹤岗市市场监督管理局", "鹤岗市向阳区市场监督管理局", "萝北县市场监督管理局", "鹤岗市住房和城乡建设局", "鹤岗市财政局"],
    },
    NationalMeasure {
        code: "high_consumption_ban",
        name: "限制高消费",
        class: MeasureClass::Restricting,
        effect: "被执行人为自然人的，不得乘坐飞机、列车软卧、轮船二等以上舱位，不得在星级以上宾馆、酒店等场所进行高消费，不得购买不动产或者新建、扩建、高档装修房屋等",
        law: "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》",
        article: "第三条",
        paragraph: "第一款",
        text: "被执行人为自然人的，被采取限制消费措施后，不得有以下高消费及非生活和工作必需的消费行为：（一）乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位……",
        domains: &["court_dishonest_debtor"],
        kinds: ALL_KINDS,
        implementer: "人民法院；协助执行的有关单位",
        departments: &["鹤岗市交通运输局", "鹤岗市住房和城乡建设局"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn version(code: &str) -> MeasureVersion {
        MeasureVersion {
            id: 1,
            code: code.into(),
            version: 1,
            name: "禁止参加政府采购活动".into(),
            class: MeasureClass::Restricting,
            effect: "一至三年内禁止参加政府采购活动".into(),
            basis: LegalBasis {
                law: "《中华人民共和国政府采购法》".into(),
                article: "第七十七条".into(),
                paragraph: "第一款".into(),
                text: "……".into(),
            },
            domains: vec!["market_serious_violation".into()],
            subject_kinds: vec![SubjectKind::LegalEntity],
            implementer: "各级财政部门".into(),
            departments: vec![7],
            effective_from: d(2026, 1, 1),
            effective_to: Some(d(2026, 12, 31)),
        }
    }

    #[test]
    fn a_measure_applies_only_within_its_domains_kinds_departments_and_dates() {
        let m = version("procurement_ban");
        let day = d(2026, 6, 1);
        assert!(m.applies("market_serious_violation", SubjectKind::LegalEntity, 7, day));
        // Another list's entry does not bring it.
        assert!(!m.applies("tax_major_violation", SubjectKind::LegalEntity, 7, day));
        // Nor an entry on a kind of subject it is not for.
        assert!(!m.applies(
            "market_serious_violation",
            SubjectKind::NaturalPerson,
            7,
            day
        ));
        // Nor for a department that does not apply it.
        assert!(!m.applies("market_serious_violation", SubjectKind::LegalEntity, 8, day));
        // In force from its first day through its last, inclusive.
        assert!(m.applies(
            "market_serious_violation",
            SubjectKind::LegalEntity,
            7,
            d(2026, 1, 1)
        ));
        assert!(m.applies(
            "market_serious_violation",
            SubjectKind::LegalEntity,
            7,
            d(2026, 12, 31)
        ));
        assert!(!m.applies(
            "market_serious_violation",
            SubjectKind::LegalEntity,
            7,
            d(2025, 12, 31)
        ));
        assert!(!m.applies(
            "market_serious_violation",
            SubjectKind::LegalEntity,
            7,
            d(2027, 1, 1)
        ));
        let open = MeasureVersion {
            effective_to: None,
            ..m
        };
        assert!(open.applies(
            "market_serious_violation",
            SubjectKind::LegalEntity,
            7,
            d(2099, 1, 1)
        ));
    }

    #[test]
    fn applicable_measures_are_sorted_and_filtered() {
        let mut b = version("bid_ban");
        b.domains.push("work_safety".into());
        let a = version("procurement_ban");
        let mut c = version("exit_ban");
        c.departments = vec![9];
        let list = vec![a, b, c];
        let found = applicable(
            &list,
            "market_serious_violation",
            SubjectKind::LegalEntity,
            7,
            d(2026, 6, 1),
        );
        let codes: Vec<&str> = found.iter().map(|m| m.code.as_str()).collect();
        assert_eq!(codes, ["bid_ban", "procurement_ban"]);
        let found = applicable(
            &list,
            "work_safety",
            SubjectKind::LegalEntity,
            7,
            d(2026, 6, 1),
        );
        assert_eq!(found.len(), 1);
        // A decision names every measure of the domain, whoever applies it.
        let named = of_domain(
            &list,
            "market_serious_violation",
            SubjectKind::LegalEntity,
            d(2026, 6, 1),
        );
        assert_eq!(named.len(), 3);
        let text = statement(&named);
        assert!(
            text.starts_with(
                "1. 禁止参加政府采购活动（依据《中华人民共和国政府采购法》第七十七条第一款）"
            ),
            "{text}"
        );
    }

    fn form() -> MeasureForm {
        MeasureForm::from(&version("procurement_ban"))
    }

    fn faults(f: &MeasureForm) -> Vec<&'static str> {
        match f.check(&["market_serious_violation".into()], &[7]) {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|(field, _)| field).collect(),
        }
    }

    #[test]
    fn a_measure_without_its_legal_basis_is_refused() {
        assert!(faults(&form()).is_empty());
        for (f, field) in [
            (
                MeasureForm {
                    law: String::new(),
                    ..form()
                },
                "law",
            ),
            (
                MeasureForm {
                    law: "政府采购的规定".into(),
                    ..form()
                },
                "law",
            ),
            (
                MeasureForm {
                    article: String::new(),
                    ..form()
                },
                "article",
            ),
            (
                MeasureForm {
                    article: "七十七".into(),
                    ..form()
                },
                "article",
            ),
            (
                MeasureForm {
                    paragraph: "一款".into(),
                    ..form()
                },
                "paragraph",
            ),
            (
                MeasureForm {
                    basis_text: " ".into(),
                    ..form()
                },
                "basis_text",
            ),
        ] {
            assert_eq!(faults(&f), [field], "{f:?}");
        }
        assert!(faults(&MeasureForm {
            paragraph: String::new(),
            ..form()
        })
        .is_empty());
        assert!(faults(&MeasureForm {
            paragraph: "第一款第五项".into(),
            article: "第178条".into(),
            ..form()
        })
        .is_empty());
    }

    #[test]
    fn every_other_field_names_its_fault() {
        for (f, field) in [
            (
                MeasureForm {
                    code: "Bad Code".into(),
                    ..form()
                },
                "code",
            ),
            (
                MeasureForm {
                    class: "x".into(),
                    ..form()
                },
                "class",
            ),
            (
                MeasureForm {
                    domains: vec![],
                    ..form()
                },
                "domains",
            ),
            (
                MeasureForm {
                    domains: vec!["made_up".into()],
                    ..form()
                },
                "domains",
            ),
            (
                MeasureForm {
                    subject_kinds: vec![],
                    ..form()
                },
                "subject_kinds",
            ),
            (
                MeasureForm {
                    subject_kinds: vec!["robot".into()],
                    ..form()
                },
                "subject_kinds",
            ),
            (
                MeasureForm {
                    departments: vec![],
                    ..form()
                },
                "departments",
            ),
            (
                MeasureForm {
                    departments: vec!["99".into()],
                    ..form()
                },
                "departments",
            ),
            (
                MeasureForm {
                    departments: vec!["x".into()],
                    ..form()
                },
                "departments",
            ),
            (
                MeasureForm {
                    effective_from: String::new(),
                    ..form()
                },
                "effective_from",
            ),
            (
                MeasureForm {
                    effective_from: "2026/1/1".into(),
                    ..form()
                },
                "effective_from",
            ),
            (
                MeasureForm {
                    effective_to: "2025-01-01".into(),
                    ..form()
                },
                "effective_to",
            ),
            (
                MeasureForm {
                    name: "名".repeat(MAX_NAME_CHARS + 1),
                    ..form()
                },
                "name",
            ),
        ] {
            assert_eq!(faults(&f), [field], "{f:?}");
        }
    }

    #[test]
    fn the_national_measures_pass_the_form_check() {
        let domains: Vec<String> = NATIONAL_MEASURES
            .iter()
            .flat_map(|m| m.domains.iter().map(|d| d.to_string()))
            .collect();
        for m in NATIONAL_MEASURES {
            let f = m.form(vec!["1".into()], "2026-01-01");
            assert!(
                f.check(&domains, &[1]).is_ok(),
                "{}: {:?}",
                m.code,
                f.check(&domains, &[1])
            );
        }
    }
}
