//! `/subjects/{code}/report`: the credit record report, printable (the
//! print style drops the site's frame) and as a PDF; `/reports/verify`:
//! whether a report with a number and hash was issued.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::reports::{get_report, verify_report};
use crate::components::notice::set_http_status;
use crate::domain::credit_report::{grouped_hash, MAX_YEARS};
use crate::model::encode_query_value;
use crate::model::report::{ReportCheck, ReportContent, ReportCount, ReportView};

/// The period form: two dates, sent with GET so it works without script.
#[component]
fn PeriodForm(code: String, from: String, to: String) -> impl IntoView {
    view! {
        <form class="panel search-form no-print" method="get" action=format!("/subjects/{code}/report") aria-label="选择报告期">
            <div class="field">
                <label for="report-from">"报告期起始日期"</label>
                <input id="report-from" name="from" type="date" value=from aria-describedby="report-period-hint"/>
            </div>
            <div class="field">
                <label for="report-to">"报告期截止日期"</label>
                <input id="report-to" name="to" type="date" value=to aria-describedby="report-period-hint"/>
            </div>
            <button type="submit" class="button">"生成报告"</button>
            <p id="report-period-hint" class="hint">
                {format!("报告期最长 {MAX_YEARS} 年，不填则为截至今天的 {MAX_YEARS} 年。日期格式：年-月-日。")}
            </p>
        </form>
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let (from, to) = use_query_map().with_untracked(|q| {
        (
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
        )
    });
    view! {
        <Title text="信用信息报告"/>
        <Suspense fallback=|| view! { <p>"正在生成报告…"</p> }>
            {move || {
                let (code, from, to) = (code.clone(), from.clone(), to.clone());
                Suspend::new(async move {
                    match get_report(code.clone(), from.clone(), to.clone()).await {
                        Ok(report) => view! { <ReportBody report/> }.into_any(),
                        Err(err) => {
                            set_http_status(err.status());
                            view! {
                                <h1>"信用信息报告"</h1>
                                <div class="error-summary" role="alert">
                                    <p>{err.to_string()}</p>
                                </div>
                                <PeriodForm code=encode_query_value(&code) from to/>
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Summary(summary: Vec<ReportCount>) -> impl IntoView {
    view! {
        <section class="report-section" aria-labelledby="report-summary">
            <h2 id="report-summary">"二、信息概要"</h2>
            <table class="summary-table">
                <caption class="visually-hidden">"报告期内各类信息条数"</caption>
                <thead><tr><th scope="col">"信息类别"</th><th scope="col">"条数"</th></tr></thead>
                <tbody>
                    {summary.into_iter().map(|c| view! {
                        <tr><th scope="row">{c.label}</th><td>{c.count}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn none_line(sentence: &'static str) -> AnyView {
    view! { <p class="empty-state">{sentence}</p> }.into_any()
}

#[component]
fn Chapters(content: ReportContent) -> impl IntoView {
    let ReportContent {
        penalties,
        licenses,
        serious,
        measures,
        objections,
        repairs,
        ..
    } = content;
    view! {
        <section class="report-section" aria-labelledby="report-penalties">
            <h2 id="report-penalties">"三、行政处罚信息"</h2>
            {if penalties.is_empty() { none_line("报告期内无公示的行政处罚信息。") } else {
                penalties.into_iter().enumerate().map(|(i, p)| view! {
                    <dl class="fields report-item">
                        <div><dt>"序号"</dt><dd>{i + 1}</dd></div>
                        <div><dt>"行政处罚决定书文号"</dt><dd><a href=p.href>{p.doc_no}</a></dd></div>
                        <div><dt>"处罚类别"</dt><dd>{p.categories}</dd></div>
                        <div><dt>"处罚内容"</dt><dd>{p.content}</dd></div>
                        <div><dt>"处罚机关"</dt><dd>{p.department}</dd></div>
                        <div><dt>"处罚决定日期"</dt><dd>{p.decision_date}</dd></div>
                        <div><dt>"公示截止"</dt><dd>{p.until}</dd></div>
                        <div><dt>"信用修复"</dt><dd>{p.repair}</dd></div>
                    </dl>
                }).collect_view().into_any()
            }}
        </section>
        <section class="report-section" aria-labelledby="report-licenses">
            <h2 id="report-licenses">"四、行政许可信息"</h2>
            {if licenses.is_empty() { none_line("报告期内无公示的行政许可信息。") } else {
                licenses.into_iter().enumerate().map(|(i, l)| view! {
                    <dl class="fields report-item">
                        <div><dt>"序号"</dt><dd>{i + 1}</dd></div>
                        <div><dt>"行政许可决定文书名称"</dt><dd>{l.doc_name}</dd></div>
                        <div><dt>"行政许可决定文书号"</dt><dd><a href=l.href>{l.doc_no}</a></dd></div>
                        <div><dt>"许可类别"</dt><dd>{l.category}</dd></div>
                        <div><dt>"许可机关"</dt><dd>{l.department}</dd></div>
                        <div><dt>"许可决定日期"</dt><dd>{l.decision_date}</dd></div>
                        <div><dt>"有效期"</dt><dd>{l.validity}</dd></div>
                        <div><dt>"公示截止"</dt><dd>{l.until}</dd></div>
                    </dl>
                }).collect_view().into_any()
            }}
        </section>
        <section class="report-section" aria-labelledby="report-serious">
            <h2 id="report-serious">"五、严重失信主体名单信息"</h2>
            {if serious.is_empty() { none_line("报告期内无公示的严重失信主体名单信息。") } else {
                serious.into_iter().enumerate().map(|(i, e)| view! {
                    <dl class="fields report-item">
                        <div><dt>"序号"</dt><dd>{i + 1}</dd></div>
                        <div><dt>"名单名称"</dt><dd>{e.list_name}</dd></div>
                        <div><dt>"列入决定文号"</dt><dd><a href=e.href>{e.doc_no}</a></dd></div>
                        <div><dt>"列入原因"</dt><dd>{e.reason}</dd></div>
                        <div><dt>"列入机关"</dt><dd>{e.department}</dd></div>
                        <div><dt>"列入日期"</dt><dd>{e.listed_on}</dd></div>
                        <div><dt>"公示截止"</dt><dd>{e.until}</dd></div>
                    </dl>
                }).collect_view().into_any()
            }}
        </section>
        <section class="report-section" aria-labelledby="report-measures">
            <h2 id="report-measures">"六、失信惩戒措施"</h2>
            {if measures.is_empty() { none_line("报告期内无公示的失信惩戒措施。") } else {
                view! {
                    <p>"以下措施依据失信惩戒措施清单，随所在名单的列入而适用，移出名单即解除。"</p>
                    <ol>
                        {measures.into_iter().map(|m| view! {
                            <li>{format!("{}（{}；依据{}；所在名单：{}）", m.name, m.class, m.citation, m.list_name)}</li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <section class="report-section" aria-labelledby="report-objections">
            <h2 id="report-objections">"七、异议处理情况"</h2>
            {if objections.is_empty() { none_line("报告期内无异议处理中的信息。") } else {
                view! { <ul>{objections.into_iter().map(|m| view! {
                    <li>{format!("{} {}：{}", m.kind_label, m.doc_no, m.state)}</li>
                }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section class="report-section" aria-labelledby="report-repairs">
            <h2 id="report-repairs">"八、信用修复情况"</h2>
            {if repairs.is_empty() {
                view! { <p class="empty-state">"报告期内无信用修复申请审核中的信息。已信用修复的信息依规不再公示，不列入本报告。"</p> }.into_any()
            } else {
                view! { <ul>{repairs.into_iter().map(|m| view! {
                    <li>{format!("{} {}：{}", m.kind_label, m.doc_no, m.state)}</li>
                }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn ReportBody(report: ReportView) -> impl IntoView {
    let c = report.content.clone();
    let code = c.subject.credit_code.clone();
    let query = format!("from={}&to={}", c.period_from, c.period_to);
    let pdf_href = format!("/subjects/{code}/report.pdf?{query}");
    let subject_name = c
        .subject
        .name
        .clone()
        .unwrap_or_else(|| "本平台无该主体的公示信息（名称以登记机关为准）".into());
    view! {
        <div class="report-actions no-print">
            <p>
                <a class="button" href=pdf_href download="">"下载 PDF 报告"</a>
                " "
                <a href=format!("/subjects/{code}")>"返回主体页面"</a>
            </p>
            <p class="hint">"打印本页即为报告版式（浏览器“打印”，可另存为 PDF）。报告免费，无需注册。"</p>
        </div>
        <PeriodForm code=code.clone() from=c.period_from.clone() to=c.period_to.clone()/>
        <article class="report" aria-labelledby="report-title">
            <header class="report-head">
                <h1 id="report-title">"信用信息报告"</h1>
                {c.demo_data.then(|| view! {
                    <p class="report-demo" role="note">"演示数据：本报告中的主体和信息均为虚构，不代表任何真实企业或个人。"</p>
                })}
                <dl class="fields">
                    <div><dt>"报告编号"</dt><dd class="mono">{report.number.clone()}</dd></div>
                    <div><dt>"出具机构"</dt><dd>{c.issuer.clone()}</dd></div>
                    <div><dt>"出具时间"</dt><dd>{report.issued_at.clone()}</dd></div>
                    <div><dt>"数据截止日"</dt><dd>{c.cutoff.clone()}</dd></div>
                    <div><dt>"报告期"</dt><dd>{c.period.clone()}</dd></div>
                </dl>
                <figure class="report-qr">
                    <div inner_html=report.qr_svg.clone()></div>
                    <figcaption>
                        "扫码核验，或在 "<a href=report.verify_path.clone()>"报告核验"</a>" 页面输入编号和校验值"
                    </figcaption>
                </figure>
            </header>
            <section class="report-section" aria-labelledby="report-basic">
                <h2 id="report-basic">"一、基本信息"</h2>
                <dl class="fields">
                    <div><dt>"主体名称"</dt><dd>{subject_name}</dd></div>
                    <div><dt>"统一社会信用代码"</dt><dd class="mono">{code.clone()}</dd></div>
                    {c.subject.kind_label.clone().map(|k| view! { <div><dt>"主体类别"</dt><dd>{k}</dd></div> })}
                    {c.subject.representative.clone().map(|r| view! { <div><dt>"法定代表人（经营者）"</dt><dd>{r}</dd></div> })}
                </dl>
            </section>
            <Summary summary=c.summary.clone()/>
            <Chapters content=c.clone()/>
            <section class="report-section" aria-labelledby="report-notes">
                <h2 id="report-notes">"九、说明"</h2>
                <ol>{c.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ol>
                <p class="report-hash">"校验值（SHA-256）："<span class="mono">{grouped_hash(&report.hash)}</span></p>
            </section>
        </article>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let (number, hash) = use_query_map().with_untracked(|q| {
        (
            q.get("no").unwrap_or_default(),
            q.get("hash").unwrap_or_default(),
        )
    });
    let asked = !number.is_empty() || !hash.is_empty();
    view! {
        <Title text="信用信息报告核验"/>
        <h1>"信用信息报告核验"</h1>
        <p class="lead">"输入报告上的报告编号和校验值，核验该报告是否由本网站出具、内容是否被改动。核验结果不显示主体名称等信息。"</p>
        <form class="panel search-form" method="get" action="/reports/verify" aria-label="报告核验">
            <div class="field">
                <label for="verify-no">"报告编号"</label>
                <input id="verify-no" name="no" type="text" value=number.clone() autocomplete="off" spellcheck="false"/>
            </div>
            <div class="field">
                <label for="verify-hash">"校验值（64 位）"</label>
                <input id="verify-hash" name="hash" type="text" value=hash.clone() autocomplete="off" spellcheck="false"/>
            </div>
            <button type="submit" class="button">"核验"</button>
        </form>
        {asked.then(|| view! {
            <Suspense fallback=|| view! { <p>"正在核验…"</p> }>
                {move || {
                    let (number, hash) = (number.clone(), hash.clone());
                    Suspend::new(async move {
                        match verify_report(number, hash).await {
                            Err(err) => {
                                set_http_status(err.status());
                                view! { <div class="error-summary" role="alert"><p>{err.to_string()}</p></div> }.into_any()
                            }
                            Ok(check) => view! { <CheckResult check/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        })}
    }
}

#[component]
fn CheckResult(check: ReportCheck) -> impl IntoView {
    match check {
        ReportCheck::Issued { number, issued_at, cutoff, period, summary } => view! {
            <section class="panel verify-ok" role="status" aria-labelledby="verify-result">
                <h2 id="verify-result">{format!("报告 {number} 由本网站出具，校验值相符")}</h2>
                <dl class="fields">
                    <div><dt>"出具时间"</dt><dd>{issued_at}</dd></div>
                    <div><dt>"数据截止日"</dt><dd>{cutoff}</dd></div>
                    <div><dt>"报告期"</dt><dd>{period}</dd></div>
                </dl>
                <p>"请核对报告上的各类信息条数与下表一致："</p>
                <table class="summary-table">
                    <thead><tr><th scope="col">"信息类别"</th><th scope="col">"条数"</th></tr></thead>
                    <tbody>{summary.into_iter().map(|c| view! { <tr><th scope="row">{c.label}</th><td>{c.count}</td></tr> }).collect_view()}</tbody>
                </table>
            </section>
        }.into_any(),
        ReportCheck::Altered { number } => view! {
            <section class="panel verify-bad" role="alert" aria-labelledby="verify-result">
                <h2 id="verify-result">{format!("校验值不符：报告 {number} 的内容可能已被改动")}</h2>
                <p>"本网站出具过该编号的报告，但其校验值与您输入的不同。请核对校验值是否抄写有误；如无误，该报告内容已被改动，不应采信。"</p>
            </section>
        }.into_any(),
        ReportCheck::Unknown { number } => view! {
            <section class="panel verify-bad" role="alert" aria-labelledby="verify-result">
                <h2 id="verify-result">{format!("未找到编号为 {number} 的报告")}</h2>
                <p>"本网站未出具过该编号的报告。请核对报告编号是否抄写有误；如无误，该报告不是本网站出具的。"</p>
            </section>
        }.into_any(),
    }
}
