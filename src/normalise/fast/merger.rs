//! Parsed blocks gathered per account ([`Merger`]): each block's posts put with their account's
//! [`Group`] in file order, the repeats' places kept for `repeats.rs`, the counts the report needs.

use super::part::{label, same_bytes, Block, Names, Part, Places, NO_LABEL};
use crate::load;
use crate::normalise::join::JoinPost;
use crate::normalise::key_index::{warm, KeyIndex, WARM};
use crate::normalise::posts::{PostSet, Times, UnitPosts};
use crate::normalise::records::PostGroup;

/// The posts of one account in one file, on their way to the join.
pub(super) struct Group {
    pub(super) key: PostGroup,
    pub(super) posts: UnitPosts,
}

impl JoinPost for Group {
    fn group(&self) -> &PostGroup {
        &self.key
    }
    fn group_mut(&mut self) -> &mut PostGroup {
        &mut self.key
    }
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
pub(super) struct Merger<'a> {
    pub(super) platform: &'a str,
    /// The file's accounts by the hash the workers gave their names, to their number in the file.
    pub(super) index: KeyIndex,
    /// The group of the file's first account: account `i` is group `first + i`.
    pub(super) first: usize,
    /// The accounts' names, account `i`'s `i`th.
    pub(super) names: Names,
    /// Each account's niche and platform, as numbers in `labels` (or `NO_LABEL`).
    pub(super) keys: Vec<(u32, u32)>,
    pub(super) labels: Vec<String>,
    pub(super) label_ids: foldhash::HashMap<String, u32>,
    /// What is counted of each account's posts as the blocks come in.
    pub(super) stats: Vec<Stats>,
    /// Each block's posts and their groups (side by side: a post with its group number would
    /// take 32 bytes, as 28 are aligned to 8).
    pub(super) blocks: Vec<Block>,
    /// Each block's [`Places`], until repeats have been looked for.
    pub(super) places: Vec<Places>,
    pub(super) rows: usize,
    /// Cells blank or a missing-value marker, per field of [`MISSING_FIELDS`].
    pub(super) missing: [usize; 7],
    /// The line of the last row merged (the header's, at first).
    pub(super) line: usize,
    /// "Total" rows left out, with their lines.
    pub(super) totals: Vec<load::SkippedRow>,
}

/// An account's posts as counted while its file is read: how many, their times, and per format
/// (the post set's format ids) how many — the first few formats in place (a count of 0: a
/// place not taken yet), any more beside.
#[derive(Default, Clone)]
pub(super) struct Stats {
    pub(super) rows: usize,
    pub(super) times: Times,
    pub(super) formats: [(u32, u32); 3],
    pub(super) more_formats: Vec<(u32, u64)>,
}

impl Stats {
    pub(super) fn add_format(&mut self, id: u32) {
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
    pub(super) fn new(platform: &'a str, header_line: usize, first: usize) -> Merger<'a> {
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
    pub(super) fn label_id(&mut self, name: Option<&str>) -> u32 {
        name.map_or(NO_LABEL, |name| {
            label(&mut self.labels, &mut self.label_ids, name, str::to_string)
        })
    }

    pub(super) fn add(&mut self, part: Part, groups: &mut Vec<Group>, set: &mut PostSet) {
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
            if j % WARM == 0 {
                // The next accounts' slots, keys, names and counts read ahead together: in crawl
                // order nearly every one is in the file's table already, far from the cache.
                let Merger {
                    index,
                    names,
                    keys,
                    stats,
                    ..
                } = &*self;
                let ahead = part.name_hashes.get(j..).unwrap_or_default();
                warm(index, ahead, |i| {
                    names.touch(i) ^ keys.get(i).map_or(0, |k| k.0 as usize) ^ stats.get(i).map_or(0, |s| s.rows)
                });
            }
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
    pub(super) fn settle(&mut self, groups: &mut [Group]) {
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
    pub(super) fn finish(self, groups: &mut [Group]) {
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
