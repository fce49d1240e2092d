//! Posts as the general path keeps them between reading and measuring.
//!
//! A post row of `String`s and `Option<f64>`s costs ~500 bytes; a messy export has tens of
//! millions of them. Here a post costs ~72 bytes plus its id's bytes: its platform, account and
//! niche are one group number (groups are what the join to the account list works on), numbers are
//! `f64` with NaN for missing, the title is kept only as the traits the method reads from it, and
//! the post id lives in one shared string. Whether a duplicate row's values differ from the first
//! row's is decided on a 64-bit fingerprint of every value the row had.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasher, Hash, Hasher};

use super::tables::{JoinPost, PostRow};

const NONE: u32 = u32::MAX;
const SPONSORED_KNOWN: u16 = 1;
const SPONSORED_YES: u16 = 2;
const CENSORED: u16 = 4;
const HAS_TITLE: u16 = 8;
const TRAIT_SHIFT: u16 = 4;

/// The platform, account and niche that posts share, and how many posts; the join to the account
/// list may fill in the platform and niche.
#[derive(Debug, Clone)]
pub struct PostGroup {
    pub platform: String,
    pub account: Option<String>,
    pub niche: Option<String>,
    pub rows: usize,
}

impl JoinPost for PostGroup {
    fn group(&self) -> &PostGroup {
        self
    }
    fn group_mut(&mut self) -> &mut PostGroup {
        self
    }
}

/// One post, small.
#[derive(Debug, Clone, Copy)]
struct Stored {
    group: u32,
    format: u32,
    tags: u32,
    id_len: u32,
    id_start: u64,
    /// Seconds since 1970, `i64::MIN` where undated.
    at: i64,
    engagement: f64,
    views: f64,
    price: f64,
    fingerprint: u64,
    flags: u16,
}

/// What the measures read of one stored post.
pub struct PostView<'a> {
    pub group: &'a PostGroup,
    pub post: &'a str,
    pub at: Option<i64>,
    pub engagement: Option<f64>,
    pub views: Option<f64>,
    pub price: Option<f64>,
    pub sponsored: Option<bool>,
    pub censored: bool,
    /// `None` for a post with neither title nor tags.
    pub traits: Option<[bool; 5]>,
    pub format: Option<&'a str>,
    pub tags: Option<&'a str>,
}

/// Every post kept, in the order read.
#[derive(Debug, Default, Clone)]
pub struct PostStore {
    groups: Vec<PostGroup>,
    /// (foldhash: this index and `format_index` are only looked up, never listed.)
    group_index: foldhash::HashMap<(String, Option<String>, Option<String>), u32>,
    ids: String,
    posts: Vec<Stored>,
    formats: Vec<String>,
    format_index: foldhash::HashMap<String, u32>,
    /// The group of the last post pushed: an export lists an account's posts together, so the
    /// next post's group is usually the same, found without hashing its key.
    last_group: Option<u32>,
    tags: Vec<Box<str>>,
}

