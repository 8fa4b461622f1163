//! Penalty sheets (行政处罚): the columns and the checks of one row.

use chrono::NaiveDate;

use super::cells::{Cells, SubjectColumns};
use super::{
    col, refuse, Authority, Column, Refusal, SheetKind, SubjectFields, CATALOG_ITEM, CONSENT_REF,
    PERSONAL_BASIS,
};
use crate::domain::publication::{PublicationRule, Tier};
use crate::domain::{DocumentNumber, Fen};

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
    col(PERSONAL_BASIS, "个人信息处理依据", false),
    col(CONSENT_REF, "个人信息同意书编号", false),
    col(CATALOG_ITEM, "目录项编码", true),
];

pub(super) const SUBJECT: SubjectColumns = SubjectColumns {
    name: "CF_XDR_MC",
    kind: "CF_XDR_LB",
    credit_code: "CF_XDR_SHXYM",
    id_number: "CF_XDR_ZJHM",
    representative: "CF_FRDB",
    representative_id: "CF_FR_ZJHM",
    personal_basis: PERSONAL_BASIS,
    consent_ref: CONSENT_REF,
};

/// A penalty row that passed the checks of this module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PenaltyRow {
    pub subject: SubjectFields,
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
    pub authority: Authority,
    pub source_code: Option<String>,
    pub note: Option<String>,
    pub catalog_item: String,
}

/// Words that mark a decision taken under the simple procedure (简易程序),
/// which is never public credit information (DOMAIN.md §2).
fn is_simple_procedure(texts: &[&str]) -> bool {
    texts
        .iter()
        .any(|t| t.contains("简易程序") || t.contains("当场处罚"))
}

/// Checks a penalty row given as `value(code)`. `warnings` collects what
/// is accepted with a caution.
pub fn check_penalty_row(
    value: impl Fn(&str) -> Option<String>,
    today: NaiveDate,
    warnings: &mut Vec<String>,
) -> Result<PenaltyRow, Refusal> {
    let cells = Cells::new(value);
    let subject = cells.subject(&SUBJECT, warnings)?;
    let doc_raw = cells.required("CF_WSH")?;
    let doc_no = DocumentNumber::parse(&doc_raw)
        .map_err(|e| refuse("CF_WSH", format!("决定书文号有误：{e}")))?
        .as_str()
        .to_string();
    let violation_type = cells.required("CF_WFXW")?;
    let facts = cells.required("CF_SY")?;
    let basis = cells.required("CF_YJ")?;
    let categories_raw = cells.required("CF_CFLB")?;
    let categories: Vec<String> = categories_raw
        .split(['、', ',', '，', ';', '；', '/'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let content = cells.required("CF_NR")?;
    let note = cells.get("BZ");
    if is_simple_procedure(&[&categories_raw, &content, note.as_deref().unwrap_or("")]) {
        return Err(refuse(
            "CF_CFLB",
            "简易程序作出的处罚不属于公共信用信息，不予归集",
        ));
    }
    let amount = |code: &'static str| -> Result<Option<Fen>, Refusal> {
        match cells.get(code) {
            None => Ok(None),
            Some(raw) => Fen::from_wanyuan_str(&raw)
                .map(Some)
                .map_err(|e| refuse(code, format!("金额“{raw}”不是有效数字（单位万元）：{e}"))),
        }
    };
    let fine = amount("CF_NR_FK")?;
    let confiscated = amount("CF_NR_WFFF")?;
    let decision_date = cells.decision_date("CF_JDRQ", today)?;
    let valid_until = cells.date("CF_YXQ")?;
    let authority = cells.authority(SheetKind::Penalty)?;
    let catalog_item = cells.required(CATALOG_ITEM)?;
    Ok(PenaltyRow {
        subject,
        doc_no,
        violation_type,
        facts,
        basis,
        categories,
        content,
        fine,
        confiscated,
        license_action: cells.get("CF_NR_ZKDX"),
        decision_date,
        valid_until,
        authority,
        source_code: cells.get("CF_SJLYDM"),
        note,
        catalog_item,
    })
}

/// Warnings alone for minor violations are not public credit information.
pub(super) fn tier_refusal(row: &PenaltyRow, rule: &PublicationRule) -> Option<Refusal> {
    let warning_only = !row.categories.is_empty() && row.categories.iter().all(|c| c == "警告");
    (warning_only && rule.tier == Tier::Minor)
        .then(|| refuse("CF_CFLB", "仅给予警告的轻微违法行为不予公示，不予归集"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PersonalBasis;
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
        row.insert("CF_FRDB", "李某".into());
        row.remove("CF_XDR_SHXYM");
        assert_eq!(check(&row).unwrap_err().column, "CF_XDR_ZJHM");
        row.insert("CF_XDR_ZJHM", "110105194912310021".into());
        assert!(check(&row).unwrap_err().reason.contains("身份证号码有误"));
        row.insert("CF_XDR_ZJHM", "11010519491231002X".into());
        row.insert(PERSONAL_BASIS, "法定职责".into());
        let subject = check(&row).unwrap().subject;
        assert_eq!(subject.id_number.as_deref(), Some("11010519491231002X"));
        assert_eq!(subject.personal_basis, Some(PersonalBasis::StatutoryDuty));
        // A natural person has no legal representative; the name is not kept.
        assert_eq!(subject.representative, None);
    }

    #[test]
    fn a_natural_persons_row_needs_its_legal_basis_or_consent() {
        let mut row = good();
        row.insert("CF_XDR_LB", "自然人".into());
        row.remove("CF_XDR_SHXYM");
        row.insert("CF_XDR_ZJHM", "11010519491231002X".into());
        // Neither: refused, naming the basis column and both ways to fill it.
        let refusal = check(&row).unwrap_err();
        assert_eq!(refusal.column, PERSONAL_BASIS);
        assert_eq!(refusal.column_name, "个人信息处理依据");
        assert!(refusal.reason.contains("法定职责"), "{refusal:?}");
        // Consent without its reference: the reference column is named.
        row.insert(PERSONAL_BASIS, "同意".into());
        let refusal = check(&row).unwrap_err();
        assert_eq!(refusal.column, CONSENT_REF);
        assert_eq!(refusal.column_name, "个人信息同意书编号");
        row.insert(CONSENT_REF, "鹤市监同〔2026〕3号".into());
        assert_eq!(
            check(&row).unwrap().subject.personal_basis,
            Some(PersonalBasis::Consent("鹤市监同〔2026〕3号".into()))
        );
        // An organisation's row needs neither, and keeps neither.
        let mut org = good();
        org.insert(PERSONAL_BASIS, "同意".into());
        assert_eq!(check(&org).unwrap().subject.personal_basis, None);
    }
}
