//! Which column holds which field, and what kind of file this is.
//!
//! Every header is matched against the alias table ([`super::fields`]); `--map` and
//! `--niche-column` override it. When several columns could hold one field (a file with
//! `followers,followers`, or `category` beside `channel_type`), the choice is made by, in order:
//! a column with readable values beats an empty one; one with at least 90% as many readable values
//! as the fullest beats a sparser one; for numbers, values mostly written without unit rounding
//! (`409800000`) beat rounded ones (`409.8M`); then the better alias; more readable values; the
//! leftmost column.

use serde::{Deserialize, Serialize};

use super::date::{parse_date, ParsedDate};
use super::fields::{self, Field, ValueKind};
use super::value::{parse_flag, parse_number, Flag, Parsed};
use crate::error::Result;
use crate::lang::{say, Lang};
use crate::load::{RawRow, RawTable};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One row per competitor account.
    Accounts,
    /// One row per post (note, video, tweet).
    Posts,
    /// Follower counts of accounts over time.
    Snapshots,
    /// A search or topic index over time (keyword, date, value), read apart from the tables by
    /// [`super::signals::read`].
    Signals,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Accounts => "account list",
            Kind::Posts => "post list",
            Kind::Snapshots => "follower snapshots",
            Kind::Signals => "demand signals",
        }
    }
}

/// One field's column.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mapped {
    pub field: Field,
    pub index: usize,
    pub column: String,
    /// "alias", "--map", "--niche-column".
    #[serde(deserialize_with = "crate::statics::one")]
    pub by: crate::statics::Label,
    /// Other columns that also looked like this field and were not used.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub also: Vec<Alternative>,
}

/// A column that could have held a field but was not chosen.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Alternative {
    pub index: usize,
    pub column: String,
}

#[derive(Debug, Clone)]
pub struct Mapping {
    pub columns: Vec<Mapped>,
    /// Header names that no field uses.
    pub unmapped: Vec<String>,
}

impl Mapping {
    pub fn get(&self, field: Field) -> Option<&Mapped> {
        self.columns.iter().find(|m| m.field == field)
    }

    pub fn has(&self, field: Field) -> bool {
        self.get(field).is_some()
    }
}

/// A user override: this field is in the column with this header.
#[derive(Debug, Clone)]
pub struct Override {
    pub field: Field,
    pub column: String,
    pub by: &'static str,
}

/// Find a header by the name a user typed: exact, then ignoring case and spacing.
pub fn find_header(headers: &[String], wanted: &str) -> Option<usize> {
    let wanted_trim = wanted.trim();
    headers
        .iter()
        .position(|h| h == wanted_trim)
        .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(wanted_trim)))
        .or_else(|| {
            let key = fields::squash(wanted_trim);
            (!key.is_empty())
                .then(|| headers.iter().position(|h| fields::squash(h) == key))
                .flatten()
        })
}

struct Candidate {
    index: usize,
    rank: usize,
    usable: usize,
    plain: usize,
    by: &'static str,
}

