//! Collection of licences (行政许可): a golden licence sheet holding every
//! refusal reason, read as CSV, GB18030 CSV and Excel, committed whole and
//! public at once; and the push API for licences.

use app::domain::staff::Role;
use axum::http::StatusCode;

use super::collect::{
    clerk, count, dept, issue_feed_key, issue_key, push_to, read_feed, token_of, upload, Dept,
};
use super::staff::{add_account, sign_in};
use super::{portal, Portal};

/// Headers as departments write them: codes and Chinese names mixed, in
/// their own order.
const HEADERS: [&str; 18] = [
    "ML_BM",
    "行政相对人名称",
    "XK_XDR_LB",
    "统一社会信用代码",
    "XK_XDR_ZJHM",
    "行政许可决定文书名称",
    "XK_WSH",
    "许可类别",
    "XK_XKZS",
    "许可编号",
    "XK_NR",
    "许可决定日期",
    "有效期自",
    "XK_YXQZI",
    "许可机关统一社会信用代码",
    "当前状态",
    "个人信息处理依据",
    "GRXX_TYBH",
];

/// The authority's name column is added last (its value is the department's).
const AUTHORITY: &str = "XK_XKJG";

struct Line<'a> {
    item: &'a str,
    name: &'a str,
    kind: &'a str,
    code: &'a str,
    id: &'a str,
    doc: &'a str,
    category: &'a str,
    decided: &'a str,
    from: &'a str,
    to: &'a str,
    authority: &'a str,
    state: &'a str,
    /// A natural person's basis of processing, and the consent's reference.
    basis: &'a str,
    consent: &'a str,
}

fn good<'a>(d: &'a Dept, name: &'a str, doc: &'a str) -> Line<'a> {
    Line {
        item: "scjg-license",
        name,
        kind: "法人及非法人组织",
        code: "914403001922038216",
        id: "",
        doc,
        category: "普通",
        decided: "2026-10-08",
        from: "2026-10-08",
        to: "2031-10-07",
        authority: &d.credit_code,
        state: "",
        basis: "",
        consent: "",
    }
}

