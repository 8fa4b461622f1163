//! Turns stored records into what the public may see.
//!
//! This is the one place where personal data is masked and where the
//! publication rules decide whether a record may be shown at all. Every
//! public page and every public server function goes through it, so the
//! browser never receives an unmasked value or a record past its period.

use chrono::NaiveDate;

use crate::domain::masking::{public_name, public_representative};
use crate::domain::publication::format_date_cn;
use crate::domain::{
    publication_window, repair_eligibility, status_on, IdNumber, PersonalBasis, PublicationRule,
    RepairEligibility, SubjectKind,
};
use crate::model::{Field, RecordKind, RecordView, RepairInfo, SubjectRecordLine, SubjectView};
use crate::store::{PublicEntry, StoredLicense, StoredPenalty, StoredSeriousEntry, StoredSubject};

/// The subject's name as the public sees it.
pub fn subject_public_name(subject: &StoredSubject) -> String {
    public_name(
        subject.kind,
        &subject.name,
        subject.representative.as_deref(),
    )
}

/// Repair information for a record under `rules`.
pub fn repair_info(
    decision: NaiveDate,
    rules: &[PublicationRule],
    repaired_on: Option<NaiveDate>,
    today: NaiveDate,
) -> RepairInfo {
    let eligibility = repair_eligibility(decision, rules, repaired_on, today);
    let from = publication_window(decision, rules).and_then(|w| w.repair_from);
    RepairInfo {
        from,
        open_now: matches!(eligibility, RepairEligibility::Eligible { .. }),
        explanation: eligibility.explain(),
    }
}

/// A subject as it may leave the server, on a public page or to another
/// platform: the public name, the credit code (organisations and
/// individual businesses), the representative as published (none for a
/// natural person) and a natural person's ID number masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicSubject {
    pub kind: SubjectKind,
    pub name: String,
    pub credit_code: Option<String>,
    pub representative: Option<String>,
    pub id_number: Option<String>,
}

pub fn public_subject(subject: &StoredSubject) -> PublicSubject {
    let natural = subject.kind == SubjectKind::NaturalPerson;
    PublicSubject {
        kind: subject.kind,
        name: subject_public_name(subject),
        credit_code: subject.credit_code.clone(),
        representative: subject
            .representative
            .as_deref()
            .filter(|_| !natural)
            .map(|r| public_representative(subject.kind, r)),
        // Parsed so a malformed stored value is still masked, never shown.
        id_number: subject.id_number.as_deref().filter(|_| natural).map(|id| {
            IdNumber::parse(id)
                .map(|n| n.masked())
                .unwrap_or_else(|_| crate::domain::masking::mask_id_like(id))
        }),
    }
}

fn subject_fields(subject: &StoredSubject, fields: &mut Vec<Field>) {
    let subject = public_subject(subject);
    fields.push(Field {
        label: "行政相对人名称".into(),
        value: subject.name,
    });
    fields.push(Field {
        label: "行政相对人类别".into(),
        value: subject.kind.label().to_string(),
    });
    if let Some(code) = subject.credit_code {
        fields.push(Field {
            label: "统一社会信用代码".into(),
            value: code,
        });
    }
    if let Some(rep) = subject.representative {
        let label = match subject.kind {
            SubjectKind::LegalEntity => "法定代表人",
            _ => "经营者",
        };
        fields.push(Field {
            label: label.into(),
            value: rep,
        });
    }
    if let Some(masked) = subject.id_number {
        fields.push(Field {
            label: "证件类型".into(),
            value: "身份证".into(),
        });
        fields.push(Field {
            label: "证件号码".into(),
            value: masked,
        });
    }
}

fn push_opt(fields: &mut Vec<Field>, label: &str, value: Option<String>) {
    if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
        fields.push(Field {
            label: label.into(),
            value,
        });
    }
}

/// A natural person's record says on what basis the person's data are
/// processed (个人信息保护法 art 17), as its department declared it.
const BASIS_LABEL: &str = "个人信息处理依据";

fn basis_line(basis: Option<&PersonalBasis>) -> Option<String> {
    basis.map(|b| b.public_label().to_string())
}

