//! Rows as the loader sees them, whatever the format: finding the header under banner rows,
//! leaving out blank and "Total" / 合计 rows, squaring ragged rows to the header's width, and the
//! shared reading of a record's cells ([`Cells`]).

use csv::StringRecord;

use super::raw_table::{RawRow, RawTable, SkippedRow};
use super::row_kinds::{first_cell, is_blank, non_empty, row_skip, square, Cells, SkipReason};
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
            crate::lang::say("the file has no rows with any values", "文件里没有任何有值的行"),
            crate::lang::say(
                "export the data again; the export may have been cut off",
                "重新导出数据；导出可能被截断了",
            ),
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
        return Err(Error::file(
            &table.path,
            crate::lang::say("no header row was found", "找不到表头行"),
            crate::lang::say("check the file", "检查这个文件"),
        ));
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
