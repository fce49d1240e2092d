//! You against the niche (`--me`, METHOD.md §4): your account set beside each niche's accounts on
//! the same platform — where you stand among them and among those of your size, and how far you
//! are from the niche's 腰部 and its head. Your account was taken out of the niches before they
//! were measured ([`crate::measure::Metrics::me`]), so it is never its own competitor.

use serde::Serialize;

use crate::measure::breakouts::TopPost;
use crate::measure::{stats, Metrics, Unit, GLOBAL_TIER_NAMES};

/// One measure of yours against one niche.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub measure: &'static str,
    pub yours: f64,
    /// Share of the niche's accounts (same platform) below yours, ties counting half.
    pub percentile: Option<f64>,
    /// The same among the niche's accounts of your follower tier.
    pub tier_percentile: Option<f64>,
    /// The niche's 腰部 accounts' median, and its head's (the top tenth by followers).
    pub mid_tier_median: Option<f64>,
    pub head_median: Option<f64>,
}

/// You against one niche.
#[derive(Debug, Clone, Serialize)]
pub struct InNiche {
    pub niche: String,
    /// Whether your account posts in this niche (else your main presence is compared).
    pub yours: bool,
    pub platform: String,
    /// The niche has no account on your platform: you are compared with its accounts on others,
    /// on the measures that compare across platforms only.
    pub other_platforms: bool,
    /// The niche's accounts you are compared with.
    pub accounts: usize,
    pub standings: Vec<Standing>,
    /// Its breakout posts (爆款) against your typical post: the bar a post must reach (the
    /// breakout multiple × the median over those accounts of their typical engagement per post),
    /// your typical post, and how many of the accounts have had one. Same platform only.
    pub breakout_bar: Option<f64>,
    pub your_typical_post: Option<f64>,
    pub accounts_with_breakouts: Option<usize>,
    /// Your posts in this niche against your own typical post: the best and the worst (a run
    /// that keeps the posts' titles, with your account among the inputs; else `None`).
    pub your_best_posts: Option<Vec<TopPost>>,
    pub your_worst_posts: Option<Vec<TopPost>>,
    /// Your engagement trend here: the Theil–Sen slope of your weekly engagement relative to
    /// your typical post, as a monthly rate (as the niche's `engagement_trend_monthly`, over
    /// your posts alone; needs as many weeks).
    pub your_engagement_trend_monthly: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Me {
    pub account: String,
    pub platform: String,
    pub followers: Option<f64>,
    /// Your global follower tier (nano … mega).
    pub tier: Option<&'static str>,
    pub niches: Vec<InNiche>,
}

/// What each standing reads from an account, and whether it compares only within a platform (raw
/// rates differ between platforms; the reference shares are made to compare across them).
type Read = fn(&Unit) -> Option<f64>;
const MEASURES: [(&str, Read, bool); 7] = [
    ("engagement_rate", |u| u.er_followers.or(u.er_views), true),
    (
        "views_per_follower",
        |u| Some(u.views_per_post? / u.followers.filter(|f| *f > 0.0)?),
        true,
    ),
    ("engagement_rate_share", |u| u.er_share, false),
    ("views_share", |u| u.views_share, false),
    ("posts_per_week", |u| u.posts_per_week, false),
    ("follower_growth_monthly", |u| u.follower_growth_monthly, false),
    (
        "sponsored_share",
        |u| (u.sponsored_known > 0).then(|| u.sponsored_yes as f64 / u.sponsored_known as f64),
        false,
    ),
];

/// Mid-rank share of `all` below `x`.
fn share_below(x: f64, all: &[f64]) -> Option<f64> {
    if all.is_empty() {
        return None;
    }
    let below = all.iter().filter(|&&v| v < x).count() as f64;
    let equal = all.iter().filter(|&&v| v == x).count() as f64;
    Some((below + 0.5 * equal) / all.len() as f64)
}

/// Your standing in every niche of the run; `None` without `--me`.
pub fn compare(metrics: &Metrics) -> Option<Me> {
    // Your main presence: the unit with the most posts (ties by niche name).
    let main = metrics
        .me
        .iter()
        .max_by(|a, b| a.posts.cmp(&b.posts).then(b.niche.cmp(&a.niche)))?;
    let params = &metrics.params;
    let tier_of = |f: f64| params.global_tier_bounds.iter().filter(|&&b| f >= b).count();
    let niches = metrics
        .niches
        .iter()
        .zip(&metrics.units)
        .map(|(n, units)| {
            let mine = metrics.me.iter().find(|u| u.niche == n.niche);
            let me = mine.unwrap_or(main);
            // The niche's accounts on your platform; where it has none there, all its accounts
            // (then only the measures that compare across platforms are set).
            let same: Vec<&Unit> = units
                .iter()
                .filter(|u| u.is_account() && u.platform == me.platform)
                .collect();
            let across = same.is_empty();
            let peers: Vec<&Unit> = if across {
                units.iter().filter(|u| u.is_account()).collect()
            } else {
                same
            };
            let my_tier = me.followers.map(tier_of);
            let in_tier: Vec<&Unit> = peers
                .iter()
                .copied()
                .filter(|u| my_tier.is_some() && u.followers.map(tier_of) == my_tier)
                .collect();
            let mid: Vec<&Unit> = peers.iter().copied().filter(|u| params.is_mid_tier(u)).collect();
            let head = params.head_by_followers(&peers);
            let values = |list: &[&Unit], get: fn(&Unit) -> Option<f64>| -> Vec<f64> {
                list.iter().filter_map(|u| get(u)).filter(|v| v.is_finite()).collect()
            };
            let standings = MEASURES
                .iter()
                .filter(|(_, _, within)| !(across && *within))
                .filter_map(|(name, get, _)| {
                    let yours = get(me).filter(|v| v.is_finite())?;
                    Some(Standing {
                        measure: name,
                        yours,
                        percentile: share_below(yours, &values(&peers, *get)),
                        tier_percentile: share_below(yours, &values(&in_tier, *get)),
                        mid_tier_median: stats::median(&values(&mid, *get)),
                        head_median: stats::median(&values(&head, *get)),
                    })
                })
                .collect();
            let typical: Vec<f64> = values(&peers, |u| u.engagement_per_post);
            let bar = (!across)
                .then(|| stats::median(&typical))
                .flatten()
                .map(|m| m * params.breakout_multiple);
            let broke = bar.map(|b| {
                peers
                    .iter()
                    .filter(|u| u.engagement_max.is_some_and(|x| x >= b))
                    .count()
            });
            let own = mine.and_then(|u| {
                metrics
                    .me_posts
                    .as_ref()?
                    .iter()
                    .find(|p| p.niche == u.niche && p.platform == u.platform)
            });
            let trend = mine
                .filter(|u| u.weekly.len() >= params.min_trend_weeks)
                .and_then(|u| stats::theil_sen(&u.weekly.iter().map(|&(w, r)| (w as f64, r)).collect::<Vec<_>>()))
                .map(stats::monthly_rate_of_weekly);
            InNiche {
                niche: n.niche.clone(),
                yours: mine.is_some(),
                platform: me.platform.clone(),
                other_platforms: across,
                accounts: peers.len(),
                standings,
                breakout_bar: bar,
                your_typical_post: me.engagement_per_post.filter(|_| bar.is_some()),
                accounts_with_breakouts: broke,
                your_best_posts: own.map(|o| o.best.clone()),
                your_worst_posts: own.map(|o| o.worst.clone()),
                your_engagement_trend_monthly: trend,
            }
        })
        .collect();
    Some(Me {
        account: main.account.clone().unwrap_or_default(),
        platform: main.platform.clone(),
        followers: main.followers,
        tier: main
            .followers
            .map(|f| GLOBAL_TIER_NAMES[tier_of(f).min(GLOBAL_TIER_NAMES.len() - 1)]),
        niches,
    })
}
