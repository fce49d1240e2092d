//! Stage 1: bytes on disk -> [`RawTable`].
//!
//! What comes in: a path. What goes out: header names and rows of text, each row with the line
//! (or spreadsheet row) it came from, plus how the file was read (format, encoding, delimiter) and
//! which rows were left out and why (banner rows above the header, "Total" rows, blank rows).
//! Nothing here gives a cell a meaning; that is [`crate::normalise`]'s job.

pub(crate) mod delimited;
mod json;
mod raw_table;
mod text;
mod workbook;

use std::path::Path;

use csv::{ByteRecord, StringRecord};
use encoding_rs::Encoding;

pub use delimited::sniff_delimiter;
pub use raw_table::{column_letters, Format, LazyRows, RawRow, RawTable, SkipReason, SkippedRow};
pub use text::encoding_for_label;

use crate::error::{Error, Result};

/// How to read files; the defaults detect everything.
#[derive(Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Decode text with this encoding instead of detecting one.
    pub encoding: Option<&'static Encoding>,
    /// Read this sheet of a workbook instead of the first.
    pub sheet: Option<&'a str>,
    /// Whether a header cell names a known field; used to find the header row under banners.
    pub known_header: fn(&str) -> bool,
}

/// How many rows at the top of a grid may be banners above the real header.
const HEADER_SEARCH_ROWS: usize = 10;
/// Files larger than this are refused with a message, rather than exhausting memory.
pub const MAX_FILE_BYTES: u64 = 2 << 30;
/// A single cell larger than this is an error: no export has such cells, and a quote that is never
/// closed produces one.
pub const MAX_CELL_BYTES: usize = 1 << 20;

/// Read one file into a raw table.
pub fn read(path: &Path, options: &ReadOptions<'_>) -> Result<RawTable> {
    if path.is_dir() {
        return Err(Error::file(
            path,
            "this is a folder, not a file",
            format!("pass the files inside it, e.g. `niche score {}/*.csv`", path.display()),
        ));
    }
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(Error::file(
            path,
            format!(
                "the file is {:.1} GiB; niche reads files up to {} GiB",
                size as f64 / (1u64 << 30) as f64,
                MAX_FILE_BYTES >> 30
            ),
            "split it (e.g. by month or by niche) and pass the parts together: `niche score part1.csv part2.csv`",
        ));
    }
    let bytes = read_file(path).map_err(|e| Error::io(path, e))?;
    read_bytes(path, bytes, options)
}

/// The bytes of a file. A large one is read in parts on all threads, each part straight into its
/// place: copying from the page cache and first touching each fresh page of the buffer are
/// spread over the cores instead of falling on one (on a 1 GB export, seconds).
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    read_file_in(path, 8 << 20)
}

