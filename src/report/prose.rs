//! The ten questions' answers in sentences, in English and Chinese, from their typed facts
//! ([`crate::score::facts`]); and, for a question these inputs leave open, what to add.

use super::format::{self, percent as pct};
use super::lang::Lang;
use super::page::{Answer, Niche};
use crate::score::facts::{self, Facts};
use crate::text::sanitise_line;

/// Lift above which a tag or title trait is said to stand out among top posts.
pub const LIFT_SHOWN: f64 = 1.2;

/// What input would answer a question that these inputs leave open.
pub fn missing_hint(id: u8, l: Lang) -> &'static str {
    match id {
        1 => l.pick(
            "Add follower counts, views or dated posts.",
            "请补充粉丝数、播放量或带日期的内容。",
        ),
        2 => l.pick(
            "Add an account list with follower counts.",
            "请补充带粉丝数的账号列表。",
        ),
        3 => l.pick(
            "Give your account (--me) or a profile (--profile) with your skills, interests and hours.",
            "请用 --me 指定你的账号，或用 --profile 提供个人的技能、兴趣和可用时间。",
        ),
        4 => l.pick(
            "Add dated posts (publish time) so cadence can be measured.",
            "请补充带发布时间的内容，以测算更新频率。",
        ),
        5 => l.pick("Add prices (报价), earnings or views.", "请补充报价、收入或播放量。"),
        6 => l.pick(
            "Add a sponsored flag (是否商单) to the posts.",
            "请在内容中补充是否商单。",
        ),
        7 => l.pick(
            "Influence is how far a typical post carries: add views per post (播放量, 阅读量, views).",
            "影响力看常规内容能传播多远：请补充单条内容的播放量或阅读量。",
        ),
        8 => l.pick(
            "Name the platform (a platform column or --platform).",
            "请注明平台（平台列或 --platform）。",
        ),
        9 => l.pick(
            "Add dated posts with formats (图文/视频).",
            "请补充带日期和形式（图文/视频）的内容。",
        ),
        _ => l.pick("Add post titles or tags.", "请补充内容标题或标签。"),
    }
}

/// The answer to one question in sentences, from its facts; empty when there are none.
pub fn answer(n: &Niche, a: &Answer, l: Lang) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let zh = l.is_zh();
    let mut say = |en: String, cn: String| out.push(if zh { cn } else { en });
    match &a.facts {
        None => {}
        Some(Facts::Need(f)) => need(f, l, &mut say),
        Some(Facts::Competition(f)) => competition(f, l, &mut say),
        Some(Facts::Advantage(f)) => advantage(f, &mut say),
        Some(Facts::Cost(f)) => cost(f, &mut say),
        Some(Facts::Worth(f)) => worth(f, l, &mut say),
        Some(Facts::Earning(f)) => earning(f, &mut say),
        Some(Facts::Influence(f)) => influence(f, l, &mut say),
        Some(Facts::Audience(f)) => audience(n, f, l, &mut say),
        Some(Facts::Rules(f)) => rules(f, l, &mut say),
        Some(Facts::Style(f)) => style(n, f, l, &mut say),
    }
    out
}

