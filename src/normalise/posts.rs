//! Posts reduced to what the method reads from them, gathered per unit.
//!
//! Both ways of reading posts end here: the general path turns its stored posts into a
//! [`PostSet`] ([`PostSet::from_store`]), and the fast path for canonical CSV
//! ([`crate::normalise::fast`]) builds one while it streams the file. Everything measured from
//! posts (units, their weekly series, style) is computed from a `PostSet` alone, so the two paths
//! share every rule after parsing. A post costs 24 bytes here, against a row of `String`s before.

use std::collections::BTreeMap;

use super::store::PostStore;

/// Seconds in a week: a post's week is whole weeks since 1970-01-01 (a Thursday), as METHOD.md defines it.
pub const WEEK: i64 = 7 * 24 * 3600;

/// (niche, platform, account): what a unit is known by.
pub type Key = (String, String, Option<String>);

const SPONSORED_KNOWN: u8 = 1;
const SPONSORED_YES: u8 = 2;
const HAS_TEXT: u8 = 4;
const TRAIT_SHIFT: u8 = 3;

/// The first and last publication time (seconds) of some posts, and how many are dated.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Times {
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub dated: u64,
}

impl Times {
    /// One post published at `t`.
    pub fn at(t: i64) -> Times {
        Times {
            first: Some(t),
            last: Some(t),
            dated: 1,
        }
    }

    /// Add the times of other posts.
    pub fn add(&mut self, other: Times) {
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, other.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.dated += other.dated;
    }

    /// Note a post published at `at` (an undated post changes nothing).
    pub fn note(&mut self, at: Option<i64>) {
        if let Some(t) = at {
            self.add(Times::at(t));
        }
    }
}

/// The unit key of a post that names no account: its post id and its place among the posts kept
/// (0 for the first), so that it sorts before every account and such posts in the order of
/// their ids.
pub fn standalone_key(post: &str, seq: u64) -> String {
    format!("{STANDALONE_PREFIX}{post}{STANDALONE_SEPARATOR}{seq}")
}

/// What [`standalone_key`] puts before the post id (its first character, U+001F, sorts it
/// before every account), and between the id and the place.
pub const STANDALONE_PREFIX: &str = "\u{1f}post:";
pub const STANDALONE_SEPARATOR: &str = ":";

/// One post: engagement and views (NaN where unknown), its week (whole weeks since 1970-01-01,
/// `i32::MIN` where undated), whether it is sponsored, and its title traits.
#[derive(Debug, Clone, Copy)]
pub struct Post {
    engagement: f64,
    views: f64,
    week: i32,
    flags: u8,
}

impl Post {
    /// `traits` is `None` for a post with neither title nor tags (style skips those).
    pub fn new(
        engagement: Option<f64>,
        views: Option<f64>,
        at: Option<i64>,
        sponsored: Option<bool>,
        traits: Option<[bool; 5]>,
    ) -> Post {
        let mut flags = match sponsored {
            None => 0,
            Some(false) => SPONSORED_KNOWN,
            Some(true) => SPONSORED_KNOWN | SPONSORED_YES,
        };
        if let Some(t) = traits {
            flags |= HAS_TEXT;
            for (k, on) in t.into_iter().enumerate() {
                if on {
                    flags |= 1 << (TRAIT_SHIFT + k as u8);
                }
            }
        }
        Post {
            engagement: engagement.unwrap_or(f64::NAN),
            views: views.unwrap_or(f64::NAN),
            week: at
                .and_then(|t| i32::try_from(t.div_euclid(WEEK)).ok())
                .unwrap_or(i32::MIN),
            flags,
        }
    }

    pub fn engagement(&self) -> Option<f64> {
        (!self.engagement.is_nan()).then_some(self.engagement)
    }

    pub fn views(&self) -> Option<f64> {
        (!self.views.is_nan()).then_some(self.views)
    }

    pub fn week(&self) -> Option<i64> {
        (self.week != i32::MIN).then_some(i64::from(self.week))
    }

