//! `/transparency`: how each department handled repair applications and
//! objections, delivered its records and how the joint check was reported
//! back, per month. Every chart is drawn on the server and has a table
//! with the same numbers beside it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::transparency::{get_transparency, TransparencyView};
use crate::components::chart::{BarChart, ColumnChart, Series};
use crate::components::data_link::DataLink;
use crate::components::notice::set_http_status;
use crate::domain::transparency::{
    days_label, percent_label, CaseFigures, Month, MonthTotal, Transparency, MAX_MONTHS, METHOD,
};
use crate::model::encode_query_value;

/// The period form: two months, sent with GET so it works without script.
#[component]
fn PeriodForm(from: String, to: String, max: String) -> impl IntoView {
    view! {
        <form class="panel search-form" method="get" action="/transparency" aria-label="选择统计期">
            <div class="field">
                <label for="tr-from">"统计起始月份"</label>
                <input id="tr-from" name="from" type="month" value=from max=max.clone() aria-describedby="tr-hint"/>
            </div>
            <div class="field">
                <label for="tr-to">"统计截止月份"</label>
                <input id="tr-to" name="to" type="month" value=to max=max aria-describedby="tr-hint"/>
            </div>
            <button type="submit" class="button">"查看"</button>
            <p id="tr-hint" class="hint">
                {format!("最长 {MAX_MONTHS} 个月，不填则为截至本月的 12 个月。格式：年-月，如 2026-11。")}
            </p>
        </form>
    }
}

