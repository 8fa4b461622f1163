//! Collection (归集): the rules a delivered 双公示 penalty row must meet
//! before it becomes a record (DOMAIN.md §2, §5).
//!
//! Departments deliver sheets with the national column codes (`CF_XDR_MC`
//! …) or their Chinese names as headers, in any order. This module knows
//! the columns, matches headers to them, and checks one row on its own:
//! mandatory fields, identifiers and their check characters (early pilot
//! credit codes warn instead of refusing), dates, amounts in 万元, and the
//! kinds of penalty that are never public credit information (simple
//! procedure). What needs the database — the catalog item, the importing
//! department, an existing record with the same number — is checked by the
//! importer with [`catalog_refusal`] and friends below.
//!
//! A refusal names the column (code and Chinese name) and what to fix.

use chrono::NaiveDate;

use super::publication::{PublicationRule, Tier};
use super::subject_kind::SubjectKind;
use super::{CreditCode, DocumentNumber, Fen, IdNumber};

/// One column of a penalty sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The national column code, e.g. `CF_WSH`.
    pub code: &'static str,
    /// The Chinese name, e.g. `决定书文号`.
    pub name: &'static str,
    /// Whether every row must fill it (whatever the subject kind).
    pub mandatory: bool,
}

const fn col(code: &'static str, name: &'static str, mandatory: bool) -> Column {
    Column {
        code,
        name,
        mandatory,
    }
}

/// The catalog item a row belongs to: not a national column, so the
/// platform names it (the item codes are listed at `/admin/catalog`).
pub const CATALOG_ITEM: &str = "ML_BM";

/// The columns of a penalty sheet. Which fields are mandatory nationally
/// is unconfirmed (DOMAIN.md §5); these are the ones a record cannot be
/// published or repaired without.
pub const PENALTY_COLUMNS: &[Column] = &[
    col("CF_XDR_MC", "行政相对人名称", true),
    col("CF_XDR_LB", "行政相对人类别", true),
    col("CF_XDR_SHXYM", "统一社会信用代码", false),
    col("CF_XDR_GSZC", "工商注册号", false),
    col("CF_XDR_ZZJG", "组织机构代码", false),
    col("CF_XDR_SWDJ", "税务登记号", false),
    col("CF_XDR_SYDW", "事业单位证书号", false),
    col("CF_XDR_SHZZ", "社会组织登记证号", false),
    col("CF_FRDB", "法定代表人", false),
    col("CF_FR_ZJLX", "法定代表人证件类型", false),
    col("CF_FR_ZJHM", "法定代表人证件号码", false),
    col("CF_XDR_ZJLX", "证件类型", false),
    col("CF_XDR_ZJHM", "证件号码", false),
    col("CF_WSH", "决定书文号", true),
    col("CF_WFXW", "违法行为类型", true),
    col("CF_SY", "违法事实", true),
    col("CF_YJ", "处罚依据", true),
    col("CF_CFLB", "处罚类别", true),
    col("CF_NR", "处罚内容", true),
    col("CF_NR_FK", "罚款金额（万元）", false),
    col(
        "CF_NR_WFFF",
        "没收违法所得、没收非法财物的金额（万元）",
        false,
    ),
    col("CF_NR_ZKDX", "暂扣或吊销证照名称及编号", false),
    col("CF_JDRQ", "处罚决定日期", true),
    col("CF_YXQ", "处罚有效期", false),
    col("CF_GSJZQ", "公示截止期", false),
    col("CF_CFJG", "处罚机关", true),
    col("CF_CFJGDM", "处罚机关统一社会信用代码", true),
    col("CF_SJLY", "数据来源单位", false),
    col("CF_SJLYDM", "数据来源单位统一社会信用代码", false),
    col("BZ", "备注", false),
    col(CATALOG_ITEM, "目录项编码", true),
];

/// The column a header names: its code (any case) or its Chinese name,
/// ignoring spaces and a byte-order mark; a few common variants of the
/// names are accepted too.
pub fn column_for(header: &str) -> Option<&'static Column> {
    let h: String = header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let bare = h
        .trim_end_matches("（万元）")
        .trim_end_matches("(万元)")
        .to_string();
    PENALTY_COLUMNS.iter().find(|c| {
        c.code.eq_ignore_ascii_case(&h)
            || c.name == h
            || c.name.trim_end_matches("（万元）") == bare
            || (c.code == "CF_XDR_MC" && (h == "行政相对人" || h == "当事人名称"))
            || (c.code == "CF_JDRQ" && h == "决定日期")
    })
}

/// How a sheet's headers map to columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderMap {
    /// For each position in the sheet, its column (or `None`: ignored).
    pub positions: Vec<Option<&'static Column>>,
    /// Headers that matched nothing (reported, not fatal).
    pub unknown: Vec<String>,
}

