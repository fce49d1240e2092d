//! Posts as the general path keeps them between reading and measuring.
//!
//! A post row of `String`s and `Option<f64>`s costs ~500 bytes; a messy export has tens of
//! millions of them. Here a post costs ~72 bytes plus its id's bytes: its platform, account and
//! niche are one group number (groups are what the join to the account list works on), numbers are
//! `f64` with NaN for missing, the title is kept only as the traits the method reads from it, and
//! the post id lives in one shared string. Whether a duplicate row's values differ from the first
//! row's is decided on a 64-bit fingerprint of every value the row had.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use super::key_index::KeyIndex;
use super::records::{PostGroup, PostRow};

const NONE: u32 = u32::MAX;
const SPONSORED_KNOWN: u16 = 1;
const SPONSORED_YES: u16 = 2;
const CENSORED: u16 = 4;
const HAS_TITLE: u16 = 8;
const TRAIT_SHIFT: u16 = 4;

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
    /// The group's number (its index in the store's groups).
    pub group_id: usize,
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
    /// Groups by the hash of their key (platform, account, niche).
    group_index: KeyIndex,
    ids: String,
    posts: Vec<Stored>,
    formats: Vec<String>,
    format_index: foldhash::HashMap<String, u32>,
    /// The group of the last post pushed: an export lists an account's posts together, so the
    /// next post's group is usually the same, found without hashing its key.
    last_group: Option<u32>,
    /// The format of the last post pushed that had one.
    last_format: Option<u32>,
    tags: Vec<Box<str>>,
    /// Each post's title and interaction counts, where asked for ([`PostStore::keep_details`]):
    /// what a list of a niche's breakout posts shows and the measures do not read.
    details: Option<Details>,
}

/// The titles (one shared string) and counts of the stored posts, in the store's order.
#[derive(Debug, Default, Clone)]
struct Details {
    titles: String,
    rows: Vec<DetailRow>,
}

#[derive(Debug, Clone, Copy)]
struct DetailRow {
    title_start: u64,
    /// `u32::MAX` where the post has no title.
    title_len: u32,
    /// The account's name, in the same text; `u32::MAX` where the row gives none.
    name_start: u64,
    name_len: u32,
    /// Likes, comments, shares and collects; NaN where unknown.
    parts: [f64; 4],
}

/// A stored post's title and interaction counts ([`PostStore::details`]).
#[derive(Debug, Clone, Copy)]
pub struct PostDetails<'a> {
    pub title: Option<&'a str>,
    /// The account's name where the row gives one beside its id.
    pub account_name: Option<&'a str>,
    /// Likes, comments, shares and collects, where the inputs give them.
    pub parts: [Option<f64>; 4],
}

fn opt(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// A fingerprint of every value of a row, for telling a duplicate that repeats the first row from
/// one that contradicts it. `-0.0` hashes as `0.0`, as the two compare equal.
pub(super) fn fingerprint(row: &PostRow) -> u64 {
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

/// A run of post rows as the thread that read them leaves them for the [`PostStore`]: their text
/// in one string, each row's text as ranges of it, and what the store works out from a row alone
/// (the hash of its key, the fingerprint of its values, its title's traits; the title itself is
/// let go). Rows cross from the reading threads to the one that builds the store this way, as
/// one string per run instead of half a dozen per row (allocated on one thread and freed on
/// another, they cost more than the reading).
#[derive(Debug, Default)]
pub struct PostRun {
    text: String,
    rows: Vec<RunRow>,
}

/// A range of [`PostRun::text`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy)]
struct RunRow {
    post: Span,
    platform: Span,
    account: Option<Span>,
    niche: Option<Span>,
    format: Option<Span>,
    tags: Option<Span>,
    title: Option<Span>,
    account_name: Option<Span>,
    /// Likes, comments, shares and collects.
    parts: [Option<f64>; 4],
    published_at: Option<i64>,
    engagement: Option<f64>,
    views: Option<f64>,
    price: Option<f64>,
    censored: bool,
    sponsored: Option<bool>,
    traits: Option<[bool; 5]>,
    key_hash: u64,
    group_hash: u64,
    fingerprint: u64,
}

/// One row of a [`PostRun`], its text borrowed.
pub struct RunPost<'a> {
    pub post: &'a str,
    pub platform: &'a str,
    pub account: Option<&'a str>,
    pub niche: Option<&'a str>,
    format: Option<&'a str>,
    tags: Option<&'a str>,
    title: Option<&'a str>,
    account_name: Option<&'a str>,
    row: &'a RunRow,
}

impl RunPost<'_> {
    /// The hash of the post's key (platform, post id, niche), as duplicates are found by.
    pub fn key_hash(&self) -> u64 {
        self.row.key_hash
    }
}

