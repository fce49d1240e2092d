//! A niche's breakout posts (爆文): the posts that did best against their own account's typical
//! post, the standing style's top tenth is chosen by (METHOD.md §2, breakout posts).
//!
//! A post's standing is its engagement ÷ its account's typical engagement per post (the median
//! over the account's posts in the niche); a post that names no account stands against the
//! niche's median account. The list runs by standing, then by engagement, then in the order the
//! posts were read. It needs each post's title and counts, which only a report run keeps
//! ([`crate::normalise::store::PostStore::keep_details`]).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::units::Unit;
use crate::normalise::store::PostStore;

/// How many breakout posts a niche lists by default (the setting `measure.top_posts`).
pub const TOP_POSTS: usize = 10;

/// One breakout post, as report.json's `niches[].top_posts` gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopPost {
    pub post_id: String,
    /// The account as the inputs name it (`None` for a post that names none).
    pub account: Option<String>,
    /// Its name, where the post's row or the account list gives one beside the id.
    pub account_name: Option<String>,
    pub platform: String,
    /// As written, with markup (a search page's `<em>` highlighting) left out.
    pub title: Option<String>,
    pub format: Option<String>,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    pub engagement: f64,
    pub likes: Option<f64>,
    pub comments: Option<f64>,
    pub shares: Option<f64>,
    pub collects: Option<f64>,
    pub views: Option<f64>,
    /// Engagement ÷ the account's typical post (the niche's median account's for a post that names
    /// no account).
    pub times_typical: f64,
    pub sponsored: Option<bool>,
    pub tags: Vec<String>,
    /// The post on its platform, where the platform and the id make one.
    pub link: Option<String>,
}

/// Each niche's breakout posts, at most `top` of them (0: all), from the posts kept with their details and
/// the niches' units (grouped by niche, as [`super::Metrics::units`]). `None` where the store
/// keeps no details; a niche with no post to list is not in the map.
pub fn of(posts: &PostStore, units: &[Vec<Unit>], top: usize) -> Option<HashMap<String, Vec<TopPost>>> {
    if !posts.has_details() {
        return None;
    }
    let mut typical: HashMap<(&str, &str, &str), f64> = HashMap::new();
    let mut niches: HashMap<&str, (usize, Option<f64>)> = HashMap::new();
    for (k, list) in units.iter().enumerate() {
        let mut own: Vec<f64> = Vec::new();
        for u in list {
            if let (Some(a), Some(e)) = (&u.account, u.engagement_per_post) {
                typical.insert((u.niche.as_str(), u.platform.as_str(), a.as_str()), e);
                own.push(e);
            }
        }
        if let Some(u) = list.first() {
            niches.insert(u.niche.as_str(), (k, super::stats::median_mut(&mut own)));
        }
    }
    // Each group of posts (platform, account, niche): its niche's place and the typical post its
    // posts stand against, looked up once per group rather than per post.
    let base: Vec<Option<(usize, f64)>> = posts
        .groups()
        .iter()
        .map(|g| {
            let niche = g.niche.as_deref()?;
            let &(k, median) = niches.get(niche)?;
            let b = match g.account.as_deref() {
                Some(a) => typical.get(&(niche, g.platform.as_str(), a)).copied(),
                None => median,
            };
            b.filter(|b| *b > 0.0).map(|b| (k, b))
        })
        .collect();
    // (standing, engagement, post) per niche.
    let mut standing: Vec<Vec<(f64, f64, usize)>> = vec![Vec::new(); units.len()];
    for i in 0..posts.len() {
        let p = posts.get(i);
        if let (Some(Some((k, b))), Some(e)) = (base.get(p.group_id), p.engagement) {
            standing[*k].push((e / b, e, i));
        }
    }
    let mut out: HashMap<String, Vec<TopPost>> = HashMap::new();
    for (list, mut ranked) in units.iter().zip(standing) {
        let Some(niche) = list.first().map(|u| u.niche.clone()) else {
            continue;
        };
        if ranked.is_empty() {
            continue;
        }
        if top > 0 && ranked.len() > top {
            ranked.select_nth_unstable_by(top - 1, by_standing);
            ranked.truncate(top);
        }
        ranked.sort_unstable_by(by_standing);
        out.insert(
            niche,
            ranked.into_iter().map(|(times, _, i)| post(posts, i, times)).collect(),
        );
    }
    Some(out)
}

