//! Collection (归集) in the staff console: a department's staff upload a
//! 双公示 sheet (penalties or licences, told by its headers), read the dry
//! run's report, and commit it.
//!
//! The uploaded sheet is kept under `<data dir>/imports/` (outside the web
//! root) under a name that starts with the department's id, so only that
//! department can commit it or read its report; it is removed after the
//! commit, and sheets and reports not committed go after a day
//! (`retention`). A commit runs in a task of its own ([`to_the_end`]): a
//! client that leaves does not cut it short, and what happened is
//! registered and logged either way. Rules live in `app::domain::collection`; the pipeline in
//! `import`; reading the file in `sheet`.

pub mod api;
pub mod feed;
pub mod import;
pub mod openapi;
pub mod retention;
pub mod sheet;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use app::domain::collection::SheetKind;
use app::domain::publication::format_date_cn;
use app::domain::staff::AuditAction;
use app::pages::admin::catalog::RuleLine;
use app::pages::admin::import::{
    ImportPage, ImportReportPage, ItemLine, QualityLine, QualityPage, ReportLine, ReportView,
};
use app::store::staff::NewAuditEntry;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use leptos::prelude::*;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

use crate::http::tokens::random_hex;
use crate::staff::session::Staff;
use crate::staff::{forbidden, not_found, render, Halt, Handled, StaffState};
use crate::store::delivery::DeliveryTurn;
use import::{Outcome, Summary};

/// The largest sheet accepted (a 200,000-row sheet is about 60 MB).
pub const MAX_SHEET_BYTES: u64 = 80 * 1024 * 1024;

/// The department of a member who may deliver records: its staff
/// (reviewers), for their own department only.
fn delivering_department(staff: &Staff) -> Result<i64, Box<Response>> {
    match staff.member.department_id {
        Some(d) if staff.member.may_review(d) => Ok(d),
        _ => Err(Box::new(forbidden(
            Some(staff.view()),
            "只有认定单位的工作人员可以报送本单位的信息。",
        ))),
    }
}

fn sheet_path(state: &StaffState, token: &str) -> PathBuf {
    state.imports.join(format!("{token}.csv"))
}

fn report_path(state: &StaffState, token: &str) -> PathBuf {
    state.imports.join(format!("{token}.report.csv"))
}

/// A token from a URL, if it is well formed and the department's.
fn own_token(token: &str, department: i64) -> Option<&str> {
    let (dept, random) = token.split_once('-')?;
    let ok = dept == department.to_string()
        && random.len() == 32
        && random.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then_some(token)
}

async fn import_page(
    state: &StaffState,
    staff: &Staff,
    department: i64,
    status: StatusCode,
    error: Option<String>,
) -> Handled {
    let ctx = {
        let mut reads = state.deliveries.reads(false).await?;
        reads.context(department).await?
    };
    let today = state.repair.portal.today();
    let mut items: Vec<ItemLine> = ctx
        .catalog
        .iter()
        .filter(|(_, e)| e.department_id == department)
        .filter_map(|(code, e)| {
            let kind = SheetKind::of_record(e.record_kind)?;
            let (_, rule) = e.rule_on(today)?;
            let line = RuleLine {
                version: rule.version,
                effective_from: rule.effective_from,
                tier: rule.tier,
                published: rule.published,
                min_months: rule.min_months,
                max_months: rule.max_months,
                repairable: rule.repairable,
            };
            Some(ItemLine {
                kind: kind.label().to_string(),
                code: code.clone(),
                name: e.name.clone(),
                rule: format!(
                    "{}（自 {} 起）",
                    line.summary(),
                    format_date_cn(rule.effective_from)
                ),
            })
        })
        .collect();
    items.sort_by(|a, b| a.code.cmp(&b.code));
    let view_data = staff.view();
    let department = (ctx.department_name, ctx.department_credit_code);
    Ok(render(status, "导入双公示信息", move || {
        view! { <ImportPage staff=view_data department items error/> }.into_any()
    }))
}

