//! `/admin/catalog`: the public credit information catalog as the credit
//! authority maintains it. A change of rule is a new version with an
//! effective date; records keep the version they were decided under.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::{Choice, CsrfField, StaffBar, StaffView};
use crate::domain::catalog::{label, ItemAttributes, CLASSIFICATIONS, DISCLOSURE, SHARING};
use crate::domain::publication::{format_date_cn, Tier};
use crate::pages::repair::forms::{error_for, ErrorSummary, FieldError, TextField};

/// One rule version as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleLine {
    pub version: u32,
    pub effective_from: NaiveDate,
    pub tier: Tier,
    pub published: bool,
    pub min_months: u32,
    pub max_months: u32,
    pub repairable: bool,
}

impl RuleLine {
    pub fn summary(&self) -> String {
        if self.published {
            format!(
                "{}：公示 {}–{} 个月，{}",
                self.tier.label(),
                self.min_months,
                self.max_months,
                if self.repairable {
                    "可修复"
                } else {
                    "不可提前修复"
                }
            )
        } else {
            format!("{}：不予公示", self.tier.label())
        }
    }
}

/// An item with its attributes and versions (oldest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemView {
    pub code: String,
    /// 行政处罚 / 行政许可.
    pub record_kind: String,
    pub department: String,
    pub attributes: ItemAttributes,
    pub rules: Vec<RuleLine>,
}

/// The values of a rule form shown again with its errors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleForm {
    pub tier: String,
    pub published: bool,
    pub min_months: String,
    pub max_months: String,
    pub repairable: bool,
    pub effective_from: String,
}

