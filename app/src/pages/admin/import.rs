//! `/admin/import`: a department delivers a 双公示 sheet (penalties or
//! licences), sees the dry run's report row by row, and commits it.

use leptos::prelude::*;

use super::{CsrfField, StaffBar, StaffView};
use crate::domain::collection::{SheetKind, LICENSE_CATEGORIES};
use crate::pages::repair::forms::UploadProgress;

/// A catalog item the department may deliver under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemLine {
    /// 行政处罚 / 行政许可.
    pub kind: String,
    pub code: String,
    pub name: String,
    pub rule: String,
}

#[component]
pub fn ImportPage(
    staff: StaffView,
    /// The department's name and credit code (the authority columns,
    /// CF_CFJG / CF_CFJGDM and XK_XKJG / XK_XKJGDM).
    department: (String, String),
    items: Vec<ItemLine>,
    error: Option<String>,
) -> impl IntoView {
    let has_error = error.is_some();
    view! {
        <StaffBar staff=staff.clone()/>
        <h1>"导入双公示信息"</h1>
        {error.clone().map(|e| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>"文件未能导入"</h2>
                <p><a href="#sheet">{e}</a></p>
            </div>
        })}
        <p>"上传本单位作出的行政处罚或行政许可决定（双公示）表格，一个文件一类。系统按表头识别类别，先逐行检查并给出报告，确认后再一次性入库；有问题的行不会入库。"</p>
        <dl class="facts panel">
            <div><dt>"处罚机关、许可机关（CF_CFJG、XK_XKJG）"</dt><dd>{department.0}</dd></div>
            <div><dt>"其统一社会信用代码（CF_CFJGDM、XK_XKJGDM）"</dt><dd class="authority-code">{department.1}</dd></div>
        </dl>
        <form method="post" action="/admin/import" enctype="multipart/form-data" class="panel" novalidate>
            <CsrfField csrf=staff.csrf/>
            <div class="field" class:field-error=has_error>
                <label for="sheet">"表格文件（Excel .xlsx，或 UTF-8、GB18030 编码的 CSV，最多 20 万行）"</label>
                <p class="hint" id="sheet-hint">"Excel 文件读取第一个工作表。表头可用国家标准字段代码（如 CF_WSH、XK_WSH）或中文名称（如 决定书文号、行政许可决定文书号），顺序不限。"</p>
                <input type="file" id="sheet" name="sheet" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="sheet-hint" aria-invalid=has_error.then_some("true")/>
            </div>
            <UploadProgress/>
            <button type="submit" class="button">"上传并检查"</button>
        </form>
        <h2>"本单位的目录项"</h2>
        <p>"每行须在“目录项编码（ML_BM）”列填写下列编码之一。"</p>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"目录项"</caption>
                <thead><tr><th scope="col">"目录项编码"</th><th scope="col">"类别"</th><th scope="col">"名称"</th><th scope="col">"现行公示规则"</th></tr></thead>
                <tbody>
                    {items.into_iter().map(|i| view! {
                        <tr><td><code>{i.code}</code></td><td>{i.kind}</td><td>{i.name}</td><td>{i.rule}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {SheetKind::ALL.into_iter().map(|kind| view! {
            <h2>{format!("{}表格的字段", kind.label())}</h2>
            <div class="table-wrap">
                <table class="records-table">
                    <caption class="visually-hidden">{format!("{}表格的字段", kind.label())}</caption>
                    <thead><tr><th scope="col">"代码"</th><th scope="col">"中文名称"</th><th scope="col">"必填"</th></tr></thead>
                    <tbody>
                        {kind.columns().iter().map(|c| view! {
                            <tr><td><code>{c.code}</code></td><td>{c.name}</td><td>{if c.mandatory { "是" } else { "" }}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }).collect_view()}
        <p class="hint">"法人、非法人组织和个体工商户须填写统一社会信用代码；自然人须填写证件号码（身份证号），并在“个人信息处理依据”（GRXX_YJ）填写“法定职责”；如系取得本人同意而处理，填写“同意”并在“个人信息同意书编号”（GRXX_TYBH）填写同意书编号，两者皆无的自然人记录不予归集。简易程序作出的处罚、目录规定不予公示的信息不予归集。"</p>
        <p class="hint">{format!("许可类别为 {} 之一；当前状态留空视为有效；有效期至留空视为长期。", LICENSE_CATEGORIES.join("、"))}</p>
    }
}

/// One refused or warned row on the report page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportLine {
    pub line: u64,
    pub doc_no: String,
    pub result: String,
    pub column: String,
    pub reason: String,
}

/// The report of a dry run or a commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportView {
    pub token: String,
    /// 行政处罚 / 行政许可 (empty when the headers were not readable).
    pub kind: String,
    pub encoding: String,
    pub rows: u64,
    pub taken: u64,
    pub updated: u64,
    pub refused: u64,
    pub warned: u64,
    pub unknown_headers: Vec<String>,
    pub lines: Vec<ReportLine>,
    pub committed: bool,
}

#[component]
pub fn ImportReportPage(staff: StaffView, report: ReportView) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let commit_url = format!("/admin/import/{}/commit", report.token);
    let report_url = format!("/admin/import/{}/report.csv", report.token);
    let can_commit = !report.committed && report.taken + report.updated > 0;
    let shown = report.lines.len() as u64;
    let problems = report.refused + report.warned;
    view! {
        <StaffBar staff/>
        <h1>{if report.committed { "导入完成" } else { "检查结果" }}</h1>
        <div class="panel" role="status">
            <p>
                {if report.committed {
                    format!("已入库：新增 {} 条，更正 {} 条；拒收 {} 条（未入库）。", report.taken, report.updated, report.refused)
                } else {
                    format!("{}表格，共 {} 行（{}）：可新增 {} 条，可更正 {} 条，拒收 {} 条，另有 {} 条带提示。尚未入库。", report.kind, report.rows, report.encoding, report.taken, report.updated, report.refused, report.warned)
                }}
            </p>
            {(!report.unknown_headers.is_empty()).then(|| view! {
                <p>"以下表头未识别，已忽略：" {report.unknown_headers.join("、")}</p>
            })}
            <p><a href=report_url>"下载逐行报告（CSV）"</a></p>
        </div>
        {can_commit.then(|| view! {
            <form method="post" action=commit_url class="panel">
                <CsrfField csrf=csrf/>
                <p>{format!("确认入库后，{} 条新增和 {} 条更正将一次性写入；拒收的行不会写入，可修改后重新上传。", report.taken, report.updated)}</p>
                <button type="submit" class="button">"确认入库"</button>
            </form>
        })}
        {(problems > 0).then(|| view! {
            <h2>"拒收和提示"</h2>
            {(problems > shown).then(|| view! { <p>{format!("此处列出前 {shown} 条，全部内容请下载报告。")}</p> })}
            <div class="table-wrap">
                <table class="records-table">
                    <caption class="visually-hidden">"拒收和提示的行"</caption>
                    <thead><tr><th scope="col">"行号"</th><th scope="col">"文书号"</th><th scope="col">"结果"</th><th scope="col">"列"</th><th scope="col">"原因"</th></tr></thead>
                    <tbody>
                        {report.lines.into_iter().map(|l| view! {
                            <tr><td>{l.line}</td><td>{l.doc_no}</td><td>{l.result}</td><td>{l.column}</td><td>{l.reason}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        <p><a href="/admin/import">"上传其他文件"</a></p>
    }
}

/// One department's deliveries in one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualityLine {
    pub department: String,
    pub month: String,
    pub deliveries: i64,
    pub taken: i64,
    pub corrected: i64,
    pub refused: i64,
    pub late: i64,
}

/// `/admin/quality`: reporting quality (迟报、错报、拒收) per department.
#[component]
pub fn QualityPage(staff: StaffView, lines: Vec<QualityLine>) -> impl IntoView {
    view! {
        <StaffBar staff/>
        <h1>"报送质量"</h1>
        <p>"按单位和月份统计表格导入和接口报送：新增、更正（错报后更正）、拒收，以及超过目录规定期限报送的迟报条数。"</p>
        {if lines.is_empty() {
            view! { <p class="empty-state">"还没有报送记录。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="records-table">
                        <caption class="visually-hidden">"报送质量"</caption>
                        <thead><tr>
                            <th scope="col">"月份"</th><th scope="col">"单位"</th><th scope="col">"报送次数"</th>
                            <th scope="col">"新增"</th><th scope="col">"更正"</th><th scope="col">"拒收"</th><th scope="col">"迟报"</th>
                        </tr></thead>
                        <tbody>
                            {lines.into_iter().map(|l| view! {
                                <tr class:overdue-row={l.late > 0}>
                                    <td>{l.month}</td><td>{l.department}</td><td>{l.deliveries}</td>
                                    <td>{l.taken}</td><td>{l.corrected}</td><td>{l.refused}</td><td>{l.late}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
