//! Each unit placed on the reference (method 2.1, METHOD.md §2–3): its followers, engagement
//! rate and reach as shares of its own platform's reference population (engagement and reach
//! against accounts of its size), and what an hour of its work earns at 10万 followers, at its
//! platform's typical reach, against an ordinary hour's wage in its platform's currency.
//! Everything here is per account, so no niche measure built on it grows with how many accounts
//! were crawled, and currencies are never added together. Each placement also records the shared
//! draws its scale takes in the bootstrap ([`Draws`]): a wrong yardstick moves every niche on it.

use std::collections::HashMap;

use super::params::Params;
use super::units::{Draws, Unit};
use crate::reference::vertical::{MoneyKind, Vertical};
use crate::reference::{CrawlShare, Reference};

/// Weeks in a month (365.25 / 12 / 7).
pub const WEEKS_PER_MONTH: f64 = 4.348;
/// "At scale": business is judged for an account of this many followers (10万, where 克劳锐 puts
/// the start of 腰部 on 小红书 and B站) at its platform's typical reach, so it measures what the
/// niche pays per follower and per view: audience and reach are not counted a second time.
pub const SCALE_FOLLOWERS: f64 = 100_000.0;
/// A full-time month, for accounts whose cadence is unknown: 40 hours a week.
pub const FULL_TIME_HOURS_PER_MONTH: f64 = 40.0 * WEEKS_PER_MONTH;

/// Which of a unit's placements used a provisional scale or money fact (bits of
/// [`Unit::provisional`], and of [`Unit::calibrated`] for scales calibrated from the crawl).
pub const PROVISIONAL_FOLLOWERS: u8 = 1;
pub const PROVISIONAL_ER: u8 = 2;
pub const PROVISIONAL_VIEWS: u8 = 4;
pub const PROVISIONAL_VALUE: u8 = 8;

/// The niche's head reach is this quantile of its accounts' follower shares.
pub const HEAD_QUANTILE: f64 = 0.9;
/// A typical field of accounts, for openness: this many accounts at evenly spaced shares of the
/// platform's follower scale (enough to reach into its tail; the same for every niche, so a
/// niche's openness does not move with how many of its accounts were crawled).
pub const TYPICAL_FIELD: usize = 1000;

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

/// Sponsorship with no flag in a niche's exports: the sponsored share is the crawl's (the median
/// over the niches whose exports carry flags), an estimate (see [`crawl_share`]).
pub const VALUE_SHARE_FROM_CRAWL: u8 = 5;
/// Niches with flags needed before the crawl's typical sponsored share stands in for a niche
/// without: with one, it is that niche's.
pub const MIN_SHARE_NICHES: usize = 2;

/// The sponsored share an account's own is shrunk towards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Share {
    /// Its niche's, pooled over the niche's posts with the flag known.
    Niche(f64),
    /// The crawl's (the reference's, calibrated), where no post of the niche carries a flag.
    Crawl(CrawlShare),
}

/// How many posts' worth of weight the niche's pooled sponsored share has in an account's own
/// (see [`place`]).
pub const SPONSORED_PRIOR_POSTS: f64 = 10.0;

