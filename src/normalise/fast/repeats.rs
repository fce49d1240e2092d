//! Posts whose ids repeat, on the fast path, settled by the general path's rules: a row with the
//! platform, post id and niche of an earlier row is a duplicate, left out and counted, with those
//! whose values differ from the kept row's ([`tables::repeat_of`]); posts filed under two niches
//! are counted as [`PostStore::multi_niche`] counts them.
//!
//! The parse keeps of each post only its id hashed and where its row is ([`super::part::Places`]). Ids
//! whose hash comes more than once are few (a crawl's repeats, a post found by two keywords), and
//! only their rows are read again from the file, whole: that gives their ids to compare (two ids
//! that share a hash are told apart, as the general path tells them) and the fingerprint of their
//! values. A row left out is taken out of its group: its count, its format, and its time — where
//! it was the group's first or last and no post kept is known to share that time, the group's
//! times are read again from its rows. Then the posts are laid out without it.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::blocks::{reread_row, Reread};
use super::layout::Layout;
use super::merger::{Group, Merger};
use super::part::{id_hash, REMOVED};
use crate::normalise::key_index::KeyIndex;
use crate::normalise::posts::Times;
use crate::normalise::records::PostRow;
use crate::normalise::store::{PostRun, PostStore};
use crate::normalise::tables;

/// A post list the fast path read, as its repeats are settled.
pub(super) struct File<'f, 'a> {
    pub path: &'f Path,
    pub layout: &'f Layout,
    pub merger: &'f mut Merger<'a>,
}

/// What settling the repeats found.
#[derive(Default)]
pub(super) struct Resolved {
    /// Per file (in the order given): rows left out as duplicates of earlier rows, and how many
    /// of those had values that differ from the row kept.
    pub per_file: Vec<(usize, usize)>,
    /// The posts kept whose id another post shares: (group, post id).
    shared: Vec<(u32, String)>,
}

impl Resolved {
    /// Posts filed under more than one niche, counted by [`PostStore::multi_niche`] over the posts
    /// kept whose ids others share (a post under two niches shares its id with itself), each with
    /// its group's platform and niche after the join, as the general path counts them.
    pub(super) fn multi_niche(&self, groups: &[Group]) -> (usize, HashMap<String, u64>) {
        if self.shared.is_empty() {
            return Default::default();
        }
        let mut run = PostRun::default();
        for (g, id) in &self.shared {
            let key = &groups[*g as usize].key;
            let row = PostRow {
                post: id.as_str().into(),
                platform: &key.platform,
                account: key.account.as_deref(),
                account_name: None,
                also_in: Vec::new(),
                niche: key.niche.as_deref(),
                ..PostRow::default()
            };
            run.push(row, 0);
        }
        let mut store = PostStore::default();
        store.push_run(&run);
        store.multi_niche()
    }
}

/// A post whose row is to be read again: its file, block and place in the block, its row's file
/// offset, its id's hash and its group.
#[derive(Debug, Clone, Copy)]
struct Place {
    file: usize,
    block: usize,
    row: usize,
    offset: u64,
    hash: u32,
    group: u32,
}

/// Settle the repeats of the files' posts: left out of the blocks (marked [`REMOVED`]) and out of
/// their groups, counted per file. `formats` are the post set's format names. An error (a row
/// that no longer reads as it did: the file changed) sends the run the general way.
pub(super) fn resolve(
    files: &mut [File<'_, '_>],
    groups: &mut [Group],
    formats: &[String],
) -> Result<Resolved, String> {
    let mut resolved = Resolved {
        per_file: vec![(0, 0); files.len()],
        shared: Vec::new(),
    };
    let t = crate::timing::Timer::start("    hashes");
    let repeated = repeated_hashes(files);
    t.done();
    if repeated.is_empty() {
        return Ok(resolved);
    }
    let t = crate::timing::Timer::start("    places");
    let places = places_of(files, |_, hash| repeated.contains(&hash));
    t.done();
    let t = crate::timing::Timer::start("    read again");
    if crate::timing::enabled() {
        crate::output::note(&format!("{} rows to read again", places.len()));
    }
    let rows = reread(files, &places, groups)?;
    t.done();
    // The general path's rule, row by row in the inputs' order.
    let (kept, removed) = {
        let key = |i: usize| {
            let g = &groups[places[i].group as usize].key;
            (g.platform.as_str(), rows[i].id.as_str(), g.niche.as_deref())
        };
        let mut index = KeyIndex::default();
        let (mut kept, mut removed) = (Vec::new(), Vec::new());
        for i in 0..places.len() {
            let (platform, id, niche) = key(i);
            let hash = tables::post_key_hash(platform, id, niche);
            let same_key = |j: usize| key(kept[j]) == key(i);
            let same_values = |j: usize| rows[kept[j]].fingerprint == rows[i].fingerprint;
            match tables::repeat_of(&mut index, hash, kept.len(), same_key, same_values) {
                None => kept.push(i),
                Some(conflicting) => {
                    let counts = &mut resolved.per_file[places[i].file];
                    counts.0 += 1;
                    counts.1 += usize::from(conflicting);
                    removed.push(i);
                }
            }
        }
        (kept, removed)
    };
    leave_out(files, groups, formats, &places, &rows, &kept, &removed)?;
    resolved.shared = kept
        .into_iter()
        .map(|i| (places[i].group, rows[i].id.clone()))
        .collect();
    Ok(resolved)
}

