//! The block reader: a post list streamed in blocks that end at a line break, split into rows
//! and cells by the stops (quoted cells the slow way), each row typed into a post ([`read_posts`]).

use std::io::Read;
use std::path::Path;
use std::sync::{mpsc, Mutex};

use super::cells::{cell_text, check_garbled, typed, Cell, Typed};
use super::layout::Layout;
use super::part::{id_hash, label, same_bytes, Flat, Names, Part, Tags, NO_FORMAT, NO_LABEL};
use crate::load;
use crate::load::delimited::{is_stop, quoted_span, Stops};
use crate::normalise::key_index::{warm, KeyIndex, WARM};
use crate::normalise::posts::{Post, Times};
use crate::normalise::row_reader::engagement_of;
use crate::normalise::value;

/// Bytes handed to a worker at a time.
pub(super) const BLOCK: usize = 8 << 20;

/// [`BLOCK`], or the size `NICHE_FAST_BLOCK` gives (at least 1 KB): the tests read small files in
/// many blocks with it, so that rows across blocks are read as they are in large files.
pub(super) fn block_size() -> usize {
    std::env::var("NICHE_FAST_BLOCK")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(BLOCK, |n| n.max(1 << 10))
}

/// Stream a post list: a thread reads blocks that end at a line break, workers parse them, and
/// this thread hands each parsed block to `merge` in file order as soon as the blocks before it
/// are in (so merging overlaps the parse instead of following it). Nothing is merged after a
/// block fails, and reading stops when `stop` is set.
pub(super) fn read_posts(
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
pub(super) fn read_blocks(
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

/// Split the row that starts at `pos` into `cells` by the stops; return where the next row
/// starts, or `None` at a quote (the row is then split by [`split_row`]).
pub(super) fn split_fast(
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

/// An account as a row names it: the hash of its name (and labels), and its niche and platform
/// labels.
type Named = (u64, (u32, u32));

/// A block's last few rows, up to [`WARM`], whose accounts are still to be looked up in the
/// block's table: looked up together, their slots and names come from memory at once ([`warm`])
/// instead of one row's after another's. Per row: its account's hash, labels and name (`None`:
/// the row before's account), and its publication time.
#[derive(Default)]
struct Waiting {
    rows: Vec<(Option<Named>, Option<i64>)>,
    names: Names,
    /// The account of the last row settled.
    last: Option<usize>,
}

impl Waiting {
    /// A row whose account's hash and labels are `account` (its name pushed to `names` before),
    /// or the row before's account (`None`).
    fn push(&mut self, account: Option<Named>, at: Option<i64>) {
        self.rows.push((account, at));
    }

    /// Each waiting row's account found in the block's table (or added to it), in row order.
    fn settle(&mut self, part: &mut Part, index: &mut KeyIndex) -> std::result::Result<(), String> {
        let mut hashes = [0u64; WARM];
        let mut n = 0;
        for (hash, _) in self.rows.iter().filter_map(|(a, _)| a.as_ref()).take(WARM) {
            hashes[n] = *hash;
            n += 1;
        }
        warm(index, &hashes[..n], |j| {
            part.names.touch(j) ^ part.group_labels.get(j).map_or(0, |l| l.0 as usize)
        });
        let mut named = 0;
        for (account, at) in self.rows.drain(..) {
            let group = match account {
                None => self.last.ok_or("a row's account taken from no row before it")?,
                Some((hash, labels)) => {
                    let name = self.names.get(named);
                    named += 1;
                    let next = part.names.len();
                    let same = |j: usize| {
                        part.group_labels[j] == labels && same_bytes(part.name(j).as_bytes(), name.as_bytes())
                    };
                    match index.find_or_insert(hash, next, same) {
                        Some(g) => g,
                        None => {
                            part.names.push(name);
                            part.name_hashes.push(hash);
                            part.group_labels.push(labels);
                            part.times.push(Times::default());
                            next
                        }
                    }
                }
            };
            part.times[group].note(at);
            part.post_accounts.push(group as u32);
            self.last = Some(group);
        }
        self.names.clear();
        Ok(())
    }
}

/// Parse one block of whole rows.
pub(super) fn parse_block(
    block: &[u8],
    start: u64,
    layout: &Layout,
    flat: &mut Flat,
) -> std::result::Result<Part, String> {
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
    // The last row's account where the block writes it as it reads (no escape), and its labels.
    let mut previous: Option<(&[u8], (u32, u32))> = None;
    let mut waiting = Waiting::default();
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
        // The same account as the row before's (a file grouped by account): no lookup.
        let raw = block[account_cell.start..account_cell.end].trim_ascii();
        let same = !account_cell.escaped
            && previous
                .as_ref()
                .is_some_and(|(before, l)| *l == labels && same_bytes(raw, before));
        let account = if same {
            None
        } else {
            let account = cell_text(text, account_cell, &mut scratch)?;
            if value::is_missing(account) {
                return Err("a post without an account".to_string());
            }
            check_garbled(account)?;
            let hash = {
                use std::hash::BuildHasher;
                // (Every block of a file has the same columns: without a niche or platform
                // column, the account alone is the key.)
                if labels == (NO_LABEL, NO_LABEL) {
                    hasher.hash_one(account)
                } else {
                    hasher.hash_one((account, part.label(niche), part.label(platform)))
                }
            };
            previous = (!account_cell.escaped).then_some((raw, labels));
            waiting.names.push(account);
            Some((hash, labels))
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
                (!value::is_missing(t)).then(|| crate::normalise::title::traits_of(t))
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
                    part.formats.push(crate::normalise::fields::canonical_format(raw));
                    format_ids.push((raw.to_string(), id));
                    Some(id)
                }
            }
            None => None,
        };
        part.posts.push(Post::new(engagement, views, at, sponsored, traits));
        part.post_formats.push(format.unwrap_or(NO_FORMAT));
        part.rows += 1;
        waiting.push(account, at);
        if waiting.rows.len() == WARM {
            waiting.settle(&mut part, &mut flat.accounts)?;
        }
    }
    waiting.settle(&mut part, &mut flat.accounts)?;
    // (Kept until the file is read: no room to spare.)
    part.places.rows.shrink_to_fit();
    part.places.hashes.shrink_to_fit();
    Ok(part)
}

