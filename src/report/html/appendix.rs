//! The definitions: every measure the page shows, the weights as used, and the method version.

use super::*;
use crate::measure::calibrate;

/// Short definitions of every figure on the page; METHOD.md has the full ones.
pub(super) const DEFINITIONS: &[(&str, &str, &str, &str)] = &[
    ("score", "得分", "demand × business × traffic. Each factor is the weighted geometric mean of its sub-factors (their product, each to the power of its share of the weight), each measured on its platform's scale (the reference named above, calibrated from this crawl where no exact one is published: the yardstick, above). 0.125 = a niche of accounts typical of their platform on every measure, earning an hour's wage.", "需求 × 商业 × 流量。每个因子是其子因子的加权几何平均（各子因子按其权重占比取幂后相乘），每个子因子按所在平台的尺度衡量（上文所列参照；没有确切公开尺度时按本次抓取校准，见上文“尺度”）。0.125 = 由所在平台典型账号组成、各项指标都典型、挣到一小时工资的赛道。"),
    ("reference scale", "参照尺度", "The share of a platform's reference accounts below a value (followers; engagement per view, or per follower against accounts of the same size; views per follower), from published benchmarks or fitted public lists; provisional where another platform's or a weak source stands in. Business: what an hour of the work earns at 10万 followers and the platform's typical reach, with advertisers paying some verticals more (its tiers), ÷ an hour's wage (0.5 is par).", "某值以下的平台参照账号比例（粉丝；单次播放互动，或与同体量账号比较的粉丝互动率；单粉播放），来自公开基准或公开榜单拟合；用其他平台或弱来源替代时为暂定。商业：10万粉、平台典型触达下每小时工作收入（不同垂类广告主出价不同）÷ 小时工资（0.5 为持平）。"),
    ("95% interval", "95% 区间", "From resampling each niche's accounts and re-scoring the niche (the seed is in the header), with one draw per platform scale shared by its niches for how far the yardstick may be off; the 2.5% and 97.5% quantiles, never stretched to the point estimate (its bias is in report.json where material); none for fewer than 5 accounts.", "对每个赛道的账号重抽样并重新计算得分（种子见页首），并按平台尺度可能的偏差做一次同平台共享的抽取；取 2.5% 与 97.5% 分位数，不为包含点估计而延伸（偏差较大时见 report.json）；账号少于 5 个时不给区间。"),
    ("vs next, first in", "胜过下一名、排第一", "Shares of the resamples in which the niche scored above the niche ranked below it, and in which it ranked first.", "重抽样中该赛道得分高于下一名的比例，以及排名第一的比例。"),
    ("low evidence", "证据不足", "Fewer than 5 accounts or 20 posts. Such niches rank after the others and are never the top pick.", "账号少于 5 个或内容少于 20 条。这类赛道排在其他赛道之后，不会被选为首选。"),
    ("tiers", "层级", "Followers: 素人 < 5,000 ≤ 初级 < 50,000 ≤ 腰部 < 500,000 ≤ 头部 (per-platform bounds can be set).", "粉丝数：素人 < 5,000 ≤ 初级 < 50,000 ≤ 腰部 < 500,000 ≤ 头部（可按平台设置）。"),
    ("Gini, top 10% share", "基尼系数、前10%占比", "How unequally followers are spread over the niche's accounts (0 = equal, 1 = one account holds all); the share of followers held by the largest tenth of accounts.", "粉丝在赛道账号间分布的不均程度（0 为平均，1 为全部集中在一个账号）；最大的 10% 账号拥有的粉丝比例。"),
    ("engagement rate", "互动率", "Interactions per post (likes, comments, shares, collects: those present) divided by followers, or by views where followers are unknown; the median over accounts.", "单条互动（点赞、评论、分享、收藏中有的那些）除以粉丝数，无粉丝数时除以播放量；取各账号中位数。"),
    ("trend", "趋势", "The Theil–Sen slope of the weekly median of each post's engagement relative to its account's typical post, as a monthly change; p from the Mann–Kendall test.", "每条内容互动相对其账号常规水平之比的周中位数序列，取 Theil–Sen 斜率并折算为月变化；p 值来自 Mann–Kendall 检验。"),
    ("breakout", "爆款", "A post with at least 3× the niche's median engagement per post. Newcomer odds: the share of accounts under 10,000 followers with one.", "互动至少为赛道单条互动中位数 3 倍的内容。新人爆款率：粉丝不足 1 万的账号中出过爆款的比例。"),
    ("sponsored share, lift", "商单占比、提升", "The share of posts flagged as sponsored; the median over accounts of sponsored posts' engagement divided by organic posts'.", "标记为商单的内容比例；各账号商单互动与普通内容互动之比的中位数。"),
    ("value per post", "单条价值", "The interquartile range of observed prices, or else median views × a CPM band (USD, an estimate; the band is in the settings).", "实际报价的四分位距；没有报价时用播放量中位数 × CPM 区间估算（美元，区间可在设置中修改）。"),
    ("hours per week", "每周时长", "The median cadence of the niche's 腰部 accounts × the hours a post of each format takes (settings or your profile): an estimate.", "赛道腰部账号更新频率的中位数 × 各形式单条制作时长（设置或个人档案）：估算值。"),
    ("sensitivity", "敏感性", "Each weight set to half and to one and a half times its value, everything else fixed: the pick's score at both ends and the niches whose rank changes.", "每个权重分别设为原值的 0.5 倍和 1.5 倍、其余不变：首选在两端的得分，以及名次发生变化的赛道。"),
];

