//! The access register for auditors (`/admin/audit`).

use leptos::prelude::*;

use super::{StaffBar, StaffView};
use crate::domain::staff::AuditAction;

/// One entry as shown (times in China time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub purpose: String,
    pub client: String,
}

/// The search form's values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterQuery {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub from: String,
    pub to: String,
}

#[component]
pub fn RegisterPage(
    staff: StaffView,
    query: RegisterQuery,
    rows: Vec<RegisterRow>,
    /// The chain check: `Ok(entries checked)` or what broke where.
    chain: Result<usize, String>,
    error: Option<String>,
) -> impl IntoView {
    view! {
        <StaffBar staff/>
        <h1>"查询使用登记"</h1>
        {match chain {
            Ok(n) => view! { <p class="notice-ok" role="status">{format!("登记链校验通过：共 {n} 条，未发现删改。")}</p> }.into_any(),
            Err(m) => view! { <div class="error-panel" role="alert"><p>{format!("登记链校验失败：{m}")}</p></div> }.into_any(),
        }}
        <form method="get" action="/admin/audit" class="panel search-form">
            {error.map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
            <div class="filters">
                <div class="field"><label for="actor">"操作人（用户名）"</label><input id="actor" name="actor" value=query.actor/></div>
                <div class="field">
                    <label for="action">"操作"</label>
                    <select id="action" name="action">
                        <option value="" selected=query.action.is_empty()>"全部"</option>
                        {AuditAction::ALL.into_iter().map(|a| {
                            let selected = query.action == a.code();
                            view! { <option value=a.code() selected=selected>{a.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field"><label for="target">"对象（如申请编号）"</label><input id="target" name="target" value=query.target/></div>
                <div class="field"><label for="from">"日期起"</label><input id="from" name="from" type="date" value=query.from/></div>
                <div class="field"><label for="to">"日期止"</label><input id="to" name="to" type="date" value=query.to/></div>
            </div>
            <button type="submit" class="button">"查询"</button>
        </form>
        <p>{format!("显示最近 {} 条。", rows.len())}</p>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"使用登记"</caption>
                <thead><tr>
                    <th scope="col">"序号"</th><th scope="col">"时间"</th><th scope="col">"操作人"</th>
                    <th scope="col">"操作"</th><th scope="col">"对象"</th><th scope="col">"事由"</th><th scope="col">"来源地址"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.id}</td><td>{r.at}</td><td>{r.actor}</td><td>{r.action}</td>
                            <td>{r.target}</td><td>{r.purpose}</td><td>{r.client}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
