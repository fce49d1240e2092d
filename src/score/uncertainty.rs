//! How sure a score is: bootstrap intervals and rank stability, and how ranks move with weights.
//!
//! The bootstrap resamples each niche's units (accounts, or posts where no account is named) and
//! re-measures and re-scores the niche from its resample, with the run's weights. It is a Poisson
//! bootstrap: in each resample every unit is drawn a Poisson(1) number of times, from a generator
//! seeded by the run's seed, the unit's account and the resample's index. So an account filed
//! under several niches is drawn the same number of times in each (they are resampled jointly),
//! and a niche's draws depend on its own rows alone. B resamples, seeded: the same inputs give
//! the same intervals. Where a scale or money fact is not exact, each resample also draws how far
//! it is off — one draw per platform and measure (per money fact, per vertical tier) and
//! resample, shared by every niche placed on it ([`NicheDraws`]) — so the interval carries the
//! doubt about the yardstick as well as about the sample, and a wrong yardstick moves a
//! platform's niches together.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{combine, probit_shift, ranking, ratio_scale, reweigh, Factors, Interval, Scorer, Weights, SUB_FACTORS};
use crate::measure::placed::draw_key as key;
use crate::measure::resample::{self, Prepared};
use crate::measure::{stats, Metrics, NicheMetrics, Unit};
use crate::reference::Reference;
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
            resamples: 1000,
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
    /// Per niche, each resample's (score, reach sub-factor), for intervals of what is computed
    /// from them later (the personal score).
    pub draws: Vec<Vec<(Option<f64>, Option<f64>)>>,
}

const KEYS: [&str; 4] = ["demand", "business", "traffic", "score"];

/// Measures that also get a bootstrap interval (METHOD.md §3).
const MEASURES: [(&str, super::Measure); MEASURED] = [
    ("head_followers_share", |m| m.head_followers_share),
    ("engagement_rate_share", |m| m.engagement_rate_share),
    ("views_share", |m| m.views_share),
    ("value_ratio", |m| m.value_ratio),
    ("engagement_trend_monthly", |m| m.engagement_trend_monthly),
    ("follower_growth_monthly", |m| m.follower_growth_monthly),
    ("gini", |m| m.gini),
];
const MEASURED: usize = 7;

/// One resample of one niche: its factors and score, and its reach sub-factor (for the personal
/// score's interval).
type Resampled = ([Option<f64>; 4], Option<f64>);

/// One resample's measures with intervals (kept for niches only: pairs report none).
type Measured = [Option<f64>; MEASURED];

/// The shared draws that move one niche's sub-factors in each resample, as (key, coefficient):
/// the shift of a sub-factor is Σ coefficient × z(key, resample), z a standard normal drawn once
/// per key and resample for the whole run. For the shares (audience, engagement rate, reach,
/// growth) the shift is on the probit scale and the coefficient is the mean, over the niche's
/// units with the share, of their scale's SD there; for the value ratio it is on ln(value).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NicheDraws {
    pub audience: Vec<(u64, f64)>,
    pub engagement: Vec<(u64, f64)>,
    pub reach: Vec<(u64, f64)>,
    pub growth: Vec<(u64, f64)>,
    pub value: Vec<(u64, f64)>,
}

