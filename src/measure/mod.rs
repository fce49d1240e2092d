//! Stage 3: [`Tables`] -> [`Metrics`]: per-account and per-niche numbers. Pure: no I/O.
//!
//! Posts are first aggregated per (niche, platform, account) and per (niche, week) in Polars, so
//! no post-sized join is ever built; the per-niche measures are then taken over those small
//! per-account rows. Every measure is `None` where the inputs hold no evidence for it; METHOD.md
//! defines each one.

pub mod stats;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use polars::prelude::*;
use serde::Serialize;

use crate::error::Result;
use crate::normalise::fields::Field;
use crate::normalise::mapping::Kind;
use crate::normalise::Tables;

const WEEK: i64 = 7 * 24 * 3600;
/// Chinese tier bounds on followers (新红): 素人 < 5千 ≤ 初级 < 5万 ≤ 腰部 < 50万 ≤ 头部.
pub const TIER_BOUNDS: [f64; 3] = [5_000.0, 50_000.0, 500_000.0];
pub const TIER_NAMES: [&str; 4] = ["素人 nano", "初级 micro", "腰部 mid", "头部 head"];
/// The head of a niche: the top tenth of its accounts.
const HEAD_FRACTION: f64 = 0.1;
/// Weeks with posts needed before a trend is measured.
const MIN_TREND_WEEKS: usize = 4;
/// Below these a niche is flagged low-evidence.
pub const MIN_ACCOUNTS: u64 = 5;
pub const MIN_POSTS: u64 = 20;

/// One account's standing in one niche.
#[derive(Debug, Clone, Serialize)]
pub struct AccountMetrics {
    pub niche: String,
    pub platform: String,
    pub account: String,
    pub followers: Option<f64>,
    /// Posts of this account in this niche, in the post inputs.
    pub posts: u64,
    /// Typical engagement per post: the median over its posts, or the average an account list gives.
    pub engagement_per_post: Option<f64>,
    pub engagement_total: Option<f64>,
    pub views_per_post: Option<f64>,
    /// Engagement per post over followers, where followers are known.
    pub er_followers: Option<f64>,
    /// Median over its posts of engagement / views, where views are known.
    pub er_views: Option<f64>,
    /// Posts per week between its first and last dated post (needs two dated posts).
    pub posts_per_week: Option<f64>,
    pub price: Option<f64>,
    pub earnings_monthly: Option<f64>,
}

/// Everything measured about one niche.
#[derive(Debug, Clone, Serialize)]
pub struct NicheMetrics {
    pub niche: String,
    pub platforms: Vec<String>,
    /// Distinct accounts in the niche; None when no input identifies accounts.
    pub accounts: Option<u64>,
    /// Posts in the niche in the post inputs; None when there are no post inputs.
    pub posts: Option<u64>,
    /// Posts the account list says its accounts have published (e.g. an uploads column).
    pub posts_reported: Option<f64>,
    pub accounts_with_followers: u64,
    pub followers_total: Option<f64>,
    pub engagement_total: Option<f64>,
    pub median_engagement_per_post: Option<f64>,
    pub engagement_rate: Option<f64>,
    /// "followers" or "views": what the engagement rate divides by.
    pub engagement_rate_basis: Option<&'static str>,
    pub median_views_per_post: Option<f64>,
    pub posts_per_week: Option<f64>,
    pub sponsored_share: Option<f64>,
    pub sponsored_posts_known: u64,
    pub price_per_post_median: Option<f64>,
    pub earnings_monthly_median: Option<f64>,
    pub top10_follower_share: Option<f64>,
    pub gini: Option<f64>,
    /// "followers" or "engagement": what the Gini coefficient is taken over.
    pub gini_basis: Option<&'static str>,
    /// Accounts per tier: 素人, 初级, 腰部, 头部 (followers known only).
    pub tiers: [u64; 4],
    pub mid_tier_median_er: Option<f64>,
    /// Median engagement per post of the niche's head (top tenth of accounts).
    pub head_engagement_per_post: Option<f64>,
    /// Weekly growth of engagement relative to each account's typical post (Theil–Sen slope of the
    /// weekly median log ratio, as a rate): 0.05 = +5% a week.
    pub engagement_trend_weekly: Option<f64>,
    pub trend_weeks: u64,
    /// Posts in this niche that are also filed under another niche.
    pub posts_in_other_niches: u64,
    /// Values in this niche that are lower bounds ("10万+").
    pub censored_values: u64,
    pub low_evidence: bool,
}