/// Take the `removed` posts out of their blocks and groups: a group's count, its formats, and its
/// times (read again from the group's rows where the time left out may have been its first or
/// last and no post `kept` is known to share it).
fn leave_out(
    files: &mut [File<'_, '_>],
    groups: &mut [Group],
    formats: &[String],
    places: &[Place],
    rows: &[Reread],
    kept: &[usize],
    removed: &[usize],
) -> Result<(), String> {
    let kept_times: foldhash::HashSet<(u32, i64)> = kept
        .iter()
        .filter_map(|&i| rows[i].at.map(|t| (places[i].group, t)))
        .collect();
    let mut recount: BTreeSet<u32> = BTreeSet::new();
    for &i in removed {
        let p = places[i];
        files[p.file].merger.blocks[p.block].0[p.row] = REMOVED;
        let group = &mut groups[p.group as usize];
        group.key.rows -= 1;
        if let Some(id) = rows[i]
            .format
            .as_ref()
            .and_then(|f| formats.iter().position(|n| n == f))
        {
            group.posts.remove_format(id as u32);
        }
        if let Some(t) = rows[i].at {
            group.posts.dated -= 1;
            let edge = group.posts.first_at == Some(t) || group.posts.last_at == Some(t);
            if edge && !kept_times.contains(&(p.group, t)) {
                recount.insert(p.group);
            }
        }
    }
    if recount.is_empty() {
        return Ok(());
    }
    // (A post left out is `REMOVED` in its block, so it is in no group here.)
    let places = places_of(files, |group, _| recount.contains(&group));
    let rows = reread(files, &places, groups)?;
    let mut times: HashMap<u32, Times> = recount.iter().map(|&g| (g, Times::default())).collect();
    for (p, row) in places.iter().zip(&rows) {
        if let Some(t) = times.get_mut(&p.group) {
            t.note(row.at);
        }
    }
    for (g, t) in times {
        let unit = &mut groups[g as usize].posts;
        (unit.first_at, unit.last_at, unit.dated) = (t.first, t.last, t.dated);
    }
    Ok(())
}

/// Shares of the hashes looked through at a time (by their top three bits), each on one thread.
const SHARES: u32 = 8;

/// Rows closer than this to the row before are read in one window with it.
const CLOSE: u64 = 16 << 10;

/// Parts a share is split into before looking for repeats (by the next seven bits), so that each
/// part's table fits the processor's cache (at 10 million posts, some 10,000 hashes a part).
const SPLIT: usize = 128;

