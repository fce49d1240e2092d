//! What the fast path reads of a post list ([`Plan`], [`Layout`]): the file's start read by the
//! general loader, its columns mapped, and the checks that send a file the general way.

use std::io::Read;
use std::path::Path;

use crate::load::{self, Format, RawTable, ReadOptions};
use crate::normalise::fields::Field;
use crate::normalise::mapping::{self, Kind, Mapping};
use crate::normalise::{InputReport, Options, Warning};

/// How much of a file's start is read to decide whether the fast path can take it.
pub(super) const PROBE: usize = 256 << 10;

/// A post list the fast path will read: its columns and what the report says about it.
pub(super) struct Plan {
    pub(super) shell: RawTable,
    pub(super) mapping: Mapping,
    pub(super) kind_reason: String,
    pub(super) platform: String,
    pub(super) platform_reason: String,
    pub(super) layout: Layout,
}

impl Plan {
    /// The report the general path would give this file (nothing unreadable, or the fast path
    /// would have declined it), with `removed` rows found to repeat earlier ones (`conflicting`
    /// of them with other values), and its warnings (banner rows above the header, "Total" rows
    /// left out, duplicates).
    pub(super) fn report(
        &self,
        rows: usize,
        missing: [usize; 7],
        totals: &[load::SkippedRow],
        removed: usize,
        conflicting: usize,
    ) -> (InputReport, Vec<Warning>) {
        let path = self.shell.path.display().to_string();
        let mut table = RawTable {
            skipped: self.shell.skipped.clone(),
            ..RawTable::new(
                &self.shell.path,
                self.shell.format.clone(),
                String::new(),
                String::new(),
            )
        };
        table.skipped.extend_from_slice(totals);
        let (skipped, mut warnings) = crate::normalise::skipped_rows(&table, &path);
        warnings.extend(crate::normalise::duplicates_warning(&path, removed, conflicting));
        let report = InputReport {
            path,
            format: self.shell.format.describe(),
            encoding: self.shell.encoding.clone(),
            encoding_source: self.shell.encoding_source.clone(),
            header_line: self.shell.header_line,
            kind: Some(Kind::Posts),
            kind_reason: self.kind_reason.clone(),
            platform: self.platform.clone(),
            platform_reason: self.platform_reason.clone(),
            columns: self.mapping.columns.clone(),
            unmapped: self.mapping.unmapped.clone(),
            rows_read: rows,
            skipped,
            deduplicated: removed,
            deduplicated_conflicting: conflicting,
            rows_used: rows - removed,
            // Without a niche column every row's niche comes from its account; with one, a row
            // without a niche sends the file the general way.
            rows_without_niche: if self.layout.niche.is_some() { 0 } else { rows },
            problems: Vec::new(),
            niche_suggestions: Vec::new(),
            niches_by_keyword: Default::default(),
            missing: MISSING_FIELDS
                .iter()
                .zip(missing)
                .filter(|(_, n)| *n > 0)
                .map(|(f, n)| (f.name().to_string(), n))
                .collect(),
        };
        (report, warnings)
    }
}

/// The fields whose missing cells a block counts, in the order of [`Part::missing`].
pub(super) const MISSING_FIELDS: [Field; 7] = [
    Field::Likes,
    Field::Comments,
    Field::Shares,
    Field::Collects,
    Field::Views,
    Field::PublishedAt,
    Field::Sponsored,
];

/// Where each field is in a row.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    /// The header's line (1-based): the rows start on the next.
    pub(super) header_line: usize,
    pub(super) width: usize,
    pub(super) post: usize,
    pub(super) account: usize,
    pub(super) at: Option<usize>,
    /// likes, comments, shares, collects
    pub(super) parts: [Option<usize>; 4],
    /// The parts' ceilings ([`Field::ceiling`]), in the same order.
    pub(super) part_ceilings: [f64; 4],
    pub(super) views_ceiling: f64,
    pub(super) views: Option<usize>,
    pub(super) sponsored: Option<usize>,
    pub(super) format: Option<usize>,
    pub(super) title: Option<usize>,
    pub(super) niche: Option<usize>,
    pub(super) platform: Option<usize>,
    pub(super) tags: Option<usize>,
    /// Columns no field reads (allowed beside a niche column only: without one, the general path
    /// looks through them for a column that could name the niche). Their cells are still checked
    /// for damaged text, which the general path counts.
    pub(super) unread: Vec<usize>,
}

impl Layout {
    /// Whether rows carry a niche or platform, or cells no field reads.
    pub(super) fn labelled(&self) -> bool {
        self.niche.is_some() || self.platform.is_some() || !self.unread.is_empty()
    }

    /// Whether the column at `index` is one the fast path reads.
    pub(super) fn reads(&self, index: usize) -> bool {
        let fixed = [self.post, self.account];
        let optional = [
            self.at,
            self.views,
            self.sponsored,
            self.format,
            self.title,
            self.niche,
            self.platform,
            self.tags,
        ];
        fixed.contains(&index) || optional.iter().chain(&self.parts).any(|i| *i == Some(index))
    }
}

/// What [`probe`] says of a file that is no post list (an account list, snapshots): nothing the
/// fast path would ever read, so not worth a line.
pub(super) const NOT_POSTS: &str = "not a post list";

