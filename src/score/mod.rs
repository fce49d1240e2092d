//! Stage 4: [`Metrics`] -> [`Scored`]: demand × business × traffic, each in [0, 1], with
//! bootstrap intervals, rank stability and weight robustness. Pure.
//!
//! Method 2.2 (METHOD.md §3): each sub-factor maps one of the niche's own measures to [0, 1] on its
//! platform's scale — a share of the reference population of the niche's platform
//! ([`crate::reference`], calibrated from the crawl where no exact scale is published), a Gini
//! against a typical field's, or what an hour's work earns against an hour's wage — so a niche's
//! factors and score depend on its own rows and the reference (and, through a calibrated scale,
//! its platform's other niches) alone. Each factor is the weighted geometric mean of its
//! sub-factors ([`combine`]); a sub-factor without evidence is left out and the weights of the
//! rest are renormalised; a factor with no evidence is null, and so is the score. The rank
//! among the niches of a run is a display column, never the score.

pub mod facts;
pub mod me;
pub mod uncertainty;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::measure::{Metrics, NicheMetrics};
use crate::reference::{Reached, Reference};

/// The three factors of the essay's formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Factor {
    Demand,
    Business,
    Traffic,
}

/// How a measure becomes a sub-factor in [0, 1] (METHOD.md §3): every way is fixed, none looks at
/// other niches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// Already a share of the reference population (placed per account in the measure stage).
    Share,
    /// 1 − x, for a measure in [0, 1] where less is better (a Gini coefficient).
    OneMinus,
    /// The share of the reference population below x, on the reference scale of the measure's
    /// name for the niche's main platform.
    Reference,
    /// x^a ÷ (1 + x^a) with a = 1 / ln 10, for a ratio to a yardstick: 0 at nothing, ½ at par,
    /// and each tenfold more (or less) moves the logit by one (0.73 at 10×, 0.88 at 100×,
    /// 0.27 at a tenth).
    Ratio,
    /// A head quantile of shares against the same quantile of as many accounts drawn from the
    /// reference: Φ(Φ⁻¹(x) − Φ⁻¹((0.9 (n − 1) + 1) ÷ (n + 1))), n the accounts it is taken over
    /// (the expected 90th percentile of n uniform shares): ½ for a niche whose accounts are drawn
    /// from their platform's reference, whatever n.
    Head,
    /// A Gini coefficient G against G_ref, that of a typical field of accounts on the niche's
    /// platform (1,000 accounts at evenly spaced shares of its follower scale): Φ(Φ⁻¹(1 − G) −
    /// Φ⁻¹(1 − G_ref)), so ½ where the niche is as concentrated as such a field, above ½ where
    /// the field is more open. 1 − G where no reference field is known.
    Openness,
}

/// Reads one measure of a niche.
pub type Measure = fn(&NicheMetrics) -> Option<f64>;

/// One sub-factor: the measures it may use, how it scales them and its default weight.
pub struct SubFactor {
    pub factor: Factor,
    pub name: &'static str,
    /// The measures to use, best first; each niche uses the first one it has.
    pub measures: &'static [(&'static str, Measure)],
    pub scaling: Scaling,
    pub weight: f64,
    /// Why the weight is what it is (METHOD.md §3).
    pub why: &'static str,
}

