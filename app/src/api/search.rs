//! Public search: parameter parsing (shared with the browser) and the
//! `search` server function.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::domain::search_text::{self, MAX_QUERY_CHARS};
use crate::domain::{CreditCode, CreditCodeError, DocumentNumber};
use crate::error::AppError;
use crate::model::{RecordKind, SearchPage, SearchParams, SearchQuery, SearchTarget};

/// Results per page.
pub const PER_PAGE: u32 = 20;
/// The last page anyone can ask for: deeper paging is how bulk harvesting
/// looks, and a person narrows the query instead.
pub const MAX_PAGE: u32 = 100;

/// What a parsed query asks for, plus a hint to show next to the results.
pub struct ParsedSearch {
    pub target: SearchTarget,
    pub notice: Option<String>,
}

fn parse_date(raw: &str, label: &str) -> Result<Option<NaiveDate>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            AppError::BadRequest(format!(
                "“{label}”格式不正确：请按“2025-01-31”的格式填写日期。"
            ))
        })
}

/// Turns raw parameters into a search target, or a message naming the field.
pub fn parse_params(params: &SearchParams) -> Result<ParsedSearch, AppError> {
    let raw_q = params.q.trim();
    if raw_q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::BadRequest(format!(
            "“查询内容”过长：请输入不超过 {MAX_QUERY_CHARS} 个字的名称、18 位统一社会信用代码或决定书文号。"
        )));
    }
    let kind = match params.kind.trim() {
        "" => None,
        code => Some(RecordKind::from_code(code).ok_or_else(|| {
            AppError::BadRequest(
                "“信息类别”无效：请从列表中选择行政处罚、行政许可或严重失信主体名单。".into(),
            )
        })?),
    };
    let department_id = match params.dept.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| AppError::BadRequest("“决定机关”无效：请从列表中选择。".into()))?,
        ),
    };
    let from = parse_date(&params.from, "决定日期起")?;
    let to = parse_date(&params.to, "决定日期止")?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(AppError::BadRequest(
                "“决定日期起”晚于“决定日期止”：请调换两个日期或重新选择。".into(),
            ));
        }
    }
    let page = match params.page.trim() {
        "" => 1,
        raw => raw
            .parse::<u32>()
            .ok()
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "“页码”无效：请输入 1 到 {MAX_PAGE} 之间的页码；需要更多结果时请缩小查询范围。"
                ))
            })?,
    };
    let mut query = SearchQuery {
        text: String::new(),
        kind,
        department_id,
        from,
        to,
        page,
    };

    if CreditCode::looks_like(raw_q) {
        return match CreditCode::parse(raw_q) {
            Ok(code) => Ok(ParsedSearch {
                target: SearchTarget::CreditCode(code.as_str().to_string(), query),
                notice: None,
            }),
            Err(err @ CreditCodeError::CheckMismatch { .. }) => Ok(ParsedSearch {
                // Still look the code up as typed: early pilot codes that were
                // really issued fail the check, and their records are public.
                target: SearchTarget::CreditCode(
                    crate::domain::credit_code::normalize(raw_q),
                    query,
                ),
                notice: Some(format!("{err}。")),
            }),
            Err(err) => Err(AppError::BadRequest(err.to_string())),
        };
    }
    if DocumentNumber::looks_like(raw_q) {
        if let Ok(doc) = DocumentNumber::parse(raw_q) {
            return Ok(ParsedSearch {
                target: SearchTarget::DocumentNumber(doc.as_str().to_string(), query),
                notice: None,
            });
        }
    }
    query.text = search_text::normalize(raw_q);
    let notice = (!raw_q.is_empty() && query.text.is_empty()).then(|| {
        "查询内容只含标点或空格，已显示全部最新公示信息。请输入名称中的文字或数字。".to_string()
    });
    Ok(ParsedSearch {
        target: SearchTarget::Text(query),
        notice,
    })
}

/// Searches public records. Read-only and public: anyone may call it.
// JSON in and out: the island already carries serde_json for the answer,
// so the request costs no extra WASM (URL encoding would add serde_qs).
#[server(endpoint = "search", input = leptos::server_fn::codec::Json)]
pub async fn search(params: SearchParams) -> Result<SearchPage, AppError> {
    let portal = crate::api::portal()?;
    search_page(&portal, &params).await
}

/// One page of results, for the server function and the open-data API.
#[cfg(feature = "ssr")]
pub async fn search_page(
    portal: &crate::api::PortalContext,
    params: &SearchParams,
) -> Result<SearchPage, AppError> {
    let parsed = parse_params(params)?;
    let mut page = portal
        .store
        .search(&parsed.target, portal.today(), PER_PAGE)
        .await?;
    page.notice = parsed.notice;
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> SearchParams {
        SearchParams {
            q: q.into(),
            ..Default::default()
        }
    }

    #[test]
    fn credit_code_query_is_exact() {
        let parsed = parse_params(&params(" 91110108551385082q ")).unwrap();
        assert!(
            matches!(parsed.target, SearchTarget::CreditCode(ref c, _) if c == "91110108551385082Q")
        );
        assert!(parsed.notice.is_none());
    }

    #[test]
    fn wrong_check_character_gets_a_hint() {
        let parsed = parse_params(&params("91110108551385082A")).unwrap();
        let notice = parsed.notice.unwrap();
        assert!(notice.contains("校验"), "{notice}");
    }

    #[test]
    fn document_number_query_is_exact() {
        let parsed = parse_params(&params("鹤市监罚[2025]123号")).unwrap();
        assert!(
            matches!(parsed.target, SearchTarget::DocumentNumber(ref d, _) if d == "鹤市监罚〔2025〕123号")
        );
    }

    #[test]
    fn bad_fields_name_the_field() {
        let too_long = "鹤".repeat(MAX_QUERY_CHARS + 1);
        for (p, field) in [
            (
                SearchParams {
                    q: too_long,
                    ..Default::default()
                },
                "查询内容",
            ),
            (
                SearchParams {
                    kind: "x".into(),
                    ..Default::default()
                },
                "信息类别",
            ),
            (
                SearchParams {
                    dept: "abc".into(),
                    ..Default::default()
                },
                "决定机关",
            ),
            (
                SearchParams {
                    from: "2025/1/1".into(),
                    ..Default::default()
                },
                "决定日期起",
            ),
            (
                SearchParams {
                    page: "0".into(),
                    ..Default::default()
                },
                "页码",
            ),
            (
                SearchParams {
                    page: "99999999999".into(),
                    ..Default::default()
                },
                "页码",
            ),
            (
                SearchParams {
                    from: "2025-02-01".into(),
                    to: "2025-01-01".into(),
                    ..Default::default()
                },
                "决定日期起",
            ),
        ] {
            match parse_params(&p) {
                Err(AppError::BadRequest(msg)) => assert!(msg.contains(field), "{msg}"),
                Err(other) => panic!("unexpected error {other:?}"),
                Ok(_) => panic!("accepted bad params {p:?}"),
            }
        }
    }

    #[test]
    fn text_is_normalised() {
        let parsed = parse_params(&params(" 鹤岗 （商贸） ")).unwrap();
        assert!(matches!(parsed.target, SearchTarget::Text(ref q) if q.text == "鹤岗商贸"));
    }
}