/// The public view of a penalty, or `None` when it is not public on `today`.
pub fn penalty_view(p: &StoredPenalty, today: NaiveDate) -> Option<RecordView> {
    let status = status_on(p.decision_date, &p.rules, p.repaired_on, today);
    if !status.is_public() {
        return None;
    }
    let window = publication_window(p.decision_date, &p.rules)?;
    let mut fields = Vec::new();
    subject_fields(&p.subject, &mut fields);
    fields.push(Field {
        label: "决定书文号".into(),
        value: p.doc_no.clone(),
    });
    fields.push(Field {
        label: "违法行为类型".into(),
        value: p.violation_type.clone(),
    });
    fields.push(Field {
        label: "违法事实".into(),
        value: p.facts.clone(),
    });
    fields.push(Field {
        label: "处罚依据".into(),
        value: p.basis.clone(),
    });
    fields.push(Field {
        label: "处罚类别".into(),
        value: p.categories.join("、"),
    });
    fields.push(Field {
        label: "处罚内容".into(),
        value: p.content.clone(),
    });
    push_opt(&mut fields, "罚款金额", p.fine.map(|f| f.to_string()));
    push_opt(
        &mut fields,
        "没收违法所得、没收非法财物的金额",
        p.confiscated.map(|f| f.to_string()),
    );
    push_opt(
        &mut fields,
        "暂扣或吊销证照名称及编号",
        p.license_action.clone(),
    );
    fields.push(Field {
        label: "处罚决定日期".into(),
        value: format_date_cn(p.decision_date),
    });
    push_opt(&mut fields, "处罚有效期", p.valid_until.map(format_date_cn));
    fields.push(Field {
        label: "公示截止期".into(),
        value: format_date_cn(window.until),
    });
    fields.push(Field {
        label: "处罚机关".into(),
        value: p.authority.name.clone(),
    });
    fields.push(Field {
        label: "处罚机关统一社会信用代码".into(),
        value: p.authority.credit_code.clone(),
    });
    fields.push(Field {
        label: "数据来源单位".into(),
        value: p.source.name.clone(),
    });
    fields.push(Field {
        label: "数据来源单位统一社会信用代码".into(),
        value: p.source.credit_code.clone(),
    });
    fields.push(Field {
        label: "信息目录项".into(),
        value: p.catalog_items.join("、"),
    });
    fields.push(Field {
        label: "失信程度".into(),
        value: window.tier.label().to_string(),
    });
    push_opt(&mut fields, "备注", p.note.clone());
    push_opt(
        &mut fields,
        BASIS_LABEL,
        basis_line(p.personal_basis.as_ref()),
    );
    Some(RecordView {
        kind: RecordKind::Penalty,
        id: p.id,
        title: format!("行政处罚决定 {}", p.doc_no),
        subject_name: subject_public_name(&p.subject),
        subject_code: p.subject.credit_code.clone(),
        fields,
        window_from: window.from,
        window_until: window.until,
        status: status.label().to_string(),
        repair: repair_info(p.decision_date, &p.rules, p.repaired_on, today),
        under_objection: false,
    })
}

/// The public view of a licence, or `None` when it is not public on `today`.
pub fn license_view(l: &StoredLicense, today: NaiveDate) -> Option<RecordView> {
    let status = status_on(l.decision_date, &l.rules, None, today);
    if !status.is_public() {
        return None;
    }
    let window = publication_window(l.decision_date, &l.rules)?;
    let mut fields = Vec::new();
    subject_fields(&l.subject, &mut fields);
    fields.push(Field {
        label: "行政许可决定文书名称".into(),
        value: l.doc_name.clone(),
    });
    fields.push(Field {
        label: "行政许可决定文书号".into(),
        value: l.doc_no.clone(),
    });
    fields.push(Field {
        label: "许可类别".into(),
        value: l.category.clone(),
    });
    push_opt(&mut fields, "许可证书名称", l.cert_name.clone());
    push_opt(&mut fields, "许可编号", l.cert_no.clone());
    fields.push(Field {
        label: "许可内容".into(),
        value: l.content.clone(),
    });
    fields.push(Field {
        label: "许可决定日期".into(),
        value: format_date_cn(l.decision_date),
    });
    fields.push(Field {
        label: "有效期自".into(),
        value: format_date_cn(l.valid_from),
    });
    fields.push(Field {
        label: "有效期至".into(),
        value: l
            .valid_to
            .map(format_date_cn)
            .unwrap_or_else(|| "长期".into()),
    });
    fields.push(Field {
        label: "许可机关".into(),
        value: l.authority.name.clone(),
    });
    fields.push(Field {
        label: "许可机关统一社会信用代码".into(),
        value: l.authority.credit_code.clone(),
    });
    fields.push(Field {
        label: "当前状态".into(),
        value: l.state.clone(),
    });
    fields.push(Field {
        label: "数据来源单位".into(),
        value: l.source.name.clone(),
    });
    fields.push(Field {
        label: "数据来源单位统一社会信用代码".into(),
        value: l.source.credit_code.clone(),
    });
    push_opt(&mut fields, "备注", l.note.clone());
    push_opt(
        &mut fields,
        BASIS_LABEL,
        basis_line(l.personal_basis.as_ref()),
    );
    Some(RecordView {
        kind: RecordKind::License,
        id: l.id,
        title: format!("行政许可决定 {}", l.doc_no),
        subject_name: subject_public_name(&l.subject),
        subject_code: l.subject.credit_code.clone(),
        fields,
        window_from: window.from,
        window_until: window.until,
        status: status.label().to_string(),
        repair: RepairInfo {
            from: None,
            open_now: false,
            explanation: "行政许可信息不属于失信信息，无需信用修复；公示期满后自动停止公示。"
                .into(),
        },
        under_objection: false,
    })
}

