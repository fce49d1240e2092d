//! Posts and account rows -> [`Unit`]s: one per account in a niche (or per post that names no
//! account). Every niche measure, and every bootstrap resample, is computed from units alone, so
//! no post-sized table is touched after this step.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::stats;
use crate::error::Result;
use crate::normalise::posts::{key_order, Key, Post, PostSet, UnitPosts, WEEK};
use crate::normalise::Tables;
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
    /// Method 2.0's placements on the reference ([`super::placed`]): followers, engagement rate
    /// (against accounts of its size) and views per post as shares of the platform's reference
    /// population below them.
    pub followers_share: Option<f64>,
    pub er_share: Option<f64>,
    pub views_share: Option<f64>,
    /// Monthly value ÷ (an hour's wage × the hours a month its cadence takes).
    pub value_ratio: Option<f64>,
    /// How the value was found (`placed::VALUE_*`; 0: unknown).
    pub value_basis: u8,
    /// Which placements used a provisional scale (`placed::PROVISIONAL_*` bits).
    pub provisional: u8,
    /// Which placements used a scale calibrated from this run's crawl (the same bits).
    pub calibrated: u8,
    /// The shared draws each placement takes in the bootstrap.
    pub draws: Draws,
}

/// The shared draws a unit's placements take in each bootstrap resample (METHOD.md §3,
/// intervals): for followers, engagement and reach, the key of the platform's scale and the SD of
/// its shift on the probit scale of the share; for the value, (key, coefficient) pairs of
/// ln(value ratio), one per money fact behind it (the platform's rate and price, the vertical's
/// tiers). A wrong yardstick moves every niche on it at once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draws {
    pub followers: Option<(u64, f64)>,
    pub engagement: Option<(u64, f64)>,
    pub reach: Option<(u64, f64)>,
    pub value: Vec<(u64, f64)>,
}

impl Unit {
    pub fn is_account(&self) -> bool {
        self.account.is_some()
    }

    /// Its followers, and the engagement rate on them (engagement per post ÷ followers).
    pub fn set_followers(&mut self, followers: Option<f64>) {
        self.followers = followers;
        self.er_followers = match (self.engagement_per_post, followers) {
            (Some(e), Some(f)) if f > 0.0 => Some(e / f),
            _ => None,
        };
    }
}

/// Build every unit from the canonical tables.
pub fn build(tables: &Tables, posts: &PostSet) -> Result<Vec<Unit>> {
    let t = crate::timing::Timer::start("    units from posts");
    let from = from_posts(posts);
    t.done();
    build_with(tables, from)
}

