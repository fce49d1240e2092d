//! How sure a ranking is: bootstrap intervals and rank stability, and how ranks move with weights.
//!
//! The bootstrap resamples each niche's units (accounts, or posts where no account is named) with
//! replacement, re-measures every niche from its resample, and re-scores all niches together with
//! the run's choice of measures and weights. B resamples, seeded: the same inputs give the same
//! intervals.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{factors, ranking, Choice, Interval, Weights, SUB_FACTORS};
use crate::measure::resample::{self, Prepared};
use crate::measure::{stats, Metrics, NicheMetrics};
use crate::rng::Rng;

#[derive(Debug, Clone, Serialize)]
pub struct BootstrapSettings {
    /// Number of resamples; 0 turns the bootstrap off.
    pub resamples: usize,
    pub seed: u64,
}

impl Default for BootstrapSettings {
    fn default() -> Self {
        BootstrapSettings {
            resamples: 200,
            seed: 42,
        }
    }
}

/// Per niche, in the order of `metrics.niches`.
pub struct Boot {
    pub intervals: Vec<BTreeMap<&'static str, Interval>>,
    pub p_first: Vec<Option<f64>>,
    pub p_above_next: Vec<Option<f64>>,
    pub next: Vec<Option<usize>>,
    pub rank_interval: Vec<Option<(usize, usize)>>,
}

const KEYS: [&str; 4] = ["demand", "business", "traffic", "score"];

/// Measures that also get a bootstrap interval (METHOD.md §3).
const MEASURES: [(&str, super::Measure); 6] = [
    ("engagement_trend_monthly", |m| m.engagement_trend_monthly),
    ("follower_growth_monthly", |m| m.follower_growth_monthly),
    ("engagement_rate", |m| m.engagement_rate),
    ("median_engagement_per_post", |m| m.median_engagement_per_post),
    ("sponsored_share", |m| m.sponsored_share),
    ("gini", |m| m.gini),
];

