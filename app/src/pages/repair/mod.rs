//! The online repair application (`/repair/apply/{record_id}/…`) and the
//! status page (`/repair/track`): one question per page, an error summary
//! that links to each field, check-your-answers before submitting, and a
//! confirmation with the application number and tracking code.
//!
//! These are plain HTML forms handled by the server (see the server's
//! `repair` module), so the whole flow works without JavaScript. The
//! components here only render; `document` wraps them in the site frame.

pub mod forms;
pub mod steps;
pub mod track;
