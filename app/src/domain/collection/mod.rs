//! Collection (归集): the rules a delivered 双公示 row — a penalty or a
//! licence — must meet before it becomes a record (DOMAIN.md §2, §5).
//!
//! Departments deliver sheets with the national column codes (`CF_XDR_MC`,
//! `XK_XDR_MC` …) or their Chinese names as headers, in any order. This
//! module knows the columns of both kinds of sheet, tells which kind a
//! header row is, matches headers to columns, and checks one row on its
//! own: mandatory fields, identifiers and their check characters (early
//! pilot credit codes warn instead of refusing), dates, amounts in 万元.
//! What needs the database — the catalog item, the importing department,
//! an existing record with the same number — is checked by the importer
//! with [`catalog_refusal`] and friends below.
//!
//! A refusal names the column (code and Chinese name) and what to fix.
//! The penalty columns and checks are in [`penalty`], the licence ones in
//! [`license`]; what both share (subject, dates, authority) is here.

mod cells;
pub mod license;
pub mod penalty;

use chrono::NaiveDate;

use super::personal_basis::PersonalBasis;
use super::publication::PublicationRule;
use super::subject_kind::SubjectKind;
use crate::model::RecordKind;

pub use license::{check_license_row, LicenseRow, LICENSE_CATEGORIES, LICENSE_COLUMNS};
pub use penalty::{check_penalty_row, PenaltyRow, PENALTY_COLUMNS};

/// One column of a sheet.
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

/// The legal basis of processing a natural person's data (法定职责 / 同意),
/// and the consent's reference: platform columns too, required of a
/// natural person's row ([`crate::domain::personal_basis`]).
pub const PERSONAL_BASIS: &str = "GRXX_YJ";
pub const CONSENT_REF: &str = "GRXX_TYBH";

/// The two kinds of 双公示 sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetKind {
    Penalty,
    License,
}

impl SheetKind {
    pub const ALL: [SheetKind; 2] = [SheetKind::Penalty, SheetKind::License];

    pub fn columns(self) -> &'static [Column] {
        match self {
            SheetKind::Penalty => PENALTY_COLUMNS,
            SheetKind::License => LICENSE_COLUMNS,
        }
    }

    pub fn record_kind(self) -> RecordKind {
        match self {
            SheetKind::Penalty => RecordKind::Penalty,
            SheetKind::License => RecordKind::License,
        }
    }

    /// The kind a catalog item's records are, if a sheet can deliver them.
    pub fn of_record(kind: RecordKind) -> Option<SheetKind> {
        SheetKind::ALL.into_iter().find(|k| k.record_kind() == kind)
    }

    /// 行政处罚 / 行政许可.
    pub fn label(self) -> &'static str {
        self.record_kind().label()
    }

    /// The column of the decision's document number, which identifies a
    /// record within its department (a repeat is a correction).
    pub fn doc_column(self) -> &'static str {
        match self {
            SheetKind::Penalty => "CF_WSH",
            SheetKind::License => "XK_WSH",
        }
    }

    /// The column of the subject's name, which for a natural person or an
    /// individual business is personal data.
    pub fn subject_name_column(self) -> &'static str {
        match self {
            SheetKind::Penalty => penalty::SUBJECT.name,
            SheetKind::License => license::SUBJECT.name,
        }
    }

    /// The columns of the deciding authority's name and credit code, and
    /// what the authority is called.
    pub fn authority_columns(self) -> (&'static str, &'static str, &'static str) {
        match self {
            SheetKind::Penalty => ("CF_CFJG", "CF_CFJGDM", "处罚机关"),
            SheetKind::License => ("XK_XKJG", "XK_XKJGDM", "许可机关"),
        }
    }

    /// The kind of sheet a header row is: the one more of its headers
    /// belong to alone (columns both share, such as 行政相对人名称 or 备注,
    /// do not count). Penalty when undecided.
    pub fn detect(headers: &[String]) -> SheetKind {
        let only = |kind: SheetKind, other: SheetKind| {
            headers
                .iter()
                .filter(|h| column_for(kind, h).is_some() && column_for(other, h).is_none())
                .count()
        };
        if only(SheetKind::License, SheetKind::Penalty)
            > only(SheetKind::Penalty, SheetKind::License)
        {
            SheetKind::License
        } else {
            SheetKind::Penalty
        }
    }
}

