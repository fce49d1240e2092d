//! The essay's ten questions, answered per niche with the measures that bear on each, or with
//! "no evidence in these inputs" where none does. This is the view model the table, JSON and (later)
//! the HTML report read; it computes nothing new.

use serde::Serialize;
use serde_json::{json, Value};

use crate::score::ScoredNiche;

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub id: u8,
    pub factor: &'static str,
    pub question: &'static str,
    pub question_zh: &'static str,
    /// Whether any measure bears on the question in these inputs.
    pub evidence: bool,
    /// The measures, by name (only those with a value).
    pub facts: serde_json::Map<String, Value>,
}

const QUESTIONS: [(u8, &str, &str, &str); 10] = [
    (
        1,
        "demand",
        "How many people need such an account; is the need growing or shrinking?",
        "当前多少人需求这样一个账号？这个需求会扩大还是缩小？",
    ),
    (
        2,
        "demand",
        "How many accounts compete; how do the head and mid-tier perform?",
        "多少账号在这个赛道上，头部表现如何？中腰部表现如何？",
    ),
    (3, "demand", "Where is my competitive advantage?", "竞争优势在哪？"),
    (
        4,
        "business",
        "What does running the account cost in time and energy?",
        "运营账号的成本是多少？占用多少时间和精力？",
    ),
    (
        5,
        "business",
        "What is the account worth at scale?",
        "如果账号做到一定规模，商业价值是多少？",
    ),
    (
        6,
        "business",
        "Can the niche take sponsored orders, and earn in other ways?",
        "赛道能不能接单？有没有其他变现可能？",
    ),
    (
        7,
        "business",
        "What non-commercial value (influence) does it bring?",
        "非商业价值的东西能带来什么？",
    ),
    (
        8,
        "traffic",
        "Which platform is the audience on?",
        "目标人群在哪个平台？",
    ),
    (
        9,
        "traffic",
        "What do the platform's rules encourage?",
        "平台的规则是什么？鼓励什么内容？",
    ),
    (
        10,
        "traffic",
        "What style and tone does it like?",
        "平台喜欢的内容风格是什么？样式、调性？",
    ),
];

fn put(facts: &mut serde_json::Map<String, Value>, name: &str, value: Value) {
    let empty = match &value {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if !empty {
        facts.insert(name.to_string(), value);
    }
}

/// The ten answers for one scored niche.
pub fn answers(n: &ScoredNiche, channels: &[String]) -> Vec<Answer> {
    let m = &n.metrics;
    QUESTIONS
        .iter()
        .map(|&(id, factor, question, question_zh)| {
            let mut f = serde_json::Map::new();
            match id {
                1 => {
                    put(&mut f, "followers_total", json!(m.followers_total));
                    put(&mut f, "median_views_per_post", json!(m.median_views_per_post));
                    put(&mut f, "engagement_trend_monthly", json!(m.engagement_trend_monthly));
                    put(&mut f, "trend_p_value", json!(m.trend_p_value));
                    put(&mut f, "follower_growth_monthly", json!(m.follower_growth_monthly));
                }
                2 => {
                    put(&mut f, "accounts", json!(m.accounts));
                    if m.accounts_with_followers > 0 {
                        put(&mut f, "tiers", json!(m.tiers));
                        put(&mut f, "global_tiers", json!(m.global_tiers));
                                                put(&mut f, "tier_median_er", json!(m.tier_median_er));
                        put(&mut f, "global_tier_median_er", json!(m.global_tier_median_er));
                    }
                    put(&mut f, "gini", json!(m.gini));
                    put(&mut f, "hhi", json!(m.hhi));
                    put(&mut f, "top10_follower_share", json!(m.top10_follower_share));
                    put(&mut f, "head_engagement_per_post", json!(m.head_engagement_per_post));
                    put(&mut f, "mid_tier_median_er", json!(m.mid_tier_median_er));
                    put(&mut f, "newcomer_breakout_odds", json!(m.newcomer_breakout_odds));
                    put(&mut f, "breakout_rate", json!(m.breakout_rate));
                }
                3 => {
                    if let Some(p) = &n.personal {
                        put(&mut f, "skill", json!(p.stated.then_some(p.skill)));
                        put(&mut f, "interest", json!(p.stated.then_some(p.interest)));
                        put(&mut f, "time_fit", json!(p.time_fit));
                        put(&mut f, "platform_fit", json!(p.platform_fit));
                    }
                }
                4 => {
                    put(&mut f, "posts_per_week", json!(m.posts_per_week));
                    put(&mut f, "format_mix", json!(m.format_mix));
                    put(&mut f, "hours_per_week_estimate", json!(m.hours_per_week));
                }
                5 => {
                    put(&mut f, "price_per_post_median", json!(m.price_per_post_median));
                    put(&mut f, "price_per_10k_followers", json!(m.price_per_10k_followers));
                    put(&mut f, "earnings_monthly_median", json!(m.earnings_monthly_median));
                    put(&mut f, "value_per_post", json!(m.value_per_post));
                    put(&mut f, "value_basis", json!(m.value_basis));
                    put(&mut f, "head_engagement_per_post", json!(m.head_engagement_per_post));
                }
                6 => {
                    put(&mut f, "sponsored_share", json!(m.sponsored_share));
                    put(&mut f, "sponsored_lift", json!(m.sponsored_lift));
                    put(&mut f, "your_channels", json!(channels));
                }
                7 => {
                    put(&mut f, "followers_total", json!(m.followers_total));
                    put(&mut f, "median_views_per_post", json!(m.median_views_per_post));
                    if let Some(p) = &n.personal {
                        put(&mut f, "personal_score", json!(p.score));
                    }
                }
                8 => {
                    put(&mut f, "start_on", json!(n.start_on));
                    let platforms: Vec<Value> = n
                        .by_platform
                        .iter()
                        .map(|p| json!({"platform": p.platform, "accounts": p.accounts, "posts": p.posts, "engagement_rate": p.engagement_rate, "score": p.score}))
                        .collect();
                    put(&mut f, "platforms", json!(platforms));
                }
                9 => {
                    let platforms: Vec<Value> = n
                        .by_platform
                        .iter()
                        .filter(|p| p.posts_per_week.is_some() || !p.format_mix.is_empty() || p.breakout_rate.is_some())
                        .map(|p| json!({"platform": p.platform, "format_mix": p.format_mix, "posts_per_week": p.posts_per_week, "breakout_rate": p.breakout_rate}))
                        .collect();
                    put(&mut f, "platforms", json!(platforms));
                }
                _ => {
                    if let Some(style) = &m.style {
                        let traits: Vec<&crate::measure::style::Lift> = style.traits.iter().filter(|t| t.share_all > 0.0).collect();
                        put(&mut f, "title_traits", json!(traits));
                        put(&mut f, "tags", json!(style.tags));
                        if !traits.is_empty() || !style.tags.is_empty() {
                            put(&mut f, "top_posts", json!(style.top_posts));
                        }
                    }
                }
            }
            Answer {
                id,
                factor,
                question,
                question_zh,
                evidence: !f.is_empty(),
                facts: f,
            }
        })
        .collect()
}
