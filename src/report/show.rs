//! One niche or one account on the terminal. `niche show NICHE`: the niche's score and factors
//! with their evidence, its breakout posts and the accounts behind it (with `--me`, your best
//! posts beside them). `niche account ID`: the account against each niche it posts in — where it
//! stands among their accounts and those of its size, its best and worst posts, its trend. Text
//! from inputs is made safe for a terminal ([`crate::text::sanitise_line`]).

use std::fmt::Write;

use super::format;
use super::{NicheView, ScoreReport};
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
pub fn text(report: &ScoreReport, n: &NicheView) -> Vec<u8> {
    let m = &n.metrics;
    let mut out = String::new();
    let interval = |key: &str| match n.intervals.get(key).map(|i| (i.low, i.high)) {
        Some((Some(lo), Some(hi))) => format!(" ({})", format::interval(lo, hi)),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "{} — rank {} of {} · method {}",
        sanitise_line(&m.niche),
        n.rank,
        report.niches.len(),
        report.method_version
    );
    let _ = writeln!(
        out,
        "platforms: {} · {} accounts · {} posts{}",
        m.platforms
            .iter()
            .map(|p| sanitise_line(p))
            .collect::<Vec<_>>()
            .join(", "),
        m.accounts.map_or_else(|| "?".to_string(), |a| a.to_string()),
        m.posts.map_or_else(|| "?".to_string(), |p| p.to_string()),
        if m.low_evidence {
            " · low evidence: treat as a guess"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "score {}{} = demand {}{} × business {}{} × traffic {}{}",
        format::score(n.score),
        interval("score"),
        format::score(n.demand),
        interval("demand"),
        format::score(n.business),
        interval("business"),
        format::score(n.traffic),
        interval("traffic"),
    );
    out.push_str(
        "\nEvidence (each sub-factor in [0, 1] on its platform's scale; 0.5 = a typical account of the platform)\n",
    );
    for e in &n.evidence {
        let factor = match e.factor {
            crate::score::Factor::Demand => "demand",
            crate::score::Factor::Business => "business",
            crate::score::Factor::Traffic => "traffic",
        };
        let _ = writeln!(
            out,
            "  {} {} {} = {} → {}  (weight {}{})",
            pad(factor, 8, false),
            pad(e.sub_factor, 15, false),
            e.measure,
            e.value.map_or_else(|| "—".to_string(), |v| format!("{v:.4}")),
            format::score(e.scale),
            e.weight,
            if e.provisional { ", provisional scale" } else { "" }
        );
    }
    out.push_str("\nBreakout posts (× the account's typical post, then engagement)\n");
    match &m.top_posts {
        None => out.push_str("  (not listed: this run kept no titles)\n"),
        Some(posts) if posts.is_empty() => {
            out.push_str("  (no post with engagement and a typical post to compare with)\n")
        }
        Some(posts) => posts_list(&mut out, posts),
    }
    if let Some(mine) = report
        .me
        .as_ref()
        .and_then(|me| me.niches.iter().find(|x| x.yours && x.niche == m.niche))
        .and_then(|x| x.your_best_posts.as_ref())
    {
        out.push_str("\nYour best posts here (× your typical post)\n");
        posts_list(&mut out, mine);
    }
    out.push_str("\nAccounts to look at (head: top tenth by followers; mid-tier: 腰部 above its size in engagement rate and reach)\n");
    if m.top_accounts.is_empty() {
        out.push_str("  (none: no account with a follower count)\n");
    }
    let share = |v: Option<f64>| v.map_or_else(|| "—".to_string(), format::percent);
    for a in &m.top_accounts {
        let _ = writeln!(
            out,
            "  {} {} {} followers · ER vs size {} · reach vs size {} · growth {}/mo · {} posts/wk · sponsored {}",
            pad(if a.role == HEAD { "head" } else { "mid-tier" }, 8, false),
            pad(
                &truncate(&sanitise_line(a.name.as_deref().unwrap_or(&a.account)), 14),
                14,
                false
            ),
            pad(
                &a.followers.map_or_else(|| "—".to_string(), |f| format::count(f, false)),
                7,
                true
            ),
            share(a.engagement_rate_share),
            share(a.views_share),
            a.follower_growth_monthly
                .map_or_else(|| "—".to_string(), format::signed_percent),
            a.posts_per_week.map_or_else(|| "—".to_string(), |v| format!("{v:.1}")),
            share(a.sponsored_share),
        );
        if let Some(p) = &a.best_post {
            let _ = writeln!(
                out,
                "           best post: {} ({} eng)",
                title(p),
                format::count(p.engagement, false)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nEvery number is defined in METHOD.md (method {}).",
        report.method_version
    );
    out.into_bytes()
}

/// Numbered posts: standing, engagement, account, date, title, link.
fn posts_list(out: &mut String, posts: &[TopPost]) {
    for (i, p) in posts.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>2}. {} {} eng  {}  {}  {}{}",
            i + 1,
            pad(&format!("{:.1}×", p.times_typical), 6, true),
            pad(&format::count(p.engagement, false), 7, true),
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
            if p.sponsored == Some(true) { "  [sponsored]" } else { "" }
        );
        if let Some(link) = &p.link {
            let _ = writeln!(out, "      {link}");
        }
    }
}

