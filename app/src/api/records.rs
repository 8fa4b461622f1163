//! One public record: penalty, licence or serious-list entry.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{RecordKind, RecordView};

/// Parses a record id from a URL segment; anything else is "not found".
pub fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(AppError::not_public)
}

/// The public view of one record, or "not found" when it does not exist or
/// is not public today (the two answers are the same on purpose).
#[server(endpoint = "record")]
pub async fn get_record(kind: RecordKind, id: String) -> Result<RecordView, AppError> {
    use crate::disclosure;
    let portal = crate::api::portal()?;
    let id = parse_id(&id)?;
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
    view.ok_or_else(AppError::not_public)
}