/// The measured niches, and the accounts behind them.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    pub niches: Vec<NicheMetrics>,
    pub accounts: Vec<AccountMetrics>,
    /// The interaction counts that engagement sums, as present in the inputs.
    pub engagement_components: Vec<&'static str>,
}

#[derive(Default)]
struct PostGroup {
    posts: u64,
    eng_n: f64,
    eng_sum: f64,
    eng_median: Option<f64>,
    views_median: Option<f64>,
    er_views_median: Option<f64>,
    t_min: Option<f64>,
    t_max: Option<f64>,
    t_n: f64,
    censored: f64,
    price_median: Option<f64>,
}

/// Measure every niche.
pub fn compute(tables: &Tables) -> Result<Metrics> {
    let has_posts = tables.posts.height() > 0;
    let post_groups = if has_posts {
        post_groups(&tables.posts)?
    } else {
        BTreeMap::new()
    };
    let niche_posts = if has_posts {
        niche_post_stats(&tables.posts)?
    } else {
        BTreeMap::new()
    };
    let multi = multi_niche_counts(&tables.posts)?;

    // Followers per account: the account list first, then the latest snapshot.
    let mut followers: HashMap<(String, String), f64> = HashMap::new();
    let mut latest: HashMap<(String, String), (i64, f64)> = HashMap::new();
    {
        let s = &tables.snapshots;
        let platform = s.column("platform")?.str()?;
        let account = s.column("account")?.str()?;
        let date = s.column("date")?.i64()?;
        let value = s.column("followers")?.f64()?;
        for i in 0..s.height() {
            if let (Some(p), Some(a), Some(d), Some(v)) = (platform.get(i), account.get(i), date.get(i), value.get(i)) {
                let e = latest.entry((p.to_string(), a.to_string())).or_insert((d, v));
                if d > e.0 {
                    *e = (d, v);
                }
            }
        }
    }
    for (k, (_, v)) in latest {
        followers.insert(k, v);
    }

    // Account-list rows become memberships; posts add theirs.
    let mut members: BTreeMap<(String, String, String), AccountMetrics> = BTreeMap::new();
    let mut censored_by_niche: HashMap<String, u64> = HashMap::new();
    {
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
            let (Some(p), Some(acc)) = (platform.get(i), account.get(i)) else {
                continue;
            };
            if let Some(f) = fol.get(i) {
                followers.insert((p.to_string(), acc.to_string()), f);
            }
            let Some(n) = niche.get(i) else { continue };
            if fol_c.get(i) == Some(true) {
                *censored_by_niche.entry(n.to_string()).or_default() += 1;
            }
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
            members.insert(
                (n.to_string(), p.to_string(), acc.to_string()),
                AccountMetrics {
                    niche: n.to_string(),
                    platform: p.to_string(),
                    account: acc.to_string(),
                    followers: fol.get(i),
                    posts: 0,
                    engagement_per_post: avg_eng.get(i),
                    engagement_total: None,
                    views_per_post,
                    er_followers: None,
                    er_views: None,
                    posts_per_week: None,
                    price: price.get(i),
                    earnings_monthly: earnings,
                },
            );
        }
    }
    let mut posts_reported: HashMap<String, f64> = HashMap::new();
    {
        let a = &tables.accounts;
        let niche = a.column("niche")?.str()?;
        let posts_count = a.column("posts_count")?.f64()?;
        for i in 0..a.height() {
            if let (Some(n), Some(c)) = (niche.get(i), posts_count.get(i)) {
                *posts_reported.entry(n.to_string()).or_default() += c;
            }
        }
    }

    let mut unattributed: BTreeMap<String, PostGroup> = BTreeMap::new();
    for ((niche, platform, account), g) in post_groups {
        *censored_by_niche.entry(niche.clone()).or_default() += g.censored as u64;
        let Some(account) = account else {
            unattributed.insert(niche, g);
            continue;
        };
        let key = (niche.clone(), platform.clone(), account.clone());
        let m = members.entry(key).or_insert_with(|| AccountMetrics {
            niche: niche.clone(),
            platform: platform.clone(),
            account: account.clone(),
            followers: None,
            posts: 0,
            engagement_per_post: None,
            engagement_total: None,
            views_per_post: None,
            er_followers: None,
            er_views: None,
            posts_per_week: None,
            price: None,
            earnings_monthly: None,
        });
        m.posts = g.posts;
        if g.eng_n > 0.0 {
            m.engagement_per_post = g.eng_median;
            m.engagement_total = Some(g.eng_sum);
        }
        if g.views_median.is_some() {
            m.views_per_post = g.views_median;
        }
        m.er_views = g.er_views_median;
        m.price = m.price.or(g.price_median);
        if let (Some(t0), Some(t1)) = (g.t_min, g.t_max) {
            let weeks = (t1 - t0) / WEEK as f64;
            if g.t_n >= 2.0 && weeks > 0.0 {
                m.posts_per_week = Some((g.t_n - 1.0) / weeks.max(1.0 / 7.0));
            }
        }
    }
    for m in members.values_mut() {
        if m.followers.is_none() {
            m.followers = followers.get(&(m.platform.clone(), m.account.clone())).copied();
        }
        m.er_followers = match (m.engagement_per_post, m.followers) {
            (Some(e), Some(f)) if f > 0.0 => Some(e / f),
            _ => None,
        };
    }

    let accounts_known = tables.accounts.height() > 0
        || tables.has(Kind::Posts, Field::AccountId)
        || tables.has(Kind::Posts, Field::AccountName);
    let weekly = if has_posts {
        let account_median: HashMap<(String, String, String), f64> = members
            .values()
            .filter(|m| m.posts > 0)
            .filter_map(|m| {
                Some((
                    (m.niche.clone(), m.platform.clone(), m.account.clone()),
                    m.engagement_per_post?,
                ))
            })
            .collect();
        let niche_median: HashMap<String, f64> = niche_posts
            .iter()
            .filter_map(|(n, np)| Some((n.clone(), np.eng_median?)))
            .collect();
        weekly_relative(&tables.posts, &account_median, &niche_median)?
    } else {
        BTreeMap::new()
    };
    let mut by_niche: BTreeMap<String, Vec<&AccountMetrics>> = BTreeMap::new();
    for m in members.values() {
        by_niche.entry(m.niche.clone()).or_default().push(m);
    }
    for niche in niche_posts.keys().chain(unattributed.keys()) {
        by_niche.entry(niche.clone()).or_default();
    }

    let mut niches = Vec::new();
    for (niche, accounts) in &by_niche {
        let np = niche_posts.get(niche);
        let mut platforms: BTreeSet<String> = accounts.iter().map(|a| a.platform.clone()).collect();
        if let Some(np) = np {
            platforms.extend(np.platforms.iter().cloned());
        }
        let fol: Vec<f64> = accounts.iter().filter_map(|a| a.followers).collect();
        let eng_per_account: Vec<f64> = accounts.iter().filter_map(|a| a.engagement_per_post).collect();
        let (er, basis) = {
            let by_followers: Vec<f64> = accounts.iter().filter_map(|a| a.er_followers).collect();
            let by_views: Vec<f64> = accounts.iter().filter_map(|a| a.er_views).collect();
            if !by_followers.is_empty() {
                (stats::median(&by_followers), Some("followers"))
            } else if !by_views.is_empty() {
                (stats::median(&by_views), Some("views"))
            } else if let Some(v) = np.and_then(|np| np.er_views_median) {
                (Some(v), Some("views"))
            } else {
                (None, None)
            }
        };
        let (gini, gini_basis) = match stats::gini(&fol) {
            Some(g) => (Some(g), Some("followers")),
            None => {
                let totals: Vec<f64> = accounts
                    .iter()
                    .filter_map(|a| a.engagement_total.or(a.engagement_per_post))
                    .collect();
                match stats::gini(&totals) {
                    Some(g) => (Some(g), Some("engagement")),
                    None => (None, None),
                }
            }
        };
        let mut tiers = [0u64; 4];
        let mut mid_er = Vec::new();
        for a in accounts {
            if let Some(f) = a.followers {
                let t = TIER_BOUNDS.iter().filter(|&&b| f >= b).count();
                tiers[t] += 1;
                if t == 2 {
                    mid_er.extend(a.er_followers);
                }
            }
        }
        let head = {
            let mut ranked: Vec<&&AccountMetrics> =
                accounts.iter().filter(|a| a.engagement_per_post.is_some()).collect();
            if fol.len() == accounts.len() && !fol.is_empty() {
                ranked.sort_by(|a, b| b.followers.unwrap_or(0.0).total_cmp(&a.followers.unwrap_or(0.0)));
            } else {
                ranked.sort_by(|a, b| {
                    b.engagement_per_post
                        .unwrap_or(0.0)
                        .total_cmp(&a.engagement_per_post.unwrap_or(0.0))
                });
            }
            let k = ((HEAD_FRACTION * ranked.len() as f64).ceil() as usize).min(ranked.len());
            let head: Vec<f64> = ranked[..k].iter().filter_map(|a| a.engagement_per_post).collect();
            stats::median(&head)
        };
        let cadence: Vec<f64> = accounts.iter().filter_map(|a| a.posts_per_week).collect();
        let prices: Vec<f64> = accounts.iter().filter_map(|a| a.price).collect();
        let earnings: Vec<f64> = accounts.iter().filter_map(|a| a.earnings_monthly).collect();
        let views_per_account: Vec<f64> = accounts.iter().filter_map(|a| a.views_per_post).collect();
        let (trend, trend_weeks) = match weekly.get(niche) {
            Some(weeks) if weeks.len() >= MIN_TREND_WEEKS => {
                let pts: Vec<(f64, f64)> = weeks.iter().map(|&(w, m)| (w as f64, (1.0 + m).ln())).collect();
                (stats::theil_sen(&pts).map(|s| s.exp() - 1.0), weeks.len() as u64)
            }
            Some(weeks) => (None, weeks.len() as u64),
            None => (None, 0),
        };
        let attributed = accounts.iter().filter(|a| !a.account.is_empty()).count() as u64;
        let posts = has_posts.then(|| np.map_or(0, |np| np.posts));
        let account_count = accounts_known.then_some(attributed);
        let low_evidence = account_count.is_some_and(|n| n < MIN_ACCOUNTS)
            || posts.is_some_and(|p| p < MIN_POSTS)
            || account_count.is_none() && posts.is_none();
        niches.push(NicheMetrics {
            niche: niche.clone(),
            platforms: platforms.into_iter().collect(),
            accounts: account_count,
            posts,
            posts_reported: posts_reported.get(niche).copied(),
            accounts_with_followers: fol.len() as u64,
            followers_total: (!fol.is_empty()).then(|| fol.iter().sum()),
            engagement_total: np.and_then(|np| np.eng_total),
            median_engagement_per_post: np
                .and_then(|np| np.eng_median)
                .or_else(|| stats::median(&eng_per_account)),
            engagement_rate: er,
            engagement_rate_basis: basis,
            median_views_per_post: np
                .and_then(|np| np.views_median)
                .or_else(|| stats::median(&views_per_account)),
            posts_per_week: stats::median(&cadence),
            sponsored_share: np.and_then(|np| (np.sponsored_n > 0.0).then(|| np.sponsored_yes / np.sponsored_n)),
            sponsored_posts_known: np.map_or(0, |np| np.sponsored_n as u64),
            price_per_post_median: stats::median(&prices),
            earnings_monthly_median: stats::median(&earnings),
            top10_follower_share: stats::top_share(&fol, HEAD_FRACTION),
            gini,
            gini_basis,
            tiers,
            mid_tier_median_er: stats::median(&mid_er),
            head_engagement_per_post: head,
            engagement_trend_weekly: trend,
            trend_weeks,
            posts_in_other_niches: multi.get(niche).copied().unwrap_or(0),
            censored_values: censored_by_niche.get(niche).copied().unwrap_or(0),
            low_evidence,
        });
    }

    let components = [
        (Field::Likes, "likes"),
        (Field::Comments, "comments"),
        (Field::Shares, "shares"),
        (Field::Collects, "collects"),
    ]
    .into_iter()
    .filter(|(f, _)| tables.has(Kind::Posts, *f))
    .map(|(_, n)| n)
    .collect();
    Ok(Metrics {
        niches,
        accounts: members.into_values().collect(),
        engagement_components: components,
    })
}