/// Map a raw table's columns to fields.
pub fn map_columns(table: &RawTable, overrides: &[Override]) -> Result<Mapping> {
    let mut candidates: Vec<(Field, Vec<Candidate>)> = Vec::new();
    let mut forced_columns = Vec::new();
    for o in overrides {
        if let Some(index) = find_header(&table.headers, &o.column) {
            forced_columns.push(index);
            let entry = candidates.iter_mut().find(|(f, _)| *f == o.field);
            let cand = Candidate {
                index,
                rank: 0,
                usable: usize::MAX,
                plain: 0,
                by: o.by,
            };
            match entry {
                Some((_, list)) => list.insert(0, cand),
                None => candidates.push((o.field, vec![cand])),
            }
        }
    }
    for (index, header) in table.headers.iter().enumerate() {
        if forced_columns.contains(&index) {
            continue;
        }
        let Some((field, rank)) = fields::field_for(header) else {
            continue;
        };
        // Quality is measured below, only where there is a choice to make.
        let cand = Candidate {
            index,
            rank,
            usable: 1,
            plain: 0,
            by: "alias",
        };
        match candidates.iter_mut().find(|(f, _)| *f == field) {
            Some((_, list)) => list.push(cand),
            None => candidates.push((field, vec![cand])),
        }
    }

    // Quality is measured only where there is a choice to make, all columns in one pass.
    let measured: Vec<(usize, Field)> = candidates
        .iter()
        .filter(|(_, list)| list.len() > 1)
        .flat_map(|(field, list)| list.iter().filter(|c| c.by == "alias").map(|c| (c.index, *field)))
        .collect();
    let mut qualities = quality(table, &measured)?.into_iter();
    let mut columns = Vec::new();
    let mut used = Vec::new();
    for (_, list) in candidates.iter_mut().filter(|(_, list)| list.len() > 1) {
        for c in list.iter_mut().filter(|c| c.by == "alias") {
            (c.usable, c.plain) = qualities.next().unwrap_or_default();
        }
    }
    for (field, mut list) in candidates {
        let most = list
            .iter()
            .filter(|c| c.by == "alias")
            .map(|c| c.usable)
            .max()
            .unwrap_or(0);
        let numeric = matches!(field.kind(), ValueKind::Count | ValueKind::Money);
        list.sort_by_key(|c| {
            let forced = c.by != "alias";
            // For numbers, a column as complete as the best but written without unit rounding
            // (409800000 rather than 409.8M) wins before the alias order is consulted.
            // (Saturating: a column forced by --map counts as usable::MAX.)
            let much_sparser = c.usable.saturating_mul(10) < most.saturating_mul(9);
            let mostly_rounded = numeric && c.plain * 2 < c.usable;
            (
                !forced,
                c.usable == 0,
                much_sparser,
                mostly_rounded,
                c.rank,
                usize::MAX - c.usable,
                c.index,
            )
        });
        let Some(best) = list.first() else { continue };
        used.extend(list.iter().map(|c| c.index));
        columns.push(Mapped {
            field,
            index: best.index,
            column: table.headers[best.index].clone(),
            by: best.by,
            also: list
                .iter()
                .skip(1)
                .map(|c| Alternative {
                    index: c.index,
                    column: table.headers[c.index].clone(),
                })
                .collect(),
        });
    }
    columns.sort_by_key(|m| m.field);
    let unmapped = table
        .headers
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, h)| h.clone())
        .collect();
    Ok(Mapping { columns, unmapped })
}

/// For each (column, field): (values readable as the field's kind, values written plainly). For
/// text, the number of distinct values; an identity column holding one value throughout (a
/// crawler's `uid` of `0` on every row) identifies nothing and counts as empty. Distinct text is
/// counted by 64-bit hashes of the values, so that a pass over millions of rows keeps no strings
/// (two different values sharing a hash would count once; at ten million values the chance of
/// that happening at all is about one in 400,000).
fn quality(table: &RawTable, columns: &[(usize, Field)]) -> Result<Vec<(usize, usize)>> {
    use std::hash::BuildHasher;
    let mut out = vec![(0, 0); columns.len()];
    if columns.is_empty() {
        return Ok(out);
    }
    let hasher = foldhash::fast::FixedState::with_seed(0x0071_7561_6c69);
    let mut distinct: Vec<foldhash::HashSet<u64>> = columns.iter().map(|_| Default::default()).collect();
    table.for_each_row(|row| {
        for (k, &(index, field)) in columns.iter().enumerate() {
            let cell = row.cells.get(index).unwrap_or_default();
            let (usable, plain) = &mut out[k];
            match field.kind() {
                ValueKind::Text => {
                    let cell = cell.trim();
                    if !super::value::is_missing(cell) {
                        distinct[k].insert(hasher.hash_one(cell));
                    }
                }
                ValueKind::Count | ValueKind::Money => {
                    if let Parsed::Number(n) = parse_number(cell) {
                        *usable += 1;
                        *plain += usize::from(n.plain);
                    }
                }
                ValueKind::Date => *usable += usize::from(matches!(parse_date(cell), ParsedDate::At(_))),
                ValueKind::Flag => *usable += usize::from(matches!(parse_flag(cell), Flag::Yes | Flag::No)),
            }
        }
    })?;
    for (k, &(_, field)) in columns.iter().enumerate() {
        if field.kind() == ValueKind::Text {
            let identity = matches!(field, Field::AccountId | Field::AccountName | Field::PostId);
            let n = distinct[k].len();
            out[k] = if identity && n == 1 && table.row_count() > 1 {
                (0, 0)
            } else {
                (n, 0)
            };
        }
    }
    Ok(out)
}

