//! The one-file HTML report, rendered from [`Page`] (report.json) and the charts.
//!
//! maud escapes every spliced value, so text from inputs cannot become markup; the only raw
//! pieces are the stylesheet (a constant) and the charts' base64 data URIs. On top of that, a
//! Content-Security-Policy allows no scripts, no network and only inline images, and names are
//! wrapped in `<bdi>` with control and bidi characters made visible. The page needs no script.
//!
//! Charts are embedded as PNG data URIs rather than inline SVG: the PNG files and the page then
//! show the same pixels, Chinese text in charts needs no font in the page (inline SVG text would
//! need the 1.1 MB font embedded as well), and a chart costs tens of kilobytes.

use base64::Engine;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde_json::Value;

mod appendix;
mod inside;
mod golden_loop;
mod quality;

use super::charts::Charts;
use super::format;
use super::lang::Lang;
use super::page::{Niche, Page};
use super::prose::{answer, missing_hint, LIFT_SHOWN};
use crate::text::sanitise_line;
use appendix::appendix;
use golden_loop::golden_loop;
use quality::quality;

/// Niche cards shown in full; the rest are in the ranking table and scores.csv.
pub(super) const MAX_CARDS: usize = 20;
/// Rows of the ranking table.
pub(super) const MAX_TABLE_ROWS: usize = 100;
/// Warnings listed one by one.
pub(super) const MAX_WARNINGS: usize = 100;

/// The family name of the embedded CJK font ([`web_font`]), as a literal the CSS is built from.
macro_rules! web_font_family {
    () => {
        "Niche CJK"
    };
}

