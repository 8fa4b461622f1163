//! Reusable server-rendered UI pieces.

pub mod chart;
pub mod data_link;
pub mod hit_list;
pub mod layout;
pub mod notice;
pub mod privacy_notice;
pub mod search_form;
pub mod search_results;
pub mod status;
