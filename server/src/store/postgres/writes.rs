//! Writes every PostgreSQL store shares: reference data, records, the
//! public projection (one table, `public_entries`, whose `tokens` array and
//! trigram index are the search indexes) and the change log the provincial
//! feed reads. They port `store::writes` (the projection rows come from the
//! same backend-neutral code); [`PgWriter`] is the seed writer made of them.

use app::domain::{PersonalBasis, PublicationRule, SubjectKind, Tier};
use app::model::RecordKind;
use app::store::StoreError;
use async_trait::async_trait;
use chrono::{NaiveDate, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, Row};

use super::{db_err, millis, PgStore};
use crate::store::columns::rule_columns;
use crate::store::projection::{self, ProjectionRow};
use crate::store::projection::{Known, Publishable, SubjectFacts};
use crate::store::seed::{
    NewCatalogItem, NewDepartment, NewLicense, NewPenalty, NewSeriousEntry, NewSubject,
    RecordWriter, Seed,
};

type Conn = PgConnection;

/// Takes record `record_id` of `kind` off every public page.
pub(crate) async fn unpublish(
    c: &mut PgConnection,
    kind: RecordKind,
    record_id: i64,
) -> Result<(), StoreError> {
    sqlx::query("delete from public_entries where record_kind = $1 and record_id = $2")
        .bind(kind.code())
        .bind(record_id)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Appends to the change log the provincial feed reads.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_change(
    c: &mut PgConnection,
    kind: RecordKind,
    record_id: i64,
    department_id: Option<i64>,
    change: &str,
    actor: &str,
    before: Option<String>,
    after: Option<String>,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into record_changes (at, record_kind, record_id, department_id, change, actor,
                                     before, after)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(millis(chrono::Utc::now()))
    .bind(kind.code())
    .bind(record_id)
    .bind(department_id)
    .bind(change)
    .bind(actor)
    .bind(before)
    .bind(after)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn insert_district(
    c: &mut Conn,
    code: &str,
    name: &str,
) -> Result<(), StoreError> {
    sqlx::query("insert into districts (code, name) values ($1, $2)")
        .bind(code)
        .bind(name)
        .execute(c)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn insert_department(
    c: &mut Conn,
    d: &NewDepartment<'_>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into departments (code, name, short_name, credit_code, division_code)
         values ($1, $2, $3, $4, $5) returning id",
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

pub(crate) async fn insert_catalog_item(
    c: &mut Conn,
    i: &NewCatalogItem<'_>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into catalog_items (code, name, record_kind, conduct, department_id, data_source,
                                    classification, sharing, disclosure)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
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

pub(crate) async fn insert_catalog_rule(
    c: &mut Conn,
    item_id: i64,
    rule: &PublicationRule,
) -> Result<i64, StoreError> {
    rule.validate().map_err(StoreError)?;
    let row = sqlx::query(
        "insert into catalog_rules (item_id, version, tier, published, min_months, max_months,
                                    repairable, effective_from)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
    )
    .bind(item_id)
    .bind(i64::from(rule.version))
    .bind(rule.tier.code())
    .bind(rule.published)
    .bind(i64::from(rule.min_months))
    .bind(i64::from(rule.max_months))
    .bind(rule.repairable)
    .bind(rule.effective_from)
    .fetch_one(c)
    .await
    .map_err(db_err)?;
    Ok(row.get(0))
}

/// A publication rule from the eight `rule_columns!` starting at `o`. A
/// rule of a catalog item that is not public counts as unpublished.
pub(crate) fn rule_from_row(row: &PgRow, o: usize) -> Result<PublicationRule, StoreError> {
    let tier: String = row.try_get(o).map_err(db_err)?;
    let disclosure: String = row.try_get(o + 7).map_err(db_err)?;
    // bigint columns holding u32 values (the schema checks they are not negative).
    let small = |i: usize| -> Result<u32, StoreError> {
        let v: i64 = row.try_get(i).map_err(db_err)?;
        u32::try_from(v).map_err(|_| StoreError(format!("rule column {i} out of range: {v}")))
    };
    Ok(PublicationRule {
        tier: Tier::from_code(&tier).ok_or_else(|| StoreError(format!("unknown tier {tier}")))?,
        published: row.try_get::<bool, _>(o + 1).map_err(db_err)? && disclosure == "public",
        min_months: small(o + 2)?,
        max_months: small(o + 3)?,
        repairable: row.try_get(o + 4).map_err(db_err)?,
        version: small(o + 5)?,
        effective_from: row.try_get(o + 6).map_err(db_err)?,
    })
}

pub(crate) async fn insert_subject(c: &mut Conn, s: &NewSubject<'_>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into subjects (kind, name, credit_code, id_number, representative, division_code)
         values ($1, $2, $3, $4, $5, $6) returning id",
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

pub(crate) async fn insert_record_rules(
    c: &mut Conn,
    kind: RecordKind,
    record_id: i64,
    rule_ids: &[i64],
) -> Result<(), StoreError> {
    for rule_id in rule_ids {
        sqlx::query(
            "insert into record_rules (record_kind, record_id, rule_id) values ($1, $2, $3)",
        )
        .bind(kind.code())
        .bind(record_id)
        .bind(rule_id)
        .execute(&mut *c)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

/// Rules by id, in the order given, as the projection needs them (item
/// disclosure applied).
pub(crate) async fn rules_by_ids(
    c: &mut Conn,
    ids: &[i64],
) -> Result<Vec<PublicationRule>, StoreError> {
    let mut rules = Vec::with_capacity(ids.len());
    for id in ids {
        let row = sqlx::query(concat!(
            "select ",
            rule_columns!(),
            " from catalog_rules r join catalog_items i on i.id = r.item_id where r.id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
        rules.push(rule_from_row(&row, 0)?);
    }
    Ok(rules)
}

pub(crate) async fn subject_facts(c: &mut Conn, id: i64) -> Result<SubjectFacts, StoreError> {
    let row =
        sqlx::query("select kind, name, representative, credit_code from subjects where id = $1")
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

pub(crate) async fn department_name(c: &mut Conn, id: i64) -> Result<String, StoreError> {
    let row = sqlx::query("select name from departments where id = $1")
        .bind(id)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
    Ok(row.get(0))
}

/// Adds a row to the public projection. Its search indexes are the row's
/// own: the `tokens` array (SQLite's FTS document, split on its spaces)
/// and the trigram index over `name_norm`.
pub(crate) async fn publish_row(c: &mut Conn, row: &ProjectionRow) -> Result<(), StoreError> {
    sqlx::query(
        "insert into public_entries (sort_key, record_kind, record_id, subject_id, name, name_norm,
                                     credit_code, doc_no, department_id, department, decision_date,
                                     until, summary, tokens)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                 string_to_array($14, ' '))",
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
    .bind(&row.tokens)
    .execute(&mut *c)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Removes every record whose publication ended before `today` (its last
/// public day is past) from the projection; the number removed.
pub(crate) async fn unpublish_ended(c: &mut Conn, today: NaiveDate) -> Result<u64, StoreError> {
    Ok(sqlx::query("delete from public_entries where until < $1")
        .bind(today)
        .execute(&mut *c)
        .await
        .map_err(db_err)?
        .rows_affected())
}

/// Adds the record's projection row when it is public on `today`, looking
/// up what `known` does not give.
pub(crate) async fn project(
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
pub(crate) async fn insert_penalty(
    c: &mut Conn,
    p: &NewPenalty<'_>,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    insert_penalty_delivered(c, p, false, today, None).await
}

/// [`insert_penalty`] for a delivery: `late` when after the item's
/// reporting limit, with what the caller already `known`s.
pub(crate) async fn insert_penalty_delivered(
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
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                 $19, $20, $21)
         returning id",
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
    .bind(millis(Utc::now()))
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
pub(crate) async fn insert_license(
    c: &mut Conn,
    l: &NewLicense<'_>,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    insert_license_delivered(c, l, false, today, None).await
}

/// [`insert_license`] for a delivery: `late` when after the item's
/// reporting limit, with what the caller already `known`s.
pub(crate) async fn insert_license_delivered(
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
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18)
         returning id",
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
    .bind(millis(Utc::now()))
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
pub(crate) async fn insert_serious_entry(
    c: &mut Conn,
    e: &NewSeriousEntry<'_>,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into serious_entries (subject_id, list_name, reason, basis, doc_no, department_id,
                                      listed_on, until, measures, removal_conditions, remedies,
                                      grounds_penalty_id, created_at, domain_code)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id",
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
    .bind(millis(Utc::now()))
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
pub(crate) async fn reproject_item(
    c: &mut Conn,
    item_id: i64,
    today: NaiveDate,
) -> Result<u64, StoreError> {
    let records: Vec<(String, i64)> = sqlx::query(
        "select distinct rr.record_kind, rr.record_id from record_rules rr
         join catalog_rules r on r.id = rr.rule_id where r.item_id = $1",
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
pub(crate) async fn reproject_record(
    c: &mut Conn,
    kind: RecordKind,
    id: i64,
    today: NaiveDate,
) -> Result<(), StoreError> {
    unpublish(c, kind, id).await?;
    let sql = match kind {
        RecordKind::Penalty => {
            "select subject_id, doc_no, department_id, decision_date, categories, repaired_on
             from penalties where id = $1"
        }
        // The summary as `NewLicense::publishable` writes it.
        RecordKind::License => {
            "select subject_id, doc_no, department_id, decision_date,
                    category || '：' || doc_name, null::date
             from licenses where id = $1"
        }
        RecordKind::Serious => return project_listing(c, id, today).await,
    };
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_one(&mut *c)
        .await
        .map_err(db_err)?;
    let rule_ids: Vec<i64> = sqlx::query(
        "select rule_id from record_rules where record_kind = $1 and record_id = $2
         order by rule_id",
    )
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
         from serious_entries where id = $1",
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
impl Seed for PgStore {
    async fn writer(&self) -> Result<Box<dyn RecordWriter>, StoreError> {
        let tx = self.pool.begin().await.map_err(db_err)?;
        Ok(Box::new(PgWriter { tx }))
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        PgStore::is_empty(self).await
    }

    async fn holds_demo_data(&self) -> Result<bool, StoreError> {
        PgStore::holds_demo_data(self).await
    }
}

/// [`RecordWriter`] on one PostgreSQL transaction.
pub(crate) struct PgWriter {
    tx: sqlx::Transaction<'static, Postgres>,
}

#[async_trait]
impl RecordWriter for PgWriter {
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
        sqlx::query("insert into settings (key, value, note) values ($1, $2, $3)")
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