pub async fn form(State(state): State<StaffState>, staff: Staff) -> Handled {
    let department = delivering_department(&staff)?;
    import_page(&state, &staff, department, StatusCode::OK, None).await
}

fn report_view(token: &str, summary: Summary) -> ReportView {
    ReportView {
        token: token.to_string(),
        kind: summary.kind.map(|k| k.label()).unwrap_or("").to_string(),
        encoding: summary.encoding,
        rows: summary.rows,
        taken: summary.taken,
        updated: summary.updated,
        refused: summary.refused,
        warned: summary.warned,
        unknown_headers: summary.unknown_headers,
        committed: summary.committed,
        lines: summary
            .shown
            .into_iter()
            .map(|r| {
                let (result, column, reason) = match r.outcome {
                    Outcome::Refused(f) => (
                        "拒收".to_string(),
                        format!("{}（{}）", f.column_name, f.column),
                        f.reason,
                    ),
                    Outcome::Taken => ("新增（提示）".into(), String::new(), r.warnings.join("；")),
                    Outcome::Updated => {
                        ("更正（提示）".into(), String::new(), r.warnings.join("；"))
                    }
                };
                ReportLine {
                    line: r.line,
                    doc_no: r.doc_no,
                    result,
                    column,
                    reason,
                }
            })
            .collect(),
    }
}

/// Runs a dry run of the sheet `token`, or with the department's `turn`
/// its commit, writing its report file.
async fn run_import(
    state: &StaffState,
    department: i64,
    token: &str,
    turn: Option<&DeliveryTurn>,
    actor: &str,
) -> Result<Summary, String> {
    let report = std::fs::File::create(report_path(state, token))
        .map_err(|e| format!("report file: {e}"))?;
    let report = std::io::BufWriter::new(report);
    let sheet = sheet_path(state, token);
    let today = state.repair.portal.today();
    match turn {
        None => import::dry_run(state.deliveries.as_ref(), department, &sheet, today, report).await,
        Some(turn) => {
            import::commit(
                state.deliveries.as_ref(),
                turn,
                &sheet,
                today,
                actor,
                report,
            )
            .await
        }
    }
    .map_err(|e| e.to_string())
}

/// Whether the client of a request is still waiting for its answer (see
/// [`to_the_end`]).
#[derive(Clone)]
pub struct ClientWatch(Arc<AtomicBool>);

