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

/// How many breakout posts a niche lists.
pub const TOP_POSTS: usize = 10;

/// One breakout post, as report.json's `niches[].top_posts` gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopPost {
    pub post_id: String,
    /// The account as the inputs name it (`None` for a post that names none).
    pub account: Option<String>,
    pub platform: String,
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

/// Each niche's breakout posts, at most `top` of them, from the posts kept with their details and
/// the niches' units (grouped by niche, as [`super::Metrics::units`]). `None` where the store
/// keeps no details; a niche with no post to list is not in the map.
pub fn of(posts: &PostStore, units: &[Vec<Unit>], top: usize) -> Option<HashMap<String, Vec<TopPost>>> {
    let mut out: HashMap<String, Vec<TopPost>> = HashMap::new();
    if !posts.has_details() {
        return None;
    }
    let mut typical: HashMap<(&str, &str, &str), f64> = HashMap::new();
    let mut niche_median: HashMap<&str, f64> = HashMap::new();
    for list in units {
        let mut own: Vec<f64> = Vec::new();
        for u in list {
            if let (Some(a), Some(e)) = (&u.account, u.engagement_per_post) {
                typical.insert((u.niche.as_str(), u.platform.as_str(), a.as_str()), e);
                own.push(e);
            }
        }
        if let (Some(u), Some(m)) = (list.first(), super::stats::median_mut(&mut own)) {
            niche_median.insert(u.niche.as_str(), m);
        }
    }
    // (standing, engagement, post) per niche.
    let mut standing: HashMap<&str, Vec<(f64, f64, usize)>> = HashMap::new();
    for i in 0..posts.len() {
        let p = posts.get(i);
        let (Some(niche), Some(e)) = (p.group.niche.as_deref(), p.engagement) else {
            continue;
        };
        let base = match p.group.account.as_deref() {
            Some(a) => typical.get(&(niche, p.group.platform.as_str(), a)).copied(),
            None => niche_median.get(niche).copied(),
        };
        if let Some(base) = base.filter(|b| *b > 0.0) {
            standing.entry(niche).or_default().push((e / base, e, i));
        }
    }
    for (niche, mut list) in standing {
        let order = |a: &(f64, f64, usize), b: &(f64, f64, usize)| {
            b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2))
        };
        if top == 0 {
            continue;
        }
        if list.len() > top {
            list.select_nth_unstable_by(top - 1, order);
            list.truncate(top);
        }
        list.sort_unstable_by(order);
        let shown = list.into_iter().map(|(times, _, i)| post(posts, i, times)).collect();
        out.insert(niche.to_string(), shown);
    }
    Some(out)
}

/// The post with the most engagement of each of the `wanted` accounts (niche, platform, account),
/// with its standing against the account's typical post (accounts whose typical post is
/// unknown or 0 get none). Empty where the store keeps no details.
pub fn best_of(posts: &PostStore, wanted: &[(&str, &str, &str, f64)]) -> HashMap<(String, String, String), TopPost> {
    if !posts.has_details() || wanted.is_empty() {
        return HashMap::new();
    }
    let typical: HashMap<(&str, &str, &str), f64> = wanted.iter().map(|&(n, p, a, e)| ((n, p, a), e)).collect();
    let mut best: HashMap<(&str, &str, &str), (f64, usize)> = HashMap::new();
    for i in 0..posts.len() {
        let p = posts.get(i);
        let (Some(niche), Some(account), Some(e)) =
            (p.group.niche.as_deref(), p.group.account.as_deref(), p.engagement)
        else {
            continue;
        };
        let key = (niche, p.group.platform.as_str(), account);
        if typical.contains_key(&key) {
            let slot = best.entry(key).or_insert((e, i));
            if e > slot.0 {
                *slot = (e, i);
            }
        }
    }
    best.into_iter()
        .filter_map(|(k, (e, i))| {
            let base = typical.get(&k).copied().filter(|b| *b > 0.0)?;
            Some((
                (k.0.to_string(), k.1.to_string(), k.2.to_string()),
                post(posts, i, e / base),
            ))
        })
        .collect()
}

fn post(posts: &PostStore, i: usize, times_typical: f64) -> TopPost {
    let p = posts.get(i);
    let details = posts.details(i);
    let [likes, comments, shares, collects] = details.map_or([None; 4], |d| d.parts);
    TopPost {
        post_id: p.post.to_string(),
        account: p.group.account.clone(),
        platform: p.group.platform.clone(),
        title: details.and_then(|d| d.title).map(str::to_string),
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
