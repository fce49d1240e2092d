//! Each unit placed on the reference (method 2.0, METHOD.md §2): its followers, engagement rate
//! and views per follower (else per post) as shares of its own platform's reference population
//! (engagement rate and reach against accounts of its size), and what an hour of its work earns
//! at 10万 followers against an ordinary hour's wage in its platform's currency. Everything here is per account, so no niche measure built on
//! it grows with how many accounts were crawled, and currencies are never added together.

use super::niche::Params;
use super::units::Unit;

/// Weeks in a month (365.25 / 12 / 7).
pub const WEEKS_PER_MONTH: f64 = 4.348;
/// "At scale": business is judged for an account of this many followers (10万, where 克劳锐 puts
/// the start of 腰部 on 小红书 and B站), so it measures what the niche pays per follower and
/// per view, and audience is not counted a second time.
pub const SCALE_FOLLOWERS: f64 = 100_000.0;
/// A full-time month, for accounts whose cadence is unknown: 40 hours a week.
pub const FULL_TIME_HOURS_PER_MONTH: f64 = 40.0 * WEEKS_PER_MONTH;

/// Which of a unit's placements used a provisional scale or money fact (bits of
/// [`Unit::provisional`]).
pub const PROVISIONAL_FOLLOWERS: u8 = 1;
pub const PROVISIONAL_ER: u8 = 2;
pub const PROVISIONAL_VIEWS: u8 = 4;
pub const PROVISIONAL_VALUE: u8 = 8;

/// The niche's head reach is this quantile of its accounts' follower shares.
pub const HEAD_QUANTILE: f64 = 0.9;

/// The names of the measures whose bits are set.
pub fn provisional_names(bits: u8) -> Vec<String> {
    [
        (PROVISIONAL_FOLLOWERS, "head_followers_share"),
        (PROVISIONAL_ER, "engagement_rate_share"),
        (PROVISIONAL_VIEWS, "views_share"),
        (PROVISIONAL_VALUE, "value_ratio"),
    ]
    .into_iter()
    .filter(|(b, _)| bits & b != 0)
    .map(|(_, n)| n.to_string())
    .collect()
}

/// How a unit's value was found (see [`Unit::value_basis`]).
pub const VALUE_OBSERVED: u8 = 1;
pub const VALUE_ESTIMATED: u8 = 2;
/// Flags known and none set, on a platform that shares no ad revenue: no money, by evidence.
pub const VALUE_NONE_BY_EVIDENCE: u8 = 3;
/// One of ad revenue and sponsored value known and above zero, the other unknown: a lower bound.
pub const VALUE_LOWER_BOUND: u8 = 4;

/// How many posts' worth of weight the niche's pooled sponsored share has in an account's own
/// (see [`place`]).
pub const SPONSORED_PRIOR_POSTS: f64 = 10.0;

/// Place every unit on the reference.
///
/// An account's sponsored share is read from few posts (a crawl holds ten or twenty per account),
/// so many show none by chance where the niche does take orders: each account's share is shrunk
/// towards its niche's pooled share, (sponsored + 10 × pooled) ÷ (known + 10). Where the whole
/// niche shows flags and none set, the pooled share is 0 and so is every account's.
pub fn place(units: &mut [Unit], params: &Params) {
    let shares = pooled_shares(units.iter());
    place_with(units, params, &shares);
}

/// Your units (`--me`), placed as [`place`] places the others, their sponsored shares shrunk
/// towards the shares pooled over the others' units alone: you are not in your own prior.
pub fn place_beside<'a>(mine: &mut [Unit], others: impl IntoIterator<Item = &'a Unit>, params: &Params) {
    let shares = pooled_shares(others);
    place_with(mine, params, &shares);
}

/// Each niche's sponsored share, pooled over its units' posts with the flag known.
fn pooled_shares<'a>(units: impl IntoIterator<Item = &'a Unit>) -> std::collections::HashMap<String, f64> {
    let mut pooled: std::collections::HashMap<&str, (u64, u64)> = std::collections::HashMap::new();
    for u in units {
        let e = pooled.entry(u.niche.as_str()).or_default();
        e.0 += u.sponsored_yes;
        e.1 += u.sponsored_known;
    }
    pooled
        .into_iter()
        .filter(|(_, (_, known))| *known > 0)
        .map(|(n, (yes, known))| (n.to_string(), yes as f64 / known as f64))
        .collect()
}

fn place_with(units: &mut [Unit], params: &Params, shares: &std::collections::HashMap<String, f64>) {
    // Each account on its own, on all threads (placing looks its scales up by name).
    crate::par::runs_mut(units, 1024, |_, run| {
        for u in run {
            let niche_share = shares.get(&u.niche).copied();
            place_one(u, params, niche_share);
        }
    });
}