/// Build every unit from the account list and snapshots, and what each unit's posts come to
/// (in key order).
pub fn build_with(tables: &Tables, from_posts: Vec<FromPosts>) -> Result<Vec<Unit>> {
    let followers = follower_lookup(tables)?;
    let growth = follower_growth(&tables.snapshots)?;

    // Account-list rows.
    let a = &tables.accounts;
    let platform = texts(a, "platform")?;
    let account = texts(a, "account")?;
    let niche = texts(a, "niche")?;
    let fol = numbers(a, "followers")?;
    let fol_c: Vec<_> = a.column("followers_censored")?.bool()?.iter().collect();
    let posts_count = numbers(a, "posts_count")?;
    let views_total = numbers(a, "views_total")?;
    let avg_views = numbers(a, "avg_views")?;
    let avg_eng = numbers(a, "avg_engagement")?;
    let price = numbers(a, "price")?;
    let e_lo = numbers(a, "earnings_low")?;
    let e_hi = numbers(a, "earnings_high")?;
    let gained = numbers(a, "followers_gained_30d")?;
    // In key order; where an account is listed twice in a niche, its last row stands. The keys
    // are sorted first (see `key_order`) and the units built in that order.
    let mut keys: Vec<(&str, &str, Option<&str>)> = Vec::with_capacity(a.height());
    let mut rows: Vec<usize> = Vec::with_capacity(a.height());
    for i in 0..a.height() {
        if let (Some(p), Some(acc), Some(n)) = (platform[i], account[i], niche[i]) {
            keys.push((n, p, Some(acc)));
            rows.push(i);
        }
    }
    let order = key_order(&keys);
    let mut listed_once: Vec<Unit> = Vec::with_capacity(order.len());
    for (k, &(at, _)) in order.iter().enumerate() {
        if order.get(k + 1).is_some_and(|next| next.1) {
            continue;
        }
        let (i, (n, p, acc)) = (rows[at as usize], keys[at as usize]);
        let views_per_post = avg_views[i].or_else(|| match (views_total[i], posts_count[i]) {
            (Some(v), Some(c)) if c > 0.0 => Some(v / c),
            _ => None,
        });
        let earnings = match (e_lo[i], e_hi[i]) {
            (Some(lo), Some(hi)) => Some((lo + hi) / 2.0),
            (one, other) => one.or(other),
        };
        let censored = u64::from(fol_c[i] == Some(true));
        listed_once.push(Unit {
            niche: n.to_string(),
            platform: p.to_string(),
            account: acc.map(str::to_string),
            followers: fol[i],
            followers_censored: censored > 0,
            engagement_per_post: avg_eng[i],
            // Engagement per view, where the list gives both (its averages).
            er_views: match (avg_eng[i], views_per_post) {
                (Some(e), Some(v)) if v > 0.0 && e >= 0.0 => Some(e / v),
                _ => None,
            },
            views_per_post,
            price: price[i],
            earnings_monthly: earnings,
            follower_growth_monthly: recent_growth(fol[i], gained[i]),
            posts_reported: posts_count[i],
            censored,
            ..Unit::default()
        });
    }
    drop((keys, rows));

    let mut out = add_posts(from_posts, listed_once);

    for u in &mut out {
        if let Some(acc) = &u.account {
            let key = (u.platform.as_str(), acc.as_str());
            if u.followers.is_none() {
                u.followers = followers.get(&key).copied();
            }
            // Snapshots first; else the list's recent-window column (set above).
            if let Some(g) = growth.get(&key) {
                u.follower_growth_monthly = Some(*g);
            }
        }
        u.set_followers(u.followers);
    }
    Ok(out)
}

/// Monthly growth from followers gained in the last 30 days: (f ÷ (f − gained))^(30.44 ÷ 30) − 1.
/// `None` where the gain is not below the followers (a column mapped wrongly, or a new account).
fn recent_growth(followers: Option<f64>, gained: Option<f64>) -> Option<f64> {
    let (f, g) = (followers?, gained?);
    let before = f - g;
    (before > 0.0 && g.is_finite()).then(|| (f / before).powf(stats::DAYS_PER_MONTH / 30.0) - 1.0)
}

/// A text column's values, read in one pass (indexing a Polars column cell by cell costs a
/// chunk lookup each).
fn texts<'a>(frame: &'a DataFrame, name: &str) -> Result<Vec<Option<&'a str>>> {
    Ok(frame.column(name)?.str()?.iter().collect())
}

/// A number column's values, read in one pass (see [`texts`]).
fn numbers(frame: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    Ok(frame.column(name)?.f64()?.iter().collect())
}

/// A unit's key, borrowed: (niche, platform, account).
fn key_of(u: &Unit) -> (&str, &str, Option<&str>) {
    (&u.niche, &u.platform, u.account.as_deref())
}

/// A key, borrowed.
fn borrowed(k: &Key) -> (&str, &str, Option<&str>) {
    (&k.0, &k.1, k.2.as_deref())
}

