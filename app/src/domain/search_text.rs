//! Tokens for Chinese name search.
//!
//! SQLite's FTS5 `unicode61` tokenizer does not segment Chinese, so names are
//! indexed as space-separated unigrams and bigrams of their normalised form and
//! queries are turned into bigrams (or a single unigram). Every index token is
//! therefore at most 2 characters long; tokens of 3 or more characters can never
//! come from a name, which leaves them free for reserved filter tokens (for
//! example a kind or region marker appended to the indexed text) that can
//! never collide with a user's query.
//!
//! Queries of three or more characters go to a second index over the same
//! normalised names, FTS5's `trigram` tokenizer, which cuts the name itself:
//! [`query_trigrams`] gives the trigrams of such a query, and a query of at
//! most [`TRIGRAM_PHRASE_CHARS`] characters is matched as one phrase
//! ([`fts_phrase_expr`]), which is exactly "the name contains it".

/// Longest query (in characters, after normalisation) that is turned into
/// tokens; longer input is cut so a pasted paragraph cannot produce a huge
/// MATCH expression.
pub const MAX_QUERY_CHARS: usize = 40;

/// Converts a full-width ASCII variant (U+FF01..=U+FF5E) or the ideographic
/// space (U+3000) to its half-width form; any other char is returned as is.
///
/// Chinese input methods often produce full-width digits and letters, so every
/// identifier parser in this module tree normalises with this first.
pub fn to_halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Normalises text for search: full-width ASCII → half-width, ASCII
/// lowercase, and keeps only alphanumeric chars (which includes Han
/// characters); spaces, punctuation and brackets are dropped so that
/// `鹤壁市（某）公司` and `鹤壁市某公司` match.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(to_halfwidth)
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Pushes `tok` unless already present; names are short so a linear scan
/// is cheaper than a set and keeps first-seen order.
fn push_unique(out: &mut Vec<String>, tok: String) {
    if !out.contains(&tok) {
        out.push(tok);
    }
}

/// Text to store in the FTS5 column for a name: the deduplicated unigrams
/// followed by the deduplicated bigrams of [`normalize`]`(name)`, separated
/// by single spaces.
pub fn index_tokens(name: &str) -> String {
    let chars: Vec<char> = normalize(name).chars().collect();
    let mut toks: Vec<String> = Vec::new();
    for c in &chars {
        push_unique(&mut toks, c.to_string());
    }
    for pair in chars.windows(2) {
        push_unique(&mut toks, pair.iter().collect());
    }
    toks.join(" ")
}

/// Tokens for a user query: empty for an empty (normalised) query, the single
/// char for a one-char query, otherwise the deduplicated bigrams of every
/// adjacent pair. Only the first [`MAX_QUERY_CHARS`] normalised chars count.
pub fn query_tokens(q: &str) -> Vec<String> {
    let chars: Vec<char> = normalize(q).chars().take(MAX_QUERY_CHARS).collect();
    match chars.len() {
        0 => Vec::new(),
        1 => vec![chars[0].to_string()],
        _ => {
            let mut toks = Vec::new();
            for pair in chars.windows(2) {
                push_unique(&mut toks, pair.iter().collect());
            }
            toks
        }
    }
}

/// Queries up to this many characters (one or two trigrams) are matched on
/// the trigram index as a phrase, which needs no substring check; longer
/// ones AND a few of their rarest trigrams and check the substring, since a
/// phrase reads every one of its trigrams' position lists.
pub const TRIGRAM_PHRASE_CHARS: usize = 4;

/// The deduplicated trigrams of a normalised query, in order; empty for a
/// query shorter than three characters. Only the first [`MAX_QUERY_CHARS`]
/// chars count.
pub fn query_trigrams(q: &str) -> Vec<String> {
    let chars: Vec<char> = normalize(q).chars().take(MAX_QUERY_CHARS).collect();
    let mut toks = Vec::new();
    for window in chars.windows(3) {
        push_unique(&mut toks, window.iter().collect());
    }
    toks
}