pub(super) const CSS: &str = concat!(
    r#"
:root{--ink:#212529;--muted:#6c757d;--line:#dee2e6;--soft:#f8f9fa;--d:#0072b2;--b:#d55e00;--t:#009e73}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 ""#,
    web_font_family!(),
    r#"",system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--ink);background:#fff}
main{max-width:1000px;margin:0 auto;padding:24px 20px 64px}
h1{font-size:28px;margin:8px 0 4px}h2{font-size:22px;margin:40px 0 12px;padding-top:8px;border-top:2px solid var(--ink)}
h3{font-size:19px;margin:0 0 6px}h4{font-size:15px;margin:14px 0 4px;text-transform:uppercase;letter-spacing:.04em}
.meta,.muted,figcaption,.note{color:var(--muted);font-size:14px}
nav a{margin-right:14px;color:var(--d)}
.pick{font-size:18px;background:var(--soft);border-left:4px solid var(--d);padding:12px 16px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.low td{color:var(--muted)}
figure{margin:20px 0}figure img{max-width:100%;height:auto;border:1px solid var(--line)}
.card{border:1px solid var(--line);border-radius:6px;padding:16px 18px;margin:16px 0}
.card.low{background:var(--soft)}
.pills span{display:inline-block;margin:2px 8px 2px 0;padding:2px 10px;border-radius:12px;font-size:14px;background:var(--soft);border:1px solid var(--line)}
.demand h4{color:var(--d)}.business h4{color:var(--b)}.traffic h4{color:var(--t)}
.q{margin:6px 0 10px}.q p{margin:2px 0}.q .ask{font-weight:600}
.none{color:var(--muted);font-style:italic}
dl dt{font-weight:600;margin-top:8px}dl dd{margin:0 0 0 16px}
.warn li{font-size:14px}
code,.mono{font-family:""#,
    web_font_family!(),
    r#"",ui-monospace,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
bdi{unicode-bidi:isolate}
.scroll{overflow-x:auto}table.posts td{font-size:13px}table.posts td:first-child{min-width:11em}table.accounts td:first-child{min-width:6em}table.accounts td:last-child{min-width:16em}table.posts a{color:var(--d)}
.tag{font-size:12px;padding:0 6px;border-radius:8px;border:1px solid var(--b);color:var(--b)}
.sorter>input{position:absolute;opacity:0;width:1px;height:1px}
.sorter>label{font-size:13px;margin-right:12px;color:var(--d);cursor:pointer;border-bottom:1px dotted var(--d)}
.sorter>input:checked+label{color:var(--ink);font-weight:600;border-bottom:2px solid var(--ink)}
.sorter>input:focus-visible+label{outline:2px solid var(--d)}
.sorter tbody{display:none}
.sorter>input:nth-of-type(1):checked~.scroll tbody.o0,.sorter>input:nth-of-type(2):checked~.scroll tbody.o1,.sorter>input:nth-of-type(3):checked~.scroll tbody.o2,.sorter>input:nth-of-type(4):checked~.scroll tbody.o3{display:table-row-group}
"#
);

pub(super) const CSP: &str =
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// The charts' font (Noto Sans SC, GB2312 subset, SIL OFL 1.1) as a web font, so Chinese text in
/// the page is drawn the same on every machine, one without a CJK font too; the page stays one
/// file, offline. It is first in every font list but covers only the CJK ranges (`unicode-range`),
/// so Latin text keeps the system's face. (Listed after the system fonts, Chromium drew some
/// sizes and weights of Chinese as empty boxes on a machine without a CJK font: it took the
/// fallback before reaching the web font.)
fn web_font() -> String {
    use base64::Engine;
    format!(
        "@font-face{{font-family:\"{}\";src:url(data:font/otf;base64,{}) format(\"opentype\");font-display:block;unicode-range:U+2E80-2FFF,U+3000-30FF,U+3200-33FF,U+4E00-9FFF,U+F900-FAFF,U+FF00-FFEF}}",
        web_font_family!(),
        base64::engine::general_purpose::STANDARD.encode(super::charts::FONT_BYTES)
    )
}

/// The whole page.
pub fn render(page: &Page, charts: &Charts, lang: Lang, refresh: Option<u32>) -> Vec<u8> {
    let l = lang;
    let markup = html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(seconds) = refresh {
                    meta http-equiv="refresh" content=(seconds);
                }
                meta name="generator" content=(format!("niche {} (method {})", env!("CARGO_PKG_VERSION"), page.method_version));
                title { (l.pick("Which niche to enter — niche report", "赛道选择报告 — niche")) }
                style { (PreEscaped(web_font())) (PreEscaped(CSS)) }
            }
            body {
                main {
                    header {
                        h1 { (l.pick("Which niche to enter, where, and why", "做哪个赛道、在哪个平台、为什么")) }
                        p.meta { (header_line(page, l)) }
                        nav {
                            @if page.me.is_some() { a href="#you" { (l.pick("You", "你")) } }
                            a href="#summary" { (l.pick("Summary", "结论")) }
                            a href="#charts" { (l.pick("Charts", "图表")) }
                            a href="#niches" { (l.pick("Niche by niche", "逐个赛道")) }
                            a href="#loop" { (l.pick("Golden loop", "黄金循环")) }
                            a href="#quality" { (l.pick("Data quality", "数据质量")) }
                            a href="#appendix" { (l.pick("Definitions", "指标定义")) }
                        }
                    }
                    (you(page, l))
                    (summary(page, l))
                    (charts_section(charts, l))
                    (sensitivity_table(page, l))
                    (cards(page, l))
                    (golden_loop(page, l))
                    (quality(page, l))
                    (appendix(page, l))
                    footer.muted {
                        p { (l.pick("Made by niche; every figure is defined in METHOD.md, method ", "由 niche 生成；所有数字的定义见 METHOD.md，方法版本 ")) (page.method_version) "." }
                    }
                }
            }
        }
    };
    markup.into_string().into_bytes()
}

/// Text from an input: control and bidi characters made visible, isolated from its neighbours.
pub(super) fn name(s: &str) -> Markup {
    html! { bdi { (sanitise_line(s)) } }
}

pub(super) fn header_line(page: &Page, l: Lang) -> String {
    let rows: usize = page.inputs.iter().map(|i| i.rows_read).sum();
    let (niches, files, method) = (page.niches.len(), page.inputs.len(), &page.method_version);
    let (resamples, seed) = (page.bootstrap.resamples, page.bootstrap.seed);
    match l {
        Lang::En => format!(
            "{niches} niches from {files} input file(s), {rows} rows read · method {method} · bootstrap {resamples} resamples, seed {seed}"
        ),
        Lang::Zh => format!(
            "{niches} 个赛道，来自 {files} 个输入文件，读取 {rows} 行 · 方法版本 {method} · 自助法 {resamples} 次重抽样，种子 {seed}"
        ),
    }
}