/// [`read_file`] in parts of `part` bytes, for files of at least four parts.
fn read_file_in(path: &Path, part: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let size = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
    let mut bytes = Vec::new();
    #[cfg(unix)]
    if size >= 4 * part && crate::par::threads() > 1 {
        use std::io::{Seek, SeekFrom};
        use std::os::unix::fs::FileExt;
        bytes = vec![0u8; size];
        let mut parts: Vec<&mut [u8]> = bytes.chunks_mut(part).collect();
        let shared = &file;
        let read = crate::par::runs_mut(&mut parts, 1, |i, run| {
            run.iter_mut()
                .try_for_each(|p| shared.read_exact_at(p, (i * part) as u64))
        });
        read.into_iter().collect::<std::io::Result<()>>()?;
        // What a file that grew meanwhile holds past its size then, as one reading would find it.
        file.seek(SeekFrom::Start(size as u64))?;
    }
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Read a file's bytes into a raw table; `path` names the file in messages and tells its extension.
pub fn read_bytes(path: &Path, bytes: Vec<u8>, options: &ReadOptions<'_>) -> Result<RawTable> {
    if bytes.is_empty() {
        return Err(Error::file(
            path,
            "the file is empty (0 bytes)",
            "export the data again; an interrupted download leaves an empty file",
        ));
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();

    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return read_workbook(path, bytes, options);
    }
    // A workbook name on a file that is neither zip nor OLE: dashboards often save an HTML table
    // as .xls, which no workbook reader opens; a CSV named .xls is read as the text it is.
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let html = head.trim_start().starts_with('<') || head.contains("<html") || head.contains("<table");
    if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods") && html {
        return Err(Error::file(
            path,
            format!("this .{extension} file is an HTML page saved with a workbook name (many dashboards export tables this way)"),
            "open it in Excel or WPS and save it as .xlsx or CSV, then pass that file",
        ));
    }

    // Binary or not is judged on the bytes, unless a UTF-16 byte order mark says the NULs are text.
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let raw_sample: Vec<u8> = bytes.iter().take(8192).copied().collect();
    let decoded = text::decode(bytes, options.encoding);
    if decoded.text.trim().is_empty() {
        return Err(Error::file(
            path,
            "the file has no text in it (only whitespace)",
            "export the data again; the export may have been cut off",
        ));
    }
    // A few stray NUL bytes in text become U+FFFD and are counted; many mean binary data (or
    // UTF-16 without a byte order mark).
    let probe: &[u8] = if utf16 { decoded.text.as_bytes() } else { &raw_sample };
    let probe = &probe[..probe.len().min(8192)];
    let sample = probe.len();
    let nul = probe.iter().filter(|&&b| b == 0).count();
    let control = probe.iter().filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b)).count();
    let mut decoded = decoded;
    let binary = nul > 8 || nul * 50 > sample || control * 10 > sample;
    let mut nul_bytes = 0;
    if nul > 0 && !binary {
        nul_bytes = decoded.text.bytes().filter(|&b| b == 0).count();
        decoded.text = decoded.text.replace('\0', "\u{FFFD}");
    } else if binary {
        return Err(Error::file(
            path,
            format!(
                "this looks like binary data, not text ({nul} NUL and {control} other control bytes \
                 in its first {sample} bytes)"
            ),
            "pass a CSV, TSV, XLSX or JSON export; if it is text in UTF-16 without a BOM, re-save it as UTF-8",
        ));
    }

    let first = decoded.text.trim_start().chars().next();
    if matches!(first, Some('[') | Some('{')) {
        let rows = json::read(path, &decoded.text)?;
        if rows.rows.is_empty() {
            return Err(Error::file(
                path,
                "the JSON holds no records (an empty array)",
                "export again; a crawler that found nothing writes an empty array",
            ));
        }
        let format = if rows.lines_format { Format::Jsonl } else { Format::Json };
        let headers = rows.headers.iter().map(|h| clean_header(h)).collect();
        return finish_rows(
            RawTable {
                headers,
                replaced_chars: decoded.replaced,
                nul_bytes,
                ..RawTable::new(path, format, decoded.encoding, decoded.source.to_string())
            },
            rows.rows,
        );
    }

    let delimiter = delimited::sniff_delimiter(&decoded.text);
    let format = Format::Delimited {
        delimiter: char::from(delimiter),
    };
    let table = RawTable {
        replaced_chars: decoded.replaced,
        nul_bytes,
        text: Some(decoded.text),
        ..RawTable::new(path, format, decoded.encoding, decoded.source.to_string())
    };
    shape_text(table, delimiter, options.known_header)
}

fn read_workbook(path: &Path, bytes: Vec<u8>, options: &ReadOptions<'_>) -> Result<RawTable> {
    let sheet = workbook::read(path, bytes, options.sheet)?;
    let table = RawTable::new(
        path,
        Format::Workbook { sheet: sheet.name },
        "workbook (Unicode)".to_string(),
        "workbook".to_string(),
    );
    shape_grid(table, sheet.rows, options.known_header)
}