/// An FTS5 MATCH expression for `text` as one phrase (double-quoted, embedded
/// `"` doubled): on the trigram index, names that contain `text`.
pub fn fts_phrase_expr(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Builds an FTS5 MATCH expression requiring all tokens: each token is
/// double-quoted (embedded `"` doubled, as FTS5 string syntax requires) so no
/// token is ever read as an operator, and they are joined with ` AND `.
/// Returns an empty string for no tokens; callers must not run a MATCH then.
pub fn fts_match_expr(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halfwidth_conversion() {
        assert_eq!(to_halfwidth('９'), '9');
        assert_eq!(to_halfwidth('Ａ'), 'A');
        assert_eq!(to_halfwidth('ｚ'), 'z');
        assert_eq!(to_halfwidth('（'), '(');
        assert_eq!(to_halfwidth('\u{3000}'), ' ');
        assert_eq!(to_halfwidth('鹤'), '鹤');
    }

    #[test]
    fn normalize_drops_punctuation_and_folds() {
        assert_eq!(
            normalize("鹤壁市（某某）科技 有限公司"),
            "鹤壁市某某科技有限公司"
        );
        assert_eq!(normalize("ＡＢＣ Co., Ltd."), "abccoltd");
        assert_eq!(normalize("  "), "");
        assert_eq!(normalize("〔2025〕"), "2025");
    }

    #[test]
    fn index_tokens_unigrams_then_bigrams_dedup() {
        assert_eq!(index_tokens("鹤壁"), "鹤 壁 鹤壁");
        assert_eq!(index_tokens("张张张"), "张 张张");
        assert_eq!(index_tokens("A-b"), "a b ab");
        assert_eq!(index_tokens(""), "");
        assert_eq!(index_tokens("（）"), "");
    }

    #[test]
    fn query_tokens_shapes() {
        assert!(query_tokens("").is_empty());
        assert!(query_tokens(" ，。").is_empty());
        assert_eq!(query_tokens("鹤"), vec!["鹤"]);
        assert_eq!(query_tokens("鹤壁市"), vec!["鹤壁", "壁市"]);
        assert_eq!(query_tokens("哈哈哈"), vec!["哈哈"]);
    }

    #[test]
    fn query_tokens_are_subset_of_index_tokens() {
        let name = "鹤壁市淇滨区某某商贸有限公司";
        let idx: Vec<String> = index_tokens(name).split(' ').map(String::from).collect();
        for t in query_tokens("淇滨区某某") {
            assert!(idx.contains(&t), "{t}");
        }
    }

    #[test]
    fn query_is_truncated() {
        let long: String = "鹤".repeat(100) + "壁";
        let toks = query_tokens(&long);
        assert_eq!(toks, vec!["鹤鹤"]);
        let varied: String = (0..100u32)
            .filter_map(|i| char::from_u32(0x4E00 + i))
            .collect();
        assert_eq!(query_tokens(&varied).len(), MAX_QUERY_CHARS - 1);
    }

    #[test]
    fn tokens_never_longer_than_two_chars() {
        for t in index_tokens("Ｈello 世界 123").split(' ') {
            assert!(t.chars().count() <= 2);
        }
    }

    #[test]
    fn query_trigrams_shapes() {
        assert!(query_trigrams("鹤岗").is_empty());
        assert_eq!(query_trigrams("鹤岗市"), vec!["鹤岗市"]);
        assert_eq!(query_trigrams("恒泰 商贸"), vec!["恒泰商", "泰商贸"]);
        assert_eq!(query_trigrams("哈哈哈哈"), vec!["哈哈哈"]);
        let long: String = (0..100u32)
            .filter_map(|i| char::from_u32(0x4E00 + i))
            .collect();
        assert_eq!(query_trigrams(&long).len(), MAX_QUERY_CHARS - 2);
    }

    #[test]
    fn phrase_expression_quotes() {
        assert_eq!(fts_phrase_expr("恒泰商贸"), "\"恒泰商贸\"");
        assert_eq!(fts_phrase_expr("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn fts_expression_quotes() {
        assert_eq!(fts_match_expr(&[]), "");
        let toks = vec!["鹤壁".to_string(), "a\"b".to_string()];
        assert_eq!(fts_match_expr(&toks), "\"鹤壁\" AND \"a\"\"b\"");
    }
}
