//! Server functions: the HTTP endpoints behind pages and islands.
//!
//! Each function is thin: parse the input into domain types, call the store,
//! pass the result through `disclosure`, map errors to [`AppError`]. All of
//! them are public, read-only and answer only what a public page shows, so
//! none needs an identity; they are registered for POST only and never
//! change stored data.

pub mod home;
pub mod measures;
pub mod records;
pub mod reports;
pub mod search;
pub mod subjects;
pub mod transparency;

#[cfg(feature = "ssr")]
pub use context::{portal, PortalContext};

#[cfg(feature = "ssr")]
mod context {
    use chrono::{NaiveDate, Utc};
    use leptos::prelude::use_context;

    use crate::error::AppError;
    use crate::store::SharedStore;

    /// What every request handler needs: the store and today's date.
    #[derive(Clone)]
    pub struct PortalContext {
        pub store: SharedStore,
        /// Objections, for the 异议处理中 mark on record pages and for
        /// records an objection withdrew.
        pub objections: std::sync::Arc<dyn crate::store::ObjectionStore>,
        /// The measures list (`/measures`).
        pub measures: std::sync::Arc<dyn crate::store::MeasureStore>,
        /// The serious list's domains, by which measures are found.
        pub domains: std::sync::Arc<dyn crate::store::serious::SeriousDomainStore>,
        /// Issued credit reports, and the cases under way a report names.
        pub reports: std::sync::Arc<dyn crate::store::ReportStore>,
        /// What the transparency figures are counted from (`/transparency`).
        pub transparency: std::sync::Arc<dyn crate::store::TransparencyStore>,
        /// The site's address as the public reaches it (`https://…`, no
        /// trailing slash), for the report's QR code; empty for a relative one.
        pub site_url: String,
        /// Fixed "today" for reproducible tests and demos; `None` in production.
        pub fixed_today: Option<NaiveDate>,
        /// The database holds the generated demo data: every page says so.
        pub demo_data: bool,
    }

    impl PortalContext {
        /// Today in China Standard Time (UTC+8, no daylight saving): the
        /// publication rules count calendar days where the decisions are made.
        pub fn today(&self) -> NaiveDate {
            self.fixed_today
                .unwrap_or_else(|| crate::domain::working_days::china_date(Utc::now()))
        }
    }

    /// The portal context of the current request.
    pub fn portal() -> Result<PortalContext, AppError> {
        use_context::<PortalContext>().ok_or_else(|| {
            tracing::error!("portal context missing from request");
            AppError::Internal
        })
    }
}