/// Find the header row under any banner rows, then keep the data rows.
fn shape_grid(
    mut table: RawTable,
    records: Vec<(usize, StringRecord)>,
    known_header: fn(&str) -> bool,
) -> Result<RawTable> {
    let candidates: Vec<usize> = records
        .iter()
        .enumerate()
        .filter(|(_, (_, r))| !is_blank(r))
        .map(|(i, _)| i)
        .take(HEADER_SEARCH_ROWS)
        .collect();
    if candidates.is_empty() {
        return Err(Error::file(
            &table.path,
            "the file has no rows with any values",
            "export the data again; the export may have been cut off",
        ));
    }
    let header_index = choose_header(&records, &candidates, known_header);

    let mut records = records.into_iter();
    for (line, record) in records.by_ref().take(header_index) {
        if !is_blank(&record) {
            table.skipped.push(SkippedRow {
                line,
                reason: SkipReason::Banner,
                first_cell: first_cell(&record),
            });
        }
    }
    let Some((header_line, header)) = records.next() else {
        return Err(Error::file(&table.path, "no header row was found", "check the file"));
    };
    table.header_line = header_line;
    table.headers = header.iter().map(clean_header).collect();
    finish_rows(table, records.collect())
}

/// Of the first non-blank records (`candidates`, indices into `records`), the header: the one
/// naming the most known fields, else the first with two or more values.
fn choose_header(records: &[(usize, StringRecord)], candidates: &[usize], known_header: fn(&str) -> bool) -> usize {
    let known = |r: &StringRecord| r.iter().filter(|c| known_header(&clean_header(c))).count();
    let best_known = candidates.iter().map(|&i| known(&records[i].1)).max().unwrap_or(0);
    if best_known > 0 {
        candidates.iter().copied().find(|&i| known(&records[i].1) == best_known)
    } else {
        candidates.iter().copied().find(|&i| non_empty(&records[i].1) >= 2)
    }
    .unwrap_or(candidates[0])
}

/// Read delimited text in one pass without keeping its rows: find the header under any banner
/// rows, count the data rows, note the blank, total and ragged ones, and refuse unclosed quotes
/// and oversized cells. The rows are split again when they are read
/// ([`RawTable::for_each_row`]).
fn shape_text(table: RawTable, delimiter: u8, known_header: fn(&str) -> bool) -> Result<RawTable> {
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
fn shape_text_in_blocks(
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
            "the file has no rows with any values",
            "export the data again; the export may have been cut off",
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

/// Note a data row of delimited text as [`finish_rows`] would keep it; true if it is kept.
fn note_row(table: &mut RawTable, line: usize, record: &impl Cells) -> bool {
    if let Some(reason) = row_skip(record) {
        table.skipped.push(SkippedRow {
            line,
            reason,
            first_cell: if reason == SkipReason::Blank {
                String::new()
            } else {
                first_cell(record)
            },
        });
        return false;
    }
    let width = table.headers.len();
    if record.count() < width {
        table.short_rows.0 += 1;
        table.short_rows.1.get_or_insert(line);
    } else if record.count() > width && record.cells().skip(width).any(|c| !c.trim().is_empty()) {
        table.long_rows.0 += 1;
        table.long_rows.1.get_or_insert(line);
    }
    true
}

/// A record's cells as text: a [`StringRecord`]'s as they are; a [`ByteRecord`]'s decoded one at
/// a time, only as far as a check reads (split from text, its cells are UTF-8 already; decoding
/// the few a check looks at costs less than validating every record whole).
pub(crate) trait Cells {
    fn count(&self) -> usize;
    fn cells(&self) -> impl Iterator<Item = &str> + Clone;
}

impl Cells for StringRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn cells(&self) -> impl Iterator<Item = &str> + Clone {
        self.iter()
    }
}

impl Cells for ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }
    fn cells(&self) -> impl Iterator<Item = &str> + Clone {
        self.iter().map(|c| std::str::from_utf8(c).unwrap_or_default())
    }
}

