//! Writes to the SQLite store: reference data, records, and keeping the
//! public projection in step with them. Each function takes a connection so
//! callers group many writes in one transaction (all or nothing);
//! [`SqliteWriter`] is the [`RecordWriter`] made of them.

use app::domain::{PersonalBasis, PublicationRule, SubjectKind};
use app::model::RecordKind;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::{Row, Sqlite, SqliteConnection};

use super::SqliteStore;
use super::{db_err, rule_from_row};
use crate::store::columns::rule_columns;
use crate::store::projection::{self, ProjectionRow};
use crate::store::projection::{Known, Publishable, SubjectFacts};
pub use crate::store::seed::{
    NewCatalogItem, NewDepartment, NewLicense, NewPenalty, NewSeriousEntry, NewSubject,
};
use crate::store::seed::{RecordWriter, Seed};

type Conn = SqliteConnection;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub async fn insert_district(c: &mut Conn, code: &str, name: &str) -> Result<(), StoreError> {
    sqlx::query("insert into districts (code, name) values (?, ?)")
        .bind(code)
        .bind(name)
        .execute(c)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub async fn insert_department(c: &mut Conn, d: &NewDepartment<'_>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into departments (code, name, short_name, credit_code, division_code)
         values (?, ?, ?, ?, ?) returning id",
    )
    .bind(d.code)
    .bind(d.name)
    .bind(d.short_name)
    .bind(d.credit_code)
    .bind(d.division_code)
    .fetch_one(c)
    .await
    .map_err(db_err)?;
    Ok(row.get(0))
}

pub async fn insert_catalog_item(c: &mut Conn, i: &NewCatalogItem<'_>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into catalog_items (code, name, record_kind, conduct, department_id, data_source,
                                    classification, sharing, disclosure)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
    )
    .bind(i.code)
    .bind(i.name)
    .bind(i.record_kind.code())
    .bind(i.conduct)
    .bind(i.department_id)
    .bind(i.data_source)
    .bind(i.classification)
    .bind(i.sharing)
    .bind(i.disclosure)
    .fetch_one(c)
    .await
    .map_err(db_err)?;
    Ok(row.get(0))
}

pub async fn insert_catalog_rule(
    c: &mut Conn,
    item_id: i64,
    rule: &PublicationRule,
) -> Result<i64, StoreError> {
    rule.validate().map_err(StoreError)?;
    let row = sqlx::query(
        "insert into catalog_rules (item_id, version, tier, published, min_months, max_months,
                                    repairable, effective_from)
         values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
    )
    .bind(item_id)
    .bind(rule.version)
    .bind(rule.tier.code())
    .bind(rule.published)
    .bind(rule.min_months)
    .bind(rule.max_months)
    .bind(rule.repairable)
    .bind(rule.effective_from)
    .fetch_one(c)
    .await
    .map_err(db_err)?;
    Ok(row.get(0))
}

pub async fn insert_subject(c: &mut Conn, s: &NewSubject<'_>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into subjects (kind, name, credit_code, id_number, representative, division_code)
         values (?, ?, ?, ?, ?, ?) returning id",
    )
    .bind(s.kind.code())
    .bind(s.name)
    .bind(s.credit_code)
    .bind(s.id_number)
    .bind(s.representative)
    .bind(s.division_code)
    .fetch_one(c)
    .await
    .map_err(db_err)?;
    Ok(row.get(0))
}