pub(super) fn value(v: Option<f64>) -> String {
    format::score(v)
}

pub(super) fn with_interval(n: &Niche, key: &str, v: Option<f64>) -> String {
    match (v, n.interval(key)) {
        (Some(v), Some((lo, hi))) => format!("{v:.2} ({})", format::interval(lo, hi)),
        // Unknown, with the range it could take (business without money evidence).
        (None, Some((lo, hi))) => format!("? ({})", format::interval(lo, hi)),
        (v, _) => value(v),
    }
}

pub(super) fn pct(v: f64) -> String {
    format::percent(v)
}

/// Why a niche scores what it does, from its strongest and weakest sub-factors.
pub(super) fn why(n: &Niche, l: Lang) -> String {
    let (strong, weak) = super::strongest_and_weakest(n.evidence.iter().map(|e| (e.sub_factor.as_str(), e.scale)));
    let say = |(s, p): (&str, f64)| format!("{} {p:.2}", l.sub_factor(s));
    let strong: Vec<String> = strong.into_iter().map(say).collect();
    match (l, weak.map(say)) {
        (_, _) if strong.is_empty() => String::new(),
        (Lang::En, Some(w)) => format!("Strongest: {}. Weakest: {w}.", strong.join(", ")),
        (Lang::En, None) => format!("Strongest: {}.", strong.join(", ")),
        (Lang::Zh, Some(w)) => format!("优势：{}。短板：{w}。", strong.join("、")),
        (Lang::Zh, None) => format!("优势：{}。", strong.join("、")),
    }
}

/// A sub-factor's scaled value against what its scale is (METHOD.md §3): "above 72% of
/// Instagram accounts of its size on the reference".
pub(super) fn scale_words(e: &super::page::Evidence, platform: &str, l: Lang) -> String {
    let Some(s) = e.scale else { return String::new() };
    let p = s * 100.0;
    let said = match (e.sub_factor.as_str(), l) {
        ("audience", Lang::En) => format!("above {p:.0}% of {platform} accounts on the reference"),
        ("audience", Lang::Zh) => format!("高于参照中 {p:.0}% 的{platform}账号"),
        ("engagement_rate", Lang::En) => {
            format!("above {p:.0}% of {platform} accounts of the same size on the reference")
        }
        ("engagement_rate", Lang::Zh) => format!("高于参照中 {p:.0}% 的同体量{platform}账号"),
        ("reach_per_post", Lang::En) => format!("above {p:.0}% of {platform} posts on the reference"),
        ("reach_per_post", Lang::Zh) => format!("高于参照中 {p:.0}% 的{platform}内容"),
        ("growth", Lang::En) => format!("above {p:.0}% of accounts on the reference"),
        ("growth", Lang::Zh) => format!("高于参照中 {p:.0}% 的账号"),
        ("openness", Lang::En) => format!("1 − Gini = {s:.2}"),
        ("openness", Lang::Zh) => format!("1 − 基尼系数 = {s:.2}"),
        ("value_per_hour", Lang::En) => format!("{s:.2} on the wage scale, where 0.50 earns an hour's wage"),
        ("value_per_hour", Lang::Zh) => format!("工资尺度上 {s:.2}（0.50 = 挣到一小时工资）"),
        (_, _) => format!("{s:.2}"),
    };
    if e.provisional {
        format!("{said}{}", l.pick(", provisional scale", "，暂定尺度"))
    } else {
        said
    }
}

/// A niche's place on one sub-factor among the niches of this report: (place, of how many).
pub(super) fn standing(page: &Page, n: &Niche, sub_factor: &str) -> Option<(usize, usize)> {
    let of = |m: &Niche| {
        m.evidence
            .iter()
            .find(|e| e.sub_factor == sub_factor)
            .and_then(|e| e.scale)
    };
    let mine = of(n)?;
    let all: Vec<f64> = page.niches.iter().filter_map(of).collect();
    Some((1 + all.iter().filter(|&&v| v > mine).count(), all.len()))
}