/// The golden licence sheet: two good rows, one correction of a licence the
/// department delivered before, and one row for each refusal reason.
/// Returns the sheet and the expected (line, column) of each refusal.
fn golden(d: &Dept, existing_doc: &str) -> (String, Vec<(u64, &'static str)>) {
    let rows = vec![
        good(
            d,
            "鹤岗市许可导入食品有限公司（演示）",
            "鹤市监许〔2026〕901号",
        ),
        Line {
            kind: "自然人",
            code: "",
            id: "11010519491231002X",
            decided: "2026-11-24",
            from: "2026-11-24",
            to: "",
            category: "登记许可",
            basis: "同意",
            consent: "鹤市监同〔2026〕17号",
            ..good(d, "王某某（演示）", "鹤市监许〔2026〕902号")
        },
        Line {
            state: "已注销",
            ..good(d, "鹤岗市更正许可有限公司（演示）", existing_doc)
        },
        // Refusals, in order:
        good(d, "缺文号公司（演示）", ""),
        Line {
            code: "9135010OM000100Y43",
            ..good(d, "坏代码公司（演示）", "鹤市监许〔2026〕904号")
        },
        Line {
            category: "特殊",
            ..good(d, "类别公司（演示）", "鹤市监许〔2026〕905号")
        },
        Line {
            decided: "2026-12-01",
            ..good(d, "未来公司（演示）", "鹤市监许〔2026〕906号")
        },
        Line {
            to: "2020-01-01",
            ..good(d, "倒期公司（演示）", "鹤市监许〔2026〕907号")
        },
        Line {
            state: "暂停",
            ..good(d, "状态公司（演示）", "鹤市监许〔2026〕908号")
        },
        Line {
            item: "scjg-ordinary",
            ..good(d, "处罚目录公司（演示）", "鹤市监许〔2026〕909号")
        },
        Line {
            authority: &d.other_credit_code,
            ..good(d, "他局公司（演示）", "鹤市监许〔2026〕910号")
        },
        good(d, "重复公司（演示）", "鹤市监许〔2026〕901号"),
        Line {
            kind: "自然人",
            code: "",
            basis: "法定职责",
            ..good(d, "无证件（演示）", "鹤市监许〔2026〕912号")
        },
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = HEADERS.to_vec();
    header.push(AUTHORITY);
    w.write_record(&header).unwrap();
    for l in &rows {
        w.write_record([
            l.item,
            l.name,
            l.kind,
            l.code,
            l.id,
            "准予行政许可决定书",
            l.doc,
            l.category,
            "食品经营许可证",
            "JY12304000000001",
            "预包装食品销售",
            l.decided,
            l.from,
            l.to,
            l.authority,
            l.state,
            l.basis,
            l.consent,
            &d.name,
        ])
        .unwrap();
    }
    let sheet = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let refusals = vec![
        (5, "XK_WSH"),
        (6, "XK_XDR_SHXYM"),
        (7, "XK_XKLB"),
        (8, "XK_JDRQ"),
        (9, "XK_YXQZI"),
        (10, "XK_ZT"),
        (11, "ML_BM"),
        (12, "XK_XKJGDM"),
        (13, "XK_WSH"),
        (14, "XK_XDR_ZJHM"),
    ];
    (sheet, refusals)
}

async fn existing_license(p: &Portal, d: &Dept) -> (i64, String) {
    let row = &p
        .rows(&format!(
            "select id, doc_no from licenses where department_id = {} order by id limit 1",
            d.id
        ))
        .await[0];
    (row.get(0), row.get(1))
}

const COUNTS: &str = "可新增 2 条，可更正 1 条，拒收 10 条";

#[tokio::test]
async fn a_golden_licence_sheet_is_checked_then_committed_and_public() {
    let p = portal().await;
    let d = dept(&p).await;
    let m = clerk(&p, &d).await;
    let (existing_id, existing_doc) = existing_license(&p, &d).await;
    let (sheet, refusals) = golden(&d, &existing_doc);
    let before = count(&p, "select count(*) from licenses").await;

    let dry = upload(&p, &m, "许可.csv", sheet.as_bytes()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.body.contains("行政许可表格"), "told by its headers");
    assert!(dry.body.contains(COUNTS), "{}", dry.body);
    assert_eq!(count(&p, "select count(*) from licenses").await, before);

    let token = token_of(&dry.body);
    let report = p
        .get_with_cookie(&format!("/admin/import/{token}/report.csv"), &m.cookie)
        .await;
    let mut reader = csv::ReaderBuilder::new().from_reader(report.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 13);
    for (line, column) in &refusals {
        let row = rows
            .iter()
            .find(|r| r[0] == line.to_string())
            .unwrap_or_else(|| panic!("line {line} in the report"));
        assert_eq!(&row[1], "拒收", "line {line}");
        assert_eq!(&row[3], *column, "line {line}: {row:?}");
        assert!(!row[4].is_empty(), "the column's Chinese name: {row:?}");
    }
    let reasons: String = rows.iter().map(|r| r[5].to_string()).collect();
    for expected in [
        "不能为空",
        "统一社会信用代码有误",
        "不是有效的许可类别",
        "晚于今天",
        "早于有效期自",
        "不是有效的当前状态",
        "不是行政许可目录项",
        "不是本单位",
        "重复",
        "自然人须填写证件号码",
    ] {
        assert!(reasons.contains(expected), "no refusal mentions {expected}");
    }

    let done = p
        .post_form(
            &format!("/admin/import/{token}/commit"),
            &m.cookie,
            &[("_csrf", &m.csrf)],
        )
        .await;
    assert!(
        done.body
            .contains("已入库：新增 2 条，更正 1 条；拒收 10 条"),
        "{}",
        done.body
    );
    assert_eq!(count(&p, "select count(*) from licenses").await, before + 2);
    // Registered as the licence import it was.
    let registered: String = p
        .rows("select target from audit_log where action = 'import_committed'")
        .await[0]
        .get(0);
    assert!(registered.starts_with("行政许可导入 "), "{registered}");

    // Public at once, in search and on its page; the person masked.
    let (_, search) = p
        .get("/search?type=license&q=%E8%AE%B8%E5%8F%AF%E5%AF%BC%E5%85%A5%E9%A3%9F%E5%93%81")
        .await;
    assert!(search.contains("鹤岗市许可导入食品有限公司"), "{search}");
    let new_id = count(
        &p,
        "select id from licenses where doc_no = '鹤市监许〔2026〕901号'",
    )
    .await;
    let (status, page) = p.get(&format!("/licenses/{new_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("食品经营许可证") && page.contains("2031年10月7日"));
    let person_id = count(
        &p,
        "select id from licenses where doc_no = '鹤市监许〔2026〕902号'",
    )
    .await;
    let (status, page) = p.get(&format!("/licenses/{person_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("11010519491231002X") && !page.contains("王某某"));
    assert!(page.contains("长期"), "no end date: without end");
    assert!(page.contains("登记"));
    // The person is told the basis of processing, not the consent's number.
    assert!(page.contains("个人信息处理依据") && page.contains("取得本人同意"));
    assert!(!page.contains("鹤市监同〔2026〕17号"));
    let stored = &p
        .rows(&format!(
            "select personal_basis, consent_ref from licenses where id = {person_id}"
        ))
        .await[0];
    assert_eq!(stored.get::<String, _>(0), "consent");
    assert_eq!(stored.get::<String, _>(1), "鹤市监同〔2026〕17号");

    // The correction: state and holder's name replaced, history kept.
    let (_, page) = p.get(&format!("/licenses/{existing_id}")).await;
    assert!(page.contains("注销"), "the corrected state is public");
    let change = &p
        .rows("select before, after, actor, record_kind from record_changes where change = 'corrected'")
        .await[0];
    let after: serde_json::Value = serde_json::from_str(&change.get::<String, _>(1)).unwrap();
    assert_eq!(after["XK_ZT"], "注销");
    assert_eq!(change.get::<String, _>(2), "clerk");
    assert_eq!(change.get::<String, _>(3), "license");

    // Lateness: the October decision is late, the one two days ago is not.
    let late: Vec<String> = p
        .rows("select doc_no from licenses where late")
        .await
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(late, vec!["鹤市监许〔2026〕901号".to_string()]);
    let delivery = &p
        .rows("select taken, updated, refused, late from deliveries")
        .await[0];
    assert_eq!(
        (0..4)
            .map(|i| delivery.get::<i64, _>(i))
            .collect::<Vec<_>>(),
        vec![2, 1, 10, 1]
    );
}

/// The golden sheet as Excel: dates as real Excel dates, the rest as text.
fn as_xlsx(sheet: &str) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(sheet.as_bytes());
    for (r, record) in reader.records().enumerate() {
        for (c, cell) in record.unwrap().iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match ExcelDateTime::parse_from_str(cell) {
                Ok(date) if r > 0 && cell.len() == 10 => {
                    ws.write_datetime_with_format(r, c, &date, &date_format)
                        .unwrap();
                }
                _ if !cell.is_empty() => {
                    ws.write_string(r, c, cell).unwrap();
                }
                _ => {}
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_licence_sheet_reads_the_same_in_gb18030_and_excel() {
    let p = portal().await;
    let d = dept(&p).await;
    let m = clerk(&p, &d).await;
    let (_, existing_doc) = existing_license(&p, &d).await;
    let (sheet, _) = golden(&d, &existing_doc);
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&sheet);
    assert!(!unmappable);
    let dry = upload(&p, &m, "许可-gbk.csv", &gb).await;
    assert!(dry.body.contains("GB18030"), "{}", dry.body);
    assert!(dry.body.contains(COUNTS), "{}", dry.body);

    let dry = upload(&p, &m, "许可.xlsx", &as_xlsx(&sheet)).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.body.contains("Excel"));
    assert!(dry.body.contains(COUNTS), "{}", dry.body);
    let token = token_of(&dry.body);
    p.post_form(
        &format!("/admin/import/{token}/commit"),
        &m.cookie,
        &[("_csrf", &m.csrf)],
    )
    .await;
    let row = &p
        .rows("select decision_date, valid_to from licenses where doc_no = '鹤市监许〔2026〕901号'")
        .await[0];
    assert_eq!(row.get::<String, _>(0), "2026-10-08");
    assert_eq!(row.get::<String, _>(1), "2031-10-07");

    // A sheet with licence headers but a mandatory column missing names it.
    let broken = "XK_XDR_MC,XK_WSH,XK_XKLB,XK_NR\nx,y,普通,z\n";
    let answer = upload(&p, &m, "x.csv", broken.as_bytes()).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body.contains("行政许可表头缺少必填列")
            && answer.body.contains("许可决定日期（XK_JDRQ）"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn systems_push_licences_with_a_key() {
    let p = portal().await;
    let d = dept(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let key = issue_key(&p, &boss, d.id).await;
    let record = |doc: &str, category: &str| {
        format!(
            r#"{{"XK_XDR_MC":"鹤岗市接口许可有限公司（演示）","XK_XDR_LB":"法人及非法人组织","XK_XDR_SHXYM":"91110108551385082Q","XK_XKWS":"准予行政许可决定书","XK_WSH":"{doc}","XK_XKLB":"{category}","XK_NR":"食品销售","XK_JDRQ":"2026-11-25","XK_YXQZ":"2026-11-25","XK_YXQZI":null,"XK_XKJG":"{}","XK_XKJGDM":"{}","ML_BM":"scjg-license"}}"#,
            d.name, d.credit_code
        )
    };
    let path = "/api/v1/collect/licenses";
    let body = format!(
        r#"{{"records":[{},{}]}}"#,
        record("鹤市监许〔2026〕801号", "特许"),
        record("鹤市监许〔2026〕802号", "临时")
    );
    assert_eq!(
        push_to(&p, path, "", &body).await.status,
        StatusCode::UNAUTHORIZED
    );
    let before = count(&p, "select count(*) from licenses").await;
    let answer = push_to(&p, path, &key, &body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(
        (json["taken"].as_i64(), json["refused"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(json["results"][1]["column"], "XK_XKLB");
    assert_eq!(json["results"][1]["column_name"], "许可类别");
    assert_eq!(count(&p, "select count(*) from licenses").await, before + 1);

    // Again with the same number: a correction. A penalty record sent to
    // the licence endpoint is refused for its missing licence fields.
    let again = push_to(
        &p,
        path,
        &key,
        &format!(
            r#"{{"records":[{}]}}"#,
            record("鹤市监许〔2026〕801号", "核准")
        ),
    )
    .await;
    let json: serde_json::Value = serde_json::from_str(&again.body).unwrap();
    assert_eq!(json["updated"], 1);
    assert_eq!(
        p.rows("select category from licenses where doc_no = '鹤市监许〔2026〕801号'")
            .await[0]
            .get::<String, _>(0),
        "核准"
    );
    // The same credit code under another name: taken, with a caution, and
    // filed under the subject the code belongs to.
    let renamed = record("鹤市监许〔2026〕803号", "登记").replace(
        "鹤岗市接口许可有限公司（演示）",
        "鹤岗市接口许可新名称有限公司（演示）",
    );
    let answer = push_to(&p, path, &key, &format!(r#"{{"records":[{renamed}]}}"#)).await;
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(json["taken"], 1, "{}", answer.body);
    let warning = json["results"][0]["warnings"][0].as_str().unwrap_or("");
    assert!(
        warning.contains("已登记为“鹤岗市接口许可有限公司（演示）”"),
        "{warning}"
    );
    let wrong = push_to(
        &p,
        path,
        &key,
        r#"{"records":[{"CF_XDR_MC":"x","CF_WSH":"鹤市监罚〔2026〕1号"}]}"#,
    )
    .await;
    let json: serde_json::Value = serde_json::from_str(&wrong.body).unwrap();
    assert_eq!(json["refused"], 1);
    assert_eq!(json["results"][0]["column"], "XK_XDR_MC");

    // The feed carries licence changes with their document numbers.
    let feed = read_feed(&p, &issue_feed_key(&p, &boss).await, "0").await;
    let kinds: Vec<(String, String, String)> = feed
        .body
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|l| {
            (
                l["record_kind"].as_str().unwrap().to_string(),
                l["change"].as_str().unwrap().to_string(),
                l["doc_no"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let doc = "鹤市监许〔2026〕801号".to_string();
    assert_eq!(
        kinds,
        vec![
            ("license".to_string(), "new".to_string(), doc.clone()),
            ("license".to_string(), "corrected".to_string(), doc),
            (
                "license".to_string(),
                "new".to_string(),
                "鹤市监许〔2026〕803号".to_string()
            ),
        ]
    );

    let (_, spec) = p.get("/api/v1/openapi.json").await;
    let spec: serde_json::Value = serde_json::from_str(&spec).unwrap();
    assert!(spec["paths"]["/api/v1/collect/licenses"]["post"].is_object());
    assert!(spec["components"]["schemas"]["License"]["required"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("XK_WSH")));
}