/// The sub-factors and their default weights (METHOD.md §3).
pub const SUB_FACTORS: &[SubFactor] = &[
    SubFactor {
        factor: Factor::Demand,
        name: "audience",
        measures: &[("head_followers_share", |m| m.head_followers_share)],
        scaling: Scaling::Head,
        weight: 0.5,
        why: "question 1's first half, how many people want such an account: half of demand",
    },
    SubFactor {
        factor: Factor::Demand,
        name: "growth",
        measures: &[
            ("search_trend_monthly", |m| m.search_trend_monthly),
            ("follower_growth_monthly", |m| m.follower_growth_monthly),
            ("engagement_trend_monthly", |m| m.engagement_trend_monthly),
        ],
        scaling: Scaling::Reference,
        weight: 0.3,
        why: "question 1's second half, growing or shrinking (demand signals first: searches measure need directly); a trend is noisier than a level, so less than audience",
    },
    SubFactor {
        factor: Factor::Demand,
        name: "openness",
        measures: &[("gini", |m| m.gini)],
        scaling: Scaling::Openness,
        weight: 0.2,
        why: "question 2, how the field is shared between head and mid-tier: the rest of demand",
    },
    SubFactor {
        factor: Factor::Business,
        name: "value_per_hour",
        measures: &[("value_ratio", |m| m.value_ratio)],
        scaling: Scaling::Ratio,
        weight: 1.0,
        why: "questions 4-6 in one number: what an hour of the work earns (ad share, sponsored posts or observed earnings) against an hour's wage",
    },
    SubFactor {
        factor: Factor::Traffic,
        name: "engagement_rate",
        measures: &[("engagement_rate_share", |m| m.engagement_rate_share)],
        scaling: Scaling::Share,
        weight: 0.5,
        why: "does the audience respond (against accounts of the same platform and size); no outcome to calibrate on, so equal to reach",
    },
    SubFactor {
        factor: Factor::Traffic,
        name: "reach_per_post",
        measures: &[("views_share", |m| m.views_share)],
        scaling: Scaling::Share,
        weight: 0.5,
        why: "does the platform show the posts; equal to engagement rate",
    },
];

/// Weights per sub-factor; defaults from [`SUB_FACTORS`], overridden by a config file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weights(pub BTreeMap<&'static str, f64>);

impl Default for Weights {
    fn default() -> Self {
        Weights(SUB_FACTORS.iter().map(|s| (s.name, s.weight)).collect())
    }
}

impl Weights {
    pub fn get(&self, name: &str) -> f64 {
        self.0.get(name).copied().unwrap_or(0.0)
    }
}

/// One sub-factor's contribution to one niche.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub factor: Factor,
    pub sub_factor: &'static str,
    pub measure: &'static str,
    /// The niche's value of the measure; null where it has none.
    pub value: Option<f64>,
    /// The sub-factor on its fixed scale, in [0, 1]; null if no value.
    pub scale: Option<f64>,
    pub weight: f64,
    /// The scale or money fact behind it is provisional (another platform's, or a weak source's).
    pub provisional: bool,
}

/// A central value and its 95% bootstrap interval.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Interval {
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The resamples' median minus the point estimate, where it is material (more than a
    /// quarter of the interval's half-width): the bootstrap is then off centre, and the point
    /// may even lie outside the interval, which is never stretched to reach it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoredNiche {
    /// Its place among the niches of this run (a display column: the score does not depend on it).
    pub rank: usize,
    #[serde(flatten)]
    pub metrics: NicheMetrics,
    pub demand: Option<f64>,
    pub business: Option<f64>,
    pub traffic: Option<f64>,
    pub score: Option<f64>,
    /// Where business is unknown: demand × traffic, the most the score could be.
    pub score_ceiling: Option<f64>,
    /// 95% bootstrap intervals of the factors and the score.
    pub intervals: BTreeMap<&'static str, Interval>,
    /// Why there are no intervals, where there are none though resamples were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_note: Option<String>,
    /// Share of resamples in which this niche ranked first.
    pub p_first: Option<f64>,
    /// Share of resamples in which this niche scored above the niche ranked just below it.
    pub p_above_next: Option<f64>,
    /// The niche ranked just below, that `p_above_next` compares with.
    pub next_niche: Option<String>,
    /// The 2.5% and 97.5% quantiles of its rank over the resamples.
    pub rank_interval: Option<(usize, usize)>,
    pub evidence: Vec<Evidence>,
    /// The niche on each platform it was seen on, each scored on its own platform's reference.
    pub by_platform: Vec<PlatformScore>,
    /// The platform to start on: the best-scoring one with enough evidence (else the best-scoring).
    pub start_on: Option<String>,
    /// How sure that pick is against the runner-up platform, from the resamples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_on_margin: Option<StartOnMargin>,
    /// How the niche fits you, with a profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal: Option<crate::profile::Personal>,
    /// Each resample's (score, reach sub-factor), for the personal score's interval (not output).
    #[serde(skip)]
    pub draws: Vec<(Option<f64>, Option<f64>)>,
}

