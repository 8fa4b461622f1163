//! The public measures list (`/measures`): every measure in force today,
//! with its legal basis, the lists it follows from and who applies it,
//! searchable by list and by department.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One measure as the public page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicMeasure {
    pub code: String,
    pub version: u32,
    pub name: String,
    pub class: String,
    pub effect: String,
    /// `《…》第…条第…款`.
    pub citation: String,
    /// The provision's words.
    pub basis_text: String,
    pub lists: Vec<String>,
    pub subject_kinds: Vec<String>,
    pub implementer: String,
    pub departments: Vec<String>,
    pub effective_from: String,
    pub effective_to: Option<String>,
}

/// The page: the measures found and what the filters offer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasuresView {
    pub measures: Vec<PublicMeasure>,
    /// (code, name) of every list.
    pub domains: Vec<(String, String)>,
    /// (id, name) of every department that applies a measure.
    pub departments: Vec<(i64, String)>,
    pub domain: String,
    pub department: String,
}

/// The measures in force today, filtered by list (`domain`, a code) and
/// by department (an id); empty filters take all.
#[server(endpoint = "measures")]
pub async fn get_measures(domain: String, department: String) -> Result<MeasuresView, AppError> {
    let portal = crate::api::portal()?;
    measures_view(&portal, &domain, &department).await
}

/// The measures page's view, for the server function and the open-data API.
#[cfg(feature = "ssr")]
pub async fn measures_view(
    portal: &crate::api::PortalContext,
    domain: &str,
    department: &str,
) -> Result<MeasuresView, AppError> {
    let today = portal.today();
    let domain = domain.trim().to_string();
    let department = department.trim().to_string();
    let domains: Vec<(String, String)> = portal
        .domains
        .domains()
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    if !domain.is_empty() && !domains.iter().any(|(c, _)| *c == domain) {
        return Err(AppError::BadRequest(
            "“适用名单”无效：请从列表中选择。".into(),
        ));
    }
    let department_id = match department.as_str() {
        "" => None,
        raw => Some(
            raw.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| AppError::BadRequest("“实施单位”无效：请从列表中选择。".into()))?,
        ),
    };
    let all = portal.measures.measure_versions().await?;
    let names = portal.measures.all_departments().await?;
    // The current version of each measure, in force today.
    let mut current = crate::domain::measure::current_versions(&all);
    current.retain(|m| m.in_force(today));
    let mut applying: Vec<(i64, String)> = names
        .iter()
        .filter(|d| current.iter().any(|m| m.departments.contains(&d.id)))
        .map(|d| (d.id, d.name.clone()))
        .collect();
    applying.sort();
    let list_name = |code: &str| {
        domains
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_string(), |(_, n)| n.clone())
    };
    let department_name = |id: &i64| {
        names
            .iter()
            .find(|d| d.id == *id)
            .map(|d| d.name.clone())
            .unwrap_or_default()
    };
    let measures = current
        .iter()
        .filter(|m| domain.is_empty() || m.domains.contains(&domain))
        .filter(|m| department_id.is_none_or(|d| m.departments.contains(&d)))
        .map(|m| PublicMeasure {
            code: m.code.clone(),
            version: m.version,
            name: m.name.clone(),
            class: m.class.label().to_string(),
            effect: m.effect.clone(),
            citation: m.basis.citation(),
            basis_text: m.basis.text.clone(),
            lists: m.domains.iter().map(|d| list_name(d)).collect(),
            subject_kinds: m
                .subject_kinds
                .iter()
                .map(|k| k.label().to_string())
                .collect(),
            implementer: m.implementer.clone(),
            departments: m.departments.iter().map(department_name).collect(),
            effective_from: m.effective_from.to_string(),
            effective_to: m.effective_to.map(|d| d.to_string()),
        })
        .collect();
    Ok(MeasuresView {
        measures,
        domains,
        departments: applying,
        domain,
        department,
    })
}
