//! Applicants' contact data deleted a set time after their case ends
//! (`domain::privacy_notice`): the sweeper runs this every ten minutes.

use app::domain::privacy_notice::{CONTACT_RETENTION_DAYS, CONTACT_RETENTION_SETTING};
use app::store::{ConsentStore, RepairStore, StoreError};
use chrono::{DateTime, Duration, Utc};

/// The days contact data are kept after a case ends: the setting, which
/// the forms' notices state too.
pub async fn retention_days(settings: &dyn RepairStore) -> Result<u32, StoreError> {
    // The settings table's whole-number reader (its name is from the
    // working-day limits it was first written for).
    Ok(settings
        .working_days_setting(CONTACT_RETENTION_SETTING)
        .await?
        .unwrap_or(CONTACT_RETENTION_DAYS))
}

/// Deletes the name and phone of every case that ended more than the
/// retention setting's days before `now` (each deletion registered);
/// returns the cases' numbers.
pub async fn delete_expired_contacts(
    consents: &dyn ConsentStore,
    settings: &dyn RepairStore,
    now: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    let days = retention_days(settings).await?;
    consents
        .delete_contact_data(now - Duration::days(i64::from(days)), now)
        .await
}