/// The count columns that write thousands with `.`: a whole-count column
/// ([`Field::is_whole_count`]) where some value is digits in groups of three joined by dots
/// (`891.298`) and no value has another decimal part (`1234.5`, `3407.0`) — a count is a whole
/// number, so there `891.298` is 891,298 (read so, and noted); and, in a file with such a column,
/// an average column whose dotted values are all of that form too (the file writes thousands so).
/// A column that also holds other decimals is read as written (and a whole count with a decimal
/// part is warned). One pass over the rows, looking only at cells with a dot, where the first run
/// of rows has a count in that form at all.
pub fn dot_thousands(table: &RawTable, mapping: &Mapping) -> Result<Vec<Field>> {
    let columns: Vec<(usize, Field)> = mapping
        .columns
        .iter()
        .filter(|m| m.field.kind() == ValueKind::Count)
        .map(|m| (m.index, m.field))
        .collect();
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    // Most files write no count in groups of three with dots: where the first run of rows has
    // none, the pass is skipped (such a count further down is then read as written and warned as
    // a count with a decimal part, never taken silently).
    let mut grouped_seen = false;
    table.for_each_row_in_run(0, |row| {
        grouped_seen |= columns.iter().any(|&(index, _)| {
            let cell = row.cells.get(index).unwrap_or_default();
            cell.as_bytes().contains(&b'.') && super::value::grouped_thousands(cell).is_some()
        });
    })?;
    if !grouped_seen {
        return Ok(Vec::new());
    }
    // Per column: (grouped, other decimals).
    let mut seen = vec![(0usize, 0usize); columns.len()];
    table.for_each_row(|row| {
        for (k, &(index, _)) in columns.iter().enumerate() {
            let cell = row.cells.get(index).unwrap_or_default();
            if !cell.as_bytes().contains(&b'.') {
                continue;
            }
            if super::value::grouped_thousands(cell).is_some() {
                seen[k].0 += 1;
            } else if let Parsed::Number(n) = parse_number(cell) {
                // `1.2万` and `3.4k` are decimals of a unit, not of the count.
                if n.plain {
                    seen[k].1 += 1;
                }
            }
        }
    })?;
    let grouped = |k: usize| seen[k].0 > 0 && seen[k].1 == 0;
    let file_does = (0..columns.len()).any(|k| columns[k].1.is_whole_count() && grouped(k));
    Ok((0..columns.len())
        .filter(|&k| grouped(k) && (columns[k].1.is_whole_count() || file_does))
        .map(|k| columns[k].1)
        .collect())
}

/// Decide what kind of file this is, and say why.
pub fn detect_kind(mapping: &Mapping) -> Option<(Kind, String)> {
    let has = |f| mapping.has(f);
    let per_post_counts: Vec<&str> = [
        Field::Likes,
        Field::Comments,
        Field::Shares,
        Field::Collects,
        Field::Views,
    ]
    .into_iter()
    .filter(|&f| has(f))
    .map(|f| mapping.get(f).map_or("", |m| m.column.as_str()))
    .collect();
    let identity = has(Field::AccountId) || has(Field::AccountName);
    if let Some(id) = mapping.get(Field::PostId) {
        let column = &id.column;
        return Some((
            Kind::Posts,
            say(
                format!("it has a post id column ({column:?})"),
                format!("它有帖子 ID 列（{column:?}）"),
            ),
        ));
    }
    if let Some(published) = mapping.get(Field::PublishedAt) {
        if !per_post_counts.is_empty() || has(Field::Title) {
            return Some((Kind::Posts, {
                let (column, counts) = (&published.column, per_post_counts.join(", "));
                match (per_post_counts.is_empty(), crate::lang::current()) {
                    (true, Lang::En) => format!("it has a publish time ({column:?}) with per-post titles"),
                    (false, Lang::En) => {
                        format!("it has a publish time ({column:?}) with per-post counts ({counts})")
                    }
                    (true, Lang::Zh) => format!("它有发布时间（{column:?}）和每条帖子的标题"),
                    (false, Lang::Zh) => format!("它有发布时间（{column:?}）和每条帖子的计数（{counts}）"),
                }
            }));
        }
    }
    if let (Some(date), Some(followers)) = (mapping.get(Field::Date), mapping.get(Field::Followers)) {
        if identity && per_post_counts.is_empty() {
            return Some((
                Kind::Snapshots,
                say(
                    format!(
                        "it has an account, a date ({:?}) and followers ({:?}) and no per-post counts",
                        date.column, followers.column
                    ),
                    format!(
                        "它有账号、日期（{:?}）和粉丝数（{:?}），没有每条帖子的计数",
                        date.column, followers.column
                    ),
                ),
            ));
        }
    }
    if let Some(followers) = mapping.get(Field::Followers) {
        return Some((
            Kind::Accounts,
            say(
                format!("it has follower counts ({:?}) and no post id", followers.column),
                format!("它有粉丝数（{:?}），没有帖子 ID", followers.column),
            ),
        ));
    }
    let account_level = [
        Field::PostsCount,
        Field::AvgViews,
        Field::AvgLikes,
        Field::AvgComments,
        Field::AvgEngagement,
    ]
    .into_iter()
    .find_map(|f| mapping.get(f));
    if let (true, Some(m)) = (identity, account_level) {
        return Some((
            Kind::Accounts,
            say(
                format!("it has per-account figures ({:?})", m.column),
                format!("它有按账号的数据（{:?}）", m.column),
            ),
        ));
    }
    if let Some(date) = mapping.get(Field::Date) {
        if !per_post_counts.is_empty() {
            return Some((
                Kind::Posts,
                say(
                    format!(
                        "it has a date ({:?}) with per-post counts ({})",
                        date.column,
                        per_post_counts.join(", ")
                    ),
                    format!(
                        "它有日期（{:?}）和每条帖子的计数（{}）",
                        date.column,
                        per_post_counts.join(", ")
                    ),
                ),
            ));
        }
    }
    if identity && !per_post_counts.is_empty() {
        return Some((
            Kind::Posts,
            say(
                format!("it has accounts with per-post counts ({})", per_post_counts.join(", ")),
                format!("它有账号和每条帖子的计数（{}）", per_post_counts.join(", ")),
            ),
        ));
    }
    None
}

