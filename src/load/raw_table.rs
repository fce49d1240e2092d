//! The raw table: what a file holds, as text, before any meaning is given to it.

use std::path::PathBuf;

use serde::Serialize;

pub use super::row_kinds::SkipReason;

/// How the file was laid out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Format {
    /// Delimited text; `delimiter` is the sniffed separator.
    Delimited { delimiter: char },
    /// A workbook sheet (XLSX, XLS, ODS).
    Workbook { sheet: String },
    /// A JSON array of objects.
    Json,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    pub fn describe(&self) -> String {
        use crate::lang::say;
        match self {
            Format::Delimited { delimiter: '\t' } => say("delimited text, tab-separated", "分隔文本，制表符分隔"),
            Format::Delimited { delimiter } => say(
                format!("delimited text, separated by {delimiter:?}"),
                format!("分隔文本，以 {delimiter:?} 分隔"),
            ),
            Format::Workbook { sheet } => say(
                format!("workbook, sheet {sheet:?}"),
                format!("表格文件，工作表 {sheet:?}"),
            ),
            Format::Json => say("JSON array of objects", "JSON 对象数组"),
            Format::Jsonl => say("JSON lines", "JSON 行"),
        }
    }
}

/// One data row and the line (or spreadsheet row) it started on.
#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: usize,
    pub cells: csv::StringRecord,
}

/// Where a delimited file's data rows are: the reader begins the header record at byte `start` of
/// the text, on line `line` (the header itself may start lines further on, after blank lines or
/// the `\n` of a `\r\n`); `count` data rows follow it.
#[derive(Debug, Clone)]
pub struct LazyRows {
    pub delimiter: u8,
    pub start: usize,
    pub line: usize,
    pub count: usize,
    /// Where the second and later runs of rows start, as `start` and `line` for the header. The
    /// splitter is there in the state it is in at the start of the text, so each run can be split
    /// on its own (and runs on different threads; [`RawTable::runs`]).
    pub runs: Vec<(usize, usize)>,
}

/// Data rows per run (see [`RawTable::runs`]).
pub const RUN_ROWS: usize = 4096;

/// A row left out before normalising, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedRow {
    pub line: usize,
    pub reason: SkipReason,
    /// The first non-empty cell, to recognise the row by.
    pub first_cell: String,
}

/// What was read from one file.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub path: PathBuf,
    pub format: Format,
    /// The encoding the text was decoded from, e.g. "UTF-8", "UTF-8 with BOM", "GBK".
    pub encoding: String,
    /// How the encoding was chosen: "byte order mark", "valid UTF-8", "detected", "--encoding".
    pub encoding_source: String,
    /// 1-based line of the header row.
    pub header_line: usize,
    /// Header names: newlines collapsed to spaces and trimmed; otherwise as written.
    pub headers: Vec<String>,
    /// The data rows of a workbook or JSON file. Delimited text keeps none: its rows are split
    /// from `text` again on each pass ([`RawTable::for_each_row`]), so a table costs its text and
    /// not a string per cell.
    pub rows: Vec<RawRow>,
    /// Where a delimited file's data rows are in `text`.
    pub lazy: Option<LazyRows>,
    pub skipped: Vec<SkippedRow>,
    /// Rows that had fewer cells than the header (padded with missing values) or more (extra cells
    /// ignored): counts, with the first line of each.
    pub short_rows: (usize, Option<usize>),
    pub long_rows: (usize, Option<usize>),
    /// Characters that could not be decoded and were replaced with U+FFFD.
    pub replaced_chars: usize,
    /// NUL bytes in the text, replaced with U+FFFD.
    pub nul_bytes: usize,
    /// The decoded text, kept for pointing at faults (delimited text only).
    pub text: Option<String>,
}

impl RawTable {
    /// A table with nothing read into it yet: no headers, rows or faults, header on line 1.
    pub fn new(path: &std::path::Path, format: Format, encoding: String, encoding_source: String) -> RawTable {
        RawTable {
            path: path.to_path_buf(),
            format,
            encoding,
            encoding_source,
            header_line: 1,
            headers: Vec::new(),
            rows: Vec::new(),
            lazy: None,
            skipped: Vec::new(),
            short_rows: (0, None),
            long_rows: (0, None),
            replaced_chars: 0,
            nul_bytes: 0,
            text: None,
        }
    }

    /// How many data rows the table has (after banner, blank and total rows are left out).
    pub fn row_count(&self) -> usize {
        self.lazy.as_ref().map_or(self.rows.len(), |l| l.count)
    }