fn place_one(u: &mut Unit, params: &Params, niche_share: Option<f64>) {
    let r = &params.reference;
    let followers = u.followers.filter(|f| *f >= 0.0 && u.is_account());
    let mut provisional = 0u8;
    let mut on = |measure: &str, x: Option<f64>, f: Option<f64>, bit: u8| {
        let p = r.place(measure, &u.platform, x?, f)?;
        if p.provisional {
            provisional |= bit;
        }
        Some(p.share)
    };
    u.followers_share = on("followers", followers, None, PROVISIONAL_FOLLOWERS);
    u.er_share = match (u.er_followers, followers) {
        (Some(er), Some(f)) => on("engagement_rate", Some(er), Some(f), PROVISIONAL_ER),
        _ => on("engagement_rate_views", u.er_views, None, PROVISIONAL_ER),
    };
    // Reach: views per follower where followers are known (so reach is not audience again),
    // else views per post.
    u.views_share = match (u.views_per_post, followers.filter(|f| *f > 0.0)) {
        (Some(v), Some(f)) => on("views_per_follower", Some(v / f), Some(f), PROVISIONAL_VIEWS),
        (v, _) => on("views_per_post", v, None, PROVISIONAL_VIEWS),
    };
    let (ratio, basis, money_provisional) = value_ratio(u, params, niche_share);
    // Scaled to an account of SCALE_FOLLOWERS: what it earns grows with its followers.
    u.value_ratio = ratio.and_then(|r| Some(r * SCALE_FOLLOWERS / followers.filter(|f| *f > 0.0)?));
    u.value_basis = basis;
    if money_provisional {
        provisional |= PROVISIONAL_VALUE;
    }
    u.provisional = provisional;
}

