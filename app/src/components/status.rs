//! Publication period, status and repair eligibility of one record.

use leptos::prelude::*;

use crate::domain::publication::format_date_cn;
use crate::model::RecordView;

#[component]
pub fn PublicationBox(record: RecordView) -> impl IntoView {
    let repair_from = record.repair.from.map(format_date_cn);
    let open_now = record.repair.open_now;
    let id = record.id;
    let kind = record.kind;
    view! {
        <section class="panel publication" aria-labelledby="publication-heading">
            <h2 id="publication-heading">"公示与信用修复"</h2>
            <dl class="facts">
                <div>
                    <dt>"公示期"</dt>
                    <dd>
                        {format_date_cn(record.window_from)}
                        " 至 "
                        {format_date_cn(record.window_until)}
                    </dd>
                </div>
                <div>
                    <dt>"当前状态"</dt>
                    <dd>
                        <span class="status-tag">{record.status.clone()}</span>
                        {record.under_objection.then(|| view! {
                            " "<span class="status-tag objection-tag">"异议处理中"</span>
                        })}
                    </dd>
                </div>
                {(kind == crate::model::RecordKind::Penalty)
                    .then(|| {
                        view! {
                            <div>
                                <dt>"可申请信用修复日期"</dt>
                                <dd>{repair_from.clone().unwrap_or_else(|| "不适用".into())}</dd>
                            </div>
                        }
                    })}
            </dl>
            <p class="repair-explanation">{record.repair.explanation.clone()}</p>
            {open_now
                .then(|| {
                    view! {
                        <p>
                            <a class="button" href=format!("/repair/apply/{id}")>
                                "在线申请信用修复（免费）"
                            </a>
                            " "
                            <a href="/repair">"查看修复条件和材料"</a>
                        </p>
                    }
                })}
            <p class="objection-link">
                <a href=format!("/objections/new?record={}-{id}", kind.code())>
                    "认为该信息有误？提出异议申诉"
                </a>
            </p>
        </section>
    }
}
