//! The report's vocabulary in both languages ([`crate::lang`] holds the language itself). Every
//! word on the page and in the charts is written as a pair (`lang.pick(en, zh)`), so neither
//! language can fall behind the other without it showing in the code; numbers are written the way
//! each language's reader expects (12K / 1.2万).

use super::format;

pub use crate::lang::Lang;

impl Lang {
    /// A count: 12,345 -> "12.3K" / "1.2万".
    pub fn count(self, v: f64) -> String {
        format::count(v, self.is_zh())
    }

    /// Points of monthly growth, as a unit after a number.
    pub fn points_a_month(self) -> &'static str {
        self.pick(crate::measure::calibrate::POINTS_A_MONTH, "个百分点/月")
    }

    /// A platform as its readers call it: 小红书, 抖音, B站 … in Chinese; the canonical name in
    /// English (and for a platform of one's own, in both).
    pub fn platform(self, name: &str) -> String {
        // (The reference's scales kept for every platform alike.)
        if name == "*" {
            return self.pick("every platform", "所有平台").to_string();
        }
        let zh = crate::normalise::fields::chinese_name(name).unwrap_or(name);
        self.pick(name, zh).to_string()
    }

    /// A global follower tier (nano … mega) in the reader's words.
    pub fn tier(self, name: &str) -> String {
        let zh = match name {
            "nano" => "纳米级",
            "micro" => "微型",
            "mid" => "中型",
            "macro" => "大型",
            "mega" => "超大型",
            _ => name,
        };
        self.pick(name, zh).to_string()
    }

    /// The name of a factor.
    pub fn factor(self, name: &str) -> String {
        match name {
            "demand" => self.pick("demand", "需求"),
            "business" => self.pick("business", "商业"),
            "traffic" => self.pick("traffic", "流量"),
            "score" => self.pick("score", "得分"),
            other => other,
        }
        .to_string()
    }

    /// The name of a sub-factor (METHOD.md §3).
    pub fn sub_factor(self, name: &str) -> String {
        let pair = match name {
            "audience" => ("head reach", "头部触达"),
            "growth" => ("growth", "增长"),
            "openness" => ("openness to newcomers", "格局开放度"),
            "mid_tier" => ("mid-tier engagement", "中腰部互动"),
            "newcomer_odds" => ("newcomer breakout odds", "新人爆款机会"),
            "sponsorship" => ("sponsored orders", "接单比例"),
            "money" => ("price per post", "报价水平"),
            "value_at_scale" => ("value at scale", "规模价值"),
            "cost" => ("cost (cadence)", "运营成本（更新频率）"),
            "value_per_hour" => ("value per hour of work", "每小时工作的价值"),
            "engagement_rate" => ("engagement rate", "互动率"),
            "reach_per_post" => ("reach per post", "单条触达"),
            "engagement_per_post" => ("engagement per post", "单条互动"),
            other => return other.replace('_', " "),
        };
        self.pick(pair.0, pair.1).to_string()
    }

    /// The name of a measure (METHOD.md §2).
    pub fn measure(self, name: &str) -> String {
        let pair = match name {
            "followers_total" => ("followers in the niche", "赛道总粉丝"),
            "engagement_total" => ("engagement in the niche", "赛道总互动"),
            "engagement_trend_weekly" => ("weekly engagement trend", "互动周趋势"),
            "engagement_trend_monthly" => ("monthly engagement trend", "互动月趋势"),
            "follower_growth_monthly" => ("monthly follower growth", "粉丝月增长"),
            "search_trend_monthly" => (
                "monthly trend of searches (demand signal)",
                "搜索热度月变化（需求指数）",
            ),
            "gini" => ("Gini of followers", "粉丝基尼系数"),
            "mid_tier_median_er" => ("腰部 median engagement rate", "腰部互动率中位数"),
            "newcomer_breakout_odds" => ("newcomer breakout odds", "新人爆款率"),
            "breakout_rate" => ("breakout rate", "爆款率"),
            "sponsored_share" => ("sponsored share of posts", "商单占比"),
            "price_per_10k_followers" => ("price per 10K followers", "每万粉报价"),
            "price_per_post_median" => ("median price per post", "单条报价中位数"),
            "earnings_monthly_median" => ("median monthly earnings", "月收入中位数"),
            "head_engagement_per_post" => ("head accounts' engagement per post", "头部单条互动"),
            "median_views_per_post" => ("median views per post", "单条播放中位数"),
            "posts_per_week" => ("posts per week", "每周发布数"),
            "engagement_rate" => ("engagement rate", "互动率"),
            "median_engagement_per_post" => ("median engagement per post", "单条互动中位数"),
            "head_followers_share" => ("head accounts' followers on the reference", "头部账号粉丝（参照分位）"),
            "engagement_rate_share" => ("engagement rate on the reference", "互动率（参照分位）"),
            "views_share" => (
                "reach (views per follower) on the reference",
                "触达（单条播放 ÷ 粉丝，参照分位）",
            ),
            "views_per_follower" => ("views per follower", "单条播放 ÷ 粉丝"),
            "value_ratio" => ("an hour's earnings ÷ an hour's wage", "每小时收入 ÷ 小时工资"),
            other => return other.replace('_', " "),
        };
        self.pick(pair.0, pair.1).to_string()
    }

    /// The Chinese tiers (METHOD.md §2), in order.
    pub fn tiers(self) -> [&'static str; 4] {
        match self {
            Lang::En => ["amateur", "junior", "mid-tier (腰部)", "head (头部)"],
            Lang::Zh => ["素人", "初级", "腰部", "头部"],
        }
    }

    /// A title trait (METHOD.md §2, style).
    pub fn title_trait(self, name: &str) -> String {
        let pair = match name {
            "number" => ("a number in the title", "标题带数字"),
            "question" => ("a question", "提问式标题"),
            "emoji" => ("emoji", "带表情符号"),
            "short_title" => ("a short title (≤ 12 characters)", "短标题（≤12字）"),
            "long_title" => ("a long title (≥ 30 characters)", "长标题（≥30字）"),
            other => return other.replace('_', " "),
        };
        self.pick(pair.0, pair.1).to_string()
    }
}
