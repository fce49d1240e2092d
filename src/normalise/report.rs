//! What normalising found in each input: shown by `niche inspect` and repeated in every output.

use serde::{Deserialize, Serialize};

use super::fields::Field;
use super::mapping::{Kind, Mapped};

/// One input file, as recognised.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputReport {
    pub path: String,
    pub format: String,
    pub encoding: String,
    pub encoding_source: String,
    pub header_line: usize,
    /// `None` when the columns say nothing recognisable.
    pub kind: Option<Kind>,
    pub kind_reason: String,
    pub platform: String,
    pub platform_reason: String,
    pub columns: Vec<Mapped>,
    pub unmapped: Vec<String>,
    /// Data rows read (after banner, total and blank rows were left out).
    pub rows_read: usize,
    /// Rows left out before reading: banner rows, total rows, blank rows.
    pub skipped: Skipped,
    /// Rows removed because an earlier row had the same platform id (and niche).
    pub deduplicated: usize,
    /// Of those, rows whose values differed from the row that was kept.
    pub deduplicated_conflicting: usize,
    /// Rows kept, after deduplication.
    pub rows_used: usize,
    /// Rows with no niche value (left out of the niche table).
    pub rows_without_niche: usize,
    /// Values that could not be read, per column.
    pub problems: Vec<ColumnProblem>,
    /// Columns that might name the niche, when none was found.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub niche_suggestions: Vec<String>,
    /// Per number, date or flag field: cells that were blank or a missing-value marker (`-`, `--`,
    /// `N/A` …), read as missing, never as zero.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty", default)]
    pub missing: std::collections::BTreeMap<String, usize>,
    /// Posts (in a post list; accounts in an account list) filed under each niche named by
    /// keywords (`--niche NAME=KW`), where any were given.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty", default)]
    pub niches_by_keyword: std::collections::BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Skipped {
    pub banner: usize,
    pub total: usize,
    pub blank: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Values in one column that could not be used.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ColumnProblem {
    pub field: Field,
    pub column: String,
    /// Cells whose text is not a value of the field's kind.
    pub unreadable: usize,
    /// Counts below zero, which no count can be.
    pub negative: usize,
    /// Dates before 2000 or after 2099: read, but not believed.
    pub implausible: usize,
    /// Lower bounds such as `10万+`: kept as the bound and flagged.
    pub censored: usize,
    /// Cells read successfully.
    pub read: usize,
    /// The first few unreadable cells.
    pub examples: Vec<Example>,
    /// Counts written with `.` between groups of three digits (`891.298`), read as thousands, and
    /// the first (line, cell).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub regrouped: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_regrouped: Option<(usize, String)>,
    /// Counts with a decimal part (`3.5` likes), read as written but suspect, and the first.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fractional: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_fractional: Option<(usize, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Example {
    pub line: usize,
    pub value: String,
    /// Read, but implausible (a date outside 2000–2099, a count above its field's ceiling),
    /// rather than unreadable.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub implausible: bool,
}

/// A message about the inputs that did not stop the run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Warning {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{p}:{l}: {}", self.message),
            (Some(p), None) => write!(f, "{p}: {}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}
