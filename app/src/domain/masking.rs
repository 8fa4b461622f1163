//! Masking of personal data before anything becomes public.
//!
//! Masking happens on the server when a record is published, so the browser
//! never receives the clear value. Rules: organisation names and their legal
//! representatives are public; personal names keep only their first char;
//! individual businesses' names lose the part that may be a personal name;
//! identifiers keep a small head and tail.

use super::subject_kind::SubjectKind;

/// Keeps the first char of a (trimmed) personal name and replaces every other
/// char with `*`: `张三`→`张*`, `欧阳娜娜`→`欧***`. A one-char name becomes
/// `*` (keeping it would reveal it all); empty stays empty. Counts chars,
/// not bytes.
pub fn mask_person_name(name: &str) -> String {
    let name = name.trim();
    let n = name.chars().count();
    match n {
        0 => String::new(),
        1 => "*".to_string(),
        _ => {
            let mut out = String::with_capacity(name.len());
            out.extend(name.chars().take(1));
            out.extend(std::iter::repeat_n('*', n - 1));
            out
        }
    }
}

/// Whether `c` is a Han (CJK ideograph) character.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Whether `name` is 2–4 Han characters, i.e. looks like a bare personal name.
fn looks_like_personal_name(name: &str) -> bool {
    let n = name.chars().count();
    (2..=4).contains(&n) && name.chars().all(is_han)
}

/// Endings of the division an individual business's name starts with
/// (county level or above, e.g. `鹤岗市`, `向阳区`, `萝北县`). `旗` is left
/// out: it ends given names (`红旗`) more often than names of places here.
const DIVISION_ENDS: [&str; 5] = ["自治区", "省", "市", "区", "县"];

/// Endings of the places that may follow the division (township, street,
/// village, community, market).
const PLACE_ENDS: [&str; 6] = ["街道", "社区", "市场", "乡", "镇", "村"];

/// Organisational forms that end an individual business's name (`店`, `部`,
/// `馆`, `行`, `厂`, `中心` and the like).
const FORMS: [&str; 22] = [
    "中心", "店", "馆", "部", "行", "厂", "坊", "社", "屋", "室", "站", "所", "铺", "摊", "庄",
    "园", "场", "厅", "院", "吧", "堂", "阁",
];

/// Longest place-name segment recognised, in chars before its ending.
const MAX_PLACE_CHARS: usize = 6;

/// The length in chars of the place-name segment `chars` starts with, if
/// any: 2–6 chars and one of `ends`, the longer ending winning where two
/// match (`市场` is a market, not a city). `None` when the first ending found
/// is not one of `ends` (a market cannot stand where the division does).
fn place_segment(chars: &[char], ends: &[&str]) -> Option<usize> {
    for at in 2..=MAX_PLACE_CHARS.min(chars.len()) {
        let rest: String = chars[at..].iter().take(3).collect();
        let found = DIVISION_ENDS
            .iter()
            .chain(PLACE_ENDS.iter())
            .filter(|e| rest.starts_with(**e))
            .max_by_key(|e| e.chars().count());
        if let Some(end) = found {
            return ends
                .contains(end)
                .then(|| at + end.chars().count())
                .filter(|&n| n < chars.len());
        }
    }
    None
}

/// How many chars of an individual business's name are its place names:
/// the division, then any township, street, village, community or market.
fn place_prefix_len(chars: &[char]) -> usize {
    let Some(mut len) = place_segment(chars, &DIVISION_ENDS) else {
        return 0;
    };
    let all: Vec<&str> = DIVISION_ENDS
        .iter()
        .chain(PLACE_ENDS.iter())
        .copied()
        .collect();
    while let Some(n) = place_segment(&chars[len..], &all) {
        len += n;
    }
    len
}

/// An individual business's name with the part that may be a personal name
/// masked, when the operator's name cannot say which part that is.
///
/// Why this rule: the name is composed as the division (and place), then the
/// 字号 (trade name), the trade and the organisational form
/// (《个体工商户名称登记管理办法》), and the operator's own name may serve as
/// the 字号. Without the operator on file — or when the name is a former
/// operator's, kept after a change of operator — the register does not say
/// whether the 字号 is a person's name, and which characters are 字号 and
/// which trade cannot be told apart (`张三水果店`, `好味烧烤店`). Publishing a
/// person's name is what DOMAIN.md §6 forbids, while masking a trade name
/// costs little (the credit code still identifies the business), so every
/// character that could belong to a name is masked: all after the place
/// names except the first (shown like a natural person's surname, `张**`) and
/// the organisational form at the end (`店`, `部`: a shop word, not a name's).
/// A name could show only by being taken for a place — one ending in
/// 省/市/区/县 at the start, or in a place word right after the division;
/// a division that is not recognised is masked, never a name shown.
fn mask_trade_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let prefix = place_prefix_len(&chars);
    let rest: String = chars[prefix..].iter().collect();
    let form = FORMS
        .iter()
        .find(|f| rest.ends_with(**f))
        .map_or("", |f| *f);
    let core = &rest[..rest.len() - form.len()];
    // A trade name has two characters at least; shorter, the "form" is
    // more likely part of a bare name (`张园`) and is masked with it.
    let (core, form) = if core.chars().count() >= 2 {
        (core, form)
    } else {
        (rest.as_str(), "")
    };
    let place: String = chars[..prefix].iter().collect();
    format!("{place}{}{form}", mask_person_name(core))
}