/// The post with the most engagement of each of the `wanted` accounts (niche, platform, account,
/// its typical engagement per post, above 0), with its standing against that typical post. Empty
/// where the store keeps no details.
pub fn best_of(posts: &PostStore, wanted: &[(&str, &str, &str, f64)]) -> HashMap<(String, String, String), TopPost> {
    if !posts.has_details() || wanted.is_empty() {
        return HashMap::new();
    }
    let index: HashMap<(&str, &str, &str), usize> = wanted
        .iter()
        .enumerate()
        .map(|(k, &(n, p, a, _))| ((n, p, a), k))
        .collect();
    let places = places_of_groups(posts, &index);
    // (engagement, post) per wanted account: the first post read wins a tie.
    let mut best: Vec<Option<(f64, usize)>> = vec![None; wanted.len()];
    for (k, e, i) in placed_posts(posts, &places) {
        if best[k].is_none_or(|(b, _)| e > b) {
            best[k] = Some((e, i));
        }
    }
    wanted
        .iter()
        .zip(best)
        .filter_map(|(&(n, p, a, typical), best)| {
            let (e, i) = best?;
            (typical > 0.0).then(|| {
                (
                    (n.to_string(), p.to_string(), a.to_string()),
                    post(posts, i, e / typical),
                )
            })
        })
        .collect()
}

/// One account's posts in one niche, at both ends: the `best` and `worst` by standing against
/// its own typical post (your account's, `--me`: what works for you and what does not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnPosts {
    pub niche: String,
    pub platform: String,
    pub best: Vec<TopPost>,
    pub worst: Vec<TopPost>,
}

/// Posts shown at each end of [`OwnPosts`].
pub const OWN_SHOWN: usize = 3;

/// Each of `units`' posts at both ends (at most `shown` each, the ends apart where it has fewer
/// than twice as many posts). `None` where the store keeps no details.
pub fn own_posts(posts: &PostStore, units: &[Unit], shown: usize) -> Option<Vec<OwnPosts>> {
    if !posts.has_details() {
        return None;
    }
    let index: HashMap<(&str, &str, &str), usize> = units
        .iter()
        .enumerate()
        .filter_map(|(k, u)| Some(((u.niche.as_str(), u.platform.as_str(), u.account.as_deref()?), k)))
        .collect();
    let places = places_of_groups(posts, &index);
    let mut standing: Vec<Vec<(f64, f64, usize)>> = vec![Vec::new(); units.len()];
    for (k, e, i) in placed_posts(posts, &places) {
        if let Some(b) = units[k].engagement_per_post.filter(|b| *b > 0.0) {
            standing[k].push((e / b, e, i));
        }
    }
    Some(
        units
            .iter()
            .zip(standing)
            .map(|(u, mut ranked)| {
                ranked.sort_unstable_by(by_standing);
                let best = ranked.len().min(shown);
                let worst = (ranked.len() - best).min(shown);
                let show = |list: &[(f64, f64, usize)]| list.iter().map(|&(t, _, i)| post(posts, i, t)).collect();
                OwnPosts {
                    niche: u.niche.clone(),
                    platform: u.platform.clone(),
                    best: show(&ranked[..best]),
                    worst: show(&ranked[ranked.len() - worst..]),
                }
            })
            .collect(),
    )
}

/// Each group of posts' (platform, account, niche) place in `index`, keyed (niche, platform,
/// account): a post's account is then found by its group's number, not by hashing three strings.
fn places_of_groups(posts: &PostStore, index: &HashMap<(&str, &str, &str), usize>) -> Vec<Option<usize>> {
    posts
        .groups()
        .iter()
        .map(|g| {
            index
                .get(&(g.niche.as_deref()?, g.platform.as_str(), g.account.as_deref()?))
                .copied()
        })
        .collect()
}

