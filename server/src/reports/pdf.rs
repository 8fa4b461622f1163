//! The credit record report as an A4 PDF, made with krilla: it embeds only
//! the glyphs the report uses from a CJK font (a subset, a few hundred KB
//! at most instead of the font's 20 MB) and writes a ToUnicode map, so the
//! text can be searched, copied and read aloud.
//!
//! Text is laid out first (lines, pages), then drawn, so every page's
//! footer can say "第 n 页 共 m 页". Widths are estimated per character
//! (a CJK character is one em, other characters at most 0.6 em), which
//! errs on the side of shorter lines and never overflows the margin.

use std::sync::Arc;

use app::domain::credit_report::grouped_hash;
use app::model::report::ReportView;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla::Document;

/// A4 in points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.0;
const BODY: f32 = 10.5;
const LABEL_W: f32 = 118.0;
/// Room kept at the foot of each page for the footer.
const FOOTER: f32 = 40.0;

/// The font a report is set in: read once, shared by every report.
#[derive(Clone)]
pub struct ReportFont {
    font: Font,
}

impl ReportFont {
    /// Reads the font at `path` (a TrueType/OpenType file or collection,
    /// face `index`).
    pub fn load(path: &std::path::Path, index: u32) -> Result<ReportFont, String> {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("cannot read report font {}: {e}", path.display()))?;
        let font = Font::new(Arc::new(bytes).into(), index)
            .ok_or_else(|| format!("{} (face {index}) is not a usable font", path.display()))?;
        Ok(ReportFont { font })
    }
}

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        grey: bool,
    },
    Rule {
        y: f32,
    },
    Square {
        x: f32,
        y: f32,
        side: f32,
    },
}

/// Lines placed on pages, top to bottom.
struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
}

fn char_width(c: char, size: f32) -> f32 {
    if c.is_ascii() {
        size * 0.6
    } else {
        size
    }
}

/// `text` broken into lines no wider than `width` at `size`.
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0.0;
        for c in paragraph.chars() {
            let w = char_width(c, size);
            if used + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            line.push(c);
            used += w;
        }
        lines.push(line);
    }
    lines
}

