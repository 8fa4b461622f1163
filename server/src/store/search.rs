//! What both stores' search shares: the count cap, the key a count is
//! cached under, the columns of a hit and the page they make.

use std::time::Duration;

use app::model::{RecordKind, SearchHit, SearchPage};
use chrono::NaiveDate;

/// Counts stop here: past it the page says “2000 条以上” instead of an
/// exact number. Paging ends there anyway (MAX_PAGE × 20 = 2,000 results), and
/// counting a million matches would cost more than the page itself.
pub const COUNT_CAP: i64 = 2_000;

/// How many queries' counts are kept (each well under 1 KB).
pub const COUNT_CACHE_KEYS: usize = 10_000;

/// How long the department list is reused, and how often at most the home
/// page counts are recounted while the records change.
pub const STATS_TTL: Duration = Duration::from_secs(60);

/// What a count of results depends on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CountKey {
    pub text: String,
    pub kind: Option<RecordKind>,
    pub department_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub today: NaiveDate,
}

/// The columns of a search hit from `public_entries e`, in the order both
/// stores read them.
pub const HIT_COLUMNS: &str = "e.record_kind, e.record_id, e.name, e.credit_code, e.doc_no, e.department, e.decision_date, e.summary";

/// A page of `hits` of `total` results (`exact` unless capped).
pub fn page(hits: Vec<SearchHit>, total: i64, exact: bool, page: u32, per_page: u32) -> SearchPage {
    SearchPage {
        hits,
        total: u64::try_from(total).unwrap_or(0),
        total_exact: exact,
        page,
        per_page,
        notice: None,
    }
}