/// What a unit is placed on: each as (the scale's measure, the value, followers for the tier).
#[derive(Debug, Clone, Copy, Default)]
pub struct Inputs {
    pub followers: Option<(&'static str, f64, Option<f64>)>,
    /// Engagement per view where the unit's posts have views (does the audience respond to what
    /// it is shown); per follower only where views are unknown (per follower it would count the
    /// reach a second time).
    pub engagement: Option<(&'static str, f64, Option<f64>)>,
    /// Views per follower where followers are known (so reach is not audience again), else views
    /// per post.
    pub reach: Option<(&'static str, f64, Option<f64>)>,
}

impl Inputs {
    /// The placements that have a value.
    pub fn all(&self) -> impl Iterator<Item = (&'static str, f64, Option<f64>)> {
        [self.followers, self.engagement, self.reach].into_iter().flatten()
    }
}

/// The scales a unit is placed on and its values there (one rule for placing and calibrating).
pub fn inputs(u: &Unit) -> Inputs {
    let followers = u.followers.filter(|f| *f >= 0.0 && u.is_account());
    let with_followers = followers.filter(|f| *f > 0.0);
    Inputs {
        followers: followers.map(|f| ("followers", f, None)),
        engagement: match (u.er_views, u.er_followers, followers) {
            (Some(er), _, _) => Some(("engagement_rate_views", er, None)),
            (None, Some(er), Some(f)) => Some(("engagement_rate", er, Some(f))),
            _ => None,
        },
        reach: match (u.views_per_post, with_followers) {
            (Some(v), Some(f)) => Some(("views_per_follower", v / f, Some(f))),
            (Some(v), None) => Some(("views_per_post", v, None)),
            (None, _) => None,
        },
    }
}

/// A stable 64-bit key for a shared draw (a platform and a measure, say) or a bootstrap unit (a
/// platform and an account): 64 bits of blake3 of the parts joined by U+001F.
pub fn draw_key(parts: &[&str]) -> u64 {
    let h = blake3::hash(parts.join("\u{1f}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// Place every unit on the reference.
///
/// An account's sponsored share is read from few posts (a crawl holds ten or twenty per account),
/// so many show none by chance where the niche does take orders: each account's share is shrunk
/// towards its niche's pooled share, (sponsored + 10 × pooled) ÷ (known + 10). Where the whole
/// niche shows flags and none set, the pooled share is 0 and so is every account's.
pub fn place(units: &mut [Unit], params: &Params) {
    let shares = pooled_shares(units.iter(), params);
    place_with(units, params, &shares);
}

/// Your units (`--me`), placed as [`place`] places the others, their sponsored shares shrunk
/// towards the shares pooled over the others' units alone: you are not in your own prior.
pub fn place_beside<'a>(mine: &mut [Unit], others: impl IntoIterator<Item = &'a Unit>, params: &Params) {
    let shares = pooled_shares(others, params);
    place_with(mine, params, &shares);
}

/// Each niche's sponsored share, pooled over its units' posts with the flag known; and the crawl's
/// (the reference's), for the niches none of whose posts carry the flag.
struct Shares {
    niches: HashMap<String, f64>,
    crawl: Option<CrawlShare>,
}

impl Shares {
    fn of(&self, niche: &str) -> Option<Share> {
        self.niches
            .get(niche)
            .map(|&p| Share::Niche(p))
            .or(self.crawl.map(Share::Crawl))
    }
}

fn niche_shares<'a>(units: impl IntoIterator<Item = &'a Unit>) -> HashMap<String, f64> {
    let mut pooled: HashMap<&str, (u64, u64)> = HashMap::new();
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

fn pooled_shares<'a>(units: impl IntoIterator<Item = &'a Unit>, params: &Params) -> Shares {
    Shares {
        niches: niche_shares(units),
        crawl: params.reference.sponsored_share,
    }
}

/// The crawl's typical sponsored share: the median of the niches' pooled shares over the niches
/// whose posts carry flags (at least [`MIN_SHARE_NICHES`]), and the SD of their logs. Calibration
/// sets it in the reference the run uses (METHOD.md §3, business).
pub fn crawl_share(units: &[Unit]) -> Option<CrawlShare> {
    // In a fixed order (a map's is not): the SD's sum is taken in it, so the bits are the same in
    // every run.
    let mut all: Vec<f64> = niche_shares(units).into_values().collect();
    all.sort_by(f64::total_cmp);
    if all.len() < MIN_SHARE_NICHES {
        return None;
    }
    let logs: Vec<f64> = all.iter().filter(|s| **s > 0.0).map(|s| s.ln()).collect();
    // (statrs's sample SD; NaN for fewer than two shares above zero, then no spread is known.)
    let log_sd = Some(statrs::statistics::Statistics::std_dev(logs.iter()))
        .filter(|sd| sd.is_finite())
        .unwrap_or(0.0);
    Some(CrawlShare {
        share: super::stats::median(&all)?,
        log_sd,
        niches: all.len(),
    })
}

/// The vertical of a niche: the settings' where they name one, else found from its name.
pub fn vertical_of<'a>(niche: &str, params: &'a Params) -> Option<&'a Vertical> {
    params
        .reference
        .vertical_of(niche, params.verticals.get(niche).map(String::as_str))
}

fn place_with(units: &mut [Unit], params: &Params, shares: &Shares) {
    // Each niche's vertical, found once (the units are mutated below: the keys are owned).
    let mut verticals: HashMap<String, Option<&Vertical>> = HashMap::new();
    for u in units.iter() {
        if !verticals.contains_key(&u.niche) {
            verticals.insert(u.niche.clone(), vertical_of(&u.niche, params));
        }
    }
    // Each account on its own, on all threads (placing looks its scales up by name).
    crate::par::runs_mut(units, 1024, |_, run| {
        for u in run {
            let niche_share = shares.of(&u.niche);
            let vertical = verticals.get(u.niche.as_str()).copied().flatten();
            place_one(u, params, niche_share, vertical);
        }
    });
}

fn place_one(u: &mut Unit, params: &Params, niche_share: Option<Share>, vertical: Option<&Vertical>) {
    let r = &params.reference;
    let on = inputs(u);
    let mut provisional = 0u8;
    let mut calibrated = 0u8;
    let mut draws = Draws::default();
    let mut place = |input: Option<(&'static str, f64, Option<f64>)>, bit: u8| {
        let (measure, x, f) = input?;
        let p = r.place(measure, &u.platform, x, f)?;
        if p.provisional {
            provisional |= bit;
        }
        if p.calibrated {
            calibrated |= bit;
        }
        let draw = (p.probit_sd > 0.0).then(|| (draw_key(&[&u.platform, measure]), p.probit_sd));
        Some((p.share, draw))
    };
    let (followers_share, followers_draw) = place(on.followers, PROVISIONAL_FOLLOWERS).unzip();
    let (er_share, er_draw) = place(on.engagement, PROVISIONAL_ER).unzip();
    let (views_share, views_draw) = place(on.reach, PROVISIONAL_VIEWS).unzip();
    (u.followers_share, u.er_share, u.views_share) = (followers_share, er_share, views_share);
    (draws.followers, draws.engagement, draws.reach) =
        (followers_draw.flatten(), er_draw.flatten(), views_draw.flatten());
    let valued = value_ratio(u, params, niche_share, vertical);
    u.value_ratio = valued.ratio;
    u.value_basis = valued.basis;
    if valued.provisional {
        provisional |= PROVISIONAL_VALUE;
    }
    draws.value = valued.draws;
    u.provisional = provisional;
    u.calibrated = calibrated;
    u.draws = draws;
}

/// A unit's value ratio and how it was found.
#[derive(Debug, Default)]
struct Valued {
    ratio: Option<f64>,
    basis: u8,
    provisional: bool,
    /// The shared draws of ln(ratio): (key, coefficient).
    draws: Vec<(u64, f64)>,
}

/// What an hour of the account's work earns at 10万 followers and its platform's typical reach
/// ÷ an ordinary hour's wage in its platform's currency. Per post: (ad revenue + sponsored value)
/// ÷ (wage × hours to make the post), ad revenue at the platform's typical views for 10万
/// followers × its rate for the niche's vertical, sponsored value at the account's share of
/// sponsored posts × the price of a post at 10万 followers (its own price per follower, else the
/// platform's for the vertical); from observed monthly earnings: earnings ÷ (wage × hours its
/// cadence takes a month, or a full-time month), at 10万 followers. `None` where the evidence
/// cannot say (METHOD.md §3, business).
fn value_ratio(u: &Unit, params: &Params, niche_share: Option<Share>, vertical: Option<&Vertical>) -> Valued {
    if !u.is_account() {
        return Valued::default();
    }
    let r: &Reference = &params.reference;
    let money = r.money(&u.platform);
    let (Some(wage), Some(hours)) = (
        money.wage_per_hour,
        params.hours_per_post(u.formats.iter().map(|(f, n)| (f.as_str(), *n))),
    ) else {
        return Valued::default();
    };
    if hours <= 0.0 {
        return Valued::default();
    }
    let followers = u.followers.filter(|f| *f > 0.0);
    if let Some(e) = u.earnings_monthly.filter(|e| *e >= 0.0) {
        let month = u
            .posts_per_week
            .map_or(FULL_TIME_HOURS_PER_MONTH, |c| c * WEEKS_PER_MONTH * hours);
        return Valued {
            ratio: followers
                .filter(|_| month > 0.0)
                .map(|f| e / (wage * month) * SCALE_FOLLOWERS / f),
            basis: VALUE_OBSERVED,
            ..Valued::default()
        };
    }
    let per_hour = |per_post: f64| per_post / (wage * hours);
    // Ad revenue: the platform's typical views at 10万 followers × its rate for the vertical.
    let ad_tier = r.tier_multiplier(MoneyKind::Ad, vertical);
    let ad = match money.rpm {
        None => None,
        Some(0.0) => Some(0.0),
        Some(rpm) => {
            let short = u.formats.get("short_video").copied().unwrap_or(0) as f64;
            let all = u.formats.values().sum::<u64>() as f64;
            let rate = match money.rpm_short_video {
                Some(s) if all > 0.0 => (rpm * (all - short) + s * short) / all,
                _ => rpm,
            };
            let multiplier = ad_tier.map_or(1.0, |m| m.value.powf(money.vertical_spread));
            r.typical("views_per_follower", &u.platform, Some(SCALE_FOLLOWERS))
                .map(|reach| SCALE_FOLLOWERS * reach * rate * multiplier / 1000.0)
        }
    };
    // Sponsored: the share of its posts flagged sponsored × a post's price at 10万 followers.
    let sponsor_tier = r.tier_multiplier(MoneyKind::Sponsor, vertical);
    let price = match (u.price, followers) {
        (Some(p), Some(f)) => Some((p / f * SCALE_FOLLOWERS, false)),
        (Some(_), None) => None,
        (None, _) => money.price_per_10k.map(|p10k| {
            (
                p10k * SCALE_FOLLOWERS / 10_000.0 * sponsor_tier.map_or(1.0, |m| m.value),
                true,
            )
        }),
    };
    // The share is shrunk towards the niche's pooled share (see `place`); the account's own where
    // the niche's is not given; the niche's alone where the account's posts carry no flag (an
    // export without them, the niche's other accounts with them: an estimate).
    // Where the niche's exports carry no flag at all, the crawl's share stands in: an estimate
    // whose uncertainty (how far niches' shares lie apart) is this niche's own draw.
    let (yes, known) = (u.sponsored_yes as f64, u.sponsored_known as f64);
    let shrunk = |p: f64| (yes + SPONSORED_PRIOR_POSTS * p) / (known + SPONSORED_PRIOR_POSTS);
    let (share, from_crawl) = match (niche_share, u.sponsored_known) {
        (Some(Share::Niche(p)), _) => (Some(shrunk(p)), None),
        (Some(Share::Crawl(c)), 0) => (Some(c.share), Some(c.log_sd)),
        (Some(Share::Crawl(c)), _) => (Some(shrunk(c.share)), None),
        (None, 0) => (None, None),
        (None, _) => (Some(yes / known), None),
    };
    let sponsored = match share {
        None => None,
        Some(0.0) => Some((0.0, false)),
        Some(s) => price.map(|(p, borrowed)| (s * p, borrowed)),
    };
    // The shared draws: the platform's rate and price, and the vertical's tiers, each weighted
    // by its part of the money.
    let draws = |ad: f64, sp: f64, borrowed: bool| {
        let total = ad + sp;
        let mut out = Vec::new();
        if total <= 0.0 {
            return out;
        }
        let tier_name = |kind: &str, v: Option<&Vertical>| {
            let tier = v.map_or(0, |v| match kind {
                "ad" => v.ad_tier,
                _ => v.sponsor_tier,
            });
            format!("{kind} tier {tier}")
        };
        if ad > 0.0 {
            let f = ad / total;
            out.push((draw_key(&[&u.platform, "rpm"]), f * money.rpm_uncertainty));
            if let Some(m) = ad_tier {
                out.push((
                    draw_key(&[&tier_name("ad", vertical)]),
                    f * money.vertical_spread * m.log_sd,
                ));
            }
        }
        if let Some(log_sd) = from_crawl.filter(|_| sp > 0.0) {
            out.push((draw_key(&[&u.niche, "sponsored share"]), sp / total * log_sd));
        }
        if sp > 0.0 && borrowed {
            let f = sp / total;
            out.push((draw_key(&[&u.platform, "price"]), f * money.price_uncertainty));
            if let Some(m) = sponsor_tier {
                out.push((draw_key(&[&tier_name("sponsor", vertical)]), f * m.log_sd));
            }
        }
        out.retain(|(_, c)| *c > 0.0);
        out
    };
    match (ad, sponsored) {
        (Some(a), Some((s, borrowed))) => {
            // No money by the evidence: its own flags known and none set, no price, no ad share.
            let none = a == 0.0 && s == 0.0 && u.price.is_none() && u.sponsored_known > 0;
            Valued {
                ratio: Some(per_hour(a + s)),
                basis: if none {
                    VALUE_NONE_BY_EVIDENCE
                } else if from_crawl.is_some() && s > 0.0 {
                    VALUE_SHARE_FROM_CRAWL
                } else {
                    VALUE_ESTIMATED
                },
                provisional: (money.provisional && (a > 0.0 || borrowed || none)) || from_crawl.is_some(),
                draws: draws(a, s, borrowed),
            }
        }
        (Some(a), None) if a > 0.0 => Valued {
            ratio: Some(per_hour(a)),
            basis: VALUE_LOWER_BOUND,
            provisional: money.provisional,
            draws: draws(a, 0.0, false),
        },
        (None, Some((s, borrowed))) if s > 0.0 => Valued {
            ratio: Some(per_hour(s)),
            basis: VALUE_LOWER_BOUND,
            provisional: (money.provisional && borrowed) || from_crawl.is_some(),
            draws: draws(0.0, s, borrowed),
        },
        _ => Valued::default(),
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

    fn place_in(u: &mut Unit, params: &Params, niche_share: Option<Share>, niche: &str) {
        place_one(u, params, niche_share, vertical_of(niche, params));
    }

    #[test]
    fn no_sponsored_post_and_no_ad_share_is_no_money_by_evidence() {
        let params = Params::default();
        let mut u = account("xiaohongshu");
        u.sponsored_known = 10;
        place_in(&mut u, &params, None, "n");
        assert_eq!(u.value_ratio, Some(0.0));
        assert_eq!(u.value_basis, VALUE_NONE_BY_EVIDENCE);
        // Judged at 10万 followers and the platform's typical reach, no money is no money
        // whatever the account's size.
        u.followers = None;
        place_in(&mut u, &params, None, "n");
        assert_eq!(u.value_ratio, Some(0.0));
    }

    #[test]
    fn an_account_without_sponsored_posts_takes_part_of_its_niches_share() {
        let params = Params::default();
        let mut u = account("youtube");
        u.sponsored_known = 10;
        u.price = Some(1_000.0);
        place_in(&mut u, &params, Some(Share::Niche(0.2)), "n");
        let with_share = u.value_ratio.unwrap_or(f64::NAN);
        place_in(&mut u, &params, Some(Share::Niche(0.0)), "n");
        let without = u.value_ratio.unwrap_or(f64::NAN);
        // (0 + 10 × 0.2) ÷ (10 + 10) = 0.1 of a $1,000 price at 50,000 followers, i.e. $2,000 at
        // 10万, over 10 hours at $30.35: what the niche's share adds to the ad revenue.
        let want = 0.1 * 1_000.0 * 2.0 / (30.35 * 10.0);
        assert!((with_share - without - want).abs() < 1e-9, "{with_share} - {without}");
    }

    #[test]
    fn flags_unknown_on_a_platform_without_ad_share_is_unknown_not_zero() {
        let params = Params::default();
        let mut u = account("xiaohongshu");
        place_in(&mut u, &params, None, "n");
        assert_eq!(u.value_ratio, None);
    }

    #[test]
    fn a_niche_whose_exports_carry_no_flag_takes_the_crawls_share_marked_so() {
        // Two niches with flags (a fifth and a tenth of their posts sponsored), one without: on
        // YouTube, which shares ad revenue, so without a share its value is ad revenue alone.
        let mut units = Vec::new();
        for (niche, yes, known) in [("a", 4u64, 20u64), ("b", 2, 20), ("c", 0, 0)] {
            for k in 0..3 {
                let mut u = account("youtube");
                u.niche = niche.into();
                u.account = Some(format!("{niche}{k}"));
                u.price = Some(1_000.0);
                (u.sponsored_yes, u.sponsored_known) = (yes, known);
                units.push(u);
            }
        }
        let crawl = crawl_share(&units).expect("two niches with flags");
        assert_eq!(crawl.niches, 2);
        assert!((crawl.share - 0.15).abs() < 1e-12, "{crawl:?}");
        assert!((crawl.log_sd - (2f64.ln() / 2f64.sqrt())).abs() < 1e-12, "{crawl:?}");
        // Without the crawl's share (a reference that has none): ad revenue alone, a lower bound.
        let mut params = Params::default();
        let mut alone = units.clone();
        place(&mut alone, &params);
        let c = alone.iter().find(|u| u.niche == "c").expect("c");
        assert_eq!(c.value_basis, VALUE_LOWER_BOUND);
        let ad_only = c.value_ratio.unwrap_or(f64::NAN);
        // With it (as calibration sets it): the crawl's share of the price added, marked as such,
        // with the niche's own draw for how far its share may lie from the crawl's.
        params.reference.sponsored_share = Some(crawl);
        place(&mut units, &params);
        let c = units.iter().find(|u| u.niche == "c").expect("c");
        assert_eq!(c.value_basis, VALUE_SHARE_FROM_CRAWL);
        let want = 0.15 * 1_000.0 * 2.0 / (30.35 * 10.0);
        assert!(
            (c.value_ratio.unwrap_or(f64::NAN) - ad_only - want).abs() < 1e-9,
            "{:?} vs {ad_only}",
            c.value_ratio
        );
        assert!(c
            .draws
            .value
            .iter()
            .any(|(k, _)| *k == draw_key(&["c", "sponsored share"])));
        // The niches with flags keep their own.
        let a = units.iter().find(|u| u.niche == "a").expect("a");
        assert_eq!(a.value_basis, VALUE_ESTIMATED);
    }

    #[test]
    fn an_account_whose_posts_carry_no_flag_takes_its_niches_share_as_an_estimate() {
        let params = Params::default();
        let mut u = account("xiaohongshu");
        u.price = Some(5_000.0);
        // The niche's other accounts (another platform's export) show a fifth sponsored.
        place_in(&mut u, &params, Some(Share::Niche(0.2)), "n");
        let want = 0.2 * 5_000.0 * 2.0 / (32.86 * 10.0);
        assert!(
            (u.value_ratio.unwrap_or(f64::NAN) - want).abs() < 1e-9,
            "{:?}",
            u.value_ratio
        );
        assert_eq!(u.value_basis, VALUE_ESTIMATED);
        // Where they show none, the estimate is none, but not "no money by the evidence": the
        // account's own posts say nothing.
        place_in(&mut u, &params, Some(Share::Niche(0.0)), "n");
        assert_eq!(u.value_ratio, Some(0.0));
        assert_eq!(u.value_basis, VALUE_ESTIMATED);
    }

    #[test]
    fn value_is_ad_revenue_at_typical_reach_plus_sponsored_over_the_hours_a_post_takes() {
        let params = Params::default();
        let r = &params.reference;
        let reach = r
            .typical("views_per_follower", "youtube", Some(SCALE_FOLLOWERS))
            .unwrap_or(f64::NAN);
        let tier = |n: &str| {
            r.tier_multiplier(MoneyKind::Ad, vertical_of(n, &params))
                .map_or(f64::NAN, |m| m.value)
        };
        let mut u = account("youtube");
        u.sponsored_known = 4;
        u.sponsored_yes = 1;
        u.price = Some(1_000.0);
        place_in(&mut u, &params, None, "Personal finance");
        // Per post at 10万 followers: the platform's typical views × $3 per 1,000 × finance's
        // tier, plus a quarter of the account's price per follower × 10万; 10 hours at $30.35.
        let ad = SCALE_FOLLOWERS * reach * 3.0 * tier("Personal finance") / 1000.0;
        let want = (ad + 0.25 * 1_000.0 * 2.0) / (30.35 * 10.0);
        assert!(
            (u.value_ratio.unwrap_or(f64::NAN) - want).abs() < 1e-9,
            "{:?} vs {want}",
            u.value_ratio
        );
        assert_eq!(u.value_basis, VALUE_ESTIMATED);
        // The account's own views do not enter: reach is traffic's.
        let mut more_views = u.clone();
        more_views.views_per_post = Some(1e7);
        place_in(&mut more_views, &params, None, "Personal finance");
        assert_eq!(more_views.value_ratio, u.value_ratio);
        // Without flags, the ad revenue alone is a lower bound; a gaming channel earns less per
        // view than a finance one.
        let mut v = account("youtube");
        place_in(&mut v, &params, None, "Personal finance");
        assert_eq!(v.value_basis, VALUE_LOWER_BOUND);
        let mut g = account("youtube");
        place_in(&mut g, &params, None, "Gaming");
        assert!(
            g.value_ratio < v.value_ratio,
            "{:?} vs {:?}",
            g.value_ratio,
            v.value_ratio
        );
        // Its money facts are not exact: the value takes shared draws.
        assert!(!v.draws.value.is_empty());
    }

    #[test]
    fn observed_earnings_come_first() {
        let params = Params::default();
        let mut u = account("youtube");
        u.earnings_monthly = Some(6_070.0);
        u.posts_per_week = None;
        place_in(&mut u, &params, None, "n");
        // A full-time month at $30.35 an hour earns 5,279: 6,070 is 1.15 of it.
        // (Scaled from its 50,000 followers to 100,000.)
        assert!((u.value_ratio.unwrap() - 2.0 * 6_070.0 / (30.35 * FULL_TIME_HOURS_PER_MONTH)).abs() < 1e-12);
        assert_eq!(u.value_basis, VALUE_OBSERVED);
    }

    #[test]
    fn engagement_is_placed_per_view_where_views_are_known() {
        let mut u = account("instagram");
        u.er_followers = Some(0.01);
        assert_eq!(inputs(&u).engagement.map(|e| e.0), Some("engagement_rate"));
        u.er_views = Some(0.05);
        assert_eq!(inputs(&u).engagement.map(|e| e.0), Some("engagement_rate_views"));
        u.followers = None;
        assert_eq!(inputs(&u).reach.map(|e| e.0), Some("views_per_post"));
    }
}