/// The subject name as it may be published.
///
/// * `LegalEntity`: unchanged.
/// * `NaturalPerson`: [`mask_person_name`].
/// * `IndividualBusiness`: a name that is just 2–4 Han characters is a
///   personal name and masked as a whole; otherwise every occurrence of the
///   operator's name (`person_name`) is masked (`张三烧烤店` → `张*烧烤店`);
///   when there is no operator's name on file, or it does not occur in the
///   name, the part that could be a personal name is masked (see
///   `mask_trade_name`: `张三水果店` → `张***店`).
pub fn public_name(kind: SubjectKind, name: &str, person_name: Option<&str>) -> String {
    match kind {
        SubjectKind::LegalEntity => name.to_string(),
        SubjectKind::NaturalPerson => mask_person_name(name),
        SubjectKind::IndividualBusiness => {
            let trimmed = name.trim();
            if looks_like_personal_name(trimmed) {
                return mask_person_name(trimmed);
            }
            match person_name.map(str::trim) {
                Some(p) if !p.is_empty() && trimmed.contains(p) => {
                    trimmed.replace(p, &mask_person_name(p))
                }
                _ => mask_trade_name(trimmed),
            }
        }
    }
}

/// The legal representative / operator name as it may be published:
/// unchanged for organisations (their representatives are public by law),
/// masked for individual businesses and natural persons.
pub fn public_representative(kind: SubjectKind, name: &str) -> String {
    match kind {
        SubjectKind::LegalEntity => name.to_string(),
        SubjectKind::IndividualBusiness | SubjectKind::NaturalPerson => mask_person_name(name),
    }
}

