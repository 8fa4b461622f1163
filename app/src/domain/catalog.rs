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
