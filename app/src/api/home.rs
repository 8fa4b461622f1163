//! Home page data: counts and the latest publications.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::{DepartmentOption, HomeStats, SearchHit};

/// What the home page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomePageData {
    pub stats: HomeStats,
    pub latest_penalties: Vec<SearchHit>,
    pub latest_licenses: Vec<SearchHit>,
}

#[server(endpoint = "home")]
pub async fn home_data() -> Result<HomePageData, AppError> {
    use crate::model::RecordKind;
    let portal = crate::api::portal()?;
    let today = portal.today();
    Ok(HomePageData {
        stats: portal.store.stats(today).await?,
        latest_penalties: portal.store.latest(RecordKind::Penalty, today, 8).await?,
        latest_licenses: portal.store.latest(RecordKind::License, today, 8).await?,
    })
}

/// The departments that publish records, for the search filter.
#[server(endpoint = "departments")]
pub async fn departments() -> Result<Vec<DepartmentOption>, AppError> {
    let portal = crate::api::portal()?;
    Ok(portal.store.departments().await?)
}