/// Matches a header row. Missing mandatory columns, or a column named
/// twice, refuse the whole sheet with a message saying which.
pub fn map_headers(headers: &[String]) -> Result<HeaderMap, String> {
    let mut positions = Vec::with_capacity(headers.len());
    let mut unknown = Vec::new();
    for h in headers {
        let column = column_for(h);
        if let Some(c) = column {
            if positions.contains(&Some(c)) {
                return Err(format!("表头中“{}（{}）”出现了两次", c.name, c.code));
            }
        } else if !h.trim().is_empty() {
            unknown.push(h.trim_start_matches('\u{feff}').trim().to_string());
        }
        positions.push(column);
    }
    let missing: Vec<String> = PENALTY_COLUMNS
        .iter()
        .filter(|c| c.mandatory && !positions.contains(&Some(*c)))
        .map(|c| format!("{}（{}）", c.name, c.code))
        .collect();
    if !missing.is_empty() {
        return Err(format!("表头缺少必填列：{}", missing.join("、")));
    }
    Ok(HeaderMap { positions, unknown })
}

/// Why a row was refused: the column and what to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub column: &'static str,
    pub column_name: &'static str,
    pub reason: String,
}

fn refuse(code: &'static str, reason: impl Into<String>) -> Refusal {
    let column_name = PENALTY_COLUMNS
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.name)
        .unwrap_or("");
    Refusal {
        column: code,
        column_name,
        reason: reason.into(),
    }
}

/// A penalty row that passed the checks of this module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PenaltyRow {
    pub subject_kind: SubjectKind,
    pub subject_name: String,
    /// Organisations and individual businesses.
    pub credit_code: Option<String>,
    /// Natural persons. Never public.
    pub id_number: Option<String>,
    pub representative: Option<String>,
    pub doc_no: String,
    pub violation_type: String,
    pub facts: String,
    pub basis: String,
    pub categories: Vec<String>,
    pub content: String,
    pub fine: Option<Fen>,
    pub confiscated: Option<Fen>,
    pub license_action: Option<String>,
    pub decision_date: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub authority_name: String,
    pub authority_code: String,
    pub source_code: Option<String>,
    pub note: Option<String>,
    pub catalog_item: String,
}

/// Parses a date as departments write them: `2025-04-15`, `2025/4/15`,
/// `2025.4.15`, `20250415`, `2025年4月15日`, optionally with a time after it.
pub fn parse_sheet_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    let s = s.split([' ', 'T']).next().unwrap_or("");
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    let normalized: String = s
        .replace(['年', '月', '/', '.'], "-")
        .trim_end_matches('日')
        .to_string();
    let mut parts = normalized.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Words that mark a decision taken under the simple procedure (简易程序),
/// which is never public credit information (DOMAIN.md §2).
fn is_simple_procedure(texts: &[&str]) -> bool {
    texts
        .iter()
        .any(|t| t.contains("简易程序") || t.contains("当场处罚"))
}

