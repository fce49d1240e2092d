//! The ranked table on the terminal and the lines under it, in the run's language: every word a
//! pair (`l.pick(en, zh)`), platforms and sub-factors by the report's vocabulary ([`super::lang`]).
//! Text from inputs is made safe for a terminal ([`crate::text::sanitise_line`]).

use super::{format, html, Lang, ScoreReport, ScoredNiche};
use crate::text;

/// The ranked table for the terminal; `top`: only the first that many rows (`--top`), and a line
/// saying how many more there are. Then the key: the formula and its yardstick, the intervals, the
/// top pick and why, your account, and what the evidence lacks.
pub fn table(report: &ScoreReport, top: Option<usize>, l: Lang) -> Vec<u8> {
    // Counts as 万 for a Chinese reader, or where the niches are named in Chinese.
    let zh = l.is_zh() || report.niches.iter().any(|n| n.metrics.niche.chars().any(is_cjk));
    let personal = report.profile.is_some();
    let mut headers: Vec<&str> = vec![
        "#",
        l.pick("niche", "赛道"),
        l.pick("platform", "平台"),
        l.pick("accounts", "账号"),
        l.pick("posts", "帖子"),
        l.pick("demand", "需求"),
        l.pick("business", "商业"),
        l.pick("traffic", "流量"),
        l.pick("score", "得分"),
        l.pick("vs next", "胜下一名"),
    ];
    if personal {
        headers.push(l.pick("personal", "个人"));
    }
    headers.push("");
    let dash = "—".to_string();
    let with_interval = |v: Option<f64>, key: &str, n: &ScoredNiche| {
        let interval = match n.intervals.get(key).map(|i| (i.low, i.high)) {
            Some((Some(lo), Some(hi))) => Some(format::interval(lo, hi)),
            _ => None,
        };
        match (v, interval) {
            (Some(v), Some(i)) => format!("{v:.2} ({i})"),
            (Some(v), None) => format!("{v:.2}"),
            // Unknown, with the range it could take (business without money evidence).
            (None, Some(i)) => format!("? ({i})"),
            (None, None) => dash.clone(),
        }
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let shown = top.unwrap_or(usize::MAX).min(report.niches.len());
    for n in &report.niches[..shown] {
        let m = &n.metrics;
        let platforms: Vec<String> = m.platforms.iter().map(|p| l.platform(p)).collect();
        let mut row = vec![
            n.rank.to_string(),
            text::truncate(&text::sanitise_line(&m.niche), 28),
            text::truncate(&text::sanitise_line(&platforms.join(",")), 16),
            m.accounts.map_or_else(|| dash.clone(), |v| format::count(v as f64, zh)),
            m.posts.map_or_else(|| dash.clone(), |v| format::count(v as f64, zh)),
            with_interval(n.demand, "demand", n),
            with_interval(n.business, "business", n),
            with_interval(n.traffic, "traffic", n),
            match (n.score, n.score_ceiling) {
                (None, Some(c)) => format!("≤ {c:.2}"),
                _ => with_interval(n.score, "score", n),
            },
            n.p_above_next
                .map_or_else(String::new, |p| format!("{:.0}%", p * 100.0)),
        ];
        if personal {
            row.push(
                n.personal
                    .as_ref()
                    .and_then(|p| p.score)
                    .map_or_else(|| dash.clone(), |s| format!("{s:.2}")),
            );
        }
        row.push(if m.low_evidence {
            l.pick("low evidence", "证据不足").to_string()
        } else {
            String::new()
        });
        rows.push(row);
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| text::display_width(h)).collect();
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(text::display_width(cell));
        }
    }
    let last = headers.len() - 1;
    let right = |i: usize| !(i == 1 || i == 2 || i == last);
    let mut out = String::new();
    let line = |cells: &[String], out: &mut String| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| text::pad(c, widths[i], right(i)))
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(&headers.iter().map(|h| h.to_string()).collect::<Vec<_>>(), &mut out);
    line(&widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>(), &mut out);
    for r in &rows {
        line(r, &mut out);
    }
    if report.niches.is_empty() {
        out.push_str(l.pick(
            "(no niches: no row had a niche value)\n",
            "（没有赛道：没有一行有赛道值）\n",
        ));
    }
    if shown < report.niches.len() {
        let more = report.niches.len() - shown;
        out.push_str(&l.either(
            format!("… {more} more niche(s) below rank {shown} (--top shows that many; without it, all)\n"),
            format!("… 第 {shown} 名之后还有 {more} 个赛道（--top N 只显示前 N 个；不加则全部显示）\n"),
        ));
    }
    out.push('\n');
    for line in key(report, l) {
        out.push_str(&line);
        out.push('\n');
    }
    out.into_bytes()
}

