//! Stage 4: [`Metrics`] -> [`Scored`]: demand × business × traffic, each in [0, 1], with
//! bootstrap intervals, rank stability and weight sensitivity. Pure.
//!
//! Each factor is a weighted mean of sub-factors; each sub-factor is a niche's mid-rank percentile
//! on one measure among the niches in the run that have that measure (so 0.5 is the middle of the
//! field, and no percentile is 0 or 1 exactly). A sub-factor without evidence is left out and the
//! weights of the rest are renormalised; a factor with no evidence is null, and so is the score.
//! Score = demand × business × traffic. Niches are ranked by score, with low-evidence niches
//! after all the others.

pub mod facts;
pub mod uncertainty;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::measure::{Metrics, NicheMetrics};

/// The three factors of the essay's formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Factor {
    Demand,
    Business,
    Traffic,
}

/// Higher is better, or lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
}

/// Reads one measure of a niche.
pub type Measure = fn(&NicheMetrics) -> Option<f64>;

/// One sub-factor: the measures it may use, its direction and default weight.
pub struct SubFactor {
    pub factor: Factor,
    pub name: &'static str,
    /// The measures to use, best first; the first one that some niche has is used for every niche.
    pub measures: &'static [(&'static str, Measure)],
    pub direction: Direction,
    pub weight: f64,
}

/// The sub-factors and their default weights (METHOD.md §3).
pub const SUB_FACTORS: &[SubFactor] = &[
    SubFactor {
        factor: Factor::Demand,
        name: "audience",
        measures: &[
            ("followers_total", |m| m.followers_total),
            ("engagement_total", |m| m.engagement_total),
        ],
        direction: Direction::Higher,
        weight: 0.4,
    },
    SubFactor {
        factor: Factor::Demand,
        name: "growth",
        measures: &[
            ("engagement_trend_weekly", |m| m.engagement_trend_weekly),
            ("follower_growth_monthly", |m| m.follower_growth_monthly),
        ],
        direction: Direction::Higher,
        weight: 0.2,
    },
    SubFactor {
        factor: Factor::Demand,
        name: "openness",
        measures: &[("gini", |m| m.gini)],
        direction: Direction::Lower,
        weight: 0.2,
    },
    SubFactor {
        factor: Factor::Demand,
        name: "mid_tier",
        measures: &[("mid_tier_median_er", |m| m.mid_tier_median_er)],
        direction: Direction::Higher,
        weight: 0.1,
    },
    SubFactor {
        factor: Factor::Demand,
        name: "newcomer_odds",
        measures: &[
            ("newcomer_breakout_odds", |m| m.newcomer_breakout_odds),
            ("breakout_rate", |m| m.breakout_rate),
        ],
        direction: Direction::Higher,
        weight: 0.1,
    },
    SubFactor {
        factor: Factor::Business,
        name: "sponsorship",
        measures: &[("sponsored_share", |m| m.sponsored_share)],
        direction: Direction::Higher,
        weight: 0.3,
    },
    SubFactor {
        factor: Factor::Business,
        name: "money",
        measures: &[
            ("price_per_10k_followers", |m| m.price_per_10k_followers),
            ("price_per_post_median", |m| m.price_per_post_median),
            ("earnings_monthly_median", |m| m.earnings_monthly_median),
        ],
        direction: Direction::Higher,
        weight: 0.3,
    },
    SubFactor {
        factor: Factor::Business,
        name: "value_at_scale",
        measures: &[
            ("head_engagement_per_post", |m| m.head_engagement_per_post),
            ("median_views_per_post", |m| m.median_views_per_post),
        ],
        direction: Direction::Higher,
        weight: 0.4,
    },
    SubFactor {
        factor: Factor::Business,
        name: "cost",
        measures: &[("posts_per_week", |m| m.posts_per_week)],
        direction: Direction::Lower,
        weight: 0.2,
    },
    SubFactor {
        factor: Factor::Traffic,
        name: "engagement_rate",
        measures: &[("engagement_rate", |m| m.engagement_rate)],
        direction: Direction::Higher,
        weight: 0.5,
    },
    SubFactor {
        factor: Factor::Traffic,
        name: "reach_per_post",
        measures: &[("median_views_per_post", |m| m.median_views_per_post)],
        direction: Direction::Higher,
        weight: 0.3,
    },
    SubFactor {
        factor: Factor::Traffic,
        name: "engagement_per_post",
        measures: &[("median_engagement_per_post", |m| m.median_engagement_per_post)],
        direction: Direction::Higher,
        weight: 0.2,
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
    /// Mid-rank percentile among the niches with a value (direction applied); null if no value.
    pub percentile: Option<f64>,
    pub weight: f64,
}

/// A central value and its 95% bootstrap interval.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Interval {
    pub low: Option<f64>,
    pub high: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoredNiche {
    pub rank: usize,
    #[serde(flatten)]
    pub metrics: NicheMetrics,
    pub demand: Option<f64>,
    pub business: Option<f64>,
    pub traffic: Option<f64>,
    pub score: Option<f64>,
    /// 95% bootstrap intervals of the factors and the score.
    pub intervals: BTreeMap<&'static str, Interval>,
    /// Share of resamples in which this niche ranked first.
    pub p_first: Option<f64>,
    /// Share of resamples in which this niche scored above the niche ranked just below it.
    pub p_above_next: Option<f64>,
    /// The niche ranked just below, that `p_above_next` compares with.
    pub next_niche: Option<String>,
    /// The 2.5% and 97.5% quantiles of its rank over the resamples.
    pub rank_interval: Option<(usize, usize)>,
    pub evidence: Vec<Evidence>,
    /// The niche on each platform it was seen on, scored against every niche × platform pair.
    pub by_platform: Vec<PlatformScore>,
    /// The platform to start on: the best-scoring one with enough evidence (else the best-scoring).
    pub start_on: Option<String>,
    /// How the niche fits you, with a profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal: Option<crate::profile::Personal>,
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
}

/// Score every niche × platform pair against each other; per niche, its pairs and the start pick.
fn platform_scores(metrics: &Metrics, weights: &Weights) -> Vec<(Vec<PlatformScore>, Option<String>)> {
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
        (*i, pm)
    });
    let all: Vec<NicheMetrics> = rows.iter().map(|r| r.1.clone()).collect();
    let f = factors(&all, &choose(&all), weights);
    let mut out: Vec<(Vec<PlatformScore>, Option<String>)> = vec![(Vec::new(), None); metrics.niches.len()];
    for ((i, pm), f) in rows.into_iter().zip(f) {
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
    out
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
    /// Which measure each sub-factor used in this run (the first one some niche had).
    pub measures_used: Vec<(&'static str, &'static str)>,
    /// The engagement-rate denominator used for the traffic factor.
    pub engagement_rate_basis: Option<&'static str>,
    pub engagement_components: Vec<&'static str>,
    pub weights: Weights,
    pub bootstrap: uncertainty::BootstrapSettings,
    pub sensitivity: Vec<Sensitivity>,
    /// The profile the personal scores used, if any.
    pub profile: Option<crate::profile::Profile>,
}