/// What a score means on its own (METHOD.md §3, reading a score).
pub(super) fn meaning(score: f64, l: Lang) -> &'static str {
    let band = crate::report::format::score_band(score);
    match (band, l) {
        (0, Lang::En) => "no money by the evidence: not worth entering as a business",
        (0, Lang::Zh) => "按证据没有收入：不值得作为生意进入",
        (1, Lang::En) => "weak: below a niche of typical accounts of its platform on the whole",
        (1, Lang::Zh) => "偏弱：整体低于由所在平台典型账号组成的赛道",
        (2, Lang::En) => "fair: about a niche of typical accounts of its platform earning a wage",
        (2, Lang::Zh) => "中等：约为由所在平台典型账号组成、挣到正常工资的赛道",
        (3, Lang::En) => {
            "good: above a typical niche on most factors — worth entering for most creators on this platform"
        }
        (3, Lang::Zh) => "良好：多数因子高于典型赛道——对该平台多数创作者值得进入",
        (_, Lang::En) => "strong: well above a typical niche on every factor",
        (_, Lang::Zh) => "很强：各因子都明显高于典型赛道",
    }
}

/// Brackets around a note, in the language's own brackets.
pub(super) fn paren(s: &str, l: Lang) -> String {
    match l {
        Lang::En => format!(" ({s})"),
        Lang::Zh => format!("（{s}）"),
    }
}

/// You against the niches (`--me`): the niches you post in and the top pick, each measure as where
/// you stand among the niche's accounts (and those of your size), beside its 腰部 and head.
pub(super) fn you(page: &Page, l: Lang) -> Markup {
    let Some(me) = &page.me else { return html! {} };
    let top = page.pick().map(|n| n.niche.clone());
    let shown: Vec<&super::page::MeInNiche> = me
        .niches
        .iter()
        .filter(|n| n.yours || Some(&n.niche) == top.as_ref())
        .collect();
    let pct = |p: Option<f64>| p.map_or_else(|| "—".to_string(), |p| format!("{:.0}%", p * 100.0));
    html! {
        section #you {
            h2 { (l.pick("You", "你")) }
            p {
                (l.pick("Your account ", "你的账号 ")) strong { (name(&me.account)) }
                (l.pick(" on ", "，平台 ")) (name(&l.platform(&me.platform)))
                @if let Some(f) = me.followers { " · " (l.count(f)) (l.pick(" followers", " 粉丝")) }
                @if let Some(t) = &me.tier { " · " (l.tier(t)) }
                (l.pick(". It is measured apart: it is never counted as its own competitor.", "。它单独计算，不算作自己的竞争对手。"))
            }
            @for (k, n) in shown.iter().enumerate() {
                h3 {
                    (name(&n.niche))
                    (match (n.yours, l) {
                        (true, Lang::En) => " — you post here",
                        (true, Lang::Zh) => "——你在这个赛道",
                        (false, Lang::En) => " — the top pick",
                        (false, Lang::Zh) => "——首选赛道",
                    })
                }
                p.note { (match l {
                    Lang::En => format!("Against its {} accounts{}: the share of them below you, in all and among those of your size.", n.accounts, if n.other_platforms { " on other platforms (measures that compare across platforms only)" } else { " on your platform" }),
                    Lang::Zh => format!("与该赛道 {} 个账号比较{}：低于你的账号比例（全部，以及同体量账号）。", n.accounts, if n.other_platforms { "（其他平台，仅限可跨平台比较的指标）" } else { "（同一平台）" }),
                }) }
                table {
                    thead { tr {
                        th { (l.pick("measure", "指标")) } th.n { (l.pick("yours", "你的")) }
                        th.n { (l.pick("above", "高于")) } th.n { (l.pick("above, your size", "高于（同体量）")) }
                        th.n { (l.pick("腰部 median", "腰部中位数")) } th.n { (l.pick("head median", "头部中位数")) }
                    } }
                    tbody {
                        @for s in &n.standings {
                            tr {
                                td { (l.measure(&s.measure)) }
                                td.n { (measure_value(&s.measure, s.yours, l)) }
                                td.n { (pct(s.percentile)) }
                                td.n { (pct(s.tier_percentile)) }
                                td.n { (s.mid_tier_median.map_or_else(|| "—".to_string(), |v| measure_value(&s.measure, v, l))) }
                                td.n { (s.head_median.map_or_else(|| "—".to_string(), |v| measure_value(&s.measure, v, l))) }
                            }
                        }
                    }
                }
                @if let Some(t) = n.your_engagement_trend_monthly {
                    p { (match l {
                        Lang::En => format!("Your engagement against your own typical post here moves {} a month.", format::signed_percent(t)),
                        Lang::Zh => format!("你在这里的互动（相对自己的常规帖子）每月变化 {}。", format::signed_percent(t)),
                    }) }
                }
                @for (j, (label, list)) in [(l.pick("Your best posts", "你最好的帖子"), &n.your_best_posts), (l.pick("Your weakest posts", "你最弱的帖子"), &n.your_worst_posts)].into_iter().enumerate() {
                    @if let Some(posts) = list.as_ref().filter(|p| !p.is_empty()) {
                        h4 { (label) }
                        (inside::table(&format!("me-{k}-{j}"), posts, l))
                    }
                }
                @if let (Some(bar), Some(mine)) = (n.breakout_bar, n.your_typical_post) {
                    p { (match l {
                        Lang::En => format!(
                            "A breakout post (爆款) here reaches {} interactions; your typical post gets {} ({:.0}% of it); {} of its {} accounts have had one.",
                            l.count(bar), l.count(mine), mine / bar * 100.0, n.accounts_with_breakouts.unwrap_or(0), n.accounts
                        ),
                        Lang::Zh => format!(
                            "这里的爆款需要 {} 互动；你的常规内容有 {}（爆款的 {:.0}%）；{} 个账号中有 {} 个出过爆款。",
                            l.count(bar), l.count(mine), mine / bar * 100.0, n.accounts, n.accounts_with_breakouts.unwrap_or(0)
                        ),
                    }) }
                }
            }
        }
    }
}