pub fn bootstrap(
    metrics: &Metrics,
    choice: &Choice,
    weights: &Weights,
    settings: &BootstrapSettings,
    rank: &[usize],
) -> Boot {
    let n = metrics.niches.len();
    // The niche ranked just below each niche.
    let mut by_rank: Vec<usize> = (0..n).collect();
    by_rank.sort_by_key(|&i| rank[i]);
    let mut next = vec![None; n];
    for pair in by_rank.windows(2) {
        next[pair[0]] = Some(pair[1]);
    }
    let empty = Boot {
        intervals: vec![BTreeMap::new(); n],
        p_first: vec![None; n],
        p_above_next: vec![None; n],
        next: next.clone(),
        rank_interval: vec![None; n],
    };
    if settings.resamples == 0 || n == 0 {
        return empty;
    }
    let names: Vec<&str> = metrics.niches.iter().map(|m| m.niche.as_str()).collect();
    let low: Vec<bool> = metrics.niches.iter().map(|m| m.low_evidence).collect();
    let mut values: Vec<[Vec<f64>; 4]> = (0..n).map(|_| Default::default()).collect();
    let mut measured: Vec<[Vec<f64>; 6]> = (0..n).map(|_| Default::default()).collect();
    let mut scores: Vec<Vec<Option<f64>>> = vec![Vec::with_capacity(settings.resamples); n];
    let mut ranks: Vec<Vec<usize>> = vec![Vec::with_capacity(settings.resamples); n];
    // Each resample has its own generator, seeded from the run's seed and its index, so the
    // result is the same however many threads share the work.
    // Each niche's units are sorted once; a resample is then how often each unit was drawn.
    let t = crate::timing::Timer::start("  prepare resamples");
    let prepared: Vec<Prepared> = crate::par::map(&metrics.units, |units| Prepared::new(units, &metrics.params));
    t.done();
    let t = crate::timing::Timer::start("  resamples");
    // Resamples are measured LANES at a time (one pass per sorted list gives the medians, sums
    // and Ginis of all of them); each keeps its own generator across the niches, as one at a time
    // would, so the draws and the results are the same bits as measuring them one by one.
    let lanes = resample::LANES;
    let one = |g: usize| {
        let batch: Vec<usize> = (g * lanes..((g + 1) * lanes).min(settings.resamples)).collect();
        let mut rngs: Vec<Rng> = batch
            .iter()
            .map(|&b| Rng::new(settings.seed ^ (b as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)))
            .collect();
        let mut counts: Vec<Vec<u32>> = vec![Vec::new(); batch.len()];
        let mut resampled: Vec<Vec<NicheMetrics>> = vec![Vec::with_capacity(prepared.len()); batch.len()];
        for p in &prepared {
            for (rng, c) in rngs.iter_mut().zip(&mut counts) {
                c.clear();
                c.resize(p.len(), 0);
                for _ in 0..p.len() {
                    c[rng.below(p.len())] += 1;
                }
            }
            let measured = resample::measure_lanes(p, &counts, metrics.context, &metrics.params);
            for (r, m) in resampled.iter_mut().zip(measured) {
                r.push(m);
            }
        }
        resampled
            .into_iter()
            .map(|r| {
                let f = factors(&r, choice, weights);
                (r, f)
            })
            .collect::<Vec<_>>()
    };
    let groups: Vec<usize> = (0..settings.resamples.div_ceil(lanes)).collect();
    let results: Vec<_> = crate::par::map(&groups, |&g| one(g)).into_iter().flatten().collect();
    t.done();
    for (resampled, f) in results {
        let s: Vec<Option<f64>> = f.iter().map(|x| x.score).collect();
        let r = ranking(&names, &s, &low);
        for i in 0..n {
            for (k, v) in [f[i].demand, f[i].business, f[i].traffic, f[i].score]
                .into_iter()
                .enumerate()
            {
                values[i][k].extend(v);
            }
            scores[i].push(s[i]);
            ranks[i].push(r[i]);
            for (k, (_, get)) in MEASURES.iter().enumerate() {
                measured[i][k].extend(get(&resampled[i]));
            }
        }
    }
    let b = settings.resamples as f64;
    let interval = |xs: &[f64]| Interval {
        low: stats::quantile(xs, 0.025),
        high: stats::quantile(xs, 0.975),
    };
    let intervals = values
        .iter()
        .zip(&measured)
        .map(|(v, m)| {
            let mut map: BTreeMap<&'static str, Interval> =
                KEYS.iter().zip(v).map(|(k, xs)| (*k, interval(xs))).collect();
            for ((name, _), xs) in MEASURES.iter().zip(m) {
                if !xs.is_empty() {
                    map.insert(name, interval(xs));
                }
            }
            map
        })
        .collect();
    let p_first = ranks
        .iter()
        .map(|r| Some(r.iter().filter(|&&x| x == 0).count() as f64 / b))
        .collect();
    let p_above_next = (0..n)
        .map(|i| {
            let j = next[i]?;
            let pairs: Vec<(f64, f64)> = scores[i]
                .iter()
                .zip(&scores[j])
                .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
                .collect();
            if pairs.is_empty() {
                return None;
            }
            let wins: f64 = pairs
                .iter()
                .map(|(a, b)| {
                    if a > b {
                        1.0
                    } else if a == b {
                        0.5
                    } else {
                        0.0
                    }
                })
                .sum();
            Some(wins / pairs.len() as f64)
        })
        .collect();
    let rank_interval = ranks
        .iter()
        .map(|r| {
            let mut sorted = r.clone();
            sorted.sort_unstable();
            let at = |q: f64| sorted[((q * (sorted.len() - 1) as f64).round() as usize).min(sorted.len() - 1)] + 1;
            (!sorted.is_empty()).then(|| (at(0.025), at(0.975)))
        })
        .collect();
    Boot {
        intervals,
        p_first,
        p_above_next,
        next,
        rank_interval,
    }
}

/// Each weight at half and one and a half times its value, the others unchanged.
pub fn sensitivity(
    niches: &[NicheMetrics],
    choice: &Choice,
    weights: &Weights,
    rank: &[usize],
) -> Vec<super::Sensitivity> {
    let names: Vec<&str> = niches.iter().map(|m| m.niche.as_str()).collect();
    let low: Vec<bool> = niches.iter().map(|m| m.low_evidence).collect();
    let mut out = Vec::new();
    for (sf, chosen) in SUB_FACTORS.iter().zip(&choice.measures) {
        let w = weights.get(sf.name);
        if chosen.is_none() || w <= 0.0 {
            continue;
        }
        let run = |multiple: f64| {
            let mut moved = weights.clone();
            moved.0.insert(sf.name, w * multiple);
            let s: Vec<Option<f64>> = factors(niches, choice, &moved).iter().map(|f| f.score).collect();
            let r = ranking(&names, &s, &low);
            (s, r)
        };
        let (s_low, r_low) = run(0.5);
        let (s_high, r_high) = run(1.5);
        let list = |s: &[Option<f64>], r: &[usize]| {
            let mut v: Vec<(String, Option<f64>, usize)> = (0..niches.len())
                .map(|i| (names[i].to_string(), s[i], r[i] + 1))
                .collect();
            v.sort_by_key(|x| x.2);
            v
        };
        let rank_changes = (0..niches.len())
            .filter(|&i| r_low[i] != rank[i] || r_high[i] != rank[i])
            .map(|i| names[i].to_string())
            .collect();
        out.push(super::Sensitivity {
            sub_factor: sf.name,
            weight: w,
            low: list(&s_low, &r_low),
            high: list(&s_high, &r_high),
            rank_changes,
        });
    }
    out
}
