//! `/measures`: the measures list (失信惩戒措施清单), searchable by list
//! and department. A plain server-rendered page with a GET form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::measures::{get_measures, PublicMeasure};
use crate::components::data_link::DataLink;
use crate::components::notice::set_http_status;

#[component]
fn MeasureCard(m: PublicMeasure) -> impl IntoView {
    let period = match &m.effective_to {
        Some(to) => format!("{} 至 {}", m.effective_from, to),
        None => format!("{} 起施行", m.effective_from),
    };
    view! {
        <article class="panel measure" aria-labelledby=format!("m-{}", m.code)>
            <h2 id=format!("m-{}", m.code)>{m.name.clone()}</h2>
            <dl class="fields">
                <dt>"措施内容"</dt><dd>{m.effect.clone()}</dd>
                <dt>"措施类别"</dt><dd>{m.class.clone()}</dd>
                <dt>"法律依据"</dt><dd>{m.citation.clone()}</dd>
                <dt>"条文内容"</dt><dd>{m.basis_text.clone()}</dd>
                <dt>"适用名单"</dt><dd>{m.lists.join("、")}</dd>
                <dt>"适用对象"</dt><dd>{m.subject_kinds.join("、")}</dd>
                <dt>"实施主体"</dt><dd>{m.implementer.clone()}</dd>
                <dt>"本市实施单位"</dt><dd>{m.departments.join("、")}</dd>
                <dt>"施行"</dt><dd>{period}{format!("（第 {} 版）", m.version)}</dd>
            </dl>
        </article>
    }
}

#[component]
pub fn MeasuresPage() -> impl IntoView {
    let (domain, department) = use_query_map().with_untracked(|q| {
        (
            q.get("domain").unwrap_or_default(),
            q.get("department").unwrap_or_default(),
        )
    });
    view! {
        <Title text="失信惩戒措施清单"/>
        <h1>"失信惩戒措施清单"</h1>
        <p class="lead">
            "失信惩戒措施只能依据法律、法规或党中央、国务院政策文件设定，不得在清单之外实施。下列每项措施写明法律依据及其条文、适用的严重失信主体名单和对象、实施单位。被列入名单的主体移出名单后，相关措施即解除。"
        </p>
        <Suspense fallback=|| view! { <p>"正在加载…"</p> }>
            {move || {
                let (domain, department) = (domain.clone(), department.clone());
                Suspend::new(async move {
                    match get_measures(domain, department).await {
                        Err(err) => {
                            set_http_status(err.status());
                            view! {
                                <div class="error-summary" role="alert"><p>{err.to_string()}</p></div>
                                <p><a href="/measures">"查看全部措施"</a></p>
                            }
                            .into_any()
                        }
                        Ok(v) => {
                            let count = v.measures.len();
                            let mut query = Vec::new();
                            if !v.domain.is_empty() {
                                query.push(format!("domain={}", crate::model::encode_query_value(&v.domain)));
                            }
                            if !v.department.is_empty() {
                                query.push(format!("department={}", crate::model::encode_query_value(&v.department)));
                            }
                            let data_href = if query.is_empty() {
                                "/api/v1/public/measures".to_string()
                            } else {
                                format!("/api/v1/public/measures?{}", query.join("&"))
                            };
                            view! {
                                <form class="panel search-form" method="get" action="/measures" role="search" aria-label="措施查询">
                                    <div class="field">
                                        <label for="measures-domain">"适用名单"</label>
                                        <select id="measures-domain" name="domain">
                                            <option value="" selected=v.domain.is_empty()>"全部名单"</option>
                                            {v.domains.iter().map(|(code, name)| {
                                                let selected = *code == v.domain;
                                                view! { <option value=code.clone() selected=selected>{name.clone()}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for="measures-department">"实施单位"</label>
                                        <select id="measures-department" name="department">
                                            <option value="" selected=v.department.is_empty()>"全部单位"</option>
                                            {v.departments.iter().map(|(id, name)| {
                                                let selected = id.to_string() == v.department;
                                                view! { <option value=id.to_string() selected=selected>{name.clone()}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <button type="submit" class="button">"查询"</button>
                                </form>
                                <p role="status">{format!("共 {count} 项措施")}</p>
                                <DataLink href=data_href/>
                                {if count == 0 {
                                    view! { <p class="empty-state">"没有符合条件的措施。"</p> }.into_any()
                                } else {
                                    v.measures.into_iter().map(|m| view! { <MeasureCard m/> }).collect_view().into_any()
                                }}
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