fn opt(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// A fingerprint of every value of a row, for telling a duplicate that repeats the first row from
/// one that contradicts it. `-0.0` hashes as `0.0`, as the two compare equal.
fn fingerprint(row: &PostRow) -> u64 {
    let mut h = foldhash::fast::FixedState::with_seed(0x0066_696e_6765).build_hasher();
    row.post.hash(&mut h);
    row.platform.hash(&mut h);
    row.account.hash(&mut h);
    row.niche.hash(&mut h);
    row.published_at.hash(&mut h);
    for x in [
        row.likes,
        row.comments,
        row.shares,
        row.collects,
        row.views,
        row.engagement,
        row.price,
    ] {
        x.map(|v| (v + 0.0).to_bits()).hash(&mut h);
    }
    row.censored.hash(&mut h);
    row.sponsored.hash(&mut h);
    row.title.hash(&mut h);
    row.format.hash(&mut h);
    row.tags.hash(&mut h);
    h.finish()
}

/// A post row with what the store works out from the row alone: the fingerprint of its values
/// and its title's traits (the title itself is let go). Made where rows are read, so the reading
/// threads do that work.
#[derive(Debug)]
pub struct Prepared {
    row: PostRow,
    fingerprint: u64,
    traits: Option<[bool; 5]>,
}

impl Prepared {
    pub fn new(mut row: PostRow) -> Prepared {
        let fingerprint = fingerprint(&row);
        let traits = row.title.take().map(|t| crate::measure::style::traits_of(&t));
        Prepared {
            row,
            fingerprint,
            traits,
        }
    }

    /// The row, without its title.
    pub fn row(&self) -> &PostRow {
        &self.row
    }
}

impl PostStore {
    pub fn len(&self) -> usize {
        self.posts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// The groups, for the join to the account list.
    pub fn groups_mut(&mut self) -> &mut [PostGroup] {
        &mut self.groups
    }

    /// Platform, post id and niche of post `i`: the key duplicates are found by.
    pub fn key(&self, i: usize) -> (&str, &str, Option<&str>) {
        let p = &self.posts[i];
        let g = &self.groups[p.group as usize];
        (&g.platform, self.id(p), g.niche.as_deref())
    }

    fn id(&self, p: &Stored) -> &str {
        let start = p.id_start as usize;
        self.ids.get(start..start + p.id_len as usize).unwrap_or_default()
    }

    /// Whether post `i` has the same values as `row` (see [`fingerprint`]).
    pub fn same_values(&self, i: usize, post: &Prepared) -> bool {
        self.posts[i].fingerprint == post.fingerprint
    }

    pub fn push(&mut self, post: Prepared) {
        let Prepared {
            row,
            fingerprint,
            traits,
        } = post;
        let key = (row.platform, row.account, row.niche);
        let last = self.last_group.filter(|&g| {
            let p = &self.groups[g as usize];
            p.platform == key.0 && p.account == key.1 && p.niche == key.2
        });
        let group = match last.or_else(|| self.group_index.get(&key).copied()) {
            Some(g) => g,
            None => {
                let g = self.groups.len() as u32;
                self.groups.push(PostGroup {
                    platform: key.0.clone(),
                    account: key.1.clone(),
                    niche: key.2.clone(),
                    rows: 0,
                });
                self.group_index.insert(key, g);
                g
            }
        };
        self.last_group = Some(group);
        self.groups[group as usize].rows += 1;
        let format = match row.format {
            None => NONE,
            Some(f) => match self.format_index.get(&f) {
                Some(&id) => id,
                None => {
                    let id = self.formats.len() as u32;
                    self.formats.push(f.clone());
                    self.format_index.insert(f, id);
                    id
                }
            },
        };
        let tags = match row.tags {
            None => NONE,
            Some(t) => {
                self.tags.push(t.into_boxed_str());
                (self.tags.len() - 1) as u32
            }
        };
        let mut flags = match row.sponsored {
            None => 0,
            Some(false) => SPONSORED_KNOWN,
            Some(true) => SPONSORED_KNOWN | SPONSORED_YES,
        };
        if row.censored {
            flags |= CENSORED;
        }
        if let Some(traits) = traits {
            flags |= HAS_TITLE;
            for (k, on) in traits.into_iter().enumerate() {
                if on {
                    flags |= 1 << (TRAIT_SHIFT + k as u16);
                }
            }
        }
        let id_start = self.ids.len() as u64;
        self.ids.push_str(&row.post);
        self.posts.push(Stored {
            group,
            format,
            tags,
            id_len: row.post.len() as u32,
            id_start,
            at: row.published_at.unwrap_or(i64::MIN),
            engagement: row.engagement.unwrap_or(f64::NAN),
            views: row.views.unwrap_or(f64::NAN),
            price: row.price.unwrap_or(f64::NAN),
            fingerprint,
            flags,
        });
    }

    /// Post `i` as the measures read it.
    pub fn get(&self, i: usize) -> PostView<'_> {
        let p = &self.posts[i];
        let has_tags = p.tags != NONE;
        let has_title = p.flags & HAS_TITLE != 0;
        PostView {
            group: &self.groups[p.group as usize],
            post: self.id(p),
            at: (p.at != i64::MIN).then_some(p.at),
            engagement: opt(p.engagement),
            views: opt(p.views),
            price: opt(p.price),
            sponsored: (p.flags & SPONSORED_KNOWN != 0).then_some(p.flags & SPONSORED_YES != 0),
            censored: p.flags & CENSORED != 0,
            traits: (has_title || has_tags)
                .then(|| std::array::from_fn(|k| p.flags & (1 << (TRAIT_SHIFT + k as u16)) != 0)),
            format: (p.format != NONE).then(|| self.formats[p.format as usize].as_str()),
            tags: has_tags.then(|| &*self.tags[p.tags as usize]),
        }
    }

    /// Keep the posts for which `keep(platform, published_at)` holds; return how many were left out.
    pub fn retain(&mut self, keep: impl Fn(&str, Option<i64>) -> bool) -> usize {
        let before = self.posts.len();
        let groups = &self.groups;
        self.posts
            .retain(|p| keep(&groups[p.group as usize].platform, (p.at != i64::MIN).then_some(p.at)));
        before - self.posts.len()
    }

    /// Posts filed under more than one niche: how many (platform, post id) pairs have posts in two
    /// or more different niches, and per niche, how many of its posts share their id with a post
    /// of the same platform in another row with a niche.
    pub fn multi_niche(&self) -> (usize, HashMap<String, u64>) {
        let mut keyed: Vec<(u64, u32)> = Vec::new();
        for (i, p) in self.posts.iter().enumerate() {
            let g = &self.groups[p.group as usize];
            if g.niche.is_some() {
                let mut h = foldhash::fast::FixedState::with_seed(7).build_hasher();
                g.platform.hash(&mut h);
                self.id(p).hash(&mut h);
                keyed.push((h.finish(), i as u32));
            }
        }
        keyed.sort_unstable();
        let mut posts_multi = 0;
        let mut per_niche: HashMap<String, u64> = HashMap::new();
        let mut start = 0;
        while start < keyed.len() {
            let mut end = start + 1;
            while end < keyed.len() && keyed[end].0 == keyed[start].0 {
                end += 1;
            }
            if end - start > 1 {
                // Posts that share a hash: split them by their exact (platform, id).
                let mut same: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
                for &(_, i) in &keyed[start..end] {
                    let (platform, id, niche) = self.key(i as usize);
                    same.entry((platform, id)).or_default().push(niche.unwrap_or_default());
                }
                for list in same.values().filter(|l| l.len() > 1) {
                    if list.iter().collect::<BTreeSet<_>>().len() > 1 {
                        posts_multi += 1;
                    }
                    for n in list {
                        *per_niche.entry((*n).to_string()).or_default() += 1;
                    }
                }
            }
            start = end;
        }
        (posts_multi, per_niche)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(post: &str, niche: Option<&str>, likes: Option<f64>) -> PostRow {
        PostRow {
            post: post.to_string(),
            platform: "douyin".to_string(),
            account: Some("a1".to_string()),
            niche: niche.map(str::to_string),
            published_at: Some(1_750_000_000),
            likes,
            comments: None,
            shares: None,
            collects: None,
            views: Some(10.0),
            engagement: likes,
            censored: false,
            sponsored: Some(true),
            price: None,
            title: Some("3 个技巧？".to_string()),
            format: Some("image".to_string()),
            tags: None,
        }
    }

    #[test]
    fn a_stored_post_is_small() {
        assert!(std::mem::size_of::<Stored>() <= 72, "{}", std::mem::size_of::<Stored>());
    }

    #[test]
    fn a_stored_post_reads_back_as_written() {
        let mut s = PostStore::default();
        s.push(Prepared::new(row("p1", Some("美妆"), Some(5.0))));
        s.push(Prepared::new(row("p2", None, None)));
        let a = s.get(0);
        assert_eq!((a.post, a.group.niche.as_deref()), ("p1", Some("美妆")));
        assert_eq!(
            (a.at, a.engagement, a.views, a.price),
            (Some(1_750_000_000), Some(5.0), Some(10.0), None)
        );
        assert_eq!(
            (a.sponsored, a.censored, a.format, a.tags),
            (Some(true), false, Some("image"), None)
        );
        assert_eq!(a.traits, Some(crate::measure::style::traits_of("3 个技巧？")));
        let b = s.get(1);
        assert_eq!((b.post, b.group.niche.as_deref(), b.engagement), ("p2", None, None));
        assert_eq!(s.key(1), ("douyin", "p2", None));
    }

    #[test]
    fn fingerprints_tell_a_changed_value_and_not_a_negative_zero() {
        let mut s = PostStore::default();
        s.push(Prepared::new(row("p1", Some("美妆"), Some(0.0))));
        assert!(s.same_values(0, &Prepared::new(row("p1", Some("美妆"), Some(-0.0)))));
        assert!(!s.same_values(0, &Prepared::new(row("p1", Some("美妆"), Some(1.0)))));
        assert!(!s.same_values(0, &Prepared::new(row("p1", Some("美妆"), None))));
    }

    #[test]
    fn posts_under_two_niches_are_counted_once_and_in_each_niche() {
        let mut s = PostStore::default();
        s.push(Prepared::new(row("p1", Some("美妆"), None)));
        s.push(Prepared::new(row("p1", Some("护肤"), None)));
        s.push(Prepared::new(row("p2", Some("美妆"), None)));
        s.push(Prepared::new(row("p3", None, None)));
        let (multi, per_niche) = s.multi_niche();
        assert_eq!(multi, 1);
        assert_eq!(per_niche.get("美妆"), Some(&1));
        assert_eq!(per_niche.get("护肤"), Some(&1));
        assert_eq!(s.retain(|_, _| false), 4);
        assert!(s.is_empty());
    }
}