/// The account of `report.me` (`niche account ID`) as text: per niche it posts in, the niche's
/// score, its standings among the niche's accounts (all, and those of its size) beside the
/// niche's 腰部 and head, its best and worst posts and its trend.
pub fn account_text(report: &ScoreReport) -> Vec<u8> {
    let mut out = String::new();
    let Some(me) = &report.me else {
        return out.into_bytes();
    };
    let _ = writeln!(
        out,
        "{} on {}{}{} · method {}",
        sanitise_line(&me.account),
        sanitise_line(&me.platform),
        me.followers
            .map_or_else(String::new, |f| format!(" · {} followers", format::count(f, false))),
        me.tier.map_or_else(String::new, |t| format!(" ({t})")),
        report.method_version
    );
    out.push_str("Measured apart from the niches (never its own competitor); percentiles are the share of the niche's accounts below it.\n");
    let value = |measure: &str, v: f64| super::html::measure_value(measure, v, super::Lang::En);
    for n in me.niches.iter().filter(|n| n.yours) {
        let niche = report.niches.iter().find(|x| x.metrics.niche == n.niche);
        let _ = writeln!(
            out,
            "\nIn {} (rank {}, score {}; {} accounts on {}{})",
            sanitise_line(&n.niche),
            niche.map_or_else(|| "—".to_string(), |x| x.rank.to_string()),
            format::score(niche.and_then(|x| x.score)),
            n.accounts,
            sanitise_line(&n.platform),
            if n.other_platforms {
                ", none on its platform: compared with the others"
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            "  {} {} {} {} {} {}",
            pad("measure", 44, false),
            pad("its", 8, true),
            pad("above", 6, true),
            pad("its size", 9, true),
            pad("腰部", 8, true),
            pad("head", 8, true)
        );
        let pct = |p: Option<f64>| p.map_or_else(|| "—".to_string(), |p| format!("{:.0}%", p * 100.0));
        for s in &n.standings {
            let _ = writeln!(
                out,
                "  {} {} {} {} {} {}",
                pad(&super::lang::Lang::En.measure(s.measure), 44, false),
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
                let _ = writeln!(
                    out,
                    "  engagement against its typical post: {} a month",
                    format::signed_percent(t)
                );
            }
            None => out.push_str("  engagement trend: too few weeks with posts\n"),
        }
        if let (Some(bar), Some(typical)) = (n.breakout_bar, n.your_typical_post) {
            let _ = writeln!(
                out,
                "  a breakout post here reaches {} interactions; its typical post gets {}",
                format::count(bar, false),
                format::count(typical, false)
            );
        }
        for (label, list) in [("best", &n.your_best_posts), ("worst", &n.your_worst_posts)] {
            match list {
                Some(posts) if !posts.is_empty() => {
                    let _ = writeln!(out, "  its {label} posts (× its typical post)");
                    posts_list(&mut out, posts);
                }
                Some(_) => {}
                None => {
                    let _ = writeln!(
                        out,
                        "  its {label} posts: not listed (they are for an account of the inputs)"
                    );
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\nEvery number is defined in METHOD.md (method {}).",
        report.method_version
    );
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
