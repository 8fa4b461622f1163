//! The attributes of a catalog item (DOMAIN.md §2) besides its rule: the
//! codes stored and the labels shown. Kept as data so the schema's check
//! constraints, the console's forms and its tables agree.

/// Classification (信息分类).
pub const CLASSIFICATIONS: [(&str, &str); 4] = [
    ("basic", "基础信息"),
    ("dishonesty", "失信信息"),
    ("trust", "守信信息"),
    ("other", "其他信息"),
];

/// Sharing attribute (共享属性).
pub const SHARING: [(&str, &str); 3] = [
    ("unconditional", "无条件共享"),
    ("conditional", "有条件共享"),
    ("none", "不予共享"),
];

/// Disclosure attribute (开放属性). Only `public` items reach public pages.
pub const DISCLOSURE: [(&str, &str); 4] = [
    ("public", "社会公开"),
    ("on_request", "依申请公开"),
    ("authorised", "授权查询"),
    ("none", "不予公开"),
];

/// The label of `code` in one of the lists above (the code itself if unknown).
pub fn label<'a>(list: &[(&'a str, &'a str)], code: &'a str) -> &'a str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

/// Whether `code` is one of the list's codes.
pub fn is_code(list: &[(&str, &str)], code: &str) -> bool {
    list.iter().any(|(c, _)| *c == code)
}

/// The attributes of an item an administrator may change after it exists.
/// Its code, kind of record and department stay: records point at them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemAttributes {
    pub name: String,
    pub conduct: String,
    pub data_source: String,
    pub classification: String,
    pub sharing: String,
    pub disclosure: String,
    /// Working days after the decision within which a record must arrive.
    pub reporting_working_days: u32,
}

/// The reporting limits an item may set, in working days.
pub const REPORTING_DAYS: std::ops::RangeInclusive<u32> = 1..=60;

impl ItemAttributes {
    /// Checks the attributes as a form gives them (text), returning each
    /// fault as (field, message) so the form can show it by its field.
    pub fn check(
        name: &str,
        conduct: &str,
        data_source: &str,
        classification: &str,
        sharing: &str,
        disclosure: &str,
        reporting_days: &str,
    ) -> Result<ItemAttributes, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        for (field, value, message) in [
            ("name", name, "请填写信息项名称（不超过 100 字）"),
            ("conduct", conduct, "请填写涵盖的行为（不超过 100 字）"),
            (
                "data_source",
                data_source,
                "请填写数据来源（不超过 100 字）",
            ),
        ] {
            if value.trim().is_empty() || value.trim().chars().count() > 100 {
                errors.push((field, message.to_string()));
            }
        }
        for (field, list, value, message) in [
            (
                "classification",
                &CLASSIFICATIONS[..],
                classification,
                "请选择信息分类",
            ),
            ("sharing", &SHARING[..], sharing, "请选择共享属性"),
            ("disclosure", &DISCLOSURE[..], disclosure, "请选择开放属性"),
        ] {
            if !is_code(list, value) {
                errors.push((field, message.to_string()));
            }
        }
        let days = reporting_days
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| REPORTING_DAYS.contains(d));
        if days.is_none() {
            errors.push((
                "reporting_days",
                format!(
                    "报送时限须为 {} 至 {} 个工作日",
                    REPORTING_DAYS.start(),
                    REPORTING_DAYS.end()
                ),
            ));
        }
        match days {
            Some(days) if errors.is_empty() => Ok(ItemAttributes {
                name: name.trim().to_string(),
                conduct: conduct.trim().to_string(),
                data_source: data_source.trim().to_string(),
                classification: classification.to_string(),
                sharing: sharing.to_string(),
                disclosure: disclosure.to_string(),
                reporting_working_days: days,
            }),
            _ => Err(errors),
        }
    }

    /// What changed from `before` to `self`, as the register records it
    /// (e.g. "开放属性：社会公开 → 不予公开").
    pub fn changes_from(&self, before: &ItemAttributes) -> Vec<String> {
        let mut out = Vec::new();
        let mut text = |label: &str, a: &str, b: &str| {
            if a != b {
                out.push(format!("{label}：{a} → {b}"));
            }
        };
        text("名称", &before.name, &self.name);
        text("涵盖的行为", &before.conduct, &self.conduct);
        text("数据来源", &before.data_source, &self.data_source);
        let labelled = |list: &[(&'static str, &'static str)], c: &str| label(list, c).to_string();
        text(
            "信息分类",
            &labelled(&CLASSIFICATIONS, &before.classification),
            &labelled(&CLASSIFICATIONS, &self.classification),
        );
        text(
            "共享属性",
            &labelled(&SHARING, &before.sharing),
            &labelled(&SHARING, &self.sharing),
        );
        text(
            "开放属性",
            &labelled(&DISCLOSURE, &before.disclosure),
            &labelled(&DISCLOSURE, &self.disclosure),
        );
        text(
            "报送时限（工作日）",
            &before.reporting_working_days.to_string(),
            &self.reporting_working_days.to_string(),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(disclosure: &str, days: &str) -> Result<ItemAttributes, Vec<(&'static str, String)>> {
        ItemAttributes::check(
            " 食品安全行政处罚信息 ",
            "食品安全违法行为",
            "鹤岗市市场监督管理局",
            "dishonesty",
            "unconditional",
            disclosure,
            days,
        )
    }

    #[test]
    fn attributes_are_checked_field_by_field() {
        let ok = check("public", "7").unwrap();
        assert_eq!(ok.name, "食品安全行政处罚信息");
        let errors = check("everyone", "0").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["disclosure", "reporting_days"]);
        let long = "长".repeat(101);
        let errors =
            ItemAttributes::check(&long, "", "x", "basic", "none", "none", "60").unwrap_err();
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn changes_name_what_changed_in_words() {
        let before = check("public", "7").unwrap();
        let after = ItemAttributes {
            disclosure: "none".into(),
            reporting_working_days: 5,
            ..before.clone()
        };
        assert_eq!(
            after.changes_from(&before),
            vec![
                "开放属性：社会公开 → 不予公开".to_string(),
                "报送时限（工作日）：7 → 5".to_string()
            ]
        );
        assert!(before.changes_from(&before).is_empty());
    }
}
