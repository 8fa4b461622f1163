//! The domains of the serious list (严重失信主体名单 领域), kept as data.
//!
//! A serious list may exist only where a law, an administrative regulation or
//! a central policy document sets it up (国办发〔2020〕49号; seed §四(三)6–7):
//! a city may not add a domain or widen one. So every domain carries the
//! document that sets the list up and the one that fixes its listing
//! standard, and [`NewSeriousDomain::check`] refuses a basis that cites no
//! document. Periods and early removal follow the domain's own rules; they
//! are counted with [`period_end`] (民法典 arts 201–202), like every other
//! period of the portal.
//!
//! Court lists (失信被执行人) are mirrored: the court lists and deletes, the
//! portal only shows what the court publishes and says where to ask.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::publication::period_end;

/// One serious-list domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriousDomain {
    /// Stable ASCII code, `^[a-z][a-z0-9_]{1,39}$`.
    pub code: String,
    /// Name of the list, e.g. `市场监督管理严重违法失信名单`.
    pub name: String,
    /// The law or central policy document that sets the list up.
    pub list_basis: String,
    /// The document that fixes its listing standard.
    pub standard_basis: String,
    /// Who may list, e.g. `市场监督管理部门`.
    pub listing_authority: String,
    /// How long an entry stays on the list, in years.
    pub listing_years: u32,
    /// After how many years on the list early removal (信用修复) may be
    /// granted; `None` when the domain allows no early removal. `Some(0)`
    /// means at any time during the period once the conditions are met.
    pub earliest_removal_years: Option<u32>,
    /// The conditions of removal, as the decision document states them.
    pub removal_conditions: String,
    /// The procedure of removal, as the decision document states it.
    pub removal_procedure: String,
    /// Whether the portal only mirrors a list kept by another body (court
    /// lists): deletion is that body's, not the portal's.
    pub mirrored: bool,
    /// Where to ask about a mirrored list (the body keeping it).
    pub mirror_contact: Option<String>,
}

/// The day after `d`, saturating at `NaiveDate::MAX`.
fn next_day(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX)
}

impl SeriousDomain {
    /// Whether an entry may leave the list early through this portal.
    pub fn allows_early_removal(&self) -> bool {
        !self.mirrored && self.earliest_removal_years.is_some()
    }

    /// The last day an entry listed on `listed_on` is on the list: the
    /// [`period_end`] of `listing_years` years, so an entry listed on
    /// 2026-11-30 for three years is listed through 2029-11-30.
    pub fn listing_ends(&self, listed_on: NaiveDate) -> NaiveDate {
        period_end(listed_on, self.listing_years.saturating_mul(12))
    }

    /// The first day early removal may be granted, or `None` when the
    /// domain allows none (or is mirrored). The documents say "列入满一年":
    /// the year is full when its [`period_end`] is over, so removal opens
    /// the day after, as repair opens the day after a minimum publication
    /// period. With `Some(0)` years it opens on the listing day.
    pub fn earliest_removal(&self, listed_on: NaiveDate) -> Option<NaiveDate> {
        if !self.allows_early_removal() {
            return None;
        }
        match self.earliest_removal_years? {
            0 => Some(listed_on),
            years => Some(next_day(period_end(listed_on, years.saturating_mul(12)))),
        }
    }
}

// ---------------------------------------------------------------------------
// Checking a domain entered by an administrator
// ---------------------------------------------------------------------------

/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 50;
/// Longest legal or standard basis, in characters.
pub const MAX_BASIS_CHARS: usize = 500;
/// Longest listing authority, in characters.
pub const MAX_AUTHORITY_CHARS: usize = 100;
/// Longest removal conditions or procedure, in characters.
pub const MAX_REMOVAL_CHARS: usize = 2000;
/// Longest mirror contact, in characters.
pub const MAX_CONTACT_CHARS: usize = 200;
/// The listing periods a domain may have, in years.
pub const LISTING_YEARS: std::ops::RangeInclusive<u32> = 1..=10;

/// The message for a basis that cites no document.
pub const BASIS_MUST_CITE: &str = "法律依据须写明法律、法规或中央政策文件的名称或文号，例如《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）";