    pub fn sponsored(&self) -> Option<bool> {
        (self.flags & SPONSORED_KNOWN != 0).then_some(self.flags & SPONSORED_YES != 0)
    }

    pub fn has_text(&self) -> bool {
        self.flags & HAS_TEXT != 0
    }

    /// The title traits as bits, trait k at bit k (see [`super::title::traits_of`]).
    pub fn trait_bits(&self) -> u8 {
        self.flags >> TRAIT_SHIFT
    }
}

/// The posts of one unit, and what is kept of them as they stream past.
#[derive(Debug, Clone, Default)]
pub struct UnitPosts {
    pub posts: Vec<Post>,
    /// First and last publication time (seconds), and how many posts are dated.
    pub first_at: Option<i64>,
    pub last_at: Option<i64>,
    pub dated: u64,
    /// Posts with a lower-bound count ("10万+").
    pub censored: u64,
    /// Prices of its posts, where a post list gives them.
    pub prices: Vec<f64>,
    /// (format id in [`PostSet::formats`], posts).
    pub formats: Vec<(u32, u64)>,
    /// (index in `posts`, tags) of posts with tags (shared by the posts that wrote their tags
    /// the same way).
    pub tags: Vec<(u32, std::sync::Arc<[String]>)>,
}

impl UnitPosts {
    pub fn add(&mut self, at: Option<i64>, post: Post) {
        self.note_time(at);
        self.posts.push(post);
    }

    /// Keep track of the first and last publication time and how many posts are dated.
    pub fn note_time(&mut self, at: Option<i64>) {
        if let Some(t) = at {
            self.add_times(Times::at(t));
        }
    }

    /// Add the times of another stretch of the unit's posts: their first and last publication
    /// time and how many are dated (as [`UnitPosts::note_time`] of each would).
    pub fn add_times(&mut self, times: Times) {
        let mut mine = Times {
            first: self.first_at,
            last: self.last_at,
            dated: self.dated,
        };
        mine.add(times);
        (self.first_at, self.last_at, self.dated) = (mine.first, mine.last, mine.dated);
    }

    pub fn add_format(&mut self, id: u32) {
        self.add_formats(id, 1);
    }

    /// Count `n` posts of format `id`.
    pub fn add_formats(&mut self, id: u32, n: u64) {
        match self.formats.iter_mut().find(|f| f.0 == id) {
            Some(f) => f.1 += n,
            None => self.formats.push((id, n)),
        }
    }

    /// Take one post of format `id` back out of the counts (a repeat found after it was counted).
    pub fn remove_format(&mut self, id: u32) {
        if let Some(k) = self.formats.iter().position(|f| f.0 == id) {
            self.formats[k].1 -= 1;
            if self.formats[k].1 == 0 {
                self.formats.remove(k);
            }
        }
    }

    /// Append another part of the same unit's posts (read from a later part of the input).
    pub fn append(&mut self, mut other: UnitPosts) {
        let offset = self.posts.len() as u32;
        self.add_times(Times {
            first: other.first_at,
            last: other.last_at,
            dated: other.dated,
        });
        self.censored += other.censored;
        self.posts.append(&mut other.posts);
        self.prices.append(&mut other.prices);
        for (id, n) in other.formats {
            match self.formats.iter_mut().find(|f| f.0 == id) {
                Some(f) => f.1 += n,
                None => self.formats.push((id, n)),
            }
        }
        self.tags.extend(other.tags.into_iter().map(|(i, t)| (i + offset, t)));
    }
}

