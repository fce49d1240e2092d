//! The essay's ten questions as typed facts: for each question, the measures of a scored niche that
//! bear on it (a struct per question), filled here from the niche's metrics, scores and the
//! profile, and rendered in both languages by the report (`report::prose`). A fact without a
//! value is left out of the JSON, and a question with none has no evidence in these inputs.
//!
//! The JSON of each struct is the `facts` object of a question in report.json; the report reads it
//! back by the question's number ([`Facts::from_json`]), so the names are written once, here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ScoredNiche;
use crate::measure::style::Lift;

/// Whether a number is shown: a JSON number, not null (a non-finite float is written as null).
fn hidden(v: &Option<f64>) -> bool {
    v.is_none_or(|v| !v.is_finite())
}

fn no_count(v: &Option<u64>) -> bool {
    v.is_none()
}

fn none<T>(v: &Option<T>) -> bool {
    v.is_none()
}

fn empty<T>(v: &[T]) -> bool {
    v.is_empty()
}

fn no_map<K, V>(v: &BTreeMap<K, V>) -> bool {
    v.is_empty()
}

/// 1. How many people need such an account; is the need growing or shrinking?
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Need {
    #[serde(skip_serializing_if = "hidden")]
    pub head_followers_share: Option<f64>,
    /// The monthly trend of the niche's demand signal (`--signals`).
    #[serde(skip_serializing_if = "hidden")]
    pub search_trend_monthly: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub followers_total: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub median_views_per_post: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub engagement_trend_monthly: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub trend_p_value: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub follower_growth_monthly: Option<f64>,
}

/// 2. How many accounts compete; how do the head and mid-tier perform?
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Competition {
    #[serde(skip_serializing_if = "no_count")]
    pub accounts: Option<u64>,
    /// Accounts per follower tier of the niche's own split (long tail first), where follower
    /// counts are known.
    #[serde(skip_serializing_if = "none")]
    pub tiers: Option<[u64; 4]>,
    #[serde(skip_serializing_if = "none")]
    pub global_tiers: Option<[u64; 5]>,
    #[serde(skip_serializing_if = "none")]
    pub tier_median_er: Option<[Option<f64>; 4]>,
    #[serde(skip_serializing_if = "none")]
    pub global_tier_median_er: Option<[Option<f64>; 5]>,
    #[serde(skip_serializing_if = "hidden")]
    pub gini: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub hhi: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub top10_follower_share: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub head_engagement_per_post: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub mid_tier_median_er: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub newcomer_breakout_odds: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub breakout_rate: Option<f64>,
}

/// 3. Where is my competitive advantage? (From the profile.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Advantage {
    #[serde(skip_serializing_if = "hidden")]
    pub skill: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub interest: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub time_fit: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub platform_fit: Option<f64>,
    /// With `--me`: the share of the niche's accounts below yours on engagement rate (on the
    /// reference where compared across platforms) and on cadence.
    #[serde(skip_serializing_if = "hidden")]
    pub your_engagement_above: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub your_cadence_above: Option<f64>,
}

/// 4. What does running the account cost in time and energy?
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Cost {
    #[serde(skip_serializing_if = "hidden")]
    pub posts_per_week: Option<f64>,
    #[serde(skip_serializing_if = "no_map")]
    pub format_mix: BTreeMap<String, f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub hours_per_week_estimate: Option<f64>,
}

/// 5. What is the account worth at scale?
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Worth {
    #[serde(skip_serializing_if = "hidden")]
    pub price_per_post_median: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub price_per_10k_followers: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub earnings_monthly_median: Option<f64>,
    #[serde(skip_serializing_if = "none")]
    pub value_per_post: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "none")]
    pub value_basis: Option<String>,
    #[serde(skip_serializing_if = "hidden")]
    pub head_engagement_per_post: Option<f64>,
    /// What an hour of the work earns at 10万 followers ÷ an hour's wage (median over accounts).
    #[serde(skip_serializing_if = "hidden")]
    pub value_ratio: Option<f64>,
    /// Accounts behind it: observed earnings, estimated, none by the evidence, lower bounds.
    #[serde(skip_serializing_if = "none")]
    pub value_accounts: Option<[u64; 5]>,
}

/// 6. Can the niche take sponsored orders, and earn in other ways?
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Earning {
    #[serde(skip_serializing_if = "hidden")]
    pub sponsored_share: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub sponsored_lift: Option<f64>,
    /// The other ways to earn the profile lists.
    #[serde(skip_serializing_if = "empty")]
    pub your_channels: Vec<String>,
}

/// 7. What non-commercial value (influence) does it bring?
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Influence {
    /// Reach per post on the reference (views per follower, else per post): how far a voice
    /// here carries, not how many follow it (that is demand).
    #[serde(skip_serializing_if = "hidden")]
    pub views_share: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub median_views_per_post: Option<f64>,
    #[serde(skip_serializing_if = "hidden")]
    pub personal_score: Option<f64>,
}

