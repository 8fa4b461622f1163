//! A natural person's delivered record must say on what basis the person's
//! data are processed (DOMAIN.md §15): a statutory duty, or consent with its
//! reference. Import refuses a row with neither, by sheet and by the push
//! API alike; what is taken keeps its basis, and the record page tells it.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::collect::{clerk, count, dept, issue_key, push_to, token_of, upload};
use super::portal;
use super::staff::{add_account, sign_in};
use app::domain::staff::Role;

const HEADER: &str = "行政相对人名称,行政相对人类别,CF_XDR_SHXYM,证件号码,CF_WSH,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_JDRQ,CF_CFJG,CF_CFJGDM,ML_BM,个人信息处理依据,GRXX_TYBH";

/// A penalty row of `kind` with the given basis cells.
fn row(authority: &str, n: u32, kind: &str, basis: &str, consent: &str) -> String {
    let (code, id) = if kind == "自然人" {
        ("", "11010519491231002X")
    } else {
        ("914403001922038216", "")
    };
    format!(
        "依据测试{n}（演示）,{kind},{code},{id},鹤市监罚〔2026〕96{n}号,销售不合格产品,经查,《产品质量法》第四十九条,罚款,罚款 1000 元,2026-10-08,鹤岗市市场监督管理局,{authority},scjg-ordinary,{basis},{consent}"
    )
}