/// Checks a row given as `value(code)` (the cell of that column, if the
/// sheet has it). `warnings` collects what is accepted with a caution.
pub fn check_penalty_row(
    value: impl Fn(&str) -> Option<String>,
    today: NaiveDate,
    warnings: &mut Vec<String>,
) -> Result<PenaltyRow, Refusal> {
    let get = |code: &str| {
        value(code)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let required = |code: &'static str| {
        get(code).ok_or_else(|| {
            let name = PENALTY_COLUMNS
                .iter()
                .find(|c| c.code == code)
                .map(|c| c.name)
                .unwrap_or(code);
            refuse(code, format!("{name}不能为空"))
        })
    };
    let subject_name = required("CF_XDR_MC")?;
    let kind_raw = required("CF_XDR_LB")?;
    let subject_kind = SubjectKind::from_label(&kind_raw).ok_or_else(|| {
        refuse(
            "CF_XDR_LB",
            format!("“{kind_raw}”不是有效的类别，应为 法人及非法人组织、个体工商户 或 自然人"),
        )
    })?;
    let (credit_code, id_number) = match subject_kind {
        SubjectKind::NaturalPerson => {
            let raw =
                get("CF_XDR_ZJHM").ok_or_else(|| refuse("CF_XDR_ZJHM", "自然人须填写证件号码"))?;
            let id = IdNumber::parse(&raw)
                .map_err(|e| refuse("CF_XDR_ZJHM", format!("身份证号码有误：{e}")))?;
            (None, Some(id.as_str().to_string()))
        }
        _ => {
            let raw = get("CF_XDR_SHXYM").ok_or_else(|| {
                refuse(
                    "CF_XDR_SHXYM",
                    "法人、非法人组织和个体工商户须填写统一社会信用代码",
                )
            })?;
            let (code, check_ok) = CreditCode::parse_lenient(&raw)
                .map_err(|e| refuse("CF_XDR_SHXYM", format!("统一社会信用代码有误：{e}")))?;
            if !check_ok {
                warnings.push(format!(
                    "统一社会信用代码 {code} 校验位不符（早期试点代码可能如此），已接收，请核实"
                ));
            }
            (Some(code.as_str().to_string()), None)
        }
    };
    let doc_raw = required("CF_WSH")?;
    let doc_no = DocumentNumber::parse(&doc_raw)
        .map_err(|e| refuse("CF_WSH", format!("决定书文号有误：{e}")))?
        .as_str()
        .to_string();
    let violation_type = required("CF_WFXW")?;
    let facts = required("CF_SY")?;
    let basis = required("CF_YJ")?;
    let categories_raw = required("CF_CFLB")?;
    let categories: Vec<String> = categories_raw
        .split(['、', ',', '，', ';', '；', '/'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let content = required("CF_NR")?;
    let note = get("BZ");
    if is_simple_procedure(&[&categories_raw, &content, note.as_deref().unwrap_or("")]) {
        return Err(refuse(
            "CF_CFLB",
            "简易程序作出的处罚不属于公共信用信息，不予归集",
        ));
    }
    let amount = |code: &'static str| -> Result<Option<Fen>, Refusal> {
        match get(code) {
            None => Ok(None),
            Some(raw) => Fen::from_wanyuan_str(&raw)
                .map(Some)
                .map_err(|e| refuse(code, format!("金额“{raw}”不是有效数字（单位万元）：{e}"))),
        }
    };
    let fine = amount("CF_NR_FK")?;
    let confiscated = amount("CF_NR_WFFF")?;
    let date = |code: &'static str| -> Result<Option<NaiveDate>, Refusal> {
        match get(code) {
            None => Ok(None),
            Some(raw) => parse_sheet_date(&raw)
                .map(Some)
                .ok_or_else(|| refuse(code, format!("日期“{raw}”无法识别，请写成 2025-04-15"))),
        }
    };
    let decision_date =
        date("CF_JDRQ")?.ok_or_else(|| refuse("CF_JDRQ", "处罚决定日期不能为空"))?;
    if decision_date > today {
        return Err(refuse(
            "CF_JDRQ",
            format!("处罚决定日期 {decision_date} 晚于今天，请核对"),
        ));
    }
    let valid_until = date("CF_YXQ")?;
    let authority_name = required("CF_CFJG")?;
    let authority_raw = required("CF_CFJGDM")?;
    let authority_code = CreditCode::parse_lenient(&authority_raw)
        .map_err(|e| refuse("CF_CFJGDM", format!("处罚机关统一社会信用代码有误：{e}")))?
        .0
        .as_str()
        .to_string();
    let source_code = get("CF_SJLYDM");
    let catalog_item = required(CATALOG_ITEM)?;
    Ok(PenaltyRow {
        subject_kind,
        subject_name,
        credit_code,
        id_number,
        representative: get("CF_FRDB"),
        doc_no,
        violation_type,
        facts,
        basis,
        categories,
        content,
        fine,
        confiscated,
        license_action: get("CF_NR_ZKDX"),
        decision_date,
        valid_until,
        authority_name,
        authority_code,
        source_code,
        note,
        catalog_item,
    })
}

/// The refusal a row gets from its catalog item's rule in force on the
/// decision date, if any: items the catalog does not publish, and warnings
/// alone for minor violations, are not public credit information.
pub fn catalog_refusal(row: &PenaltyRow, rule: &PublicationRule) -> Option<Refusal> {
    if !rule.published {
        return Some(refuse(
            CATALOG_ITEM,
            format!(
                "目录项 {} 规定该类信息不予公示（{}），不予归集",
                row.catalog_item,
                rule.tier.label()
            ),
        ));
    }
    let warning_only = !row.categories.is_empty() && row.categories.iter().all(|c| c == "警告");
    if warning_only && rule.tier == Tier::Minor {
        return Some(refuse(
            "CF_CFLB",
            "仅给予警告的轻微违法行为不予公示，不予归集",
        ));
    }
    None
}

/// The refusal for a row whose catalog item is unknown or not the
/// importing department's.
pub fn unknown_item(code: &str) -> Refusal {
    refuse(
        CATALOG_ITEM,
        format!("目录项编码“{code}”不存在或不属于本单位，请对照公共信用信息目录填写"),
    )
}

