//! Data shapes shared by the server and the browser: search parameters and
//! results, and the public views of records. Everything here is already
//! public: personal data is masked before a value of these types is built
//! (see `disclosure`), so they may be serialised to the browser freely.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod report;

/// The three kinds of public record the portal searches.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordKind {
    Penalty,
    License,
    Serious,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [
        RecordKind::Penalty,
        RecordKind::License,
        RecordKind::Serious,
    ];

    /// The value used in URLs (`type=penalty`).
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Penalty => "penalty",
            RecordKind::License => "license",
            RecordKind::Serious => "serious",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Penalty => "行政处罚",
            RecordKind::License => "行政许可",
            RecordKind::Serious => "严重失信主体名单",
        }
    }

    /// The public page of one record of this kind.
    pub fn href(self, id: i64) -> String {
        match self {
            RecordKind::Penalty => format!("/penalties/{id}"),
            RecordKind::License => format!("/licenses/{id}"),
            RecordKind::Serious => format!("/serious-list/{id}"),
        }
    }

    /// Small stable number used inside the search index sort key.
    pub fn index_code(self) -> i64 {
        match self {
            RecordKind::Penalty => 1,
            RecordKind::License => 2,
            RecordKind::Serious => 3,
        }
    }
}

/// Search parameters exactly as they arrive from a URL or a form: strings,
/// not yet trusted. [`crate::api::search::parse_params`] turns them into a
/// [`SearchQuery`] or a message naming the field that is wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub dept: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: String,
}

impl SearchParams {
    /// Builds parameters from a lookup of URL query values by name (the
    /// server's query map, the browser's `URLSearchParams`).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let get = |key: &str| get(key).unwrap_or_default();
        SearchParams {
            q: get("q"),
            kind: get("type"),
            dept: get("dept"),
            from: get("from"),
            to: get("to"),
            page: get("page"),
        }
    }

    /// The `/search?…` URL for these parameters on another page, leaving out
    /// empty values so links stay short and bookmarkable.
    pub fn url_for_page(&self, page: u32) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (key, value) in [
            ("q", self.q.as_str()),
            ("type", self.kind.as_str()),
            ("dept", self.dept.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ] {
            if !value.trim().is_empty() {
                parts.push(format!("{key}={}", encode_query_value(value.trim())));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            "/search".to_string()
        } else {
            format!("/search?{}", parts.join("&"))
        }
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Validated search parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Normalised free text (a name); empty means "everything, newest first".
    pub text: String,
    pub kind: Option<RecordKind>,
    pub department_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// 1-based.
    pub page: u32,
}

/// How the store should answer a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchTarget {
    /// Free text over names.
    Text(SearchQuery),
    /// Everything published about one credit code.
    CreditCode(String, SearchQuery),
    /// One decision document number.
    DocumentNumber(String, SearchQuery),
}

/// One line of a result list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: RecordKind,
    pub id: i64,
    /// Public (masked where personal) name of the subject.
    pub name: String,
    pub credit_code: Option<String>,
    pub doc_no: String,
    pub department: String,
    #[serde(with = "plain_date")]
    pub decision_date: NaiveDate,
    /// Short description: penalty category, licence type or list name.
    pub summary: String,
}

/// One page of results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub total: u64,
    /// False when counting stopped at a cap: there are at least `total`.
    pub total_exact: bool,
    pub page: u32,
    pub per_page: u32,
    /// A hint about the query, e.g. a credit code with a wrong check character.
    pub notice: Option<String>,
}

impl SearchPage {
    pub fn page_count(&self) -> u32 {
        let pages = self.total.div_ceil(u64::from(self.per_page.max(1)));
        u32::try_from(pages)
            .unwrap_or(u32::MAX)
            .min(crate::api::search::MAX_PAGE)
    }
}

/// A department option for the filter list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentOption {
    pub id: i64,
    pub name: String,
}

/// One labelled field of a record page (双公示 field name → public value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

/// Everything a record page shows, already masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub kind: RecordKind,
    pub id: i64,
    pub title: String,
    pub subject_name: String,
    pub subject_code: Option<String>,
    pub fields: Vec<Field>,
    pub window_from: NaiveDate,
    pub window_until: NaiveDate,
    pub status: String,
    /// Repair information: from which date, or why not.
    pub repair: RepairInfo,
    /// An objection about the record has been accepted and is being
    /// verified (异议处理中).
    #[serde(default)]
    pub under_objection: bool,
}

/// Repair information shown on a record page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairInfo {
    /// "可申请信用修复日期", when the record can ever be repaired early.
    pub from: Option<NaiveDate>,
    /// True when an application may be made today.
    pub open_now: bool,
    /// A sentence explaining the state.
    pub explanation: String,
}

/// A subject's public page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectView {
    pub name: String,
    pub kind_label: String,
    pub credit_code: String,
    pub representative: Option<String>,
    pub records: Vec<SubjectRecordLine>,
}

/// One record on a subject page: when it stops being public and when repair opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectRecordLine {
    pub hit: SearchHit,
    pub until: NaiveDate,
    pub repair: RepairInfo,
}

/// Counts for the home page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeStats {
    pub penalties: u64,
    pub licenses: u64,
    pub serious: u64,
}

/// Dates on the wire as `YYYY-MM-DD`, written and read without chrono's
/// general formatter and parser: those would add tens of kilobytes to the
/// WASM the search island ships.
pub mod plain_date {
    use chrono::{Datelike, NaiveDate};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    /// `2025-04-15`.
    pub fn iso(date: NaiveDate) -> String {
        format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<NaiveDate> {
        let mut parts = s.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        NaiveDate::from_ymd_opt(year, month, day)
    }

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&iso(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(deserializer)?;
        parse(&s).ok_or_else(|| D::Error::custom(format!("not a date: {s}")))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn round_trips() {
            let d = NaiveDate::from_ymd_opt(2025, 4, 5).unwrap();
            assert_eq!(iso(d), "2025-04-05");
            assert_eq!(parse("2025-04-05"), Some(d));
            assert_eq!(parse("2025-02-30"), None);
            assert_eq!(parse("2025/04/05"), None);
        }
    }
}

/// What a tracking page says of a case's consents, times in China time
/// (`store::consent` builds it from the records).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsentSummary {
    /// The notice acknowledged: its version, and when.
    pub notice: Option<(String, String)>,
    /// The SMS consent: when given, and when withdrawn (`None` when never
    /// given).
    pub sms: Option<(String, Option<String>)>,
}

impl ConsentSummary {
    /// What the department reads before texting the person: whether an
    /// SMS consent is in force.
    pub fn sms_for_staff(&self) -> String {
        match &self.sms {
            None => "未同意，请勿发送短信（需要时电话联系）".into(),
            Some((given, None)) => format!("已于 {given} 同意接收办理进度短信"),
            Some((_, Some(withdrawn))) => format!("已于 {withdrawn} 撤回同意，请勿发送短信"),
        }
    }
}