#[tokio::test]
async fn a_natural_persons_row_without_its_basis_is_refused_and_the_basis_is_kept() {
    let p = portal().await;
    let d = dept(&p).await;
    let m = clerk(&p, &d).await;
    let a = d.credit_code.as_str();
    let rows = [
        row(a, 1, "自然人", "", ""),                        // line 2: neither
        row(a, 2, "自然人", "同意", ""),                    // line 3: consent, no number
        row(a, 3, "自然人", "公开", ""),                    // line 4: no such basis
        row(a, 4, "自然人", "法定职责", ""),                // taken
        row(a, 5, "自然人", "同意", "鹤市监同〔2026〕5号"), // taken
        row(a, 6, "法人及非法人组织", "", ""),              // an organisation: needs none
    ];
    let sheet = format!("{HEADER}\n{}\n", rows.join("\n"));
    let dry = upload(&p, &m, "依据.csv", sheet.as_bytes()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.body.contains("可新增 3 条"), "{}", dry.body);
    assert!(dry.body.contains("拒收 3 条"), "{}", dry.body);
    // The page names the column and the fix.
    assert!(dry.body.contains("个人信息处理依据"), "{}", dry.body);
    assert!(dry.body.contains("“公开”不是有效的个人信息处理依据"));

    let token = token_of(&dry.body);
    let report = p
        .get_with_cookie(&format!("/admin/import/{token}/report.csv"), &m.cookie)
        .await;
    let mut reader = csv::ReaderBuilder::new().from_reader(report.body.as_bytes());
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for (line, column, words) in [
        ("2", "GRXX_YJ", "填写“法定职责”"),
        ("3", "GRXX_TYBH", "同意书的编号"),
        ("4", "GRXX_YJ", "应为“法定职责”或“同意”"),
    ] {
        let r = lines
            .iter()
            .find(|r| &r[0] == line)
            .unwrap_or_else(|| panic!("line {line} in {lines:?}"));
        assert_eq!((&r[1], &r[3]), ("拒收", column), "line {line}: {r:?}");
        assert!(r[5].contains(words), "line {line}: {r:?}");
    }

    let done = p
        .post_form(
            &format!("/admin/import/{token}/commit"),
            &m.cookie,
            &[("_csrf", &m.csrf)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let stored = p
        .rows(
            "select doc_no, personal_basis, consent_ref from penalties
             where doc_no like '鹤市监罚〔2026〕96_号' order by doc_no",
        )
        .await;
    let stored: Vec<(String, Option<String>, Option<String>)> = stored
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        stored,
        vec![
            (
                "鹤市监罚〔2026〕964号".into(),
                Some("statutory_duty".into()),
                None
            ),
            (
                "鹤市监罚〔2026〕965号".into(),
                Some("consent".into()),
                Some("鹤市监同〔2026〕5号".into())
            ),
            ("鹤市监罚〔2026〕966号".into(), None, None),
        ],
        "the refused rows are not stored; the others keep what they declared"
    );

    // The person reads the basis on the public page; the consent's number
    // stays with the department; an organisation's page says nothing of it.
    let id = |doc: &str| format!("select id from penalties where doc_no = '{doc}'");
    let duty = count(&p, &id("鹤市监罚〔2026〕964号")).await;
    let (status, page) = p.get(&format!("/penalties/{duty}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("个人信息处理依据"), "{page}");
    assert!(page.contains("履行法定职责（《中华人民共和国个人信息保护法》第十三条第一款第三项）"));
    let consent = count(&p, &id("鹤市监罚〔2026〕965号")).await;
    let (_, page) = p.get(&format!("/penalties/{consent}")).await;
    assert!(page.contains("取得本人同意"), "{page}");
    assert!(!page.contains("鹤市监同〔2026〕5号"));
    let org = count(&p, &id("鹤市监罚〔2026〕966号")).await;
    let (_, page) = p.get(&format!("/penalties/{org}")).await;
    assert!(!page.contains("个人信息处理依据"));
}

#[tokio::test]
async fn the_push_api_holds_a_natural_person_to_the_same_rule() {
    let p = portal().await;
    let d = dept(&p).await;
    add_account(&p, "boss", Role::Admin, None).await;
    let boss = sign_in(&p, "boss").await;
    let key = issue_key(&p, &boss, d.id).await;
    let record = |doc: &str, extra: Value| {
        let mut r = json!({
            "CF_XDR_MC": "依据推送（演示）", "CF_XDR_LB": "自然人",
            "CF_XDR_ZJHM": "11010519491231002X",
            "CF_WSH": doc, "CF_WFXW": "销售不合格产品", "CF_SY": "经查", "CF_YJ": "《产品质量法》",
            "CF_CFLB": "罚款", "CF_NR": "罚款", "CF_JDRQ": "2026-10-01",
            "CF_CFJG": d.name, "CF_CFJGDM": d.credit_code, "ML_BM": "scjg-ordinary"
        });
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        r
    };
    let body = json!({ "records": [
        record("鹤市监罚〔2026〕971号", json!({})),
        record("鹤市监罚〔2026〕972号", json!({ "GRXX_YJ": "同意", "GRXX_TYBH": "x".repeat(65) })),
        record("鹤市监罚〔2026〕973号", json!({ "GRXX_TYBH": "鹤市监同〔2026〕9号" })),
    ] })
    .to_string();
    let answer = push_to(&p, "/api/v1/collect/penalties", &key, &body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let json: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(
        (&json["taken"], &json["refused"]),
        (&json!(1), &json!(2)),
        "{json}"
    );
    let results = json["results"].as_array().unwrap();
    assert_eq!(results[0]["column"], "GRXX_YJ", "{json}");
    assert_eq!(results[0]["column_name"], "个人信息处理依据");
    assert_eq!(results[1]["column"], "GRXX_TYBH", "{json}");
    assert!(results[1]["reason"].as_str().unwrap().contains("64"));
    // A reference alone is consent.
    assert_eq!(results[2]["outcome"], "taken", "{json}");
    assert_eq!(
        count(
            &p,
            "select count(*) from penalties where doc_no in ('鹤市监罚〔2026〕971号', '鹤市监罚〔2026〕972号')"
        )
        .await,
        0,
        "a refused record is not stored"
    );
    let stored = &p
        .rows("select personal_basis, consent_ref from penalties where doc_no = '鹤市监罚〔2026〕973号'")
        .await[0];
    assert_eq!(stored.get::<String, _>(0), "consent");
    assert_eq!(stored.get::<String, _>(1), "鹤市监同〔2026〕9号");
}
