//! One-time data steps the server runs at start-up, after the migrations:
//! changes to stored data that need the domain's code (period counting,
//! masking, search tokens), so cannot be SQL migrations. Each runs in one
//! transaction with its entry in `data_steps`: it runs once, and a crash
//! part-way leaves nothing done, to run again at the next start.

use std::collections::HashMap;

use app::domain::masking::public_name;
use app::domain::{publication_window, status_on, PublicationRule, SubjectKind};
use app::model::RecordKind;
use app::store::StoreError;
use chrono::NaiveDate;
use sqlx::{Row, SqliteConnection};

use super::collect::record_change;
use super::writes::reproject_record;
use super::{db_err, rule_from_row_at, SqliteStore};
use crate::store::columns::rule_columns;

/// How publication ends were counted before the civil code's rule: the
/// decision date plus N months (the month's last day when there was no
/// corresponding day), minus one day.
const OLD_CONVENTION: &str = "决定日加N个月（无对应日取月末日）再减一日";

/// How they are counted now ([`app::domain::publication::period_end`]).
const CIVIL_CODE_CONVENTION: &str =
    "《民法典》第二百零一条、第二百零二条：决定日不计入，到期月的对应日为最后一日，没有对应日的为月末日";

/// The steps, in the order they run: end dates first, so the end dates of
/// rows the second step rebuilds are already logged.
#[derive(Clone, Copy)]
enum Step {
    /// Re-derives the projection's end dates under the civil code's rule.
    CivilCodePeriods,
    /// Masks individual businesses' names by the rule that no longer needs
    /// the operator's name on file.
    IndividualBusinessNames,
}

impl Step {
    const ALL: [Step; 2] = [Step::CivilCodePeriods, Step::IndividualBusinessNames];

    fn name(self) -> &'static str {
        match self {
            Step::CivilCodePeriods => "civil_code_periods",
            Step::IndividualBusinessNames => "individual_business_names",
        }
    }
}

impl SqliteStore {
    /// Runs the data steps not yet done, as of `today`; returns what each
    /// one that ran did.
    pub async fn run_data_steps(&self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        let mut outcomes = Vec::new();
        for step in Step::ALL {
            // Checked inside the write transaction, so two servers starting
            // at once cannot both run a step.
            let mut tx = self.write_tx().await.map_err(db_err)?;
            let done: bool = sqlx::query("select exists(select 1 from data_steps where name = ?)")
                .bind(step.name())
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?
                .get(0);
            if done {
                continue;
            }
            let outcome = match step {
                Step::CivilCodePeriods => civil_code_periods(&mut tx, today).await?,
                Step::IndividualBusinessNames => individual_business_names(&mut tx, today).await?,
            };
            sqlx::query("insert into data_steps (name, done_at, outcome) values (?, ?, ?)")
                .bind(step.name())
                .bind(crate::store::register::ts(chrono::Utc::now()))
                .bind(&outcome)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            outcomes.push(format!("{}: {outcome}", step.name()));
        }
        Ok(outcomes)
    }
}

/// Every catalog rule version by id, as records see it (item disclosure
/// applied).
async fn all_rules(c: &mut SqliteConnection) -> Result<HashMap<i64, PublicationRule>, StoreError> {
    let rows = sqlx::query(concat!(
        "select r.id, ",
        rule_columns!(),
        " from catalog_rules r join catalog_items i on i.id = r.item_id"
    ))
    .fetch_all(&mut *c)
    .await
    .map_err(db_err)?;
    rows.iter()
        .map(|row| Ok((row.get(0), rule_from_row_at(row, 1)?)))
        .collect()
}

/// The rule versions of every penalty and licence.
async fn record_rules(
    c: &mut SqliteConnection,
    rules: &HashMap<i64, PublicationRule>,
) -> Result<HashMap<(RecordKind, i64), Vec<PublicationRule>>, StoreError> {
    let rows = sqlx::query("select record_kind, record_id, rule_id from record_rules")
        .fetch_all(&mut *c)
        .await
        .map_err(db_err)?;
    let mut out: HashMap<(RecordKind, i64), Vec<PublicationRule>> = HashMap::new();
    for row in rows {
        let kind: String = row.get(0);
        let kind = RecordKind::from_code(&kind)
            .ok_or_else(|| StoreError(format!("record kind {kind}")))?;
        let rule_id: i64 = row.get(2);
        let rule = rules
            .get(&rule_id)
            .ok_or_else(|| StoreError(format!("rule {rule_id}")))?;
        out.entry((kind, row.get(1)))
            .or_default()
            .push(rule.clone());
    }
    Ok(out)
}

