//! Masking of personal data before anything becomes public.
//!
//! Masking happens on the server when a record is published, so the browser
//! never receives the clear value. Rules: organisation names and their legal
//! representatives are public; personal names keep only their first char;
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

/// The subject name as it may be published.
///
/// * `LegalEntity`: unchanged.
/// * `NaturalPerson`: [`mask_person_name`].
/// * `IndividualBusiness`: shops are often named after their operator
///   (`张三烧烤店`), so every occurrence of the operator's name
///   (`person_name`) is masked; a name that is just 2–4 Han characters is
///   treated as a personal name and masked as a whole; otherwise unchanged.
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
                Some(p) if !p.is_empty() && name.contains(p) => {
                    name.replace(p, &mask_person_name(p))
                }
                _ => name.to_string(),
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
        assert_eq!(
            public_name(
                SubjectKind::IndividualBusiness,
                "淇滨区好味烧烤店",
                Some("张三")
            ),
            "淇滨区好味烧烤店"
        );
        assert_eq!(
            public_name(
                SubjectKind::IndividualBusiness,
                "淇滨区好味烧烤店",
                Some("")
            ),
            "淇滨区好味烧烤店"
        );
        assert_eq!(
            public_name(SubjectKind::IndividualBusiness, "淇滨区好味烧烤店", None),
            "淇滨区好味烧烤店"
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
        // Five Han chars is not treated as a bare name.
        assert_eq!(
            public_name(SubjectKind::IndividualBusiness, "好味烧烤店", None),
            "好味烧烤店"
        );
        assert_eq!(public_name(SubjectKind::IndividualBusiness, "", None), "");
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