/// One niche on one platform (questions 8 and 9: where is the audience, what does it reward).
#[derive(Debug, Clone, Serialize)]
pub struct PlatformScore {
    pub platform: String,
    pub accounts: Option<u64>,
    pub posts: Option<u64>,
    pub engagement_rate: Option<f64>,
    pub engagement_rate_basis: Option<&'static str>,
    pub median_engagement_per_post: Option<f64>,
    pub median_views_per_post: Option<f64>,
    pub posts_per_week: Option<f64>,
    pub breakout_rate: Option<f64>,
    pub sponsored_share: Option<f64>,
    pub format_mix: BTreeMap<String, f64>,
    pub low_evidence: bool,
    pub demand: Option<f64>,
    pub business: Option<f64>,
    pub traffic: Option<f64>,
    pub score: Option<f64>,
    pub score_ceiling: Option<f64>,
    /// 95% bootstrap intervals of its factors and score.
    pub intervals: BTreeMap<&'static str, Interval>,
}

/// Score every niche × platform pair on its own platform's reference; per niche, its pairs and
/// the start pick.
fn platform_scores(
    metrics: &Metrics,
    weights: &Weights,
    settings: &uncertainty::BootstrapSettings,
    niche_intervals: &[BTreeMap<&'static str, Interval>],
) -> PlatformScores {
    let mut groups: Vec<(usize, &str, Vec<&crate::measure::Unit>)> = Vec::new();
    for (i, units) in metrics.units.iter().enumerate() {
        let mut by_platform: BTreeMap<&str, Vec<&crate::measure::Unit>> = BTreeMap::new();
        for u in units {
            by_platform.entry(u.platform.as_str()).or_default().push(u);
        }
        groups.extend(by_platform.into_iter().map(|(p, list)| (i, p, list)));
    }
    let rows: Vec<(usize, NicheMetrics)> = crate::par::map(&groups, |(i, platform, list)| {
        let mut pm = crate::measure::niche::measure(&metrics.niches[*i].niche, list, metrics.context, &metrics.params);
        pm.platforms = vec![platform.to_string()];
        // A demand signal belongs to the niche, on every platform.
        pm.search_trend_monthly = metrics.niches[*i].search_trend_monthly;
        (*i, pm)
    });
    let f: Vec<Factors> = rows
        .iter()
        .map(|(_, m)| factors(m, weights, &metrics.params.reference))
        .collect();
    // Intervals: a niche on one platform is its own pair (the same units, the same draws); the
    // pairs of niches on several platforms are resampled on their own, each seeded by its niche
    // and platform.
    let whole = |g: &(usize, &str, Vec<&crate::measure::Unit>)| g.2.len() == metrics.units[g.0].len();
    let split: Vec<usize> = (0..groups.len()).filter(|&k| !whole(&groups[k])).collect();
    let boot = uncertainty::bootstrap_units(
        &split.iter().map(|&k| rows[k].1.clone()).collect::<Vec<_>>(),
        &split.iter().map(|&k| groups[k].2.clone()).collect::<Vec<_>>(),
        metrics,
        weights,
        settings,
        None,
        &split
            .iter()
            .map(|&k| Factors {
                demand: f[k].demand,
                business: f[k].business,
                traffic: f[k].traffic,
                score: f[k].score,
                ceiling: f[k].ceiling,
                evidence: Vec::new(),
            })
            .collect::<Vec<_>>(),
    );
    // Each split pair's resampled scores (a whole niche has one pair: nothing to compare).
    let mut pair_draws: Vec<Vec<Option<f64>>> = vec![Vec::new(); groups.len()];
    for (k, draws) in split.iter().zip(&boot.draws) {
        pair_draws[*k] = draws.iter().map(|d| d.0).collect();
    }
    let mut split_intervals = boot.intervals.into_iter();
    let intervals: Vec<BTreeMap<&'static str, Interval>> = groups
        .iter()
        .map(|g| {
            let all = if whole(g) {
                niche_intervals.get(g.0).cloned().unwrap_or_default()
            } else {
                split_intervals.next().unwrap_or_default()
            };
            all.into_iter()
                .filter(|(k, _)| ["demand", "business", "traffic", "score"].contains(k))
                .collect()
        })
        .collect();
    let mut out: Vec<(Vec<PlatformScore>, Option<String>)> = vec![(Vec::new(), None); metrics.niches.len()];
    let mut draws_of: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); metrics.niches.len()];
    for ((i, _), d) in rows.iter().zip(&mut pair_draws) {
        draws_of[*i].push(std::mem::take(d));
    }
    for (((i, pm), f), intervals) in rows.into_iter().zip(f).zip(intervals) {
        out[i].0.push(PlatformScore {
            platform: pm.platforms.first().cloned().unwrap_or_default(),
            accounts: pm.accounts,
            posts: pm.posts,
            engagement_rate: pm.engagement_rate,
            engagement_rate_basis: pm.engagement_rate_basis,
            median_engagement_per_post: pm.median_engagement_per_post,
            median_views_per_post: pm.median_views_per_post,
            posts_per_week: pm.posts_per_week,
            breakout_rate: pm.breakout_rate,
            sponsored_share: pm.sponsored_share,
            format_mix: pm.format_mix,
            low_evidence: pm.low_evidence,
            demand: f.demand,
            business: f.business,
            traffic: f.traffic,
            score: f.score,
            score_ceiling: f.ceiling,
            intervals,
        });
    }
    for (list, pick) in &mut out {
        let best = |pool: &mut dyn Iterator<Item = &PlatformScore>| {
            pool.filter(|p| p.score.is_some())
                .max_by(|a, b| {
                    a.score
                        .unwrap_or(0.0)
                        .total_cmp(&b.score.unwrap_or(0.0))
                        .then(b.platform.cmp(&a.platform))
                })
                .map(|p| p.platform.clone())
        };
        *pick = best(&mut list.iter().filter(|p| !p.low_evidence))
            .or_else(|| best(&mut list.iter()))
            .or_else(|| (list.len() == 1).then(|| list[0].platform.clone()));
    }
    let margins = out
        .iter()
        .zip(&draws_of)
        .map(|((list, pick), draws)| start_on_margin(list, pick.as_deref(), draws))
        .collect();
    (out, margins)
}

