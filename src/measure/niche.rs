//! Units of one niche -> its [`NicheMetrics`]. The bootstrap calls this on resampled units, so
//! everything here is a function of the units alone.
//!
//! Why one file of ~540 lines: [`NicheMetrics`] is the one list of what a niche measures, and
//! [`measure`] fills it field by field; the method's next version (METHOD.md 2.0, issue 18)
//! replaces most of these measures.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::params::Params;
use super::stats;
use super::units::Unit;

/// What the inputs as a whole could say (the same for every niche of a run).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Context {
    /// Some input is a post list.
    pub has_posts: bool,
    /// Some input identifies accounts.
    pub accounts_known: bool,
}

/// Everything measured about one niche.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NicheMetrics {
    pub niche: String,
    pub platforms: Vec<String>,
    /// The platform most of its units are on (ties: the first by name): the scale its growth
    /// and openness are read against.
    pub main_platform: Option<String>,
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
    #[serde(deserialize_with = "crate::statics::option")]
    pub engagement_rate_basis: Option<crate::statics::Label>,
    pub median_views_per_post: Option<f64>,
    pub posts_per_week: Option<f64>,
    pub sponsored_share: Option<f64>,
    pub sponsored_posts_known: u64,
    /// Median over accounts of (median engagement of its sponsored posts ÷ of its organic posts).
    pub sponsored_lift: Option<f64>,
    pub price_per_post_median: Option<f64>,
    /// Median over accounts of price per post per 10,000 followers.
    pub price_per_10k_followers: Option<f64>,
    pub earnings_monthly_median: Option<f64>,
    pub top10_follower_share: Option<f64>,
    pub gini: Option<f64>,
    /// "followers" or "engagement": what the Gini coefficient is taken over.
    #[serde(deserialize_with = "crate::statics::option")]
    pub gini_basis: Option<crate::statics::Label>,
    /// Herfindahl–Hirschman index of follower shares (0–10,000).
    pub hhi: Option<f64>,
    /// Accounts per Chinese tier: 素人, 初级, 腰部, 头部 (followers known only).
    pub tiers: [u64; 4],
    /// Median engagement rate (followers basis) per Chinese tier.
    pub tier_median_er: [Option<f64>; 4],
    /// Accounts per global tier: nano, micro, mid, macro, mega.
    pub global_tiers: [u64; 5],
    /// Median engagement rate (followers basis) per global tier.
    pub global_tier_median_er: [Option<f64>; 5],
    pub mid_tier_median_er: Option<f64>,
    /// Median engagement per post of the niche's head (top tenth of accounts).
    pub head_engagement_per_post: Option<f64>,
    /// Share of small accounts with a breakout post (see METHOD.md).
    pub newcomer_breakout_odds: Option<f64>,
    pub small_accounts: u64,
    /// Share of all accounts with a breakout post.
    pub breakout_rate: Option<f64>,
    /// Weekly growth of engagement relative to each account's typical post, e.g. 0.05 = +5%/week.
    pub engagement_trend_weekly: Option<f64>,
    /// The same trend per month (30.44 days).
    pub engagement_trend_monthly: Option<f64>,
    /// Two-sided Mann–Kendall p-value of the weekly series.
    pub trend_p_value: Option<f64>,
    pub trend_weeks: u64,
    /// The weekly series the trend is fitted to: (week, median log ratio), written as
    /// (the week's first day, engagement relative to the accounts' typical post).
    #[serde(serialize_with = "weekly_as_dates", deserialize_with = "weekly_raw")]
    pub weekly_trend: Vec<(i64, f64)>,
    /// Median over accounts of monthly follower growth from snapshots.
    pub follower_growth_monthly: Option<f64>,
    /// Share of posts per format, where formats are given.
    pub format_mix: BTreeMap<String, f64>,
    /// Hours a week to keep the niche's cadence: the median cadence of its 腰部 accounts (of all
    /// accounts when fewer than three are 腰部) × hours per post for its format mix. An estimate.
    pub hours_per_week: Option<f64>,
    /// What one post is worth at the niche's typical reach, [low, high]: the interquartile range of
    /// observed prices, or views × the CPM band.
    pub value_per_post: Option<[f64; 2]>,
    /// "observed price" (the inputs' currency) or "views × CPM estimate (USD)".
    #[serde(deserialize_with = "crate::statics::option")]
    pub value_basis: Option<crate::statics::Label>,
    /// Posts in this niche that are also filed under another niche.
    pub posts_in_other_niches: u64,
    /// Lower-bound values in this niche ("10万+").
    pub censored_values: u64,
    /// Method 2.0 (METHOD.md §2): the niche's head reach, the 90th percentile over its accounts of
    /// their followers' share on the reference of their platform.
    pub head_followers_share: Option<f64>,
    /// The accounts that quantile is taken over (method 2.1: the audience sub-factor compares it
    /// with the 90th percentile that many accounts drawn from the reference would have).
    pub head_accounts: u64,
    /// The Gini coefficient of a typical field of accounts on the niche's main platform (the
    /// followers of 1,000 accounts at evenly spaced shares of its reference scale; method 2.1:
    /// openness compares the niche's Gini with it).
    pub reference_gini: Option<f64>,
    /// Median over units of the engagement rate's share on the reference (same platform and size).
    pub engagement_rate_share: Option<f64>,
    /// Median over units of views per post's share on the reference.
    pub views_share: Option<f64>,
    /// Median over accounts of monthly value ÷ the wage for the hours its cadence takes.
    pub value_ratio: Option<f64>,
    /// Accounts with a value ratio: how many observed, estimated, none by evidence, lower bound,
    /// estimated with the crawl's sponsored share.
    pub value_accounts: [u64; 5],
    /// The measures placed on a provisional scale (another platform's, or a weak source's).
    pub provisional: Vec<String>,
    /// The measures placed on a scale calibrated from this run's crawl (method 2.1): through
    /// them, and only through them, the niche depends on the other niches of its platforms.
    pub calibrated: Vec<String>,
    /// The vertical its money is judged by (method 2.1, money per vertical), where one is known.
    pub vertical: Option<String>,
    /// The monthly trend of the niche's demand signal (`--signals`), and its readings.
    pub search_trend_monthly: Option<f64>,
    pub search_trend_points: u64,
    /// The signal's readings (day, value ÷ the median reading; 1 = its typical level), drawn in
    /// the trend chart.
    #[serde(serialize_with = "days_as_dates", deserialize_with = "weekly_raw")]
    pub search_series: Vec<(i64, f64)>,
    /// Title traits and tags that the niche's top posts use more than its other posts.
    pub style: Option<super::style::Style>,
    /// Its breakout posts, best first; `None` where the run kept no titles (only a report run
    /// keeps them). (No field here skips when empty: the stage cache's format is not
    /// self-describing.)
    pub top_posts: Option<Vec<super::breakouts::TopPost>>,
    /// Its head and the mid-tier accounts that outperform their size.
    pub top_accounts: Vec<super::leaders::Leader>,
    pub low_evidence: bool,
}

