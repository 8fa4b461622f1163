//! `/admin/listings`: a department's proposals to list parties on the
//! serious list, each served as a prior notice (告知书) at once, the party's
//! answer, the department's reply and the decision. The rules are the
//! domain's (`domain::serious_listing`); these pages show what the server's
//! `staff::listings` handlers decided.

use leptos::prelude::*;

use super::{Choice, CsrfField, StaffBar, StaffView};
use crate::pages::repair::forms::{error_for, textarea_text, ErrorSummary, FieldError, TextField};

/// One line of the department's listings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingLine {
    pub number: String,
    pub subject_name: String,
    pub list_name: String,
    pub state: String,
    pub answer_deadline: String,
}

/// The penalty a proposal is grounded on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroundsLine {
    pub penalty_id: i64,
    pub doc_no: String,
    pub subject_name: String,
    pub subject_kind: crate::domain::SubjectKind,
    pub facts: String,
}

/// A proposal's form, shown again with its errors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProposalForm {
    pub domain: String,
    pub reason: String,
    pub basis: String,
}

/// A listing as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingView {
    pub number: String,
    pub state: String,
    pub expected_state: String,
    pub subject_name: String,
    pub list_name: String,
    pub notice: Vec<(String, String)>,
    pub answer: Option<String>,
    /// The party's evidence: (download href, name and size).
    pub files: Vec<(String, String)>,
    pub reply: Option<String>,
    /// (when, who, what, text)
    pub events: Vec<(String, String, String, Option<String>)>,
    /// The decision's sections and the public entry, once listed.
    pub decision: Vec<(String, String)>,
    pub entry_href: Option<String>,
    /// The department's actions allowed now, as (code, label).
    pub actions: Vec<(String, String)>,
}

/// Headed paragraphs (a notice, a decision).
#[component]
pub fn Sections(sections: Vec<(String, String)>) -> impl IntoView {
    view! {
        <dl class="fields">
            {sections.into_iter().map(|(h, b)| view! { <dt>{h}</dt><dd>{b}</dd> }).collect_view()}
        </dl>
    }
}