impl ClientWatch {
    /// The client went away before the work was done (its connection
    /// closed, so the request's future was dropped).
    pub fn gone(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Sets the flag when the request's future is dropped before the answer.
struct Waiting(Arc<AtomicBool>, bool);

impl Drop for Waiting {
    fn drop(&mut self) {
        if self.1 {
            self.0.store(true, Ordering::SeqCst);
        }
    }
}

/// Runs a delivery's commit in a task of its own, so that it runs to its
/// end whether or not the client waits for the answer: a browser that
/// gives up, a proxy's timeout or a closed laptop lid never cut a commit
/// short. `work` learns from its [`ClientWatch`] whether anyone is still
/// waiting, and leaves a log line and a register entry saying what
/// happened when nobody is. `None` if the task panicked.
pub(crate) async fn to_the_end<T, F, Fut>(work: F) -> Option<T>
where
    F: FnOnce(ClientWatch) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let flag = Arc::new(AtomicBool::new(false));
    let mut waiting = Waiting(flag.clone(), true);
    let result = tokio::spawn(work(ClientWatch(flag))).await;
    waiting.1 = false;
    result.ok()
}

/// Who commits, for the access register (the `Staff` of the request, which
/// the commit's task outlives).
struct Committer {
    account_id: i64,
    username: String,
    client: String,
}

/// How a commit ended.
enum Committed {
    /// The sheet is gone: committed already, or never uploaded.
    NotFound,
    Done(Summary),
    /// Nothing written, and why (for the page).
    Refused(String),
    Failed(String),
}

/// The commit of sheet `token`, in its own task: the department's turn,
/// the import, the sheet's removal, the register entry and, if the client
/// left, a log line. `Err` when the register could not be written.
async fn commit_task(
    state: StaffState,
    department: i64,
    token: String,
    who: Committer,
    watch: ClientWatch,
) -> (Committed, Result<(), String>) {
    let turn = state.deliveries.turn(department).await;
    // Checked again in the department's turn: a second click on 提交 waits
    // for the first commit, then finds its sheet gone.
    if turn.is_ok() && !sheet_path(&state, &token).exists() {
        return (Committed::NotFound, Ok(()));
    }
    let imported = match &turn {
        Ok(turn) => run_import(&state, department, &token, Some(turn), &who.username).await,
        Err(e) => Err(e.to_string()),
    };
    let committed = match imported {
        Ok(summary) if summary.committed => {
            let _ = tokio::fs::remove_file(sheet_path(&state, &token)).await;
            Committed::Done(summary)
        }
        Ok(summary) => Committed::Refused(summary.sheet_error.unwrap_or_default()),
        Err(e) => Committed::Failed(e),
    };
    drop(turn);
    let left = watch.gone();
    let note = if left {
        "；提交过程中客户端断开连接，导入照常执行完毕"
    } else {
        ""
    };
    let (action, target, purpose, outcome) = match &committed {
        Committed::NotFound => return (Committed::NotFound, Ok(())),
        Committed::Done(s) => (
            AuditAction::ImportCommitted,
            format!(
                "{}导入 {token}",
                s.kind.map(SheetKind::label).unwrap_or("双公示")
            ),
            format!(
                "新增 {} 条，更正 {} 条，拒收 {} 条{note}",
                s.taken, s.updated, s.refused
            ),
            "committed",
        ),
        Committed::Refused(reason) => (
            AuditAction::ImportFailed,
            format!("双公示导入 {token}"),
            format!("未入库：{reason}{note}"),
            "refused",
        ),
        Committed::Failed(_) => (
            AuditAction::ImportFailed,
            format!("双公示导入 {token}"),
            format!("未入库：系统错误，未写入任何记录{note}"),
            "failed",
        ),
    };
    match &committed {
        Committed::Failed(e) => {
            tracing::error!(token, department, error = %e, "import commit failed")
        }
        _ => tracing::info!(token, department, outcome, "import commit ended"),
    }
    if left {
        tracing::warn!(
            token,
            department,
            outcome,
            "the client disconnected during the import commit; the commit ran to its end"
        );
    }
    let entry = NewAuditEntry {
        at: chrono::Utc::now(),
        account_id: Some(who.account_id),
        actor: who.username,
        action,
        target,
        purpose,
        client: who.client,
    };
    let registered = state.staff.append_audit(&entry).await.map_err(|e| {
        tracing::error!(token, error = %e, "import commit not registered");
        e.to_string()
    });
    (committed, registered)
}

pub async fn upload(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Handled {
    let department = delivering_department(&staff)?;
    tokio::fs::create_dir_all(&state.imports).await?;
    let token = format!("{department}-{}", random_hex(16)?);
    let mut csrf_ok = false;
    let mut received = false;
    let refuse = |message: &str| {
        import_page(
            &state,
            &staff,
            department,
            StatusCode::BAD_REQUEST,
            Some(message.to_string()),
        )
    };
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return refuse("上传未完成或文件过大（最大 80 MB），请重新上传。").await,
        };
        match field.name().unwrap_or("") {
            "_csrf" => {
                let posted = field.text().await.unwrap_or_default();
                staff.check_post(&headers, &posted)?;
                csrf_ok = true;
            }
            "sheet" if csrf_ok => {
                if field.file_name().unwrap_or("").is_empty() {
                    continue;
                }
                let path = sheet_path(&state, &token);
                let mut file = tokio::fs::File::create(&path).await?;
                let mut size: u64 = 0;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            size += chunk.len() as u64;
                            if size > MAX_SHEET_BYTES {
                                drop(file);
                                let _ = tokio::fs::remove_file(&path).await;
                                return refuse("文件超过 80 MB，请分成多个文件上传。").await;
                            }
                            file.write_all(&chunk).await?;
                        }
                        Ok(None) => break,
                        Err(_) => {
                            drop(file);
                            let _ = tokio::fs::remove_file(&path).await;
                            return refuse("上传未完成，请重新上传。").await;
                        }
                    }
                }
                file.flush().await?;
                received = size > 0;
                if !received {
                    let _ = tokio::fs::remove_file(&path).await;
                    return refuse("文件是空的，请选择要导入的表格。").await;
                }
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Ok(forbidden(
            None,
            "表单已过期或不是从本站提交的，请返回上一页刷新后重试。",
        ));
    }
    if !received {
        return refuse("请选择要导入的表格文件。").await;
    }
    let summary = run_import(&state, department, &token, None, &staff.member.username)
        .await
        .map_err(Halt::failed)?;
    if let Some(message) = summary.sheet_error.clone() {
        let _ = tokio::fs::remove_file(sheet_path(&state, &token)).await;
        return refuse(&message).await;
    }
    let report = report_view(&token, summary);
    let view_data = staff.view();
    Ok(render(StatusCode::OK, "检查结果", move || {
        view! { <ImportReportPage staff=view_data report/> }.into_any()
    }))
}

