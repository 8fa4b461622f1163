//! The credit record report (`/subjects/{code}/report`, its PDF) and its
//! verification (`/reports/verify`).
//!
//! A report is built from the subject page's own lines (`subject_view`):
//! the same records, masked the same way, and nothing the page hides. Its
//! content is hashed; the same content keeps the number it was first given.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::report::{ReportCheck, ReportView};

/// The report on `code` over the period `from`–`to` (`YYYY-MM-DD`; empty
/// for the longest period ending today).
#[server(endpoint = "report")]
pub async fn get_report(code: String, from: String, to: String) -> Result<ReportView, AppError> {
    let portal = crate::api::portal()?;
    report_view(&portal, &code, &from, &to).await
}

/// Whether a report with `number` and `hash` was issued.
#[server(endpoint = "report-verify")]
pub async fn verify_report(number: String, hash: String) -> Result<ReportCheck, AppError> {
    let portal = crate::api::portal()?;
    check_report(&portal, &number, &hash).await
}

#[cfg(feature = "ssr")]
pub use build::{check_report, report_view};

#[cfg(feature = "ssr")]
mod build {
    use chrono::Utc;
    use sha2::{Digest, Sha256};

    use crate::api::PortalContext;
    use crate::domain::credit_report::{
        parse_content_hash, parse_report_number, ReportPeriod, ISSUER, NOTES,
    };
    use crate::domain::measure::{current_versions, of_domain};
    use crate::domain::objection::MARKED_STATE;
    use crate::domain::publication::format_date_cn;
    use crate::domain::repair_application::ApplicationState;
    use crate::domain::working_days::china_time_label;
    use crate::domain::CreditCode;
    use crate::error::AppError;
    use crate::model::plain_date;
    use crate::model::report::{
        ReportCheck, ReportContent, ReportCount, ReportLicense, ReportMark, ReportMeasure,
        ReportPenalty, ReportSerious, ReportSubject, ReportView,
    };
    use crate::model::{RecordKind, SubjectView};
    use crate::store::reports::{Issued, NewReport};

    /// Said when the day's report numbers are used up.
    const ISSUE_LIMIT_MESSAGE: &str =
        "今日报告编号已用完，请明天再生成报告；已生成的报告仍可下载和核验。";

    /// The report: content from the subject page, then issued (numbered).
    pub async fn report_view(
        portal: &PortalContext,
        code: &str,
        from: &str,
        to: &str,
    ) -> Result<ReportView, AppError> {
        let today = portal.today();
        let period = ReportPeriod::parse(from, to, today).map_err(AppError::BadRequest)?;
        let content = report_content(portal, code, period).await?;
        let json = serde_json::to_vec(&content).map_err(|e| {
            tracing::error!(error = %e, "report content does not serialise");
            AppError::Internal
        })?;
        let hash = hex(&Sha256::digest(&json));
        let summary = serde_json::to_string(&content.summary).map_err(|_| AppError::Internal)?;
        let issued = portal
            .reports
            .issue_report(&NewReport {
                content_hash: hash.clone(),
                credit_code: content.subject.credit_code.clone(),
                period_from: period.from,
                period_to: period.to,
                cutoff: today,
                summary,
                day: today,
                at: Utc::now(),
            })
            .await?;
        let issued = match issued {
            Issued::Report(r) => r,
            Issued::NumbersExhausted => {
                return Err(AppError::BadRequest(ISSUE_LIMIT_MESSAGE.into()));
            }
        };
        let verify_path = format!("/reports/verify?no={}&hash={}", issued.number, hash);
        let qr_svg = qr_svg(&format!("{}{verify_path}", portal.site_url));
        Ok(ReportView {
            number: issued.number,
            hash,
            issued_at: china_time_label(issued.issued_at, false),
            verify_path,
            qr_svg,
            content,
        })
    }

