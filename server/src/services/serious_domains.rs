//! The serious list's domains a portal starts with: the national ones
//! (`app::domain::serious_domain::national_domains`), added once at
//! start-up and never overwritten, so an administrator's correction holds.

use app::domain::serious_domain::national_domains;
use app::store::serious::SeriousDomainStore;
use app::store::StoreError;

/// Adds the national domains not stored yet and links entries to the
/// domain of their list; how many domains were added.
pub async fn ensure_national(store: &dyn SeriousDomainStore) -> Result<usize, StoreError> {
    store.ensure_domains(&national_domains()).await
}
