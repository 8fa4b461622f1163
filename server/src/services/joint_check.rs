//! What a joint check answers, from what the store found: the subject's
//! entries current on the day, and for each the measures of the list its
//! department applies (`app::domain::measure::applicable`); nothing else.
//! Backend-neutral: both stores only return rows.

pub use app::domain::measure::current_versions;
use app::domain::measure::{applicable, MeasureVersion};
use app::domain::publication::is_listed;
use app::domain::SubjectKind;
use app::store::measures::{CheckedSubjectRow, EntryRow};
use chrono::NaiveDate;

/// One current entry and the measures it brings for the asker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnsweredEntry {
    pub entry: EntryRow,
    /// Codes of the measures, sorted.
    pub measures: Vec<String>,
}

/// The answer before it is registered and sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckAnswer {
    pub entries: Vec<AnsweredEntry>,
    /// Every measure named, once, sorted by code.
    pub measures: Vec<MeasureVersion>,
}

impl CheckAnswer {
    pub fn listed(&self) -> bool {
        !self.entries.is_empty()
    }
}

/// The answer for `department_id` on `today`. An entry is current when it
/// is on the list that day (`is_listed`) and no objection withdrew it.
pub fn answer(
    subject: Option<&(CheckedSubjectRow, Vec<EntryRow>)>,
    current: &[MeasureVersion],
    department_id: i64,
    today: NaiveDate,
) -> CheckAnswer {
    let Some((subject, entries)) = subject else {
        return CheckAnswer {
            entries: vec![],
            measures: vec![],
        };
    };
    let kind: SubjectKind = subject.kind;
    let mut named: Vec<MeasureVersion> = Vec::new();
    let entries = entries
        .iter()
        .filter(|e| !e.withdrawn && is_listed(e.listed_on, e.until, e.ended_on, today))
        .map(|e| {
            let found = e.domain_code.as_deref().map_or_else(Vec::new, |domain| {
                applicable(current, domain, kind, department_id, today)
            });
            for m in &found {
                if !named.iter().any(|n| n.code == m.code) {
                    named.push((*m).clone());
                }
            }
            AnsweredEntry {
                entry: e.clone(),
                measures: found.iter().map(|m| m.code.clone()).collect(),
            }
        })
        .collect();
    named.sort_by(|a, b| a.code.cmp(&b.code));
    CheckAnswer {
        entries,
        measures: named,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::measure::{LegalBasis, MeasureClass};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn measure(code: &str, version: u32, domain: &str, department: i64) -> MeasureVersion {
        MeasureVersion {
            id: i64::from(version),
            code: code.into(),
            version,
            name: format!("{code} v{version}"),
            class: MeasureClass::Restricting,
            effect: "…".into(),
            basis: LegalBasis {
                law: "《法》".into(),
                article: "第一条".into(),
                paragraph: String::new(),
                text: "…".into(),
            },
            domains: vec![domain.into()],
            subject_kinds: vec![SubjectKind::LegalEntity],
            implementer: "…".into(),
            departments: vec![department],
            effective_from: d(1, 1),
            effective_to: None,
        }
    }

    fn entry(id: i64, domain: &str, until: NaiveDate, ended: Option<NaiveDate>) -> EntryRow {
        EntryRow {
            id,
            domain_code: Some(domain.into()),
            list_name: "名单".into(),
            department_id: 1,
            department: "局".into(),
            doc_no: format!("文号{id}"),
            listed_on: d(1, 10),
            until,
            ended_on: ended,
            withdrawn: false,
        }
    }

    fn subject(entries: Vec<EntryRow>) -> (CheckedSubjectRow, Vec<EntryRow>) {
        (
            CheckedSubjectRow {
                id: 1,
                kind: SubjectKind::LegalEntity,
                name: "某公司".into(),
                credit_code: None,
                representative: None,
            },
            entries,
        )
    }

    #[test]
    fn only_current_entries_and_the_askers_measures_are_answered() {
        let all = vec![
            measure("a", 1, "market", 7),
            measure("a", 2, "market", 7),
            measure("b", 1, "market", 8),
            measure("c", 1, "tax", 7),
        ];
        let current = current_versions(&all);
        assert_eq!(current.len(), 3);
        assert_eq!(current[0].version, 2);
        let today = d(12, 2);
        let mut withdrawn = entry(4, "market", d(12, 31), None);
        withdrawn.withdrawn = true;
        let s = subject(vec![
            entry(1, "market", d(12, 31), None),
            // Taken off the list today (repair): not current.
            entry(2, "market", d(12, 31), Some(d(12, 2))),
            // Its period ended yesterday.
            entry(3, "tax", d(12, 1), None),
            withdrawn,
        ]);
        let a = answer(Some(&s), &current, 7, today);
        assert!(a.listed());
        assert_eq!(a.entries.len(), 1);
        assert_eq!(a.entries[0].entry.id, 1);
        assert_eq!(a.entries[0].measures, ["a"]);
        assert_eq!(a.measures.len(), 1);
        assert_eq!(a.measures[0].version, 2);
        // Another department is told of the same entry, with its measures.
        let other = answer(Some(&s), &current, 8, today);
        assert_eq!(other.entries[0].measures, ["b"]);
        // A department with no measure for the list still learns the entry.
        let none = answer(Some(&s), &current, 9, today);
        assert!(none.listed());
        assert!(none.measures.is_empty());
        // Nobody found: not listed.
        assert!(!answer(None, &current, 7, today).listed());
    }
}
