//! The credit record report as it leaves the server: already public,
//! already masked (built from the subject page's own lines). Dates are
//! written out as they are printed, so the content hash covers exactly
//! what a reader sees.

use serde::{Deserialize, Serialize};

/// An issued report: its content and what identifies it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// `BG` + date + sequence.
    pub number: String,
    /// SHA-256 of the content, 64 lowercase hex digits.
    pub hash: String,
    /// When a report with this content was first issued (China time).
    pub issued_at: String,
    /// `/reports/verify?no=…&hash=…`, which the QR code carries.
    pub verify_path: String,
    /// The QR code of `verify_path` on this site, as SVG, made on the server.
    pub qr_svg: String,
    pub content: ReportContent,
}

/// What the hash covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportContent {
    pub issuer: String,
    /// 数据截止日.
    pub cutoff: String,
    /// The period, for the heading (`2021年12月3日至2026年12月2日`).
    pub period: String,
    /// The period as the form's dates, for links to the same report.
    pub period_from: String,
    pub period_to: String,
    pub subject: ReportSubject,
    /// Counts by category, in chapter order.
    pub summary: Vec<ReportCount>,
    pub penalties: Vec<ReportPenalty>,
    pub licenses: Vec<ReportLicense>,
    pub serious: Vec<ReportSerious>,
    pub measures: Vec<ReportMeasure>,
    pub objections: Vec<ReportMark>,
    pub repairs: Vec<ReportMark>,
    pub notes: Vec<String>,
    /// The database holds generated demo data: the report says so.
    pub demo_data: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSubject {
    /// The public name; `None` when nothing about the subject is public.
    pub name: Option<String>,
    pub credit_code: String,
    pub kind_label: Option<String>,
    pub representative: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCount {
    pub label: String,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPenalty {
    pub href: String,
    pub doc_no: String,
    pub department: String,
    pub decision_date: String,
    pub categories: String,
    pub content: String,
    pub until: String,
    /// Repair as the subject page states it.
    pub repair: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLicense {
    pub href: String,
    pub doc_no: String,
    pub doc_name: String,
    pub category: String,
    pub department: String,
    pub decision_date: String,
    pub validity: String,
    pub until: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSerious {
    pub href: String,
    pub list_name: String,
    pub doc_no: String,
    pub department: String,
    pub listed_on: String,
    pub reason: String,
    pub until: String,
}

/// A measure an entry of the report brings (from the measures list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMeasure {
    pub name: String,
    pub class: String,
    pub citation: String,
    /// The list whose entry brings it.
    pub list_name: String,
}

/// A record of the report that is under objection or repair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMark {
    pub kind_label: String,
    pub doc_no: String,
    pub state: String,
}

/// What `/reports/verify` answers: nothing personal, only what lets a
/// reader compare a paper report with what was issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportCheck {
    /// A report with this number and hash was issued.
    Issued {
        number: String,
        issued_at: String,
        cutoff: String,
        period: String,
        summary: Vec<ReportCount>,
    },
    /// The number was issued, with another hash: the copy was changed.
    Altered { number: String },
    /// No report has this number.
    Unknown { number: String },
}
