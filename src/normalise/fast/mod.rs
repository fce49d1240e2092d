//! The fast path: comma-separated UTF-8 post lists whose columns it reads (post id, account,
//! time, the counts, sponsored, format, title, tags, niche, platform; others only beside a niche
//! column) are streamed in blocks, split and typed by two threads, and gathered per account
//! straight into a [`PostSet`]: no `String` per cell, no row structs, no posts frame, and memory
//! that grows with the posts kept, not with the file.
//!
//! It is a specialisation of the general path, not a second reader: the file's start (encoding,
//! separator, header line, banner rows) is read by the general loader itself; every cell it
//! types is read by the general path's rule for that kind of cell (`value::read_amount`,
//! `date::read_date`, `value::read_flag`; plain digits, ISO dates and true/false are read inline
//! first, as those rules read them), missing markers by `value::is_missing`, platforms by
//! `fields::platform_name`, tags by `title::split_tags`, title traits by `title::traits_of`,
//! "Total" rows by `load::is_total_cell`, and the join to the account
//! list is the general path's own (`tables::JoinPost`). It takes what those rules read to a value
//! or to missing, and declines the whole run — which the general path then reads, with the
//! answers for the rest — at anything the general path would count, warn about or resolve: a
//! lower bound (`10万+`), an unreadable, negative or implausible value, a row without a niche, a
//! ragged or blank row, mojibake in any cell, a quote holding a line break, prices, or a column
//! beside no niche column (where the general path looks for one that could be). Duplicate rows
//! and posts under two niches it settles itself, by the general path's rules (`repeats.rs`).
//! Account lists and snapshots always go through the general loader (they are small).
//! `NICHE_FAST=0` turns the fast path off, which is how the tests and the benchmark check that
//! both paths give the same report.
//!
//! Why one file (beside `repeats.rs`, which works on what it leaves): the block reader, the row
//! splitter and the gathering per account share the file layout and the block type and are only
//! correct together.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};

use super::fields::Field;
use super::join::JoinPost;
use super::key_index::KeyIndex;
use super::mapping::{self, Kind, Mapping};
use super::posts::{Key, Post, PostSet, Times, UnitPosts};
use super::row_reader::engagement_of;
use super::store::PostGroup;
use super::tables::{Builder, Tables};
use super::{read_one, value, Input, InputReport, Options, Warning};
use crate::load::delimited::{is_stop, quoted_span, Stops};
use crate::load::{self, Format, RawTable, ReadOptions};

mod repeats;

/// Bytes handed to a worker at a time.
const BLOCK: usize = 8 << 20;

/// [`BLOCK`], or the size `NICHE_FAST_BLOCK` gives (at least 1 KB): the tests read small files in
/// many blocks with it, so that rows across blocks are read as they are in large files.
fn block_size() -> usize {
    std::env::var("NICHE_FAST_BLOCK")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(BLOCK, |n| n.max(1 << 10))
}

/// How much of a file's start is read to decide whether the fast path can take it.
const PROBE: usize = 256 << 10;

/// Whether the fast path may be tried at all (`NICHE_FAST=0` turns it off).
pub fn enabled() -> bool {
    std::env::var_os("NICHE_FAST").is_none_or(|v| v != "0")
}

/// Read every input with the fast path, or `None` when some input needs the general path. Errors
/// are never reported from here: the general path reads the inputs again and reports them.
pub fn try_read(paths: &[(PathBuf, Option<Kind>)], options: &Options, read: &ReadOptions<'_>) -> Option<Tables> {
    if !enabled()
        || !options.overrides.is_empty()
        || !options.niches.is_empty()
        || read.encoding.is_some()
        || read.sheet.is_some()
    {
        return None;
    }
    let plans: Vec<Option<Plan>> = paths
        .iter()
        .map(|(p, forced)| match probe(p, *forced, options, read) {
            Ok(plan) => Some(plan),
            Err(why) => {
                if crate::timing::enabled() && why != NOT_POSTS {
                    crate::output::note(&format!("fast path: {} goes the general way: {why}", p.display()));
                }
                None
            }
        })
        .collect();
    if plans.iter().all(Option::is_none) {
        return None;
    }
    let declined = |why: &str| -> Option<Tables> {
        if crate::timing::enabled() {
            crate::output::note(&format!("fast path declined: {why}; reading the general way"));
        }
        None
    };
    // The other inputs (account lists, snapshots: small) are read the general way on a thread of
    // their own while the post lists are parsed, and the reports are put back in the inputs' order.
    let mut builder = Builder::default();
    let mut groups: Vec<Group> = Vec::new();
    let mut set = PostSet::default();
    // Should one of them fail or turn out to be a post list, the post lists' reading stops early:
    // the general path will read everything again.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (fast_files, general_files) = std::thread::scope(|s| {
        let (builder, plans, stop) = (&mut builder, &plans, &stop);
        let side = s.spawn(move || {
            let read_files = crate::progress::quietly(|| {
                let mut read_files = Vec::new();
                for ((path, forced), plan) in paths.iter().zip(plans) {
                    if plan.is_some() {
                        continue;
                    }
                    let t = crate::timing::Timer::start("  other, general");
                    let table = load::read(path, read).ok()?;
                    let input = Input { table, forced: *forced };
                    let (report, warnings) = read_one(&input, options, builder).ok()?;
                    t.done();
                    let posts = report.kind == Some(Kind::Posts);
                    read_files.push((path, report, warnings));
                    if posts {
                        break;
                    }
                }
                Some(read_files)
            });
            let general_way = read_files
                .as_ref()
                .is_none_or(|files| files.iter().any(|(_, report, _)| report.kind == Some(Kind::Posts)));
            if general_way {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            read_files
        });
        let mut fast_files = Vec::new();
        for ((path, _), plan) in paths.iter().zip(plans) {
            let Some(plan) = plan else { continue };
            crate::progress::reading(path);
            let t = crate::timing::Timer::start("  posts, fast");
            let mut merger = Merger::new(&plan.platform, plan.layout.header_line, groups.len());
            let read = read_posts(path, &plan.layout, stop, |part| merger.add(part, &mut groups, &mut set));
            t.done();
            let failed = read.is_err();
            fast_files.push(
                read.map(|()| merger)
                    .map_err(|why| format!("{}: {why}", path.display())),
            );
            if failed {
                break;
            }
        }
        let general = side.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (fast_files, general)
    });
    let general_files = general_files?;
    let mut fast_files = fast_files.into_iter();
    let mut general_files = general_files.into_iter();
    /// An input as read: the general way (its report and warnings), or by the fast path (whose
    /// report waits for its repeats to be counted).
    enum Read<'p> {
        General(Box<InputReport>, Vec<Warning>),
        Fast(&'p Plan, Box<Merger<'p>>),
    }
    let mut read = Vec::new();
    for plan in &plans {
        match plan {
            Some(plan) => match fast_files.next()? {
                Ok(mut merger) => {
                    merger.settle(&mut groups);
                    read.push(Read::Fast(plan, Box::new(merger)));
                }
                Err(why) => return declined(&why),
            },
            None => {
                let (path, report, file_warnings) = general_files.next()?;
                if report.kind == Some(Kind::Posts) {
                    return declined(&format!("{} is a post list in another layout", path.display()));
                }
                read.push(Read::General(Box::new(report), file_warnings));
            }
        }
    }
    // Posts whose ids repeat, by the general path's rules (the blocks' places let go after).
    let t = crate::timing::Timer::start("  repeated posts");
    let mut files: Vec<repeats::File<'_, '_>> = read
        .iter_mut()
        .filter_map(|r| match r {
            Read::Fast(plan, merger) => Some(repeats::File {
                path: &plan.shell.path,
                layout: &plan.layout,
                merger,
            }),
            Read::General(..) => None,
        })
        .collect();
    let resolved = repeats::resolve(&mut files, &mut groups, &set.formats);
    for file in files {
        file.merger.places = Vec::new();
    }
    let resolved = match resolved {
        Ok(resolved) => resolved,
        Err(why) => return declined(&why),
    };
    t.done();
    let mut reports = Vec::new();
    let mut warnings = Vec::new();
    let mut mergers = Vec::new();
    let mut counts = resolved.per_file.iter();
    for r in read {
        match r {
            Read::General(report, file_warnings) => {
                reports.push(*report);
                warnings.extend(file_warnings);
            }
            Read::Fast(plan, merger) => {
                let (removed, conflicting) = counts.next().copied().unwrap_or_default();
                let (report, file_warnings) =
                    plan.report(merger.rows, merger.missing, &merger.totals, removed, conflicting);
                reports.push(report);
                warnings.extend(file_warnings);
                mergers.push(merger);
            }
        }
    }
    // The posts are laid out once the files are known to be the fast path's (and the post ids'
    // hashes are let go, which keeps them from adding to the peak).
    let t = crate::timing::Timer::start("  posts laid out");
    for merger in mergers {
        merger.finish(&mut groups);
    }
    t.done();
    let t = crate::timing::Timer::start("  join");
    let multi_niche = |groups: &[Group]| resolved.multi_niche(groups);
    let tables = builder.finish_grouped(reports, warnings, &mut groups, multi_niche, |groups| {
        set.rows = groups.iter().map(|g| g.key.rows).sum();
        // Sorted by key (stably: an account's parts stay in file order; see `key_order`), joined,
        // and built into the map in one go rather than looked up one group at a time. The keys
        // are moved out of the groups, which are not read again.
        // (A group whose every row repeated another's holds no posts: it makes no unit.)
        let with_niche: Vec<usize> = (0..groups.len())
            .filter(|&i| groups[i].key.niche.is_some() && groups[i].key.rows > 0)
            .collect();
        let keys: Vec<(&str, &str, Option<&str>)> = with_niche
            .iter()
            .map(|&i| {
                let g = &groups[i].key;
                (
                    g.niche.as_deref().unwrap_or_default(),
                    g.platform.as_str(),
                    g.account.as_deref(),
                )
            })
            .collect();
        let order = super::posts::key_order(&keys);
        drop(keys);
        let mut units: Vec<(Key, (bool, UnitPosts))> = Vec::with_capacity(order.len());
        for (k, same) in order {
            let g = &mut groups[with_niche[k as usize]];
            let posts = std::mem::take(&mut g.posts);
            match units.last_mut() {
                Some((_, (_, unit))) if same => unit.append(posts),
                _ => {
                    let Some(niche) = g.key.niche.take() else { continue };
                    let key: Key = (niche, std::mem::take(&mut g.key.platform), g.key.account.take());
                    units.push((key, (false, posts)));
                }
            }
        }
        set.units = units;
        set
    });
    t.done();
    tables.ok()
}