/// A domain as an administrator's form sends it: text, not yet trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSeriousDomain {
    pub code: String,
    pub name: String,
    pub list_basis: String,
    pub standard_basis: String,
    pub listing_authority: String,
    pub listing_years: String,
    /// Empty when the domain allows no early removal.
    pub earliest_removal_years: String,
    pub removal_conditions: String,
    pub removal_procedure: String,
    pub mirrored: bool,
    /// Empty unless the list is mirrored.
    pub mirror_contact: String,
}

impl From<&SeriousDomain> for NewSeriousDomain {
    /// The form filled with an existing domain, for editing it.
    fn from(d: &SeriousDomain) -> Self {
        NewSeriousDomain {
            code: d.code.clone(),
            name: d.name.clone(),
            list_basis: d.list_basis.clone(),
            standard_basis: d.standard_basis.clone(),
            listing_authority: d.listing_authority.clone(),
            listing_years: d.listing_years.to_string(),
            earliest_removal_years: d
                .earliest_removal_years
                .map(|y| y.to_string())
                .unwrap_or_default(),
            removal_conditions: d.removal_conditions.clone(),
            removal_procedure: d.removal_procedure.clone(),
            mirrored: d.mirrored,
            mirror_contact: d.mirror_contact.clone().unwrap_or_default(),
        }
    }
}