pub(super) fn summary(page: &Page, l: Lang) -> Markup {
    let pick = page.pick();
    let low = page.niches.iter().filter(|n| n.low_evidence).count();
    html! {
        section #summary {
            h2 { (l.pick("Summary", "结论")) }
            @match pick {
                Some(n) => {
                    div.pick {
                        p {
                            strong { (l.pick("Top pick: ", "首选赛道：")) (name(&n.niche)) }
                            @if let Some(p) = &n.start_on {
                                (l.pick(", start on ", "，首发平台 ")) (name(&l.platform(p)))
                            }
                            (l.pick(". ", "。"))
                            (l.pick("Score ", "得分 ")) (with_interval(n, "score", n.score))
                            @if let Some(v) = n.score { " — " (meaning(v, l)) }
                            @if let Some(p) = n.p_first {
                                (match l {
                                    Lang::En => format!("; first in {:.0}% of bootstrap resamples", p * 100.0),
                                    Lang::Zh => format!("；在 {:.0}% 的重抽样中排第一", p * 100.0),
                                })
                            }
                            @if let (Some(p), Some(next)) = (n.p_above_next, &n.next_niche) {
                                (match l {
                                    Lang::En => ", above the next-ranked niche (".to_string(),
                                    Lang::Zh => "，高于下一名（".to_string(),
                                })
                                (name(next))
                                (match l {
                                    Lang::En => format!(") in {:.0}%.", p * 100.0),
                                    Lang::Zh => format!("）的比例为 {:.0}%。", p * 100.0),
                                })
                            } @else {
                                (l.pick(".", "。"))
                            }
                        }
                        p { (why(n, l)) }
                        @if let Some(me) = page.personal_pick() {
                            p {
                                strong { (l.pick("Your pick (with your profile): ", "结合个人情况的首选：")) (name(&me.niche)) }
                                (match l {
                                    Lang::En => format!(" — personal score {}, fit {:.2}.", value(me.personal.as_ref().and_then(|p| p.score)), me.personal.as_ref().map_or(0.0, |p| p.fit)),
                                    Lang::Zh => format!("——个人得分 {}，匹配度 {:.2}。", value(me.personal.as_ref().and_then(|p| p.score)), me.personal.as_ref().map_or(0.0, |p| p.fit)),
                                })
                            }
                        }
                    }
                }
                None => {
                    p.pick { (l.pick(
                        "No top pick: no niche has both a score and enough evidence (5 accounts and 20 posts). Where business is unknown, add sponsored flags, prices, earnings, or dated posts with views on a platform that shares ad revenue.",
                        "没有首选：没有赛道同时具备得分和足够证据（5 个账号、20 条内容）。商业未知时，请补充商单标记、报价、收入，或在有广告分成的平台上带日期和播放量的内容。")) }
                }
            }
            p.note {
                (l.pick("score = demand × business × traffic; each factor (0–1) is measured on its platform's scales — the reference ",
                        "得分 = 需求 × 商业 × 流量；各因子（0–1）按所在平台的尺度衡量——参照 "))
                (name(&page.reference.name)) " (" (name(&page.reference.origin)) ") "
                (l.pick("— not against the other niches here; where a platform has no exact published scale, its scale is calibrated from this crawl (Definitions: the yardstick). 0.125 is a niche of accounts typical of their platform on every measure, earning an hour's wage. Brackets: 95% bootstrap interval. ",
                        "——而不是与本报告中的其他赛道比较；平台没有确切公开尺度时，按本次抓取校准（见指标定义：尺度）。0.125 表示由所在平台典型账号组成、各项指标都典型、挣到一小时工资的赛道。括号内为 95% 自助法区间。"))
                @if let Some(r) = &page.robustness {
                    (match l {
                        Lang::En => format!("With {} random weightings around the defaults, the top pick stays on top in {:.0}%. ", r.draws, r.top_pick_stays * 100.0),
                        Lang::Zh => format!("在默认权重附近随机抽取 {} 组权重，首选保持第一的比例为 {:.0}%。", r.draws, r.top_pick_stays * 100.0),
                    })
                }
                @if low > 0 {
                    (match l {
                        Lang::En => format!("{low} niche(s) have low evidence (fewer than 5 accounts or 20 posts); they are ranked after the others and greyed."),
                        Lang::Zh => format!("{low} 个赛道证据不足（账号少于 5 个或内容少于 20 条），排在其他赛道之后并以灰色显示。"),
                    })
                }
            }
            table {
                thead { tr {
                    th.n { "#" } th { (l.pick("niche", "赛道")) } th { (l.pick("start on", "首发平台")) }
                    th.n { (l.pick("accounts", "账号")) } th.n { (l.pick("posts", "内容")) }
                    th.n { (l.factor("demand")) } th.n { (l.factor("business")) } th.n { (l.factor("traffic")) }
                    th.n { (l.factor("score")) } th.n { (l.pick("vs next", "胜过下一名")) }
                    @if page.profile.is_some() { th.n { (l.pick("personal", "个人")) } }
                } }
                tbody {
                    @for n in page.niches.iter().take(MAX_TABLE_ROWS) {
                        tr.low[n.low_evidence] {
                            td.n { (n.rank) }
                            td { (name(&n.niche)) @if n.low_evidence { " *" } }
                            td { @if let Some(p) = &n.start_on { (name(&l.platform(p))) } @else { "—" } }
                            td.n { (n.accounts.map_or_else(|| "—".to_string(), |v| l.count(v as f64))) }
                            td.n { (n.posts.map_or_else(|| "—".to_string(), |v| l.count(v as f64))) }
                            td.n { (with_interval(n, "demand", n.demand)) }
                            td.n { (with_interval(n, "business", n.business)) }
                            td.n { (with_interval(n, "traffic", n.traffic)) }
                            td.n { strong { @if n.score.is_none() && n.score_ceiling.is_some() {
                                (l.pick("≤ ", "≤ ")) (value(n.score_ceiling))
                            } @else { (with_interval(n, "score", n.score)) } } }
                            td.n { (n.p_above_next.map_or_else(String::new, |p| format!("{:.0}%", p * 100.0))) }
                            @if page.profile.is_some() { td.n { (value(n.personal.as_ref().and_then(|p| p.score))) } }
                        }
                    }
                }
            }
            @if page.niches.len() > MAX_TABLE_ROWS {
                p.note { (match l {
                    Lang::En => format!("The best {MAX_TABLE_ROWS} of {} niches; every niche is in scores.csv.", page.niches.len()),
                    Lang::Zh => format!("显示前 {MAX_TABLE_ROWS} 个（共 {} 个赛道）；全部见 scores.csv。", page.niches.len()),
                }) }
            }
            @match &page.since_last_run {
                Some(changes) => (since_last_run(changes, l)),
                None => (PreEscaped(SINCE_LAST_RUN_SLOT)),
            }
            p.note { (l.pick("vs next: share of resamples in which the niche scored above the one ranked below it; near 50% means the two are not told apart.",
                             "胜过下一名：重抽样中该赛道得分高于下一名的比例；接近 50% 表示两者难分高下。")) }
        }
    }
}

