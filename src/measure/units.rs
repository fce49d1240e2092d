//! Posts and account rows -> [`Unit`]s: one per account in a niche (or per post that names no
//! account). Every niche measure, and every bootstrap resample, is computed from units alone, so
//! no post-sized table is touched after this step.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::posts::{Post, PostSet, UnitPosts};
use super::stats;
use crate::error::Result;
use crate::normalise::Tables;

pub const WEEK: i64 = 7 * 24 * 3600;
const DAY: f64 = 86_400.0;

/// One account's standing in one niche: the unit that niche measures are taken over and that the
/// bootstrap resamples.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Unit {
    pub niche: String,
    pub platform: String,
    /// None for a post whose file names no account: it stands alone as its own unit.
    pub account: Option<String>,
    pub followers: Option<f64>,
    pub followers_censored: bool,
    /// Monthly follower growth from snapshots (Theil–Sen on log followers), where given.
    pub follower_growth_monthly: Option<f64>,
    /// Posts of this account in this niche, in the post inputs.
    pub posts: u64,
    /// Posts whose engagement is known, their sum, median and maximum.
    pub engagement_known: u64,
    pub engagement_total: Option<f64>,
    /// Typical engagement per post: the median over its posts, or the average an account list gives.
    pub engagement_per_post: Option<f64>,
    pub engagement_max: Option<f64>,
    pub views_per_post: Option<f64>,
    /// Median over its posts of engagement ÷ views.
    pub er_views: Option<f64>,
    /// Engagement per post ÷ followers.
    pub er_followers: Option<f64>,
    /// Posts per week between its first and last dated post (needs two dated posts).
    pub posts_per_week: Option<f64>,
    pub sponsored_known: u64,
    pub sponsored_yes: u64,
    pub sponsored_engagement: Option<f64>,
    pub organic_engagement: Option<f64>,
    pub price: Option<f64>,
    pub earnings_monthly: Option<f64>,
    pub posts_reported: Option<f64>,
    /// Posts with a lower-bound count, plus 1 if the follower count is a lower bound.
    pub censored: u64,
    /// (week number, median over the week's posts of ln(engagement ÷ this unit's typical post)).
    pub weekly: Vec<(i64, f64)>,
    /// Posts per format.
    pub formats: BTreeMap<String, u64>,
}

impl Unit {
    pub fn is_account(&self) -> bool {
        self.account.is_some()
    }
}

/// (niche, platform, account): what a unit is known by.
pub type Key = (String, String, Option<String>);

/// Build every unit from the canonical tables.
pub fn build(tables: &Tables, posts: &PostSet) -> Result<Vec<Unit>> {
    let mut listed: Vec<(Key, Unit)> = Vec::new();
    let followers = follower_lookup(tables)?;
    let growth = follower_growth(&tables.snapshots)?;

    // Account-list rows.
    let a = &tables.accounts;
    let platform = a.column("platform")?.str()?;
    let account = a.column("account")?.str()?;
    let niche = a.column("niche")?.str()?;
    let fol = a.column("followers")?.f64()?;
    let fol_c = a.column("followers_censored")?.bool()?;
    let posts_count = a.column("posts_count")?.f64()?;
    let views_total = a.column("views_total")?.f64()?;
    let avg_views = a.column("avg_views")?.f64()?;
    let avg_eng = a.column("avg_engagement")?.f64()?;
    let price = a.column("price")?.f64()?;
    let e_lo = a.column("earnings_low")?.f64()?;
    let e_hi = a.column("earnings_high")?.f64()?;
    for i in 0..a.height() {
        let (Some(p), Some(acc), Some(n)) = (platform.get(i), account.get(i), niche.get(i)) else {
            continue;
        };
        let views_per_post = avg_views
            .get(i)
            .or_else(|| match (views_total.get(i), posts_count.get(i)) {
                (Some(v), Some(c)) if c > 0.0 => Some(v / c),
                _ => None,
            });
        let earnings = match (e_lo.get(i), e_hi.get(i)) {
            (Some(lo), Some(hi)) => Some((lo + hi) / 2.0),
            (one, other) => one.or(other),
        };
        let censored = u64::from(fol_c.get(i) == Some(true));
        listed.push((
            (n.to_string(), p.to_string(), Some(acc.to_string())),
            Unit {
                niche: n.to_string(),
                platform: p.to_string(),
                account: Some(acc.to_string()),
                followers: fol.get(i),
                followers_censored: censored > 0,
                engagement_per_post: avg_eng.get(i),
                views_per_post,
                price: price.get(i),
                earnings_monthly: earnings,
                posts_reported: posts_count.get(i),
                censored,
                ..Unit::default()
            },
        ));
    }
    // In key order; where an account is listed twice in a niche, its last row stands.
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut listed_once: Vec<(Key, Unit)> = Vec::with_capacity(listed.len());
    for row in listed {
        match listed_once.last_mut() {
            Some(last) if last.0 == row.0 => *last = row,
            _ => listed_once.push(row),
        }
    }

    let t = crate::timing::Timer::start("    units from posts");
    let mut out = add_posts(posts, listed_once);
    t.done();

    for u in &mut out {
        if let Some(acc) = &u.account {
            let key = (u.platform.as_str(), acc.as_str());
            if u.followers.is_none() {
                u.followers = followers.get(&key).copied();
            }
            u.follower_growth_monthly = growth.get(&key).copied();
        }
        u.er_followers = match (u.engagement_per_post, u.followers) {
            (Some(e), Some(f)) if f > 0.0 => Some(e / f),
            _ => None,
        };
    }
    Ok(out)
}

