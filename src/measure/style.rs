//! Question 10, what style works: title traits and tags, and how much more often they appear among
//! a niche's top posts than among all of its posts.
//!
//! A post's standing is its engagement relative to its account's typical post (the same ratio the
//! trend uses), so a big account's ordinary post is not a "top post". The top posts are the best
//! tenth, rounded up. Lift = share among top posts ÷ share among all posts; 1 is no difference.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::units::Unit;
use crate::normalise::posts::PostSet;
use crate::normalise::title::TRAITS;

/// Tags must appear in at least this many top posts to be listed.
pub const MIN_TAG_TOP: u64 = 3;
const TAGS_SHOWN: usize = 8;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Style {
    /// Posts with a title or tags and a known relative engagement.
    pub posts: u64,
    pub top_posts: u64,
    pub traits: Vec<Lift>,
    /// Tags in at least three top posts, by lift.
    pub tags: Vec<Lift>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lift {
    pub name: String,
    pub share_top: f64,
    pub share_all: f64,
    pub lift: Option<f64>,
}

/// A niche's posts with a title or tags: each one's engagement relative to its unit's typical
/// post and its title traits (bits), and the tags of those that have tags.
#[derive(Default)]
struct Rows<'a> {
    relative: Vec<f64>,
    traits: Vec<u8>,
    tags: Vec<(usize, &'a [String])>,
}

/// What style is computed from, per niche: how many of its posts (and of its top posts) have
/// each trait and tag. This is the units step's share of style, the same whether counted here
/// ([`counts`]) or by the SQL of [`crate::exchange`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StyleCounts {
    /// Posts with a title or tags and a known relative engagement, and the top tenth of them.
    pub posts: u64,
    pub top_posts: u64,
    /// Per trait, in the order of [`TRAITS`]: (posts with it, top posts with it).
    pub traits: [(u64, u64); 5],
    /// Tags in at least [`MIN_TAG_TOP`] top posts: (posts with it, top posts with it).
    pub tags: BTreeMap<String, (u64, u64)>,
}

/// Style per niche, from the posts and the units' typical engagement per post. `units` holds each
/// niche's units in key order, as [`super::units::build`] gives them.
pub fn compute(set: &PostSet, units: &[Vec<Unit>]) -> BTreeMap<String, Style> {
    counts(set, units)
        .into_iter()
        .map(|(n, c)| (n, summarise(&c)))
        .collect()
}

/// Style per niche from its counts.
pub fn from_counts(counts: &BTreeMap<String, StyleCounts>) -> BTreeMap<String, Style> {
    counts.iter().map(|(n, c)| (n.clone(), summarise(c))).collect()
}

/// [`StyleCounts`] per niche, from the posts and the units' typical engagement per post (see
/// [`compute`]).
pub fn counts(set: &PostSet, units: &[Vec<Unit>]) -> BTreeMap<String, StyleCounts> {
    let mut niche_median: HashMap<&str, Vec<f64>> = HashMap::new();
    for u in units.iter().flatten() {
        if let (Some(e), None) = (u.engagement_per_post, &u.account) {
            niche_median.entry(u.niche.as_str()).or_default().push(e);
        }
    }
    let niche_median: HashMap<&str, f64> = niche_median
        .into_iter()
        .filter_map(|(n, mut v)| Some((n, super::stats::median_mut(&mut v)?)))
        .collect();

    // Niches are independent: the threads take them one at a time, each building one niche's rows
    // and summing them up before the next (so only a niche's rows per thread are held at once).
    let mut niches: Vec<&str> = set.units.iter().map(|((n, _, _), _)| n.as_str()).collect();
    niches.dedup();
    let styles = crate::par::map(&niches, |niche| {
        let listed = units
            .iter()
            .find(|list| list.first().is_some_and(|u| u.niche == *niche))
            .map_or(&[][..], Vec::as_slice);
        let rows = rows_of(set, niche, listed, &niche_median);
        (!rows.relative.is_empty()).then(|| count(&rows))
    });
    niches
        .iter()
        .zip(styles)
        .filter_map(|(n, style)| Some((n.to_string(), style?)))
        .collect()
}

/// A niche's posts with a title or tags, unit by unit in key order, each unit's posts in the order
/// they were read. A post is measured against its account's typical engagement per post, read
/// from `listed` (the niche's units, in the same key order, so one walk finds each account's);
/// a post that names no account against the niche's median.
fn rows_of<'a>(set: &'a PostSet, niche: &str, listed: &[Unit], niche_median: &HashMap<&str, f64>) -> Rows<'a> {
    let mut list = Rows::default();
    let from = set.units.partition_point(|((n, _, _), _)| n.as_str() < niche);
    let units = set.units[from..].iter().take_while(|((n, _, _), _)| n == niche);
    // Units whose account was set aside (posts that name none) compare as below every account
    // and are stepped over; the others are in key order.
    let mut listed = listed.iter().peekable();
    for ((n, p, a), (standalone, up)) in units {
        let base = match (standalone, a) {
            (false, Some(a)) => {
                let key = (p.as_str(), Some(a.as_str()));
                while listed
                    .next_if(|u| (u.platform.as_str(), u.account.as_deref()) < key)
                    .is_some()
                {}
                listed
                    .peek()
                    .filter(|u| (u.platform.as_str(), u.account.as_deref()) == key)
                    .and_then(|u| u.engagement_per_post)
            }
            _ => niche_median.get(n.as_str()).copied(),
        };
        let Some(base) = base.filter(|b| *b > 0.0) else {
            continue;
        };
        let mut tags = up.tags.iter().peekable();
        for (j, post) in up.posts.iter().enumerate() {
            let mut own: &[String] = &[];
            while let Some((at, t)) = tags.peek() {
                if *at as usize > j {
                    break;
                }
                if *at as usize == j {
                    own = t;
                }
                tags.next();
            }
            let Some(e) = post.engagement().filter(|_| post.has_text()) else {
                continue;
            };
            if !own.is_empty() {
                list.tags.push((list.relative.len(), own));
            }
            list.relative.push(e / base);
            list.traits.push(post.trait_bits());
        }
    }
    list
}

