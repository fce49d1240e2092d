//! The first pass over delimited text: find the header under any banner rows, count the data
//! rows, note blank, total and ragged ones, mark where runs of rows start (so they can be read on
//! several threads later), and refuse unclosed quotes and oversized cells; in blocks on all
//! threads past the header.

use std::path::Path;

use csv::{ByteRecord, StringRecord};

use super::raw_table::{self, LazyRows, RawTable, SkipReason, SkippedRow};
use super::row_kinds::{first_cell, is_blank, Cells};
use super::rows::{choose_header, clean_header, note_row, HEADER_SEARCH_ROWS};
use super::{delimited, MAX_CELL_BYTES};
use crate::error::{Error, Result};

/// Read delimited text in one pass without keeping its rows: find the header under any banner
/// rows, count the data rows, note the blank, total and ragged ones, and refuse unclosed quotes
/// and oversized cells. The rows are split again when they are read
/// ([`RawTable::for_each_row`]).
pub(super) fn shape_text(table: RawTable, delimiter: u8, known_header: fn(&str) -> bool) -> Result<RawTable> {
    // Past the header the text is scanned in blocks on all threads (`scan_blocks`): at least
    // 4 MB, two per thread.
    let threads = crate::par::threads();
    let block = |rest: usize| {
        if threads > 1 {
            (rest / (2 * threads)).max(4 << 20)
        } else {
            usize::MAX
        }
    };
    shape_text_in_blocks(table, delimiter, known_header, raw_table::RUN_ROWS, block)
}

/// [`shape_text`], marking where a run starts every `run_rows` records after the header and
/// scanning the text past the header in blocks of `block(rest)` bytes.
pub(super) fn shape_text_in_blocks(
    mut table: RawTable,
    delimiter: u8,
    known_header: fn(&str) -> bool,
    run_rows: usize,
    block: impl Fn(usize) -> usize,
) -> Result<RawTable> {
    let text = table.text.take().unwrap_or_default();
    let mut reader = delimited::reader(&text, delimiter);
    // The records up to the header's choice: the first HEADER_SEARCH_ROWS non-blank ones.
    let mut head: Vec<(usize, StringRecord)> = Vec::new();
    let mut head_start: Vec<(usize, usize)> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    // Where the reader began the header record (byte offset, line), once it is chosen.
    let mut header: Option<(usize, usize)> = None;
    // The last record read and its line.
    let mut last: Option<(usize, ByteRecord)> = None;
    let mut big_cell: Option<(usize, usize, usize)> = None;
    let mut count = 0;
    let mut runs = Vec::new();
    let mut record = ByteRecord::new();
    while header.is_none() {
        let line = reader.position().line() as usize;
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(delimited::split_error(
                    &table.path,
                    e.position().map_or(line, |p| p.line() as usize),
                    &e,
                ))
            }
        }
        // The record's own line, and where the reader stood when it began it (a run starting
        // there counts lines from that one).
        let line = record
            .position()
            .map_or(line, |p| delimited::record_line(text.as_bytes(), p));
        let start = record
            .position()
            .map_or((0, 1), |p| (p.byte() as usize, p.line() as usize));
        if big_cell.is_none() {
            big_cell = big_cell_of(&record, line);
        }
        if !is_blank(&record) {
            candidates.push(head.len());
        }
        head.push((line, text_record(&record)));
        head_start.push(start);
        if candidates.len() == HEADER_SEARCH_ROWS {
            let (start, kept) = take_header(&mut table, &mut head, &head_start, &candidates, known_header);
            header = Some(start);
            count += kept;
        }
        last = Some((line, record.clone()));
    }
    if header.is_some() {
        // The rest of the text, from where the reader stands.
        let from = (reader.position().byte() as usize, reader.position().line() as usize);
        let rest = scan_blocks(&table, &text, delimiter, from, run_rows, block(text.len() - from.0))?;
        for part in rest {
            table.skipped.extend(part.notes.skipped);
            for (mine, theirs) in [
                (&mut table.short_rows, part.notes.short_rows),
                (&mut table.long_rows, part.notes.long_rows),
            ] {
                mine.0 += theirs.0;
                mine.1 = mine.1.or(theirs.1);
            }
            count += part.count;
            runs.extend(part.runs);
            big_cell = big_cell.or(part.big_cell);
            last = part.last.or(last);
        }
    } else if !candidates.is_empty() {
        let (start, kept) = take_header(&mut table, &mut head, &head_start, &candidates, known_header);
        header = Some(start);
        count += kept;
    }
    let last = last.map(|(line, r)| (line, text_record(&r)));
    check_cells(&table.path, &text, last.as_ref(), big_cell)?;
    let Some(start) = header else {
        return Err(Error::file(
            &table.path,
            crate::lang::say("the file has no rows with any values", "文件里没有任何有值的行"),
            crate::lang::say(
                "export the data again; the export may have been cut off",
                "重新导出数据；导出可能被截断了",
            ),
        ));
    };
    table.lazy = Some(LazyRows {
        delimiter,
        start: start.0,
        line: start.1,
        count,
        runs,
    });
    table.text = Some(text);
    Ok(table)
}