async fn insert_record_rules(
    c: &mut Conn,
    kind: RecordKind,
    record_id: i64,
    rule_ids: &[i64],
) -> Result<(), StoreError> {
    for rule_id in rule_ids {
        sqlx::query("insert into record_rules (record_kind, record_id, rule_id) values (?, ?, ?)")
            .bind(kind.code())
            .bind(record_id)
            .bind(rule_id)
            .execute(&mut *c)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

/// Rules by id, as the projection needs them (item disclosure applied).
async fn rules_by_ids(c: &mut Conn, ids: &[i64]) -> Result<Vec<PublicationRule>, StoreError> {
    let mut rules = Vec::with_capacity(ids.len());
    for id in ids {
        let row = sqlx::query(concat!(
            "select ",
            rule_columns!(),
            " from catalog_rules r join catalog_items i on i.id = r.item_id where r.id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
        rules.push(rule_from_row(&row)?);
    }
    Ok(rules)
}

pub async fn subject_facts(c: &mut Conn, id: i64) -> Result<SubjectFacts, StoreError> {
    let row =
        sqlx::query("select kind, name, representative, credit_code from subjects where id = ?")
            .bind(id)
            .fetch_one(&mut *c)
            .await
            .map_err(db_err)?;
    let kind: String = row.get(0);
    Ok(SubjectFacts {
        kind: SubjectKind::from_code(&kind)
            .ok_or_else(|| StoreError(format!("unknown subject kind {kind}")))?,
        name: row.get(1),
        representative: row.get(2),
        credit_code: row.get(3),
    })
}

async fn department_name(c: &mut Conn, id: i64) -> Result<String, StoreError> {
    let row = sqlx::query("select name from departments where id = ?")
        .bind(id)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(row.get(0))
}

/// Adds a row to the public projection and both name indexes (see the
/// migrations): unigrams + bigrams with the filter tokens, and the trigram
/// index over the normalised name. One command, three statements (SQLite
/// runs them in turn, the `?`s taken in order): an import writes a row per
/// record, and each command is a round trip to the connection's thread.
pub async fn publish_row(c: &mut Conn, row: &ProjectionRow) -> Result<(), StoreError> {
    sqlx::query(
        "insert into public_entries (sort_key, record_kind, record_id, subject_id, name, name_norm,
                                     credit_code, doc_no, department_id, department, decision_date,
                                     until, summary)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
         insert into public_fts (rowid, tokens) values (?, ?);
         insert into public_trgm (rowid, name) values (?, ?);",
    )
    .bind(row.sort_key)
    .bind(row.kind.code())
    .bind(row.record_id)
    .bind(row.subject_id)
    .bind(&row.name)
    .bind(&row.name_norm)
    .bind(&row.credit_code)
    .bind(&row.doc_no)
    .bind(row.department_id)
    .bind(&row.department)
    .bind(row.decision_date)
    .bind(row.until)
    .bind(&row.summary)
    .bind(row.sort_key)
    .bind(&row.tokens)
    .bind(row.sort_key)
    .bind(&row.name_norm)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Removes a record from the public projection and both name indexes
/// (repair, revocation, early removal from a list), in one command as
/// [`publish_row`] writes it. Takes effect for every public page at once,
/// since they all read the projection.
pub async fn unpublish(c: &mut Conn, kind: RecordKind, record_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "delete from public_fts where rowid in
           (select sort_key from public_entries where record_kind = ? and record_id = ?);
         delete from public_trgm where rowid in
           (select sort_key from public_entries where record_kind = ? and record_id = ?);
         delete from public_entries where record_kind = ? and record_id = ?;",
    )
    .bind(kind.code())
    .bind(record_id)
    .bind(kind.code())
    .bind(record_id)
    .bind(kind.code())
    .bind(record_id)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Removes every record whose publication ended before `today` (its last
/// public day is past) from the projection and the search indexes; the
/// number removed.
pub async fn unpublish_ended(c: &mut Conn, today: &str) -> Result<u64, StoreError> {
    for sql in [
        "delete from public_fts where rowid in (select sort_key from public_entries where until < ?)",
        "delete from public_trgm where rowid in (select sort_key from public_entries where until < ?)",
    ] {
        sqlx::query(sql)
            .bind(today)
            .execute(&mut *c)
            .await
            .map_err(db_err)?;
    }
    Ok(sqlx::query("delete from public_entries where until < ?")
        .bind(today)
        .execute(&mut *c)
        .await
        .map_err(db_err)?
        .rows_affected())
}

/// Adds the record's projection row when it is public on `today`, looking
/// up what `known` does not give.
async fn project(
    c: &mut Conn,
    r: &Publishable<'_>,
    today: NaiveDate,
    known: Option<Known<'_>>,
) -> Result<(), StoreError> {
    let looked_up;
    let known = match known {
        Some(k) => k,
        None => {
            looked_up = (
                rules_by_ids(c, r.rule_ids).await?,
                department_name(c, r.department_id).await?,
                subject_facts(c, r.subject_id).await?,
            );
            Known {
                rules: &looked_up.0,
                department: &looked_up.1,
                subject: &looked_up.2,
            }
        }
    };
    if let Some(row) = projection::of_record(r, known, today) {
        publish_row(c, &row).await?;
    }
    Ok(())
}

/// Inserts a penalty and, when it is public on `today`, its projection row.
pub async fn insert_penalty(
    c: &mut Conn,
    p: &NewPenalty<'_>,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    insert_penalty_delivered(c, p, false, today, None).await
}

/// [`insert_penalty`] for a delivery: `late` when after the item's
/// reporting limit, with what the caller already `known`s.
pub async fn insert_penalty_delivered(
    c: &mut Conn,
    p: &NewPenalty<'_>,
    late: bool,
    today: NaiveDate,
    known: Option<Known<'_>>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into penalties (subject_id, doc_no, violation_type, facts, basis, categories,
                                content, fine_fen, confiscated_fen, license_action, decision_date,
                                valid_until, department_id, source_department_id, note,
                                repaired_on, created_at, late, representative_id_number,
                                personal_basis, consent_ref)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
    )
    .bind(p.subject_id)
    .bind(p.doc_no)
    .bind(p.violation_type)
    .bind(p.facts)
    .bind(p.basis)
    .bind(p.categories.join("、"))
    .bind(p.content)
    .bind(p.fine.map(|f| f.0))
    .bind(p.confiscated.map(|f| f.0))
    .bind(p.license_action)
    .bind(p.decision_date)
    .bind(p.valid_until)
    .bind(p.department_id)
    .bind(p.source_department_id)
    .bind(p.note)
    .bind(p.repaired_on)
    .bind(now())
    .bind(late)
    .bind(p.representative_id)
    .bind(p.personal_basis.map(PersonalBasis::code))
    .bind(p.personal_basis.and_then(PersonalBasis::reference))
    .fetch_one(&mut *c)
    .await
    .map_err(db_err)?;
    let id: i64 = row.get(0);
    insert_record_rules(c, RecordKind::Penalty, id, p.rule_ids).await?;
    project(c, &p.publishable(id), today, known).await?;
    Ok(id)
}

/// Inserts a licence and, when it is public on `today`, its projection row.
pub async fn insert_license(
    c: &mut Conn,
    l: &NewLicense<'_>,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    insert_license_delivered(c, l, false, today, None).await
}

/// [`insert_license`] for a delivery: `late` when after the item's
/// reporting limit, with what the caller already `known`s.
pub async fn insert_license_delivered(
    c: &mut Conn,
    l: &NewLicense<'_>,
    late: bool,
    today: NaiveDate,
    known: Option<Known<'_>>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into licenses (subject_id, doc_name, doc_no, category, cert_name, cert_no, content,
                               decision_date, valid_from, valid_to, department_id,
                               source_department_id, state, note, created_at, late,
                               personal_basis, consent_ref)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
    )
    .bind(l.subject_id)
    .bind(l.doc_name)
    .bind(l.doc_no)
    .bind(l.category)
    .bind(l.cert_name)
    .bind(l.cert_no)
    .bind(l.content)
    .bind(l.decision_date)
    .bind(l.valid_from)
    .bind(l.valid_to)
    .bind(l.department_id)
    .bind(l.source_department_id)
    .bind(l.state)
    .bind(l.note)
    .bind(now())
    .bind(late)
    .bind(l.personal_basis.map(PersonalBasis::code))
    .bind(l.personal_basis.and_then(PersonalBasis::reference))
    .fetch_one(&mut *c)
    .await
    .map_err(db_err)?;
    let id: i64 = row.get(0);
    insert_record_rules(c, RecordKind::License, id, l.rule_ids).await?;
    project(c, &l.publishable(id), today, known).await?;
    Ok(id)
}

/// Inserts a serious-list entry and, when listed on `today`, its projection row.
pub async fn insert_serious_entry(
    c: &mut Conn,
    e: &NewSeriousEntry<'_>,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into serious_entries (subject_id, list_name, reason, basis, doc_no, department_id,
                                      listed_on, until, measures, removal_conditions, remedies,
                                      grounds_penalty_id, created_at, domain_code)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
    )
    .bind(e.subject_id)
    .bind(e.list_name)
    .bind(e.reason)
    .bind(e.basis)
    .bind(e.doc_no)
    .bind(e.department_id)
    .bind(e.listed_on)
    .bind(e.until)
    .bind(e.measures)
    .bind(e.removal_conditions)
    .bind(e.remedies)
    .bind(e.grounds_penalty_id)
    .bind(now())
    .bind(e.domain_code)
    .fetch_one(&mut *c)
    .await
    .map_err(db_err)?;
    let id: i64 = row.get(0);
    project_listing(c, id, today).await?;
    Ok(id)
}