/// Followers per (platform, account): the account list first, then the latest snapshot.
fn follower_lookup(tables: &Tables) -> Result<foldhash::HashMap<(&str, &str), f64>> {
    // (foldhash: looked up only; the order `latest` is listed in does not change `out`.)
    let mut out: foldhash::HashMap<(&str, &str), f64> = foldhash::HashMap::default();
    let s = &tables.snapshots;
    let platform = texts(s, "platform")?;
    let account = texts(s, "account")?;
    let date: Vec<_> = s.column("date")?.i64()?.iter().collect();
    let value = numbers(s, "followers")?;
    let mut latest: HashMap<(&str, &str), (i64, f64)> = HashMap::new();
    for i in 0..s.height() {
        if let (Some(p), Some(a), Some(d), Some(v)) = (platform[i], account[i], date[i], value[i]) {
            let e = latest.entry((p, a)).or_insert((d, v));
            if d > e.0 {
                *e = (d, v);
            }
        }
    }
    out.extend(latest.into_iter().map(|(k, (_, v))| (k, v)));
    let a = &tables.accounts;
    let platform = texts(a, "platform")?;
    let account = texts(a, "account")?;
    let fol = numbers(a, "followers")?;
    for i in 0..a.height() {
        if let (Some(p), Some(acc), Some(f)) = (platform[i], account[i], fol[i]) {
            out.insert((p, acc), f);
        }
    }
    Ok(out)
}

/// Monthly follower growth per account: the Theil–Sen slope of ln(followers) against days,
/// as e^(30.44 · slope) − 1. Needs two snapshots on different days.
fn follower_growth(snapshots: &DataFrame) -> Result<HashMap<(&str, &str), f64>> {
    let platform = texts(snapshots, "platform")?;
    let account = texts(snapshots, "account")?;
    let date: Vec<_> = snapshots.column("date")?.i64()?.iter().collect();
    let value = numbers(snapshots, "followers")?;
    let mut series: HashMap<(&str, &str), Vec<(f64, f64)>> = HashMap::new();
    for i in 0..snapshots.height() {
        if let (Some(p), Some(a), Some(d), Some(v)) = (platform[i], account[i], date[i], value[i]) {
            if v > 0.0 {
                series.entry((p, a)).or_default().push((d as f64 / DAY, v.ln()));
            }
        }
    }
    Ok(series
        .into_iter()
        .filter_map(|(k, pts)| stats::theil_sen(&pts).map(|s| (k, stats::monthly_rate(s))))
        .collect())
}

/// What one unit's posts come to: the output of the units step, the one heavy step (posts are
/// many, units few). It is computed here from a [`PostSet`] ([`from_posts`]) or by a database
/// engine running the SQL of [`crate::exchange`] over the normalised posts, and everything after
/// it ([`build_with`]) reads only this, so the two cannot differ past it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FromPosts {
    /// (niche, platform, account); a post that names no account is a unit of its own, keyed by
    /// [`crate::normalise::posts::standalone_key`].
    pub key: Key,
    pub standalone: bool,
    pub posts: u64,
    /// Posts whose engagement is known; their sum, median and maximum.
    pub engagement_known: u64,
    pub engagement_total: Option<f64>,
    pub engagement_median: Option<f64>,
    pub engagement_max: Option<f64>,
    pub views_median: Option<f64>,
    /// Median of engagement ÷ views over posts with both (views above zero).
    pub er_views_median: Option<f64>,
    pub sponsored_known: u64,
    pub sponsored_yes: u64,
    /// Median engagement of sponsored and of organic posts.
    pub sponsored_median: Option<f64>,
    pub organic_median: Option<f64>,
    /// Posts with a lower-bound count.
    pub censored: u64,
    pub price_median: Option<f64>,
    /// First and last publication time (seconds), and posts dated.
    pub first_at: Option<i64>,
    pub last_at: Option<i64>,
    pub dated: u64,
    /// (week, median of ln(engagement ÷ typical post)) over settled weeks (METHOD.md §2).
    pub weekly: Vec<(i64, f64)>,
    /// Posts per format.
    pub formats: BTreeMap<String, u64>,
}