/// The first cell over [`MAX_CELL_BYTES`] of a record on `line`: (line, 1-based column, size).
fn big_cell_of(record: &ByteRecord, line: usize) -> Option<(usize, usize, usize)> {
    let (i, cell) = record.iter().enumerate().find(|(_, c)| c.len() > MAX_CELL_BYTES)?;
    Some((line, i + 1, cell.len()))
}

/// What the first pass notes of a stretch of data records ([`scan`]).
struct Scan {
    /// Skipped, short and long rows (a table used for its notes only).
    notes: RawTable,
    count: usize,
    runs: Vec<(usize, usize)>,
    big_cell: Option<(usize, usize, usize)>,
    last: Option<(usize, ByteRecord)>,
    /// Where the reader stood when it stopped: byte offset and line.
    stop: (usize, usize),
}

/// The data records of `text` from `from` (a byte offset where the reader stands at the start of
/// a record, and its line) in blocks of about `block` bytes, scanned on all threads. A block is
/// cut after a line break and scanned as if a record began there; it is kept when the scan
/// before it (kept itself) stopped there — only line breaks between — and scanned again from
/// where that one stopped when not (a quoted cell holding the line break at the cut). The
/// result is what one reader from `from` to the end would have noted, in order.
fn scan_blocks(
    table: &RawTable,
    text: &str,
    delimiter: u8,
    from: (usize, usize),
    run_rows: usize,
    block: usize,
) -> Result<Vec<Scan>> {
    let bytes = text.as_bytes();
    let mut cuts = vec![from.0];
    let mut at = from.0;
    while text.len() - at > block {
        match bytes[at + block..].iter().position(|&b| b == b'\n') {
            Some(i) if at + block + i + 1 < text.len() => {
                at += block + i + 1;
                cuts.push(at);
            }
            _ => break,
        }
    }
    let ends: Vec<usize> = cuts.iter().skip(1).copied().chain([text.len()]).collect();
    // The line each cut is on: the reader's line at `from` plus the line breaks since (each
    // block's counted on its own thread).
    let spans: Vec<(usize, usize)> = cuts.iter().copied().zip(ends.iter().copied()).collect();
    let breaks = crate::par::map(&spans, |&(start, end)| {
        bytes[start..end].iter().filter(|&&b| b == b'\n').count()
    });
    let mut starts = Vec::with_capacity(cuts.len());
    let mut line = from.1;
    for (&cut, n) in cuts.iter().zip(breaks) {
        starts.push((cut, line));
        line += n;
    }
    let blocks: Vec<((usize, usize), usize)> = starts.iter().copied().zip(ends.iter().copied()).collect();
    let guesses = crate::par::map(&blocks, |&(start, end)| {
        scan(table, text, delimiter, start, end, run_rows)
    });
    let mut kept: Vec<Scan> = Vec::with_capacity(guesses.len());
    for (k, guess) in guesses.into_iter().enumerate() {
        let (start, end) = blocks[k];
        let stood = kept.last().map_or(start, |s| s.stop);
        let joins = stood.0 <= start.0 && bytes[stood.0..start.0].iter().all(|&b| b == b'\r' || b == b'\n');
        let mut part = if joins {
            guess?
        } else {
            scan(table, text, delimiter, stood, end.max(stood.0), run_rows)?
        };
        if k > 0 {
            // Each block begins a run: its rows can be split from here alone.
            part.runs.insert(0, if joins { start } else { stood });
        }
        kept.push(part);
    }
    Ok(kept)
}