/// A post list the fast path will read: its columns and what the report says about it.
struct Plan {
    shell: RawTable,
    mapping: Mapping,
    kind_reason: String,
    platform: String,
    platform_reason: String,
    layout: Layout,
}

impl Plan {
    /// The report the general path would give this file (nothing unreadable, or the fast path
    /// would have declined it), with `removed` rows found to repeat earlier ones (`conflicting`
    /// of them with other values), and its warnings (banner rows above the header, "Total" rows
    /// left out, duplicates).
    fn report(
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
        let (skipped, mut warnings) = super::skipped_rows(&table, &path);
        warnings.extend(super::duplicates_warning(&path, removed, conflicting));
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
const MISSING_FIELDS: [Field; 7] = [
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
struct Layout {
    /// The header's line (1-based): the rows start on the next.
    header_line: usize,
    width: usize,
    post: usize,
    account: usize,
    at: Option<usize>,
    /// likes, comments, shares, collects
    parts: [Option<usize>; 4],
    /// The parts' ceilings ([`Field::ceiling`]), in the same order.
    part_ceilings: [f64; 4],
    views_ceiling: f64,
    views: Option<usize>,
    sponsored: Option<usize>,
    format: Option<usize>,
    title: Option<usize>,
    niche: Option<usize>,
    platform: Option<usize>,
    tags: Option<usize>,
    /// Columns no field reads (allowed beside a niche column only: without one, the general path
    /// looks through them for a column that could name the niche). Their cells are still checked
    /// for damaged text, which the general path counts.
    unread: Vec<usize>,
}

impl Layout {
    /// Whether rows carry a niche or platform, or cells no field reads.
    fn labelled(&self) -> bool {
        self.niche.is_some() || self.platform.is_some() || !self.unread.is_empty()
    }

    /// Whether the column at `index` is one the fast path reads.
    fn reads(&self, index: usize) -> bool {
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
const NOT_POSTS: &str = "not a post list";

/// Decide from a file's header (and its first lines) whether the fast path can read it as a post
/// list; `None` sends the file to the general loader. The file's start is read by the general
/// loader itself, so the fast path starts where it would: the same encoding (UTF-8, with or
/// without a byte order mark), separator, header line and banner rows above it.
fn probe(path: &Path, forced: Option<Kind>, options: &Options, read: &ReadOptions<'_>) -> Result<Plan, &'static str> {
    if forced.is_some_and(|k| k != Kind::Posts) {
        return Err(NOT_POSTS);
    }
    let meta = std::fs::metadata(path).map_err(|_| "the file cannot be read")?;
    if !meta.is_file() || meta.len() == 0 || meta.len() > load::MAX_FILE_BYTES {
        return Err("not a file of a size the loader reads");
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
    let (platform, platform_reason) = super::file_platform(&shell, &mapping, options);
    Ok(Plan {
        shell,
        mapping,
        kind_reason,
        platform,
        platform_reason,
        layout,
    })
}

/// The posts of one account in one file, on their way to the join.
struct Group {
    key: PostGroup,
    posts: UnitPosts,
}

impl JoinPost for Group {
    fn group(&self) -> &PostGroup {
        &self.key
    }
    fn group_mut(&mut self) -> &mut PostGroup {
        &mut self.key
    }
}

/// What one block of rows holds, with no allocation per account: rows in crawl order hold tens
/// of thousands of accounts a block, one or two posts each.
#[derive(Default)]
struct Part {
    rows: usize,
    /// Cells blank or a missing-value marker, per field of [`MISSING_FIELDS`].
    missing: [usize; 7],
    /// The block's accounts' names in the order they first appear (and below, each one's
    /// publication times).
    names: Names,
    /// Each account's niche and platform (numbers in `labels`, or `NO_LABEL` where the file has
    /// no such column): an account under two niches is two groups.
    group_labels: Vec<(u32, u32)>,
    /// The niche and platform names the block's rows give.
    labels: Vec<String>,
    /// Each group's hash (of account, niche and platform), for the merger's index.
    name_hashes: Vec<u64>,
    times: Vec<Times>,
    /// The posts in file order, and side by side with them each one's account (the block's
    /// number) and format (the block's id, or `NO_FORMAT`): kept apart, as the merger keeps the
    /// posts and their accounts until the file is read, and a post with its numbers would take
    /// 32 bytes where these take 28.
    posts: Vec<Post>,
    post_accounts: Vec<u32>,
    post_formats: Vec<u32>,
    /// (the post's place in `posts`, its tags) for the posts with tags.
    post_tags: Vec<(u32, Tags)>,
    /// "Total" rows left out: (the row's place among the block's lines, its first cell).
    totals: Vec<(u32, String)>,
    /// Format names by the block's own ids.
    formats: Vec<String>,
    /// Where the posts are in the file and their ids' hashes (for finding repeats).
    places: Places,
}

/// Where a block's posts are in the file, and their ids hashed: what [`repeats`] needs to find
/// posts whose ids repeat and read their rows again.
#[derive(Default)]
struct Places {
    /// The file offset of the block's first byte.
    start: u64,
    /// Each post's row, as an offset from the block's start.
    rows: Vec<u32>,
    /// Each post's id, hashed ([`id_hash`]).
    hashes: Vec<u32>,
}

/// The hash of a post id that repeats are looked for by: 32 bits, as ids that share one are
/// told apart when their rows are read again (at 10 million posts, some 12,000 pairs of
/// different ids share a hash, a few milliseconds of reading; a 64-bit hash would cost 4 bytes
/// more a post while the file is read).
fn id_hash(post: &str) -> u32 {
    use std::hash::BuildHasher;
    (foldhash::fast::FixedState::with_seed(0x6661_7374).hash_one(post) >> 32) as u32
}

/// A post found to repeat an earlier one, in a block's list of groups: skipped when the posts are
/// laid out.
const REMOVED: u32 = u32::MAX;

/// A post without a format, in [`Part::posts`].
const NO_FORMAT: u32 = u32::MAX;

/// A block's posts on their way to their groups: each one's group, the posts, and the tags of
/// those with tags (by place in the block).
type Block = (Vec<u32>, Vec<Post>, Vec<(u32, Tags)>);

/// A post's tags, split as the general path splits them ([`super::title::split_tags`]).
type Tags = std::sync::Arc<[String]>;

/// No niche or platform column, in [`Part::group_labels`].
const NO_LABEL: u32 = u32::MAX;

impl Part {
    /// A niche or platform name of the block's group `j`'s (`None`: no such column).
    fn label(&self, id: u32) -> Option<&str> {
        self.labels.get(id as usize).map(String::as_str)
    }

    /// The name of the block's account `j`.
    fn name(&self, j: usize) -> &str {
        self.names.get(j)
    }
}

/// Account names end to end in one string, one allocation for all of them (a block's accounts,
/// a file's).
#[derive(Default)]
struct Names {
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<usize>,
}

impl Names {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn push(&mut self, name: &str) {
        self.text.push_str(name);
        self.ends.push(self.text.len());
    }

    /// Name `i`.
    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..self.ends[i]).unwrap_or_default()
    }
}

/// A worker's buffers, reused from block to block: the index of the block's accounts, and names
/// seen in the block.
#[derive(Default)]
struct Flat {
    accounts: KeyIndex,
    /// Niche names, and platform cells as written, to their number in the block's labels.
    niches: foldhash::HashMap<String, u32>,
    platforms: foldhash::HashMap<String, u32>,
    /// Tag cells as written, split.
    tags: foldhash::HashMap<String, Tags>,
}

/// Adds one file's blocks to the groups (one per account per file, in order of first
/// appearance), block by block in file order. The posts themselves are laid out once, when the
/// file is read ([`Merger::finish`]): in crawl order a block holds most of the accounts with a
/// post or two each, and growing 100k lists a post at a time cost more than the parse.
///
/// While the blocks come in, the file's accounts are looked up and counted in tables of their
/// own, kept small and side by side ([`Merger::names`], [`Merger::keys`], [`Merger::stats`]):
/// in crawl order every block visits most accounts, and visiting each account's group (a struct
/// of its own, its name elsewhere on the heap) per block and per post took a sixth of the run's
/// processor time, on a third thread beside the two that parse. [`Merger::settle`] writes the
/// counts into the groups when the file is read.
struct Merger<'a> {
    platform: &'a str,
    /// The file's accounts by the hash the workers gave their names, to their number in the file.
    index: KeyIndex,
    /// The group of the file's first account: account `i` is group `first + i`.
    first: usize,
    /// The accounts' names, account `i`'s `i`th.
    names: Names,
    /// Each account's niche and platform, as numbers in `labels` (or `NO_LABEL`).
    keys: Vec<(u32, u32)>,
    labels: Vec<String>,
    label_ids: foldhash::HashMap<String, u32>,
    /// What is counted of each account's posts as the blocks come in.
    stats: Vec<Stats>,
    /// Each block's posts and their groups (side by side: a post with its group number would
    /// take 32 bytes, as 28 are aligned to 8).
    blocks: Vec<Block>,
    /// Each block's [`Places`], until repeats have been looked for.
    places: Vec<Places>,
    rows: usize,
    /// Cells blank or a missing-value marker, per field of [`MISSING_FIELDS`].
    missing: [usize; 7],
    /// The line of the last row merged (the header's, at first).
    line: usize,
    /// "Total" rows left out, with their lines.
    totals: Vec<load::SkippedRow>,
}

/// An account's posts as counted while its file is read: how many, their times, and per format
/// (the post set's format ids) how many — the first few formats in place (a count of 0: a
/// place not taken yet), any more beside.
#[derive(Default, Clone)]
struct Stats {
    rows: usize,
    times: Times,
    formats: [(u32, u32); 3],
    more_formats: Vec<(u32, u64)>,
}

impl Stats {
    fn add_format(&mut self, id: u32) {
        for slot in &mut self.formats {
            if slot.0 == id || slot.1 == 0 {
                *slot = (id, slot.1 + 1);
                return;
            }
        }
        match self.more_formats.iter_mut().find(|f| f.0 == id) {
            Some(f) => f.1 += 1,
            None => self.more_formats.push((id, 1)),
        }
    }
}

impl<'a> Merger<'a> {
    fn new(platform: &'a str, header_line: usize, first: usize) -> Merger<'a> {
        Merger {
            platform,
            index: KeyIndex::default(),
            first,
            names: Names::default(),
            keys: Vec::new(),
            labels: Vec::new(),
            label_ids: foldhash::HashMap::default(),
            stats: Vec::new(),
            blocks: Vec::new(),
            places: Vec::new(),
            rows: 0,
            missing: [0; 7],
            line: header_line,
            totals: Vec::new(),
        }
    }

    /// The file's number for a niche or platform name of a block's (`NO_LABEL` stays).
    fn label_id(&mut self, name: Option<&str>) -> u32 {
        name.map_or(NO_LABEL, |name| {
            label(&mut self.labels, &mut self.label_ids, name, str::to_string)
        })
    }

    fn add(&mut self, part: Part, groups: &mut Vec<Group>, set: &mut PostSet) {
        self.rows += part.rows;
        for (all, block) in self.missing.iter_mut().zip(part.missing) {
            *all += block;
        }
        for (at, first_cell) in &part.totals {
            self.totals.push(load::SkippedRow {
                line: self.line + *at as usize + 1,
                reason: load::SkipReason::Total,
                first_cell: first_cell.clone(),
            });
        }
        self.line += part.rows + part.totals.len();
        let ids: Vec<u32> = part.formats.iter().map(|f| set.format_id(f)).collect();
        // The block's niche and platform numbers as the file's.
        let to_file: Vec<u32> = (0..part.labels.len())
            .map(|l| self.label_id(part.label(l as u32)))
            .collect();
        let file_label = |l: u32| to_file.get(l as usize).copied().unwrap_or(NO_LABEL);
        // The block's accounts as the file's (then as groups).
        let mut mine: Vec<u32> = Vec::with_capacity(part.names.len());
        for (j, (times, hash)) in part.times.iter().zip(&part.name_hashes).enumerate() {
            let name = part.name(j);
            let labels = part.group_labels[j];
            let key = (file_label(labels.0), file_label(labels.1));
            let next = self.stats.len();
            let Merger { index, names, keys, .. } = &mut *self;
            // (Without niche and platform columns every key is (NO_LABEL, NO_LABEL): the
            // accounts differ by name alone.)
            let same = |i: usize| keys[i] == key && same_bytes(names.get(i).as_bytes(), name.as_bytes());
            let found = index.find_or_insert(*hash, next, same);
            let i = match found {
                Some(i) => i,
                None => {
                    self.names.push(name);
                    self.keys.push(key);
                    self.stats.push(Stats::default());
                    let (niche, platform) = (part.label(labels.0), part.label(labels.1));
                    groups.push(Group {
                        key: PostGroup {
                            platform: platform.unwrap_or(self.platform).to_string(),
                            account: Some(name.to_string()),
                            niche: niche.map(str::to_string),
                            rows: 0,
                        },
                        posts: UnitPosts::default(),
                    });
                    next
                }
            };
            self.stats[i].times.add(*times);
            mine.push(i as u32);
        }
        // Each post counted and its format noted here, in file order; the posts themselves wait
        // for [`Merger::finish`], each with its group.
        let mut of = part.post_accounts;
        for (j, format) in of.iter_mut().zip(&part.post_formats) {
            let i = mine[*j as usize];
            let stats = &mut self.stats[i as usize];
            stats.rows += 1;
            if let Some(&id) = ids.get(*format as usize) {
                stats.add_format(id);
            }
            *j = (self.first + i as usize) as u32;
        }
        self.blocks.push((of, part.posts, part.post_tags));
        self.places.push(part.places);
    }

    /// Write what was counted of each account's posts into its group, once the file is read,
    /// and let the tables for looking accounts up go.
    fn settle(&mut self, groups: &mut [Group]) {
        let stats = std::mem::take(&mut self.stats);
        for (stats, group) in stats.into_iter().zip(groups.iter_mut().skip(self.first)) {
            group.key.rows = stats.rows;
            group.posts.add_times(stats.times);
            for (id, n) in stats.formats.into_iter().filter(|f| f.1 > 0) {
                group.posts.add_formats(id, u64::from(n));
            }
            for (id, n) in stats.more_formats {
                group.posts.add_formats(id, n);
            }
        }
        self.index = KeyIndex::default();
        (self.names, self.keys) = Default::default();
    }

    /// Lay the file's posts out in their groups, each list made once at its size when its first
    /// post comes, in file order. Each thread takes a share of the groups and walks every block
    /// for their posts; a block is let go once every thread has walked it (so where an account's
    /// posts come together, memory moves from the blocks to the lists as they are laid out).
    fn finish(self, groups: &mut [Group]) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let first_group = self.first;
        let mine = groups.get_mut(first_group..).unwrap_or_default();
        let share = mine.len().div_ceil(crate::par::threads()).max(1);
        let walkers = mine.len().div_ceil(share);
        let blocks: Vec<(std::sync::RwLock<Block>, AtomicUsize)> = self
            .blocks
            .into_iter()
            .map(|b| (std::sync::RwLock::new(b), AtomicUsize::new(0)))
            .collect();
        crate::par::runs_mut(mine, share, |first, run| {
            let (lo, hi) = (first_group + first, first_group + first + run.len());
            for (block, walked) in &blocks {
                if let Ok(block) = block.read() {
                    let (of, posts, tags) = &*block;
                    let mut tags = tags.iter().peekable();
                    for (k, (g, post)) in of.iter().zip(posts).enumerate() {
                        let own = if tags.peek().is_some() {
                            tags.next_if(|(at, _)| *at as usize == k).map(|(_, t)| t)
                        } else {
                            None
                        };
                        // (A repeat removed is `REMOVED`, in no thread's range.)
                        let g = *g as usize;
                        if g < lo || g >= hi {
                            continue;
                        }
                        let group = &mut run[g - lo];
                        let unit = &mut group.posts;
                        if unit.posts.capacity() == 0 {
                            unit.posts.reserve_exact(group.key.rows);
                        }
                        if let Some(t) = own {
                            unit.tags.push((unit.posts.len() as u32, t.clone()));
                        }
                        unit.posts.push(*post);
                    }
                }
                if walked.fetch_add(1, Ordering::AcqRel) + 1 == walkers {
                    if let Ok(mut block) = block.write() {
                        *block = Block::default();
                    }
                }
            }
        });
    }
}

/// Stream a post list: a thread reads blocks that end at a line break, workers parse them, and
/// this thread hands each parsed block to `merge` in file order as soon as the blocks before it
/// are in (so merging overlaps the parse instead of following it). Nothing is merged after a
/// block fails, and reading stops when `stop` is set.
fn read_posts(
    path: &Path,
    layout: &Layout,
    stop: &std::sync::atomic::AtomicBool,
    mut merge: impl FnMut(Part),
) -> std::result::Result<(), String> {
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let size = file.metadata().map_or(0, |m| m.len());
    let (jobs, queue) = mpsc::sync_channel::<(usize, u64, Vec<u8>)>(2);
    let queue = Mutex::new(queue);
    let (done, results) = mpsc::channel::<(usize, std::result::Result<Part, String>)>();
    // Parsed blocks come back to be filled again: fresh 8 MB buffers cost a page fault per 4 KB.
    let (spare, spares) = mpsc::channel::<Vec<u8>>();
    let mut waiting: Vec<Option<Part>> = Vec::new();
    let mut next = 0;
    let mut failure: Option<String> = None;
    std::thread::scope(|s| {
        for _ in 0..crate::par::threads() {
            let (queue, done, spare) = (&queue, done.clone(), spare.clone());
            s.spawn(move || {
                let mut flat = Flat::default();
                loop {
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, start, block)) = job else { return };
                    let part = parse_block(&block, start, layout, &mut flat);
                    let _ = spare.send(block);
                    if done.send((seq, part)).is_err() {
                        return;
                    }
                }
            });
        }
        drop((done, spare));
        let reader = s.spawn(move || read_blocks(&mut file, layout.header_line, size, &jobs, &spares, stop));
        for (seq, part) in results.iter() {
            match part {
                Ok(p) if failure.is_none() => {
                    if waiting.len() <= seq {
                        waiting.resize_with(seq + 1, || None);
                    }
                    waiting[seq] = Some(p);
                    while let Some(p) = waiting.get_mut(next).and_then(Option::take) {
                        merge(p);
                        next += 1;
                    }
                }
                Ok(_) => {}
                Err(why) => {
                    failure.get_or_insert(why);
                }
            }
        }
        match reader.join() {
            Ok(Err(why)) => {
                failure.get_or_insert(why);
            }
            Ok(Ok(())) => {}
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    match failure {
        Some(why) => Err(why),
        // Every block was merged (a block missing would be a bug: decline rather than lose it).
        None if waiting.iter().all(Option::is_none) => Ok(()),
        None => Err("a block was parsed but not merged".to_string()),
    }
}

/// Read the file in blocks that end at a line break (its first `skip_lines` lines, the header and
/// any banner above it, left out) and queue them, each with the file offset of its first byte.
fn read_blocks(
    file: &mut std::fs::File,
    skip_lines: usize,
    size: u64,
    jobs: &mpsc::SyncSender<(usize, u64, Vec<u8>)>,
    spares: &mpsc::Receiver<Vec<u8>>,
    stop: &std::sync::atomic::AtomicBool,
) -> std::result::Result<(), String> {
    let block_bytes = block_size();
    let mut carry: Vec<u8> = Vec::new();
    let mut seq = 0;
    let mut first = true;
    let mut done_bytes = 0u64;
    // The file offset of the next block's first byte.
    let mut start = 0u64;
    loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Err("another input needs the general path".to_string());
        }
        let mut block = spares.try_recv().unwrap_or_default();
        block.clear();
        block.reserve(block_bytes + carry.len());
        block.append(&mut carry);
        let before = block.len();
        let got = file
            .by_ref()
            .take(block_bytes as u64)
            .read_to_end(&mut block)
            .map_err(|e| e.to_string())?;
        done_bytes += got as u64;
        crate::progress::rows(done_bytes, size);
        let end_of_file = got == 0 || block.len() - before < block_bytes;
        if first {
            first = false;
            let Some(header_end) = block
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .nth(skip_lines.saturating_sub(1))
                .map(|(i, _)| i)
            else {
                return Ok(());
            };
            block.drain(..=header_end);
            start = header_end as u64 + 1;
        }
        if !end_of_file {
            match block.iter().rposition(|&b| b == b'\n') {
                Some(last) => carry = block.split_off(last + 1),
                None => {
                    carry = block;
                    continue;
                }
            }
        }
        if !block.is_empty() {
            let len = block.len() as u64;
            if jobs.send((seq, start, block)).is_err() {
                return Err("a worker stopped".to_string());
            }
            start += len;
            seq += 1;
        }
        if end_of_file {
            return Ok(());
        }
    }
}

/// One cell of a row: its bytes, and whether it was quoted with doubled quotes inside.
#[derive(Clone, Copy, Default)]
struct Cell {
    start: usize,
    end: usize,
    escaped: bool,
}

/// Split the row that starts at `pos` into `cells` by the stops; return where the next row
/// starts, or `None` at a quote (the row is then split by [`split_row`]).
fn split_fast(
    block: &[u8],
    stops: &mut Stops<'_>,
    mut pos: usize,
    cells: &mut [Cell],
) -> std::result::Result<Option<usize>, String> {
    let Some(last) = cells.len().checked_sub(1) else {
        return Err("a header with no columns".to_string());
    };
    for (n, cell) in cells.iter_mut().enumerate() {
        let stop = stops.next();
        let end = stop.unwrap_or(block.len());
        if end - pos > load::MAX_CELL_BYTES {
            return Err("a cell over the general loader's size limit".to_string());
        }
        *cell = Cell {
            start: pos,
            end,
            escaped: false,
        };
        let next = match stop.map(|s| block[s]) {
            Some(b',') if n < last => {
                pos = end + 1;
                continue;
            }
            Some(b',') => return Err("a row with more cells than the header".to_string()),
            Some(b'"') => return Ok(None),
            Some(b'\n') => end + 1,
            Some(b'\r') if block.get(end + 1) == Some(&b'\n') => {
                stops.next();
                end + 2
            }
            None => end,
            Some(_) => return Err("a quote, control character or lone carriage return inside a cell".to_string()),
        };
        if n < last {
            return Err("a row with fewer cells than the header".to_string());
        }
        return Ok(Some(next));
    }
    Err("a row with no cells".to_string())
}

/// Parse one block of whole rows.
fn parse_block(block: &[u8], start: u64, layout: &Layout, flat: &mut Flat) -> std::result::Result<Part, String> {
    if u32::try_from(block.len()).is_err() {
        return Err("a block of rows over 4 GB (a line that long)".to_string());
    }
    let mut part = Part::default();
    part.places.start = start;
    flat.accounts.clear();
    flat.niches.clear();
    flat.platforms.clear();
    flat.tags.clear();
    let text = simdutf8::basic::from_utf8(block).map_err(|_| "text that is not UTF-8".to_string())?;
    let mut cells = vec![Cell::default(); layout.width];
    let mut scratch = String::new();
    let mut stops = Stops::new(block, b',');
    // Formats are few: a short list beats hashing each row's.
    let mut format_ids: Vec<(String, u32)> = Vec::new();
    let mut last_group: Option<usize> = None;
    let hasher = foldhash::fast::FixedState::with_seed(0x6661_7374);
    let mut pos = 0;
    while pos < block.len() {
        let row_start = pos as u32;
        pos = match split_fast(block, &mut stops, pos, &mut cells)? {
            Some(next) => next,
            None => {
                let next = split_row(block, pos, &mut cells)?;
                stops.seek(next);
                next
            }
        };
        // "Total" rows are left out and counted, with their line, as the general loader does.
        if let Some(first) = total_row(text, &cells, &mut scratch)? {
            part.totals.push(((part.rows + part.totals.len()) as u32, first));
            continue;
        }
        let post = cell_text(text, cells[layout.post], &mut scratch)?;
        if value::is_missing(post) {
            return Err("a post without an id".to_string());
        }
        check_garbled(post)?;
        part.places.hashes.push(id_hash(post));
        part.places.rows.push(row_start);

        // (A canonical post list has none of these columns: one branch steps over them.)
        let labels = if layout.labelled() {
            row_labels(text, &cells, layout, &mut part.labels, flat, &mut scratch)?
        } else {
            (NO_LABEL, NO_LABEL)
        };
        let (niche, platform) = labels;
        let account_cell = cells[layout.account];
        let same = last_group.filter(|&g| {
            let raw = &block[account_cell.start..account_cell.end];
            !account_cell.escaped
                && part.group_labels[g] == labels
                && same_bytes(raw.trim_ascii(), part.name(g).as_bytes())
        });
        let group = match same {
            Some(g) => g,
            None => {
                let account = cell_text(text, account_cell, &mut scratch)?;
                if value::is_missing(account) {
                    return Err("a post without an account".to_string());
                }
                check_garbled(account)?;
                let account_hash = {
                    use std::hash::BuildHasher;
                    // (Every block of a file has the same columns: without a niche or platform
                    // column, the account alone is the key.)
                    if labels == (NO_LABEL, NO_LABEL) {
                        hasher.hash_one(account)
                    } else {
                        hasher.hash_one((account, part.label(niche), part.label(platform)))
                    }
                };
                let next = part.names.len();
                let g = match flat.accounts.find_or_insert(account_hash, next, |j| {
                    part.group_labels[j] == labels && same_bytes(part.name(j).as_bytes(), account.as_bytes())
                }) {
                    Some(g) => g,
                    None => {
                        part.names.push(account);
                        part.name_hashes.push(account_hash);
                        part.group_labels.push(labels);
                        part.times.push(Times::default());
                        next
                    }
                };
                last_group = Some(g);
                g
            }
        };

        let Typed {
            at,
            parts,
            views,
            sponsored,
        } = typed(text, &cells, layout, &mut scratch)?;
        // Cells read as missing, counted as the general path counts them.
        for (k, p) in parts.iter().enumerate() {
            part.missing[k] += usize::from(*p == Some(None));
        }
        part.missing[4] += usize::from(layout.views.is_some() && views.is_none());
        part.missing[5] += usize::from(layout.at.is_some() && at.is_none());
        part.missing[6] += usize::from(layout.sponsored.is_some() && sponsored.is_none());
        let engagement = engagement_of(parts);
        let title = match layout.title {
            Some(i) => {
                let t = cell_text(text, cells[i], &mut scratch)?;
                check_garbled(t)?;
                (!value::is_missing(t)).then(|| super::title::traits_of(t))
            }
            None => None,
        };
        let tags = match layout.tags {
            Some(i) => row_tags(text, cells[i], &mut flat.tags, &mut scratch)?,
            None => None,
        };
        // A post with tags and no title has text, and no title traits (as the general path reads it).
        let traits = title.or(tags.as_ref().map(|_| [false; 5]));
        if let Some(t) = tags {
            part.post_tags.push((part.posts.len() as u32, t));
        }
        let format = match layout.format {
            Some(i) => {
                let raw = cell_text(text, cells[i], &mut scratch)?;
                check_garbled(raw)?;
                if value::is_missing(raw) {
                    None
                } else if let Some((_, id)) = format_ids.iter().find(|(f, _)| f == raw) {
                    Some(*id)
                } else {
                    let id = part.formats.len() as u32;
                    part.formats.push(super::fields::canonical_format(raw));
                    format_ids.push((raw.to_string(), id));
                    Some(id)
                }
            }
            None => None,
        };
        part.times[group].note(at);
        part.posts.push(Post::new(engagement, views, at, sponsored, traits));
        part.post_accounts.push(group as u32);
        part.post_formats.push(format.unwrap_or(NO_FORMAT));
        part.rows += 1;
    }
    // (Kept until the file is read: no room to spare.)
    part.places.rows.shrink_to_fit();
    part.places.hashes.shrink_to_fit();
    Ok(part)
}

/// A row's niche and platform as the general path reads them (a row without a niche, which it
/// warns about, is its to read), as numbers in the block's `labels`; and its cells that no field
/// reads, checked for damaged text.
#[inline(never)]
fn row_labels(
    text: &str,
    cells: &[Cell],
    layout: &Layout,
    labels: &mut Vec<String>,
    flat: &mut Flat,
    scratch: &mut String,
) -> std::result::Result<(u32, u32), String> {
    let niche = match layout.niche {
        Some(i) => {
            let name = cell_text(text, cells[i], scratch)?;
            if value::is_missing(name) {
                return Err("a row without a niche".to_string());
            }
            check_garbled(name)?;
            label(labels, &mut flat.niches, name, str::to_string)
        }
        None => NO_LABEL,
    };
    let platform = match layout.platform {
        Some(i) => {
            let raw = cell_text(text, cells[i], scratch)?;
            check_garbled(raw)?;
            label(labels, &mut flat.platforms, raw, |raw| {
                Some(raw)
                    .filter(|r| !value::is_missing(r))
                    .and_then(super::fields::platform_name)
                    .unwrap_or_else(|| "unknown".to_string())
            })
        }
        None => NO_LABEL,
    };
    for &i in &layout.unread {
        let c = cells[i];
        if text.as_bytes()[c.start..c.end].iter().any(|&b| b == 0xEF || b == 0xC3) {
            check_garbled(cell_text(text, c, scratch)?)?;
        }
    }
    Ok((niche, platform))
}

/// A row's tags, split as the general path splits them (each way of writing them once a block).
#[inline(never)]
fn row_tags(
    text: &str,
    c: Cell,
    split: &mut foldhash::HashMap<String, Tags>,
    scratch: &mut String,
) -> std::result::Result<Option<Tags>, String> {
    let t = cell_text(text, c, scratch)?;
    check_garbled(t)?;
    if value::is_missing(t) {
        return Ok(None);
    }
    if let Some(tags) = split.get(t) {
        return Ok(Some(tags.clone()));
    }
    let tags: Tags = super::title::split_tags(t).into();
    split.insert(t.to_string(), tags.clone());
    Ok(Some(tags))
}

/// The block's number for a niche or platform (`name` as the row writes it, `canonical` the name
/// kept), given one on first sight.
fn label(
    labels: &mut Vec<String>,
    ids: &mut foldhash::HashMap<String, u32>,
    name: &str,
    canonical: impl Fn(&str) -> String,
) -> u32 {
    if let Some(&id) = ids.get(name) {
        return id;
    }
    let id = labels.len() as u32;
    labels.push(canonical(name));
    ids.insert(name.to_string(), id);
    id
}

/// The first cell of a "Total" row, as the general loader tells them: [`load::is_total_cell`] of
/// the row's first cell that is not blank once trimmed. Most rows are told apart by one byte.
fn total_row(text: &str, cells: &[Cell], scratch: &mut String) -> std::result::Result<Option<String>, String> {
    for &c in cells {
        let first = text.as_bytes().get(c.start..c.end).and_then(|b| b.first().copied());
        match first {
            None => continue,
            // An ASCII letter or sign that is not space: this is the first cell that is not
            // blank, and no total word starts with it.
            Some(b)
                if b.is_ascii()
                    && !b.is_ascii_whitespace()
                    && !matches!(b.to_ascii_lowercase(), b't' | b'g' | b's') =>
            {
                return Ok(None)
            }
            Some(_) => {
                let t = cell_text(text, c, scratch)?;
                if t.is_empty() {
                    continue;
                }
                return Ok(load::is_total_cell(t).then(|| t.to_string()));
            }
        }
    }
    Ok(None)
}

/// Whether two short byte strings are equal, compared inline (a call to `memcmp` per row cost
/// more than the comparison).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(true, |same, (x, y)| same & (x == y))
}

/// Split the row that starts at `pos` into `cells`; return where the next row starts.
fn split_row(block: &[u8], mut pos: usize, cells: &mut [Cell]) -> std::result::Result<usize, String> {
    let width = cells.len();
    let mut n = 0;
    loop {
        if n == width {
            return Err("a row with more cells than the header".to_string());
        }
        let cell = if block.get(pos) == Some(&b'"') {
            let start = pos + 1;
            let (end, escaped) = quoted_span(block, start).map_err(str::to_string)?;
            pos = end + 1;
            Cell { start, end, escaped }
        } else {
            let start = pos;
            while pos < block.len() && !is_stop(block[pos], b',') {
                pos += 1;
            }
            Cell {
                start,
                end: pos,
                escaped: false,
            }
        };
        if cell.end - cell.start > load::MAX_CELL_BYTES {
            return Err("a cell over the general loader's size limit".to_string());
        }
        cells[n] = cell;
        n += 1;
        match block.get(pos) {
            Some(b',') => pos += 1,
            Some(b'\n') => {
                pos += 1;
                break;
            }
            Some(b'\r') if block.get(pos + 1) == Some(&b'\n') => {
                pos += 2;
                break;
            }
            None => break,
            Some(_) => return Err("a quote, control character or lone carriage return inside a cell".to_string()),
        }
    }
    if n != width {
        return Err("a row with fewer cells than the header".to_string());
    }
    Ok(pos)
}

/// A cell's text (quotes undoubled into `scratch` where needed), trimmed as `str::trim` does.
fn cell_text<'a>(text: &'a str, c: Cell, scratch: &'a mut String) -> std::result::Result<&'a str, String> {
    let raw = value::tidy(
        text.get(c.start..c.end)
            .ok_or_else(|| "a cell that splits a character".to_string())?,
    );
    if !c.escaped {
        return Ok(raw);
    }
    scratch.clear();
    scratch.push_str(&raw.replace("\"\"", "\""));
    Ok(scratch.as_str())
}

/// Mojibake or U+FFFD in a cell: the general path counts and reports it.
fn check_garbled(text: &str) -> std::result::Result<(), String> {
    if !text.is_ascii() && super::is_garbled(text) {
        return Err("a cell with mojibake or U+FFFD".to_string());
    }
    Ok(())
}

/// The general path's ceiling ([`Field::ceiling`]) of a count the fast path reads.
fn ceiling(field: Field) -> f64 {
    field.ceiling().unwrap_or(f64::MAX)
}

/// A reading by the general path's rule, as the fast path takes it: a value or a missing cell;
/// anything else (a lower bound, a fault the general path counts and reports) sends the file the
/// general way.
fn taken<T>(reading: value::Reading<T>, what: &str, cell: &str) -> std::result::Result<Option<T>, String> {
    match reading {
        value::Reading::Read(v) => Ok(Some(v)),
        value::Reading::Missing => Ok(None),
        _ => Err(not_taken(what, cell)),
    }
}

#[cold]
fn not_taken(what: &str, cell: &str) -> String {
    format!("a {what} written as {cell:?}")
}

/// A row's typed cells: its publication time; its likes, comments, shares and collects, for
/// [`engagement_of`] (`None` for a count the file has no column for, else the cell's reading); its
/// views; whether it is sponsored.
struct Typed {
    at: Option<i64>,
    parts: [Option<Option<f64>>; 4],
    views: Option<f64>,
    sponsored: Option<bool>,
}

/// Read a row's [`Typed`] cells, each by its rule.
fn typed(text: &str, cells: &[Cell], layout: &Layout, scratch: &mut String) -> std::result::Result<Typed, String> {
    let at = match layout.at {
        Some(i) => date(text, cells[i], scratch)?,
        None => None,
    };
    let mut parts = [None; 4];
    for (part, (i, max)) in parts.iter_mut().zip(layout.parts.iter().zip(&layout.part_ceilings)) {
        if let Some(i) = i {
            *part = Some(count(text, cells[*i], scratch, *max)?);
        }
    }
    let views = match layout.views {
        Some(i) => count(text, cells[i], scratch, layout.views_ceiling)?,
        None => None,
    };
    let sponsored = match layout.sponsored {
        Some(i) => flag(text, cells[i], scratch)?,
        None => None,
    };
    Ok(Typed {
        at,
        parts,
        views,
        sponsored,
    })
}

/// A row read again, whole, for the duplicate rule ([`repeats`]): its post id and account as
/// written, its publication time and format, and the fingerprint of every value the general path
/// keeps of a row ([`super::store::fingerprint`]).
struct Reread {
    id: String,
    account: String,
    at: Option<i64>,
    format: Option<String>,
    fingerprint: u64,
}

/// Read one row (`line`, ending at its line break) by the cell rules the parse uses, as a post of
/// the group (`platform`, `niche`) the parse put it in.
fn reread_row(
    line: &[u8],
    layout: &Layout,
    platform: &str,
    niche: Option<&str>,
) -> std::result::Result<Reread, String> {
    let text = std::str::from_utf8(line).map_err(|_| "text that is not UTF-8".to_string())?;
    let mut cells = vec![Cell::default(); layout.width];
    split_row(line, 0, &mut cells)?;
    let mut scratch = String::new();
    let mut owned = |i: usize| cell_text(text, cells[i], &mut scratch).map(str::to_string);
    let id = owned(layout.post)?;
    let account = owned(layout.account)?;
    let mut written = |i: Option<usize>| -> std::result::Result<Option<String>, String> {
        Ok(match i {
            Some(i) => Some(owned(i)?).filter(|t| !value::is_missing(t)),
            None => None,
        })
    };
    let title = written(layout.title)?;
    let tags = written(layout.tags)?;
    let format = written(layout.format)?.map(|f| super::fields::canonical_format(&f));
    let Typed {
        at,
        parts,
        views,
        sponsored,
    } = typed(text, &cells, layout, &mut scratch)?;
    let [likes, comments, shares, collects] = parts.map(Option::flatten);
    let row = super::tables::PostRow {
        post: id.as_str().into(),
        platform,
        account: Some(&account),
        account_name: None,
        also_in: Vec::new(),
        niche,
        published_at: at,
        likes,
        comments,
        shares,
        collects,
        views,
        engagement: engagement_of(parts),
        censored: false,
        sponsored,
        price: None,
        title: title.as_deref(),
        format: format.as_deref().map(Into::into),
        tags: tags.as_deref(),
    };
    let fingerprint = super::store::fingerprint(&row);
    Ok(Reread {
        id,
        account,
        at,
        format,
        fingerprint,
    })
}

/// A count: plain digits, or digits with a multiplier (`1.2万`), at most `ceiling` are read here
/// (most cells, by the general path's own first readings: [`value::digits`],
/// [`value::scaled_digits`]); any other cell by the
/// general path's rule ([`value::read_amount`]), of which a lower bound (`10万+`) is the general
/// path's too (it counts them).
fn count(text: &str, c: Cell, scratch: &mut String, ceiling: f64) -> std::result::Result<Option<f64>, String> {
    let b = text.as_bytes().get(c.start..c.end).unwrap_or_default();
    if b.is_empty() {
        return Ok(None);
    }
    if let Some(n) = value::digits(b)
        .or_else(|| value::scaled_digits(b))
        .filter(|n| !c.escaped && *n <= ceiling && n.fract() == 0.0)
    {
        return Ok(Some(n));
    }
    let cell = cell_text(text, c, scratch)?;
    // Thousands written with '.' and counts with a decimal part are the column's to judge and
    // are counted and noted: the general path's (`mapping::dot_thousands`).
    if value::grouped_thousands(cell).is_some() {
        return Err(not_taken("count with '.' between groups of three digits", cell));
    }
    match taken(value::read_amount(cell, Some(ceiling)), "count", cell)? {
        Some((_, true)) => Err(not_taken("lower bound", cell)),
        Some((n, _)) if n.fract() != 0.0 => Err(not_taken("count with a decimal part", cell)),
        v => Ok(v.map(|(n, _)| n)),
    }
}

/// A yes/no flag: true/false and 1/0 read here; any other cell by the general path's rule
/// ([`value::read_flag`]: 是/否, yes/no, 商单 …).
fn flag(text: &str, c: Cell, scratch: &mut String) -> std::result::Result<Option<bool>, String> {
    let b = text.as_bytes().get(c.start..c.end).unwrap_or_default();
    match b {
        b"" => return Ok(None),
        b"1" | b"true" | b"TRUE" | b"True" if !c.escaped => return Ok(Some(true)),
        b"0" | b"false" | b"FALSE" | b"False" if !c.escaped => return Ok(Some(false)),
        _ => {}
    }
    let cell = cell_text(text, c, scratch)?;
    taken(value::read_flag(cell), "flag", cell)
}

/// A date: `YYYY-MM-DD`, or with `THH:MM:SS` / ` HH:MM:SS`, in 2000–2099, read here
/// ([`super::date::strict_iso`], the general path's own first reading); any other cell by the
/// general path's rule ([`super::date::read_date`]). Seconds since 1970, no time-zone shift.
fn date(text: &str, c: Cell, scratch: &mut String) -> std::result::Result<Option<i64>, String> {
    let b = text.as_bytes().get(c.start..c.end).unwrap_or_default();
    if b.is_empty() {
        return Ok(None);
    }
    if let Some(t) = super::date::strict_iso(b).filter(|_| !c.escaped) {
        return Ok(Some(t));
    }
    let cell = cell_text(text, c, scratch)?;
    taken(super::date::read_date(cell), "date", cell)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::date::{parse_date, ParsedDate};
    use crate::normalise::value::{parse_flag, Flag};
    use proptest::prelude::*;

    /// Two post ids whose 32-bit hashes are the same are two posts, told apart when their rows
    /// are read again; a real duplicate beside them is still found.
    #[test]
    fn ids_that_share_a_hash_are_two_posts() {
        let mut seen: std::collections::HashMap<u32, String> = std::collections::HashMap::new();
        let (a, b) = (0..2_000_000u32)
            .find_map(|i| {
                let id = format!("p{i}");
                seen.insert(id_hash(&id), id.clone()).map(|earlier| (earlier, id))
            })
            .expect("a pair of ids sharing a hash among two million");
        let dir = std::env::temp_dir().join(format!("niche-shared-hash-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("posts.csv");
        let rows = [
            format!("{a},acc1,2026-03-01,5,1"),
            format!("{b},acc1,2026-03-02,7,1"),
            "p_other,acc2,2026-03-03,9,1".to_string(),
            format!("{a},acc1,2026-03-01,5,1"),
        ];
        std::fs::write(
            &path,
            format!("post_id,account_id,published_at,likes,comments\n{}\n", rows.join("\n")),
        )
        .unwrap();
        let read = ReadOptions {
            encoding: None,
            sheet: None,
            known_header: super::super::fields::is_known_header,
        };
        let tables = try_read(&[(path, None)], &Options::default(), &read).expect("the fast path reads it");
        let input = &tables.inputs[0];
        assert_eq!((input.rows_read, input.deduplicated, input.rows_used), (4, 1, 3));
        assert_eq!(tables.post_set.map(|s| s.rows), Some(3));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A whole cell of `text`, unquoted.
    fn whole(text: &str) -> Cell {
        Cell {
            start: 0,
            end: text.len(),
            escaped: false,
        }
    }

    proptest! {
        /// The fast path reads a count as the general path's rule does, or leaves it to it (a
        /// count with a decimal part, which the general path reads and counts, it leaves); a
        /// plain whole number it always reads.
        #[test]
        fn counts_read_as_the_general_path_reads_them(text in "[0-9]{0,17}|[0-9a.,+ \\-万kw%]{0,7}") {
            let fast = count(&text, whole(&text), &mut String::new(), 1e10);
            let plain = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            match value::read_amount(value::tidy(&text), Some(1e10)) {
                value::Reading::Missing => prop_assert_eq!(fast, Ok(None)),
                value::Reading::Read((v, false)) if plain => prop_assert_eq!(fast, Ok(Some(v))),
                value::Reading::Read((v, false)) => {
                    prop_assert!(fast.is_err() || fast == Ok(Some(v)), "{:?} read as {:?}", text, fast)
                }
                _ => prop_assert!(fast.is_err(), "{:?} read as {:?}", text, fast),
            }
        }
    }

    #[test]
    fn counts_beyond_the_ceiling_and_lower_bounds_are_left_to_the_general_path() {
        let read = |t: &str| count(t, whole(t), &mut String::new(), 1e10);
        assert_eq!(read("1.2万"), Ok(Some(12_000.0)));
        assert_eq!(read("12,500"), Ok(Some(12_500.0)));
        assert_eq!(read("-"), Ok(None));
        assert!(read("10万+").is_err(), "a lower bound: the general path counts them");
        assert!(read("99999999999").is_err(), "implausible");
        assert!(read("-3").is_err(), "negative");
        assert!(read("3%").is_err(), "a rate is no count");
    }

    #[test]
    fn the_general_path_agrees_on_every_date_of_the_range_it_accepts() {
        // Every day of 2000–2099 at a few times, against the general path's parser.
        let read = |t: &str| date(t, whole(t), &mut String::new());
        let mut t = crate::normalise::date::EARLIEST;
        while t < crate::normalise::date::LATEST {
            let text = format!("{}T13:07:59", crate::civil::day_text(t.div_euclid(86_400)));
            assert_eq!(read(&text), Ok(Some(t + 13 * 3600 + 7 * 60 + 59)));
            assert_eq!(parse_date(&text), ParsedDate::At(t + 13 * 3600 + 7 * 60 + 59));
            t += 86_400;
        }
        assert!(
            read("1999-12-31").is_err(),
            "outside the range: the general path counts it"
        );
        assert!(read("2026-02-29").is_err());
        assert!(read("2026-06-25T24:00:00").is_err());
        // Other spellings by the general path's rule.
        for text in ["2026年06月25日12时01分35秒", "Jan 6, 2026", "2026/06/23"] {
            match parse_date(text) {
                ParsedDate::At(t) => assert_eq!(read(text), Ok(Some(t)), "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn flags_read_as_the_general_path_reads_them() {
        for text in [
            "true", "false", "TRUE", "FALSE", "True", "False", "1", "0", "", "yes", "是", "否", "商单", "-", "maybe",
        ] {
            let fast = flag(text, whole(text), &mut String::new());
            match parse_flag(text) {
                Flag::Yes => assert_eq!(fast, Ok(Some(true)), "{text}"),
                Flag::No => assert_eq!(fast, Ok(Some(false)), "{text}"),
                Flag::Missing => assert_eq!(fast, Ok(None), "{text}"),
                Flag::Invalid => assert!(fast.is_err(), "{text}: left to the general path"),
            }
        }
    }

    /// Every row of a block, split the way `parse_block` splits them (stops, quotes the slow way)
    /// or by `split_row` alone; an error ends the list.
    fn split_all(block: &[u8], width: usize, fast: bool) -> (Vec<(usize, usize, bool)>, bool) {
        let mut cells = vec![Cell::default(); width];
        let mut stops = Stops::new(block, b',');
        let (mut out, mut pos) = (Vec::new(), 0);
        while pos < block.len() {
            let next = if fast {
                match split_fast(block, &mut stops, pos, &mut cells) {
                    Ok(Some(next)) => Ok(next),
                    Ok(None) => split_row(block, pos, &mut cells).inspect(|&next| stops.seek(next)),
                    Err(e) => Err(e),
                }
            } else {
                split_row(block, pos, &mut cells)
            };
            match next {
                Ok(next) => pos = next,
                Err(_) => return (out, false),
            }
            out.extend(cells.iter().map(|c| (c.start, c.end, c.escaped)));
        }
        (out, true)
    }

    proptest! {
        /// Splitting by stops gives the cells `split_row` gives, and fails where it fails.
        #[test]
        fn rows_split_by_stops_as_byte_by_byte(rows in proptest::collection::vec(
            proptest::collection::vec("[a-c ,\"\r\t]{0,6}|\"[a-c,\"]{0,5}\"", 1..5), 1..30), crlf: bool, width in 1usize..5) {
            let end = if crlf { "\r\n" } else { "\n" };
            let text: String = rows.iter().map(|r| r.join(",") + end).collect();
            prop_assert_eq!(split_all(text.as_bytes(), width, true), split_all(text.as_bytes(), width, false), "{:?}", text);
        }
    }

    #[test]
    fn rows_split_like_csv() -> std::result::Result<(), String> {
        let block = b"p1,a1,\"x, \"\"y\"\"\"\r\np2,a2,z\n";
        let mut cells = vec![Cell::default(); 3];
        let next = split_row(block, 0, &mut cells)?;
        let mut scratch = String::new();
        let text = std::str::from_utf8(block).map_err(|e| e.to_string())?;
        assert_eq!(cell_text(text, cells[2], &mut scratch)?, "x, \"y\"");
        let end = split_row(block, next, &mut cells)?;
        assert_eq!(end, block.len());
        assert!(split_row(b"p1,a1\n", 0, &mut cells).is_err(), "short row");
        assert!(
            split_row(b"p1,a1,\"x\ny\"\n", 0, &mut cells).is_err(),
            "quoted line break"
        );
        assert!(
            split_row(b"p1,a1,x\"y\n", 0, &mut cells).is_err(),
            "quote inside a cell"
        );
        assert!(
            split_row(b"p1,a1,x\ry\n", 0, &mut cells).is_err(),
            "lone carriage return"
        );
        Ok(())
    }
}