impl NicheDraws {
    /// A niche's draws from its units, and its growth measure's scale (from its point estimate).
    pub fn of(units: &[&Unit], point: &Factors, reference: &Reference, niche: &NicheMetrics) -> NicheDraws {
        fn mean<'a>(pairs: impl Iterator<Item = (bool, &'a [(u64, f64)])>) -> Vec<(u64, f64)> {
            let mut by_key: BTreeMap<u64, f64> = BTreeMap::new();
            let mut n = 0usize;
            for (has, draws) in pairs {
                if has {
                    n += 1;
                    for &(k, c) in draws {
                        *by_key.entry(k).or_default() += c;
                    }
                }
            }
            by_key
                .into_iter()
                .map(|(k, c)| (k, c / n.max(1) as f64))
                .filter(|(_, c)| *c > 0.0)
                .collect()
        }
        fn one(d: &Option<(u64, f64)>) -> &[(u64, f64)] {
            match d {
                Some(x) => std::slice::from_ref(x),
                None => &[],
            }
        }
        let growth = point
            .evidence
            .iter()
            .find(|e| e.sub_factor == "growth")
            .and_then(|e| {
                // One draw per scale: every platform's alike ("*"), or a platform's own where
                // the crawl calibrated it.
                let platform = niche.main_platform.as_deref().unwrap_or("*");
                let reached = reference.reached(e.measure, platform)?;
                let placed = reached.place(e.value?, None)?;
                (placed.probit_sd > 0.0).then(|| vec![(key(&[&reached.from, e.measure]), placed.probit_sd)])
            })
            .unwrap_or_default();
        NicheDraws {
            audience: mean(
                units
                    .iter()
                    .map(|u| (u.followers_share.is_some(), one(&u.draws.followers))),
            ),
            engagement: mean(units.iter().map(|u| (u.er_share.is_some(), one(&u.draws.engagement)))),
            reach: mean(units.iter().map(|u| (u.views_share.is_some(), one(&u.draws.reach)))),
            growth,
            value: mean(
                units
                    .iter()
                    .map(|u| (u.value_ratio.is_some(), u.draws.value.as_slice())),
            ),
        }
    }

    fn of_sub_factor(&self, name: &str) -> &[(u64, f64)] {
        match name {
            "audience" => &self.audience,
            "engagement_rate" => &self.engagement,
            "reach_per_post" => &self.reach,
            "growth" => &self.growth,
            "value_per_hour" => &self.value,
            _ => &[],
        }
    }

    /// The evidence of one resample moved by its draws: each share on the probit scale, the value
    /// ratio in ln before its scale is taken again.
    fn apply(&self, evidence: &mut [super::Evidence], normals: &SharedNormals, b: usize) {
        for e in evidence.iter_mut() {
            let draws = self.of_sub_factor(e.sub_factor);
            if draws.is_empty() {
                continue;
            }
            let shift: f64 = draws.iter().map(|&(k, c)| c * normals.z(k, b)).sum();
            e.scale = match e.sub_factor {
                "value_per_hour" => e.value.map(|v| ratio_scale(v * shift.exp())),
                _ => e.scale.map(|s| probit_shift(s, shift)),
            };
        }
    }

    fn is_empty(&self) -> bool {
        self.audience.is_empty()
            && self.engagement.is_empty()
            && self.reach.is_empty()
            && self.growth.is_empty()
            && self.value.is_empty()
    }
}

/// The standard normal draw of shared key `key` in resample `b`: the same for every niche.
fn shared_normal(seed: u64, key: u64, b: usize) -> f64 {
    Rng::new(seed ^ key ^ (b as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)).normal()
}

/// Every shared draw of a bootstrap, made once: per key, its normal in each resample (the
/// niches and pairs on a scale read the same ones; a draw is a hash, a log and a cosine).
struct SharedNormals {
    resamples: usize,
    /// (foldhash: looked up for every sub-factor with draws in every resample, never listed.)
    by_key: foldhash::HashMap<u64, Vec<f64>>,
}

impl SharedNormals {
    fn of(draws: &[NicheDraws], seed: u64, resamples: usize) -> SharedNormals {
        let mut keys: Vec<u64> = draws
            .iter()
            .flat_map(|d| [&d.audience, &d.engagement, &d.reach, &d.growth, &d.value])
            .flat_map(|list| list.iter().map(|&(k, _)| k))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let columns = crate::par::map(&keys, |&k| (0..resamples).map(|b| shared_normal(seed, k, b)).collect());
        SharedNormals {
            resamples,
            by_key: keys.into_iter().zip(columns).collect(),
        }
    }

    fn z(&self, key: u64, b: usize) -> f64 {
        debug_assert!(b < self.resamples);
        self.by_key.get(&key).map_or(0.0, |column| column[b])
    }
}

