//! `/transparency`: how departments handle repair applications and
//! objections, deliver records and report back on the joint check, per
//! department and month. The counting is `domain::transparency`'s; the
//! open-data API serves the same view as JSON.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::transparency::Transparency;
use crate::error::AppError;

/// What the page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransparencyView {
    pub figures: Transparency,
    /// When the facts were read (China time, `2026-12-02 14:05`).
    pub counted_at: String,
    /// Today's month, `YYYY-MM`, the latest a period may end in.
    pub this_month: String,
}

/// The figures for the months `from`–`to` (`YYYY-MM`; empty for the last
/// twelve months).
#[server(endpoint = "transparency")]
pub async fn get_transparency(from: String, to: String) -> Result<TransparencyView, AppError> {
    let portal = crate::api::portal()?;
    transparency_view(&portal, &from, &to).await
}

#[cfg(feature = "ssr")]
pub use build::transparency_view;

#[cfg(feature = "ssr")]
mod build {
    use super::TransparencyView;
    use crate::api::PortalContext;
    use crate::domain::transparency::{count, Month, MonthRange, MAX_MONTHS};
    use crate::domain::working_days::{china_time_label, HolidayCalendar};
    use crate::error::AppError;

    /// The page's view of the period `from`–`to`.
    pub async fn transparency_view(
        portal: &PortalContext,
        from: &str,
        to: &str,
    ) -> Result<TransparencyView, AppError> {
        let today = portal.today();
        let range = MonthRange::parse(from, to, today).map_err(AppError::BadRequest)?;
        // Always the same start (the longest period ending this month), so
        // one reading serves every period asked for.
        let since = Month::of(today).back(MAX_MONTHS - 1);
        let sources = portal.transparency.sources(since).await?;
        let calendar = HolidayCalendar::new(sources.calendar.iter().cloned());
        let figures = count(
            range,
            today,
            &calendar,
            &sources.steps,
            &sources.deliveries,
            &sources.feedback,
        );
        Ok(TransparencyView {
            figures,
            counted_at: china_time_label(sources.read_at, false),
            this_month: Month::of(today).code(),
        })
    }
}