/// One part of a post store's posts, grouped by unit ([`PostSet::from_store`]); format ids are
/// the part's own, numbered in `formats`.
struct Grouped<'a> {
    slots: Vec<((&'a str, &'a str, &'a str), UnitPosts)>,
    standalone: Vec<(Key, UnitPosts)>,
    formats: Vec<String>,
}

impl<'a> Grouped<'a> {
    fn of(posts: &'a PostStore, range: std::ops::Range<usize>) -> Grouped<'a> {
        let mut out = Grouped {
            slots: Vec::new(),
            standalone: Vec::new(),
            formats: Vec::new(),
        };
        let mut format_ids: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
        // Tags as written, split once each: exports repeat a handful of tag lists.
        let mut split_tags: foldhash::HashMap<&str, std::sync::Arc<[String]>> = foldhash::HashMap::default();
        // Each group's posts in this part, to size its unit's list once.
        let mut in_part: Vec<usize> = Vec::new();
        for i in range.clone() {
            let g = posts.get(i).group_id;
            if in_part.len() <= g {
                in_part.resize(g + 1, 0);
            }
            in_part[g] += 1;
        }
        // Units by (niche, platform, account), found once per group of posts rather than once per
        // post (two groups can be one unit: the join may fill in a group's platform or niche).
        let mut index: foldhash::HashMap<(&str, &str, &str), usize> = foldhash::HashMap::default();
        let mut slot_of_group: Vec<Option<usize>> = vec![None; in_part.len()];
        for i in range {
            let v = posts.get(i);
            let (Some(n), p) = (v.group.niche.as_deref(), v.group.platform.as_str()) else {
                continue;
            };
            let post = Post::new(v.engagement, v.views, v.at, v.sponsored, v.traits);
            let format_id = v.format.map(|f| {
                *format_ids.entry(f).or_insert_with(|| {
                    out.formats.push(f.to_string());
                    out.formats.len() as u32 - 1
                })
            });
            let slot = match (v.group.account.as_deref(), slot_of_group.get_mut(v.group_id)) {
                (Some(a), Some(slot_of)) => {
                    let slots = &mut out.slots;
                    let s = *slot_of.get_or_insert_with(|| {
                        let s = *index.entry((n, p, a)).or_insert_with(|| {
                            slots.push(((n, p, a), UnitPosts::default()));
                            slots.len() - 1
                        });
                        slots[s].1.posts.reserve(in_part.get(v.group_id).copied().unwrap_or(0));
                        s
                    });
                    &mut slots[s].1
                }
                _ => {
                    // A post that names no account is a unit of its own, keyed by its post id.
                    let key = (n.to_string(), p.to_string(), Some(standalone_key(v.post, i as u64)));
                    out.standalone.push((key, UnitPosts::default()));
                    match out.standalone.last_mut() {
                        Some(last) => &mut last.1,
                        None => continue,
                    }
                }
            };
            if let Some(g) = v.tags {
                let split = split_tags
                    .entry(g)
                    .or_insert_with(|| super::title::split_tags(g).into());
                slot.tags.push((slot.posts.len() as u32, split.clone()));
            }
            slot.add(v.at, post);
            if v.censored {
                slot.censored += 1;
            }
            if let Some(x) = v.price.filter(|_| v.group.account.is_some()) {
                slot.prices.push(x);
            }
            if let Some(id) = format_id {
                slot.add_format(id);
            }
        }
        out
    }
}

/// Every post of the inputs that has a niche, per unit.
#[derive(Debug, Clone, Default)]
pub struct PostSet {
    /// Units in key order, (niche, platform, account), each key once (a sorted list: built in
    /// order, it costs no tree of 100k nodes). A post that names no account is a unit of its own,
    /// keyed by its post id and row, and flagged `standalone`.
    pub units: Vec<(Key, (bool, UnitPosts))>,
    /// Format names by id.
    pub formats: Vec<String>,
    /// Ids by format name.
    format_ids: foldhash::HashMap<String, u32>,
    /// Posts read, with or without a niche (the measure's "has posts").
    pub rows: usize,
}

impl PostSet {
    /// The id of a format name, given one on first sight.
    pub fn format_id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.format_ids.get(name) {
            return id;
        }
        let id = self.formats.len() as u32;
        self.formats.push(name.to_string());
        self.format_ids.insert(name.to_string(), id);
        id
    }

    /// The general path's posts as a post set. The posts are grouped by unit in contiguous parts,
    /// one per thread, and the parts joined in order, so each unit's posts (and its formats and
    /// tags) come in the order they were read, as one pass would give them.
    pub fn from_store(posts: &PostStore) -> PostSet {
        /// Fewer posts than this to a part and the threads cost more than they save.
        const PART_MIN: usize = 1 << 16;
        PostSet::from_store_in(posts, crate::par::threads().min(posts.len() / PART_MIN).max(1))
    }

    /// [`PostSet::from_store`] with the posts in `parts` parts.
    fn from_store_in(posts: &PostStore, parts: usize) -> PostSet {
        let n = posts.len();
        let parts = parts.max(1);
        let ranges: Vec<std::ops::Range<usize>> = (0..parts).map(|k| k * n / parts..(k + 1) * n / parts).collect();
        let grouped = crate::par::map(&ranges, |range| Grouped::of(posts, range.clone()));
        let mut set = PostSet {
            rows: n,
            ..PostSet::default()
        };
        let mut units: BTreeMap<Key, (bool, UnitPosts)> = BTreeMap::new();
        for part in grouped {
            // Format ids as the whole list would have given them: first seen, first numbered.
            let ids: Vec<u32> = part.formats.iter().map(|f| set.format_id(f)).collect();
            let global = |mut u: UnitPosts| {
                for (id, _) in &mut u.formats {
                    *id = ids.get(*id as usize).copied().unwrap_or(*id);
                }
                u
            };
            for ((n, p, a), u) in part.slots {
                let u = global(u);
                match units.entry((n.to_string(), p.to_string(), Some(a.to_string()))) {
                    std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().1.append(u),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert((false, u));
                    }
                }
            }
            for (key, u) in part.standalone {
                units.insert(key, (true, global(u)));
            }
        }
        set.units = units.into_iter().collect();
        set
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}

/// The order of `keys` by (niche, platform, account), equal keys in their given order: the
/// positions in `keys`, sorted, each with whether its key equals the one before it.
///
/// Comparing the strings behind each key reads memory far apart (a cache miss or more per
/// comparison, most of the time at 100k keys); here niche and platform become their ranks among
/// the few distinct values and an account its first eight bytes, so most comparisons are of
/// integers side by side, and only equal prefixes read the strings.
pub fn key_order(keys: &[(&str, &str, Option<&str>)]) -> Vec<(u32, bool)> {
    fn ranks<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        let distinct: foldhash::HashSet<&str> = values.collect();
        let mut v: Vec<&str> = distinct.into_iter().collect();
        v.sort_unstable();
        v
    }
    let niches = ranks(keys.iter().map(|k| k.0));
    let platforms = ranks(keys.iter().map(|k| k.1));
    let rank = |list: &[&str], x: &str| list.binary_search(&x).unwrap_or(0) as u64;
    // A missing account sorts first, as `None` does; padding with zero bytes keeps the order of
    // the prefixes the order of the strings (equal prefixes fall back to the strings).
    let prefix = |a: Option<&str>| match a {
        None => (0, 0),
        Some(a) => {
            let mut b = [0u8; 8];
            let n = a.len().min(8);
            b[..n].copy_from_slice(&a.as_bytes()[..n]);
            (1, u64::from_be_bytes(b))
        }
    };
    let mut last: Option<(&str, &str, u64)> = None;
    let mut packed: Vec<(u64, u64, u32)> = keys
        .iter()
        .enumerate()
        .map(|(i, &(n, p, a))| {
            let high = match last {
                Some((ln, lp, h)) if ln == n && lp == p => h,
                _ => {
                    let h = (rank(&niches, n) << 33) | (rank(&platforms, p) << 1);
                    last = Some((n, p, h));
                    h
                }
            };
            let (some, pre) = prefix(a);
            (high | some, pre, i as u32)
        })
        .collect();
    packed.sort_unstable_by(|x, y| {
        (x.0, x.1)
            .cmp(&(y.0, y.1))
            .then_with(|| keys[x.2 as usize].2.cmp(&keys[y.2 as usize].2))
            .then(x.2.cmp(&y.2))
    });
    let mut out: Vec<(u32, bool)> = Vec::with_capacity(packed.len());
    for (k, x) in packed.iter().enumerate() {
        let same = k > 0 && {
            let y = &packed[k - 1];
            (x.0, x.1) == (y.0, y.1) && keys[x.2 as usize].2 == keys[y.2 as usize].2
        };
        out.push((x.2, same));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::records::PostRow;
    use crate::normalise::store::PostRun;

    /// Posts of interleaved accounts, some without an account or a niche, with formats, tags and
    /// prices: grouped in several parts and joined, they are the set one pass gives.
    #[test]
    fn posts_grouped_in_parts_are_the_posts_grouped_at_once() {
        let mut run = PostRun::default();
        for i in 0..200u32 {
            let (account, title) = (format!("a{}", i % 7), format!("title {i}？"));
            let row = PostRow {
                post: format!("p{i}").into(),
                platform: ["douyin", "bilibili"][(i % 2) as usize],
                account: (i % 11 != 0).then_some(account.as_str()),
                account_name: None,
                also_in: Vec::new(),
                niche: (i % 13 != 0).then(|| ["美妆", "美食"][(i % 3 % 2) as usize]),
                published_at: Some(1_750_000_000 + i64::from(i) * 86_400),
                likes: Some(f64::from(i)),
                comments: None,
                shares: None,
                collects: None,
                views: Some(f64::from(i * 10)),
                engagement: Some(f64::from(i)),
                censored: i % 17 == 0,
                sponsored: Some(i % 5 == 0),
                price: (i % 4 == 0).then_some(f64::from(i)),
                title: Some(title.as_str()),
                format: (i % 6 != 0).then(|| ["video", "image", "text"][(i / 50) as usize % 3].into()),
                tags: (i % 9 == 0).then_some("#a #b"),
            };
            run.push(row, u64::from(i));
        }
        let mut store = PostStore::default();
        store.push_run(&run);
        // What the measures read (the name-to-id map is a lookup aid; its listing order is not).
        let read = |set: PostSet| format!("{:?}", (set.units, set.formats, set.rows));
        let whole = read(PostSet::from_store_in(&store, 1));
        assert!(whole.contains("post:p11:11") && whole.contains("[\"a\", \"b\"]"));
        for parts in [2, 3, 7, 200, 400] {
            assert!(read(PostSet::from_store_in(&store, parts)) == whole, "{parts} parts");
        }
    }

    #[test]
    fn key_order_sorts_as_the_full_keys_do_and_marks_repeats() {
        // Accounts that share their first eight bytes or differ past them, hold a NUL or
        // multi-byte text, are missing, or repeat; niches and platforms given out of order.
        let accounts = [
            Some("account-00000001"),
            Some("account-00000002"),
            Some("account-0000000"),
            Some("account-"),
            Some("account\0"),
            Some("a"),
            Some(""),
            None,
            Some("账号一"),
            Some("账号"),
            Some("account-00000001"),
        ];
        let mut keys: Vec<(&str, &str, Option<&str>)> = Vec::new();
        for (i, a) in accounts.iter().enumerate() {
            for (j, n) in ["美妆", "AI工具", "a", "美妆护肤"].iter().enumerate() {
                let p = ["douyin", "bilibili", "b"][(i + j) % 3];
                keys.push((n, p, *a));
            }
        }
        keys.push(keys[0]);
        keys.push(keys[5]);
        let order = key_order(&keys);
        let mut expected: Vec<u32> = (0..keys.len() as u32).collect();
        expected.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        let got: Vec<u32> = order.iter().map(|x| x.0).collect();
        assert_eq!(got, expected);
        for (k, &(i, same)) in order.iter().enumerate() {
            let before = k.checked_sub(1).map(|b| keys[order[b].0 as usize]);
            assert_eq!(same, before == Some(keys[i as usize]), "at {k}");
        }
        assert_eq!(order.iter().filter(|x| x.1).count(), 2);
        assert!(key_order(&[]).is_empty());
    }
}
