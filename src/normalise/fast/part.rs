//! What a worker makes of a block ([`Part`]: its posts, accounts, labels and the places of its
//! rows), and the small tables it reuses ([`Flat`], [`Names`]): below the block reader that fills
//! a part ([`super::blocks`]) and the merger that gathers the parts ([`super::merger`]).

use crate::normalise::key_index::KeyIndex;
use crate::normalise::posts::{Post, Times};

/// What one block of rows holds, with no allocation per account: rows in crawl order hold tens
/// of thousands of accounts a block, one or two posts each.
#[derive(Default)]
pub(super) struct Part {
    pub(super) rows: usize,
    /// Cells blank or a missing-value marker, per field of [`MISSING_FIELDS`].
    pub(super) missing: [usize; 7],
    /// The block's accounts' names in the order they first appear (and below, each one's
    /// publication times).
    pub(super) names: Names,
    /// Each account's niche and platform (numbers in `labels`, or `NO_LABEL` where the file has
    /// no such column): an account under two niches is two groups.
    pub(super) group_labels: Vec<(u32, u32)>,
    /// The niche and platform names the block's rows give.
    pub(super) labels: Vec<String>,
    /// Each group's hash (of account, niche and platform), for the merger's index.
    pub(super) name_hashes: Vec<u64>,
    pub(super) times: Vec<Times>,
    /// The posts in file order, and side by side with them each one's account (the block's
    /// number) and format (the block's id, or `NO_FORMAT`): kept apart, as the merger keeps the
    /// posts and their accounts until the file is read, and a post with its numbers would take
    /// 32 bytes where these take 28.
    pub(super) posts: Vec<Post>,
    pub(super) post_accounts: Vec<u32>,
    pub(super) post_formats: Vec<u32>,
    /// (the post's place in `posts`, its tags) for the posts with tags.
    pub(super) post_tags: Vec<(u32, Tags)>,
    /// "Total" rows left out: (the row's place among the block's lines, its first cell).
    pub(super) totals: Vec<(u32, String)>,
    /// Format names by the block's own ids.
    pub(super) formats: Vec<String>,
    /// Where the posts are in the file and their ids' hashes (for finding repeats).
    pub(super) places: Places,
}

impl Part {
    /// A niche or platform name of the block's group `j`'s (`None`: no such column).
    pub(super) fn label(&self, id: u32) -> Option<&str> {
        self.labels.get(id as usize).map(String::as_str)
    }

    /// The name of the block's account `j`.
    pub(super) fn name(&self, j: usize) -> &str {
        self.names.get(j)
    }
}

/// Where a block's posts are in the file, and their ids hashed: what [`repeats`] needs to find
/// posts whose ids repeat and read their rows again.
#[derive(Default)]
pub(super) struct Places {
    /// The file offset of the block's first byte.
    pub(super) start: u64,
    /// Each post's row, as an offset from the block's start.
    pub(super) rows: Vec<u32>,
    /// Each post's id, hashed ([`id_hash`]).
    pub(super) hashes: Vec<u32>,
}

/// The hash of a post id that repeats are looked for by: 32 bits, as ids that share one are
/// told apart when their rows are read again (at 10 million posts, some 12,000 pairs of
/// different ids share a hash, a few milliseconds of reading; a 64-bit hash would cost 4 bytes
/// more a post while the file is read).
pub(super) fn id_hash(post: &str) -> u32 {
    use std::hash::BuildHasher;
    (foldhash::fast::FixedState::with_seed(0x6661_7374).hash_one(post) >> 32) as u32
}

/// A post found to repeat an earlier one, in a block's list of groups: skipped when the posts are
/// laid out.
pub(super) const REMOVED: u32 = u32::MAX;

/// A post without a format, in [`Part::posts`].
pub(super) const NO_FORMAT: u32 = u32::MAX;

/// A block's posts on their way to their groups: each one's group, the posts, and the tags of
/// those with tags (by place in the block).
pub(super) type Block = (Vec<u32>, Vec<Post>, Vec<(u32, Tags)>);

/// A post's tags, split as the general path splits them ([`crate::normalise::title::split_tags`]).
pub(super) type Tags = std::sync::Arc<[String]>;

/// No niche or platform column, in [`Part::group_labels`].
pub(super) const NO_LABEL: u32 = u32::MAX;

/// Account names end to end in one string, one allocation for all of them (a block's accounts,
/// a file's).
#[derive(Default)]
pub(super) struct Names {
    pub(super) text: String,
    /// Where each name ends in `text`.
    pub(super) ends: Vec<usize>,
}

impl Names {
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn push(&mut self, name: &str) {
        self.text.push_str(name);
        self.ends.push(self.text.len());
    }

    /// Forget every name, keeping the memory.
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Reads where name `i` ends and its last byte, and returns a mix of them (for [`warm`]: the
    /// reads a comparison with the name makes first); 0 for no such name.
    ///
    /// [`warm`]: crate::normalise::key_index::warm
    pub(super) fn touch(&self, i: usize) -> usize {
        let end = self.ends.get(i).copied().unwrap_or(0);
        let last = self.text.as_bytes().get(end.wrapping_sub(1)).copied().unwrap_or(0);
        end ^ usize::from(last)
    }

    /// Name `i`.
    pub(super) fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..self.ends[i]).unwrap_or_default()
    }
}

/// A worker's buffers, reused from block to block: the index of the block's accounts, and names
/// seen in the block.
#[derive(Default)]
pub(super) struct Flat {
    pub(super) accounts: KeyIndex,
    /// Niche names, and platform cells as written, to their number in the block's labels.
    pub(super) niches: foldhash::HashMap<String, u32>,
    pub(super) platforms: foldhash::HashMap<String, u32>,
    /// Tag cells as written, split.
    pub(super) tags: foldhash::HashMap<String, Tags>,
}

/// The block's number for a niche or platform (`name` as the row writes it, `canonical` the name
/// kept), given one on first sight.
pub(super) fn label(
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

/// Whether two short byte strings are equal, compared inline (a call to `memcmp` per row cost
/// more than the comparison).
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(true, |same, (x, y)| same & (x == y))
}