/// The data records from `from` (byte offset and line where the reader stands at the start of a
/// record) up to the first that begins at or after byte `until`, noted as [`shape_text`] notes
/// them; a run mark every `run_rows` records.
fn scan(
    table: &RawTable,
    text: &str,
    delimiter: u8,
    from: (usize, usize),
    until: usize,
    run_rows: usize,
) -> Result<Scan> {
    let body = text.get(from.0..).unwrap_or_default();
    let mut notes = RawTable::new(&table.path, table.format.clone(), String::new(), String::new());
    notes.headers = table.headers.clone();
    let mut out = Scan {
        notes,
        count: 0,
        runs: Vec::new(),
        big_cell: None,
        last: None,
        stop: (text.len(), 0),
    };
    let mut reader = delimited::reader(body, delimiter);
    let mut record = ByteRecord::new();
    let mut n = 0usize;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize) + from.1 - 1;
                return Err(delimited::split_error(&table.path, line, &e));
            }
        }
        let Some(pos) = record.position() else { continue };
        let stood = (from.0 + pos.byte() as usize, from.1 + pos.line() as usize - 1);
        // The record itself begins after the line breaks the reader skips first.
        let begins = stood.0
            + body.as_bytes()[pos.byte() as usize..]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        if begins >= until {
            out.stop = stood;
            break;
        }
        let line = delimited::record_line(body.as_bytes(), pos) + from.1 - 1;
        if out.big_cell.is_none() {
            out.big_cell = big_cell_of(&record, line);
        }
        n += 1;
        if n % run_rows.max(1) == 0 {
            out.runs.push(stood);
        }
        out.count += usize::from(note_row(&mut out.notes, line, &record));
        match &mut out.last {
            Some((l, r)) => {
                *l = line;
                std::mem::swap(r, &mut record);
            }
            None => out.last = Some((line, record.clone())),
        }
    }
    Ok(out)
}

/// A record split from text, as text.
fn text_record(record: &ByteRecord) -> StringRecord {
    let mut out = StringRecord::with_capacity(record.as_slice().len(), record.len());
    for cell in record.cells() {
        out.push_field(cell);
    }
    out.set_position(record.position().cloned());
    out
}

/// Choose the header among the head's records, note the banner rows above it, set the table's
/// headers, and note the data rows read after it; return (where the reader stood when it began
/// the header: byte offset and line, how many of those rows are kept). The head is emptied.
fn take_header(
    table: &mut RawTable,
    head: &mut Vec<(usize, StringRecord)>,
    head_start: &[(usize, usize)],
    candidates: &[usize],
    known_header: fn(&str) -> bool,
) -> ((usize, usize), usize) {
    let index = choose_header(head, candidates, known_header);
    for (line, record) in &head[..index] {
        if !is_blank(record) {
            table.skipped.push(SkippedRow {
                line: *line,
                reason: SkipReason::Banner,
                first_cell: first_cell(record),
            });
        }
    }
    table.header_line = head[index].0;
    table.headers = head[index].1.iter().map(clean_header).collect();
    let kept = head
        .drain(..)
        .skip(index + 1)
        .filter(|(line, r)| note_row(table, *line, r))
        .count();
    (head_start[index], kept)
}

/// Refuse a file whose quotes never close (the last field runs to the end of the file) or that
/// holds a cell over [`MAX_CELL_BYTES`] (`big_cell`: the first one's line, column and size).
pub(super) fn check_cells(
    path: &Path,
    text: &str,
    last: Option<&(usize, StringRecord)>,
    big_cell: Option<(usize, usize, usize)>,
) -> Result<()> {
    let fault = |line: usize, column: usize, message: String, hint: &str| {
        Error::Data(Box::new(crate::error::DataFault {
            location: crate::error::Location {
                path: path.to_path_buf(),
                line,
                column: None,
                column_name: Some(format!("column {column}")),
                snippet: text
                    .lines()
                    .nth(line.saturating_sub(1))
                    .map(|l| l.chars().take(200).collect()),
                span: 1,
            },
            value: None,
            message,
            expected: None,
            hint: hint.to_string(),
        }))
    };
    // A quote that never closes makes the last record's cell run over line breaks to the end of
    // the text; only then are the quotes counted (a quote inside an unquoted cell is text, and
    // blank lines after the last record are not part of it).
    if let Some((line, record)) = last {
        if let Some(column) = record.iter().position(|c| c.contains('\n')) {
            let quotes = text.bytes().filter(|&b| b == b'"').count();
            let last_line = text.lines().count();
            if quotes % 2 == 1 && last_line > *line {
                return Err(fault(
                    *line,
                    column + 1,
                    format!("a quote opened on this line is never closed: lines {line} to {last_line} were read as one cell"),
                    "close the quote (a field that contains a quote writes it twice: \"\"), or remove the stray quote",
                ));
            }
        }
    }
    if let Some((line, column, size)) = big_cell {
        return Err(fault(
            line,
            column,
            format!(
                "one cell holds {:.1} MB of text; the limit is {} MB",
                size as f64 / 1e6,
                MAX_CELL_BYTES >> 20
            ),
            "check the export: a cell this large is usually a quote that is never closed or a binary blob",
        ));
    }
    Ok(())
}