/// The column of a `kind` sheet a header names: its code (any case) or its
/// Chinese name, ignoring spaces and a byte-order mark; a few common
/// variants of the names are accepted too.
pub fn column_for(kind: SheetKind, header: &str) -> Option<&'static Column> {
    let h: String = header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let bare = h
        .trim_end_matches("（万元）")
        .trim_end_matches("(万元)")
        .to_string();
    kind.columns().iter().find(|c| {
        c.code.eq_ignore_ascii_case(&h)
            || c.name == h
            || c.name.trim_end_matches("（万元）") == bare
            || (c.code.ends_with("_XDR_MC") && (h == "行政相对人" || h == "当事人名称"))
            || (c.code.ends_with("_JDRQ") && h == "决定日期")
    })
}

/// How a sheet's headers map to columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderMap {
    pub kind: SheetKind,
    /// For each position in the sheet, its column (or `None`: ignored).
    pub positions: Vec<Option<&'static Column>>,
    /// Headers that matched nothing (reported, not fatal).
    pub unknown: Vec<String>,
}

/// Matches a header row of a `kind` sheet. Missing mandatory columns, or a
/// column named twice, refuse the whole sheet with a message saying which.
pub fn map_headers(kind: SheetKind, headers: &[String]) -> Result<HeaderMap, String> {
    let mut positions = Vec::with_capacity(headers.len());
    let mut unknown = Vec::new();
    for h in headers {
        let column = column_for(kind, h);
        if let Some(c) = column {
            if positions.contains(&Some(c)) {
                return Err(format!("表头中“{}（{}）”出现了两次", c.name, c.code));
            }
        } else if !h.trim().is_empty() {
            unknown.push(h.trim_start_matches('\u{feff}').trim().to_string());
        }
        positions.push(column);
    }
    let missing: Vec<String> = kind
        .columns()
        .iter()
        .filter(|c| c.mandatory && !positions.contains(&Some(*c)))
        .map(|c| format!("{}（{}）", c.name, c.code))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{}表头缺少必填列：{}",
            kind.label(),
            missing.join("、")
        ));
    }
    Ok(HeaderMap {
        kind,
        positions,
        unknown,
    })
}

/// Why a row was refused: the column and what to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub column: &'static str,
    pub column_name: &'static str,
    pub reason: String,
}

/// The Chinese name of a column code of either kind of sheet.
fn column_name(code: &str) -> &'static str {
    PENALTY_COLUMNS
        .iter()
        .chain(LICENSE_COLUMNS)
        .find(|c| c.code == code)
        .map(|c| c.name)
        .unwrap_or("")
}

fn refuse(code: &'static str, reason: impl Into<String>) -> Refusal {
    Refusal {
        column: code,
        column_name: column_name(code),
        reason: reason.into(),
    }
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

/// Whom a row is about, checked: organisations and individual businesses
/// by credit code, natural persons by ID number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectFields {
    pub kind: SubjectKind,
    pub name: String,
    /// Organisations and individual businesses.
    pub credit_code: Option<String>,
    /// Natural persons. Never public.
    pub id_number: Option<String>,
    pub representative: Option<String>,
    /// The representative's (operator's) resident ID number, never public.
    pub representative_id: Option<String>,
    /// Why a natural person's data may be processed; `None` for others.
    pub personal_basis: Option<PersonalBasis>,
}

/// A checked row of either kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckedRow {
    Penalty(PenaltyRow),
    License(LicenseRow),
}

/// What the importer needs of a checked row, whatever its kind.
#[derive(Clone, Copy, Debug)]
pub struct RowKey<'a> {
    pub kind: SheetKind,
    pub doc_no: &'a str,
    pub decision_date: NaiveDate,
    pub authority_name: &'a str,
    pub authority_code: &'a str,
    pub catalog_item: &'a str,
}

impl CheckedRow {
    pub fn subject(&self) -> &SubjectFields {
        match self {
            CheckedRow::Penalty(p) => &p.subject,
            CheckedRow::License(l) => &l.subject,
        }
    }

    pub fn key(&self) -> RowKey<'_> {
        match self {
            CheckedRow::Penalty(p) => RowKey {
                kind: SheetKind::Penalty,
                doc_no: &p.doc_no,
                decision_date: p.decision_date,
                authority_name: &p.authority.name,
                authority_code: &p.authority.code,
                catalog_item: &p.catalog_item,
            },
            CheckedRow::License(l) => RowKey {
                kind: SheetKind::License,
                doc_no: &l.doc_no,
                decision_date: l.decision_date,
                authority_name: &l.authority.name,
                authority_code: &l.authority.code,
                catalog_item: &l.catalog_item,
            },
        }
    }
}

/// The deciding authority as a row names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authority {
    pub name: String,
    /// Its credit code, normalised.
    pub code: String,
}