/// Columns that look like they could name a niche: text that repeats (few distinct values).
/// Counted over runs of rows ([`NicheSuggestions::add`]), beside their reading, and put together
/// in the rows' order ([`NicheSuggestions::absorb`]).
pub struct NicheSuggestions {
    columns: Vec<usize>,
    /// Per column: distinct values (up to [`NicheSuggestions::MOST`] + 1), filled cells, numeric
    /// cells.
    seen: Vec<(foldhash::HashSet<String>, usize, usize)>,
}

impl NicheSuggestions {
    /// More distinct values than this and a column is no niche column; stop collecting them.
    const MOST: usize = 60;

    /// Counts for every column not mapped to a field other than the niche.
    pub fn new(table: &RawTable, mapping: &Mapping) -> NicheSuggestions {
        let columns: Vec<usize> = (0..table.headers.len())
            .filter(|&index| {
                !mapping
                    .columns
                    .iter()
                    .any(|m| m.index == index && m.field != Field::Niche)
            })
            .collect();
        let seen = columns.iter().map(|_| Default::default()).collect();
        NicheSuggestions { columns, seen }
    }

    pub fn add(&mut self, row: &RawRow) {
        for (&index, (distinct, filled, numeric)) in self.columns.iter().zip(self.seen.iter_mut()) {
            let cell = row.cells.get(index).unwrap_or_default().trim();
            if super::value::is_missing(cell) {
                continue;
            }
            *filled += 1;
            if matches!(parse_number(cell), Parsed::Number(_)) {
                *numeric += 1;
            }
            if distinct.len() <= Self::MOST && !distinct.contains(cell) {
                distinct.insert(cell.to_string());
            }
        }
    }

    /// Add the counts of later rows. Distinct values are joined up to `MOST` + 1 again: a column
    /// over `MOST` in either part is over it in the whole, and when neither part stopped
    /// collecting, the join is exact, so the verdict is the one a single pass gives.
    pub fn absorb(&mut self, later: NicheSuggestions) {
        for (mine, theirs) in self.seen.iter_mut().zip(later.seen) {
            mine.1 += theirs.1;
            mine.2 += theirs.2;
            for value in theirs.0 {
                if mine.0.len() > Self::MOST {
                    break;
                }
                mine.0.insert(value);
            }
        }
    }

    /// Headers of columns that sort accounts by something other than their subject (a grade, a
    /// rank, where they are, what language): categorical, but never a niche. Compared squashed
    /// (lower case, no spaces, `_` or `-`), as a part of the header.
    const NOT_SUBJECTS: [&'static str; 22] = [
        "grade", "rank", "rating", "tier", "level", "country", "region", "city", "province", "state", "language",
        "gender", "verified", "status", "国家", "地区", "城市", "省份", "等级", "排名", "性别", "语言",
    ];

    /// The suggested columns' headers, given the table the rows came from.
    pub fn finish(self, table: &RawTable) -> Vec<String> {
        let rows = table.row_count();
        if rows < 2 {
            return Vec::new();
        }
        let about_subject = |index: usize| {
            let h: String = table.headers[index]
                .to_lowercase()
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
                .collect();
            !Self::NOT_SUBJECTS.iter().any(|w| h.contains(w))
        };
        self.columns
            .iter()
            .zip(self.seen)
            .filter(|(&index, _)| about_subject(index))
            .filter(|(_, (distinct, filled, numeric))| {
                filled * 2 >= rows
                    && numeric * 2 < *filled
                    && distinct.len() >= 2
                    && distinct.len() <= Self::MOST
                    && distinct.len() < *filled
            })
            .map(|(&index, _)| table.headers[index].clone())
            .collect()
    }
}
