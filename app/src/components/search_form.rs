//! The search form: a plain GET form to `/search` that works without
//! JavaScript. The `SearchFlow` island (rendered inside it) makes it filter
//! and page in place where WebAssembly runs.

use leptos::prelude::*;

use crate::islands::search_flow::{credit_code_hint, SearchFlow};
use crate::model::{DepartmentOption, RecordKind, SearchParams};

/// The form's class; the island finds the form by it.
pub const FORM_CLASS: &str = "search-form";

#[component]
pub fn SearchForm(params: SearchParams, departments: Vec<DepartmentOption>) -> impl IntoView {
    let hint = credit_code_hint(&params.q);
    let kind = params.kind;
    let dept = params.dept;
    view! {
        <form
            class=format!("{FORM_CLASS} panel")
            method="get"
            action="/search"
            role="search"
            aria-label="公示信息查询"
        >
            <div class="field field-q">
                <label for="q">"名称、统一社会信用代码或决定书文号"</label>
                <input
                    id="q"
                    name="q"
                    type="search"
                    maxlength="40"
                    autocomplete="off"
                    placeholder="如：鹤岗、91230400…、鹤市监罚〔2025〕12号"
                    aria-describedby="q-hint"
                    value=params.q
                />
                <p id="q-hint" class="hint" aria-live="polite">{hint}</p>
            </div>
            <div class="filters">
                <div class="field">
                    <label for="type">"信息类别"</label>
                    <select id="type" name="type">
                        <option value="" selected=kind.is_empty()>"全部"</option>
                        {RecordKind::ALL
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.code() selected=kind == k.code()>
                                        {k.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="dept">"决定机关"</label>
                    <select id="dept" name="dept">
                        <option value="" selected=dept.is_empty()>"全部机关"</option>
                        {departments
                            .into_iter()
                            .map(|d| {
                                let value = d.id.to_string();
                                let selected = dept == value;
                                view! { <option value=value selected=selected>{d.name}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="from">"决定日期起"</label>
                    <input id="from" name="from" type="date" value=params.from/>
                </div>
                <div class="field">
                    <label for="to">"决定日期止"</label>
                    <input id="to" name="to" type="date" value=params.to/>
                </div>
            </div>
            <button type="submit" class="button">"查询"</button>
            <SearchFlow/>
        </form>
    }
}
