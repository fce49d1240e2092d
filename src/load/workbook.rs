//! Workbooks (XLSX, XLS, ODS) through calamine: one sheet, cells as text.
//!
//! Cells become the text a person would see: integral floats without a trailing ".0", dates as
//! ISO date-times. Error cells (#N/A, #NAME?) become their error text, which the normaliser reads
//! as missing.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};
use csv::StringRecord;

use crate::error::{Error, Result};

pub struct Sheet {
    pub name: String,
    /// Records with their 1-based spreadsheet row numbers.
    pub rows: Vec<(usize, StringRecord)>,
}

pub fn read(path: &Path, bytes: Vec<u8>, wanted: Option<&str>) -> Result<Sheet> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::file(
            path,
            crate::lang::say(
                format!("could not open it as a workbook: {e}"),
                format!("无法作为表格文件打开：{e}"),
            ),
            crate::lang::say(
                "re-save it from Excel or WPS as .xlsx, or export it as CSV",
                "用 Excel 或 WPS 另存为 .xlsx，或导出为 CSV",
            ),
        )
    })?;
    let names = book.sheet_names();
    let name = match wanted {
        Some(w) => names.iter().find(|n| n.as_str() == w).cloned().ok_or_else(|| {
            Error::usage(
                crate::lang::say(
                    format!("{}: there is no sheet named {w:?}", path.display()),
                    format!("{}：没有名为 {w:?} 的工作表", path.display()),
                ),
                format!(
                    "pass one of: --sheet {}",
                    names
                        .iter()
                        .map(|n| format!("{n:?}"))
                        .collect::<Vec<_>>()
                        .join(", --sheet ")
                ),
            )
        })?,
        None => names.first().cloned().ok_or_else(|| {
            Error::file(
                path,
                crate::lang::say("the workbook has no sheets", "表格文件里没有工作表"),
                crate::lang::say(
                    "export the data to a sheet and save again",
                    "把数据导出到一张工作表后重新保存",
                ),
            )
        })?,
    };
    let range = book.worksheet_range(&name).map_err(|e| {
        Error::file(
            path,
            crate::lang::say(
                format!("could not read sheet {name:?}: {e}"),
                format!("无法读取工作表 {name:?}：{e}"),
            ),
            crate::lang::say(
                "re-save the workbook as .xlsx, or export the sheet as CSV",
                "把表格文件另存为 .xlsx，或把这张工作表导出为 CSV",
            ),
        )
    })?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = Vec::with_capacity(range.height());
    for (i, row) in range.rows().enumerate() {
        // Keep columns where the sheet has them: a range that starts at column C still names C.
        let mut cells: Vec<String> = vec![String::new(); first_col];
        cells.extend(row.iter().map(cell_text));
        rows.push((first_row + i + 1, StringRecord::from(cells)));
    }
    Ok(Sheet { name, rows })
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_serial_to_iso(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn float_text(f: f64) -> String {
    // Rust prints 12000.0 as "12000" and keeps every digit needed to round-trip otherwise.
    format!("{f}")
}

/// Excel's 1900 date system: day 0 is 1899-12-30 (which absorbs the 1900 leap-year bug).
fn excel_serial_to_iso(serial: f64) -> String {
    if !serial.is_finite() {
        return String::new();
    }
    let seconds = (serial * 86_400.0).round() as i64 - 25_569 * 86_400;
    match chrono::DateTime::from_timestamp(seconds, 0) {
        Some(dt) => dt.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string(),
        None => float_text(serial),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_become_iso_text() {
        assert_eq!(excel_serial_to_iso(45_000.5), "2023-03-15 12:00:00");
        assert_eq!(excel_serial_to_iso(25_569.0), "1970-01-01 00:00:00");
    }

    #[test]
    fn integral_floats_lose_the_trailing_zero() {
        assert_eq!(float_text(12000.0), "12000");
        assert_eq!(float_text(0.106), "0.106");
    }
}