/// Rebuilds the projection rows of every penalty and licence that falls
/// under a rule of catalog item `item_id` (after its disclosure attribute
/// changed): each leaves the public pages and comes back only if it is
/// public on `today` under its rules as they now read. Returns how many
/// records were looked at.
pub async fn reproject_item(
    c: &mut Conn,
    item_id: i64,
    today: NaiveDate,
) -> Result<u64, StoreError> {
    let records: Vec<(String, i64)> = sqlx::query(
        "select distinct rr.record_kind, rr.record_id from record_rules rr
         join catalog_rules r on r.id = rr.rule_id where r.item_id = ?",
    )
    .bind(item_id)
    .fetch_all(&mut *c)
    .await
    .map_err(db_err)?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    for (kind, id) in &records {
        let kind =
            RecordKind::from_code(kind).ok_or_else(|| StoreError(format!("record kind {kind}")))?;
        reproject_record(c, kind, *id, today).await?;
    }
    Ok(records.len() as u64)
}

/// Rebuilds one record's projection row from the record as stored: it
/// leaves the public pages and comes back only if it is public on `today`
/// (masked and dated by the rules as they now read).
pub async fn reproject_record(
    c: &mut Conn,
    kind: RecordKind,
    id: i64,
    today: NaiveDate,
) -> Result<(), StoreError> {
    unpublish(c, kind, id).await?;
    let sql = match kind {
        RecordKind::Penalty => {
            "select subject_id, doc_no, department_id, decision_date, categories, repaired_on
             from penalties where id = ?"
        }
        RecordKind::License => {
            "select subject_id, doc_no, department_id, decision_date,
                    category || '：' || doc_name, null
             from licenses where id = ?"
        }
        RecordKind::Serious => return project_listing(c, id, today).await,
    };
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
    let rule_ids: Vec<i64> =
        sqlx::query("select rule_id from record_rules where record_kind = ? and record_id = ?")
            .bind(kind.code())
            .bind(id)
            .fetch_all(&mut *c)
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| r.get(0))
            .collect();
    let doc_no: String = row.get(1);
    let record = Publishable {
        kind,
        record_id: id,
        subject_id: row.get(0),
        doc_no: &doc_no,
        department_id: row.get(2),
        decision_date: row.get(3),
        summary: row.get(4),
        repaired_on: row.get(5),
        rule_ids: &rule_ids,
    };
    project(c, &record, today, None).await
}