/// Followers per (platform, account): the account list first, then the latest snapshot.
fn follower_lookup(tables: &Tables) -> Result<HashMap<(&str, &str), f64>> {
    let mut out: HashMap<(&str, &str), f64> = HashMap::new();
    let s = &tables.snapshots;
    let platform = s.column("platform")?.str()?;
    let account = s.column("account")?.str()?;
    let date = s.column("date")?.i64()?;
    let value = s.column("followers")?.f64()?;
    let mut latest: HashMap<(&str, &str), (i64, f64)> = HashMap::new();
    for i in 0..s.height() {
        if let (Some(p), Some(a), Some(d), Some(v)) = (platform.get(i), account.get(i), date.get(i), value.get(i)) {
            let e = latest.entry((p, a)).or_insert((d, v));
            if d > e.0 {
                *e = (d, v);
            }
        }
    }
    out.extend(latest.into_iter().map(|(k, (_, v))| (k, v)));
    let a = &tables.accounts;
    let platform = a.column("platform")?.str()?;
    let account = a.column("account")?.str()?;
    let fol = a.column("followers")?.f64()?;
    for i in 0..a.height() {
        if let (Some(p), Some(acc), Some(f)) = (platform.get(i), account.get(i), fol.get(i)) {
            out.insert((p, acc), f);
        }
    }
    Ok(out)
}

/// Monthly follower growth per account: the Theil–Sen slope of ln(followers) against days,
/// as e^(30.44 · slope) − 1. Needs two snapshots on different days.
fn follower_growth(snapshots: &DataFrame) -> Result<HashMap<(&str, &str), f64>> {
    let platform = snapshots.column("platform")?.str()?;
    let account = snapshots.column("account")?.str()?;
    let date = snapshots.column("date")?.i64()?;
    let value = snapshots.column("followers")?.f64()?;
    let mut series: HashMap<(&str, &str), Vec<(f64, f64)>> = HashMap::new();
    for i in 0..snapshots.height() {
        if let (Some(p), Some(a), Some(d), Some(v)) = (platform.get(i), account.get(i), date.get(i), value.get(i)) {
            if v > 0.0 {
                series.entry((p, a)).or_default().push((d as f64 / DAY, v.ln()));
            }
        }
    }
    Ok(series
        .into_iter()
        .filter_map(|(k, pts)| stats::theil_sen(&pts).map(|s| (k, (s * 30.44).exp() - 1.0)))
        .collect())
}

/// Add each unit's posts to the listed units (both in key order; the result is too): counts,
/// medians and extremes (as the general path once asked Polars for, per (niche, platform,
/// account)), then each post's relative engagement to its unit's weekly series. Posts without an
/// account are units of their own, measured against their niche's median.
fn add_posts(set: &PostSet, listed: Vec<(Key, Unit)>) -> Vec<Unit> {
    // The yardstick of posts that name no account: the median engagement of such posts per niche.
    let mut alone: HashMap<&str, Vec<f64>> = HashMap::new();
    for ((n, _, _), (standalone, up)) in &set.units {
        if *standalone {
            alone
                .entry(n.as_str())
                .or_default()
                .extend(up.posts.iter().filter_map(Post::engagement));
        }
    }
    let niche_median: HashMap<&str, f64> = alone
        .into_iter()
        .filter_map(|(n, mut v)| Some((n, stats::median_mut(&mut v)?)))
        .collect();

    // Merge the two key-ordered lists: every unit once, with its posts where it has any.
    type Work<'a> = Option<(bool, &'a UnitPosts, Option<f64>)>;
    let mut units: Vec<Unit> = Vec::with_capacity(listed.len() + set.units.len());
    let mut work: Vec<Work<'_>> = Vec::with_capacity(units.capacity());
    let mut listed = listed.into_iter().peekable();
    for (key, (standalone, up)) in &set.units {
        while let Some((_, u)) = listed.next_if(|(k, _)| k < key) {
            units.push(u);
            work.push(None);
        }
        let mut u = match listed.next_if(|(k, _)| k == key) {
            Some((_, u)) => u,
            None => Unit {
                niche: key.0.clone(),
                platform: key.1.clone(),
                account: key.2.clone(),
                ..Unit::default()
            },
        };
        if *standalone {
            u.account = None;
        }
        units.push(u);
        work.push(Some((*standalone, up, niche_median.get(key.0.as_str()).copied())));
    }
    for (_, u) in listed {
        units.push(u);
        work.push(None);
    }

    // Each unit is finished on its own, shared between the threads.
    let per = units.len().div_ceil(crate::threads()).max(1);
    std::thread::scope(|s| {
        for (chunk, jobs) in units.chunks_mut(per).zip(work.chunks(per)) {
            s.spawn(move || {
                let mut scratch = Scratch::default();
                for (u, job) in chunk.iter_mut().zip(jobs) {
                    if let Some((standalone, up, alone)) = job {
                        finish_unit(u, *standalone, up, *alone, &set.formats, &mut scratch);
                    }
                }
            });
        }
    });
    units
}

