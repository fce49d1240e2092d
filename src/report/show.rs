//! One niche or one account on the terminal. `niche show NICHE`: the niche's score and factors
//! with their evidence, its breakout posts and the accounts behind it (with `--me`, your best
//! posts beside them). `niche account ID`: the account against each niche it posts in — where it
//! stands among their accounts and those of its size, its best and worst posts, its trend. Text
//! from inputs is made safe for a terminal ([`crate::text::sanitise_line`]).

use std::fmt::Write;

use super::format;
use super::{Lang, NicheView, ScoreReport};
use crate::measure::breakouts::TopPost;
use crate::measure::leaders::HEAD;
use crate::text::{pad, sanitise_line, truncate};

/// Columns a title takes in the lists.
const TITLE_COLUMNS: usize = 44;

/// The niche named `wanted` in the report: by its exact name, else by its name in another case
/// or with spaces around it. `None` where no niche has that name.
pub fn find<'a>(report: &'a ScoreReport, wanted: &str) -> Option<&'a NicheView> {
    let key = |s: &str| s.trim().to_lowercase();
    report
        .niches
        .iter()
        .find(|n| n.metrics.niche == wanted)
        .or_else(|| report.niches.iter().find(|n| key(&n.metrics.niche) == key(wanted)))
}

/// The niche as text for the terminal.
pub fn text(report: &ScoreReport, n: &NicheView, l: Lang) -> Vec<u8> {
    let m = &n.metrics;
    let zh = l.is_zh();
    let mut out = String::new();
    let interval = |key: &str| match n.intervals.get(key).map(|i| (i.low, i.high)) {
        Some((Some(lo), Some(hi))) => format!(" ({})", format::interval(lo, hi)),
        _ => String::new(),
    };
    let (niche, rank, of, version) = (
        sanitise_line(&m.niche),
        n.rank,
        report.niches.len(),
        &report.method_version,
    );
    let _ = writeln!(
        out,
        "{}",
        l.either(
            format!("{niche} — rank {rank} of {of} · method {version}"),
            format!("{niche} —— 第 {rank} 名，共 {of} 个 · 方法 {version}")
        )
    );
    let platforms: Vec<String> = m.platforms.iter().map(|p| sanitise_line(&l.platform(p))).collect();
    let accounts = m.accounts.map_or_else(|| "?".to_string(), |a| a.to_string());
    let posts = m.posts.map_or_else(|| "?".to_string(), |p| p.to_string());
    let low = if m.low_evidence {
        l.pick(" · low evidence: treat as a guess", " · 证据不足：只能当作猜测")
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "{}",
        l.either(
            format!(
                "platforms: {} · {accounts} accounts · {posts} posts{low}",
                platforms.join(", ")
            ),
            format!(
                "平台：{} · {accounts} 个账号 · {posts} 条帖子{low}",
                platforms.join("，")
            )
        )
    );
    let _ = writeln!(
        out,
        "{} {}{} = {} {}{} × {} {}{} × {} {}{}",
        l.factor("score"),
        format::score(n.score),
        interval("score"),
        l.factor("demand"),
        format::score(n.demand),
        interval("demand"),
        l.factor("business"),
        format::score(n.business),
        interval("business"),
        l.factor("traffic"),
        format::score(n.traffic),
        interval("traffic"),
    );
    out.push_str(l.pick(
        "\nEvidence (each sub-factor in [0, 1] on its platform's scale; 0.5 = a typical account of the platform)\n",
        "\n证据（每个子因子按所在平台的标尺在 [0, 1] 之间；0.5 = 平台的典型账号）\n",
    ));
    for e in &n.evidence {
        let factor = match e.factor {
            crate::score::Factor::Demand => "demand",
            crate::score::Factor::Business => "business",
            crate::score::Factor::Traffic => "traffic",
        };
        let sub = if zh {
            l.sub_factor(e.sub_factor)
        } else {
            e.sub_factor.to_string()
        };
        let value = e.value.map_or_else(|| "—".to_string(), |v| format!("{v:.4}"));
        let provisional = if e.provisional {
            l.pick(", provisional scale", "，暂定标尺")
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} {} {} = {value} → {}  ({} {}{provisional})",
            pad(&l.factor(factor), 8, false),
            pad(&sub, 15, false),
            e.measure,
            format::score(e.scale),
            l.pick("weight", "权重"),
            e.weight,
        );
    }
    out.push_str(l.pick(
        "\nBreakout posts (× the account's typical post, then engagement)\n",
        "\n爆款帖子（按是账号典型帖子的几倍，其次按互动排序）\n",
    ));
    match &m.top_posts {
        None => out.push_str(l.pick(
            "  (not listed: this run kept no titles)\n",
            "  （未列出：这次运行没有保留标题）\n",
        )),
        Some(posts) if posts.is_empty() => out.push_str(l.pick(
            "  (no post with engagement and a typical post to compare with)\n",
            "  （没有既有互动、又有典型帖子可比的帖子）\n",
        )),
        Some(posts) => posts_list(&mut out, posts, l),
    }
    if let Some(mine) = report
        .me
        .as_ref()
        .and_then(|me| me.niches.iter().find(|x| x.yours && x.niche == m.niche))
        .and_then(|x| x.your_best_posts.as_ref())
    {
        out.push_str(l.pick(
            "\nYour best posts here (× your typical post)\n",
            "\n你在这里最好的帖子（是你典型帖子的几倍）\n",
        ));
        posts_list(&mut out, mine, l);
    }
    out.push_str(l.pick(
        "\nAccounts to look at (head: top tenth by followers; mid-tier: 腰部 above its size in engagement rate and reach)\n",
        "\n值得看的账号（头部：粉丝数前十分之一；腰部：互动率和触达都高于同量级的腰部账号）\n",
    ));
    if m.top_accounts.is_empty() {
        out.push_str(l.pick(
            "  (none: no account with a follower count)\n",
            "  （没有：没有带粉丝数的账号）\n",
        ));
    }
    let share = |v: Option<f64>| v.map_or_else(|| "—".to_string(), format::percent);
    for a in &m.top_accounts {
        let role = pad(
            if a.role == HEAD {
                l.pick("head", "头部")
            } else {
                l.pick("mid-tier", "腰部")
            },
            8,
            false,
        );
        let name = pad(
            &truncate(&sanitise_line(a.name.as_deref().unwrap_or(&a.account)), 14),
            14,
            false,
        );
        let followers = pad(
            &a.followers.map_or_else(|| "—".to_string(), |f| format::count(f, zh)),
            7,
            true,
        );
        let (er, reach, sponsored) = (
            share(a.engagement_rate_share),
            share(a.views_share),
            share(a.sponsored_share),
        );
        let growth = a
            .follower_growth_monthly
            .map_or_else(|| "—".to_string(), format::signed_percent);
        let cadence = a.posts_per_week.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
        let _ = writeln!(
            out,
            "{}",
            l.either(
                format!("  {role} {name} {followers} followers · ER vs size {er} · reach vs size {reach} · growth {growth}/mo · {cadence} posts/wk · sponsored {sponsored}"),
                format!("  {role} {name} {followers} 粉丝 · 互动率（同量级分位）{er} · 触达（同量级分位）{reach} · 月增长 {growth} · 每周 {cadence} 条 · 商单 {sponsored}"),
            )
        );
        if let Some(p) = &a.best_post {
            let (t, e) = (title(p), format::count(p.engagement, zh));
            let _ = writeln!(
                out,
                "{}",
                l.either(
                    format!("           best post: {t} ({e} eng)"),
                    format!("           最好的帖子：{t}（{e} 互动）")
                )
            );
        }
    }
    out.push_str(&defined_in(report, l));
    out.into_bytes()
}