/// Per niche: its pairs and the platform to start on; and how sure that pick is.
type PlatformScores = (Vec<(Vec<PlatformScore>, Option<String>)>, Vec<Option<StartOnMargin>>);

/// How sure the platform to start on is: the runner-up (the best-scoring other pair) and the
/// share of resamples in which the pick scored above it (ties count half). `None` where the niche
/// has one pair, or no resamples compare the two.
fn start_on_margin(list: &[PlatformScore], pick: Option<&str>, draws: &[Vec<Option<f64>>]) -> Option<StartOnMargin> {
    let at = list.iter().position(|p| Some(p.platform.as_str()) == pick)?;
    let next = (0..list.len())
        .filter(|&k| k != at && list[k].score.is_some())
        .max_by(|&a, &b| {
            list[a]
                .score
                .unwrap_or(0.0)
                .total_cmp(&list[b].score.unwrap_or(0.0))
                .then(list[b].platform.cmp(&list[a].platform))
        })?;
    let pairs: Vec<(f64, f64)> = draws
        .get(at)?
        .iter()
        .zip(draws.get(next)?)
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let wins: f64 = pairs
        .iter()
        .map(|(a, b)| match a.total_cmp(b) {
            std::cmp::Ordering::Greater => 1.0,
            std::cmp::Ordering::Equal => 0.5,
            std::cmp::Ordering::Less => 0.0,
        })
        .sum();
    let share = wins / pairs.len() as f64;
    Some(StartOnMargin {
        over: list[next].platform.clone(),
        share,
        clear: !(START_ON_UNCLEAR.0..=START_ON_UNCLEAR.1).contains(&share),
    })
}