/// Masks any identifier (ID number, phone, licence number…), keeping the
/// length and replacing the middle with `*`.
///
/// Rule (on the trimmed string, counted in chars): 18 chars or more keep the
/// first 6 and last 4 (the usual ID-card convention); shorter strings reveal
/// at most 40% (rounded down), split as head = reveal − tail and
/// tail = 40% of the reveal, so e.g. 10 chars keep 3 + 1, 5 chars keep 2 + 0,
/// and 1–2 chars are fully starred.
pub fn mask_id_like(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let n = chars.len();
    let reveal = if n >= 18 { 10 } else { n * 2 / 5 };
    let tail = (reveal * 2 / 5).min(4);
    let head = (reveal - tail).min(6);
    let mut out = String::with_capacity(n);
    for (i, &c) in chars.iter().enumerate() {
        if i < head || i >= n - tail {
            out.push(c);
        } else {
            out.push('*');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_names() {
        assert_eq!(mask_person_name("张三"), "张*");
        assert_eq!(mask_person_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_person_name("李"), "*");
        assert_eq!(mask_person_name(""), "");
        assert_eq!(mask_person_name("  "), "");
        assert_eq!(mask_person_name(" 王五 "), "王*");
        assert_eq!(mask_person_name("买买提·艾力"), "买*****");
        assert_eq!(mask_person_name("𠀀𠀁"), "𠀀*");
    }

    #[test]
    fn public_names_by_kind() {
        let co = "鹤壁市张三科技有限公司";
        assert_eq!(public_name(SubjectKind::LegalEntity, co, Some("张三")), co);
        assert_eq!(public_name(SubjectKind::NaturalPerson, "张三", None), "张*");
        assert_eq!(
            public_name(
                SubjectKind::IndividualBusiness,
                "淇滨区张三烧烤店",
                Some("张三")
            ),
            "淇滨区张*烧烤店"
        );
        assert_eq!(
            public_name(
                SubjectKind::IndividualBusiness,
                "张三张三水果店",
                Some("张三")
            ),
            "张*张*水果店"
        );
        // The operator on file is not in the name: the 字号 may be a former
        // operator's name, so it is masked as if no operator were on file.
        assert_eq!(
            public_name(
                SubjectKind::IndividualBusiness,
                "淇滨区好味烧烤店",
                Some("张三")
            ),
            "淇滨区好***店"
        );
        assert_eq!(
            public_name(
                SubjectKind::IndividualBusiness,
                "淇滨区好味烧烤店",
                Some("")
            ),
            "淇滨区好***店"
        );
        // Bare personal name as the business name.
        assert_eq!(
            public_name(SubjectKind::IndividualBusiness, "李四", None),
            "李*"
        );
        assert_eq!(
            public_name(SubjectKind::IndividualBusiness, "欧阳娜娜", Some("张三")),
            "欧***"
        );
        // Five Han chars is not a bare name, but still masked as a trade name.
        assert_eq!(
            public_name(SubjectKind::IndividualBusiness, "好味烧烤店", None),
            "好***店"
        );
        assert_eq!(public_name(SubjectKind::IndividualBusiness, "", None), "");
    }

    fn business(name: &str) -> String {
        public_name(SubjectKind::IndividualBusiness, name, None)
    }

    #[test]
    fn businesses_without_an_operator_mask_what_could_be_a_name() {
        assert_eq!(business("张三水果店"), "张***店");
        assert_eq!(business(" 张三水果店 "), "张***店");
        // Two to four Han chars in all are taken for a bare personal name.
        assert_eq!(business("张三店"), "张**");
        assert_eq!(business("向阳区张三店"), "向阳区张*店");
        // The division and the places after it stay; the 字号 and trade do not.
        assert_eq!(business("鹤岗市向阳区张三水果店"), "鹤岗市向阳区张***店");
        assert_eq!(business("萝北县王小明烧烤店"), "萝北县王****店");
        assert_eq!(
            business("黑龙江省鹤岗市工农区红旗市场李四菜店"),
            "黑龙江省鹤岗市工农区红旗市场李**店"
        );
        assert_eq!(
            business("向阳区光明街道欧阳娜娜理发店"),
            "向阳区光明街道欧*****店"
        );
        assert_eq!(business("兴安区服务中心"), "兴安区服*中心");
        // A bare name after the division: the last char is not a form here.
        assert_eq!(business("萝北县张园"), "萝北县张*");
        // `市场` where the division would be is no division: nothing is kept.
        assert_eq!(business("张三市场水果店"), "张*****店");
        // A division too short to be recognised is masked, not the name shown.
        assert_eq!(business("宾县张三水果店"), "宾*****店");
        // No organisational form at the end: all but the first char.
        assert_eq!(business("张三水果（演示）"), "张*******");
        assert_eq!(business("向阳区"), "向**");
    }

    #[test]
    fn a_business_name_never_shows_a_personal_name_whole() {
        let places = [
            "",
            "鹤岗市",
            "鹤岗市向阳区",
            "向阳区红旗镇",
            "工农区新华市场",
        ];
        let people = ["张三", "王小明", "欧阳娜娜", "李四"];
        let trades = [
            "水果店",
            "烧烤店",
            "小吃部",
            "理发店",
            "店",
            "汽车修理部",
            "（演示）",
        ];
        for place in places {
            for person in people {
                for trade in trades {
                    let name = format!("{place}{person}{trade}");
                    let masked = business(&name);
                    assert!(!masked.contains(person), "{name} → {masked}");
                    assert_eq!(masked.chars().count(), name.chars().count(), "{name}");
                    // The operator's name on file masks exactly that name.
                    let known = public_name(SubjectKind::IndividualBusiness, &name, Some(person));
                    assert!(!known.contains(person), "{name} → {known}");
                }
            }
        }
    }

    #[test]
    fn representatives() {
        assert_eq!(
            public_representative(SubjectKind::LegalEntity, "张三"),
            "张三"
        );
        assert_eq!(
            public_representative(SubjectKind::IndividualBusiness, "张三"),
            "张*"
        );
        assert_eq!(
            public_representative(SubjectKind::NaturalPerson, "张三"),
            "张*"
        );
    }

    #[test]
    fn id_like() {
        assert_eq!(mask_id_like("11010519491231002X"), "110105********002X");
        assert_eq!(mask_id_like("1234567890"), "123******0");
        assert_eq!(mask_id_like("13812345678"), "138*******8");
        assert_eq!(mask_id_like("12345"), "12***");
        assert_eq!(mask_id_like("ab"), "**");
        assert_eq!(mask_id_like("a"), "*");
        assert_eq!(mask_id_like(""), "");
        assert_eq!(mask_id_like("鹤壁市监督局"), "鹤壁****");
    }

    #[test]
    fn id_like_never_reveals_too_much() {
        let src: Vec<char> = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".chars().collect();
        for n in 0..src.len() {
            let s: String = src[..n].iter().collect();
            let m = mask_id_like(&s);
            assert_eq!(m.chars().count(), n);
            let revealed = m.chars().filter(|&c| c != '*').count();
            if n < 18 {
                assert!(revealed * 5 <= n * 2, "n={n} m={m}");
            } else {
                assert_eq!(revealed, 10);
            }
        }
    }
}