/// A row's niche and platform as the general path reads them (a row without a niche, which it
/// warns about, is its to read), as numbers in the block's `labels`; and its cells that no field
/// reads, checked for damaged text.
#[inline(never)]
pub(super) fn row_labels(
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
                    .and_then(crate::normalise::fields::platform_name)
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
pub(super) fn row_tags(
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
    let tags: Tags = crate::normalise::title::split_tags(t).into();
    split.insert(t.to_string(), tags.clone());
    Ok(Some(tags))
}

/// The first cell of a "Total" row, as the general loader tells them: [`load::is_total_cell`] of
/// the row's first cell that is not blank once trimmed. Most rows are told apart by one byte.
pub(super) fn total_row(
    text: &str,
    cells: &[Cell],
    scratch: &mut String,
) -> std::result::Result<Option<String>, String> {
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

/// Split the row that starts at `pos` into `cells`; return where the next row starts.
pub(super) fn split_row(block: &[u8], mut pos: usize, cells: &mut [Cell]) -> std::result::Result<usize, String> {
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

/// A row read again, whole, for the duplicate rule ([`repeats`]): its post id and account as
/// written, its publication time and format, and the fingerprint of every value the general path
/// keeps of a row ([`crate::normalise::store::fingerprint`]).
pub(super) struct Reread {
    pub(super) id: String,
    pub(super) account: String,
    pub(super) at: Option<i64>,
    pub(super) format: Option<String>,
    pub(super) fingerprint: u64,
}

/// Read one row (`line`, ending at its line break) by the cell rules the parse uses, as a post of
/// the group (`platform`, `niche`) the parse put it in.
pub(super) fn reread_row(
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
    let format = written(layout.format)?.map(|f| crate::normalise::fields::canonical_format(&f));
    let Typed {
        at,
        parts,
        views,
        sponsored,
    } = typed(text, &cells, layout, &mut scratch)?;
    let [likes, comments, shares, collects] = parts.map(Option::flatten);
    let row = crate::normalise::records::PostRow {
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
    let fingerprint = crate::normalise::store::fingerprint(&row);
    Ok(Reread {
        id,
        account,
        at,
        format,
        fingerprint,
    })
}
