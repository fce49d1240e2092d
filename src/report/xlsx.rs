//! The scores as a workbook (`scores.xlsx` in a report folder, `--format xlsx --output FILE`):
//! the CSV's columns and rows, numbers as numbers (shares, intervals' ends and scores can be
//! sorted and charted), text as text (never evaluated), a bold header row frozen at the top and
//! the columns as wide as what they hold.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use super::{csv_cells, ScoreReport};

/// The workbook's bytes.
pub fn workbook(report: &ScoreReport) -> crate::error::Result<Vec<u8>> {
    xlsx(report).map_err(|e| crate::Error::Internal {
        stage: "workbook",
        message: e.to_string(),
    })
}

fn xlsx(report: &ScoreReport) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    // A workbook records when it was made; a fixed date keeps runs byte for byte the same (the
    // report says what it measured, not when).
    let made = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&made));
    let sheet = book.add_worksheet();
    sheet.set_name("scores")?;
    let bold = Format::new().set_bold();
    let (headers, rows) = csv_cells(report);
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column(c), *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(x) if x.is_finite() && !cell.trim().is_empty() => sheet.write_number(r, column(c), x)?,
                _ if cell.is_empty() => sheet,
                _ => sheet.write_string(r, column(c), cell)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}

fn column(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}
