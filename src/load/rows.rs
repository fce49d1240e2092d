//! Rows as the loader sees them, whatever the format: finding the header under banner rows,
//! leaving out blank and "Total" / 合计 rows, squaring ragged rows to the header's width, and the
//! shared reading of a record's cells ([`Cells`]).

use csv::{ByteRecord, StringRecord};

use super::raw_table::{RawRow, RawTable, SkipReason, SkippedRow};
use crate::error::{Error, Result};

/// How many rows at the top of a grid may be banners above the real header.
pub(super) const HEADER_SEARCH_ROWS: usize = 10;

/// Find the header row under any banner rows, then keep the data rows.
pub(super) fn shape_grid(
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
pub(super) fn choose_header(
    records: &[(usize, StringRecord)],
    candidates: &[usize],
    known_header: fn(&str) -> bool,
) -> usize {
    let known = |r: &StringRecord| r.iter().filter(|c| known_header(&clean_header(c))).count();
    let best_known = candidates.iter().map(|&i| known(&records[i].1)).max().unwrap_or(0);
    if best_known > 0 {
        candidates.iter().copied().find(|&i| known(&records[i].1) == best_known)
    } else {
        candidates.iter().copied().find(|&i| non_empty(&records[i].1) >= 2)
    }
    .unwrap_or(candidates[0])
}

/// Note a data row of delimited text as [`finish_rows`] would keep it; true if it is kept.
pub(super) fn note_row(table: &mut RawTable, line: usize, record: &impl Cells) -> bool {
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
pub(super) fn finish_rows(mut table: RawTable, records: Vec<(usize, StringRecord)>) -> Result<RawTable> {
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

/// Header text as a person reads it: newlines become spaces, runs of space collapse, ends trimmed.
pub fn clean_header(raw: &str) -> String {
    let raw = raw.trim_start_matches('\u{FEFF}');
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn is_blank(record: &impl Cells) -> bool {
    record.cells().all(|c| c.trim().is_empty())
}

pub(super) fn non_empty(record: &impl Cells) -> usize {
    record.cells().filter(|c| !c.trim().is_empty()).count()
}

pub(super) fn first_cell(record: &impl Cells) -> String {
    record
        .cells()
        .map(str::trim)
        .find(|c| !c.is_empty())
        .unwrap_or_default()
        .chars()
        .take(40)
        .collect()
}

pub(super) const TOTAL_WORDS: [&str; 9] = [
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

pub(super) fn is_total_row(record: &impl Cells) -> bool {
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
pub(super) fn total_word(cell: &str) -> bool {
    let c = cell.trim_end_matches([':', '：']).to_lowercase();
    TOTAL_WORDS.contains(&c.as_str())
}
