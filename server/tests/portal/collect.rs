//! Collection: a department's penalty sheet through the console — dry run
//! with a report per row, commit in one transaction, records in public
//! search — for golden sheets (UTF-8 and GB18030) holding every refusal
//! reason, and for random input.

use app::domain::staff::Role;
use axum::http::StatusCode;
use proptest::prelude::*;

use super::staff::{add_account, sign_in, Member};
use super::{portal, Portal};

/// The department the sheets come from (the demo's market regulator).
pub(super) struct Dept {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub other_credit_code: String,
    pub existing_doc_no: String,
}

pub(super) async fn dept(p: &Portal) -> Dept {
    let row = &p
        .rows("select id, name, credit_code from departments where code = 'scjg'")
        .await[0];
    let id: i64 = row.get(0);
    let other = &p
        .rows("select credit_code from departments where code = 'sthj'")
        .await[0];
    let existing = &p
        .rows(&format!(
            "select doc_no from penalties where department_id = {id} order by id limit 1"
        ))
        .await[0];
    Dept {
        id,
        name: row.get(1),
        credit_code: row.get(2),
        other_credit_code: other.get(0),
        existing_doc_no: existing.get(0),
    }
}

const HEADER: &str = "行政相对人名称,CF_XDR_LB,统一社会信用代码,CF_XDR_ZJHM,决定书文号,CF_WFXW,违法事实,CF_YJ,处罚类别,CF_NR,罚款金额（万元）,处罚决定日期,CF_CFJG,CF_CFJGDM,ML_BM,备注,GRXX_YJ";

/// A row of the golden sheet: (name, kind, credit code, id number, doc no,
/// categories, fine, date, authority code, catalog item, note). A natural
/// person's row declares the statutory duty as the basis of processing.
#[allow(clippy::too_many_arguments)]
fn line(
    name: &str,
    kind: &str,
    code: &str,
    id: &str,
    doc: &str,
    categories: &str,
    fine: &str,
    date: &str,
    authority: &str,
    item: &str,
    note: &str,
) -> String {
    format!(
        "{name},{kind},{code},{id},{doc},销售不合格产品,经查当事人销售不合格产品,《产品质量法》第四十九条,{categories},依法处罚,{fine},{date},鹤岗市市场监督管理局,{authority},{item},{note},{}",
        if kind == "自然人" { "法定职责" } else { "" }
    )
}

