//! `/penalties/{id}`, `/licenses/{id}`, `/serious-list/{id}`: one record with
//! all public fields, its publication period, status and repair eligibility.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::data_link::DataLink;
use leptos_router::hooks::use_params_map;

use crate::api::records::get_record;
use crate::components::notice::ErrorPanel;
use crate::components::status::PublicationBox;
use crate::model::{RecordKind, RecordView};

#[component]
pub fn PenaltyPage() -> impl IntoView {
    view! { <RecordPage kind=RecordKind::Penalty/> }
}

#[component]
pub fn LicensePage() -> impl IntoView {
    view! { <RecordPage kind=RecordKind::License/> }
}

#[component]
pub fn SeriousEntryPage() -> impl IntoView {
    view! { <RecordPage kind=RecordKind::Serious/> }
}

#[component]
fn RecordPage(kind: RecordKind) -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    view! {
        <Suspense fallback=|| view! { <p>"正在加载…"</p> }>
            {move || {
                let id = id.clone();
                Suspend::new(async move {
                    match get_record(kind.code().to_string(), id).await {
                        Ok(record) => view! { <RecordBody record/> }.into_any(),
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
fn RecordBody(record: RecordView) -> impl IntoView {
    let subject_link = record.subject_code.clone().map(|code| {
        view! {
            <p>
                <a href=format!("/subjects/{code}")>
                    "查看该主体的全部公示信息"
                </a>
            </p>
        }
    });
    view! {
        <Title text=record.title.clone()/>
        <nav aria-label="位置" class="breadcrumb">
            <a href="/">"首页"</a>
            " › "
            <a href=format!("/search?type={}", record.kind.code())>{record.kind.label()}</a>
        </nav>
        <h1>{record.title.clone()}</h1>
        <p class="lead">
            <span class="kind-tag">{record.kind.label()}</span>
            " "
            {record.subject_name.clone()}
        </p>
        {subject_link}
        <PublicationBox record=record.clone()/>
        <DataLink href=format!("/api/v1/public/records/{}/{}", record.kind.code(), record.id)/>
        <section class="panel" aria-labelledby="fields-heading">
            <h2 id="fields-heading">"公示内容"</h2>
            <dl class="fields">
                {record
                    .fields
                    .into_iter()
                    .map(|f| {
                        view! {
                            <div>
                                <dt>{f.label}</dt>
                                <dd>{f.value}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}