/// Mid-rank percentile of `x` among `all`: (below + ½·equal) / n.
pub fn percentile(x: f64, all: &[f64]) -> f64 {
    let below = all.iter().filter(|&&v| v < x).count() as f64;
    let equal = all.iter().filter(|&&v| v == x).count() as f64;
    (below + 0.5 * equal) / all.len() as f64
}

/// The factors and score of every niche, in the order given.
pub struct Factors {
    pub demand: Option<f64>,
    pub business: Option<f64>,
    pub traffic: Option<f64>,
    pub score: Option<f64>,
    pub evidence: Vec<Evidence>,
}

/// Which measure each sub-factor uses for this set of niches, and the engagement-rate basis.
pub struct Choice {
    pub measures: Vec<Option<(&'static str, Measure)>>,
    pub basis: Option<&'static str>,
}

/// Choose, once per run, the measure of each sub-factor and the engagement-rate basis. Resamples
/// and sensitivity runs reuse the choice, so they vary the data or the weights, not the method.
pub fn choose(niches: &[NicheMetrics]) -> Choice {
    let basis = if niches.iter().any(|n| n.engagement_rate_basis == Some("followers")) {
        Some("followers")
    } else if niches.iter().any(|n| n.engagement_rate_basis == Some("views")) {
        Some("views")
    } else {
        None
    };
    let measures = SUB_FACTORS
        .iter()
        .map(|sf| {
            sf.measures
                .iter()
                .find(|(_, get)| niches.iter().any(|n| get(n).is_some()))
                .copied()
        })
        .collect();
    Choice { measures, basis }
}

/// Score niches against each other with the given weights.
pub fn factors(niches: &[NicheMetrics], choice: &Choice, weights: &Weights) -> Vec<Factors> {
    let mut evidence: Vec<Vec<Evidence>> = vec![Vec::new(); niches.len()];
    for (sf, chosen) in SUB_FACTORS.iter().zip(&choice.measures) {
        let (measure, get) = match chosen {
            Some((name, get)) => (*name, Some(*get)),
            None => (sf.measures.first().map_or("", |m| m.0), None),
        };
        let value_of = |n: &NicheMetrics| {
            let v = get?(n)?;
            if sf.name == "engagement_rate" && n.engagement_rate_basis != choice.basis {
                return None;
            }
            v.is_finite().then_some(v)
        };
        let all: Vec<f64> = niches.iter().filter_map(value_of).collect();
        for (i, n) in niches.iter().enumerate() {
            let value = value_of(n);
            let percentile = value.map(|v| match sf.direction {
                Direction::Higher => percentile(v, &all),
                Direction::Lower => 1.0 - percentile(v, &all),
            });
            evidence[i].push(Evidence {
                factor: sf.factor,
                sub_factor: sf.name,
                measure,
                value,
                percentile,
                weight: weights.get(sf.name),
            });
        }
    }
    evidence
        .into_iter()
        .map(|ev| {
            let factor = |f: Factor| {
                let (sum, total) = ev
                    .iter()
                    .filter(|e| e.factor == f && e.weight > 0.0)
                    .filter_map(|e| e.percentile.map(|p| (p * e.weight, e.weight)))
                    .fold((0.0, 0.0), |(s, w), (ps, pw)| (s + ps, w + pw));
                (total > 0.0).then(|| sum / total)
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
            Factors {
                demand,
                business,
                traffic,
                score,
                evidence: ev,
            }
        })
        .collect()
}

/// Rank positions (0-based) for niches with these scores and evidence flags: enough evidence
/// first, then by score (highest first, no score last), then by name.
pub fn ranking(names: &[&str], scores: &[Option<f64>], low_evidence: &[bool]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        low_evidence[a]
            .cmp(&low_evidence[b])
            .then_with(|| match (scores[a], scores[b]) {
                (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| names[a].cmp(names[b])),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => names[a].cmp(names[b]),
            })
    });
    let mut rank = vec![0; names.len()];
    for (position, i) in order.into_iter().enumerate() {
        rank[i] = position;
    }
    rank
}