#[component]
pub fn ListingsPage(staff: StaffView, listings: Vec<ListingLine>) -> impl IntoView {
    view! {
        <StaffBar staff/>
        <h1>"严重失信主体名单认定"</h1>
        <p>"拟列入前须向当事人送达告知书，当事人可在答复期限内在线陈述、申辩；逐项答复后方可作出认定决定。答复期限届满当事人未答复的，视为放弃陈述、申辩。"</p>
        <form method="get" action="/admin/listings/new" class="panel">
            <TextField id="penalty" label="作为依据的行政处罚记录编号" hint="本部门已公示的行政处罚记录页地址末尾的数字" input_type="number"/>
            <button type="submit" class="button">"拟列入"</button>
        </form>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"认定程序"</caption>
                <thead><tr>
                    <th scope="col">"告知书编号"</th><th scope="col">"当事人"</th>
                    <th scope="col">"名单"</th><th scope="col">"状态"</th><th scope="col">"答复期限"</th>
                </tr></thead>
                <tbody>
                    {listings.into_iter().map(|l| view! {
                        <tr>
                            <td><a href=format!("/admin/listings/{}", l.number)>{l.number.clone()}</a></td>
                            <td>{l.subject_name}</td>
                            <td>{l.list_name}</td>
                            <td>{l.state}</td>
                            <td>{l.answer_deadline}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A long text field.
#[component]
pub fn Text(
    id: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-error=invalid>
            <label for=id>{label}</label>
            {error.map(|e| view! { <p class="error-message" id=format!("{id}-error")>"错误："{e}</p> })}
            <textarea id=id name=id rows="3">{textarea_text(&value)}</textarea>
        </div>
    }
}

#[component]
pub fn NewListingPage(
    staff: StaffView,
    grounds: GroundsLine,
    domains: Vec<(String, String)>,
    /// Per domain name, the measures of the list a listing there names.
    measures: Vec<(String, Vec<String>)>,
    form: ProposalForm,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let e = |f: &str| error_for(&errors, f);
    let mut options = vec![(String::new(), "请选择".to_string())];
    options.extend(domains);
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <h1>"拟列入严重失信主体名单"</h1>
        <dl class="fields">
            <dt>"依据的行政处罚"</dt><dd>{format!("{}（记录 {}）", grounds.doc_no, grounds.penalty_id)}</dd>
            <dt>"当事人"</dt><dd>{grounds.subject_name}</dd>
            <dt>"违法事实"</dt><dd>{grounds.facts}</dd>
        </dl>
        <form method="post" action="/admin/listings" class="panel" novalidate>
            <CsrfField csrf/>
            <input type="hidden" name="penalty" value=grounds.penalty_id.to_string()/>
            <Choice id="domain" label="名单领域" options selected=form.domain error=e("domain")/>
            <Text id="reason" label="事由" value=form.reason error=e("reason")/>
            <Text id="basis" label="依据" value=form.basis error=e("basis")/>
            <section aria-labelledby="measures-heading">
                <h2 id="measures-heading">"拟采取的失信惩戒措施"</h2>
                <p>"由失信惩戒措施清单确定，不另行填写：告知书和认定决定书载明所选名单领域适用于该当事人的下列措施及其法律依据。"</p>
                {measures.into_iter().map(|(list, named)| view! {
                    <h3>{list}</h3>
                    {if named.is_empty() {
                        view! { <p>"清单中暂无适用的措施：列入后依法公示。"</p> }.into_any()
                    } else {
                        view! { <ul>{named.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                    }}
                }).collect_view()}
            </section>
            <button type="submit" class="button">"生成并送达告知书"</button>
        </form>
    }
}

#[component]
pub fn ListingPage(
    staff: StaffView,
    listing: ListingView,
    access_code: Option<String>,
    text: String,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let action = format!("/admin/listings/{}/act", listing.number);
    let action_error = error_for(&errors, "action");
    let text_error = error_for(&errors, "text");
    let has_actions = !listing.actions.is_empty();
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <p><a href="/admin/listings">"返回认定程序"</a></p>
        <h1>{format!("告知书 {}", listing.number)}</h1>
        {access_code.map(|code| view! {
            <div class="panel notice" role="status">
                <p>"告知书已生成。请将告知书编号和下列查询码一并送达当事人，查询码只显示这一次："</p>
                <p class="issued-key">{code}</p>
                <p>{format!("当事人在 /notices/{} 输入查询码后，可查看告知书并在线陈述、申辩。", listing.number)}</p>
            </div>
        })}
        <dl class="fields">
            <dt>"状态"</dt><dd>{listing.state.clone()}</dd>
            <dt>"当事人"</dt><dd>{listing.subject_name.clone()}</dd>
            <dt>"名单"</dt><dd>{listing.list_name.clone()}</dd>
        </dl>
        <h2>"告知书"</h2>
        <Sections sections=listing.notice.clone()/>
        <h2>"当事人陈述、申辩"</h2>
        <p>{listing.answer.clone().unwrap_or_else(|| "尚未收到。".to_string())}</p>
        {(!listing.files.is_empty()).then(|| view! {
            <h3>"当事人提交的证明材料"</h3>
            <ul>{listing.files.clone().into_iter().map(|(href, name)| view! { <li><a href=href>{name}</a></li> }).collect_view()}</ul>
        })}
        {listing.reply.clone().map(|r| view! { <h2>"逐项答复"</h2><p>{r}</p> })}
        {(!listing.decision.is_empty()).then(|| view! {
            <h2>"认定决定书"</h2>
            <Sections sections=listing.decision.clone()/>
        })}
        {listing.entry_href.clone().map(|h| view! { <p><a href=h>"查看公示页面"</a></p> })}
        <h2>"办理记录"</h2>
        <ol class="timeline">
            {listing.events.into_iter().map(|(at, who, what, text)| view! {
                <li><strong>{what}</strong>" · "{at}" · "{who}{text.map(|t| view! { <p>{t}</p> })}</li>
            }).collect_view()}
        </ol>
        {has_actions.then(|| view! {
            <h2>"办理"</h2>
            <form method="post" action=action class="panel" novalidate>
                <CsrfField csrf/>
                <input type="hidden" name="expected_state" value=listing.expected_state.clone()/>
                <fieldset class="field" class:field-error=action_error.is_some()>
                    <legend>"办理结果"</legend>
                    {action_error.clone().map(|e| view! { <p class="error-message" id="action-error">"错误："{e}</p> })}
                    {listing.actions.iter().enumerate().map(|(i, (code, label))| {
                        let id = if i == 0 { "action".to_string() } else { format!("action_{code}") };
                        view! {
                            <div class="radio">
                                <input type="radio" id=id.clone() name="action" value=code.clone()/>
                                <label for=id>{label.clone()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <Text id="text" label="答复意见或理由" value=text error=text_error/>
                <button type="submit" class="button">"提交"</button>
            </form>
        })}
    }
}

/// A department's listings as the credit authority oversees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OversightLine {
    pub department: String,
    pub in_progress: usize,
    pub owed: usize,
    pub listed: usize,
}

/// A listing whose department owes the next step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwedStep {
    pub number: String,
    pub department: String,
    pub state: String,
    pub answer_deadline: String,
    pub owed: String,
}

/// `/admin/listing-oversight`: per department, the listings in progress and
/// those whose department owes the next step.
#[component]
pub fn OversightPage(
    staff: StaffView,
    departments: Vec<OversightLine>,
    owed: Vec<OwedStep>,
) -> impl IntoView {
    let none_owed = owed.is_empty();
    view! {
        <StaffBar staff/>
        <h1>"名单认定督办"</h1>
        <p>"各认定单位的列入程序。当事人已陈述、申辩的，认定单位应逐项答复；答复期限已过或已答复的，应及时作出认定决定或撤销拟列入。"</p>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"各单位列入程序"</caption>
                <thead><tr>
                    <th scope="col">"认定单位"</th><th scope="col">"办理中"</th>
                    <th scope="col">"待认定单位办理"</th><th scope="col">"已列入"</th>
                </tr></thead>
                <tbody>
                    {departments.into_iter().map(|d| view! {
                        <tr><td>{d.department}</td><td>{d.in_progress}</td><td>{d.owed}</td><td>{d.listed}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"待认定单位办理"</h2>
        {none_owed.then(|| view! { <p>"目前没有。"</p> })}
        {(!none_owed).then(|| view! {
            <div class="table-wrap">
                <table class="records-table">
                    <caption class="visually-hidden">"待认定单位办理的程序"</caption>
                    <thead><tr>
                        <th scope="col">"告知书编号"</th><th scope="col">"认定单位"</th><th scope="col">"状态"</th>
                        <th scope="col">"答复期限"</th><th scope="col">"待办事项"</th>
                    </tr></thead>
                    <tbody>
                        {owed.into_iter().map(|o| view! {
                            <tr><td>{o.number}</td><td>{o.department}</td><td>{o.state}</td><td>{o.answer_deadline}</td><td>{o.owed}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}