/// The lines under the table.
fn key(report: &ScoreReport, l: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let name = text::sanitise_line(&report.reference.name);
    let origin = text::sanitise_line(&report.reference.origin);
    let version = &report.method_version;
    out.push(l.either(
        format!("score = demand × business × traffic, each in [0, 1] on its platform's scales: the reference \"{name}\" ({origin}), not the other niches here; 0.125 = a niche of accounts typical of their platform on every measure, earning an hour's wage (METHOD.md, method {version})"),
        format!("得分 = 需求 × 商业 × 流量，各在 [0, 1] 之间，按所在平台的标尺衡量：参照「{name}」（{origin}），而非这里的其他赛道；0.125 = 各项指标都是平台典型账号、每小时收入等于一小时工资的赛道（METHOD.md，方法 {version}）"),
    ));
    out.extend(calibration_lines(&report.calibration, l));
    if report.bootstrap.resamples > 0 {
        let (n, seed) = (report.bootstrap.resamples, report.bootstrap.seed);
        out.push(l.either(
            format!("(low–high): 95% interval from {n} bootstrap resamples of each niche's accounts (seed {seed}); vs next: how often it scored above the niche below it"),
            format!("（低–高）：对每个赛道的账号做 {n} 次自助重抽样（种子 {seed}）得到的 95% 区间；胜下一名：得分高于下一名赛道的比例"),
        ));
    }
    match report.top_pick() {
        Some(top) => out.push(format!("{}{}", l.pick("top pick: ", "首选："), why(top, l))),
        None if !report.niches.is_empty() => match report
            .niches
            .iter()
            .find(|n| n.score_ceiling.is_some() && !n.metrics.low_evidence)
        {
            Some(best) => {
                let niche = text::sanitise_line(&best.metrics.niche);
                let ceiling = best.score_ceiling.unwrap_or(0.0);
                out.push(l.either(
                    format!("top pick: none; no niche with enough evidence has a score, as its business is unknown (below); the best by demand × traffic is {niche} (score ≤ {ceiling:.2})"),
                    format!("首选：无；证据足够的赛道都因商业未知（见下）而没有得分；按 需求 × 流量 最好的是 {niche}（得分 ≤ {ceiling:.2}）"),
                ))
            }
            None => out.push(
                l.pick(
                    "top pick: none; no niche has both a score and enough evidence (5 accounts, 20 posts)",
                    "首选：无；没有既有得分又有足够证据（5 个账号、20 条帖子）的赛道",
                )
                .to_string(),
            ),
        },
        None => {}
    }
    if let Some(me) = &report.me {
        out.extend(me_lines(me, report.top_pick().map(|n| n.metrics.niche.as_str()), l));
    }
    if report.profile.is_some() {
        let best = report
            .niches
            .iter()
            .filter(|n| !n.metrics.low_evidence)
            .filter_map(|n| Some((n, n.personal.as_ref()?.score?)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((n, s)) = best {
            let niche = text::sanitise_line(&n.metrics.niche);
            let fit = n.personal.as_ref().map_or(0.0, |p| p.fit);
            let start = n.start_on.as_deref().map_or_else(|| "—".to_string(), |p| l.platform(p));
            out.push(l.either(
                format!("your pick: {niche} (personal {s:.2}, fit {fit:.2}), start on {start}"),
                format!("你的选择：{niche}（个人得分 {s:.2}，契合度 {fit:.2}），从{start}起步"),
            ));
        }
    }
    let low = report.niches.iter().filter(|n| n.metrics.low_evidence).count();
    if low > 0 {
        out.push(l.either(
            format!(
                "low evidence: {low} niche(s) have fewer than 5 accounts or 20 posts; treat their scores as a guess"
            ),
            format!("证据不足：{low} 个赛道的账号少于 5 个或帖子少于 20 条；其得分只能当作猜测"),
        ));
    }
    let unknown_business = report
        .niches
        .iter()
        .filter(|n| n.score.is_none() && n.score_ceiling.is_some())
        .count();
    if unknown_business > 0 {
        out.push(l.either(
            format!("business unknown: {unknown_business} niche(s) show no money evidence either way; ranked by demand × traffic, the most their score could be. Add sponsored flags (is_sponsored, 商单), prices, earnings, or dated posts with views on a platform that shares ad revenue"),
            format!("商业未知：{unknown_business} 个赛道既无有钱赚也无没钱赚的证据；按 需求 × 流量（即得分的上限）排序。可加入商单标记（is_sponsored、商单）、报价、收入，或在分享广告收入的平台上带日期和播放量的帖子"),
        ));
    }
    let no_score = report.niches.iter().filter(|n| n.score.is_none()).count() - unknown_business;
    if no_score > 0 {
        out.push(l.either(
            format!(
                "no score: {no_score} niche(s) lack evidence for demand or traffic (see --format json, \"evidence\")"
            ),
            format!("无得分：{no_score} 个赛道缺少需求或流量的证据（见 --format json 的 \"evidence\"）"),
        ));
    }
    let provisional = report
        .niches
        .iter()
        .filter(|n| !n.metrics.provisional.is_empty())
        .count();
    if provisional > 0 {
        out.push(l.either(
            format!("provisional: {provisional} niche(s) were judged on a provisional scale (another platform's, or a weak source's; see METHOD.md §3); their intervals carry that doubt"),
            format!("暂定：{provisional} 个赛道按暂定标尺评判（借用其他平台的，或来源较弱的；见 METHOD.md §3）；其区间已计入这份不确定"),
        ));
    }
    if let Some(r) = &report.robustness {
        let (draws, stays) = (r.draws, r.top_pick_stays * 100.0);
        out.push(l.either(
            format!(
                "weights: with {draws} random weightings around the defaults, the top pick stays on top in {stays:.0}%"
            ),
            format!("权重：在默认权重附近随机取 {draws} 组权重，首选仍居第一的比例为 {stays:.0}%"),
        ));
    }
    let files = report.inputs.len();
    let rows_read: usize = report.inputs.iter().map(|i| i.rows_read).sum();
    let warnings = report.warnings.len();
    let where_ = if warnings == 0 {
        ""
    } else {
        l.pick(" (on stderr)", "（见标准错误输出）")
    };
    out.push(l.either(
        format!("inputs: {files} file(s), {rows_read} row(s) read; {warnings} warning(s){where_}"),
        format!("输入：{files} 个文件，读取 {rows_read} 行；{warnings} 条警告{where_}"),
    ));
    out
}

/// What the terminal says of the yardstick: the platform scales calibrated from the crawl (and
/// how far they moved), and those whose doubt widens the intervals.
fn calibration_lines(calibration: &[crate::measure::calibrate::Calibration], l: Lang) -> Vec<String> {
    let moved: Vec<String> = calibration
        .iter()
        .filter(|c| c.source != "reference")
        .map(|c| {
            let platform = text::sanitise_line(&l.platform(&c.platform));
            let moved = crate::measure::calibrate::moved_label(c.additive, c.shift, l.points_a_month());
            l.either(
                format!("{platform} {} {moved} ({} niches)", c.measure, c.niches),
                format!("{platform} {} {moved}（{} 个赛道）", c.measure, c.niches),
            )
        })
        .collect();
    let mut out = Vec::new();
    if !moved.is_empty() {
        let moved = moved.join(l.pick(", ", "，"));
        out.push(l.either(
            format!("calibrated from this crawl (no exact published scale): {moved}; on these platforms a niche depends on the other niches there through its platform's scale (`niche reference build --calibrated` saves them)"),
            format!("由本次抓取校准（没有确切的公开标尺）：{moved}；在这些平台上，一个赛道会通过平台的标尺受同平台其他赛道影响（`niche reference build --calibrated` 可保存这些标尺）"),
        ));
    }
    let unsure: Vec<String> = calibration
        .iter()
        .filter(|c| c.source == "reference" && c.uncertainty > 0.0)
        .map(|c| format!("{} {}", text::sanitise_line(&l.platform(&c.platform)), c.measure))
        .collect();
    if !unsure.is_empty() {
        let unsure = unsure.join(l.pick(", ", "，"));
        out.push(l.either(
            format!("not exact and not calibrated (too few niches, or a reference of your own): {unsure}; their doubt widens the intervals"),
            format!("既不确切也未校准（赛道太少，或用的是自己的参照）：{unsure}；其不确定性放宽了区间"),
        ));
    }
    out
}

/// The table's lines about you (`--me`): in each niche you post in, and in the top pick.
fn me_lines(me: &crate::score::me::Me, top: Option<&str>, l: Lang) -> Vec<String> {
    let account = text::sanitise_line(&me.account);
    let platform = text::sanitise_line(&l.platform(&me.platform));
    let size = match (me.followers, me.tier) {
        (Some(f), Some(t)) => {
            let (f, t) = (format::count(f, l.is_zh()), l.tier(t));
            l.either(
                format!(" ({f} followers, {t})"),
                format!("（{f} 粉丝，{t}）"),
            )
        }
        // Missing, not zero: said, with what gives it.
        _ => l.pick(
            " (followers unknown: for your own export, add --me-followers N; your tier, engagement rate on followers and views per follower need it)",
            "（粉丝数未知：自己的导出文件请加 --me-followers N；你的层级、按粉丝算的互动率和单条播放 ÷ 粉丝都需要它）",
        )
        .to_string(),
    };
    let mut out = vec![l.either(
        format!("you: {account} on {platform}{size}"),
        format!("你：{platform}上的 {account}{size}"),
    )];
    let pct = |p: f64| format!("{:.0}%", p * 100.0);
    for n in me.niches.iter().filter(|n| n.yours || Some(n.niche.as_str()) == top) {
        let parts: Vec<String> = n
            .standings
            .iter()
            .map(|s| {
                let yours = html::measure_value(s.measure, s.yours, l);
                let among = match (s.percentile, s.tier_percentile, l) {
                    (Some(p), Some(t), Lang::En) => {
                        format!(": above {} of them, {} of those your size", pct(p), pct(t))
                    }
                    (Some(p), Some(t), Lang::Zh) => format!("：高于其中 {}，同量级中高于 {}", pct(p), pct(t)),
                    (Some(p), None, Lang::En) => format!(": above {} of them", pct(p)),
                    (Some(p), None, Lang::Zh) => format!("：高于其中 {}", pct(p)),
                    _ => String::new(),
                };
                format!("{} {yours}{among}", l.measure(s.measure))
            })
            .collect();
        let niche = text::sanitise_line(&n.niche);
        let accounts = n.accounts;
        let standings = if parts.is_empty() {
            l.pick("no measure of yours to compare", "没有你的指标可比较")
                .to_string()
        } else {
            parts.join(l.pick("; ", "；"))
        };
        out.push(match (l, n.yours, n.other_platforms) {
            (Lang::En, yours, other) => format!(
                "  {} {niche} ({accounts} accounts{}): {standings}",
                if yours { "in" } else { "against the top pick," },
                if other { ", on other platforms" } else { "" },
            ),
            (Lang::Zh, yours, other) => format!(
                "  {}{niche}（{accounts} 个账号{}）：{standings}",
                if yours { "在 " } else { "对比首选 " },
                if other { "，在其他平台" } else { "" },
            ),
        });
    }
    out
}

/// One line on why a niche ranks where it does: its strongest and weakest evidence.
pub fn why(n: &ScoredNiche, l: Lang) -> String {
    let (strong, weak) = super::strongest_and_weakest(n.evidence.iter().map(|e| (e.sub_factor, e.scale)));
    // English keeps the sub-factor's own name; Chinese the report's word for it.
    let name = |s: &str, p: f64| {
        l.either(
            format!("{} {}", s.replace('_', " "), format::unit(p)),
            format!("{} {}", l.sub_factor(s), format::unit(p)),
        )
    };
    let best: Vec<String> = strong.iter().map(|&(s, p)| name(s, p)).collect();
    let niche = text::sanitise_line(&n.metrics.niche);
    let score = n.score.map_or_else(|| "—".to_string(), format::unit);
    l.either(
        format!(
            "{niche} (score {score}): strongest {}{}",
            best.join(", "),
            weak.map(|(s, p)| format!("; weakest: {}", name(s, p)))
                .unwrap_or_default()
        ),
        format!(
            "{niche}（得分 {score}）：最强 {}{}",
            best.join("，"),
            weak.map(|(s, p)| format!("；最弱：{}", name(s, p))).unwrap_or_default()
        ),
    )
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}