/// Every unit's [`FromPosts`], in key order, from the posts gathered per unit.
pub fn from_posts(set: &PostSet) -> Vec<FromPosts> {
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

    // Posts still collecting likes: each niche's crawl is taken to be the latest publication time
    // among its posts (no export we know states its crawl time), and the posts of that week, at
    // most seven days old, are left out of its trend (METHOD.md §2, engagement trend). Per niche,
    // so a niche crawled later does not move another's trend.
    let mut settled_before: HashMap<&str, i64> = HashMap::new();
    for ((n, _, _), (_, up)) in &set.units {
        if let Some(t) = up.last_at {
            let week = t.div_euclid(WEEK);
            settled_before
                .entry(n.as_str())
                .and_modify(|w| *w = (*w).max(week))
                .or_insert(week);
        }
    }
    let mut out: Vec<FromPosts> = set
        .units
        .iter()
        .map(|(key, (standalone, _))| FromPosts {
            key: key.clone(),
            standalone: *standalone,
            ..FromPosts::default()
        })
        .collect();
    // Each unit is finished on its own; the threads take runs of units as they come free (units
    // differ in posts by orders of magnitude, and whole niches of heavy posters sit together).
    crate::par::runs_mut(&mut out, 256, |first, run| {
        let mut scratch = Scratch::default();
        for (f, (_, (standalone, up))) in run.iter_mut().zip(&set.units[first..]) {
            let alone = niche_median.get(f.key.0.as_str()).copied();
            let settled = settled_before.get(f.key.0.as_str()).copied();
            finish_unit(f, *standalone, up, alone, &set.formats, settled, &mut scratch);
        }
    });
    out
}

/// Add each unit's posts to the listed units (both in key order; the result is too). A unit with
/// posts but no row in a list is a unit of its own.
fn add_posts(from_posts: Vec<FromPosts>, mut units: Vec<Unit>) -> Vec<Unit> {
    // Both lists are in key order. A key with posts and a listed unit has its posts added where
    // the unit stands; a key with posts alone becomes a unit, set aside with the number of listed
    // units before it and put in place after. (Merged into a third list with room for both
    // lists' lengths, the units were held up to three times over at the run's peak: without it
    // the peak of 10M posts in crawl order fell from 878 to 768 MiB, BENCHMARKS.md.)
    let listed = units.len();
    let mut alone: Vec<(usize, Unit)> = Vec::new();
    let mut at = 0;
    for mut f in from_posts {
        let key_ref = borrowed(&f.key);
        while at < listed && key_of(&units[at]) < key_ref {
            at += 1;
        }
        if at < listed && key_of(&units[at]) == key_ref {
            let u = &mut units[at];
            // (Passed at once: its key may change below, and it is never compared again.)
            at += 1;
            if f.standalone {
                u.account = None;
            }
            apply(u, f);
        } else {
            // The key moves into the unit: nothing reads it after this.
            let (niche, platform, account) = std::mem::take(&mut f.key);
            let mut u = Unit {
                niche,
                platform,
                account,
                ..Unit::default()
            };
            if f.standalone {
                u.account = None;
            }
            apply(&mut u, f);
            alone.push((at, u));
        }
    }
    // From the back: each unit set aside goes after the listed units before it, the listed units
    // after it move up past it. Positions from `i` to `k` hold nothing yet (empty units).
    units.reserve_exact(alone.len());
    units.resize_with(listed + alone.len(), Unit::default);
    let (mut i, mut k) = (listed, units.len());
    for (before, u) in alone.into_iter().rev() {
        while i > before {
            i -= 1;
            k -= 1;
            units.swap(i, k);
        }
        k -= 1;
        units[k] = u;
    }
    units
}