/// A platform's reach, for question 8 (every field written, null where unknown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlatformReach {
    pub platform: String,
    pub accounts: Option<u64>,
    pub posts: Option<u64>,
    pub engagement_rate: Option<f64>,
    pub score: Option<f64>,
}

/// 8. Which platform is the audience on?
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Audience {
    #[serde(skip_serializing_if = "none")]
    pub start_on: Option<String>,
    /// The runner-up platform and the share of resamples in which `start_on` scored above it.
    #[serde(skip_serializing_if = "none")]
    pub runner_up: Option<String>,
    #[serde(skip_serializing_if = "hidden")]
    pub start_on_above_runner_up: Option<f64>,
    #[serde(skip_serializing_if = "empty")]
    pub platforms: Vec<PlatformReach>,
}

/// A platform's habits, for question 9 (every field written, null where unknown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlatformHabits {
    pub platform: String,
    pub format_mix: BTreeMap<String, f64>,
    pub posts_per_week: Option<f64>,
    pub breakout_rate: Option<f64>,
}

/// 9. What do the platform's rules encourage?
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    #[serde(skip_serializing_if = "empty")]
    pub platforms: Vec<PlatformHabits>,
}

/// 10. What style and tone does it like?
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Style {
    #[serde(skip_serializing_if = "empty")]
    pub title_traits: Vec<Lift>,
    #[serde(skip_serializing_if = "empty")]
    pub tags: Vec<Lift>,
    /// How many top posts the lifts were counted among; written when traits or tags are.
    #[serde(skip_serializing_if = "no_count")]
    pub top_posts: Option<u64>,
}

/// The facts of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Facts {
    Need(Need),
    Competition(Box<Competition>),
    Advantage(Advantage),
    Cost(Cost),
    Worth(Worth),
    Earning(Earning),
    Influence(Influence),
    Audience(Audience),
    Rules(Rules),
    Style(Style),
}

impl Facts {
    /// The question's number, 1 to 10.
    pub fn id(&self) -> u8 {
        match self {
            Facts::Need(_) => 1,
            Facts::Competition(_) => 2,
            Facts::Advantage(_) => 3,
            Facts::Cost(_) => 4,
            Facts::Worth(_) => 5,
            Facts::Earning(_) => 6,
            Facts::Influence(_) => 7,
            Facts::Audience(_) => 8,
            Facts::Rules(_) => 9,
            Facts::Style(_) => 10,
        }
    }

    /// Whether any fact has a value: the question has evidence in these inputs.
    pub fn any(&self) -> bool {
        serde_json::to_value(self).is_ok_and(|v| v.as_object().is_some_and(|o| !o.is_empty()))
    }

    /// Question `id`'s facts read back from report.json's `facts` object; `None` for a number that
    /// is no question or facts of another shape.
    pub fn from_json(id: u8, value: serde_json::Value) -> Option<Facts> {
        use serde_json::from_value as read;
        Some(match id {
            1 => Facts::Need(read(value).ok()?),
            2 => Facts::Competition(Box::new(read(value).ok()?)),
            3 => Facts::Advantage(read(value).ok()?),
            4 => Facts::Cost(read(value).ok()?),
            5 => Facts::Worth(read(value).ok()?),
            6 => Facts::Earning(read(value).ok()?),
            7 => Facts::Influence(read(value).ok()?),
            8 => Facts::Audience(read(value).ok()?),
            9 => Facts::Rules(read(value).ok()?),
            10 => Facts::Style(read(value).ok()?),
            _ => return None,
        })
    }
}