#[derive(Deserialize)]
pub struct CommitForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn commit(
    State(state): State<StaffState>,
    staff: Staff,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(f): Form<CommitForm>,
) -> Handled {
    staff.check_post(&headers, &f.csrf)?;
    let department = delivering_department(&staff)?;
    let Some(token) = own_token(&token, department) else {
        return Ok(not_found(Some(staff.view())));
    };
    if !sheet_path(&state, token).exists() {
        // Committed already, or never uploaded.
        return Ok(not_found(Some(staff.view())));
    }
    let who = Committer {
        account_id: staff.member.account_id,
        username: staff.member.username.clone(),
        client: staff.client.clone(),
    };
    let task_state = state.clone();
    let task_token = token.to_string();
    let ended =
        to_the_end(move |watch| commit_task(task_state, department, task_token, who, watch)).await;
    let Some((committed, registered)) = ended else {
        return Err(Halt::failed("import commit task failed"));
    };
    let summary = match committed {
        Committed::NotFound => return Ok(not_found(Some(staff.view()))),
        Committed::Failed(e) => return Err(Halt::failed(e)),
        Committed::Refused(message) => {
            return import_page(
                &state,
                &staff,
                department,
                StatusCode::BAD_REQUEST,
                Some(message),
            )
            .await;
        }
        Committed::Done(summary) => summary,
    };
    if registered.is_err() {
        // Logged by the task with the delivery's token: only the page here.
        return Ok(<crate::staff::Console as crate::http::error::Area>::failure_page());
    }
    let report = report_view(token, summary);
    let view_data = staff.view();
    Ok(render(StatusCode::OK, "导入完成", move || {
        view! { <ImportReportPage staff=view_data report/> }.into_any()
    }))
}

/// The full report, as a CSV download.
pub async fn report(
    State(state): State<StaffState>,
    staff: Staff,
    Path(token): Path<String>,
) -> Handled {
    let department = delivering_department(&staff)?;
    let token = token.trim_end_matches(".csv").to_string();
    let Some(token) = own_token(&token, department) else {
        return Ok(not_found(Some(staff.view())));
    };
    let Ok(file) = tokio::fs::File::open(report_path(&state, token)).await else {
        return Ok(not_found(Some(staff.view())));
    };
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"import-report.csv\""),
    );
    Ok(response)
}

/// `/admin/quality`: reporting quality per department and month
/// (administrators of the credit authority).
pub async fn quality(State(state): State<StaffState>, staff: Staff) -> Handled {
    staff.require_admin()?;
    let lines = state
        .collect
        .quality()
        .await?
        .into_iter()
        .map(|r| QualityLine {
            department: r.department,
            month: r.month,
            deliveries: r.deliveries,
            taken: r.taken,
            corrected: r.corrected,
            refused: r.refused,
            late: r.late,
        })
        .collect();
    let view_data = staff.view();
    Ok(render(StatusCode::OK, "报送质量", move || {
        view! { <QualityPage staff=view_data lines/> }.into_any()
    }))
}