/// The refusal for a row decided by another department.
pub fn other_department(authority: &str) -> Refusal {
    refuse(
        "CF_CFJGDM",
        format!("处罚机关“{authority}”不是本单位，只能报送本单位作出的处罚"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn good() -> HashMap<&'static str, String> {
        [
            ("CF_XDR_MC", "鹤岗市某某商贸有限公司（演示）"),
            ("CF_XDR_LB", "法人及非法人组织"),
            ("CF_XDR_SHXYM", "914403001922038216"),
            ("CF_WSH", "鹤市监罚〔2025〕12号"),
            ("CF_WFXW", "销售不合格产品"),
            ("CF_SY", "经查……"),
            ("CF_YJ", "《产品质量法》第四十九条"),
            ("CF_CFLB", "罚款、没收违法所得"),
            ("CF_NR", "罚款 2 万元"),
            ("CF_NR_FK", "2"),
            ("CF_JDRQ", "2025/4/15"),
            ("CF_CFJG", "鹤岗市市场监督管理局"),
            ("CF_CFJGDM", "11230400MB0000000X"),
            (CATALOG_ITEM, "scjg-ordinary"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
    }

    fn check(row: &HashMap<&'static str, String>) -> Result<PenaltyRow, Refusal> {
        let mut warnings = Vec::new();
        check_penalty_row(|c| row.get(c).cloned(), today(), &mut warnings)
    }

    #[test]
    fn headers_by_code_or_name_in_any_order() {
        let headers: Vec<String> = PENALTY_COLUMNS
            .iter()
            .rev()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.name.to_string()
                } else {
                    c.code.to_lowercase()
                }
            })
            .chain(["\u{feff}多余列".to_string()])
            .collect();
        let map = map_headers(&headers).unwrap();
        assert_eq!(map.unknown, vec!["多余列".to_string()]);
        assert_eq!(map.positions[0].unwrap().code, CATALOG_ITEM);
        let missing = map_headers(&["CF_XDR_MC".to_string()]).unwrap_err();
        assert!(missing.contains("决定书文号（CF_WSH）"), "{missing}");
        let twice = map_headers(&["CF_WSH".into(), "决定书文号".into()]).unwrap_err();
        assert!(twice.contains("出现了两次"));
    }

    #[test]
    fn a_good_row_passes_with_its_values_normalised() {
        let row = check(&good()).unwrap();
        assert_eq!(
            row.decision_date,
            NaiveDate::from_ymd_opt(2025, 4, 15).unwrap()
        );
        assert_eq!(row.fine, Some(Fen(2_000_000)));
        assert_eq!(row.categories, vec!["罚款", "没收违法所得"]);
    }

    #[test]
    fn each_fault_is_refused_with_its_column() {
        let cases: Vec<(&str, &str, &str)> = vec![
            ("CF_WSH", "", "CF_WSH"),
            ("CF_XDR_SHXYM", "9144030019220382I6", "CF_XDR_SHXYM"),
            ("CF_XDR_LB", "公司", "CF_XDR_LB"),
            ("CF_NR_FK", "两万", "CF_NR_FK"),
            ("CF_JDRQ", "2027-01-01", "CF_JDRQ"),
            ("CF_JDRQ", "去年", "CF_JDRQ"),
            ("CF_CFLB", "警告（简易程序）", "CF_CFLB"),
        ];
        for (code, value, column) in cases {
            let mut row = good();
            row.insert(code, value.to_string());
            let refusal = check(&row).unwrap_err();
            assert_eq!(refusal.column, column, "{code}={value}: {refusal:?}");
            assert!(!refusal.reason.is_empty());
        }
    }

    #[test]
    fn an_early_pilot_code_is_taken_with_a_warning() {
        let mut row = good();
        row.insert("CF_XDR_SHXYM", "91440300192203821X".into());
        let mut warnings = Vec::new();
        let taken = check_penalty_row(|c| row.get(c).cloned(), today(), &mut warnings);
        assert!(taken.is_ok());
        assert!(warnings[0].contains("校验位不符"), "{warnings:?}");
    }

    #[test]
    fn natural_persons_need_a_valid_id_number() {
        let mut row = good();
        row.insert("CF_XDR_LB", "自然人".into());
        row.remove("CF_XDR_SHXYM");
        assert_eq!(check(&row).unwrap_err().column, "CF_XDR_ZJHM");
        row.insert("CF_XDR_ZJHM", "110105194912310021".into());
        assert!(check(&row).unwrap_err().reason.contains("身份证号码有误"));
        row.insert("CF_XDR_ZJHM", "11010519491231002X".into());
        assert_eq!(
            check(&row).unwrap().id_number.as_deref(),
            Some("11010519491231002X")
        );
    }

    #[test]
    fn dates_in_the_ways_departments_write_them() {
        let d = NaiveDate::from_ymd_opt(2025, 4, 15);
        for raw in [
            "2025-04-15",
            "2025/4/15",
            "2025.4.15",
            "20250415",
            "2025年4月15日",
            "2025-04-15 00:00:00",
        ] {
            assert_eq!(parse_sheet_date(raw), d, "{raw}");
        }
        assert_eq!(parse_sheet_date("2025-02-30"), None);
        assert_eq!(parse_sheet_date("15/04/2025"), None);
    }
}
