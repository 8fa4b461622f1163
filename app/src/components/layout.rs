//! The frame of every page: skip link, header with navigation, the demo-data
//! banner, the main landmark and the footer.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
tokio::task_local! {
    /// Whether the database holds the generated demo data: then every page
    /// says its subjects and decisions are fictional; a portal of real data
    /// must not. The server's middleware runs each request inside
    /// `DEMO_DATA.scope(..)`, so pages rendered outside the Leptos router
    /// (repair, console) get the same frame.
    pub static DEMO_DATA: bool;
}

/// Whether the page being rendered is one of a demo database (not outside
/// a request).
fn demo_data() -> bool {
    #[cfg(feature = "ssr")]
    if let Ok(demo) = DEMO_DATA.try_with(|d| *d) {
        return demo;
    }
    false
}

/// Site navigation entries: (path, label).
const NAV: [(&str, &str); 6] = [
    ("/", "首页"),
    ("/search", "信息查询"),
    ("/serious-list", "严重失信主体名单"),
    ("/measures", "惩戒措施清单"),
    ("/repair", "信用修复"),
    ("/policies", "政策文件"),
];

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let (switch_href, switch_label) = crate::display::switch_link(&crate::display::current());
    let demo = demo_data();
    view! {
        <a class="skip-link" href="#main">"跳到主要内容"</a>
        <header class="site-header">
            <div class="wrap header-inner">
                <a class="site-title" href="/">
                    <span class="site-title-main">"信用中国"</span>
                    <span class="site-title-sub">"（黑龙江鹤岗）"</span>
                </a>
                <nav aria-label="主导航">
                    <ul class="nav-list">
                        {NAV
                            .iter()
                            .map(|(href, label)| {
                                view! {
                                    <li>
                                        <a href=*href>{*label}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <a class="display-switch" href=switch_href>{switch_label}</a>
            </div>
        </header>
        {demo.then(|| view! {
            <div class="demo-banner" role="note">
                <div class="wrap">
                    <strong>"演示数据："</strong>
                    "本站展示的企业、个体工商户、自然人及其处罚、许可、名单信息均为虚构，仅用于演示，与任何真实主体无关。部门名称为真实机构名称。"
                </div>
            </div>
        })}
        <main id="main" class="wrap" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <p>"主办：鹤岗市社会信用体系建设主管部门" {demo.then_some("（演示站）")}</p>
                <p>
                    "信用修复一律免费，任何单位和个人不得收取费用。 "
                    <a href="/repair">"了解信用修复"</a>
                    " · "
                    <a href="/policies">"政策文件"</a>
                    " · "
                    <a href="/transparency">"信用工作透明度"</a>
                </p>
                <p>"个人信息已依法脱敏处理。"</p>
            </div>
        </footer>
    }
}