/// A number that is there to show.
fn shown(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

fn need(f: &facts::Need, l: Lang, say: &mut impl FnMut(String, String)) {
    if let Some(v) = shown(f.head_followers_share) {
        let p = format!("{:.0}%", v * 100.0);
        say(
            format!("Its head accounts (the top tenth) have more followers than {p} of accounts on their platform's reference."),
            format!("头部账号（前 10%）的粉丝多于参照中 {p} 的同平台账号。"),
        );
    }
    if let Some(t) = shown(f.search_trend_monthly) {
        let s = format::signed_percent(t);
        say(
            format!("Searches for it (the demand signal you gave) move {s} a month."),
            format!("它的搜索热度（你提供的需求指数）每月变化 {s}。"),
        );
    }
    if let Some(v) = shown(f.followers_total) {
        let c = l.count(v);
        say(
            format!("The accounts crawled have {c} followers in all (a count of this crawl, not of the market)."),
            format!("本次抓取的账号共有粉丝 {c}（本次抓取的合计，不代表整个市场）。"),
        );
    }
    if let Some(v) = shown(f.median_views_per_post) {
        let c = l.count(v);
        say(
            format!("A typical post is viewed {c} times."),
            format!("单条内容播放量中位数为 {c}。"),
        );
    }
    if let Some(t) = shown(f.engagement_trend_monthly) {
        let p = shown(f.trend_p_value);
        let clear = p.is_some_and(|p| p < 0.05);
        let pv = p.map_or_else(String::new, format::p_value);
        let s = format::signed_percent(t);
        say(
            format!(
                "Engagement, relative to each account's typical post, moves {s} a month ({pv}; {}).",
                if clear { "a clear trend" } else { "not a clear trend" }
            ),
            format!(
                "互动（相对各账号常规水平）每月变化 {s}（{pv}；{}）。",
                if clear { "趋势明显" } else { "趋势不明显" }
            ),
        );
    }
    if let Some(g) = shown(f.follower_growth_monthly) {
        let s = format::signed_percent(g);
        say(
            format!("Accounts' followers grow {s} a month (median)."),
            format!("账号粉丝月增长中位数 {s}。"),
        );
    }
}

fn competition(f: &facts::Competition, l: Lang, say: &mut impl FnMut(String, String)) {
    if let Some(v) = f.accounts {
        let c = l.count(v as f64);
        say(
            format!("{c} accounts compete in these inputs."),
            format!("本次输入中有 {c} 个账号在这个赛道。"),
        );
    }
    if let Some(tiers) = &f.tiers {
        let parts: Vec<String> = tiers
            .iter()
            .zip(l.tiers())
            .rev()
            .map(|(v, name)| format!("{name} {v}"))
            .collect();
        say(
            format!("By tier: {}.", parts.join(", ")),
            format!("按层级：{}。", parts.join("，")),
        );
    }
    if let Some(s) = shown(f.top10_follower_share) {
        let p = pct(s);
        let gini = shown(f.gini);
        let g = gini.map_or_else(String::new, |g| format!(" (Gini {g:.2})"));
        let gz = gini.map_or_else(String::new, |g| format!("（基尼系数 {g:.2}）"));
        say(
            format!("The top tenth of accounts hold {p} of the followers{g}."),
            format!("前 10% 的账号拥有 {p} 的粉丝{gz}。"),
        );
    }
    if let Some(v) = shown(f.head_engagement_per_post) {
        let c = l.count(v);
        say(
            format!("Head accounts get {c} interactions per post."),
            format!("头部账号单条互动 {c}。"),
        );
    }
    if let Some(v) = shown(f.mid_tier_median_er) {
        let p = pct(v);
        say(
            format!("Mid-tier (腰部) accounts' median engagement rate is {p}."),
            format!("腰部账号互动率中位数为 {p}。"),
        );
    }
    if let Some(v) = shown(f.newcomer_breakout_odds) {
        let p = pct(v);
        say(
            format!(
                "{p} of small accounts (under 10K followers) have had a breakout post (3× the niche's typical post)."
            ),
            format!("{p} 的小账号（粉丝不足 1 万）出过爆款（互动达赛道常规水平的 3 倍）。"),
        );
    } else if let Some(v) = shown(f.breakout_rate) {
        let p = pct(v);
        say(
            format!("{p} of accounts have had a breakout post (3× the niche's typical post)."),
            format!("{p} 的账号出过爆款（互动达赛道常规水平的 3 倍）。"),
        );
    }
}

fn advantage(f: &facts::Advantage, say: &mut impl FnMut(String, String)) {
    if let (Some(s), Some(i)) = (shown(f.skill), shown(f.interest)) {
        say(
            format!("You rate your skill {s:.1} and interest {i:.1} (0–1)."),
            format!("你的自评：能力 {s:.1}，兴趣 {i:.1}（0–1）。"),
        );
    }
    if let Some(t) = shown(f.time_fit) {
        say(
            format!("Your hours cover {:.0}% of what the niche's cadence needs.", t * 100.0),
            format!("你的可用时间能满足该赛道更新节奏所需的 {:.0}%。", t * 100.0),
        );
    }
    if let Some(p) = shown(f.platform_fit) {
        say(
            format!("Platform fit {p:.1} (1 = you already use the platform to start on)."),
            format!("平台匹配度 {p:.1}（1 表示你已在使用建议的首发平台）。"),
        );
    }
    if let Some(e) = shown(f.your_engagement_above) {
        let c = shown(f.your_cadence_above).map(|c| format!("{:.0}%", c * 100.0));
        say(
            format!(
                "Your account's engagement rate is above {:.0}% of this niche's accounts{}.",
                e * 100.0,
                c.as_ref()
                    .map_or_else(String::new, |c| format!("; your cadence above {c}"))
            ),
            format!(
                "你的账号互动率高于本赛道 {:.0}% 的账号{}。",
                e * 100.0,
                c.as_ref().map_or_else(String::new, |c| format!("；更新频率高于 {c}"))
            ),
        );
    }
}

/// Formats and their shares, each format's name made safe to show.
fn format_mix(mix: &std::collections::BTreeMap<String, f64>) -> Vec<String> {
    mix.iter()
        .filter(|(_, v)| v.is_finite())
        .map(|(k, v)| format!("{} {}", sanitise_line(k), pct(*v)))
        .collect()
}

fn cost(f: &facts::Cost, say: &mut impl FnMut(String, String)) {
    if let Some(v) = shown(f.posts_per_week) {
        say(
            format!("Accounts post {v:.1} times a week (median)."),
            format!("账号每周发布 {v:.1} 条（中位数）。"),
        );
    }
    if !f.format_mix.is_empty() {
        let parts = format_mix(&f.format_mix);
        say(
            format!("Formats: {}.", parts.join(", ")),
            format!("内容形式：{}。", parts.join("，")),
        );
    }
    if let Some(h) = shown(f.hours_per_week_estimate) {
        say(
            format!("Keeping that cadence takes about {h:.0} hours a week (an estimate from hours per format)."),
            format!("保持这个节奏每周约需 {h:.0} 小时（按各形式的制作时长估算）。"),
        );
    }
}

fn worth(f: &facts::Worth, l: Lang, say: &mut impl FnMut(String, String)) {
    if let Some(r) = shown(f.value_ratio) {
        let [observed, estimated, none, lower, crawl_share] = f.value_accounts.unwrap_or_default();
        let basis = |en: bool| {
            let mut parts = Vec::new();
            for (n, e, z) in [
                (observed, "observed earnings", "实际收入"),
                (
                    estimated,
                    "estimated from prices, sponsored shares and ad revenue",
                    "按报价、商单比例与广告分成估算",
                ),
                (none, "no money by the evidence", "按证据没有收入"),
                (
                    lower,
                    "lower bounds (part of the money unknown)",
                    "下限（部分收入未知）",
                ),
                (
                    crawl_share,
                    "estimated with the crawl's typical sponsored share, as this niche's exports flag no sponsored post",
                    "按整个抓取中常见的商单比例估算（该赛道的导出没有商单标记）",
                ),
            ] {
                if n > 0 {
                    parts.push(if en {
                        format!("{n} account(s): {e}")
                    } else {
                        format!("{n} 个账号：{z}")
                    });
                }
            }
            parts.join(if en { "; " } else { "；" })
        };
        say(
            format!(
                "At 10万 (100,000) followers an hour of this work earns {r:.2}× an hour's wage ({}).",
                basis(true)
            ),
            format!(
                "按 10 万粉丝计，这里一小时的工作挣 {r:.2} 倍小时工资（{}）。",
                basis(false)
            ),
        );
    }
    if let Some(v) = shown(f.price_per_post_median) {
        let c = l.count(v);
        say(
            format!("A sponsored post's median price is {c}."),
            format!("单条商单报价中位数为 {c}。"),
        );
    }
    if let Some(v) = shown(f.price_per_10k_followers) {
        let c = l.count(v);
        say(
            format!("That is {c} per 10K followers (median)."),
            format!("每万粉报价中位数为 {c}。"),
        );
    }
    if let Some(v) = shown(f.earnings_monthly_median) {
        let c = l.count(v);
        say(format!("Median monthly earnings: {c}."), format!("月收入中位数：{c}。"));
    }
    if let Some([lo, hi]) = f.value_per_post {
        let estimate = f.value_basis.as_deref().unwrap_or_default().contains("estimate");
        let (a, b) = (l.count(lo), l.count(hi));
        say(
            format!(
                "One post at the niche's typical reach is worth {a}–{b} ({}).",
                if estimate {
                    "an estimate: views × a CPM band, USD"
                } else {
                    "observed prices, in the inputs' currency"
                }
            ),
            format!(
                "按赛道常规触达，单条内容价值 {a}–{b}（{}）。",
                if estimate {
                    "估算：播放量 × CPM 区间，美元"
                } else {
                    "实际报价，货币同输入"
                }
            ),
        );
    }
}

fn earning(f: &facts::Earning, say: &mut impl FnMut(String, String)) {
    if let Some(v) = shown(f.sponsored_share) {
        let p = pct(v);
        say(format!("{p} of posts are sponsored."), format!("{p} 的内容是商单。"));
    }
    if let Some(v) = shown(f.sponsored_lift) {
        say(
            format!("Sponsored posts get ×{v:.2} the engagement of the same accounts' organic posts."),
            format!("商单的互动是同账号普通内容的 {v:.2} 倍。"),
        );
    }
    if !f.your_channels.is_empty() {
        let list: Vec<String> = f.your_channels.iter().map(|c| sanitise_line(c)).collect();
        say(
            format!("Other ways to earn you listed: {}.", list.join(", ")),
            format!("你列出的其他变现方式：{}。", list.join("、")),
        );
    }
}

fn influence(f: &facts::Influence, l: Lang, say: &mut impl FnMut(String, String)) {
    if let Some(r) = shown(f.views_share) {
        let p = format!("{:.0}%", r * 100.0);
        say(
            format!("Influence: a typical post here carries further than {p} of posts on the reference."),
            format!("影响力：这里的常规内容传播范围超过参照中 {p} 的内容。"),
        );
    }
    if let Some(v) = shown(f.median_views_per_post).map(|v| l.count(v)) {
        say(
            format!("Each typical post is seen {v} times: that is the reach a voice here has."),
            format!("常规内容单条被看到 {v} 次，这就是在这里发声的影响范围。"),
        );
    }
    if let Some(s) = shown(f.personal_score) {
        say(
            format!("Weighted by your influence weight, your personal score is {s:.2}."),
            format!("按你设定的影响力权重，个人得分为 {s:.2}。"),
        );
    }
}

fn audience(n: &Niche, f: &facts::Audience, l: Lang, say: &mut impl FnMut(String, String)) {
    if let Some(p) = &f.start_on {
        let p = sanitise_line(&l.platform(p));
        match (&f.runner_up, shown(f.start_on_above_runner_up)) {
            (Some(other), Some(share))
                if (crate::score::START_ON_UNCLEAR.0..=crate::score::START_ON_UNCLEAR.1).contains(&share) =>
            {
                let other = sanitise_line(&l.platform(other));
                let pct = format::percent(share);
                say(
                    format!("The data show no clear difference between {p} and {other}: {p} scored higher in {pct} of the resamples. Either is a start; {p} by a little."),
                    format!("数据未显示 {p} 与 {other} 有明显差别：{p} 在 {pct} 的重抽样中得分更高。两者都可作为起点，{p} 略优。"),
                );
            }
            (Some(other), Some(share)) => {
                let other = sanitise_line(&l.platform(other));
                let pct = format::percent(share);
                say(
                    format!("Start on {p} (above {other} in {pct} of the resamples)."),
                    format!("建议首发平台：{p}（在 {pct} 的重抽样中高于 {other}）。"),
                );
            }
            _ => say(format!("Start on {p}."), format!("建议首发平台：{p}。")),
        }
    }
    if f.platforms.len() > 1 || (!f.platforms.is_empty() && n.by_platform.len() > 1) {
        let parts: Vec<String> = f
            .platforms
            .iter()
            .map(|p| {
                let name = sanitise_line(&l.platform(&p.platform));
                let score = format::score(p.score);
                match l {
                    Lang::En => format!(
                        "{name}: score {score}{}",
                        p.accounts
                            .map_or_else(String::new, |a| format!(", {} accounts", l.count(a as f64)))
                    ),
                    Lang::Zh => format!(
                        "{name}：得分 {score}{}",
                        p.accounts
                            .map_or_else(String::new, |a| format!("，{} 个账号", l.count(a as f64)))
                    ),
                }
            })
            .collect();
        say(
            format!("By platform: {}.", parts.join("; ")),
            format!("各平台：{}。", parts.join("；")),
        );
    } else if let Some(only) = f.platforms.first() {
        let only = sanitise_line(&l.platform(&only.platform));
        say(
            format!("Only {only} is in these inputs, so platforms cannot be compared."),
            format!("本次输入只有 {only} 一个平台，无法比较平台。"),
        );
    }
}

fn rules(f: &facts::Rules, l: Lang, say: &mut impl FnMut(String, String)) {
    for p in &f.platforms {
        let name = sanitise_line(&l.platform(&p.platform));
        let mut en = Vec::new();
        let mut cn = Vec::new();
        if let Some(v) = shown(p.posts_per_week) {
            en.push(format!("accounts post {v:.1} times a week"));
            cn.push(format!("账号每周发布 {v:.1} 条"));
        }
        if let Some(v) = shown(p.breakout_rate) {
            en.push(format!("{} of accounts have had a breakout post", pct(v)));
            cn.push(format!("{} 的账号出过爆款", pct(v)));
        }
        if !p.format_mix.is_empty() {
            let parts = format_mix(&p.format_mix);
            en.push(format!("formats {}", parts.join(", ")));
            cn.push(format!("内容形式 {}", parts.join("，")));
        }
        if !en.is_empty() {
            say(
                format!("On {name}: {}.", en.join("; ")),
                format!("{name}：{}。", cn.join("；")),
            );
        }
    }
}

fn style(n: &Niche, f: &facts::Style, l: Lang, say: &mut impl FnMut(String, String)) {
    let top = f.top_posts.unwrap_or(0);
    // Each trait or tag named points at the first of the niche's breakout posts that carries it.
    let breakouts = n.top_posts.as_deref().unwrap_or_default();
    let example = |carries: &dyn Fn(&crate::measure::breakouts::TopPost) -> bool| -> String {
        breakouts
            .iter()
            .find(|p| carries(p))
            .and_then(|p| p.title.as_deref())
            .map(|t| {
                let t = crate::text::truncate(&sanitise_line(t), 24);
                if l.is_zh() {
                    format!("（如「{t}」）")
                } else {
                    format!(" (e.g. “{t}”)")
                }
            })
            .unwrap_or_default()
    };
    let lifts = |list: &[crate::measure::style::Lift],
                 label: &dyn Fn(&str) -> String,
                 carries: &dyn Fn(&str, &crate::measure::breakouts::TopPost) -> bool|
     -> Vec<String> {
        list.iter()
            .filter_map(|t| {
                let lift = t.lift?;
                (lift >= LIFT_SHOWN)
                    .then(|| format!("{} ×{lift:.1}{}", label(&t.name), example(&|p| carries(&t.name, p))))
            })
            .take(5)
            .collect()
    };
    let has_trait = |name: &str, p: &crate::measure::breakouts::TopPost| {
        let k = crate::normalise::title::TRAITS.iter().position(|t| *t == name);
        match (k, p.title.as_deref()) {
            (Some(k), Some(title)) => crate::normalise::title::traits_of(title)[k],
            _ => false,
        }
    };
    let has_tag = |name: &str, p: &crate::measure::breakouts::TopPost| p.tags.iter().any(|t| t == name);
    let traits = lifts(&f.title_traits, &|s| l.title_trait(s), &has_trait);
    let tags = lifts(&f.tags, &|s| format!("#{}", sanitise_line(s)), &has_tag);
    if !traits.is_empty() {
        say(
            format!(
                "Among the top {top} posts, these title traits appear more often than overall: {}.",
                traits.join(", ")
            ),
            format!(
                "在表现最好的 {top} 条内容中，这些标题特征比整体更常见：{}。",
                traits.join("，")
            ),
        );
    }
    if !tags.is_empty() {
        say(
            format!("Tags that top posts favour: {}.", tags.join(", ")),
            format!("爆款内容偏爱的标签：{}。", tags.join("，")),
        );
    }
    if traits.is_empty() && tags.is_empty() && (!f.title_traits.is_empty() || !f.tags.is_empty()) {
        say(
            "No title trait or tag stands out among the top posts.".to_string(),
            "表现最好的内容在标题特征和标签上没有明显偏好。".to_string(),
        );
    }
}
