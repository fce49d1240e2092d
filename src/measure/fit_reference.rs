//! `niche reference build`: a reference fitted from a panel of accounts (an agency's full crawl
//! of a platform, say), so niches can be judged against that panel instead of the built-in
//! benchmarks (METHOD.md §3, your own reference). Per platform with enough accounts: followers
//! as quantile knots; engagement rate (per follower tier), views per follower (per tier), views
//! per post and engagement per view as lognormals; monthly follower growth as a normal. Money
//! facts, wages and proxies are kept from the base reference: a panel of posts shows no payouts.

use std::collections::BTreeMap;

use statrs::statistics::Statistics;

use super::stats;
use super::units::Unit;
use crate::reference::{Kind, Reference, Scale};

/// Fewer accounts than this on a platform (or in a tier) fit nothing there.
pub const MIN_ACCOUNTS: usize = 20;
/// The follower tiers the size-dependent scales are fitted in.
const TIERS: [[f64; 2]; 4] = [[0.0, 1e4], [1e4, 1e5], [1e5, 1e6], [1e6, 1e12]];
/// The quantiles kept as knots of the follower scale.
const KNOTS: [f64; 11] = [0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0];

/// The fitted reference: `base` with its scales replaced, platform by platform and measure by
/// measure, where the panel has enough accounts. `panel` names the files, `date` the panel's
/// period.
pub fn fit(units: &[Unit], base: &Reference, name: &str, panel: &str, date: &str) -> Reference {
    let mut by_platform: BTreeMap<&str, Vec<&Unit>> = BTreeMap::new();
    for u in units.iter().filter(|u| u.is_account()) {
        by_platform.entry(u.platform.as_str()).or_default().push(u);
    }
    let mut fitted: Vec<Scale> = Vec::new();
    for (platform, accounts) in &by_platform {
        if accounts.len() < MIN_ACCOUNTS {
            continue;
        }
        let scale = |measure: &str, kind: Kind, tier: Option<[f64; 2]>, n: usize, definition: &str| Scale {
            measure: measure.to_string(),
            platform: platform.to_string(),
            tier,
            kind,
            knots: Vec::new(),
            median: None,
            sigma: None,
            definition: definition.to_string(),
            source: format!("fitted by `niche reference build` from {panel} ({n} accounts)"),
            date: date.to_string(),
            confidence: "F".to_string(),
            basis: None,
            provisional: false,
            uncertainty: None,
            components: Vec::new(),
            slope: None,
            pivot: None,
            from_this_crawl: false,
        };
        // Followers: knots at fixed quantiles, joined in log.
        let followers: Vec<f64> = accounts
            .iter()
            .filter_map(|a| a.followers)
            .filter(|f| *f > 0.0)
            .collect();
        if followers.len() >= MIN_ACCOUNTS {
            let mut knots: Vec<[f64; 2]> = Vec::new();
            for q in KNOTS {
                if let Some(x) = stats::quantile(&followers, q) {
                    match knots.last_mut() {
                        Some(last) if x <= last[0] => last[1] = q,
                        _ => knots.push([x, q]),
                    }
                }
            }
            if knots.len() >= 2 {
                let mut s = scale(
                    "followers",
                    Kind::Knots,
                    None,
                    followers.len(),
                    "share of the panel's accounts below this many followers",
                );
                s.knots = knots;
                fitted.push(s);
            }
        }
        let lognormal = |values: Vec<f64>, measure: &str, tier: Option<[f64; 2]>, definition: &str| {
            let logs: Vec<f64> = values
                .iter()
                .filter(|v| **v > 0.0 && v.is_finite())
                .map(|v| v.ln())
                .collect();
            if logs.len() < MIN_ACCOUNTS {
                return None;
            }
            let sd = logs.iter().std_dev();
            let mut s = scale(measure, Kind::Lognormal, tier, logs.len(), definition);
            s.median = stats::median(&logs).map(f64::exp);
            s.sigma = Some(sd.max(1e-6));
            Some(s)
        };
        for tier in TIERS {
            let in_tier = |a: &&&Unit| a.followers.is_some_and(|f| f >= tier[0] && f < tier[1]);
            let er: Vec<f64> = accounts.iter().filter(in_tier).filter_map(|a| a.er_followers).collect();
            fitted.extend(lognormal(
                er,
                "engagement_rate",
                Some(tier),
                "engagement per post ÷ followers, median per account",
            ));
            let reach: Vec<f64> = accounts
                .iter()
                .filter(in_tier)
                .filter_map(|a| Some(a.views_per_post? / a.followers.filter(|f| *f > 0.0)?))
                .collect();
            fitted.extend(lognormal(
                reach,
                "views_per_follower",
                Some(tier),
                "views per post ÷ followers, per account",
            ));
        }
        let views: Vec<f64> = accounts.iter().filter_map(|a| a.views_per_post).collect();
        fitted.extend(lognormal(
            views,
            "views_per_post",
            None,
            "median views per post, per account",
        ));
        let er_views: Vec<f64> = accounts.iter().filter_map(|a| a.er_views).collect();
        fitted.extend(lognormal(
            er_views,
            "engagement_rate_views",
            None,
            "engagement ÷ views, median per account",
        ));
        let growth: Vec<f64> = accounts.iter().filter_map(|a| a.follower_growth_monthly).collect();
        if growth.len() >= MIN_ACCOUNTS {
            let sd = growth.iter().std_dev();
            let mut s = scale(
                "follower_growth_monthly",
                Kind::Normal,
                None,
                growth.len(),
                "monthly follower growth, per account",
            );
            s.median = stats::median(&growth);
            s.sigma = Some(sd.max(1e-6));
            fitted.push(s);
        }
    }
    // The panel's scales replace the base's for the same platform and measure; the rest stay.
    let replaced = |s: &Scale| {
        fitted
            .iter()
            .any(|f| f.platform == s.platform && f.measure == s.measure)
    };
    let mut scales: Vec<Scale> = base.scales.iter().filter(|s| !replaced(s)).cloned().collect();
    scales.extend(fitted);
    Reference {
        name: name.to_string(),
        date: date.to_string(),
        origin: String::new(),
        // A panel's reference is used as it is: a niche scored on it depends on its own rows.
        calibrate: false,
        platforms: base.platforms.clone(),
        scales,
        money: base.money.clone(),
        wages: base.wages.clone(),
        money_tiers: base.money_tiers.clone(),
        verticals: base.verticals.clone(),
        sponsored_share: base.sponsored_share,
    }
}