/// Where "changed since the last run" goes in a page drawn without it: `niche run` draws the page
/// (the slow part, cached) without it and fills the slot with [`since_last_run`] afterwards, which
/// gives the same bytes as drawing the page with it.
pub const SINCE_LAST_RUN_SLOT: &str = "<!--niche:since-last-run-->";

/// The "changed since the last run" section.
pub fn since_last_run(changes: &[super::page::Change], l: Lang) -> Markup {
    let standing = |s: &Option<super::page::Standing>| match s {
        Some(s) => format!("#{} · {}", s.rank, value(s.score)),
        None => l.pick("not in this run", "本次没有").to_string(),
    };
    html! {
        h4 #since-last-run { (l.pick("Changed since the last run", "与上次运行相比")) }
        @if changes.is_empty() {
            p.muted { (l.pick("Nothing: every niche has the rank and score it had.", "没有变化：每个赛道的名次和得分都与上次相同。")) }
        } @else {
            table {
                thead { tr { th { (l.pick("niche", "赛道")) } th.n { (l.pick("last run", "上次")) } th.n { (l.pick("this run", "本次")) } } }
                tbody {
                    @for c in changes {
                        tr { td { (name(&c.niche)) } td.n { (standing(&c.before)) } td.n { (standing(&c.after)) } }
                    }
                }
            }
        }
    }
}