/// The last line: where every number is defined.
fn defined_in(report: &ScoreReport, l: Lang) -> String {
    let version = &report.method_version;
    l.either(
        format!("\nEvery number is defined in METHOD.md (method {version}).\n"),
        format!("\n每个数字的定义都在 METHOD.md 中（方法 {version}）。\n"),
    )
}

/// Numbered posts: standing, engagement, account, date, title, link.
fn posts_list(out: &mut String, posts: &[TopPost], l: Lang) {
    for (i, p) in posts.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>2}. {} {} {}  {}  {}  {}{}",
            i + 1,
            pad(&format!("{:.1}×", p.times_typical), 6, true),
            pad(&format::count(p.engagement, l.is_zh()), 7, true),
            l.pick("eng", "互动"),
            pad(
                &truncate(
                    &sanitise_line(p.account_name.as_deref().or(p.account.as_deref()).unwrap_or("—")),
                    14
                ),
                14,
                false
            ),
            p.published.as_deref().unwrap_or("—         "),
            title(p),
            if p.sponsored == Some(true) {
                l.pick("  [sponsored]", "  [商单]")
            } else {
                ""
            }
        );
        if let Some(link) = &p.link {
            let _ = writeln!(out, "      {link}");
        }
    }
}

/// The account of `report.me` (`niche account ID`) as text: per niche it posts in, the niche's
/// score, its standings among the niche's accounts (all, and those of its size) beside the
/// niche's 腰部 and head, its best and worst posts and its trend.
pub fn account_text(report: &ScoreReport, l: Lang) -> Vec<u8> {
    let mut out = String::new();
    let Some(me) = &report.me else {
        return out.into_bytes();
    };
    let zh = l.is_zh();
    let (account, platform, version) = (
        sanitise_line(&me.account),
        sanitise_line(&l.platform(&me.platform)),
        &report.method_version,
    );
    let followers = me.followers.map_or_else(String::new, |f| {
        let f = format::count(f, zh);
        l.either(format!(" · {f} followers"), format!(" · {f} 粉丝"))
    });
    let tier = me.tier.map_or_else(String::new, |t| {
        let t = l.tier(t);
        l.either(format!(" ({t})"), format!("（{t}）"))
    });
    let _ = writeln!(
        out,
        "{}",
        l.either(
            format!("{account} on {platform}{followers}{tier} · method {version}"),
            format!("{platform}上的 {account}{followers}{tier} · 方法 {version}")
        )
    );
    out.push_str(l.pick(
        "Measured apart from the niches (never its own competitor); percentiles are the share of the niche's accounts below it.\n",
        "与赛道分开计算（不与自己比较）；百分位是赛道中低于它的账号所占的比例。\n",
    ));
    let value = |measure: &str, v: f64| super::html::measure_value(measure, v, l);
    for n in me.niches.iter().filter(|n| n.yours) {
        let niche = report.niches.iter().find(|x| x.metrics.niche == n.niche);
        let (name, rank, score, accounts) = (
            sanitise_line(&n.niche),
            niche.map_or_else(|| "—".to_string(), |x| x.rank.to_string()),
            format::score(niche.and_then(|x| x.score)),
            n.accounts,
        );
        let platform = sanitise_line(&l.platform(&n.platform));
        let others = if n.other_platforms {
            l.pick(
                ", none on its platform: compared with the others",
                "，它的平台上没有：与其他平台的比较",
            )
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}",
            l.either(
                format!("\nIn {name} (rank {rank}, score {score}; {accounts} accounts on {platform}{others})"),
                format!("\n在 {name}（第 {rank} 名，得分 {score}；{platform}上 {accounts} 个账号{others}）")
            )
        );
        let _ = writeln!(
            out,
            "  {} {} {} {} {} {}",
            pad(l.pick("measure", "指标"), 44, false),
            pad(l.pick("its", "它的"), 8, true),
            pad(l.pick("above", "高于"), 6, true),
            pad(l.pick("its size", "同量级"), 9, true),
            pad("腰部", 8, true),
            pad(l.pick("head", "头部"), 8, true)
        );
        let pct = |p: Option<f64>| p.map_or_else(|| "—".to_string(), |p| format!("{:.0}%", p * 100.0));
        for s in &n.standings {
            let _ = writeln!(
                out,
                "  {} {} {} {} {} {}",
                pad(&l.measure(s.measure), 44, false),
                pad(&value(s.measure, s.yours), 8, true),
                pad(&pct(s.percentile), 6, true),
                pad(&pct(s.tier_percentile), 9, true),
                pad(
                    &s.mid_tier_median
                        .map_or_else(|| "—".to_string(), |v| value(s.measure, v)),
                    8,
                    true
                ),
                pad(
                    &s.head_median.map_or_else(|| "—".to_string(), |v| value(s.measure, v)),
                    8,
                    true
                ),
            );
        }
        match n.your_engagement_trend_monthly {
            Some(t) => {
                let t = format::signed_percent(t);
                let _ = writeln!(
                    out,
                    "{}",
                    l.either(
                        format!("  engagement against its typical post: {t} a month"),
                        format!("  互动相对其典型帖子：每月 {t}")
                    )
                );
            }
            None => out.push_str(l.pick(
                "  engagement trend: too few weeks with posts\n",
                "  互动趋势：有帖子的周数太少\n",
            )),
        }
        if let (Some(bar), Some(typical)) = (n.breakout_bar, n.your_typical_post) {
            let (bar, typical) = (format::count(bar, zh), format::count(typical, zh));
            let _ = writeln!(
                out,
                "{}",
                l.either(
                    format!("  a breakout post here reaches {bar} interactions; its typical post gets {typical}"),
                    format!("  这里的爆款帖子达到 {bar} 互动；它的典型帖子有 {typical}")
                )
            );
        }
        for (best, list) in [(true, &n.your_best_posts), (false, &n.your_worst_posts)] {
            let label = match (l, best) {
                (Lang::En, true) => "best",
                (Lang::En, false) => "worst",
                (Lang::Zh, true) => "最好",
                (Lang::Zh, false) => "最差",
            };
            match list {
                Some(posts) if !posts.is_empty() => {
                    let _ = writeln!(
                        out,
                        "{}",
                        l.either(
                            format!("  its {label} posts (× its typical post)"),
                            format!("  它{label}的帖子（是其典型帖子的几倍）")
                        )
                    );
                    posts_list(&mut out, posts, l);
                }
                Some(_) => {}
                None => {
                    let _ = writeln!(
                        out,
                        "{}",
                        l.either(
                            format!("  its {label} posts: not listed (they are for an account of the inputs)"),
                            format!("  它{label}的帖子：未列出（只列输入中的账号）")
                        )
                    );
                }
            }
        }
    }
    out.push_str(&defined_in(report, l));
    out.into_bytes()
}

/// A post's title for the terminal (its id where it has none), cut to [`TITLE_COLUMNS`].
fn title(p: &TopPost) -> String {
    let t = p
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(&p.post_id);
    truncate(&sanitise_line(t), TITLE_COLUMNS)
}