/// How many of a niche's posts, and of its top tenth, have each trait and tag.
fn count(rows: &Rows) -> StyleCounts {
    let all = rows.relative.len();
    let top = all.div_ceil(10);
    let in_top = top_rows(&rows.relative, top);
    let mut traits = [(0u64, 0u64); 5];
    for (bits, &top_row) in rows.traits.iter().zip(&in_top) {
        for (k, t) in traits.iter_mut().enumerate() {
            if bits & (1 << k) != 0 {
                t.0 += 1;
                t.1 += u64::from(top_row);
            }
        }
    }
    let mut tags: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (row, list) in &rows.tags {
        for t in *list {
            let c = tags.entry(t.as_str()).or_default();
            c.0 += 1;
            c.1 += u64::from(in_top[*row]);
        }
    }
    StyleCounts {
        posts: all as u64,
        top_posts: top as u64,
        traits,
        tags: tags
            .into_iter()
            .filter(|(_, c)| c.1 >= MIN_TAG_TOP)
            .map(|(t, c)| (t.to_string(), c))
            .collect(),
    }
}

/// Shares of each trait and tag among a niche's top tenth of posts and among all its posts.
fn summarise(c: &StyleCounts) -> Style {
    let share = |count: u64, of: u64| if of == 0 { 0.0 } else { count as f64 / of as f64 };
    let lift = |top_share: f64, all_share: f64| (all_share > 0.0).then(|| top_share / all_share);
    let (all, top) = (c.posts, c.top_posts);
    let traits = TRAITS
        .iter()
        .zip(c.traits)
        .map(|(name, (in_all, in_top))| {
            let (st, sa) = (share(in_top, top), share(in_all, all));
            Lift {
                name: name.to_string(),
                share_top: st,
                share_all: sa,
                lift: lift(st, sa),
            }
        })
        .collect();
    let mut tags: Vec<Lift> = c
        .tags
        .iter()
        .filter(|(_, &(_, in_top))| in_top >= MIN_TAG_TOP)
        .map(|(t, &(in_all, in_top))| {
            let (st, sa) = (share(in_top, top), share(in_all, all));
            Lift {
                name: t.clone(),
                share_top: st,
                share_all: sa,
                lift: lift(st, sa),
            }
        })
        .collect();
    tags.sort_by(|a, b| {
        b.lift
            .unwrap_or(0.0)
            .total_cmp(&a.lift.unwrap_or(0.0))
            .then(a.name.cmp(&b.name))
    });
    tags.truncate(TAGS_SHOWN);
    Style {
        posts: all,
        top_posts: top,
        traits,
        tags,
    }
}

/// Which rows are among the `top` best by relative engagement: the rows a stable sort from best
/// to worst would put first (ties go to the row read first), found without sorting.
fn top_rows(relative: &[f64], top: usize) -> Vec<bool> {
    if top == 0 {
        return vec![false; relative.len()];
    }
    let mut values = relative.to_vec();
    let (_, kth, _) = values.select_nth_unstable_by(top - 1, |a, b| b.total_cmp(a));
    let kth = *kth;
    let above = relative.iter().filter(|r| r.total_cmp(&kth).is_gt()).count();
    let mut ties_left = top - above;
    relative
        .iter()
        .map(|r| match r.total_cmp(&kth) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal if ties_left > 0 => {
                ties_left -= 1;
                true
            }
            _ => false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_are_measured_against_their_own_accounts_typical_post() {
        use crate::normalise::posts::{Post, UnitPosts};
        let posts = |es: &[f64]| UnitPosts {
            posts: es
                .iter()
                .map(|&e| Post::new(Some(e), None, None, None, Some([false; 5])))
                .collect(),
            ..UnitPosts::default()
        };
        let key = |p: &str, a: &str| ("n".to_string(), p.to_string(), Some(a.to_string()));
        // Posts in key order: a post that names no account (its key sorts before "a1"), two
        // accounts' posts on two platforms.
        let mut set = PostSet::default();
        set.units = vec![
            (key("douyin", "\u{1f}post:x:1"), (true, posts(&[30.0]))),
            (key("douyin", "a1"), (false, posts(&[10.0, 20.0]))),
            (key("xhs", "b2"), (false, posts(&[40.0]))),
        ];
        let unit = |p: &str, a: Option<&str>, typical: f64| Unit {
            niche: "n".to_string(),
            platform: p.to_string(),
            account: a.map(str::to_string),
            engagement_per_post: Some(typical),
            ..Unit::default()
        };
        // The niche's units in the same order, with accounts that have no posts between them and
        // the post without an account set aside (account None) where its key was.
        let listed = [
            unit("douyin", None, 30.0),
            unit("douyin", Some("a1"), 5.0),
            unit("douyin", Some("a9"), 7.0),
            unit("xhs", Some("a0"), 3.0),
            unit("xhs", Some("b2"), 8.0),
        ];
        let median: HashMap<&str, f64> = [("n", 15.0)].into_iter().collect();
        let rows = rows_of(&set, "n", &listed, &median);
        assert_eq!(rows.relative, [2.0, 2.0, 4.0, 5.0]);
    }
}