pub(super) fn charts_section(charts: &Charts, l: Lang) -> Markup {
    let engine = base64::engine::general_purpose::STANDARD;
    html! {
        section #charts {
            h2 { (l.pick("Charts", "图表")) }
            @for c in &charts.drawn {
                figure #(format!("chart-{}", c.name)) {
                    img src=(format!("data:image/png;base64,{}", engine.encode(&c.png))) width=(c.width) height=(c.height) alt=(format!("{}: {}", c.title, c.alt));
                    figcaption { (c.title) " · " span.mono { "charts/" (c.name) ".png" } }
                }
            }
            @for s in &charts.skipped {
                p.note { strong { (s.title) } (l.pick(": not drawn — ", "：未绘制——")) (s.reason) (l.pick(".", "。")) }
            }
        }
    }
}

pub(super) fn sensitivity_table(page: &Page, l: Lang) -> Markup {
    html! {
        @if !page.sensitivity.is_empty() {
            h4 #sensitivity { (l.pick("Sensitivity: each weight at ×0.5 and ×1.5", "敏感性：各权重取 ×0.5 与 ×1.5")) }
            table {
                thead { tr { th { (l.pick("sub-factor", "子因子")) } th.n { (l.pick("weight", "权重")) } th { (l.pick("niches whose rank changes", "名次变化的赛道")) } } }
                tbody {
                    @for s in &page.sensitivity {
                        tr {
                            td { (l.sub_factor(&s.sub_factor)) }
                            td.n { (format!("{:.2}", s.weight)) }
                            td {
                                @if s.rank_changes.is_empty() { span.muted { (l.pick("none", "无")) } }
                                @for (i, n) in s.rank_changes.iter().enumerate() { @if i > 0 { (l.pick(", ", "、")) } (name(n)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn cards(page: &Page, l: Lang) -> Markup {
    html! {
        section #niches {
            h2 { (l.pick("Niche by niche: the essay's questions", "逐个赛道：文章中的十个问题")) }
            p.note { (l.pick("Each answer uses only what these inputs show; where they show nothing, it says so and what would answer it.",
                             "每个回答只依据本次输入的数据；没有数据时会注明，并说明需要补充什么。")) }
            @for n in page.niches.iter().take(MAX_CARDS) {
                (card(page, n, l))
            }
            @if page.niches.len() > MAX_CARDS {
                p.note { (match l {
                    Lang::En => format!("Cards for the best {MAX_CARDS} of {} niches; the others are in report.json and scores.csv.", page.niches.len()),
                    Lang::Zh => format!("只展示前 {MAX_CARDS} 个赛道（共 {} 个）；其余见 report.json 与 scores.csv。", page.niches.len()),
                }) }
            }
        }
    }
}

pub(super) fn card(page: &Page, n: &Niche, l: Lang) -> Markup {
    html! {
        article.card.low[n.low_evidence] id=(format!("niche-{}", n.rank)) {
            h3 { (n.rank) ". " (name(&n.niche)) }
            p.muted {
                (l.pick("platforms: ", "平台："))
                @for (i, p) in n.platforms.iter().enumerate() { @if i > 0 { ", " } (name(&l.platform(p))) }
                @if n.low_evidence { " · " (l.pick("low evidence: treat as a guess", "证据不足：仅供参考")) }
            }
            div.pills {
                @for key in ["demand", "business", "traffic", "score"] {
                    @let v = match key { "demand" => n.demand, "business" => n.business, "traffic" => n.traffic, _ => n.score };
                    span { (l.factor(key)) " " strong { (with_interval(n, key, v)) } }
                }
                @if let Some((a, b)) = n.rank_interval {
                    span { (match l { Lang::En => format!("rank {a}–{b} in 95% of resamples"), Lang::Zh => format!("95% 重抽样名次 {a}–{b}") }) }
                }
            }
            p { (why(n, l)) }
            @for factor in ["demand", "business", "traffic"] {
                div class=(factor) {
                    h4 { (l.factor(factor)) }
                    @for a in n.questions.iter().filter(|a| a.factor == factor) {
                        div.q {
                            p.ask { (a.id) ". " (l.pick(&a.question, &a.question_zh)) }
                            @let said = answer(n, a, l);
                            @if said.is_empty() {
                                p.none { (l.pick("No evidence in these inputs. ", "本次输入中没有相关证据。")) (missing_hint(a.id, l)) }
                            } @else {
                                @for s in &said { p { (s) } }
                            }
                        }
                    }
                    @let used: Vec<_> = n.evidence.iter().filter(|e| e.factor == factor && e.value.is_some()).collect();
                    @if !used.is_empty() {
                        p.note {
                            (l.pick("Evidence used: ", "所用证据："))
                            @for (i, e) in used.iter().enumerate() {
                                @if i > 0 { (l.pick("; ", "；")) }
                                (l.sub_factor(&e.sub_factor)) " = " (l.measure(&e.measure)) " " (measure_value(&e.measure, e.value.unwrap_or(0.0), l))
                                @let platform = n.start_on.clone().or_else(|| n.platforms.first().cloned()).unwrap_or_default();
                                @if e.scale.is_some() {
                                    (paren(&scale_words(e, &l.platform(&platform), l), l))
                                    @if let Some((k, of)) = standing(page, n, &e.sub_factor) {
                                        (match l { Lang::En => format!(" — {k} of {of} here"), Lang::Zh => format!("——本报告第 {k}/{of}") })
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (inside::posts(page, n, l))
            (inside::accounts(n, l))
        }
    }
}

/// A measure's value in the unit the measure is in.
pub(super) fn measure_value(measure: &str, v: f64, l: Lang) -> String {
    match measure {
        "gini" => format!("{v:.2}"),
        "views_per_follower" => pct(v),
        "value_ratio" => format!("{v:.2}×"),
        m if m.contains("rate")
            || m.contains("share")
            || m.contains("odds")
            || m.contains("trend")
            || m.contains("growth") =>
        {
            pct(v)
        }
        "posts_per_week" => format!("{v:.1}"),
        _ => l.count(v),
    }
}
