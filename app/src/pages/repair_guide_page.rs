//! `/repair`: the repair guide: conditions, materials, steps, time limits,
//! free of charge. The online application itself is a separate flow.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RepairGuidePage() -> impl IntoView {
    view! {
        <Title text="信用修复指南"/>
        <h1>"信用修复指南"</h1>
        <p class="lead">
            "信用修复是指信用主体纠正失信行为、履行相关义务后，经认定单位确认，提前停止公示失信信息。"
            <strong>"信用修复全程免费"</strong>
            "，任何单位和个人不得以任何名义收取费用。"
        </p>
        <section class="panel" aria-labelledby="conditions">
            <h2 id="conditions">"申请条件"</h2>
            <ul>
                <li>"申请人为信用主体本身，或持授权委托书的代理人。"</li>
                <li>"该信息的最短公示期已满：一般失信行为 3 个月，严重失信行为 1 年（自处罚决定日期起算）。"</li>
                <li>"已履行行政处罚决定规定的义务（如缴清罚款），并已完成整改。"</li>
                <li>"该类信息允许提前修复。依规不得提前修复的信息（如部分吊销许可证照、食品药品等领域特定严重违法行为）公示期满后自动停止公示。"</li>
            </ul>
            <p>"每条处罚信息页面都会显示“可申请信用修复日期”，或不能修复的原因。"</p>
        </section>
        <section class="panel" aria-labelledby="materials">
            <h2 id="materials">"所需材料"</h2>
            <ul>
                <li>"信用修复承诺书（在线生成，勾选并签名确认）。"</li>
                <li>"主体身份证明：营业执照或身份证件；代理人另需授权委托书。"</li>
                <li>"履行义务证明：罚款缴纳凭证、整改报告，或主管部门出具的相关证明。"</li>
            </ul>
        </section>
        <section class="panel" aria-labelledby="steps">
            <h2 id="steps">"办理流程和时限"</h2>
            <ol>
                <li>"在处罚信息页面点击“在线申请信用修复”，填写申请并上传材料，获得申请编号和查询码。"</li>
                <li>"作出处罚决定的部门（认定单位）审核申请；材料不全的，一次性告知需要补正的内容。"</li>
                <li>"认定单位自材料齐全之日起 10 个工作日内作出决定并告知申请人（法定节假日不计入，调休上班日计入）。"</li>
                <li>"同意修复的，本网站立即停止公示该信息，并在 3 个工作日内将结果共享至相关平台。"</li>
                <li>"不予修复的，告知理由和救济途径。"</li>
            </ol>
            <p>"申请人可随时凭申请编号和查询码查看办理进度，在作出决定前可以撤回申请。"</p>
        </section>
        <section class="panel" aria-labelledby="basis">
            <h2 id="basis">"依据"</h2>
            <p>
                "《鹤岗市进一步完善失信约束制度构建诚信建设长效机制实施方案》（鹤信用发〔2022〕1号）、国务院办公厅有关文件（国办发〔2025〕22号）及国家发展改革委《信用修复管理办法》。"
                <a href="/policies">"阅读政策原文"</a>
            </p>
        </section>
    }
}