/// Score every niche, with intervals, rank stability and sensitivity.
pub fn compute(metrics: &Metrics, weights: &Weights, settings: &uncertainty::BootstrapSettings) -> Scored {
    let niches = &metrics.niches;
    let choice = choose(niches);
    let base = factors(niches, &choice, weights);
    let names: Vec<&str> = niches.iter().map(|n| n.niche.as_str()).collect();
    let low: Vec<bool> = niches.iter().map(|n| n.low_evidence).collect();
    let scores: Vec<Option<f64>> = base.iter().map(|f| f.score).collect();
    let rank = ranking(&names, &scores, &low);

    let boot = uncertainty::bootstrap(metrics, &choice, weights, settings, &rank);
    let mut by_platform = platform_scores(metrics, weights);
    let sensitivity = uncertainty::sensitivity(niches, &choice, weights, &rank);

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
            intervals: boot.intervals[i].clone(),
            p_first: boot.p_first[i],
            p_above_next: boot.p_above_next[i],
            next_niche: boot.next[i].map(|j| niches[j].niche.clone()),
            rank_interval: boot.rank_interval[i],
            evidence: f.evidence,
            by_platform: std::mem::take(&mut by_platform[i].0),
            start_on: by_platform[i].1.take(),
            personal: None,
        })
        .collect();
    scored.sort_by_key(|s| s.rank);
    let measures_used = SUB_FACTORS
        .iter()
        .zip(&choice.measures)
        .filter_map(|(sf, m)| m.map(|(name, _)| (sf.name, name)))
        .collect();
    Scored {
        niches: scored,
        measures_used,
        engagement_rate_basis: choice.basis,
        engagement_components: metrics.engagement_components.clone(),
        weights: weights.clone(),
        bootstrap: settings.clone(),
        sensitivity,
        profile: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mid_rank_percentiles() {
        let all = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(1.0, &all), 0.125);
        assert_eq!(percentile(4.0, &all), 0.875);
        assert_eq!(percentile(2.0, &[2.0, 2.0]), 0.5);
        assert_eq!(percentile(7.0, &[7.0]), 0.5);
    }

    fn niche(name: &str, followers: f64, sponsored: f64, er: f64) -> NicheMetrics {
        NicheMetrics {
            niche: name.to_string(),
            followers_total: Some(followers),
            sponsored_share: Some(sponsored),
            engagement_rate: Some(er),
            engagement_rate_basis: Some("followers"),
            ..NicheMetrics::default()
        }
    }

    #[test]
    fn a_near_zero_factor_sinks_a_niche_whatever_the_others() {
        // "sunk" leads on demand and traffic but is last on business (sponsorship).
        let niches = vec![
            niche("sunk", 9e6, 0.001, 0.09),
            niche("steady", 5e6, 0.3, 0.05),
            niche("other", 4e6, 0.25, 0.04),
            niche("fourth", 3e6, 0.2, 0.03),
        ];
        let f = factors(&niches, &choose(&niches), &Weights::default());
        let sunk = f[0].score.unwrap_or(1.0);
        assert!(f[0].demand > f[1].demand && f[0].traffic > f[1].traffic);
        assert!(
            sunk < f[1].score.unwrap_or(0.0),
            "a product sinks a niche weak on one factor"
        );
        assert!(f[0].business.unwrap_or(1.0) <= 0.125 + 1e-12);
    }

    #[test]
    fn missing_evidence_renormalises_and_a_missing_factor_nulls_the_score() {
        let mut a = niche("a", 1e6, 0.1, 0.05);
        let mut b = niche("b", 2e6, 0.2, 0.04);
        a.sponsored_share = None;
        b.sponsored_share = None;
        let niches = [a, b];
        let f = factors(&niches, &choose(&niches), &Weights::default());
        assert!(f[0].business.is_none(), "no business evidence at all");
        assert!(f[0].score.is_none(), "so no score, rather than a made-up one");
        assert!(f[0].demand.is_some() && f[0].traffic.is_some());
    }

    #[test]
    fn ranking_puts_low_evidence_last() {
        let r = ranking(&["a", "b", "c"], &[Some(0.9), Some(0.5), None], &[true, false, false]);
        assert_eq!(r, vec![2, 0, 1]);
    }
}
