//! Reading the mapped cells of each row into a record for the builder: numbers with their units,
//! dates, flags, the row's platform and format; and counting, per column, what could not be read
//! (with examples and the first line of each fault), so that a run of rows read on its own thread
//! can be added to the runs before it ([`RowReader::absorb`]).

use super::fields::{self, Field, ValueKind};
use super::mapping::{Kind, Mapping};
use super::report::{ColumnProblem, Example};
use super::value::Reading;
use super::{date, records, value};
use crate::error::{DataFault, Error, Location, Result};
use crate::lang::say;
use crate::load::{RawRow, RawTable};

/// How many unreadable examples to keep per column.
pub(super) const EXAMPLES: usize = 3;

/// Reads cells of mapped columns, keeping count of what could not be read.
pub(super) struct RowReader<'a> {
    pub(super) table: &'a RawTable,
    pub(super) mapping: &'a Mapping,
    /// Each field's column, by [`Field::index`] (looked up a dozen times a row).
    columns: [Option<usize>; Field::ALL.len()],
    /// What was read of each field, by [`Field::index`].
    problems: [ProblemCounter; Field::ALL.len()],
    pub(super) rows_without_niche: usize,
    pub(super) first_without_niche: Option<usize>,
    pub(super) rows_used: usize,
    /// Format names as written and their canonical names ([`fields::canonical_format`]): a file
    /// has a handful, and working one out costs an allocation or two a row.
    formats: Vec<(String, String)>,
    /// The last row's platform cell and the platform it named.
    last_platform: Option<(Option<String>, String)>,
    /// Per field: its column writes thousands with `.` (`891.298`).
    dot_thousands: [bool; Field::ALL.len()],
    /// Niches named by keywords (`--niche`), and how many posts each took.
    keyword_niches: &'a [super::keywords::KeywordNiche],
    keyword_hits: Vec<u64>,
}

#[derive(Default)]
struct ProblemCounter {
    /// Cells blank or a missing-value marker (`-`, `--`, `N/A` …): missing, not zero.
    missing: usize,
    unreadable: usize,
    negative: usize,
    implausible: usize,
    censored: usize,
    read: usize,
    examples: Vec<Example>,
    first_fault: Option<(usize, usize)>,
    /// Counts written with `.` between groups of three digits, read as thousands, and counts with
    /// a decimal part, read as written; each with its first (line, cell).
    regrouped: usize,
    first_regrouped: Option<(usize, String)>,
    fractional: usize,
    first_fractional: Option<(usize, String)>,
}

impl<'a> RowReader<'a> {
    pub(super) fn new(table: &'a RawTable, mapping: &'a Mapping) -> Self {
        RowReader {
            table,
            mapping,
            columns: Field::ALL.map(|f| mapping.get(f).map(|m| m.index)),
            problems: Default::default(),
            rows_without_niche: 0,
            first_without_niche: None,
            rows_used: 0,
            formats: Vec::new(),
            last_platform: None,
            dot_thousands: [false; Field::ALL.len()],
            keyword_niches: &[],
            keyword_hits: Vec::new(),
        }
    }

    /// Posts whose row names no niche are filed under the `niches` whose keywords they hold.
    pub(super) fn with_keyword_niches(mut self, niches: &'a [super::keywords::KeywordNiche]) -> Self {
        self.keyword_niches = niches;
        self.keyword_hits = vec![0; niches.len()];
        self
    }

    /// Posts filed under each niche named by keywords, by name (empty where none were given).
    pub(super) fn keyword_hits(&self) -> std::collections::BTreeMap<String, u64> {
        self.keyword_niches
            .iter()
            .zip(&self.keyword_hits)
            .map(|(n, &hits)| (n.name.clone(), hits))
            .collect()
    }

    /// The count columns whose `.` is a thousands separator ([`super::mapping::dot_thousands`]).
    pub(super) fn with_dot_thousands(mut self, fields: &[Field]) -> Self {
        for f in fields {
            self.dot_thousands[f.index()] = true;
        }
        self
    }

    /// [`fields::canonical_format`], remembered for the first 64 names a file writes: where the
    /// name is in `formats`, or the name itself past those.
    fn format_name(&mut self, raw: &str) -> std::result::Result<usize, String> {
        if let Some(i) = self.formats.iter().position(|(r, _)| r == raw) {
            return Ok(i);
        }
        let name = fields::canonical_format(raw);
        if self.formats.len() < 64 {
            self.formats.push((raw.to_string(), name));
            return Ok(self.formats.len() - 1);
        }
        Err(name)
    }

