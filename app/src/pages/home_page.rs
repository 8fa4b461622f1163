//! `/`: the search box, counts, latest publications and the way to repair.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::home::home_data;
use crate::components::hit_list::HitList;
use crate::components::notice::ErrorPanel;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=""/>
        <section class="hero panel" aria-labelledby="home-heading">
            <h1 id="home-heading">"信用中国（黑龙江鹤岗）"</h1>
            <p class="lead">"查询鹤岗市行政处罚、行政许可和严重失信主体名单，办理信用修复。"</p>
            <form class="home-search" method="get" action="/search" role="search" aria-label="公示信息查询">
                <label for="home-q">"名称、统一社会信用代码或决定书文号"</label>
                <div class="inline-field">
                    <input id="home-q" name="q" type="search" maxlength="40" autocomplete="off"/>
                    <button type="submit" class="button">"查询"</button>
                </div>
            </form>
        </section>
        <Suspense fallback=|| view! { <p>"正在加载…"</p> }>
            {move || Suspend::new(async move {
                match home_data().await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(data) => view! {
                        <section class="stats" aria-labelledby="stats-heading">
                            <h2 id="stats-heading">"公示中的信息"</h2>
                            <ul class="stat-list">
                                <li>
                                    <a href="/search?type=penalty">
                                        <span class="stat-number">{data.stats.penalties}</span>
                                        <span class="stat-label">"行政处罚"</span>
                                    </a>
                                </li>
                                <li>
                                    <a href="/search?type=license">
                                        <span class="stat-number">{data.stats.licenses}</span>
                                        <span class="stat-label">"行政许可"</span>
                                    </a>
                                </li>
                                <li>
                                    <a href="/serious-list">
                                        <span class="stat-number">{data.stats.serious}</span>
                                        <span class="stat-label">"严重失信主体名单"</span>
                                    </a>
                                </li>
                            </ul>
                        </section>
                        <div class="columns">
                            <section aria-labelledby="latest-penalties">
                                <h2 id="latest-penalties">"最新行政处罚"</h2>
                                <HitList hits=data.latest_penalties/>
                                <p><a href="/search?type=penalty">"查看全部行政处罚"</a></p>
                            </section>
                            <section aria-labelledby="latest-licenses">
                                <h2 id="latest-licenses">"最新行政许可"</h2>
                                <HitList hits=data.latest_licenses/>
                                <p><a href="/search?type=license">"查看全部行政许可"</a></p>
                            </section>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
        <section class="panel repair-entry" aria-labelledby="repair-entry-heading">
            <h2 id="repair-entry-heading">"信用修复"</h2>
            <p>
                "行政处罚信息最短公示期满、已履行处罚义务并完成整改的，可以申请信用修复，提前停止公示。信用修复全程免费。"
            </p>
            <p><a class="button" href="/repair">"了解信用修复条件与流程"</a></p>
        </section>
    }
}
