//! Posts and account rows -> [`Unit`]s: one per account in a niche (or per post that names no
//! account). Every niche measure, and every bootstrap resample, is computed from units alone, so
//! no post-sized table is touched after this step.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

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
    /// (week, log ratio) of each post, while the posts are being read.
    #[serde(skip)]
    pending: Vec<(i64, f64)>,
    /// Posts per format.
    pub formats: BTreeMap<String, u64>,
}

impl Unit {
    pub fn is_account(&self) -> bool {
        self.account.is_some()
    }
}

type Key = (String, String, Option<String>);

/// Build every unit from the canonical tables.
pub fn build(tables: &Tables) -> Result<Vec<Unit>> {
    let mut units: BTreeMap<Key, Unit> = BTreeMap::new();
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
        units.insert(
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
        );
    }

    if tables.posts.height() > 0 {
        add_posts(&tables.posts, &mut units)?;
    }

    let mut out: Vec<Unit> = units.into_values().collect();
    for u in &mut out {
        if let Some(acc) = &u.account {
            let key = (u.platform.clone(), acc.clone());
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
fn follower_lookup(tables: &Tables) -> Result<HashMap<(String, String), f64>> {
    let mut out: HashMap<(String, String), f64> = HashMap::new();
    let s = &tables.snapshots;
    let platform = s.column("platform")?.str()?;
    let account = s.column("account")?.str()?;
    let date = s.column("date")?.i64()?;
    let value = s.column("followers")?.f64()?;
    let mut latest: HashMap<(String, String), (i64, f64)> = HashMap::new();
    for i in 0..s.height() {
        if let (Some(p), Some(a), Some(d), Some(v)) = (platform.get(i), account.get(i), date.get(i), value.get(i)) {
            let e = latest.entry((p.to_string(), a.to_string())).or_insert((d, v));
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
            out.insert((p.to_string(), acc.to_string()), f);
        }
    }
    Ok(out)
}

/// Monthly follower growth per account: the Theil–Sen slope of ln(followers) against days,
/// as e^(30.44 · slope) − 1. Needs two snapshots on different days.
fn follower_growth(snapshots: &DataFrame) -> Result<HashMap<(String, String), f64>> {
    let platform = snapshots.column("platform")?.str()?;
    let account = snapshots.column("account")?.str()?;
    let date = snapshots.column("date")?.i64()?;
    let value = snapshots.column("followers")?.f64()?;
    let mut series: HashMap<(String, String), Vec<(f64, f64)>> = HashMap::new();
    for i in 0..snapshots.height() {
        if let (Some(p), Some(a), Some(d), Some(v)) = (platform.get(i), account.get(i), date.get(i), value.get(i)) {
            if v > 0.0 {
                series
                    .entry((p.to_string(), a.to_string()))
                    .or_default()
                    .push((d as f64 / DAY, v.ln()));
            }
        }
    }
    Ok(series
        .into_iter()
        .filter_map(|(k, pts)| stats::theil_sen(&pts).map(|s| (k, (s * 30.44).exp() - 1.0)))
        .collect())
}

fn f64_col<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Float64Chunked> {
    Ok(df.column(name)?.f64()?)
}

/// Aggregate posts per (niche, platform, account) in Polars, then add each post's relative
/// engagement to its unit's weekly series. Posts without an account become units of their own.
fn add_posts(posts: &DataFrame, units: &mut BTreeMap<Key, Unit>) -> Result<()> {
    let er_views = when(col("views").gt(lit(0.0)))
        .then(col("engagement") / col("views"))
        .otherwise(lit(NULL).cast(DataType::Float64));
    let sponsored_eng = col("engagement").filter(col("sponsored").eq(lit(true))).median();
    let organic_eng = col("engagement").filter(col("sponsored").eq(lit(false))).median();
    let df = posts
        .clone()
        .lazy()
        .filter(col("niche").is_not_null().and(col("account").is_not_null()))
        .group_by([col("niche"), col("platform"), col("account")])
        .agg([
            len().cast(DataType::Float64).alias("posts"),
            col("engagement").count().cast(DataType::Float64).alias("eng_n"),
            col("engagement").sum().alias("eng_sum"),
            col("engagement").median().alias("eng_median"),
            col("engagement").max().alias("eng_max"),
            col("views").median().alias("views_median"),
            er_views.median().alias("er_views_median"),
            col("published_at").min().cast(DataType::Float64).alias("t_min"),
            col("published_at").max().cast(DataType::Float64).alias("t_max"),
            col("published_at").count().cast(DataType::Float64).alias("t_n"),
            col("sponsored").count().cast(DataType::Float64).alias("sp_n"),
            col("sponsored").cast(DataType::Float64).sum().alias("sp_yes"),
            sponsored_eng.alias("sp_eng"),
            organic_eng.alias("org_eng"),
            col("censored").cast(DataType::Float64).sum().alias("censored"),
            col("price").median().alias("price_median"),
        ])
        .collect()?;
    let niche = df.column("niche")?.str()?;
    let platform = df.column("platform")?.str()?;
    let account = df.column("account")?.str()?;
    let get = |name| f64_col(&df, name);
    let (n_posts, eng_n, eng_sum, eng_median, eng_max) = (
        get("posts")?,
        get("eng_n")?,
        get("eng_sum")?,
        get("eng_median")?,
        get("eng_max")?,
    );
    let (views_median, er_median, t_min, t_max, t_n) = (
        get("views_median")?,
        get("er_views_median")?,
        get("t_min")?,
        get("t_max")?,
        get("t_n")?,
    );
    let (sp_n, sp_yes, sp_eng, org_eng) = (get("sp_n")?, get("sp_yes")?, get("sp_eng")?, get("org_eng")?);
    let (censored, price) = (get("censored")?, get("price_median")?);
    for i in 0..df.height() {
        let (Some(n), Some(p), Some(acc)) = (niche.get(i), platform.get(i), account.get(i)) else {
            continue;
        };
        let key = (n.to_string(), p.to_string(), Some(acc.to_string()));
        let u = units.entry(key).or_insert_with(|| Unit {
            niche: n.to_string(),
            platform: p.to_string(),
            account: Some(acc.to_string()),
            ..Unit::default()
        });
        u.posts = n_posts.get(i).unwrap_or(0.0) as u64;
        let known = eng_n.get(i).unwrap_or(0.0) as u64;
        u.engagement_known = known;
        if known > 0 {
            u.engagement_total = eng_sum.get(i);
            u.engagement_per_post = eng_median.get(i);
            u.engagement_max = eng_max.get(i);
        }
        if let Some(v) = views_median.get(i) {
            u.views_per_post = Some(v);
        }
        u.er_views = er_median.get(i);
        u.sponsored_known = sp_n.get(i).unwrap_or(0.0) as u64;
        u.sponsored_yes = sp_yes.get(i).unwrap_or(0.0) as u64;
        u.sponsored_engagement = sp_eng.get(i);
        u.organic_engagement = org_eng.get(i);
        u.censored += censored.get(i).unwrap_or(0.0) as u64;
        u.price = u.price.or(price.get(i));
        if let (Some(t0), Some(t1), Some(dated)) = (t_min.get(i), t_max.get(i), t_n.get(i)) {
            let weeks = (t1 - t0) / WEEK as f64;
            if dated >= 2.0 && weeks > 0.0 {
                u.posts_per_week = Some((dated - 1.0) / weeks.max(1.0 / 7.0));
            }
        }
    }

    // One pass over the posts: formats, standalone units, and the weekly relative engagement.
    let niche_median = niche_medians(posts)?;
    let niche = posts.column("niche")?.str()?;
    let platform = posts.column("platform")?.str()?;
    let account = posts.column("account")?.str()?;
    let at = posts.column("published_at")?.i64()?;
    let engagement = posts.column("engagement")?.f64()?;
    let views = posts.column("views")?.f64()?;
    let sponsored = posts.column("sponsored")?.bool()?;
    let censored = posts.column("censored")?.bool()?;
    let format = posts.column("format")?.str()?;
    let post_id = posts.column("post")?.str()?;

    let mut key: Key = (String::new(), String::new(), None);
    for i in 0..posts.height() {
        let (Some(n), Some(p)) = (niche.get(i), platform.get(i)) else {
            continue;
        };
        key.0.clear();
        key.0.push_str(n);
        key.1.clear();
        key.1.push_str(p);
        key.2 = account.get(i).map(str::to_string);
        let e = engagement.get(i);
        if key.2.is_none() {
            // A post that names no account is a unit of its own, keyed by its post id.
            let id = post_id.get(i).unwrap_or_default().to_string();
            let u = Unit {
                niche: n.to_string(),
                platform: p.to_string(),
                account: None,
                posts: 1,
                engagement_known: u64::from(e.is_some()),
                engagement_total: e,
                engagement_per_post: e,
                engagement_max: e,
                views_per_post: views.get(i),
                er_views: match (e, views.get(i)) {
                    (Some(e), Some(v)) if v > 0.0 => Some(e / v),
                    _ => None,
                },
                sponsored_known: u64::from(sponsored.get(i).is_some()),
                sponsored_yes: u64::from(sponsored.get(i) == Some(true)),
                sponsored_engagement: e.filter(|_| sponsored.get(i) == Some(true)),
                organic_engagement: e.filter(|_| sponsored.get(i) == Some(false)),
                censored: u64::from(censored.get(i) == Some(true)),
                ..Unit::default()
            };
            let slot = units
                .entry((n.to_string(), p.to_string(), Some(format!("\u{1f}post:{id}:{i}"))))
                .or_insert(u);
            slot.account = None;
            if let (Some(t), Some(e), Some(m)) = (at.get(i), e, niche_median.get(n).filter(|m| **m > 0.0)) {
                slot.weekly.push((t.div_euclid(WEEK), (e.max(0.5) / m).ln()));
            }
            if let Some(f) = format.get(i) {
                *slot.formats.entry(f.to_string()).or_default() += 1;
            }
            continue;
        }
        let Some(u) = units.get_mut(&key) else { continue };
        if let Some(f) = format.get(i) {
            *u.formats.entry(f.to_string()).or_default() += 1;
        }
        let (Some(t), Some(e), Some(typical)) = (at.get(i), e, u.engagement_per_post.filter(|m| *m > 0.0)) else {
            continue;
        };
        // Zero engagement is floored at half a unit, so a post with none still counts as far below
        // the account's typical post rather than as minus infinity.
        u.pending.push((t.div_euclid(WEEK), (e.max(0.5) / typical).ln()));
    }
    for u in units.values_mut().filter(|u| !u.pending.is_empty()) {
        let mut pending = std::mem::take(&mut u.pending);
        pending.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        u.weekly = pending
            .chunk_by(|a, b| a.0 == b.0)
            .filter_map(|week| {
                let values: Vec<f64> = week.iter().map(|x| x.1).collect();
                stats::median(&values).map(|m| (week[0].0, m))
            })
            .collect();
    }
    Ok(())
}

/// Median engagement per post per niche over posts that name no account (their yardstick).
fn niche_medians(posts: &DataFrame) -> Result<HashMap<String, f64>> {
    let df = posts
        .clone()
        .lazy()
        .filter(col("niche").is_not_null().and(col("account").is_null()))
        .group_by([col("niche")])
        .agg([col("engagement").median().alias("m")])
        .collect()?;
    let niche = df.column("niche")?.str()?;
    let m = df.column("m")?.f64()?;
    Ok((0..df.height())
        .filter_map(|i| Some((niche.get(i)?.to_string(), m.get(i)?)))
        .collect())
}