fn f64_col<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Float64Chunked> {
    Ok(df.column(name)?.f64()?)
}

/// Per (niche, platform, account) aggregates of the posts.
/// (niche, platform, account); the account is None for posts that name none.
type GroupKey = (String, String, Option<String>);

fn post_groups(posts: &DataFrame) -> Result<BTreeMap<GroupKey, PostGroup>> {
    let er_views = when(col("views").gt(lit(0.0)))
        .then(col("engagement") / col("views"))
        .otherwise(lit(NULL).cast(DataType::Float64));
    let df = posts
        .clone()
        .lazy()
        .filter(col("niche").is_not_null())
        .group_by([col("niche"), col("platform"), col("account")])
        .agg([
            len().cast(DataType::Float64).alias("posts"),
            col("engagement").count().cast(DataType::Float64).alias("eng_n"),
            col("engagement").sum().alias("eng_sum"),
            col("engagement").median().alias("eng_median"),
            col("views").median().alias("views_median"),
            er_views.median().alias("er_views_median"),
            col("published_at").min().cast(DataType::Float64).alias("t_min"),
            col("published_at").max().cast(DataType::Float64).alias("t_max"),
            col("published_at").count().cast(DataType::Float64).alias("t_n"),
            col("censored").cast(DataType::Float64).sum().alias("censored"),
            col("price").median().alias("price_median"),
        ])
        .collect()?;
    let niche = df.column("niche")?.str()?;
    let platform = df.column("platform")?.str()?;
    let account = df.column("account")?.str()?;
    let get = |name| f64_col(&df, name);
    let (posts, eng_n, eng_sum, eng_median) = (get("posts")?, get("eng_n")?, get("eng_sum")?, get("eng_median")?);
    let (views_median, er_median, t_min, t_max, t_n) = (
        get("views_median")?,
        get("er_views_median")?,
        get("t_min")?,
        get("t_max")?,
        get("t_n")?,
    );
    let (censored, price) = (get("censored")?, get("price_median")?);
    let mut out = BTreeMap::new();
    for i in 0..df.height() {
        let (Some(n), Some(p)) = (niche.get(i), platform.get(i)) else {
            continue;
        };
        out.insert(
            (n.to_string(), p.to_string(), account.get(i).map(str::to_string)),
            PostGroup {
                posts: posts.get(i).unwrap_or(0.0) as u64,
                eng_n: eng_n.get(i).unwrap_or(0.0),
                eng_sum: eng_sum.get(i).unwrap_or(0.0),
                eng_median: eng_median.get(i),
                views_median: views_median.get(i),
                er_views_median: er_median.get(i),
                t_min: t_min.get(i),
                t_max: t_max.get(i),
                t_n: t_n.get(i).unwrap_or(0.0),
                censored: censored.get(i).unwrap_or(0.0),
                price_median: price.get(i),
            },
        );
    }
    Ok(out)
}