/// The hash of a post's group (platform, account, niche).
fn group_hash(platform: &str, account: Option<&str>, niche: Option<&str>) -> u64 {
    foldhash::fast::FixedState::with_seed(0x0067_726f_7570).hash_one((platform, account, niche))
}

impl PostRun {
    /// Add a row; `key_hash` is the hash of its key (platform, post id, niche).
    pub fn push(&mut self, row: PostRow, key_hash: u64) {
        let fingerprint = fingerprint(&row);
        let group_hash = group_hash(row.platform, row.account, row.niche);
        let last = self.rows.last().copied();
        // An export lists an account's posts together: the same platform, account and niche as
        // the row before take no more text.
        let mut text = |value: &str, before: Option<Span>| -> Span {
            if let Some(b) = before.filter(|b| self.text.get(b.start..b.end) == Some(value)) {
                return b;
            }
            let start = self.text.len();
            self.text.push_str(value);
            Span {
                start,
                end: self.text.len(),
            }
        };
        let post = text(&row.post, None);
        let platform = text(row.platform, last.map(|l| l.platform));
        let account = row.account.map(|a| text(a, last.and_then(|l| l.account)));
        let niche = row.niche.map(|n| text(n, last.and_then(|l| l.niche)));
        let format = row.format.as_deref().map(|f| text(f, last.and_then(|l| l.format)));
        let tags = row.tags.map(|t| text(t, None));
        let title = row.title.map(|t| text(t, None));
        let account_name = row.account_name.map(|n| text(n, last.and_then(|l| l.account_name)));
        self.rows.push(RunRow {
            post,
            platform,
            account,
            niche,
            format,
            tags,
            title,
            account_name,
            parts: [row.likes, row.comments, row.shares, row.collects],
            published_at: row.published_at,
            engagement: row.engagement,
            views: row.views,
            price: row.price,
            censored: row.censored,
            sponsored: row.sponsored,
            traits: row.title.map(super::title::traits_of),
            key_hash,
            group_hash,
            fingerprint,
        });
    }

    /// The rows in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = RunPost<'_>> {
        let text = |s: Span| self.text.get(s.start..s.end).unwrap_or_default();
        self.rows.iter().map(move |row| RunPost {
            post: text(row.post),
            platform: text(row.platform),
            account: row.account.map(text),
            niche: row.niche.map(text),
            format: row.format.map(text),
            tags: row.tags.map(text),
            title: row.title.map(text),
            account_name: row.account_name.map(text),
            row,
        })
    }
}

impl PostStore {
    pub fn len(&self) -> usize {
        self.posts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// Keep each post's title and interaction counts from now on (for the breakout posts).
    pub fn keep_details(&mut self) {
        self.details.get_or_insert_with(Details::default);
    }

    pub fn has_details(&self) -> bool {
        self.details.is_some()
    }

    /// Post `i`'s title and interaction counts, where the store keeps them.
    pub fn details(&self, i: usize) -> Option<PostDetails<'_>> {
        let d = self.details.as_ref()?.rows.get(i)?;
        let titles = &self.details.as_ref()?.titles;
        let span = |start: u64, len: u32| {
            let start = start as usize;
            (len != u32::MAX)
                .then(|| titles.get(start..start + len as usize))
                .flatten()
        };
        Some(PostDetails {
            title: span(d.title_start, d.title_len),
            account_name: span(d.name_start, d.name_len),
            parts: d.parts.map(opt),
        })
    }

    /// Room for `rows` more posts.
    pub fn reserve(&mut self, rows: usize) {
        self.posts.reserve(rows);
    }