impl Layout {
    fn new() -> Layout {
        Layout {
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    fn page(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` more fits on this one.
    fn room(&mut self, height: f32) {
        if self.y + height > PAGE_H - MARGIN - FOOTER {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn text(&mut self, x: f32, size: f32, text: String, grey: bool) {
        let y = self.y + size;
        self.page().push(Op::Text {
            x,
            y,
            size,
            text,
            grey,
        });
    }

    /// A paragraph at `indent`, wrapped, with `after` space below it.
    fn paragraph(&mut self, text: &str, size: f32, indent: f32, after: f32) {
        let width = PAGE_W - 2.0 * MARGIN - indent;
        for line in wrap(text, size, width) {
            self.room(size * 1.5);
            self.text(MARGIN + indent, size, line, false);
            self.y += size * 1.5;
        }
        self.y += after;
    }

    fn heading(&mut self, text: &str) {
        self.room(BODY * 5.0);
        self.y += 8.0;
        self.text(MARGIN, 13.0, text.to_string(), false);
        self.y += 13.0 * 1.4;
        let y = self.y;
        self.page().push(Op::Rule { y });
        self.y += 6.0;
    }

    /// A chapter of one paragraph per line, or `empty` when there is none.
    fn line_chapter(
        &mut self,
        heading: &str,
        empty: &str,
        lines: impl IntoIterator<Item = String>,
    ) {
        self.heading(heading);
        let mut any = false;
        for line in lines {
            self.paragraph(&line, BODY, 0.0, 2.0);
            any = true;
        }
        if !any {
            self.paragraph(empty, BODY, 0.0, 2.0);
        }
    }

    /// A label and its value, each wrapped in its own column, so a long
    /// label never runs into its value.
    fn field(&mut self, label: &str, value: &str) {
        let labels = wrap(label, BODY, LABEL_W - 8.0);
        let values = wrap(value, BODY, PAGE_W - 2.0 * MARGIN - LABEL_W);
        let rows = labels.len().max(values.len());
        self.room(BODY * 1.5 * rows.min(3) as f32);
        for i in 0..rows {
            self.room(BODY * 1.5);
            if let Some(l) = labels.get(i) {
                self.text(MARGIN, BODY, l.clone(), true);
            }
            if let Some(v) = values.get(i) {
                self.text(MARGIN + LABEL_W, BODY, v.clone(), false);
            }
            self.y += BODY * 1.5;
        }
        self.y += 2.0;
    }
}

/// The report as PDF bytes.
pub fn render(report: &ReportView, font: &ReportFont, qr_url: &str) -> Result<Vec<u8>, String> {
    let c = &report.content;
    let mut l = Layout::new();
    l.text(MARGIN, 20.0, "信用信息报告".into(), false);
    if let Some(qr) = qr_modules(qr_url) {
        let side = 84.0 / qr.width as f32;
        let (x0, y0) = (PAGE_W - MARGIN - 84.0, MARGIN);
        for (i, dark) in qr.dark.iter().enumerate() {
            if *dark {
                let (col, row) = (i % qr.width, i / qr.width);
                l.page().push(Op::Square {
                    x: x0 + col as f32 * side,
                    y: y0 + row as f32 * side,
                    side,
                });
            }
        }
    }
    l.y += 34.0;
    if c.demo_data {
        l.paragraph(
            "演示数据：本报告中的主体和信息均为虚构，不代表任何真实企业或个人。",
            BODY,
            0.0,
            4.0,
        );
    }
    l.field("报告编号", &report.number);
    l.field("出具机构", &c.issuer);
    l.field("出具时间", &report.issued_at);
    l.field("数据截止日", &c.cutoff);
    l.field("报告期", &c.period);
    l.y = l.y.max(MARGIN + 110.0);

    l.heading("一、基本信息");
    l.field(
        "主体名称",
        c.subject
            .name
            .as_deref()
            .unwrap_or("本平台无该主体的公示信息（名称以登记机关为准）"),
    );
    l.field("统一社会信用代码", &c.subject.credit_code);
    if let Some(k) = &c.subject.kind_label {
        l.field("主体类别", k);
    }
    if let Some(r) = &c.subject.representative {
        l.field("法定代表人（经营者）", r);
    }

    l.heading("二、信息概要");
    for s in &c.summary {
        l.field(&s.label, &format!("{} 条", s.count));
    }

    l.heading("三、行政处罚信息");
    if c.penalties.is_empty() {
        l.paragraph("报告期内无公示的行政处罚信息。", BODY, 0.0, 2.0);
    }
    for (i, p) in c.penalties.iter().enumerate() {
        l.paragraph(&format!("（{}）{}", i + 1, p.doc_no), BODY, 0.0, 0.0);
        l.field("处罚类别", &p.categories);
        l.field("处罚内容", &p.content);
        l.field("处罚机关", &p.department);
        l.field("处罚决定日期", &p.decision_date);
        l.field("公示截止", &p.until);
        l.field("信用修复", &p.repair);
        l.y += 4.0;
    }

    l.heading("四、行政许可信息");
    if c.licenses.is_empty() {
        l.paragraph("报告期内无公示的行政许可信息。", BODY, 0.0, 2.0);
    }
    for (i, x) in c.licenses.iter().enumerate() {
        l.paragraph(&format!("（{}）{}", i + 1, x.doc_no), BODY, 0.0, 0.0);
        l.field("文书名称", &x.doc_name);
        l.field("许可类别", &x.category);
        l.field("许可机关", &x.department);
        l.field("许可决定日期", &x.decision_date);
        l.field("有效期", &x.validity);
        l.field("公示截止", &x.until);
        l.y += 4.0;
    }

    l.heading("五、严重失信主体名单信息");
    if c.serious.is_empty() {
        l.paragraph("报告期内无公示的严重失信主体名单信息。", BODY, 0.0, 2.0);
    }
    for (i, e) in c.serious.iter().enumerate() {
        l.paragraph(&format!("（{}）{}", i + 1, e.list_name), BODY, 0.0, 0.0);
        l.field("列入决定文号", &e.doc_no);
        l.field("列入原因", &e.reason);
        l.field("列入机关", &e.department);
        l.field("列入日期", &e.listed_on);
        l.field("公示截止", &e.until);
        l.y += 4.0;
    }

    let measures = c.measures.iter().enumerate().map(|(i, m)| {
        format!(
            "{}. {}（{}；依据{}；所在名单：{}）",
            i + 1,
            m.name,
            m.class,
            m.citation,
            m.list_name
        )
    });
    l.line_chapter(
        "六、失信惩戒措施",
        "报告期内无公示的失信惩戒措施。",
        measures,
    );
    let marks = |marks: &[app::model::report::ReportMark]| {
        marks
            .iter()
            .map(|m| format!("{} {}：{}", m.kind_label, m.doc_no, m.state))
            .collect::<Vec<_>>()
    };
    l.line_chapter(
        "七、异议处理情况",
        "报告期内无异议处理中的信息。",
        marks(&c.objections),
    );
    l.line_chapter(
        "八、信用修复情况",
        "报告期内无信用修复申请审核中的信息。已信用修复的信息依规不再公示，不列入本报告。",
        marks(&c.repairs),
    );

    l.heading("九、说明");
    for (i, n) in c.notes.iter().enumerate() {
        l.paragraph(&format!("{}. {n}", i + 1), BODY, 0.0, 2.0);
    }
    l.paragraph("校验值（SHA-256）：", BODY, 0.0, 0.0);
    l.paragraph(&grouped_hash(&report.hash), 9.0, 0.0, 2.0);
    l.paragraph(&format!("核验地址：{qr_url}"), 9.0, 0.0, 0.0);

    draw(l, font, report, c.demo_data)
}

fn draw(l: Layout, font: &ReportFont, report: &ReportView, demo: bool) -> Result<Vec<u8>, String> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("信用信息报告 {}", report.number))
            .language("zh-CN".into())
            .creator("信用中国（黑龙江鹤岗）".into()),
    );
    let total = l.pages.len();
    let black: Fill = Fill {
        paint: rgb::Color::new(0, 0, 0).into(),
        ..Default::default()
    };
    let grey: Fill = Fill {
        paint: rgb::Color::new(80, 80, 80).into(),
        ..Default::default()
    };
    let settings = || PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("bad page size");
    for (n, ops) in l.pages.into_iter().enumerate() {
        let mut page = document.start_page_with(settings()?);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    text,
                    grey: is_grey,
                } => {
                    surface.set_fill(Some(if is_grey { grey.clone() } else { black.clone() }));
                    surface.draw_text(
                        Point::from_xy(x, y),
                        font.font.clone(),
                        size,
                        &text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Rule { y } => {
                    surface.set_fill(Some(grey.clone()));
                    rect(&mut surface, MARGIN, y, PAGE_W - 2.0 * MARGIN, 0.6);
                }
                Op::Square { x, y, side } => {
                    surface.set_fill(Some(black.clone()));
                    // A hair larger, so neighbouring modules leave no seam.
                    rect(&mut surface, x, y, side + 0.05, side + 0.05);
                }
            }
        }
        let footer = if demo {
            format!(
                "报告编号 {}　演示数据，主体和信息均为虚构　第 {} 页 共 {total} 页",
                report.number,
                n + 1
            )
        } else {
            format!("报告编号 {}　第 {} 页 共 {total} 页", report.number, n + 1)
        };
        surface.set_fill(Some(grey.clone()));
        surface.draw_text(
            Point::from_xy(MARGIN, PAGE_H - MARGIN + 10.0),
            font.font.clone(),
            8.5,
            &footer,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| format!("report PDF: {e:?}"))
}

fn rect(surface: &mut krilla::surface::Surface<'_>, x: f32, y: f32, w: f32, h: f32) {
    let Some(r) = Rect::from_xywh(x, y, w, h) else {
        return;
    };
    let mut pb = PathBuilder::new();
    pb.push_rect(r);
    if let Some(path) = pb.finish() {
        surface.draw_path(&path);
    }
}

struct QrModules {
    width: usize,
    dark: Vec<bool>,
}

fn qr_modules(url: &str) -> Option<QrModules> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).ok()?;
    Some(QrModules {
        width: code.width(),
        dark: code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_never_pass_the_margin() {
        let text = "鹤岗市市场监督管理局依据《中华人民共和国食品安全法》第一百二十四条作出处罚决定 ABC-123 罚款人民币5000元。".repeat(4);
        let width = PAGE_W - 2.0 * MARGIN - LABEL_W;
        let lines = wrap(&text, BODY, width);
        assert!(lines.len() > 3);
        for line in &lines {
            let w: f32 = line.chars().map(|c| char_width(c, BODY)).sum();
            assert!(w <= width + 0.01, "{w} > {width}: {line}");
        }
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn a_long_label_wraps_in_its_own_column() {
        let mut l = Layout::new();
        l.field("信用修复申请审核中的信息", "0 条");
        let texts: Vec<(f32, f32, String)> = l.pages[0]
            .iter()
            .filter_map(|op| match op {
                Op::Text { x, y, text, .. } => Some((*x, *y, text.clone())),
                _ => None,
            })
            .collect();
        for (x, _, text) in texts.iter().filter(|(x, _, _)| *x == MARGIN) {
            let w: f32 = text.chars().map(|c| char_width(c, BODY)).sum();
            assert!(x + w <= MARGIN + LABEL_W, "{text} runs into the value");
        }
        assert_eq!(texts.len(), 3, "two label lines and the value");
    }

    #[test]
    fn a_long_report_takes_several_pages() {
        let mut l = Layout::new();
        for i in 0..200 {
            l.field("处罚内容", &format!("第 {i} 行"));
        }
        assert!(l.pages.len() > 2);
        for page in &l.pages {
            for op in page {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= PAGE_H - MARGIN - FOOTER + BODY * 2.0);
                }
            }
        }
    }
}