    /// What the report says, before it is numbered.
    async fn report_content(
        portal: &PortalContext,
        code: &str,
        period: ReportPeriod,
    ) -> Result<ReportContent, AppError> {
        let today = portal.today();
        // A subject with nothing public is answered like a code no subject
        // has: a report with empty chapters, so it tells nothing either.
        let view = match crate::api::subjects::subject_view(portal, code).await {
            Ok(view) => Some(view),
            Err(AppError::NotFound(_)) => None,
            Err(other) => return Err(other),
        };
        let code = match &view {
            Some(v) => v.credit_code.clone(),
            None => CreditCode::parse(code)
                .map_err(|e| AppError::BadRequest(format!("{e}。")))?
                .as_str()
                .to_string(),
        };
        let mut content = ReportContent {
            issuer: ISSUER.into(),
            cutoff: format_date_cn(today),
            period: period.label(),
            period_from: plain_date::iso(period.from),
            period_to: plain_date::iso(period.to),
            subject: ReportSubject {
                name: view.as_ref().map(|v| v.name.clone()),
                credit_code: code.clone(),
                kind_label: view.as_ref().map(|v| v.kind_label.clone()),
                representative: view.as_ref().and_then(|v| v.representative.clone()),
            },
            summary: Vec::new(),
            penalties: Vec::new(),
            licenses: Vec::new(),
            serious: Vec::new(),
            measures: Vec::new(),
            objections: Vec::new(),
            repairs: Vec::new(),
            notes: NOTES.iter().map(|n| n.to_string()).collect(),
            demo_data: portal.demo_data,
        };
        if let Some(view) = view {
            chapters(portal, &code, view, period, &mut content).await?;
        }
        content.summary = vec![
            count("行政处罚信息", content.penalties.len()),
            count("行政许可信息", content.licenses.len()),
            count("严重失信主体名单信息", content.serious.len()),
            count("失信惩戒措施", content.measures.len()),
            count("异议处理中的信息", content.objections.len()),
            count("信用修复申请审核中的信息", content.repairs.len()),
        ];
        Ok(content)
    }

    fn count(label: &str, n: usize) -> ReportCount {
        ReportCount {
            label: label.into(),
            count: u32::try_from(n).unwrap_or(u32::MAX),
        }
    }

