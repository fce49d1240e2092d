//! Stage 4: [`Metrics`] -> [`Scored`]: demand × business × traffic, each in [0, 1]. Pure.
//!
//! Method 0.1 (METHOD.md §3): each factor is a weighted mean of sub-factors; each sub-factor is a
//! niche's mid-rank percentile on one measure among the niches in the run that have that measure
//! (so 0.5 is the middle of the field, and no percentile is 0 or 1 exactly). A sub-factor without
//! evidence is left out and the weights of the rest are renormalised; a factor with no evidence is
//! null, and so is the score. Score = demand × business × traffic. Niches are ranked by score,
//! with low-evidence niches after all the others.

use serde::Serialize;

use crate::measure::{Metrics, NicheMetrics};

/// The three factors of the essay's formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// One sub-factor: a measure, its direction and weight.
pub struct SubFactor {
    pub factor: Factor,
    pub name: &'static str,
    /// The measures to use, best first; the first one that some niche has is used for every niche.
    pub measures: &'static [(&'static str, Measure)],
    pub direction: Direction,
    pub weight: f64,
}

/// Method 0.1's sub-factors (METHOD.md §3).
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
        measures: &[("engagement_trend_weekly", |m| m.engagement_trend_weekly)],
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
        weight: 0.2,
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

#[derive(Debug, Clone, Serialize)]
pub struct ScoredNiche {
    pub rank: usize,
    #[serde(flatten)]
    pub metrics: NicheMetrics,
    pub demand: Option<f64>,
    pub business: Option<f64>,
    pub traffic: Option<f64>,
    pub score: Option<f64>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    pub niches: Vec<ScoredNiche>,
    /// Which measure each sub-factor used in this run (the first one some niche had).
    pub measures_used: Vec<(&'static str, &'static str)>,
    /// The engagement-rate denominator used for the traffic factor.
    pub engagement_rate_basis: Option<&'static str>,
    pub engagement_components: Vec<&'static str>,
}

/// Mid-rank percentile of `x` among `all`: (below + ½·equal) / n.
pub fn percentile(x: f64, all: &[f64]) -> f64 {
    let below = all.iter().filter(|&&v| v < x).count() as f64;
    let equal = all.iter().filter(|&&v| v == x).count() as f64;
    (below + 0.5 * equal) / all.len() as f64
}

/// Score every niche and sort by score, highest first (niches without a score last, by name).
pub fn compute(metrics: &Metrics) -> Scored {
    let niches = &metrics.niches;
    // The traffic factor compares engagement rates only on one denominator.
    let basis = if niches.iter().any(|n| n.engagement_rate_basis == Some("followers")) {
        Some("followers")
    } else if niches.iter().any(|n| n.engagement_rate_basis == Some("views")) {
        Some("views")
    } else {
        None
    };

    let mut evidence: Vec<Vec<Evidence>> = vec![Vec::new(); niches.len()];
    let mut measures_used = Vec::new();
    for sf in SUB_FACTORS {
        let chosen = sf
            .measures
            .iter()
            .find(|(_, get)| niches.iter().any(|n| get(n).is_some()));
        let Some(&(measure, get)) = chosen.or(sf.measures.first()) else {
            continue;
        };
        if chosen.is_some() {
            measures_used.push((sf.name, measure));
        }
        let value_of = |n: &NicheMetrics| {
            let v = get(n)?;
            if sf.name == "engagement_rate" && n.engagement_rate_basis != basis {
                return None;
            }
            Some(v)
        };
        let all: Vec<f64> = niches.iter().filter_map(value_of).collect();
        for (i, n) in niches.iter().enumerate() {
            let value = value_of(n);
            let percentile = value.map(|v| {
                let p = percentile(v, &all);
                match sf.direction {
                    Direction::Higher => p,
                    Direction::Lower => 1.0 - p,
                }
            });
            evidence[i].push(Evidence {
                factor: sf.factor,
                sub_factor: sf.name,
                measure,
                value,
                percentile,
                weight: sf.weight,
            });
        }
    }

    let mut scored: Vec<ScoredNiche> = niches
        .iter()
        .zip(evidence)
        .map(|(m, ev)| {
            let factor = |f: Factor| {
                let (sum, weights) = ev
                    .iter()
                    .filter(|e| e.factor == f)
                    .filter_map(|e| e.percentile.map(|p| (p * e.weight, e.weight)))
                    .fold((0.0, 0.0), |(s, w), (ps, pw)| (s + ps, w + pw));
                (weights > 0.0).then(|| sum / weights)
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
            ScoredNiche {
                rank: 0,
                metrics: m.clone(),
                demand,
                business,
                traffic,
                score,
                evidence: ev,
            }
        })
        .collect();
    // Niches with enough evidence rank first; low-evidence niches follow, so that a niche seen in
    // two posts never heads the table. Within each group: score, highest first, then name.
    scored.sort_by(|a, b| {
        a.metrics
            .low_evidence
            .cmp(&b.metrics.low_evidence)
            .then_with(|| match (a.score, b.score) {
                (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.metrics.niche.cmp(&b.metrics.niche)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.metrics.niche.cmp(&b.metrics.niche),
            })
    });
    for (i, s) in scored.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    Scored {
        niches: scored,
        measures_used,
        engagement_rate_basis: basis,
        engagement_components: metrics.engagement_components.clone(),
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
}