/// The change-log field of a record's publication end: the national
/// penalty column, and for licences (whose columns have none) its name.
fn end_field(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Penalty => "CF_GSJZQ",
        RecordKind::License | RecordKind::Serious => "公示截止期",
    }
}

/// A change-log object: the publication end and the convention it was
/// counted under.
fn end_entry(kind: RecordKind, until: Option<NaiveDate>, convention: &str) -> String {
    serde_json::json!({
        end_field(kind): until.map(|d| d.to_string()),
        "period_convention": convention,
    })
    .to_string()
}

/// Re-derives the publication end of every penalty and licence in the
/// projection under [`app::domain::publication::period_end`], and brings
/// back the records public on `today` under it that the sweeper had taken
/// out a day early. Every end date moved goes to the change log as a
/// correction, with the convention before and after (DOMAIN.md §10), so the
/// provincial platform hears of it too.
async fn civil_code_periods(
    c: &mut SqliteConnection,
    today: NaiveDate,
) -> Result<String, StoreError> {
    let rules = all_rules(c).await?;
    let by_record = record_rules(c, &rules).await?;
    let rows = sqlx::query(
        "select 'penalty', p.id, p.department_id, p.decision_date, p.repaired_on, e.until
         from penalties p
         left join public_entries e on e.record_kind = 'penalty' and e.record_id = p.id
         union all
         select 'license', l.id, l.department_id, l.decision_date, null, e.until
         from licenses l
         left join public_entries e on e.record_kind = 'license' and e.record_id = l.id",
    )
    .fetch_all(&mut *c)
    .await
    .map_err(db_err)?;
    let (mut moved, mut restored) = (0u64, 0u64);
    let no_rules = Vec::new();
    for row in rows {
        let kind = match row.get::<&str, _>(0) {
            "penalty" => RecordKind::Penalty,
            _ => RecordKind::License,
        };
        let id: i64 = row.get(1);
        let department_id: i64 = row.get(2);
        let decision: NaiveDate = row.get(3);
        let repaired_on: Option<NaiveDate> = row.get(4);
        let stored: Option<NaiveDate> = row.get(5);
        let rules = by_record.get(&(kind, id)).unwrap_or(&no_rules);
        let Some(window) = publication_window(decision, rules) else {
            continue;
        };
        match stored {
            Some(old) if old == window.until => continue,
            Some(_) => {
                sqlx::query(
                    "update public_entries set until = ? where record_kind = ? and record_id = ?",
                )
                .bind(window.until)
                .bind(kind.code())
                .bind(id)
                .execute(&mut *c)
                .await
                .map_err(db_err)?;
                moved += 1;
            }
            None if status_on(decision, rules, repaired_on, today).is_public() => {
                reproject_record(c, kind, id, today).await?;
                restored += 1;
            }
            None => continue,
        }
        record_change(
            c,
            kind,
            id,
            Some(department_id),
            "corrected",
            "system",
            Some(end_entry(kind, stored, OLD_CONVENTION)),
            Some(end_entry(kind, Some(window.until), CIVIL_CODE_CONVENTION)),
        )
        .await?;
    }
    Ok(format!(
        "{moved} 条公示截止期按民法典重算，{restored} 条恢复公示"
    ))
}

/// Rebuilds the projection rows of individual businesses whose public name
/// the current masking rule writes differently (names published whole when
/// no operator's name was on file).
async fn individual_business_names(
    c: &mut SqliteConnection,
    today: NaiveDate,
) -> Result<String, StoreError> {
    let rows = sqlx::query(
        "select e.record_kind, e.record_id, e.name, s.name, s.representative
         from public_entries e join subjects s on s.id = e.subject_id
         where s.kind = 'individual'",
    )
    .fetch_all(&mut *c)
    .await
    .map_err(db_err)?;
    let mut changed = 0u64;
    for row in rows {
        let public: &str = row.get(2);
        let masked = public_name(
            SubjectKind::IndividualBusiness,
            row.get(3),
            row.get::<Option<&str>, _>(4),
        );
        if masked == public {
            continue;
        }
        let kind: String = row.get(0);
        let kind = RecordKind::from_code(&kind)
            .ok_or_else(|| StoreError(format!("record kind {kind}")))?;
        reproject_record(c, kind, row.get(1), today).await?;
        changed += 1;
    }
    Ok(format!("{changed} 条个体工商户名称重新脱敏"))
}
