//! One page component per route. Pages render on the server only (islands
//! mode); the interactive parts they embed live in `crate::islands`.

pub mod admin;
pub mod document;
pub mod home_page;
pub mod measures_page;
pub mod not_found_page;
pub mod notice_page;
pub mod objection_page;
pub mod policies_page;
pub mod record_page;
pub mod repair;
pub mod repair_guide_page;
pub mod report_page;
pub mod search_page;
pub mod serious_list_page;
pub mod subject_page;
pub mod transparency_page;