/// A unit's numbers from what its posts come to (the list's own figures stand where its posts
/// give none: the typical post and the price).
fn apply(u: &mut Unit, f: FromPosts) {
    u.posts = f.posts;
    u.engagement_known = f.engagement_known;
    if f.engagement_known > 0 {
        u.engagement_total = f.engagement_total;
        u.engagement_max = f.engagement_max;
        u.engagement_per_post = f.engagement_median;
    }
    if f.views_median.is_some() {
        u.views_per_post = f.views_median;
    }
    if f.er_views_median.is_some() {
        u.er_views = f.er_views_median;
    }
    u.sponsored_known = f.sponsored_known;
    u.sponsored_yes = f.sponsored_yes;
    u.sponsored_engagement = f.sponsored_median;
    u.organic_engagement = f.organic_median;
    u.censored += f.censored;
    if !f.standalone {
        u.price = u.price.or(f.price_median);
        if let (Some(t0), Some(t1)) = (f.first_at, f.last_at) {
            let weeks = (t1 - t0) as f64 / WEEK as f64;
            if f.dated >= 2 && weeks > 0.0 {
                u.posts_per_week = Some((f.dated - 1) as f64 / weeks.max(1.0 / 7.0));
            }
        }
    }
    u.weekly = f.weekly;
    u.formats = f.formats;
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
    f: &mut FromPosts,
    standalone: bool,
    up: &UnitPosts,
    niche_median: Option<f64>,
    formats: &[String],
    settled_before: Option<i64>,
    scratch: &mut Scratch,
) {
    aggregate(up, f, scratch);
    for (id, n) in &up.formats {
        if let Some(name) = formats.get(*id as usize) {
            *f.formats.entry(name.clone()).or_default() += n;
        }
    }
    let typical = if standalone { niche_median } else { f.engagement_median };
    let Some(typical) = typical.filter(|m| *m > 0.0) else {
        return;
    };
    // Zero engagement is floored at half a unit, so a post with none still counts as far below
    // the account's typical post rather than as minus infinity. The logarithm keeps the order of
    // the ratios, so they are sorted as they are and only the one or two in each week's middle
    // are taken to logarithms (the same values as taking them all first).
    let pending = &mut scratch.weekly;
    pending.clear();
    let settled = |w: i64| settled_before.is_none_or(|last| w < last);
    pending.extend(
        up.posts
            .iter()
            .filter_map(|p| Some((p.week().filter(|w| settled(*w))?, p.engagement()?.max(0.5) / typical))),
    );
    // Sorted by week, then ratio. The ratios are positive or +0.0 (never NaN or negative), and
    // for those the bits as an integer order them as `f64::total_cmp` does, more cheaply. Posts
    // often come in time order: then the weeks are in order already and only each week's few
    // values need sorting (the same order a full sort gives, the key being total).
    if pending.is_sorted_by_key(|x| x.0) {
        for week in pending.chunk_by_mut(|a, b| a.0 == b.0) {
            week.sort_unstable_by_key(|x| x.1.to_bits());
        }
    } else {
        pending.sort_unstable_by_key(|x| (x.0, x.1.to_bits()));
    }
    // Each week's values are in order: the median is read off the middle of the finite ones (a
    // ratio whose logarithm is finite: above zero and below infinity).
    let finite = |x: f64| x > 0.0 && x.is_finite();
    f.weekly = pending
        .chunk_by(|a, b| a.0 == b.0)
        .filter_map(|week| {
            let lo = week.iter().position(|x| finite(x.1))?;
            let hi = week.iter().rposition(|x| finite(x.1))? + 1;
            let v = &week[lo..hi];
            let n = v.len();
            let m = if n % 2 == 1 {
                v[n / 2].1.ln()
            } else {
                (v[n / 2 - 1].1.ln() + v[n / 2].1.ln()) / 2.0
            };
            Some((week[0].0, m))
        })
        .collect();
}