    /// The groups (platform, account, niche), by their number ([`PostView::group_id`]).
    pub fn groups(&self) -> &[PostGroup] {
        &self.groups
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

    /// Whether post `i` has the same values as `post` (by the fingerprint of its values).
    pub fn same_values(&self, i: usize, post: &RunPost<'_>) -> bool {
        self.posts[i].fingerprint == post.row.fingerprint
    }

    /// Add every row of a run, in order, with no duplicate check (the builder checks each row
    /// before [`PostStore::push`]; this is for stores built directly, as the tests do).
    pub fn push_run(&mut self, run: &PostRun) {
        for post in run.iter() {
            self.push(&post);
        }
    }

    pub fn push(&mut self, post: &RunPost<'_>) {
        let row = post.row;
        let key = (post.platform, post.account, post.niche);
        let same = |p: &PostGroup| p.platform == key.0 && p.account.as_deref() == key.1 && p.niche.as_deref() == key.2;
        let last = self.last_group.filter(|&g| same(&self.groups[g as usize]));
        let group = match last {
            Some(g) => g,
            None => {
                let groups = &self.groups;
                let next = groups.len();
                match self
                    .group_index
                    .find_or_insert(row.group_hash, next, |g| same(&groups[g]))
                {
                    Some(g) => g as u32,
                    None => {
                        self.groups.push(PostGroup {
                            platform: key.0.to_string(),
                            account: key.1.map(str::to_string),
                            niche: key.2.map(str::to_string),
                            rows: 0,
                        });
                        next as u32
                    }
                }
            }
        };
        self.last_group = Some(group);
        self.groups[group as usize].rows += 1;
        let format = match post.format {
            None => NONE,
            // Like groups, formats come in runs: the last post's is checked before the index.
            Some(f) => match self.last_format.filter(|&id| self.formats[id as usize] == f) {
                Some(id) => id,
                None => {
                    let id = match self.format_index.get(f) {
                        Some(&id) => id,
                        None => {
                            let id = self.formats.len() as u32;
                            self.formats.push(f.to_string());
                            self.format_index.insert(f.to_string(), id);
                            id
                        }
                    };
                    self.last_format = Some(id);
                    id
                }
            },
        };
        let tags = match post.tags {
            None => NONE,
            Some(t) => {
                self.tags.push(t.into());
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
        if let Some(traits) = row.traits {
            flags |= HAS_TITLE;
            for (k, on) in traits.into_iter().enumerate() {
                if on {
                    flags |= 1 << (TRAIT_SHIFT + k as u16);
                }
            }
        }
        if let Some(d) = &mut self.details {
            let mut keep = |text: Option<&str>| -> (u64, u32) {
                let start = d.titles.len() as u64;
                match text {
                    Some(t) => {
                        d.titles.push_str(t);
                        (start, t.len() as u32)
                    }
                    None => (start, u32::MAX),
                }
            };
            let (title_start, title_len) = keep(post.title);
            let (name_start, name_len) = keep(post.account_name);
            d.rows.push(DetailRow {
                title_start,
                title_len,
                name_start,
                name_len,
                parts: row.parts.map(|x| x.unwrap_or(f64::NAN)),
            });
        }
        let id_start = self.ids.len() as u64;
        self.ids.push_str(post.post);
        self.posts.push(Stored {
            group,
            format,
            tags,
            id_len: post.post.len() as u32,
            id_start,
            at: row.published_at.unwrap_or(i64::MIN),
            engagement: row.engagement.unwrap_or(f64::NAN),
            views: row.views.unwrap_or(f64::NAN),
            price: row.price.unwrap_or(f64::NAN),
            fingerprint: row.fingerprint,
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
            group_id: p.group as usize,
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
        let kept = |p: &Stored| keep(&groups[p.group as usize].platform, (p.at != i64::MIN).then_some(p.at));
        if let Some(d) = &mut self.details {
            let mut flags = self.posts.iter().map(&kept);
            d.rows.retain(|_| flags.next().unwrap_or(true));
        }
        self.posts.retain(|p| kept(p));
        before - self.posts.len()
    }

    /// Posts filed under more than one niche: how many (platform, post id) pairs have posts in two
    /// or more different niches, and per niche, how many of its posts share their id with a post
    /// of the same platform in another row with a niche.
    pub fn multi_niche(&self) -> (usize, HashMap<String, u64>) {
        // Posts filed under a niche by the hash of (platform, id), in buckets by the hash's first
        // byte; each bucket's posts are grouped by a key index, on all threads, and the counts added.
        let mut buckets: Vec<Vec<(u64, u32)>> = vec![Vec::new(); 256];
        for (i, p) in self.posts.iter().enumerate() {
            let g = &self.groups[p.group as usize];
            if g.niche.is_some() {
                let mut h = foldhash::fast::FixedState::with_seed(7).build_hasher();
                g.platform.hash(&mut h);
                self.id(p).hash(&mut h);
                let h = h.finish();
                buckets[(h >> 56) as usize].push((h, i as u32));
            }
        }
        let counts = crate::par::runs_mut(&mut buckets, 8, |_, run| {
            let mut posts_multi = 0;
            let mut per_niche: HashMap<&str, u64> = HashMap::new();
            let mut index = KeyIndex::default();
            // Per (platform, id) among the bucket's posts: its first post, how many posts, and
            // whether they name more than one niche; and each post's group.
            let mut groups: Vec<(usize, u32, bool)> = Vec::new();
            let mut group_of: Vec<u32> = Vec::new();
            for keyed in run.iter_mut() {
                index.clear();
                index.reserve(keyed.len());
                groups.clear();
                group_of.clear();
                for &(h, i) in keyed.iter() {
                    // A post's key is read only when its hash is met again (most posts are
                    // filed once): reading it costs a trip to the post, its group and its id.
                    let same = |g: usize| {
                        let ((p, d, _), (platform, id, _)) = (self.key(groups[g].0), self.key(i as usize));
                        p == platform && d == id
                    };
                    let g = match index.find_or_insert(h, groups.len(), same) {
                        Some(g) => {
                            let (first_niche, niche) = (self.key(groups[g].0).2, self.key(i as usize).2);
                            let group = &mut groups[g];
                            group.1 += 1;
                            group.2 |= first_niche != niche;
                            g
                        }
                        None => {
                            groups.push((i as usize, 1, false));
                            groups.len() - 1
                        }
                    };
                    group_of.push(g as u32);
                }
                posts_multi += groups.iter().filter(|g| g.2).count();
                for (&(_, i), &g) in keyed.iter().zip(&group_of) {
                    if groups[g as usize].1 > 1 {
                        *per_niche.entry(self.key(i as usize).2.unwrap_or_default()).or_default() += 1;
                    }
                }
            }
            (posts_multi, per_niche)
        });
        let mut posts_multi = 0;
        let mut per_niche: HashMap<String, u64> = HashMap::new();
        for (n, niches) in counts {
            posts_multi += n;
            for (niche, k) in niches {
                *per_niche.entry(niche.to_string()).or_default() += k;
            }
        }
        (posts_multi, per_niche)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(post: &'a str, niche: Option<&'a str>, likes: Option<f64>) -> PostRow<'a> {
        PostRow {
            post: post.into(),
            platform: "douyin",
            account: Some("a1"),
            account_name: None,
            also_in: Vec::new(),
            niche,
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
            title: Some("3 个技巧？"),
            format: Some("image".into()),
            tags: None,
        }
    }

    /// A store of these rows, pushed as one run.
    fn store(rows: Vec<PostRow>) -> PostStore {
        let mut run = PostRun::default();
        for (i, r) in rows.into_iter().enumerate() {
            run.push(r, i as u64);
        }
        let mut s = PostStore::default();
        s.push_run(&run);
        s
    }

    #[test]
    fn a_stored_post_is_small() {
        assert!(std::mem::size_of::<Stored>() <= 72, "{}", std::mem::size_of::<Stored>());
    }

    #[test]
    fn a_stored_post_reads_back_as_written() {
        let s = store(vec![row("p1", Some("美妆"), Some(5.0)), row("p2", None, None)]);
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
        assert_eq!(a.traits, Some(crate::normalise::title::traits_of("3 个技巧？")));
        let b = s.get(1);
        assert_eq!((b.post, b.group.niche.as_deref(), b.engagement), ("p2", None, None));
        assert_eq!(s.key(1), ("douyin", "p2", None));
    }

    #[test]
    fn fingerprints_tell_a_changed_value_and_not_a_negative_zero() {
        let s = store(vec![row("p1", Some("美妆"), Some(0.0))]);
        let same = |r: PostRow| {
            let mut run = PostRun::default();
            run.push(r, 0);
            let same = run.iter().next().is_some_and(|p| s.same_values(0, &p));
            same
        };
        assert!(same(row("p1", Some("美妆"), Some(-0.0))));
        assert!(!same(row("p1", Some("美妆"), Some(1.0))));
        assert!(!same(row("p1", Some("美妆"), None)));
    }

    #[test]
    fn posts_under_two_niches_are_counted_once_and_in_each_niche() {
        let mut s = store(vec![
            row("p1", Some("美妆"), None),
            row("p1", Some("护肤"), None),
            row("p2", Some("美妆"), None),
            row("p3", None, None),
        ]);
        let (multi, per_niche) = s.multi_niche();
        assert_eq!(multi, 1);
        assert_eq!(per_niche.get("美妆"), Some(&1));
        assert_eq!(per_niche.get("护肤"), Some(&1));
        assert_eq!(s.retain(|_, _| false), 4);
        assert!(s.is_empty());
    }

    proptest::proptest! {
        /// Posts under several niches, counted by the key index, as a plain map of (platform, id)
        /// to its niches counts them.
        #[test]
        fn posts_under_several_niches_are_counted_as_a_plain_map_counts_them(
            posts in proptest::collection::vec((0u8..30, 0u8..4), 0..300),
        ) {
            let niches = [None, Some("美妆"), Some("护肤"), Some("穿搭")];
            let ids: Vec<String> = posts.iter().map(|(id, _)| format!("p{id}")).collect();
            let rows = posts.iter().zip(&ids).map(|((_, n), id)| row(id, niches[*n as usize], None)).collect();
            let (multi, per_niche) = store(rows).multi_niche();
            let mut by_id: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
            for ((_, n), id) in posts.iter().zip(&ids) {
                if let Some(niche) = niches[*n as usize] {
                    by_id.entry(id.as_str()).or_default().push(niche);
                }
            }
            let mut want_multi = 0;
            let mut want: HashMap<String, u64> = HashMap::new();
            for list in by_id.values().filter(|l| l.len() > 1) {
                let distinct: std::collections::BTreeSet<&&str> = list.iter().collect();
                want_multi += usize::from(distinct.len() > 1);
                for n in list {
                    *want.entry(n.to_string()).or_default() += 1;
                }
            }
            proptest::prop_assert_eq!(multi, want_multi);
            proptest::prop_assert_eq!(per_niche, want);
        }
    }

    /// Rows through a run: the text each row keeps (shared with the row before where it repeats)
    /// reads back as written, and rows of groups that come and go are filed under their groups.
    #[test]
    fn a_run_keeps_each_rows_text_and_files_rows_under_their_groups() {
        let ids: Vec<String> = (0..8).map(|i| format!("p{i}")).collect();
        let mut rows = Vec::new();
        for (i, (account, niche, format)) in [
            (Some("a1"), Some("美妆"), Some("image")),
            (Some("a1"), Some("美妆"), Some("image")),
            (Some("a2"), Some("美妆"), None),
            (None, Some("美妆"), Some("video")),
            (Some("a1"), Some("美妆"), Some("video")),
            (Some("a1"), None, Some("image")),
            (Some("a2"), Some("美妆"), Some("image")),
        ]
        .into_iter()
        .enumerate()
        {
            let mut r = row(&ids[i], niche, Some(i as f64));
            r.account = account;
            r.format = format.map(Into::into);
            r.tags = (i == 2).then_some("#a #b");
            rows.push(r);
        }
        let s = store(rows.clone());
        let mut groups = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let v = s.get(i);
            assert_eq!(v.post, r.post);
            assert_eq!(
                (v.group.account.as_deref(), v.group.niche.as_deref()),
                (r.account, r.niche)
            );
            assert_eq!((v.format, v.tags, v.engagement), (r.format.as_deref(), r.tags, r.likes));
            groups.push(v.group_id);
        }
        assert_eq!(groups, vec![0, 0, 1, 2, 0, 3, 1]);
        assert_eq!(s.groups.iter().map(|g| g.rows).collect::<Vec<_>>(), vec![3, 2, 1, 1]);
    }
}
