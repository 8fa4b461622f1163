//! The HTML shell and the route table.
//!
//! Every route renders with `SsrMode::Async`: the server waits for the data
//! and sends finished HTML, so pages work without JavaScript and a missing
//! record can still answer with HTTP 404.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

use crate::components::layout::Layout;
use crate::pages::document::SiteHead;
use crate::pages::{
    home_page::HomePage,
    measures_page::MeasuresPage,
    not_found_page::NotFoundPage,
    policies_page::PoliciesPage,
    record_page::{LicensePage, PenaltyPage, SeriousEntryPage},
    repair_guide_page::RepairGuidePage,
    report_page::{ReportPage, VerifyPage},
    search_page::SearchPage,
    serious_list_page::SeriousListPage,
    subject_page::SubjectPage,
    transparency_page::TransparencyPage,
};

/// The document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::provide_nonce();
    let display = crate::display::current().mode.html_class();
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN" class=display>
            <head>
                <SiteHead/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The route table.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() {
                "信用中国（黑龙江鹤岗）".to_string()
            } else {
                format!("{page} - 信用中国（黑龙江鹤岗）")
            }
        }/>
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("subjects"), ParamSegment("code"))
                        view=SubjectPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("subjects"), ParamSegment("code"), StaticSegment("report"))
                        view=ReportPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("reports"), StaticSegment("verify"))
                        view=VerifyPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("penalties"), ParamSegment("id"))
                        view=PenaltyPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("licenses"), ParamSegment("id"))
                        view=LicensePage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("measures") view=MeasuresPage ssr=SsrMode::Async/>
                    <Route
                        path=StaticSegment("serious-list")
                        view=SeriousListPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("serious-list"), ParamSegment("id"))
                        view=SeriousEntryPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("repair") view=RepairGuidePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("policies") view=PoliciesPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("transparency") view=TransparencyPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