/// The golden sheet: two good rows, one correction, and one row for each
/// refusal reason. Returns the sheet and the expected (line, column) of
/// each refusal.
fn golden(d: &Dept) -> (String, Vec<(u64, &'static str)>) {
    let a = d.credit_code.as_str();
    let ok = "scjg-ordinary";
    let rows = [
        line(
            "鹤岗市新兴商贸有限公司（演示）",
            "法人及非法人组织",
            "914403001922038216",
            "",
            "鹤市监罚〔2026〕901号",
            "罚款",
            "1.5",
            "2026-10-08",
            a,
            ok,
            "",
        ),
        line(
            "张某某（演示）",
            "自然人",
            "",
            "11010519491231002X",
            "鹤市监罚〔2026〕902号",
            "罚款",
            "0.2",
            "2026/10/9",
            a,
            ok,
            "",
        ),
        line(
            "鹤岗市更正测试有限公司（演示）",
            "法人及非法人组织",
            "91110108551385082Q",
            "",
            &d.existing_doc_no,
            "罚款",
            "3",
            "2026-09-01",
            a,
            ok,
            "更正",
        ),
        // Refusals, in order:
        line(
            "缺文号公司（演示）",
            "法人及非法人组织",
            "91350100M000100Y43",
            "",
            "",
            "罚款",
            "1",
            "2026-10-01",
            a,
            ok,
            "",
        ),
        line(
            "坏代码公司（演示）",
            "法人及非法人组织",
            "9135010OM000100Y43",
            "",
            "鹤市监罚〔2026〕904号",
            "罚款",
            "1",
            "2026-10-01",
            a,
            ok,
            "",
        ),
        line(
            "李某（演示）",
            "自然人",
            "",
            "110105194912310021",
            "鹤市监罚〔2026〕905号",
            "罚款",
            "1",
            "2026-10-01",
            a,
            ok,
            "",
        ),
        line(
            "无目录公司（演示）",
            "法人及非法人组织",
            "91350100M000100Y43",
            "",
            "鹤市监罚〔2026〕906号",
            "罚款",
            "1",
            "2026-10-01",
            a,
            "scjg-unknown",
            "",
        ),
        line(
            "简易公司（演示）",
            "法人及非法人组织",
            "91350100M000100Y43",
            "",
            "鹤市监罚〔2026〕907号",
            "罚款",
            "0.02",
            "2026-10-01",
            a,
            ok,
            "简易程序",
        ),
        line(
            "轻微公司（演示）",
            "法人及非法人组织",
            "91350100M000100Y43",
            "",
            "鹤市监罚〔2026〕908号",
            "警告",
            "",
            "2026-10-01",
            a,
            "scjg-minor",
            "",
        ),
        line(
            "未来公司（演示）",
            "法人及非法人组织",
            "91350100M000100Y43",
            "",
            "鹤市监罚〔2026〕909号",
            "罚款",
            "1",
            "2026-12-01",
            a,
            ok,
            "",
        ),
        line(
            "金额公司（演示）",
            "法人及非法人组织",
            "91350100M000100Y43",
            "",
            "鹤市监罚〔2026〕910号",
            "罚款",
            "一万",
            "2026-10-01",
            a,
            ok,
            "",
        ),
        line(
            "他局公司（演示）",
            "法人及非法人组织",
            "91350100M000100Y43",
            "",
            "鹤市监罚〔2026〕911号",
            "罚款",
            "1",
            "2026-10-01",
            &d.other_credit_code,
            ok,
            "",
        ),
        line(
            "重复公司（演示）",
            "法人及非法人组织",
            "91350100M000100Y43",
            "",
            "鹤市监罚〔2026〕901号",
            "罚款",
            "1",
            "2026-10-01",
            a,
            ok,
            "",
        ),
    ];
    let mut sheet = String::from(HEADER);
    for r in rows {
        sheet.push('\n');
        sheet.push_str(&r);
    }
    sheet.push('\n');
    let refusals = vec![
        (5, "CF_WSH"),
        (6, "CF_XDR_SHXYM"),
        (7, "CF_XDR_ZJHM"),
        (8, "ML_BM"),
        (9, "CF_CFLB"),
        (10, "ML_BM"),
        (11, "CF_JDRQ"),
        (12, "CF_NR_FK"),
        (13, "CF_CFJGDM"),
        (14, "CF_WSH"),
    ];
    (sheet, refusals)
}

pub(super) async fn clerk(p: &Portal, d: &Dept) -> Member {
    add_account(p, "clerk", Role::Reviewer, Some(d.id)).await;
    sign_in(p, "clerk").await
}

pub(super) async fn upload(p: &Portal, m: &Member, name: &str, bytes: &[u8]) -> super::Answer {
    p.post_multipart_with_cookie(
        "/admin/import",
        &m.cookie,
        &[("_csrf", &m.csrf)],
        &[("sheet", name, bytes)],
    )
    .await
}

pub(super) fn token_of(body: &str) -> String {
    let at = body.find("/admin/import/").expect("a token link") + "/admin/import/".len();
    body[at..].split('/').next().unwrap().to_string()
}

pub(super) async fn count(p: &Portal, sql: &str) -> i64 {
    p.rows(sql).await[0].get(0)
}

#[tokio::test]
async fn a_golden_sheet_is_checked_row_by_row_then_committed_whole() {
    let p = portal().await;
    let d = dept(&p).await;
    let m = clerk(&p, &d).await;
    let (sheet, refusals) = golden(&d);
    let before = count(&p, "select count(*) from penalties").await;

    let dry = upload(&p, &m, "处罚.csv", sheet.as_bytes()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(
        dry.body.contains("可新增 2 条，可更正 1 条，拒收 10 条"),
        "{}",
        dry.body
    );
    assert!(dry.body.contains("尚未入库"));
    assert_eq!(
        count(&p, "select count(*) from penalties").await,
        before,
        "a dry run writes nothing"
    );

    // The report names each refused row's column and reason.
    let token = token_of(&dry.body);
    let report = p
        .get_with_cookie(&format!("/admin/import/{token}/report.csv"), &m.cookie)
        .await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let mut reader = csv::ReaderBuilder::new().from_reader(report.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 13);
    for (line, column) in &refusals {
        let row = rows
            .iter()
            .find(|r| r[0] == line.to_string())
            .unwrap_or_else(|| panic!("line {line} in the report"));
        assert_eq!(&row[1], "拒收", "line {line}");
        assert_eq!(&row[3], *column, "line {line}: {:?}", row);
        assert!(!row[5].is_empty());
    }
    let reasons: String = rows.iter().map(|r| r[5].to_string()).collect();
    for expected in [
        "简易程序",
        "不予公示",
        "晚于今天",
        "不是有效数字",
        "不是本单位",
        "重复",
        "身份证号码有误",
        "不能为空",
    ] {
        assert!(reasons.contains(expected), "no refusal mentions {expected}");
    }

    // Another department's member cannot commit it or read its report.
    let other_dept: i64 = count(&p, "select id from departments where code = 'sthj'").await;
    add_account(&p, "stranger", Role::Reviewer, Some(other_dept)).await;
    let stranger = sign_in(&p, "stranger").await;
    let refused = p
        .post_form(
            &format!("/admin/import/{token}/commit"),
            &stranger.cookie,
            &[("_csrf", &stranger.csrf)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&p, "select count(*) from penalties").await, before);

    let done = p
        .post_form(
            &format!("/admin/import/{token}/commit"),
            &m.cookie,
            &[("_csrf", &m.csrf)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body
            .contains("已入库：新增 2 条，更正 1 条；拒收 10 条"),
        "{}",
        done.body
    );
    assert_eq!(
        count(&p, "select count(*) from penalties").await,
        before + 2
    );
    // A second commit of the same upload is not possible.
    let again = p
        .post_form(
            &format!("/admin/import/{token}/commit"),
            &m.cookie,
            &[("_csrf", &m.csrf)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // The new records are public; the natural person's is masked; the
    // correction replaced the old facts.
    let (_, search) = p
        .get("/search?q=%E6%96%B0%E5%85%B4%E5%95%86%E8%B4%B8")
        .await;
    assert!(
        search.contains("鹤岗市新兴商贸有限公司"),
        "public search finds the import"
    );
    let person = p
        .rows("select id from penalties where doc_no = '鹤市监罚〔2026〕902号'")
        .await;
    let person_id: i64 = person[0].get(0);
    let (status, page) = p.get(&format!("/penalties/{person_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("11010519491231002X") && !page.contains("张某某"));
    let corrected = p
        .rows(&format!(
            "select fine_fen, note from penalties where department_id = {} and doc_no = '{}'",
            d.id, d.existing_doc_no
        ))
        .await;
    assert_eq!(corrected[0].get::<i64, _>(0), 3_000_000);
    assert_eq!(corrected[0].get::<String, _>(1), "更正");
    // The commit is in the access register.
    let chain = p.backend.staff.audit_chain().await.unwrap();
    assert!(chain.iter().any(|e| e.action == "import_committed"));

    // Both new records came more than 7 working days after their decision:
    // late (迟报), counted in the delivery; the correction kept its history.
    assert!(
        dry.body.contains("迟报"),
        "late rows are flagged in the dry run"
    );
    assert_eq!(
        count(&p, "select count(*) from penalties where late").await,
        2
    );
    let delivery = &p
        .rows("select taken, updated, refused, late, actor from deliveries")
        .await[0];
    assert_eq!(
        (
            delivery.get::<i64, _>(0),
            delivery.get::<i64, _>(1),
            delivery.get::<i64, _>(2),
            delivery.get::<i64, _>(3)
        ),
        (2, 1, 10, 2)
    );
    assert_eq!(delivery.get::<String, _>(4), "clerk");
    let corrected = &p
        .rows("select before, after, actor from record_changes where change = 'corrected'")
        .await[0];
    let before: serde_json::Value = serde_json::from_str(&corrected.get::<String, _>(0)).unwrap();
    let after: serde_json::Value = serde_json::from_str(&corrected.get::<String, _>(1)).unwrap();
    assert_eq!(after["CF_NR_FK"], "3000000");
    assert_ne!(before["CF_NR_FK"], after["CF_NR_FK"]);
    assert_eq!(after["BZ"], "更正");
    assert!(
        after.get("CF_YJ").is_none() || before["CF_YJ"] != after["CF_YJ"],
        "only changed fields"
    );
    assert_eq!(corrected.get::<String, _>(2), "clerk");
    assert_eq!(
        count(
            &p,
            "select count(*) from record_changes where change = 'new'"
        )
        .await,
        2
    );

    // The credit authority sees it in the quality statistics.
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let quality = p.get_with_cookie("/admin/quality", &boss.cookie).await;
    assert_eq!(quality.status, StatusCode::OK);
    assert!(quality.body.contains(&d.name));
    assert!(
        quality
            .body
            .contains("<td>2</td><td>1</td><td>10</td><td>2</td>"),
        "{}",
        quality.body
    );
    assert_eq!(
        p.get_with_cookie("/admin/quality", &m.cookie).await.status,
        StatusCode::FORBIDDEN
    );
    let _ = d.name;
}

#[tokio::test]
async fn a_gb18030_sheet_reads_the_same_as_utf8() {
    let p = portal().await;
    let d = dept(&p).await;
    let m = clerk(&p, &d).await;
    let (sheet, _) = golden(&d);
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&sheet);
    assert!(!unmappable);
    let dry = upload(&p, &m, "处罚-gbk.csv", &gb).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.body.contains("GB18030"));
    assert!(
        dry.body.contains("可新增 2 条，可更正 1 条，拒收 10 条"),
        "{}",
        dry.body
    );
    // UTF-8 with a byte-order mark, as Excel writes it, too.
    let bom = [b"\xEF\xBB\xBF".as_slice(), sheet.as_bytes()].concat();
    let dry = upload(&p, &m, "处罚-bom.csv", &bom).await;
    assert!(
        dry.body.contains("可新增 2 条，可更正 1 条，拒收 10 条"),
        "{}",
        dry.body
    );
}

/// The golden sheet as an Excel workbook: amounts as numbers, the first
/// row's date as a real Excel date, everything else as text.
fn golden_xlsx(sheet: &str) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (r, line) in sheet.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            let header = HEADER.split(',').nth(c as usize).unwrap_or("");
            if r == 1 && header == "处罚决定日期" {
                let d = ExcelDateTime::parse_from_str(cell).unwrap();
                ws.write_datetime_with_format(r, c, &d, &date_format)
                    .unwrap();
            } else if r > 0 && header.starts_with("罚款金额") && cell.parse::<f64>().is_ok() {
                ws.write_number(r, c, cell.parse::<f64>().unwrap()).unwrap();
            } else if !cell.is_empty() {
                ws.write_string(r, c, cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_excel_workbook_reads_the_same_as_csv() {
    let p = portal().await;
    let d = dept(&p).await;
    let m = clerk(&p, &d).await;
    let (sheet, _) = golden(&d);
    let dry = upload(&p, &m, "处罚.xlsx", &golden_xlsx(&sheet)).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.body.contains("Excel"));
    assert!(
        dry.body.contains("可新增 2 条，可更正 1 条，拒收 10 条"),
        "{}",
        dry.body
    );
    let token = token_of(&dry.body);
    let done = p
        .post_form(
            &format!("/admin/import/{token}/commit"),
            &m.cookie,
            &[("_csrf", &m.csrf)],
        )
        .await;
    assert!(done.body.contains("已入库：新增 2 条"), "{}", done.body);
    let row = &p
        .rows(
            "select decision_date, fine_fen from penalties where doc_no = '鹤市监罚〔2026〕901号'",
        )
        .await[0];
    assert_eq!(row.get::<String, _>(0), "2026-10-08");
    assert_eq!(row.get::<i64, _>(1), 1_500_000);
}

#[tokio::test]
async fn whole_sheets_are_refused_with_the_reason() {
    let p = portal().await;
    let d = dept(&p).await;
    let m = clerk(&p, &d).await;
    for (bytes, expected) in [
        (b"".as_slice(), "文件是空的"),
        (b"CF_XDR_MC,CF_WSH\nx,y\n".as_slice(), "表头缺少必填列"),
        (b"PK\x03\x04rest-of-a-zip".as_slice(), "无法读取 Excel 文件"),
    ] {
        let answer = upload(&p, &m, "x.csv", bytes).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(
            answer.body.contains(expected),
            "{expected}: {}",
            answer.body
        );
    }
    // Only department staff deliver.
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    assert_eq!(
        p.get_with_cookie("/admin/import", &boss.cookie)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        p.get_with_cookie("/admin/import", "").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_rule_change_is_a_new_version_that_later_decisions_fall_under() {
    let p = portal().await;
    let d = dept(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let page = p.get_with_cookie("/admin/catalog", &boss.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("scjg-ordinary"));
    let m = clerk(&p, &d).await;
    assert_eq!(
        p.get_with_cookie("/admin/catalog", &m.cookie).await.status,
        StatusCode::FORBIDDEN
    );

    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut all = vec![("_csrf", boss.csrf.as_str())];
        all.extend(fields);
        let cookie = boss.cookie.clone();
        let p = &p;
        async move {
            p.post_form("/admin/catalog/scjg-ordinary/rules", &cookie, &all)
                .await
        }
    };
    // Out of the tier's bounds, reaching back, missing: refused, nothing added.
    for (fields, expected) in [
        (
            vec![
                ("tier", "ordinary"),
                ("published", "yes"),
                ("min_months", "1"),
                ("max_months", "12"),
                ("effective_from", "2026-12-01"),
            ],
            "公示期应在 3 至 12 个月之间",
        ),
        (
            vec![
                ("tier", "ordinary"),
                ("published", "yes"),
                ("min_months", "3"),
                ("max_months", "12"),
                ("effective_from", "2026-01-01"),
            ],
            "生效日期不能早于今天",
        ),
        (
            vec![
                ("tier", "ordinary"),
                ("min_months", "x"),
                ("max_months", "12"),
                ("effective_from", "2026-12-01"),
            ],
            "请填写月数",
        ),
        (
            vec![
                ("min_months", "3"),
                ("max_months", "12"),
                ("effective_from", "2026-12-01"),
            ],
            "请选择严重程度",
        ),
    ] {
        let answer = post(fields).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(
            answer.body.contains(expected),
            "{expected}: {}",
            answer.body
        );
    }
    let versions = || async {
        count(
            &p,
            "select count(*) from catalog_rules r join catalog_items i on i.id = r.item_id where i.code = 'scjg-ordinary'",
        )
        .await
    };
    assert_eq!(versions().await, 1);
    let ok = post(vec![
        ("tier", "ordinary"),
        ("published", "yes"),
        ("min_months", "6"),
        ("max_months", "12"),
        ("repairable", "yes"),
        ("effective_from", "2026-11-26"),
    ])
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(versions().await, 2);
    let page = p
        .get_with_cookie("/admin/catalog/scjg-ordinary", &boss.cookie)
        .await;
    assert!(page.body.contains("第 2 版"));

    // A decision of today falls under version 2; an older one keeps version 1.
    let (sheet, _) = golden(&d);
    let sheet = sheet.replacen("2026-10-08", "2026-11-26", 1);
    let dry = upload(&p, &m, "新规则.csv", sheet.as_bytes()).await;
    let token = token_of(&dry.body);
    p.post_form(
        &format!("/admin/import/{token}/commit"),
        &m.cookie,
        &[("_csrf", &m.csrf)],
    )
    .await;
    let version_of = |doc: &'static str| {
        let p = &p;
        async move {
            count(
                p,
                &format!(
                    "select r.version from penalties pe
                     join record_rules rr on rr.record_kind = 'penalty' and rr.record_id = pe.id
                     join catalog_rules r on r.id = rr.rule_id where pe.doc_no = '{doc}'"
                ),
            )
            .await
        }
    };
    assert_eq!(version_of("鹤市监罚〔2026〕901号").await, 2);
    assert_eq!(version_of("鹤市监罚〔2026〕902号").await, 1);
    let register = p.backend.staff.audit_chain().await.unwrap();
    assert!(register.iter().any(|e| e.action == "catalog_changed"));

    // A new item: its fields checked, then created with its first rule.
    let id = d.id.to_string();
    let item = |code: &'static str, min: &'static str| {
        vec![
            ("_csrf", boss.csrf.clone()),
            ("code", code.to_string()),
            ("name", "食品安全行政处罚信息（演示）".to_string()),
            ("record_kind", "penalty".to_string()),
            ("conduct", "食品安全违法行为".to_string()),
            ("department", id.clone()),
            ("data_source", d.name.clone()),
            ("classification", "dishonesty".to_string()),
            ("sharing", "conditional".to_string()),
            ("disclosure", "public".to_string()),
            ("reporting_days", "5".to_string()),
            ("tier", "serious".to_string()),
            ("published", "yes".to_string()),
            ("min_months", min.to_string()),
            ("max_months", "36".to_string()),
            ("effective_from", "2026-11-26".to_string()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let cookie = boss.cookie.clone();
        let p = &p;
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            p.post_form("/admin/catalog", &cookie, &f).await
        }
    };
    let bad = send(item("Bad Code!", "12")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("目录项编码须为"));
    let short = send(item("scjg-food", "6")).await;
    assert!(
        short.body.contains("公示期应在 12 至 36 个月之间"),
        "{}",
        short.body
    );
    let created = send(item("scjg-food", "12")).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let row = &p
        .rows("select reporting_working_days, sharing from catalog_items where code = 'scjg-food'")
        .await[0];
    assert_eq!(row.get::<i64, _>(0), 5);
    assert_eq!(row.get::<String, _>(1), "conditional");
    let again = send(item("scjg-food", "12")).await;
    assert!(again.body.contains("已存在"));
}

async fn push(p: &Portal, key: &str, body: &str) -> super::Answer {
    push_to(p, "/api/v1/collect/penalties", key, body).await
}

pub(super) async fn push_to(p: &Portal, path: &str, key: &str, body: &str) -> super::Answer {
    let mut request = axum::http::Request::post(path).header("content-type", "application/json");
    if !key.is_empty() {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    p.send(
        request
            .body(axum::body::Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

/// A push key for department `dept`, issued by administrator `boss`
/// through the console (the page shows it once).
pub(super) async fn issue_key(p: &Portal, boss: &Member, dept: i64) -> String {
    issue_scoped_key(p, boss, "push", &dept.to_string()).await
}

/// A feed key for the provincial platform, issued like [`issue_key`].
pub(super) async fn issue_feed_key(p: &Portal, boss: &Member) -> String {
    issue_scoped_key(p, boss, "feed", "").await
}

pub(super) async fn issue_scoped_key(
    p: &Portal,
    boss: &Member,
    scope: &str,
    department: &str,
) -> String {
    let issued = p
        .post_form(
            "/admin/api-keys",
            &boss.cookie,
            &[
                ("_csrf", &boss.csrf),
                ("scope", scope),
                ("department", department),
                ("name", "执法办案系统（演示）"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let at = issued.body.find("hgk_").expect("the key, shown once");
    issued.body[at..at + 68].to_string()
}

/// The feed after `after`, read with `key`.
pub(super) async fn read_feed(p: &Portal, key: &str, after: &str) -> super::Answer {
    let request = axum::http::Request::get(format!("/api/v1/feed/changes?after={after}"))
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::empty())
        .unwrap();
    p.send(request).await
}

#[tokio::test]
async fn systems_push_records_with_a_key_and_get_an_answer_per_record() {
    let p = portal().await;
    let d = dept(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let key = issue_key(&p, &boss, d.id).await;
    let listed = p.get_with_cookie("/admin/api-keys", &boss.cookie).await;
    assert!(!listed.body.contains(&key), "the key is not shown again");
    assert!(p.rows("select * from api_keys").await[0].get::<String, _>("key_hash") != key);

    let record = |doc: &str, fine: &str| {
        format!(
            r#"{{"CF_XDR_MC":"鹤岗市接口测试有限公司（演示）","CF_XDR_LB":"法人及非法人组织","CF_XDR_SHXYM":"914403001922038216","CF_WSH":"{doc}","CF_WFXW":"销售不合格产品","CF_SY":"经查","CF_YJ":"《产品质量法》","CF_CFLB":"罚款","CF_NR":"罚款","CF_NR_FK":{fine},"CF_JDRQ":"2026-10-01","CF_CFJG":"{}","CF_CFJGDM":"{}","ML_BM":"scjg-ordinary"}}"#,
            d.name, d.credit_code
        )
    };
    let body = format!(
        r#"{{"records":[{},{}]}}"#,
        record("鹤市监罚〔2026〕701号", "1.2"),
        record("鹤市监罚〔2026〕702号", "\"十万\"")
    );
    assert_eq!(push(&p, "", &body).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        push(&p, "hgk_wrong", &body).await.status,
        StatusCode::UNAUTHORIZED
    );
    let bad = push(&p, &key, "{not json").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("请求体须为 JSON"));

    let before = count(&p, "select count(*) from penalties").await;
    let answer = push(&p, &key, &body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(json["taken"], 1);
    assert_eq!(json["refused"], 1);
    assert_eq!(json["results"][1]["column"], "CF_NR_FK");
    assert_eq!(
        count(&p, "select count(*) from penalties").await,
        before + 1
    );

    // The same document again: a correction, not a second record.
    let again = push(
        &p,
        &key,
        &format!(
            r#"{{"records":[{}]}}"#,
            record("鹤市监罚〔2026〕701号", "2")
        ),
    )
    .await;
    let json: serde_json::Value = serde_json::from_str(&again.body).unwrap();
    assert_eq!(json["updated"], 1);
    assert_eq!(
        count(&p, "select count(*) from penalties").await,
        before + 1
    );
    let fine = count(
        &p,
        "select fine_fen from penalties where doc_no = '鹤市监罚〔2026〕701号'",
    )
    .await;
    assert_eq!(fine, 2_000_000);

    // The export feed: every change since a cursor, resumable.
    let feed_key = issue_feed_key(&p, &boss).await;
    let first = read_feed(&p, &feed_key, "0").await;
    assert_eq!(first.status, StatusCode::OK);
    let lines: Vec<serde_json::Value> = first
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let changes: Vec<&str> = lines
        .iter()
        .map(|l| l["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, vec!["new", "corrected"]);
    assert_eq!(lines[0]["doc_no"], "鹤市监罚〔2026〕701号");
    let cursor = first.headers["x-next-cursor"].to_str().unwrap().to_string();
    assert_eq!(lines[1]["id"].to_string(), cursor);
    assert!(
        read_feed(&p, &feed_key, &cursor).await.body.is_empty(),
        "nothing new after the cursor"
    );
    // Records whose publication ends reach the feed too.
    p.backend
        .public
        .sweep_ended(chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap())
        .await
        .unwrap();
    let later = read_feed(&p, &feed_key, &cursor).await;
    assert!(later.body.lines().count() > 100);
    assert!(later
        .body
        .lines()
        .all(|l| l.contains("\"change\":\"ended\"")));
    let unkeyed = p.get("/api/v1/feed/changes?after=0").await;
    assert_eq!(unkeyed.0, StatusCode::UNAUTHORIZED);

    // Revoked: refused from then on.
    let key_id = p.rows("select id from api_keys where scope = 'push'").await[0]
        .get::<i64, _>(0)
        .to_string();
    p.post_form(
        "/admin/api-keys/revoke",
        &boss.cookie,
        &[("_csrf", &boss.csrf), ("id", &key_id)],
    )
    .await;
    assert_eq!(push(&p, &key, &body).await.status, StatusCode::UNAUTHORIZED);

    let (status, spec) = p.get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let spec: serde_json::Value = serde_json::from_str(&spec).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["components"]["schemas"]["Penalty"]["required"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("CF_WSH")));
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9〔〕号,\"\n ]{0,12}",
        Just("鹤市监罚〔2026〕1号".to_string()),
        Just("法人及非法人组织".to_string()),
        Just("2026-10-01".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    /// Random bytes and random rows never crash the importer, and a commit
    /// writes exactly the rows its report says it took — no more, no less.
    #[test]
    fn random_input_never_panics_and_commits_exactly_what_it_reports(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..18), 0..12),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let p = portal().await;
            let d = dept(&p).await;
            let m = clerk(&p, &d).await;
            let answer = upload(&p, &m, "random.bin", &bytes).await;
            assert!(answer.status == StatusCode::OK || answer.status == StatusCode::BAD_REQUEST);

            let (good, _) = golden(&d);
            let mut sheet: String = good.lines().take(3).collect::<Vec<_>>().join("\n");
            for r in &rows {
                sheet.push('\n');
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(r).unwrap();
                sheet.push_str(String::from_utf8(w.into_inner().unwrap()).unwrap().trim_end());
            }
            let before = count(&p, "select count(*) from penalties").await;
            let dry = upload(&p, &m, "mixed.csv", sheet.as_bytes()).await;
            assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
            let token = token_of(&dry.body);
            let done = p
                .post_form(&format!("/admin/import/{token}/commit"), &m.cookie, &[("_csrf", &m.csrf)])
                .await;
            let taken: i64 = {
                let at = done.body.find("已入库：新增 ").expect("commit summary") + "已入库：新增 ".len();
                done.body[at..].split(' ').next().unwrap().parse().unwrap()
            };
            assert_eq!(count(&p, "select count(*) from penalties").await, before + taken);
        });
    }
}
