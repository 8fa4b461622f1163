//! Licence sheets (行政许可): the columns and the checks of one row.

use chrono::NaiveDate;

use super::cells::{Cells, SubjectColumns};
use super::{
    col, refuse, Authority, Column, Refusal, SheetKind, SubjectFields, CATALOG_ITEM, CONSENT_REF,
    PERSONAL_BASIS,
};
use crate::domain::DocumentNumber;

/// The columns of a licence sheet (DOMAIN.md §5). Mandatory: what a
/// licence cannot be published without.
pub const LICENSE_COLUMNS: &[Column] = &[
    col("XK_XDR_MC", "行政相对人名称", true),
    col("XK_XDR_LB", "行政相对人类别", true),
    col("XK_XDR_SHXYM", "统一社会信用代码", false),
    col("XK_XDR_GSZC", "工商注册号", false),
    col("XK_XDR_ZZJG", "组织机构代码", false),
    col("XK_XDR_SWDJ", "税务登记号", false),
    col("XK_XDR_SYDW", "事业单位证书号", false),
    col("XK_XDR_SHZZ", "社会组织登记证号", false),
    col("XK_FRDB", "法定代表人", false),
    col("XK_FR_ZJLX", "法定代表人证件类型", false),
    col("XK_FR_ZJHM", "法定代表人证件号码", false),
    col("XK_XDR_ZJLX", "证件类型", false),
    col("XK_XDR_ZJHM", "证件号码", false),
    col("XK_XKWS", "行政许可决定文书名称", true),
    col("XK_WSH", "行政许可决定文书号", true),
    col("XK_XKLB", "许可类别", true),
    col("XK_XKZS", "许可证书名称", false),
    col("XK_XKBH", "许可编号", false),
    col("XK_NR", "许可内容", true),
    col("XK_JDRQ", "许可决定日期", true),
    col("XK_YXQZ", "有效期自", true),
    col("XK_YXQZI", "有效期至", false),
    col("XK_XKJG", "许可机关", true),
    col("XK_XKJGDM", "许可机关统一社会信用代码", true),
    col("XK_ZT", "当前状态", false),
    col("XK_LYDW", "数据来源单位", false),
    col("XK_LYDWDM", "数据来源单位统一社会信用代码", false),
    col("BZ", "备注", false),
    col(PERSONAL_BASIS, "个人信息处理依据", false),
    col(CONSENT_REF, "个人信息同意书编号", false),
    col(CATALOG_ITEM, "目录项编码", true),
];

/// The national licence categories (XK_XKLB).
pub const LICENSE_CATEGORIES: [&str; 6] = ["普通", "特许", "认可", "核准", "登记", "其他"];

/// The states a licence may be in (XK_ZT); the national codes 1 and 2
/// stand for the first two.
pub const LICENSE_STATES: [&str; 7] = ["有效", "无效", "撤销", "撤回", "注销", "吊销", "过期"];

pub(super) const SUBJECT: SubjectColumns = SubjectColumns {
    name: "XK_XDR_MC",
    kind: "XK_XDR_LB",
    credit_code: "XK_XDR_SHXYM",
    id_number: "XK_XDR_ZJHM",
    representative: "XK_FRDB",
    representative_id: "XK_FR_ZJHM",
    personal_basis: PERSONAL_BASIS,
    consent_ref: CONSENT_REF,
};

/// A licence row that passed the checks of this module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LicenseRow {
    pub subject: SubjectFields,
    pub doc_name: String,
    pub doc_no: String,
    pub category: String,
    pub cert_name: Option<String>,
    pub cert_no: Option<String>,
    pub content: String,
    pub decision_date: NaiveDate,
    pub valid_from: NaiveDate,
    /// `None`: without end (长期).
    pub valid_to: Option<NaiveDate>,
    pub authority: Authority,
    /// One of [`LICENSE_STATES`]; 有效 when the sheet leaves it blank.
    pub state: String,
    pub note: Option<String>,
    pub catalog_item: String,
}

/// The category as written (`普通` or `普通许可`), if it is one.
fn category(raw: &str) -> Option<&'static str> {
    let bare = raw.trim_end_matches("许可");
    LICENSE_CATEGORIES.into_iter().find(|c| *c == bare)
}

/// The state as written (`有效`, `已注销`, or the codes 1 and 2), if it is one.
fn state(raw: &str) -> Option<&'static str> {
    match raw {
        "1" => return Some("有效"),
        "2" => return Some("无效"),
        _ => {}
    }
    let bare = raw.trim_start_matches('已');
    LICENSE_STATES.into_iter().find(|s| *s == bare)
}