/// Why a data row is left out, if it is: no values at all, or a "Total" / 合计 row.
pub(crate) fn row_skip(record: &impl Cells) -> Option<SkipReason> {
    if is_blank(record) {
        Some(SkipReason::Blank)
    } else if is_total_row(record) {
        Some(SkipReason::Total)
    } else {
        None
    }
}

/// Pad a short row with empty cells, or cut a long one, to `width` cells.
pub(crate) fn square(record: &mut StringRecord, width: usize) {
    while record.len() < width {
        record.push_field("");
    }
    record.truncate(width);
}

/// Drop blank and total rows, and square ragged rows up to the header's width.
fn finish_rows(mut table: RawTable, records: Vec<(usize, StringRecord)>) -> Result<RawTable> {
    let width = table.headers.len();
    table.rows.reserve(records.len());
    for (line, mut record) in records {
        if !note_row(&mut table, line, &record) {
            continue;
        }
        square(&mut record, width);
        table.rows.push(RawRow { line, cells: record });
    }
    Ok(table)
}

/// Refuse a file whose quotes never close (the last field runs to the end of the file) or that
/// holds a cell over [`MAX_CELL_BYTES`] (`big_cell`: the first one's line, column and size).
fn check_cells(
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

/// Header text as a person reads it: newlines become spaces, runs of space collapse, ends trimmed.
pub fn clean_header(raw: &str) -> String {
    let raw = raw.trim_start_matches('\u{FEFF}');
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_blank(record: &impl Cells) -> bool {
    record.cells().all(|c| c.trim().is_empty())
}

fn non_empty(record: &impl Cells) -> usize {
    record.cells().filter(|c| !c.trim().is_empty()).count()
}

fn first_cell(record: &impl Cells) -> String {
    record
        .cells()
        .map(str::trim)
        .find(|c| !c.is_empty())
        .unwrap_or_default()
        .chars()
        .take(40)
        .collect()
}

const TOTAL_WORDS: [&str; 9] = [
    "total",
    "totals",
    "grand total",
    "sum",
    "合计",
    "总计",
    "汇总",
    "总和",
    "小计",
];

fn is_total_row(record: &impl Cells) -> bool {
    record
        .cells()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .take(1)
        .any(is_total_cell)
}

/// Whether a row's first non-empty cell (trimmed) marks it as a "Total" / 合计 summary row.
pub fn is_total_cell(cell: &str) -> bool {
    // Only a cell that starts as one of the words can be one (no other character lower-cases to
    // their first letters): the usual cell is not lower-cased.
    cell.starts_with(['t', 'T', 'g', 'G', 's', 'S', '合', '总', '汇', '小']) && total_word(cell)
}

/// [`is_total_cell`], by lower-casing the whole cell.
fn total_word(cell: &str) -> bool {
    let c = cell.trim_end_matches([':', '：']).to_lowercase();
    TOTAL_WORDS.contains(&c.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(h: &str) -> bool {
        matches!(h, "笔记标题" | "点赞" | "收藏" | "Views" | "Content")
    }

    fn grid(rows: &[&[&str]]) -> Vec<(usize, StringRecord)> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| (i + 1, StringRecord::from(r.to_vec())))
            .collect()
    }

    fn empty_table() -> RawTable {
        RawTable::new(
            std::path::Path::new("t.xlsx"),
            Format::Workbook { sheet: "Sheet1".into() },
            String::new(),
            String::new(),
        )
    }

    #[test]
    fn banner_rows_above_the_header_are_skipped() {
        let g = grid(&[
            &["最多导出排序后前1000条笔记", "", ""],
            &["笔记标题", "点赞", "收藏"],
            &["a", "1", "2"],
        ]);
        let t = shape_grid(empty_table(), g, known).unwrap();
        assert_eq!(t.header_line, 2);
        assert_eq!(t.headers, ["笔记标题", "点赞", "收藏"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.skipped.len(), 1);
        assert_eq!(t.skipped[0].reason, SkipReason::Banner);
    }

    #[test]
    fn total_rows_and_blank_rows_are_skipped_and_ragged_rows_squared() {
        let g = grid(&[
            &["Content", "Video title", "Views"],
            &["Total", "", "2100"],
            &["abc", "First"],
            &["", "", ""],
            &["def", "Second", "300", "extra"],
        ]);
        let t = shape_grid(empty_table(), g, known).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells.len(), 3);
        assert_eq!(t.short_rows, (1, Some(3)));
        assert_eq!(t.long_rows, (1, Some(5)));
        let reasons: Vec<SkipReason> = t.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(reasons, [SkipReason::Total, SkipReason::Blank]);
    }

    #[test]
    fn a_title_that_says_total_is_not_a_total_row() {
        let g = grid(&[&["Content", "Video title", "Views"], &["x1", "Total war review", "5"]]);
        let t = shape_grid(empty_table(), g, known).unwrap();
        assert_eq!(t.rows.len(), 1);
    }

    /// The rows a delimited table hands out, split again from its text, are the rows (lines and
    /// cells) and faults that keeping every record would have given.
    #[test]
    fn rows_split_again_from_the_text_match_rows_kept() -> Result<()> {
        // Long enough for runs to start after the header (chosen among the first rows).
        let long: String = std::iter::once("banner\r\nid,text,n\r\n".to_string())
            .chain((0..60).map(|i| match i % 6 {
                0 => format!("{i},\"two\r\nlines\",1\r\n"),
                1 => "\r\n".to_string(),
                2 => format!("{i},lone\rcr,2\n"),
                3 => format!("合计,{i},3\n"),
                4 => format!("{i},\"q\"\"q\",4,extra\r\n"),
                _ => format!("{i}\n\n"),
            }))
            .collect();
        let texts = [
            long.as_str(),
            "最多导出前1000条\n\n笔记标题,点赞,收藏\na,1,2\n\n合计,3,4\nb,\"x\ny\",5,extra\nc\n",
            "Content,Views\r\nTotal,9\r\nabc,1\r\n",
            "\n\nViews,Content\n1,\"q\"\"uote\"\n,\n2,z\n",
            "only,one,row\n",
            "a,b\r\n1,\"x\r\ny\"\r\n\r\n2,z\r\n3\r4\r\r\n5,\"\"\"\"\n6,w",
        ];
        let cases = texts.iter().flat_map(|t| {
            [
                (1, 1),
                (2, 3),
                (3, 5),
                (raw_table::RUN_ROWS, 17),
                (raw_table::RUN_ROWS, usize::MAX),
            ]
            .into_iter()
            .map(move |(runs, block)| (t, runs, block))
        });
        for (text, run_rows, block) in cases {
            let table = RawTable {
                text: Some(text.to_string()),
                ..empty_table()
            };
            let lazy = shape_text_in_blocks(table, b',', known, run_rows, |_| block)?;
            let records = delimited::records(text, b',')
                .map_err(|(line, message)| Error::file(Path::new("t.csv"), format!("line {line}: {message}"), ""))?;
            let kept = shape_grid(empty_table(), records, known)?;
            let mut rows = Vec::new();
            lazy.for_each_row(|r| rows.push((r.line, r.cells.iter().map(str::to_string).collect::<Vec<_>>())))?;
            let expected: Vec<_> = kept
                .rows
                .iter()
                .map(|r| (r.line, r.cells.iter().map(str::to_string).collect::<Vec<_>>()))
                .collect();
            assert_eq!(rows, expected, "{text:?} in runs of {run_rows}, blocks of {block}");
            // Each run read on its own gives the same rows.
            let mut by_run = Vec::new();
            for run in 0..lazy.runs() {
                lazy.for_each_row_in_run(run, |r| {
                    by_run.push((r.line, r.cells.iter().map(str::to_string).collect::<Vec<_>>()))
                })?;
            }
            assert_eq!(by_run, expected, "{text:?} in runs of {run_rows}, blocks of {block}");
            if *text == long && run_rows < 4 {
                assert!(lazy.runs() > 10, "{text:?} is read in runs of {run_rows}");
            }
            assert_eq!(lazy.row_count(), expected.len());
            assert!(lazy.rows.is_empty(), "no row is kept");
            assert_eq!((lazy.header_line, &lazy.headers), (kept.header_line, &kept.headers));
            assert_eq!((lazy.short_rows, lazy.long_rows), (kept.short_rows, kept.long_rows));
            let skipped = |t: &RawTable| {
                t.skipped
                    .iter()
                    .map(|s| (s.line, s.reason, s.first_cell.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(skipped(&lazy), skipped(&kept));
        }
        Ok(())
    }

    proptest::proptest! {
        /// The text past the header scanned in blocks cut anywhere — inside quoted cells, between
        /// the two bytes of a CRLF, among blank lines — notes what one scan notes.
        #[test]
        fn blocks_cut_anywhere_scan_as_one(
            soup in "[ab,\"\r\n 合计]{0,160}",
            block in 1usize..24,
        ) {
            let text = format!("h1,h2,h3\n{}{soup}", "1,2,3\n".repeat(10));
            let shape = |block: usize| {
                let table = RawTable {
                    text: Some(text.clone()),
                    ..empty_table()
                };
                let t = shape_text_in_blocks(table, b',', known, 3, |_| block).map_err(|e| e.to_string())?;
                let mut rows = Vec::new();
                t.for_each_row(|r| rows.push((r.line, r.cells.iter().map(str::to_string).collect::<Vec<_>>())))
                    .map_err(|e| e.to_string())?;
                let skipped: Vec<_> = t.skipped.iter().map(|s| (s.line, s.reason, s.first_cell.clone())).collect();
                Ok::<_, String>((rows, skipped, t.short_rows, t.long_rows, t.row_count(), t.header_line))
            };
            proptest::prop_assert_eq!(shape(block), shape(usize::MAX));
        }
    }

    #[test]
    fn files_read_in_parts_are_read_whole() -> std::io::Result<()> {
        let dir = std::env::temp_dir().join(format!("niche-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("f.csv");
        for size in [0usize, 1, 27, 28, 29, 55, 56, 57, 300] {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            std::fs::write(&path, &bytes)?;
            assert_eq!(read_file_in(&path, 7)?, bytes, "{size} bytes");
        }
        std::fs::remove_dir_all(&dir)
    }

    proptest::proptest! {
        /// Looking at the first character first never changes the answer.
        #[test]
        fn total_cells_are_the_lower_cased_words(
            word in proptest::sample::select(TOTAL_WORDS.to_vec()),
            upper in proptest::collection::vec(proptest::bool::ANY, 12),
            colons in "[:：]{0,2}",
            other in "[tTgGsSaA合总汇小计和 :İẞ]{0,6}",
            use_word: bool,
        ) {
            let cased = crate::normalise::value::mixed_case(word, &upper);
            let cell = if use_word { format!("{cased}{colons}") } else { other };
            proptest::prop_assert_eq!(is_total_cell(&cell), total_word(&cell), "{:?}", cell);
        }
    }

    #[test]
    fn headers_lose_newlines_and_outer_space() {
        assert_eq!(clean_header("\nViews (Avg.)"), "Views (Avg.)");
        assert_eq!(clean_header("Engagement average\r\n"), "Engagement average");
        assert_eq!(clean_header(" Name"), "Name");
        assert_eq!(clean_header("\u{FEFF}id"), "id");
    }
}
