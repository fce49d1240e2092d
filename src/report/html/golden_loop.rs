//! The golden loop: the main niche, its content pillars and the order of channels to post on.

use super::*;

pub(super) fn golden_loop(page: &Page, l: Lang) -> Markup {
    let main = page.personal_pick().or_else(|| page.pick());
    html! {
        section #loop {
            h2 { (l.pick("Golden loop: what to do next", "黄金循环：下一步怎么做")) }
            @match main {
                None => p.none { (l.pick("No niche has enough evidence to build a plan on.", "没有证据足够的赛道可以据此制定计划。")) },
                Some(n) => {
                    @let pillars = pillars(n, l);
                    @let channels = channel_order(page, n);
                    ol {
                        li { strong { (l.pick("Main niche: ", "主赛道：")) } (name(&n.niche))
                             " — " (l.pick("score ", "得分 ")) (with_interval(n, "score", n.score)) }
                        li { strong { (l.pick("Content pillars: ", "内容支柱：")) }
                            @if pillars.is_empty() {
                                span.none { (l.pick("no tag or title trait stands out in these inputs; add post titles and tags.", "本次输入中没有突出的标签或标题特征；请补充内容标题和标签。")) }
                            } @else {
                                (pillars.join(if l.is_zh() { "；" } else { "; " }))
                            }
                        }
                        li { strong { (l.pick("Channels, in order: ", "发布渠道顺序：")) }
                            @for (i, c) in channels.iter().enumerate() { @if i > 0 { " → " } (name(&l.platform(c))) }
                            @if channels.is_empty() { "—" }
                        }
                        @if let Some(t) = n.search_trend_monthly {
                            li { strong { (l.pick("Demand behind it: ", "需求走势：")) }
                                (l.pick("the search index you gave moves ", "你提供的搜索指数每月变化 "))
                                (crate::report::format::signed_percent(t))
                                (l.pick(" a month; ", "；"))
                                @if t < 0.0 {
                                    (l.pick("falling interest: start where the niche still grows, or plan for a shrinking audience.", "关注度在下降：从仍在增长的细分切入，或按受众缩小做计划。"))
                                } @else {
                                    (l.pick("rising or steady interest: the audience is there to grow into.", "关注度上升或平稳：受众仍有增长空间。"))
                                }
                            }
                        }
                    }
                    p.note { (l.pick("Pillars: tags and title traits that the niche's top posts use more than its other posts (lift ≥ 1.2). Channels: the niche's platforms by their niche × platform score (your account's platform first where the niche is on it, else after them), then the channels your profile lists.",
                                     "内容支柱：该赛道爆款内容比其他内容更常用的标签与标题特征（提升倍数 ≥ 1.2）。渠道：按赛道×平台得分排列该赛道的平台（你账号所在平台若在其中则排第一，否则排在其后），再加上个人档案中列出的渠道。")) }
                }
            }
        }
    }
}

pub(super) fn pillars(n: &Niche, l: Lang) -> Vec<String> {
    let Some(style) = &n.style else {
        return Vec::new();
    };
    let mut out: Vec<String> = style
        .tags
        .iter()
        .filter(|t| t.lift.is_some_and(|x| x >= LIFT_SHOWN))
        .take(4)
        .map(|t| format!("#{} (×{:.1})", sanitise_line(&t.name), t.lift.unwrap_or(1.0)))
        .collect();
    out.extend(
        style
            .traits
            .iter()
            .filter(|t| t.share_all > 0.0 && t.lift.is_some_and(|x| x >= LIFT_SHOWN))
            .take(2)
            .map(|t| format!("{} (×{:.1})", l.title_trait(&t.name), t.lift.unwrap_or(1.0))),
    );
    out
}

pub(super) fn channel_order(page: &Page, n: &Niche) -> Vec<String> {
    let mut by: Vec<&crate::report::page::PlatformScore> = n.by_platform.iter().collect();
    by.sort_by(|a, b| {
        a.low_evidence
            .cmp(&b.low_evidence)
            .then(b.score.unwrap_or(-1.0).total_cmp(&a.score.unwrap_or(-1.0)))
            .then(a.platform.cmp(&b.platform))
    });
    let mut out: Vec<String> = by.into_iter().map(|p| p.platform.clone()).collect();
    if let Some(start) = &n.start_on {
        out.retain(|p| p != start);
        out.insert(0, start.clone());
    }
    // With your account (`--me`), your platform comes first where the niche is on it (you have an
    // audience there already), and last where it is not (a channel to bring that audience over).
    if let Some(me) = &page.me {
        let was_there = out.contains(&me.platform);
        out.retain(|p| *p != me.platform);
        if was_there {
            out.insert(0, me.platform.clone());
        } else {
            out.push(me.platform.clone());
        }
    }
    let listed = page
        .profile
        .as_ref()
        .and_then(|p| p.get("channels"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    for c in listed {
        if !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
    }
    out
}