/// A unit's numbers from its posts, in one pass over them.
fn aggregate(up: &UnitPosts, f: &mut FromPosts, s: &mut Scratch) {
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
    f.posts = up.posts.len() as u64;
    f.engagement_known = s.engagement.len() as u64;
    if !s.engagement.is_empty() {
        f.engagement_total = Some(total);
        f.engagement_max = Some(max);
        f.engagement_median = stats::median_mut(&mut s.engagement);
    }
    f.views_median = stats::median_mut(&mut s.views);
    f.er_views_median = stats::median_mut(&mut s.er_views);
    f.sponsored_known = sponsored_known;
    f.sponsored_yes = sponsored_yes;
    f.sponsored_median = stats::median_mut(&mut s.sponsored);
    f.organic_median = stats::median_mut(&mut s.organic);
    f.censored = up.censored;
    s.engagement.clear();
    s.engagement.extend(up.prices.iter().copied());
    f.price_median = stats::median_mut(&mut s.engagement);
    (f.first_at, f.last_at, f.dated) = (up.first_at, up.last_at, up.dated);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_days_of_gained_followers_are_a_monthly_growth() {
        let g = recent_growth(Some(110_000.0), Some(10_000.0)).unwrap();
        assert!((g - (1.1f64.powf(30.44 / 30.0) - 1.0)).abs() < 1e-12);
        assert_eq!(
            recent_growth(Some(5_000.0), Some(5_000.0)),
            None,
            "a gain of all its followers"
        );
        assert_eq!(recent_growth(None, Some(10.0)), None);
    }

    #[test]
    fn posts_join_their_listed_units_and_the_rest_fall_in_key_order() {
        let mut rng = crate::rng::Rng::new(17);
        for round in 0..200 {
            // Keys from a small space, so lists overlap, and either list may be empty.
            let key = |rng: &mut crate::rng::Rng| -> Key {
                let account = (rng.below(6) > 0).then(|| format!("a{}", rng.below(12)));
                (format!("n{}", rng.below(3)), format!("p{}", rng.below(2)), account)
            };
            let (n_listed, n_posted) = (rng.below(14), rng.below(14));
            let mut listed: Vec<Key> = (0..n_listed).map(|_| key(&mut rng)).collect();
            let mut posted: Vec<Key> = (0..n_posted).map(|_| key(&mut rng)).collect();
            for list in [&mut listed, &mut posted] {
                list.sort();
                list.dedup();
            }
            // Some posts stand alone: their account slot holds a post's own key.
            let standalone: Vec<bool> = posted.iter().map(|_| rng.below(5) == 0).collect();
            let from: Vec<FromPosts> = posted
                .iter()
                .zip(&standalone)
                .enumerate()
                .map(|(i, (k, &alone))| FromPosts {
                    key: k.clone(),
                    standalone: alone,
                    posts: 1 + i as u64,
                    ..FromPosts::default()
                })
                .collect();
            let units: Vec<Unit> = listed
                .iter()
                .map(|(n, p, a)| Unit {
                    niche: n.clone(),
                    platform: p.clone(),
                    account: a.clone(),
                    ..Unit::default()
                })
                .collect();
            // What it must give: every key once, in key order (before any account is cleared),
            // with the posts of its key, and no account where the posts stand alone.
            let mut want: Vec<Key> = listed.iter().chain(&posted).cloned().collect();
            want.sort();
            want.dedup();
            let want: Vec<(Key, u64)> = want
                .into_iter()
                .map(|k| match posted.iter().position(|p| *p == k) {
                    Some(i) if standalone[i] => ((k.0, k.1, None), 1 + i as u64),
                    Some(i) => (k, 1 + i as u64),
                    None => (k, 0),
                })
                .collect();
            let got: Vec<(Key, u64)> = add_posts(from, units)
                .into_iter()
                .map(|u| ((u.niche, u.platform, u.account), u.posts))
                .collect();
            assert_eq!(got, want, "round {round}");
        }
    }
}
