//! Everything public about one organisation, by credit code.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SubjectView;

/// The subject page: the subject and each of its public records with the
/// date it stops being public and when repair may be applied for.
#[server(endpoint = "subject")]
pub async fn get_subject(code: String) -> Result<SubjectView, AppError> {
    use crate::disclosure;
    use crate::domain::CreditCode;
    use crate::model::RecordKind;

    let portal = crate::api::portal()?;
    let today = portal.today();
    // Early pilot codes fail the check but were really issued: accept the shape.
    let (code, _check_ok) =
        CreditCode::parse_lenient(&code).map_err(|err| AppError::NotFound(format!("{err}。")))?;
    let subject = portal
        .store
        .subject_by_code(&code)
        .await?
        .ok_or_else(|| AppError::NotFound("未找到使用该统一社会信用代码的信用主体。".into()))?;
    let entries = portal
        .store
        .subject_public_entries(subject.id, today)
        .await?;
    let mut lines = Vec::with_capacity(entries.len());
    for entry in entries {
        let line = match entry.hit.kind {
            RecordKind::Penalty => match portal.store.penalty(entry.hit.id).await? {
                Some(p) => {
                    let repair =
                        disclosure::repair_info(p.decision_date, &p.rules, p.repaired_on, today);
                    crate::model::SubjectRecordLine {
                        hit: entry.hit,
                        until: entry.until,
                        repair,
                    }
                }
                None => continue,
            },
            RecordKind::License => disclosure::plain_line(entry, "行政许可信息无需信用修复"),
            RecordKind::Serious => {
                disclosure::plain_line(entry, "期满自动移出，或随所依据的处罚信用修复一并移出")
            }
        };
        lines.push(line);
    }
    disclosure::subject_view(&subject, lines).ok_or_else(AppError::not_public)
}