/// Decide from a file's header (and its first lines) whether the fast path can read it as a post
/// list; `None` sends the file to the general loader. The file's start is read by the general
/// loader itself, so the fast path starts where it would: the same encoding (UTF-8, with or
/// without a byte order mark), separator, header line and banner rows above it.
pub(super) fn probe(
    path: &Path,
    forced: Option<Kind>,
    options: &Options,
    read: &ReadOptions<'_>,
) -> Result<Plan, &'static str> {
    if forced.is_some_and(|k| k != Kind::Posts) {
        return Err(NOT_POSTS);
    }
    let meta = std::fs::metadata(path).map_err(|_| "the file cannot be read")?;
    // Streamed in blocks (file offsets in 64 bits): no size is too large.
    if !meta.is_file() || meta.len() == 0 {
        return Err("not a file, or an empty one");
    }
    let mut head = Vec::with_capacity(PROBE);
    std::fs::File::open(path)
        .map_err(|_| "the file cannot be read")?
        .take(PROBE as u64)
        .read_to_end(&mut head)
        .map_err(|_| "the file cannot be read")?;
    // The general loader sniffs the separator from the first 50 records and looks for the header
    // among the first 10: the first 60 lines, whole, are what it would look at.
    let lines_end = head
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(60)
        .map_or(head.len(), |(i, _)| i + 1);
    if lines_end == head.len() && (head.len() as u64) < meta.len() {
        return Err("its first 60 lines are longer than the look the fast path takes");
    }
    // Cut inside a quote: some cell holds a line break, which the fast path does not read.
    if head[..lines_end].iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        return Err("a quoted line break in its first lines");
    }
    let shell =
        load::read_bytes(path, head[..lines_end].to_vec(), read).map_err(|_| "its start does not read as a table")?;
    let utf8 = shell.encoding == "UTF-8" || shell.encoding == "UTF-8 with BOM";
    let clean = shell.replaced_chars == 0 && shell.nul_bytes == 0 && shell.short_rows.0 == 0 && shell.long_rows.0 == 0;
    let banners_only = shell.skipped.iter().all(|r| r.reason == load::SkipReason::Banner);
    if shell.format != (Format::Delimited { delimiter: ',' }) {
        return Err("not comma-separated text");
    }
    if !utf8 {
        return Err("not UTF-8");
    }
    if !clean || !banners_only {
        return Err("its first lines hold ragged, blank or \"Total\" rows or damaged text");
    }
    // The lines up to the header are skipped as lines: none may hold a quote (which could hold a
    // line break).
    let header_end = head
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(shell.header_line.saturating_sub(1))
        .map(|(i, _)| i)
        .ok_or("no line break after the header")?;
    if head[..header_end].contains(&b'"') {
        return Err("a quote in the header or a banner line");
    }
    let mapping = mapping::map_columns(&shell, &options.overrides).map_err(|_| "its columns cannot be mapped")?;
    if !(mapping.unmapped.is_empty() || mapping.has(Field::Niche)) {
        return Err("a column no field reads, and no niche column (the general path looks for one among them)");
    }
    if mapping.columns.iter().any(|m| !m.also.is_empty()) {
        return Err("a field named by two columns");
    }
    let kind_reason = match forced {
        Some(_) => "declared with --posts".to_string(),
        None => match mapping::detect_kind(&mapping) {
            Some((Kind::Posts, why)) => why,
            _ => return Err(NOT_POSTS),
        },
    };
    let at = |f| mapping.get(f).map(|m| m.index);
    let layout = Layout {
        header_line: shell.header_line,
        width: shell.headers.len(),
        post: at(Field::PostId).ok_or("no post id column")?,
        account: at(Field::AccountId).ok_or("no account id column")?,
        at: at(Field::PublishedAt),
        parts: [
            at(Field::Likes),
            at(Field::Comments),
            at(Field::Shares),
            at(Field::Collects),
        ],
        part_ceilings: [Field::Likes, Field::Comments, Field::Shares, Field::Collects].map(ceiling),
        views_ceiling: ceiling(Field::Views),
        views: at(Field::Views),
        sponsored: at(Field::Sponsored),
        format: at(Field::Format),
        title: at(Field::Title),
        niche: at(Field::Niche),
        platform: at(Field::Platform),
        tags: at(Field::Tags),
        unread: (0..shell.headers.len())
            .filter(|&i| !mapping.columns.iter().any(|m| m.index == i))
            .collect(),
    };
    // Every column must be one the layout reads: any other field is the general path's.
    if mapping.columns.iter().any(|m| !layout.reads(m.index)) {
        return Err("a field the fast path does not read (a price, an account-level figure …)");
    }
    let (platform, platform_reason) = crate::normalise::file_platform(&shell, &mapping, options);
    Ok(Plan {
        shell,
        mapping,
        kind_reason,
        platform,
        platform_reason,
        layout,
    })
}

/// The general path's ceiling ([`Field::ceiling`]) of a count the fast path reads.
pub(super) fn ceiling(field: Field) -> f64 {
    field.ceiling().unwrap_or(f64::MAX)
}
