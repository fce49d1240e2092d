//! Which rows of a table are data: a blank row, a "Total" / 合计 summary row (and why a row is
//! left out, [`SkipReason`]), a ragged row squared to the header's width; and the shared reading
//! of a record's cells ([`Cells`]). Below both the table ([`super::raw_table`]) and the shaping of
//! its rows ([`super::rows`]), which use them.

use csv::{ByteRecord, StringRecord};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A title or note above the header row.
    Banner,
    /// A "Total" / 合计 summary row.
    Total,
    /// A row with no values at all.
    Blank,
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

pub(crate) fn is_blank(record: &impl Cells) -> bool {
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