    fn cell<'r>(&self, row: &'r RawRow, field: Field) -> Option<&'r str> {
        self.columns[field.index()].and_then(|i| row.cells.get(i))
    }

    /// A text cell, trimmed; `None` when it is a missing-value marker.
    fn text<'r>(&self, row: &'r RawRow, field: Field) -> Option<&'r str> {
        let cell = value::tidy(self.cell(row, field)?);
        (!value::is_missing(cell)).then_some(cell)
    }

    fn fault(&mut self, field: Field, row: &RawRow, cell: &str, negative: bool) {
        let index = self.columns[field.index()].unwrap_or(0);
        let p = &mut self.problems[field.index()];
        if negative {
            p.negative += 1;
        } else {
            p.unreadable += 1;
        }
        p.first_fault.get_or_insert((row.line, index));
        if p.examples.len() < EXAMPLES {
            p.examples.push(Example {
                line: row.line,
                value: cell.chars().take(80).collect(),
                implausible: false,
            });
        }
    }

    /// A value that was read but cannot be real (a date outside 2000–2099, a count above its
    /// field's [`Field::ceiling`]): counted with an example, treated as missing.
    fn implausible(&mut self, field: Field, row: &RawRow, cell: &str) {
        let p = &mut self.problems[field.index()];
        p.implausible += 1;
        if p.examples.len() < EXAMPLES {
            p.examples.push(Example {
                line: row.line,
                value: cell.chars().take(80).collect(),
                implausible: true,
            });
        }
    }

    /// A count or an amount: non-negative, finite, no percent or star units.
    fn number(&mut self, row: &RawRow, field: Field) -> (Option<f64>, bool) {
        let Some(cell) = self.cell(row, field) else {
            return (None, false);
        };
        if self.dot_thousands[field.index()] {
            if let Some(value) = value::grouped_thousands(cell).filter(|v| field.ceiling().is_none_or(|max| *v <= max))
            {
                let p = &mut self.problems[field.index()];
                p.read += 1;
                p.regrouped += 1;
                p.first_regrouped
                    .get_or_insert_with(|| (row.line, cell.chars().take(80).collect()));
                return (Some(value), false);
            }
        }
        match value::read_amount(cell, field.ceiling()) {
            Reading::Read((value, censored)) => {
                let p = &mut self.problems[field.index()];
                p.read += 1;
                if censored {
                    p.censored += 1;
                }
                if field.is_whole_count() && value.fract() != 0.0 {
                    p.fractional += 1;
                    p.first_fractional
                        .get_or_insert_with(|| (row.line, cell.chars().take(80).collect()));
                }
                (Some(value), censored)
            }
            other => {
                self.count_fault(field, row, cell, other);
                (None, false)
            }
        }
    }

    fn date(&mut self, row: &RawRow, field: Field) -> Option<i64> {
        let cell = self.cell(row, field)?;
        match date::read_date(cell) {
            Reading::Read(t) => {
                self.problems[field.index()].read += 1;
                Some(t)
            }
            other => {
                self.count_fault(field, row, cell, other);
                None
            }
        }
    }

    fn flag(&mut self, row: &RawRow, field: Field) -> Option<bool> {
        let cell = self.cell(row, field)?;
        match value::read_flag(cell) {
            Reading::Read(yes) => Some(yes),
            other => {
                self.count_fault(field, row, cell, other);
                None
            }
        }
    }

    /// Count a cell that gave no value under its kind of fault (a missing one is no fault).
    fn count_fault<T>(&mut self, field: Field, row: &RawRow, cell: &str, reading: Reading<T>) {
        match reading {
            Reading::Missing => self.problems[field.index()].missing += 1,
            Reading::Read(_) => {}
            Reading::Implausible => self.implausible(field, row, cell),
            Reading::Negative => self.fault(field, row, cell, true),
            Reading::Unreadable => self.fault(field, row, cell, false),
        }
    }

    /// The platform a row names (or the file's), kept as `last_platform` and returned.
    fn platform(&mut self, row: &RawRow, file_platform: &str) -> &str {
        // Rows name a handful of platforms, mostly the one the row before named.
        let raw = self.cell(row, Field::Platform);
        if !matches!(&self.last_platform, Some((before, _)) if raw == before.as_deref()) {
            let name = self
                .text(row, Field::Platform)
                .and_then(fields::platform_name)
                .unwrap_or_else(|| {
                    if file_platform == "(per row)" {
                        "unknown".to_string()
                    } else {
                        file_platform.to_string()
                    }
                });
            self.last_platform = Some((raw.map(str::to_string), name));
        }
        self.last_platform.as_ref().map_or("", |(_, name)| name.as_str())
    }

    /// A post's niches: its row's; else those named by keywords its title or tags hold (the
    /// first, and the others to file copies under).
    fn post_niches<'r>(&mut self, row: &'r RawRow) -> (Option<&'r str>, Vec<&'r str>)
    where
        'a: 'r,
    {
        let (title, tags) = (self.text(row, Field::Title), self.text(row, Field::Tags));
        self.niches_by_keyword(row, title, tags, usize::MAX)
    }

    /// An account's niche: its row's; else the first of those named by keywords its bio (else
    /// its description, read as a title) or tags hold. (An account row is one niche's.)
    fn account_niche<'r>(&mut self, row: &'r RawRow) -> Option<&'r str>
    where
        'a: 'r,
    {
        let about = self.text(row, Field::Bio).or_else(|| self.text(row, Field::Title));
        let tags = self.text(row, Field::Tags);
        self.niches_by_keyword(row, about, tags, 1).0
    }

    /// The row's niche, else the first `most` niches (in the order given) named by keywords
    /// `title` or `tags` hold, each counted.
    fn niches_by_keyword<'r>(
        &mut self,
        row: &'r RawRow,
        title: Option<&str>,
        tags: Option<&str>,
        most: usize,
    ) -> (Option<&'r str>, Vec<&'r str>)
    where
        'a: 'r,
    {
        let given = self.text(row, Field::Niche);
        if given.is_some() || self.keyword_niches.is_empty() {
            return (self.count_without_niche(given, row), Vec::new());
        }
        let niches: &'a [super::keywords::KeywordNiche] = self.keyword_niches;
        let texts = super::keywords::texts(title, tags);
        let mut named = Vec::new();
        for (k, n) in niches.iter().enumerate() {
            if named.len() == most {
                break;
            }
            if n.matches(&texts) {
                self.keyword_hits[k] += 1;
                named.push(n.name.as_str());
            }
        }
        if named.is_empty() {
            return (self.count_without_niche(None, row), Vec::new());
        }
        let first = named.remove(0);
        (Some(first), named)
    }

    fn count_without_niche<'r>(&mut self, niche: Option<&'r str>, row: &RawRow) -> Option<&'r str> {
        if niche.is_none() {
            self.rows_without_niche += 1;
            self.first_without_niche.get_or_insert(row.line);
        }
        niche
    }

    /// Add the counts of a reader that read later rows of the same file (examples and first
    /// lines stay those of the earlier rows, as one reader over all rows would keep them).
    pub(super) fn absorb(&mut self, later: RowReader<'_>) {
        for (mine, p) in self.problems.iter_mut().zip(later.problems) {
            mine.missing += p.missing;
            mine.unreadable += p.unreadable;
            mine.negative += p.negative;
            mine.implausible += p.implausible;
            mine.censored += p.censored;
            mine.read += p.read;
            mine.regrouped += p.regrouped;
            mine.fractional += p.fractional;
            if mine.first_regrouped.is_none() {
                mine.first_regrouped = p.first_regrouped;
            }
            if mine.first_fractional.is_none() {
                mine.first_fractional = p.first_fractional;
            }
            let room = EXAMPLES.saturating_sub(mine.examples.len());
            mine.examples.extend(p.examples.into_iter().take(room));
            if mine.first_fault.is_none() {
                mine.first_fault = p.first_fault;
            }
        }
        self.rows_without_niche += later.rows_without_niche;
        if self.first_without_niche.is_none() {
            self.first_without_niche = later.first_without_niche;
        }
        self.rows_used += later.rows_used;
        for (mine, theirs) in self.keyword_hits.iter_mut().zip(later.keyword_hits) {
            *mine += theirs;
        }
    }

    /// The record a row makes, if it makes one. A post's text is borrowed from the row and from
    /// this reader's names for platforms and formats.
    pub(super) fn read<'s>(
        &'s mut self,
        row: &'s RawRow,
        kind: Kind,
        file_platform: &str,
    ) -> Option<records::Record<'s>> {
        self.rows_used += 1;
        let account_id = self.text(row, Field::AccountId);
        let account_name = self.text(row, Field::AccountName);
        let account = account_id.or(account_name);
        match kind {
            Kind::Accounts => {
                let platform = self.platform(row, file_platform).to_string();
                let niche = self.account_niche(row).map(str::to_string);
                let (followers, followers_censored) = self.number(row, Field::Followers);
                let record = records::AccountRow {
                    platform,
                    account: account.map_or_else(|| format!("(unnamed, line {})", row.line), str::to_string),
                    name: account_name.map(str::to_string),
                    niche,
                    followers,
                    followers_censored,
                    posts_count: self.number(row, Field::PostsCount).0,
                    views_total: self.number(row, Field::Views).0,
                    avg_views: self.number(row, Field::AvgViews).0,
                    avg_likes: self.number(row, Field::AvgLikes).0,
                    avg_comments: self.number(row, Field::AvgComments).0,
                    avg_engagement: None,
                    price: self.number(row, Field::Price).0,
                    earnings_low: self.number(row, Field::EarningsLow).0,
                    earnings_high: self.number(row, Field::EarningsHigh).0,
                    followers_gained_30d: self.number(row, Field::FollowersGained30d).0,
                };
                let mut record = record;
                let given = self.number(row, Field::AvgEngagement).0;
                record.avg_engagement = if self.mapping.has(Field::AvgEngagement) {
                    given
                } else {
                    account_engagement_of(self.mapping, record.avg_likes, record.avg_comments)
                };
                Some(records::Record::Account(record))
            }
            Kind::Posts => {
                let (niche, also_in) = self.post_niches(row);
                let mut censored = false;
                let mut count = |reader: &mut Self, field| {
                    let (v, c) = reader.number(row, field);
                    censored |= c;
                    v
                };
                let likes = count(self, Field::Likes);
                let comments = count(self, Field::Comments);
                let shares = count(self, Field::Shares);
                let collects = count(self, Field::Collects);
                let views = count(self, Field::Views);
                let published_at = if self.mapping.has(Field::PublishedAt) {
                    self.date(row, Field::PublishedAt)
                } else {
                    self.date(row, Field::Date)
                };
                let parts = [Field::Likes, Field::Comments, Field::Shares, Field::Collects]
                    .into_iter()
                    .zip([likes, comments, shares, collects])
                    .map(|(field, part)| self.mapping.has(field).then_some(part));
                let engagement = engagement_of(parts);
                let post = match self.text(row, Field::PostId) {
                    Some(id) => std::borrow::Cow::Borrowed(id),
                    None => std::borrow::Cow::Owned(row_fingerprint(row)),
                };
                let sponsored = self.flag(row, Field::Sponsored);
                let price = self.number(row, Field::Price).0;
                let format = self.text(row, Field::Format).map(|f| self.format_name(f));
                self.platform(row, file_platform);
                // Nothing more is noted: the names are lent to the record from here on.
                let this: &'s Self = self;
                let record = records::PostRow {
                    post,
                    platform: this.last_platform.as_ref().map_or("", |(_, name)| name.as_str()),
                    account,
                    account_name: account_name.filter(|_| account_id.is_some()),
                    niche,
                    also_in,
                    published_at,
                    likes,
                    comments,
                    shares,
                    collects,
                    views,
                    engagement,
                    censored,
                    sponsored,
                    price,
                    title: this.text(row, Field::Title),
                    format: format.map(|f| match f {
                        Ok(i) => std::borrow::Cow::Borrowed(this.formats[i].1.as_str()),
                        Err(name) => std::borrow::Cow::Owned(name),
                    }),
                    tags: this.text(row, Field::Tags),
                };
                Some(records::Record::Post(record))
            }
            Kind::Snapshots => {
                let platform = self.platform(row, file_platform).to_string();
                let date = self
                    .date(row, Field::Date)
                    .or_else(|| self.date(row, Field::PublishedAt));
                let (followers, _) = self.number(row, Field::Followers);
                let (account, date, followers) = (account?, date?, followers?);
                Some(records::Record::Snapshot(records::SnapshotRow {
                    platform,
                    account: account.to_string(),
                    date,
                    followers,
                }))
            }
            Kind::Signals => None,
        }
    }

    /// Per number, date or flag field with a column: its cells that were blank or a
    /// missing-value marker, where any were.
    pub(super) fn missing(&self) -> std::collections::BTreeMap<String, usize> {
        Field::ALL
            .iter()
            .zip(&self.problems)
            .filter(|(_, p)| p.missing > 0)
            .map(|(field, p)| (field.name().to_string(), p.missing))
            .collect()
    }

    pub(super) fn problems(&self) -> Vec<ColumnProblem> {
        Field::ALL
            .iter()
            .zip(&self.problems)
            .filter(|(_, p)| p.unreadable + p.negative + p.censored + p.implausible + p.regrouped + p.fractional > 0)
            .map(|(field, p)| ColumnProblem {
                field: *field,
                column: self.mapping.get(*field).map(|m| m.column.clone()).unwrap_or_default(),
                unreadable: p.unreadable,
                negative: p.negative,
                implausible: p.implausible,
                censored: p.censored,
                read: p.read,
                examples: p.examples.clone(),
                regrouped: p.regrouped,
                first_regrouped: p.first_regrouped.clone(),
                fractional: p.fractional,
                first_fractional: p.first_fractional.clone(),
            })
            .collect()
    }

    /// A number or date column in which nothing at all could be read was almost surely mapped
    /// wrongly (or is not what its header says): stop and point at the first cell.
    pub(super) fn fail_on_unreadable_columns(&self) -> Result<()> {
        for (field, p) in Field::ALL.iter().zip(&self.problems) {
            if p.read > 0 || p.unreadable == 0 || field.kind() == ValueKind::Flag {
                continue;
            }
            let Some((line, index)) = p.first_fault else {
                continue;
            };
            let column = self.mapping.get(*field).map(|m| m.column.clone()).unwrap_or_default();
            let value = p.examples.first().map(|e| e.value.clone()).unwrap_or_default();
            let col = self.table.cell_column(line, index).map(|(c, _)| c);
            let expected = match field.kind() {
                ValueKind::Date => say(
                    "a date such as 2026-06-25, 2026年06月25日, 1756802858 or Dec 14, 2025",
                    "日期，例如 2026-06-25、2026年06月25日、1756802858 或 Dec 14, 2025",
                ),
                ValueKind::Money => say(
                    "an amount such as 5000, ¥5,000 or 1.2万",
                    "金额，例如 5000、¥5,000 或 1.2万",
                ),
                _ => say(
                    "a count such as 1234, 1.2万, 3.4k or 10万+",
                    "计数，例如 1234、1.2万、3.4k 或 10万+",
                ),
            };
            let cell_name = match self.table.format {
                crate::load::Format::Workbook { .. } => {
                    let cell = format!("{}{line}", crate::load::column_letters(index));
                    say(format!(" (cell {cell})"), format!("（单元格 {cell}）"))
                }
                _ => String::new(),
            };
            let name = field.name();
            return Err(Error::Data(Box::new(DataFault {
                location: Location {
                    path: self.table.path.clone(),
                    line,
                    column: col,
                    column_name: Some(column.clone()),
                    snippet: self.table.line_text(line).map(|l| l.chars().take(240).collect()),
                    span: crate::text::display_width(&value).max(1),
                },
                value: Some(value),
                message: say(
                    format!(
                        "no value in column {column:?}{cell_name} could be read as {name} ({} unreadable)",
                        p.unreadable
                    ),
                    format!(
                        "列 {column:?}{cell_name} 中没有一个值能读作 {name}（{} 个无法读取）",
                        p.unreadable
                    ),
                ),
                expected: Some(expected),
                hint: say(
                    format!(
                        "if another column holds {name}, pass --map {name}=COLUMN; if this column is not {name}, rename its header"
                    ),
                    format!("如果 {name} 在另一列，请用 --map {name}=列名；如果这一列不是 {name}，请改掉它的表头"),
                ),
            })));
        }
        Ok(())
    }
}