    /// Call `f` with each data row in order, squared to the header's width. Delimited text is
    /// split again from the text, by the rules the first reading applied (see
    /// [`crate::load::read`]), into one reused row.
    pub fn for_each_row(&self, mut f: impl FnMut(&RawRow)) -> crate::error::Result<()> {
        for run in 0..self.runs() {
            self.for_each_row_in_run(run, &mut f)?;
        }
        Ok(())
    }

    /// How many runs the data rows come in: runs of about `RUN_ROWS` (4,096) rows that can be read on
    /// their own ([`RawTable::for_each_row_in_run`]), one after another or on different threads.
    pub fn runs(&self) -> usize {
        match &self.lazy {
            Some(lazy) if self.text.is_some() => lazy.runs.len() + 1,
            _ => self.rows.len().div_ceil(RUN_ROWS).max(1),
        }
    }

    /// [`RawTable::for_each_row`] for the rows of one run (`run` below [`RawTable::runs`]).
    pub fn for_each_row_in_run(&self, run: usize, mut f: impl FnMut(&RawRow)) -> crate::error::Result<()> {
        let (Some(lazy), Some(text)) = (&self.lazy, &self.text) else {
            self.rows.iter().skip(run * RUN_ROWS).take(RUN_ROWS).for_each(f);
            return Ok(());
        };
        // The first run starts at the header, the others at a data record.
        let (start, line) = match run.checked_sub(1) {
            None => (lazy.start, lazy.line),
            Some(i) => match lazy.runs.get(i) {
                Some(&at) => at,
                None => return Ok(()),
            },
        };
        let end = lazy.runs.get(run).map_or(text.len(), |&(end, _)| end);
        let body = text.get(start..end).unwrap_or_default();
        let mut row = RawRow {
            line: 0,
            cells: csv::StringRecord::new(),
        };
        let mut header = run == 0;
        // Rows are split the quick way while they are plain, and the rest of the run by the CSV
        // reader from the first row that is not.
        let (mut pos, mut at_line) = (0, line);
        let mut scratch = String::new();
        let mut stops = super::delimited::Stops::new(body.as_bytes(), lazy.delimiter);
        loop {
            let quick =
                super::delimited::quick_record(body, &mut stops, &mut pos, &mut at_line, &mut row.cells, &mut scratch);
            match quick {
                super::delimited::Quick::Record => {
                    row.line = at_line;
                    self.give_row(&mut row, &mut header, &mut f);
                }
                super::delimited::Quick::End => return Ok(()),
                super::delimited::Quick::Unusual => break,
            }
        }
        let rest = body.get(pos..).unwrap_or_default();
        let mut reader = super::delimited::reader(rest, lazy.delimiter);
        loop {
            match reader.read_record(&mut row.cells) {
                Ok(true) => {}
                Ok(false) => return Ok(()),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize) + at_line - 1;
                    return Err(super::delimited::split_error(&self.path, line, &e));
                }
            }
            row.line = row
                .cells
                .position()
                .map_or(1, |p| super::delimited::record_line(rest.as_bytes(), p))
                + at_line
                - 1;
            self.give_row(&mut row, &mut header, &mut f);
        }
    }

    /// Hand a split row to `f`: not the header (the first record of the first run), not a blank
    /// or total row, squared to the header's width.
    fn give_row(&self, row: &mut RawRow, header: &mut bool, f: &mut impl FnMut(&RawRow)) {
        if std::mem::take(header) || super::row_kinds::row_skip(&row.cells).is_some() {
            return;
        }
        super::row_kinds::square(&mut row.cells, self.headers.len());
        f(row);
    }

    /// The text of a 1-based physical line, when the file was text.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let text = self.text.as_deref()?;
        text.split('\n')
            .nth(line.checked_sub(1)?)
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
    }

    /// The 1-based character column where the `index`-th field starts on `line`, and its width,
    /// found by re-splitting that line. Only used on the error path.
    pub fn cell_column(&self, line: usize, index: usize) -> Option<(usize, usize)> {
        let Format::Delimited { delimiter } = self.format else {
            return None;
        };
        let text = self.line_text(line)?;
        let mut field = 0;
        let mut in_quotes = false;
        let mut start = 0;
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c == '"' {
                in_quotes = !in_quotes;
            } else if c == delimiter && !in_quotes {
                if field == index {
                    return Some((start + 1, i - start));
                }
                field += 1;
                start = i + 1;
            }
        }
        (field == index).then(|| (start + 1, chars.len() - start))
    }
}

/// Spreadsheet column letters for a 0-based index: 0 -> A, 26 -> AA.
pub fn column_letters(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheet_names() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
