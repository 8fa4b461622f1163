//! A list of search hits (server pages and the search island share it).

use leptos::prelude::*;

use crate::model::SearchHit;

#[component]
pub fn HitList(hits: Vec<SearchHit>) -> impl IntoView {
    view! {
        <ol class="hit-list">
            {hits
                .into_iter()
                .map(|hit| {
                    let href = hit.kind.href(hit.id);
                    view! {
                        <li class="hit">
                            <p class="hit-title">
                                <span class=format!("kind-tag kind-{}", hit.kind.code())>
                                    {hit.kind.label()}
                                </span>
                                " "
                                <a href=href>{hit.name.clone()}</a>
                            </p>
                            <dl class="hit-meta">
                                {hit
                                    .credit_code
                                    .clone()
                                    .map(|code| {
                                        view! {
                                            <div>
                                                <dt>"统一社会信用代码"</dt>
                                                <dd>{code}</dd>
                                            </div>
                                        }
                                    })}
                                <div>
                                    <dt>"文书号"</dt>
                                    <dd>{hit.doc_no.clone()}</dd>
                                </div>
                                <div>
                                    <dt>"决定机关"</dt>
                                    <dd>{hit.department.clone()}</dd>
                                </div>
                                <div>
                                    <dt>"决定日期"</dt>
                                    <dd>{crate::model::plain_date::iso(hit.decision_date)}</dd>
                                </div>
                                <div>
                                    <dt>"摘要"</dt>
                                    <dd>{hit.summary.clone()}</dd>
                                </div>
                            </dl>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