/// Whether `code` has the form `^[a-z][a-z0-9_]{1,39}$`.
pub fn is_domain_code(code: &str) -> bool {
    let b = code.as_bytes();
    (2..=40).contains(&b.len())
        && b.first().is_some_and(u8::is_ascii_lowercase)
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// A digit as typed in a document number: ASCII or full-width.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Whether `text` cites a document: a title in 《…》, a document number
/// with a bracketed year (`国办发〔2020〕49号`, also typed with `[]`, `［］`
/// or `【】`), or an order number (`总局令第44号`, `令第四十四号`).
pub fn cites_document(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    // 《title》 with a non-empty title.
    let titled = chars.iter().enumerate().any(|(i, c)| {
        *c == '《'
            && chars
                .get(i + 1..)
                .and_then(|rest| rest.iter().position(|c| *c == '》'))
                .is_some_and(|p| p > 0)
    });
    if titled {
        return true;
    }
    let numbered = |i: usize| -> bool {
        // 〔YYYY〕N号 starting at i.
        let open = matches!(chars.get(i), Some('〔' | '[' | '［' | '【'));
        let year = (1..=4).all(|k| chars.get(i + k).is_some_and(|c| is_digit(*c)));
        let close = matches!(chars.get(i + 5), Some('〕' | ']' | '］' | '】'));
        if !(open && year && close) {
            return false;
        }
        let digits = chars
            .get(i + 6..)
            .map_or(0, |rest| rest.iter().take_while(|c| is_digit(**c)).count());
        digits > 0 && chars.get(i + 6 + digits) == Some(&'号')
    };
    let ordered = |i: usize| -> bool {
        // 令第N号 starting at i, N in Arabic or Chinese numerals.
        if chars.get(i) != Some(&'令') || chars.get(i + 1) != Some(&'第') {
            return false;
        }
        let numeral = |c: &char| is_digit(*c) || "〇零一二三四五六七八九十百千".contains(*c);
        let digits = chars
            .get(i + 2..)
            .map_or(0, |rest| rest.iter().take_while(|c| numeral(c)).count());
        digits > 0 && chars.get(i + 2 + digits) == Some(&'号')
    };
    (0..chars.len()).any(|i| numbered(i) || ordered(i))
}

/// Full-width digits → ASCII, so `３` reads as a number.
fn halfwidth_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

impl NewSeriousDomain {
    /// Checks the form, returning each fault as (field, message) so the
    /// form can show it next to its field.
    pub fn check(&self) -> Result<SeriousDomain, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let code = self.code.trim();
        if code.is_empty() {
            errors.push(("code", "请填写领域代码".into()));
        } else if !is_domain_code(code) {
            errors.push((
                "code",
                "领域代码须以小写英文字母开头，由 2 至 40 个小写英文字母、数字或下划线组成，例如 market_serious".into(),
            ));
        }

        // Required, length-bounded texts: (field, value, what, limit).
        let texts = [
            ("name", &self.name, "名单名称", MAX_NAME_CHARS),
            (
                "list_basis",
                &self.list_basis,
                "名单设立依据",
                MAX_BASIS_CHARS,
            ),
            (
                "standard_basis",
                &self.standard_basis,
                "认定标准依据",
                MAX_BASIS_CHARS,
            ),
            (
                "listing_authority",
                &self.listing_authority,
                "认定部门",
                MAX_AUTHORITY_CHARS,
            ),
            (
                "removal_conditions",
                &self.removal_conditions,
                "移出条件",
                MAX_REMOVAL_CHARS,
            ),
            (
                "removal_procedure",
                &self.removal_procedure,
                "移出程序",
                MAX_REMOVAL_CHARS,
            ),
        ];
        for (field, value, what, limit) in texts {
            let v = value.trim();
            if v.is_empty() {
                errors.push((field, format!("请填写{what}")));
            } else if v.chars().count() > limit {
                errors.push((
                    field,
                    format!("{what}不能超过 {limit} 字，当前为 {} 字", v.chars().count()),
                ));
            }
        }
        // The listing standard must come from the same kind of document as
        // the list (seed §四(三)7), so both bases must cite one.
        if !self.list_basis.trim().is_empty() && !cites_document(&self.list_basis) {
            errors.push(("list_basis", BASIS_MUST_CITE.into()));
        }
        if !self.standard_basis.trim().is_empty() && !cites_document(&self.standard_basis) {
            errors.push((
                "standard_basis",
                "认定标准须由法律、行政法规或者党中央、国务院政策文件（尚无全国标准的，由省级地方性法规）规定，请写明文件名称或文号，例如《市场监督管理严重违法失信名单管理办法》第二条至第十一条".into(),
            ));
        }

        let years = halfwidth_digits(self.listing_years.trim())
            .parse::<u32>()
            .ok()
            .filter(|y| LISTING_YEARS.contains(y));
        if years.is_none() {
            errors.push((
                "listing_years",
                format!(
                    "列入期限须为 {} 至 {} 年的整数",
                    LISTING_YEARS.start(),
                    LISTING_YEARS.end()
                ),
            ));
        }

        let early_text = halfwidth_digits(self.earliest_removal_years.trim());
        let early = if early_text.is_empty() {
            None
        } else {
            match early_text.parse::<u32>() {
                Ok(e) if years.is_none_or(|y| e <= y) => Some(e),
                _ => {
                    let limit = years.map_or(String::new(), |y| format!("（{y} 年）"));
                    errors.push((
                        "earliest_removal_years",
                        format!(
                            "可申请提前移出的列入年限须为不超过列入期限{limit}的整数；不允许提前移出的请留空"
                        ),
                    ));
                    None
                }
            }
        };

        let contact = self.mirror_contact.trim();
        if self.mirrored {
            if contact.is_empty() {
                errors.push((
                    "mirror_contact",
                    "同步展示的名单须写明查询和提出异议的渠道，例如“作出决定的执行法院；中国执行信息公开网”".into(),
                ));
            } else if contact.chars().count() > MAX_CONTACT_CHARS {
                errors.push((
                    "mirror_contact",
                    format!("联系渠道不能超过 {MAX_CONTACT_CHARS} 字"),
                ));
            }
            if early.is_some() {
                errors.push((
                    "earliest_removal_years",
                    "同步展示的名单由原认定机关（如人民法院）删除，不能通过本平台提前移出，请将此项留空".into(),
                ));
            }
        } else if !contact.is_empty() {
            // A contact on a list the portal's departments keep themselves
            // would send people to the wrong body.
            errors.push((
                "mirror_contact",
                "只有同步展示的名单才填写联系渠道；本名单由认定部门列入，请清空此项或勾选“同步展示”".into(),
            ));
        }

        match years {
            Some(listing_years) if errors.is_empty() => Ok(SeriousDomain {
                code: code.to_string(),
                name: self.name.trim().to_string(),
                list_basis: self.list_basis.trim().to_string(),
                standard_basis: self.standard_basis.trim().to_string(),
                listing_authority: self.listing_authority.trim().to_string(),
                listing_years,
                earliest_removal_years: early,
                removal_conditions: self.removal_conditions.trim().to_string(),
                removal_procedure: self.removal_procedure.trim().to_string(),
                mirrored: self.mirrored,
                mirror_contact: self.mirrored.then(|| contact.to_string()),
            }),
            _ => Err(errors),
        }
    }
}