#[component]
pub fn TransparencyPage() -> impl IntoView {
    let (from, to) = use_query_map().with_untracked(|q| {
        (
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
        )
    });
    view! {
        <Title text="信用工作透明度"/>
        <Suspense fallback=|| view! { <p>"正在统计…"</p> }>
            {move || {
                let (from, to) = (from.clone(), to.clone());
                Suspend::new(async move {
                    match get_transparency(from.clone(), to.clone()).await {
                        Ok(view) => view! { <Body view/> }.into_any(),
                        Err(err) => {
                            set_http_status(err.status());
                            view! {
                                <h1>"信用工作透明度"</h1>
                                <div class="error-summary" role="alert"><p>{err.to_string()}</p></div>
                                <PeriodForm from to max=String::new()/>
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

/// The month axis: `11月`, with the year under each January and under
/// the first month (unless that is a December: its year would run into
/// January's).
fn month_axis(months: &[MonthTotal]) -> Vec<(String, Option<String>)> {
    months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let first = i == 0 && m.month.month < 12;
            let year = (first || m.month.month == 1).then(|| format!("{}年", m.month.year));
            (m.month.short_label(), year)
        })
        .collect()
}

/// `7 个工作日`, or `—` when nothing was decided.
fn working_days(median: Option<f64>) -> String {
    match median {
        Some(_) => format!("{} 个工作日", days_label(median)),
        None => days_label(None),
    }
}

fn count(n: u32) -> Option<f64> {
    Some(f64::from(n))
}

/// A repair or objection section: the monthly chart, its table, and the
/// departments' table.
#[component]
fn CaseSection(
    id: &'static str,
    heading: &'static str,
    /// The thing counted, in the chart's description: `信用修复申请`.
    noun: &'static str,
    months: Vec<(Month, CaseFigures)>,
    departments: Vec<(String, CaseFigures, u32)>,
    axis: Vec<(String, Option<String>)>,
) -> impl IntoView {
    let received: u32 = months.iter().map(|(_, f)| f.received).sum();
    let decided: u32 = months.iter().map(|(_, f)| f.decided).sum();
    let series = vec![
        Series {
            name: "收到",
            class: "s-blue",
            values: months.iter().map(|(_, f)| count(f.received)).collect(),
        },
        Series {
            name: "办结",
            class: "s-green",
            values: months.iter().map(|(_, f)| count(f.decided)).collect(),
        },
    ];
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section class="tr-section" aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            <ColumnChart
                id=id
                title=format!("{heading}：每月收到与办结件数")
                description=format!("统计期内共收到{noun} {received} 件，办结 {decided} 件；各月数字见下表。")
                categories=axis
                series
            />
            <div class="table-wrap" role="region" aria-label=format!("{heading}：按月份") tabindex="0">
                <table class="records-table figures-table">
                    <caption>{format!("{heading}：按月份")}</caption>
                    <thead><tr>
                        <th scope="col">"月份"</th><th scope="col">"收到"</th><th scope="col">"办结"</th>
                        <th scope="col">"撤回或作废"</th><th scope="col">"按时办结率"</th><th scope="col">"办结用时中位数（工作日）"</th>
                    </tr></thead>
                    <tbody>
                        {months.into_iter().map(|(m, f)| view! {
                            <tr>
                                <th scope="row">{m.label()}</th><td>{f.received}</td><td>{f.decided}</td>
                                <td>{f.closed_otherwise}</td><td>{percent_label(f.share_within_limit())}</td>
                                <td>{days_label(f.median_working_days)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="table-wrap" role="region" aria-label=format!("{heading}：按认定单位") tabindex="0">
                <table class="records-table figures-table">
                    <caption>{format!("{heading}：按认定单位（统计期合计）")}</caption>
                    <thead><tr>
                        <th scope="col">"认定单位"</th><th scope="col">"收到"</th><th scope="col">"办结"</th>
                        <th scope="col">"按时办结率"</th><th scope="col">"办结用时中位数（工作日）"</th><th scope="col">"目前超期未办"</th>
                    </tr></thead>
                    <tbody>
                        {departments.into_iter().map(|(d, f, overdue)| view! {
                            <tr>
                                <th scope="row">{d}</th><td>{f.received}</td><td>{f.decided}</td>
                                <td>{percent_label(f.share_within_limit())}</td><td>{days_label(f.median_working_days)}</td>
                                <td class:overdue=overdue != 0>{overdue}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Body(view: TransparencyView) -> impl IntoView {
    let TransparencyView {
        figures:
            Transparency {
                range,
                months,
                departments: depts,
                rows,
                total,
            },
        counted_at,
        this_month,
    } = view;
    let axis = month_axis(&months);
    let json = format!(
        "/api/v1/public/transparency?from={}&to={}",
        encode_query_value(&range.from.code()),
        encode_query_value(&range.to.code())
    );
    let names: Vec<String> = depts.iter().map(|d| d.department.clone()).collect();
    let repair_months = months
        .iter()
        .map(|m| (m.month, m.figures.repair.clone()))
        .collect::<Vec<_>>();
    let objection_months = months
        .iter()
        .map(|m| (m.month, m.figures.objection.clone()))
        .collect::<Vec<_>>();
    let repair_depts = depts
        .iter()
        .filter(|d| d.figures.repair.received + d.figures.repair.decided + d.overdue_repairs > 0)
        .map(|d| {
            (
                d.department.clone(),
                d.figures.repair.clone(),
                d.overdue_repairs,
            )
        })
        .collect::<Vec<_>>();
    let objection_depts = depts
        .iter()
        .filter(|d| {
            d.figures.objection.received + d.figures.objection.decided + d.overdue_objections > 0
        })
        .map(|d| {
            (
                d.department.clone(),
                d.figures.objection.clone(),
                d.overdue_objections,
            )
        })
        .collect::<Vec<_>>();
    let delivering = depts
        .iter()
        .filter(|d| d.figures.deliveries.deliveries > 0)
        .cloned()
        .collect::<Vec<_>>();
    let checking = depts
        .iter()
        .filter(|d| d.figures.feedback.named > 0)
        .cloned()
        .collect::<Vec<_>>();
    let share_series = vec![
        Series {
            name: "信用修复",
            class: "s-blue",
            values: depts
                .iter()
                .map(|d| d.figures.repair.share_within_limit())
                .collect(),
        },
        Series {
            name: "异议申诉",
            class: "s-red",
            values: depts
                .iter()
                .map(|d| d.figures.objection.share_within_limit())
                .collect(),
        },
    ];
    view! {
        <h1>"信用工作透明度"</h1>
        <p class="lead">
            "按认定单位和月份公布信用修复、异议申诉的办理情况，信息报送的及时性，以及联合奖惩核查结果的反馈情况。"
            "统计口径见页末。"
        </p>
        <PeriodForm from=range.from.code() to=range.to.code() max=this_month/>
        <p>{format!("统计期：{}　统计时间：{counted_at}（每分钟更新）", range.label())}</p>
        <DataLink href=json/>

        <section class="tr-section" aria-labelledby="tr-overview">
            <h2 id="tr-overview">"统计期合计"</h2>
            <dl class="tr-cards">
                <div><dt>"信用修复：收到 / 办结"</dt><dd>{format!("{} / {}", total.repair.received, total.repair.decided)}</dd></div>
                <div><dt>"信用修复按时办结率"</dt><dd>{percent_label(total.repair.share_within_limit())}</dd></div>
                <div><dt>"信用修复办结用时中位数"</dt><dd>{working_days(total.repair.median_working_days)}</dd></div>
                <div><dt>"异议申诉：收到 / 办结"</dt><dd>{format!("{} / {}", total.objection.received, total.objection.decided)}</dd></div>
                <div><dt>"异议申诉按时办结率"</dt><dd>{percent_label(total.objection.share_within_limit())}</dd></div>
                <div><dt>"异议申诉办结用时中位数"</dt><dd>{working_days(total.objection.median_working_days)}</dd></div>
                <div><dt>"迟报率（迟报条数 / 报送条数）"</dt><dd>{format!("{}（{} / {}）", percent_label(total.deliveries.share_late()), total.deliveries.late, total.deliveries.rows)}</dd></div>
                <div><dt>"核查结果反馈率"</dt><dd>{percent_label(total.feedback.share_received())}</dd></div>
            </dl>
        </section>

        <CaseSection id="tr-repair" heading="信用修复申请" noun="信用修复申请" months=repair_months departments=repair_depts axis=axis.clone()/>
        <CaseSection id="tr-objection" heading="异议申诉" noun="异议申诉" months=objection_months departments=objection_depts axis/>

        <section class="tr-section" aria-labelledby="tr-limit">
            <h2 id="tr-limit">"各认定单位按时办结率"</h2>
            {if names.is_empty() {
                view! { <p class="empty-state">"统计期内没有可统计的办理情况。"</p> }.into_any()
            } else {
                view! {
                    <BarChart
                        id="tr-limit-chart"
                        title="各认定单位按时办结率（统计期合计）".to_string()
                        description="每个认定单位两条横条：信用修复和异议申诉的按时办结率；没有办结的显示为“—”。数字见上方两张按认定单位的表格。".to_string()
                        categories=names.clone()
                        series=share_series
                        max=100.0
                        unit="%"
                    />
                }.into_any()
            }}
        </section>

        <section class="tr-section" aria-labelledby="tr-late">
            <h2 id="tr-late">"信息报送及时性（迟报）"</h2>
            {if delivering.is_empty() {
                view! { <p class="empty-state">"统计期内没有报送记录。"</p> }.into_any()
            } else {
                let late_series = vec![Series {
                    name: "迟报率",
                    class: "s-red",
                    values: delivering.iter().map(|d| d.figures.deliveries.share_late()).collect(),
                }];
                view! {
                    <BarChart
                        id="tr-late-chart"
                        title="各认定单位迟报率".to_string()
                        description="每个认定单位一条横条：迟报条数占报送条数的比例；数字见下表。".to_string()
                        categories=delivering.iter().map(|d| d.department.clone()).collect()
                        series=late_series
                        max=100.0
                        unit="%"
                    />
                    <div class="table-wrap" role="region" aria-label="信息报送及时性：按认定单位" tabindex="0">
                        <table class="records-table figures-table">
                            <caption>"信息报送及时性：按认定单位（统计期合计）"</caption>
                            <thead><tr>
                                <th scope="col">"认定单位"</th><th scope="col">"报送次数"</th><th scope="col">"报送条数"</th>
                                <th scope="col">"迟报条数"</th><th scope="col">"迟报率"</th>
                            </tr></thead>
                            <tbody>
                                {delivering.into_iter().map(|d| view! {
                                    <tr>
                                        <th scope="row">{d.department}</th><td>{d.figures.deliveries.deliveries}</td>
                                        <td>{d.figures.deliveries.rows}</td><td>{d.figures.deliveries.late}</td>
                                        <td>{percent_label(d.figures.deliveries.share_late())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>

        <section class="tr-section" aria-labelledby="tr-feedback">
            <h2 id="tr-feedback">"联合奖惩核查结果反馈"</h2>
            {if checking.is_empty() {
                view! { <p class="empty-state">"统计期内没有列明惩戒措施的核查。"</p> }.into_any()
            } else {
                let feedback_series = vec![
                    Series {
                        name: "反馈率",
                        class: "s-blue",
                        values: checking.iter().map(|d| d.figures.feedback.share_received()).collect(),
                    },
                    Series {
                        name: "按时反馈率",
                        class: "s-green",
                        values: checking.iter().map(|d| d.figures.feedback.share_in_time()).collect(),
                    },
                ];
                view! {
                    <BarChart
                        id="tr-feedback-chart"
                        title="各单位核查结果反馈率".to_string()
                        description="每个发起核查的单位两条横条：已反馈的惩戒措施项占列明措施项的比例，及其中按时反馈的比例；数字见下表。".to_string()
                        categories=checking.iter().map(|d| d.department.clone()).collect()
                        series=feedback_series
                        max=100.0
                        unit="%"
                    />
                    <div class="table-wrap" role="region" aria-label="联合奖惩核查结果反馈：按单位" tabindex="0">
                        <table class="records-table figures-table">
                            <caption>"联合奖惩核查结果反馈：按发起核查的单位（统计期合计）"</caption>
                            <thead><tr>
                                <th scope="col">"单位"</th><th scope="col">"列明措施项"</th><th scope="col">"已反馈"</th>
                                <th scope="col">"其中逾期反馈"</th><th scope="col">"反馈率"</th><th scope="col">"按时反馈率"</th>
                            </tr></thead>
                            <tbody>
                                {checking.into_iter().map(|d| view! {
                                    <tr>
                                        <th scope="row">{d.department}</th><td>{d.figures.feedback.named}</td>
                                        <td>{d.figures.feedback.received}</td><td>{d.figures.feedback.late}</td>
                                        <td>{percent_label(d.figures.feedback.share_received())}</td>
                                        <td>{percent_label(d.figures.feedback.share_in_time())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>

        <details class="tr-detail">
            <summary>"按认定单位和月份的明细"</summary>
            <div class="table-wrap" role="region" aria-label="按认定单位和月份的明细" tabindex="0">
                <table class="records-table figures-table">
                    <caption>"按认定单位和月份的明细"</caption>
                    <thead><tr>
                        <th scope="col">"认定单位"</th><th scope="col">"月份"</th>
                        <th scope="col">"修复收到"</th><th scope="col">"修复办结"</th><th scope="col">"修复按时率"</th>
                        <th scope="col">"异议收到"</th><th scope="col">"异议办结"</th><th scope="col">"异议按时率"</th>
                        <th scope="col">"迟报条数"</th><th scope="col">"核查反馈率"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let f = r.figures;
                            view! {
                                <tr>
                                    <th scope="row">{r.department}</th><td>{r.month.label()}</td>
                                    <td>{f.repair.received}</td><td>{f.repair.decided}</td><td>{percent_label(f.repair.share_within_limit())}</td>
                                    <td>{f.objection.received}</td><td>{f.objection.decided}</td><td>{percent_label(f.objection.share_within_limit())}</td>
                                    <td>{f.deliveries.late}</td><td>{percent_label(f.feedback.share_received())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>

        <section class="tr-section" aria-labelledby="tr-method">
            <h2 id="tr-method">"统计口径"</h2>
            <ol>{METHOD.iter().map(|m| view! { <li>{*m}</li> }).collect_view()}</ol>
        </section>
    }
}