/// A unit's key for the Poisson bootstrap: its account (platform and id), so an account filed
/// under several niches is drawn alike in each; a unit without an account (a post standing alone)
/// by its niche and what the post holds (so the order of the rows does not matter), with its
/// place among the niche's units added only to tell apart posts that hold the same.
fn unit_key(u: &Unit, nth_alike: usize) -> u64 {
    match &u.account {
        Some(a) => key(&[&u.platform, a]),
        None => key(&[
            &u.niche,
            &u.platform,
            &format!("{:?}", u.engagement_total.map(f64::to_bits)),
            &format!("{:?}", u.views_per_post.map(f64::to_bits)),
            &format!("{:?}", u.weekly.first().map(|w| w.0)),
            &nth_alike.to_string(),
        ]),
    }
}

/// How often a unit is drawn in resample `b`: a Poisson(1) count from a generator seeded by the
/// run's seed, the unit's key and the resample (the Poisson bootstrap).
fn poisson_count(seed: u64, key: u64, b: usize) -> u32 {
    let x = Rng::new(seed ^ key ^ (b as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64();
    count_of(x)
}

/// The Poisson count of 64 random bits: how many of the thresholds they reach, P(count > k) =
/// 1 − F(k). 98 % of counts are at most 3, which the first four thresholds decide; only a count
/// above 3 (a branch taken 2 % of the time) reads the rest.
fn count_of(x: u64) -> u32 {
    let reached = |ts: &[u64]| ts.iter().map(|&t| u32::from(x >= t)).sum::<u32>();
    match reached(&POISSON_THRESHOLDS[..4]) {
        4 => 4 + reached(&POISSON_THRESHOLDS[4..]),
        first => first,
    }
}

/// The Poisson(1) distribution function F(k) = Σ_{j ≤ k} e^-1 / j!, k = 0 … 12 (a test checks it).
const POISSON_CDF: [f64; 13] = [
    0.36787944117144233,
    0.7357588823428847,
    0.9196986029286058,
    0.9810118431238463,
    0.9963401531726563,
    0.9994058151824183,
    0.999916758850712,
    0.9999897508033253,
    0.999998874797402,
    0.9999998885745216,
    0.9999999899522336,
    0.9999999991683892,
    0.9999999999364022,
];

/// [`POISSON_CDF`] × 2^64, to compare a generator's 64 bits with directly.
const POISSON_THRESHOLDS: [u64; 13] = {
    let mut t = [0u64; 13];
    let mut k = 0;
    while k < 13 {
        t[k] = (POISSON_CDF[k] * 18_446_744_073_709_551_616.0) as u64;
        k += 1;
    }
    t
};

/// The interval of a statistic over its resamples: the 2.5% and 97.5% quantiles (never stretched
/// to reach the point estimate), with the bias (the resamples' median minus the point) where it
/// is material: more than a quarter of the interval's half-width.
pub fn interval(resampled: &[f64], point: Option<f64>) -> Interval {
    let [low, high, centre] = stats::quantiles(resampled, [0.025, 0.975, 0.5]);
    let bias = match (centre, point.filter(|p| p.is_finite()), low, high) {
        (Some(centre), Some(p), Some(lo), Some(hi)) if (centre - p).abs() > 0.125 * (hi - lo) => Some(centre - p),
        _ => None,
    };
    Interval { low, high, bias }
}

/// A niche (or niche × platform pair) needs this many accounts (units where no account is named)
/// for a bootstrap interval: with fewer, the resamples are a handful of values and understate the
/// doubt, so no interval is given and the output says why.
pub const MIN_INTERVAL_UNITS: usize = 5;

pub fn bootstrap(
    metrics: &Metrics,
    weights: &Weights,
    settings: &BootstrapSettings,
    rank: &[usize],
    base: &[Factors],
) -> Boot {
    let units: Vec<Vec<&Unit>> = metrics.units.iter().map(|u| u.iter().collect()).collect();
    bootstrap_units(&metrics.niches, &units, metrics, weights, settings, Some(rank), base)
}

/// [`bootstrap`] of niches (or niche × platform pairs) given by their units; `metrics` gives the
/// context and parameters. `rank` is `None` for niche × platform pairs: only their factors' and
/// score's intervals and draws are wanted (no ranks among them, no measure intervals).
pub fn bootstrap_units(
    niches: &[NicheMetrics],
    units: &[Vec<&Unit>],
    metrics: &Metrics,
    weights: &Weights,
    settings: &BootstrapSettings,
    rank: Option<&[usize]>,
    base: &[Factors],
) -> Boot {
    let n = niches.len();
    // The niche ranked just below each niche.
    let mut next = vec![None; n];
    if let Some(rank) = rank {
        let mut by_rank: Vec<usize> = (0..n).collect();
        by_rank.sort_by_key(|&i| rank[i]);
        for pair in by_rank.windows(2) {
            next[pair[0]] = Some(pair[1]);
        }
    }
    let empty = Boot {
        intervals: vec![BTreeMap::new(); n],
        p_first: vec![None; n],
        p_above_next: vec![None; n],
        next: next.clone(),
        rank_interval: vec![None; n],
        draws: vec![Vec::new(); n],
    };
    if settings.resamples == 0 || n == 0 {
        return empty;
    }
    let reference = &metrics.params.reference;
    let names: Vec<&str> = niches.iter().map(|m| m.niche.as_str()).collect();
    let low: Vec<bool> = niches.iter().map(|m| m.low_evidence).collect();
    // Each niche's units are sorted once; a resample is then how often each unit was drawn.
    let t = crate::timing::Timer::start("  prepare resamples");
    let prepared: Vec<Prepared> = crate::par::map(units, |units| Prepared::new(units, &metrics.params));
    t.done();
    let t = crate::timing::Timer::start("  resamples");
    // Resamples are measured LANES at a time (one pass per sorted list gives the medians of all
    // of them), niche by niche; every (niche, group of lanes) is a job of its own.
    let lanes = resample::LANES;
    let groups = settings.resamples.div_ceil(lanes);
    let jobs: Vec<(usize, usize)> = (0..n).flat_map(|i| (0..groups).map(move |g| (i, g))).collect();
    let keys: Vec<Vec<u64>> = crate::par::map(units, |list| {
        let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        list.iter()
            .map(|u| {
                let first = unit_key(u, 0);
                if u.account.is_some() {
                    return first;
                }
                let nth = seen.entry(first).or_insert(0);
                *nth += 1;
                if *nth == 1 {
                    first
                } else {
                    unit_key(u, *nth - 1)
                }
            })
            .collect()
    });
    // The shared draws each niche's sub-factors take (the same keys, the same z, for every niche
    // on a scale).
    let draws: Vec<NicheDraws> = (0..n)
        .map(|i| NicheDraws::of(&units[i], &base[i], reference, &niches[i]))
        .collect();
    let normals = SharedNormals::of(&draws, settings.seed, settings.resamples);
    let one = |&(i, g): &(usize, usize)| {
        let p = &prepared[i];
        let batch: Vec<usize> = (g * lanes..((g + 1) * lanes).min(settings.resamples)).collect();
        // Each unit's draw counts in the batch's resamples, side by side (a Poisson count is
        // at most 13, so it fits a lane).
        let mut counts = vec![0u16; keys[i].len() * lanes];
        for (row, &k) in counts.chunks_exact_mut(lanes).zip(&keys[i]) {
            for (c, &b) in row.iter_mut().zip(&batch) {
                *c = poisson_count(settings.seed, k, b) as u16;
            }
        }
        // A pair reports no interval of the trend itself: its trend is wanted only where its
        // growth sub-factor falls back to it.
        let trend = match (rank, niches[i].search_trend_monthly) {
            (Some(_), _) => resample::Trend::Always,
            (None, Some(_)) => resample::Trend::Never,
            (None, None) => resample::Trend::WhereNoGrowth,
        };
        let mut measured = resample::measure_side_by_side(p, &counts, batch.len(), trend, &metrics.params);
        let mut scorer = Scorer::new(weights, reference);
        // What the score reads beside the resampled measures, owned once per batch and lent to
        // each resample in turn (a copy per resample was most of the bootstrap's allocations).
        let mut platforms = niches[i].platforms.clone();
        let mut provisional = niches[i].provisional.clone();
        let mut main_platform = niches[i].main_platform.clone();
        let (mut scored, mut values) = (Vec::with_capacity(batch.len()), Vec::new());
        for (m, &b) in measured.iter_mut().zip(&batch) {
            m.platforms = std::mem::take(&mut platforms);
            m.provisional = std::mem::take(&mut provisional);
            m.main_platform = main_platform.take();
            // Not from the units: the niche's demand signal and its platform's reference
            // concentration stand as read.
            m.search_trend_monthly = niches[i].search_trend_monthly;
            m.reference_gini = niches[i].reference_gini;
            let mut f = scorer.factors(m);
            if !draws[i].is_empty() {
                let mut evidence = std::mem::take(&mut f.evidence);
                draws[i].apply(&mut evidence, &normals, b);
                f = combine(evidence);
            }
            // Pairs (no `rank`) want neither ranks nor measure intervals: their measures are
            // not kept.
            if rank.is_some() {
                values.push(MEASURES.map(|(_, get)| get(m)));
            }
            let reach = f
                .evidence
                .iter()
                .find(|e| e.sub_factor == "reach_per_post")
                .and_then(|e| e.scale);
            platforms = std::mem::take(&mut m.platforms);
            provisional = std::mem::take(&mut m.provisional);
            main_platform = m.main_platform.take();
            scored.push(([f.demand, f.business, f.traffic, f.score], reach));
        }
        (scored, values)
    };
    let results: Vec<(Vec<Resampled>, Vec<Measured>)> = crate::par::map(&jobs, one);
    t.done();
    let t = crate::timing::Timer::start("  intervals and ranks");
    // Per niche, its resamples in order: jobs are niche-major, groups in order, so niche i's are
    // the batches of jobs i × groups … (i + 1) × groups (read in place, not copied).
    let batches = |i: usize| &results[i * groups..(i + 1) * groups];
    let resampled = |i: usize| batches(i).iter().flat_map(|(r, _)| r.iter());
    let b_count = settings.resamples;
    let mut ranks: Vec<Vec<usize>> = vec![Vec::new(); n];
    if rank.is_some() {
        for r in &mut ranks {
            r.reserve_exact(b_count);
        }
        for b in 0..b_count {
            let s: Vec<Option<f64>> = (0..n).map(|i| batches(i)[b / lanes].0[b % lanes].0[3]).collect();
            let r = ranking(&names, &s, &[], &low);
            for i in 0..n {
                ranks[i].push(r[i]);
            }
        }
    }
    let intervals = (0..n)
        .zip(base)
        .zip(niches)
        .zip(units)
        .map(|(((i, f), m), list)| {
            let points = [f.demand, f.business, f.traffic, f.score];
            let mut map: BTreeMap<&'static str, Interval> = BTreeMap::new();
            if list.len() < MIN_INTERVAL_UNITS {
                return map;
            }
            for (k, key) in KEYS.iter().enumerate() {
                let xs: Vec<f64> = resampled(i).filter_map(|x| x.0[k]).collect();
                if !xs.is_empty() {
                    map.insert(key, interval(&xs, points[k]));
                }
            }
            let measured = || batches(i).iter().flat_map(|(_, v)| v.iter());
            for (k, (name, get)) in MEASURES.iter().enumerate() {
                let xs: Vec<f64> = measured().filter_map(|x| x[k]).collect();
                if !xs.is_empty() {
                    map.insert(name, interval(&xs, get(m)));
                }
            }
            map
        })
        .collect();
    let b = b_count as f64;
    let p_first = ranks
        .iter()
        .map(|r| (!r.is_empty()).then(|| r.iter().filter(|&&x| x == 0).count() as f64 / b))
        .collect();
    let p_above_next = (0..n)
        .map(|i| {
            let j = next[i]?;
            let pairs: Vec<(f64, f64)> = resampled(i)
                .zip(resampled(j))
                .filter_map(|(a, b)| Some((a.0[3]?, b.0[3]?)))
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
    let draws = (0..n).map(|i| resampled(i).map(|x| (x.0[3], x.1)).collect()).collect();
    t.done();
    Boot {
        intervals,
        p_first,
        p_above_next,
        next,
        rank_interval,
        draws,
    }
}

/// Each weight at half and one and a half times its value, the others unchanged (`base`: each
/// niche's point estimate, its evidence reweighed).
pub fn sensitivity(
    niches: &[NicheMetrics],
    weights: &Weights,
    base: &[Factors],
    rank: &[usize],
) -> Vec<super::Sensitivity> {
    let names: Vec<&str> = niches.iter().map(|m| m.niche.as_str()).collect();
    let low: Vec<bool> = niches.iter().map(|m| m.low_evidence).collect();
    let mut out = Vec::new();
    for sf in SUB_FACTORS {
        let w = weights.get(sf.name);
        let used = niches
            .iter()
            .any(|n| sf.measures.iter().any(|(_, get)| get(n).is_some()));
        if !used || w <= 0.0 {
            continue;
        }
        let run = |multiple: f64| {
            let mut moved = weights.clone();
            moved.0.insert(sf.name, w * multiple);
            let f: Vec<Factors> = base.iter().map(|f| reweigh(f, &moved)).collect();
            let s: Vec<Option<f64>> = f.iter().map(|f| f.score).collect();
            let c: Vec<Option<f64>> = f.iter().map(|f| f.ceiling).collect();
            let r = ranking(&names, &s, &c, &low);
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

/// How the ranking holds when every weight is drawn at random around its default.
#[derive(Debug, Clone, Serialize)]
pub struct Robustness {
    /// Weight draws: within each factor, Dirichlet(`concentration` × the default shares).
    pub draws: usize,
    pub concentration: f64,
    /// The top pick (the first niche with a score and enough evidence) at the default weights.
    pub top_pick: String,
    /// Share of draws in which it stays the top pick.
    pub top_pick_stays: f64,
    /// Per niche, the share of draws in which it is the top pick (niches that ever are).
    pub top_pick_shares: Vec<(String, f64)>,
}

/// Weight draws for [`robustness`].
pub const ROBUSTNESS_DRAWS: usize = 1000;
/// Dirichlet concentration: 20 × the default shares gives each weight an SD of about a fifth of
/// itself at a share of one half.
pub const ROBUSTNESS_CONCENTRATION: f64 = 20.0;

/// A Gamma(shape, 1) draw (Marsaglia and Tsang; shape < 1 boosted by U^(1/shape)).
fn gamma(rng: &mut Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u = rng.unit().max(f64::MIN_POSITIVE);
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = rng.normal();
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = rng.unit().max(f64::MIN_POSITIVE);
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// How often the top pick stays on top under random weights (seeded; `base` as for
/// [`sensitivity`]).
pub fn robustness(
    niches: &[NicheMetrics],
    weights: &Weights,
    base: &[Factors],
    rank: &[usize],
    seed: u64,
) -> Option<Robustness> {
    let names: Vec<&str> = niches.iter().map(|m| m.niche.as_str()).collect();
    let low: Vec<bool> = niches.iter().map(|m| m.low_evidence).collect();
    let top = |f: &[Factors], r: &[usize]| {
        (0..niches.len())
            .filter(|&i| !low[i] && f[i].score.is_some())
            .min_by_key(|&i| r[i])
    };
    let pick = top(base, rank)?;
    let mut rng = Rng::new(seed ^ 0x000D_181C_41E7);
    let mut wins: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..ROBUSTNESS_DRAWS {
        let mut drawn = weights.clone();
        for factor in [super::Factor::Demand, super::Factor::Business, super::Factor::Traffic] {
            let members: Vec<&super::SubFactor> = SUB_FACTORS
                .iter()
                .filter(|s| s.factor == factor && weights.get(s.name) > 0.0)
                .collect();
            let total: f64 = members.iter().map(|s| weights.get(s.name)).sum();
            let g: Vec<f64> = members
                .iter()
                .map(|s| gamma(&mut rng, ROBUSTNESS_CONCENTRATION * weights.get(s.name) / total))
                .collect();
            let sum: f64 = g.iter().sum();
            for (s, x) in members.iter().zip(g) {
                drawn.0.insert(s.name, if sum > 0.0 { x / sum } else { 0.0 });
            }
        }
        let f: Vec<Factors> = base.iter().map(|f| reweigh(f, &drawn)).collect();
        let s: Vec<Option<f64>> = f.iter().map(|f| f.score).collect();
        let c: Vec<Option<f64>> = f.iter().map(|f| f.ceiling).collect();
        let r = ranking(&names, &s, &c, &low);
        if let Some(i) = top(&f, &r) {
            *wins.entry(names[i]).or_default() += 1;
        }
    }
    let share = |k: usize| k as f64 / ROBUSTNESS_DRAWS as f64;
    let mut shares: Vec<(String, f64)> = wins.iter().map(|(n, k)| (n.to_string(), share(*k))).collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(Robustness {
        draws: ROBUSTNESS_DRAWS,
        concentration: ROBUSTNESS_CONCENTRATION,
        top_pick: names[pick].to_string(),
        top_pick_stays: share(wins.get(names[pick]).copied().unwrap_or(0)),
        top_pick_shares: shares,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_draws_have_the_shape_as_mean() {
        let mut rng = Rng::new(3);
        for shape in [0.4, 1.0, 6.0] {
            let n = 20_000;
            let mean = (0..n).map(|_| gamma(&mut rng, shape)).sum::<f64>() / n as f64;
            assert!((mean - shape).abs() < 0.05 * shape.max(1.0), "{shape}: {mean}");
        }
    }

    #[test]
    fn an_interval_is_never_stretched_and_says_where_it_is_off_centre() {
        let off = interval(&[0.2, 0.21, 0.22, 0.3], Some(0.5));
        assert!(off.high.is_some_and(|h| h < 0.5), "not stretched to the point: {off:?}");
        assert!(off.bias.is_some_and(|b| b < -0.2), "{off:?}");
        let centred = interval(&[0.2, 0.21, 0.22, 0.3], Some(0.215));
        assert_eq!(centred.bias, None);
    }

    #[test]
    fn a_count_read_from_the_first_thresholds_is_the_count_of_all_of_them() {
        let all = |x: u64| POISSON_THRESHOLDS.iter().map(|&t| u32::from(x >= t)).sum::<u32>();
        let mut rng = Rng::new(9);
        let edges = POISSON_THRESHOLDS
            .iter()
            .flat_map(|&t| [t.wrapping_sub(1), t, t.wrapping_add(1)]);
        let mut seen = [0usize; 14];
        for x in edges.chain([0, u64::MAX]).chain((0..200_000).map(|_| rng.next_u64())) {
            assert_eq!(count_of(x), all(x), "{x}");
            seen[all(x) as usize] += 1;
        }
        // Every count from 0 to 13 met (at the thresholds' edges at least).
        assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
    }

    #[test]
    fn poisson_counts_have_mean_and_variance_one_and_follow_the_account() {
        let n = 200_000;
        let counts: Vec<f64> = (0..n).map(|b| f64::from(poisson_count(42, 7, b))).collect();
        let mean = counts.iter().sum::<f64>() / n as f64;
        let var = counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.01 && (var - 1.0).abs() < 0.02, "{mean} {var}");
        let mut cdf = 0.0;
        for k in 0..13u32 {
            cdf += (-1.0f64).exp() / (1..=k).map(f64::from).product::<f64>();
            let below = counts.iter().filter(|&&c| c <= f64::from(k)).count() as f64 / n as f64;
            assert!((below - cdf).abs() < 0.005, "P(count <= {k}) {below} vs {cdf}");
        }
        let zero = counts.iter().filter(|&&c| c == 0.0).count() as f64 / n as f64;
        assert!((zero - (-1.0f64).exp()).abs() < 0.005);
        // The same account, the same count, whichever niche it is under.
        let a = Unit {
            niche: "a".into(),
            platform: "x".into(),
            account: Some("acc".into()),
            ..Unit::default()
        };
        let b = Unit {
            niche: "b".into(),
            ..a.clone()
        };
        assert_eq!(unit_key(&a, 0), unit_key(&b, 5));
        let post = Unit {
            account: None,
            engagement_total: Some(3.0),
            ..a.clone()
        };
        assert_ne!(unit_key(&post, 0), unit_key(&post, 1), "alike posts told apart");
    }

    #[test]
    fn a_probit_shift_keeps_zero_and_one() {
        assert_eq!(probit_shift(0.0, 3.0), 0.0);
        assert_eq!(probit_shift(1.0, -3.0), 1.0);
        assert!(probit_shift(0.5, 0.5) > 0.5);
        assert!((probit_shift(0.5, 1.0) - 0.8413447).abs() < 1e-6);
    }
}