struct NichePosts {
    posts: u64,
    platforms: Vec<String>,
    eng_total: Option<f64>,
    eng_median: Option<f64>,
    views_median: Option<f64>,
    er_views_median: Option<f64>,
    sponsored_n: f64,
    sponsored_yes: f64,
}

/// Per-niche aggregates over posts (medians over posts, not over accounts).
fn niche_post_stats(frame: &DataFrame) -> Result<BTreeMap<String, NichePosts>> {
    let er_views = when(col("views").gt(lit(0.0)))
        .then(col("engagement") / col("views"))
        .otherwise(lit(NULL).cast(DataType::Float64));
    let df = frame
        .clone()
        .lazy()
        .filter(col("niche").is_not_null())
        .group_by([col("niche")])
        .agg([
            len().cast(DataType::Float64).alias("posts"),
            col("engagement").count().cast(DataType::Float64).alias("eng_n"),
            col("engagement").sum().alias("eng_sum"),
            col("engagement").median().alias("eng_median"),
            col("views").median().alias("views_median"),
            er_views.median().alias("er_views_median"),
            col("sponsored").count().cast(DataType::Float64).alias("sp_n"),
            col("sponsored").cast(DataType::Float64).sum().alias("sp_yes"),
        ])
        .collect()?;
    let niche = df.column("niche")?.str()?;
    let get = |name| f64_col(&df, name);
    let (posts, eng_n, eng_sum, eng_median) = (get("posts")?, get("eng_n")?, get("eng_sum")?, get("eng_median")?);
    let (views_median, er_median, sp_n, sp_yes) = (
        get("views_median")?,
        get("er_views_median")?,
        get("sp_n")?,
        get("sp_yes")?,
    );

    let mut platforms: HashMap<String, BTreeSet<String>> = HashMap::new();
    let pn = frame.column("niche")?.str()?;
    let pp = frame.column("platform")?.str()?;
    for i in 0..frame.height() {
        if let (Some(n), Some(p)) = (pn.get(i), pp.get(i)) {
            if !platforms.get(n).is_some_and(|s| s.contains(p)) {
                platforms.entry(n.to_string()).or_default().insert(p.to_string());
            }
        }
    }

    let mut out = BTreeMap::new();
    for i in 0..df.height() {
        let Some(n) = niche.get(i) else { continue };
        out.insert(
            n.to_string(),
            NichePosts {
                posts: posts.get(i).unwrap_or(0.0) as u64,
                platforms: platforms.remove(n).map(|s| s.into_iter().collect()).unwrap_or_default(),
                eng_total: (eng_n.get(i).unwrap_or(0.0) > 0.0).then(|| eng_sum.get(i).unwrap_or(0.0)),
                eng_median: eng_median.get(i),
                views_median: views_median.get(i),
                er_views_median: er_median.get(i),
                sponsored_n: sp_n.get(i).unwrap_or(0.0),
                sponsored_yes: sp_yes.get(i).unwrap_or(0.0),
            },
        );
    }
    Ok(out)
}