/// Measure one niche from its units.
pub fn measure(niche: &str, units: &[&Unit], ctx: Context, params: &Params) -> NicheMetrics {
    let accounts: Vec<&Unit> = units.iter().copied().filter(|u| u.is_account()).collect();
    let platforms: Vec<String> = {
        let mut names: Vec<&str> = units.iter().map(|u| u.platform.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names.into_iter().map(str::to_string).collect()
    };

    let fol: Vec<f64> = accounts.iter().filter_map(|a| a.followers).collect();
    let eng: Vec<f64> = units.iter().filter_map(|u| u.engagement_per_post).collect();
    let median_engagement = stats::median(&eng);

    let (engagement_rate, basis) = {
        let by_followers: Vec<f64> = accounts.iter().filter_map(|a| a.er_followers).collect();
        let by_views: Vec<f64> = units.iter().filter_map(|u| u.er_views).collect();
        if !by_followers.is_empty() {
            (stats::median(&by_followers), Some("followers"))
        } else if !by_views.is_empty() {
            (stats::median(&by_views), Some("views"))
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
    let mut tier_er: [Vec<f64>; 4] = Default::default();
    let mut global_tiers = [0u64; 5];
    let mut global_er: [Vec<f64>; 5] = Default::default();
    for a in &accounts {
        if let Some(f) = a.followers {
            let t = params.tier_of(&a.platform, f);
            tiers[t] += 1;
            tier_er[t].extend(a.er_followers);
            let g = params.global_tier_bounds.iter().filter(|&&b| f >= b).count();
            global_tiers[g] += 1;
            global_er[g].extend(a.er_followers);
        }
    }
    let tier_median_er = tier_er.each_ref().map(|v| stats::median(v));

    let head = {
        let mut ranked: Vec<&Unit> = accounts
            .iter()
            .copied()
            .filter(|a| a.engagement_per_post.is_some())
            .collect();
        if !fol.is_empty() && fol.len() == accounts.len() {
            ranked.sort_by(|a, b| b.followers.unwrap_or(0.0).total_cmp(&a.followers.unwrap_or(0.0)));
        } else {
            ranked.sort_by(|a, b| {
                b.engagement_per_post
                    .unwrap_or(0.0)
                    .total_cmp(&a.engagement_per_post.unwrap_or(0.0))
            });
        }
        let k = ((params.head_fraction * ranked.len() as f64).ceil() as usize).min(ranked.len());
        let head: Vec<f64> = ranked[..k].iter().filter_map(|a| a.engagement_per_post).collect();
        stats::median(&head)
    };

    // Breakouts: an account's best post against the niche's median post.
    let (breakout_odds, small_accounts, breakout_rate) = match median_engagement.filter(|m| *m > 0.0) {
        Some(m) if ctx.has_posts => {
            let bar = params.breakout_multiple * m;
            let with_posts: Vec<&Unit> = accounts
                .iter()
                .copied()
                .filter(|a| a.engagement_max.is_some())
                .collect();
            let broke = |list: &[&Unit]| {
                list.iter()
                    .filter(|a| a.engagement_max.is_some_and(|x| x >= bar))
                    .count()
            };
            let small: Vec<&Unit> = with_posts
                .iter()
                .copied()
                .filter(|a| a.followers.is_some_and(|f| f < params.small_account_max))
                .collect();
            let odds = (!small.is_empty()).then(|| broke(&small) as f64 / small.len() as f64);
            let rate = (!with_posts.is_empty()).then(|| broke(&with_posts) as f64 / with_posts.len() as f64);
            (odds, small.len() as u64, rate)
        }
        _ => (None, 0, None),
    };

    let (trend, trend_monthly, p_value, trend_weeks, weekly_trend) = trend(units, params);

    let sponsored_known: u64 = units.iter().map(|u| u.sponsored_known).sum();
    let sponsored_yes: u64 = units.iter().map(|u| u.sponsored_yes).sum();
    let lifts: Vec<f64> = units
        .iter()
        .filter_map(|u| match (u.sponsored_engagement, u.organic_engagement) {
            (Some(s), Some(o)) if o > 0.0 => Some(s / o),
            _ => None,
        })
        .collect();
    let prices: Vec<f64> = units.iter().filter_map(|u| u.price).collect();
    let price_10k: Vec<f64> = accounts
        .iter()
        .filter_map(|a| match (a.price, a.followers) {
            (Some(p), Some(f)) if f > 0.0 => Some(p / f * 10_000.0),
            _ => None,
        })
        .collect();
    let earnings: Vec<f64> = accounts.iter().filter_map(|a| a.earnings_monthly).collect();
    let views: Vec<f64> = units.iter().filter_map(|u| u.views_per_post).collect();
    let cadence: Vec<f64> = accounts.iter().filter_map(|a| a.posts_per_week).collect();
    let growth: Vec<f64> = accounts.iter().filter_map(|a| a.follower_growth_monthly).collect();
    let reported: Vec<f64> = accounts.iter().filter_map(|a| a.posts_reported).collect();

    let mut formats: BTreeMap<&str, u64> = BTreeMap::new();
    for u in units {
        for (f, n) in &u.formats {
            *formats.entry(f.as_str()).or_default() += n;
        }
    }
    let format_total: u64 = formats.values().sum();
    let mid_cadence: Vec<f64> = accounts
        .iter()
        .filter(|a| params.is_mid_tier(a))
        .filter_map(|a| a.posts_per_week)
        .collect();
    let typical_cadence = if mid_cadence.len() >= 3 {
        stats::median(&mid_cadence)
    } else {
        stats::median(&cadence)
    };
    let hours_per_post = params.hours_per_post(formats.iter().map(|(f, n)| (*f, *n)));
    let hours_per_week = typical_cadence.zip(hours_per_post).map(|(c, h)| c * h);
    let format_mix = formats
        .into_iter()
        .map(|(f, n)| (f.to_string(), n as f64 / format_total.max(1) as f64))
        .collect();

    let main_platform = {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for u in units {
            *counts.entry(u.platform.as_str()).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|&(p, n)| (n, std::cmp::Reverse(p)))
            .map(|(p, _)| p.to_string())
    };
    let median_views = stats::median(&views);
    let price_median = stats::median(&prices);
    let (value_per_post, value_basis) = match (price_median, median_views) {
        (Some(p), _) => {
            let band = stats::quantile(&prices, 0.25).zip(stats::quantile(&prices, 0.75));
            (Some(band.map_or([p, p], |(lo, hi)| [lo, hi])), Some("observed price"))
        }
        (None, Some(v)) => match main_platform.as_deref().and_then(|p| params.cpm_for(p)) {
            Some([lo, hi]) => (
                Some([v * lo / 1000.0, v * hi / 1000.0]),
                Some("views × CPM estimate (USD)"),
            ),
            None => (None, None),
        },
        _ => (None, None),
    };

    let followers_share: Vec<f64> = accounts.iter().filter_map(|a| a.followers_share).collect();
    let er_share: Vec<f64> = units.iter().filter_map(|u| u.er_share).collect();
    let views_share: Vec<f64> = units.iter().filter_map(|u| u.views_share).collect();
    let value_ratio: Vec<f64> = accounts.iter().filter_map(|a| a.value_ratio).collect();
    let mut value_accounts = [0u64; 5];
    for a in accounts.iter().filter(|a| a.value_ratio.is_some()) {
        if let Some(slot) = value_accounts.get_mut(usize::from(a.value_basis).wrapping_sub(1)) {
            *slot += 1;
        }
    }

    let posts = ctx.has_posts.then(|| units.iter().map(|u| u.posts).sum::<u64>());
    let account_count = ctx.accounts_known.then_some(accounts.len() as u64);
    let engagement_known: u64 = units.iter().map(|u| u.engagement_known).sum();
    let low_evidence = account_count.is_some_and(|n| n < params.min_accounts)
        || posts.is_some_and(|p| p < params.min_posts)
        || (account_count.is_none() && posts.is_none());

    // The niche's growth is read against its main platform's scale: calibrated from the crawl, or
    // not.
    let growth_calibrated = !growth.is_empty()
        && main_platform
            .as_deref()
            .and_then(|p| params.reference.reached(super::calibrate::GROWTH, p))
            .is_some_and(|r| r.pieces.iter().any(|s| s.from_this_crawl));
    NicheMetrics {
        niche: niche.to_string(),
        platforms,
        accounts: account_count,
        posts,
        posts_reported: (!reported.is_empty()).then(|| reported.iter().sum()),
        accounts_with_followers: fol.len() as u64,
        followers_total: (!fol.is_empty()).then(|| fol.iter().sum()),
        engagement_total: (engagement_known > 0).then(|| units.iter().filter_map(|u| u.engagement_total).sum()),
        median_engagement_per_post: median_engagement,
        engagement_rate,
        engagement_rate_basis: basis,
        median_views_per_post: median_views,
        posts_per_week: stats::median(&cadence),
        sponsored_share: (sponsored_known > 0).then(|| sponsored_yes as f64 / sponsored_known as f64),
        sponsored_posts_known: sponsored_known,
        sponsored_lift: stats::median(&lifts),
        price_per_post_median: price_median,
        price_per_10k_followers: stats::median(&price_10k),
        earnings_monthly_median: stats::median(&earnings),
        top10_follower_share: stats::top_share(&fol, params.head_fraction),
        gini,
        gini_basis,
        hhi: stats::hhi(&fol),
        tiers,
        tier_median_er,
        global_tiers,
        global_tier_median_er: global_er.each_ref().map(|v| stats::median(v)),
        mid_tier_median_er: tier_median_er[2],
        head_engagement_per_post: head,
        newcomer_breakout_odds: breakout_odds,
        small_accounts,
        breakout_rate,
        engagement_trend_weekly: trend,
        engagement_trend_monthly: trend_monthly,
        trend_p_value: p_value,
        trend_weeks,
        weekly_trend,
        follower_growth_monthly: stats::median(&growth),
        format_mix,
        hours_per_week,
        value_per_post,
        value_basis,
        posts_in_other_niches: 0,
        style: None,
        top_posts: None,
        top_accounts: Vec::new(),
        censored_values: units.iter().map(|u| u.censored).sum(),
        head_followers_share: stats::quantile(&followers_share, super::placed::HEAD_QUANTILE),
        head_accounts: followers_share.len() as u64,
        reference_gini: main_platform
            .as_deref()
            .and_then(|p| params.reference.followers_field(p, super::placed::TYPICAL_FIELD))
            .and_then(|field| stats::gini(&field)),
        main_platform,
        engagement_rate_share: stats::median(&er_share),
        views_share: stats::median(&views_share),
        value_ratio: stats::median(&value_ratio),
        value_accounts,
        provisional: super::placed::provisional_names(units.iter().fold(0, |b, u| b | u.provisional)),
        calibrated: {
            let mut names = super::placed::provisional_names(units.iter().fold(0, |b, u| b | u.calibrated));
            if growth_calibrated {
                names.push(super::calibrate::GROWTH.to_string());
            }
            names
        },
        vertical: super::placed::vertical_of(niche, params).map(|v| v.name.clone()),
        search_trend_monthly: None,
        search_trend_points: 0,
        search_series: Vec::new(),
        low_evidence,
    }
}

/// Per week from `lo` on (`span` weeks), the median of the units' values that week, as
/// (week, median) for the weeks with values: the values are counted per week, then laid out week
/// by week in one list (no list per week growing as it fills). `None` if a unit's week falls
/// outside the span (a series out of order), for the caller to take the slow way.
fn weekly_medians(units: &[&Unit], lo: i64, span: usize) -> Option<Vec<(f64, f64)>> {
    let slot = |w: i64| usize::try_from(w - lo).ok().filter(|&i| i < span);
    let mut starts = vec![0usize; span + 1];
    for u in units {
        for &(w, r) in &u.weekly {
            if r.is_finite() {
                starts[slot(w)? + 1] += 1;
            }
        }
    }
    for i in 0..span {
        starts[i + 1] += starts[i];
    }
    let mut values = vec![0.0; starts[span]];
    let mut next = starts.clone();
    for u in units {
        for &(w, r) in &u.weekly {
            if r.is_finite() {
                let i = slot(w)?;
                values[next[i]] = r;
                next[i] += 1;
            }
        }
    }
    Some(
        (0..span)
            .filter_map(|i| {
                let m = stats::median_of_finite(&mut values[starts[i]..starts[i + 1]])?;
                Some(((lo + i as i64) as f64, m))
            })
            .collect(),
    )
}

/// Per week, the median over the niche's account-weeks of each account's weekly median log ratio;
/// the Theil–Sen slope of that series as a weekly rate; its monthly equivalent; Mann–Kendall p.
/// The series comes back too, for the trend chart.
type Trend = (Option<f64>, Option<f64>, Option<f64>, u64, Vec<(i64, f64)>);

fn trend(units: &[&Unit], params: &Params) -> Trend {
    // Weeks are few and contiguous-ish: dense buckets beat a map (this runs once per niche and
    // platform). A unit's weekly series is in week order, so its first and last weeks bound it.
    let (lo, hi) = units
        .iter()
        .flat_map(|u| u.weekly.first().into_iter().chain(u.weekly.last()))
        .fold((i64::MAX, i64::MIN), |(lo, hi), w| (lo.min(w.0), hi.max(w.0)));
    if lo > hi {
        return (None, None, None, 0, Vec::new());
    }
    let span = usize::try_from(hi - lo).unwrap_or(usize::MAX).saturating_add(1);
    let dense = if span <= 100_000 {
        weekly_medians(units, lo, span)
    } else {
        None
    };
    let series = match dense {
        Some(series) => series,
        None => {
            // Dates spread over two thousand years (or a series out of order): a map.
            let mut weeks: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
            for u in units {
                for &(w, r) in &u.weekly {
                    weeks.entry(w).or_default().push(r);
                }
            }
            weeks
                .iter_mut()
                .filter_map(|(w, v)| stats::median_mut(v).map(|m| (*w as f64, m)))
                .collect()
        }
    };
    let n = series.len() as u64;
    let weekly: Vec<(i64, f64)> = series.iter().map(|&(w, m)| (w as i64, m)).collect();
    if series.len() < params.min_trend_weeks {
        return (None, None, None, n, weekly);
    }
    let slope = stats::theil_sen(&series);
    let values: Vec<f64> = series.iter().map(|p| p.1).collect();
    let p = stats::mann_kendall(&values).map(|mk| mk.p);
    (
        slope.map(|s| s.exp() - 1.0),
        slope.map(stats::monthly_rate_of_weekly),
        p,
        n,
        weekly,
    )
}

/// Week numbers (whole weeks since 1970-01-01) as the date of the week's first day, and log ratios
/// as plain ratios (1 = the accounts' typical post), for people. Formats that are not for people
/// (the run cache) keep the numbers exactly as they are.
fn weekly_as_dates<S: serde::Serializer>(series: &[(i64, f64)], s: S) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    if !s.is_human_readable() {
        return serde::Serialize::serialize(series, s);
    }
    let mut seq = s.serialize_seq(Some(series.len()))?;
    for &(week, log_ratio) in series {
        seq.serialize_element(&(crate::civil::day_text(week.saturating_mul(7)), log_ratio.exp()))?;
    }
    seq.end()
}

/// (day, value) as (its date, value) for people (JSON); as is for the run cache.
fn days_as_dates<S: serde::Serializer>(series: &[(i64, f64)], s: S) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    if !s.is_human_readable() {
        return serde::Serialize::serialize(series, s);
    }
    let mut seq = s.serialize_seq(Some(series.len()))?;
    for &(day, value) in series {
        seq.serialize_element(&(crate::civil::day_text(day), value))?;
    }
    seq.end()
}

/// Read the series back from a format that is not for people (see [`weekly_as_dates`]).
fn weekly_raw<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<(i64, f64)>, D::Error> {
    if d.is_human_readable() {
        return Err(serde::de::Error::custom(
            "the weekly series is read back only from the run cache",
        ));
    }
    <Vec<(i64, f64)> as serde::Deserialize>::deserialize(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_medians_are_the_same_whatever_the_order_of_a_units_weeks() {
        let unit = |weekly: Vec<(i64, f64)>| Unit {
            weekly,
            ..Unit::default()
        };
        let ordered = [
            unit(vec![(10, 0.5), (11, -0.25), (14, 1.0)]),
            unit(vec![(9, 0.0), (11, 0.75), (12, f64::NAN)]),
            unit(vec![(11, 2.0), (14, -1.0)]),
        ];
        let refs: Vec<&Unit> = ordered.iter().collect();
        let params = Params::default();
        let (.., weeks, weekly) = trend(&refs, &params);
        // Week 12 has no finite value, so no median.
        assert_eq!(weeks, 4);
        assert_eq!(weekly, [(9, 0.0), (10, 0.5), (11, 0.75), (14, 0.0)]);
        // One unit's series out of order: its first and last weeks (11, 12) no longer bound it,
        // week 9 falls outside the span the units' ends give (10 to 14), and the dense buckets
        // give way to the map, with the same medians.
        let mut shuffled = ordered.clone();
        shuffled[1].weekly = vec![(11, 0.75), (9, 0.0), (12, f64::NAN)];
        let refs: Vec<&Unit> = shuffled.iter().collect();
        assert_eq!(weekly_medians(&refs, 10, 5), None);
        let (.., weeks_again, weekly_again) = trend(&refs, &params);
        assert_eq!((weeks_again, weekly_again), (weeks, weekly));
    }
}