/// What a serious-list entry's page says about leaving the list early:
/// a mirrored list's deletion is its keeper's (and where to ask), else
/// from when the domain allows it.
fn early_removal_text(
    d: &crate::domain::serious_domain::SeriousDomain,
    listed_on: NaiveDate,
) -> String {
    if d.mirrored {
        return format!(
            "本名单由{}认定并公布，本平台仅转载，不办理删除或更正；如有异议，请向{}提出。",
            d.listing_authority,
            d.mirror_contact.as_deref().unwrap_or("原认定机关")
        );
    }
    match d.earliest_removal(listed_on) {
        Some(from) => format!(
            "自{}起，符合移出条件的，可向认定单位申请提前移出（信用修复）。{}",
            format_date_cn(from),
            d.removal_procedure
        ),
        None => "本名单不得提前移出，期满自动移出。".to_string(),
    }
}

/// The public view of a serious-list entry, or `None` when it is not listed on `today`.
pub fn serious_view(e: &StoredSeriousEntry, today: NaiveDate) -> Option<RecordView> {
    if !crate::domain::publication::is_listed(e.listed_on, e.until, e.ended_on, today) {
        return None;
    }
    let mut fields = Vec::new();
    subject_fields(&e.subject, &mut fields);
    fields.push(Field {
        label: "名单类别".into(),
        value: e.list_name.clone(),
    });
    fields.push(Field {
        label: "列入原因".into(),
        value: e.reason.clone(),
    });
    fields.push(Field {
        label: "列入依据".into(),
        value: e.basis.clone(),
    });
    fields.push(Field {
        label: "认定文书号".into(),
        value: e.doc_no.clone(),
    });
    fields.push(Field {
        label: "认定单位".into(),
        value: e.authority.name.clone(),
    });
    fields.push(Field {
        label: "列入日期".into(),
        value: format_date_cn(e.listed_on),
    });
    fields.push(Field {
        label: "移出日期（届满）".into(),
        value: format_date_cn(e.until),
    });
    fields.push(Field {
        label: "惩戒措施".into(),
        value: e.measures.clone(),
    });
    fields.push(Field {
        label: "移出条件和程序".into(),
        value: e.removal_conditions.clone(),
    });
    if let Some(d) = &e.domain {
        fields.push(Field {
            label: "名单设立依据".into(),
            value: d.list_basis.clone(),
        });
        fields.push(Field {
            label: "认定标准依据".into(),
            value: d.standard_basis.clone(),
        });
        fields.push(Field {
            label: "提前移出".into(),
            value: early_removal_text(d, e.listed_on),
        });
    }
    fields.push(Field {
        label: "救济途径".into(),
        value: e.remedies.clone(),
    });
    Some(RecordView {
        kind: RecordKind::Serious,
        id: e.id,
        title: format!("{} {}", e.list_name, e.doc_no),
        subject_name: subject_public_name(&e.subject),
        subject_code: e.subject.credit_code.clone(),
        fields,
        window_from: e.listed_on,
        window_until: e.until,
        status: "名单有效".into(),
        repair: RepairInfo {
            from: None,
            open_now: false,
            explanation: match e.grounds_penalty_id {
                Some(id) => format!(
                    "该名单依据行政处罚决定认定。相关处罚经认定单位信用修复后，主体同时移出本名单；请从该处罚记录（编号 {id}）申请信用修复。"
                ),
                None => "名单期满自动移出；符合条件的，可向认定单位申请信用修复，修复后移出名单。".into(),
            },
        },
        under_objection: false,
    })
}

/// A subject page from the subject and its public entries with repair
/// information for each penalty.
pub fn subject_view(subject: &StoredSubject, lines: Vec<SubjectRecordLine>) -> Option<SubjectView> {
    Some(SubjectView {
        name: subject_public_name(subject),
        kind_label: subject.kind.label().to_string(),
        credit_code: subject.credit_code.clone()?,
        representative: subject
            .representative
            .as_deref()
            .map(|r| public_representative(subject.kind, r)),
        records: lines,
    })
}

/// A subject-page line for an entry that is not a penalty (no repair).
pub fn plain_line(entry: PublicEntry, explanation: &str) -> SubjectRecordLine {
    SubjectRecordLine {
        hit: entry.hit,
        until: entry.until,
        repair: RepairInfo {
            from: None,
            open_now: false,
            explanation: explanation.to_string(),
        },
    }
}