/// Per niche, (week number, median over the week's posts of ln(engagement / the account's median
/// engagement per post)). Dividing by the account's own typical post takes account size out of the
/// trend: a week is not "up" because a big account happened to post in it. Posts without an account
/// are measured against the niche's median instead.
fn weekly_relative(
    posts: &DataFrame,
    account_median: &HashMap<(String, String, String), f64>,
    niche_median: &HashMap<String, f64>,
) -> Result<BTreeMap<String, Vec<(i64, f64)>>> {
    let niche = posts.column("niche")?.str()?;
    let platform = posts.column("platform")?.str()?;
    let account = posts.column("account")?.str()?;
    let at = posts.column("published_at")?.i64()?;
    let engagement = posts.column("engagement")?.f64()?;
    let mut cells: BTreeMap<(String, i64), Vec<f64>> = BTreeMap::new();
    let mut key = (String::new(), String::new(), String::new());
    for i in 0..posts.height() {
        let (Some(n), Some(t), Some(e)) = (niche.get(i), at.get(i), engagement.get(i)) else {
            continue;
        };
        let typical = match (platform.get(i), account.get(i)) {
            (Some(p), Some(a)) => {
                key.0.clear();
                key.0.push_str(n);
                key.1.clear();
                key.1.push_str(p);
                key.2.clear();
                key.2.push_str(a);
                account_median.get(&key).copied()
            }
            _ => niche_median.get(n).copied(),
        };
        let Some(typical) = typical.filter(|&m| m > 0.0) else {
            continue;
        };
        // ln(1 + e) / ln(1 + m) would bend small counts; the ratio is kept, with zero engagement
        // floored at half a unit so that a post with none still counts as far below typical.
        let ratio = e.max(0.5) / typical;
        cells
            .entry((n.to_string(), t.div_euclid(WEEK)))
            .or_default()
            .push(ratio.ln());
    }
    let mut out: BTreeMap<String, Vec<(i64, f64)>> = BTreeMap::new();
    for ((n, w), values) in cells {
        if let Some(m) = stats::median(&values) {
            out.entry(n).or_default().push((w, m));
        }
    }
    Ok(out)
}

/// Per niche, how many of its posts are also filed under another niche.
fn multi_niche_counts(posts: &DataFrame) -> Result<HashMap<String, u64>> {
    let platform = posts.column("platform")?.str()?;
    let post = posts.column("post")?.str()?;
    let niche = posts.column("niche")?.str()?;
    let mut niches_of: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for i in 0..posts.height() {
        if let (Some(p), Some(id), Some(n)) = (platform.get(i), post.get(i), niche.get(i)) {
            niches_of.entry((p, id)).or_default().push(n);
        }
    }
    let mut out: HashMap<String, u64> = HashMap::new();
    for list in niches_of.values().filter(|l| l.len() > 1) {
        for n in list {
            *out.entry((*n).to_string()).or_default() += 1;
        }
    }
    Ok(out)
}