    /// Fills the chapters from the subject page's lines in the period.
    async fn chapters(
        portal: &PortalContext,
        code: &str,
        view: SubjectView,
        period: ReportPeriod,
        content: &mut ReportContent,
    ) -> Result<(), AppError> {
        let today = portal.today();
        let parsed = CreditCode::parse_lenient(code)
            .map_err(|e| AppError::NotFound(format!("{e}。")))?
            .0;
        let Some(subject) = portal.store.subject_by_code(&parsed).await? else {
            return Ok(());
        };
        let open_repair: Vec<&str> = ApplicationState::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.code())
            .collect();
        let cases = portal
            .reports
            .subject_cases(subject.id, MARKED_STATE, &open_repair)
            .await?;
        let all_measures = current_versions(&portal.measures.measure_versions().await?);
        for line in view.records {
            if !period.contains(line.hit.decision_date) {
                continue;
            }
            let hit = &line.hit;
            let href = hit.kind.href(hit.id);
            if cases.under_objection.contains(&(hit.kind, hit.id)) {
                content.objections.push(ReportMark {
                    kind_label: hit.kind.label().into(),
                    doc_no: hit.doc_no.clone(),
                    state: "异议处理中：决定机关正在核查，核查期间该信息仍予公示".into(),
                });
            }
            match hit.kind {
                RecordKind::Penalty => {
                    let Some(p) = portal.store.penalty(hit.id).await? else {
                        continue;
                    };
                    let repair = match line.repair.from {
                        Some(from) if line.repair.open_now => {
                            format!("可申请信用修复（自 {} 起）", format_date_cn(from))
                        }
                        Some(from) => format!("自 {} 起可申请信用修复", format_date_cn(from)),
                        None => line.repair.explanation.clone(),
                    };
                    if cases.under_repair.contains(&hit.id) {
                        content.repairs.push(ReportMark {
                            kind_label: hit.kind.label().into(),
                            doc_no: hit.doc_no.clone(),
                            state: "信用修复申请审核中：决定前该信息仍予公示".into(),
                        });
                    }
                    content.penalties.push(ReportPenalty {
                        href,
                        doc_no: hit.doc_no.clone(),
                        department: hit.department.clone(),
                        decision_date: format_date_cn(hit.decision_date),
                        categories: p.categories.join("、"),
                        content: p.content,
                        until: format_date_cn(line.until),
                        repair,
                    });
                }
                RecordKind::License => {
                    let Some(l) = portal.store.license(hit.id).await? else {
                        continue;
                    };
                    let validity = match l.valid_to {
                        Some(to) => {
                            format!("{}至{}", format_date_cn(l.valid_from), format_date_cn(to))
                        }
                        None => format!("{}起长期有效", format_date_cn(l.valid_from)),
                    };
                    content.licenses.push(ReportLicense {
                        href,
                        doc_no: hit.doc_no.clone(),
                        doc_name: l.doc_name,
                        category: l.category,
                        department: hit.department.clone(),
                        decision_date: format_date_cn(hit.decision_date),
                        validity,
                        until: format_date_cn(line.until),
                    });
                }
                RecordKind::Serious => {
                    let Some(e) = portal.store.serious_entry(hit.id).await? else {
                        continue;
                    };
                    if let Some(domain) = &e.domain {
                        for m in of_domain(&all_measures, &domain.code, subject.kind, today) {
                            content.measures.push(ReportMeasure {
                                name: m.name.clone(),
                                class: m.class.label().into(),
                                citation: m.basis.citation(),
                                list_name: e.list_name.clone(),
                            });
                        }
                    }
                    content.serious.push(ReportSerious {
                        href,
                        list_name: e.list_name,
                        doc_no: hit.doc_no.clone(),
                        department: hit.department.clone(),
                        listed_on: format_date_cn(e.listed_on),
                        reason: e.reason,
                        until: format_date_cn(line.until),
                    });
                }
            }
        }
        Ok(())
    }

    /// `/reports/verify`: the issued report's dates and counts, never a
    /// name; a number issued with another hash is called altered.
    pub async fn check_report(
        portal: &PortalContext,
        number: &str,
        hash: &str,
    ) -> Result<ReportCheck, AppError> {
        let number = parse_report_number(number).map_err(AppError::BadRequest)?;
        let hash = parse_content_hash(hash).map_err(AppError::BadRequest)?;
        let Some(issued) = portal.reports.report_by_number(&number).await? else {
            return Ok(ReportCheck::Unknown { number });
        };
        // Compared in constant time: the stored hash is not a secret, but
        // nothing here should answer faster for a closer guess.
        if !constant_time_eq(issued.content_hash.as_bytes(), hash.as_bytes()) {
            return Ok(ReportCheck::Altered { number });
        }
        let summary = serde_json::from_str::<Vec<ReportCount>>(&issued.summary).map_err(|e| {
            tracing::error!(error = %e, number, "stored report summary unreadable");
            AppError::Internal
        })?;
        Ok(ReportCheck::Issued {
            number,
            issued_at: china_time_label(issued.issued_at, false),
            cutoff: format_date_cn(issued.cutoff),
            period: ReportPeriod {
                from: issued.period_from,
                to: issued.period_to,
            }
            .label(),
            summary,
        })
    }

    fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The QR code of `url` as an SVG image with a text alternative.
    fn qr_svg(url: &str) -> String {
        match qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M) {
            Ok(code) => code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(132, 132)
                .quiet_zone(true)
                .build()
                .replacen(
                    "<svg ",
                    "<svg role=\"img\" aria-label=\"报告核验二维码\" ",
                    1,
                ),
            Err(e) => {
                tracing::error!(error = %e, "report QR code");
                String::new()
            }
        }
    }
}