/// Between these shares of resamples, the pick and the runner-up are not told apart: the data
/// show no clear difference between the two platforms.
pub const START_ON_UNCLEAR: (f64, f64) = (0.1, 0.9);

/// How sure `start_on` is (question 8).
#[derive(Debug, Clone, Serialize)]
pub struct StartOnMargin {
    /// The best-scoring other platform.
    pub over: String,
    /// The share of resamples in which the pick scored above it.
    pub share: f64,
    /// Whether the data tell the two apart (the share outside 10%–90%).
    pub clear: bool,
}

/// How the ranks move when one weight moves (data for a tornado chart).
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    pub sub_factor: &'static str,
    pub weight: f64,
    /// Scores and ranks with the weight at half and at one and a half times its value.
    pub low: Vec<(String, Option<f64>, usize)>,
    pub high: Vec<(String, Option<f64>, usize)>,
    /// Niches whose rank changes at either end.
    pub rank_changes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    pub niches: Vec<ScoredNiche>,
    /// Which measures each sub-factor used in this run (each niche uses the first it has).
    pub measures_used: Vec<(&'static str, &'static str)>,
    /// The engagement-rate denominator used for the traffic factor.
    pub engagement_rate_basis: Option<&'static str>,
    pub engagement_components: Vec<&'static str>,
    pub weights: Weights,
    pub bootstrap: uncertainty::BootstrapSettings,
    pub sensitivity: Vec<Sensitivity>,
    /// How often the top pick stays on top when the weights are drawn at random around the
    /// defaults.
    pub robustness: Option<uncertainty::Robustness>,
    /// The reference the niches were scored against.
    pub reference: ReferenceUsed,
    /// How each platform's scale for each measure was set: the reference, the crawl or both.
    pub calibration: Vec<crate::measure::calibrate::Calibration>,
    /// Your account against each niche (`--me`).
    pub me: Option<me::Me>,
    /// The profile the personal scores used, if any.
    pub profile: Option<crate::profile::Profile>,
}

/// The factors and score of one niche.
pub struct Factors {
    pub demand: Option<f64>,
    pub business: Option<f64>,
    pub traffic: Option<f64>,
    pub score: Option<f64>,
    /// demand × traffic where business alone is unknown: the most the score could be.
    pub ceiling: Option<f64>,
    pub evidence: Vec<Evidence>,
}

/// [`Scaling::Ratio`].
pub fn ratio_scale(r: f64) -> f64 {
    if r <= 0.0 {
        return 0.0;
    }
    let x = r.powf(1.0 / std::f64::consts::LN_10);
    x / (1.0 + x)
}

/// [`Scaling::Head`]: `share`, the 90th percentile of `n` accounts' shares, against the same
/// percentile of `n` accounts drawn from the reference.
pub fn head_scale(share: f64, n: u64) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let expected = (crate::measure::placed::HEAD_QUANTILE * (n - 1.0) + 1.0) / (n + 1.0);
    Some(probit_shift(share, -probit(expected)))
}

/// [`Scaling::Openness`]: `gini` against that of a typical field of as many accounts.
pub fn openness_scale(gini: f64, reference: Option<f64>) -> f64 {
    let open = (1.0 - gini).clamp(0.0, 1.0);
    match reference {
        Some(g) => probit_shift(open, -probit(1.0 - g)),
        None => open,
    }
}

/// Φ⁻¹, the standard normal quantile (±8.3 at the ends).
pub fn probit(p: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().inverse_cdf(p.clamp(1e-16, 1.0 - 1e-16))
}

