//! One public record: penalty, licence or serious-list entry.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::RecordView;

/// Parses a record id from a URL segment; anything else is "not found".
pub fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(AppError::not_public)
}

/// The public view of one record, or "not found" when it does not exist or
/// is not public today (the two answers are the same on purpose). The kind
/// arrives as its code (`RecordKind::code`) and is parsed here, so a wrong
/// one is answered in words naming the field.
#[server(endpoint = "record")]
pub async fn get_record(kind: String, id: String) -> Result<RecordView, AppError> {
    let portal = crate::api::portal()?;
    record_view(&portal, &kind, &id).await
}

/// The record page's view, for the server function and the open-data API
/// alike (the same rules, masking and "public today").
#[cfg(feature = "ssr")]
pub async fn record_view(
    portal: &crate::api::PortalContext,
    kind: &str,
    id: &str,
) -> Result<RecordView, AppError> {
    use crate::disclosure;
    use crate::model::RecordKind;
    let kind = RecordKind::from_code(kind.trim()).ok_or_else(|| {
        AppError::BadRequest(
            "信息类别不正确：应为 penalty（行政处罚）、license（行政许可）或 serious（严重失信主体名单）。"
                .into(),
        )
    })?;
    let id = parse_id(id)?;
    let today = portal.today();
    let view = match kind {
        RecordKind::Penalty => portal
            .store
            .penalty(id)
            .await?
            .and_then(|p| disclosure::penalty_view(&p, today)),
        RecordKind::License => portal
            .store
            .license(id)
            .await?
            .and_then(|l| disclosure::license_view(&l, today)),
        RecordKind::Serious => portal
            .store
            .serious_entry(id)
            .await?
            .and_then(|e| disclosure::serious_view(&e, today)),
    };
    let mut view = view.ok_or_else(AppError::not_public)?;
    // Both looked up at once: the record page is the portal's busiest.
    let (withdrawn, marked) = tokio::try_join!(
        portal.objections.record_withdrawn(kind, id),
        portal
            .objections
            .record_marked(kind, id, crate::domain::objection::MARKED_STATE),
    )?;
    // An objection's 删除 or 停止公示 took it off for good.
    if withdrawn {
        return Err(AppError::not_public());
    }
    view.under_objection = marked;
    Ok(view)
}