/// The ten questions' facts for one scored niche, in question order; `channels` are the other
/// ways to earn that the profile lists.
pub fn of(n: &ScoredNiche, channels: &[String], me: Option<&super::me::InNiche>) -> [Facts; 10] {
    let above = |measures: &[&str]| {
        me.and_then(|m| {
            measures
                .iter()
                .find_map(|name| m.standings.iter().find(|s| s.measure == *name)?.percentile)
        })
    };
    let m = &n.metrics;
    let with_followers = m.accounts_with_followers > 0;
    let stated = n.personal.as_ref().filter(|p| p.stated);
    let style = m.style.as_ref().map(|style| {
        let traits: Vec<Lift> = style.traits.iter().filter(|t| t.share_all > 0.0).cloned().collect();
        let any = !traits.is_empty() || !style.tags.is_empty();
        Style {
            title_traits: traits,
            tags: style.tags.clone(),
            top_posts: any.then_some(style.top_posts),
        }
    });
    [
        Facts::Need(Need {
            head_followers_share: m.head_followers_share,
            search_trend_monthly: m.search_trend_monthly,
            followers_total: m.followers_total,
            median_views_per_post: m.median_views_per_post,
            engagement_trend_monthly: m.engagement_trend_monthly,
            trend_p_value: m.trend_p_value,
            follower_growth_monthly: m.follower_growth_monthly,
        }),
        Facts::Competition(Box::new(Competition {
            accounts: m.accounts,
            tiers: with_followers.then_some(m.tiers),
            global_tiers: with_followers.then_some(m.global_tiers),
            tier_median_er: with_followers.then_some(m.tier_median_er),
            global_tier_median_er: with_followers.then_some(m.global_tier_median_er),
            gini: m.gini,
            hhi: m.hhi,
            top10_follower_share: m.top10_follower_share,
            head_engagement_per_post: m.head_engagement_per_post,
            mid_tier_median_er: m.mid_tier_median_er,
            newcomer_breakout_odds: m.newcomer_breakout_odds,
            breakout_rate: m.breakout_rate,
        })),
        Facts::Advantage(Advantage {
            skill: stated.map(|p| p.skill),
            interest: stated.map(|p| p.interest),
            time_fit: n.personal.as_ref().and_then(|p| p.time_fit),
            platform_fit: n.personal.as_ref().and_then(|p| p.platform_fit),
            your_engagement_above: above(&["engagement_rate", "engagement_rate_share"]),
            your_cadence_above: above(&["posts_per_week"]),
        }),
        Facts::Cost(Cost {
            posts_per_week: m.posts_per_week,
            format_mix: m.format_mix.clone(),
            hours_per_week_estimate: m.hours_per_week,
        }),
        Facts::Worth(Worth {
            price_per_post_median: m.price_per_post_median,
            price_per_10k_followers: m.price_per_10k_followers,
            earnings_monthly_median: m.earnings_monthly_median,
            value_per_post: m.value_per_post,
            value_basis: m.value_basis.map(str::to_string),
            head_engagement_per_post: m.head_engagement_per_post,
            value_ratio: m.value_ratio,
            value_accounts: m.value_ratio.is_some().then_some(m.value_accounts),
        }),
        Facts::Earning(Earning {
            sponsored_share: m.sponsored_share,
            sponsored_lift: m.sponsored_lift,
            your_channels: channels.to_vec(),
        }),
        Facts::Influence(Influence {
            views_share: m.views_share,
            median_views_per_post: m.median_views_per_post,
            personal_score: n.personal.as_ref().and_then(|p| p.score),
        }),
        Facts::Audience(Audience {
            start_on: n.start_on.clone(),
            runner_up: n.start_on_margin.as_ref().map(|m| m.over.clone()),
            start_on_above_runner_up: n.start_on_margin.as_ref().map(|m| m.share),
            platforms: n
                .by_platform
                .iter()
                .map(|p| PlatformReach {
                    platform: p.platform.clone(),
                    accounts: p.accounts,
                    posts: p.posts,
                    engagement_rate: p.engagement_rate,
                    score: p.score,
                })
                .collect(),
        }),
        Facts::Rules(Rules {
            platforms: n
                .by_platform
                .iter()
                .filter(|p| p.posts_per_week.is_some() || !p.format_mix.is_empty() || p.breakout_rate.is_some())
                .map(|p| PlatformHabits {
                    platform: p.platform.clone(),
                    format_mix: p.format_mix.clone(),
                    posts_per_week: p.posts_per_week,
                    breakout_rate: p.breakout_rate,
                })
                .collect(),
        }),
        Facts::Style(style.unwrap_or_default()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_facts_are_no_evidence_and_read_back_by_number() {
        let need = Facts::Need(Need::default());
        assert!(!need.any());
        let with = Facts::Need(Need {
            followers_total: Some(1200.0),
            trend_p_value: Some(f64::NAN),
            ..Need::default()
        });
        assert!(with.any());
        let json = serde_json::to_value(&with).unwrap();
        assert_eq!(json, serde_json::json!({"followers_total": 1200.0}), "NaN is left out");
        assert_eq!(
            Facts::from_json(1, json.clone()),
            Some(Facts::Need(Need {
                followers_total: Some(1200.0),
                ..Need::default()
            }))
        );
        assert!(Facts::from_json(11, json).is_none());
        let every = [
            Facts::Need(Need::default()),
            Facts::Competition(Box::default()),
            Facts::Advantage(Advantage::default()),
            Facts::Cost(Cost::default()),
            Facts::Worth(Worth::default()),
            Facts::Earning(Earning::default()),
            Facts::Influence(Influence::default()),
            Facts::Audience(Audience::default()),
            Facts::Rules(Rules::default()),
            Facts::Style(Style::default()),
        ];
        for (id, facts) in (1..=10).zip(every) {
            assert_eq!(facts.id(), id);
            let back = Facts::from_json(id, serde_json::to_value(&facts).unwrap()).unwrap();
            assert_eq!(back.id(), id);
        }
    }
}