// ---------------------------------------------------------------------------
// The national domains
// ---------------------------------------------------------------------------

/// The national domains the portal starts with, with their legal bases.
/// This is seed data an administrator can correct: figures marked "to be
/// confirmed" below are kept conservative until checked against the text
/// of the document.
pub fn national_domains() -> Vec<SeriousDomain> {
    let s = |t: &str| t.to_string();
    vec![
        SeriousDomain {
            code: s("court_dishonest_debtor"),
            name: s("失信被执行人名单"),
            list_basis: s("《中华人民共和国民事诉讼法》；《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）"),
            standard_basis: s("《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）第一条"),
            listing_authority: s("人民法院（执行法院）"),
            // Art 2: two years; the court may extend it by one to three years
            // for violent resistance or several dishonest acts, so the
            // court's own date prevails over this figure.
            listing_years: 2,
            earliest_removal_years: None,
            removal_conditions: s("被执行人已履行生效法律文书确定的义务或者人民法院已执行完毕，当事人达成执行和解协议且已履行完毕，申请执行人书面申请删除且人民法院审查同意，以及法释〔2017〕7号第十条规定的其他情形；纳入期限届满的，亦予删除。"),
            removal_procedure: s("由作出纳入决定的人民法院在三个工作日内删除失信信息；被执行人认为纳入有错误的，可以向该人民法院申请纠正。本平台仅同步展示人民法院公布的信息，不受理删除申请。"),
            mirrored: true,
            mirror_contact: Some(s("作出纳入决定的执行法院；中国执行信息公开网（zxgk.court.gov.cn）")),
        },
        SeriousDomain {
            code: s("tax_major_violation"),
            name: s("重大税收违法失信主体名单"),
            list_basis: s("《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）"),
            standard_basis: s("《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）第二章"),
            listing_authority: s("税务机关"),
            // Publication ends when three years from publication are full.
            listing_years: 3,
            // Early stop of publication needs no waiting time once taxes,
            // late fees and fines are paid in full (to be confirmed against
            // the order's chapter on 提前停止公布).
            earliest_removal_years: Some(0),
            removal_conditions: s("按照税务处理决定书、税务行政处罚决定书缴清税款、滞纳金和罚款，或者经人民法院宣告破产等国家税务总局令第54号规定的情形；信息公布满三年的，停止公布。"),
            removal_procedure: s("当事人向作出失信主体确定决定的税务机关提出申请，税务机关核实后决定是否提前停止公布，并在信用网站同步停止公示。"),
            mirrored: false,
            mirror_contact: None,
        },
        SeriousDomain {
            code: s("market_serious_violation"),
            name: s("市场监督管理严重违法失信名单"),
            list_basis: s("《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）"),
            standard_basis: s("《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第二条至第十一条"),
            listing_authority: s("县级以上市场监督管理部门"),
            listing_years: 3,
            earliest_removal_years: Some(1),
            removal_conditions: s("列入严重违法失信名单满一年，且同时符合下列条件的，可以申请提前移出：（一）已经自觉履行行政处罚决定中规定的义务；（二）已经主动消除危害后果和不良影响；（三）未再受到市场监督管理部门较重行政处罚。列入满三年的，予以移出。"),
            removal_procedure: s("当事人向作出列入决定的市场监督管理部门提出申请，市场监督管理部门自收到申请之日起二十个工作日内核实并决定是否移出，自移出决定作出之日起三个工作日内停止公示。以隐瞒真实情况、弄虚作假等不正当手段取得移出的，撤销移出决定，恢复列入。"),
            mirrored: false,
            mirror_contact: None,
        },
        SeriousDomain {
            code: s("wage_arrears"),
            name: s("拖欠农民工工资失信联合惩戒对象名单"),
            list_basis: s("《保障农民工工资支付条例》；《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）"),
            standard_basis: s("《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）第五条"),
            listing_authority: s("县级以上人力资源社会保障行政部门"),
            listing_years: 3,
            // The order lets an entry apply for early removal some months
            // after correcting the arrears (six months, to be confirmed);
            // the domain counts whole years, so one year is kept until the
            // figure is confirmed.
            earliest_removal_years: Some(1),
            removal_conditions: s("已经改正拖欠农民工工资违法行为、作出不再拖欠农民工工资的书面信用承诺，且在规定期间内未再发生拖欠农民工工资行为的，可以申请提前移出；列入期限届满的，予以移出。"),
            removal_procedure: s("当事人向作出列入决定的人力资源社会保障行政部门提出申请，该部门核实后决定是否提前移出，并在信用网站同步停止公示。"),
            mirrored: false,
            mirror_contact: None,
        },
        SeriousDomain {
            code: s("work_safety"),
            name: s("安全生产严重失信主体名单"),
            list_basis: s("《中华人民共和国安全生产法》；《安全生产严重失信主体名单管理办法》（应急管理部令第11号）"),
            standard_basis: s("《安全生产严重失信主体名单管理办法》（应急管理部令第11号）第五条"),
            listing_authority: s("县级以上应急管理部门、矿山安全监察机构"),
            listing_years: 3,
            earliest_removal_years: Some(1),
            removal_conditions: s("列入严重失信主体名单满一年，已经履行行政处罚决定中规定的义务、主动消除危害后果或者不良影响，且未再受到应急管理部门较重行政处罚的，可以申请提前移出；列入满三年的，予以移出。"),
            removal_procedure: s("当事人向作出列入决定的应急管理部门或者矿山安全监察机构提出申请，该机关核实后决定是否提前移出，并在信用网站同步停止公示。以隐瞒真实情况、弄虚作假等不正当手段取得移出的，撤销移出决定，恢复列入。"),
            mirrored: false,
            mirror_contact: None,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn market() -> SeriousDomain {
        national_domains()
            .into_iter()
            .find(|x| x.code == "market_serious_violation")
            .expect("seeded")
    }

    fn form() -> NewSeriousDomain {
        NewSeriousDomain::from(&market())
    }

    fn errors_of(f: &NewSeriousDomain) -> Vec<(&'static str, String)> {
        f.check().expect_err("should be refused")
    }

    fn fields(f: &NewSeriousDomain) -> Vec<&'static str> {
        errors_of(f).into_iter().map(|(field, _)| field).collect()
    }

    #[test]
    fn demo_domains_pass_their_own_check() {
        let all = national_domains();
        assert_eq!(all.len(), 5);
        for dom in &all {
            let checked = NewSeriousDomain::from(dom).check();
            assert_eq!(checked.as_ref(), Ok(dom), "{}", dom.code);
            assert!(cites_document(&dom.list_basis), "{}", dom.code);
        }
        let mut codes: Vec<&str> = all.iter().map(|x| x.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 5);
        // Only the court list is mirrored, and it has no early removal.
        let mirrored: Vec<&str> = all
            .iter()
            .filter(|x| x.mirrored)
            .map(|x| x.code.as_str())
            .collect();
        assert_eq!(mirrored, ["court_dishonest_debtor"]);
        assert!(all
            .iter()
            .filter(|x| x.mirrored)
            .all(|x| !x.allows_early_removal()));
        // The two orders DOMAIN.md §11 names: three years, removal after one.
        for code in ["market_serious_violation", "work_safety"] {
            let x = all.iter().find(|x| x.code == code).expect("seeded");
            assert_eq!((x.listing_years, x.earliest_removal_years), (3, Some(1)));
        }
    }

    #[test]
    fn citations() {
        for ok in [
            "《市场监督管理严重违法失信名单管理办法》",
            "国办发〔2020〕49号",
            "国办发[2020]49号",
            "国办发［２０２０］４９号",
            "国办发【2020】49号",
            "国家市场监督管理总局令第44号",
            "应急管理部令第十一号",
            "依据 法释〔2017〕7号 第一条",
        ] {
            assert!(cites_document(ok), "{ok}");
        }
        for bad in [
            "",
            "有关规定",
            "市场监管总局文件",
            "《》",
            "《未闭合",
            "〔2020〕号",
            "〔20〕49号",
            "〔2020〕49",
            "令第号",
            "第44号",
            "(2020)49号",
        ] {
            assert!(!cites_document(bad), "{bad}");
        }
    }

    #[test]
    fn basis_without_a_document_is_refused_with_the_example() {
        let mut f = form();
        f.list_basis = "本市有关规定".into();
        let errs = errors_of(&f);
        assert_eq!(errs, vec![("list_basis", BASIS_MUST_CITE.to_string())]);
        assert!(BASIS_MUST_CITE.contains("国家市场监督管理总局令第44号"));
        let mut f = form();
        f.standard_basis = "参照执行".into();
        assert_eq!(fields(&f), ["standard_basis"]);
    }

    #[test]
    fn codes() {
        for ok in [
            "ab",
            "market_serious",
            "a1_",
            &format!("a{}", "b".repeat(39)),
        ] {
            assert!(is_domain_code(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "1ab",
            "_ab",
            "Ab",
            "a-b",
            "a b",
            "市场",
            &"a".repeat(41),
        ] {
            assert!(!is_domain_code(bad), "{bad}");
        }
        let mut f = form();
        f.code = "Market".into();
        assert_eq!(fields(&f), ["code"]);
        f.code = "  ".into();
        assert_eq!(errors_of(&f), vec![("code", "请填写领域代码".to_string())]);
        f.code = " market_x ".into();
        assert_eq!(f.check().map(|x| x.code), Ok("market_x".to_string()));
    }

    #[test]
    fn every_text_is_required_and_bounded() {
        type Setter = fn(&mut NewSeriousDomain, String);
        let setters: [(&str, Setter, usize); 6] = [
            ("name", |f, v| f.name = v, MAX_NAME_CHARS),
            ("list_basis", |f, v| f.list_basis = v, MAX_BASIS_CHARS),
            (
                "standard_basis",
                |f, v| f.standard_basis = v,
                MAX_BASIS_CHARS,
            ),
            (
                "listing_authority",
                |f, v| f.listing_authority = v,
                MAX_AUTHORITY_CHARS,
            ),
            (
                "removal_conditions",
                |f, v| f.removal_conditions = v,
                MAX_REMOVAL_CHARS,
            ),
            (
                "removal_procedure",
                |f, v| f.removal_procedure = v,
                MAX_REMOVAL_CHARS,
            ),
        ];
        for (field, set, limit) in setters {
            let mut f = form();
            set(&mut f, " \u{3000} ".into());
            assert_eq!(fields(&f), [field], "{field} empty");
            assert!(errors_of(&f)[0].1.starts_with("请填写"), "{field}");
            // Exactly at the limit passes (a citation keeps the bases valid).
            let at_limit = format!("《规定》{}", "字".repeat(limit - 4));
            let mut f = form();
            set(&mut f, at_limit);
            assert!(f.check().is_ok(), "{field} at limit");
            let over = format!("《规定》{}", "字".repeat(limit - 3));
            let mut f = form();
            set(&mut f, over);
            assert_eq!(fields(&f), [field], "{field} over");
            assert!(errors_of(&f)[0].1.contains(&limit.to_string()));
        }
    }

    #[test]
    fn listing_years_and_early_removal() {
        let mut f = form();
        for bad in ["", "0", "11", "三", "-1", "1.5"] {
            f.listing_years = bad.into();
            assert_eq!(fields(&f), ["listing_years"], "{bad}");
        }
        f.listing_years = "１０".into();
        assert_eq!(f.check().map(|x| x.listing_years), Ok(10));
        f.listing_years = "3".into();
        f.earliest_removal_years = "4".into();
        let errs = errors_of(&f);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].0, "earliest_removal_years");
        assert!(errs[0].1.contains("（3 年）"), "{}", errs[0].1);
        f.earliest_removal_years = "3".into();
        assert_eq!(f.check().map(|x| x.earliest_removal_years), Ok(Some(3)));
        f.earliest_removal_years = "0".into();
        assert_eq!(f.check().map(|x| x.earliest_removal_years), Ok(Some(0)));
        f.earliest_removal_years = " ".into();
        assert_eq!(f.check().map(|x| x.earliest_removal_years), Ok(None));
        f.earliest_removal_years = "x".into();
        assert_eq!(fields(&f), ["earliest_removal_years"]);
    }

    #[test]
    fn mirrored_lists_need_a_contact_and_no_early_removal() {
        let mut f = form();
        f.mirrored = true;
        f.mirror_contact = String::new();
        // Contact missing and early removal set: both refused.
        assert_eq!(fields(&f), ["mirror_contact", "earliest_removal_years"]);
        f.earliest_removal_years = String::new();
        assert_eq!(fields(&f), ["mirror_contact"]);
        f.mirror_contact = "某某区人民法院".into();
        let ok = f.check().expect("valid");
        assert_eq!(ok.mirror_contact.as_deref(), Some("某某区人民法院"));
        assert_eq!(ok.earliest_removal(d(2026, 1, 1)), None);
        f.mirror_contact = "院".repeat(MAX_CONTACT_CHARS + 1);
        assert_eq!(fields(&f), ["mirror_contact"]);
        // A contact on a list the departments keep is refused.
        let mut f = form();
        f.mirror_contact = "某某区人民法院".into();
        assert_eq!(fields(&f), ["mirror_contact"]);
    }

    #[test]
    fn periods_follow_the_civil_code() {
        let m = market();
        // Listed 2026-11-30: on the list through 2029-11-30; early removal
        // once the first year is full, i.e. from 2027-12-01.
        assert_eq!(m.listing_ends(d(2026, 11, 30)), d(2029, 11, 30));
        assert_eq!(m.earliest_removal(d(2026, 11, 30)), Some(d(2027, 12, 1)));
        // Leap day: no 29 February in 2025 or 2027.
        assert_eq!(m.listing_ends(d(2024, 2, 29)), d(2027, 2, 28));
        assert_eq!(m.earliest_removal(d(2024, 2, 29)), Some(d(2025, 3, 1)));
        // End of a month.
        assert_eq!(m.earliest_removal(d(2025, 12, 31)), Some(d(2027, 1, 1)));
        let none = SeriousDomain {
            earliest_removal_years: None,
            ..m.clone()
        };
        assert_eq!(none.earliest_removal(d(2026, 1, 1)), None);
        let any_time = SeriousDomain {
            earliest_removal_years: Some(0),
            ..m.clone()
        };
        assert_eq!(
            any_time.earliest_removal(d(2026, 1, 5)),
            Some(d(2026, 1, 5))
        );
        // No panic at the end of the date range.
        assert_eq!(m.listing_ends(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(m.earliest_removal(NaiveDate::MAX), Some(NaiveDate::MAX));
    }

    proptest! {
        #[test]
        fn earliest_removal_lies_inside_the_period(
            days in 0u64..1100,
            years in 1u32..=10,
            early in 0u32..=10,
        ) {
            let listed = d(2025, 1, 1).checked_add_days(Days::new(days)).expect("in range");
            let dom = SeriousDomain { listing_years: years, earliest_removal_years: Some(early.min(years)), ..market() };
            let end = dom.listing_ends(listed);
            prop_assert_eq!(end, period_end(listed, years * 12));
            let first = dom.earliest_removal(listed).expect("allowed");
            prop_assert!(first >= listed);
            // Never before the given number of whole years is over.
            if early > 0 {
                prop_assert!(first > period_end(listed, early.min(years) * 12));
            }
            prop_assert!(first <= next_day(end));
        }

        #[test]
        fn check_never_panics(
            code in "\\PC{0,45}", text in "\\PC{0,30}", years in "\\PC{0,4}",
            early in "\\PC{0,4}", mirrored in any::<bool>(),
        ) {
            let f = NewSeriousDomain {
                code, name: text.clone(), list_basis: text.clone(),
                standard_basis: text.clone(), listing_authority: text.clone(),
                listing_years: years, earliest_removal_years: early,
                removal_conditions: text.clone(), removal_procedure: text.clone(),
                mirrored, mirror_contact: text.clone(),
            };
            if let Ok(dom) = f.check() {
                prop_assert!(LISTING_YEARS.contains(&dom.listing_years));
                prop_assert!(dom.earliest_removal_years.is_none_or(|e| e <= dom.listing_years));
                prop_assert!(!(dom.mirrored && dom.earliest_removal_years.is_some()));
                prop_assert!(cites_document(&dom.list_basis));
            }
        }
    }
}
