//! Pure domain core of the public-credit portal: identifiers (统一社会信用代码,
//! 身份证号码, 决定书文号), subject kinds, masking, publication periods and
//! credit repair, search tokens and money; repair applications and the
//! working-day calendar their deadlines are counted on.
//!
//! Everything here is deterministic and free of I/O so the same code runs on the
//! server and in the browser (WASM). No function panics on user input: parsing
//! returns errors with Chinese messages meant to be shown to users as-is.

pub mod api_key;
pub mod catalog;
pub mod collection;
pub mod credit_code;
pub mod credit_report;
pub mod daily_number;
pub mod document_number;
pub mod id_number;
pub mod joint_check;
pub mod masking;
pub mod measure;
pub mod money;
pub mod objection;
pub mod personal_basis;
pub mod privacy_notice;
pub mod publication;
pub mod repair_application;
pub mod repair_identity;
pub mod search_text;
pub mod serious_domain;
pub mod serious_listing;
pub mod staff;
pub mod subject_kind;
pub mod transparency;
pub mod working_days;

pub use credit_code::{CreditCode, CreditCodeError};
pub use document_number::{DocumentNumber, DocumentNumberError};
pub use id_number::{IdNumber, IdNumberError};
pub use money::Fen;
pub use personal_basis::PersonalBasis;
pub use publication::{
    publication_window, repair_eligibility, status_on, PublicationRule, RepairEligibility, Status,
    Tier, Window,
};
pub use subject_kind::SubjectKind;
