//! The opportunity map: competing accounts (x, log) against demand (y); bubble size business, colour traffic.

use super::*;

pub(super) fn opportunity(page: &Page, lang: Lang) -> Result<Outcome> {
    let title = lang.pick("Opportunity map", "机会地图").to_string();
    // Competition: accounts in the niche, else posts (crawled post lists name no accounts).
    let by_accounts = page.niches.iter().any(|n| n.accounts.is_some_and(|a| a > 0));
    let competition = |n: &Niche| -> Option<f64> {
        let v = if by_accounts { n.accounts } else { n.posts }?;
        (v > 0).then_some(v as f64)
    };
    let points: Vec<(&Niche, f64, f64)> = page
        .niches
        .iter()
        .filter_map(|n| Some((n, competition(n)?, n.demand?)))
        .collect();
    if points.len() < 2 {
        return Ok(skip(
            "opportunity",
            title,
            lang.pick(
                "fewer than two niches have both a demand score and a count of competitors",
                "同时有需求得分和竞争数量的赛道少于两个",
            ),
        ));
    }
    let height = 600u32;
    let (left, right, top, bottom) = (80i32, 150i32, 80i32, 70i32);
    // Both axes zoom to the data with a margin: niches of one crawl often sit close together on
    // the reference's scales. The shaded quarter is above the median demand and below the median competition.
    let logs: Vec<f64> = points.iter().map(|p| p.1.log10()).collect();
    let (lo, hi) = logs
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let pad = ((hi - lo) * 0.08).max(0.15);
    let (lo, hi) = (lo - pad, hi + pad);
    let (dlo, dhi) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.2), b.max(p.2)));
    let dpad = ((dhi - dlo) * 0.1).max(0.05);
    let (dlo, dhi) = ((dlo - dpad).max(0.0), (dhi + dpad).min(1.0));
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let comp_median = median(points.iter().map(|p| p.1).collect());
    let demand_median = median(points.iter().map(|p| p.2).collect());
    let plot_w = WIDTH as i32 - left - right;
    let plot_h = height as i32 - top - bottom;
    let x = |v: f64| left + ((v.log10() - lo) / (hi - lo) * f64::from(plot_w)).round() as i32;
    let y = |v: f64| top + plot_h - ((v - dlo) / (dhi - dlo) * f64::from(plot_h)).round() as i32;
    let x_label = if by_accounts {
        lang.pick("accounts competing (log scale) →", "竞争账号数（对数刻度）→")
    } else {
        lang.pick("posts in the niche (log scale) →", "赛道内容数（对数刻度）→")
    };
    let png = render(WIDTH, height, |c| {
        c.title(
            &title,
            lang.pick(
                "Up and to the left: more demand, fewer competitors. Bubble size: business; colour: traffic.",
                "越靠左上：需求越高、竞争越少。气泡大小：商业；颜色：流量。",
            ),
        )?;
        c.rect(left, top, x(comp_median), y(demand_median), RGBColor(230, 242, 252))?;
        for g in nice_ticks(dlo, dhi, 5) {
            c.line(vec![(left, y(g)), (left + plot_w, y(g))], GRID, 1)?;
            c.text(&format!("{g:.2}"), left - 8, y(g), 12, MUTED, Align::Right)?;
        }
        for v in log_ticks(lo, hi) {
            c.line(vec![(x(v), top), (x(v), top + plot_h)], GRID, 1)?;
            c.text(&lang.count(v), x(v), top + plot_h + 14, 12, MUTED, Align::Centre)?;
        }
        c.label(
            lang.pick(
                "above-median demand, below-median rivals",
                "需求高于中位数、对手少于中位数",
            ),
            left + 8,
            top + 14,
            13,
        )?;
        c.line(vec![(left, top + plot_h), (left + plot_w, top + plot_h)], MUTED, 1)?;
        c.line(vec![(left, top), (left, top + plot_h)], MUTED, 1)?;
        c.text(x_label, left + plot_w, top + plot_h + 38, 14, INK, Align::Right)?;
        c.text(
            lang.pick("demand ↑", "需求 ↑"),
            left - 8,
            top - 14,
            14,
            INK,
            Align::Right,
        )?;
        // Big bubbles first, so small ones stay visible on top.
        let mut order: Vec<&(&Niche, f64, f64)> = points.iter().collect();
        order.sort_by(|a, b| b.0.business.unwrap_or(0.0).total_cmp(&a.0.business.unwrap_or(0.0)));
        let radius = |n: &Niche| 4 + (n.business.unwrap_or(0.0).clamp(0.0, 1.0).sqrt() * 18.0).round() as i32;
        for (n, comp, demand) in &order {
            let colour = n.traffic.map_or(RGBColor(200, 200, 200), ramp);
            c.dot(x(*comp), y(*demand), radius(n), colour)?;
            c.ring(x(*comp), y(*demand), radius(n), WHITE)?;
        }
        // Labels for the best-ranked niches: the first place around the bubble that is free of
        // other labels and bubbles; else the one covering least bubble area; never over a label.
        type Boxed = (i32, i32, i32, i32);
        let overlap = |a: &Boxed, b: &Boxed| {
            let w = (a.2.min(b.2) - a.0.max(b.0)).max(0);
            let h = (a.3.min(b.3) - a.1.max(b.1)).max(0);
            w * h
        };
        let bubbles: Vec<(Boxed, &str)> = points
            .iter()
            .map(|(n, comp, demand)| {
                let (px, py, r) = (x(*comp), y(*demand), radius(n));
                ((px - r, py - r, px + r, py + r), n.niche.as_str())
            })
            .collect();
        let mut taken: Vec<Boxed> = Vec::new();
        let mut by_rank: Vec<&(&Niche, f64, f64)> = points.iter().collect();
        by_rank.sort_by_key(|p| p.0.rank);
        for (n, comp, demand) in by_rank.into_iter().take(10) {
            let (px, py, r) = (x(*comp), y(*demand), radius(n));
            let label = c.fit(&label_of(n), 13, 170);
            let w = c.width(&label, 13) as i32;
            let candidates = [
                (px + r + 4, py - 8),
                (px - r - 4 - w, py - 8),
                (px - w / 2, py - r - 20),
                (px - w / 2, py + r + 4),
                (px + r, py - r - 16),
                (px + r, py + r),
                (px - r - w, py - r - 16),
                (px - r - w, py + r),
            ];
            let best = candidates
                .iter()
                .map(|&(lx, ly)| (lx, ly, lx + w, ly + 16))
                .filter(|bx| bx.0 >= 4 && bx.2 <= left + plot_w + 30 && bx.1 >= top - 10 && bx.3 <= top + plot_h + 4)
                .filter(|bx| taken.iter().all(|t| overlap(bx, t) == 0))
                .enumerate()
                .min_by_key(|(i, bx)| {
                    let covered: i32 = bubbles
                        .iter()
                        .filter(|(_, name)| *name != n.niche)
                        .map(|(b, _)| overlap(bx, b))
                        .sum();
                    (covered, *i)
                })
                .map(|(_, bx)| bx);
            if let Some(bx) = best {
                c.label(&label, bx.0, bx.1 + 8, 13)?;
                taken.push(bx);
            }
        }
        // Legend: the traffic ramp.
        let lx = left + plot_w + 40;
        c.text(&lang.factor("traffic"), lx, top + 6, 13, INK, Align::Left)?;
        for i in 0..=100 {
            let v = f64::from(i) / 100.0;
            let yy = top + 24 + ((1.0 - v) * 160.0) as i32;
            c.rect(lx, yy, lx + 16, yy + 2, ramp(v))?;
        }
        c.text("1", lx + 22, top + 26, 12, MUTED, Align::Left)?;
        c.text("0", lx + 22, top + 184, 12, MUTED, Align::Left)?;
        c.text(&lang.factor("business"), lx, top + 220, 13, INK, Align::Left)?;
        for (i, b) in [0.1, 0.5, 1.0].iter().enumerate() {
            let r = 4 + (f64::sqrt(*b) * 18.0).round() as i32;
            let yy = top + 250 + i as i32 * 46;
            c.ring(lx + 22, yy, r, MUTED)?;
            c.text(&format!("{b}"), lx + 48, yy, 12, MUTED, Align::Left)?;
        }
        Ok(())
    })?;
    let alt = match lang {
        Lang::En => format!("{} niches by demand (up) and competitors (right).", points.len()),
        Lang::Zh => format!("{} 个赛道：纵轴需求，横轴竞争数量。", points.len()),
    };
    Ok(drawn("opportunity", title, alt, height, png))
}