/// Checks a row of a `kind` sheet given as `value(code)` (the cell of that
/// column, if the sheet has it). `warnings` collects what is accepted with
/// a caution.
pub fn check_row(
    kind: SheetKind,
    value: impl Fn(&str) -> Option<String>,
    today: NaiveDate,
    warnings: &mut Vec<String>,
) -> Result<CheckedRow, Refusal> {
    match kind {
        SheetKind::Penalty => check_penalty_row(value, today, warnings).map(CheckedRow::Penalty),
        SheetKind::License => check_license_row(value, today, warnings).map(CheckedRow::License),
    }
}

/// The refusal a row gets from its catalog item's rule in force on the
/// decision date, if any: items the catalog does not publish are not
/// public credit information, nor (for penalties) warnings alone for minor
/// violations.
pub fn catalog_refusal(row: &CheckedRow, rule: &PublicationRule) -> Option<Refusal> {
    if !rule.published {
        return Some(refuse(
            CATALOG_ITEM,
            format!(
                "目录项 {} 规定该类信息不予公示（{}），不予归集",
                row.key().catalog_item,
                rule.tier.label()
            ),
        ));
    }
    match row {
        CheckedRow::Penalty(p) => penalty::tier_refusal(p, rule),
        CheckedRow::License(_) => None,
    }
}

/// The refusal for a row whose catalog item is unknown, not the importing
/// department's, or of the other kind of record.
pub fn unknown_item(kind: SheetKind, code: &str) -> Refusal {
    refuse(
        CATALOG_ITEM,
        format!(
            "目录项编码“{code}”不存在、不属于本单位或不是{}目录项，请对照公共信用信息目录填写",
            kind.label()
        ),
    )
}

/// The refusal for a row decided by another department.
pub fn other_department(kind: SheetKind, authority: &str) -> Refusal {
    let (_, code, title) = kind.authority_columns();
    refuse(
        code,
        format!(
            "{title}“{authority}”不是本单位，只能报送本单位作出的{}决定",
            kind.label()
        ),
    )
}

/// The caution for a row whose identifier is registered to a subject under
/// another name: the record goes to that subject (the identifier, not the
/// name, says who it is). An organisation's registered name is public and
/// is quoted; a natural person's is not.
pub fn registered_under_another_name(row: &SubjectFields, registered: &str) -> Option<String> {
    if row.name == registered {
        return None;
    }
    Some(match &row.credit_code {
        Some(code) => format!(
            "统一社会信用代码 {code} 已登记为“{registered}”，与本行名称不同；记录归入该主体，如名称已变更请核实"
        ),
        None => "该证件号码已登记的姓名与本行不同；记录按证件号码归入该自然人，请核实".to_string(),
    })
}

/// The refusal for a document number delivered twice in one delivery.
pub fn repeated_in_delivery(kind: SheetKind, first_line: u64) -> Refusal {
    refuse(
        kind.doc_column(),
        format!("与第 {first_line} 行的文书号重复，同一次报送中每个决定只能出现一次"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let map = map_headers(SheetKind::Penalty, &headers).unwrap();
        assert_eq!(map.unknown, vec!["多余列".to_string()]);
        assert_eq!(map.positions[0].unwrap().code, CATALOG_ITEM);
        let missing = map_headers(SheetKind::Penalty, &["CF_XDR_MC".to_string()]).unwrap_err();
        assert!(missing.contains("决定书文号（CF_WSH）"), "{missing}");
        let twice =
            map_headers(SheetKind::Penalty, &["CF_WSH".into(), "决定书文号".into()]).unwrap_err();
        assert!(twice.contains("出现了两次"));
    }

    #[test]
    fn the_kind_of_sheet_is_told_by_its_own_columns() {
        let names = |kind: SheetKind| -> Vec<String> {
            kind.columns().iter().map(|c| c.name.to_string()).collect()
        };
        let codes = |kind: SheetKind| -> Vec<String> {
            kind.columns().iter().map(|c| c.code.to_string()).collect()
        };
        for kind in SheetKind::ALL {
            assert_eq!(SheetKind::detect(&names(kind)), kind);
            assert_eq!(SheetKind::detect(&codes(kind)), kind);
        }
        // Only shared columns: a penalty sheet, whose missing columns are then named.
        let shared = vec!["行政相对人名称".to_string(), "备注".to_string()];
        assert_eq!(SheetKind::detect(&shared), SheetKind::Penalty);
    }

    #[test]
    fn column_codes_are_unique_across_kinds_except_the_shared_ones() {
        for p in PENALTY_COLUMNS {
            if let Some(l) = LICENSE_COLUMNS.iter().find(|l| l.code == p.code) {
                assert!(
                    ["BZ", CATALOG_ITEM, PERSONAL_BASIS, CONSENT_REF].contains(&l.code),
                    "{}",
                    l.code
                );
                assert_eq!(l.name, p.name);
            }
        }
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
