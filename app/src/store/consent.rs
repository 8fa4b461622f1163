//! Notices acknowledged and consents given (`domain::privacy_notice`), and
//! the deletion of applicants' contact data after the retention period.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::privacy_notice::{
    ConsentPurpose, NoticeForm, NOTICE_VERSION, SMS_CATEGORIES, SMS_RETENTION,
};
use crate::domain::working_days::china_time_label;
use crate::model::ConsentSummary;

/// A consent (or a notice's acknowledgement) to record with its case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConsent {
    pub purpose: ConsentPurpose,
    pub notice_version: String,
    pub categories: String,
    pub retention: String,
    /// `web`: the portal's form.
    pub channel: String,
    pub at: DateTime<Utc>,
}

impl NewConsent {
    /// `form`'s notice (the version shown now), acknowledged through the
    /// portal's form at `at`.
    pub fn notice(form: NoticeForm, retention_days: u32, at: DateTime<Utc>) -> Self {
        let n = crate::domain::privacy_notice::notice(form, retention_days);
        NewConsent {
            purpose: ConsentPurpose::Notice,
            notice_version: n.version.clone(),
            categories: n.categories().into(),
            retention: n.retention().into(),
            channel: "web".into(),
            at,
        }
    }

    /// The separate, optional consent to SMS about the case, given on the
    /// portal's form at `at` (its categories and retention are its own).
    pub fn sms(at: DateTime<Utc>) -> Self {
        NewConsent {
            purpose: ConsentPurpose::Sms,
            notice_version: NOTICE_VERSION.into(),
            categories: SMS_CATEGORIES.into(),
            retention: SMS_RETENTION.into(),
            channel: "web".into(),
            at,
        }
    }
}

impl ConsentSummary {
    /// From a case's consents, oldest first.
    pub fn of(consents: &[StoredConsent]) -> Self {
        ConsentSummary {
            notice: consents
                .iter()
                .find(|c| c.purpose == ConsentPurpose::Notice)
                .map(|c| {
                    (
                        c.notice_version.clone(),
                        china_time_label(c.given_at, false),
                    )
                }),
            sms: consents
                .iter()
                .rfind(|c| c.purpose == ConsentPurpose::Sms)
                .map(|c| {
                    (
                        china_time_label(c.given_at, false),
                        c.withdrawn_at.map(|t| china_time_label(t, false)),
                    )
                }),
        }
    }
}

/// A consent as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredConsent {
    pub id: i64,
    pub purpose: ConsentPurpose,
    pub notice_version: String,
    pub categories: String,
    pub retention: String,
    pub channel: String,
    pub given_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait ConsentStore: Send + Sync + 'static {
    /// The consents recorded with case `case_id` of `form`, oldest first.
    async fn consents(
        &self,
        form: NoticeForm,
        case_id: i64,
    ) -> Result<Vec<StoredConsent>, StoreError>;

    /// Withdraws the case's `purpose` consent at `at`; false when there is
    /// none in force (never given, or withdrawn already).
    async fn withdraw_consent(
        &self,
        form: NoticeForm,
        case_id: i64,
        purpose: ConsentPurpose,
        at: DateTime<Utc>,
        channel: &str,
    ) -> Result<bool, StoreError>;

    /// Deletes the name and phone number of every repair application and
    /// objection whose last step came before `ended_before` and that is no
    /// longer open, each with a register entry in the same transaction;
    /// returns the cases' numbers. A case done once is not done again.
    async fn delete_contact_data(
        &self,
        ended_before: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError>;
}

/// What a deleted name reads as afterwards (a phone number is emptied).
pub const DELETED_NAME: &str = "（已按期删除）";