/// Engagement of one post: the sum of the interaction counts (likes, comments, shares, collects)
/// that its file reports. A file without a column contributes nothing for it; a post whose file has
/// the column but whose cell is missing has unknown engagement (None), not a smaller one.
/// `parts` holds, for each of the four counts, `None` where the file has no such column and the
/// cell's reading where it has. (The fast path reads engagement by this rule too.)
pub(super) fn engagement_of(parts: impl IntoIterator<Item = Option<Option<f64>>>) -> Option<f64> {
    let mut total = 0.0;
    let mut any = false;
    for part in parts.into_iter().flatten() {
        total += part?;
        any = true;
    }
    any.then_some(total)
}

/// Average engagement per post of an account list row without an engagement column: average
/// likes plus average comments, where the file reports them.
fn account_engagement_of(mapping: &Mapping, avg_likes: Option<f64>, avg_comments: Option<f64>) -> Option<f64> {
    let mut total = 0.0;
    let mut any = false;
    for (field, part) in [(Field::AvgLikes, avg_likes), (Field::AvgComments, avg_comments)] {
        if mapping.has(field) {
            total += part?;
            any = true;
        }
    }
    any.then_some(total)
}

/// A stand-in post id for files without one: the row's cells, so identical rows are duplicates.
fn row_fingerprint(row: &RawRow) -> String {
    let mut s = String::from("row:");
    for c in row.cells.iter() {
        s.push_str(c.trim());
        s.push('\u{1f}');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::mapping;

    /// A workbook-like table of these rows (lines from 2).
    fn table(headers: &[&str], rows: &[Vec<String>]) -> RawTable {
        let mut t = RawTable::new(
            std::path::Path::new("t.xlsx"),
            crate::load::Format::Json,
            "UTF-8".to_string(),
            "valid UTF-8".to_string(),
        );
        t.headers = headers.iter().map(|h| h.to_string()).collect();
        t.rows = rows
            .iter()
            .enumerate()
            .map(|(i, r)| crate::load::RawRow {
                line: i + 2,
                cells: csv::StringRecord::from(r.clone()),
            })
            .collect();
        t
    }

    /// Rows read in runs, each by its own reader and put together in order, give the counts,
    /// examples and first lines that one reader over all the rows gives; so do the niche
    /// suggestions counted beside them.
    #[test]
    fn counts_of_runs_put_together_are_the_counts_of_one_pass() -> Result<()> {
        let headers = ["post_id", "account", "niche", "likes", "published_at", "zone", "label"];
        let rows: Vec<Vec<String>> = (0..120)
            .map(|i| {
                let likes = match i % 9 {
                    0 => "lots".to_string(),
                    4 => "-3".to_string(),
                    5 => "10万+".to_string(),
                    _ => i.to_string(),
                };
                let date = if i % 11 == 0 { "1990-01-01" } else { "2026-03-04" };
                let niche = if i % 7 == 0 {
                    String::new()
                } else {
                    "美妆".to_string()
                };
                // `label` has 70 distinct values in all but at most 60 in any run of 40 rows.
                vec![
                    format!("p{i}"),
                    format!("a{}", i % 5),
                    niche,
                    likes,
                    date.to_string(),
                    ["north", "south"][i % 2].to_string(),
                    format!("l{}", i % 70),
                ]
            })
            .collect();
        let t = table(&headers, &rows);
        let mapping = mapping::map_columns(&t, &[])?;
        let read = |rows: &[crate::load::RawRow]| {
            let mut reader = RowReader::new(&t, &mapping);
            let mut suggestions = mapping::NicheSuggestions::new(&t, &mapping);
            let records = rows
                .iter()
                .filter(|row| {
                    suggestions.add(row);
                    reader.read(row, Kind::Posts, "douyin").is_some()
                })
                .count();
            (reader, suggestions, records)
        };
        let (whole, whole_suggestions, whole_records) = read(&t.rows);
        let outcome = |r: &RowReader<'_>| {
            let problems = serde_json::to_string(&r.problems()).unwrap_or_default();
            let first_faults: Vec<_> = r.problems.iter().map(|p| p.first_fault).collect();
            (
                problems,
                first_faults,
                r.rows_without_niche,
                r.first_without_niche,
                r.rows_used,
            )
        };
        assert!(whole.problems().iter().any(|p| p.examples.len() == EXAMPLES));
        for run in [1, 2, 7, 40, 119] {
            let mut parts = t.rows.chunks(run).map(read);
            let Some((mut reader, mut suggestions, mut records)) = parts.next() else {
                panic!("no rows");
            };
            for (r, s, n) in parts {
                reader.absorb(r);
                suggestions.absorb(s);
                records += n;
            }
            assert_eq!(outcome(&reader), outcome(&whole), "runs of {run}");
            assert_eq!(records, whole_records, "runs of {run}");
            assert_eq!(suggestions.finish(&t), vec!["zone".to_string()], "runs of {run}");
        }
        assert_eq!(whole_suggestions.finish(&t), vec!["zone".to_string()]);
        Ok(())
    }
}
