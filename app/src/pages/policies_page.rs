//! `/policies`: the governing text, readable in full.

use leptos::prelude::*;
use leptos_meta::Title;

/// 鹤信用发〔2022〕1号, as published by the city (one paragraph per line).
const HEGANG_2022_1: &str = include_str!("policy_texts/hexinyongfa_2022_1.txt");

/// How a line of the published text is shown.
enum Block<'a> {
    Section(&'a str),
    Subsection(&'a str),
    Paragraph(&'a str),
}

fn classify(line: &str) -> Block<'_> {
    const NUMERALS: &str = "一二三四五六七八九十";
    let mut chars = line.chars();
    let first = chars.next().unwrap_or(' ');
    if NUMERALS.contains(first) && line.chars().count() < 30 && line.contains('、') {
        Block::Section(line)
    } else if (first == '(' || first == '（')
        && chars.next().is_some_and(|c| NUMERALS.contains(c))
        && line.chars().count() < 30
    {
        Block::Subsection(line)
    } else {
        Block::Paragraph(line)
    }
}

#[component]
pub fn PoliciesPage() -> impl IntoView {
    let body = HEGANG_2022_1
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "-" && !l.starts_with("当前位置"))
        .map(|line| match classify(line) {
            Block::Section(t) => view! { <h2>{t}</h2> }.into_any(),
            Block::Subsection(t) => view! { <h3>{t}</h3> }.into_any(),
            Block::Paragraph(t) => view! { <p>{t}</p> }.into_any(),
        })
        .collect_view();
    view! {
        <Title text="政策文件"/>
        <h1>"政策文件"</h1>
        <p class="lead">"本站依据以下文件公示信用信息、实施失信约束和信用修复。"</p>
        <article class="panel policy-text" aria-labelledby="policy-title">
            <h2 id="policy-title" class="policy-title">
                "鹤岗市进一步完善失信约束制度构建诚信建设长效机制实施方案（鹤信用发〔2022〕1号）"
            </h2>
            {body}
        </article>
    }
}
