//! Reading a delivered sheet as a stream of rows, whatever its format.
//!
//! CSV in UTF-8 (with or without a byte-order mark) or GB18030 (what Excel
//! on a Chinese Windows writes): the encoding is decided from the first
//! 64 KB — UTF-8 if they are valid UTF-8, GB18030 otherwise — and the file
//! is decoded and parsed as it is read. Excel `.xlsx` (recognised by its
//! bytes, not its name): the first worksheet's cells are read one by one
//! (only the shared-strings table is held whole). Either way on a thread of
//! its own that hands rows over a bounded channel: a 100,000-row sheet
//! never sits in memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use encoding_rs::{Encoding, GB18030, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;
use tokio::sync::mpsc;

/// What the reader hands over, in order.
#[derive(Debug)]
pub enum SheetEvent {
    /// The first row, with the encoding the file was read in.
    Header(Vec<String>, &'static str),
    /// A data row and its line number in the sheet (header = line 1).
    Row(u64, Vec<String>),
    /// The file cannot be read further; rows before it were sent.
    Broken(String),
}

/// The most rows one sheet may hold.
pub const MAX_ROWS: u64 = 200_000;

fn detect(head: &[u8]) -> &'static Encoding {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return UTF_8;
    }
    match std::str::from_utf8(head) {
        Ok(_) => UTF_8,
        // Cut off inside a character at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => GB18030,
    }
}

/// Starts reading `path`; events arrive on the returned channel.
pub fn read(path: &Path) -> mpsc::Receiver<SheetEvent> {
    let (tx, rx) = mpsc::channel(512);
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        if let Err(message) = produce(&path, &tx) {
            let _ = tx.blocking_send(SheetEvent::Broken(message));
        }
    });
    rx
}

fn produce(path: &Path, tx: &mpsc::Sender<SheetEvent>) -> Result<(), String> {
    let mut head = vec![0u8; 64 * 1024];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| format!("无法读取文件：{e}"))?;
    head.truncate(n);
    if n == 0 {
        return Err("文件是空的".into());
    }
    if head.starts_with(b"PK\x03\x04") {
        return produce_xlsx(path, tx);
    }
    let encoding = detect(&head);
    let label = if encoding == UTF_8 {
        "UTF-8"
    } else {
        "GB18030"
    };
    let file = File::open(path).map_err(|e| format!("无法读取文件：{e}"))?;
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .build(file);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded);
    let mut first = true;
    let mut rows = 0u64;
    for record in reader.records() {
        let record = record.map_err(|e| match e.position() {
            Some(p) => format!("第 {} 行无法解析：{e}", p.line()),
            None => format!("文件无法解析：{e}"),
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        let event = if first {
            first = false;
            SheetEvent::Header(cells, label)
        } else {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue; // blank lines at the end of a sheet
            }
            rows += 1;
            if rows > MAX_ROWS {
                return Err(format!("一个文件最多 {MAX_ROWS} 行，请分成多个文件上传"));
            }
            SheetEvent::Row(line, cells)
        };
        if tx.blocking_send(event).is_err() {
            return Ok(()); // the importer stopped listening
        }
    }
    if first {
        return Err("文件中没有表头".into());
    }
    Ok(())
}

/// The rows of the first worksheet of an `.xlsx` file.
fn produce_xlsx(path: &Path, tx: &mpsc::Sender<SheetEvent>) -> Result<(), String> {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> =
        open_workbook(path).map_err(|e| format!("无法读取 Excel 文件（仅支持 .xlsx）：{e}"))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or("Excel 文件中没有工作表")?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|e| format!("无法读取工作表“{first}”：{e}"))?;
    let mut current: Option<u32> = None;
    let mut row: Vec<String> = Vec::new();
    let mut rows = 0u64;
    let mut header_sent = false;
    let mut emit = |index: u32, cells: Vec<String>| -> Result<bool, String> {
        let event = if !header_sent {
            header_sent = true;
            SheetEvent::Header(cells, "Excel（.xlsx）")
        } else {
            if cells.iter().all(|c| c.trim().is_empty()) {
                return Ok(true);
            }
            rows += 1;
            if rows > MAX_ROWS {
                return Err(format!("一个文件最多 {MAX_ROWS} 行，请分成多个文件上传"));
            }
            SheetEvent::Row(u64::from(index) + 1, cells)
        };
        Ok(tx.blocking_send(event).is_ok())
    };
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| format!("工作表“{first}”无法解析：{e}"))?
    {
        let (r, c) = cell.get_position();
        if current != Some(r) {
            if let Some(done) = current {
                if !emit(done, std::mem::take(&mut row))? {
                    return Ok(());
                }
            }
            current = Some(r);
        }
        let c = c as usize;
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = cell_text(cell.get_value());
    }
    if let Some(done) = current {
        emit(done, row)?;
    }
    if !header_sent {
        return Err("工作表是空的".into());
    }
    Ok(())
}

/// A cell as the text a CSV would hold: dates as `2025-04-15`, whole
/// numbers without a decimal point.
fn cell_text(value: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::DateTime(d) => d
            .as_datetime()
            .map(|t| t.date().to_string())
            .unwrap_or_default(),
        DataRef::Bool(_) | DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_unless_the_bytes_say_otherwise() {
        assert_eq!(detect("名称,文号\n".as_bytes()), UTF_8);
        assert_eq!(detect(b"\xEF\xBB\xBFa,b"), UTF_8);
        let (gb, _, _) = GB18030.encode("行政相对人名称,决定书文号\n");
        assert_eq!(detect(&gb), GB18030);
        // A sample cut in the middle of a character is still UTF-8.
        let text = "名称".as_bytes();
        assert_eq!(detect(&text[..4]), UTF_8);
    }
}