/// A share moved by `by` on the probit scale (0 and 1 stay where they are).
pub fn probit_shift(p: f64, by: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    if p <= 0.0 || p >= 1.0 || by == 0.0 {
        return p;
    }
    Normal::standard().cdf(probit(p) + by)
}

/// Scores niches on one reference with one set of weights. A measure's scales on a platform are
/// looked up once and kept (a lookup walks the platform's proxies and scans every scale of the
/// reference), as are the weights by sub-factor: the bootstrap scores a niche's resamples one
/// after another, all on the same scales. The same numbers as looking them up each time.
pub struct Scorer<'r> {
    reference: &'r Reference,
    /// Per entry of [`SUB_FACTORS`].
    weights: Vec<f64>,
    /// (measure, platform) → its scales, as looked up so far.
    reached: Vec<(&'static str, String, Option<Reached<'r>>)>,
}

impl<'r> Scorer<'r> {
    pub fn new(weights: &Weights, reference: &'r Reference) -> Scorer<'r> {
        Scorer {
            reference,
            weights: SUB_FACTORS.iter().map(|sf| weights.get(sf.name)).collect(),
            reached: Vec::new(),
        }
    }

    /// `x` of `measure` on `platform` placed on the reference: its share and whether it is
    /// provisional ([`Reached::share_of`]).
    fn place(&mut self, measure: &'static str, platform: &str, x: f64) -> Option<(f64, bool)> {
        let at = match self.reached.iter().position(|(m, p, _)| *m == measure && p == platform) {
            Some(at) => at,
            None => {
                let reached = self.reference.reached(measure, platform);
                self.reached.push((measure, platform.to_string(), reached));
                self.reached.len() - 1
            }
        };
        self.reached[at].2.as_ref()?.share_of(x, None)
    }

    /// One sub-factor of niche `n`: the measure used, its value, its scaled value and whether
    /// the scale was provisional.
    fn sub_factor(&mut self, sf: &SubFactor, n: &NicheMetrics) -> (&'static str, Option<f64>, Option<f64>, bool) {
        let chosen = sf
            .measures
            .iter()
            .find_map(|(name, get)| get(n).filter(|v| v.is_finite()).map(|v| (*name, v)));
        let Some((measure, value)) = chosen else {
            return (sf.measures.first().map_or("", |m| m.0), None, None, false);
        };
        let provisional = n.provisional.iter().any(|p| p == measure);
        let (scaled, provisional) = match sf.scaling {
            Scaling::Share => (Some(value.clamp(0.0, 1.0)), provisional),
            Scaling::OneMinus => (Some((1.0 - value).clamp(0.0, 1.0)), provisional),
            Scaling::Ratio => (Some(ratio_scale(value)), provisional),
            Scaling::Head => (head_scale(value.clamp(0.0, 1.0), n.head_accounts), provisional),
            Scaling::Openness => (Some(openness_scale(value, n.reference_gini)), provisional),
            Scaling::Reference => {
                let platform = n.main_platform.as_deref().unwrap_or("*");
                match self.place(measure, platform, value) {
                    Some((share, provisional)) => (Some(share), provisional),
                    None => (None, false),
                }
            }
        };
        (measure, Some(value), scaled, provisional)
    }

    /// Score one niche on its platform's scales: its own measures and the reference are all it
    /// reads.
    pub fn factors(&mut self, n: &NicheMetrics) -> Factors {
        let evidence: Vec<Evidence> = SUB_FACTORS
            .iter()
            .enumerate()
            .map(|(i, sf)| {
                let (measure, value, scale, provisional) = self.sub_factor(sf, n);
                Evidence {
                    factor: sf.factor,
                    sub_factor: sf.name,
                    measure,
                    value,
                    scale,
                    weight: self.weights[i],
                    provisional: provisional && scale.is_some(),
                }
            })
            .collect();
        combine(evidence)
    }
}

/// Score one niche on its platform's scales with the given weights ([`Scorer::factors`]).
pub fn factors(n: &NicheMetrics, weights: &Weights, reference: &Reference) -> Factors {
    Scorer::new(weights, reference).factors(n)
}

/// `f` under other weights: the same evidence, each sub-factor weighed anew and combined (what
/// [`factors`] with those weights gives, without placing every measure again).
pub fn reweigh(f: &Factors, weights: &Weights) -> Factors {
    combine(
        f.evidence
            .iter()
            .map(|e| Evidence {
                weight: weights.get(e.sub_factor),
                ..e.clone()
            })
            .collect(),
    )
}

/// The factors and score from each sub-factor's scaled value and weight: each factor is the
/// weighted geometric mean of its sub-factors with evidence, Π s^(w ÷ Σw) (method 2.2, METHOD.md
/// §3: the quantities behind a factor's sub-factors multiply, as the factors do), so the score is
/// one product of every sub-factor, each to the power of its share of its factor's weight.
pub fn combine(evidence: Vec<Evidence>) -> Factors {
    let factor = |f: Factor| {
        // (Read twice rather than gathered: the bootstrap combines every resample's evidence.)
        let parts = || {
            evidence
                .iter()
                .filter(move |e| e.factor == f && e.weight > 0.0)
                .filter_map(|e| e.scale.map(|s| (s, e.weight)))
        };
        let total: f64 = parts().map(|(_, w)| w).sum();
        // A factor of one sub-factor is that sub-factor, to the bit (s^1 = s).
        (total > 0.0).then(|| parts().map(|(s, w)| s.max(0.0).powf(w / total)).product())
    };
    let (demand, business, traffic) = (
        factor(Factor::Demand),
        factor(Factor::Business),
        factor(Factor::Traffic),
    );
    let score = match (demand, business, traffic) {
        (Some(d), Some(b), Some(t)) => Some(d * b * t),
        _ => None,
    };
    let ceiling = match (demand, business, traffic) {
        (Some(d), None, Some(t)) => Some(d * t),
        _ => None,
    };
    Factors {
        demand,
        business,
        traffic,
        score,
        ceiling,
        evidence,
    }
}

/// Rank positions (0-based) for niches with these scores and evidence flags: enough evidence
/// first, then by score (highest first), then niches whose business is unknown by their
/// ceiling, then the rest; ties by name.
pub fn ranking(names: &[&str], scores: &[Option<f64>], ceilings: &[Option<f64>], low_evidence: &[bool]) -> Vec<usize> {
    let key = |i: usize| match (scores[i], ceilings.get(i).copied().flatten()) {
        (Some(s), _) => (0u8, s),
        (None, Some(c)) => (1, c),
        (None, None) => (2, 0.0),
    };
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        low_evidence[a]
            .cmp(&low_evidence[b])
            .then(ka.0.cmp(&kb.0))
            .then_with(|| kb.1.total_cmp(&ka.1))
            .then_with(|| names[a].cmp(names[b]))
    });
    let mut rank = vec![0; names.len()];
    for (position, i) in order.into_iter().enumerate() {
        rank[i] = position;
    }
    rank
}

