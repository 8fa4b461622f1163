//! Reading one delivered row's cells, with the checks both kinds of sheet
//! share: mandatory fields, dates, the subject and its identifier, the
//! deciding authority.

use chrono::NaiveDate;

use super::{column_name, parse_sheet_date, refuse, Authority, Refusal, SheetKind, SubjectFields};
use crate::domain::personal_basis::PersonalBasis;
use crate::domain::subject_kind::SubjectKind;
use crate::domain::{CreditCode, IdNumber};

/// The columns that name a row's subject, in one kind of sheet.
pub(super) struct SubjectColumns {
    pub name: &'static str,
    pub kind: &'static str,
    pub credit_code: &'static str,
    pub id_number: &'static str,
    pub representative: &'static str,
    /// The representative's ID number (CF_FR_ZJHM / XK_FR_ZJHM).
    pub representative_id: &'static str,
    /// The basis of processing a natural person's data, and the consent's
    /// reference (the shared platform columns).
    pub personal_basis: &'static str,
    pub consent_ref: &'static str,
}

/// A row as `value(code)`: the cell of that column, if the sheet has it.
pub(super) struct Cells<F> {
    value: F,
}

impl<F: Fn(&str) -> Option<String>> Cells<F> {
    pub fn new(value: F) -> Self {
        Cells { value }
    }

    /// The cell, trimmed; `None` when missing or blank.
    pub fn get(&self, code: &str) -> Option<String> {
        (self.value)(code)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub fn required(&self, code: &'static str) -> Result<String, Refusal> {
        self.get(code).ok_or_else(|| {
            let name = column_name(code);
            refuse(code, format!("{name}不能为空"))
        })
    }

    pub fn date(&self, code: &'static str) -> Result<Option<NaiveDate>, Refusal> {
        match self.get(code) {
            None => Ok(None),
            Some(raw) => parse_sheet_date(&raw)
                .map(Some)
                .ok_or_else(|| refuse(code, format!("日期“{raw}”无法识别，请写成 2025-04-15"))),
        }
    }

    pub fn required_date(&self, code: &'static str) -> Result<NaiveDate, Refusal> {
        self.date(code)?
            .ok_or_else(|| refuse(code, format!("{}不能为空", column_name(code))))
    }

    /// A decision date: present, and not after today.
    pub fn decision_date(
        &self,
        code: &'static str,
        today: NaiveDate,
    ) -> Result<NaiveDate, Refusal> {
        let date = self.required_date(code)?;
        if date > today {
            return Err(refuse(
                code,
                format!("{}{date} 晚于今天，请核对", column_name(code)),
            ));
        }
        Ok(date)
    }

    /// The subject: its kind decides whether a credit code (organisations,
    /// individual businesses; a wrong check character warns, for early
    /// pilot codes) or an ID number (natural persons) is required.
    pub fn subject(
        &self,
        cols: &SubjectColumns,
        warnings: &mut Vec<String>,
    ) -> Result<SubjectFields, Refusal> {
        let name = self.required(cols.name)?;
        let kind_raw = self.required(cols.kind)?;
        let kind = SubjectKind::from_label(&kind_raw).ok_or_else(|| {
            refuse(
                cols.kind,
                format!("“{kind_raw}”不是有效的类别，应为 法人及非法人组织、个体工商户 或 自然人"),
            )
        })?;
        let (credit_code, id_number, personal_basis) = match kind {
            SubjectKind::NaturalPerson => {
                let raw = self
                    .get(cols.id_number)
                    .ok_or_else(|| refuse(cols.id_number, "自然人须填写证件号码"))?;
                let id = IdNumber::parse(&raw)
                    .map_err(|e| refuse(cols.id_number, format!("身份证号码有误：{e}")))?;
                let basis = self.personal_basis(cols, warnings)?;
                (None, Some(id.as_str().to_string()), Some(basis))
            }
            _ => {
                let raw = self.get(cols.credit_code).ok_or_else(|| {
                    refuse(
                        cols.credit_code,
                        "法人、非法人组织和个体工商户须填写统一社会信用代码",
                    )
                })?;
                let (code, check_ok) = CreditCode::parse_lenient(&raw)
                    .map_err(|e| refuse(cols.credit_code, format!("统一社会信用代码有误：{e}")))?;
                if !check_ok {
                    warnings.push(format!(
                        "统一社会信用代码 {code} 校验位不符（早期试点代码可能如此），已接收，请核实"
                    ));
                }
                (Some(code.as_str().to_string()), None, None)
            }
        };
        Ok(SubjectFields {
            kind,
            name,
            credit_code,
            id_number,
            // A natural person's "representative" would be a third party's name.
            representative: match kind {
                SubjectKind::NaturalPerson => None,
                _ => self.get(cols.representative),
            },
            representative_id: match kind {
                SubjectKind::NaturalPerson => None,
                _ => self.representative_id(cols.representative_id, warnings),
            },
            personal_basis,
        })
    }

    /// A natural person's row must say why the person's data may be
    /// processed: a statutory duty, or consent with its reference.
    fn personal_basis(
        &self,
        cols: &SubjectColumns,
        warnings: &mut Vec<String>,
    ) -> Result<PersonalBasis, Refusal> {
        let basis = self.get(cols.personal_basis);
        let reference = self.get(cols.consent_ref);
        match PersonalBasis::parse(basis.as_deref(), reference.as_deref()) {
            Ok((basis, reference_dropped)) => {
                if reference_dropped {
                    warnings.push(format!(
                        "处理依据为“法定职责”，{}未登记",
                        column_name(cols.consent_ref)
                    ));
                }
                Ok(basis)
            }
            Err(e) => {
                let code = if e.in_reference() {
                    cols.consent_ref
                } else {
                    cols.personal_basis
                };
                Err(refuse(code, e.message()))
            }
        }
    }

    /// The representative's ID number, kept only when it is a resident ID
    /// number: the identity step of an online repair compares it, and any
    /// other document number could not be checked there.
    fn representative_id(&self, code: &'static str, warnings: &mut Vec<String>) -> Option<String> {
        let raw = self.get(code)?;
        match IdNumber::parse(&raw) {
            Ok(id) => Some(id.as_str().to_string()),
            Err(e) => {
                warnings.push(format!(
                    "{}不是有效的居民身份证号码（{e}），未登记；该主体在线申请信用修复时将无法核对身份",
                    column_name(code)
                ));
                None
            }
        }
    }

    /// The deciding authority of a `kind` row: its name and credit code,
    /// both required.
    pub fn authority(&self, kind: SheetKind) -> Result<Authority, Refusal> {
        let (name, code, _) = kind.authority_columns();
        let authority_name = self.required(name)?;
        let raw = self.required(code)?;
        let normalised = CreditCode::parse_lenient(&raw)
            .map_err(|e| refuse(code, format!("{}有误：{e}", column_name(code))))?
            .0
            .as_str()
            .to_string();
        Ok(Authority {
            name: authority_name,
            code: normalised,
        })
    }
}
