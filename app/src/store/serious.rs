//! Storage of the serious list's domains (严重失信主体名单 领域): what the
//! credit authority keeps as data so that no listing happens outside one.

use async_trait::async_trait;

use super::staff::NewAuditEntry;
use super::StoreError;
use crate::domain::serious_domain::SeriousDomain;

#[async_trait]
pub trait SeriousDomainStore: Send + Sync + 'static {
    /// Every domain, by name.
    async fn domains(&self) -> Result<Vec<SeriousDomain>, StoreError>;
    async fn domain(&self, code: &str) -> Result<Option<SeriousDomain>, StoreError>;
    /// Adds a domain with its register entry; false (nothing written) when
    /// the code or the name is taken.
    async fn add_domain(
        &self,
        domain: &SeriousDomain,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError>;
    /// Replaces a domain's attributes (its code stays) with its register
    /// entry; false (nothing written) when there is no such domain or the
    /// new name is another domain's.
    async fn update_domain(
        &self,
        domain: &SeriousDomain,
        audit: &NewAuditEntry,
    ) -> Result<bool, StoreError>;
    /// Adds those of `domains` whose code is not stored yet (a stored one is
    /// left as an administrator may have corrected it), and links each
    /// serious-list entry without a domain to the domain of its list's
    /// name. Returns how many domains were added.
    async fn ensure_domains(&self, domains: &[SeriousDomain]) -> Result<usize, StoreError>;
}