/// Adds the projection row of serious-list entry `id` when it is listed on
/// `today`.
pub(crate) async fn project_listing(
    c: &mut Conn,
    id: i64,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "select subject_id, doc_no, department_id, listed_on, list_name, until, ended_on
         from serious_entries where id = ?",
    )
    .bind(id)
    .fetch_one(&mut *c)
    .await
    .map_err(db_err)?;
    let subject_id: i64 = row.get(0);
    let doc_no: String = row.get(1);
    let department_id: i64 = row.get(2);
    let subject = subject_facts(c, subject_id).await?;
    let department = department_name(c, department_id).await?;
    let listing = projection::Listing {
        id,
        subject_id,
        subject: &subject,
        doc_no: &doc_no,
        department_id,
        department: &department,
        listed_on: row.get(3),
        list_name: row.get(4),
        until: row.get(5),
        ended_on: row.get(6),
    };
    if let Some(row) = projection::of_listing(listing, today) {
        publish_row(c, &row).await?;
    }
    Ok(())
}

#[async_trait]
impl Seed for SqliteStore {
    async fn writer(&self) -> Result<Box<dyn RecordWriter>, StoreError> {
        let tx = self.write_tx().await.map_err(db_err)?;
        Ok(Box::new(SqliteWriter { tx }))
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        SqliteStore::is_empty(self).await
    }