/// The id hashes that come more than once among the files' posts: each block's hashes sorted
/// into shares (blocks on all threads), then each share gathered from every block and its repeats
/// found ([`repeats_in`]), shares on all threads.
fn repeated_hashes(files: &[File<'_, '_>]) -> foldhash::HashSet<u32> {
    let blocks: Vec<&[u32]> = files
        .iter()
        .flat_map(|f| f.merger.places.iter().map(|p| p.hashes.as_slice()))
        .collect();
    let shared: Vec<Vec<Vec<u32>>> = crate::par::map(&blocks, |hashes| {
        let mut sizes = [0usize; SHARES as usize];
        for h in *hashes {
            sizes[(h >> 29) as usize] += 1;
        }
        let mut shares: Vec<Vec<u32>> = sizes.iter().map(|&n| Vec::with_capacity(n)).collect();
        for h in *hashes {
            shares[(h >> 29) as usize].push(*h);
        }
        shares
    });
    let shares: Vec<usize> = (0..SHARES as usize).collect();
    crate::par::map(&shares, |&share| {
        let mine: Vec<u32> = shared.iter().flat_map(|block| block[share].iter()).copied().collect();
        repeats_in(&mine)
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The values that come again among `hashes` (at each later coming): they are split by the seven
/// bits below the share's three (a counting sort, two passes in order), then each part, small
/// enough for the processor's cache, is checked by a [`KeyIndex`].
fn repeats_in(hashes: &[u32]) -> Vec<u32> {
    let part_of = |h: u32| (h >> (32 - 3 - 7)) as usize & (SPLIT - 1);
    let mut starts = [0usize; SPLIT + 1];
    for &h in hashes {
        starts[part_of(h) + 1] += 1;
    }
    for p in 0..SPLIT {
        starts[p + 1] += starts[p];
    }
    let mut split = vec![0u64; hashes.len()];
    let mut next = starts;
    for &h in hashes {
        let p = part_of(h);
        split[next[p]] = u64::from(h);
        next[p] += 1;
    }
    let mut index = KeyIndex::default();
    let mut out = Vec::new();
    for p in 0..SPLIT {
        index.repeats(&split[starts[p]..starts[p + 1]], &mut out);
    }
    out.into_iter().map(|h| h as u32).collect()
}

/// The posts for which `want(group, id hash)` holds, in the inputs' order (blocks looked through
/// on all threads). A post left out ([`REMOVED`]) has that for its group.
fn places_of(files: &[File<'_, '_>], want: impl Fn(u32, u32) -> bool + Sync) -> Vec<Place> {
    let blocks: Vec<(usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(f, file)| (0..file.merger.places.len()).map(move |b| (f, b)))
        .collect();
    crate::par::map(&blocks, |&(f, b)| {
        let places = &files[f].merger.places[b];
        let of = &files[f].merger.blocks[b].0;
        let mut found = Vec::new();
        for (row, ((&group, &hash), &at)) in of.iter().zip(&places.hashes).zip(&places.rows).enumerate() {
            if want(group, hash) {
                found.push(Place {
                    file: f,
                    block: b,
                    row,
                    offset: places.start + u64::from(at),
                    hash,
                    group,
                });
            }
        }
        found
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The rows at `places` read again (each thread a stretch of them, in file order), each checked
/// to be the row the parse read there: the same id (by its hash) and account.
fn reread(files: &[File<'_, '_>], places: &[Place], groups: &[Group]) -> Result<Vec<Reread>, String> {
    let stretch = places.len().div_ceil(crate::par::threads()).max(1);
    let stretches: Vec<&[Place]> = places.chunks(stretch).collect();
    let read = crate::par::map(&stretches, |stretch| {
        let mut window = Window::default();
        stretch
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let file = &files[p.file];
                // A window reaches on over the rows that follow close behind one another, and
                // holds one row where they are far apart (reading the file whole costs more).
                let mut last = p.offset;
                for q in stretch.iter().skip(k + 1).take(AHEAD) {
                    if q.file != p.file || q.offset - last > CLOSE {
                        break;
                    }
                    last = q.offset;
                }
                let reach = usize::try_from(last - p.offset)
                    .unwrap_or(usize::MAX)
                    .saturating_add(MIN_WINDOW)
                    .min(MAX_WINDOW);
                let line = window.line(file.path, p.file, p.offset, reach)?;
                let key = &groups[p.group as usize].key;
                let row = reread_row(line, file.layout, &key.platform, key.niche.as_deref())?;
                if id_hash(&row.id) != p.hash || key.account.as_deref() != Some(row.account.as_str()) {
                    return Err(format!(
                        "{}: a row read again differs (the file changed?)",
                        file.path.display()
                    ));
                }
                Ok(row)
            })
            .collect::<Result<Vec<Reread>, String>>()
    });
    let mut rows = Vec::with_capacity(places.len());
    for stretch in read {
        rows.extend(stretch?);
    }
    Ok(rows)
}

/// A window reaches at most this many rows ahead.
const AHEAD: usize = 64;
/// The bounds of a window's length: rows close together cost one read, rows far apart one each.
const MIN_WINDOW: usize = 4 << 10;
const MAX_WINDOW: usize = 1 << 20;

/// A stretch of one file, read at a time.
#[derive(Default)]
struct Window {
    /// (the file's number, the open file)
    file: Option<(usize, std::fs::File)>,
    start: u64,
    bytes: Vec<u8>,
    /// Whether `bytes` reach the end of the file.
    to_end: bool,
}

impl Window {
    /// The row that starts at `offset` of file `number` (at `path`), to its line break (rows the
    /// fast path reads hold none inside a quote) or the end of the file; where the window does not
    /// hold it, `reach` bytes are read from it on.
    fn line(&mut self, path: &Path, number: usize, offset: u64, reach: usize) -> Result<&[u8], String> {
        let failed = |e: std::io::Error| format!("{}: {e}", path.display());
        if self.file.as_ref().map(|f| f.0) != Some(number) {
            self.file = Some((number, std::fs::File::open(path).map_err(failed)?));
            self.bytes.clear();
        }
        let mut want = reach.max(1);
        loop {
            if let Some(range) = self.find(offset) {
                return Ok(&self.bytes[range]);
            }
            let Some((_, file)) = self.file.as_mut() else {
                return Err("no file open".to_string());
            };
            // A row longer than the window read: the window grows until it holds it.
            if self.start == offset && !self.bytes.is_empty() {
                want = self.bytes.len() * 2;
            }
            file.seek(SeekFrom::Start(offset)).map_err(failed)?;
            self.bytes.clear();
            file.by_ref()
                .take(want as u64)
                .read_to_end(&mut self.bytes)
                .map_err(failed)?;
            self.start = offset;
            self.to_end = self.bytes.len() < want;
            if self.bytes.is_empty() {
                return Err(format!(
                    "{}: shorter than when it was read (the file changed?)",
                    path.display()
                ));
            }
        }
    }

    /// Where the row at `offset` is in `bytes`, if they hold all of it.
    fn find(&self, offset: u64) -> Option<std::ops::Range<usize>> {
        let from = usize::try_from(offset.checked_sub(self.start)?).ok()?;
        let rest = self.bytes.get(from..).filter(|r| !r.is_empty())?;
        match rest.iter().position(|&b| b == b'\n') {
            Some(n) => Some(from..from + n + 1),
            None => self.to_end.then_some(from..self.bytes.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_found_wherever_they_fall_in_the_table() {
        // Distinct values, many sharing the bits that place them (so they probe onwards), and
        // some whose probes wrap past the end of the table.
        let mut rng = crate::rng::Rng::new(11);
        let mut distinct: Vec<u32> = (0..5000u32)
            .map(|i| ((rng.below(1 << 20) as u32) << 12) | (i % 7))
            .collect();
        distinct.extend((1..40u32).map(|i| (u32::MAX >> 10 << 10) | i));
        distinct.sort_unstable();
        distinct.dedup();
        assert!(repeats_in(&distinct).is_empty());
        for at in [0, 1, distinct.len() / 2, distinct.len() - 1] {
            let mut with_repeat = distinct.clone();
            with_repeat.push(distinct[at]);
            assert_eq!(repeats_in(&with_repeat), vec![distinct[at]], "repeat of item {at}");
        }
        // Zero is a hash like any other: one zero is no repeat, two are.
        assert!(repeats_in(&[0, 5, 7]).is_empty());
        assert_eq!(repeats_in(&[0, 5, 0]), vec![0]);
        assert!(repeats_in(&[]).is_empty());
    }

    #[test]
    fn rows_past_four_gib_are_read_again_where_they_are() -> std::io::Result<()> {
        // A sparse file: 4 GiB and more of offsets, a few bytes on disk. Offsets are 64-bit from
        // the block's start (`Places::start`) to the seek, so a row past 2^32 is found there.
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("niche-far-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("far.csv");
        let far = (1u64 << 32) + 5;
        let mut file = std::fs::File::create(&path)?;
        file.seek(SeekFrom::Start(far))?;
        file.write_all(b"far,1\nend,2")?;
        drop(file);
        let mut window = Window::default();
        assert_eq!(window.line(&path, 0, far, MIN_WINDOW).ok(), Some(&b"far,1\n"[..]));
        assert_eq!(window.line(&path, 0, far + 6, MIN_WINDOW).ok(), Some(&b"end,2"[..]));
        std::fs::remove_dir_all(&dir)
    }

    #[test]
    fn a_window_finds_rows_near_and_far_and_longer_than_itself() {
        let dir = std::env::temp_dir().join(format!("niche-window-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("rows.csv");
        let long = "x".repeat(3 * MIN_WINDOW);
        let text = format!("a,1\nb,2\n{long}\nlast,9");
        std::fs::write(&path, &text).unwrap();
        let mut window = Window::default();
        let mut line = |offset: usize| {
            String::from_utf8(window.line(&path, 0, offset as u64, MIN_WINDOW).unwrap().to_vec()).unwrap()
        };
        assert_eq!(line(4), "b,2\n");
        assert_eq!(line(0), "a,1\n");
        assert_eq!(line(8), format!("{long}\n"));
        assert_eq!(line(text.len() - 6), "last,9");
        assert_eq!(line(4), "b,2\n");
        assert!(window.line(&path, 0, text.len() as u64, 1).is_err(), "past the end");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