/// Buffers reused from unit to unit.
#[derive(Default)]
struct Scratch {
    engagement: Vec<f64>,
    views: Vec<f64>,
    er_views: Vec<f64>,
    sponsored: Vec<f64>,
    organic: Vec<f64>,
    weekly: Vec<(i64, f64)>,
}

/// A unit's numbers, formats and weekly series from its posts.
fn finish_unit(
    u: &mut Unit,
    standalone: bool,
    up: &UnitPosts,
    niche_median: Option<f64>,
    formats: &[String],
    scratch: &mut Scratch,
) {
    aggregate(up, u, standalone, scratch);
    for (id, n) in &up.formats {
        if let Some(name) = formats.get(*id as usize) {
            *u.formats.entry(name.clone()).or_default() += n;
        }
    }
    let typical = if standalone {
        niche_median
    } else {
        u.engagement_per_post
    };
    let Some(typical) = typical.filter(|m| *m > 0.0) else {
        return;
    };
    // Zero engagement is floored at half a unit, so a post with none still counts as far below
    // the account's typical post rather than as minus infinity.
    let pending = &mut scratch.weekly;
    pending.clear();
    pending.extend(
        up.posts
            .iter()
            .filter_map(|p| Some((p.week()?, (p.engagement()?.max(0.5) / typical).ln()))),
    );
    pending.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    // Each week's values are in order: the median is read off the middle of the finite ones.
    u.weekly = pending
        .chunk_by(|a, b| a.0 == b.0)
        .filter_map(|week| {
            let lo = week.iter().position(|x| x.1.is_finite())?;
            let hi = week.iter().rposition(|x| x.1.is_finite())? + 1;
            let v = &week[lo..hi];
            let n = v.len();
            let m = if n % 2 == 1 {
                v[n / 2].1
            } else {
                (v[n / 2 - 1].1 + v[n / 2].1) / 2.0
            };
            Some((week[0].0, m))
        })
        .collect();
}

/// A unit's numbers from its posts, in one pass over them.
fn aggregate(up: &UnitPosts, u: &mut Unit, standalone: bool, s: &mut Scratch) {
    for v in [
        &mut s.engagement,
        &mut s.views,
        &mut s.er_views,
        &mut s.sponsored,
        &mut s.organic,
    ] {
        v.clear();
    }
    // -0.0, as `Iterator::sum` starts.
    let (mut total, mut max) = (-0.0, f64::NEG_INFINITY);
    let (mut sponsored_known, mut sponsored_yes) = (0u64, 0u64);
    for p in &up.posts {
        let e = p.engagement();
        let sponsored = p.sponsored();
        if let Some(e) = e {
            total += e;
            max = max.max(e);
            s.engagement.push(e);
            match sponsored {
                Some(true) => s.sponsored.push(e),
                Some(false) => s.organic.push(e),
                None => {}
            }
        }
        if let Some(v) = p.views() {
            s.views.push(v);
            if let Some(e) = e.filter(|_| v > 0.0) {
                s.er_views.push(e / v);
            }
        }
        sponsored_known += u64::from(sponsored.is_some());
        sponsored_yes += u64::from(sponsored == Some(true));
    }
    u.posts = up.posts.len() as u64;
    u.engagement_known = s.engagement.len() as u64;
    if !s.engagement.is_empty() {
        u.engagement_total = Some(total);
        u.engagement_max = Some(max);
        u.engagement_per_post = stats::median_mut(&mut s.engagement);
    }
    if let Some(v) = stats::median_mut(&mut s.views) {
        u.views_per_post = Some(v);
    }
    u.er_views = stats::median_mut(&mut s.er_views);
    u.sponsored_known = sponsored_known;
    u.sponsored_yes = sponsored_yes;
    u.sponsored_engagement = stats::median_mut(&mut s.sponsored);
    u.organic_engagement = stats::median_mut(&mut s.organic);
    u.censored += up.censored;
    if !standalone {
        u.price = u.price.or_else(|| {
            s.engagement.clear();
            s.engagement.extend(up.prices.iter().copied());
            stats::median_mut(&mut s.engagement)
        });
        if let (Some(t0), Some(t1)) = (up.first_at, up.last_at) {
            let weeks = (t1 - t0) as f64 / WEEK as f64;
            if up.dated >= 2 && weeks > 0.0 {
                u.posts_per_week = Some((up.dated - 1) as f64 / weeks.max(1.0 / 7.0));
            }
        }
    }
}
