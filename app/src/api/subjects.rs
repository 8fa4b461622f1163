//! Everything public about one organisation, by credit code.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SubjectView;

/// The subject page: the subject and each of its public records with the
/// date it stops being public and when repair may be applied for.
///
/// A subject with no record public today is not public either: its name
/// and representative were published only with its records. It is
/// answered exactly like a code no subject has, so the answer does not
/// tell that the subject once had records here.
#[server(endpoint = "subject")]
pub async fn get_subject(code: String) -> Result<SubjectView, AppError> {
    let portal = crate::api::portal()?;
    subject_view(&portal, &code).await
}

/// The subject page's view, for the server function and the open-data API.
#[cfg(feature = "ssr")]
pub async fn subject_view(
    portal: &crate::api::PortalContext,
    code: &str,
) -> Result<SubjectView, AppError> {
    use crate::disclosure;
    use crate::domain::CreditCode;
    use crate::model::RecordKind;

    let today = portal.today();
    // Early pilot codes fail the check but were really issued: accept the shape.
    let (code, _check_ok) =
        CreditCode::parse_lenient(code).map_err(|err| AppError::NotFound(format!("{err}。")))?;
    let not_public = || {
        AppError::NotFound(
            "未找到该统一社会信用代码的公示信息：该主体可能不存在，或其信息均已超出公示期限、已信用修复、依规不予公示。"
                .into(),
        )
    };
    let subject = portal
        .store
        .subject_by_code(&code)
        .await?
        .ok_or_else(not_public)?;
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
    if lines.is_empty() {
        return Err(not_public());
    }
    disclosure::subject_view(&subject, lines).ok_or_else(not_public)
}