/// The weights in the method's order (demand, business, traffic), then any the method lacks.
pub(super) fn weights_in_order(page: &Page) -> Vec<(&str, f64)> {
    let known: Vec<&str> = crate::score::SUB_FACTORS.iter().map(|s| s.name).collect();
    let mut out: Vec<(&str, f64)> = known
        .iter()
        .filter_map(|k| page.weights.get_key_value(*k).map(|(k, w)| (k.as_str(), *w)))
        .collect();
    out.extend(
        page.weights
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .map(|(k, w)| (k.as_str(), *w)),
    );
    out
}

pub(super) fn factor_of(sub: &str) -> &'static str {
    crate::score::SUB_FACTORS
        .iter()
        .find(|s| s.name == sub)
        .map_or("", |s| match s.factor {
            crate::score::Factor::Demand => "demand",
            crate::score::Factor::Business => "business",
            crate::score::Factor::Traffic => "traffic",
        })
}

/// The loader's platform notes, in the page's language.
pub(super) fn platform_name(p: &str, l: Lang) -> String {
    match p {
        "(per row)" => l.pick("per row", "按行").to_string(),
        "unknown" => l.pick("not named in the file", "文件未注明").to_string(),
        other => sanitise_line(&l.platform(other)),
    }
}

pub(super) fn appendix(page: &Page, l: Lang) -> Markup {
    html! {
        section #appendix {
            h2 { (l.pick("Definitions", "指标定义")) }
            p.note {
                (match l {
                    Lang::En => format!("Method {}. METHOD.md in the niche repository defines every figure in full; the weights used here:", page.method_version),
                    Lang::Zh => format!("方法版本 {}。niche 仓库中的 METHOD.md 给出每个数字的完整定义；本次使用的权重：", page.method_version),
                })
            }
            table {
                thead { tr { th { (l.pick("factor", "因子")) } th { (l.pick("sub-factor", "子因子")) } th { (l.pick("measure used", "所用指标")) } th.n { (l.pick("weight", "权重")) } } }
                tbody {
                    @for (sub, w) in weights_in_order(page) {
                        tr {
                            td { (l.factor(factor_of(sub))) }
                            td { (l.sub_factor(sub)) }
                            td { (page.measures_used.get(sub).filter(|m| !m.is_empty()).map_or_else(|| "—".to_string(), |m| m.iter().map(|m| l.measure(m)).collect::<Vec<_>>().join(" / "))) }
                            td.n { (format!("{w:.2}")) }
                        }
                    }
                }
            }
            @if !page.calibration.is_empty() {
                h3 { (l.pick("The yardstick: where each platform's scale came from", "尺度：各平台参照从何而来")) }
                p.note { (l.pick(
                    "Where no exact scale is published, the reference's is calibrated from this crawl (two niches or more on the platform): its level moves towards the crawl's by their precisions. There a niche depends on the other niches of its platform through the scale. What stays unsure widens every interval on that platform at once.",
                    "没有确切公开尺度时，参照尺度按本次抓取校准（该平台至少两个赛道）：其水平按精度向抓取数据移动。此时一个赛道通过平台尺度依赖同平台的其他赛道。剩余的不确定性会同时加宽该平台所有区间。")) }
                table {
                    thead { tr {
                        th { (l.pick("platform", "平台")) } th { (l.pick("measure", "指标")) } th { (l.pick("from", "来源")) }
                        th { (l.pick("scale of", "参照平台")) } th.n { (l.pick("niches", "赛道")) } th.n { (l.pick("accounts", "账号")) }
                        th.n { (l.pick("moved", "移动")) } th.n { (l.pick("still unsure", "剩余不确定")) }
                    } }
                    tbody {
                        @for c in &page.calibration {
                            tr {
                                td { (name(&l.platform(&c.platform))) }
                                td { (l.measure(&c.measure)) }
                                td { (match (c.source.as_str(), l) {
                                    ("crawl", Lang::Zh) => "抓取数据", ("reference and crawl", Lang::Zh) => "参照与抓取", (_, Lang::Zh) => "参照",
                                    (other, Lang::En) => other,
                                }) }
                                td { (name(&l.platform(&c.reference_scale_of))) }
                                td.n { (c.niches) }
                                td.n { (c.accounts) }
                                td.n { (calibrate::moved_label(c.additive, c.shift, l.points_a_month())) }
                                td.n { (calibrate::uncertainty_label(c.additive, c.uncertainty, l.points_a_month())) }
                            }
                        }
                    }
                }
            }
            dl {
                @for (en, zh, def_en, def_zh) in DEFINITIONS {
                    dt { (l.pick(en, zh)) }
                    dd { (l.pick(def_en, def_zh)) }
                }
            }
        }
    }
}
