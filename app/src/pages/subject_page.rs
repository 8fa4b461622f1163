//! `/subjects/{credit_code}`: everything public about one organisation, with
//! the date each record stops being public and when repair may be applied for.
//! There is always at least one: a subject with nothing public is "not
//! found" (`get_subject`).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::data_link::DataLink;
use leptos_router::hooks::use_params_map;

use crate::api::subjects::get_subject;
use crate::components::notice::ErrorPanel;
use crate::domain::publication::format_date_cn;
use crate::model::SubjectView;

#[component]
pub fn SubjectPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    view! {
        <Suspense fallback=|| view! { <p>"正在加载…"</p> }>
            {move || {
                let code = code.clone();
                Suspend::new(async move {
                    match get_subject(code).await {
                        Ok(subject) => view! { <SubjectBody subject/> }.into_any(),
                        Err(error) => view! {
                            <Title text="未找到"/>
                            <ErrorPanel error/>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn SubjectBody(subject: SubjectView) -> impl IntoView {
    let count = subject.records.len();
    let report_href = format!("/subjects/{}/report", subject.credit_code);
    view! {
        <Title text=subject.name.clone()/>
        <h1>{subject.name.clone()}</h1>
        <DataLink href=format!("/api/v1/public/subjects/{}", subject.credit_code)/>
        <section class="panel" aria-labelledby="subject-heading">
            <h2 id="subject-heading">"主体信息"</h2>
            <dl class="fields">
                <div>
                    <dt>"统一社会信用代码"</dt>
                    <dd>{subject.credit_code.clone()}</dd>
                </div>
                <div>
                    <dt>"主体类别"</dt>
                    <dd>{subject.kind_label.clone()}</dd>
                </div>
                {subject
                    .representative
                    .clone()
                    .map(|r| {
                        view! {
                            <div>
                                <dt>"法定代表人（经营者）"</dt>
                                <dd>{r}</dd>
                            </div>
                        }
                    })}
            </dl>
        </section>
        <section aria-labelledby="records-heading">
            <h2 id="records-heading">{format!("公示中的信息（{count} 条）")}</h2>
            <div class="table-wrap" role="region" aria-labelledby="records-heading" tabindex="0">
                <table class="records-table">
                    <thead>
                        <tr>
                            <th scope="col">"类别"</th>
                            <th scope="col">"文书号"</th>
                            <th scope="col">"决定机关"</th>
                            <th scope="col">"决定日期"</th>
                            <th scope="col">"公示截止"</th>
                            <th scope="col">"信用修复"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {subject
                            .records
                            .into_iter()
                            .map(|line| {
                                let href = line.hit.kind.href(line.hit.id);
                                let repair = match line.repair.from {
                                    Some(from) if line.repair.open_now => {
                                        format!("可申请（自 {}）", format_date_cn(from))
                                    }
                                    Some(from) => format!("自 {} 起可申请", format_date_cn(from)),
                                    None => line.repair.explanation.clone(),
                                };
                                view! {
                                    <tr>
                                        <td>{line.hit.kind.label()}</td>
                                        <td>
                                            <a href=href>{line.hit.doc_no.clone()}</a>
                                        </td>
                                        <td>{line.hit.department.clone()}</td>
                                        <td>{format_date_cn(line.hit.decision_date)}</td>
                                        <td>{format_date_cn(line.until)}</td>
                                        <td>{repair}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="report-link">
                <a class="button" href=report_href>
                    "生成信用信息报告（可打印、可下载 PDF）"
                </a>
                " 免费，无需注册，可自选报告期（最长 5 年），附核验二维码。"
            </p>
        </section>
    }
}