/// What an hour of the account's work earns ÷ an ordinary hour's wage in its platform's
/// currency, with how the value was found and whether a provisional money fact went into it.
/// Per post: (ad revenue + sponsored value) ÷ (wage × hours to make the post); from observed
/// monthly earnings: earnings ÷ (wage × hours its cadence takes a month, or a full-time month).
/// `None` where the evidence cannot say (METHOD.md §3, business).
fn value_ratio(u: &Unit, params: &Params, niche_share: Option<f64>) -> (Option<f64>, u8, bool) {
    if !u.is_account() {
        return (None, 0, false);
    }
    let money = params.reference.money(&u.platform);
    let (Some(wage), Some(hours)) = (
        money.wage_per_hour,
        params.hours_per_post(u.formats.iter().map(|(f, n)| (f.as_str(), *n))),
    ) else {
        return (None, 0, false);
    };
    if hours <= 0.0 {
        return (None, 0, false);
    }
    if let Some(e) = u.earnings_monthly.filter(|e| *e >= 0.0) {
        let month = u
            .posts_per_week
            .map_or(FULL_TIME_HOURS_PER_MONTH, |c| c * WEEKS_PER_MONTH * hours);
        return ((month > 0.0).then(|| e / (wage * month)), VALUE_OBSERVED, false);
    }
    let ratio = |per_post: f64| per_post / (wage * hours);
    // Ad revenue: views × the platform's own rate, where it shares revenue with accounts this big.
    let ad = match money.rpm {
        None => None,
        Some(_) if u.followers.is_some_and(|f| f < money.min_followers) => Some(0.0),
        Some(0.0) => Some(0.0),
        Some(rpm) => {
            let short = u.formats.get("short_video").copied().unwrap_or(0) as f64;
            let all = u.formats.values().sum::<u64>() as f64;
            let rate = match money.rpm_short_video {
                Some(s) if all > 0.0 => (rpm * (all - short) + s * short) / all,
                _ => rpm,
            };
            u.views_per_post.map(|v| v * rate / 1000.0)
        }
    };
    // Sponsored: the share of its posts flagged sponsored × a post's price.
    let price = u.price.map(|p| (p, false)).or_else(|| {
        let per_10k = money.price_per_10k?;
        u.followers.map(|f| (f / 10_000.0 * per_10k, true))
    });
    let sponsored = if u.sponsored_known == 0 {
        None
    } else {
        // Shrunk towards the niche's pooled share (see `place`); the account's own where the
        // niche's is not given.
        let (yes, known) = (u.sponsored_yes as f64, u.sponsored_known as f64);
        let share = match niche_share {
            Some(p) => (yes + SPONSORED_PRIOR_POSTS * p) / (known + SPONSORED_PRIOR_POSTS),
            None => yes / known,
        };
        if share == 0.0 {
            Some((0.0, false))
        } else {
            price.map(|(p, borrowed)| (share * p, borrowed))
        }
    };
    match (ad, sponsored) {
        (Some(a), Some((s, borrowed))) => {
            let none = a == 0.0 && s == 0.0 && u.price.is_none();
            let basis = if none { VALUE_NONE_BY_EVIDENCE } else { VALUE_ESTIMATED };
            (
                Some(ratio(a + s)),
                basis,
                money.provisional && (a > 0.0 || borrowed || none),
            )
        }
        (Some(a), None) if a > 0.0 => (Some(ratio(a)), VALUE_LOWER_BOUND, money.provisional),
        (None, Some((s, borrowed))) if s > 0.0 => (Some(ratio(s)), VALUE_LOWER_BOUND, money.provisional && borrowed),
        _ => (None, 0, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(platform: &str) -> Unit {
        Unit {
            niche: "n".into(),
            platform: platform.into(),
            account: Some("a".into()),
            followers: Some(50_000.0),
            posts_per_week: Some(2.0),
            views_per_post: Some(10_000.0),
            formats: [("long_video".to_string(), 4u64)].into_iter().collect(),
            ..Unit::default()
        }
    }

    #[test]
    fn no_sponsored_post_and_no_ad_share_is_no_money_by_evidence() {
        let params = Params::default();
        let mut u = account("xiaohongshu");
        u.sponsored_known = 10;
        place_one(&mut u, &params, None);
        assert_eq!(u.value_ratio, Some(0.0));
        assert_eq!(u.value_basis, VALUE_NONE_BY_EVIDENCE);
        // Without followers it cannot be scaled: unknown.
        u.followers = None;
        place_one(&mut u, &params, None);
        assert_eq!(u.value_ratio, None);
    }

    #[test]
    fn an_account_without_sponsored_posts_takes_part_of_its_niches_share() {
        let params = Params::default();
        let mut u = account("youtube");
        u.sponsored_known = 10;
        u.price = Some(1_000.0);
        u.views_per_post = Some(0.0);
        place_one(&mut u, &params, Some(0.2));
        // (0 + 10 × 0.2) ÷ (10 + 10) = 0.1 of a $1,000 price per post, over 10 hours at $30.35,
        // for 100,000 followers (twice its 50,000).
        let want = 0.1 * 1_000.0 / (30.35 * 10.0) * 2.0;
        assert!((u.value_ratio.unwrap() - want).abs() < 1e-12, "{:?}", u.value_ratio);
        place_one(&mut u, &params, Some(0.0));
        assert_eq!(u.value_ratio, Some(0.0), "a niche that shows no sponsored post at all");
    }

    #[test]
    fn flags_unknown_is_unknown_not_zero() {
        let params = Params::default();
        let mut u = account("xiaohongshu");
        place_one(&mut u, &params, None);
        assert_eq!(u.value_ratio, None);
    }

    #[test]
    fn value_is_revenue_share_plus_sponsored_over_the_hours_a_post_takes() {
        let params = Params::default();
        let mut u = account("youtube");
        u.sponsored_known = 4;
        u.sponsored_yes = 1;
        u.price = Some(1_000.0);
        place_one(&mut u, &params, None);
        // Per post: 10,000 views at $3 per 1,000, plus a quarter of a $1,000 price; 10 hours a
        // long video, at $30.35 an hour; for 100,000 followers, twice the account's 50,000.
        let want = (10_000.0 * 3.0 / 1000.0 + 0.25 * 1_000.0) / (30.35 * 10.0) * 2.0;
        assert!(
            (u.value_ratio.unwrap() - want).abs() < 1e-12,
            "{:?} vs {want}",
            u.value_ratio
        );
        assert_eq!(u.value_basis, VALUE_ESTIMATED);
        // Without flags, the ad revenue alone is a lower bound.
        let mut v = account("youtube");
        place_one(&mut v, &params, None);
        assert!((v.value_ratio.unwrap() - 30.0 / 303.5 * 2.0).abs() < 1e-12);
        assert_eq!(v.value_basis, VALUE_LOWER_BOUND);
    }

    #[test]
    fn observed_earnings_come_first() {
        let params = Params::default();
        let mut u = account("youtube");
        u.earnings_monthly = Some(6_070.0);
        u.posts_per_week = None;
        place_one(&mut u, &params, None);
        // A full-time month at $30.35 an hour earns 5,279: 6,070 is 1.15 of it.
        // (Scaled from its 50,000 followers to 100,000.)
        assert!((u.value_ratio.unwrap() - 2.0 * 6_070.0 / (30.35 * FULL_TIME_HOURS_PER_MONTH)).abs() < 1e-12);
        assert_eq!(u.value_basis, VALUE_OBSERVED);
    }
}
