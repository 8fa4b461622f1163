//! Keeping the measures list: saving a measure as a new version, and the
//! demo's national measures. The rules of a measure are the domain's
//! (`app::domain::measure`); this checks the form against the domains and
//! departments that exist and saves.

use app::domain::measure::{MeasureForm, NATIONAL_MEASURES};
use app::domain::staff::AuditAction;
use app::model::DepartmentOption;
use app::store::measures::{MeasureStore, Saved};
use app::store::serious::SeriousDomainStore;
use app::store::staff::NewAuditEntry;
use app::store::StoreError;

/// What saving a form did.
pub enum Outcome {
    Saved(Saved),
    /// Faults by field; nothing written.
    Refused(Vec<(&'static str, String)>),
}

/// Checks `form` and saves it as a new measure (`expected` None) or the
/// version after `expected`.
pub async fn save(
    measures: &dyn MeasureStore,
    domains: &dyn SeriousDomainStore,
    departments: &[DepartmentOption],
    form: &MeasureForm,
    expected: Option<u32>,
    audit: impl FnOnce(&app::domain::measure::NewMeasure) -> NewAuditEntry,
) -> Result<Outcome, StoreError> {
    let known_domains: Vec<String> = domains
        .domains()
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    let known_departments: Vec<i64> = departments.iter().map(|d| d.id).collect();
    let measure = match form.check(&known_domains, &known_departments) {
        Ok(m) => m,
        Err(errors) => return Ok(Outcome::Refused(errors)),
    };
    let entry = audit(&measure);
    Ok(Outcome::Saved(
        measures.save_measure(&measure, expected, &entry).await?,
    ))
}

/// Adds the national measures (`NATIONAL_MEASURES`) to an empty list, each
/// applied by those of its departments that exist. Returns how many.
pub async fn seed_national(
    measures: &dyn MeasureStore,
    domains: &dyn SeriousDomainStore,
    departments: &[DepartmentOption],
) -> Result<usize, StoreError> {
    if !measures.measure_versions().await?.is_empty() {
        return Ok(0);
    }
    let mut added = 0;
    for m in NATIONAL_MEASURES {
        let ids: Vec<String> = departments
            .iter()
            .filter(|d| m.departments.contains(&d.name.as_str()))
            .map(|d| d.id.to_string())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let form = m.form(ids, "2022-01-01");
        let outcome = save(measures, domains, departments, &form, None, |n| {
            NewAuditEntry {
                at: chrono::Utc::now(),
                account_id: None,
                actor: "system".into(),
                action: AuditAction::MeasureChanged,
                target: format!("惩戒措施 {}", n.code),
                purpose: format!(
                    "演示数据：载入全国失信惩戒措施基础清单所列措施（{}）",
                    n.name
                ),
                client: String::new(),
            }
        })
        .await?;
        match outcome {
            Outcome::Saved(Saved::Version(_)) => added += 1,
            Outcome::Saved(other) => {
                return Err(StoreError(format!(
                    "national measure {} not saved: {other:?}",
                    m.code
                )))
            }
            Outcome::Refused(errors) => {
                return Err(StoreError(format!(
                    "national measure {} refused: {errors:?}",
                    m.code
                )))
            }
        }
    }
    Ok(added)
}