/// The rule fields of a form (new version, new item).
#[component]
fn RuleFields(form: RuleForm, errors: Vec<FieldError>) -> impl IntoView {
    let tier_error = error_for(&errors, "tier");
    let tier_invalid = tier_error.is_some();
    view! {
        <fieldset class="field" class:field-error=tier_invalid>
            <legend>"严重程度"</legend>
            {tier_error.map(|e| view! { <p class="error-message" id="tier-error">"错误："{e}</p> })}
            {Tier::ALL.into_iter().enumerate().map(|(i, t)| {
                let id = if i == 0 { "tier".to_string() } else { format!("tier_{}", t.code()) };
                view! {
                    <div class="radio">
                        <input type="radio" id=id.clone() name="tier" value=t.code() checked=form.tier == t.code()/>
                        <label for=id>{t.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <div class="checkbox">
            <input type="checkbox" id="published" name="published" value="yes" checked=form.published/>
            <label for="published">"向社会公示"</label>
        </div>
        <TextField id="min_months" label="最短公示期（月）" input_type="number" value=form.min_months error=error_for(&errors, "min_months").unwrap_or_default()/>
        <TextField id="max_months" label="最长公示期（月）" input_type="number" value=form.max_months error=error_for(&errors, "max_months").unwrap_or_default()/>
        <div class="checkbox">
            <input type="checkbox" id="repairable" name="repairable" value="yes" checked=form.repairable/>
            <label for="repairable">"最短公示期满后可申请信用修复"</label>
        </div>
        <TextField id="effective_from" label="生效日期" hint="不早于今天；之后作出的决定适用新规则，此前的记录保持原规则。" input_type="date" value=form.effective_from error=error_for(&errors, "effective_from").unwrap_or_default()/>
    }
}

/// The values of the attribute fields shown again with their errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributesForm {
    pub name: String,
    pub conduct: String,
    pub data_source: String,
    pub classification: String,
    pub sharing: String,
    pub disclosure: String,
    pub reporting_days: String,
}

impl Default for AttributesForm {
    fn default() -> Self {
        AttributesForm {
            name: String::new(),
            conduct: String::new(),
            data_source: String::new(),
            classification: "dishonesty".into(),
            sharing: "unconditional".into(),
            disclosure: "public".into(),
            reporting_days: "7".into(),
        }
    }
}

impl From<&ItemAttributes> for AttributesForm {
    fn from(a: &ItemAttributes) -> Self {
        AttributesForm {
            name: a.name.clone(),
            conduct: a.conduct.clone(),
            data_source: a.data_source.clone(),
            classification: a.classification.clone(),
            sharing: a.sharing.clone(),
            disclosure: a.disclosure.clone(),
            reporting_days: a.reporting_working_days.to_string(),
        }
    }
}

/// The values of the new-item form shown again with its errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemForm {
    pub code: String,
    pub record_kind: String,
    pub department: String,
    pub attributes: AttributesForm,
    pub rule: RuleForm,
}

impl Default for ItemForm {
    fn default() -> Self {
        ItemForm {
            code: String::new(),
            record_kind: "penalty".into(),
            department: String::new(),
            attributes: AttributesForm::default(),
            rule: RuleForm {
                published: true,
                repairable: true,
                ..RuleForm::default()
            },
        }
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect()
}

/// The attribute fields of a form (new item, changing an item).
#[component]
fn AttributeFields(form: AttributesForm, errors: Vec<FieldError>) -> impl IntoView {
    let e = |f: &str| error_for(&errors, f);
    view! {
        <TextField id="name" label="信息项名称" value=form.name error=e("name").unwrap_or_default()/>
        <TextField id="conduct" label="涵盖的行为" value=form.conduct error=e("conduct").unwrap_or_default()/>
        <TextField id="data_source" label="数据来源" value=form.data_source error=e("data_source").unwrap_or_default()/>
        <Choice id="classification" label="信息分类" options=pairs(&CLASSIFICATIONS) selected=form.classification error=e("classification")/>
        <Choice id="sharing" label="共享属性" options=pairs(&SHARING) selected=form.sharing error=e("sharing")/>
        <Choice id="disclosure" label="开放属性" options=pairs(&DISCLOSURE) selected=form.disclosure error=e("disclosure")/>
        <TextField id="reporting_days" label="报送时限（决定后工作日）" input_type="number" value=form.reporting_days error=e("reporting_days").unwrap_or_default()/>
    }
}

#[component]
pub fn CatalogPage(
    staff: StaffView,
    items: Vec<ItemView>,
    departments: Vec<crate::model::DepartmentOption>,
    form: ItemForm,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let e = |f: &str| error_for(&errors, f);
    let mut department_options = vec![(String::new(), "请选择".to_string())];
    department_options.extend(departments.into_iter().map(|d| (d.id.to_string(), d.name)));
    let kinds = vec![
        ("penalty".to_string(), "行政处罚".to_string()),
        ("license".to_string(), "行政许可".to_string()),
    ];
    let new_item = view! {
        <h2 id="new-item">"新增目录项"</h2>
        <form method="post" action="/admin/catalog" class="panel" novalidate>
            <CsrfField csrf/>
            <TextField id="code" label="目录项编码" hint="小写字母、数字和连字符，3 至 40 位，如 scjg-food" value=form.code error=e("code").unwrap_or_default()/>
            <Choice id="record_kind" label="信息类别" options=kinds selected=form.record_kind error=e("record_kind")/>
            <Choice id="department" label="提供单位" options=department_options selected=form.department error=e("department")/>
            <AttributeFields form=form.attributes errors=errors.clone()/>
            <RuleFields form=form.rule errors=errors.clone()/>
            <button type="submit" class="button">"新增目录项"</button>
        </form>
    };
    view! {
        <StaffBar staff/>
        <ErrorSummary errors=errors.clone()/>
        <h1>"公共信用信息目录"</h1>
        <p>"目录外的信息不予归集。修改公示规则会生成新版本，已有记录保持其作出时适用的版本。"</p>
        <div class="table-wrap">
            <table class="records-table">
                <caption class="visually-hidden">"目录项"</caption>
                <thead><tr>
                    <th scope="col">"编码"</th><th scope="col">"名称"</th><th scope="col">"提供单位"</th>
                    <th scope="col">"分类 / 共享 / 开放"</th><th scope="col">"现行规则"</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|i| {
                        let current = i.rules.last().map(|r| format!("第 {} 版（{}起）{}", r.version, format_date_cn(r.effective_from), r.summary())).unwrap_or_default();
                        view! {
                            <tr>
                                <td><a href=format!("/admin/catalog/{}", i.code)><code>{i.code.clone()}</code></a></td>
                                <td>{i.attributes.name.clone()}</td>
                                <td>{i.department}</td>
                                <td>{format!("{} / {} / {}", label(&CLASSIFICATIONS, &i.attributes.classification), label(&SHARING, &i.attributes.sharing), label(&DISCLOSURE, &i.attributes.disclosure))}</td>
                                <td>{current}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {new_item}
    }
}

#[component]
pub fn CatalogItemPage(
    staff: StaffView,
    item: ItemView,
    /// The attribute form: the item's values, or what was posted with errors.
    attributes: AttributesForm,
    form: RuleForm,
    errors: Vec<FieldError>,
    /// What was just saved, said once after the redirect.
    notice: Option<String>,
) -> impl IntoView {
    let csrf = staff.csrf.clone();
    let rules_action = format!("/admin/catalog/{}/rules", item.code);
    let attributes_action = format!("/admin/catalog/{}", item.code);
    let a = &item.attributes;
    view! {
        <StaffBar staff/>
        <p><a class="back-link" href="/admin/catalog">"返回目录"</a></p>
        <ErrorSummary errors=errors.clone()/>
        <h1>{format!("目录项 {}", item.code)}</h1>
        {notice.map(|n| view! { <div class="notice" role="status"><p>{n}</p></div> })}
        <dl class="fields panel">
            <div><dt>"名称"</dt><dd>{a.name.clone()}</dd></div>
            <div><dt>"信息类别"</dt><dd>{item.record_kind.clone()}</dd></div>
            <div><dt>"涵盖的行为"</dt><dd>{a.conduct.clone()}</dd></div>
            <div><dt>"提供单位"</dt><dd>{item.department.clone()}</dd></div>
            <div><dt>"数据来源"</dt><dd>{a.data_source.clone()}</dd></div>
            <div><dt>"信息分类"</dt><dd>{label(&CLASSIFICATIONS, &a.classification).to_string()}</dd></div>
            <div><dt>"共享属性"</dt><dd>{label(&SHARING, &a.sharing).to_string()}</dd></div>
            <div><dt>"开放属性"</dt><dd>{label(&DISCLOSURE, &a.disclosure).to_string()}</dd></div>
            <div><dt>"报送时限"</dt><dd>{format!("决定后 {} 个工作日内", a.reporting_working_days)}</dd></div>
        </dl>
        <h2>"公示规则版本"</h2>
        <ol class="timeline">
            {item.rules.iter().map(|r| view! {
                <li>
                    <p class="timeline-date">{format!("{}起", format_date_cn(r.effective_from))}</p>
                    <p class="timeline-label"><strong>{format!("第 {} 版", r.version)}</strong>" · "{r.summary()}</p>
                </li>
            }).collect_view()}
        </ol>
        <h2>"新增规则版本"</h2>
        <form method="post" action=rules_action class="panel" novalidate>
            <CsrfField csrf=csrf.clone()/>
            <RuleFields form errors=errors.clone()/>
            <button type="submit" class="button">"新增版本"</button>
        </form>
        <h2 id="attributes">"修改属性"</h2>
        <p>"编码、信息类别和提供单位不能修改（已有记录以此归属）。开放属性改变后，本目录项下的记录立即按新属性公示或撤下。"</p>
        <form method="post" action=attributes_action class="panel" novalidate>
            <CsrfField csrf/>
            <AttributeFields form=attributes errors/>
            <button type="submit" class="button">"保存属性"</button>
        </form>
    }
}