/// Every post with known engagement whose group has a place: (its place, engagement, post).
fn placed_posts<'p>(
    posts: &'p PostStore,
    places: &'p [Option<usize>],
) -> impl Iterator<Item = (usize, f64, usize)> + 'p {
    (0..posts.len()).filter_map(move |i| {
        let p = posts.get(i);
        Some(((*places.get(p.group_id)?)?, p.engagement?, i))
    })
}

/// (standing, engagement, post) best first: by standing, then engagement, then the order read.
fn by_standing(a: &(f64, f64, usize), b: &(f64, f64, usize)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2))
}

fn post(posts: &PostStore, i: usize, times_typical: f64) -> TopPost {
    let p = posts.get(i);
    let details = posts.details(i);
    let [likes, comments, shares, collects] = details.map_or([None; 4], |d| d.parts);
    TopPost {
        post_id: p.post.to_string(),
        account: p.group.account.clone(),
        platform: p.group.platform.clone(),
        title: details.and_then(|d| d.title).map(crate::normalise::title::plain),
        account_name: details.and_then(|d| d.account_name).map(str::to_string),
        format: p.format.map(str::to_string),
        published: p.at.map(|t| crate::civil::day_text(t.div_euclid(86_400))),
        engagement: p.engagement.unwrap_or(f64::NAN),
        likes,
        comments,
        shares,
        collects,
        views: p.views,
        times_typical,
        sponsored: p.sponsored,
        tags: p.tags.map(crate::normalise::title::split_tags).unwrap_or_default(),
        link: link(&p.group.platform, p.post),
    }
}

/// The address of a post on its platform, where the id has the platform's form: a Xiaohongshu
/// note (24 hex digits), a Douyin video (digits), a Bilibili video (BV… or av…), a YouTube video
/// (11 characters), an X post (digits). Other ids make no link: a guessed address would mislead.
pub fn link(platform: &str, id: &str) -> Option<String> {
    let digits = |s: &str| !s.is_empty() && s.len() <= 24 && s.bytes().all(|b| b.is_ascii_digit());
    let id = id.trim();
    match platform {
        "xiaohongshu" if id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Some(format!("https://www.xiaohongshu.com/explore/{id}"))
        }
        "douyin" if digits(id) && id.len() >= 15 => Some(format!("https://www.douyin.com/video/{id}")),
        "bilibili" if id.len() == 12 && id.starts_with("BV") && id.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Some(format!("https://www.bilibili.com/video/{id}"))
        }
        "bilibili" if id.len() > 2 && id[..2].eq_ignore_ascii_case("av") && digits(&id[2..]) => {
            Some(format!("https://www.bilibili.com/video/av{}", &id[2..]))
        }
        "youtube" if id.len() == 11 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => {
            Some(format!("https://www.youtube.com/watch?v={id}"))
        }
        "x" if digits(id) && id.len() >= 10 => Some(format!("https://x.com/i/status/{id}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_only_where_the_id_has_the_platform_form() {
        assert_eq!(
            link("xiaohongshu", "64a1b2c3d4e5f60718293a4b").as_deref(),
            Some("https://www.xiaohongshu.com/explore/64a1b2c3d4e5f60718293a4b")
        );
        assert_eq!(link("xiaohongshu", "note-17"), None);
        assert_eq!(
            link("bilibili", "BV1xx411c7mD").as_deref(),
            Some("https://www.bilibili.com/video/BV1xx411c7mD")
        );
        assert_eq!(
            link("bilibili", "av170001").as_deref(),
            Some("https://www.bilibili.com/video/av170001")
        );
        assert_eq!(link("bilibili", "av"), None);
        assert_eq!(
            link("youtube", "dQw4w9WgXcQ").as_deref(),
            Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        );
        assert_eq!(link("youtube", "javascript:"), None);
        assert_eq!(
            link("douyin", "7301234567890123456").as_deref(),
            Some("https://www.douyin.com/video/7301234567890123456")
        );
        assert_eq!(link("douyin", "p1"), None);
        assert_eq!(
            link("x", "1790000000000000000").as_deref(),
            Some("https://x.com/i/status/1790000000000000000")
        );
        assert_eq!(link("weibo", "1790000000000000000"), None);
    }
}