/// Checks a licence row given as `value(code)`. `warnings` collects what
/// is accepted with a caution.
pub fn check_license_row(
    value: impl Fn(&str) -> Option<String>,
    today: NaiveDate,
    warnings: &mut Vec<String>,
) -> Result<LicenseRow, Refusal> {
    let cells = Cells::new(value);
    let subject = cells.subject(&SUBJECT, warnings)?;
    let doc_name = cells.required("XK_XKWS")?;
    let doc_raw = cells.required("XK_WSH")?;
    let doc_no = DocumentNumber::parse(&doc_raw)
        .map_err(|e| refuse("XK_WSH", format!("行政许可决定文书号有误：{e}")))?
        .as_str()
        .to_string();
    let category_raw = cells.required("XK_XKLB")?;
    let category = category(&category_raw).ok_or_else(|| {
        refuse(
            "XK_XKLB",
            format!(
                "“{category_raw}”不是有效的许可类别，应为 {} 之一",
                LICENSE_CATEGORIES.join("、")
            ),
        )
    })?;
    let content = cells.required("XK_NR")?;
    let decision_date = cells.decision_date("XK_JDRQ", today)?;
    let valid_from = cells.required_date("XK_YXQZ")?;
    let valid_to = cells.date("XK_YXQZI")?;
    if let Some(to) = valid_to {
        if to < valid_from {
            return Err(refuse(
                "XK_YXQZI",
                format!("有效期至 {to} 早于有效期自 {valid_from}，请核对；长期有效请留空"),
            ));
        }
    }
    let authority = cells.authority(SheetKind::License)?;
    let state = match cells.get("XK_ZT") {
        None => "有效",
        Some(raw) => state(&raw).ok_or_else(|| {
            refuse(
                "XK_ZT",
                format!(
                    "“{raw}”不是有效的当前状态，应为 {} 之一（或 1 有效、2 无效）",
                    LICENSE_STATES.join("、")
                ),
            )
        })?,
    };
    let catalog_item = cells.required(CATALOG_ITEM)?;
    Ok(LicenseRow {
        subject,
        doc_name,
        doc_no,
        category: category.to_string(),
        cert_name: cells.get("XK_XKZS"),
        cert_no: cells.get("XK_XKBH"),
        content,
        decision_date,
        valid_from,
        valid_to,
        authority,
        state: state.to_string(),
        note: cells.get("BZ"),
        catalog_item,
    })
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
            ("XK_XDR_MC", "鹤岗市某某食品有限公司（演示）"),
            ("XK_XDR_LB", "法人及非法人组织"),
            ("XK_XDR_SHXYM", "914403001922038216"),
            ("XK_XKWS", "准予行政许可决定书"),
            ("XK_WSH", "鹤市监许〔2026〕88号"),
            ("XK_XKLB", "普通"),
            ("XK_XKZS", "食品经营许可证"),
            ("XK_XKBH", "JY12304000000001"),
            ("XK_NR", "预包装食品销售"),
            ("XK_JDRQ", "2026-03-02"),
            ("XK_YXQZ", "2026-03-02"),
            ("XK_YXQZI", "2031-03-01"),
            ("XK_XKJG", "鹤岗市市场监督管理局"),
            ("XK_XKJGDM", "11230400MB0000000X"),
            (CATALOG_ITEM, "scjg-license"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
    }

    fn check(row: &HashMap<&'static str, String>) -> Result<LicenseRow, Refusal> {
        let mut warnings = Vec::new();
        check_license_row(|c| row.get(c).cloned(), today(), &mut warnings)
    }

    #[test]
    fn a_good_row_passes_with_its_values_normalised() {
        let mut row = good();
        row.insert("XK_XKLB", "核准许可".into());
        row.insert("XK_ZT", "1".into());
        let l = check(&row).unwrap();
        assert_eq!(l.category, "核准");
        assert_eq!(l.state, "有效");
        assert_eq!(l.valid_to, NaiveDate::from_ymd_opt(2031, 3, 1));
        row.remove("XK_ZT");
        row.remove("XK_YXQZI");
        let l = check(&row).unwrap();
        assert_eq!((l.state.as_str(), l.valid_to), ("有效", None));
        row.insert("XK_ZT", "已注销".into());
        assert_eq!(check(&row).unwrap().state, "注销");
    }

    #[test]
    fn each_fault_is_refused_with_its_column() {
        let cases: Vec<(&str, &str, &str)> = vec![
            ("XK_WSH", "", "XK_WSH"),
            ("XK_XKWS", " ", "XK_XKWS"),
            ("XK_XDR_SHXYM", "9144030019220382I6", "XK_XDR_SHXYM"),
            ("XK_XDR_LB", "企业", "XK_XDR_LB"),
            ("XK_XKLB", "特殊", "XK_XKLB"),
            ("XK_JDRQ", "2027-01-01", "XK_JDRQ"),
            ("XK_YXQZ", "三月", "XK_YXQZ"),
            ("XK_YXQZI", "2025-01-01", "XK_YXQZI"),
            ("XK_ZT", "暂停", "XK_ZT"),
            ("XK_XKJGDM", "123", "XK_XKJGDM"),
            (CATALOG_ITEM, "", CATALOG_ITEM),
        ];
        for (code, value, column) in cases {
            let mut row = good();
            row.insert(code, value.to_string());
            let refusal = check(&row).unwrap_err();
            assert_eq!(refusal.column, column, "{code}={value}: {refusal:?}");
            assert!(!refusal.column_name.is_empty(), "{refusal:?}");
            assert!(!refusal.reason.is_empty());
        }
    }

    #[test]
    fn natural_persons_need_a_valid_id_number() {
        let mut row = good();
        row.insert("XK_XDR_LB", "自然人".into());
        row.remove("XK_XDR_SHXYM");
        assert_eq!(check(&row).unwrap_err().column, "XK_XDR_ZJHM");
        row.insert("XK_XDR_ZJHM", "11010519491231002X".into());
        // The basis of processing the person's data is required too.
        assert_eq!(check(&row).unwrap_err().column, PERSONAL_BASIS);
        row.insert(PERSONAL_BASIS, "履行法定职责".into());
        assert!(check(&row).is_ok());
    }
}