    async fn holds_demo_data(&self) -> Result<bool, StoreError> {
        SqliteStore::holds_demo_data(self).await
    }
}

/// [`RecordWriter`] on one SQLite write transaction (`BEGIN IMMEDIATE`).
pub struct SqliteWriter {
    tx: sqlx::Transaction<'static, Sqlite>,
}

#[async_trait]
impl RecordWriter for SqliteWriter {
    async fn district(&mut self, code: &str, name: &str) -> Result<(), StoreError> {
        insert_district(&mut self.tx, code, name).await
    }

    async fn department(&mut self, d: &NewDepartment<'_>) -> Result<i64, StoreError> {
        insert_department(&mut self.tx, d).await
    }

    async fn catalog_item(&mut self, i: &NewCatalogItem<'_>) -> Result<i64, StoreError> {
        insert_catalog_item(&mut self.tx, i).await
    }

    async fn catalog_rule(
        &mut self,
        item_id: i64,
        rule: &PublicationRule,
    ) -> Result<i64, StoreError> {
        insert_catalog_rule(&mut self.tx, item_id, rule).await
    }

    async fn subject(&mut self, s: &NewSubject<'_>) -> Result<i64, StoreError> {
        insert_subject(&mut self.tx, s).await
    }

    async fn penalty(&mut self, p: &NewPenalty<'_>, today: NaiveDate) -> Result<i64, StoreError> {
        insert_penalty(&mut self.tx, p, today).await
    }

    async fn license(&mut self, l: &NewLicense<'_>, today: NaiveDate) -> Result<i64, StoreError> {
        insert_license(&mut self.tx, l, today).await
    }

    async fn serious_domain(
        &mut self,
        d: &app::domain::serious_domain::SeriousDomain,
    ) -> Result<(), StoreError> {
        super::serious::insert_if_absent(&mut self.tx, d)
            .await
            .map(drop)
    }

    async fn serious_entry(
        &mut self,
        e: &NewSeriousEntry<'_>,
        today: NaiveDate,
    ) -> Result<i64, StoreError> {
        insert_serious_entry(&mut self.tx, e, today).await
    }

    async fn setting(&mut self, key: &str, value: &str, note: &str) -> Result<(), StoreError> {
        sqlx::query("insert into settings (key, value, note) values (?, ?, ?)")
            .bind(key)
            .bind(value)
            .bind(note)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.commit().await.map_err(db_err)
    }
}