/// The reference a run was scored against, as every output names it.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceUsed {
    pub name: String,
    pub date: String,
    /// The built-in file's path in the repository, or the file given.
    pub origin: String,
}

/// Score every niche, with intervals, rank stability, sensitivity and weight robustness.
pub fn compute(metrics: &Metrics, weights: &Weights, settings: &uncertainty::BootstrapSettings) -> Scored {
    let niches = &metrics.niches;
    let reference = &metrics.params.reference;
    let base: Vec<Factors> = niches.iter().map(|n| factors(n, weights, reference)).collect();
    let names: Vec<&str> = niches.iter().map(|n| n.niche.as_str()).collect();
    let low: Vec<bool> = niches.iter().map(|n| n.low_evidence).collect();
    let scores: Vec<Option<f64>> = base.iter().map(|f| f.score).collect();
    let ceilings: Vec<Option<f64>> = base.iter().map(|f| f.ceiling).collect();
    let rank = ranking(&names, &scores, &ceilings, &low);

    let mut boot = uncertainty::bootstrap(metrics, weights, settings, &rank, &base);
    // Where business alone is unknown it could be anything: its interval is [0, 1], and the
    // score's runs from 0 to the most demand × traffic could be.
    for (f, intervals) in base.iter().zip(&mut boot.intervals) {
        if f.business.is_none() && f.ceiling.is_some() && settings.resamples > 0 && !intervals.is_empty() {
            let high = |key: &str, point: Option<f64>| intervals.get(key).and_then(|i| i.high).or(point);
            let ceiling = high("demand", f.demand)
                .zip(high("traffic", f.traffic))
                .map(|(d, t)| d * t);
            intervals.insert(
                "business",
                Interval {
                    low: Some(0.0),
                    high: Some(1.0),
                    bias: None,
                },
            );
            intervals.insert(
                "score",
                Interval {
                    low: Some(0.0),
                    high: ceiling,
                    bias: None,
                },
            );
        }
    }
    let t = crate::timing::Timer::start("  platforms");
    let (mut by_platform, margins) = platform_scores(metrics, weights, settings, &boot.intervals);
    t.done();
    let t = crate::timing::Timer::start("  sensitivity and robustness");
    // (The what-ifs reweigh the point estimates' evidence.)
    let sensitivity = uncertainty::sensitivity(niches, weights, &base, &rank);
    let robustness = uncertainty::robustness(niches, weights, &base, &rank, settings.seed);
    t.done();

    let mut scored: Vec<ScoredNiche> = niches
        .iter()
        .zip(base)
        .enumerate()
        .map(|(i, (m, f))| ScoredNiche {
            rank: rank[i] + 1,
            metrics: m.clone(),
            demand: f.demand,
            business: f.business,
            traffic: f.traffic,
            score: f.score,
            score_ceiling: f.ceiling,
            intervals: boot.intervals[i].clone(),
            interval_note: (settings.resamples > 0 && metrics.units[i].len() < uncertainty::MIN_INTERVAL_UNITS).then(
                || {
                    format!(
                        "no interval: {} account(s); a bootstrap of fewer than {} understates the doubt",
                        metrics.units[i].len(),
                        uncertainty::MIN_INTERVAL_UNITS
                    )
                },
            ),
            p_first: boot.p_first[i],
            p_above_next: boot.p_above_next[i],
            next_niche: boot.next[i].map(|j| niches[j].niche.clone()),
            rank_interval: boot.rank_interval[i],
            evidence: f.evidence,
            by_platform: std::mem::take(&mut by_platform[i].0),
            start_on: by_platform[i].1.take(),
            start_on_margin: margins[i].clone(),
            personal: None,
            draws: boot.draws.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    scored.sort_by_key(|s| s.rank);
    // Which measure each sub-factor used, over the niches (each niche uses the first it has).
    let mut measures_used: Vec<(&'static str, &'static str)> = Vec::new();
    for sf in SUB_FACTORS {
        for (name, _) in sf.measures {
            let used = scored.iter().any(|n| {
                n.evidence
                    .iter()
                    .any(|e| e.sub_factor == sf.name && e.measure == *name && e.value.is_some())
            });
            if used {
                measures_used.push((sf.name, name));
            }
        }
    }
    let basis = if niches.iter().any(|n| n.engagement_rate_basis == Some("followers")) {
        Some("followers")
    } else if niches.iter().any(|n| n.engagement_rate_basis == Some("views")) {
        Some("views")
    } else {
        None
    };
    Scored {
        niches: scored,
        measures_used,
        engagement_rate_basis: basis,
        engagement_components: metrics.engagement_components.clone(),
        weights: weights.clone(),
        bootstrap: settings.clone(),
        sensitivity,
        robustness,
        reference: ReferenceUsed {
            name: reference.name.clone(),
            date: reference.date.clone(),
            origin: reference.origin.clone(),
        },
        calibration: metrics.calibration.clone(),
        me: me::compare(metrics),
        profile: None,
    }
}

#[cfg(test)]
mod tests;
